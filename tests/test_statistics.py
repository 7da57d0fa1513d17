"""Bootstrap intervals, paired comparison and approximate randomization."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import GOLD_FILE
from factgold.cli import main
from factgold.present.statistics import bootstrap, compare, headline_of, units, verdict
from factgold.run.evaluation import evaluate
from test_properties import predictions

DOC_ID = "000_8ba8a8b9c66a07ae"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(predictions())
def test_units_rebuild_the_reported_scores(prediction: dict[str, Any]) -> None:
    report = evaluate([prediction])
    parts = report.total.headline_parts()
    rebuilt = headline_of(units(report), list(parts))
    for name, value in parts.items():
        assert rebuilt[name] == pytest.approx(value)
    assert rebuilt["headline"] == pytest.approx(report.headline)


def test_bootstrap_is_deterministic_and_brackets_the_estimate() -> None:
    report = evaluate(str(GOLD_FILE))  # the gold scores 1.0: every resample does too
    intervals = bootstrap(report, 200, seed=1)
    assert {name: (i.low, i.high) for name, i in intervals.items()} == dict.fromkeys(intervals, (1.0, 1.0))
    baseline = evaluate([{"id": DOC_ID, "entities": [{"type": "GPE", "mentions": [{"start": 0, "end": 8}]}]}])
    first, second = bootstrap(baseline, 300, seed=5), bootstrap(baseline, 300, seed=5)
    assert first == second
    assert first["headline"].low <= first["headline"].estimate <= first["headline"].high


def test_comparison_by_hand() -> None:
    # A finds all 19 entities; B none. Every unit favours A: the difference is 1 and
    # no shuffle reaches it except the ones that swap everything back -> p is small.
    gold = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
    a = evaluate([{"id": DOC_ID, "entities": gold["entities"]}], tasks=("entities",))
    b = evaluate([{"id": DOC_ID, "entities": []}], tasks=("entities",))
    (entities, headline) = compare(a, b, 500, seed=3)
    assert entities.score == "entities"
    assert (entities.a, entities.b, entities.difference.estimate) == (1.0, 0.0, 1.0)
    assert entities.p_value == pytest.approx(1 / 501)
    assert headline.difference.low > 0
    assert verdict([entities], ("A", "B")).startswith("A better on entities, p=0.002")


def test_compare_and_leaderboard_commands_repeat_with_a_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
    good, poor = tmp_path / "good.jsonl", tmp_path / "poor.jsonl"
    good.write_text(json.dumps({"id": DOC_ID, "entities": gold["entities"][:12]}) + "\n")
    poor.write_text(json.dumps({"id": DOC_ID, "entities": gold["entities"][:3]}) + "\n")
    outputs = []
    for _ in range(2):
        assert main(["compare", str(good), str(poor), "--seed", "11", "--resamples", "300", "--format", "json"]) == 0
        outputs.append(capsys.readouterr().out)
        assert main(["leaderboard", str(poor), str(good), "--seed", "11", "--resamples", "300"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[2]
    assert outputs[1] == outputs[3]
    comparison = json.loads(outputs[0])
    assert comparison["signature"].endswith(
        "|compare:paired-bootstrap+approx-randomization|resamples:300|seed:11|unit:item"
    )
    assert "good better on entities" in comparison["verdict"]
    table = outputs[1]
    assert table.index("good") < table.index("poor")  # ranked by the headline


def test_eval_bootstrap_adds_intervals_to_a_valid_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from jsonschema import Draft202012Validator

    from conftest import REPO

    schema = Draft202012Validator(json.loads((REPO / "schema" / "report.schema.json").read_text(encoding="utf-8")))
    path = tmp_path / "p.jsonl"
    path.write_text(
        json.dumps({"id": DOC_ID, "entities": [{"type": "GPE", "mentions": [{"start": 0, "end": 8}]}]}) + "\n"
    )
    runs = []
    for _ in range(2):
        assert main(["eval", str(path), "--format", "json", "--bootstrap", "200", "--seed", "4"]) == 0
        runs.append(capsys.readouterr().out)
    assert runs[0] == runs[1]
    report = json.loads(runs[0])
    assert schema.is_valid(report), list(schema.iter_errors(report))[:2]
    assert report["intervals"]["unit"] == "item"
    assert report["signature"].endswith("|ci:percentile-95|resamples:200|seed:4|unit:item")
    interval = report["intervals"]["scores"]["headline"]
    assert interval["low"] <= interval["estimate"] <= interval["high"]
    assert main(["eval", str(path), "--bootstrap", "0", "--format", "json"]) == 0  # 0: no intervals
    assert "intervals" not in json.loads(capsys.readouterr().out)


def test_several_documents_resample_documents(tmp_path: Path) -> None:
    from factgold.present.statistics import unit_name

    gold = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
    second = dict(gold, id="copy")
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text(json.dumps(gold) + "\n" + json.dumps(second) + "\n")
    predictions = [{"id": DOC_ID, "entities": gold["entities"]}, {"id": "copy", "entities": []}]
    report = evaluate(predictions, gold=gold_file)
    assert unit_name(report) == "document"
    found = units(report)
    assert [u.key for u in found] == [("document", DOC_ID), ("document", "copy")]
    parts = list(report.total.headline_parts())
    assert headline_of(found, parts)["headline"] == pytest.approx(report.headline)
    assert headline_of(found, parts)["entities"] == pytest.approx(report.total.entity_level_typed.f1)
