"""Scoring predictions held in a Hugging Face `datasets.Dataset`, through ``Dataset.map``.

Each row is one predictions document. The per-document scorer is pure and its results add
up, so ``Dataset.map(num_proc=N)`` scores the rows in N processes and the results are
summed into the same `Report` as `factgold.evaluate` gives. Arrow fills a missing field
with null; nulls are dropped from a row before it is checked, which keeps every meaning
(a null unit or subject means none, as an absent one does).
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from typing import Any

from factgold.errors import PredictionsFileError, Problem
from factgold.read.document import Document
from factgold.read.predictions import PredictedDocument, check_predictions_document
from factgold.run.evaluation import build_report, bundled_gold, scored_tasks
from factgold.run.report import Report
from factgold.score.config import EvalConfig, annotated_tasks, for_gold
from factgold.score.per_document import score_document


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def evaluate_dataset(
    dataset: Any,
    gold: Sequence[Document] | None = None,
    config: EvalConfig | None = None,
    *,
    num_proc: int | None = None,
) -> Report:
    """Score a `datasets.Dataset` of predictions documents (one row each) against the gold."""
    config = config or EvalConfig()
    documents = list(gold) if gold is not None else list(bundled_gold())
    by_id = {doc.id: doc for doc in documents}
    rows = [_without_nulls(row) for row in dataset]
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=1):
        problems += check_predictions_document(row, by_id, file="<dataset>", line=number)
    seen = [row.get("id") for row in rows]
    missing = [doc.id for doc in documents if doc.id not in seen]
    if missing:
        problems.append(
            Problem("<dataset>", 1, "$", f"no predictions for gold document(s) {', '.join(map(repr, missing))}")
        )
    if problems:
        raise PredictionsFileError(problems)
    config = for_gold(config, annotated_tasks(documents))
    tasks = scored_tasks(config)

    def score(row: dict[str, Any]) -> dict[str, bytes]:
        cleaned = _without_nulls(row)
        scores = score_document(by_id[cleaned["id"]], PredictedDocument.from_json(cleaned), config, tasks)
        return {"factgold_scores": pickle.dumps(scores)}

    scored = dataset.map(score, num_proc=num_proc, remove_columns=dataset.column_names, load_from_cache_file=False)
    per_id = {scores.documents[0]: scores for scores in (pickle.loads(blob) for blob in scored["factgold_scores"])}
    per_document = tuple(per_id[doc.id] for doc in documents)
    return build_report(config, documents, per_document)
