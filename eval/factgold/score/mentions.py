"""The NER view: mentions scored by the four SemEval-2013 Task 9.1 schemes.

Definitions (Segura-Bedmar, Martínez and Herrero-Zazo, 2013, section 4; the same as
nervaluate's): a predicted mention aligned to a gold mention is, per scheme,

| category (factgold) | span | type | strict | exact | partial | type |
|---|---|---|---|---|---|---|
| correct | exact | same | correct | correct | correct | correct |
| type | exact | differs | incorrect | correct | correct | incorrect |
| boundary | overlaps | same | incorrect | incorrect | partial | correct |
| boundary+type | overlaps | differs | incorrect | incorrect | partial | incorrect |

and an unaligned predicted mention is spurious, an unaligned gold mention missed.

Unlike nervaluate, the alignment is one optimal one-to-one matching shared by all four
schemes (maximum total weight: 5 correct, 3 type, 2 boundary, 1 boundary+type, ties broken
by the larger character overlap, then by text order), so no gold mention is used twice and
the order of the input never changes a count; spans are half-open ``[start, end)``. A
correct pair outweighs a type and a boundary pair together less a boundary+type one (5 + 1 >
3 + 2), so a wrong-type copy of a right prediction never takes its gold mention and pushes
the right one onto a nested gold mention.
Per type, as SemEval-2013 and nervaluate (1.x) report it: the same four schemes over the
gold mentions of that type and the predicted mentions the system gave that type, aligned
among themselves. So `possible` of a type counts its gold mentions and `actual` the
mentions predicted with that type, and both add up over types to the overall counts; a
mention predicted with the wrong type is spurious for the type it was given and its gold
mention missed for the gold type (gold DRUG, DRUG and predicted DRUG, BRAND give DRUG
precision 1.0 and BRAND 0.0). Credit (correct, partial) is counted only where gold and
predicted types are the same, so per-type `correct` of the type-blind exact and partial
schemes need not add up to their overall `correct`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache
from operator import attrgetter
from typing import Any

from factgold.score.align import align_spans, overlapping_pairs
from factgold.score.counts import SchemeCounts
from factgold.score.items import ErrorItem, ItemRef


def slot_setters(cls: type) -> tuple[Callable[[Any, Any], None], ...]:
    """The setters of a slotted dataclass's fields, in field order, through their slots.

    A frozen dataclass's generated ``__init__`` sets each field through ``object.__setattr__``
    (its own ``__setattr__`` refuses); the field's slot descriptor sets it directly, at about
    half the cost. A view builds an item for every gold and predicted mention, so
    `MentionItem.__init__` is written with these (and tests hold it to the fields).
    """
    return tuple(cls.__dict__[field.name].__set__ for field in fields(cls))


SCHEMES = ("strict", "exact", "partial", "type")

# category -> outcome under each scheme, in SCHEMES order
_OUTCOMES = {
    "correct": ("correct", "correct", "correct", "correct"),
    "type": ("incorrect", "correct", "correct", "incorrect"),
    "boundary": ("incorrect", "incorrect", "partial", "correct"),
    "boundary+type": ("incorrect", "incorrect", "partial", "incorrect"),
    "missed": ("missed",) * 4,
    "spurious": ("spurious",) * 4,
}
_WEIGHT = {"correct": 5.0, "type": 3.0, "boundary": 2.0, "boundary+type": 1.0}


@dataclass(frozen=True, order=True, slots=True)
class MentionItem:
    """A mention in the NER view; ``entity`` is the id (gold) or index (predicted) of its cluster."""

    start: int
    end: int
    type: str
    text: str
    kind: str
    entity: str
    score: float | None = field(default=None, compare=False)
    grounded_by: str | None = field(default=None, compare=False)  # a text-only mention: how it was found

    def __init__(
        self,
        start: int,
        end: int,
        type: str,
        text: str,
        kind: str,
        entity: str,
        score: float | None = None,
        grounded_by: str | None = None,
    ) -> None:
        # The generated frozen __init__, through the slots (`slot_setters`):
        # one item is built for every gold and predicted mention.
        set_start, set_end, set_type, set_text, set_kind, set_entity, set_score, set_grounded_by = _MENTION_SETTERS
        set_start(self, start)
        set_end(self, end)
        set_type(self, type)
        set_text(self, text)
        set_kind(self, kind)
        set_entity(self, entity)
        set_score(self, score)
        set_grounded_by(self, grounded_by)

    def ref(self) -> ItemRef:
        return ItemRef(self.start, self.end, self.text, self.type)


_MENTION_SETTERS = slot_setters(MentionItem)

# The fields `MentionItem` is ordered by, as a tuple: sorting by it gives the same order as
# sorting the items, without the generated comparison building two tuples at every step
# (and an attrgetter builds the tuple without a Python call).
item_key: Callable[[MentionItem], tuple[int, int, str, str, str, str]] = attrgetter(
    "start", "end", "type", "text", "kind", "entity"
)


def _predicted_order(item: MentionItem) -> tuple[object, ...]:
    """How predicted mentions are ordered: items equal in all but their score by it, so that
    the input order never matters."""
    return (item_key(item), item.score is None, item.score or 0.0)


def sorted_predicted(items: Iterable[MentionItem]) -> list[MentionItem]:
    """Predicted mentions in the order of `_predicted_order`.

    Sorted by `item_key` (no Python call per item) and again by the score only when two
    items tie on it, which is rare: without a tie, both orders are the same.
    """
    ordered = sorted(items, key=item_key)
    if len(set(map(item_key, ordered))) < len(ordered):
        ordered.sort(key=_predicted_order)
    return ordered


_span: Callable[[MentionItem], tuple[int, int]] = attrgetter("start", "end")


def pair_category(gold: MentionItem, predicted: MentionItem) -> str:
    """The category of an overlapping (gold, predicted) pair."""
    exact = (gold.start, gold.end) == (predicted.start, predicted.end)
    same_type = gold.type == predicted.type
    if exact:
        return "correct" if same_type else "type"
    return "boundary" if same_type else "boundary+type"


def _jaccard(a: MentionItem, b: MentionItem) -> float:
    shared = min(a.end, b.end) - max(a.start, b.start)
    return shared / (max(a.end, b.end) - min(a.start, b.start))


@dataclass(frozen=True)
class MentionScores:
    """Counts of one document's NER view, its aligned pairs and its error items."""

    overall: dict[str, SchemeCounts]
    by_type: dict[str, dict[str, SchemeCounts]]
    type_pairs: Counter[tuple[str, str]]
    aligned: tuple[tuple[MentionItem, MentionItem], ...]
    errors: tuple[ErrorItem, ...] = field(default=())
    # How many items fell in each category (in the order the items come): counted whether or
    # not the items themselves were built (`score_mentions`' ``with_items``).
    categories: Counter[str] = field(default_factory=Counter)


def _aligned_categories(
    gold: Sequence[MentionItem], predicted: Sequence[MentionItem]
) -> tuple[list[tuple[int, int]], list[tuple[str, MentionItem | None, MentionItem | None]]]:
    """The optimal one-to-one alignment of two canonically ordered lists, and every item's category."""
    tie_scale = 1.0 / (min(len(gold), len(predicted)) + 1)  # all tie-breaks together stay below 1
    pairs = align_spans(
        [(m.start, m.end) for m in gold],
        [(m.start, m.end) for m in predicted],
        lambda g, p: _WEIGHT[pair_category(gold[g], predicted[p])] + tie_scale * _jaccard(gold[g], predicted[p]),
    )
    return pairs, _labelled(gold, predicted, pairs)


def _scheme_counts(categories: Iterable[str]) -> dict[str, SchemeCounts]:
    """The four schemes' counts of a list of item categories."""
    return _counts_of(Counter(categories))


def _counts_of(tally: Mapping[str, int]) -> dict[str, SchemeCounts]:
    """The four schemes' counts of a tally of item categories: `_OUTCOMES` read column by column."""
    counts = _four_schemes(
        tally.get("correct", 0),
        tally.get("type", 0),
        tally.get("boundary", 0),
        tally.get("boundary+type", 0),
        tally.get("missed", 0),
        tally.get("spurious", 0),
    )
    return dict(zip(SCHEMES, counts, strict=True))


@lru_cache(maxsize=2**12, typed=True)  # typed: an int count is never given back as a float
def _four_schemes(
    correct: int, typed: int, boundary: int, both: int, missed: int, spurious: int
) -> tuple[SchemeCounts, SchemeCounts, SchemeCounts, SchemeCounts]:
    """The counts of the four schemes, in `SCHEMES` order, of the numbers of items in each category.

    Written out as sums, they cost a few additions instead of a Counter per scheme; and as
    count objects are immutable and one document's counts are small numbers that recur over
    documents and types, each set is built once (this runs for every document and type).
    """
    return (
        SchemeCounts(correct, typed + boundary + both, 0, missed, spurious),
        SchemeCounts(correct + typed, boundary + both, 0, missed, spurious),
        SchemeCounts(correct + typed, 0, boundary + both, missed, spurious),
        SchemeCounts(correct + boundary, typed + both, 0, missed, spurious),
    )


def _one_to_one(pairs: Sequence[tuple[int, int]]) -> bool:
    """Whether no item is in two of the pairs."""
    return len({g for g, _ in pairs}) == len(pairs) == len({p for _, p in pairs})


def _labelled(
    gold: Sequence[MentionItem], predicted: Sequence[MentionItem], pairs: Sequence[tuple[int, int]]
) -> list[tuple[str, MentionItem | None, MentionItem | None]]:
    """Every item's category under an alignment: the pairs in order, then the missed, then the spurious."""
    labelled: list[tuple[str, MentionItem | None, MentionItem | None]] = [
        (pair_category(gold[g], predicted[p]), gold[g], predicted[p]) for g, p in pairs
    ]
    return labelled + _unpaired(gold, predicted, pairs)


def _unpaired(
    gold: Sequence[MentionItem], predicted: Sequence[MentionItem], pairs: Sequence[tuple[int, int]]
) -> list[tuple[str, MentionItem | None, MentionItem | None]]:
    """The items no pair holds, as `_labelled` lists them: the missed, then the spurious."""
    matched_gold = {g for g, _ in pairs}
    matched_predicted = {p for _, p in pairs}
    unpaired: list[tuple[str, MentionItem | None, MentionItem | None]] = [
        ("missed", m, None) for i, m in enumerate(gold) if i not in matched_gold
    ]
    return unpaired + [("spurious", None, m) for i, m in enumerate(predicted) if i not in matched_predicted]


def _unambiguous_scores(
    document: str,
    gold: Sequence[MentionItem],
    predicted: Sequence[MentionItem],
    pairs: Sequence[tuple[int, int]],
    *,
    with_items: bool,
) -> MentionScores:
    """`_mention_scores` when no mention overlaps two and ``pairs`` are all the overlaps, in one pass.

    Each type's alignment is over the overlaps between mentions of that type, and as no
    mention is in two of them, its optimal alignment is all of them: the same-type pairs of
    the overall alignment. So a type's gold mentions not in one of its pairs are missed, and
    its predicted ones spurious, and every type is tallied from the pairs and the number of
    mentions of each type instead of aligned apart. The items and their categories come in
    the order `_labelled` gives them.
    """
    categories: Counter[str] = Counter()  # filled in item order (pairs, missed, spurious)
    type_pairs: Counter[tuple[str, str]] = Counter()
    same_type: dict[str, dict[str, int]] = {}  # type -> correct and boundary pairs of that type
    labelled: list[tuple[str, MentionItem | None, MentionItem | None]] = []
    for g, p in pairs:
        gold_item, predicted_item = gold[g], predicted[p]
        gold_type, predicted_type = gold_item.type, predicted_item.type
        exact = gold_item.start == predicted_item.start and gold_item.end == predicted_item.end
        if gold_type == predicted_type:
            category = "correct" if exact else "boundary"
            tally = same_type.setdefault(gold_type, {})
            tally[category] = tally.get(category, 0) + 1
        else:
            category = "type" if exact else "boundary+type"
        categories[category] = categories.get(category, 0) + 1
        type_pairs[gold_type, predicted_type] = type_pairs.get((gold_type, predicted_type), 0) + 1
        if with_items:
            labelled.append((category, gold_item, predicted_item))
    if len(gold) > len(pairs):
        categories["missed"] = len(gold) - len(pairs)
    if len(predicted) > len(pairs):
        categories["spurious"] = len(predicted) - len(pairs)
    if with_items and (len(gold) > len(pairs) or len(predicted) > len(pairs)):
        labelled += _unpaired(gold, predicted, pairs)

    gold_of_type = Counter([item.type for item in gold])
    predicted_of_type = Counter([item.type for item in predicted])
    by_type = {}
    for label in sorted(gold_of_type.keys() | predicted_of_type.keys()):
        tally = same_type.get(label, {})
        paired = tally.get("correct", 0) + tally.get("boundary", 0)
        tally["missed"] = gold_of_type.get(label, 0) - paired
        tally["spurious"] = predicted_of_type.get(label, 0) - paired
        by_type[label] = _counts_of(tally)
    return MentionScores(
        _counts_of(categories),
        by_type,
        type_pairs,
        tuple([(gold[g], predicted[p]) for g, p in pairs]),
        _error_items(document, labelled) if with_items else (),
        categories,
    )


def score_mentions(
    document: str, gold: Sequence[MentionItem], predicted: Sequence[MentionItem], *, with_items: bool = True
) -> MentionScores:
    """Align predicted to gold mentions one-to-one and count the four schemes, overall and per type.

    Without ``with_items`` no error item is built (a report that lists none needs only their
    `MentionScores.categories`); every count is the same.
    """
    gold = sorted(gold, key=item_key)
    predicted = sorted_predicted(predicted)
    # The common case, no mention overlapping two: every overlap is a pair of the optimal
    # alignment (each weighs at least 1), overall and within each type, so no weights are
    # needed (`_unambiguous_scores`); tests check it against the general path.
    overlaps = overlapping_pairs(list(map(_span, gold)), list(map(_span, predicted)))
    if _one_to_one(overlaps):
        return _unambiguous_scores(document, gold, predicted, overlaps, with_items=with_items)
    pairs, labelled = _aligned_categories(gold, predicted)
    by_type = _by_type_aligned(gold, predicted)
    return _mention_scores(document, gold, predicted, pairs, labelled, by_type, with_items=with_items)


def _by_type_aligned(
    gold: Sequence[MentionItem], predicted: Sequence[MentionItem]
) -> dict[str, dict[str, SchemeCounts]]:
    """The per-type counts, each type's mentions aligned among themselves."""
    by_type = {}
    for label in sorted({m.type for m in gold} | {m.type for m in predicted}):
        _, of_type = _aligned_categories(
            [m for m in gold if m.type == label], [m for m in predicted if m.type == label]
        )
        by_type[label] = _scheme_counts(category for category, _, _ in of_type)
    return by_type


def _mention_scores(
    document: str,
    gold: Sequence[MentionItem],
    predicted: Sequence[MentionItem],
    pairs: Sequence[tuple[int, int]],
    labelled: Sequence[tuple[str, MentionItem | None, MentionItem | None]],
    by_type: dict[str, dict[str, SchemeCounts]],
    *,
    with_items: bool = True,
) -> MentionScores:
    categories = Counter([category for category, _, _ in labelled])
    return MentionScores(
        overall=_counts_of(categories),
        by_type=by_type,
        type_pairs=Counter([(gold[g].type, predicted[p].type) for g, p in pairs]),
        aligned=tuple([(gold[g], predicted[p]) for g, p in pairs]),
        errors=_error_items(document, labelled) if with_items else (),
        categories=categories,
    )


def _error_items(
    document: str, labelled: Iterable[tuple[str, MentionItem | None, MentionItem | None]]
) -> tuple[ErrorItem, ...]:
    """The error items of labelled mentions, in their order."""
    # Every argument given by position: keywords make the call build a dict for each item.
    return tuple(
        [
            ErrorItem(
                "mentions",
                category,
                document,
                ItemRef(g.start, g.end, g.text, g.type) if g else None,
                ItemRef(p.start, p.end, p.text, p.type) if p else None,
                "",
                p.score if p else None,
                p.grounded_by if p else None,
            )
            for category, g, p in labelled
        ]
    )


def score_mentions_aligned(
    document: str, gold: Sequence[MentionItem], predicted: Sequence[MentionItem]
) -> MentionScores:
    """`score_mentions` always by the general path (every alignment solved): what tests hold the fast path to."""
    gold = sorted(gold)
    predicted = sorted(predicted, key=lambda m: (m, m.score is None, m.score or 0.0))
    pairs, labelled = _aligned_categories(gold, predicted)
    return _mention_scores(document, gold, predicted, pairs, labelled, _by_type_aligned(gold, predicted))
