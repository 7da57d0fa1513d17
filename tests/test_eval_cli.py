"""`factgold eval` and `factgold baseline` through `main([...])`: outputs, and one line per bad input."""

from __future__ import annotations

import gc
import io
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conftest import GOLD_FILE, REPO, WriteJsonl
from factgold.cli import main

DOC_ID = "000_8ba8a8b9c66a07ae"
REPORT_SCHEMA = Draft202012Validator(json.loads((REPO / "schema" / "report.schema.json").read_text(encoding="utf-8")))


def _baseline(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["baseline"]) == 0
    return capsys.readouterr().out


def test_baseline_then_eval_from_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    predictions = _baseline(capsys)
    assert json.loads(predictions)["id"] == DOC_ID
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(predictions.encode("utf-8"))))
    assert main(["eval", "-", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert REPORT_SCHEMA.is_valid(report)
    assert 0.0 < report["headline"]["score"] < 1.0
    assert report["tasks"] == {"entities": "scored", "relations": "scored", "numeric_facts": "scored"}


def test_table_shows_signature_scores_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "baseline.jsonl"
    path.write_text(_baseline(capsys), encoding="utf-8")
    assert main(["eval", str(path), "--show-errors"]) == 0
    out = capsys.readouterr().out
    assert "Signature: factgold:0.3.0|scoring:2.3.0|corpus:1.2.0|gold:sha256=" in out
    assert "strict" in out
    assert "conll (mean F1)" in out
    assert "Errors (every item not correct, and every item found by a fuzzy match)" in out
    assert "missed" in out


def test_markdown_to_a_file_atomically(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "report.md"
    assert main(["eval", str(GOLD_FILE), "--format", "markdown", "--output", str(output), "--mentions", "all"]) == 0
    assert capsys.readouterr().out == ""
    text = output.read_text(encoding="utf-8")
    assert text.startswith("# factgold evaluation")
    assert "| strict | 1.0000 | 1.0000 | 1.0000 | 53 |" in text
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # no temporary file left


def test_json_report_is_identical_across_runs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "baseline.jsonl"
    path.write_text(_baseline(capsys), encoding="utf-8")
    assert main(["eval", str(path), "--format", "json"]) == 0
    first = capsys.readouterr().out
    assert main(["eval", str(path), "--format", "json"]) == 0
    assert capsys.readouterr().out == first


def test_json_array_input(
    write_jsonl: WriteJsonl, gold_doc: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_jsonl(raw=json.dumps([gold_doc], indent=2))
    assert main(["eval", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["headline"]["score"] == 1.0


def _mention(start: int, end: int, **extra: Any) -> dict[str, Any]:
    return {"start": start, "end": end, **extra}


# (predictions file content, line, JSON path, a part of the message)
BAD_PREDICTIONS: dict[str, tuple[str, int, str, str]] = {
    "unknown document": ('{"id": "nope", "entities": []}\n', 1, "$.id", "document 'nope' is not in the gold"),
    "gold document missing": ("", 1, "$", "empty file: no JSON documents"),
    "unknown field": (
        json.dumps({"id": DOC_ID, "entities": [], "confidence": 1}) + "\n",
        1,
        "$",
        "'confidence' was unexpected",
    ),
    "wrong type": (
        json.dumps({"id": DOC_ID, "entities": [{"type": 5, "mentions": [_mention(0, 8)]}]}) + "\n",
        1,
        "$.entities[0].type",
        "5 is not of type 'string'",
    ),
    "offset out of range": (
        json.dumps({"id": DOC_ID, "entities": [{"type": "GPE", "mentions": [_mention(0, 9999)]}]}) + "\n",
        1,
        "$.entities[0].mentions[0].end",
        "past the end of the text (2178 characters)",
    ),
    "reversed offsets": (
        json.dumps({"id": DOC_ID, "entities": [{"type": "GPE", "mentions": [_mention(8, 0)]}]}) + "\n",
        1,
        "$.entities[0].mentions[0].start",
        "start 8 is not before end 0",
    ),
    "text not the slice": (
        json.dumps({"id": DOC_ID, "entities": [{"type": "GPE", "mentions": [_mention(1, 9, text="Pakistan")]}]}) + "\n",
        1,
        "$.entities[0].mentions[0].text",
        "'Pakistan' does not equal text[1:9] 'akistan '",
    ),
    "dangling relation head": (
        json.dumps({"id": DOC_ID, "relations": [{"type": "visited", "head": "e9", "tail": _mention(0, 8)}]}) + "\n",
        1,
        "$.relations[0].head",
        "head 'e9' is not the id or name of an entity of this document",
    ),
    "boolean value": (
        json.dumps({"id": DOC_ID, "numeric_facts": [{"value": True}]}) + "\n",
        1,
        "$.numeric_facts[0].value",
        "True is not of type 'number', 'string'",
    ),
    "half-grounded mention": (
        json.dumps({"id": DOC_ID, "entities": [{"type": "GPE", "mentions": [{"start": 0, "text": "Pakistan"}]}]})
        + "\n",
        1,
        "$.entities[0].mentions[0]",
        "a mention is {start, end} (optionally with text) or {text} alone",
    ),
    "entity without mentions or name": (
        json.dumps({"id": DOC_ID, "entities": [{"type": "GPE"}]}) + "\n",
        1,
        "$.entities[0]",
        "an entity needs a type and either mentions or a name",
    ),
    "NaN value": (
        '{"id": "' + DOC_ID + '", "numeric_facts": [{"value": NaN}]}\n',
        1,
        "$",
        "invalid JSON: NaN is not valid JSON",
    ),
    "invalid JSON on line 2": (
        json.dumps({"id": DOC_ID}) + "\n{oops\n",
        2,
        "$",
        "invalid JSON: Expecting property name enclosed in double quotes",
    ),
    "document twice": (
        (json.dumps({"id": DOC_ID, "entities": []}) + "\n") * 2,
        2,
        "$.id",
        "appears twice (first on line 1)",
    ),
    "different text": (
        json.dumps({"id": DOC_ID, "text": "other", "entities": []}) + "\n",
        1,
        "$.text",
        "text differs from the gold text",
    ),
    "array element on line 3": ('[\n{"id": "' + DOC_ID + '"},\n{"id": 7}\n]\n', 3, "$.id", "7 is not of type 'string'"),
}


@pytest.mark.parametrize("case", sorted(BAD_PREDICTIONS))
def test_bad_predictions_give_one_line_and_exit_2(
    case: str, write_jsonl: WriteJsonl, capsys: pytest.CaptureFixture[str]
) -> None:
    content, line, path, message = BAD_PREDICTIONS[case]
    bad_file = write_jsonl(raw=content, name="predictions.jsonl")
    assert main(["eval", str(bad_file)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert any(entry.startswith(f"{bad_file}:{line}: {path}: ") and message in entry for entry in lines), lines
    assert "Traceback" not in captured.err


def test_missing_gold_document_is_named(
    write_jsonl: WriteJsonl, gold_doc: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    second = dict(gold_doc, id="second")
    gold = write_jsonl(gold_doc, second, name="gold.jsonl")
    predictions = write_jsonl({"id": gold_doc["id"], "entities": []}, name="predictions.jsonl")
    assert main(["eval", str(predictions), "--gold", str(gold)]) == 2
    assert "no predictions for gold document 'second'" in capsys.readouterr().err


def test_bad_gold_is_reported_as_gold(write_jsonl: WriteJsonl, capsys: pytest.CaptureFixture[str]) -> None:
    gold = write_jsonl(raw='{"id": 1}\n', name="gold.jsonl")
    assert main(["eval", str(GOLD_FILE), "--gold", str(gold)]) == 2
    assert f"{gold}:1: $: 'title' is a required property" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["eval", str(GOLD_FILE), "--numeric-rtol", "-1"], "numeric relative tolerance must be a number in [0, 1)"),
        (["eval", str(GOLD_FILE), "--numeric-rtol", "x"], "invalid float value: 'x'"),
        (["eval", str(GOLD_FILE), "--mentions", "nominal"], "invalid choice: 'nominal'"),
        (
            ["eval", str(GOLD_FILE), "--output", "/nonexistent/folder/r.json"],
            "folder /nonexistent/folder does not exist",
        ),
    ],
)
def test_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err


@pytest.mark.parametrize("predictions", ["baseline", "not json"])
def test_the_eval_command_leaves_the_collector_as_it_found_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], predictions: str
) -> None:
    # The command runs with the cyclic collector paused (`factgold.run.report.paused_gc`):
    # after it, scored or refused, the collector runs again, and one paused by the caller
    # stays paused.
    path = tmp_path / "predictions.jsonl"
    path.write_text(_baseline(capsys) if predictions == "baseline" else "not json\n", encoding="utf-8")
    expected = 0 if predictions == "baseline" else 2
    assert gc.isenabled()
    assert main(["eval", str(path), "--format", "json"]) == expected
    assert gc.isenabled()
    gc.disable()
    try:
        assert main(["eval", str(path), "--format", "json"]) == expected
        assert not gc.isenabled()
    finally:
        gc.enable()
