"""Repeated runs (statistics over runs) and precision-recall curves over confidence scores."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import pytest

from factgold.cli import main
from factgold.run.evaluation import evaluate

DOC_ID = "000_8ba8a8b9c66a07ae"


def _mention(start: int, end: int, entity_type: str, score: float | None = None) -> dict[str, Any]:
    return {
        "type": entity_type,
        "mentions": [{"start": start, "end": end}],
        **({"score": score} if score is not None else {}),
    }


def _write(path: Path, entities: list[dict[str, Any]]) -> str:
    path.write_text(json.dumps({"id": DOC_ID, "entities": entities}) + "\n", encoding="utf-8")
    return str(path)


def test_runs_summary_by_hand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Run 1: Pakistan and Islamabad right (2 of 40 names, nothing spurious); run 2: Pakistan only.
    run1 = _write(tmp_path / "run1.jsonl", [_mention(0, 8, "GPE"), _mention(144, 153, "GPE")])
    run2 = _write(tmp_path / "run2.jsonl", [_mention(0, 8, "GPE")])
    assert main(["eval", run1, run2, "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    f1 = [2 * 1.0 * (2 / 40) / (1.0 + 2 / 40), 2 * 1.0 * (1 / 40) / (1.0 + 1 / 40)]
    stats = summary["aggregate"]["scores.entities.mentions.strict.f1"]
    assert stats["mean"] == pytest.approx(statistics.fmean(f1))
    assert stats["std"] == pytest.approx(statistics.stdev(f1))
    assert (stats["min"], stats["max"]) == (pytest.approx(f1[1]), pytest.approx(f1[0]))
    assert [run["file"] for run in summary["per_run"]] == [run1, run2]
    assert summary["signature"].endswith("|runs:2")
    assert summary["runs"] == 2


def test_runs_table_and_stdin_refusal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = _write(tmp_path / "run.jsonl", [_mention(0, 8, "GPE")])
    assert main(["eval", run, run, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# factgold evaluation over runs")
    assert "| headline.score |" in out
    assert main(["eval", run, "-"]) == 2
    assert "standard input (-) cannot be one of several runs" in capsys.readouterr().err


def test_precision_recall_curve_by_hand() -> None:
    # Ranked: Pakistan (right, 0.9), "creates" (spurious, 0.8), Islamabad (right, 0.4); 40 gold names.
    entities = [_mention(0, 8, "GPE", 0.9), _mention(9, 16, "ORG", 0.8), _mention(144, 153, "GPE", 0.4)]
    report = evaluate([{"id": DOC_ID, "entities": entities}]).to_dict()
    curve = report["confidence"]["mentions"]
    # Among the predictions: AP = 1.0 x 1/2 + (2/3) x 1/2 = 5/6; over all 40 gold names, x 2/40.
    assert curve["average_precision"] == pytest.approx(5 / 6 * 2 / 40)
    assert curve["best_threshold"] == 0.4
    precision, recall = 2 / 3, 2 / 40
    assert (curve["best_precision"], curve["best_recall"]) == (pytest.approx(precision), pytest.approx(recall))
    assert curve["best_f1"] == pytest.approx(2 * precision * recall / (precision + recall))
    assert [p["threshold"] for p in curve["points"]] == [0.4, 0.8, 0.9]


def test_no_curve_without_scores_on_every_item() -> None:
    entities = [_mention(0, 8, "GPE", 0.9), _mention(144, 153, "GPE")]
    assert evaluate([{"id": DOC_ID, "entities": entities}]).to_dict()["confidence"] == {}


def test_relation_and_numeric_curves() -> None:
    relations = [
        {"type": "visited", "head": {"start": 1353, "end": 1362}, "tail": {"start": 1371, "end": 1378}, "score": 0.7},
        {"type": "visited", "head": {"start": 1371, "end": 1378}, "tail": {"start": 1353, "end": 1362}, "score": 0.9},
    ]
    facts = [{"mention": {"start": 1690, "end": 1701}, "value": 64e9, "unit": "USD", "score": 0.5}]
    report = evaluate([{"id": DOC_ID, "relations": relations, "numeric_facts": facts}]).to_dict()
    assert report["confidence"]["relations"]["best_threshold"] == 0.7
    assert report["confidence"]["relations"]["average_precision"] == pytest.approx(0.5 * 1 / 23)
    assert report["confidence"]["numeric_facts"]["average_precision"] == pytest.approx(1 / 6)


def test_runs_in_different_output_styles_share_one_headline_definition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # One run names its entities, another gives spans: both are headlined by the entity level.
    names_only = tmp_path / "names.jsonl"
    names_only.write_text(json.dumps({"id": DOC_ID, "entities": [{"name": "Pakistan", "type": "GPE"}]}) + "\n")
    mentions = _write(tmp_path / "mentions.jsonl", [_mention(0, 8, "GPE")])
    assert main(["eval", str(names_only), mentions, "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    headlines = [run["headline"] for run in summary["per_run"]]
    assert headlines[0] == headlines[1] > 0
