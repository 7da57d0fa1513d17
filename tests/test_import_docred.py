"""The DocRED / Re-DocRED importer and exporter (`factgold.read.importers.docred`).

The fixtures in tests/data/import/docred are small files in the exact shape of DocRED's
data (``title``, ``sents``, ``vertexSet``, ``labels``) and its ``rel_info.json``:
clean.json holds only what a gold document carries, messy.json one of each thing that
cannot be carried (with Re-DocRED's extra mention fields), test_split.json a document
without labels, as in DocRED's test split.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factgold.errors import UsageError
from factgold.read.document import Document
from factgold.read.importers import Imported, importer
from factgold.read.importers.docred import entity_id, export_documents, import_files, read_relation_names
from factgold.read.labels import Labels
from factgold.read.validate import validate_document

DATA = Path(__file__).parent / "data" / "import" / "docred"
CLEAN, MESSY, TEST_SPLIT, REL_INFO = (DATA / f"{name}.json" for name in ("clean", "messy", "test_split", "rel_info"))
NAMED = {"relations": str(REL_INFO)}


def _checked(imported: Imported) -> Imported:
    """Every document meets the gold contract under the imported labels."""
    for doc in imported.documents:
        assert validate_document(doc, house_rules=False, labels=imported.labels) == [], doc["id"]
    return imported


def _line(imported: Imported, start: str) -> str:
    found = [line for line in imported.not_carried if line.split(" ", 1)[1].startswith(start)]
    assert len(found) == 1, (start, imported.not_carried)
    return found[0]


def _relations(doc: dict[str, Any]) -> list[tuple[str, str, str, list[str]]]:
    return [(r["type"], r["head"], r["tail"], [span["text"] for span in r["evidence"]]) for r in doc["relations"]]


def _reimport(tmp_path: Path, documents: list[dict[str, Any]], options: dict[str, Any]) -> Imported:
    path = tmp_path / "exported.json"
    path.write_text(json.dumps(documents, ensure_ascii=False), encoding="utf-8")
    return _checked(import_files([path], options))


def test_clean_file_text_entities_and_relations() -> None:
    imported = _checked(import_files([CLEAN], NAMED))
    lake, curie = imported.documents
    assert (lake["id"], curie["id"]) == ("docred-0", "docred-1")
    assert lake["title"] == "Lake Ohrid"
    assert lake["text"] == (
        "Lake Ohrid is a lake on the border between North Macedonia and Albania .\n"
        "The town of Ohrid lies on its north - eastern shore .\n"
        "Ohrid was the seat of the Archbishopric of Ohrid ."
    )
    assert (lake["source"], lake["language"], lake["numeric_facts"], lake["time_expressions"]) == (
        "Wikipedia",
        "en",
        [],
        [],
    )
    town = lake["entities"][3]
    assert town == {
        "id": "E4",
        "type": "LOC",
        "name": "Ohrid",
        "mentions": [
            {"start": 85, "end": 90, "text": "Ohrid", "kind": "name"},
            {"start": 127, "end": 132, "text": "Ohrid", "kind": "name"},
        ],
    }
    first, second, third = lake["text"].split("\n")
    assert _relations(lake) == [
        ("country", "E1", "E2", [first]),
        ("country", "E1", "E3", [first]),
        ("country", "E4", "E2", [first, second]),
        ("headquarters location", "E5", "E4", [third]),
        # No evidence sentence: the first mention of the head and of the tail, in text order.
        ("located in the administrative territorial entity", "E4", "E2", ["North Macedonia", "Ohrid"]),
    ]
    assert [r["id"] for r in lake["relations"]] == ["R1", "R2", "R3", "R4", "R5"]
    assert all(r["inferred"] is False for r in lake["relations"])
    assert imported.labels == Labels(
        ("LOC", "ORG", "PER", "TIME"),
        (
            "country",
            "spouse",
            "country of citizenship",
            "employer",
            "located in the administrative territorial entity",
            "headquarters location",
            "date of birth",
            "sibling",
        ),
    )
    assert imported.not_carried == (
        "1 relations without an evidence sentence, given their head's and tail's first mentions as evidence: "
        "clean.json $[0].labels[4]",
    )


def test_offsets_count_code_points() -> None:
    curie = import_files([CLEAN], NAMED).documents[1]
    sister = curie["entities"][5]
    mention = sister["mentions"][0]
    assert curie["text"][mention["start"] : mention["end"]] == "Bronisława Dłuska" == sister["name"]
    assert entity_id(5) == sister["id"] == "E6"


def test_directed_facts_stay_two_relations_without_the_symmetric_option() -> None:
    curie = import_files([CLEAN], NAMED).documents[1]
    assert [(r["type"], r["head"], r["tail"]) for r in curie["relations"]] == [
        ("date of birth", "E1", "E2"),
        ("spouse", "E1", "E4"),
        ("spouse", "E4", "E1"),
        ("sibling", "E1", "E6"),
        ("sibling", "E6", "E1"),
        ("country of citizenship", "E1", "E3"),
    ]


def test_symmetric_types_fold_both_directions_into_one() -> None:
    # Names or property ids; property ids become names through rel_info.json.
    imported = _checked(import_files([CLEAN], {**NAMED, "symmetric": "spouse, P3373"}))
    curie = imported.documents[1]
    assert [(r["id"], r["type"], r["head"], r["tail"]) for r in curie["relations"]] == [
        ("R1", "date of birth", "E1", "E2"),
        ("R2", "spouse", "E1", "E4"),
        ("R3", "sibling", "E1", "E6"),
        ("R4", "country of citizenship", "E1", "E3"),
    ]
    assert imported.labels.symmetric == frozenset({"spouse", "sibling"})
    assert _line(imported, "symmetric facts") == (
        "2 symmetric facts given in both directions stored once, evidence united: "
        "clean.json $[1].labels[2] (R2), clean.json $[1].labels[4] (R3)"
    )


def test_without_relation_names_the_property_ids_stay_and_a_note_says_so() -> None:
    imported = _checked(import_files([CLEAN], {}))
    assert imported.labels.relation_types == ("P17", "P26", "P27", "P131", "P159", "P569", "P3373")
    assert [r["type"] for r in imported.documents[0]["relations"]] == ["P17", "P17", "P17", "P159", "P131"]
    assert _line(imported, "relation types kept") == (
        "7 relation types kept as property ids, without names (no rel_info.json given): P17, P26, P27, …"
    )


def test_what_cannot_be_carried_is_counted_with_examples() -> None:
    imported = _checked(import_files([MESSY], {**NAMED, "symmetric": "sibling"}))
    (doc,) = imported.documents
    assert doc["text"] == (
        "Acme Corp grew 15 % in Springfield .\nAcme hired Jane Doe and John Doe .\nJane Doe and John Doe are siblings ."
    )
    entities = {e["id"]: e for e in doc["entities"]}
    assert sorted(entities) == ["E1", "E2", "E3", "E4", "E5"]  # E6 repeats a mention of E5 only
    assert [m["text"] for m in entities["E1"]["mentions"]] == ["Acme Corp", "Acme"]  # text order
    assert entities["E1"]["name"] == "Acme Corp"
    assert entities["E2"]["mentions"][0]["text"] == "15 %"
    assert len(entities["E3"]["mentions"]) == 1
    assert entities["E4"]["type"] == "PER"
    third = doc["text"].split("\n")[2]
    assert _relations(doc) == [
        ("headquarters location", "E1", "E3", ["Acme Corp grew 15 % in Springfield ."]),
        ("employer", "E4", "E1", ["Acme hired Jane Doe and John Doe ."]),
        ("sibling", "E4", "E5", [third]),
        ("P999", "E1", "E3", ["Acme Corp grew 15 % in Springfield ."]),
    ]
    assert imported.labels.relation_types[-1] == "P999"
    assert imported.not_carried == (
        "1 document fields 'doc_id' not carried: messy.json $[0]",
        "2 mention fields 'global_pos' not carried: messy.json $[0].vertexSet[0][0], messy.json $[0].vertexSet[0][1]",
        "2 mention fields 'index' not carried: messy.json $[0].vertexSet[0][0], messy.json $[0].vertexSet[0][1]",
        "1 mention names that differ from their tokens not carried (the text keeps the tokens): "
        "messy.json $[0].vertexSet[1][0] ('15%')",
        "2 mentions given twice not carried again (kept at their first place): "
        "messy.json $[0].vertexSet[2][1] ('Springfield', also in E3), messy.json $[0].vertexSet[5][0] ('John Doe', also in E5)",
        "1 entities whose mentions disagree on the type, typed as their first mention: messy.json $[0].vertexSet[3] (PER/MISC)",
        "1 entities without a mention left not carried: messy.json $[0].vertexSet[5]",
        "1 facts given twice stored once, evidence united: messy.json $[0].labels[2] (R2)",
        "1 symmetric facts given in both directions stored once, evidence united: messy.json $[0].labels[4] (R3)",
        "1 relations of an entity not carried, not carried either: messy.json $[0].labels[5]",
        "1 relations of an entity to itself not carried: messy.json $[0].labels[6]",
        "1 relation fact fields 'in_train' not carried: messy.json $[0].labels[7]",
        "1 relation types missing from rel_info.json kept as property ids: messy.json $[0].labels[7] (P999)",
    )


def test_a_document_without_labels_has_no_relations() -> None:
    imported = _checked(import_files([TEST_SPLIT], NAMED))
    (doc,) = imported.documents
    assert doc["relations"] == []
    assert [e["name"] for e in doc["entities"]] == ["Ohrid", "North Macedonia"]
    assert imported.not_carried == (
        "1 documents without labels (a test split) imported without relations: test_split.json $[0] (docred-0)",
    )


def test_a_folder_reads_its_files_in_name_order_without_rel_info() -> None:
    imported = _checked(importer("docred")([DATA], {**NAMED, "id_prefix": "dev"}))
    assert [(d["id"], d["title"]) for d in imported.documents] == [
        ("dev-0", "Lake Ohrid"),
        ("dev-1", "Marie Curie"),
        ("dev-2", "Acme Corp"),
        ("dev-3", "Ohrid"),
    ]


def test_mentions_that_disagree_take_the_first_mentions_type(tmp_path: Path) -> None:
    path = tmp_path / "types.json"
    vertex = [
        {"name": "Elvis", "sent_id": 0, "pos": [2, 3], "type": "MISC"},
        {"name": "Elvis Presley", "sent_id": 0, "pos": [0, 2], "type": "PER"},
    ]
    path.write_text(json.dumps([{"title": "t", "sents": [["Elvis", "Presley", "Elvis"]], "vertexSet": [vertex]}]))
    imported = _checked(import_files([path], {}))
    entity = imported.documents[0]["entities"][0]
    assert (entity["type"], entity["name"]) == ("MISC", "Elvis Presley")
    assert imported.labels.entity_types == ("MISC",)


# Round trips: export then import gives back the gold documents, on what DocRED holds.


@pytest.mark.parametrize("symmetric", [None, "spouse,sibling"])
def test_import_of_export_gives_back_the_documents(tmp_path: Path, symmetric: str | None) -> None:
    options = {**NAMED, **({"symmetric": symmetric} if symmetric else {})}
    original = _checked(import_files([CLEAN, TEST_SPLIT], options))
    ids = {name: key for key, name in read_relation_names(REL_INFO).items()}
    exported = export_documents([Document.from_json(d) for d in original.documents], original.labels, ids)
    again = _reimport(tmp_path, exported, options)
    assert again.documents == original.documents
    assert again.labels.entity_types == original.labels.entity_types
    # The export is DocRED's own file again: same sentences, vertices and facts.
    source = json.loads(CLEAN.read_text(encoding="utf-8")) + json.loads(TEST_SPLIT.read_text(encoding="utf-8"))
    source[-1]["labels"] = []
    assert exported == source


def test_import_of_export_without_relation_names(tmp_path: Path) -> None:
    original = _checked(import_files([CLEAN], {}))
    exported = export_documents([Document.from_json(d) for d in original.documents], original.labels)
    assert exported == json.loads(CLEAN.read_text(encoding="utf-8"))
    assert _reimport(tmp_path, exported, {}).documents == original.documents


NEWS: dict[str, Any] = {
    "id": "news-1",
    "title": "Leaders meet",
    "text": "Leaders meet\nXi's visit to Paris, France ended.\n\nMacron thanked Xi.\n",
    "source": "Agency",
    "language": "en",
    "entities": [
        {
            "id": "E1",
            "type": "PERSON",
            "name": "Xi",
            "mentions": [
                {"start": 13, "end": 15, "text": "Xi", "kind": "name"},
                {"start": 64, "end": 66, "text": "Xi", "kind": "name"},
            ],
        },
        {
            "id": "E2",
            "type": "GPE",
            "name": "Paris",
            "mentions": [{"start": 27, "end": 32, "text": "Paris", "kind": "name"}],
        },
        {
            "id": "E3",
            "type": "GPE",
            "name": "France",
            "mentions": [{"start": 34, "end": 40, "text": "France", "kind": "name"}],
        },
        {
            "id": "E4",
            "type": "PERSON",
            "name": "Macron",
            "mentions": [{"start": 49, "end": 55, "text": "Macron", "kind": "name"}],
        },
    ],
    "relations": [
        {
            "id": "R1",
            "type": "visited",
            "head": "E1",
            "tail": "E2",
            "evidence": [{"start": 13, "end": 32, "text": "Xi's visit to Paris"}],
            "inferred": False,
        },
        {
            "id": "R2",
            "type": "met_with",
            "head": "E1",
            "tail": "E4",
            "evidence": [{"start": 13, "end": 67, "text": "Xi's visit to Paris, France ended.\n\nMacron thanked Xi."}],
            "inferred": True,
        },
    ],
    "numeric_facts": [],
    "time_expressions": [],
}


def test_export_of_a_news_text_cuts_tokens_at_mentions_and_widens_evidence() -> None:
    labels = Labels(("PERSON", "GPE"), ("visited", "met_with"), frozenset({"met_with"}))
    assert validate_document(NEWS, house_rules=False, labels=labels) == []
    (exported,) = export_documents([Document.from_json(NEWS)], labels)
    assert exported["sents"] == [
        ["Leaders", "meet"],
        ["Xi", "'s", "visit", "to", "Paris", ",", "France", "ended."],
        [],
        ["Macron", "thanked", "Xi", "."],
        [],
    ]
    assert exported["vertexSet"] == [
        [
            {"name": "Xi", "sent_id": 1, "pos": [0, 1], "type": "PERSON"},
            {"name": "Xi", "sent_id": 3, "pos": [2, 3], "type": "PERSON"},
        ],
        [{"name": "Paris", "sent_id": 1, "pos": [4, 5], "type": "GPE"}],
        [{"name": "France", "sent_id": 1, "pos": [6, 7], "type": "GPE"}],
        [{"name": "Macron", "sent_id": 3, "pos": [0, 1], "type": "PERSON"}],
    ]
    # Evidence widened to the sentences it touches; met_with symmetric: both directions.
    assert exported["labels"] == [
        {"h": 0, "t": 1, "r": "visited", "evidence": [1]},
        {"h": 0, "t": 3, "r": "met_with", "evidence": [1, 3]},
        {"h": 3, "t": 0, "r": "met_with", "evidence": [1, 3]},
    ]


def test_export_refuses_a_mention_across_lines() -> None:
    doc = json.loads(json.dumps(NEWS))
    doc["entities"][1]["mentions"][0] = {"start": 27, "end": 50, "text": doc["text"][27:50], "kind": "name"}
    with pytest.raises(UsageError, match=r"^document news-1: entity E2: the mention .* cannot be DocRED tokens"):
        export_documents([Document.from_json(doc)], Labels(("PERSON", "GPE"), ("visited", "met_with")))


# Malformed input: one line naming the file and the place.


def _doc(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "title": "T",
        "sents": [["Ann", "met", "Bob", "."], ["Bob", "left", "."]],
        "vertexSet": [
            [{"name": "Ann", "sent_id": 0, "pos": [0, 1], "type": "PER"}],
            [{"name": "Bob", "sent_id": 0, "pos": [2, 3], "type": "PER"}],
        ],
        "labels": [{"h": 0, "t": 1, "r": "P1", "evidence": [0]}],
    }
    doc.update(changes)
    return doc


def _mention(**changes: Any) -> list[list[dict[str, Any]]]:
    return [
        [{"name": "Ann", "sent_id": 0, "pos": [0, 1], "type": "PER", **changes}],
        [{"name": "Bob", "sent_id": 0, "pos": [2, 3], "type": "PER"}],
    ]


def _label(**changes: Any) -> list[dict[str, Any]]:
    return [{"h": 0, "t": 1, "r": "P1", "evidence": [0], **changes}]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"title": ', r"in\.json: not JSON \(Expecting value: line 1 column 12"),
        ({"title": "T"}, r"in\.json: expected a JSON list of DocRED documents, not a dict$"),
        (["T"], r"in\.json: \$\[0\]: expected a DocRED document object, not a str$"),
        ([_doc(title="")], r"in\.json: \$\[0\]\.title: expected the document's title"),
        ([_doc(sents="Ann met Bob")], r"in\.json: \$\[0\]\.sents: expected a list of sentences"),
        ([_doc(sents=[["Ann", 3]])], r"in\.json: \$\[0\]\.sents\[0\]\[1\]: expected a token string, not 3$"),
        ([_doc(sents=[[]])], r"in\.json: \$\[0\]\.sents: the document has no text$"),
        ([_doc(vertexSet=[[]])], r"in\.json: \$\[0\]\.vertexSet\[0\]: expected an entity: a non-empty list"),
        (
            [_doc(vertexSet=_mention(sent_id=2))],
            r"in\.json: \$\[0\]\.vertexSet\[0\]\[0\]\.sent_id: expected a sentence number from 0 to 1, not 2$",
        ),
        (
            [_doc(vertexSet=_mention(pos=[3, 5]))],
            r"in\.json: \$\[0\]\.vertexSet\[0\]\[0\]\.pos: expected \[start, end\) token positions within sentence 0 \(4 tokens\), not \[3, 5\]$",
        ),
        ([_doc(vertexSet=_mention(pos=[1, 1]))], r"\.vertexSet\[0\]\[0\]\.pos: expected \[start, end\)"),
        ([_doc(vertexSet=_mention(type=""))], r"\.vertexSet\[0\]\[0\]\.type: expected an entity type name"),
        ([_doc(vertexSet=_mention(name=None))], r"\.vertexSet\[0\]\[0\]\.name: expected the mention's name"),
        (
            [_doc(vertexSet=[[{"name": "Ann", "pos": [0, 1], "type": "PER"}]])],
            r"\.vertexSet\[0\]\[0\]: the mention has no 'sent_id'$",
        ),
        ([_doc(labels={"h": 0})], r"in\.json: \$\[0\]\.labels: expected a list of relation facts"),
        (
            [_doc(labels=_label(h=2))],
            r"in\.json: \$\[0\]\.labels\[0\]\.h: expected an entity position from 0 to 1, not 2$",
        ),
        ([_doc(labels=_label(t=True))], r"\.labels\[0\]\.t: expected an entity position from 0 to 1, not True$"),
        ([_doc(labels=_label(r=17))], r"\.labels\[0\]\.r: expected a relation id, not 17$"),
        (
            [_doc(labels=_label(evidence=[5]))],
            r"\.labels\[0\]\.evidence\[0\]: expected a sentence number from 0 to 1, not 5$",
        ),
        ([_doc(labels=[{"h": 0, "r": "P1"}])], r"\.labels\[0\]: the relation fact has no 't'$"),
    ],
)
def test_malformed_input_names_the_file_and_the_place(tmp_path: Path, content: Any, message: str) -> None:
    path = tmp_path / "in.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    with pytest.raises(UsageError, match=message) as caught:
        import_files([path], {})
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(str(path))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([["P17", "country"]], r"rel_info\.json: expected a JSON object of property ids and names"),
        ({"P17": ""}, r"rel_info\.json: \$\.P17: expected a non-empty relation name, not ''$"),
        (
            {"P17": "country", "P495": "country"},
            r"rel_info\.json: \$\.P495: the name 'country' is also the name of P17$",
        ),
    ],
)
def test_a_bad_relation_file_is_refused(tmp_path: Path, table: Any, message: str) -> None:
    path = tmp_path / "rel_info.json"
    path.write_text(json.dumps(table), encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        import_files([CLEAN], {"relations": str(path)})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"symmetric": "twin"}, r"^symmetric: 'twin' is not a relation type of the data$"),
        (
            {**NAMED, "symmetric": "spouse,P40"},
            r"^symmetric: 'P40' is not a relation type of the data or of rel_info\.json$",
        ),
        ({"symmetric": 3}, r"^symmetric must name relation types"),
        ({"id_prefix": ""}, r"^id_prefix must be a non-empty string"),
        ({"relations": 3}, r"^relations must be the path of a rel_info\.json file, not 3$"),
        ({"relations": "missing/rel_info.json"}, r"^missing/rel_info\.json: cannot read the relation names"),
    ],
)
def test_bad_options_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        import_files([CLEAN], options)


def test_missing_inputs_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"nothing\.json: no such file or folder$"):
        import_files([tmp_path / "nothing.json"], {})
    with pytest.raises(UsageError, match=r": no DocRED \.json file in this folder$"):
        import_files([tmp_path], {})
    with pytest.raises(UsageError, match=r"^no DocRED file given$"):
        import_files([], {})
