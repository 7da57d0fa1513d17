"""Optimal one-to-one alignment of two item lists by a pairwise weight.

Greedy matching depends on input order (nervaluate's known flaw); a maximum-weight
assignment (scipy's `linear_sum_assignment`) does not, once rows and columns are put in a
canonical order by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")


def optimal_assignment(left: Sequence[A], right: Sequence[B], weight: Callable[[A, B], float]) -> list[tuple[int, int]]:
    """Index pairs of a maximum-total-weight matching; pairs of weight 0 are left unmatched.

    >>> optimal_assignment(["ab", "b"], ["b", "ab"], lambda x, y: len(set(x) & set(y)))
    [(0, 1), (1, 0)]
    """
    if not left or not right:
        return []
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    weights = np.array([[weight(a, b) for b in right] for a in left], dtype=float)
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if weights[r, c] > 0]
