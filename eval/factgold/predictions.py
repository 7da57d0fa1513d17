"""Reading an extractor's predictions into typed records, checked against the gold.

A predictions file is JSON Lines (one document a line) or a JSON array of documents; ``-``
reads standard input. Every problem is collected and reported with file, line and JSON
path; predictions with any problem are never scored.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from factgold.document import Document
from factgold.errors import PredictionsFileError, Problem, json_path
from factgold.jsonl import JsonLine, read_json_lines
from factgold.schema import load_schema

PREDICTIONS_SCHEMA = "predictions.schema.json"
UNGROUNDED = (
    "is ungrounded (text without start and end offsets); this version scores grounded predictions only: "
    "give the character offsets of the text in the document"
)


@dataclass(frozen=True, order=True)
class PredictedSpan:
    """A predicted stretch of text, ``[start, end)``."""

    start: int
    end: int


@dataclass(frozen=True)
class PredictedMention:
    """A predicted mention; ``kind`` None means a name (what NER tools predict)."""

    span: PredictedSpan
    kind: str | None = None
    score: float | None = None

    @property
    def is_name(self) -> bool:
        return self.kind in (None, "name")


@dataclass(frozen=True)
class PredictedEntity:
    """A predicted entity (a cluster of mentions) with its type."""

    index: int
    id: str | None
    type: str
    mentions: tuple[PredictedMention, ...]
    score: float | None = None


# A relation endpoint or a fact subject: a predicted entity's id, or an inline span.
Endpoint = str | PredictedSpan


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
    """A predicted numeric fact; ``span`` None means it is aligned to the gold by value."""

    index: int
    span: PredictedSpan | None
    value: float
    unit: str | None
    kind: str | None
    approximate: bool
    subject: Endpoint | None
    score: float | None = None


@dataclass(frozen=True)
class PredictedDocument:
    """One document's predictions; a layer that is None was not predicted (not scored)."""

    id: str
    entities: tuple[PredictedEntity, ...] | None
    relations: tuple[PredictedRelation, ...] | None
    numeric_facts: tuple[PredictedFact, ...] | None

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> PredictedDocument:
        """Typed records of a predictions object that has passed `check_predictions`."""
        entities = relations = facts = None
        if "entities" in obj:
            entities = tuple(
                PredictedEntity(
                    index,
                    entity.get("id"),
                    entity["type"],
                    tuple(
                        PredictedMention(PredictedSpan(m["start"], m["end"]), m.get("kind"), m.get("score"))
                        for m in entity.get("mentions", ())
                    ),
                    entity.get("score"),
                )
                for index, entity in enumerate(obj["entities"])
            )
        if "relations" in obj:
            relations = tuple(
                PredictedRelation(index, r["type"], _endpoint(r["head"]), _endpoint(r["tail"]), r.get("score"))
                for index, r in enumerate(obj["relations"])
            )
        if "numeric_facts" in obj:
            facts = tuple(
                PredictedFact(
                    index,
                    _span(f["mention"]) if "mention" in f else None,
                    float(f["value"]),
                    f.get("unit"),
                    f.get("kind"),
                    bool(f.get("approximate", False)),
                    _endpoint(f["subject"]) if f.get("subject") is not None else None,
                    f.get("score"),
                )
                for index, f in enumerate(obj["numeric_facts"])
            )
        return cls(obj["id"], entities, relations, facts)


def _span(obj: Mapping[str, Any]) -> PredictedSpan:
    return PredictedSpan(obj["start"], obj["end"])


def _endpoint(obj: Any) -> Endpoint:
    return obj if isinstance(obj, str) else _span(obj)


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema(PREDICTIONS_SCHEMA))


def _spans(obj: Mapping[str, Any]) -> Iterator[tuple[tuple[str | int, ...], Mapping[str, Any]]]:
    """Every span-like object of a predictions document with its path."""

    def items(container: Any, key: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
        value = container.get(key) if isinstance(container, Mapping) else None
        if isinstance(value, list):
            yield from ((i, item) for i, item in enumerate(value) if isinstance(item, Mapping))

    for e, entity in items(obj, "entities"):
        for m, mention in items(entity, "mentions"):
            yield ("entities", e, "mentions", m), mention
    for r, relation in items(obj, "relations"):
        for end in ("head", "tail"):
            if isinstance(relation.get(end), Mapping):
                yield ("relations", r, end), relation[end]
        for s, span in items(relation, "evidence"):
            yield ("relations", r, "evidence", s), span
    for f, fact in items(obj, "numeric_facts"):
        for key in ("mention", "subject"):
            if isinstance(fact.get(key), Mapping):
                yield ("numeric_facts", f, key), fact[key]


def check_predictions_document(obj: Any, gold: Mapping[str, Document], *, file: str, line: int) -> list[Problem]:
    """Every problem of one predictions object (schema, document id, offsets, references)."""
    problems: list[Problem] = []

    def report(path: Sequence[str | int], message: str) -> None:
        problems.append(Problem(file, line, json_path(path), message))

    ungrounded_paths = set()
    if isinstance(obj, Mapping):
        for path, span in _spans(obj):
            if "start" not in span and "end" not in span and "text" in span:
                ungrounded_paths.add(path)
                report(path, f"{'mention' if 'mentions' in path else 'span'} {span['text']!r} {UNGROUNDED}")
        for index, entity in enumerate(obj.get("entities") or []):
            if isinstance(entity, Mapping) and not entity.get("mentions"):
                what = f"entity {entity['name']!r}" if isinstance(entity.get("name"), str) else "entity"
                report(("entities", index), f"{what} has no mentions: {UNGROUNDED}")
    for error in _validator().iter_errors(obj):
        path = tuple(error.absolute_path)
        if any(path[: len(p)] == p for p in ungrounded_paths):
            continue  # already explained as ungrounded
        report(path, error.message)
    if problems or not isinstance(obj, Mapping):
        return problems

    doc = gold.get(obj["id"])
    if doc is None:
        report(("id",), f"document {obj['id']!r} is not in the gold")
        return problems
    if "text" in obj and obj["text"] != doc.text:
        report(("text",), f"text differs from the gold text of document {doc.id!r}")
    for path, span in _spans(obj):
        start, end = span["start"], span["end"]
        if end > len(doc.text):
            report((*path, "end"), f"end {end} is past the end of the text ({len(doc.text)} characters)")
        elif start >= end:
            report((*path, "start"), f"start {start} is not before end {end}")
        elif "text" in span and doc.text[start:end] != span["text"]:
            report((*path, "text"), f"text {span['text']!r} does not equal text[{start}:{end}] {doc.text[start:end]!r}")
    ids: dict[str, int] = {}
    for index, entity in enumerate(obj.get("entities", [])):
        if "id" in entity:
            if entity["id"] in ids:
                report(
                    ("entities", index, "id"),
                    f"duplicate entity id {entity['id']!r} (first at entities[{ids[entity['id']]}])",
                )
            ids.setdefault(entity["id"], index)
    for index, relation in enumerate(obj.get("relations", [])):
        for end in ("head", "tail"):
            if isinstance(relation[end], str) and relation[end] not in ids:
                report(
                    ("relations", index, end), f"{end} {relation[end]!r} is not the id of an entity of this document"
                )
    for index, fact in enumerate(obj.get("numeric_facts", [])):
        if isinstance(fact.get("subject"), str) and fact["subject"] not in ids:
            report(
                ("numeric_facts", index, "subject"),
                f"subject {fact['subject']!r} is not the id of an entity of this document",
            )
    return problems


def load_predictions(
    path: Path | str, gold: Sequence[Document], *, display_name: str | None = None
) -> list[PredictedDocument]:
    """Read and check a predictions file against the gold; raise `PredictionsFileError` with every problem.

    Every gold document must have predictions, and no document may appear twice.
    """
    name = display_name or ("<stdin>" if str(path) == "-" else str(path))
    records, problems = read_json_lines(Path(path), name, allow_array=True)
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
    seen: dict[str, int] = {}
    documents: list[PredictedDocument] = []
    for record in records:
        found = check_predictions_document(record.value, by_id, file=name, line=record.line)
        problems.extend(found)
        if isinstance(record.value, Mapping) and isinstance(record.value.get("id"), str):
            doc_id = record.value["id"]
            if doc_id in seen:
                problems.append(
                    Problem(
                        name, record.line, "$.id", f"document {doc_id!r} appears twice (first on line {seen[doc_id]})"
                    )
                )
            seen.setdefault(doc_id, record.line)
        if not found:
            documents.append(PredictedDocument.from_json(record.value))
    if records and not problems:
        missing = [doc.id for doc in gold if doc.id not in seen]
        if missing:
            last = records[-1].line
            listed = ", ".join(repr(m) for m in missing[:5]) + (
                f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            )
            problems.append(
                Problem(
                    name,
                    last,
                    "$",
                    f"no predictions for gold document {listed}; "
                    'add {"id": ...} with empty lists for a document with nothing predicted',
                )
            )
    if problems:
        raise PredictionsFileError(problems)
    return documents
