"""Inputs that once crashed the scorer or scored silently wrong, each pinned down."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import GOLD_FILE, WriteJsonl
from factgold.cli import main
from factgold.errors import InputError
from factgold.run.evaluation import evaluate
from factgold.score.config import EvalConfig
from factgold.score.numeric import scale_error

DOC_ID = "000_8ba8a8b9c66a07ae"


def _entities(*items: tuple[str, int, int]) -> list[dict[str, Any]]:
    return [{"type": t, "mentions": [{"start": s, "end": e}]} for t, s, e in items]


# Each raw line must give exit status 2 and this message, never a traceback.
CRASHERS = {
    "float offsets": (
        '{"id": "%s", "entities": [{"type": "GPE", "mentions": [{"start": 0.0, "end": 8.0}]}]}',
        "start 0.0 is not a whole number",
    ),
    "huge integer": ('{"id": "%s", "numeric_facts": [{"value": 1' + "0" * 400 + "}]}", "too large for a double"),
    "integer past 4300 digits": (
        '{"id": "%s", "numeric_facts": [{"value": 1' + "0" * 5000 + "}]}",
        "too large for a double",
    ),
    "entities not a list": ('{"id": "%s", "entities": 5}', "5 is not of type 'array'"),
    "lone surrogate": (
        '{"id": "%s", "entities": [{"type": "\\ud800", "mentions": [{"start": 0, "end": 8}]}]}',
        "lone surrogate \\ud800",
    ),
    "nested too deeply": ("[" * 100000, "nested too deeply"),
}


@pytest.mark.parametrize("case", sorted(CRASHERS))
def test_former_crashers_exit_2_with_a_message(
    case: str, write_jsonl: WriteJsonl, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, message = CRASHERS[case]
    path = write_jsonl(raw=(raw % DOC_ID if "%s" in raw else raw) + "\n", name="p.jsonl")
    assert main(["eval", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err, err[:500]
    assert "Traceback" not in err
    assert "internal error" not in err


def test_tiny_values_are_not_a_math_error() -> None:
    assert scale_error(5e-324, 64e9, 1e-6) is False
    report = evaluate([{"id": DOC_ID, "numeric_facts": [{"value": 5e-324}]}]).to_dict()
    assert report["scores"]["numeric_facts"]["value"]["fp"] == 1


def test_report_to_a_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(GOLD_FILE), "--output", str(tmp_path)]) == 2
    assert "it is a folder" in capsys.readouterr().err


def test_unresolved_subject_never_agrees() -> None:
    facts = [
        {
            "mention": {"start": 2165, "end": 2176},
            "value": 23e9,
            "unit": "USD",
            "subject": {"start": 2100, "end": 2110},
        },
        {"mention": {"start": 1314, "end": 1317}, "value": 2, "subject": "x"},
    ]
    entities = [{"id": "x", "type": "ORG", "mentions": [{"start": 2100, "end": 2110}]}]
    report = evaluate([{"id": DOC_ID, "entities": entities, "numeric_facts": facts}]).to_dict()
    subject = report["scores"]["numeric_facts"]["subject"]
    assert (subject["tp"], subject["fp"]) == (0, 2)


def test_cluster_alignment_prefers_the_matching_type() -> None:
    # Two one-mention clusters over two Pakistan mentions, one typed right: whichever comes
    # first in the text, the right-typed one is the match.
    first = evaluate([{"id": DOC_ID, "entities": _entities(("ORG", 0, 8), ("GPE", 68, 76))}]).to_dict()
    second = evaluate([{"id": DOC_ID, "entities": _entities(("GPE", 0, 8), ("ORG", 68, 76))}]).to_dict()
    for report in (first, second):
        clusters = report["scores"]["entities"]["clusters"]
        assert (clusters["tp"], clusters["fp"], clusters["fn"]) == (1, 1, 14)


def test_identical_unresolved_relations_count_once() -> None:
    relation = {"type": "located_in", "head": {"start": 2100, "end": 2110}, "tail": {"start": 0, "end": 8}}
    report = evaluate([{"id": DOC_ID, "relations": [relation, relation]}]).to_dict()
    assert report["scores"]["relations"]["strict"]["fp"] == 1
    assert sorted(
        e["category"] for e in report["errors"] if e["task"] == "relations" and e["category"] != "missed"
    ) == [
        "duplicate",
        "unresolved",
    ]


def test_entity_ids_do_not_change_which_copy_is_correct() -> None:
    def predictions(ids: list[str]) -> dict[str, Any]:
        entities = [
            {"id": ids[0], "type": "PERSON", "mentions": [{"start": 1353, "end": 1362}]},
            {"id": ids[1], "type": "PERSON", "mentions": [{"start": 1457, "end": 1460}]},
            {"id": ids[2], "type": "GPE", "mentions": [{"start": 1371, "end": 1378}]},
        ]
        relations = [
            {"type": "visited", "head": ids[0], "tail": ids[2]},
            {"type": "visited", "head": ids[1], "tail": ids[2]},
        ]
        return {"id": DOC_ID, "entities": entities, "relations": relations}

    first = evaluate([predictions(["a", "b", "c"])]).to_dict()["errors"]
    second = evaluate([predictions(["z", "y", "x"])]).to_dict()["errors"]
    assert json.dumps(first) == json.dumps(second)


def test_empty_prediction_list_is_refused() -> None:
    with pytest.raises(InputError, match="no predictions for gold document"):
        evaluate([])


def test_signature_keeps_the_exact_tolerance() -> None:
    assert EvalConfig(numeric_rtol=1e-6).signature("0" * 64, "1.0.0") != EvalConfig(
        numeric_rtol=1.0000004e-6
    ).signature("0" * 64, "1.0.0")


def test_problems_sort_in_natural_order(write_jsonl: WriteJsonl, gold_doc: dict[str, Any]) -> None:
    from factgold.read.validate import check_gold_file

    for index in (2, 10):
        gold_doc["entities"][index]["mentions"][0]["text"] = "wrong"
    _, problems = check_gold_file(write_jsonl(gold_doc))
    assert [p.path for p in problems] == ["$.entities[2].mentions[0].text", "$.entities[10].mentions[0].text"]
