"""Dask maps the per-document scorer on a local cluster of processes: the same report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import GOLD_FILE
from factgold.read.validate import load_gold
from factgold.run.distributed import evaluate_dask
from factgold.run.evaluation import evaluate

distributed = pytest.importorskip("distributed")


def test_local_cluster_gives_the_single_process_report(tmp_path: Path) -> None:
    gold = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
    documents = [dict(gold, id=f"copy{i}") for i in range(5)]
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join(json.dumps(d) + "\n" for d in documents))
    predictions = [
        {
            "id": d["id"],
            "entities": [{"type": e["type"], "mentions": e["mentions"]} for e in d["entities"][: 2 + 2 * i]],
        }
        for i, d in enumerate(documents)
    ]
    expected = evaluate(predictions, gold=gold_file).to_dict()
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, distributed.Client(cluster) as client:
        report = evaluate_dask(predictions, gold=load_gold(gold_file), partitions=3, client=client).to_dict()
    assert json.dumps(report, sort_keys=True) == json.dumps(expected, sort_keys=True)
