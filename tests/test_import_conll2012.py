"""The CoNLL-2012 importer: a *_conll file in the distributed layout to gold, worked out by hand;
what it cannot carry, counted; malformed files refused in one line; and gold through the
exporter and back."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from factgold.errors import UsageError
from factgold.read.document import Document
from factgold.read.importers import Imported, importer
from factgold.read.importers.conll2012 import export_documents, import_files
from factgold.read.labels import Labels
from factgold.read.validate import validate_document
from factgold.run.evaluation import bundled_gold

FIXTURES = REPO / "tests" / "data" / "import" / "conll2012"
FIXTURE = FIXTURES / "phoenix_0042.v4_gold_conll"
DOC = "bc/phoenix/00/phoenix_0042"

Mention = tuple[int, int, str, str]


def _valid(imported: Imported) -> None:
    for document in imported.documents:
        assert validate_document(document, house_rules=False, labels=imported.labels) == []


def _entities(document: dict[str, Any]) -> list[tuple[str, str, str, list[Mention]]]:
    return [
        (e["id"], e["type"], e["name"], [(m["start"], m["end"], m["text"], m["kind"]) for m in e["mentions"]])
        for e in document["entities"]
    ]


SENTENCES = [
    "Interior Minister Mohsin Naqvi met his Chinese counterpart Wang Xiaohong in Beijing .",
    "Naqvi told Wang that Pakistan would protect the workers of the Economic Corridor in the city .",
    "They welcomed the plan on Tuesday .",
]
# Offsets in the rebuilt text: sentence 1 is 85 characters, so sentence 2 starts at 86 and
# sentence 3 at 86 + 94 + 1 = 181.
PART_0 = [
    # Chain 1: the full noun phrase (its NE is only "Mohsin Naqvi"), "his" (PRP$) and "Naqvi"
    # (an NE, so a name, and the chain's type).
    (
        "E1",
        "PERSON",
        "Naqvi",
        [(0, 30, "Interior Minister Mohsin Naqvi", "nominal"), (35, 38, "his", "pronoun"), (86, 91, "Naqvi", "name")],
    ),
    # NEs in no chain are entities of their own.
    ("E2", "PERSON", "Mohsin Naqvi", [(18, 30, "Mohsin Naqvi", "name")]),
    # Chain 2 opens on "his" in the cell "(2|(1)", where chain 1's one-token mention sits too.
    (
        "E3",
        "PERSON",
        "Wang",
        [(35, 72, "his Chinese counterpart Wang Xiaohong", "nominal"), (97, 101, "Wang", "name")],
    ),
    ("E4", "NORP", "Chinese", [(39, 46, "Chinese", "name")]),
    ("E5", "PERSON", "Wang Xiaohong", [(59, 72, "Wang Xiaohong", "name")]),
    ("E6", "GPE", "Beijing", [(76, 83, "Beijing", "name"), (170, 178, "the city", "nominal")]),
    ("E7", "GPE", "Pakistan", [(107, 115, "Pakistan", "name")]),
    # Chain 4 has no NE among its mentions; it closes with chain 5 in the cell "5)|4)".
    (
        "E8",
        "UNTYPED",
        "the workers of the Economic Corridor",
        [(130, 166, "the workers of the Economic Corridor", "nominal"), (181, 185, "They", "pronoun")],
    ),
    ("E9", "FAC", "the Economic Corridor", [(145, 166, "the Economic Corridor", "name")]),
    ("E10", "DATE", "Tuesday", [(207, 214, "Tuesday", "name")]),
]
PART_1 = [
    # "(7|(8)": chain 8's one-token mention and chain 7's open on one token.
    ("E1", "GPE", "Pakistan", [(0, 8, "Pakistan", "name")]),
    (
        "E2",
        "UNTYPED",
        "Pakistan 's interior ministry",
        [(0, 29, "Pakistan 's interior ministry", "nominal"), (35, 37, "it", "pronoun")],
    ),
]
NOT_CARRIED = [
    f"2 texts rebuilt from the tokens, joined by single spaces, one sentence a line (the format keeps no spacing): {DOC}_0, {DOC}_1",
    f"4 sentence parse trees not carried: {DOC}_0, {DOC}_1",
    # One argument column per predicate: 1 + 2 + 1 in part 0, 2 in part 1.
    f"6 predicate-argument structures not carried: meet.01, tell.01, protect.01, … ({DOC}_0), say.01, set.03 ({DOC}_1)",
    f"12 word senses not carried: {DOC}_0, {DOC}_1",
    f"50 part-of-speech tags not carried (used only to tell pronouns): {DOC}_0, {DOC}_1",
    f"2 speakers not carried: Speaker#1 ({DOC}_0), Speaker#2 ({DOC}_1)",
    "2 coreference chains without a named mention, typed UNTYPED: chain 4 'the workers of the Economic Corridor' (phoenix_0042.v4_gold_conll:23), chain 7 \"Pakistan 's interior ministry\" (phoenix_0042.v4_gold_conll:44)",
    f"1 names of value types kept as entity mentions, not numeric facts or time expressions: DATE 'Tuesday' ({DOC}_0)",
]


def test_each_part_is_a_document_as_worked_out_by_hand() -> None:
    imported = import_files([FIXTURES], {})
    _valid(imported)
    part_0, part_1 = imported.documents
    assert (part_0["id"], part_1["id"]) == (f"{DOC}_0", f"{DOC}_1")
    assert part_0["text"] == "\n".join(SENTENCES) + "\n"
    assert part_0["title"] == SENTENCES[0]
    assert part_1["text"] == "Pakistan 's interior ministry said it will set up a special unit .\n"
    assert (part_0["source"], part_0["language"]) == ("conll2012", "en")
    assert (part_0["relations"], part_0["numeric_facts"], part_0["time_expressions"]) == ([], [], [])
    assert _entities(part_0) == PART_0
    assert _entities(part_1) == PART_1
    assert imported.labels == Labels(("DATE", "FAC", "GPE", "NORP", "PERSON", "UNTYPED"), ())
    assert list(imported.not_carried) == NOT_CARRIED


def test_options_name_the_untyped_type_source_and_language() -> None:
    imported = importer("conll2012")([FIXTURE], {"untyped_type": "MISC", "source": "OntoNotes 5", "language": "zh"})
    _valid(imported)
    assert [e["type"] for e in imported.documents[1]["entities"]] == ["GPE", "MISC"]
    assert "UNTYPED" not in imported.labels.entity_types
    assert "MISC" in imported.labels.entity_types
    assert (imported.documents[0]["source"], imported.documents[0]["language"]) == ("OntoNotes 5", "zh")


def _row(number: int, word: str, pos: str, named: str, chain: str) -> str:
    # The twelve columns of a sentence without predicates, tab-separated as the scorer's files.
    return "\t".join(["d", "0", str(number), word, pos, "-", "-", "-", "-", "-", named, chain])


def _conll(*rows: tuple[str, str, str, str], name: str = "d") -> str:
    lines = [f"#begin document ({name}); part 000"]
    lines += [_row(n, *row) if row[0] else "" for n, row in enumerate(rows)]
    return "\n".join([*lines, "", "#end document", ""])


def test_same_chain_nesting_duplicate_spans_and_mixed_types(tmp_path: Path) -> None:
    path = tmp_path / "mixed_conll"
    path.write_text(
        _conll(
            ("Chinese", "NNP", "(NORP)", "(1)|(1|(1"),
            ("Pakistan", "NNP", "(GPE*", "(2"),
            ("Corridor", "NNP", "*)", "1)|2)|1)"),
            ("China", "NNP", "(GPE)", "(1)"),
            ("it", "PRP", "*", "(3)|(1)"),
        ),
        encoding="utf-8",
    )
    imported = import_files([path], {})
    _valid(imported)
    (document,) = imported.documents
    assert document["text"] == "Chinese Pakistan Corridor China it\n"
    # Chain 1 opens twice on "Chinese" and closes twice on "Corridor" (chain 2's close
    # between them is its own): both are [0, 25), so the second is left out. "it" is in
    # chain 3 first (one-token mentions are read in cell order) and in chain 1 again: it
    # stays in chain 3. Chain 1 has a NORP and a GPE name: the first mention's type wins.
    assert _entities(document) == [
        (
            "E1",
            "NORP",
            "Chinese",
            [(0, 7, "Chinese", "name"), (0, 25, "Chinese Pakistan Corridor", "nominal"), (26, 31, "China", "name")],
        ),
        ("E2", "GPE", "Pakistan Corridor", [(8, 25, "Pakistan Corridor", "name")]),
        ("E3", "UNTYPED", "it", [(32, 34, "it", "pronoun")]),
    ]
    assert imported.not_carried[-3:] == (
        "2 coreference mentions with the span of an earlier one, left out: mixed_conll:4 again in its chain, mixed_conll:6 in chain 1, kept in chain 3",
        "1 coreference chains whose names have different types, typed by the most frequent: chain 1 NORP (NORP 1, GPE 1; d_0)",
        "1 coreference chains without a named mention, typed UNTYPED: chain 3 'it' (mixed_conll:6)",
    )


B = "#begin document (d); part 000"
OK = _row(0, "Pakistan", "NNP", "(GPE)", "(1)")
MALFORMED = [
    (
        OK + "\n",
        "bad_conll:1: a token line outside '#begin document' ... '#end document': 'd\\t0\\t0\\tPakistan\\tNNP\\t-\\t-\\t-\\t-\\t-\\t(GPE)\\t(1)'",
    ),
    ("#begin document (d);\n", "bad_conll:1: not '#begin document (NAME); part NNN': '#begin document (d);'"),
    (f"{B}\n{OK}\n", "bad_conll:1: document d_0 has no '#end document'"),
    (f"{B}\n{B}\n", "bad_conll:2: a document begins before d_0 (line 1) ends"),
    ("#end document\n", "bad_conll:1: '#end document' without a '#begin document' before it"),
    (f"{B}\n\n#end document\n", "bad_conll:3: document d_0 has no tokens"),
    ("", "{dir}/bad_conll: no '#begin document' in this file"),
    (
        f"{B}\nd\t0\t0\tPakistan\t(1)\n#end document\n",
        "bad_conll:2: 5 columns; a *_conll token line has at least 12 (document, part, word number, word, POS, parse bit, predicate lemma, frameset, word sense, speaker, named entity, predicate arguments..., coreference)",
    ),
    (f"{B}\n{OK}\n{OK}\t*\n#end document\n", "bad_conll:3: 13 columns, but the sentence's first token (line 2) has 12"),
    (
        f"{B}\n{_row(0, 'x', 'NN', '-', '-')}\n#end document\n",
        "bad_conll:2: named-entity cell '-' is not (TYPE*, *, *) or (TYPE)",
    ),
    (
        f"{B}\n{_row(0, 'x', 'NN', '(GPE*', '-')}\n{_row(1, 'y', 'NN', '(ORG*', '-')}\n#end document\n",
        "bad_conll:3: named entity (ORG opens inside (GPE of line 2, which has not closed",
    ),
    (
        f"{B}\n{_row(0, 'x', 'NN', '*)', '-')}\n#end document\n",
        "bad_conll:2: named entity closes ('*)') but none is open",
    ),
    (
        f"{B}\n{_row(0, 'x', 'NN', '(GPE*', '-')}\n\n{_row(0, 'y', 'NN', '*)', '-')}\n#end document\n",
        "bad_conll:2: named entity (GPE does not close in its sentence",
    ),
    (
        f"{B}\n{_row(0, 'x', 'NN', '*', '(a)')}\n#end document\n",
        "bad_conll:2: coreference cell '(a)' is not '-' or (N, N), (N) joined by |",
    ),
    (
        f"{B}\n{_row(0, 'x', 'NN', '*', '(1)|2)')}\n#end document\n",
        "bad_conll:2: chain 2 closes ('(1)|2)') but none of it is open",
    ),
    (f"{B}\n{_row(0, 'x', 'NN', '*', '(4')}\n#end document\n", "bad_conll:2: a mention of chain 4 never closes"),
    (f"{B}\n{OK}\n#end document\n{B}\n{OK}\n#end document\n", "bad_conll:4: document d_0 again (first at bad_conll:1)"),
    (b"#begin document (d); part 000\n\xff\n", "{dir}/bad_conll: not UTF-8 text (invalid start byte at byte 30)"),
]


@pytest.mark.parametrize(("content", "message"), MALFORMED)
def test_malformed_files_are_refused_in_one_line(tmp_path: Path, content: str | bytes, message: str) -> None:
    path = tmp_path / "bad_conll"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as error:
        import_files([path], {})
    assert str(error.value) == message.format(dir=tmp_path)


def test_a_folder_without_conll_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError) as error:
        import_files([tmp_path], {})
    assert str(error.value) == f"{tmp_path}: no *_conll files in this folder"


TINY = Document.from_json(
    {
        "id": "tiny_3",
        "title": "Minister Mohsin Naqvi met Wang in Beijing.",
        "text": "Minister Mohsin Naqvi met Wang in Beijing.\nHe left.\n",
        "source": "test",
        "language": "en",
        "entities": [
            {
                "id": "E1",
                "type": "PERSON",
                "name": "Mohsin Naqvi",
                "mentions": [
                    {"start": 0, "end": 21, "text": "Minister Mohsin Naqvi", "kind": "nominal"},
                    {"start": 9, "end": 21, "text": "Mohsin Naqvi", "kind": "name"},
                    {"start": 43, "end": 45, "text": "He", "kind": "pronoun"},
                ],
            },
            {
                "id": "E2",
                "type": "PERSON",
                "name": "Wang",
                "mentions": [{"start": 26, "end": 30, "text": "Wang", "kind": "name"}],
            },
            {
                "id": "E3",
                "type": "GPE",
                "name": "Beijing",
                "mentions": [{"start": 34, "end": 41, "text": "Beijing", "kind": "name"}],
            },
        ],
        "relations": [],
        "numeric_facts": [],
        "time_expressions": [],
    }
)


def test_the_export_writes_the_columns_gold_holds() -> None:
    # tiny_3 is document tiny, part 3; chain n is the n-th entity.
    assert export_documents([TINY]) == (
        "#begin document (tiny); part 003\n"
        "tiny\t3\t0\tMinister\t-\t-\t-\t-\t-\t-\t*\t(0\n"
        "tiny\t3\t1\tMohsin\t-\t-\t-\t-\t-\t-\t(PERSON*\t(0\n"
        "tiny\t3\t2\tNaqvi\t-\t-\t-\t-\t-\t-\t*)\t0)|0)\n"
        "tiny\t3\t3\tmet\t-\t-\t-\t-\t-\t-\t*\t-\n"
        "tiny\t3\t4\tWang\t-\t-\t-\t-\t-\t-\t(PERSON)\t(1)\n"
        "tiny\t3\t5\tin\t-\t-\t-\t-\t-\t-\t*\t-\n"
        "tiny\t3\t6\tBeijing\t-\t-\t-\t-\t-\t-\t(GPE)\t(2)\n"
        "tiny\t3\t7\t.\t-\t-\t-\t-\t-\t-\t*\t-\n"
        "\n"
        "tiny\t3\t0\tHe\tPRP\t-\t-\t-\t-\t-\t*\t(0)\n"
        "tiny\t3\t1\tleft\t-\t-\t-\t-\t-\t-\t*\t-\n"
        "tiny\t3\t2\t.\t-\t-\t-\t-\t-\t-\t*\t-\n"
        "\n"
        "#end document\n"
    )


def test_what_the_export_cannot_hold_is_refused() -> None:
    crossing = TINY.to_json()
    crossing["entities"][1]["mentions"].insert(0, {"start": 15, "end": 30, "text": "Naqvi met Wang", "kind": "name"})
    with pytest.raises(
        ValueError, match=r"tiny_3: name mentions overlap \(tokens 1-2 and 2-4\); the NE column cannot nest"
    ):
        export_documents([Document.from_json(crossing)])


def _squashed(text: str) -> list[int]:
    """For each offset of ``text``, how many non-space characters come before it: offsets that
    survive re-spacing, since the export and the import change only white space."""
    counts, seen = [], 0
    for char in text:
        counts.append(seen)
        seen += not char.isspace()
    return [*counts, seen]


def _held(entities: Sequence[tuple[str, Sequence[tuple[int, int, str]]]], text: str) -> list[tuple[Any, ...]]:
    """Each entity as its type and its mentions' kinds and squashed spans, in a fixed order."""
    at = _squashed(text)
    return sorted((kind, tuple(sorted((at[s], at[e], k) for s, e, k in spans))) for kind, spans in entities)


def _held_json(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    entities = [(e["type"], [(m["start"], m["end"], m["kind"]) for m in e["mentions"]]) for e in document["entities"]]
    return _held(entities, document["text"])


def test_the_gold_through_the_export_and_back(tmp_path: Path) -> None:
    """The format holds the mentions (their spans, up to white space), the clusters, the
    types of clusters with a name mention (the NE column) and, here, every mention kind:
    names by their NE, pronouns by the PRP/PRP$ tag the export writes. Not held: the types
    of clusters without a name (they come back UNTYPED, compared as such), entity names,
    white space, relations, numeric facts, time expressions, alternatives, links, title
    and source."""
    (gold,) = bundled_gold()
    path = tmp_path / "gold.v4_gold_conll"
    path.write_text(export_documents([gold]), encoding="utf-8")
    imported = import_files([path], {})
    _valid(imported)
    (document,) = imported.documents
    assert document["id"] == f"{gold.id}_0"
    assert "".join(document["text"].split()) == "".join(gold.text.split())
    named = {e.id for e in gold.entities if any(m.kind == "name" for m in e.mentions)}
    expected = [
        (e.type if e.id in named else "UNTYPED", [(m.start, m.end, m.kind) for m in e.mentions]) for e in gold.entities
    ]
    assert _held_json(document) == _held(expected, gold.text)


def test_the_fixture_through_the_export_and_back(tmp_path: Path) -> None:
    imported = import_files([FIXTURE], {})
    documents = [Document.from_json(document) for document in imported.documents]
    path = tmp_path / "again_conll"
    path.write_text(export_documents(documents), encoding="utf-8")
    again = import_files([path], {})
    _valid(again)
    assert [d["id"] for d in again.documents] == [d["id"] for d in imported.documents]
    assert [_held_json(d) for d in again.documents] == [_held_json(d) for d in imported.documents]
