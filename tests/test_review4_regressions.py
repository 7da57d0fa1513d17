"""Statistics, streaming and plots: cases an independent review found, pinned down."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import GOLD_FILE
from factgold.cli import main
from factgold.errors import InputError, UsageError
from factgold.present.statistics import bootstrap, compare, units
from factgold.run.evaluation import evaluate

DOC_ID = "000_8ba8a8b9c66a07ae"


def _file(tmp_path: Path, name: str, *documents: dict[str, Any]) -> str:
    path = tmp_path / name
    path.write_text("".join(json.dumps(d) + "\n" for d in documents))
    return str(path)


def test_systems_predicting_different_tasks_are_compared_on_every_task(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A task a system leaves out scores 0, so two systems predicting different tasks have
    # headlines made of the same scores and are compared on every task.
    numbers = _file(
        tmp_path,
        "numbers.jsonl",
        {"id": DOC_ID, "numeric_facts": [{"value": 7, "mention": {"start": 1488, "end": 1495}}]},
    )
    entities = _file(
        tmp_path, "entities.jsonl", {"id": DOC_ID, "entities": [{"type": "GPE", "mentions": [{"start": 0, "end": 8}]}]}
    )
    assert main(["compare", numbers, entities, "--resamples", "20", "--format", "json"]) == 0
    compared = {c["score"]: (c["a"], c["b"]) for c in json.loads(capsys.readouterr().out)["comparisons"]}
    assert compared["numeric_value"][1] == 0.0
    assert compared["entities"][0] == 0.0
    assert main(["leaderboard", numbers, entities, "--resamples", "20"]) == 0


def test_systems_scored_on_different_tasks_are_not_compared() -> None:
    prediction = {"id": DOC_ID, "numeric_facts": [{"value": 7, "mention": {"start": 1488, "end": 1495}}]}
    everything = evaluate([prediction])
    numbers_only = evaluate([prediction], tasks=("numeric_facts",))
    with pytest.raises(UsageError, match="headlines are made of different scores"):
        compare(everything, numbers_only, 20, seed=0)


@pytest.mark.parametrize("command", ["compare", "leaderboard"])
def test_resamples_must_be_positive(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    system = _file(tmp_path, "s.jsonl", {"id": DOC_ID, "entities": []})
    assert main([command, system, system, "--resamples", "0", "--name", "a", "--name", "b"]) == 2
    assert "resamples must be positive" in capsys.readouterr().err


def test_nothing_predicted_scores_zero_with_intervals_at_zero() -> None:
    report = evaluate([{"id": DOC_ID}])
    assert report.headline == 0.0
    assert set(report.to_dict()["tasks"].values()) == {"not predicted"}
    assert bootstrap(report, 10, seed=0)["headline"].high == 0.0


def test_a_gold_item_and_a_prediction_resembling_it_are_resampled_together() -> None:
    # A relation of the wrong type and the gold relation it resembles share one unit key.
    relation = {"type": "met_with", "head": {"start": 388, "end": 401}, "tail": {"start": 1767, "end": 1772}}
    report = evaluate([{"id": DOC_ID, "relations": [relation]}], tasks=("relations",))
    keys = [unit.key for unit in units(report)]
    assert len(keys) == 23 + 1  # 23 gold relations and one prediction
    first, second = bootstrap(report, 50, seed=2), bootstrap(report, 50, seed=2)
    assert first == second
    assert first["headline"].estimate == pytest.approx(report.headline)


def test_streamed_file_reports_the_same_problems_as_the_list(tmp_path: Path) -> None:
    gold = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join(json.dumps(dict(gold, id=f"doc{i}")) + "\n" for i in range(3)))
    rows: list[dict[str, Any]] = [{"id": "doc0", "entities": []}, {"id": "doc1", "entities": 3}, {"id": "zzz"}]
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    messages = []
    sources: list[list[dict[str, Any]] | str] = [rows, str(path)]
    for predictions in sources:
        with pytest.raises(InputError) as raised:
            evaluate(predictions, gold=gold_file)
        messages.append(sorted(problem.path + " " + problem.message for problem in raised.value.problems))
    assert messages[0] == messages[1]
    assert any("3 is not of type 'array'" in m for m in messages[1])


def test_invalid_json_column_in_a_streamed_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text('{"id": "doc0", \n')
    assert main(["eval", str(path)]) == 2
    assert "(column 16)" in capsys.readouterr().err


def test_plot_is_deterministic_and_draws_numbers_only_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    predictions = _file(
        tmp_path, "n.jsonl", {"id": DOC_ID, "numeric_facts": [{"value": 7, "mention": {"start": 1488, "end": 1495}}]}
    )
    report = tmp_path / "report.json"
    assert main(["eval", predictions, "--format", "json", "--output", str(report)]) == 0
    figures = []
    for name in ("a.svg", "b.svg"):
        assert main(["plot", str(report), "--output", str(tmp_path / name)]) == 0
        figures.append((tmp_path / name).read_bytes())
    assert figures[0] == figures[1]
    assert b"numeric facts, value" in figures[0]
    assert main(["plot", str(report), "--output", str(tmp_path / "missing" / "x.png")]) == 2
    assert "does not exist" in capsys.readouterr().err
