"""`factgold plot`: a report's per-type F1 and precision-recall curves as PNG or SVG."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factgold.cli import main

DOC_ID = "000_8ba8a8b9c66a07ae"
pytest.importorskip("matplotlib")


@pytest.fixture
def report_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    entities = [
        {"type": "GPE", "mentions": [{"start": 0, "end": 8}], "score": 0.9},
        {"type": "ORG", "mentions": [{"start": 9, "end": 16}], "score": 0.3},
    ]
    predictions = tmp_path / "p.jsonl"
    predictions.write_text(json.dumps({"id": DOC_ID, "entities": entities}) + "\n")
    assert main(["eval", str(predictions), "--format", "json", "--output", str(tmp_path / "report.json")]) == 0
    return tmp_path / "report.json"


@pytest.mark.parametrize(("suffix", "magic"), [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_plot_writes_the_figure(report_file: Path, tmp_path: Path, suffix: str, magic: bytes) -> None:
    output = tmp_path / f"figure{suffix}"
    assert main(["plot", str(report_file), "--output", str(output)]) == 0
    content = output.read_bytes()
    assert content.startswith(magic)
    assert len(content) > 5_000
    if suffix == ".svg":
        assert b"Precision-recall by confidence" in content
        assert b"F1 by type: mentions, strict" in content


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("not-json", "not a readable JSON report"),
        ("not-a-report", "not a factgold report"),
        ("bad-suffix", "--output must end in .png or .svg"),
    ],
)
def test_plot_usage_errors(
    report_file: Path, tmp_path: Path, setup: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source, output = report_file, tmp_path / "figure.png"
    if setup == "not-json":
        source = tmp_path / "x.json"
        source.write_text("{oops")
    elif setup == "not-a-report":
        source = tmp_path / "x.json"
        source.write_text('{"scores": {}}')
    else:
        output = tmp_path / "figure.pdf"
    assert main(["plot", str(source), "--output", str(output)]) == 2
    assert message in capsys.readouterr().err
