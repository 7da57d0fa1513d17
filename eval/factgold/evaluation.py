"""Scoring predictions against the gold: a pure per-document function and its sum.

`score_document` is pure and returns mergeable counts, so the same function serves one
article, a streamed corpus or a pool of processes; `evaluate` maps it over the documents
and adds the results up into a `Report`.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from factgold.config import EvalConfig, GoldDigest, bundled_gold_file, corpus_version_of
from factgold.counts import SchemeCounts
from factgold.document import Document
from factgold.errors import UsageError
from factgold.jsonl import DEFAULT_MAX_LINE
from factgold.predictions import (
    PredictedDocument,
    PredictedEntity,
    PredictedMention,
    PredictedSpan,
    PredictedText,
    load_predictions,
    predictions_from_objects,
)
from factgold.report import Report
from factgold.schema import symmetric_relation_types
from factgold.score.clusters import score_clusters
from factgold.score.entity_level import score_entity_level
from factgold.score.items import ErrorItem, ItemRef, kept_errors
from factgold.score.mentions import SCHEMES, MentionItem, score_mentions
from factgold.score.numeric import score_numeric_facts
from factgold.score.relations import score_relations
from factgold.score.resolve import EntityResolver
from factgold.scores import TASKS, DocumentScores
from factgold.validate import load_gold


def _gold_mentions(doc: Document, mode: str) -> list[MentionItem]:
    return [
        MentionItem(m.start, m.end, e.type, m.text, m.kind, e.id)
        for e in doc.entities
        for m in e.mentions
        if mode == "all" or m.kind == "name"
    ]


def _predicted_mentions(doc: Document, entities: Sequence[PredictedEntity], mode: str) -> list[MentionItem]:
    # Entities are numbered in a canonical order (by content), so that neither the order of
    # the input nor ids change a result; entities that tie are identical and interchangeable.
    def content(entity: PredictedEntity) -> tuple[object, ...]:
        mentions = sorted(
            (m.span.start, m.span.end, m.kind or "name", m.score or 0.0)
            for m in entity.mentions
            if isinstance(m.anchor, PredictedSpan)
        )
        return (mentions, entity.type, entity.score or 0.0)

    ordered = sorted(entities, key=content)
    return [
        MentionItem(
            m.span.start,
            m.span.end,
            e.type,
            doc.text[m.span.start : m.span.end],
            m.kind or "name",
            f"{rank:06d}",
            m.score if m.score is not None else e.score,
            m.grounded_by,
        )
        for rank, e in enumerate(ordered)
        for m in e.mentions
        if isinstance(m.anchor, PredictedSpan) and (mode == "all" or m.is_name)
    ]


def ground_entities(
    doc: Document, entities: Sequence[PredictedEntity], resolver: EntityResolver, *, require_grounding: bool
) -> tuple[tuple[PredictedEntity, ...], list[tuple[PredictedEntity, PredictedMention]]]:
    """Entities with every text-only mention replaced by its occurrences, and the mentions not found.

    Policy (`factgold.grounding`): a text-only mention stands for every place the text says
    it; the same span is kept once per entity.
    """
    grounded: list[PredictedEntity] = []
    hallucinated: list[tuple[PredictedEntity, PredictedMention]] = []
    for entity in entities:
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


def _anchor_text(mention: PredictedMention) -> str:
    return mention.anchor.text if isinstance(mention.anchor, PredictedText) else ""


def score_document(
    gold: Document, predicted: PredictedDocument, config: EvalConfig, tasks: frozenset[str]
) -> DocumentScores:
    """Score one document's predictions on ``tasks``; a task the document lacks counts as nothing predicted."""
    predicted_tasks = frozenset(task for task in TASKS if getattr(predicted, task) is not None)
    resolver = EntityResolver.for_document(gold, strict=config.require_grounding)
    entities, hallucinated_mentions = ground_entities(
        gold, predicted.entities or (), resolver, require_grounding=config.require_grounding
    )
    labels: Counter[tuple[str, str]] = Counter(("entity", e.type) for e in entities)
    labels.update(("relation", r.type) for r in predicted.relations or ())
    # Each task's fields, put into one DocumentScores at the end (adding partial ones copied them).
    fields: dict[str, Any] = {}
    errors: list[ErrorItem] = []
    notes: list[str] = []

    if "entities" in tasks:
        gold_mentions = _gold_mentions(gold, config.mentions)
        predicted_mentions = _predicted_mentions(gold, entities, config.mentions)
        spanned = sum(1 for e in entities for m in e.mentions if isinstance(m.anchor, PredictedSpan))
        excluded = spanned - len(predicted_mentions)
        mention_scores = score_mentions(gold.id, gold_mentions, predicted_mentions)
        clusters, coreference, cluster_errors, cluster_notes = score_clusters(
            gold, gold_mentions, predicted_mentions, mention_scores.aligned
        )
        if excluded:
            cluster_notes.append(
                f"{gold.id}: {excluded} predicted nominal/pronoun mention(s) left out of the names view "
                "(--mentions all scores them)"
            )
        # A text-only mention found nowhere in the text is spurious in every scheme, and listed apart.
        in_view = [(e, m) for e, m in hallucinated_mentions if config.mentions == "all" or m.is_name]
        hallucinated = SchemeCounts(spurious=1)
        overall = {s: c + SchemeCounts(spurious=len(in_view)) for s, c in mention_scores.overall.items()}
        by_type = {t: dict(schemes) for t, schemes in mention_scores.by_type.items()}
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
        )
        # The entity level: every predicted entity, however it is given.
        entity_level = score_entity_level(gold, predicted.entities or (), entities, resolver)
        fields.update(
            mentions=overall,
            mentions_by_type=dict(sorted(by_type.items())),
            type_pairs=mention_scores.type_pairs,
            clusters=clusters,
            coreference=coreference,
            entity_level_typed=entity_level.typed,
            entity_level_untyped=entity_level.untyped,
        )
        errors += [*mention_scores.errors, *hallucinated_errors, *cluster_errors, *entity_level.errors]
        notes += cluster_notes
    if "relations" in tasks:
        relation_scores = score_relations(
            gold, predicted.relations or (), entities, resolver, symmetric_relation_types()
        )
        fields.update(
            relations_strict=relation_scores.strict,
            relations_unlabeled=relation_scores.unlabeled,
            relations_by_type=relation_scores.by_type,
        )
        errors += relation_scores.errors
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
    return DocumentScores(
        (gold.id,),
        tasks,
        predicted_tasks & tasks,
        predicted_labels=labels,
        errors=kept_errors(errors, config.errors),
        notes=tuple(notes),
        error_counts=Counter((e.task, e.category) for e in errors),
        **fields,
    )


PROGRESS_FROM = 50  # documents: fewer finish before a progress bar would help


def score_job(job: tuple[Document, PredictedDocument, EvalConfig, frozenset[str]]) -> DocumentScores:
    """`score_document` on one argument tuple, as process pools and Dask map it."""
    return score_document(*job)


def _score_all(
    pairs: Sequence[tuple[Document, PredictedDocument]], config: EvalConfig, tasks: frozenset[str], jobs: int
) -> list[DocumentScores]:
    """Score every document, in ``jobs`` processes when there are several; results in gold order.

    The per-document scores are pure and mergeable, so the processes' results add up to the
    same report as one process gives. A progress bar appears on a terminal for long runs.
    """
    work = [(doc, predicted, config, tasks) for doc, predicted in pairs]
    show = len(work) >= PROGRESS_FROM and sys.stderr.isatty()
    if jobs == 1 or len(work) < 2:
        serial = map(score_job, work)
        return list(_progress(serial, len(work)) if show else serial)
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(work) // (jobs * 8))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = pool.map(score_job, work, chunksize=chunk)
        return list(_progress(results, len(work)) if show else results)


def _progress(items: Any, total: int) -> Any:
    from tqdm import tqdm

    return tqdm(items, total=total, unit="doc", file=sys.stderr, leave=False)


@cache
def bundled_gold() -> tuple[Document, ...]:
    """The bundled corpus's gold documents, read and checked once per process."""
    return tuple(load_gold(bundled_gold_file()))


def scored_tasks(config: EvalConfig) -> frozenset[str]:
    """The tasks scored: every task of the configuration, whether the system predicts it or not.

    A task that a system leaves out scores 0 where the gold has items (the report says it
    was not predicted), so that leaving work out never raises the headline.
    """
    return frozenset(config.tasks)


def evaluate(
    predictions: Sequence[PredictedDocument] | Sequence[dict[str, Any]] | str | Path,
    gold: Sequence[Document] | str | Path | None = None,
    config: EvalConfig | None = None,
    *,
    max_line: int = DEFAULT_MAX_LINE,
    jobs: int = 1,
    **settings: Any,
) -> Report:
    """Score predictions against the gold (default: the bundled corpus).

    ``predictions`` is a predictions file's path, a list of prediction objects (dicts in the
    shape of ``schema/predictions.schema.json``) or of `PredictedDocument`; settings come as
    an `EvalConfig` or as its fields by keyword (``mentions="all"``).

    >>> report = evaluate([{"id": "000_8ba8a8b9c66a07ae", "entities": []}])
    >>> report.total.mentions["strict"].recall
    0.0
    """
    config = config or EvalConfig(**settings)
    if jobs < 1:  # checked once here, for the streaming and the in-memory paths alike
        raise UsageError(f"jobs must be at least 1, not {jobs}")
    if isinstance(predictions, str | Path) and str(predictions) != "-":
        from factgold.streaming import evaluate_stream, is_json_lines

        if is_json_lines(Path(predictions)):
            gold_source: Path | Sequence[Document] = (
                bundled_gold_file() if gold is None else Path(gold) if isinstance(gold, str | Path) else list(gold)
            )
            return evaluate_stream(Path(predictions), gold_source, config, max_line=max_line, jobs=jobs)
    if gold is None:
        gold_documents = list(bundled_gold())
    elif isinstance(gold, str | Path):
        gold_documents = load_gold(gold)
    else:
        gold_documents = list(gold)
    if isinstance(predictions, str | Path):
        predicted = load_predictions(predictions, gold_documents, max_line=max_line)
    elif predictions and all(isinstance(p, PredictedDocument) for p in predictions):
        predicted = list(predictions)  # type: ignore[arg-type]
        missing = sorted({doc.id for doc in gold_documents} - {doc.id for doc in predicted})
        if missing:
            raise UsageError(f"no predictions for gold document(s) {', '.join(map(repr, missing))}")
    else:
        predicted = predictions_from_objects(predictions, gold_documents)
    by_id = {doc.id: doc for doc in predicted}
    tasks = scored_tasks(config)
    pairs = [(doc, by_id.get(doc.id) or PredictedDocument(doc.id, None, None, None)) for doc in gold_documents]
    per_document = tuple(_score_all(pairs, config, tasks, jobs))
    return build_report(config, gold_documents, per_document)


def build_report(config: EvalConfig, gold: Sequence[Document], per_document: Sequence[DocumentScores]) -> Report:
    """The report of per-document scores (in gold order) against ``gold``."""
    digest = GoldDigest()
    for doc in gold:
        digest.add(doc)
    sha = digest.sha256
    return Report(config, sha, corpus_version_of(sha), tuple(per_document), frozenset(digest.labels), tuple(gold))
