"""Optimal one-to-one alignment of two item lists by a pairwise weight.

Greedy matching depends on input order (nervaluate's known flaw); a maximum-weight
assignment (scipy's `linear_sum_assignment`) does not, once rows and columns are put in a
canonical order by the caller.
"""

from __future__ import annotations

import importlib.util
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from functools import cache
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from typing import Any, TypeVar

A = TypeVar("A")
B = TypeVar("B")


def optimal_assignment(left: Sequence[A], right: Sequence[B], weight: Callable[[A, B], float]) -> list[tuple[int, int]]:
    """Index pairs of a maximum-total-weight matching; pairs of weight 0 are left unmatched.

    >>> optimal_assignment(["ab", "b"], ["b", "ab"], lambda x, y: len(set(x) & set(y)))
    [(0, 1), (1, 0)]
    """
    edges = {}
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            w = weight(a, b)
            if w > 0:
                edges[(i, j)] = w
    return max_weight_matching(edges)


def max_weight_matching(edges: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """A maximum-weight one-to-one matching of a weighted bipartite graph given by its edges.

    The graph is split into connected components, each solved exactly on its own: a
    component whose rows or columns are a single node takes its heaviest edge (the first in
    index order on a tie); a larger one goes to scipy's `linear_sum_assignment`, loaded
    only then (`assignment_solver`), so that the common small cases cost no import.

    >>> max_weight_matching({(0, 0): 1.0, (0, 1): 2.0, (1, 1): 2.0})
    [(0, 0), (1, 1)]
    """
    # The common case, every row and every column in one edge at most: each edge is its own
    # component, and the matching is all of them.
    if len({i for i, _ in edges}) == len(edges) and len({j for _, j in edges}) == len(edges):
        return sorted(edges)
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i, j in edges:
        parent[find(("r", i))] = find(("c", j))
    components: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for edge in sorted(edges):
        components.setdefault(find(("r", edge[0])), []).append(edge)
    matched: list[tuple[int, int]] = []
    for component in components.values():
        rows = sorted({i for i, _ in component})
        cols = sorted({j for _, j in component})
        if len(rows) == 1 or len(cols) == 1:
            matched.append(max(component, key=lambda edge: (edges[edge], -edge[0], -edge[1])))
            continue
        import numpy as np

        linear_sum_assignment = assignment_solver()
        weights = np.zeros((len(rows), len(cols)))
        row_at = {i: r for r, i in enumerate(rows)}
        col_at = {j: c for c, j in enumerate(cols)}
        for i, j in component:
            weights[row_at[i], col_at[j]] = edges[(i, j)]
        chosen_rows, chosen_cols = linear_sum_assignment(weights, maximize=True)
        matched.extend((rows[r], cols[c]) for r, c in zip(chosen_rows, chosen_cols, strict=True) if weights[r, c] > 0)
    return sorted(matched)


@cache
def assignment_solver() -> Callable[..., tuple[Any, Any]]:
    """scipy's `linear_sum_assignment`, loaded from its own compiled module where it is one.

    Importing `scipy.optimize` took 0.66 to 0.79 s here (it builds every solver's array-API
    wrappers and documentation), more than scoring a 20,000-mention corpus's numbers took;
    the assignment solver is a compiled module of its own (``scipy/optimize/_lsap``), which
    loads in a millisecond. Where it is not one (another scipy's layout), or cannot be
    loaded so, the usual import. A test holds the two to the same answers.
    """
    try:
        found = importlib.util.find_spec("scipy")  # the package's place, without importing it
        if found is None or found.origin is None:
            raise ImportError("scipy not found")
        folder = Path(found.origin).parent / "optimize"
        path = next(folder / f"_lsap{suffix}" for suffix in EXTENSION_SUFFIXES if (folder / f"_lsap{suffix}").is_file())
        spec = importlib.util.spec_from_file_location("scipy.optimize._lsap", path)  # an extension's loader
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        solver: Callable[..., tuple[Any, Any]] = module.linear_sum_assignment
        return solver
    except (ImportError, OSError, AttributeError, StopIteration):
        from scipy.optimize import linear_sum_assignment

        fallback: Callable[..., tuple[Any, Any]] = linear_sum_assignment
        return fallback


class SpanIndex:
    """Half-open spans indexed once, to find those that overlap a query span.

    The spans are sorted by start with a running maximum of their ends, so that the backward
    scan from a query stops as soon as no earlier span can reach it: O(log n + found) a
    query for spans that do not nest deeply. Built once per document and queried for every
    prediction, so that resolving n predictions costs O(n log n), not O(n²).

    >>> SpanIndex([(0, 5), (5, 9), (2, 3)]).overlapping(4, 6)
    [0, 1]
    """

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = spans
        self._order = sorted(range(len(spans)), key=lambda i: spans[i])
        self._starts = [spans[i][0] for i in self._order]
        self._reach: list[int] = []
        for i in self._order:
            self._reach.append(max(spans[i][1], self._reach[-1] if self._reach else spans[i][1]))

    def overlapping(self, start: int, end: int) -> list[int]:
        """Indices of the spans that share at least one character with ``[start, end)``, ascending."""
        found = []
        position = bisect_left(self._starts, end) - 1  # spans that start before this one ends
        while position >= 0 and self._reach[position] > start:
            index = self._order[position]
            if self.spans[index][1] > start:
                found.append(index)
            position -= 1
        return sorted(found)


def overlapping_pairs(gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Index pairs (gold, predicted) of half-open spans that share at least one character.

    >>> overlapping_pairs([(0, 5), (5, 9)], [(4, 6), (9, 10)])
    [(0, 0), (1, 0)]
    """
    starts = [start for start, _ in gold]
    ends = [end for _, end in gold]
    if starts == sorted(starts) and ends == sorted(ends):
        # The common case, gold spans in order and none inside another (a sorted, flat
        # annotation): the spans that start before a query ends are a prefix, those that
        # end after it starts a suffix, and the overlapping ones the range between, found
        # by two bisections instead of an index.
        pairs = []
        for p, (start, end) in enumerate(predicted):
            for g in range(bisect_right(ends, start), bisect_left(starts, end)):
                pairs.append((g, p))
        pairs.sort()
        return pairs
    return overlapping_pairs_indexed(gold, predicted)


def overlapping_pairs_indexed(
    gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """`overlapping_pairs` always through a `SpanIndex`: what tests hold its shortcut to."""
    index = SpanIndex(gold)
    return sorted((g, p) for p, (start, end) in enumerate(predicted) for g in index.overlapping(start, end))


def align_spans(
    gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]], weight: Callable[[int, int], float]
) -> list[tuple[int, int]]:
    """Maximum-weight one-to-one matching of overlapping spans (index pairs gold, predicted).

    Only overlapping pairs can match. Callers pass spans in a canonical order, so that the
    result does not depend on the order of the input.

    >>> align_spans([(0, 4), (0, 8)], [(0, 8)], lambda g, p: 2.0 if g == 1 else 1.0)
    [(1, 0)]
    """
    edges = {(g, p): weight(g, p) for g, p in overlapping_pairs(gold, predicted)}
    return max_weight_matching({edge: w for edge, w in edges.items() if w > 0})
