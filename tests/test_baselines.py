"""Baselines: each runs and scores, the co-occurrence floor follows the schema, the README
results table is the command's output."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from factgold.baselines import SYSTEMS, cooccurrence, predictor
from factgold.cli import main
from factgold.errors import UsageError
from factgold.run.evaluation import bundled_gold, evaluate


@pytest.mark.parametrize("system", list(SYSTEMS))
def test_each_baseline_predicts_and_scores(system: str) -> None:
    document = bundled_gold()[0]
    prediction = predictor(system)(document.id, document.text)
    report = evaluate([prediction]).to_dict()
    assert 0.0 < report["headline"]["score"] <= 1.0
    if system != "quantities":
        assert report["tasks"]["entities"] == "scored"
        assert report["scores"]["entities"]["mentions"]["strict"]["correct"] > 20


def test_spacy_sm_finds_the_people() -> None:
    document = bundled_gold()[0]
    prediction = predictor("spacy-sm")(document.id, document.text)
    people = {
        document.text[e["mentions"][0]["start"] : e["mentions"][0]["end"]]
        for e in prediction["entities"]
        if e["type"] == "PERSON"
    }
    assert {"Mohsin Naqvi", "Wang Xiaohong", "Ishaq Dar", "Wang Yi"} <= people


def test_cooccurrence_takes_the_first_admissible_type() -> None:
    text = "Ishaq Dar visited Beijing. Beijing welcomed Dar."
    entities: list[dict[str, Any]] = [
        {"id": "a", "type": "PERSON", "mentions": [{"start": 0, "end": 9}, {"start": 44, "end": 47}]},
        {"id": "b", "type": "GPE", "mentions": [{"start": 18, "end": 25}, {"start": 27, "end": 34}]},
    ]
    # PERSON -> GPE: official_of is the first type admitting it; GPE -> PERSON: part_of (any -> any).
    assert cooccurrence.relations(text, entities) == [
        {"type": "official_of", "head": "a", "tail": "b"},
        {"type": "part_of", "head": "b", "tail": "a"},
    ]


def test_unknown_and_missing_baselines_are_usage_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UsageError, match="unknown baseline 'gpt'"):
        predictor("gpt")
    real_import = importlib.import_module

    def without_spacy(name: str, *args: Any) -> Any:
        if name == "factgold.baselines.rules":
            raise ModuleNotFoundError("No module named 'spacy'", name="spacy")
        return real_import(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_spacy)
    with pytest.raises(UsageError, match=r"needs spacy, which is not installed: pip install 'factgold\[rules\]'"):
        predictor("rules")


def test_baseline_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["baseline", "--system", "quantities"]) == 0
    prediction = json.loads(capsys.readouterr().out)
    assert [f["value"] for f in prediction["numeric_facts"]] == [2.0, 7.0, 64e9, 75.0, 2.0, 23e9]


def test_readme_results_table_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["results", "--readme", str(REPO / "README.md"), "--check"]) == 0
    assert "is up to date" in capsys.readouterr().out


def test_quantities_hedges_are_whole_words() -> None:
    text = "Trade grew in Africa. 5 firms joined, around 7 left.\n"
    facts = predictor("quantities")("x", text)["numeric_facts"]
    assert [(f["value"], f["approximate"]) for f in facts] == [(5.0, False), (7.0, True)]


def test_the_spacy_output_scores_as_the_spacy_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The pipeline's own Doc.to_json(), as a user saves it, through --from spacy; and the
    # spacy-sm baseline built on the same pipeline. Relations are the baseline's own
    # co-occurrence guesses, which spaCy does not output, so the tasks compared are the others.
    from factgold.baselines.spacy_sm import _pipeline

    document = bundled_gold()[0]
    path = tmp_path / "spacy.json"
    path.write_text(json.dumps(_pipeline()(document.text).to_json()))
    tasks = "entities,numeric_facts"
    assert main(["eval", str(path), "--from", "spacy", "--tasks", tasks, "--format", "json"]) == 0
    converted = json.loads(capsys.readouterr().out)
    baseline = evaluate([predictor("spacy-sm")(document.id, document.text)], tasks=("entities", "numeric_facts"))
    expected = baseline.to_dict()
    assert converted["headline"] == expected["headline"]
    assert converted["scores"] == expected["scores"]
    assert any(note.startswith("spacy output: DATE entities") for note in converted["notes"])
