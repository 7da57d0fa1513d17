"""BRAT standoff ``.ann`` files, read and written with every layer the format can hold.

Read (``convert --from brat``):

- ``T1<TAB>PER 0 8<TAB>Pakistan``: a text-bound annotation. A discontinuous one (``0 5;6 8``)
  is kept as its outer span, from its first start to its last end, and counted in the notes.
  A T line labelled with a numeric kind (``MONEY``, ``PERCENT``, ``QUANTITY``, ``CARDINAL``,
  ``ORDINAL``) is a numeric fact; any other label is an entity mention.
- ``*<TAB>Coref T1 T5``: an equivalence (BRAT's ``*``): the mentions are one entity
  (coreference). Without one, each T line is an entity of its own.
- ``R1<TAB>met_with Arg1:T1 Arg2:T2``: a relation between the entities of two mentions;
  ``subject`` from a numeric fact to a mention gives the fact's subject.
- ``A1<TAB>Kind T3 nominal`` (or ``M`` lines, BRAT's older spelling): a mention's kind; on a
  numeric fact, ``Value T7 64000000000``, ``Unit T7 USD``, ``Approximate T7`` and
  ``NoSubject T7`` (the fact is about no entity).
- ``#1<TAB>AnnotatorNotes T1<TAB>name: Pakistan``: an entity's canonical name; other notes
  are comments.
- ``E`` lines (events) hold nothing factgold scores: skipped and counted.

Written (``export --to brat``): the gold in exactly that form, so that reading the export
back gives the gold again on every layer (a test scores it 1.0 everywhere).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from factgold.errors import UsageError
from factgold.read.adapters import Conversion, Source
from factgold.read.adapters.labels import NUMERIC_LABELS, LabelMap
from factgold.read.document import Document

_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_RELATION = re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)\s*$")
_EQUIVALENCE = re.compile(r"^\*\t(\S+)((?: T\d+)+)\s*$")
_ATTRIBUTE = re.compile(r"^([AM]\d+)\t(\S+) (T\d+)(?: (\S+))?\s*$")
_NOTE = re.compile(r"^#\d+\tAnnotatorNotes (T\d+)\t(.*)$")
SUBJECT = "subject"  # the relation type that ties a numeric fact to the entity it is about
NAME_NOTE = "name: "


class _Parsed:
    """The annotations of one .ann text, by id."""

    def __init__(self, text: str, labels: LabelMap) -> None:
        self.spans: dict[str, tuple[int, int, str | None]] = {}  # T id -> start, end, label (None: dropped)
        self.order: list[str] = []
        self.equivalences: list[list[str]] = []
        self.relations: list[tuple[str, str, str]] = []
        self.attributes: dict[str, dict[str, str | None]] = {}
        self.names: dict[str, str] = {}
        self.notes: Counter[str] = Counter()
        self.unmapped: set[str] = set()
        for number, line in enumerate(text.splitlines(), start=1):
            self._line(number, line, labels)

    def _line(self, number: int, line: str, labels: LabelMap) -> None:
        if not line.strip():
            return
        if found := _TEXT_BOUND.match(line):
            offsets = [int(n) for n in re.split(r"[ ;]", found.group(3))]
            if any(a >= b for a, b in zip(offsets[::2], offsets[1::2], strict=True)):
                raise UsageError(f"brat: line {number}: a fragment's start is not before its end: {line[:60]!r}")
            if len(offsets) > 2:
                self.notes["discontinuous T annotations kept as their outer span"] += 1
            label = found.group(2)
            if label not in NUMERIC_LABELS:
                label = labels(label, self.unmapped)
            self.spans[found.group(1)] = (min(offsets), max(offsets), label)
            self.order.append(found.group(1))
        elif found := _RELATION.match(line):
            self.relations.append((found.group(2), found.group(3), found.group(4)))
        elif found := _EQUIVALENCE.match(line):
            self.equivalences.append(found.group(2).split())
        elif found := _ATTRIBUTE.match(line):
            self.attributes.setdefault(found.group(3), {})[found.group(2)] = found.group(4)
        elif found := _NOTE.match(line):
            if found.group(2).startswith(NAME_NOTE):
                self.names[found.group(1)] = found.group(2)[len(NAME_NOTE) :]
        elif line.startswith("E"):
            self.notes["E lines (events) skipped"] += 1
        elif line[0] != "#":
            raise UsageError(f"brat: line {number} is not a line of the standoff format: {line[:60]!r}")

    def check(self, reference: str, number_of: str) -> str:
        if reference not in self.spans:
            raise UsageError(f"brat: {number_of} refers to {reference}, which no T line defines")
        return reference


def convert(source: Source, labels: LabelMap) -> Conversion:
    if not isinstance(source.content, str):
        raise UsageError("brat: expected the text of a .ann file")
    parsed = _Parsed(source.content, labels)
    mentions = [t for t in parsed.order if parsed.spans[t][2] not in NUMERIC_LABELS]
    facts = [t for t in parsed.order if parsed.spans[t][2] in NUMERIC_LABELS]
    # Each mention's entity: the first mention of its equivalence class (union of the * lines).
    entity_of = {t: t for t in mentions}

    def root(t: str) -> str:
        while entity_of[t] != t:
            t = entity_of[t]
        return t

    for group in parsed.equivalences:
        members = [parsed.check(t, "an equivalence") for t in group]
        if any(parsed.spans[t][2] in NUMERIC_LABELS for t in members):
            raise UsageError("brat: an equivalence joins a numeric fact to mentions")
        first = min((root(t) for t in members), key=parsed.order.index)
        for t in members:
            entity_of[root(t)] = first
    members_of: dict[str, list[str]] = {}
    for t in mentions:
        members_of.setdefault(root(t), []).append(t)
    entities: list[dict[str, Any]] = []
    for first, members in members_of.items():
        entity: dict[str, Any] = {"id": first, "type": parsed.spans[first][2]}
        name = next((parsed.names[t] for t in members if t in parsed.names), None)
        if name:
            entity["name"] = name
        entity["mentions"] = []
        for t in members:
            start, end, _ = parsed.spans[t]
            kind = parsed.attributes.get(t, {}).get("Kind")
            entity["mentions"].append({"start": start, "end": end, **({"kind": kind} if kind else {})})
        entities.append(entity)
    relations: list[dict[str, Any]] = []
    subjects: dict[str, str] = {}
    for relation_type, head, tail in parsed.relations:
        head, tail = parsed.check(head, "a relation"), parsed.check(tail, "a relation")
        if relation_type == SUBJECT and head in facts:
            subjects[head] = root(tail)
        else:
            relations.append({"type": relation_type, "head": root(head), "tail": root(tail)})
    numeric_facts = [_fact(t, parsed, subjects) for t in facts]
    document = {"id": source.doc_id, "entities": entities, "relations": relations, "numeric_facts": numeric_facts}
    notes = tuple(f"brat: {what} ({count})" for what, count in sorted(parsed.notes.items()))
    return Conversion((document,), tuple(sorted(parsed.unmapped)), notes)


def _fact(t: str, parsed: _Parsed, subjects: dict[str, str]) -> dict[str, Any]:
    start, end, label = parsed.spans[t]
    attributes = parsed.attributes.get(t, {})
    value: float | None = None
    if attributes.get("Value") is not None:
        try:
            value = float(str(attributes["Value"]))
        except ValueError:
            raise UsageError(f"brat: the Value of {t} is not a number: {attributes['Value']!r}") from None
    fact: dict[str, Any] = {"mention": {"start": start, "end": end}, "kind": NUMERIC_LABELS[str(label)]}
    if value is not None:
        fact["value"] = value
    if attributes.get("Unit"):
        fact["unit"] = attributes["Unit"]
    if "Approximate" in attributes:
        fact["approximate"] = True
    if t in subjects:
        fact["subject"] = subjects[t]
    elif "NoSubject" in attributes:
        fact["subject"] = None
    return fact


def export(document: Document) -> str:
    """The gold document as BRAT standoff, every layer BRAT can hold (see the module's docs)."""
    spaced = sorted(
        {e.type for e in document.entities if e.type.split() != [e.type]}
        | {r.type for r in document.relations if r.type.split() != [r.type]}
    )
    if spaced:
        # A BRAT type is one token; rewriting it would not come back as the same type.
        raise UsageError(f"brat export: BRAT types hold no white space: {', '.join(map(repr, spaced))}")
    lines: list[str] = []
    first: dict[str, str] = {}
    attribute = 0
    number = 0
    for note, gold_entity in enumerate(document.entities, start=1):
        members = []
        for mention in gold_entity.mentions:
            number += 1
            t = f"T{number}"
            members.append(t)
            first.setdefault(gold_entity.id, t)
            lines.append(f"{t}\t{gold_entity.type} {mention.start} {mention.end}\t{mention.text}")
            if mention.kind != "name":
                attribute += 1
                lines.append(f"A{attribute}\tKind {t} {mention.kind}")
        lines.append(f"#{note}\tAnnotatorNotes {members[0]}\t{NAME_NOTE}{gold_entity.name}")
        if len(members) > 1:
            lines.append(f"*\tCoref {' '.join(members)}")
    kinds = {kind: label for label, kind in NUMERIC_LABELS.items()}
    for index, gold_relation in enumerate(document.relations, start=1):
        lines.append(
            f"R{index}\t{gold_relation.type} Arg1:{first[gold_relation.head]} Arg2:{first[gold_relation.tail]}"
        )
    relation = len(document.relations)  # subject relations are numbered after them
    for fact in document.numeric_facts:
        number += 1
        t = f"T{number}"
        lines.append(f"{t}\t{kinds[fact.kind]} {fact.mention.start} {fact.mention.end}\t{fact.mention.text}")
        attribute += 1
        lines.append(f"A{attribute}\tValue {t} {fact.value!r}")
        if fact.unit:
            attribute += 1
            lines.append(f"A{attribute}\tUnit {t} {fact.unit}")
        if fact.approximate:
            attribute += 1
            lines.append(f"A{attribute}\tApproximate {t}")
        if fact.subject:
            relation += 1
            lines.append(f"R{relation}\t{SUBJECT} Arg1:{t} Arg2:{first[fact.subject]}")
        else:
            attribute += 1
            lines.append(f"A{attribute}\tNoSubject {t}")
    return "\n".join(lines) + "\n"
