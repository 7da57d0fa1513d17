"""Everything the JSON holds reaches the formats people read: table, Markdown and HTML."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factgold.cli import main
from factgold.present.render import ERROR_WIDTH
from factgold.run.evaluation import evaluate
from test_headline import DOC_ID, LLM_ANSWER, TEXT


def _spans_with_scores() -> dict[str, Any]:
    """Flat NER output with confidences: every "Pakistan" and "Beijing", and one wrong span."""
    entities = []
    for name, label, score in (("Pakistan", "GPE", 0.9), ("Beijing", "GPE", 0.8), ("MENAFN", "PERSON", 0.3)):
        start = TEXT.find(name)
        while start >= 0:
            entities.append({"type": label, "score": score, "mentions": [{"start": start, "end": start + len(name)}]})
            start = TEXT.find(name, start + 1)
    return {"id": DOC_ID, "entities": entities}


@pytest.fixture
def scored_file(tmp_path: Path) -> Path:
    path = tmp_path / "predictions.jsonl"
    path.write_text(json.dumps(_spans_with_scores()) + "\n")
    return path


def _out(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("format_name", ["table", "markdown", "html"])
def test_intervals_and_precision_recall_in_every_format(
    scored_file: Path, capsys: pytest.CaptureFixture[str], format_name: str
) -> None:
    report = json.loads(_out(capsys, "eval", str(scored_file), "--bootstrap", "50", "--format", "json"))
    headline = report["intervals"]["scores"]["headline"]
    ap = report["confidence"]["mentions"]["average_precision"]
    page = _out(capsys, "eval", str(scored_file), "--bootstrap", "50", "--format", format_name)
    assert f"[{headline['low']:.4f}, {headline['high']:.4f}]" in page  # next to the headline
    assert f"{ap:.4f}" in page
    if format_name == "html":
        assert '<svg class="curve"' in page
    else:
        assert "Confidence intervals (percentile bootstrap, 95%" in page
        assert "Confidence scores: precision-recall" in page


@pytest.mark.parametrize("format_name", ["table", "markdown", "html"])
def test_a_names_only_report_shows_the_entity_level_not_empty_mention_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], format_name: str
) -> None:
    path = tmp_path / "answer.jsonl"
    path.write_text(json.dumps(LLM_ANSWER) + "\n")
    page = _out(capsys, "eval", str(path), "--format", format_name, "--show-errors")
    assert "No mentions predicted (the entities are given by name)" in page
    assert "entity level" in page
    assert "SemEval-2013 Task 9.1 schemes" not in page
    assert "<h2>Mentions</h2>" not in page
    assert "mentions missed" not in page
    assert "entities missed" not in page


def test_the_error_list_fits_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "answer.jsonl"
    path.write_text(json.dumps(LLM_ANSWER) + "\n")
    page = _out(capsys, "eval", str(path), "--show-errors")
    errors = page[page.index("Errors (every item") :].splitlines()[2:]
    assert len(errors) > 20
    assert max(len(line) for line in errors) <= ERROR_WIDTH


def test_printing_a_report_shows_a_summary() -> None:
    report = evaluate([LLM_ANSWER])
    shown = repr(report)
    assert shown.startswith(f"<factgold Report: headline {report.headline:.4f} (entities ")
    assert report.signature in shown
    assert len(shown) < 500


def test_entities_by_name_with_scores_have_a_precision_recall_curve() -> None:
    # The headline's entity part is the entity level: entities given by name only rank there.
    answer = {
        "id": DOC_ID,
        "entities": [
            {"name": "Pakistan", "type": "GPE", "score": 0.9},
            {"name": "Atlantis", "type": "GPE", "score": 0.8},
            {"name": "Beijing", "type": "GPE", "score": 0.4},
        ],
    }
    curve = evaluate([answer]).to_dict()["confidence"]["entity_level"]
    assert curve["best_f1"] == pytest.approx(2 * (2 / 3) * (2 / 19) / (2 / 3 + 2 / 19))
    assert curve["best_threshold"] == 0.4
