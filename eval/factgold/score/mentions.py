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
schemes (maximum total weight: 4 correct, 3 type, 2 boundary, 1 boundary+type, ties broken
by the larger character overlap, then by text order), so no gold mention is used twice and
the order of the input never changes a count; spans are half-open ``[start, end)``.
Per-type counts: an aligned pair and a missed mention count under the gold type, a
spurious mention under its predicted type, so that per-type counts add up to the overall.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from factgold.align import align_spans
from factgold.counts import SchemeCounts
from factgold.score.items import ErrorItem, ItemRef

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
_WEIGHT = {"correct": 4.0, "type": 3.0, "boundary": 2.0, "boundary+type": 1.0}


@dataclass(frozen=True, order=True)
class MentionItem:
    """A mention in the NER view; ``entity`` is the id (gold) or index (predicted) of its cluster."""

    start: int
    end: int
    type: str
    text: str
    kind: str
    entity: str
    score: float | None = field(default=None, compare=False)

    def ref(self) -> ItemRef:
        return ItemRef(self.start, self.end, self.text, self.type)


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


def score_mentions(document: str, gold: Sequence[MentionItem], predicted: Sequence[MentionItem]) -> MentionScores:
    """Align predicted to gold mentions one-to-one and count the four schemes."""
    gold = sorted(gold)
    # Items equal in all but their score are ordered by it, so that the input order never matters.
    predicted = sorted(predicted, key=lambda m: (m, m.score is None, m.score or 0.0))
    tie_scale = 1.0 / (min(len(gold), len(predicted)) + 1)  # all tie-breaks together stay below 1
    pairs = align_spans(
        [(m.start, m.end) for m in gold],
        [(m.start, m.end) for m in predicted],
        lambda g, p: _WEIGHT[pair_category(gold[g], predicted[p])] + tie_scale * _jaccard(gold[g], predicted[p]),
    )
    labelled: list[tuple[str, str, MentionItem | None, MentionItem | None]] = []
    matched_gold = {g for g, _ in pairs}
    matched_pred = {p for _, p in pairs}
    for g, p in pairs:
        labelled.append((pair_category(gold[g], predicted[p]), gold[g].type, gold[g], predicted[p]))
    labelled += [("missed", m.type, m, None) for i, m in enumerate(gold) if i not in matched_gold]
    labelled += [("spurious", m.type, None, m) for i, m in enumerate(predicted) if i not in matched_pred]

    tallies: dict[str, Counter[str]] = {}
    for category, count_type, _, _ in labelled:
        for scheme, outcome in zip(SCHEMES, _OUTCOMES[category], strict=True):
            tallies.setdefault(count_type, Counter())[f"{scheme}:{outcome}"] += 1

    def counts(tally: Counter[str], scheme: str) -> SchemeCounts:
        return SchemeCounts(
            *(tally[f"{scheme}:{o}"] for o in ("correct", "incorrect", "partial", "missed", "spurious"))
        )

    by_type = {t: {s: counts(tally, s) for s in SCHEMES} for t, tally in sorted(tallies.items())}
    overall = {s: sum((by_type[t][s] for t in by_type), SchemeCounts()) for s in SCHEMES}
    errors = tuple(
        ErrorItem(
            "mentions", category, document, g.ref() if g else None, p.ref() if p else None, score=p.score if p else None
        )
        for category, _, g, p in labelled
    )
    return MentionScores(
        overall=overall,
        by_type=by_type,
        type_pairs=Counter((gold[g].type, predicted[p].type) for g, p in pairs),
        aligned=tuple((gold[g], predicted[p]) for g, p in pairs),
        errors=errors,
    )
