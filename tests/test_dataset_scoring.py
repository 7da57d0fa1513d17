"""Predictions in a `datasets.Dataset` score through `Dataset.map` to the same report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import GOLD_FILE
from factgold.dataset.evaluate import evaluate_dataset
from factgold.errors import InputError
from factgold.read.validate import load_gold
from factgold.run.evaluation import evaluate

datasets = pytest.importorskip("datasets")


def _predictions(gold: dict[str, Any], doc_id: str, keep: int) -> dict[str, Any]:
    return {
        "id": doc_id,
        "entities": [
            {"type": e["type"], "mentions": [{"start": m["start"], "end": m["end"]} for m in e["mentions"]]}
            for e in gold["entities"][:keep]
        ],
        "numeric_facts": [
            {
                "mention": {"start": f["mention"]["start"], "end": f["mention"]["end"]},
                "value": f["value"],
                "unit": f["unit"],
            }
            for f in gold["numeric_facts"][:keep]
        ],
    }


def test_dataset_map_gives_the_same_report(tmp_path: Path) -> None:
    gold = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
    documents = [dict(gold, id=f"copy{i}") for i in range(4)]
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join(json.dumps(d) + "\n" for d in documents))
    rows = [_predictions(gold, d["id"], 2 + 3 * i) for i, d in enumerate(documents)]
    expected = evaluate(rows, gold=gold_file).to_dict()
    dataset = datasets.Dataset.from_list(rows)
    for processes in (None, 2):
        report = evaluate_dataset(dataset, gold=load_gold(gold_file), num_proc=processes).to_dict()
        assert json.dumps(report, sort_keys=True) == json.dumps(expected, sort_keys=True)


def test_bad_rows_are_reported() -> None:
    dataset = datasets.Dataset.from_list([{"id": "nope", "entities": []}])
    with pytest.raises(InputError) as raised:
        evaluate_dataset(dataset)
    assert [str(p) for p in raised.value.problems] == [
        "<dataset>:1: $: no predictions for gold document(s) '000_8ba8a8b9c66a07ae'",
        "<dataset>:1: $.id: document 'nope' is not in the gold",
    ]
