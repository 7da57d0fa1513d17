"""Numeric facts: a number string is located only where the text states its value, attribute
disagreements are listed, subjects compare as free text, and an absent kind or subject is
not predicted, and alignment puts a right value first, then the place, then the subject, in
an order the input does not decide. Every expectation is worked out by hand from the article
and its six gold facts (N1 "two" about the "countries", N2 "seventh", N3 "$64 billion" about
E16 CPEC, N4 "75th", N5 "two" about the "nations", N6 "$23 billion", approximate, about the
"bilateral trade"; N1, N4, N5 and N6 have no subject entity)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conftest import GOLD_FILE, REPO
from factgold.cli import main
from factgold.ground.text import TextIndex
from factgold.run.evaluation import evaluate

DOC_ID = "000_8ba8a8b9c66a07ae"
TEXT: str = json.loads(GOLD_FILE.read_text(encoding="utf-8"))["text"]
REPORT_SCHEMA = Draft202012Validator(json.loads((REPO / "schema" / "report.schema.json").read_text(encoding="utf-8")))
N3 = {"start": 1690, "end": 1701}  # "$64 billion"
N6 = {"start": 2165, "end": 2176}  # "$23 billion"
UNSTATED = "no place in the document states this value"


def _report(facts: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    settings = {key: extra.pop(key) for key in ("require_grounding",) if key in extra}
    report = evaluate([{"id": DOC_ID, "numeric_facts": facts, **extra}], **settings).to_dict()
    assert REPORT_SCHEMA.is_valid(report), list(REPORT_SCHEMA.iter_errors(report))[:3]
    return report


def _items(report: dict[str, Any], task: str = "numeric_facts") -> list[dict[str, Any]]:
    """The task's items that have a predicted side (every one but the missed gold facts)."""
    return [e for e in report["errors"] if e["task"] == task and e["predicted"] is not None]


def _verdict(item: dict[str, Any]) -> tuple[str, str, str | None, str | None]:
    return item["category"], item["detail"], item["grounded_by"], item["gold"] and item["gold"]["text"]


def _counts(report: dict[str, Any], attribute: str) -> tuple[int, int, int]:
    counts = report["scores"]["numeric_facts"][attribute]
    return counts["tp"], counts["fp"], counts["fn"]


# --- 1. a number string is located only where the text states its value ----------------


def test_a_near_miss_number_is_found_by_fuzzy_grounding_alone() -> None:
    # The premise of the rule: spelling alone puts "62 billion" at "64 billion".
    grounding = TextIndex(TEXT).ground("62 billion")
    assert grounding.method == "fuzzy"
    assert [TEXT[s:e] for s, e in grounding.spans] == ["64 billion"]


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        ("$62 billion", ("hallucinated", UNSTATED, None, None)),
        ("62 billion", ("hallucinated", UNSTATED, None, None)),  # fuzzy-found at "64 billion": not stated
        ("$64 billion", ("correct", "aligned by its text and value", "exact", "$64 billion")),
        ("$64 billions", ("correct", "aligned by its text and value", "fuzzy", "$64 billion")),  # typo, same value
        ("around $23 billion", ("correct", "aligned by its text and value", "exact", "$23 billion")),
        ("US$64bn", ("correct", "aligned by value", None, "$64 billion")),  # a paraphrase of a stated value
        ("64 million dollars", ("scale", "aligned by value", None, "$64 billion")),
        ("N/A", ("unparsed", "the value string is not a number", None, None)),
    ],
)
def test_value_strings_are_located_only_where_the_text_states_them(
    value: str, verdict: tuple[str, str, str | None, str | None]
) -> None:
    report = _report([{"value": value}])
    assert [_verdict(item) for item in _items(report)] == [verdict]
    assert report["hallucinated"]["numeric_facts"] == (verdict[0] == "hallucinated")


def test_an_invented_number_is_never_correct() -> None:
    report = _report([{"value": "$62 billion"}])
    assert _counts(report, "value") == (0, 1, 6)
    assert _counts(report, "spans") == (0, 0, 6)  # not located, so not counted among located facts
    assert report["scores"]["numeric_facts"]["coverage"]["spans"] == 0.0


def test_an_unstated_number_is_aligned_by_its_subject() -> None:
    report = _report([{"value": "$62 billion", "subject": {"text": "CPEC"}}])
    [item] = _items(report)
    assert _verdict(item) == ("value", "aligned by subject", None, "$64 billion")
    assert (item["predicted"]["start"], item["predicted"]["text"]) == (None, "$62 billion")
    assert _counts(report, "value") == (0, 1, 6)
    assert _counts(report, "subject") == (1, 0, 5)
    assert _items(report, "numeric_attributes") == []  # unit, kind, approximate and subject all agree


def test_subject_alignment_takes_only_gold_facts_still_unaligned() -> None:
    # N3 goes to the fact that states it; the invented number about the same subject has none left.
    report = _report([{"value": "$64 billion"}, {"value": "$62 billion", "subject": {"text": "CPEC"}}])
    verdicts = sorted(_verdict(item) for item in _items(report))
    assert verdicts == [
        ("correct", "aligned by its text and value", "exact", "$64 billion"),
        ("hallucinated", UNSTATED, None, None),
    ]


def test_an_unstated_number_about_a_subject_no_gold_fact_has_is_hallucinated() -> None:
    report = _report([{"value": "$62 billion", "subject": {"text": "Gwadar port"}}])
    assert [_verdict(item) for item in _items(report)] == [("hallucinated", UNSTATED, None, None)]


def test_a_mention_text_locates_a_fact_whatever_its_value() -> None:
    report = _report([{"value": "$62 billion", "mention": {"text": "$64 billion"}}])
    [item] = _items(report)
    assert _verdict(item) == ("value", "aligned by its mention text", "exact", "$64 billion")
    assert (item["predicted"]["start"], item["predicted"]["end"]) == (1690, 1701)


def test_a_mention_text_found_by_a_fuzzy_match_says_so() -> None:
    report = _report([{"value": 64e9, "unit": "USD", "mention": {"text": "$64 billions"}}])
    [item] = _items(report)
    assert _verdict(item) == ("correct", "aligned by its mention text", "fuzzy", "$64 billion")
    assert item["predicted"]["text"] == "64 billion"


def test_a_bare_number_keeps_alignment_by_value_only() -> None:
    # No string at all: not aligned by subject, not hallucinated (no string could be looked for).
    report = _report([{"value": 62e9, "subject": {"text": "CPEC"}}])
    assert [_verdict(item) for item in _items(report)] == [("spurious", "", None, None)]


def test_require_grounding_makes_an_unstated_number_hallucinated_even_when_aligned_by_value() -> None:
    report = _report(
        [{"value": "US$64bn"}, {"value": "$62 billion", "subject": {"text": "CPEC"}}], require_grounding=True
    )
    assert [_verdict(item) for item in _items(report)] == [("hallucinated", UNSTATED, None, None)] * 2


def test_the_command_line_reports_the_invented_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "answer.jsonl"
    path.write_text(json.dumps({"id": DOC_ID, "numeric_facts": [{"value": "$62 billion"}]}) + "\n")
    assert main(["eval", str(path), "--tasks", "numeric_facts", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["error_counts"]["numeric_facts"] == {"hallucinated": 1, "missed": 6}
    assert main(["eval", str(path), "--tasks", "numeric_facts", "--show-errors"]) == 0
    lines = capsys.readouterr().out.splitlines()
    [at] = [i for i, line in enumerate(lines) if "'$62 billion'" in line]
    assert lines[at].split()[:2] == ["numeric_facts", "hallucinated:"]
    assert lines[at + 1] == f"    {UNSTATED}"  # the detail, on the item's next line


# --- 2. attribute disagreements are listed -------------------------------------------------


def test_every_attribute_disagreement_is_an_item() -> None:
    fact = {
        "value": "$64 billion",
        "unit": "EUR",
        "kind": "cardinal",
        "approximate": True,
        "subject": {"text": "Gwadar port"},
    }
    report = _report([fact])
    assert [_verdict(item) for item in _items(report)] == [
        ("unit", "aligned by its text and value", "exact", "$64 billion")
    ]
    items = {item["category"]: item for item in _items(report, "numeric_attributes")}
    labels = {category: (item["gold"]["label"], item["predicted"]["label"]) for category, item in items.items()}
    assert labels == {
        "unit": ("USD", "EUR"),
        "kind": ("money", "cardinal"),
        "approximate": ("false", "true"),
        "subject": (
            "E16 China-Pakistan Economic Corridor (subject_text: CPEC)",
            "Gwadar port (resolves to E19 Gwadar port)",
        ),
    }
    for item in items.values():
        assert (item["gold"]["start"], item["gold"]["end"], item["gold"]["text"]) == (1690, 1701, "$64 billion")
        assert (item["predicted"]["start"], item["predicted"]["end"]) == (1690, 1701)
        assert item["grounded_by"] == "exact"
        assert item["detail"] == "the fact is aligned by its text and value"
    assert report["error_counts"]["numeric_attributes"] == {"approximate": 1, "kind": 1, "subject": 1, "unit": 1}


def test_a_gold_fact_without_subject_entity_shows_its_subject_text() -> None:
    fact = {"mention": N6, "value": 23e9, "unit": "USD", "approximate": True, "subject": {"text": "CPEC"}}
    [item] = _items(_report([fact]), "numeric_attributes")
    assert item["category"] == "subject"
    assert item["gold"]["label"] == "none (subject_text: bilateral trade)"
    assert item["predicted"]["label"] == "CPEC (resolves to E16 China-Pakistan Economic Corridor)"
    assert item["grounded_by"] == "exact"  # the fact came with offsets; its subject string was found as written


def test_absent_unit_and_approximate_are_disagreements() -> None:
    # An absent unit is no unit and an absent approximate is false: both are stated values.
    report = _report([{"mention": N6, "value": 23e9}])
    labels = {
        item["category"]: (item["gold"]["label"], item["predicted"]["label"])
        for item in _items(report, "numeric_attributes")
    }
    assert labels == {"unit": ("USD", "none"), "approximate": ("true", "false")}
    assert _counts(report, "unit") == (0, 1, 6)
    assert _counts(report, "approximate") == (0, 1, 6)


def test_attribute_items_of_a_fuzzily_located_fact_say_so() -> None:
    report = _report([{"value": "$64 billions", "kind": "cardinal", "subject": {"text": "Gwadr port"}}])
    grounded_by = {item["category"]: item["grounded_by"] for item in _items(report, "numeric_attributes")}
    assert grounded_by == {"kind": "fuzzy", "subject": "fuzzy"}


def test_the_gold_against_itself_lists_no_attribute_item(gold_doc: dict[str, Any]) -> None:
    report = evaluate([gold_doc]).to_dict()
    assert "numeric_attributes" not in report["error_counts"]


# --- 3. a subject given as a string ---------------------------------------------------------


@pytest.mark.parametrize(
    ("gold_span", "subject", "agrees"),
    [
        (N3, {"text": "CPEC"}, True),  # the gold subject_text
        (N3, {"text": "cpec"}, True),  # normalized: case folded
        (N3, {"text": "China\u2013Pakistan  economic corridor"}, True),  # the entity's name: dash and spaces folded
        (N3, {"text": "It"}, True),  # no name, but it resolves through the text to E16
        (N3, {"text": "bilateral trade"}, False),  # another fact's subject_text, resolving to no entity
        (N6, {"text": "Bilateral trade"}, True),  # a gold fact without subject entity: its subject_text
        (N6, {"text": "CPEC"}, False),  # resolves to E16; the gold fact has no subject entity
        (N6, {"text": "trade"}, False),  # only part of the subject_text
    ],
)
def test_subject_strings_compare_to_the_gold_names_first(
    gold_span: dict[str, int], subject: dict[str, str], agrees: bool
) -> None:
    gold_fact = {1690: {"value": 64e9, "unit": "USD"}, 2165: {"value": 23e9, "unit": "USD", "approximate": True}}
    report = _report([{"mention": gold_span, **gold_fact[gold_span["start"]], "subject": subject}])
    assert _counts(report, "subject") == ((1, 0, 5) if agrees else (0, 1, 6))
    assert [item["category"] for item in _items(report, "numeric_attributes")] == ([] if agrees else ["subject"])


@pytest.mark.parametrize(
    "entity",
    [
        {"name": "CPEC", "type": "FAC"},  # referred to by its name
        {"id": "x", "name": "China-Pakistan Economic Corridor", "type": "ORG"},  # by its id; its name is E16's
    ],
)
def test_a_subject_naming_a_predicted_entity_compares_by_that_name(entity: dict[str, Any]) -> None:
    reference = entity.get("id", entity["name"])
    report = _report([{"value": "$64 billion", "subject": reference}], entities=[entity])
    assert _counts(report, "subject") == (1, 0, 5)


def test_a_plain_subject_name_needs_a_predicted_entity() -> None:
    # What the predictions format allows: a bare string refers to a predicted entity.
    from factgold.errors import PredictionsFileError

    with pytest.raises(PredictionsFileError, match="is not the id or name of an entity"):
        evaluate([{"id": DOC_ID, "numeric_facts": [{"value": "$64 billion", "subject": "CPEC"}]}])


# --- 4. an absent kind or subject is not predicted -------------------------------------------


def test_absent_kind_and_subject_cost_recall_only() -> None:
    report = _report([{"mention": N3, "value": 64e9, "unit": "USD"}])
    numeric = report["scores"]["numeric_facts"]
    assert _counts(report, "kind") == (0, 0, 6)
    assert _counts(report, "subject") == (0, 0, 6)
    assert (numeric["kind"]["precision"], numeric["subject"]["precision"]) == (0.0, 0.0)  # nothing carried
    assert _items(report, "numeric_attributes") == []
    assert numeric["coverage"] == {"kind": 0.0, "subject": 0.0, "spans": 1.0}
    assert numeric["attributes_not_predicted"] == ["kind", "subject"]


def test_kind_and_subject_count_only_the_facts_carrying_them() -> None:
    facts: list[dict[str, Any]] = [
        {"mention": N3, "value": 64e9, "unit": "USD", "kind": "money", "subject": {"text": "CPEC"}},  # both agree
        {"mention": N6, "value": 23e9, "unit": "USD", "kind": "cardinal"},  # kind wrong, no subject
        {"value": "seventh", "subject": {"text": "Gwadar port"}},  # no kind (its string's is not stated), subject wrong
        {"value": 7.5},  # aligned to nothing, carries neither
    ]
    report = _report(facts)
    assert _counts(report, "kind") == (1, 1, 5)  # two carry a kind, one agrees
    assert _counts(report, "subject") == (1, 1, 5)  # two carry a subject, one agrees
    assert sorted(item["category"] for item in _items(report, "numeric_attributes")) == [
        "approximate",  # N6 is approximate, the second fact is not
        "kind",
        "subject",
    ]
    assert report["scores"]["numeric_facts"]["coverage"] == {"kind": 0.5, "subject": 0.5, "spans": 0.75}


def test_the_gold_with_its_subject_texts_scores_one_on_subject(gold_doc: dict[str, Any]) -> None:
    for fact in gold_doc["numeric_facts"]:
        if fact["subject"] is None:
            fact["subject"] = {"text": fact["subject_text"]}
    report = evaluate([gold_doc]).to_dict()
    assert report["scores"]["numeric_facts"]["subject"]["f1"] == 1.0
    assert report["scores"]["numeric_facts"]["coverage"] == {"kind": 1.0, "subject": 1.0, "spans": 1.0}


def test_a_subject_written_as_null_says_the_subject_is_no_entity() -> None:
    # "subject": null is a claim (the gold writes it for "two countries"); no key is none.
    stated = _report([{"mention": {"start": 1314, "end": 1317}, "value": 2, "subject": None}])
    silent = _report([{"mention": {"start": 1314, "end": 1317}, "value": 2}])
    assert _counts(stated, "subject") == (1, 0, 5)
    assert _counts(silent, "subject") == (0, 0, 6)
    wrong = _report([{"mention": N3, "value": 64e9, "unit": "USD", "subject": None}])
    assert _counts(wrong, "subject") == (0, 1, 6)
    labels = [(i["gold"]["label"], i["predicted"]["label"]) for i in _items(wrong, "numeric_attributes")]
    assert labels == [("E16 China-Pakistan Economic Corridor (subject_text: CPEC)", "none (no entity)")]


def test_coverage_is_null_without_predicted_facts() -> None:
    report = _report([])
    assert report["scores"]["numeric_facts"]["coverage"] == {"kind": None, "subject": None, "spans": None}


def test_the_table_shows_coverage_and_no_longer_calls_it_disagreement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answer.jsonl"
    path.write_text(json.dumps({"id": DOC_ID, "numeric_facts": [{"value": "$64 billion"}, {"value": 2}]}) + "\n")
    for output in ("table", "markdown"):
        assert main(["eval", str(path), "--tasks", "numeric_facts", "--format", output]) == 0
        shown = capsys.readouterr().out
        # Neither states a kind: "$64 billion" implies one, which is not predicting it.
        assert "kind 0.0000, subject 0.0000, spans 0.5000" in shown
        assert "No prediction carries: kind, subject\n" in shown
        assert "scored as disagreement" not in shown


def test_attribute_disagreements_show_in_the_html_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fact = {"mention": N3, "value": 64e9, "unit": "USD", "kind": "cardinal", "subject": {"text": "Gwadar port"}}
    path = tmp_path / "facts.jsonl"
    path.write_text(json.dumps({"id": DOC_ID, "numeric_facts": [fact]}) + "\n", encoding="utf-8")
    assert main(["eval", str(path), "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert "<td>attribute: kind</td>" in page
    assert "<td>attribute: subject</td>" in page
    assert "E16 China-Pakistan Economic Corridor (subject_text: CPEC)" in page


def test_a_huge_value_is_scored_not_a_crash() -> None:
    report = _report([{"value": 1e308, "unit": "USD"}])
    assert report["scores"]["numeric_facts"]["value"]["tp"] == 0


# --- 5. alignment: a right value first, then the place, then the subject; input order decides nothing


N1 = {"start": 1314, "end": 1317}  # "two", about the "countries"
N5 = {"start": 2034, "end": 2037}  # "two", about the "nations"
WRONG_AT_N3 = {"mention": N3, "value": 62e9, "unit": "USD"}  # at the exact span of "$64 billion", a wrong value


def _aligned(report: dict[str, Any]) -> list[tuple[str, int | None, int | None, str]]:
    """(category, gold start, predicted start, detail) of every predicted fact, sorted."""
    return sorted(
        (item["category"], item["gold"] and item["gold"]["start"], item["predicted"]["start"], item["detail"])
        for item in _items(report)
    )


@pytest.mark.parametrize(
    ("right", "how"),
    [
        pytest.param(
            {"mention": {"text": "64 billion"}, "value": 64e9, "unit": "USD"}, "aligned by its mention text", id="text"
        ),
        pytest.param({"value": "64 billion", "unit": "USD"}, "aligned by its text and value", id="value-string"),
        pytest.param(
            {"mention": {"start": 1691, "end": 1701}, "value": 64e9, "unit": "USD"}, "aligned by span", id="span"
        ),
    ],
)
def test_a_right_value_inside_a_gold_fact_wins_over_a_wrong_value_at_its_exact_span(
    right: dict[str, Any], how: str
) -> None:
    # "64 billion" lies inside "$64 billion"; by text or by the span the text is found at,
    # the same extraction, aligned alike.
    before = _report([{"value": 2.0}, WRONG_AT_N3])
    after = _report([{"value": 2.0}, WRONG_AT_N3, right])
    assert _counts(before, "value") == (1, 1, 5)
    assert _counts(after, "value") == (2, 1, 4)  # F1 0.25 -> 0.444, not 0.222
    assert _aligned(after) == [
        ("correct", 1314, None, "aligned by value"),
        ("correct", 1690, 1691, how),
        ("spurious", None, 1690, ""),
    ]


def test_a_fact_at_two_gold_facts_takes_the_one_nothing_else_has_right() -> None:
    # "two" is at N1 and at N5; a wrong value holds N1 by its span, a bare 2 has N5 right.
    # Aligning the placed facts first sent "two" to N5 and left the bare 2 spurious: adding
    # a correct fact lowered value F1 from 0.25 to 0.222.
    wrong_at_n1 = {"mention": N1, "value": 7.0}
    before = _report([{"value": 2.0}, wrong_at_n1])
    after = _report([{"value": 2.0}, wrong_at_n1, {"mention": {"text": "two"}, "value": 2.0, "kind": "cardinal"}])
    assert before["scores"]["numeric_facts"]["value"]["f1"] == pytest.approx(0.25)
    assert _counts(after, "value") == (2, 1, 4)
    assert _aligned(after) == [
        ("correct", 1314, 1314, "aligned by its mention text"),
        ("correct", 2034, None, "aligned by value"),
        ("spurious", None, 1314, ""),
    ]


ORDER_CASES = [
    pytest.param(
        [{"value": "$64 billion", "subject": "g"}, {"value": "$64 billion", "subject": "b"}],
        [{"id": "g", "name": "Gwadar port", "type": "FAC"}, {"id": "b", "name": "Beijing", "type": "GPE"}],
        id="subjects-as-entity-references",
    ),
    pytest.param(
        [{"value": "$64 billion", "subject": None}, {"value": "$64 billion"}], None, id="subject-null-or-absent"
    ),
    pytest.param([{"value": "$64 billion", "score": 0.0}, {"value": "$64 billion"}], None, id="score-zero-or-absent"),
    pytest.param(
        [
            {"mention": N3, "value": 62e9, "subject": {"text": "Gwadar port"}},
            {"mention": N3, "value": 62e9, "subject": {"text": "Beijing"}},
        ],
        None,
        id="subjects-as-texts",
    ),
]


@pytest.mark.parametrize(("facts", "entities"), ORDER_CASES)
def test_the_order_of_the_predictions_decides_nothing(
    facts: list[dict[str, Any]], entities: list[dict[str, Any]] | None
) -> None:
    # Facts that tie on value and place but differ in what their subject is (or whether one
    # is stated, or their score) are not interchangeable: the sort key must tell them apart.
    extra = {"entities": entities} if entities is not None else {}
    forward = _report(facts, **extra)
    backward = _report(facts[::-1], **extra)
    assert forward["errors"] == backward["errors"]
    assert forward == backward


@pytest.mark.parametrize(
    ("fact", "gold_start"),
    [
        ({"value": "two", "subject": {"text": "nations"}}, 2034),  # located at both "two"s
        ({"value": "two", "subject": {"text": "countries"}}, 1314),
        ({"mention": {"text": "two"}, "value": 2, "subject": {"text": "nations"}}, 2034),
        ({"value": 2, "subject": {"text": "nations"}}, 2034),  # aligned by value alone
        ({"value": 2, "subject": {"text": "countries"}}, 1314),
        # A wrong value in "billion", at N3 and at N6: the subject says which it replaces.
        ({"mention": {"text": "billion"}, "value": 99e9, "unit": "USD", "subject": {"text": "bilateral trade"}}, 2165),
        ({"mention": {"text": "billion"}, "value": 99e9, "unit": "USD", "subject": {"text": "CPEC"}}, 1690),
    ],
)
def test_the_subject_decides_between_gold_facts_the_value_and_place_leave_tied(
    fact: dict[str, Any], gold_start: int
) -> None:
    report = _report([fact])
    [item] = _items(report)
    assert item["gold"]["start"] == gold_start
    assert _counts(report, "subject") == (1, 0, 5)
    assert [i["category"] for i in _items(report, "numeric_attributes") if i["category"] == "subject"] == []


def test_the_subject_stays_below_a_right_value() -> None:
    # "billion" is at N3 (about CPEC) and N6 ($23 billion); the value is N6's, the subject N3's.
    fact = {
        "mention": {"text": "billion"},
        "value": 23e9,
        "unit": "USD",
        "approximate": True,
        "subject": {"text": "CPEC"},
    }
    report = _report([fact])
    assert _aligned(report) == [("correct", 2165, 2169, "aligned by its mention text")]
    assert [i["category"] for i in _items(report, "numeric_attributes")] == ["subject"]


def test_a_kind_implied_by_the_value_string_is_not_a_predicted_kind() -> None:
    from factgold.read.predictions import PredictedDocument

    facts = [{"value": "$64 billion"}, {"value": "$64 billion", "kind": "cardinal"}]
    parsed = PredictedDocument.from_json({"id": DOC_ID, "numeric_facts": facts}).numeric_facts
    assert parsed is not None
    [implied, stated] = parsed
    assert (implied.kind, implied.implied_kind) == (None, "money")
    assert (stated.kind, stated.implied_kind) == ("cardinal", "money")
    # "75" reads as a cardinal; the gold "75th" is an ordinal. Not stated, so no disagreement.
    report = _report([{"mention": {"start": 1961, "end": 1965}, "value": "75"}])
    assert _aligned(report) == [("correct", 1961, 1961, "aligned by span")]
    assert _items(report, "numeric_attributes") == []
    assert _counts(report, "kind") == (0, 0, 6)
    numeric = report["scores"]["numeric_facts"]
    assert numeric["coverage"] == {"kind": 0.0, "subject": 0.0, "spans": 1.0}
    assert numeric["attributes_not_predicted"] == ["kind", "subject"]
