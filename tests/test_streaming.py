"""JSON Lines files are scored line by line: the same report as in memory, in less memory."""

from __future__ import annotations

import json
import random
import tracemalloc
from pathlib import Path
from typing import Any

from conftest import GOLD_FILE
from factgold.read.validate import load_gold
from factgold.run.evaluation import evaluate


def _corpus(tmp_path: Path, documents: int) -> tuple[Path, Path, list[dict[str, Any]]]:
    gold = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
    golds = [dict(gold, id=f"doc{i:04d}") for i in range(documents)]
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join(json.dumps(d) + "\n" for d in golds))
    rows = [
        {
            "id": d["id"],
            "entities": [{"type": e["type"], "mentions": e["mentions"]} for e in d["entities"][: 1 + i % 19]],
        }
        for i, d in enumerate(golds)
    ]
    random.Random(7).shuffle(rows)  # predictions in another order than the gold
    predictions_file = tmp_path / "predictions.jsonl"
    predictions_file.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return gold_file, predictions_file, rows


def test_streamed_report_equals_the_in_memory_one(tmp_path: Path) -> None:
    gold_file, predictions_file, rows = _corpus(tmp_path, 12)
    in_memory = evaluate(rows, gold=gold_file).to_dict()
    streamed = evaluate(predictions_file, gold=gold_file).to_dict()
    parallel = evaluate(predictions_file, gold=gold_file, jobs=2).to_dict()
    with_documents = evaluate(predictions_file, gold=load_gold(gold_file)).to_dict()
    expected = json.dumps(in_memory, sort_keys=True)
    assert json.dumps(streamed, sort_keys=True) == expected
    assert json.dumps(parallel, sort_keys=True) == expected
    assert json.dumps(with_documents, sort_keys=True) == expected


def test_streaming_holds_one_document_at_a_time(tmp_path: Path) -> None:
    gold_file, predictions_file, rows = _corpus(tmp_path, 60)
    tracemalloc.start()
    evaluate(predictions_file, gold=gold_file)
    _, streamed_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tracemalloc.start()
    evaluate(rows, gold=load_gold(gold_file))
    _, in_memory_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert streamed_peak < in_memory_peak
