"""The ``simple`` baseline: regular expressions only, the floor any real system should beat.

Its rules are generic English news heuristics (capitalized word sequences, title words,
organization and facility suffixes, nationality adjectives, number patterns); none is taken
from the gold annotation, and no gazetteer is used. It predicts one entity per mention (no
coreference), `visited` relations from "X visited Y", and numeric facts.
"""

from __future__ import annotations

import re
from typing import Any

from factgold.ground.numbers import hedge_before

TITLE_WORDS = frozenset(
    [
        "Minister",
        "President",
        "Prime",
        "Secretary",
        "General",
        "Chairman",
        "Chief",
        "Governor",
        "Senator",
        "Ambassador",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "King",
        "Queen",
        "Foreign",
        "Interior",
        "Defence",
        "Defense",
        "Finance",
        "Deputy",
        "Vice",
    ]
)
ORG_SUFFIXES = frozenset(
    [
        "Agency",
        "Ministry",
        "Initiative",
        "Organization",
        "Organisation",
        "Council",
        "Bank",
        "Company",
        "Corporation",
        "Party",
        "Commission",
        "Institute",
        "University",
        "Association",
        "Department",
        "Authority",
        "Forum",
        "Group",
        "Union",
        "Committee",
        "Office",
        "Army",
        "Police",
    ]
)
FAC_SUFFIXES = frozenset(
    [
        "Corridor",
        "Port",
        "Airport",
        "Bridge",
        "Highway",
        "Railway",
        "Canal",
        "Dam",
        "Pipeline",
        "Road",
        "Tower",
        "Stadium",
    ]
)
SENTENCE_START_WORDS = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "Both",
        "Its",
        "His",
        "Her",
        "Their",
        "A",
        "An",
        "In",
        "On",
        "At",
        "As",
        "But",
        "And",
        "Or",
        "So",
        "If",
        "When",
        "While",
        "After",
        "Before",
    ]
)
NORP_ENDINGS = ("ese", "ian", "ish", "ani", "ean")
CALENDAR_WORDS = frozenset(
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)
CONNECTORS = frozenset({"and", "of", "for", "the"})

_NAME = r"[A-Z][\w]*(?:-[A-Z][\w]*)*"
_CANDIDATE = re.compile(rf"{_NAME}(?:\s+(?:(?:and|of|for|the)\s+)?{_NAME})*")
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6}
_MONEY = re.compile(r"(?:US)?\$\s?(\d[\d,]*(?:\.\d+)?)(?:\s?(thousand|million|billion|trillion|bn|mn)\b)?")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|per ?cent\b)")
_ORDINAL_DIGITS = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
_WORD_ORDINALS = {
    w: i
    for i, w in enumerate(
        ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"], 1
    )
}
_WORD_CARDINALS = {
    w: i for i, w in enumerate(["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"], 2)
}


def _entity_type(words: list[str], before: str, after: str) -> str:
    last = words[-1]
    if before.rstrip().split(" ")[-1:] and before.rstrip().split(" ")[-1] in TITLE_WORDS:
        return "PERSON"
    if last in ORG_SUFFIXES or (len(words) == 1 and last.isupper() and len(last) > 1):
        return "ORG"
    if last in FAC_SUFFIXES:
        return "FAC"
    if len(words) == 1 and last.endswith(NORP_ENDINGS) and re.match(r"\s+[a-z]", after):
        return "NORP"
    if len(words) == 2 and all(w[0].isupper() and w[1:].islower() for w in words):
        return "PERSON"
    return "GPE"


def _chunks(text: str) -> list[tuple[int, list[str]]]:
    """Capitalized word sequences as (start, words); connectors ("and", "of") stay inside a
    sequence only when it ends in an organization or facility word ("Bank of England")."""
    chunks = []
    for match in _CANDIDATE.finditer(text):
        words = match.group().split()
        if words[-1] in ORG_SUFFIXES | FAC_SUFFIXES or not CONNECTORS & set(words):
            chunks.append((match.start(), words))
            continue
        offset = match.start()
        current: list[str] = []
        start = offset
        for word in words:
            if word in CONNECTORS:
                if current:
                    chunks.append((start, current))
                current = []
            elif not current:
                start = offset
                current = [word]
            else:
                current.append(word)
            offset += len(word) + 1
        if current:
            chunks.append((start, current))
    return chunks


def _entities(text: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for start, words in _chunks(text):
        # Titles are not part of a name ("Interior Minister Mohsin Naqvi" -> "Mohsin Naqvi").
        while words and words[0] in TITLE_WORDS:
            start += len(words[0]) + 1
            words = words[1:]
        before = text[:start].rstrip(" ")
        at_sentence_start = not before or before[-1] in '.!?\n"“('
        if words and at_sentence_start and words[0] in SENTENCE_START_WORDS:
            start += len(words[0]) + 1
            words = words[1:]
        words = [w for w in words if w not in CALENDAR_WORDS] if len(words) == 1 else words
        if not words:
            continue
        end = start + len(" ".join(words))
        surface = text[start:end]
        parts = surface.split("-")
        if len(parts) > 1 and all(p[:1].isupper() for p in parts) and re.match(r"\s+[a-z]", text[end:]):
            # "China-Pakistan talks": two names joined as a modifier.
            offset = start
            for part in parts:
                found.append({"type": "GPE", "mentions": [{"start": offset, "end": offset + len(part), "text": part}]})
                offset += len(part) + 1
            continue
        kind = _entity_type(surface.split(), text[:start], text[end:])
        found.append({"type": kind, "mentions": [{"start": start, "end": end, "text": surface}]})
    return found


def numeric_facts(text: str) -> list[dict[str, Any]]:
    facts: list[dict[str, Any]] = []

    def add(start: int, end: int, value: float, kind: str, unit: str | None) -> None:
        approximate, bound = hedge_before(text, start)
        facts.append(
            {
                "mention": {"start": start, "end": end},
                "value": value,
                "unit": unit,
                "kind": kind,
                "approximate": approximate,
                "bound": bound,
            }
        )

    for match in _MONEY.finditer(text):
        value = float(match.group(1).replace(",", "")) * _SCALE.get(match.group(2) or "", 1.0)
        add(match.start(), match.end(), value, "money", "USD")
    for match in _PERCENT.finditer(text):
        add(match.start(), match.end(), float(match.group(1)), "percent", None)
    for match in _ORDINAL_DIGITS.finditer(text):
        add(match.start(), match.end(), float(match.group(1)), "ordinal", None)
    for match in re.finditer(r"\b[a-z]+\b", text):
        word = match.group()
        if word in _WORD_ORDINALS:
            add(match.start(), match.end(), float(_WORD_ORDINALS[word]), "ordinal", None)
        elif word in _WORD_CARDINALS:
            add(match.start(), match.end(), float(_WORD_CARDINALS[word]), "cardinal", None)
    return sorted(facts, key=lambda f: f["mention"]["start"])


def predict(document_id: str, text: str) -> dict[str, Any]:
    """Predictions for one document in the shape of ``schema/predictions.schema.json``."""
    entities = _entities(text)
    for index, entity in enumerate(entities, start=1):
        entity["id"] = f"P{index}"
    relations = []
    for head in entities:
        head_mention = head["mentions"][0]
        if head["type"] != "PERSON":
            continue
        following = re.match(r"\s+visited\s+", text[head_mention["end"] :])
        if following:
            target_start = head_mention["end"] + following.end()
            for tail in entities:
                if tail["mentions"][0]["start"] == target_start:
                    relations.append({"type": "visited", "head": head["id"], "tail": tail["id"]})
    return {"id": document_id, "entities": entities, "relations": relations, "numeric_facts": numeric_facts(text)}
