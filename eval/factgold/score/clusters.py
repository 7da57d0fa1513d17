"""The cluster view: predicted entities aligned to gold entities, and coreference counts.

Entity-level precision, recall and F1 come from a one-to-one alignment of predicted and
gold clusters by the number of their aligned mentions (the NER view's alignment), with
agreeing types preferred among equals; coreference is scored by the CoNLL-2012 metrics
(`factgold.score.coref`) over exact-span mention identity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from factgold.read.document import Document
from factgold.score.align import max_weight_matching
from factgold.score.coref import Cluster, coreference_counts
from factgold.score.counts import PRF
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


def score_clusters(
    doc: Document,
    gold: Sequence[MentionItem],
    predicted: Sequence[MentionItem],
    aligned: Sequence[tuple[MentionItem, MentionItem]],
) -> tuple[PRF, dict[str, Any], list[ErrorItem], list[str]]:
    """Entity-level P/R/F1 and coreference counts of the cluster view."""
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
    tp = 0

    def ref(members: Sequence[MentionItem], label: str) -> ItemRef:
        first = members[0]  # the members are sorted
        text = first.text if len(members) == 1 else " | ".join(m.text for m in members)
        return ItemRef(first.start, first.end, text, label)

    matched_gold, matched_predicted = set(), set()
    for i, j in pairs:
        g, p = gold_ids[i], predicted_ids[j]
        matched_gold.add(g)
        matched_predicted.add(p)
        correct = gold_type[g] == predicted_type[p]
        tp += correct
        category = "correct" if correct else "type"
        errors.append(
            ErrorItem(
                "entities",
                category,
                doc.id,
                ref(gold_clusters[g], gold_type[g]),
                ref(predicted_clusters[p], predicted_type[p]),
                f"{shared[(g, p)]} aligned mention(s)",
                grounded_by=_grounded_by(predicted_clusters[p]),
            )
        )
    errors += [
        ErrorItem("entities", "missed", doc.id, ref(gold_clusters[g], gold_type[g]), None)
        for g in gold_ids
        if g not in matched_gold
    ]
    errors += [
        ErrorItem(
            "entities",
            "spurious",
            doc.id,
            None,
            ref(predicted_clusters[p], predicted_type[p]),
            grounded_by=_grounded_by(predicted_clusters[p]),
        )
        for p in predicted_ids
        if p not in matched_predicted
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
    return clusters, coreference_counts(key, response), errors, notes
