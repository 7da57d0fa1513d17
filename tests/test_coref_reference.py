"""factgold's coreference metrics against the CoNLL-2012 reference scorer's own test cases.

Source: the public repository conll/reference-coreference-scorers (scorer v8.01), files
test/CorefMetricTestConfig.pm (the expected [recall, precision, F1] of each metric for each
test case), test/DataFiles/TC-*.key and TC-*.response (the clusters, in CoNLL format) and
test/TestCases.README (the cases described with letters). The numbers below are the
reference's expected values as the configuration states them, written as the same
fractions; a value the configuration gives as a rounded decimal is written as a string and
compared to half a unit in its last place. The data were transcribed by hand in this
layout; no reference code is used.

Mentions are token spans (start, end), inclusive, numbered as the reference scorer numbers
them: one running line index over the whole document, blank lines not counted (in the TC-A,
TC-M and TC-N documents the second sentence starts at 9). The README's letters are in the
comments; a letter can stand for a different span in different response files.

Transcribed: TC-A-1 to A-13, D-1, E-1, F-1, G-1, H-1, I-1, J-1, K-1, L-1, M-1, M-2, M-5,
N-1, N-2, N-4, for the metrics factgold has (muc, bcub as factgold's "b3", ceafe).
Skipped: every BLANC and CEAF-m expectation (factgold has neither metric); TC-B-1, TC-C-1,
TC-M-3, M-4, M-6 and TC-N-3, N-5, N-6, whose configuration expects BLANC only; and the
lines the configuration comments out (the "[1, 1, 1]" placeholders of ceafe in A-10 to
A-13, and bcub/ceafe in N-1, given only in the README).

Zero denominators: where a metric has nothing to find and nothing predicted (MUC over
singletons only, N-1 and N-4), the reference reports 0 and factgold's convention is set in
factgold.score.counts, so these rows check the counts (all zero), not the reference's 0. Where
only one denominator is zero (MUC precision of A-10, A-12, M-2, M-5; MUC recall of N-2),
both give 0 and the value is checked.

The second part of the file checks that `coreference_counts` puts its input in canonical
form itself: a mention repeated across clusters counts once, whatever the clusters' order.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Hashable, Sequence
from typing import cast

import pytest

from factgold.score.coref import Cluster, b_cubed, canonical_clusters, ceaf_e, coreference_counts, muc
from factgold.score.counts import CorefCounts

Span = tuple[int, int]
Clusters = tuple[tuple[Span, ...], ...]
# A float is an exact expected value; a string is a value the configuration rounds.
Expected = float | str

# factgold's name of each reference metric.
FACTGOLD_NAME = {"muc": "muc", "bcub": "b3", "ceafe": "ceafe"}


def _one(*positions: int) -> tuple[Span, ...]:
    """Single-token mentions at the given positions."""
    return tuple((p, p) for p in positions)


# TC-A key: {a} {bc} {def}; a = (0,1), b = (3,6), c = (9,9), d = (11,12), e = (14,14), f = (16,18).
A_KEY: Clusters = (((0, 1),), ((3, 6), (9, 9)), ((11, 12), (14, 14), (16, 18)))
# TC-M key: {abcdef}; TC-N key: {a} {b} {c} {d} {e} {f} (the same six spans).
M_KEY: Clusters = (((0, 1), (3, 6), (9, 9), (11, 12), (14, 14), (16, 18)),)
N_KEY: Clusters = tuple((span,) for span in M_KEY[0])
# TC-D and TC-E key: {12345} {67} {89ABC}.
DE_KEY: Clusters = (_one(1, 3, 5, 7, 9), _one(13, 15), _one(19, 21, 23, 25, 27))

# id: key, response, {metric: (recall, precision, F1)} as in CorefMetricTestConfig.pm.
CASES: dict[str, tuple[Clusters, Clusters, dict[str, tuple[Expected, Expected, Expected]]]] = {
    # {a} {bc} {def}
    "TC-A-1": (
        A_KEY,
        A_KEY,
        {"muc": (1, 1, 1), "bcub": (6 / 6, 6 / 6, 1), "ceafe": (1, 1, 1)},
    ),
    # {a} {de}
    "TC-A-2": (
        A_KEY,
        (((0, 1),), ((11, 12), (14, 14))),
        {"muc": (1 / 3, 1 / 1, 0.5), "bcub": ((7 / 3) / 6, 3 / 3, 14 / 25), "ceafe": (0.6, 0.9, 0.72)},
    ),
    # {a} {bcx} {defy} {z}; x = (10,10), y = (13,13), z = (15,15)
    "TC-A-3": (
        A_KEY,
        (((0, 1),), ((3, 6), (9, 9), (10, 10)), ((11, 12), (13, 13), (14, 14), (16, 18)), ((15, 15),)),
        {
            "muc": (3 / 3, 3 / 5, 0.75),
            "bcub": (6 / 6, (4 + 7 / 12) / 9, 110 / 163),
            "ceafe": ("0.88571", "0.66429", "0.75918"),
        },
    ),
    # {a} {bcx} {dy} {z}; from here to A-9: x = (10,10), z = (13,13), y = (15,15)
    "TC-A-4": (
        A_KEY,
        (((0, 1),), ((3, 6), (9, 9), (10, 10)), ((11, 12), (15, 15)), ((13, 13),)),
        {
            "muc": (1 / 3, 1 / 3, 1 / 3),
            "bcub": ((3 + 1 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 7, 2 * (5 / 9) * (17 / 42) / ((5 / 9) + (17 / 42))),
            "ceafe": ("0.73333", 0.55, "0.62857"),
        },
    ),
    # {a} {bcxB} {dy} {z}; B = (4,5), a different span inside b
    "TC-A-5": (
        A_KEY,
        (((0, 1),), ((3, 6), (4, 5), (9, 9), (10, 10)), ((11, 12), (15, 15)), ((13, 13),)),
        {
            "muc": (1 / 3, 1 / 4, 2 / 7),
            "bcub": ((3 + 1 / 3) / 6, 2.5 / 8, 2 * (5 / 9) * (5 / 16) / ((5 / 9) + (5 / 16))),
            "ceafe": ("0.68889", "0.51667", "0.59048"),
        },
    ),
    # {a} {bcx} {dy} {Bz}; B = (4,5)
    "TC-A-6": (
        A_KEY,
        (((0, 1),), ((3, 6), (9, 9), (10, 10)), ((11, 12), (15, 15)), ((4, 5), (13, 13))),
        {
            "muc": (1 / 3, 1 / 4, 2 / 7),
            "bcub": ((10 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 8, 2 * (5 / 9) * (17 / 48) / ((5 / 9) + (17 / 48))),
            "ceafe": ("0.73333", 0.55, "0.62857"),
        },
    ),
    # {a} {bcxB} {dy} {z}; B is b again (3,6), twice in the same cluster
    "TC-A-7": (
        A_KEY,
        (((0, 1),), ((3, 6), (3, 6), (9, 9), (10, 10)), ((11, 12), (15, 15)), ((13, 13),)),
        {
            "muc": (1 / 3, 1 / 3, 1 / 3),
            "bcub": ((10 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 7, 2 * (5 / 9) * (17 / 42) / ((5 / 9) + (17 / 42))),
            "ceafe": ("0.73333", 0.55, "0.62857"),
        },
    ),
    # {a} {bcx} {dy} {Bz}; B is b again (3,6), in another cluster
    "TC-A-8": (
        A_KEY,
        (((0, 1),), ((3, 6), (9, 9), (10, 10)), ((11, 12), (15, 15)), ((3, 6), (13, 13))),
        {
            "muc": (1 / 3, 1 / 3, 1 / 3),
            "bcub": ((10 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 7, 2 * (5 / 9) * (17 / 42) / ((5 / 9) + (17 / 42))),
            "ceafe": ("0.73333", 0.55, "0.62857"),
        },
    ),
    # {a} {bcx} {dy} {Bx10 z}; b (3,6) ten times more in another cluster
    "TC-A-9": (
        A_KEY,
        (((0, 1),), ((3, 6), (9, 9), (10, 10)), ((11, 12), (15, 15)), ((3, 6),) * 10 + ((13, 13),)),
        {
            "muc": (1 / 3, 1 / 3, 1 / 3),
            "bcub": ((10 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 7, 2 * (5 / 9) * (17 / 42) / ((5 / 9) + (17 / 42))),
            "ceafe": ("0.73333", 0.55, "0.62857"),
        },
    ),
    # {a} {b} {c} {d} {e} {f}
    "TC-A-10": (
        A_KEY,
        N_KEY,
        {"muc": (0, 0, 0), "bcub": (3 / 6, 6 / 6, 2 / 3)},
    ),
    # {abcdef}
    "TC-A-11": (
        A_KEY,
        M_KEY,
        {"muc": (3 / 3, 3 / 5, 6 / 8), "bcub": (6 / 6, (1 / 6 + 2 * 2 / 6 + 3 * 3 / 6) / 6, 14 / 25)},
    ),
    # {a} {x} {y} {c} {d} {e} {z}; x = (3,4), y = (7,7), z = (16,16)
    "TC-A-12": (
        A_KEY,
        (((0, 1),), ((3, 4),), ((7, 7),), ((9, 9),), ((11, 12),), ((14, 14),), ((16, 16),)),
        {"muc": (0, 0, 0), "bcub": ((1 + 1 / 2 + 2 / 3) / 6, 4 / 7, 2 * (13 / 36) * (4 / 7) / ((13 / 36) + (4 / 7)))},
    ),
    # {axycdez}
    "TC-A-13": (
        A_KEY,
        (((0, 1), (3, 4), (7, 7), (9, 9), (11, 12), (14, 14), (16, 16)),),
        {
            "muc": (1 / 3, 1 / 6, 2 / 9),
            "bcub": (
                (1 + 1 / 2 + 2 * 2 / 3) / 6,
                (1 / 7 + 1 / 7 + 2 * 2 / 7) / 7,
                2 * (17 / 36) * (6 / 49) / ((17 / 36) + (6 / 49)),
            ),
        },
    ),
    # {12345} {6789ABC}
    "TC-D-1": (
        DE_KEY,
        (_one(1, 3, 5, 7, 9), _one(13, 15, 19, 21, 23, 25, 27)),
        {
            "muc": (9 / 9, 9 / 10, 2 * (9 / 9) * (9 / 10) / (9 / 9 + 9 / 10)),
            "bcub": (12 / 12, 16 / 21, 2 * (12 / 12) * (16 / 21) / (12 / 12 + 16 / 21)),
        },
    ),
    # {123456789ABC} {67}: 1-5 with 8-C
    "TC-E-1": (
        DE_KEY,
        (_one(1, 3, 5, 7, 9, 19, 21, 23, 25, 27), _one(13, 15)),
        {
            "muc": (9 / 9, 9 / 10, 2 * (9 / 9) * (9 / 10) / (9 / 9 + 9 / 10)),
            "bcub": (1, 7 / 12, 2 * 1 * (7 / 12) / (1 + 7 / 12)),
        },
    ),
    # key {ABCD}, response {AB} {CD}
    "TC-F-1": (
        (_one(1, 3, 5, 7),),
        (_one(1, 3), _one(5, 7)),
        {"muc": (2 / 3, 2 / 2, 2 * (2 / 3) * (2 / 2) / (2 / 3 + 2 / 2))},
    ),
    # key {AB} {CD}, response {ABCD}
    "TC-G-1": (
        (_one(1, 3), _one(5, 7)),
        (_one(1, 3, 5, 7),),
        {"muc": (2 / 2, 2 / 3, 2 * (2 / 2) * (2 / 3) / (2 / 2 + 2 / 3))},
    ),
    # key {ABCD}, response {ABCD}
    "TC-H-1": (
        (_one(1, 3, 5, 7),),
        (_one(1, 3, 5, 7),),
        {"muc": (1, 1, 1)},
    ),
    # key {ABCD}, response {AB} {CD}
    "TC-I-1": (
        (_one(1, 3, 5, 7),),
        (_one(1, 3), _one(5, 7)),
        {"muc": (2 / 3, 2 / 2, 2 * (2 / 3) * (2 / 2) / (2 / 3 + 2 / 2))},
    ),
    # key {ABC}, response {AC}
    "TC-J-1": (
        (_one(1, 3, 5),),
        (_one(1, 5),),
        {"muc": (1 / 2, 1 / 1, 2 * (1 / 2) * (1 / 1) / (1 / 2 + 1 / 1))},
    ),
    # key {BCDEGHJ}, response {ABC} {DEF} {GHI}
    "TC-K-1": (
        (_one(3, 5, 7, 9, 13, 15, 19),),
        (_one(1, 3, 5), _one(7, 9, 11), _one(13, 15, 17)),
        {"muc": (3 / 6, 3 / 6, 3 / 6)},
    ),
    # key {ABC} {DEFG}, response {AB} {CD} {FGH}
    "TC-L-1": (
        (_one(1, 3, 5), _one(7, 9, 11, 13)),
        (_one(1, 3), _one(5, 7), _one(11, 13, 15)),
        {"muc": (2 / 5, 2 / 4, 2 * (2 / 5) * (2 / 4) / (2 / 5 + 2 / 4))},
    ),
    # key {abcdef}, response {abcdef}
    "TC-M-1": (
        M_KEY,
        M_KEY,
        {"muc": (1, 1, 1), "bcub": (1, 1, 1), "ceafe": (1, 1, 1)},
    ),
    # key {abcdef}, response {a} {b} {c} {d} {e} {f}
    "TC-M-2": (M_KEY, N_KEY, {"muc": (0, 0, 0)}),
    # key {abcdef}, response {a} {b} {c} {x} {y} {z}; x = (10,10), y = (13,13), z = (15,15)
    "TC-M-5": (M_KEY, (((0, 1),), ((3, 6),), ((9, 9),), ((10, 10),), ((13, 13),), ((15, 15),)), {"muc": (0, 0, 0)}),
    # key {a} {b} {c} {d} {e} {f}, response the same
    "TC-N-1": (N_KEY, N_KEY, {"muc": (0, 0, 0)}),
    # key {a} {b} {c} {d} {e} {f}, response {abcdef}
    "TC-N-2": (N_KEY, M_KEY, {"muc": (0, 0, 0)}),
    # key {a} {b} {c} {d} {e} {f}, response {a} {b} {c} {x} {y} {z}
    "TC-N-4": (N_KEY, (((0, 1),), ((3, 6),), ((9, 9),), ((10, 10),), ((13, 13),), ((15, 15),)), {"muc": (0, 0, 0)}),
}

ROWS = [
    pytest.param(key, response, metric, expected, id=f"{case} {metric}")
    for case, (key, response, metrics) in CASES.items()
    for metric, expected in metrics.items()
]


def _clusters(clusters: Clusters) -> list[Cluster]:
    return [frozenset(cluster) for cluster in clusters]


def _approx(expected: Expected) -> object:
    if isinstance(expected, str):
        places = len(expected.partition(".")[2])
        return pytest.approx(float(expected), abs=0.5 * 10**-places + 1e-12)
    return pytest.approx(expected)


def test_the_table_has_every_transcribed_case() -> None:
    assert len(CASES) == 13 + 9 + 3 + 3
    # TC-A: 9 cases x 3 metrics + 4 x 2; D, E: 2 x 2; F to L: 7 x 1; M: 3 + 1 + 1; N: 3 x 1.
    assert len(ROWS) == 9 * 3 + 4 * 2 + 2 * 2 + 7 + 5 + 3


@pytest.mark.parametrize(("key", "response", "metric", "expected"), ROWS)
def test_reference_scorer_test_case(
    key: Clusters, response: Clusters, metric: str, expected: tuple[Expected, Expected, Expected]
) -> None:
    counts = coreference_counts(_clusters(key), _clusters(response))[FACTGOLD_NAME[metric]]
    if counts.recall_den == 0 and counts.precision_den == 0:
        # Nothing to find and nothing predicted: the reference's value (0) is a convention
        # factgold.score.counts decides; the counts themselves must be empty.
        assert counts == CorefCounts(0.0, 0.0, 0.0, 0.0)
        assert all(value == 0 for value in expected)
        return
    recall, precision, f1 = expected
    assert counts.recall == _approx(recall)
    assert counts.precision == _approx(precision)
    assert counts.f1 == _approx(f1)


# --- coreference_counts on its own: repeated mentions and cluster order -----------------


def test_a_span_in_two_response_clusters_counts_once() -> None:
    # Key {ab} {c}; response {ab} {bc}: b = (2,3) is in two response clusters. The cluster
    # that starts first, {ab}, keeps it, so the response is {ab} {c}, the key itself.
    a, b, c = (0, 1), (2, 3), (4, 5)
    key = [frozenset({a, b}), frozenset({c})]
    counts = coreference_counts(key, [frozenset({b, c}), frozenset({a, b})])
    assert counts == coreference_counts(key, [frozenset({a, b}), frozenset({c})])
    # By hand: every metric is perfect on the de-duplicated response.
    assert counts["muc"] == CorefCounts(1.0, 1.0, 1.0, 1.0)
    assert counts["b3"] == CorefCounts(3.0, 3.0, 3.0, 3.0)
    assert counts["ceafe"] == CorefCounts(2.0, 2.0, 2.0, 2.0)


def test_a_span_in_two_response_clusters_hand_computed() -> None:
    # Key {abc}; response {ab} {bd}. Kept: {ab} {d} (b stays in the cluster starting at a).
    # MUC: recall (3 - 2) / 2, precision (1 + 0) / (1 + 0).
    # B-cubed: recall (2/3 + 2/3 + 0) / 3; precision (1 + 1 + 0) / 3.
    # CEAF-e: phi4({abc}, {ab}) = 4/5; recall 4/5 / 1, precision 4/5 / 2.
    a, b, c, d = (0, 0), (1, 1), (2, 2), (3, 3)
    counts = coreference_counts([frozenset({a, b, c})], [frozenset({b, d}), frozenset({a, b})])
    assert counts["muc"] == CorefCounts(1.0, 2.0, 1.0, 1.0)
    assert counts["b3"].recall_num == pytest.approx(4 / 3)
    assert (counts["b3"].recall_den, counts["b3"].precision_num, counts["b3"].precision_den) == (3.0, 2.0, 3.0)
    assert counts["ceafe"].recall_num == pytest.approx(4 / 5)
    assert counts["ceafe"].precision_num == pytest.approx(4 / 5)
    assert (counts["ceafe"].recall_den, counts["ceafe"].precision_den) == (1.0, 2.0)


def test_a_mention_repeated_in_the_key_and_empty_clusters_are_dropped() -> None:
    a, b, c = (0, 1), (2, 3), (4, 5)
    repeated = [frozenset({a, b}), frozenset(), frozenset({b, c}), frozenset({c})]
    clean = [frozenset({a, b}), frozenset({c})]
    response = [frozenset({a}), frozenset({b, c})]
    assert canonical_clusters(repeated) == clean
    assert coreference_counts(repeated, response) == coreference_counts(clean, response)
    for metric in (muc, b_cubed, ceaf_e):
        assert metric(repeated, response) == metric(clean, response)
        assert metric(response, repeated) == metric(response, clean)


@pytest.mark.parametrize("case", ["TC-A-8", "TC-A-9", "TC-A-6", "TC-A-13", "TC-K-1", "TC-L-1"])
def test_counts_do_not_depend_on_cluster_order(case: str) -> None:
    key, response = _clusters(CASES[case][0]), _clusters(CASES[case][1])
    expected = coreference_counts(key, response)
    shuffle = random.Random(case)
    for _ in range(20):
        shuffled_key, shuffled_response = list(key), list(response)
        shuffle.shuffle(shuffled_key)
        shuffle.shuffle(shuffled_response)
        assert coreference_counts(shuffled_key, shuffled_response) == expected


def test_every_order_of_overlapping_clusters_gives_the_same_counts() -> None:
    # Three response clusters that share mentions pairwise, in all six orders.
    a, b, c, d, e = ((i, i) for i in range(5))
    key = [frozenset({a, b, c}), frozenset({d, e})]
    response: list[Cluster] = [frozenset({a, b}), frozenset({b, c, d}), frozenset({d, e, a})]
    results = {
        tuple(sorted(coreference_counts(key, list(order)).items())) for order in itertools.permutations(response)
    }
    assert len(results) == 1


def test_the_kept_cluster_is_the_first_in_canonical_order_for_any_mentions() -> None:
    # Mentions need not be spans or comparable with each other; the choice is still
    # independent of the order of the clusters.
    mixed: list[frozenset[Hashable]] = [frozenset({"x", 1}), frozenset({1, (2, 3)}), frozenset({"x"})]
    expected = canonical_clusters(mixed)
    assert sorted(len(cluster) for cluster in expected) == [1, 2]
    assert sum(len(cluster) for cluster in expected) == 3
    for order in itertools.permutations(mixed):
        assert canonical_clusters(order) == expected


def _as_lists(clusters: Sequence[Cluster]) -> list[list[Span]]:
    return [sorted(cast("frozenset[Span]", cluster)) for cluster in clusters]


def test_canonical_order_of_spans_is_document_order() -> None:
    # TC-A-8's response: b = (3,6) is in {bcx} and {Bz}; {bcx} comes first in the document
    # order (its second mention, c = (9,9), precedes z = (13,13)), so it keeps b, as the
    # reference scorer does (there, the entity whose label comes first in the file).
    response = _clusters(CASES["TC-A-8"][1])
    assert _as_lists(canonical_clusters(response)) == [
        [(0, 1)],
        [(3, 6), (9, 9), (10, 10)],
        [(11, 12), (15, 15)],
        [(13, 13)],
    ]
