"""Counterfactual variants: derived exactly from the edit table, valid, and checked by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factgold.cli import main
from factgold.dataset.build import COUNTERFACTUAL_CONFIG, config_file
from factgold.dataset.variants import (
    PROBES,
    TABLE,
    VariantError,
    VariantSpec,
    derive_variant,
    load_table,
    variants_of,
)
from factgold.read.validate import validate_document
from factgold.resources import corpus_dir

CORPUS = corpus_dir()


@pytest.fixture(scope="module")
def original() -> dict[str, Any]:
    line = (CORPUS / "data" / "documents" / "test.jsonl").read_text(encoding="utf-8").splitlines()[0]
    return dict(json.loads(line))


@pytest.fixture(scope="module")
def variants(original: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {doc["id"].rsplit(".", 1)[1]: doc for doc in variants_of(CORPUS, [original])}


def _fact(doc: dict[str, Any], text: str) -> dict[str, Any]:
    (fact,) = [f for f in doc["numeric_facts"] if f["mention"]["text"] == text]
    return dict(fact)


def _relations(doc: dict[str, Any]) -> set[tuple[str, str, str]]:
    names = {e["id"]: e["name"] for e in doc["entities"]}
    return {(r["type"], names[r["head"]], names[r["tail"]]) for r in doc["relations"]}


def test_the_bundled_variants_are_what_the_table_derives(original: dict[str, Any]) -> None:
    written = (CORPUS / config_file(COUNTERFACTUAL_CONFIG)).read_text(encoding="utf-8").splitlines()
    derived = variants_of(CORPUS, [original])
    assert [json.loads(line) for line in written] == derived


def test_at_least_twenty_variants_each_valid_under_every_rule(variants: dict[str, dict[str, Any]]) -> None:
    assert len(variants) >= 20
    for doc in variants.values():
        assert validate_document(doc) == [], doc["id"]
        assert doc["variant_of"] == "000_8ba8a8b9c66a07ae"
        for edit in doc["edits"]:
            assert doc["text"][edit["start"] : edit["end"]] == edit["after"]


def test_every_probe_is_used(variants: dict[str, dict[str, Any]]) -> None:
    assert {edit["probe"] for doc in variants.values() for edit in doc["edits"]} == set(PROBES)


def test_every_span_outside_the_edits_keeps_its_text(
    original: dict[str, Any], variants: dict[str, dict[str, Any]]
) -> None:
    before = {m["text"] for e in original["entities"] for m in e["mentions"]}
    for doc in variants.values():
        for entity in doc["entities"]:
            for mention in entity["mentions"]:
                assert doc["text"][mention["start"] : mention["end"]] == mention["text"]
                touched = any(e["start"] <= mention["end"] and mention["start"] <= e["end"] for e in doc["edits"])
                assert touched or mention["text"] in before


def test_values_are_read_again_from_the_edited_text(variants: dict[str, dict[str, Any]]) -> None:
    assert _fact(variants["cf01"], "$58 billion")["value"] == 58_000_000_000.0
    assert _fact(variants["cf02"], "$64 million")["value"] == 64_000_000.0
    assert _fact(variants["cf24"], "$6.4 billion")["value"] == 6_400_000_000.0
    assert _fact(variants["cf10"], "fourth")["value"] == 4.0


def test_hedges_set_the_bound_and_the_approximate_flag(variants: dict[str, dict[str, Any]]) -> None:
    over = _fact(variants["cf05"], "$23 billion")
    nearly = _fact(variants["cf06"], "$23 billion")
    bare = _fact(variants["cf07"], "$23 billion")
    more_than = _fact(variants["cf08"], "$64 billion")
    assert (over["approximate"], over["bound"]) == (False, "lower")
    assert (nearly["approximate"], nearly["bound"]) == (True, "upper")
    assert (bare["approximate"], bare["bound"]) == (False, None)
    assert (more_than["approximate"], more_than["bound"]) == (False, "lower")
    assert "more than $64 billion" in variants["cf08"]["text"]
    # The time expression's gloss follows the hedge it quotes.
    (currently,) = [t for t in variants["cf05"]["time_expressions"] if t["text"] == "currently"]
    assert "over $23 billion" in currently["anchors"]


def test_places_given_to_the_other_country_move_their_relations(variants: dict[str, dict[str, Any]]) -> None:
    relations = _relations(variants["cf14"])
    assert ("located_in", "Xinjiang", "Pakistan") in relations
    assert ("located_in", "Gwadar port", "China") in relations
    assert ("located_in", "Xinjiang", "China") not in relations
    assert ("official_of", "Ishaq Dar", "China") in _relations(variants["cf15"])
    assert ("part_of", "National Cyber Crimes Investigation Agency", "China") in _relations(variants["cf16"])


def test_a_pronoun_replaced_by_a_name_becomes_a_name_mention(variants: dict[str, dict[str, Any]]) -> None:
    (china,) = [e for e in variants["cf16"]["entities"] if e["name"] == "China"]
    added = [m for m in china["mentions"] if m["start"] < 1000]
    assert [(m["text"], m["kind"]) for m in added] == [("China", "name")]
    # China's first mention now comes before the agency's: the ids follow text order.
    ids = [e["id"] for e in variants["cf16"]["entities"]]
    assert ids == [f"E{i}" for i in range(1, len(ids) + 1)]


def test_swapped_ministers_keep_their_roles(variants: dict[str, dict[str, Any]]) -> None:
    relations = _relations(variants["cf12"])
    assert ("official_of", "Wang Xiaohong", "Pakistan") in relations
    assert ("official_of", "Mohsin Naqvi", "China") in relations
    relations = _relations(variants["cf13"])
    assert ("official_of", "Wang Yi", "Pakistan") in relations
    assert ("participant_in", "Ishaq Dar", "China-Pakistan foreign ministers’ strategic dialogue") in relations


def test_the_visit_turns_round_when_the_meeting_moves(variants: dict[str, dict[str, Any]]) -> None:
    relations = _relations(variants["cf22"])
    assert ("visited", "Wang Xiaohong", "Islamabad") in relations
    assert ("visited", "Mohsin Naqvi", "Beijing") not in relations
    (meeting,) = [r for r in variants["cf22"]["relations"] if r["type"] == "met_with" and "Tuesday" in str(r)]
    assert meeting["qualifiers"]["location"] == "Islamabad"


def test_invented_names_rename_the_entity_and_its_quotes(variants: dict[str, dict[str, Any]]) -> None:
    names = {e["name"] for e in variants["cf21"]["entities"]}
    assert {"Karakoram Trade Corridor"} <= names
    assert "CPEC" not in variants["cf21"]["text"]
    assert _fact(variants["cf21"], "$64 billion")["subject_text"] == "KTC"


def _spec(**row: Any) -> VariantSpec:
    return VariantSpec.from_json({"id": "cf99", **row})


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"edits": [{"find": "Pakistan", "replace": "India", "probe": "value"}]}, "occurs 9 times"),
        ({"edits": [{"find": "Naqvi revealed", "replace": "Naqvi showed", "probe": "value"}]}, "cuts across the span"),
        ({"edits": [{"find": "$64 billion", "replace": "lots", "probe": "value"}]}, "does not read as a money"),
        (
            {
                "edits": [{"find": "$64 billion", "replace": "$58 billion", "probe": "value"}],
                "facts": {"N3": {"value": 1.0}},
            },
            "the table says 1.0",
        ),
        ({"edits": [{"find": "Naqvi said", "replace": "he said", "probe": "value"}]}, "cuts across the span"),
        (
            {"edits": [{"find": "Naqvi", "context": "Naqvi said", "replace": "Q", "probe": "value", "entity": "E99"}]},
            "no entity E99",
        ),
        ({"edits": [{"find": "co-chaired", "replace": "led", "probe": "value"}]}, "role 'co-chair' is not in"),
    ],
)
def test_an_edit_that_cannot_be_derived_is_refused(original: dict[str, Any], row: dict[str, Any], message: str) -> None:
    with pytest.raises(VariantError, match=message):
        derive_variant(original, _spec(**row))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"id": "x1", "edits": []}, "expected 'cf' and two digits"),
        ({"id": "cf01", "edits": []}, "needs at least one edit"),
        ({"id": "cf01", "edits": [{"find": "a", "replace": "b", "probe": "guess"}]}, "'probe' must be one of"),
        ({"id": "cf01", "edits": [{"find": "a", "replace": "b", "probe": "value", "where": 1}]}, "unknown edit field"),
    ],
)
def test_a_malformed_table_row_is_refused(row: dict[str, Any], message: str) -> None:
    with pytest.raises(VariantError, match=message):
        VariantSpec.from_json(row)


def test_the_table_names_the_bundled_document() -> None:
    document, specs = load_table(CORPUS / TABLE)
    assert document == "000_8ba8a8b9c66a07ae"
    assert len(specs) >= 20


def test_variants_command_checks_and_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["variants", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_a_property_outside_the_guidelines_list_is_a_house_rule_problem(original: dict[str, Any]) -> None:
    import copy

    doc = copy.deepcopy(original)
    doc["numeric_facts"][0]["property"] = "headcount"
    assert [p.message for p in validate_document(doc)] == [
        "property 'headcount' is not in the guidelines' list (6.5); use 'other' when none fits"
    ]
    assert validate_document(doc, style=False) == []


def test_a_renamed_entity_loses_the_original_s_link(variants: dict[str, dict[str, Any]]) -> None:
    (karachi,) = [e for e in variants["cf17"]["entities"] if e["name"] == "Karachi"]
    assert "links" not in karachi  # Q1362 is Islamabad
    (pakistan,) = [e for e in variants["cf17"]["entities"] if e["name"] == "Pakistan"]
    assert pakistan["links"] == {"wikidata": "Q843"}
