"""Scoring predictions against the gold: `evaluate` maps the pure per-document scorer
(`factgold.score.per_document.score_document`) over the documents, in one process or
several, and adds the results up into a `Report`; a JSON Lines file is streamed
(`factgold.run.streaming`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from factgold.errors import UsageError
from factgold.read.document import Document
from factgold.read.jsonl import DEFAULT_MAX_LINE
from factgold.read.labels import labels_for, sidecar
from factgold.read.predictions import (
    PredictedDocument,
    load_predictions,
    predictions_from_objects,
)
from factgold.read.validate import load_gold
from factgold.run.memorization import MemorizationGap, has_variants, memorization_gaps
from factgold.run.report import Report, paused_gc
from factgold.score.config import (
    EvalConfig,
    GoldDigest,
    annotated_tasks,
    bundled_gold_file,
    bundled_variants_file,
    for_gold,
)
from factgold.score.document_scores import DocumentScores
from factgold.score.per_document import score_document

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


@cache
def bundled_gold_with_variants() -> tuple[Document, ...]:
    """The bundled gold followed by its counterfactual variants."""
    return bundled_gold() + tuple(load_gold(bundled_variants_file()))


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
    if isinstance(gold, str | Path) and config.symmetric_relations is None and sidecar(Path(gold)).is_file():
        # The corpus declares its own relation types, and which of them are symmetric.
        config = replace(config, symmetric_relations=tuple(sorted(labels_for(Path(gold)).symmetric)))
    with paused_gc():
        if isinstance(predictions, str | Path) and str(predictions) == "-":
            # Standard input can be read once; the memorization gap reads the predictions again.
            gold = gold_documents(gold)
            predictions = load_predictions(predictions, gold, max_line=max_line)
        report = _evaluate(predictions, gold, config, max_line=max_line, jobs=jobs)
        if has_variants(report.gold_documents):
            report = replace(report, memorization=_memorization(report, predictions, max_line))
        return report


def _memorization(
    report: Report, predictions: Sequence[PredictedDocument] | Sequence[dict[str, Any]] | str | Path, max_line: int
) -> tuple[MemorizationGap, ...]:
    """The memorization gap of each original scored with its variants (a small gold: read again)."""
    gold = list(report.gold_documents)
    if isinstance(predictions, str | Path):
        predicted = load_predictions(predictions, gold, max_line=max_line)
    elif predictions and all(isinstance(p, PredictedDocument) for p in predictions):
        predicted = list(predictions)  # type: ignore[arg-type]
    else:
        predicted = predictions_from_objects(predictions, gold)
    return memorization_gaps(report.per_document, gold, {doc.id: doc for doc in predicted})


def _evaluate(
    predictions: Sequence[PredictedDocument] | Sequence[dict[str, Any]] | str | Path,
    gold: Sequence[Document] | str | Path | None,
    config: EvalConfig | None,
    *,
    max_line: int,
    jobs: int,
    **settings: Any,
) -> Report:
    config = config or EvalConfig(**settings)
    if jobs < 1:  # checked once here, for the streaming and the in-memory paths alike
        raise UsageError(f"jobs must be at least 1, not {jobs}")
    if isinstance(predictions, str | Path) and str(predictions) != "-":
        from factgold.run.streaming import evaluate_stream, is_json_lines

        if is_json_lines(Path(predictions)):
            gold_source: Path | Sequence[Document] = (
                bundled_gold_file() if gold is None else Path(gold) if isinstance(gold, str | Path) else list(gold)
            )
            return evaluate_stream(Path(predictions), gold_source, config, max_line=max_line, jobs=jobs)
    gold_docs = gold_documents(gold)
    if isinstance(predictions, str | Path):
        predicted = load_predictions(predictions, gold_docs, max_line=max_line)
    elif predictions and all(isinstance(p, PredictedDocument) for p in predictions):
        predicted = list(predictions)  # type: ignore[arg-type]
        missing = sorted({doc.id for doc in gold_docs} - {doc.id for doc in predicted})
        if missing:
            raise UsageError(f"no predictions for gold document(s) {', '.join(map(repr, missing))}")
    else:
        predicted = predictions_from_objects(predictions, gold_docs)
    by_id = {doc.id: doc for doc in predicted}
    config = for_gold(config, annotated_tasks(gold_docs))
    tasks = scored_tasks(config)
    pairs = [(doc, by_id.get(doc.id) or PredictedDocument(doc.id, None, None, None)) for doc in gold_docs]
    per_document = tuple(_score_all(pairs, config, tasks, jobs))
    return build_report(config, gold_docs, per_document)


def gold_documents(gold: Sequence[Document] | str | Path | None) -> list[Document]:
    if gold is None:
        return list(bundled_gold())
    if isinstance(gold, str | Path):
        # Any corpus is scored under the gold contract, with the types its labels declare.
        return load_gold(gold, house_rules=False, labels=labels_for(Path(gold)))
    return list(gold)


def build_report(config: EvalConfig, gold: Sequence[Document], per_document: Sequence[DocumentScores]) -> Report:
    """The report of per-document scores (in gold order) against ``gold``."""
    digest = GoldDigest()
    for doc in gold:
        digest.add(doc)
    return Report.of(config, digest, per_document, gold)
