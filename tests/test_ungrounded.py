"""Predictions without offsets (what LLMs answer): grounding, entity-level scoring by name,
string endpoints and values, and hallucinations. Expected numbers are worked out by hand
from the article and the gold."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factgold.ground.text import TextIndex, _normalize_by_character, fold, normalize
from factgold.run.evaluation import evaluate

DOC_ID = "000_8ba8a8b9c66a07ae"
TEXT_SAMPLE = "Pakistan’s top diplomat Ishaq Dar met the China-Pakistan  group; Darwin was not there. PAKISTAN agreed."


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_fold_is_normalize_without_offsets(text: str) -> None:
    assert fold(text) == normalize(text)[0]


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.characters(codec="utf-8")
        | st.sampled_from(" \t\n\u00a0\u2003\u00df\u0130\ufb01\u2019\u201c\u2013"),
        max_size=60,
    )
)
def test_normalize_of_a_whole_text_is_normalize_of_each_character(text: str) -> None:
    # Runs of white space, typographic marks, and characters that fold to several ("ß").
    assert normalize(text) == _normalize_by_character(text)


@pytest.mark.parametrize(
    ("query", "method", "spans"),
    [
        ("Ishaq Dar", "exact", ((24, 33),)),
        ("Dar", "exact", ((30, 33),)),  # not inside "Darwin"
        ("Pakistan", "exact", ((0, 8), (48, 56))),  # every occurrence; not "PAKISTAN" (exact comes first)
        ("Pakistan's", "exact", ((0, 8), (48, 56))),  # a final possessive is dropped first
        ("Pakistan’s", "exact", ((0, 8), (48, 56))),  # whichever apostrophe it has
        ("Ishaq Da", "fuzzy", ((24, 33),)),  # a fuzzy span widens to whole words
        ("pakistan", "normalized", ((0, 8), (48, 56), (87, 95))),  # case folded
        ("China\u2013Pakistan group", "normalized", ((42, 63),)),  # en dash, double space
        ("Ishaq Daar", "fuzzy", ((24, 33),)),
        ("Imran Khan", "none", ()),
        ("Da", "none", ()),  # too short for fuzzy matching, and no whole word "Da"
    ],
)
def test_grounding_steps(query: str, method: str, spans: tuple[tuple[int, int], ...]) -> None:
    grounding = TextIndex(TEXT_SAMPLE).ground(query)
    assert (grounding.method, grounding.spans) == (method, spans)


LLM_PREDICTIONS: dict[str, Any] = {
    "id": DOC_ID,
    "entities": [
        {"name": "Ishaq Dar", "type": "PERSON"},
        {"name": "Pakistan", "type": "GPE"},
        {"name": "wang yi", "type": "PERSON"},
        {"name": "CPEC", "type": "ORG"},  # gold: FAC (its acronym is a name mention)
        {"name": "Beijing", "type": "LOC"},  # gold: GPE
        {"name": "Imran Khan", "type": "PERSON"},  # not in the article
    ],
    "relations": [
        {"type": "visited", "head": "Ishaq Dar", "tail": "Beijing"},  # by entity name: correct
        {"type": "official_of", "head": {"text": "Wang Yi"}, "tail": {"text": "China"}},  # inline strings: correct
        {"type": "official_of", "head": "Imran Khan", "tail": "Pakistan"},  # head hallucinated
    ],
    "numeric_facts": [
        {"value": "$64 billion"},  # the string is in the text: located, correct
        {"value": "around $23 billion", "mention": {"text": "$23 billion"}},  # correct, approximate
        {"value": "seventh"},  # ordinal 7, located: correct
        {"value": "US$100bn", "mention": {"text": "US$100bn"}},  # not in the article: hallucinated
        {"value": "N/A"},  # not a number
    ],
}


def test_llm_style_predictions_score_by_hand() -> None:
    # Against the gold's own choices (its accepted alternatives are checked below).
    report = evaluate([LLM_PREDICTIONS], alternatives=False).to_dict()
    by_name = report["scores"]["entities"]["entity_level"]
    # 19 gold entities, 6 predicted. Name matches: Dar, Pakistan, Wang Yi, CPEC, Beijing (5);
    # with the type too: Dar, Pakistan, Wang Yi (3).
    assert (by_name["typed"]["tp"], by_name["typed"]["fp"], by_name["typed"]["fn"]) == (3, 3, 16)
    assert (by_name["untyped"]["tp"], by_name["untyped"]["fp"], by_name["untyped"]["fn"]) == (5, 1, 14)
    assert by_name["typed"]["precision"] == pytest.approx(3 / 6)
    assert by_name["typed"]["recall"] == pytest.approx(3 / 19)
    relations = report["scores"]["relations"]["strict"]
    # 24 gold relations, one of them optional (left out here as the alternative allows).
    assert (relations["tp"], relations["fp"], relations["fn"]) == (2, 1, 22)
    numeric = report["scores"]["numeric_facts"]
    assert (numeric["value"]["tp"], numeric["value"]["fp"], numeric["value"]["fn"]) == (3, 2, 3)
    assert numeric["approximate"]["tp"] == 3  # the $23 billion hedge is read from "around"
    assert report["hallucinated"] == {"mentions": 0, "entity_level": 1, "relations": 1, "numeric_facts": 1}
    hallucinated = {(e["task"], e["predicted"]["text"]) for e in report["errors"] if e["category"] == "hallucinated"}
    assert hallucinated == {
        ("entity_level", "Imran Khan"),
        ("relations", "official_of(Imran Khan, Pakistan)"),
        ("numeric_facts", "US$100bn"),
    }
    assert [e["predicted"]["text"] for e in report["errors"] if e["category"] == "unparsed"] == ["N/A"]
    # The headline takes the entity level, however the entities are given.
    assert set(report["headline"]["parts"]) == {"entities", "relations_strict", "numeric_value"}
    assert report["headline"]["parts"]["entities"] == pytest.approx(2 * 3 / (6 + 19))


def test_accepted_alternatives_credit_the_llm_answer_by_hand() -> None:
    report = evaluate([LLM_PREDICTIONS]).to_dict()
    assert report["signature"].endswith("|alt:credited")
    # The optional protects(Pakistan, joint development projects): the answer gives no
    # protects relation at all, so the relation leaves the gold (22 missed, not 23).
    relations = report["scores"]["relations"]["strict"]
    assert (relations["tp"], relations["fp"], relations["fn"]) == (2, 1, 21)
    without = report["headline"]["without_alternatives"]
    assert without["relations_strict"] == pytest.approx(2 * 2 / (3 + 24))
    assert report["headline"]["parts"]["relations_strict"] == pytest.approx(2 * 2 / (3 + 23))


def test_text_only_mentions_are_grounded_at_every_occurrence() -> None:
    entities = [
        {"type": "GPE", "mentions": [{"text": "Islamabad"}]},  # three occurrences, all correct
        {"type": "PERSON", "mentions": [{"text": "Mohsin Naqvy"}]},  # fuzzy: "Mohsin Naqvi"
        {"type": "PERSON", "mentions": [{"text": "Xi Jinping"}]},  # not in the article
    ]
    report = evaluate([{"id": DOC_ID, "entities": entities}]).to_dict()
    strict = report["scores"]["entities"]["mentions"]["strict"]
    assert (strict["correct"], strict["spurious"], strict["actual"], strict["possible"]) == (4, 1, 5, 40)
    assert report["hallucinated"]["mentions"] == 1

    strict_grounding = evaluate([{"id": DOC_ID, "entities": entities}], require_grounding=True).to_dict()
    strict = strict_grounding["scores"]["entities"]["mentions"]["strict"]
    # The fuzzy match no longer counts: "Mohsin Naqvy" is hallucinated too.
    assert (strict["correct"], strict["spurious"]) == (3, 2)
    assert strict_grounding["hallucinated"]["mentions"] == 2
    assert "|ground:strict|" in strict_grounding["signature"]


def test_require_grounding_makes_unlocated_numbers_errors() -> None:
    facts = [{"value": 75.0, "kind": "ordinal"}]  # right value, but no text locates it
    lenient = evaluate([{"id": DOC_ID, "numeric_facts": facts}]).to_dict()["scores"]["numeric_facts"]["value"]
    strict = evaluate([{"id": DOC_ID, "numeric_facts": facts}], require_grounding=True).to_dict()
    assert lenient["tp"] == 1
    assert strict["scores"]["numeric_facts"]["value"]["tp"] == 0
    assert strict["hallucinated"]["numeric_facts"] == 1


def test_located_number_aligns_only_where_its_text_is() -> None:
    # "two" occurs twice; a fact written "two" aligns to one of those, never to "75th".
    report = evaluate([{"id": DOC_ID, "numeric_facts": [{"value": "two"}]}]).to_dict()
    aligned = [e for e in report["errors"] if e["task"] == "numeric_facts" and e["category"] == "correct"]
    assert len(aligned) == 1
    assert aligned[0]["gold"]["text"] == "two"


def test_require_grounding_on_the_command_line(tmp_path: Any, capsys: Any) -> None:
    import json

    from factgold.cli import main

    path = tmp_path / "llm.jsonl"
    path.write_text(
        json.dumps({"id": DOC_ID, "entities": [{"type": "PERSON", "mentions": [{"text": "Mohsin Naqvy"}]}]}) + "\n"
    )
    assert main(["eval", str(path), "--format", "json"]) == 0
    lenient = json.loads(capsys.readouterr().out)
    assert main(["eval", str(path), "--format", "json", "--require-grounding"]) == 0
    strict = json.loads(capsys.readouterr().out)
    assert lenient["scores"]["entities"]["mentions"]["strict"]["correct"] == 1
    assert strict["scores"]["entities"]["mentions"]["strict"]["correct"] == 0
    assert strict["hallucinated"]["mentions"] == 1


def _report(prediction: dict[str, Any], **settings: Any) -> dict[str, Any]:
    result: dict[str, Any] = evaluate([{"id": DOC_ID, **prediction}], **settings).to_dict()
    return result


def test_require_grounding_applies_to_relation_endpoints() -> None:
    relation = {"type": "visited", "head": {"text": "Ishaq Darr"}, "tail": {"text": "Beijing"}}
    assert _report({"relations": [relation]})["scores"]["relations"]["strict"]["tp"] == 1  # fuzzy: found
    strict = _report({"relations": [relation]}, require_grounding=True)
    assert strict["scores"]["relations"]["strict"]["tp"] == 0
    assert strict["hallucinated"]["relations"] == 1


def test_an_entity_whose_texts_are_all_missing_makes_its_relations_hallucinated() -> None:
    prediction = {
        "entities": [{"id": "y", "type": "PERSON", "mentions": [{"text": "Zhang San"}]}],
        "relations": [{"type": "met_with", "head": "y", "tail": {"text": "Wang Yi"}}],
    }
    items = [e for e in _report(prediction)["errors"] if e["task"] == "relations" and e["predicted"]]
    assert [(e["category"], e["predicted"]["text"]) for e in items] == [
        ("hallucinated", "met_with(Zhang San, Wang Yi)")
    ]


def test_scores_survive_on_hallucinated_and_unparsed_items() -> None:
    entities = [
        {"type": "GPE", "mentions": [{"start": 0, "end": 8}], "score": 0.9},
        {"type": "GPE", "mentions": [{"text": "Atlantis"}], "score": 0.3},
    ]
    facts = [{"value": "$64 billion", "score": 0.9}, {"value": "N/A", "score": 0.1}]
    confidence = _report({"entities": entities, "numeric_facts": facts})["confidence"]
    assert set(confidence) == {"mentions", "entity_level", "numeric_facts"}


def test_an_ambiguous_name_reference_is_refused() -> None:
    from factgold.errors import InputError

    prediction = {
        "entities": [
            {"name": "Wang", "type": "PERSON", "mentions": [{"start": 388, "end": 401}]},
            {"name": "Wang", "type": "PERSON", "mentions": [{"start": 1448, "end": 1455}]},
        ],
        "relations": [{"type": "met_with", "head": "Wang", "tail": {"text": "Mohsin Naqvi"}}],
    }
    with pytest.raises(InputError, match="head 'Wang' names 2 entities; refer to one by its id"):
        _report(prediction)


def test_located_numbers_show_where_they_were_aligned() -> None:
    report = _report({"numeric_facts": [{"value": "two"}, {"value": "two"}]})
    shown = sorted(e["predicted"]["start"] for e in report["errors"] if e["task"] == "numeric_facts" and e["predicted"])
    assert shown == [1314, 2034]
    assert "spans" not in report["scores"]["numeric_facts"]["attributes_not_predicted"]
