"""Counts-only score objects: precision, recall and F1 are derived, never stored.

Adding two count objects gives the counts of the union of what they counted, so the
micro-average over documents, types or shards is a sum; the zero-division rule is written
once, here, and is the same for every task and metric: a score with nothing to find and
nothing predicted is 1.0 (there was nothing to get wrong); otherwise a ratio with nothing to
divide is 0.0. The references disagree among themselves on the first case (nervaluate,
seqeval, scikit-learn and the CoNLL-2012 scorer give 0; spaCy's scorer gives 0 for
precision and recall), so factgold states its rule and applies it everywhere, including
to MUC over singletons only, where neither side has a link.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class PRF:
    """True positives, false positives and false negatives.

    >>> counts = PRF(tp=3, fp=1, fn=2)
    >>> round(counts.precision, 3), round(counts.recall, 3), round(counts.f1, 3)
    (0.75, 0.6, 0.667)
    >>> (PRF(1, 0, 0) + PRF(0, 1, 1)).tp
    1
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def empty(self) -> bool:
        return self.tp + self.fp + self.fn == 0

    @property
    def precision(self) -> float:
        return 1.0 if self.empty else _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return 1.0 if self.empty else _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(frozen=True)
class SchemeCounts:
    """The five counts of a SemEval-2013 Task 9.1 scheme (Segura-Bedmar et al., 2013).

    possible = correct + incorrect + partial + missed (gold items);
    actual = correct + incorrect + partial + spurious (predicted items).
    Precision and recall count a partial match as half correct; only the partial scheme
    has partial matches, so the strict, exact and type schemes reduce to correct/actual
    and correct/possible.

    >>> scheme = SchemeCounts(correct=2, incorrect=1, partial=2, missed=1, spurious=0)
    >>> scheme.possible, scheme.actual, scheme.precision, scheme.recall
    (6, 5, 0.6, 0.5)
    """

    correct: int = 0
    incorrect: int = 0
    partial: int = 0
    missed: int = 0
    spurious: int = 0

    def __add__(self, other: SchemeCounts) -> SchemeCounts:
        return SchemeCounts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def possible(self) -> int:
        return self.correct + self.incorrect + self.partial + self.missed

    @property
    def actual(self) -> int:
        return self.correct + self.incorrect + self.partial + self.spurious

    @property
    def precision(self) -> float:
        if self.possible == 0 and self.actual == 0:
            return 1.0
        return _ratio(self.correct + 0.5 * self.partial, self.actual)

    @property
    def recall(self) -> float:
        if self.possible == 0 and self.actual == 0:
            return 1.0
        return _ratio(self.correct + 0.5 * self.partial, self.possible)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        counts = {f.name: getattr(self, f.name) for f in fields(self)}
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            **counts,
            "possible": self.possible,
            "actual": self.actual,
        }


@dataclass(frozen=True)
class CorefCounts:
    """Numerators and denominators of one coreference metric's recall and precision.

    Stored as sums so that documents add up, as the CoNLL-2012 reference scorer does when
    it scores a corpus (micro-average over documents).
    """

    recall_num: float = 0.0
    recall_den: float = 0.0
    precision_num: float = 0.0
    precision_den: float = 0.0

    def __add__(self, other: CorefCounts) -> CorefCounts:
        return CorefCounts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def empty(self) -> bool:
        """Nothing to find and nothing predicted (for MUC: no link on either side).

        >>> CorefCounts().f1, CorefCounts(0.0, 0.0, 0.0, 1.0).f1
        (1.0, 0.0)
        """
        return self.recall_den == 0 and self.precision_den == 0

    @property
    def recall(self) -> float:
        return 1.0 if self.empty else _ratio(self.recall_num, self.recall_den)

    @property
    def precision(self) -> float:
        return 1.0 if self.empty else _ratio(self.precision_num, self.precision_den)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


# Count objects are immutable, and one document's counts are small numbers that recur over
# documents, types and metrics: the per-document scorers build them through these caches,
# each once rather than once per document. (``typed``: an int count is never given back as
# a float one, nor the reverse.)
prf_of = lru_cache(maxsize=2**12, typed=True)(PRF)
coref_counts_of = lru_cache(maxsize=2**12, typed=True)(CorefCounts)
