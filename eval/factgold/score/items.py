"""Error items: every gold and predicted item lands in one category, with its spans and text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import msgspec


class ItemRef(msgspec.Struct, frozen=True, gc=False):
    """What the report shows of one gold or predicted item.

    The items are msgspec structs, not dataclasses: a report builds an item for every gold
    and predicted item of every view, and writes each. A struct is built in C (about a
    sixth of the time of a slotted frozen dataclass's ``__init__``) and msgspec writes it as
    JSON without a dict (about a quarter of the time of the dict and orjson), measured on
    63,000 items. Frozen, compared and hashed by their fields, as the dataclasses were;
    ``gc=False`` because they hold only strings, numbers and other items, so no cycle.
    """

    start: int | None
    end: int | None
    text: str | None
    label: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "label": self.label}


class ErrorItem(msgspec.Struct, frozen=True, gc=False):
    """One scored item: its task, category, document, and the gold and predicted sides.

    Written as JSON by `factgold.present.render.report_json` from its fields, in this order:
    the same object as `to_dict`. A struct, not a dataclass: `to_dict` gives its JSON
    object, and ``msgspec.structs.replace`` a copy with some fields changed.
    """

    task: str
    category: str
    document: str
    gold: ItemRef | None
    predicted: ItemRef | None
    detail: str = ""
    score: float | None = None  # the extractor's confidence in the predicted item, if it gave one
    # How the predicted side was found in the text when it came as a string: "exact",
    # "normalized" or "fuzzy" (`factgold.grounding`); None when it came with offsets or was
    # not found. A fuzzy match is where leniency applied, so reports show it.
    grounded_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        # The sides written out (no call to `ItemRef.to_dict`): a report holds every item.
        gold, predicted = self.gold, self.predicted
        return {
            "task": self.task,
            "category": self.category,
            "document": self.document,
            "gold": None
            if gold is None
            else {"start": gold.start, "end": gold.end, "text": gold.text, "label": gold.label},
            "predicted": None
            if predicted is None
            else {"start": predicted.start, "end": predicted.end, "text": predicted.text, "label": predicted.label},
            "detail": self.detail,
            "score": self.score,
            "grounded_by": self.grounded_by,
        }

    def sort_key(self) -> tuple[Any, ...]:
        """A total order from the item's fields (no repr: a report can hold a million items)."""
        # Written out (no helper calls): a report sorts every item by it.
        gold, predicted = self.gold, self.predicted
        first = gold or predicted
        return (
            self.document,
            self.task,
            first.start if first and first.start is not None else -1,
            self.category,
            (0,)
            if gold is None
            else (
                1,
                -1 if gold.start is None else gold.start,
                -1 if gold.end is None else gold.end,
                gold.text or "",
                gold.label or "",
            ),
            (0,)
            if predicted is None
            else (
                1,
                -1 if predicted.start is None else predicted.start,
                -1 if predicted.end is None else predicted.end,
                predicted.text or "",
                predicted.label or "",
            ),
            self.detail,
            (self.score is not None, self.score or 0.0),
            self.grounded_by or "",
        )


# An item as plain values, to send between processes: a tuple of strings and numbers pickles
# about three times as fast as the struct (0.10 against 0.34 s for 63,000 items, measured;
# read back, with the structs built again, 0.08 s either way), and a process that scores
# documents sends every item of them.
ItemRow = tuple[
    str,
    str,
    str,
    "tuple[int | None, int | None, str | None, str | None] | None",
    "tuple[int | None, int | None, str | None, str | None] | None",
    str,
    "float | None",
    "str | None",
]


def item_rows(items: Sequence[ErrorItem]) -> list[ItemRow]:
    """The items as tuples of their values (`items_of_rows` builds them back)."""
    rows: list[ItemRow] = []
    for item in items:
        gold, predicted = item.gold, item.predicted
        rows.append(
            (
                item.task,
                item.category,
                item.document,
                None if gold is None else (gold.start, gold.end, gold.text, gold.label),
                None if predicted is None else (predicted.start, predicted.end, predicted.text, predicted.label),
                item.detail,
                item.score,
                item.grounded_by,
            )
        )
    return rows


def items_of_rows(rows: Sequence[ItemRow]) -> tuple[ErrorItem, ...]:
    """The items that `item_rows` gave ``rows`` of, equal to them."""
    return tuple(
        [
            ErrorItem(
                task,
                category,
                document,
                None if gold is None else ItemRef(*gold),
                None if predicted is None else ItemRef(*predicted),
                detail,
                score,
                grounded_by,
            )
            for task, category, document, gold, predicted, detail, score, grounded_by in rows
        ]
    )


# With errors="sample", a report lists the first items of each task and category, in report order.
ERROR_SAMPLE = 20


def kept_errors(errors: Sequence[ErrorItem], detail: str) -> tuple[ErrorItem, ...]:
    """The items a report keeps (`EvalConfig.errors`): all, the first `ERROR_SAMPLE` of each
    task and category in report order, or none. Dropped as each document is scored, so that
    a run over a million mentions holds counts, not items."""
    if detail == "all":
        return tuple(errors)
    if detail == "none":
        return ()
    taken: Counter[tuple[str, str]] = Counter()
    kept = []
    for item in sorted(errors, key=ErrorItem.sort_key):
        if taken[item.task, item.category] < ERROR_SAMPLE:
            taken[item.task, item.category] += 1
            kept.append(item)
    return tuple(kept)
