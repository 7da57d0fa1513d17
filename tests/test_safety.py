"""What factgold writes and prints is safe, whatever the input: found by trying it as a hostile user would."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import GOLD_FILE
from factgold.cli import MAX_PROBLEMS_SHOWN, main

GOLD = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
DOC_ID = GOLD["id"]


def _predictions(tmp_path: Path, entities: list[dict[str, object]], name: str = "p.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"id": DOC_ID, "entities": entities}) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("which", ["gold", "predictions", "link to predictions"])
def test_an_output_that_is_an_input_is_refused(which: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(GOLD_FILE.read_bytes())
    predictions = _predictions(tmp_path, [])
    output = {"gold": gold, "predictions": predictions, "link to predictions": tmp_path / "link.json"}[which]
    if which == "link to predictions":
        os.symlink(predictions, output)
    before = {path: path.read_bytes() for path in (gold, predictions)}
    assert main(["eval", str(predictions), "--gold", str(gold), "--output", str(output)]) == 2
    err = capsys.readouterr().err
    assert "is an input of this command" in err
    assert len(err.strip().splitlines()) == 1
    assert {path: path.read_bytes() for path in (gold, predictions)} == before


def test_terminal_escapes_in_predictions_are_shown_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    label = "\x1b[31mORG\x1b[0m\u202e"
    path = _predictions(tmp_path, [{"type": label, "mentions": [{"start": 0, "end": 8}]}])
    for output_format in ("table", "markdown"):
        assert main(["eval", str(path), "--show-errors", "--format", output_format]) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out
        assert "\u202e" not in out
        assert "\\x1b[31mORG\\x1b[0m\\u202e" in out
    assert main(["eval", str(path), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["labels_not_in_gold"]["entity_types"] == [label]  # the JSON keeps the exact string


def test_jobs_must_be_positive_on_every_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = _predictions(tmp_path, [])
    array = tmp_path / "p.json"
    array.write_text(json.dumps([{"id": DOC_ID, "entities": []}]), encoding="utf-8")
    for path in (lines, array):
        assert main(["eval", str(path), "--jobs", "0"]) == 2
        assert "jobs must be at least 1, not 0" in capsys.readouterr().err


def test_a_binary_file_prints_the_first_problems_and_a_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "binary.jsonl"
    path.write_bytes(b"".join(bytes([0x80 + i % 64, 0x0A]) for i in range(500)))
    assert main(["eval", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == MAX_PROBLEMS_SHOWN + 1
    assert err[-1].startswith("factgold: ... and ")
    assert err[-1].endswith(" more problem(s) not shown")
