"""Precision-recall curves over the extractor's confidence scores.

For each task whose predicted items all carry a ``score``, items are ranked by it and each
is a true positive when its category is ``correct``. scikit-learn's
``precision_recall_curve`` and ``average_precision_score`` count recall over the positives
among the predictions; gold items the system never predicted are positives it can never
reach, so both recall and average precision are scaled by (true positives / gold items) to
be recall over all gold items. The threshold that maximizes F1 is reported with its scores.
Duplicates (counted once) are left out. scikit-learn is imported only when scores exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from factgold.score.items import ErrorItem

# The task whose error items are ranked, and the score whose gold count bounds the recall.
TASKS = ("mentions", "relations", "numeric_facts")


@dataclass(frozen=True)
class Curve:
    """A precision-recall curve with average precision and the best-F1 threshold."""

    average_precision: float
    best_threshold: float | None
    best_precision: float
    best_recall: float
    best_f1: float
    points: tuple[tuple[float, float, float], ...]  # (threshold, precision, recall)

    def to_dict(self) -> dict[str, Any]:
        return {
            "average_precision": self.average_precision,
            "best_threshold": self.best_threshold,
            "best_precision": self.best_precision,
            "best_recall": self.best_recall,
            "best_f1": self.best_f1,
            "points": [{"threshold": t, "precision": p, "recall": r} for t, p, r in self.points],
        }


def ranked_items(errors: Sequence[ErrorItem], task: str) -> list[tuple[float, bool]] | None:
    """(score, correct) of the task's predicted items; None unless every one carries a score."""
    items = [e for e in errors if e.task == task and e.predicted is not None and e.category != "duplicate"]
    if not items or any(e.score is None for e in items):
        return None
    return [(float(e.score), e.category == "correct") for e in items]  # type: ignore[arg-type]


def curve(items: Sequence[tuple[float, bool]], gold_items: int) -> Curve:
    """The precision-recall curve of ranked items against ``gold_items`` gold items.

    >>> c = curve([(0.9, True), (0.8, False), (0.4, True)], gold_items=4)
    >>> c.average_precision, c.best_threshold, c.best_f1
    (0.41666666666666663, 0.4, 0.5714285714285715)
    """
    positives = sum(correct for _, correct in items)
    if positives == 0 or gold_items == 0:
        return Curve(0.0, None, 0.0, 0.0, 0.0, ())
    from sklearn.metrics import average_precision_score, precision_recall_curve

    truth = [int(correct) for _, correct in items]
    scores = [score for score, _ in items]
    precision, recall, thresholds = precision_recall_curve(truth, scores)
    scale = positives / gold_items
    recall = recall * scale
    points = [(float(t), float(p), float(r)) for t, p, r in zip(thresholds, precision[:-1], recall[:-1], strict=True)]
    f1 = [2 * p * r / (p + r) if p + r else 0.0 for _, p, r in points]
    best = max(range(len(points)), key=lambda i: (f1[i], points[i][0]))
    threshold, best_precision, best_recall = points[best]
    average_precision = float(average_precision_score(truth, scores)) * scale
    return Curve(average_precision, threshold, best_precision, best_recall, f1[best], tuple(points))
