"""BRAT standoff ``.ann`` files: T (text-bound) and R (relation) lines; and the gold written as one.

``T1<TAB>PER 0 8<TAB>Pakistan``: a text-bound annotation; a discontinuous one
(``0 5;6 8``) is taken from its first start to its last end. ``R1<TAB>met_with Arg1:T1
Arg2:T2``: a relation between two of them. Other lines (attributes, notes, events) carry no
entity or relation and are skipped; any other line is an error.
"""

from __future__ import annotations

import re
from typing import Any

from factgold.adapters import Conversion, Source, entity
from factgold.adapters.labels import LabelMap
from factgold.document import Document
from factgold.errors import UsageError

_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_RELATION = re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)\s*$")


def convert(source: Source, labels: LabelMap) -> Conversion:
    if not isinstance(source.content, str):
        raise UsageError("brat: expected the text of a .ann file")
    unmapped: set[str] = set()
    entities: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for number, line in enumerate(source.content.splitlines(), start=1):
        if not line.strip():
            continue
        if found := _TEXT_BOUND.match(line):
            offsets = [int(n) for n in re.split(r"[ ;]", found.group(3))]
            if any(a >= b for a, b in zip(offsets[::2], offsets[1::2], strict=True)):
                raise UsageError(f"brat: line {number}: a fragment's start is not before its end: {line[:60]!r}")
            entities.append(
                {"id": found.group(1), **entity(labels(found.group(2), unmapped), min(offsets), max(offsets))}
            )
        elif found := _RELATION.match(line):
            relations.append({"type": found.group(2), "head": found.group(3), "tail": found.group(4)})
        elif line[0] in "TR" or line[0] not in "EAMN#*":
            raise UsageError(f"brat: line {number} is not a T or R line of the standoff format: {line[:60]!r}")
    document = {"id": source.doc_id, "entities": entities, "relations": relations}
    return Conversion((document,), tuple(sorted(unmapped)))


def export(document: Document) -> str:
    """The gold document as BRAT standoff: every mention a T line, every relation an R line.

    A relation points at the first mention of its head and of its tail.
    """
    lines: list[str] = []
    first: dict[str, str] = {}
    number = 0
    for gold_entity in document.entities:
        for mention in gold_entity.mentions:
            number += 1
            first.setdefault(gold_entity.id, f"T{number}")
            lines.append(f"T{number}\t{gold_entity.type} {mention.start} {mention.end}\t{mention.text}")
    for index, relation in enumerate(document.relations, start=1):
        lines.append(f"R{index}\t{relation.type} Arg1:{first[relation.head]} Arg2:{first[relation.tail]}")
    return "\n".join(lines) + "\n"
