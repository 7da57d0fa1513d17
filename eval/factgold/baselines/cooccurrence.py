"""The relation floor: entities named in the same sentence are related.

For each pair of entities whose mentions share a sentence (the first in text order as the
head), the relation type is the first type of the inventory (`schema/document.schema.json`
order) whose argument types admit the pair; a pair no type admits gets no relation. Nothing
here looks at the gold: only the schema's argument table decides.
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import Any

from factgold.read.schema import relation_arguments, relation_types

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


def relations(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Co-occurrence relations between entities (dicts with ``id``, ``type`` and grounded mentions)."""
    arguments = relation_arguments()
    order = relation_types()
    found: set[tuple[str, str, str]] = set()
    result = []
    for sentence in _SENTENCE.finditer(text):
        inside = sorted(
            {
                (m["start"], entity["id"], entity["type"])
                for entity in entities
                for m in entity["mentions"]
                if sentence.start() <= m["start"] and m["end"] <= sentence.end()
            }
        )
        first_seen: dict[str, tuple[int, str]] = {}
        for start, entity_id, entity_type in inside:
            first_seen.setdefault(entity_id, (start, entity_type))
        ordered = sorted(first_seen.items(), key=lambda item: item[1][0])
        for (head, (_, head_type)), (tail, (_, tail_type)) in combinations(ordered, 2):
            kind = next((k for k in order if head_type in arguments[k][0] and tail_type in arguments[k][1]), None)
            if kind is not None and (kind, head, tail) not in found:
                found.add((kind, head, tail))
                result.append({"type": kind, "head": head, "tail": tail})
    return result
