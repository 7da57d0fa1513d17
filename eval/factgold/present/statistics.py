"""Confidence intervals and significance for scores on a small benchmark.

Units of resampling: with several documents, the document (its counts are summed); with
one document, the scored item: each gold item together with the prediction aligned to it,
and each prediction aligned to no gold item (spurious or hallucinated). Each unit carries
the counts it adds to a task's score, so a resample's score is computed from the summed
counts of its units. The headline is recomputed from its parts in every resample.

- `bootstrap`: percentile confidence intervals (Efron and Tibshirani, 1993) from N resamples
  with replacement, with numpy's default generator seeded by S.
- `compare`: a paired bootstrap of the difference between two systems on the same units
  (Koehn, 2004), and an approximate randomization test (Noreen, 1989; Riezler and Maxwell,
  2005): each unit's outcomes are swapped between the systems with probability 1/2, and the
  p-value is (r + 1) / (R + 1) where r counts shuffles whose absolute difference reaches the
  observed one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from factgold.run.report import Report
from factgold.score.counts import PRF
from factgold.score.items import ErrorItem

# Which error items make each headline part, and what each category counts.
_PART_TASK = {
    "entities": "entity_level",
    "relations_strict": "relations",
    "numeric_value": "numeric_facts",
}
_IGNORED = {"duplicate"}

Counts = tuple[int, int, int, int, int]  # correct, incorrect, partial, missed, spurious


def _item_counts(item: ErrorItem) -> Counts:
    """What one scored item adds, as SemEval counts (a PRF is correct, -, -, fn, fp)."""
    if item.category == "correct":
        return (1, 0, 0, 0, 0)
    if item.category == "missed":
        return (0, 0, 0, 1, 0)
    if item.gold is None or item.task == "relations":
        # A prediction aligned to no gold item; for relations, also a wrong direction or type
        # (the gold triple it resembles is listed, and counted, as missed on its own).
        return (0, 0, 0, 0, 1)
    return (0, 0, 0, 1, 1)  # an aligned pair that is wrong: a false positive and a false negative


def _f1(task: str, counts: Counts) -> float:
    correct, incorrect, _, missed, spurious = counts
    return PRF(correct, spurious + incorrect, missed + incorrect).f1


@dataclass(frozen=True)
class Unit:
    """One unit of resampling: a key shared across systems and the counts it adds per task."""

    key: tuple[Any, ...]
    counts: dict[str, Counts]


def units(report: Report) -> list[Unit]:
    """The report's units of resampling (documents, or scored items for one document)."""
    if report.config.errors != "all":
        from factgold.errors import UsageError

        raise UsageError("intervals and comparisons resample the error items: score with --errors all")
    parts = list(report.total.headline_parts())
    if len(report.per_document) > 1:
        result = []
        for scores in report.per_document:
            tally: dict[str, Counts] = {}
            for part in parts:
                task = _PART_TASK[part]
                summed = [0, 0, 0, 0, 0]
                for item in scores.errors:
                    if item.task == task and item.category not in _IGNORED:
                        summed = [a + b for a, b in zip(summed, _item_counts(item), strict=True)]
                tally[part] = tuple(summed)  # type: ignore[assignment]
            result.append(Unit(("document", scores.documents[0]), tally))
        return result
    result = []
    for item in report.total.errors:
        for part in parts:
            if item.task == _PART_TASK[part] and item.category not in _IGNORED:
                side = item.gold if item.gold is not None else item.predicted
                key = ("gold" if item.gold is not None else "predicted", item.task, item.document, side)
                result.append(Unit(key, {part: _item_counts(item)}))
    return result


def headline_of(sample: Sequence[Unit], parts: Sequence[str]) -> dict[str, float]:
    """Each part's F1 and the headline (their mean) over a sample of units."""
    totals = {part: [0, 0, 0, 0, 0] for part in parts}
    for unit in sample:
        for part, counts in unit.counts.items():
            if part in totals:
                totals[part] = [a + b for a, b in zip(totals[part], counts, strict=True)]
    scores = {part: _f1(_PART_TASK[part], tuple(totals[part])) for part in parts}  # type: ignore[arg-type]
    scores["headline"] = sum(scores.values()) / len(parts) if parts else 0.0
    return scores


@dataclass(frozen=True)
class Interval:
    """A point estimate with its percentile confidence interval."""

    estimate: float
    low: float
    high: float

    def to_dict(self) -> dict[str, float]:
        return {"estimate": self.estimate, "low": self.low, "high": self.high}


def _check_resamples(resamples: int) -> None:
    if resamples < 1:
        from factgold.errors import UsageError

        raise UsageError(f"the number of resamples must be positive, not {resamples}")


def bootstrap(report: Report, resamples: int, seed: int, confidence: float = 0.95) -> dict[str, Interval]:
    """Percentile intervals for the headline and each of its parts (none when nothing was scored).

    Units that share a key (a gold item and a prediction resembling it) are resampled
    together, as `compare` does.
    """
    import numpy as np

    _check_resamples(resamples)
    parts = list(report.total.headline_parts())
    if not parts:
        return {}
    groups = list(_by_key(units(report)).values())
    observed = headline_of([u for group in groups for u in group], parts)
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {name: [] for name in observed}
    for _ in range(resamples):
        picked: Sequence[int] = rng.integers(0, len(groups), len(groups)).tolist() if groups else []
        sample = [unit for i in picked for unit in groups[i]]
        for name, value in headline_of(sample, parts).items():
            draws[name].append(value)
    alpha = (1 - confidence) / 2
    return {
        name: Interval(observed[name], float(np.quantile(values, alpha)), float(np.quantile(values, 1 - alpha)))
        for name, values in draws.items()
    }


@dataclass(frozen=True)
class Comparison:
    """System A minus system B on one score: the difference, its interval and a p-value."""

    score: str
    a: float
    b: float
    difference: Interval
    p_value: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "a": self.a,
            "b": self.b,
            "difference": self.difference.to_dict(),
            "p_value": self.p_value,
        }


def compare(a: Report, b: Report, resamples: int, seed: int, confidence: float = 0.95) -> list[Comparison]:
    """Paired bootstrap interval and approximate-randomization p-value of A - B, per score."""
    import numpy as np

    from factgold.errors import UsageError

    _check_resamples(resamples)
    if a.gold_sha256 != b.gold_sha256:
        raise UsageError("the two systems were scored against different gold")
    parts = list(a.total.headline_parts())
    if parts != list(b.total.headline_parts()):
        raise UsageError(same_tasks_message([a, b]))
    if not parts:
        raise UsageError("neither system predicts anything that is scored")
    units_a, units_b = _by_key(units(a)), _by_key(units(b))
    keys = sorted(set(units_a) | set(units_b), key=repr)
    pairs = [(units_a.get(k, []), units_b.get(k, [])) for k in keys]
    names = [*parts, "headline"]

    def scores(sample: Sequence[tuple[list[Unit], list[Unit]]]) -> tuple[dict[str, float], dict[str, float]]:
        return (
            headline_of([u for x, _ in sample for u in x], parts),
            headline_of([u for _, y in sample for u in y], parts),
        )

    observed_a, observed_b = scores(pairs)
    rng = np.random.default_rng(seed)
    differences: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(resamples):
        sample = [pairs[i] for i in rng.integers(0, len(pairs), len(pairs))] if pairs else []
        sa, sb = scores(sample)
        for name in names:
            differences[name].append(sa[name] - sb[name])
    reached = dict.fromkeys(names, 0)
    for _ in range(resamples):
        swap = rng.random(len(pairs)) < 0.5
        shuffled = [(y, x) if s else (x, y) for (x, y), s in zip(pairs, swap, strict=True)]
        sa, sb = scores(shuffled)
        for name in names:
            reached[name] += abs(sa[name] - sb[name]) >= abs(observed_a[name] - observed_b[name]) - 1e-12
    alpha = (1 - confidence) / 2
    result = []
    for name in names:
        values = differences[name]
        interval = Interval(
            observed_a[name] - observed_b[name],
            float(np.quantile(values, alpha)),
            float(np.quantile(values, 1 - alpha)),
        )
        result.append(
            Comparison(name, observed_a[name], observed_b[name], interval, (reached[name] + 1) / (resamples + 1))
        )
    return result


def _by_key(found: Sequence[Unit]) -> dict[tuple[Any, ...], list[Unit]]:
    grouped: dict[tuple[Any, ...], list[Unit]] = {}
    for unit in found:
        grouped.setdefault(unit.key, []).append(unit)
    return grouped


def verdict(comparisons: Sequence[Comparison], names: tuple[str, str] = ("A", "B"), level: float = 0.05) -> str:
    """A plain-language summary: which system is better on which score, at significance ``level``."""
    phrases = []
    for comparison in comparisons:
        label = comparison.score.replace("_", " ")
        if comparison.p_value < level and comparison.difference.estimate != 0:
            better = names[0] if comparison.difference.estimate > 0 else names[1]
            phrases.append(f"{better} better on {label}, p={comparison.p_value:.3g}")
        else:
            phrases.append(f"no significant difference on {label} (p={comparison.p_value:.3g})")
    return "; ".join(phrases)


def same_tasks_message(reports: Sequence[Report], names: Sequence[str] = ("A", "B")) -> str:
    listed = "; ".join(
        f"{name}: {', '.join(r.total.headline_parts()) or 'nothing'}" for name, r in zip(names, reports, strict=False)
    )
    return f"the systems' headlines are made of different scores ({listed}); score them on the same --tasks"


def unit_name(report: Report) -> str:
    """What is resampled: documents, or (one document) scored items."""
    return "document" if len(report.per_document) > 1 else "item"


def interval_report(report: Report, resamples: int, seed: int) -> dict[str, Any]:
    """The ``intervals`` block of a JSON report, and the signature part that names it."""
    if resamples < 1:
        from factgold.errors import UsageError

        raise UsageError(f"--bootstrap needs a positive number of resamples, not {resamples}")
    intervals = bootstrap(report, resamples, seed)  # empty when nothing was scored
    return {
        "method": "percentile bootstrap, 95%",
        "unit": unit_name(report),
        "resamples": resamples,
        "seed": seed,
        "scores": {name: interval.to_dict() for name, interval in intervals.items()},
    }


def signature_suffix(kind: str, resamples: int, seed: int, report: Report) -> str:
    return f"|{kind}|resamples:{resamples}|seed:{seed}|unit:{unit_name(report)}"
