"""`factgold validate`: the gold passes; every kind of bad gold file gets its own message."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import GOLD_FILE, WriteJsonl
from factgold.cli import main
from factgold.errors import GoldFileError
from factgold.read.validate import check_gold_file, load_gold, validate_document

Doc = dict[str, Any]


def test_gold_file_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(GOLD_FILE)]) == 0
    assert capsys.readouterr().out.strip().endswith("ok (1 document)")


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        target: Any = doc
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return mutate


def _delete(path: tuple[str | int, ...]) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        target: Any = doc
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return mutate


def _duplicate_relation_swapped(doc: Doc) -> None:
    met = next(r for r in doc["relations"] if r["type"] == "met_with")
    doc["relations"].append({**met, "id": "R99", "head": met["tail"], "tail": met["head"]})


def _swap_symmetric(doc: Doc) -> None:
    met = next(r for r in doc["relations"] if r["type"] == "met_with")
    met["head"], met["tail"] = met["tail"], met["head"]


def _duplicate_mention(doc: Doc) -> None:
    doc["entities"][1]["mentions"].append(dict(doc["entities"][0]["mentions"][0]))
    doc["entities"][1]["mentions"].sort(key=lambda m: m["start"])


def _move_span(start: int, end: int) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        mention = doc["entities"][0]["mentions"][0]
        mention.update(start=start, end=end, text=doc["text"][start:end])

    return mutate


def _orphan_nominal_entity(doc: Doc) -> None:
    text = doc["text"]
    start = text.index("police training")
    doc["entities"].append(
        {
            "id": "E99",
            "type": "ORG",
            "name": "police training",
            "mentions": [{"start": start, "end": start + 15, "text": "police training", "kind": "nominal"}],
        }
    )


# (mutation, JSON path of the problem, a part of its message)
BAD_DOCUMENTS: dict[str, tuple[Callable[[Doc], None], str, str]] = {
    "end past the text": (
        _set(("entities", 0, "mentions", 0, "end"), 5000),
        "$.entities[0].mentions[0].end",
        "is past the end of the text (2178 characters)",
    ),
    "reversed offsets": (
        _set(("entities", 0, "mentions", 0, "start"), 8),
        "$.entities[0].mentions[0].start",
        "start 8 is not before end 8",
    ),
    "negative offset": (
        _set(("entities", 0, "mentions", 0, "start"), -1),
        "$.entities[0].mentions[0].start",
        "-1 is less than the minimum of 0",
    ),
    "text mismatch": (
        _set(("entities", 0, "mentions", 0, "text"), "Pakistn"),
        "$.entities[0].mentions[0].text",
        "'Pakistn' does not equal text[0:8] 'Pakistan'",
    ),
    "evidence text mismatch": (
        _set(("relations", 0, "evidence", 0, "text"), "x"),
        "$.relations[0].evidence[0].text",
        "does not equal text[",
    ),
    "fact span mismatch": (
        _set(("numeric_facts", 0, "mention", "end"), 2000),
        "$.numeric_facts[0].mention.text",
        "does not equal text[",
    ),
    "time span past text": (
        _set(("time_expressions", 0, "end"), 9999),
        "$.time_expressions[0].end",
        "past the end of the text",
    ),
    "dangling relation head": (
        _set(("relations", 0, "head"), "E77"),
        "$.relations[0].head",
        "head 'E77' is not an entity of this document",
    ),
    "dangling fact subject": (
        _set(("numeric_facts", 1, "subject"), "E77"),
        "$.numeric_facts[1].subject",
        "subject 'E77' is not an entity",
    ),
    "unknown entity type": (_set(("entities", 0, "type"), "COUNTRY"), "$.entities[0].type", "'COUNTRY' is not one of"),
    "unknown relation type": (_set(("relations", 0, "type"), "likes"), "$.relations[0].type", "'likes' is not one of"),
    "unknown mention kind": (
        _set(("entities", 0, "mentions", 0, "kind"), "proper"),
        "$.entities[0].mentions[0].kind",
        "'proper' is not one of",
    ),
    "duplicate entity id": (
        _set(("entities", 1, "id"), "E1"),
        "$.entities[1].id",
        "duplicate id 'E1' (first at $.entities[0].id)",
    ),
    "duplicate relation id": (_set(("relations", 1, "id"), "R1"), "$.relations[1].id", "duplicate id 'R1'"),
    "unknown field": (
        _set(("entities", 0, "salience"), 0.9),
        "$.entities[0]",
        "Additional properties are not allowed ('salience' was unexpected)",
    ),
    "missing field": (_delete(("relations", 0, "inferred")), "$.relations[0]", "'inferred' is a required property"),
    "string for a number": (
        _set(("numeric_facts", 0, "value"), "2"),
        "$.numeric_facts[0].value",
        "'2' is not of type 'number'",
    ),
    "money without ISO code": (
        _set(("numeric_facts", 2, "unit"), "$"),
        "$.numeric_facts[2].unit",
        "'$' does not match '^[A-Z]{3}$'",
    ),
    "bad wikidata id": (
        _set(("entities", 0, "links", "wikidata"), "843"),
        "$.entities[0].links.wikidata",
        "'843' does not match",
    ),
    "symmetric stored twice": (
        _duplicate_relation_swapped,
        "$.relations[24]",
        "symmetric met_with(E10, E8) is stored twice",
    ),
    "symmetric head not first": (
        _swap_symmetric,
        "$.relations[6]",
        "head must be the entity mentioned first ('E8', not 'E10')",
    ),
    "relation argument type": (
        _set(("relations", 0, "type"), "met_with"),
        "$.relations[0].head",
        "met_with takes a head of type PERSON, not E1 (GPE)",
    ),
    "relation to itself": (
        _set(("relations", 0, "tail"), "E1"),
        "$.relations[0]",
        "establishes relates 'E1' to itself",
    ),
    "same mention twice": (
        _duplicate_mention,
        "$.entities[1].mentions[0]",
        "mention [0, 8) is also annotated at $.entities[0].mentions[0]",
    ),
    "mention ends with punctuation": (_move_span(0, 9), "$.entities[0].mentions[0].text", "span ends with ' '"),
    "mentions out of text order": (_move_span(1329, 1337), "$.entities[0].mentions", "mentions are not in text order"),
    "title is not the first line": (_set(("title",), "Pakistan"), "$.title", "is not the first line of the text"),
    "time qualifier not a time expression": (
        _set(("relations", 5, "qualifiers", "time"), "Monday"),
        "$.relations[5].qualifiers.time",
        "'Monday' is not the text of a time expression",
    ),
    "unused nominal entity": (
        _orphan_nominal_entity,
        "$.entities[19]",
        "an entity without a name mention must be needed",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_bad_document_is_reported(
    case: str, gold_doc: Doc, write_jsonl: WriteJsonl, capsys: pytest.CaptureFixture[str]
) -> None:
    mutate, path, message = BAD_DOCUMENTS[case]
    mutate(gold_doc)
    bad_file = write_jsonl(gold_doc)

    assert main(["validate", str(bad_file), "--house-rules"]) == 2

    lines = capsys.readouterr().err.strip().splitlines()
    assert any(line.startswith(f"{bad_file}:1: {path}: ") and message in line for line in lines), lines
    assert not any("Traceback" in line for line in lines)


def test_possessive_is_outside_a_name(gold_doc: Doc, write_jsonl: WriteJsonl) -> None:
    mention = gold_doc["entities"][0]["mentions"][5]
    assert mention["text"] == "Pakistan"
    mention.update(end=mention["end"] + 2, text=gold_doc["text"][mention["start"] : mention["end"] + 2])
    _, problems = check_gold_file(write_jsonl(gold_doc))
    assert [str(p).split(": ", 2)[2] for p in problems] == ["span ends with the possessive '’s': 'Pakistan’s'"]


def test_a_percent_sign_ends_a_number_but_not_a_name(gold_doc: Doc, write_jsonl: WriteJsonl) -> None:
    # Guidelines sections 2 and 6: "12%" is a number's span; "Pakistan%" is still punctuation at an edge.
    gold_doc["text"] = gold_doc["text"].rstrip("\n") + " Inflation rose 12% in a year.\n"
    start = gold_doc["text"].index("12%")
    gold_doc["numeric_facts"].append(
        {
            "id": "N7", "mention": {"start": start, "end": start + 3, "text": "12%"}, "kind": "percent",
            "value": 12.0, "unit": None, "approximate": False, "subject": None, "subject_text": "inflation",
            "property": "inflation", "time": "in a year",
        }
    )  # fmt: skip
    _, problems = check_gold_file(write_jsonl(gold_doc))
    assert [p for p in problems if "span ends with" in str(p)] == []
    gold_doc["numeric_facts"][-1]["mention"] = {"start": start + 2, "end": start + 3, "text": "%"}
    _, problems = check_gold_file(write_jsonl(gold_doc))
    assert any("span starts with '%'" in str(p) for p in problems)


def test_every_problem_is_reported_not_only_the_first(gold_doc: Doc, write_jsonl: WriteJsonl) -> None:
    gold_doc["entities"][0]["mentions"][0]["text"] = "Pakistn"
    gold_doc["relations"][0]["head"] = "E77"
    gold_doc["numeric_facts"][0]["value"] = "two"
    _, problems = check_gold_file(write_jsonl(gold_doc))
    assert [p.path for p in problems] == [
        "$.entities[0].mentions[0].text",
        "$.numeric_facts[0].value",
        "$.relations[0].head",
    ]


BAD_FILES: dict[str, tuple[str | bytes, int, str]] = {
    "invalid JSON on line 3": ('{"id": 1}\n\n{"id": \n', 3, "invalid JSON: Expecting value (column 8)"),
    "NaN": ('{"value": NaN}\n', 1, "invalid JSON: NaN is not valid JSON"),
    "overflowing number": ('{"value": 1e309}\n', 1, "invalid JSON: number 1e309 is too large for a double"),
    "duplicate key": ('{"id": "a", "id": "b"}\n', 1, "invalid JSON: duplicate key 'id'"),
    "byte-order mark": (b'\xef\xbb\xbf{"id": "a"}\n', 1, "byte-order mark"),
    "not UTF-8": (b'{"id": "a"}\n{"id": "\xff"}\n', 2, "byte 0xff is not valid UTF-8"),
    "empty file": ("", 1, "empty file: no JSON documents"),
    "not an object": ("[1, 2]\n", 1, "[1, 2] is not of type 'object'"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_reported(case: str, write_jsonl: WriteJsonl, capsys: pytest.CaptureFixture[str]) -> None:
    raw, line, message = BAD_FILES[case]
    bad_file = write_jsonl(raw=raw)
    assert main(["validate", str(bad_file), "--house-rules"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert any(entry.startswith(f"{bad_file}:{line}: ") and message in entry for entry in lines), lines


def test_duplicate_document_id(gold_doc: Doc, write_jsonl: WriteJsonl) -> None:
    _, problems = check_gold_file(write_jsonl(gold_doc, gold_doc))
    assert [str(p) for p in problems] == [
        f"{problems[0].file}:2: $.id: document '000_8ba8a8b9c66a07ae' appears twice (first on line 1)"
    ]


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "absent.jsonl")]) == 2
    assert "cannot read the file: No such file or directory" in capsys.readouterr().err


def test_load_gold_raises_typed_error_with_all_problems(gold_doc: Doc, write_jsonl: WriteJsonl) -> None:
    gold_doc["relations"][0]["tail"] = "E99"
    gold_doc["relations"][1]["tail"] = "E98"
    with pytest.raises(GoldFileError) as raised:
        load_gold(write_jsonl(gold_doc))
    assert len(raised.value.problems) == 2
    assert str(raised.value).endswith("(and 1 more problem)")


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=20,
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_json_values)
def test_any_json_value_gives_problems_not_exceptions(value: Any) -> None:
    problems = validate_document(value)
    assert all(problem.path.startswith("$") for problem in problems)
    assert problems  # nothing random is a valid gold document


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layer_value=st.sampled_from(["entities", "relations", "numeric_facts", "time_expressions"]), value=_json_values)
def test_any_layer_content_gives_problems_not_exceptions(gold_doc: Doc, layer_value: str, value: Any) -> None:
    gold_doc[layer_value] = [value, *gold_doc[layer_value][:2]]
    problems = validate_document(gold_doc)
    assert all(problem.path.startswith("$") for problem in problems)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(-5, 2300), end=st.integers(-5, 2300))
def test_any_offsets_give_problems_or_a_valid_span(gold_doc: Doc, start: int, end: int) -> None:
    mention = gold_doc["entities"][0]["mentions"][0]
    mention.update(start=start, end=end)
    problems = validate_document(gold_doc)
    sound = 0 <= start < end <= len(gold_doc["text"]) and gold_doc["text"][start:end] == mention["text"]
    assert (not problems) == sound, [str(p) for p in problems]
    assert json.dumps(gold_doc)  # the document itself is untouched by validation
