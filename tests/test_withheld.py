"""Gold with its text withheld, and the text put back from a user's own copy (`fetch-text`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factgold.cli import main
from factgold.resources import corpus_dir

GOLD = corpus_dir() / "data" / "documents" / "test.jsonl"
SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_8ba8a8b9c66a07ae.txt"


@pytest.fixture
def withheld(tmp_path: Path) -> Path:
    out = tmp_path / "withheld.jsonl"
    assert main(["withhold-text", str(GOLD), "--output", str(out)]) == 0
    return out


def test_withheld_gold_holds_no_text_of_the_article(withheld: Path) -> None:
    doc = json.loads(withheld.read_text(encoding="utf-8"))
    assert doc["text"] is None
    assert doc["title"] is None
    assert len(doc["text_sha256"]) == 64
    spans = [m for e in doc["entities"] for m in e["mentions"]] + [s for r in doc["relations"] for s in r["evidence"]]
    assert spans
    assert all(span["text"] is None for span in spans)


def test_fetch_text_restores_the_gold_byte_for_byte(withheld: Path, tmp_path: Path) -> None:
    out = tmp_path / "restored.jsonl"
    assert main(["fetch-text", str(withheld), "--from", str(SEED), "--output", str(out)]) == 0
    assert out.read_bytes() == GOLD.read_bytes()


def test_a_copy_saved_with_a_bom_and_crlf_line_ends_still_matches(
    withheld: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(b"\xef\xbb\xbf" + SEED.read_bytes().replace(b"\n", b"\r\n"))
    out = tmp_path / "restored.jsonl"
    assert main(["fetch-text", str(withheld), "--from", str(copy), "--output", str(out)]) == 0
    assert out.read_bytes() == GOLD.read_bytes()
    assert "CRLF line ends made LF" in capsys.readouterr().err


def test_another_text_is_refused_in_one_line(
    withheld: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "other.txt"
    copy.write_text("Another article\n", encoding="utf-8")
    assert main(["fetch-text", str(withheld), "--from", str(copy), "--output", str(tmp_path / "out.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no --from file is the text of '000_8ba8a8b9c66a07ae'" in err
    assert not (tmp_path / "out.jsonl").exists()


def test_validate_on_withheld_gold_says_what_to_do_in_one_line(
    withheld: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(withheld)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "the text is withheld" in err
    assert "factgold fetch-text" in err


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda doc: doc["entities"][0]["mentions"][0].update(start="3"), "span 3-8 lies outside the text"),
        (lambda doc: doc["numeric_facts"][0].pop("mention"), "not a withheld gold document (KeyError"),
        (lambda doc: doc.update(text_sha256=5), "needs its text's SHA-256 in 'text_sha256'"),
        (lambda doc: doc.update(variant_of="000_8ba8a8b9c66a07ae"), "is a counterfactual variant"),
    ],
)
def test_bad_withheld_gold_is_one_line(
    withheld: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Any, message: str
) -> None:
    doc = json.loads(withheld.read_text(encoding="utf-8"))
    change(doc)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    assert main(["fetch-text", str(bad), "--from", str(SEED), "--output", str(tmp_path / "out.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err
    assert f"{bad}:1:" in err


def test_bad_json_and_a_missing_copy_name_the_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\n{"id": \n', encoding="utf-8")
    assert main(["fetch-text", str(bad), "--from", str(SEED), "--output", str(tmp_path / "o.jsonl")]) == 2
    assert f"{bad}:2: invalid JSON" in capsys.readouterr().err
    good = tmp_path / "w.jsonl"
    assert main(["withhold-text", str(GOLD), "--output", str(good)]) == 0
    assert (
        main(["fetch-text", str(good), "--from", str(tmp_path / "nope.txt"), "--output", str(tmp_path / "o.jsonl")])
        == 2
    )
    assert "nope.txt: cannot read it (No such file or directory)" in capsys.readouterr().err
