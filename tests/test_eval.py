"""Scoring: the gold against itself, empty predictions, and hand-computed fixtures per task."""

from __future__ import annotations

import copy
import json
from typing import Any, Literal

import pytest
from jsonschema import Draft202012Validator

import factgold
from conftest import REPO
from factgold.errors import UsageError
from factgold.run.evaluation import evaluate
from factgold.score.config import EvalConfig

Doc = dict[str, Any]
DOC_ID = "000_8ba8a8b9c66a07ae"
REPORT_SCHEMA = Draft202012Validator(json.loads((REPO / "schema" / "report.schema.json").read_text(encoding="utf-8")))


def _span(text: str, needle: str, occurrence: int = 1) -> dict[str, int]:
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    return {"start": start, "end": start + len(needle)}


def _entity(text: str, needle: str, entity_type: str, occurrence: int = 1, **extra: Any) -> dict[str, Any]:
    return {"type": entity_type, "mentions": [_span(text, needle, occurrence)], **extra}


@pytest.mark.parametrize("mentions", ["names", "all"])
def test_gold_against_itself_scores_one_everywhere(gold_doc: Doc, mentions: Literal["names", "all"]) -> None:
    report = evaluate([gold_doc], config=EvalConfig(mentions=mentions)).to_dict()
    assert REPORT_SCHEMA.is_valid(report), list(REPORT_SCHEMA.iter_errors(report))[:3]
    assert report["headline"]["score"] == 1.0
    entities = report["scores"]["entities"]
    for scheme in ("strict", "exact", "partial", "type"):
        assert entities["mentions"][scheme]["f1"] == 1.0
    assert entities["clusters"]["f1"] == 1.0
    assert entities["coreference"]["conll_f1"] == 1.0
    assert report["scores"]["relations"]["strict"]["f1"] == report["scores"]["relations"]["unlabeled"]["f1"] == 1.0
    assert all(
        report["scores"]["numeric_facts"][a]["f1"] == 1.0
        for a in ("value", "spans", "unit", "kind", "approximate", "subject")
    )
    assert {e["category"] for e in report["errors"]} == {"correct"}


def test_empty_predictions_have_zero_recall() -> None:
    report = evaluate([{"id": DOC_ID, "entities": [], "relations": [], "numeric_facts": []}]).to_dict()
    assert REPORT_SCHEMA.is_valid(report)
    assert report["headline"]["score"] == 0.0
    assert report["scores"]["entities"]["mentions"]["strict"]["recall"] == 0.0
    assert report["scores"]["entities"]["mentions"]["strict"]["missed"] == 40
    assert report["scores"]["relations"]["strict"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "tp": 0,
        "fp": 0,
        "fn": 23,
    }
    assert report["scores"]["numeric_facts"]["value"]["fn"] == 6


def test_absent_layers_score_zero_and_are_said_so() -> None:
    report = evaluate([{"id": DOC_ID, "numeric_facts": []}]).to_dict()
    assert report["tasks"] == {"entities": "not predicted", "relations": "not predicted", "numeric_facts": "scored"}
    assert set(report["scores"]) == {"entities", "relations", "numeric_facts"}
    assert report["headline"]["parts"] == {"entities": 0.0, "relations_strict": 0.0, "numeric_value": 0.0}
    assert (
        "no relations predicted: scored as an empty list, every gold item missed (0 where the gold has any, "
        "1.0 where it has none)" in report["notes"]
    )


def test_tasks_restrict_the_headline_and_are_named_in_the_signature() -> None:
    report = evaluate([{"id": DOC_ID, "numeric_facts": []}], tasks=("numeric_facts",))
    as_dict = report.to_dict()
    assert as_dict["tasks"] == {"entities": "not requested", "relations": "not requested", "numeric_facts": "scored"}
    assert set(as_dict["scores"]) == {"numeric_facts"}
    assert as_dict["headline"]["parts"] == {"numeric_value": 0.0}
    assert "tasks:numeric_facts" in report.signature.split("|")
    assert as_dict["config"]["tasks"] == ["numeric_facts"]


def test_signature_names_every_setting(gold_doc: Doc) -> None:
    report = evaluate([gold_doc], mentions="all", numeric_rtol=0.01)
    assert report.signature.startswith("factgold:0.3.0|scoring:2.3.0|corpus:1.2.0|gold:sha256=")
    for part in (
        "tasks:entities+relations+numeric_facts",
        "mentions:all",
        "ner:semeval2013",
        "align:optimal",
        "coref:conll2012-all",
        "rel:entity",
        "empty:1",
        "num_rtol:0.01",
    ):
        assert part in report.signature.split("|")


def test_custom_gold_is_not_the_bundled_corpus(gold_doc: Doc, write_jsonl: Any) -> None:
    gold_doc["entities"][0]["name"] = "Islamic Republic of Pakistan"
    gold_doc["entities"][0]["mentions"] = gold_doc["entities"][0]["mentions"]
    path = write_jsonl(gold_doc)
    report = evaluate([gold_doc], gold=path)
    assert "|corpus:custom|" in report.signature


@pytest.mark.parametrize(
    ("settings", "message"), [({"mentions": "nominal"}, "mentions must be"), ({"numeric_rtol": -1.0}, "tolerance")]
)
def test_bad_settings_are_usage_errors(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        EvalConfig(**settings)


def test_package_level_api(gold_doc: Doc) -> None:
    report = factgold.evaluate([gold_doc], config=factgold.EvalConfig(mentions="all"))
    assert isinstance(report, factgold.Report)
    assert report.headline == 1.0


# --- mentions: one fixture per category, checked on paper ---------------------------------

TEXT = json.loads((REPO / "corpus" / "data" / "documents" / "test.jsonl").read_text(encoding="utf-8"))["text"]


def _mentions_report(entities: list[dict[str, Any]]) -> dict[str, Any]:
    scores: dict[str, Any] = evaluate([{"id": DOC_ID, "entities": entities}]).to_dict()["scores"]["entities"][
        "mentions"
    ]
    return scores


def test_mention_categories_hand_computed() -> None:
    entities = [
        _entity(TEXT, "Mohsin Naqvi", "PERSON"),  # correct
        _entity(TEXT, "Wang Xiaohong", "ORG"),  # type: exact span, wrong type
        {
            "type": "GPE",
            "mentions": [{"start": _span(TEXT, "Beijing")["start"], "end": _span(TEXT, "Beijing")["end"] + 5}],
        },  # boundary
        _entity(TEXT, "Chinese Interior", "PERSON"),  # boundary+type against the NORP "Chinese" inside it
        _entity(TEXT, "Tuesday", "GPE"),  # spurious
    ]
    scores = _mentions_report(entities)
    # 40 gold name mentions: 4 aligned, 36 missed; 5 predicted: 4 aligned, 1 spurious.
    assert (scores["strict"]["correct"], scores["strict"]["incorrect"], scores["strict"]["partial"]) == (1, 3, 0)
    assert (scores["exact"]["correct"], scores["exact"]["incorrect"]) == (2, 2)
    assert (scores["partial"]["correct"], scores["partial"]["partial"], scores["partial"]["incorrect"]) == (2, 2, 0)
    assert (scores["type"]["correct"], scores["type"]["incorrect"]) == (2, 2)
    for scheme in scores.values():
        assert (scheme["missed"], scheme["spurious"], scheme["possible"], scheme["actual"]) == (36, 1, 40, 5)
    assert scores["partial"]["precision"] == pytest.approx((2 + 0.5 * 2) / 5)
    assert scores["partial"]["recall"] == pytest.approx((2 + 0.5 * 2) / 40)
    assert scores["strict"]["precision"] == pytest.approx(1 / 5)


def test_strict_scheme_equals_a_set_computation(gold_doc: Doc) -> None:
    gold_set = {
        (m["start"], m["end"], e["type"]) for e in gold_doc["entities"] for m in e["mentions"] if m["kind"] == "name"
    }
    predicted = [*sorted(gold_set)[::2], (0, 3, "GPE"), (5, 20, "ORG")]
    predicted += [(s, e, "ORG") for s, e, t in sorted(gold_set)[1::4]]
    entities = [{"type": t, "mentions": [{"start": s, "end": e}]} for s, e, t in predicted]
    strict = _mentions_report(entities)["strict"]
    predicted_set = set(predicted)
    tp = len(gold_set & predicted_set)
    assert strict["correct"] == tp
    assert strict["precision"] == pytest.approx(tp / len(predicted_set))
    assert strict["recall"] == pytest.approx(tp / len(gold_set))


def test_per_type_counts_add_up_to_overall(gold_doc: Doc) -> None:
    entities = [
        _entity(TEXT, "Pakistan", "ORG"),
        _entity(TEXT, "Pakistan creates", "GPE"),
        _entity(TEXT, "Islamabad", "GPE"),
        _entity(TEXT, "special unit", "ORG"),
    ]
    report = evaluate([{"id": DOC_ID, "entities": entities}]).to_dict()["scores"]["entities"]
    for scheme in ("strict", "exact", "partial", "type"):
        for count in ("possible", "actual"):
            assert (
                sum(t[scheme][count] for t in report["mentions_by_type"].values()) == report["mentions"][scheme][count]
            )
    # Per type, "Pakistan" predicted as ORG is spurious for ORG and its gold mention missed for GPE.
    by_type = report["mentions_by_type"]
    assert (by_type["ORG"]["strict"]["correct"], by_type["ORG"]["strict"]["spurious"]) == (0, 2)
    assert by_type["ORG"]["strict"]["precision"] == 0.0
    assert (by_type["GPE"]["strict"]["correct"], by_type["GPE"]["strict"]["actual"]) == (1, 2)


def test_mentions_all_mode_scores_nominals_and_pronouns(gold_doc: Doc) -> None:
    names_only = copy.deepcopy(gold_doc)
    for entity in names_only["entities"]:
        entity["mentions"] = [m for m in entity["mentions"] if m["kind"] == "name"]
    names_only["entities"] = [e for e in names_only["entities"] if e["mentions"]]
    del names_only["relations"], names_only["numeric_facts"]
    in_names = evaluate([names_only]).to_dict()["scores"]["entities"]["mentions"]["strict"]
    in_all = evaluate([names_only], mentions="all").to_dict()["scores"]["entities"]["mentions"]["strict"]
    assert in_names["recall"] == 1.0
    assert (in_all["correct"], in_all["missed"]) == (40, 13)


def test_predicted_nominal_mentions_are_left_out_of_the_names_view_with_a_note() -> None:
    entities = [{"type": "ORG", "mentions": [{**_span(TEXT, "special protection unit"), "kind": "nominal"}]}]
    report = evaluate([{"id": DOC_ID, "entities": entities}]).to_dict()
    assert report["scores"]["entities"]["mentions"]["strict"]["actual"] == 0
    assert any("1 predicted nominal/pronoun mention(s) left out" in note for note in report["notes"])


def test_labels_not_in_gold_are_counted_and_listed() -> None:
    entities = [_entity(TEXT, "Mohsin Naqvi", "PER"), _entity(TEXT, "Islamabad", "GPE")]
    relations = [{"type": "located_at", "head": {"start": 0, "end": 8}, "tail": {"start": 144, "end": 153}}]
    report = evaluate([{"id": DOC_ID, "entities": entities, "relations": relations}]).to_dict()
    assert report["labels_not_in_gold"] == {"entity_types": ["PER"], "relation_types": ["located_at"]}
    assert report["scores"]["entities"]["mentions"]["strict"]["incorrect"] == 1
    assert report["scores"]["relations"]["strict"]["fp"] == 1
    # Per type (SemEval, nervaluate): the PER prediction is spurious for PER, its gold PERSON missed.
    by_type = report["scores"]["entities"]["mentions_by_type"]
    assert (by_type["PERSON"]["strict"]["actual"], by_type["PERSON"]["strict"]["missed"]) == (0, 7)
    assert (by_type["PER"]["strict"]["actual"], by_type["PER"]["strict"]["spurious"]) == (1, 1)


# --- entities and coreference ---------------------------------------------------------------


def test_clusters_and_coreference_hand_computed() -> None:
    # Naqvi predicted as one cluster of both name mentions; Pakistan split into two clusters.
    pakistan = [_span(TEXT, "Pakistan", k) for k in (1, 2)]
    entities = [
        {"type": "PERSON", "mentions": [_span(TEXT, "Mohsin Naqvi"), _span(TEXT, "Naqvi", 2)]},
        {"type": "GPE", "mentions": [pakistan[0]]},
        {"type": "GPE", "mentions": [pakistan[1]]},
    ]
    report = evaluate([{"id": DOC_ID, "entities": entities}]).to_dict()["scores"]["entities"]
    # clusters: gold 15 named entities; 2 aligned with the right type, 1 predicted spurious.
    assert (report["clusters"]["tp"], report["clusters"]["fp"], report["clusters"]["fn"]) == (2, 1, 13)
    muc = report["coreference"]["muc"]
    # key links: sum(|K| - 1) over 15 name clusters = 40 - 15 = 25; the response recovers 1 (Naqvi).
    assert muc["recall"] == pytest.approx(1 / 25)
    assert muc["precision"] == pytest.approx(1 / 1)


# --- relations -------------------------------------------------------------------------------


def _relations_report(relations: list[dict[str, Any]], entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {"id": DOC_ID, "relations": relations}
    if entities is not None:
        document["entities"] = entities
    return evaluate([document]).to_dict()


def test_relations_hand_computed() -> None:
    naqvi, wang = _span(TEXT, "Mohsin Naqvi"), _span(TEXT, "Wang Xiaohong")
    dar, beijing = _span(TEXT, "Ishaq Dar"), _span(TEXT, "Beijing", 3)
    entities = [
        {"id": "p1", "type": "PERSON", "mentions": [naqvi]},
        {"id": "p2", "type": "PERSON", "mentions": [wang]},
        {"id": "p3", "type": "GPE", "mentions": [_span(TEXT, "China", 2)]},
    ]
    relations: list[dict[str, Any]] = [
        {"type": "met_with", "head": "p2", "tail": "p1"},  # symmetric, stored the other way: correct
        {"type": "met_with", "head": wang, "tail": naqvi},  # the same triple again: duplicate
        {"type": "visited", "head": beijing, "tail": dar},  # wrong direction
        {"type": "met_with", "head": "p2", "tail": "p3"},  # wrong type: the pair is official_of(Wang Xiaohong, China)
        {"type": "visited", "head": dar, "tail": {"start": 2, "end": 6}},  # tail inside "Pakistan": resolves, spurious
        {"type": "visited", "head": dar, "tail": {"start": 58, "end": 60}},  # tail matches no gold mention
    ]
    report = _relations_report(relations, entities)
    categories = sorted(
        e["category"] for e in report["errors"] if e["task"] == "relations" and e["category"] != "missed"
    )
    assert categories == ["correct", "duplicate", "spurious", "unresolved", "wrong_direction", "wrong_type"]
    strict = report["scores"]["relations"]["strict"]
    assert (strict["tp"], strict["fp"], strict["fn"]) == (1, 4, 22)
    unlabeled = report["scores"]["relations"]["unlabeled"]
    # pairs: {Naqvi, Wang Xiaohong} yes, {Beijing, Dar} yes, {Wang Xiaohong, China} yes, {Dar, Pakistan} no, unresolved no.
    assert (unlabeled["tp"], unlabeled["fp"], unlabeled["fn"]) == (3, 2, 20)
    by_type = report["scores"]["relations"]["by_type"]
    assert sum(c["tp"] for c in by_type.values()) == 1
    assert sum(c["fp"] for c in by_type.values()) == 4
    assert sum(c["fn"] for c in by_type.values()) == 22


def test_flat_ner_entities_resolve_many_to_one() -> None:
    # Two one-mention entities for Pakistan both reach the gold entity Pakistan.
    entities = [
        {"id": "a", "type": "GPE", "mentions": [_span(TEXT, "Pakistan", 1)]},
        {"id": "b", "type": "GPE", "mentions": [_span(TEXT, "Pakistan", 5)]},
        {"id": "c", "type": "ORG", "mentions": [_span(TEXT, "special unit")]},
        {"id": "d", "type": "FAC", "mentions": [_span(TEXT, "Gwadar port")]},
    ]
    relations = [{"type": "establishes", "head": "a", "tail": "c"}, {"type": "located_in", "head": "d", "tail": "b"}]
    strict = _relations_report(relations, entities)["scores"]["relations"]["strict"]
    assert (strict["tp"], strict["fp"]) == (2, 0)


# --- numeric facts ---------------------------------------------------------------------------


def _numeric_report(facts: list[dict[str, Any]], **settings: Any) -> dict[str, Any]:
    return evaluate([{"id": DOC_ID, "numeric_facts": facts}], **settings).to_dict()


def test_numeric_facts_hand_computed() -> None:
    money64, money23, seventh = _span(TEXT, "$64 billion"), _span(TEXT, "$23 billion"), _span(TEXT, "seventh")
    facts = [
        {"mention": money64, "value": 64e6, "unit": "USD", "kind": "money"},  # scale: 1000x too small
        {"mention": money23, "value": 23e9, "unit": "EUR", "kind": "money", "approximate": True},  # unit
        {"mention": seventh, "value": 7.0000001, "kind": "ordinal"},  # correct within 1e-6
        {"value": 75.0, "kind": "ordinal"},  # no span: aligned by value to "75th"
        {"value": 3.0, "kind": "cardinal"},  # no span, no value match: spurious
    ]
    report = _numeric_report(facts)
    categories = sorted(e["category"] for e in report["errors"] if e["task"] == "numeric_facts")
    assert categories == ["correct", "correct", "missed", "missed", "scale", "spurious", "unit"]
    numeric = report["scores"]["numeric_facts"]
    assert (numeric["value"]["tp"], numeric["value"]["fp"], numeric["value"]["fn"]) == (2, 3, 4)
    assert (numeric["spans"]["tp"], numeric["spans"]["fp"], numeric["spans"]["fn"]) == (3, 0, 3)
    assert numeric["unit"]["tp"] == 3  # 64e6 USD, 7 (null), 75 (null)
    assert numeric["approximate"]["tp"] == 4  # all four aligned agree
    assert numeric["attributes_not_predicted"] == ["subject"]


def test_numeric_tolerance_is_configurable() -> None:
    facts = [{"mention": _span(TEXT, "$64 billion"), "value": 64.5e9, "unit": "USD"}]
    assert _numeric_report(facts)["scores"]["numeric_facts"]["value"]["tp"] == 0
    assert _numeric_report(facts, numeric_rtol=0.01)["scores"]["numeric_facts"]["value"]["tp"] == 1


def test_numeric_subject_resolves_through_mentions() -> None:
    facts = [{"mention": _span(TEXT, "$64 billion"), "value": 64e9, "unit": "USD", "subject": _span(TEXT, "CPEC", 2)}]
    assert _numeric_report(facts)["scores"]["numeric_facts"]["subject"]["tp"] == 1
