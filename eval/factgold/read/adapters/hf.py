"""Hugging Face ``pipeline("token-classification")`` output.

With an ``aggregation_strategy`` (simple, first, average, max) each item is a span:
``{"entity_group", "score", "word", "start", "end"}``. Without one (``"none"``) each item is
a token tagged ``B-X`` / ``I-X`` (``"entity"``); consecutive tokens of one entity are joined
into a span here, scored by the lowest token score. The pipeline drops the tokens tagged
``O``, so an ``I-`` tag continues an entity only from the token right before it: the next
``index`` (word pieces of one word, words of one name), or, for items without an index,
the next character or the one after a space. A ``B-`` tag, a change of type or a gap starts
a new entity, so a model that tags an entity's first token ``I-`` (IOB1) is read too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from factgold.errors import UsageError
from factgold.read.adapters import Conversion, Source, entity
from factgold.read.adapters.labels import LabelMap

Span = tuple[int, int, str, float | None]


def _lowest(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)


def spans(items: Sequence[dict[str, Any]]) -> list[Span]:
    """The entity spans of a pipeline's items (aggregated or token-level)."""
    found: list[Span] = []
    open_entity = False  # an I- tag continues an entity only right after one of its tokens
    previous: dict[str, Any] | None = None
    for item in items:
        if "entity_group" in item:
            found.append((item["start"], item["end"], item["entity_group"], item.get("score")))
            continue
        tag = item["entity"]
        if tag == "O":
            open_entity = False
            continue
        prefix, label = tag.split("-", 1) if tag[:2] in ("B-", "I-") else ("B", tag)
        if prefix == "I" and open_entity and found and found[-1][2] == label and _follows(previous, item):
            start, _, _, score = found[-1]
            found[-1] = (start, item["end"], label, _lowest(score, item.get("score")))
        else:
            found.append((item["start"], item["end"], label, item.get("score")))
        open_entity = True
        previous = item
    return found


def _follows(previous: dict[str, Any] | None, item: dict[str, Any]) -> bool:
    """Whether ``item`` is the token right after ``previous`` (no token dropped between them)."""
    if previous is None:
        return False
    if isinstance(previous.get("index"), int) and isinstance(item.get("index"), int):
        return bool(item["index"] == previous["index"] + 1)
    return bool(0 <= item["start"] - previous["end"] <= 1)


def convert(source: Source, labels: LabelMap) -> Conversion:
    """One prediction document from a pipeline's list for one text."""
    items = source.content
    shape_ok = isinstance(items, list) and all(
        isinstance(i, dict)
        and isinstance(i.get("start"), int)
        and isinstance(i.get("end"), int)
        and isinstance(i.get("entity", i.get("entity_group")), str)
        and i.get("entity", i.get("entity_group")) not in ("", "B-", "I-")
        for i in items
    )
    if not shape_ok:
        raise UsageError("hf: expected a JSON list of {entity_group or entity, start, end, ...} items")
    unmapped: set[str] = set()
    entities = [entity(labels(label, unmapped), start, end, score=score) for start, end, label, score in spans(items)]
    return Conversion(({"id": source.doc_id, "entities": entities},), tuple(sorted(unmapped)))
