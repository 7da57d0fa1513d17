"""Mergeable per-document results: the sum of two is the result of their union."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import reduce
from operator import add, attrgetter
from typing import Any, TypeVar

from factgold.score.config import TASKS
from factgold.score.counts import PRF, CorefCounts, SchemeCounts
from factgold.score.items import ErrorItem

__all__ = ["TASKS", "DocumentScores", "headline_from_parts"]

_N = TypeVar("_N", int, float)
_C = TypeVar("_C", SchemeCounts, PRF, CorefCounts)

# The score each task enters the headline with: one entity-level view that scores every
# predicted entity however it is given (names, text mentions, spans or a mix), the strict
# relation triples, and numeric values (value and unit right).
HEADLINE_PART = {"entities": "entities", "relations": "relations_strict", "numeric_facts": "numeric_value"}


def _add_nested(
    a: dict[str, dict[str, SchemeCounts]], b: dict[str, dict[str, SchemeCounts]]
) -> dict[str, dict[str, SchemeCounts]]:
    merged = {key: dict(value) for key, value in a.items()}
    for key, schemes in b.items():
        target = merged.setdefault(key, {})
        for scheme, counts in schemes.items():
            target[scheme] = target.get(scheme, SchemeCounts()) + counts
    return dict(sorted(merged.items()))


def _add_prf(a: dict[str, PRF], b: dict[str, PRF]) -> dict[str, PRF]:
    return {key: a.get(key, PRF()) + b.get(key, PRF()) for key in sorted(set(a) | set(b))}


def _add_coref(a: dict[str, CorefCounts], b: dict[str, CorefCounts]) -> dict[str, CorefCounts]:
    return {key: a.get(key, CorefCounts()) + b.get(key, CorefCounts()) for key in sorted(set(a) | set(b))}


_PRF_FIELDS = ("clusters", "entity_level_typed", "entity_level_untyped", "relations_strict", "relations_unlabeled")
_COUNTERS = ("type_pairs", "numeric_predicted_attributes", "predicted_labels", "error_counts")


# The fields of the count objects, read at C speed: `summed` reads them for every document.
_scheme_fields: Callable[[SchemeCounts], tuple[int, int, int, int, int]] = attrgetter(
    "correct", "incorrect", "partial", "missed", "spurious"
)
_prf_fields: Callable[[PRF], tuple[int, int, int]] = attrgetter("tp", "fp", "fn")
_coref_fields: Callable[[CorefCounts], tuple[float, float, float, float]] = attrgetter(
    "recall_num", "recall_den", "precision_num", "precision_den"
)


def _total(counts: Sequence[_C], fields: Callable[[_C], tuple[_N, ...]]) -> list[_N]:
    """The sum of ``counts``, field by field, as adding them one by one from zero gives it.

    Each field's values are added in the order of ``counts`` by `reduce` (not `sum`, which
    since Python 3.12 adds floats with a compensation): float sums are those of `__add__`
    to the last bit.
    """
    return [reduce(add, column, 0) for column in zip(*map(fields, counts), strict=True)]


def _add_counter(total: dict[Any, int], counter: Counter[Any]) -> None:
    """``total + counter`` as `Counter.__add__` gives it, in place: a key whose sum is not
    positive is dropped, and a new one goes at the end."""
    for key, count in counter.items():
        if key in total:
            new = total[key] + count
            if new > 0:
                total[key] = new
            else:
                del total[key]
        elif count > 0:
            total[key] = count


# The counts of a task not scored: shared, as a PRF is immutable (a factory built one for
# every document and field).
_NO_COUNTS = PRF()


@dataclass(frozen=True)
class DocumentScores:
    """Counts and error items of one document (or, summed, of several).

    ``tasks`` are the tasks scored (in an evaluation never none: `factgold.score.config.EvalConfig`
    refuses an empty list); ``predicted_tasks`` those the system gave a list for. A scored task that
    was not predicted counts every gold item as missed.
    """

    documents: tuple[str, ...]
    tasks: frozenset[str]
    predicted_tasks: frozenset[str] = frozenset()
    mentions: dict[str, SchemeCounts] = field(default_factory=dict)
    mentions_by_type: dict[str, dict[str, SchemeCounts]] = field(default_factory=dict)
    type_pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    clusters: PRF = _NO_COUNTS
    entity_level_typed: PRF = _NO_COUNTS
    entity_level_untyped: PRF = _NO_COUNTS
    coreference: dict[str, CorefCounts] = field(default_factory=dict)
    relations_strict: PRF = _NO_COUNTS
    relations_unlabeled: PRF = _NO_COUNTS
    relations_by_type: dict[str, PRF] = field(default_factory=dict)
    numeric: dict[str, PRF] = field(default_factory=dict)
    numeric_by_kind: dict[str, PRF] = field(default_factory=dict)
    numeric_predicted_attributes: Counter[str] = field(default_factory=Counter)
    predicted_labels: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: tuple[ErrorItem, ...] = ()
    notes: tuple[str, ...] = ()
    # (task, category) -> items, counted before any are dropped (`EvalConfig.errors`).
    error_counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    # One document's headline counts against the gold's own choices, when accepted
    # alternatives changed what it was scored against (`factgold.score.alternatives`); empty
    # when they changed nothing, and in sums (`without_alternatives` adds them per document).
    plain_headline: dict[str, PRF] = field(default_factory=dict)

    def without_alternatives(self) -> DocumentScores:
        """This document's headline counts as scored against the gold's own choices."""
        if not self.plain_headline:
            return self
        numeric = {**self.numeric, "value": self.plain_headline["numeric_facts"]} if self.numeric else self.numeric
        return replace(
            self,
            entity_level_typed=self.plain_headline.get("entities", self.entity_level_typed),
            relations_strict=self.plain_headline.get("relations", self.relations_strict),
            numeric=numeric,
            plain_headline={},
        )

    def __add__(self, other: DocumentScores) -> DocumentScores:
        return DocumentScores(
            documents=self.documents + other.documents,
            tasks=self.tasks | other.tasks,
            predicted_tasks=self.predicted_tasks | other.predicted_tasks,
            mentions={
                s: self.mentions.get(s, SchemeCounts()) + other.mentions.get(s, SchemeCounts())
                for s in self.mentions.keys() | other.mentions.keys()
            },
            mentions_by_type=_add_nested(self.mentions_by_type, other.mentions_by_type),
            type_pairs=self.type_pairs + other.type_pairs,
            clusters=self.clusters + other.clusters,
            entity_level_typed=self.entity_level_typed + other.entity_level_typed,
            entity_level_untyped=self.entity_level_untyped + other.entity_level_untyped,
            coreference=_add_coref(self.coreference, other.coreference),
            relations_strict=self.relations_strict + other.relations_strict,
            relations_unlabeled=self.relations_unlabeled + other.relations_unlabeled,
            relations_by_type=_add_prf(self.relations_by_type, other.relations_by_type),
            numeric=_add_prf(self.numeric, other.numeric),
            numeric_by_kind=_add_prf(self.numeric_by_kind, other.numeric_by_kind),
            numeric_predicted_attributes=self.numeric_predicted_attributes + other.numeric_predicted_attributes,
            predicted_labels=self.predicted_labels + other.predicted_labels,
            errors=self.errors + other.errors,
            notes=self.notes + other.notes,
            error_counts=self.error_counts + other.error_counts,
        )

    @classmethod
    def summed(cls, parts: Iterable[DocumentScores]) -> DocumentScores:
        """The sum of many in one pass, linear in their items.

        Adding them one by one copies the growing tuple of error items at every step, which
        is quadratic in the number of documents, and builds every count object anew; here
        the counts are added as plain numbers, in the order `__add__` would add them (so
        float sums are the same to the last bit, and each Counter keeps the same keys in the
        same order), the count objects built once and the items joined once.
        """
        parts = list(parts)
        tasks: frozenset[str] = frozenset()
        predicted_tasks: frozenset[str] = frozenset()
        # Each count object gathered under its key, in the order of the parts, and totalled
        # at the end (`_total`): a key is where `__add__` would first meet it.
        mentions: dict[str, list[SchemeCounts]] = {}
        by_type: dict[str, dict[str, list[SchemeCounts]]] = {}
        prf: dict[str, list[PRF]] = {}  # the single PRF fields
        prf_maps: dict[str, dict[str, list[PRF]]] = {"relations_by_type": {}, "numeric": {}, "numeric_by_kind": {}}
        coreference: dict[str, list[CorefCounts]] = {}
        counters: dict[str, dict[Any, int]] = {name: {} for name in _COUNTERS}
        for part in parts:
            tasks |= part.tasks
            predicted_tasks |= part.predicted_tasks
            for scheme, scheme_counts in part.mentions.items():
                mentions.setdefault(scheme, []).append(scheme_counts)
            for label, schemes in part.mentions_by_type.items():
                target = by_type.setdefault(label, {})
                for scheme, scheme_counts in schemes.items():
                    target.setdefault(scheme, []).append(scheme_counts)
            for name in _PRF_FIELDS:
                value: PRF = getattr(part, name)
                if value is not _NO_COUNTS:  # zeros, as a task not scored has: nothing to add
                    prf.setdefault(name, []).append(value)
            for name, target_map in prf_maps.items():
                for key, value in getattr(part, name).items():
                    target_map.setdefault(key, []).append(value)
            for metric, coref in part.coreference.items():
                coreference.setdefault(metric, []).append(coref)
            for name, counter in counters.items():
                counter_of_part = getattr(part, name)
                if counter_of_part:
                    _add_counter(counter, counter_of_part)

        def prf_total(name: str) -> PRF:
            return PRF(*_total(prf[name], _prf_fields)) if name in prf else PRF()

        def prf_map(name: str) -> dict[str, PRF]:
            return {key: PRF(*_total(values, _prf_fields)) for key, values in sorted(prf_maps[name].items())}

        return cls(
            documents=tuple(d for part in parts for d in part.documents),
            tasks=tasks,
            predicted_tasks=predicted_tasks,
            mentions={scheme: SchemeCounts(*_total(counts, _scheme_fields)) for scheme, counts in mentions.items()},
            mentions_by_type={
                label: {scheme: SchemeCounts(*_total(counts, _scheme_fields)) for scheme, counts in schemes.items()}
                for label, schemes in sorted(by_type.items())
            },
            type_pairs=Counter(counters["type_pairs"]),
            clusters=prf_total("clusters"),
            entity_level_typed=prf_total("entity_level_typed"),
            entity_level_untyped=prf_total("entity_level_untyped"),
            coreference={
                metric: CorefCounts(*_total(counts, _coref_fields)) for metric, counts in sorted(coreference.items())
            },
            relations_strict=prf_total("relations_strict"),
            relations_unlabeled=prf_total("relations_unlabeled"),
            relations_by_type=prf_map("relations_by_type"),
            numeric=prf_map("numeric"),
            numeric_by_kind=prf_map("numeric_by_kind"),
            numeric_predicted_attributes=Counter(counters["numeric_predicted_attributes"]),
            predicted_labels=Counter(counters["predicted_labels"]),
            errors=tuple(e for part in parts for e in part.errors),
            notes=tuple(n for part in parts for n in part.notes),
            error_counts=Counter(counters["error_counts"]),
        )

    def headline_parts(self) -> dict[str, float]:
        """The F1 of each scored task, as it enters the headline score (`HEADLINE_PART`)."""
        # Only the scored tasks' F1 is found (a report asks this of every document).
        return {HEADLINE_PART[task]: self._headline_counts(task).f1 for task in TASKS if task in self.tasks}

    def _headline_counts(self, task: str) -> PRF:
        """The counts a task enters the headline with (`HEADLINE_PART`)."""
        if task == "entities":
            return self.entity_level_typed
        if task == "relations":
            return self.relations_strict
        if task == "numeric_facts":
            return self.numeric.get("value", _NO_COUNTS)
        raise ValueError(f"no headline part for task {task!r}")

    def headline(self) -> float:
        """Unweighted mean of `headline_parts`."""
        return headline_from_parts(self.headline_parts())


def headline_from_parts(parts: dict[str, float]) -> float:
    """The headline score of its parts (`DocumentScores.headline_parts`): their unweighted mean."""
    if not parts:  # only the empty sum has no task; an evaluation always scores one
        raise ValueError("no task is scored, so there is no headline")
    return sum(parts.values()) / len(parts)
