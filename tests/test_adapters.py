"""Adapters: each tool's real-shaped fixture converts and scores as worked out by hand, and the
gold converted to each tool's shape and back scores 1.0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import GOLD_FILE, REPO
from factgold.cli import main
from factgold.read.adapters import convert_file
from factgold.read.validate import load_gold
from factgold.run.evaluation import evaluate

FIXTURES = REPO / "tests" / "data" / "adapters"
GOLD = load_gold(GOLD_FILE)
DOC_ID = GOLD[0].id


def _strict(documents: Any, **settings: Any) -> dict[str, Any]:
    report = evaluate(list(documents), **settings).to_dict()
    scores: dict[str, Any] = report["scores"]["entities"]["mentions"]["strict"]
    return scores


# (format, fixture, correct, incorrect, spurious, unmapped labels); the counts are checked by
# hand against the gold's 40 name mentions.
CASES = [
    ("hf", "hf_simple.json", 8, 0, 1, ()),  # "Interior Minister" tagged ORG: spurious
    ("hf", "hf_none.json", 3, 0, 0, ()),  # word pieces joined into Mohsin Naqvi, Wang Xiaohong, Chinese
    ("spacy", "spacy.json", 8, 0, 0, ()),  # Tuesday (DATE) left out, $64 billion (MONEY) a numeric fact
    ("gliner", "gliner.json", 7, 2, 0, ("initiative",)),  # "Chinese nationals" and "Belt and Road": boundaries
    ("langextract", "langextract.jsonl", 5, 0, 1, ()),  # "Chinese Foreign Ministry" is not in the article
    ("brat", "seed.ann", 5, 0, 0, ()),
]


@pytest.mark.parametrize(("format_name", "fixture", "correct", "incorrect", "spurious", "unmapped"), CASES)
def test_fixture_converts_and_scores(
    format_name: str, fixture: str, correct: int, incorrect: int, spurious: int, unmapped: tuple[str, ...]
) -> None:
    conversion = convert_file(format_name, str(FIXTURES / fixture), GOLD)
    assert conversion.unmapped == unmapped
    assert [document["id"] for document in conversion.documents] == [DOC_ID]
    strict = _strict(conversion.documents)
    assert (strict["correct"], strict["incorrect"], strict["spurious"], strict["possible"]) == (
        correct,
        incorrect,
        spurious,
        40,
    )


def test_hf_word_pieces_join_into_whole_names() -> None:
    conversion = convert_file("hf", str(FIXTURES / "hf_none.json"), GOLD)
    spans = [
        (e["mentions"][0]["start"], e["mentions"][0]["end"], e["type"]) for e in conversion.documents[0]["entities"]
    ]
    assert spans == [(270, 282, "PERSON"), (388, 401, "PERSON"), (190, 197, "NORP")]


def test_langextract_unaligned_extraction_is_hallucinated() -> None:
    conversion = convert_file("langextract", str(FIXTURES / "langextract.jsonl"), GOLD)
    report = evaluate(list(conversion.documents)).to_dict()
    assert report["hallucinated"]["mentions"] == 1
    hallucinated = [(e["task"], e["predicted"]["text"]) for e in report["errors"] if e["category"] == "hallucinated"]
    assert hallucinated == [("entity_level", "Chinese Foreign Ministry"), ("mentions", "Chinese Foreign Ministry")]


def test_brat_relations_score_by_hand() -> None:
    conversion = convert_file("brat", str(FIXTURES / "seed.ann"), GOLD)
    relations = evaluate(list(conversion.documents)).to_dict()["scores"]["relations"]["strict"]
    # met_with(Naqvi, Wang Xiaohong) and visited(Dar, Beijing) are gold; visited(Beijing, Naqvi) is reversed.
    assert (relations["tp"], relations["fp"], relations["fn"]) == (2, 1, 21)


def test_label_map_file_and_unmapped_labels_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    label_map = tmp_path / "labels.json"
    label_map.write_text(json.dumps({"initiative": "ORG", "nationality": "NORP", "country": "GPE"}))
    assert main(["convert", "--from", "gliner", str(FIXTURES / "gliner.json"), "--label-map", str(label_map)]) == 0
    captured = capsys.readouterr()
    types = [e["type"] for e in json.loads(captured.out)["entities"]]
    assert types[:3] == ["GPE", "NORP", "city"]  # "city" has no mapping in this file: kept, and named
    assert "labels with no mapping, kept as they are: agency, city, person, port" in captured.err


def test_eval_from_a_tool_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--from", "spacy", str(FIXTURES / "spacy.json"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # As the spacy-sm baseline reads the same entities: MONEY is a numeric fact, DATE is left out.
    assert report["labels_not_in_gold"]["entity_types"] == []
    assert report["error_counts"]["numeric_facts"]["correct"] == 1
    assert "spacy output: DATE entities (time expressions, not a predictions task) left out (1)" in report["notes"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["convert", "--from", "hf", str(FIXTURES / "spacy.json")], "hf: expected a JSON list"),
        (["convert", "--from", "brat", str(FIXTURES / "hf_simple.json")], "is not a line of the standoff format"),
        (["convert", "--from", "gliner", str(FIXTURES / "gliner.json"), "--label-map", "nope"], "neither a preset"),
        (["convert", "--from", "gliner", "/nonexistent.json"], "cannot read /nonexistent.json"),
    ],
)
def test_adapter_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


# --- round trips: the gold written in each tool's shape, converted back ------------------


def _names() -> list[tuple[int, int, str, str]]:
    return [(m.start, m.end, e.type, m.text) for e in GOLD[0].entities for m in e.mentions if m.kind == "name"]


def _in_tool_shape(format_name: str) -> str:
    text = GOLD[0].text
    if format_name == "hf":
        return json.dumps(
            [{"entity_group": t, "score": 1.0, "word": w, "start": s, "end": e} for s, e, t, w in _names()]
        )
    if format_name == "spacy":
        return json.dumps({"text": text, "ents": [{"start": s, "end": e, "label": t} for s, e, t, _ in _names()]})
    if format_name == "gliner":
        return json.dumps([{"start": s, "end": e, "text": w, "label": t, "score": 1.0} for s, e, t, w in _names()])
    extractions = [
        {"extraction_class": t, "extraction_text": w, "char_interval": {"start_pos": s, "end_pos": e}, "attributes": {}}
        for s, e, t, w in _names()
    ]
    return json.dumps({"extractions": extractions, "text": text, "document_id": "x"})


@pytest.mark.parametrize("format_name", ["hf", "spacy", "gliner", "langextract"])
def test_round_trip_through_each_tool_shape(format_name: str, tmp_path: Path) -> None:
    path = tmp_path / "output.json"
    path.write_text(_in_tool_shape(format_name), encoding="utf-8")
    conversion = convert_file(format_name, str(path), GOLD, label_map="ontonotes")
    assert conversion.unmapped == ()
    assert _strict(conversion.documents)["f1"] == 1.0


def test_brat_export_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "brat"  # created by the export
    assert main(["export", "--to", "brat", "--output", str(folder)]) == 0
    assert (folder / f"{DOC_ID}.txt").read_text(encoding="utf-8") == GOLD[0].text
    conversion = convert_file("brat", str(folder / f"{DOC_ID}.ann"), GOLD)
    # Every layer BRAT holds comes back: mentions with their kinds, coreference (* lines),
    # relations, numeric facts with value, unit, kind, approximate flag and subject.
    for mentions in ("all", "names"):
        report = evaluate(list(conversion.documents), mentions=mentions).to_dict()
        scores = report["scores"]
        assert scores["entities"]["mentions"]["strict"]["f1"] == 1.0
        assert scores["entities"]["clusters"]["f1"] == 1.0
        assert scores["entities"]["entity_level"]["typed"]["f1"] == 1.0
        assert scores["entities"]["coreference"]["conll_f1"] == 1.0
        assert scores["relations"]["strict"]["f1"] == 1.0
        assert {
            a: scores["numeric_facts"][a]["f1"] for a in ("value", "spans", "unit", "kind", "approximate", "subject")
        } == dict.fromkeys(("value", "spans", "unit", "kind", "approximate", "subject"), 1.0)
        assert report["headline"]["score"] == 1.0
    assert (
        evaluate(list(conversion.documents), mentions="all").to_dict()["scores"]["entities"]["mentions"]["strict"][
            "correct"
        ]
        == 53
    )


def test_brat_reads_discontinuous_spans_and_events_with_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "doc.ann"
    path.write_text("T1\tPERSON 270 276;277 282\tMohsin Naqvi\nE1\tMeeting:T1\n")
    assert main(["convert", "--from", "brat", str(path)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["entities"][0]["mentions"] == [{"start": 270, "end": 282}]
    assert "factgold: brat: discontinuous T annotations kept as their outer span (1)" in captured.err
    assert "factgold: brat: E lines (events) skipped (1)" in captured.err


def test_conll_export_tags_every_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--to", "conll"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"-DOCSTART- {DOC_ID}"
    tags = [line.split("\t")[1] for line in lines if "\t" in line]
    assert tags.count("B-GPE") == 18  # the gold's 18 GPE name mentions
    assert sum(tag.startswith("B-") for tag in tags) == 40
    assert "Mohsin\tB-PERSON" in lines
    assert "Naqvi\tI-PERSON" in lines


def test_conll_export_round_trips_the_mentions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--to", "conll"]) == 0
    path = tmp_path / "gold.conll"
    path.write_text(capsys.readouterr().out)
    conversion = convert_file("conll", str(path), GOLD)
    assert _strict(conversion.documents)["f1"] == 1.0
    assert _strict(conversion.documents)["correct"] == 40


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["B-PERSON", "I-PERSON"], [(270, 282)]),  # IOB2
        (["I-PERSON", "I-PERSON"], [(270, 282)]),  # IOB1: an entity may start with I-
        (["B-PERSON", "E-PERSON"], [(270, 282)]),  # BIOES
        (["S-PERSON", "S-PERSON"], [(270, 276), (277, 282)]),
        (["B-PERSON", "I-ORG"], [(270, 276), (277, 282)]),  # a change of type starts a new one
    ],
)
def test_conll_tag_schemes(tmp_path: Path, tags: list[str], spans: list[tuple[int, int]]) -> None:
    path = tmp_path / "tags.conll"
    path.write_text(f"-DOCSTART- {DOC_ID}\n\nMohsin\t{tags[0]}\nNaqvi\t{tags[1]}\n")
    entities = convert_file("conll", str(path), GOLD).documents[0]["entities"]
    assert [(e["mentions"][0]["start"], e["mentions"][0]["end"]) for e in entities] == spans


def test_conll_tokens_not_in_the_text_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tags.conll"
    path.write_text(f"-DOCSTART- {DOC_ID}\nXyzzy\tB-PERSON\n")
    assert main(["convert", "--from", "conll", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"factgold: error: conll: line 2: token 'Xyzzy' is not next in the text of {DOC_ID}\n"
    )


def test_hf_outside_token_ends_an_entity(tmp_path: Path) -> None:
    path = tmp_path / "hf.json"
    tokens = [
        {"entity": "I-LOC", "start": 801, "end": 810},
        {"entity": "O", "start": 811, "end": 814},
        {"entity": "I-LOC", "start": 1095, "end": 1102},
    ]
    path.write_text(json.dumps(tokens))
    entities = convert_file("hf", str(path), GOLD).documents[0]["entities"]
    assert [e["mentions"][0] for e in entities] == [{"start": 801, "end": 810}, {"start": 1095, "end": 1102}]


def test_hf_an_inside_tag_after_a_dropped_token_starts_a_new_entity(tmp_path: Path) -> None:
    # The pipeline (aggregation_strategy="none") leaves out the tokens tagged O: "Islamabad and
    # Beijing" tagged I-LOC, O, I-LOC arrives as two items whose indices are not consecutive.
    # A model tagging IOB1 starts entities with I-; word pieces have consecutive indices.
    text = GOLD[0].text
    islamabad, beijing = text.index("Islamabad and Beijing"), text.index("Beijing", 1090)
    by_index = [
        {"entity": "I-LOC", "score": 0.99, "index": 230, "word": "Islamabad", "start": islamabad, "end": islamabad + 9},
        {"entity": "I-LOC", "score": 0.98, "index": 232, "word": "Beijing", "start": beijing, "end": beijing + 7},
    ]
    without_index = [{k: v for k, v in token.items() if k != "index"} for token in by_index]
    pieces = [
        {"entity": "I-LOC", "score": 0.99, "index": 7, "word": "Bei", "start": beijing, "end": beijing + 3},
        {"entity": "I-LOC", "score": 0.97, "index": 8, "word": "##jing", "start": beijing + 3, "end": beijing + 7},
    ]
    expected = [[(islamabad, islamabad + 9), (beijing, beijing + 7)], [(beijing, beijing + 7)]]
    for tokens, spans in ((by_index, expected[0]), (without_index, expected[0]), (pieces, expected[1])):
        path = tmp_path / "hf.json"
        path.write_text(json.dumps(tokens))
        entities = convert_file("hf", str(path), GOLD).documents[0]["entities"]
        assert [(e["mentions"][0]["start"], e["mentions"][0]["end"]) for e in entities] == spans


@pytest.mark.parametrize(
    ("format_name", "content"),
    [
        ("hf", [{"entity": 5, "start": 0, "end": 8}]),
        ("hf", [{"entity_group": ["LOC"], "start": 0, "end": 8}]),
        ("hf", [{"entity": "B-", "start": 0, "end": 8}]),
        ("hf", [{"entity_group": "LOC", "start": None, "end": 8}]),
        ("spacy", {"ents": [{"start": 0, "end": 8}]}),
        ("spacy", {"ents": [5]}),
        ("gliner", [{"start": 0, "end": 8, "label": None}]),
        ("gliner", [{"start": "0", "end": 8, "label": "person"}]),
        ("langextract", {"extractions": [{"extraction_text": "Pakistan"}]}),
        ("langextract", {"extractions": ["Pakistan"]}),
        (
            "langextract",
            {"extractions": [{"extraction_class": "person", "extraction_text": "x", "char_interval": "0-8"}]},
        ),
    ],
)
def test_malformed_tool_output_is_a_clear_error(
    format_name: str, content: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "output.json"
    path.write_text(json.dumps(content))
    assert main(["convert", "--from", format_name, str(path)]) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err
    assert "Traceback" not in err
    assert format_name in err or str(path) in err


def test_a_label_map_can_drop_a_label(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # null in a label map leaves the label's entities out on purpose, counted in the notes.
    label_map = tmp_path / "labels.json"
    label_map.write_text(json.dumps({"PER": "PERSON", "LOC": None}))
    tokens = [
        {"entity_group": "PER", "start": 270, "end": 282, "score": 0.9},
        {"entity_group": "LOC", "start": 349, "end": 356, "score": 0.9},
    ]
    path = tmp_path / "hf.json"
    path.write_text(json.dumps(tokens))
    assert main(["convert", "--from", "hf", str(path), "--label-map", str(label_map)]) == 0
    captured = capsys.readouterr()
    assert [e["type"] for e in json.loads(captured.out)["entities"]] == ["PERSON"]
    assert "factgold: label map: entities whose label it drops (null) left out (1)" in captured.err


def test_an_output_of_another_text_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # spaCy run on the article without its title: every offset would be shifted.
    path = tmp_path / "spacy.json"
    path.write_text(
        json.dumps({"text": GOLD[0].text.split("\n", 1)[1], "ents": [{"start": 0, "end": 8, "label": "ORG"}]})
    )
    assert main(["eval", "--from", "spacy", str(path)]) == 2
    assert "is not the text of gold document" in capsys.readouterr().err


def test_doc_id_wins_over_the_tool_id(tmp_path: Path) -> None:
    path = tmp_path / "le.jsonl"
    path.write_text(json.dumps({"document_id": "doc_abc", "text": "other", "extractions": []}) + "\n")
    assert convert_file("langextract", str(path), GOLD, doc_id=DOC_ID).documents[0]["id"] == DOC_ID


def test_brat_fragment_with_start_after_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.ann"
    path.write_text("T1\tGPE 8 0\tPakistan\n")
    assert main(["convert", "--from", "brat", str(path)]) == 2
    assert "start is not before its end" in capsys.readouterr().err
