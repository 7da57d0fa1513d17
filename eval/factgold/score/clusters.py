"""The cluster view: predicted entities aligned to gold entities, and coreference counts.

Entity-level precision, recall and F1 come from a one-to-one alignment of predicted and
gold clusters by the number of their aligned mentions (the NER view's alignment), with
agreeing types preferred among equals; coreference is scored by the CoNLL-2012 metrics
(`factgold.score.coref`) over exact-span mention identity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from factgold.read.document import Document
from factgold.score.align import max_weight_matching
from factgold.score.coref import Cluster, coreference_counts, singleton_coreference_counts
from factgold.score.counts import PRF, prf_of
from factgold.score.items import ErrorItem, ItemRef
from factgold.score.mentions import MentionItem, item_key
from factgold.score.resolve import most_lenient


def _clusters(mentions: Sequence[MentionItem]) -> dict[str, list[MentionItem]]:
    clusters: dict[str, list[MentionItem]] = {}
    for mention in mentions:
        clusters.setdefault(mention.entity, []).append(mention)
    return clusters


def _grounded_by(members: Sequence[MentionItem]) -> str | None:
    """How the text-only mentions of a predicted cluster were found; a fuzzy match always shows."""
    return most_lenient(*(m.grounded_by for m in members))


@dataclass(frozen=True)
class ClusterScores:
    """The cluster view of one document: entity-level counts, coreference counts, error items
    (none built without ``with_items``), notes, and how many items fell in each category."""

    clusters: PRF
    coreference: dict[str, Any]
    errors: list[ErrorItem]
    notes: list[str]
    categories: Counter[str]


def score_clusters(
    doc: Document,
    gold: Sequence[MentionItem],
    predicted: Sequence[MentionItem],
    aligned: Sequence[tuple[MentionItem, MentionItem]],
    *,
    with_items: bool = True,
) -> ClusterScores:
    """Entity-level P/R/F1 and coreference counts of the cluster view.

    Flat NER output, where every cluster on both sides is one mention of its own span, takes
    `_score_singletons`, which gives the same result without the general alignment.
    """
    if _distinct_singletons(gold) and _distinct_singletons(predicted):
        return _score_singletons(doc, gold, predicted, aligned, with_items=with_items)
    return score_clusters_general(doc, gold, predicted, aligned, with_items=with_items)


def _distinct_singletons(mentions: Sequence[MentionItem]) -> bool:
    """Whether every cluster has one mention and no two clusters have the same span."""
    return len({m.entity for m in mentions}) == len(mentions) == len({(m.start, m.end) for m in mentions})


def _ref(members: Sequence[MentionItem], label: str) -> ItemRef:
    first = members[0]  # the members are sorted
    text = first.text if len(members) == 1 else " | ".join(m.text for m in members)
    return ItemRef(first.start, first.end, text, label)


def _gold_item_key(pair: tuple[MentionItem, MentionItem]) -> tuple[int, int, str, str, str, str]:
    return item_key(pair[0])


def _score_singletons(
    doc: Document,
    gold: Sequence[MentionItem],
    predicted: Sequence[MentionItem],
    aligned: Sequence[tuple[MentionItem, MentionItem]],
    *,
    with_items: bool,
) -> ClusterScores:
    """`score_clusters_general` when every cluster is a single mention and no span repeats on either side.

    Why it is the same: the aligned mention pairs are one-to-one, so each pair of singleton
    clusters shares exactly one aligned mention and no cluster is in two pairs; every
    cluster pair is then its own component of the matching and all of them are matched
    (`max_weight_matching`'s common case), in the order of the gold clusters, which is the
    order of their only mentions. With no span repeated, there is no duplicate to note, and
    the coreference counts are those of `singleton_coreference_counts`.
    """
    gold_type = {e.id: e.type for e in doc.entities}
    pairs = sorted(aligned, key=_gold_item_key)
    same_type = [gold_type[g.entity] == p.type for g, p in pairs]
    tp = sum(same_type)
    categories = Counter(["correct" if same else "type" for same in same_type])
    missed = len(gold) - len(pairs)
    spurious = len(predicted) - len(pairs)
    if missed:
        categories["missed"] = missed
    if spurious:
        categories["spurious"] = spurious
    errors: list[ErrorItem] = []
    if with_items:
        # What `_ref` and `_grounded_by` give for one mention, written out (a call fewer for
        # each item), and every argument by position (keywords build a dict for each item).
        for (g, p), same in zip(pairs, same_type, strict=True):
            errors.append(
                ErrorItem(
                    "entities", "correct" if same else "type", doc.id,
                    ItemRef(g.start, g.end, g.text, gold_type[g.entity]), ItemRef(p.start, p.end, p.text, p.type),
                    "1 aligned mention(s)", None, None if p.grounded_by is None else most_lenient(p.grounded_by),
                )
            )  # fmt: skip
        matched_gold = {g.entity for g, _ in pairs}
        matched_predicted = {p.entity for _, p in pairs}
        errors += [
            ErrorItem("entities", "missed", doc.id, ItemRef(g.start, g.end, g.text, gold_type[g.entity]), None)
            for g in sorted(gold, key=item_key)
            if g.entity not in matched_gold
        ]
        errors += [
            ErrorItem(
                "entities",
                "spurious",
                doc.id,
                None,
                ItemRef(p.start, p.end, p.text, p.type),
                "",
                None,
                None if p.grounded_by is None else most_lenient(p.grounded_by),
            )
            for p in sorted(predicted, key=item_key)
            if p.entity not in matched_predicted
        ]
    coreference = singleton_coreference_counts({(m.start, m.end) for m in gold}, {(m.start, m.end) for m in predicted})
    return ClusterScores(prf_of(tp, len(predicted) - tp, len(gold) - tp), coreference, errors, [], categories)


def score_clusters_general(
    doc: Document,
    gold: Sequence[MentionItem],
    predicted: Sequence[MentionItem],
    aligned: Sequence[tuple[MentionItem, MentionItem]],
    *,
    with_items: bool = True,
) -> ClusterScores:
    """`score_clusters` for any clusters: what tests hold the fast path to."""
    gold_clusters = _clusters(gold)
    predicted_clusters = _clusters(predicted)
    shared: Counter[tuple[str, str]] = Counter((g.entity, p.entity) for g, p in aligned)
    # Each cluster's mentions sorted once (by their fields as a tuple: the order of
    # `MentionItem`, compared without building a tuple per comparison); the clusters are
    # ordered by their first mention.
    for members in (*gold_clusters.values(), *predicted_clusters.values()):
        if len(members) > 1:
            members.sort(key=item_key)
    gold_ids = sorted(gold_clusters, key=lambda c: item_key(gold_clusters[c][0]))
    predicted_ids = sorted(predicted_clusters, key=lambda c: item_key(predicted_clusters[c][0]))
    gold_type = {e.id: e.type for e in doc.entities}
    predicted_type = {c: members[0].type for c, members in predicted_clusters.items()}
    # More shared mentions first; among equals, the pairing whose types agree (all type
    # bonuses together stay below one shared mention).
    bonus = 1.0 / (len(gold_ids) + 1)
    # Only clusters that share an aligned mention can pair: the edges come from the shared counts.
    gold_index = {cluster: i for i, cluster in enumerate(gold_ids)}
    predicted_index = {cluster: j for j, cluster in enumerate(predicted_ids)}
    pairs = max_weight_matching(
        {
            (gold_index[g], predicted_index[p]): count + bonus * (gold_type[g] == predicted_type[p])
            for (g, p), count in shared.items()
        }
    )
    errors: list[ErrorItem] = []
    categories: Counter[str] = Counter()
    tp = 0
    matched_gold, matched_predicted = set(), set()
    for i, j in pairs:
        g, p = gold_ids[i], predicted_ids[j]
        matched_gold.add(g)
        matched_predicted.add(p)
        correct = gold_type[g] == predicted_type[p]
        tp += correct
        category = "correct" if correct else "type"
        categories[category] += 1
        if not with_items:
            continue
        errors.append(
            ErrorItem(
                "entities",
                category,
                doc.id,
                _ref(gold_clusters[g], gold_type[g]),
                _ref(predicted_clusters[p], predicted_type[p]),
                f"{shared[(g, p)]} aligned mention(s)",
                grounded_by=_grounded_by(predicted_clusters[p]),
            )
        )
    if len(gold_ids) > len(pairs):
        categories["missed"] = len(gold_ids) - len(pairs)
    if len(predicted_ids) > len(pairs):
        categories["spurious"] = len(predicted_ids) - len(pairs)
    errors += [
        ErrorItem("entities", "missed", doc.id, _ref(gold_clusters[g], gold_type[g]), None)
        for g in gold_ids
        if with_items and g not in matched_gold
    ]
    errors += [
        ErrorItem(
            "entities",
            "spurious",
            doc.id,
            None,
            _ref(predicted_clusters[p], predicted_type[p]),
            grounded_by=_grounded_by(predicted_clusters[p]),
        )
        for p in predicted_ids
        if with_items and p not in matched_predicted
    ]
    clusters = PRF(tp, len(predicted_ids) - tp, len(gold_ids) - tp)

    # Coreference: exact-span mention identity. A span in two predicted clusters counts once
    # (`coreference_counts` keeps it in the first cluster in canonical order); the note says how many.
    key: list[Cluster] = [frozenset((m.start, m.end) for m in members) for members in gold_clusters.values()]
    response: list[Cluster] = [frozenset((m.start, m.end) for m in predicted_clusters[c]) for c in predicted_ids]
    duplicates = sum(len(cluster) for cluster in response) - len(frozenset().union(*response))
    notes = (
        [
            f"{doc.id}: {duplicates} predicted mention span(s) appear in more than one entity; "
            "coreference counts each once"
        ]
        if duplicates
        else []
    )
    return ClusterScores(clusters, coreference_counts(key, response), errors, notes, categories)
