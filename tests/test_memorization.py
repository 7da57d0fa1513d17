"""The memorization gap: a system that answers every variant with the original's facts is caught."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from factgold.cli import main
from factgold.read.document import Document
from factgold.run.evaluation import bundled_gold_with_variants, evaluate

ORIGINAL = "000_8ba8a8b9c66a07ae"
REPORT_SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "report.schema.json"


def answer(doc: Document, doc_id: str) -> dict[str, Any]:
    """The gold of ``doc`` written as a text-only (LLM-style) prediction for ``doc_id``."""
    names = {e.id: e.name for e in doc.entities}
    return {
        "id": doc_id,
        "entities": [
            {"name": e.name, "type": e.type, "mentions": [{"text": m.text} for m in e.mentions if m.kind == "name"]}
            for e in doc.entities
        ],
        "relations": [{"type": r.type, "head": names[r.head], "tail": names[r.tail]} for r in doc.relations],
        "numeric_facts": [
            {
                "value": f.mention.text,
                "kind": f.kind,
                "approximate": f.approximate,
                "bound": f.bound,
                "subject": names[f.subject] if f.subject else None,
            }
            for f in doc.numeric_facts
        ],
    }


@pytest.fixture(scope="module")
def gold() -> tuple[Document, ...]:
    return bundled_gold_with_variants()


def test_a_system_that_reads_has_no_gap(gold: tuple[Document, ...]) -> None:
    report = evaluate([answer(doc, doc.id) for doc in gold], gold=gold)
    (gap,) = report.memorization
    assert gap.original == ORIGINAL
    assert len(gap.variants) == 24
    for row in gap.rows:
        assert row.gap == pytest.approx(0.0, abs=1e-12), row
    assert gap.answers == ()


def test_a_system_that_recalls_the_original_has_a_positive_gap(gold: tuple[Document, ...]) -> None:
    original = gold[0]
    report = evaluate([answer(original, doc.id) for doc in gold], gold=gold)
    (gap,) = report.memorization
    rows = {row.part: row for row in gap.rows}
    assert rows["numeric_value"].gap > 0.05
    assert rows["numeric_value"].low > 0  # the interval excludes no gap
    assert rows["headline"].gap > 0
    assert rows["numeric_value"].original == 1.0
    # The figures the README quotes.
    assert (round(rows["headline"].gap, 3), round(rows["headline"].low, 3), round(rows["headline"].high, 3)) == (
        0.045,
        0.03,
        0.061,
    )
    assert round(rows["numeric_value"].gap, 3) == 0.069
    assert len(gap.answers) == 46
    given = {(a.document.rsplit(".", 1)[1], a.layer, a.system_gave) for a in gap.answers}
    # cf01 says $58 billion; the system gave the original's $64 billion.
    assert ("cf01", "numeric_facts", "$64 billion") in given
    # cf18 renamed the interior minister; the system named him as the original does.
    assert ("cf18", "entities", "Mohsin Naqvi") in given
    # cf14 gave Xinjiang to Pakistan; the system kept it in China.
    assert ("cf14", "relations", "located_in(Xinjiang, China)") in given
    # cf05 changed only the hedge: the value is the variant's too, so it is no memory answer.
    assert not any(doc == "cf05" and layer == "numeric_facts" for doc, layer, _ in given)


def test_the_bound_is_scored_on_the_hedge_variants(gold: tuple[Document, ...]) -> None:
    original = gold[0]
    over = next(doc for doc in gold if doc.id.endswith("cf05"))
    recalled = evaluate([answer(original, over.id)], gold=[over]).total.numeric
    read = evaluate([answer(over, over.id)], gold=[over]).total.numeric
    assert read["bound"].f1 == 1.0
    assert recalled["bound"].f1 < 1.0


def test_eval_variants_reports_the_gap(tmp_path: Path, gold: tuple[Document, ...]) -> None:
    predictions = tmp_path / "p.jsonl"
    predictions.write_text("".join(json.dumps(answer(gold[0], doc.id)) + "\n" for doc in gold), encoding="utf-8")
    out = tmp_path / "r.json"
    assert main(["eval", str(predictions), "--variants", "--format", "json", "--output", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    Draft202012Validator(json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))).validate(report)
    (gap,) = report["memorization"]
    assert gap["variants"] == 24
    assert gap["answered_from_memory"]
    table = tmp_path / "r.txt"
    assert main(["eval", str(predictions), "--variants", "--output", str(table)]) == 0
    text = table.read_text(encoding="utf-8")
    assert "Memorization gap" in text
    assert "Answered from memory: " in text
    assert "gave $64 billion; the text says $58 billion (CPEC)" in text


def test_variants_with_a_gold_file_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "x.jsonl", "--variants", "--gold", "g.jsonl"]) == 2
    assert "a --gold file holds its own" in capsys.readouterr().err


def test_runs_with_variants_and_the_corpus_version(tmp_path: Path, gold: tuple[Document, ...]) -> None:
    predictions = tmp_path / "p.jsonl"
    predictions.write_text("".join(json.dumps(answer(doc, doc.id)) + "\n" for doc in gold), encoding="utf-8")
    out = tmp_path / "runs.json"
    assert (
        main(["eval", str(predictions), str(predictions), "--variants", "--format", "json", "--output", str(out)]) == 0
    )
    report = evaluate([answer(doc, doc.id) for doc in gold], gold=gold)
    assert report.corpus_version.endswith("+counterfactual")


def test_the_hedge_variants_show_in_the_attribute_rows(gold: tuple[Document, ...]) -> None:
    original = gold[0]
    report = evaluate([answer(original, doc.id) for doc in gold], gold=gold)
    rows = {row.part: row for row in report.memorization[0].rows}
    assert rows["numeric_bound"].gap > 0  # the original's "no bound" given where a variant bounds
    recalled_numbers_only = evaluate([answer(original, doc.id) for doc in gold], gold=gold, tasks=("numeric_facts",))
    assert {a.layer for a in recalled_numbers_only.memorization[0].answers} == {"numeric_facts"}


def test_variants_without_the_flag_say_what_to_add(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = bundled_gold_with_variants()
    predictions = tmp_path / "p.jsonl"
    predictions.write_text("".join(json.dumps(answer(doc, doc.id)) + "\n" for doc in gold), encoding="utf-8")
    assert main(["eval", str(predictions)]) == 2
    assert "a counterfactual variant of a gold document: add --variants" in capsys.readouterr().err
