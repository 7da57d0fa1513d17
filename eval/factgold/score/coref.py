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

Every public function first puts each side in canonical form (`canonical_clusters`): a
mention is kept in one cluster only and empty clusters are dropped, so the counts never
depend on duplicates or on the order of the clusters.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from contextlib import suppress
from itertools import pairwise
from typing import Any, cast

from factgold.score.align import max_weight_matching
from factgold.score.counts import CorefCounts, coref_counts_of

Cluster = frozenset[Hashable]


def _mention_ranks(mentions: Iterable[Hashable]) -> dict[Hashable, int]:
    """Each distinct mention's position in an order that depends only on the mentions.

    The natural order when the mentions are comparable (token spans: document order),
    otherwise the order of their type and repr.
    """
    distinct = set(mentions)
    # Mentions that sort into a strictly increasing chain (spans do) have one natural order,
    # whatever order they come in, so the repr-keyed first pass below could not change it:
    # skipping it saves a repr of every mention.
    with suppress(TypeError):
        natural = sorted(cast("list[Any]", distinct))
        if all(a < b for a, b in pairwise(natural)):
            return {mention: rank for rank, mention in enumerate(natural)}
    ordered = sorted(distinct, key=lambda m: (type(m).__module__, type(m).__qualname__, repr(m)))
    with suppress(TypeError):
        ordered = sorted(cast("list[Any]", ordered))
    return {mention: rank for rank, mention in enumerate(ordered)}


def canonical_clusters(clusters: Iterable[Iterable[Hashable]]) -> list[Cluster]:
    """One side's clusters with every mention in exactly one cluster, in a canonical order.

    A mention can only belong to one entity, but a system (or a careless caller) may put
    the same mention in two clusters; counted as given, it would be a mention twice over:
    B-cubed would count it twice, MUC's and CEAF's partitions would be wrong. Like the
    CoNLL-2012 reference scorer, which keeps a repeated response mention only in the first
    entity that has it, the mention is kept only in the first cluster that has it, where
    "first" is the clusters' canonical order, not their input order: clusters are ordered by
    their sorted mentions (for token spans, the cluster that starts earliest in the
    document comes first), so the result does not depend on how the clusters were listed.
    Clusters left empty, and empty clusters given, are dropped (they are no entity). The
    clusters returned are in the same canonical order.

    >>> canonical_clusters([{(5, 6), (0, 1)}, set(), {(0, 1), (2, 3)}])
    [frozenset({(0, 1), (2, 3)}), frozenset({(5, 6)})]
    """
    given = {frozenset(cluster) for cluster in clusters}
    given.discard(frozenset())
    rank = _mention_ranks(mention for cluster in given for mention in cluster)

    def order(cluster: Cluster) -> list[int]:
        return sorted(rank[mention] for mention in cluster)

    ordered = sorted(given, key=order)
    if sum(len(cluster) for cluster in given) == len(rank):
        # No mention is in two clusters: every cluster is kept whole, already in canonical order.
        return ordered
    seen: set[Hashable] = set()
    result: list[Cluster] = []
    for cluster in ordered:
        kept = cluster - seen
        if kept:
            result.append(kept)
            seen |= kept
    return sorted(result, key=order)


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
    return _muc(canonical_clusters(key), canonical_clusters(response))


def _muc(key: Sequence[Cluster], response: Sequence[Cluster]) -> CorefCounts:
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
    return _b_cubed(canonical_clusters(key), canonical_clusters(response))


def _b_cubed(key: Sequence[Cluster], response: Sequence[Cluster]) -> CorefCounts:
    recall = _b3_side(key, response)
    precision = _b3_side(response, key)
    return CorefCounts(recall[0], recall[1], precision[0], precision[1])


def ceaf_e(key: Sequence[Cluster], response: Sequence[Cluster]) -> CorefCounts:
    """Entity-based CEAF counts with phi4.

    >>> counts = ceaf_e([frozenset("abc")], [frozenset("ab"), frozenset("c")])
    >>> counts.recall, counts.precision
    (0.8, 0.4)
    """
    return _ceaf_e(canonical_clusters(key), canonical_clusters(response))


def _ceaf_e(key: Sequence[Cluster], response: Sequence[Cluster]) -> CorefCounts:
    # Both sides are in canonical order (canonical_clusters), so the alignment is too. Only
    # clusters that share a mention have phi4 > 0, so only they are paired: the cost is
    # linear in the mentions, not quadratic in the clusters.
    owner = {mention: index for index, cluster in enumerate(key) for mention in cluster}
    shared: dict[tuple[int, int], int] = {}
    for j, cluster in enumerate(response):
        for mention in cluster:
            if mention in owner:
                shared[(owner[mention], j)] = shared.get((owner[mention], j), 0) + 1
    weights = {(i, j): 2 * count / (len(key[i]) + len(response[j])) for (i, j), count in shared.items()}
    pairs = max_weight_matching(weights)
    total = sum(weights[pair] for pair in pairs)
    return CorefCounts(total, float(len(key)), total, float(len(response)))


METRICS = {"muc": muc, "b3": b_cubed, "ceafe": ceaf_e}
_UNCHECKED = {"muc": _muc, "b3": _b_cubed, "ceafe": _ceaf_e}


def coreference_counts(key: Sequence[Cluster], response: Sequence[Cluster]) -> dict[str, CorefCounts]:
    """The three CoNLL-2012 metrics' counts for one document.

    Each side is put in canonical form once (`canonical_clusters`: a mention repeated in
    several clusters is kept in the first in canonical order, empty clusters are dropped),
    so the counts are those of the de-duplicated input whatever the clusters' order.

    >>> twice = coreference_counts([frozenset("ab")], [frozenset("ab"), frozenset("b")])
    >>> twice == coreference_counts([frozenset("ab")], [frozenset("ab")])
    True
    """
    canonical_key, canonical_response = canonical_clusters(key), canonical_clusters(response)
    return {name: metric(canonical_key, canonical_response) for name, metric in _UNCHECKED.items()}


def singleton_coreference_counts(key: set[Hashable], response: set[Hashable]) -> dict[str, CorefCounts]:
    """`coreference_counts` when every cluster on both sides is a single mention: the key's
    mentions and the response's, each given once.

    Why it is the same: no singleton has a link, so MUC is 0 over 0 on both sides. In
    B-cubed, a mention's cluster shares one mention (itself) with the other side's cluster
    when the other side has it, none otherwise: each side's numerator is the number of
    shared mentions, added as 1.0 per mention, over the number of its mentions. In CEAF-e,
    only a key and a response singleton of the same mention share anything, phi4 is then
    2 * 1 / (1 + 1) = 1.0, and these pairs are disjoint, so the optimal alignment takes
    them all: the total is again the number of shared mentions (an integer 0 when there is
    none, as the sum of no pairs is).

    >>> singleton_coreference_counts({(0, 1), (2, 3)}, {(2, 3)}) == coreference_counts(
    ...     [frozenset({(0, 1)}), frozenset({(2, 3)})], [frozenset({(2, 3)})]
    ... )
    True
    """
    shared = len(key & response)
    total = float(shared) if shared else 0
    # Through `coref_counts_of`'s cache: this runs for every flat document.
    return {
        "muc": coref_counts_of(0.0, 0.0, 0.0, 0.0),
        "b3": coref_counts_of(float(shared), float(len(key)), float(shared), float(len(response))),
        "ceafe": coref_counts_of(total, float(len(key)), total, float(len(response))),
    }


def conll_f1(counts: dict[str, CorefCounts]) -> float:
    """The CoNLL-2012 score: the mean of MUC, B-cubed and CEAF-e F1."""
    return sum(counts[name].f1 for name in METRICS) / len(METRICS)
