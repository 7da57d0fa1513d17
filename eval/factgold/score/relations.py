"""Relations scored at the entity level.

A predicted relation's head and tail resolve to gold entities (`factgold.score.resolve`);
the relation is correct when (type, head entity, tail entity) is a gold triple, in either
direction for symmetric types. strict compares typed triples; unlabeled compares the
unordered entity pairs. Predictions are sets: a triple predicted twice (say, once per
mention of a flat NER output) counts once, and the extra copies are listed as `duplicate`.
A relation whose head or tail matches no gold mention is `unresolved`, one whose head or
tail string is nowhere in the document is `hallucinated`; both count as false positives in
both modes. With ``optional_credited`` (accepted alternatives credited), an ``optional``
gold relation is a true positive where predicted and nothing where not: in each mode it
counts only if that mode matches it, so no other prediction, right or wrong, changes
whether it counts.
Per type: true positives and false negatives under the gold type, false positives under
the predicted type, so that the per-type counts add up to the overall counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from factgold.read.document import Document
from factgold.read.predictions import PredictedEntity, PredictedRelation
from factgold.score.counts import PRF
from factgold.score.items import ErrorItem, ItemRef
from factgold.score.resolve import EntityResolver, most_lenient

Triple = tuple[str, str, str]


@dataclass(frozen=True)
class RelationScores:
    """Counts of one document's relations and their error items."""

    strict: PRF
    unlabeled: PRF
    by_type: dict[str, PRF]
    errors: tuple[ErrorItem, ...]


def _triple(kind: str, head: str, tail: str, symmetric: frozenset[str]) -> Triple:
    return (kind, *sorted((head, tail))) if kind in symmetric else (kind, head, tail)  # type: ignore[return-value]


def score_relations(
    gold: Document,
    predicted: Sequence[PredictedRelation],
    entities: Sequence[PredictedEntity],
    resolver: EntityResolver,
    symmetric: frozenset[str],
    *,
    optional_credited: bool = False,
) -> RelationScores:
    """Score one document's predicted relations against its gold relations."""
    names = {e.id: e.name for e in gold.entities}

    gold_triples = {_triple(r.type, r.head, r.tail, symmetric): r for r in gold.relations}
    optional = {triple for triple, r in gold_triples.items() if r.optional and optional_credited}
    gold_pairs = {frozenset((r.head, r.tail)) for t, r in gold_triples.items() if t not in optional}
    optional_pairs = {frozenset((r.head, r.tail)) for t, r in gold_triples.items() if t in optional}
    triples_of_pair: dict[frozenset[str], list[Triple]] = {}  # looked up per wrong prediction, built once
    for triple, stated in gold_triples.items():
        triples_of_pair.setdefault(frozenset((stated.head, stated.tail)), []).append(triple)
    errors: list[ErrorItem] = []
    fp_by_type: Counter[str] = Counter()
    tp_by_type: Counter[str] = Counter()
    predicted_triples: set[Triple] = set()
    predicted_pairs: set[frozenset[str]] = set()
    unresolved = 0
    unresolved_seen: set[tuple[str, str, str]] = set()

    def gold_ref(triple: Triple) -> ItemRef:
        relation = gold_triples[triple]
        first = relation.evidence[0]
        return ItemRef(
            first.start, first.end, first.text, f"{relation.type}({names[relation.head]}, {names[relation.tail]})"
        )

    resolved = [(r, resolver.resolve(r.head, entities), resolver.resolve(r.tail, entities)) for r in predicted]
    for relation, head_resolution, tail_resolution in sorted(
        resolved,
        key=lambda x: (x[0].type, x[1].shown, x[2].shown, x[1].entity or "", x[2].entity or "", x[0].score or 0.0),
    ):
        head, tail = head_resolution.entity, tail_resolution.entity
        predicted_ref = ItemRef(
            None, None, f"{relation.type}({head_resolution.shown}, {tail_resolution.shown})", relation.type
        )

        def emit(
            category: str,
            gold_side: ItemRef | None,
            detail: str,
            shown: ItemRef = predicted_ref,
            score: float | None = relation.score,
            grounded_by: str | None = most_lenient(head_resolution.grounded_by, tail_resolution.grounded_by),
        ) -> None:
            errors.append(ErrorItem("relations", category, gold.id, gold_side, shown, detail, score, grounded_by))

        if head is None or tail is None:
            key = (relation.type, head_resolution.shown, tail_resolution.shown)
            if key in unresolved_seen:
                emit("duplicate", None, "same prediction as another; counted once")
                continue
            unresolved_seen.add(key)
            unresolved += 1
            fp_by_type[relation.type] += 1
            ends = (("head", head_resolution), ("tail", tail_resolution))
            hallucinated = [end for end, r in ends if r.failure == "hallucinated"]
            if hallucinated:
                emit("hallucinated", None, f"{' and '.join(hallucinated)} not found in the document")
            else:
                emit(
                    "unresolved",
                    None,
                    f"{' and '.join(end for end, r in ends if r.entity is None)} matches no gold mention",
                )
            continue
        triple = _triple(relation.type, head, tail, symmetric)
        predicted_pairs.add(frozenset((head, tail)))
        if triple in predicted_triples:
            emit("duplicate", None, "same entity-level triple as another prediction; counted once")
            continue
        predicted_triples.add(triple)
        resolved_text = f"{names[head]} -> {names[tail]}"
        if triple in gold_triples:
            tp_by_type[relation.type] += 1
            emit("correct", gold_ref(triple), resolved_text)
            continue
        fp_by_type[relation.type] += 1
        reversed_triple = (relation.type, tail, head)
        same_pair = triples_of_pair.get(frozenset((head, tail)), [])
        if reversed_triple in gold_triples:
            emit("wrong_direction", gold_ref(reversed_triple), resolved_text)
        elif same_pair:
            emit("wrong_type", gold_ref(same_pair[0]), resolved_text)
        else:
            emit("spurious", None, resolved_text)

    fn_by_type: Counter[str] = Counter()
    for triple, gold_relation in gold_triples.items():
        if triple not in predicted_triples and triple not in optional:
            fn_by_type[gold_relation.type] += 1
            errors.append(ErrorItem("relations", "missed", gold.id, gold_ref(triple), None))

    types = sorted(set(tp_by_type) | set(fp_by_type) | set(fn_by_type))
    by_type = {t: PRF(tp_by_type[t], fp_by_type[t], fn_by_type[t]) for t in types}
    strict = sum(by_type.values(), PRF())
    gold_pairs |= optional_pairs & predicted_pairs  # an optional pair counts where predicted
    pairs_tp = len(predicted_pairs & gold_pairs)
    unlabeled = PRF(pairs_tp, len(predicted_pairs - gold_pairs) + unresolved, len(gold_pairs - predicted_pairs))
    return RelationScores(strict, unlabeled, by_type, tuple(errors))
