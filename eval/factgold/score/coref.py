"""Coreference metrics as the CoNLL-2012 shared task scores them (Pradhan et al., 2014).

Clusters are sets of mention keys; a predicted mention is the gold mention with exactly the
same span (as in the reference scorer), otherwise it is twinless. Singletons are kept on
both sides (the corpus annotates them). Each metric returns summed numerators and
denominators (`CorefCounts`), so documents add up as in the reference scorer.

- MUC (Vilain et al., 1995): recall = sum over key clusters K of (|K| - |p(K)|) / (|K| - 1),
  where p(K) partitions K by the response clusters (twinless mentions each a part of their
  own); precision swaps key and response.
- B-cubed (Bagga and Baldwin, 1998): recall = sum over key mentions m of
  |K(m) ∩ R(m)| / |K(m)|, over the number of key mentions; precision swaps.
- CEAF-e (Luo, 2005): the optimal one-to-one alignment of key and response clusters by
  phi4(K, R) = 2|K ∩ R| / (|K| + |R|); recall = total phi4 / number of key clusters,
  precision = total / number of response clusters.
- CoNLL F1: the unweighted mean of the three F1 scores.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from factgold.align import optimal_assignment
from factgold.counts import CorefCounts

Cluster = frozenset[Hashable]


def _muc_side(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float]:
    owner = {mention: index for index, cluster in enumerate(response) for mention in cluster}
    numerator = denominator = 0.0
    for cluster in key:
        parts = {owner.get(mention, ("twinless", mention)) for mention in cluster}
        numerator += len(cluster) - len(parts)
        denominator += len(cluster) - 1
    return numerator, denominator


def muc(key: Sequence[Cluster], response: Sequence[Cluster]) -> CorefCounts:
    """MUC link-based counts.

    >>> counts = muc([frozenset("abc")], [frozenset("ab"), frozenset("c")])
    >>> counts.recall, counts.precision
    (0.5, 1.0)
    """
    recall = _muc_side(key, response)
    precision = _muc_side(response, key)
    return CorefCounts(recall[0], recall[1], precision[0], precision[1])


def _b3_side(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float]:
    owner = {mention: cluster for cluster in response for mention in cluster}
    numerator = 0.0
    total = 0
    for cluster in key:
        for mention in cluster:
            numerator += len(cluster & owner.get(mention, frozenset())) / len(cluster)
            total += 1
    return numerator, float(total)


def b_cubed(key: Sequence[Cluster], response: Sequence[Cluster]) -> CorefCounts:
    """B-cubed mention-based counts.

    >>> counts = b_cubed([frozenset("abc")], [frozenset("ab"), frozenset("c")])
    >>> round(counts.recall, 4), counts.precision
    (0.5556, 1.0)
    """
    recall = _b3_side(key, response)
    precision = _b3_side(response, key)
    return CorefCounts(recall[0], recall[1], precision[0], precision[1])


def ceaf_e(key: Sequence[Cluster], response: Sequence[Cluster]) -> CorefCounts:
    """Entity-based CEAF counts with phi4.

    >>> counts = ceaf_e([frozenset("abc")], [frozenset("ab"), frozenset("c")])
    >>> counts.recall, counts.precision
    (0.8, 0.4)
    """

    def phi4(k: Cluster, r: Cluster) -> float:
        return 2 * len(k & r) / (len(k) + len(r))

    key_order = sorted(key, key=lambda c: sorted(map(repr, c)))
    response_order = sorted(response, key=lambda c: sorted(map(repr, c)))
    pairs = optimal_assignment(key_order, response_order, phi4)
    total = sum(phi4(key_order[i], response_order[j]) for i, j in pairs)
    return CorefCounts(total, float(len(key)), total, float(len(response)))


METRICS = {"muc": muc, "b3": b_cubed, "ceafe": ceaf_e}


def coreference_counts(key: Sequence[Cluster], response: Sequence[Cluster]) -> dict[str, CorefCounts]:
    """The three CoNLL-2012 metrics' counts for one document."""
    return {name: metric(key, response) for name, metric in METRICS.items()}


def conll_f1(counts: dict[str, CorefCounts]) -> float:
    """The CoNLL-2012 score: the mean of MUC, B-cubed and CEAF-e F1."""
    return sum(counts[name].f1 for name in METRICS) / len(METRICS)
