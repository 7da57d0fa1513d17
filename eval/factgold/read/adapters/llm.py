"""A raw LLM answer: the JSON inside it, with the key spellings and labels models use.

People save a model's answer as it came: a JSON object spread over many lines, often
inside a Markdown code fence, with a sentence before or after it. This adapter reads the
JSON of the first code fence that holds valid JSON, else the first balanced JSON object or
array in the text, parsed as strictly as a predictions file (no NaN, no duplicate keys).

The predictions contract stays strict; the leniency is here, and every liberty taken is
counted in the conversion's notes (the report lists them), never taken silently:

- layers under the usual names: ``entities``/``named_entities``/``ents``,
  ``relations``/``triples``/``relationships``, ``numeric_facts``/``numbers``/``quantities``
  (keys matched case-insensitively);
- an entity's name from ``name``/``text``/``entity``/``mention``, its type from
  ``type``/``label``/``entity_type``/``category``; its mentions as strings or objects;
- a relation as ``{head, type, tail}``, ``{subject, predicate, object}``, ``{source,
  relation, target}`` or a three-item list ``[head, type, tail]``; its type in any case and
  with spaces or hyphens (``"Met With"`` is ``met_with``);
- a number as a string (``"$64 billion"``), a number, or an object with ``value`` (or
  ``number``/``quantity``/``amount``), ``unit``, ``kind``, ``approximate``, ``subject``;
- entity labels matched to the gold's types case-insensitively, then through the label map
  (``--label-map``; the default knows free-text labels such as "person" and "country").

What cannot be read (an entity without a type, a relation without both ends, an item of an
unknown shape) is dropped and counted in the notes. With ``strict``, the adapter refuses
instead: it accepts only what the predictions schema accepts, apart from the fence.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from factgold.errors import UsageError
from factgold.read.adapters import Conversion, Source
from factgold.read.adapters.labels import LabelMap
from factgold.read.jsonl import parse_json
from factgold.read.schema import entity_types

_FENCE = re.compile(r"```[^\n`]*\n(.*?)```", re.DOTALL)
_MAX_STARTS = 10_000  # candidate starts of a bare JSON value tried before giving up

LAYER_KEYS = {
    "entities": ("entities", "named_entities", "ents", "entity_mentions", "ner"),
    "relations": ("relations", "triples", "relationships", "relation_triples"),
    "numeric_facts": ("numeric_facts", "numbers", "quantities", "numeric", "numerical_facts", "quantity_facts"),
}
NAME_KEYS = ("name", "text", "entity", "mention", "span")
TYPE_KEYS = ("type", "label", "entity_type", "category", "class", "tag")
HEAD_KEYS = ("head", "subject", "source", "from", "arg1", "h")
TAIL_KEYS = ("tail", "object", "target", "to", "arg2", "t")
RELATION_TYPE_KEYS = ("type", "predicate", "relation", "relation_type", "label", "r")
VALUE_KEYS = ("value", "number", "quantity", "amount")
SCORE_KEYS = ("score", "confidence")


def extract_json(answer: str) -> tuple[Any, str]:
    """The JSON value of an answer, and where it was found."""
    for fence in _FENCE.finditer(answer):
        try:
            return parse_json(fence.group(1).strip()), "a code fence"
        except ValueError:
            continue
    decoder = json.JSONDecoder()
    starts = [i for i, character in enumerate(answer) if character in "{["][:_MAX_STARTS]
    for start in starts:
        try:
            _, end = decoder.raw_decode(answer, start)
        except ValueError:
            continue
        try:
            return parse_json(answer[start:end]), "the text" if start or end < len(
                answer.rstrip()
            ) else "the whole text"
        except ValueError as error:
            raise UsageError(f"llm: the JSON in the answer is not valid: {error}") from None
    raise UsageError("llm: the answer holds no JSON object or array (in a code fence or in the text)")


def _first(item: dict[str, Any], keys: Iterable[str]) -> Any:
    lowered = {str(k).lower(): v for k, v in item.items()}
    return next((lowered[k] for k in keys if lowered.get(k) not in (None, "", [])), None)


class _Reader:
    """Turns one answer object into a predictions document, counting what it changed."""

    def __init__(self, labels: LabelMap, strict: bool) -> None:
        self.labels = labels
        self.strict = strict
        self.notes: Counter[str] = Counter()
        self.unmapped: set[str] = set()
        self.names: dict[str, list[str]] = {}

    def note(self, what: str) -> None:
        if self.strict:
            raise UsageError(f"llm (--strict): {what}")
        self.notes[what] += 1

    def document(self, answer: dict[str, Any]) -> dict[str, Any]:
        lowered = {str(k).lower(): (k, v) for k, v in answer.items()}
        document: dict[str, Any] = {}
        self.names = {}
        if isinstance(answer.get("id"), str):
            document["id"] = answer["id"]
        for layer, keys in LAYER_KEYS.items():
            found = [(lowered[k][0], lowered[k][1]) for k in keys if k in lowered]
            if not found:
                continue
            key, items = found[0]
            if key != layer:
                self.note(f"layer {key!r} read as {layer}")
            if layer == "entities" and isinstance(items, dict) and all(isinstance(v, list) for v in items.values()):
                # {"PERSON": ["Ishaq Dar", ...], ...}: entities grouped under their types.
                self.note("entities: grouped by type, read as typed entities")
                items = [
                    {**(e if isinstance(e, dict) else {"name": e}), "type": label}
                    for label, group in items.items()
                    for e in group
                    if isinstance(e, str | dict)
                ]
            if not isinstance(items, list):
                self.note(f"{layer}: not a list, dropped")
                continue
            read = getattr(self, f"_{layer}")
            document[layer] = [converted for item in items if (converted := read(item)) is not None]
            if layer == "entities":
                dropped = [e for e in document[layer] if e["type"] is None]
                for _ in dropped:
                    self.note("entities: an entity whose label the label map drops (null), left out")
                document[layer] = [e for e in document[layer] if e["type"] is not None]
                self.names = self._names(document[layer])
        self._resolve_ends(document)
        known = {k for keys in LAYER_KEYS.values() for k in keys} | {"id", "text", "prompt_version"}
        for key in sorted(str(k) for k in answer if str(k).lower() not in known):
            self.note(f"key {key!r} ignored")
        return document

    @staticmethod
    def _names(entities: list[dict[str, Any]]) -> dict[str, list[str]]:
        """Each entity name of the answer, case-folded, to the names as written."""
        names: dict[str, list[str]] = {}
        for entity in entities:
            if isinstance(entity.get("name"), str):
                names.setdefault(entity["name"].casefold(), []).append(entity["name"])
        return names

    def _resolve_ends(self, document: dict[str, Any]) -> None:
        """Relation ends and fact subjects given as strings, matched to the answer's entities.

        A string that is the name of exactly one listed entity refers to it (matched case-
        insensitively); any other string (an entity the answer did not list, or one whose
        name two listed entities share) becomes a text to find in the document, grounded like
        any text, so that one loose end never refuses the whole answer.
        """
        for layer, ends in (("relations", ("head", "tail")), ("numeric_facts", ("subject",))):
            for item in document.get(layer, ()):
                for end in ends:
                    value = item.get(end)
                    if not isinstance(value, str):
                        continue
                    matches = self.names.get(value.casefold(), [])
                    if len(matches) == 1 and matches[0] == value:
                        continue
                    if len(matches) == 1:
                        self.note(f"{layer}: an end matched to a listed entity's name case-insensitively")
                        item[end] = matches[0]
                    else:
                        self.note(f"{layer}: an end that names no single listed entity, read as a text to find")
                        item[end] = {"text": value}

    def entity_type(self, label: str) -> str | None:
        types = entity_types()
        if label in types:
            return label
        if label.upper().replace(" ", "_") in types:
            self.note("entity labels matched to gold types case-insensitively")
            return label.upper().replace(" ", "_")
        mapped = self.labels(label if label in self.labels.mapping else label.lower(), self.unmapped)
        if mapped is None:
            return None  # dropped on purpose by the label map
        if mapped in types:
            self.note("entity labels mapped through the label map")
            return mapped
        return label  # scored as a type error and listed; named in the unmapped labels

    def _entities(self, item: Any) -> dict[str, Any] | None:
        if not isinstance(item, dict):
            self.note("entities: an item that is not an object, dropped")
            return None
        name, label = _first(item, NAME_KEYS), _first(item, TYPE_KEYS)
        if not isinstance(label, str):
            self.note("entities: an entity without a type, dropped")
            return None
        entity: dict[str, Any] = {"type": self.entity_type(label)}  # None: dropped after conversion
        if isinstance(name, str):
            entity["name"] = name
        mentions = []
        for mention in item.get("mentions") or []:
            if isinstance(mention, str) and mention:
                self.note("entities: a mention given as a string read as a text mention")
                mentions.append({"text": mention})
            elif isinstance(mention, dict):
                mentions.append({k: v for k, v in mention.items() if k in ("start", "end", "text", "kind", "score")})
            else:
                self.note("entities: a mention that is neither a string nor an object, dropped")
        if mentions:
            entity["mentions"] = mentions
        if "name" not in entity and not mentions:
            self.note("entities: an entity with neither a name nor mentions, dropped")
            return None
        score = _first(item, SCORE_KEYS)
        if isinstance(score, int | float) and not isinstance(score, bool) and 0 <= score <= 1:
            entity["score"] = score
        return entity

    def endpoint(self, value: Any) -> Any:
        if isinstance(value, dict):
            name = _first(value, ("start",)) is None and _first(value, NAME_KEYS)
            if isinstance(name, str):
                self.note("relations: an endpoint given as an object read by its name")
                return name
            return value
        return value if isinstance(value, str) and value else None

    def _relations(self, item: Any) -> dict[str, Any] | None:
        if isinstance(item, list) and len(item) == 3:
            self.note("relations: a [head, type, tail] list read as a relation")
            head, label, tail = item
        elif isinstance(item, dict):
            head, label, tail = _first(item, HEAD_KEYS), _first(item, RELATION_TYPE_KEYS), _first(item, TAIL_KEYS)
        else:
            self.note("relations: an item of an unknown shape, dropped")
            return None
        head, tail = self.endpoint(head), self.endpoint(tail)
        if head is None or tail is None or not isinstance(label, str) or not label.strip():
            self.note("relations: a relation without a type or without both ends, dropped")
            return None
        relation_type = re.sub(r"[^a-z0-9]+", "_", label.strip().lower()).strip("_")
        if relation_type != label:
            self.note("relation types normalized to lower case with underscores")
        relation: dict[str, Any] = {"type": relation_type, "head": head, "tail": tail}
        score = _first(item, SCORE_KEYS) if isinstance(item, dict) else None
        if isinstance(score, int | float) and not isinstance(score, bool) and 0 <= score <= 1:
            relation["score"] = score
        return relation

    def _numeric_facts(self, item: Any) -> dict[str, Any] | None:
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            return {"value": item}
        if not isinstance(item, dict):
            self.note("numeric_facts: an item of an unknown shape, dropped")
            return None
        value = _first(item, VALUE_KEYS)
        text = _first(item, ("text", "mention"))
        if value is None and isinstance(text, str):
            value, text = text, None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.note("numeric_facts: a fact without a value, dropped")
            return None
        fact: dict[str, Any] = {"value": value}
        if isinstance(text, str) and text != value:
            fact["mention"] = {"text": text}
        for key, spellings in (
            ("unit", ("unit", "currency")),
            ("kind", ("kind", "type", "category")),
            ("approximate", ("approximate", "is_approximate", "approx")),
            ("subject", ("subject", "entity", "about", "of")),
        ):
            found = _first(item, spellings)
            if found is None:
                if key == "subject" and any(str(k).lower() == "subject" and v is None for k, v in item.items()):
                    fact["subject"] = None  # written out: the number is about no entity
                continue
            if key == "kind" and (not isinstance(found, str) or found.lower() not in _KINDS):
                self.note("numeric_facts: a kind that is not one of the five, dropped")
                continue
            if key == "approximate" and not isinstance(found, bool):
                self.note("numeric_facts: an approximate flag that is not true or false, dropped")
                continue
            fact[key] = found.lower() if key == "kind" else self.endpoint(found) if key == "subject" else found
        return fact


_KINDS = ("money", "percent", "quantity", "cardinal", "ordinal")
_LAYER_NAMES = frozenset(k for keys in LAYER_KEYS.values() for k in keys)


def _has_layers(value: dict[str, Any]) -> bool:
    return any(str(k).lower() in _LAYER_NAMES for k in value)


def _unwrapped(value: dict[str, Any], reader: _Reader) -> dict[str, Any]:
    """The answer object: the value itself, or the one object inside it that holds the layers
    (``{"result": {"entities": ...}}``). An answer with no layer anywhere is refused: scoring
    it would be a silent 0."""
    if _has_layers(value):
        return value
    inner = [v for v in value.values() if isinstance(v, dict) and _has_layers(v)]
    if len(inner) == 1:
        reader.note("the answer's layers read from the one object that holds them")
        return {**inner[0], **{k: v for k, v in value.items() if k == "prompt_version"}}
    raise UsageError("llm: the answer's JSON has no entities, relations or numeric facts under any name factgold reads")


def convert(source: Source, labels: LabelMap, *, strict: bool = False) -> Conversion:
    """Prediction documents from a raw answer (the adapter's content is the answer's text)."""
    if not isinstance(source.content, str):
        raise UsageError("llm: expected the text of an answer")
    value, where = extract_json(source.content)
    reader = _Reader(labels, strict)
    if where != "the whole text":
        reader.notes[f"JSON read from {where}"] += 1
    if isinstance(value, dict) and isinstance(value.get("documents"), list):
        answers = value["documents"]
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        layered = all(any(str(k).lower() in sum(LAYER_KEYS.values(), ()) for k in v) for v in value)
        answers = value if layered else [{"entities": value}]
        if not layered:
            reader.note("a list of entities read as the entities layer")
    elif isinstance(value, dict):
        answers = [_unwrapped(value, reader)]
    else:
        raise UsageError("llm: the answer's JSON is neither an object nor a list of objects")
    documents = []
    for answer in answers:
        if not isinstance(answer, dict):
            raise UsageError("llm: each answer document must be a JSON object")
        documents.append(reader.document(answer))
    notes = tuple(f"llm answer: {what} ({count})" for what, count in sorted(reader.notes.items()))
    versions = {str(a["prompt_version"]) for a in answers if isinstance(a, dict) and a.get("prompt_version")}
    if isinstance(value, dict) and value.get("prompt_version"):
        versions.add(str(value["prompt_version"]))
    if len(versions) > 1:
        raise UsageError(f"llm: the answers name several prompt versions: {', '.join(sorted(versions))}")
    return Conversion(tuple(documents), tuple(sorted(reader.unmapped)), notes, next(iter(versions), None))
