"""`--errors all|sample|none`: how many error items a report lists never changes a number."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from factgold.cli import main
from factgold.errors import UsageError
from factgold.present.statistics import bootstrap
from factgold.run.evaluation import evaluate

sys.path.insert(0, str(REPO / "eval"))
from benchmarks.files import write  # the benchmark's generator of valid files


def write_workload(folder: Path, *, mentions: int, per_document: int) -> tuple[Path, Path]:
    return write(folder, mentions, per_document)


def _numbers(report: dict[str, Any]) -> dict[str, Any]:
    return {
        key: report[key] for key in ("signature", "headline", "scores", "error_counts", "hallucinated", "documents")
    }


def test_the_listing_never_changes_a_number(tmp_path: Path) -> None:
    gold, predictions = write_workload(tmp_path, mentions=600, per_document=20)
    reports = {
        detail: evaluate(predictions, gold=gold, errors=detail).to_dict() for detail in ("all", "sample", "none")
    }
    assert _numbers(reports["sample"]) == _numbers(reports["all"])
    assert _numbers(reports["none"]) == _numbers(reports["all"])
    assert reports["none"]["errors"] == []
    # The sample: the first 20 of each task and category, in the order of the full listing.
    full = reports["all"]["errors"]
    expected = []
    for task, categories in reports["all"]["error_counts"].items():
        for category in categories:
            expected += [e for e in full if (e["task"], e["category"]) == (task, category)][:20]
    assert sorted(map(json.dumps, reports["sample"]["errors"])) == sorted(map(json.dumps, expected))
    assert [e for e in full if e in reports["sample"]["errors"]] == reports["sample"]["errors"]
    assert len(reports["sample"]["errors"]) < len(full)
    assert any(note.startswith("--errors sample: ") for note in reports["sample"]["notes"])
    assert reports["none"]["config"]["errors"] == "none"


def test_intervals_need_every_item(tmp_path: Path) -> None:
    gold, predictions = write_workload(tmp_path, mentions=100, per_document=20)
    with pytest.raises(UsageError, match="score with --errors all"):
        bootstrap(evaluate(predictions, gold=gold, errors="none"), 10, 0)


def test_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold, predictions = write_workload(tmp_path, mentions=100, per_document=20)
    output = tmp_path / "report.json"
    assert main(["eval", str(predictions), "--gold", str(gold), "--errors", "none", "--format", "json",
                 "--output", str(output)]) == 0  # fmt: skip
    assert json.loads(output.read_text())["errors"] == []
    assert main(["eval", str(predictions), "--gold", str(gold), "--errors", "none", "--bootstrap", "10"]) == 2
    assert "score with --errors all" in capsys.readouterr().err
    assert main(["eval", str(predictions), "--gold", str(gold), "--errors", "some"]) == 2
    assert "argument --errors: invalid choice: 'some'" in capsys.readouterr().err
