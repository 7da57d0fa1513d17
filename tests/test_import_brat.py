"""The BRAT standoff importer: real-shaped .txt/.ann pairs to gold, worked out by hand; what it
cannot carry, counted; malformed files refused in one line; and the gold through factgold's
own BRAT export and back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from factgold.errors import UsageError
from factgold.read.adapters.brat import export
from factgold.read.adapters.labels import NUMERIC_LABELS
from factgold.read.importers import Imported, importer
from factgold.read.importers.brat import import_files
from factgold.read.labels import Labels
from factgold.read.validate import validate_document
from factgold.run.evaluation import bundled_gold

FIXTURES = REPO / "tests" / "data" / "import" / "brat"


def _valid(imported: Imported) -> None:
    for document in imported.documents:
        assert validate_document(document, house_rules=False, labels=imported.labels) == []


def _mentions(entity: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    return [(m["start"], m["end"], m["text"], m["kind"]) for m in entity["mentions"]]


def _entities(document: dict[str, Any]) -> list[tuple[str, str, str, list[tuple[int, int, str, str]]]]:
    return [(e["id"], e["type"], e["name"], _mentions(e)) for e in document["entities"]]


# news1.txt: line 1 is 41 characters, curly quotes counted as one each (the file has 45
# bytes there), so line 2 starts at 42 and "Mohsin Naqvi" at 42 + 18 = 60.
NEWS1_ENTITIES = [
    # T1 and T9 are one entity (the * line); GPE and LOC tie, the first mention's type wins;
    # "Nominal" on T9 is read in any case.
    ("E1", "GPE", "Pakistan", [(0, 8, "Pakistan", "name"), (125, 136, "his country", "nominal")]),
    ("E2", "GPE", "China", [(13, 18, "China", "name")]),
    # The name from the AnnotatorNotes line on T3, not the longest mention.
    (
        "E3",
        "PERSON",
        "Mohsin Raza Naqvi",
        [(60, 72, "Mohsin Naqvi", "name"), (114, 119, "Naqvi", "name"), (125, 128, "his", "pronoun")],
    ),
    # T4 ("met") is the trigger of E1, an event: not an entity.
    ("E4", "PERSON", "Wang Xiaohong", [(77, 90, "Wang Xiaohong", "name")]),
    # T13 repeats T6's span with type LOC: merged into T6.
    ("E5", "GPE", "Beijing", [(94, 101, "Beijing", "name")]),
    ("E6", "NORP", "Chinese", [(151, 158, "Chinese", "name")]),
    # T11 "Karachi ... ports" (177 184;196 201) kept as its outer span.
    ("E7", "FAC", "Karachi and Gwadar ports", [(177, 201, "Karachi and Gwadar ports", "name")]),
    ("E8", "FAC", "Gwadar ports", [(189, 201, "Gwadar ports", "name")]),
]


def _evidence(start: int, end: int, text: str) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text}


# Evidence: from the start of the earlier argument's span to the end of the later one's.
R1: dict[str, Any] = {
    "id": "R1",
    "type": "met_with",
    "head": "E3",
    "tail": "E4",
    "evidence": [_evidence(60, 90, "Mohsin Naqvi met Wang Xiaohong")],
    "inferred": False,
}
NEWS1_RELATIONS: list[dict[str, Any]] = [
    R1,
    {
        "id": "R2",
        "type": "visited",
        "head": "E3",
        "tail": "E5",
        "evidence": [_evidence(60, 101, "Mohsin Naqvi met Wang Xiaohong in Beijing")],
        "inferred": False,
    },
    {
        "id": "R3",
        "type": "protects",
        "head": "E1",
        "tail": "E6",
        "evidence": [_evidence(125, 158, "his country would protect Chinese")],
        "inferred": False,
    },
    {
        "id": "R4",
        "type": "located_in",
        "head": "E8",
        "tail": "E1",
        "evidence": [
            _evidence(125, 201, "his country would protect Chinese nationals and the Karachi and Gwadar ports")
        ],
        "inferred": False,
    },
]
# R5 met_with(Wang Xiaohong, Naqvi) is R1 the other way round.
R5: dict[str, Any] = {
    "id": "R5",
    "type": "met_with",
    "head": "E4",
    "tail": "E3",
    "evidence": [_evidence(77, 119, "Wang Xiaohong in Beijing on Tuesday. Naqvi")],
    "inferred": False,
}

NEWS1_NOT_CARRIED = [
    "1 discontinuous T spans kept as their outer span: T11 (news1.ann:14)",
    "1 events (E lines) not carried: E1 Meet (news1.ann:5)",
    "3 attributes not carried: A3 Negation on E1 (news1.ann:20), M1 Speculation on E1 (news1.ann:21), A4 Confidence=High on T5 (news1.ann:22)",
    "1 annotator notes not carried: #2 on T5 (news1.ann:28)",
    "1 normalizations (N lines) not carried: N1 Reference T6 Wikidata:Q956 (news1.ann:29)",
    "1 event triggers (T lines of events) not carried: T4 (news1.ann:4)",
    "1 T lines with the span of an earlier one, merged into it: T13 into T6, its type LOC lost to GPE (news1.ann:30)",
    "1 entities whose mentions have different types, typed by the most frequent: E1 GPE (GPE 1, LOC 1; news1.ann:1)",
    "5 relation evidence spans made from the argument spans (BRAT holds no evidence): R1 (news1.ann:8), R2 (news1.ann:9), R3 (news1.ann:23), …",
    "1 relations repeating an earlier one, merged into it: R5 into R1 (news1.ann:25)",
    "1 relations with an argument that is no entity mention, not carried: R6 Origin (E1 is an event; news1.ann:26)",
    "1 relations between two mentions of one entity, not carried: R7 located_in (news1.ann:31)",
]


def test_a_folder_gives_every_pair_as_worked_out_by_hand() -> None:
    imported = import_files([FIXTURES], {"symmetric": "met_with"})
    _valid(imported)
    news1, news2 = imported.documents
    assert news1["id"] == "news1"
    assert news1["text"] == (FIXTURES / "news1.txt").read_text(encoding="utf-8")
    assert news1["title"] == "Pakistan and China sign a “security pact”"
    assert (news1["source"], news1["language"]) == ("brat", "en")
    assert (news1["numeric_facts"], news1["time_expressions"]) == ([], [])
    assert _entities(news1) == NEWS1_ENTITIES
    # met_with is symmetric: R5 is R1 again, and its evidence joins R1's.
    merged = {**R1, "evidence": [*R1["evidence"], *R5["evidence"]]}
    assert news1["relations"] == [merged, *NEWS1_RELATIONS[1:]]
    # news2: the "Equiv" type of BRAT's own examples is coreference as well.
    assert _entities(news2) == [
        (
            "E1",
            "GPE",
            "Beijing",
            [(0, 7, "Beijing", "name"), (43, 50, "Beijing", "name"), (52, 71, "the Chinese capital", "nominal")],
        ),
        ("E2", "NORP", "Chinese", [(56, 63, "Chinese", "name")]),
    ]
    # The entity types of every T line but T4 (an event trigger); every R line's type.
    assert imported.labels == Labels(
        ("FAC", "GPE", "LOC", "NORP", "PERSON"),
        ("Origin", "located_in", "met_with", "protects", "visited"),
        frozenset({"met_with"}),
    )
    assert list(imported.not_carried) == NEWS1_NOT_CARRIED


def test_without_symmetric_types_the_reverse_relation_is_its_own() -> None:
    imported = import_files([FIXTURES / "news1.ann"], {})
    _valid(imported)
    assert imported.documents[0]["relations"] == [*NEWS1_RELATIONS, R5]
    assert imported.labels.symmetric == frozenset()
    assert "1 relations repeating an earlier one, merged into it: R5 into R1 (news1.ann:25)" not in imported.not_carried


def test_a_txt_path_names_its_pair_and_the_registry_finds_the_importer() -> None:
    imported = importer("brat")([FIXTURES / "news2.txt"], {"source": "Xinhua", "language": "en-GB"})
    _valid(imported)
    (document,) = imported.documents
    assert (document["id"], document["source"], document["language"]) == ("news2", "Xinhua", "en-GB")
    assert imported.labels.entity_types == ("GPE", "NORP")
    assert imported.not_carried == ()


def test_a_second_kind_for_a_mention_is_reported_not_applied(tmp_path: Path) -> None:
    (tmp_path / "kinds.txt").write_text("He left.\n", encoding="utf-8")
    (tmp_path / "kinds.ann").write_text(
        "T1\tPERSON 0 2\tHe\nA1\tMentionKind T1 pronoun\nA2\tKind T1 nominal\nA3\tMentionKind T1 proper\n",
        encoding="utf-8",
    )
    imported = import_files([tmp_path], {})
    _valid(imported)
    assert imported.documents[0]["entities"][0]["mentions"][0]["kind"] == "pronoun"
    assert imported.not_carried == (
        "2 attributes not carried: A2 Kind=nominal on T1 (a second kind) (kinds.ann:3), A3 MentionKind=proper on T1 (kinds.ann:4)",
    )


def test_discontinuous_spans_are_refused_on_request() -> None:
    with pytest.raises(UsageError) as error:
        import_files([FIXTURES / "news1.ann"], {"discontinuous": "refuse"})
    assert str(error.value) == (
        "news1.ann:14: T11 is discontinuous (177 184;196 201); a gold mention is one span "
        "(without discontinuous='refuse' it is kept as its outer span)"
    )


def test_cr_lf_texts_count_one_character_a_line_end_as_brat_does(tmp_path: Path) -> None:
    (tmp_path / "crlf.txt").write_bytes("Zürich talks\r\nChina and Pakistan met.\r\n".encode())
    # BRAT reads the text with universal newlines: "China" starts at 12 + 1, not 12 + 2.
    (tmp_path / "crlf.ann").write_bytes(b"T1\tGPE 13 18\tChina\r\nT2\tGPE 23 31\tPakistan\r\n")
    imported = import_files([tmp_path], {})
    _valid(imported)
    (document,) = imported.documents
    assert document["text"] == "Zürich talks\nChina and Pakistan met.\n"
    assert [e["name"] for e in document["entities"]] == ["China", "Pakistan"]
    assert imported.not_carried == (
        "1 texts with CR line ends, read as LF as BRAT reads them (offsets count one character a line end): crlf.txt",
    )


TEXT = "Pakistan and China\n"
MALFORMED = [
    (
        "T1 GPE 0 8\tPakistan\n",
        "bad.ann:1: not a standoff line (an id such as T1, R1, A1, #1 or *, then a tab): 'T1 GPE 0 8\\tPakistan'",
    ),
    ("T1\tGPE 0 8 Pakistan\n", "bad.ann:1: T1 is not 'TYPE START END[;START END...]<TAB>TEXT': 'GPE 0 8 Pakistan'"),
    ("T1\tGPE 13 30\tChina\n", "bad.ann:1: T1 ends at 30, past the end of the text (19 characters)"),
    ("T1\tGPE 8 8\t\n", "bad.ann:1: T1 has a fragment whose start 8 is not before its end 8"),
    ("T1\tGPE 12 17\tChina\n", "bad.ann:1: T1 quotes 'China' but the text at its offsets is ' Chin'"),
    ("T1\tGPE 0 8;5 10\tPakistan n and\n", "bad.ann:1: T1's fragments overlap or are out of order"),
    ("T1\tGPE 0 8\tPakistan\nT1\tGPE 13 18\tChina\n", "bad.ann:2: the id T1 is used twice (first at line 1)"),
    (
        "T1\tGPE 0 8\tPakistan\nR1\tpart_of Arg1:T1 Arg2:T9\n",
        "bad.ann:2: it refers to T9, which no line of this file defines",
    ),
    ("T1\tGPE 0 8\tPakistan\nR1\tpart_of Arg1:T1\n", "bad.ann:2: R1 is not 'TYPE Arg1:ID Arg2:ID': 'part_of Arg1:T1'"),
    ("T1\tGPE 0 8\tPakistan\n*\tCoref T1 T2\n", "bad.ann:2: it refers to T2, which no line of this file defines"),
    (
        "T1\tGPE 0 8\tPakistan\nA1\tMentionKind T4 nominal\n",
        "bad.ann:2: it refers to T4, which no line of this file defines",
    ),
    ("T1\tGPE 0 8\tPakistan\nM1\tNegation\n", "bad.ann:2: M1 is not 'TYPE ID' or 'TYPE ID VALUE': 'Negation'"),
    ("E1\tMeet Agent:T1\n", "bad.ann:1: E1 is not 'TYPE:TRIGGER ROLE:ID...': 'Meet Agent:T1'"),
    ("E1\tMeet:T5\n", "bad.ann:1: the trigger T5 is not a T line of this file"),
    (
        "X1\tGPE 0 8\tPakistan\n",
        "bad.ann:1: X1 is not a BRAT annotation (T, R, E, A, M, N, # or *): 'X1\\tGPE 0 8\\tPakistan'",
    ),
]


@pytest.mark.parametrize(("ann", "message"), MALFORMED)
def test_malformed_ann_lines_are_refused_in_one_line(tmp_path: Path, ann: str, message: str) -> None:
    (tmp_path / "bad.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "bad.ann").write_text(ann, encoding="utf-8")
    with pytest.raises(UsageError) as error:
        import_files([tmp_path / "bad.ann"], {})
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("files", "options", "message"),
    [
        ({"a.ann": ""}, {}, "{dir}/a.txt: no such file (BRAT keeps each document as a .txt and a .ann)"),
        ({"a.txt": "", "a.ann": ""}, {}, "{dir}/a.txt: the text is empty; a gold document needs a text"),
        ({"a.txt": b"caf\xe9\n", "a.ann": ""}, {}, "{dir}/a.txt: not UTF-8 text (invalid continuation byte at byte 3)"),
        (
            {"a.txt": "x\n", "a.ann": ""},
            {"discontinuous": "join"},
            "brat: discontinuous must be outer or refuse, not 'join'",
        ),
        (
            {"a.txt": TEXT, "a.ann": "T1\tGPE 0 8\tPakistan\nT2\tGPE 13 18\tChina\nR1\tnear Arg1:T1 Arg2:T2\n"},
            {"symmetric": "near,met_with"},
            "brat: symmetric names met_with, which no R line uses (the relation types are near)",
        ),
        ({"notes.md": "x"}, {}, "{dir}: no .ann files in this folder"),
    ],
)
def test_unusable_inputs_are_refused_in_one_line(
    tmp_path: Path, files: dict[str, str | bytes], options: dict[str, str], message: str
) -> None:
    for name, content in files.items():
        if isinstance(content, bytes):
            (tmp_path / name).write_bytes(content)
        else:
            (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as error:
        import_files([tmp_path], options)
    assert str(error.value) == message.format(dir=tmp_path)


def test_the_gold_through_the_brat_export_and_back(tmp_path: Path) -> None:
    """BRAT holds the entities (types, mentions, kinds, names by note) and the relations' type,
    head and tail. Not held, so not compared: relation evidence (made from the argument
    spans), inferred, qualifiers, alternatives and optional; mention and type alternatives;
    Wikidata links; the numeric facts (the export writes them as MONEY, CARDINAL... T lines
    with Value and Unit attributes, which come back as entities of those types, their
    attributes counted as not carried, and their subject relations as relations named
    subject); time expressions; title, source and language."""
    (gold,) = bundled_gold()
    (tmp_path / f"{gold.id}.txt").write_text(gold.text, encoding="utf-8")
    (tmp_path / f"{gold.id}.ann").write_text(export(gold), encoding="utf-8")
    imported = import_files([tmp_path], {"symmetric": "met_with,cooperates_with"})
    _valid(imported)
    (document,) = imported.documents
    assert document["text"] == gold.text
    numeric = [e for e in document["entities"] if e["type"] in NUMERIC_LABELS]
    assert sorted((m["start"], m["end"]) for e in numeric for m in e["mentions"]) == sorted(
        (f.mention.start, f.mention.end) for f in gold.numeric_facts
    )
    entities = [e for e in document["entities"] if e["type"] not in NUMERIC_LABELS]
    # Imported ids count the numeric facts' entities too; map them to the gold's by position.
    gold_id = {e["id"]: g.id for e, g in zip(entities, gold.entities, strict=True)}
    assert [(gold_id[e["id"]], e["type"], e["name"], _mentions(e)) for e in entities] == [
        (g.id, g.type, g.name, [(m.start, m.end, m.text, m.kind) for m in g.mentions]) for g in gold.entities
    ]
    relations = [r for r in document["relations"] if r["type"] != "subject"]
    assert [(r["id"], r["type"], gold_id[r["head"]], gold_id[r["tail"]]) for r in relations] == [
        (r.id, r.type, r.head, r.tail) for r in gold.relations
    ]
    assert set(imported.labels.relation_types) == {r.type for r in gold.relations} | {"subject"}


def test_an_m_line_with_a_value_is_an_attribute(tmp_path: Path) -> None:
    # BRAT's own parser reads M lines (its older name for attributes) with a value too.
    (tmp_path / "m.txt").write_text("He left.\n", encoding="utf-8")
    (tmp_path / "m.ann").write_text(
        "T1\tPERSON 0 2\tHe\nM1\tConfidence T1 High\nM2\tKind T1 pronoun\n", encoding="utf-8"
    )
    imported = import_files([tmp_path], {})
    _valid(imported)
    assert imported.documents[0]["entities"][0]["mentions"][0]["kind"] == "pronoun"
    assert imported.not_carried == ("1 attributes not carried: M1 Confidence=High on T1 (m.ann:2)",)


def test_export_names_files_so_that_every_id_comes_back(tmp_path: Path) -> None:
    from factgold.cli import main

    # A CoNLL-2012 part id holds "/", and an id may hold "../": the files stay in the folder.
    documents = []
    for doc_id in ("nw/test/00/doc_0001_0", "../escaped", "100% sure"):
        documents.append(
            {
                "id": doc_id, "title": "He left.", "text": "He left.", "source": "x", "language": "en",
                "entities": [{"id": "E1", "type": "PERSON", "name": "He",
                              "mentions": [{"start": 0, "end": 2, "text": "He", "kind": "pronoun"}]}],
                "relations": [], "numeric_facts": [], "time_expressions": [],
            }
        )  # fmt: skip
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
    (tmp_path / "gold.labels.json").write_text(json.dumps({"entity_types": ["PERSON"]}), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["export", "--to", "brat", "--gold", str(gold), "--output", str(out)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["gold.jsonl", "gold.labels.json", "out"]
    assert sorted(path.stem for path in out.glob("*.ann")) == [
        "..%2Fescaped",
        "100%25 sure",
        "nw%2Ftest%2F00%2Fdoc_0001_0",
    ]
    again = import_files([out], {})
    assert sorted(d["id"] for d in again.documents) == sorted(d["id"] for d in documents)


def test_a_byte_order_mark_is_named(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "bom.ann").write_text("\ufeffT1\tGPE 0 8\tPakistan\n", encoding="utf-8")
    with pytest.raises(UsageError) as error:
        import_files([tmp_path], {})
    assert (
        str(error.value) == f"{tmp_path / 'bom.ann'}: starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM"
    )
