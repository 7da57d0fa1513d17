"""LLM answers as people save them: pretty-printed, fenced, with their own key spellings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factgold.cli import main
from factgold.run.evaluation import evaluate
from test_headline import DOC_ID, LLM_ANSWER

EXPECTED = evaluate([LLM_ANSWER]).to_dict()["headline"]["score"]


def _headline(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["eval", *argv, "--format", "json"]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def test_a_pretty_printed_answer_file_scores_as_the_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(LLM_ANSWER, indent=2) + "\n")
    assert _headline(capsys, str(path))["headline"]["score"] == EXPECTED
    # Two answers pretty-printed one after the other are two documents (here: the same one twice).
    path.write_text(json.dumps(LLM_ANSWER, indent=2) + "\n" + json.dumps(LLM_ANSWER, indent=2) + "\n")
    assert main(["eval", str(path)]) == 2
    assert "appears twice" in capsys.readouterr().err


def test_a_broken_json_lines_file_still_names_every_bad_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text('{"id": "a",\n{"id": "b",\n')
    assert main(["eval", str(path)]) == 2
    err = capsys.readouterr().err
    assert "broken.jsonl:1:" in err
    assert "broken.jsonl:2:" in err


def test_a_fenced_raw_answer_scores_with_from_llm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "answer.md"
    pretty = json.dumps(LLM_ANSWER, indent=2)
    path.write_text(f"Here is the extraction:\n\n```json\n{pretty}\n```\nAnything else?\n")
    report = _headline(capsys, str(path), "--from", "llm")
    assert report["headline"]["score"] == EXPECTED
    assert "llm answer: JSON read from a code fence (1)" in report["notes"]


def test_the_usual_key_spellings_and_label_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answer = {
        "named_entities": [{"text": e["name"], "label": e["type"].lower()} for e in LLM_ANSWER["entities"]],
        "triples": [[r["head"], r["type"].replace("_", " ").title(), r["tail"]] for r in LLM_ANSWER["relations"][:1]]
        + [{"subject": r["head"], "predicate": r["type"], "object": r["tail"]} for r in LLM_ANSWER["relations"][1:]],
        "Quantities": [{"value": f["value"]} for f in LLM_ANSWER["numeric_facts"]],
        "reasoning": "the article names them",
    }
    path = tmp_path / "answer.txt"
    path.write_text("Sure! " + json.dumps(answer, indent=4) + " Hope this helps.")
    report = _headline(capsys, str(path), "--from", "llm")
    assert report["headline"]["score"] == EXPECTED
    notes = [n for n in report["notes"] if n.startswith("llm answer: ")]
    assert notes == [
        "llm answer: JSON read from the text (1)",
        "llm answer: entity labels matched to gold types case-insensitively (19)",
        "llm answer: key 'reasoning' ignored (1)",
        "llm answer: layer 'Quantities' read as numeric_facts (1)",
        "llm answer: layer 'named_entities' read as entities (1)",
        "llm answer: layer 'triples' read as relations (1)",
        "llm answer: relation types normalized to lower case with underscores (1)",
        "llm answer: relations: a [head, type, tail] list read as a relation (1)",
    ]
    # --strict refuses what needs leniency, with a one-line message.
    assert main(["eval", str(path), "--from", "llm", "--strict"]) == 2
    assert capsys.readouterr().err.startswith("factgold: error: llm (--strict): ")


def test_what_cannot_be_read_is_dropped_and_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answer = {
        "id": DOC_ID,
        "entities": [{"name": "Pakistan"}, "China", {"name": "Beijing", "type": "City"}],
        "relations": [{"head": "Pakistan"}],
        "numeric_facts": ["$64 billion", {"unit": "USD"}],
    }
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(answer))
    report = _headline(capsys, str(path), "--from", "llm")
    notes = [n for n in report["notes"] if n.startswith("llm answer: ")]
    assert "llm answer: entities: an entity without a type, dropped (1)" in notes
    assert "llm answer: entities: an item that is not an object, dropped (1)" in notes
    assert "llm answer: entity labels mapped through the label map (1)" in notes  # "City" -> GPE
    assert "llm answer: relations: a relation without a type or without both ends, dropped (1)" in notes
    assert "llm answer: numeric_facts: a fact without a value, dropped (1)" in notes
    assert report["scores"]["entities"]["entity_level"]["typed"]["tp"] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "I could not find any entities.",
            "llm: the answer holds no JSON object or array (in a code fence or in the text)",
        ),
        (
            '```json\n{"entities": [}\n```\n',
            "llm: the answer holds no JSON object or array (in a code fence or in the text)",
        ),
        ('{"entities": [], "entities": []}', "llm: the JSON in the answer is not valid: duplicate key 'entities'"),
        ("[1, 2]", "llm: the answer's JSON is neither an object nor a list of objects"),
    ],
)
def test_an_unreadable_answer_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "answer.txt"
    path.write_text(content)
    assert main(["eval", str(path), "--from", "llm"]) == 2
    err = capsys.readouterr().err
    assert err == f"factgold: error: {message}\n"


@pytest.mark.parametrize("option", [["--label-map", "conll"], ["--doc-id", DOC_ID], ["--strict"]])
def test_adapter_options_without_an_adapter_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: list[str]
) -> None:
    path = tmp_path / "predictions.jsonl"
    path.write_text(json.dumps(LLM_ANSWER) + "\n")
    assert main(["eval", str(path), *option]) == 2
    assert f"{option[0]}: only for another tool's output, converted; add --from FORMAT" in capsys.readouterr().err


def test_loose_ends_never_refuse_an_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A relation to an entity the answer did not list, a subject in words, a name in another
    # case, and a name two listed entities share: each is read, counted, never refused.
    answer = {
        "entities": [
            {"name": "Ishaq Dar", "type": "PERSON"},
            {"name": "Pakistan", "type": "GPE"},
            {"name": "Pakistan", "type": "ORG"},
        ],
        "relations": [
            {"type": "visited", "head": "ishaq dar", "tail": "Beijing"},
            {"type": "official_of", "head": "Ishaq Dar", "tail": "Pakistan"},
        ],
        "numeric_facts": [
            {"value": "two", "kind": "cardinal", "subject": "nations"},
            {"value": "75th", "subject": None},
        ],
    }
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(answer, indent=2))
    report = _headline(capsys, str(path), "--from", "llm")
    notes = [n for n in report["notes"] if n.startswith("llm answer: ")]
    assert "llm answer: relations: an end matched to a listed entity's name case-insensitively (1)" in notes
    assert "llm answer: relations: an end that names no single listed entity, read as a text to find (2)" in notes
    assert "llm answer: numeric_facts: an end that names no single listed entity, read as a text to find (1)" in notes
    relations = report["scores"]["relations"]["strict"]
    assert (relations["tp"], relations["fp"]) == (2, 0)  # visited(Dar, Beijing) and official_of(Dar, Pakistan)
    subject = report["scores"]["numeric_facts"]["subject"]
    assert (subject["tp"], subject["fp"]) == (2, 0)  # "nations" is N5's subject_text; null is N4's


@pytest.mark.parametrize(
    ("answer", "note"),
    [
        (
            {"result": {"entities": [{"name": "Ishaq Dar", "type": "PERSON"}]}},
            "llm answer: the answer's layers read from the one object that holds them (1)",
        ),
        (
            {"entities": {"PERSON": ["Ishaq Dar"], "GPE": [{"name": "Pakistan"}]}},
            "llm answer: entities: grouped by type, read as typed entities (1)",
        ),
    ],
)
def test_answers_wrapped_or_grouped_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], answer: dict[str, Any], note: str
) -> None:
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(answer))
    report = _headline(capsys, str(path), "--from", "llm")
    assert note in report["notes"]
    assert report["scores"]["entities"]["entity_level"]["typed"]["tp"] >= 1


def test_an_answer_with_no_layer_is_refused_not_scored_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "answer.json"
    path.write_text(json.dumps({"people": ["Ishaq Dar"]}))
    assert main(["eval", str(path), "--from", "llm"]) == 2
    assert capsys.readouterr().err == (
        "factgold: error: llm: the answer's JSON has no entities, relations or numeric facts under any name "
        "factgold reads\n"
    )
