"""The gold contract: what any corpus must meet to be scored, apart from the bundled corpus's house rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factgold.cli import main
from factgold.read.labels import Labels, labels_for, sidecar
from factgold.read.validate import validate_document
from factgold.run.evaluation import evaluate

TEXT = "Acme hired Jo Smith. Smith runs Acme Labs in Oslo.\n"
LABELS = Labels(("PER", "ORG", "LOC"), ("works_for", "located_in", "knows"), frozenset({"knows"}))


def _span(text: str, occurrence: int = 1) -> dict[str, Any]:
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(text, start + 1)
    return {"start": start, "end": start + len(text), "text": text}


def _document(**change: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": "news/001",  # a slash: no house id shape
        "title": "Staff news",  # not the text's first line: a house rule only
        "text": TEXT,
        "source": "an agency",
        "language": "en",
        "entities": [
            {"id": "acme", "type": "ORG", "name": "Acme", "mentions": [{**_span("Acme"), "kind": "name"}]},
            {
                "id": "smith",
                "type": "PER",
                "name": "Jo Smith",
                "mentions": [{**_span("Jo Smith"), "kind": "name"}, {**_span("Smith", 2), "kind": "name"}],
            },
        ],
        "relations": [
            {
                "id": "r-1",
                "type": "works_for",
                "head": "smith",
                "tail": "acme",
                "evidence": [_span("Acme hired Jo Smith")],
                "inferred": False,
            }
        ],
        "numeric_facts": [],
        "time_expressions": [],
    }
    doc.update(change)
    return doc


def test_a_corpus_of_its_own_meets_the_contract_and_not_the_house_rules() -> None:
    doc = _document()
    assert validate_document(doc, house_rules=False, labels=LABELS) == []
    house = [p.message for p in validate_document(doc)]
    assert any("does not match" in message for message in house)  # ids are not E1, R1
    assert any("is not one of" in message for message in house)  # PER is not an OntoNotes type


def test_the_contract_still_asks_what_scoring_needs() -> None:
    broken = _document()
    broken["entities"][0]["type"] = "PRODUCT"  # not declared in these labels
    broken["entities"][1]["mentions"][0]["end"] += 1  # the text no longer matches
    broken["relations"][0]["tail"] = "nobody"
    broken["entities"].append(dict(broken["entities"][0]))  # the id repeats
    messages = [p.message for p in validate_document(broken, house_rules=False, labels=LABELS)]
    assert "entity type 'PRODUCT' is not declared in the labels" in messages
    assert any("does not equal text[" in m for m in messages)
    assert "tail 'nobody' is not an entity of this document" in messages
    assert "duplicate id 'acme' (first at $.entities[0].id)" in messages


def test_the_labels_sidecar_is_read_beside_the_gold(tmp_path: Path) -> None:
    gold = tmp_path / "corpus.jsonl"
    gold.write_text(json.dumps(_document()) + "\n", encoding="utf-8")
    assert sidecar(gold) == tmp_path / "corpus.labels.json"
    sidecar(gold).write_text(json.dumps(LABELS.to_json()), encoding="utf-8")
    assert labels_for(gold) == LABELS
    assert main(["validate", str(gold)]) == 0
    assert main(["validate", str(gold), "--house-rules"]) == 2


def test_a_foreign_corpus_scores_with_its_declared_symmetric_relations(tmp_path: Path) -> None:
    doc = _document()
    doc["entities"].append(
        {"id": "oslo", "type": "LOC", "name": "Oslo", "mentions": [{**_span("Oslo"), "kind": "name"}]}
    )
    doc["relations"].append(
        {
            "id": "r-2",
            "type": "knows",
            "head": "acme",
            "tail": "oslo",
            "evidence": [_span("Acme Labs in Oslo")],
            "inferred": False,
        }
    )
    gold = tmp_path / "corpus.jsonl"
    gold.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    sidecar(gold).write_text(json.dumps(LABELS.to_json()), encoding="utf-8")
    # "knows" is declared symmetric: the reversed triple is right.
    oslo = _span("Oslo")
    prediction = {
        "id": "news/001",
        "entities": [
            {"id": "a", "type": "ORG", "mentions": [{"start": 0, "end": 4}]},
            {"id": "o", "type": "LOC", "mentions": [{"start": oslo["start"], "end": oslo["end"]}]},
        ],
        "relations": [{"type": "knows", "head": "o", "tail": "a"}],
    }
    report = evaluate([prediction], gold=gold)
    assert report.total.relations_strict.tp == 1
    assert report.signature.endswith("|sym:knows")
    assert report.corpus_version == "custom"


def test_bad_labels_are_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "corpus.jsonl"
    gold.write_text(json.dumps(_document()) + "\n", encoding="utf-8")
    sidecar(gold).write_text(
        '{"entity_types": ["PER"], "relation_types": [], "symmetric": ["knows"]}', encoding="utf-8"
    )
    assert main(["validate", str(gold)]) == 2
    err = capsys.readouterr().err
    assert "symmetric names undeclared relation types: knows" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        # Each was once an internal error (an int has no .get) or a silent misreading (a
        # string's letters taken as types).
        ({"entity_types": ["PER"], "relation_types": ["knows"], "arguments": {"knows": 5}},
         "arguments.knows must be an object with head and tail lists"),
        ({"entity_types": ["PER"], "relation_types": ["knows"], "arguments": {"knows": {"head": "PER"}}},
         "arguments.knows.head must be a list of non-empty strings"),
        ({"entity_types": ["PER"], "relation_types": ["knows"], "arguments": {"knows": {"head": ["ORG"]}}},
         "arguments.knows.head names undeclared entity types: ORG"),
        ({"entity_types": ["PER"], "relation_types": ["knows"], "arguments": {"likes": {}}},
         "arguments names the undeclared relation type 'likes'"),
        ({"entity_types": ["PER"], "relation_type": ["knows"]},
         "unknown key(s) 'relation_type' (expected entity_types, relation_types, symmetric, arguments)"),
        ({"relation_types": ["knows"]}, "expected a JSON object with entity_types and relation_types"),
    ],
)  # fmt: skip
def test_a_malformed_labels_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], labels: dict[str, Any], message: str
) -> None:
    gold = tmp_path / "corpus.jsonl"
    gold.write_text(json.dumps(_document()) + "\n", encoding="utf-8")
    sidecar(gold).write_text(json.dumps(labels), encoding="utf-8")
    for command in (["validate", str(gold)], ["eval", str(gold), "--gold", str(gold)]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err == f"factgold: error: {sidecar(gold)}: {message}\n" or err == f"{sidecar(gold)}: {message}\n"


def test_an_alternative_type_must_be_declared_too(tmp_path: Path) -> None:
    document = _document()
    document["entities"][0]["alternatives"] = [{"type": "COMPANY"}]
    document["relations"][0]["alternatives"] = [{"type": "employs"}]
    assert [str(p) for p in validate_document(document, house_rules=False, labels=LABELS)] == [
        "<document>:1: $.entities[0].alternatives[0].type: entity type 'COMPANY' is not declared in the labels",
        "<document>:1: $.relations[0].alternatives[0].type: relation type 'employs' is not declared in the labels",
    ]
