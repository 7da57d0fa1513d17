"""Reading an extractor's predictions into typed records, checked against the gold.

A predictions file is JSON Lines (one document a line) or a JSON array of documents; ``-``
reads standard input. Every problem is collected and reported with file, line and JSON
path; predictions with any problem are never scored.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factgold.errors import PredictionsFileError, Problem, json_path
from factgold.read.document import Document
from factgold.read.jsonl import DEFAULT_MAX_LINE, JsonLine, read_json_lines, repeated_document_ids
from factgold.read.offsets import mismatch_message, out_of_range_message
from factgold.read.schema import validator

PREDICTIONS_SCHEMA = "predictions.schema.json"


@dataclass(frozen=True, order=True)
class PredictedSpan:
    """A predicted stretch of text, ``[start, end)``."""

    start: int
    end: int


@dataclass(frozen=True, order=True)
class PredictedText:
    """An ungrounded string: factgold finds where the document says it (`factgold.ground.text`)."""

    text: str


# Where a prediction points in the text: offsets, or a string to ground.
Anchor = PredictedSpan | PredictedText


@dataclass(frozen=True)
class PredictedMention:
    """A predicted mention; ``kind`` None means a name (what NER tools predict)."""

    anchor: Anchor
    kind: str | None = None
    score: float | None = None
    grounded_by: str | None = None  # set when a text-only mention is grounded: exact, normalized or fuzzy

    @property
    def is_name(self) -> bool:
        return self.kind in (None, "name")

    @property
    def span(self) -> PredictedSpan:
        """The mention's span; only for grounded mentions (after `factgold.ground.text`)."""
        if not isinstance(self.anchor, PredictedSpan):
            raise TypeError(f"mention {self.anchor.text!r} has not been grounded")
        return self.anchor


@dataclass(frozen=True)
class PredictedEntity:
    """A predicted entity (a cluster of mentions) with its type; without mentions, known by name."""

    index: int
    id: str | None
    type: str
    mentions: tuple[PredictedMention, ...]
    name: str | None = None
    score: float | None = None


@dataclass(frozen=True, order=True)
class EntityRef:
    """A reference to a predicted entity of the same document, by its position in the input."""

    index: int


# A relation endpoint or a fact subject: a predicted entity, or an inline anchor.
Endpoint = EntityRef | PredictedSpan | PredictedText


@dataclass(frozen=True)
class PredictedRelation:
    """A predicted relation; ``index`` is its position in the input (for messages only)."""

    index: int
    type: str
    head: Endpoint
    tail: Endpoint
    score: float | None = None


@dataclass(frozen=True)
class PredictedFact:
    """A predicted numeric fact.

    ``anchor`` None: aligned to the gold by value. ``value`` None with ``value_text``: a
    string value that could not be parsed as a number (scored as such, never dropped).
    """

    index: int
    anchor: Anchor | None
    value: float | None
    unit: str | None
    kind: str | None
    approximate: bool
    subject: Endpoint | None
    score: float | None = None
    value_text: str | None = None
    # ``"subject": null`` written out says the subject is no entity (as the gold says of a
    # count of "two countries"); a fact without the key says nothing of its subject.
    states_no_subject: bool = False
    # The kind a value string implies ("money" for "$64 billion"), apart from ``kind``: an
    # extractor that states no kind predicts none (coverage, not a disagreement), so this
    # only helps to tell gold facts apart in alignment and is never scored as its kind.
    implied_kind: str | None = None
    # "lower", "upper" or None (no bound); an absent bound is no bound, as an absent
    # approximate flag is not approximate.
    bound: str | None = None

    @property
    def span(self) -> PredictedSpan | None:
        return self.anchor if isinstance(self.anchor, PredictedSpan) else None


@dataclass(frozen=True)
class PredictedDocument:
    """One document's predictions; a layer that is None was not predicted (not scored)."""

    id: str
    entities: tuple[PredictedEntity, ...] | None
    relations: tuple[PredictedRelation, ...] | None
    numeric_facts: tuple[PredictedFact, ...] | None

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> PredictedDocument:
        """Typed records of a predictions object that has passed `check_predictions_document`."""
        entities = relations = facts = None
        if "entities" in obj:
            entities = tuple([_entity(index, entity) for index, entity in enumerate(obj["entities"])])
        # An entity is referred to by its id or, failing that, by its name (what LLMs write).
        names = {e.name: e.index for e in entities or () if e.name is not None}
        names |= {e.id: e.index for e in entities or () if e.id is not None}
        if "relations" in obj:
            relations = tuple(
                PredictedRelation(
                    index, r["type"], _endpoint(r["head"], names), _endpoint(r["tail"], names), r.get("score")
                )
                for index, r in enumerate(obj["relations"])
            )
        if "numeric_facts" in obj:
            facts = tuple(_fact(index, f, names) for index, f in enumerate(obj["numeric_facts"]))
        return cls(obj["id"], entities, relations, facts)


def _anchor(obj: Mapping[str, Any]) -> Anchor:
    return PredictedSpan(obj["start"], obj["end"]) if "start" in obj else PredictedText(obj["text"])


def _entity(index: int, obj: Mapping[str, Any]) -> PredictedEntity:
    mentions = tuple([PredictedMention(_anchor(m), m.get("kind"), m.get("score")) for m in obj.get("mentions", ())])
    return PredictedEntity(index, obj.get("id"), obj["type"], mentions, obj.get("name"), obj.get("score"))


def _endpoint(obj: Any, names: Mapping[str, int]) -> Endpoint:
    return EntityRef(names[obj]) if isinstance(obj, str) else _anchor(obj)


def _fact(index: int, obj: Mapping[str, Any], names: Mapping[str, int]) -> PredictedFact:
    value: float | None
    value_text = None
    implied_kind: str | None = None
    unit, kind, approximate, bound = obj.get("unit"), obj.get("kind"), obj.get("approximate"), obj.get("bound")
    if isinstance(obj["value"], str):
        from factgold.ground.numbers import parse_number

        value_text = obj["value"]
        parsed = parse_number(value_text)
        value = parsed.value if parsed else None
        if parsed is not None:
            # What the extractor states explicitly wins over what its string implies. An
            # absent unit or approximate flag is a statement (no unit, not approximate), so
            # the string's fills it in; an absent kind is not predicted, so the string's is
            # kept apart rather than counted as the extractor's.
            unit = unit if "unit" in obj else parsed.unit
            implied_kind = parsed.kind
            approximate = approximate if approximate is not None else parsed.approximate
            bound = bound if "bound" in obj else parsed.bound
    else:
        value = float(obj["value"])
    subject = _endpoint(obj["subject"], names) if obj.get("subject") is not None else None
    anchor = _anchor(obj["mention"]) if "mention" in obj else None
    states_no_subject = "subject" in obj and obj["subject"] is None
    return PredictedFact(
        index,
        anchor,
        value,
        unit,
        kind,
        bool(approximate),
        subject,
        obj.get("score"),
        value_text,
        states_no_subject,
        implied_kind,
        bound,
    )


def _is_mapping(value: Any) -> bool:
    # A parsed JSON object is a dict, checked first: the Mapping check costs an ABC lookup.
    return isinstance(value, (dict, Mapping))


def _mappings_in(container: Mapping[str, Any], key: str) -> list[tuple[int, Mapping[str, Any]]]:
    """The objects of the list ``container[key]`` with their indices (none when it is no list)."""
    value = container.get(key)
    if isinstance(value, list):
        return [(i, item) for i, item in enumerate(value) if _is_mapping(item)]
    return []


def _spans(obj: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], Mapping[str, Any]]]:
    """Every grounded span object of a predictions document with its path: the entities'
    mentions, then each relation's head, tail and evidence, then each fact's mention and subject."""
    found: list[tuple[tuple[str | int, ...], Any]] = []
    for e, entity in _mappings_in(obj, "entities"):
        found += [(("entities", e, "mentions", m), mention) for m, mention in _mappings_in(entity, "mentions")]
    for r, relation in _mappings_in(obj, "relations"):
        found += [(("relations", r, end), relation.get(end)) for end in ("head", "tail")]
        found += [(("relations", r, "evidence", s), span) for s, span in _mappings_in(relation, "evidence")]
    for f, fact in _mappings_in(obj, "numeric_facts"):
        found += [(("numeric_facts", f, key), fact.get(key)) for key in ("mention", "subject")]
    return [(path, candidate) for path, candidate in found if _is_mapping(candidate) and "start" in candidate]


# What a value that fits none of a schema's alternatives should have looked like.
_SHAPES = {
    "mention": "a mention is {start, end} (optionally with text) or {text} alone",
    "entity": "an entity needs a type and either mentions or a name",
    "endpoint": 'expected an entity id or name, a span {"start": .., "end": ..} or a text {"text": ..}',
    "numeric_mention": 'a fact\'s mention is {"start": .., "end": ..} or {"text": ..}',
}


def _message(error: Any) -> str:
    """The schema error's message, made specific where the schema offers alternatives."""
    if error.validator not in ("anyOf", "oneOf"):
        return str(error.message)
    path = [p for p in error.absolute_path if isinstance(p, str)]
    shape = {
        "mentions": "mention",
        "head": "endpoint",
        "tail": "endpoint",
        "subject": "endpoint",
        "mention": "numeric_mention",
    }
    expected = _SHAPES.get(shape.get(path[-1], "entity") if path else "entity", "")
    from jsonschema.exceptions import best_match

    detail = best_match(error.context)
    return f"{expected}: {detail.message}" if detail is not None else expected


def check_predictions_document(
    obj: Any, gold: Mapping[str, Document], *, file: str, line: int, gold_ids: Collection[str] = ()
) -> list[Problem]:
    """Every problem of one predictions object (schema, document id, offsets, references)."""
    problems: list[Problem] = []

    def report(path: Sequence[str | int], message: str) -> None:
        problems.append(Problem(file, line, json_path(path), message))

    for error in validator(PREDICTIONS_SCHEMA).iter_errors(obj):
        report(tuple(error.absolute_path), _message(error))
    spans = _spans(obj) if _is_mapping(obj) else []
    for path, span in spans:
        for key in ("start", "end"):
            if isinstance(span.get(key), float):
                # JSON Schema counts 0.0 as an integer; an offset written so is a bug upstream.
                report((*path, key), f"{key} {span[key]!r} is not a whole number; offsets are integers")
    if problems or not isinstance(obj, Mapping):
        return problems

    doc = gold.get(obj["id"])
    if doc is None:
        original, _, suffix = str(obj["id"]).rpartition(".")
        hint = ""
        if (original in gold or original in gold_ids) and suffix.startswith("cf"):
            # The bundled variants' ids: the user scores them without the gold that holds them.
            hint = " (a counterfactual variant of a gold document: add --variants, or give a gold file that holds it)"
        report(("id",), f"document {obj['id']!r} is not in the gold{hint}")
        return problems
    if "text" in obj and obj["text"] != doc.text:
        report(("text",), f"text differs from the gold text of document {doc.id!r}")
    for path, span in spans:
        start, end = span["start"], span["end"]
        if end > len(doc.text):
            report((*path, "end"), out_of_range_message(doc.text, end))
        elif start >= end:
            report((*path, "start"), f"start {start} is not before end {end}")
        elif "text" in span and doc.text[start:end] != span["text"]:
            report((*path, "text"), mismatch_message(doc.text, start, end, span["text"]))
    ids: dict[str, int] = {}
    names: dict[str, int] = {}
    for index, entity in enumerate(obj.get("entities") or []):
        if "id" in entity:
            if entity["id"] in ids:
                report(
                    ("entities", index, "id"),
                    f"duplicate entity id {entity['id']!r} (first at entities[{ids[entity['id']]}])",
                )
            ids.setdefault(entity["id"], index)
        if "name" in entity:
            names[entity["name"]] = names.get(entity["name"], 0) + 1
    references = [
        (("relations", i, end), r[end]) for i, r in enumerate(obj.get("relations", [])) for end in ("head", "tail")
    ]
    references += [
        (("numeric_facts", i, "subject"), f.get("subject")) for i, f in enumerate(obj.get("numeric_facts", []))
    ]
    for path, reference in references:
        if not isinstance(reference, str) or reference in ids:
            continue  # an id wins over a name
        if reference not in names:
            report(
                path,
                f"{path[-1]} {reference!r} is not the id or name of an entity of this document "
                '(an inline string to find in the text is written {"text": ...})',
            )
        elif names[reference] > 1:
            report(path, f"{path[-1]} {reference!r} names {names[reference]} entities; refer to one by its id")
    return problems


def missing_documents(missing: Sequence[str], file: str, line: int) -> Problem:
    """The problem of a predictions file that lacks some gold documents (reported on its last line)."""
    listed = ", ".join(repr(m) for m in missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    advice = 'add {"id": ...} with empty lists for a document with nothing predicted'
    return Problem(file, line, "$", f"no predictions for gold document {listed}; {advice}")


def load_predictions(
    path: Path | str, gold: Sequence[Document], *, display_name: str | None = None, max_line: int = DEFAULT_MAX_LINE
) -> list[PredictedDocument]:
    """Read and check a predictions file against the gold; raise `PredictionsFileError` with every problem.

    Every gold document must have predictions, and no document may appear twice.
    """
    name = display_name or ("<stdin>" if str(path) == "-" else str(path))
    records, problems = read_json_lines(Path(path), name, allow_array=True, max_line=max_line)
    return _check_records(records, problems, gold, name)


def predictions_from_objects(
    objects: Sequence[Any], gold: Sequence[Document], *, name: str = "<predictions>"
) -> list[PredictedDocument]:
    """Check in-memory prediction objects (for the Python API); the n-th object is 'line' n."""
    records = [JsonLine(index + 1, obj) for index, obj in enumerate(objects)]
    return _check_records(records, [], gold, name)


def _check_records(
    records: list[JsonLine], problems: list[Problem], gold: Sequence[Document], name: str
) -> list[PredictedDocument]:
    by_id = {doc.id: doc for doc in gold}
    problems = problems + repeated_document_ids(records, name)
    seen = {
        record.value["id"]
        for record in records
        if isinstance(record.value, dict) and isinstance(record.value.get("id"), str)
    }
    documents: list[PredictedDocument] = []
    for record in records:
        found = check_predictions_document(record.value, by_id, file=name, line=record.line)
        problems.extend(found)
        if not found:
            documents.append(PredictedDocument.from_json(record.value))
    missing = [doc.id for doc in gold if doc.id not in seen]
    if missing and not problems:
        problems.append(missing_documents(missing, name, records[-1].line if records else 1))
    if problems:
        raise PredictionsFileError(problems)
    return documents
