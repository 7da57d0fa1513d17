"""The bad-input corpus: every file in tests/data/bad gets its one-line message and exit 2,
names its file, line and JSON path, prints no traceback and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from factgold.cli import main

BAD = REPO / "tests" / "data" / "bad"
EXPECTED: dict[str, dict[str, Any]] = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))


def test_the_corpus_is_complete() -> None:
    files = {path.name for path in BAD.iterdir() if path.name != "expected.json"}
    assert files == set(EXPECTED)
    assert len(files) >= 40


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = EXPECTED[name]
    path = BAD / name
    output = tmp_path / "report.json"
    if case["command"] == "eval":
        argv = ["eval", str(path), "--format", "json", "--output", str(output), *case.get("args", [])]
    else:
        argv = ["validate", str(path)]
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    expected_start = f"{path}:{case['line']}: {case['path']}: "
    assert any(line.startswith(expected_start) and str(case["message"]) in line for line in lines), (
        expected_start,
        lines,
    )
    assert "Traceback" not in captured.err
    assert "internal error" not in captured.err
    assert not output.exists()
    assert captured.out == ""
