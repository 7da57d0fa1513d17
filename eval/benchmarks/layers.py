"""Workloads beyond flat NER: relations, numeric facts, and an LLM-style answer without offsets.

Each kind writes a gold corpus that `factgold validate` accepts and a predictions file,
seeded and deterministic:

- ``relations``: the gold entities of `benchmarks.workload` (one name mention each) and
  about one relation per two entities, of types the gold schema admits for the two entity
  types; predictions are the flat NER output of the mention workload (one entity a mention,
  with ids) and the gold relations with relations missed, of a wrong type, reversed and
  spurious, each end named by a predicted entity's id or, as LLMs do, by its text.
- ``numeric``: the same entities and about one numeric fact per two entities, the number
  written into the text ("$3.5 billion", "about 1,250 km", "12.5 percent", "75th"); the
  predictions carry value, unit and scale errors, missed and spurious facts, each fact
  given by its span or by its value string.
- ``llm``: entities, relations and numeric facts, predicted as an LLM answers: entities by
  name or by text mentions, relation ends as strings, facts as value strings; no offsets.

Sizes count gold mentions, as in `benchmarks.files`; relations and facts come on top.
"""

from __future__ import annotations

import json
import random
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from benchmarks.files import GOLD_TYPE, TITLE
from benchmarks.workload import Document, Rates, workload

KINDS = ("relations", "numeric", "llm")
# How predictions name a gold entity (given by its index among the gold spans): a predicted
# entity's id or name, or an inline text.
End = Callable[[int], str | dict[str, str]]
# The layers each kind annotates and predicts (entities always).
_LAYERS: dict[str, tuple[str, ...]] = {
    "relations": ("relations",),
    "numeric": ("numeric_facts",),
    "llm": ("relations", "numeric_facts"),
}


@dataclass(frozen=True)
class LayerRates:
    """Error rates of the predictions, per gold item (spurious: extra items per gold item).

    ``by_text`` is the share of relation ends and fact subjects named by text rather than
    by a predicted entity's id, and of facts given by their value string rather than their
    span (``numeric``); for ``llm``, the share of entities given by text mentions rather than
    by name. ``respelled`` (``llm``) is the share of strings written in capitals, which
    factgold finds after normalization; ``hallucinated`` (``llm``) adds named entities the
    text never mentions.
    """

    mentions: Rates = field(default_factory=Rates)
    relation_missed: float = 0.08
    relation_type: float = 0.07
    relation_reversed: float = 0.05
    relation_spurious: float = 0.05
    fact_missed: float = 0.08
    fact_value: float = 0.05
    fact_scale: float = 0.04
    fact_unit: float = 0.04
    fact_spurious: float = 0.05
    by_text: float = 0.3
    respelled: float = 0.05
    hallucinated: float = 0.02


# No errors at all: every prediction is the gold's, in whichever form the kind gives it (respelled
# strings are still found, so they stay).
NO_ERRORS = LayerRates(
    mentions=Rates(boundary=0.0, type=0.0, missed=0.0, spurious=0.0),
    relation_missed=0.0,
    relation_type=0.0,
    relation_reversed=0.0,
    relation_spurious=0.0,
    fact_missed=0.0,
    fact_value=0.0,
    fact_scale=0.0,
    fact_unit=0.0,
    fact_spurious=0.0,
    hallucinated=0.0,
)

RELATIONS_PER_ENTITY = 0.5
FACTS_PER_ENTITY = 0.5
APPROXIMATE = 0.1  # share of gold facts with a hedge word before them ("about $3.5 billion")
CURRENCIES = (("$", "USD"), ("$", "USD"), ("€", "EUR"), ("£", "GBP"))
UNITS = (("km", "km"), ("tonnes", "t"))
# A unit error: the same number with another unit.
OTHER_SYMBOL = {"$": "€", "€": "$", "£": "$", "km": "mi", "tonnes": "kg"}
OTHER_UNIT = {"$": "EUR", "€": "USD", "£": "USD", "km": "mi", "tonnes": "kg"}
SCALES = (("million", 1e6), ("billion", 1e9))
OTHER_SCALE = {"million": "billion", "billion": "million"}
HEDGES = ("about", "nearly", "around")
PROPERTY = {"money": "value", "quantity": "other", "percent": "share", "cardinal": "count", "ordinal": "round"}
HALLUCINATED_NAMES = ("Atlantis Trading Company", "Ministry of Imaginary Affairs", "Northern Elbonia")


@dataclass(frozen=True)
class Amount:
    """A number as the text writes it: a currency symbol before the digits, a scale word and a unit after."""

    digits: str  # "3.5", "1,250"
    scale: str = ""  # "million", "billion", or nothing
    currency: str = ""  # "$", "€", "£"
    unit: str = ""  # "km", "tonnes", "percent"
    ordinal: bool = False

    def __str__(self) -> str:
        if self.ordinal:
            return self.digits + _suffix(int(self.digits))
        return " ".join(part for part in (self.currency + self.digits, self.scale, self.unit) if part)

    @property
    def value(self) -> float:
        # Computed as factgold's parser computes it, so that the two floats are the same.
        return float(self.digits.replace(",", "")) * dict(SCALES).get(self.scale, 1.0)


@dataclass(frozen=True)
class Fact:
    """A gold numeric fact: the number at grid token ``token``, about gold entity ``subject``."""

    token: int
    amount: Amount
    kind: str
    unit: str | None
    hedge: str  # "" or a hedge word written before the number
    subject: int | None

    @property
    def written(self) -> str:
        """What the text says at the fact's token, hedge word included."""
        return f"{self.hedge} {self.amount}" if self.hedge else str(self.amount)


@dataclass(frozen=True)
class Relation:
    """A gold relation between two gold entities."""

    type: str
    head: int  # gold entity indices (the workload's gold spans)
    tail: int


@dataclass(frozen=True)
class Synthetic:
    """One document of a kind: the mention workload, its relations and facts, and its text."""

    id: str
    mentions: Document
    relations: tuple[Relation, ...]
    facts: tuple[Fact, ...]
    free: tuple[int, ...]  # grid tokens that nothing gold or predicted covers
    text: str
    starts: tuple[int, ...]  # character offset of each grid token
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets of the grid tokens [start, end)."""
        return self.starts[start], self.ends[end - 1]

    def mention_text(self, entity: int) -> str:
        start, end, _ = self.mentions.gold[entity]
        begin, finish = self.span(start, end)
        return self.text[begin:finish]

    def fact_span(self, fact: Fact) -> tuple[int, int]:
        """The number without its hedge word: the gold mention of the fact."""
        start, end = self.span(fact.token, fact.token + 1)
        return start + (len(fact.hedge) + 1 if fact.hedge else 0), end


def _suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


@cache
def _admissible() -> dict[tuple[str, str], tuple[str, ...]]:
    """The relation types the gold schema admits for each (head type, tail type) of the workload."""
    from factgold.read.schema import relation_arguments

    arguments = relation_arguments()
    types = sorted(set(GOLD_TYPE.values()))
    return {
        (head, tail): tuple(sorted(k for k, (heads, tails) in arguments.items() if head in heads and tail in tails))
        for head in types
        for tail in types
    }


@cache
def _symmetric() -> frozenset[str]:
    from factgold.read.schema import symmetric_relation_types

    return symmetric_relation_types()


def _relations(rng: random.Random, gold: Sequence[tuple[int, int, str]]) -> tuple[Relation, ...]:
    """About one relation per two entities, between entities close in the text, one per pair."""
    wanted = int(len(gold) * RELATIONS_PER_ENTITY)
    pairs: set[frozenset[int]] = set()
    relations: list[Relation] = []
    for _ in range(4 * wanted):
        if len(relations) == wanted or len(gold) < 2:
            break
        head = rng.randrange(len(gold))
        tail = head + rng.choice((-2, -1, 1, 2))
        if not 0 <= tail < len(gold) or frozenset((head, tail)) in pairs:
            continue
        kinds = _admissible()[(GOLD_TYPE[gold[head][2]], GOLD_TYPE[gold[tail][2]])]
        if not kinds:
            continue
        kind = rng.choice(kinds)
        if kind in _symmetric() and tail < head:
            head, tail = tail, head  # stored once, the entity mentioned first as head
        pairs.add(frozenset((head, tail)))
        relations.append(Relation(kind, head, tail))
    return tuple(relations)


def _amount(rng: random.Random, kind: str) -> tuple[Amount, str | None]:
    """A random number of the kind, as the text writes it, and its gold unit."""
    if kind == "money":
        symbol, code = rng.choice(CURRENCIES)
        digits = str(rng.randint(1, 999)) if rng.random() < 0.5 else f"{rng.randint(10, 999) / 10:.1f}"
        return Amount(digits, rng.choice(SCALES)[0], currency=symbol), code
    if kind == "quantity":
        word, symbol = rng.choice(UNITS)
        return Amount(f"{rng.randint(1, 9_999):,}", unit=word), symbol
    if kind == "percent":
        return Amount(f"{rng.randint(1, 999) / 10:g}", unit="percent"), None
    if kind == "cardinal":
        if rng.random() < 0.5:
            return Amount(str(rng.randint(2, 999)), rng.choice(SCALES)[0]), None
        return Amount(f"{rng.randint(2, 99_999):,}"), None
    return Amount(str(rng.randint(1, 150)), ordinal=True), None


def _facts(rng: random.Random, gold: Sequence[tuple[int, int, str]], free: list[int], count: int) -> tuple[Fact, ...]:
    """``count`` gold facts at free grid tokens; money and quantities measure the entity before them."""
    starts = [start for start, _, _ in gold]
    facts = []
    for token in sorted(rng.sample(free, min(count, len(free)))):
        kind = rng.choices(("money", "quantity", "percent", "cardinal", "ordinal"), (4, 2, 2, 1, 1))[0]
        amount, unit = _amount(rng, kind)
        hedge = rng.choice(HEDGES) if kind in ("money", "quantity", "cardinal") and rng.random() < APPROXIMATE else ""
        subject = None
        if kind in ("money", "quantity") and gold:
            subject = max(0, bisect_right(starts, token) - 1)
        facts.append(Fact(token, amount, kind, unit, hedge, subject))
    return tuple(facts)


def _layout(tokens: int, facts: Sequence[Fact]) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """The text (a title line, then one word a grid token, a number at a fact's token)."""
    written = {fact.token: fact.written for fact in facts}
    words = [written.get(index, f"w{index}") for index in range(tokens)]
    starts, ends = [], []
    offset = len(TITLE) + 1
    for word in words:
        starts.append(offset)
        ends.append(offset + len(word))
        offset += len(word) + 1
    return TITLE + "\n" + " ".join(words), tuple(starts), tuple(ends)


def synthetic(kind: str, mentions: int, per_document: int, *, seed: int = 0, rates: LayerRates) -> Iterator[Synthetic]:
    """The documents of a kind, with the mention workload's error rates ``rates.mentions``."""
    layers = _LAYERS[kind]
    for index, document in enumerate(workload(mentions, per_document, seed=seed, rates=rates.mentions)):
        rng = random.Random(seed * 1_000_003 + index)
        covered = {t for start, end, _ in (*document.gold, *document.predicted) for t in range(start, end)}
        free = [t for t in range(document.tokens) if t not in covered]
        relations = _relations(rng, document.gold) if "relations" in layers else ()
        facts: tuple[Fact, ...] = ()
        if "numeric_facts" in layers:
            facts = _facts(rng, document.gold, free, int(len(document.gold) * FACTS_PER_ENTITY))
            taken = {fact.token for fact in facts}
            free = [t for t in free if t not in taken]
        text, starts, ends = _layout(document.tokens, facts)
        yield Synthetic(f"doc{index:07d}", document, relations, facts, tuple(free), text, starts, ends)


# ---- gold ---------------------------------------------------------------------------------


def gold_document(doc: Synthetic) -> dict[str, Any]:
    entities = []
    for index, (start, end, label) in enumerate(doc.mentions.gold):
        begin, finish = doc.span(start, end)
        mention = {"start": begin, "end": finish, "text": doc.text[begin:finish], "kind": "name"}
        entities.append(
            {"id": f"E{index + 1}", "type": GOLD_TYPE[label], "name": mention["text"], "mentions": [mention]}
        )
    placed = []
    for relation in doc.relations:
        (head_start, head_end, _), (tail_start, tail_end, _) = (
            doc.mentions.gold[relation.head],
            doc.mentions.gold[relation.tail],
        )
        placed.append((doc.span(min(head_start, tail_start), max(head_end, tail_end)), relation))
    # Numbered in text order (guidelines section 8): by first evidence span, shorter first, then type and head.
    placed.sort(key=lambda item: (item[0], item[1].type, item[1].head))
    relations = [
        {
            "id": f"R{index + 1}",
            "type": relation.type,
            "head": f"E{relation.head + 1}",
            "tail": f"E{relation.tail + 1}",
            "evidence": [{"start": begin, "end": finish, "text": doc.text[begin:finish]}],
            "inferred": False,
        }
        for index, ((begin, finish), relation) in enumerate(placed)
    ]
    facts = []
    for index, fact in enumerate(doc.facts):
        begin, finish = doc.fact_span(fact)
        subject = None if fact.subject is None else f"E{fact.subject + 1}"
        facts.append(
            {
                "id": f"N{index + 1}",
                "mention": {"start": begin, "end": finish, "text": doc.text[begin:finish]},
                "kind": fact.kind,
                "value": fact.amount.value,
                "unit": fact.unit,
                "approximate": bool(fact.hedge),
                "subject": subject,
                "subject_text": doc.mention_text(fact.subject) if fact.subject is not None else PROPERTY[fact.kind],
                "property": PROPERTY[fact.kind],
                "time": None,
            }
        )
    return {
        "id": doc.id,
        "title": TITLE,
        "text": doc.text,
        "source": "synthetic",
        "language": "en",
        "entities": entities,
        "relations": relations,
        "numeric_facts": facts,
        "time_expressions": [],
    }


# ---- predictions --------------------------------------------------------------------------


def _other_digits(amount: Amount, rng: random.Random) -> Amount:
    """Another number of the same shape, off by less than ten times: a value error, not a scale error."""
    number, step = float(amount.digits.replace(",", "")), rng.randint(1, 9)
    if "." in amount.digits:
        digits = f"{number + step:.1f}"
    elif "," in amount.digits:
        digits = f"{int(number) + step:,}"
    else:
        digits = str(int(number) + step)
    return Amount(digits, amount.scale, amount.currency, amount.unit, amount.ordinal)


def _with_error(fact: Fact, rng: random.Random, rates: LayerRates) -> tuple[Amount, str | None] | None:
    """The number and unit predicted for a gold fact; None when it is missed.

    A scale error needs a scale word and a unit error a currency or a unit; where the fact
    has neither, the error drawn becomes a value error, so that the error rate holds.
    """
    amount, unit = fact.amount, fact.unit
    draw = rng.random()
    if draw < rates.fact_missed:
        return None
    draw -= rates.fact_missed
    if draw < rates.fact_value:
        return _other_digits(amount, rng), unit
    draw -= rates.fact_value
    if draw < rates.fact_scale:
        if not amount.scale:
            return _other_digits(amount, rng), unit
        return Amount(amount.digits, OTHER_SCALE[amount.scale], amount.currency, amount.unit), unit
    draw -= rates.fact_scale
    if draw < rates.fact_unit:
        if amount.currency:
            symbol = OTHER_SYMBOL[amount.currency]
            return Amount(amount.digits, amount.scale, symbol, amount.unit), OTHER_UNIT[amount.currency]
        if amount.unit in OTHER_SYMBOL:
            return Amount(amount.digits, amount.scale, unit=OTHER_SYMBOL[amount.unit]), OTHER_UNIT[amount.unit]
        return _other_digits(amount, rng), unit
    return amount, unit


def _predicted_relations(doc: Synthetic, rng: random.Random, rates: LayerRates, end: End) -> list[dict[str, Any]]:
    """The gold relations with errors; ``end`` names a gold entity as the predictions do."""
    from factgold.read.schema import relation_types

    gold = doc.mentions.gold
    predicted = []
    for relation in doc.relations:
        kind, head, tail = relation.type, relation.head, relation.tail
        draw = rng.random()
        if draw >= rates.relation_missed:
            draw -= rates.relation_missed
            if draw < rates.relation_type:
                # Another type the two entities admit, else any other type of the inventory.
                others = [k for k in _admissible()[(GOLD_TYPE[gold[head][2]], GOLD_TYPE[gold[tail][2]])] if k != kind]
                kind = rng.choice(others or [k for k in relation_types() if k != kind])
            elif draw - rates.relation_type < rates.relation_reversed:
                head, tail = tail, head  # still right for a symmetric type, as it should be
            predicted.append({"type": kind, "head": end(head), "tail": end(tail)})
        if rng.random() < rates.relation_spurious and len(gold) > 5:
            # Entities 3 to 5 apart: never a gold pair, which are at most 2 apart.
            first = rng.randrange(len(gold))
            second = first + rng.choice((-5, -4, -3, 3, 4, 5))
            if 0 <= second < len(gold):
                kinds = _admissible()[(GOLD_TYPE[gold[first][2]], GOLD_TYPE[gold[second][2]])]
                predicted.append({"type": rng.choice(kinds), "head": end(first), "tail": end(second)})
    return predicted


def _predicted_facts(
    doc: Synthetic, rng: random.Random, rates: LayerRates, end: End, *, spans: bool
) -> list[dict[str, Any]]:
    """The gold facts with errors, each by span or by value string (``spans`` False: always by string)."""
    predicted = []
    for fact in doc.facts:
        found = _with_error(fact, rng, rates)
        if found is not None:
            amount, unit = found
            subject = None if fact.subject is None else end(fact.subject)
            if spans and rng.random() >= rates.by_text:
                start, finish = doc.fact_span(fact)
                predicted.append(
                    {
                        "mention": {"start": start, "end": finish},
                        "value": amount.value,
                        "unit": unit,
                        "kind": fact.kind,
                        "approximate": bool(fact.hedge),
                        "subject": subject,
                    }
                )
            else:
                # The string as written, hedge word included: factgold reads value, unit and hedging from
                # it. The kind is stated, as the standard prompt asks: one implied by the string is not
                # a predicted kind.
                written = f"{fact.hedge} {amount}" if fact.hedge else str(amount)
                predicted.append({"value": written, "kind": fact.kind, "subject": subject})
        if rng.random() < rates.fact_spurious and doc.free:
            count = rng.randint(2, 99)
            if spans and rng.random() >= rates.by_text:
                # A number read where the text has none.
                token = rng.choice(doc.free)
                start, finish = doc.span(token, token + 1)
                predicted.append(
                    {"mention": {"start": start, "end": finish}, "value": float(count), "kind": "cardinal"}
                )
            else:
                predicted.append({"value": f"{count} million", "subject": None})  # a number the text never states
    return predicted


def _flat_entities(doc: Synthetic) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """The mention workload's predictions as flat NER output with ids, and the predicted entity of each gold one.

    A predicted span starts where its gold span starts, unless it is spurious; spurious spans
    never start where a gold span does.
    """
    entities = []
    by_start = {}
    for index, (start, end, label) in enumerate(doc.mentions.predicted):
        begin, finish = doc.span(start, end)
        entities.append(
            {"id": f"p{index + 1}", "type": GOLD_TYPE[label], "mentions": [{"start": begin, "end": finish}]}
        )
        by_start[start] = index
    of_gold = {g: by_start[start] for g, (start, _, _) in enumerate(doc.mentions.gold) if start in by_start}
    return entities, of_gold


def predicted_document(doc: Synthetic, kind: str, rates: LayerRates, *, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(f"{seed}/{doc.id}/predictions")
    layers = _LAYERS[kind]
    if kind == "llm":
        entities, names = _llm_entities(doc, rng, rates)

        def end(entity: int) -> str | dict[str, str]:
            # By name, as LLMs refer to what they listed; by text where the entity has no name or was not listed.
            return names.get(entity) or {"text": doc.mention_text(entity)}

    else:
        entities, of_gold = _flat_entities(doc)

        def end(entity: int) -> str | dict[str, str]:
            if entity in of_gold and rng.random() >= rates.by_text:
                return f"p{of_gold[entity] + 1}"
            return {"text": doc.mention_text(entity)}

    predicted: dict[str, Any] = {"id": doc.id, "entities": entities}
    if "relations" in layers:
        predicted["relations"] = _predicted_relations(doc, rng, rates, end)
    if "numeric_facts" in layers:
        predicted["numeric_facts"] = _predicted_facts(doc, rng, rates, end, spans=kind != "llm")
    return predicted


def _llm_entities(doc: Synthetic, rng: random.Random, rates: LayerRates) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """Entities by name or by text mentions, no offsets; the name each gold entity is given by, if any."""
    entities: list[dict[str, Any]] = []
    by_start: dict[int, str] = {}
    for start, end, label in doc.mentions.predicted:
        begin, finish = doc.span(start, end)
        text = doc.text[begin:finish]
        if rng.random() < rates.respelled:
            text = text.upper()  # found after normalization, not exactly
        if rng.random() < rates.by_text:
            entities.append({"type": GOLD_TYPE[label], "mentions": [{"text": text}]})
        else:
            entities.append({"name": text, "type": GOLD_TYPE[label]})
            by_start[start] = text
        if rng.random() < rates.hallucinated:
            entities.append({"name": rng.choice(HALLUCINATED_NAMES), "type": "ORG"})
    names = {g: by_start[start] for g, (start, _, _) in enumerate(doc.mentions.gold) if start in by_start}
    return entities, names


# ---- files --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    """The files of a workload and how many gold items they hold."""

    gold: Path
    predictions: Path
    mentions: int
    relations: int
    facts: int

    @property
    def items(self) -> int:
        return self.mentions + self.relations + self.facts


def write(
    folder: Path, kind: str, mentions: int, per_document: int, *, seed: int = 0, rates: LayerRates | None = None
) -> Written:
    """Write ``gold.jsonl`` and ``predictions.jsonl`` of the kind into ``folder``."""
    if kind not in KINDS:
        raise ValueError(f"unknown workload kind {kind!r} (one of {', '.join(KINDS)})")
    rates = rates or LayerRates()
    folder.mkdir(parents=True, exist_ok=True)
    gold_path, predictions_path = folder / "gold.jsonl", folder / "predictions.jsonl"
    counts = [0, 0, 0]
    with gold_path.open("w", encoding="utf-8") as gold, predictions_path.open("w", encoding="utf-8") as predicted:
        for doc in synthetic(kind, mentions, per_document, seed=seed, rates=rates):
            gold.write(json.dumps(gold_document(doc), ensure_ascii=False) + "\n")
            predicted.write(json.dumps(predicted_document(doc, kind, rates, seed=seed), ensure_ascii=False) + "\n")
            counts = [counts[0] + len(doc.mentions.gold), counts[1] + len(doc.relations), counts[2] + len(doc.facts)]
    return Written(gold_path, predictions_path, *counts)
