"""Scoring one document's predictions on every task: the pure core of an evaluation.

`score_document` is pure and returns mergeable counts (`DocumentScores`), so the same
function serves one article, a streamed corpus or a pool of processes
(`factgold.run`), whose results add up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from factgold.read.document import Document
from factgold.read.predictions import (
    PredictedDocument,
    PredictedEntity,
    PredictedMention,
    PredictedSpan,
    PredictedText,
)
from factgold.read.schema import symmetric_relation_types
from factgold.score.alternatives import adopt_alternatives, has_alternatives
from factgold.score.clusters import score_clusters
from factgold.score.config import EvalConfig
from factgold.score.counts import PRF, SchemeCounts
from factgold.score.document_scores import TASKS, DocumentScores
from factgold.score.entity_level import score_entity_level
from factgold.score.items import ErrorItem, ItemRef, kept_errors
from factgold.score.mentions import SCHEMES, MentionItem, score_mentions
from factgold.score.numeric import score_numeric_facts
from factgold.score.relations import score_relations
from factgold.score.resolve import EntityResolver


def _gold_mentions(doc: Document, mode: str) -> list[MentionItem]:
    return [
        MentionItem(m.span.start, m.span.end, e.type, m.span.text, m.kind, e.id)
        for e in doc.entities
        for m in e.mentions
        if mode == "all" or m.kind == "name"
    ]


def _content(entity: PredictedEntity) -> tuple[object, ...]:
    """A predicted entity's place in the canonical order: by its span mentions, type and score."""
    mentions = entity.mentions
    if len(mentions) == 1:
        # Flat NER (one mention an entity): the same key without a generator and a sort.
        only = mentions[0]
        anchor = only.anchor
        if isinstance(anchor, PredictedSpan):
            span = (anchor.start, anchor.end, only.kind or "name", only.score or 0.0)
            return ([span], entity.type, entity.score or 0.0)
    spans = sorted(
        (m.anchor.start, m.anchor.end, m.kind or "name", m.score or 0.0)
        for m in mentions
        if isinstance(m.anchor, PredictedSpan)
    )
    return (spans, entity.type, entity.score or 0.0)


def _predicted_mentions(doc: Document, entities: Sequence[PredictedEntity], mode: str) -> tuple[list[MentionItem], int]:
    """The predicted span mentions in the view, and how many span mentions it leaves out."""
    # Entities are numbered in a canonical order (by content), so that neither the order of
    # the input nor ids change a result; entities that tie are identical and interchangeable.
    text = doc.text
    every_kind = mode == "all"
    items = []
    left_out = 0
    for rank, entity in enumerate(sorted(entities, key=_content)):
        cluster = f"{rank:06d}"
        for m in entity.mentions:
            span = m.anchor
            if not isinstance(span, PredictedSpan):
                continue
            kind = m.kind
            if every_kind or kind is None or kind == "name":  # `PredictedMention.is_name`, inlined
                start, end = span.start, span.end
                score = m.score if m.score is not None else entity.score
                items.append(
                    MentionItem(start, end, entity.type, text[start:end], kind or "name", cluster, score, m.grounded_by)
                )
            else:
                left_out += 1
    return items, left_out


def ground_entities(
    doc: Document, entities: Sequence[PredictedEntity], resolver: EntityResolver, *, require_grounding: bool
) -> tuple[tuple[PredictedEntity, ...], list[tuple[PredictedEntity, PredictedMention]]]:
    """Entities with every text-only mention replaced by its occurrences, and the mentions not found.

    Policy (`factgold.ground.text`): a text-only mention stands for every place the text says
    it; the same span is kept once per entity.
    """
    grounded: list[PredictedEntity] = []
    hallucinated: list[tuple[PredictedEntity, PredictedMention]] = []
    for entity in entities:
        if isinstance(entity.mentions, tuple) and _spans_in_order(entity.mentions):
            # Nothing to ground and nothing repeated or out of order: the loop below would
            # build an equal entity.
            grounded.append(entity)
            continue
        mentions: dict[PredictedSpan, PredictedMention] = {}
        for mention in entity.mentions:
            if isinstance(mention.anchor, PredictedSpan):
                mentions.setdefault(mention.anchor, mention)
                continue
            found = resolver.index.ground(mention.anchor.text, strict=require_grounding)
            if not found.found:
                hallucinated.append((entity, mention))
                continue
            for start, end in found.spans:
                span = PredictedSpan(start, end)
                mentions.setdefault(span, replace(mention, anchor=span, grounded_by=found.method))
        # A text found nowhere stays a text anchor: no view scores it as a span, but an
        # endpoint that names this entity is then known to be hallucinated.
        lost = tuple(m for e, m in hallucinated if e is entity)
        grounded.append(replace(entity, mentions=tuple(mentions[span] for span in sorted(mentions)) + lost))
    return tuple(grounded), hallucinated


def _spans_in_order(mentions: Sequence[PredictedMention]) -> bool:
    """Whether every mention has a span and the spans strictly increase (so none repeats)."""
    previous: tuple[int, int] | None = None
    for mention in mentions:
        anchor = mention.anchor
        if not isinstance(anchor, PredictedSpan):
            return False
        here = (anchor.start, anchor.end)
        if previous is not None and not previous < here:
            return False
        previous = here
    return True


def _anchor_text(mention: PredictedMention) -> str:
    return mention.anchor.text if isinstance(mention.anchor, PredictedText) else ""


def _symmetric(config: EvalConfig) -> frozenset[str]:
    """The relation types scored in either direction: the corpus's declared ones, else the house's."""
    if config.symmetric_relations is not None:
        return frozenset(config.symmetric_relations)
    return symmetric_relation_types()


def score_document(
    gold: Document, predicted: PredictedDocument, config: EvalConfig, tasks: frozenset[str]
) -> DocumentScores:
    """Score one document's predictions on ``tasks``; a task the document lacks counts as nothing predicted."""
    if config.alternatives and has_alternatives(gold):
        # Scored against the gold adopted to the prediction, optional relations credited only
        # where predicted; the gold's own choices give the report's "without alternatives" headline.
        own_choices = replace(config, alternatives=False)
        plain = _score_document(gold, predicted, own_choices, tasks, optional_credited=False)
        adopted = adopt_alternatives(gold, predicted)
        scores = _score_document(adopted, predicted, own_choices, tasks, optional_credited=True)
        if scores != plain:
            headline = {
                "entities": plain.entity_level_typed,
                "relations": plain.relations_strict,
                "numeric_facts": plain.numeric.get("value", PRF()),
            }
            return replace(scores, plain_headline=headline)
        return plain
    return _score_document(gold, predicted, config, tasks, optional_credited=False)


def _score_document(
    gold: Document, predicted: PredictedDocument, config: EvalConfig, tasks: frozenset[str], *, optional_credited: bool
) -> DocumentScores:
    predicted_tasks = frozenset(task for task in TASKS if getattr(predicted, task) is not None)
    resolver = EntityResolver.for_document(gold, strict=config.require_grounding)
    entities, hallucinated_mentions = ground_entities(
        gold, predicted.entities or (), resolver, require_grounding=config.require_grounding
    )
    labels: Counter[tuple[str, str]] = Counter([("entity", e.type) for e in entities])
    if predicted.relations:
        labels.update([("relation", r.type) for r in predicted.relations])
    # Each task's fields, put into one DocumentScores at the end (adding partial ones copied them).
    fields: dict[str, Any] = {}
    errors: list[ErrorItem] = []
    notes: list[str] = []
    # A report that lists no item needs only how many fell in each category: the views that
    # can count them without building them are asked to (``with_items``), and every count
    # is the same. `error_counts` is tallied in the order of the items either way.
    with_items = config.errors != "none"
    error_counts: Counter[tuple[str, str]] = Counter()

    def count(task: str, categories: Counter[str]) -> None:
        for category, number in categories.items():
            # As ``+=`` adds (a new key goes at the end), without Counter's __missing__ call.
            error_counts[task, category] = error_counts.get((task, category), 0) + number

    if "entities" in tasks:
        gold_mentions = _gold_mentions(gold, config.mentions)
        predicted_mentions, excluded = _predicted_mentions(gold, entities, config.mentions)
        mention_scores = score_mentions(gold.id, gold_mentions, predicted_mentions, with_items=with_items)
        cluster_scores = score_clusters(
            gold, gold_mentions, predicted_mentions, mention_scores.aligned, with_items=with_items
        )
        cluster_notes = cluster_scores.notes
        if excluded:
            cluster_notes.append(
                f"{gold.id}: {excluded} predicted nominal/pronoun mention(s) left out of the names view "
                "(--mentions all scores them)"
            )
        # A text-only mention found nowhere in the text is spurious in every scheme, and listed apart.
        in_view = [(e, m) for e, m in hallucinated_mentions if config.mentions == "all" or m.is_name]
        overall = mention_scores.overall
        by_type = mention_scores.by_type  # the view's own dicts, in the order of their types
        hallucinated_errors: tuple[ErrorItem, ...] = ()
        if in_view:
            overall = {s: c + SchemeCounts(spurious=len(in_view)) for s, c in overall.items()}
            hallucinated = SchemeCounts(spurious=1)
            by_type = {t: dict(schemes) for t, schemes in by_type.items()}
            for entity, _ in in_view:
                target = by_type.setdefault(entity.type, {s: SchemeCounts() for s in SCHEMES})
                for scheme in SCHEMES:
                    target[scheme] = target[scheme] + hallucinated
            hallucinated_errors = tuple(
                ErrorItem(
                    "mentions",
                    "hallucinated",
                    gold.id,
                    None,
                    ItemRef(None, None, _anchor_text(m), e.type),
                    "not in the document",
                    m.score if m.score is not None else e.score,
                )
                for e, m in in_view
                if with_items
            )
        # The entity level: every predicted entity, however it is given.
        entity_level = score_entity_level(gold, predicted.entities or (), entities, resolver, with_items=with_items)
        fields.update(
            mentions=overall,
            mentions_by_type=dict(sorted(by_type.items())),
            type_pairs=mention_scores.type_pairs,
            clusters=cluster_scores.clusters,
            coreference=cluster_scores.coreference,
            entity_level_typed=entity_level.typed,
            entity_level_untyped=entity_level.untyped,
        )
        errors += [*mention_scores.errors, *hallucinated_errors, *cluster_scores.errors, *entity_level.errors]
        notes += cluster_notes
        count("mentions", mention_scores.categories)
        if in_view:
            error_counts["mentions", "hallucinated"] += len(in_view)
        count("entities", cluster_scores.categories)
        count("entity_level", entity_level.categories)
    if "relations" in tasks:
        relation_scores = score_relations(
            gold, predicted.relations or (), entities, resolver, _symmetric(config), optional_credited=optional_credited
        )
        fields.update(
            relations_strict=relation_scores.strict,
            relations_unlabeled=relation_scores.unlabeled,
            relations_by_type=relation_scores.by_type,
        )
        errors += relation_scores.errors
        error_counts.update((e.task, e.category) for e in relation_scores.errors)
    if "numeric_facts" in tasks:
        numeric_scores = score_numeric_facts(
            gold, predicted.numeric_facts or (), entities, resolver, config.numeric_rtol,
            require_grounding=config.require_grounding,
        )  # fmt: skip
        fields.update(
            numeric=numeric_scores.by_attribute,
            numeric_by_kind=numeric_scores.by_kind,
            numeric_predicted_attributes=numeric_scores.predicted_attributes,
        )
        errors += numeric_scores.errors
        error_counts.update((e.task, e.category) for e in numeric_scores.errors)
    return DocumentScores(
        (gold.id,),
        tasks,
        predicted_tasks & tasks,
        predicted_labels=labels,
        errors=kept_errors(errors, config.errors),
        notes=tuple(notes),
        error_counts=error_counts,
        **fields,
    )
