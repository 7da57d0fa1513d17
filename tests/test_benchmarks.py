"""The end-to-end benchmark measures like with like: its files are a valid corpus and valid
predictions, and factgold, nervaluate and seqeval read from them the same counts. The
workloads beyond flat NER (relations, numeric facts, an LLM-style answer) are valid gold,
scored as they are meant to be."""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from factgold.cli import main as factgold
from factgold.read.validate import check_gold_file
from factgold.run.evaluation import evaluate

sys.path.insert(0, str(REPO / "eval"))
sys.path.insert(0, str(REPO / "eval" / "benchmarks"))  # `e2e` imports its neighbours as the script does
from benchmarks import api, floor, layers, peers
from benchmarks.files import write

NERVALUATE_SCHEME = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}


@pytest.mark.parametrize("per_document", [5, 40])
def test_the_three_tools_count_the_same_on_the_benchmark_files(tmp_path: Path, per_document: int) -> None:
    gold, predictions = write(tmp_path, 400, per_document, seed=3)
    documents, problems = check_gold_file(gold)
    assert problems == []
    assert len(documents) == 400 // per_document
    ours = evaluate(predictions, gold=gold).total.mentions
    theirs = peers.nervaluate(gold, predictions)["overall"]
    for scheme, name in NERVALUATE_SCHEME.items():
        mine = ours[scheme]
        other = theirs[name]
        assert (mine.correct, mine.incorrect, mine.partial, mine.missed, mine.spurious) == (
            other["correct"],
            other["incorrect"],
            other["partial"],
            other["missed"],
            other["spurious"],
        ), scheme
    strict = peers.seqeval(gold, predictions)["micro avg"]
    assert strict["f1-score"] == pytest.approx(ours["strict"].f1)
    assert strict["support"] == ours["strict"].possible


def test_the_timed_python_call_gives_the_commands_report(tmp_path: Path) -> None:
    # The table's `factgold.evaluate` column times the call a Python user makes; the report
    # it gives must be the command's, or the two columns would time different work.
    gold, predictions = write(tmp_path, 400, 20, seed=4)
    api.main(gold, predictions, tmp_path / "call.json")
    arguments = [str(predictions), "--gold", str(gold), "--format", "json", "--output", str(tmp_path / "cli.json")]
    assert factgold(["eval", *arguments]) == 0
    call = json.loads((tmp_path / "call.json").read_text(encoding="utf-8"))
    assert call == json.loads((tmp_path / "cli.json").read_text(encoding="utf-8"))
    assert len(call["errors"]) > 0
    assert float((tmp_path / "call.call").read_text(encoding="utf-8")) > 0


@pytest.mark.parametrize("mode", ["items", "counts"])
def test_the_lower_bound_lists_as_many_items_as_factgold_and_finds_its_mention_categories(
    tmp_path: Path, mode: str
) -> None:
    # The lower bound (`benchmarks/floor.py`) does part of the report's work, but that part
    # for real: on the benchmark's files its mention categories are factgold's (a boundary
    # error pairs a gold and a predicted span that start alike), and it lists as many items
    # as factgold's report, no more, so that its time bounds factgold's from below.
    gold, predictions = write(tmp_path, 400, 20, seed=2)
    assert floor.main([mode, str(gold), str(predictions), str(tmp_path / "floor.json")]) == 0
    written = json.loads((tmp_path / "floor.json").read_text(encoding="utf-8"))
    counts = {(view, category): n for view, category, n in written["error_counts"]}
    ours = evaluate(predictions, gold=gold).total
    mentions = {category: n for (task, category), n in ours.error_counts.items() if task == "mentions"}
    mentions["boundary"] = mentions.get("boundary", 0) + mentions.pop("boundary+type", 0)
    assert min(mentions["boundary"], mentions["type"], mentions["spurious"]) > 0  # every pairing is tried
    for view in floor.VIEWS:
        assert {category: n for (v, category), n in counts.items() if v == view} == mentions
    assert len(written["errors"]) == (len(ours.errors) if mode == "items" else 0)


def test_the_lower_bound_leaves_the_collector_as_it_found_it(tmp_path: Path) -> None:
    gold, predictions = write(tmp_path, 40, 20, seed=2)
    arguments = ["counts", str(gold), str(predictions), str(tmp_path / "floor.json")]
    assert floor.main(arguments) == 0
    assert gc.isenabled()
    gc.disable()
    try:
        assert floor.main(arguments) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


def _scored(written: layers.Written, folder: Path) -> dict[str, Any]:
    """The gold validated and the predictions scored through the command line; the JSON report."""
    assert factgold(["validate", str(written.gold)]) == 0
    report = folder / "report.json"
    command = [
        "eval",
        str(written.predictions),
        "--gold",
        str(written.gold),
        "--format",
        "json",
        "--output",
        str(report),
    ]
    assert factgold(command) == 0
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


@pytest.mark.parametrize("kind", layers.KINDS)
def test_a_layer_workload_without_errors_scores_one_everywhere(tmp_path: Path, kind: str) -> None:
    written = layers.write(tmp_path, kind, 60, 10, seed=5, rates=layers.NO_ERRORS)
    assert written.mentions == 60
    assert written.relations == (30 if kind in ("relations", "llm") else 0)
    assert written.facts == (30 if kind in ("numeric", "llm") else 0)
    report = _scored(written, tmp_path)
    assert set(report["headline"]["parts"].values()) == {1.0}
    scores = report["scores"]
    assert scores["entities"]["entity_level"]["typed"]["tp"] == written.mentions
    # A layer the workload's gold does not annotate is not scored (`factgold.score.config.for_gold`).
    annotated = {"relations": written.relations, "numeric_facts": written.facts}
    assert {task for task in annotated if task in scores} == {task for task, n in annotated.items() if n}
    if written.relations:
        assert scores["relations"]["strict"]["tp"] == written.relations
    if written.facts:
        assert scores["numeric_facts"]["value"]["tp"] == written.facts
    for task in (task for task, n in annotated.items() if n):
        f1 = {name: score["f1"] for name, score in scores[task].items() if isinstance(score, dict) and "f1" in score}
        assert set(f1.values()) <= {1.0, None}, (task, f1)
    if kind == "llm":
        # Entities given by name alone have no mention to align: the mention view finds only the rest.
        assert scores["entities"]["mentions"]["strict"]["precision"] == 1.0
    else:
        assert scores["entities"]["mentions"]["strict"]["f1"] == 1.0


@pytest.mark.parametrize("kind", layers.KINDS)
def test_a_layer_workload_with_errors_is_scored_and_every_gold_item_counted(tmp_path: Path, kind: str) -> None:
    written = layers.write(tmp_path, kind, 400, 20, seed=1)
    report = _scored(written, tmp_path)
    relations, numeric = kind in ("relations", "llm"), kind in ("numeric", "llm")
    assert report["tasks"] == {
        "entities": "scored",
        "relations": "scored" if relations else "not in the gold",
        "numeric_facts": "scored" if numeric else "not in the gold",
    }
    scores, errors = report["scores"], report["error_counts"]
    if relations:
        strict = scores["relations"]["strict"]
        assert strict["tp"] + strict["fn"] == written.relations
        assert 0.7 < strict["f1"] < 1.0
        assert {"correct", "missed", "wrong_type", "wrong_direction", "spurious"} <= set(errors["relations"])
    if numeric:
        value = scores["numeric_facts"]["value"]
        assert value["tp"] + value["fn"] == written.facts
        assert 0.7 < value["f1"] < 1.0
        assert {"correct", "missed", "value", "scale", "unit"} <= set(errors["numeric_facts"])
        assert errors["numeric_facts"].get("spurious", 0) + errors["numeric_facts"].get("hallucinated", 0) > 0


def test_the_llm_workload_has_no_offsets_and_every_kind_is_deterministic(tmp_path: Path) -> None:
    def offsets(value: Any) -> int:
        if isinstance(value, dict):
            return ("start" in value or "end" in value) + sum(offsets(v) for v in value.values())
        return sum(offsets(v) for v in value) if isinstance(value, list) else 0

    written = layers.write(tmp_path / "a", "llm", 200, 20, seed=4)
    with written.predictions.open(encoding="utf-8") as handle:
        assert sum(offsets(json.loads(line)) for line in handle) == 0
    for kind in layers.KINDS:
        first = layers.write(tmp_path / kind / "1", kind, 200, 20, seed=4)
        second = layers.write(tmp_path / kind / "2", kind, 200, 20, seed=4)
        assert first.gold.read_bytes() == second.gold.read_bytes()
        assert first.predictions.read_bytes() == second.predictions.read_bytes()


def _e2e() -> Any:
    """The end-to-end benchmark script's module (imported by name: mypy does not follow the scripts' folder)."""
    import importlib

    return importlib.import_module("e2e")


def test_the_call_column_repeats_and_keeps_the_fastest_call_by_the_calls_own_time(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Each process takes over the ten seconds that make one run enough, each call under them:
    # the call is repeated as any run under ten seconds is, and its fastest call kept.
    e2e = _e2e()
    runs = iter(
        [
            {"seconds": 12.0, "peak_mb": 50.0, "call_seconds": 3.0},
            {"seconds": 11.0, "peak_mb": 60.0, "call_seconds": 2.0},
            {"seconds": 13.0, "peak_mb": 40.0, "call_seconds": 4.0},
        ]
    )
    monkeypatch.setattr(e2e, "_measure_once", lambda *arguments: next(runs))
    found = e2e.measure(e2e.API, tmp_path / "gold", tmp_path / "predictions", tmp_path / "call.json")
    assert found == {"seconds": 2.0, "peak_mb": 60.0}


def test_a_call_over_the_budget_voids_the_measurement(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    e2e = _e2e()
    runs = iter([{"seconds": 1.0, "peak_mb": 50.0, "call_seconds": 0.5}, None])
    monkeypatch.setattr(e2e, "_measure_once", lambda *arguments: next(runs))
    assert e2e.measure(e2e.API, tmp_path / "gold", tmp_path / "predictions", tmp_path / "call.json") is None


def test_the_call_and_the_command_differ_when_a_number_changes_type(tmp_path: Path) -> None:
    # Compared as canonical JSON: 1 and 1.0 are other numbers in a report file.
    e2e = _e2e()
    (tmp_path / "command.json").write_text('{"a": 1.0, "b": [2]}', encoding="utf-8")
    (tmp_path / "same.json").write_text('{"b": [2], "a": 1.0}', encoding="utf-8")
    (tmp_path / "call.json").write_text('{"a": 1, "b": [2]}', encoding="utf-8")
    e2e._same_content(tmp_path / "command.json", tmp_path / "same.json")
    with pytest.raises(RuntimeError, match="another report"):
        e2e._same_content(tmp_path / "command.json", tmp_path / "call.json")
