"""Scoring on a cluster: Dask maps the pure per-document scorer and adds the counts up.

factgold does no distribution of its own: a Dask bag holds the (gold, predictions)
documents, each partition is scored with `factgold.score.per_document.score_document`, and the
mergeable `DocumentScores` are folded into one `Report`, equal to the single-process one.
Point ``client`` at a real cluster (``Client("tcp://scheduler:8786")``) to spread the work;
without one, Dask's default scheduler runs it here. Dask is an optional extra:
``pip install 'factgold[dask]'``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from factgold.errors import UsageError
from factgold.read.document import Document
from factgold.read.predictions import predictions_from_objects
from factgold.run.evaluation import build_report, bundled_gold, score_job, scored_tasks
from factgold.run.report import Report
from factgold.score.config import EvalConfig, annotated_tasks, for_gold


def evaluate_dask(
    predictions: Sequence[dict[str, Any]],
    gold: Sequence[Document] | None = None,
    config: EvalConfig | None = None,
    *,
    partitions: int | None = None,
    client: Any = None,
) -> Report:
    """Score prediction objects against the gold with Dask; the same report as `factgold.evaluate`."""
    try:
        import dask.bag
    except ImportError:
        raise UsageError("distributed scoring needs Dask: pip install 'factgold[dask]'") from None
    config = config or EvalConfig()
    documents = list(gold) if gold is not None else list(bundled_gold())
    predicted = {doc.id: doc for doc in predictions_from_objects(predictions, documents)}
    config = for_gold(config, annotated_tasks(documents))
    tasks = scored_tasks(config)
    jobs = [(doc, predicted[doc.id], config, tasks) for doc in documents]
    bag = dask.bag.from_sequence(jobs, npartitions=partitions or max(1, min(len(jobs), 32)))  # type: ignore[no-untyped-call]
    scored = bag.map(score_job)
    per_document = scored.compute() if client is None else client.compute(scored).result()
    by_id = {scores.documents[0]: scores for scores in per_document}
    return build_report(config, documents, [by_id[doc.id] for doc in documents])
