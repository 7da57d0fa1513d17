"""The Hugging Face token-tag importer: IOB1, IOB2 and BIOES rows as documents, and back.

The fixtures are built with ``datasets`` itself, with real ``ClassLabel`` features: the
CoNLL-2003 names (O, B-PER, I-PER, B-ORG, I-ORG, B-LOC, I-LOC, B-MISC, I-MISC) and a BIOES
set. Offsets below are counted by hand in the tokens joined by single spaces.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import datasets
import pytest

from factgold.errors import UsageError
from factgold.read.importers import importer
from factgold.read.importers.hf_tokens import export_tokens, import_dataset, import_files
from factgold.read.labels import Labels
from factgold.read.validate import validate_document

CONLL = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
BIOES = ["O", "B-PER", "I-PER", "E-PER", "S-PER", "B-LOC", "I-LOC", "E-LOC", "S-LOC"]
CONLL_LABELS = Labels(("PER", "ORG", "LOC", "MISC"), ())


def _dataset(names: list[str], rows: list[tuple[list[str], list[str]]], ids: list[str] | None = None) -> Any:
    columns: dict[str, Any] = {
        "tokens": [tokens for tokens, _ in rows],
        "ner_tags": [[names.index(tag) for tag in tags] for _, tags in rows],
    }
    features = {
        "tokens": datasets.Sequence(datasets.Value("string")),
        "ner_tags": datasets.Sequence(datasets.ClassLabel(names=names)),
    }
    if ids is not None:
        columns = {"id": ids, **columns}
        features = {"id": datasets.Value("string"), **features}
    return datasets.Dataset.from_dict(columns, features=datasets.Features(features))


def _entity(entity_id: str, kind: str, start: int, end: int, text: str) -> dict[str, Any]:
    return {
        "id": entity_id,
        "type": kind,
        "name": text,
        "mentions": [{"start": start, "end": end, "text": text, "kind": "name"}],
    }


def _spans(imported: Any) -> list[list[tuple[str, str]]]:
    return [[(e["type"], e["name"]) for e in doc["entities"]] for doc in imported.documents]


IOB2_ROWS = [
    (["EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."],
     ["B-ORG", "O", "B-MISC", "O", "O", "O", "B-MISC", "O", "O"]),
    (["Peter", "Blackburn", "of", "BRUSSELS"], ["B-PER", "I-PER", "O", "B-LOC"]),
    # Two adjacent persons: B- starts the second.
    (["Fischler", "Franz", "met", "Kohl"], ["B-PER", "B-PER", "O", "B-PER"]),
]  # fmt: skip


def _valid(imported: Any) -> None:
    for doc in imported.documents:
        assert validate_document(doc, house_rules=False, labels=imported.labels) == []


def test_iob2_rows_as_documents() -> None:
    imported = import_dataset(_dataset(CONLL, IOB2_ROWS, ids=["d0", "d1", "d2"]), {})
    assert imported.labels == CONLL_LABELS
    first, second, third = imported.documents
    assert first == {
        "id": "d0",
        "title": "EU rejects German call to boycott British lamb .",
        "text": "EU rejects German call to boycott British lamb .",
        "source": "Hugging Face dataset",
        "language": "en",
        # "EU" 0-2, "German" 11-17, "British" 34-41.
        "entities": [_entity("E1", "ORG", 0, 2, "EU"), _entity("E2", "MISC", 11, 17, "German"),
                     _entity("E3", "MISC", 34, 41, "British")],
        "relations": [],
        "numeric_facts": [],
        "time_expressions": [],
    }  # fmt: skip
    assert second["entities"] == [
        _entity("E1", "PER", 0, 15, "Peter Blackburn"),
        _entity("E2", "LOC", 19, 27, "BRUSSELS"),
    ]
    assert third["entities"] == [
        _entity("E1", "PER", 0, 8, "Fischler"),
        _entity("E2", "PER", 9, 14, "Franz"),
        _entity("E3", "PER", 19, 23, "Kohl"),
    ]
    assert imported.not_carried == (
        "3 documents: text rebuilt as the tokens joined by single spaces (the format keeps no original spacing; empty tokens add nothing)",
        "8 entities of one mention each (the format has no coreference)",
    )
    _valid(imported)


def test_iob1_is_detected() -> None:
    rows = [
        # I- starts an entity; B- only where a second entity of the same type follows at once.
        (["EU", "rejects", "German", "call"], ["I-ORG", "O", "I-MISC", "O"]),
        (["Fischler", "Franz", "met", "Kohl", "Helmut"], ["I-PER", "B-PER", "O", "I-PER", "I-PER"]),
    ]
    imported = import_dataset(_dataset(CONLL, rows), {})
    assert [doc["id"] for doc in imported.documents] == ["0", "1"]  # no id column: the row index
    assert _spans(imported) == [
        [("ORG", "EU"), ("MISC", "German")],
        [("PER", "Fischler"), ("PER", "Franz"), ("PER", "Kohl Helmut")],
    ]
    # Valid IOB1: nothing out of place.
    assert not any("out of place" in line for line in imported.not_carried)
    # Read as IOB2 the same entities come out, with the I- starts counted.
    as_iob2 = import_dataset(_dataset(CONLL, rows), {"scheme": "iob2"})
    assert as_iob2.documents == imported.documents
    assert as_iob2.not_carried[0] == (
        "4 tags out of place in IOB2, read as seqeval's default mode reads them: dataset row 0 token 0: 'I-ORG' "
        "after 'O'; dataset row 0 token 2: 'I-MISC' after 'O'; dataset row 1 token 0: 'I-PER' after 'O'; …"
    )
    with pytest.raises(UsageError, match=r"^dataset row 0 token 0: 'I-ORG' after 'O' is not valid IOB2$"):
        import_dataset(_dataset(CONLL, rows), {"scheme": "IOB2", "strict": True})
    import_dataset(_dataset(CONLL, rows), {"strict": True})  # detected IOB1: valid


def test_bioes() -> None:
    rows = [
        (["John", "Smith", "visited", "New", "York", "City", "and", "Paris"],
         ["B-PER", "E-PER", "O", "B-LOC", "I-LOC", "E-LOC", "O", "S-LOC"]),
        (["Ann", "Bob"], ["S-PER", "S-PER"]),
    ]  # fmt: skip
    imported = import_dataset(_dataset(BIOES, rows), {})
    assert imported.labels == Labels(("PER", "LOC"), ())
    assert imported.documents[0]["entities"] == [
        _entity("E1", "PER", 0, 10, "John Smith"),
        _entity("E2", "LOC", 19, 32, "New York City"),
        _entity("E3", "LOC", 37, 42, "Paris"),
    ]
    assert _spans(imported)[1] == [("PER", "Ann"), ("PER", "Bob")]
    assert not any("out of place" in line for line in imported.not_carried)
    _valid(imported)
    with pytest.raises(UsageError, match="the scheme is BIOES, not IOB2"):
        import_dataset(_dataset(BIOES, rows), {"scheme": "IOB2"})


@pytest.mark.parametrize(
    ("names", "tags", "spans", "out_of_place"),
    [
        # IOB2: I- after O starts an entity; I- of another type starts another.
        (CONLL, ["O", "I-PER", "I-PER", "B-ORG", "I-LOC"], [("PER", "b c"), ("ORG", "d"), ("LOC", "e")],
         ["token 1: 'I-PER' after 'O'", "token 4: 'I-LOC' after 'B-ORG'"]),
        # BIOES: E- without B- is a one-token entity; B- left open ends at O.
        (BIOES, ["E-PER", "O", "B-LOC", "O", "I-PER"], [("PER", "a"), ("LOC", "c"), ("PER", "e")],
         ["token 0: 'E-PER' after 'O'", "token 3: 'O' after 'B-LOC'", "token 4: 'I-PER' after 'O'",
          "token 5: the row ends after 'I-PER'"]),
        # BIOES: I- then E- of one type after O makes one entity.
        (BIOES, ["O", "I-PER", "E-PER", "S-LOC", "O"], [("PER", "b c"), ("LOC", "d")],
         ["token 1: 'I-PER' after 'O'"]),
    ],
)  # fmt: skip
def test_invalid_sequences_read_as_seqeval_default_or_refused(
    names: list[str], tags: list[str], spans: list[tuple[str, str]], out_of_place: list[str]
) -> None:
    rows = [(["a", "b", "c", "d", "e"], tags)]
    # Detection would take the first row for IOB1 (one B- out of place there, two I- in IOB2).
    scheme = "BIOES" if names is BIOES else "IOB2"
    imported = import_dataset(_dataset(names, rows), {"scheme": scheme})
    assert _spans(imported) == [spans]
    shown = "; ".join(f"dataset row 0 {item}" for item in out_of_place[:3]) + ("; …" if len(out_of_place) > 3 else "")
    assert imported.not_carried[0] == (
        f"{len(out_of_place)} tags out of place in {scheme}, read as seqeval's default mode reads them: {shown}"
    )
    _valid(imported)
    with pytest.raises(UsageError, match=f"^dataset row 0 {out_of_place[0]} is not valid {scheme}$"):
        import_dataset(_dataset(names, rows), {"scheme": scheme, "strict": True})


def test_saved_to_disk(tmp_path: Path) -> None:
    dataset = _dataset(CONLL, IOB2_ROWS, ids=["d0", "d1", "d2"])
    dataset.save_to_disk(str(tmp_path / "one"))
    from_disk = importer("hf-tokens")([tmp_path / "one"], {"source": "CoNLL-2003"})
    in_memory = import_dataset(dataset, {"source": "CoNLL-2003"})
    assert from_disk == in_memory
    assert {doc["source"] for doc in from_disk.documents} == {"CoNLL-2003"}

    splits = datasets.DatasetDict({"train": dataset, "test": _dataset(CONLL, IOB2_ROWS[1:], ids=["t1", "t2"])})
    splits.save_to_disk(str(tmp_path / "dict"))
    test = import_files([tmp_path / "dict"], {"split": "test"})
    assert [doc["id"] for doc in test.documents] == ["t1", "t2"]
    with pytest.raises(UsageError, match=r"choose a split with the option split \(one of train, test\), not None"):
        import_files([tmp_path / "dict"], {})
    # Several folders: the ids take the folder's name.
    both = import_files([tmp_path / "one", tmp_path / "dict"], {"split": "train"})
    assert [doc["id"] for doc in both.documents] == ["one-d0", "one-d1", "one-d2", "dict-d0", "dict-d1", "dict-d2"]
    with pytest.raises(UsageError, match="not a dataset folder written by save_to_disk"):
        import_files([tmp_path / "missing"], {})


@pytest.mark.parametrize("scheme", ["IOB1", "IOB2", "BIOES"])
def test_round_trip(scheme: str) -> None:
    rows = [
        *IOB2_ROWS,
        (["Kohl", "Helmut", "Schmidt", "Ltd", "and", "UN"], ["B-PER", "I-PER", "B-PER", "B-ORG", "O", "B-ORG"]),
        (["nothing", "here"], ["O", "O"]),
    ]
    original = import_dataset(_dataset(CONLL, rows, ids=[f"r{i}" for i in range(len(rows))]), {})
    exported = export_tokens(original.documents, original.labels, scheme)
    names = exported.features["ner_tags"].feature.names
    assert names[:3] == ["O", "B-PER", "I-PER"]
    assert len(names) == 1 + len(original.labels.entity_types) * (4 if scheme == "BIOES" else 2)
    again = import_dataset(exported, {})
    assert again.documents == original.documents
    assert again.labels == original.labels
    # The tags of the fourth row in each scheme.
    tags = [names[i] for i in exported[3]["ner_tags"]]
    assert (
        tags
        == {
            "IOB1": ["I-PER", "I-PER", "B-PER", "I-ORG", "O", "I-ORG"],
            "IOB2": ["B-PER", "I-PER", "B-PER", "B-ORG", "O", "B-ORG"],
            "BIOES": ["B-PER", "E-PER", "S-PER", "S-ORG", "O", "S-ORG"],
        }[scheme]
    )


def test_export_of_other_gold() -> None:
    doc: dict[str, Any] = {
        "id": "g1",
        "text": "Title line\n\nThe US-based firm hired Ann.",
        "entities": [
            {"id": "E1", "type": "GPE", "name": "US", "mentions": [{"start": 16, "end": 18, "text": "US", "kind": "name"}]},
            {"id": "E2", "type": "PERSON", "name": "Ann",
             "mentions": [{"start": 36, "end": 39, "text": "Ann", "kind": "name"}]},
        ],
    }  # fmt: skip
    exported = export_tokens([doc], Labels(("PERSON", "GPE"), ()), "IOB2")
    # White space runs split tokens; mention edges cut "US-based" and "Ann.".
    assert exported[0]["tokens"] == ["Title", "line", "The", "US", "-based", "firm", "hired", "Ann", "."]
    names = exported.features["ner_tags"].feature.names
    assert [names[i] for i in exported[0]["ner_tags"]] == ["O", "O", "O", "B-GPE", "O", "O", "O", "B-PERSON", "O"]
    overlapping = {**doc, "entities": [*doc["entities"], {**doc["entities"][0], "id": "E3",
                   "mentions": [{"start": 16, "end": 23, "text": "US-base", "kind": "name"}]}]}  # fmt: skip
    with pytest.raises(UsageError, match=r"document g1: mentions \[16, 18\) and \[16, 23\) overlap"):
        export_tokens([overlapping], Labels(("PERSON", "GPE"), ()), "IOB2")
    with pytest.raises(UsageError, match="entity type 'GPE' is not in the labels"):
        export_tokens([doc], Labels(("PERSON",), ()), "IOB2")
    blank = {
        **doc,
        "entities": [{**doc["entities"][0], "mentions": [{"start": 10, "end": 12, "text": "\n\n", "kind": "name"}]}],
    }
    with pytest.raises(UsageError, match=r"^document g1: mention \[10, 12\) holds no token \(white space only\)$"):
        export_tokens([blank], Labels(("PERSON", "GPE"), ()), "IOB2")


def test_malformed_datasets_are_refused() -> None:
    plain = datasets.Dataset.from_dict({"tokens": [["a"]], "ner_tags": [["O"]]})
    with pytest.raises(
        UsageError, match=r"^dataset: column 'ner_tags' is List\(Value\('string'\)\), not a list of ClassLabel$"
    ):
        import_dataset(plain, {})
    with pytest.raises(UsageError, match=r"^dataset: no 'labels' column \(columns: tokens, ner_tags\)$"):
        import_dataset(_dataset(CONLL, IOB2_ROWS), {"tags": "labels"})
    short = datasets.Dataset.from_dict(
        {"tokens": [["a", "b"]], "ner_tags": [[0]]},
        features=datasets.Features(
            {"tokens": datasets.Sequence(datasets.Value("string")),
             "ner_tags": datasets.Sequence(datasets.ClassLabel(names=CONLL))}
        ),
    )  # fmt: skip
    with pytest.raises(UsageError, match=r"^dataset row 0: 2 tokens but 1 tags in 'ner_tags'$"):
        import_dataset(short, {})
    with pytest.raises(UsageError, match=r"^dataset: tag name 'PER' is not O or B-, I-, E-, S- followed by a type$"):
        import_dataset(_dataset(["O", "PER"], [(["a"], ["PER"])]), {})
    with pytest.raises(UsageError, match=r"^scheme 'BILOU' is not one of IOB1, IOB2, BIOES$"):
        import_dataset(_dataset(CONLL, IOB2_ROWS), {"scheme": "BILOU"})
    with pytest.raises(UsageError, match=r"^dataset row 1: document id 'x' repeats \(first at dataset row 0\)$"):
        import_dataset(_dataset(CONLL, IOB2_ROWS[:2], ids=["x", "x"]), {})


def test_empty_rows_are_counted() -> None:
    imported = import_dataset(_dataset(CONLL, [([], []), (["Kohl"], ["B-PER"])]), {})
    assert [doc["id"] for doc in imported.documents] == ["1"]
    assert imported.not_carried[0] == "1 rows without text not carried: dataset row 0"


def test_detection_takes_the_scheme_with_fewer_tags_out_of_place() -> None:
    # Three entities start with B-, one with I-: IOB2 with one tag out of place.
    rows = [*IOB2_ROWS[1:], (["a", "Kohl"], ["O", "I-PER"])]
    imported = import_dataset(_dataset(CONLL, rows), {})
    assert imported.not_carried[0] == (
        "1 tags out of place in IOB2, read as seqeval's default mode reads them: dataset row 2 token 1: 'I-PER' after 'O'"
    )
    assert _spans(imported)[2] == [("PER", "Kohl")]


def test_empty_tokens_add_nothing_and_an_entity_on_them_alone_is_listed() -> None:
    # Some datasets keep "" tokens. Joined as they come, "Hi  Bob" put a space at the start of
    # the person ' Bob' (a correct prediction "Bob" then only overlapped), and an entity on
    # the empty token alone vanished without a note.
    rows = [
        (["Hi", "", "Bob"], ["O", "B-PER", "I-PER"]),
        (["x", "", "y"], ["O", "B-LOC", "O"]),
        (["", "Rome", " "], ["B-LOC", "I-LOC", "I-LOC"]),
    ]
    imported = import_dataset(_dataset(CONLL, rows), {})
    assert [doc["text"] for doc in imported.documents] == ["Hi Bob", "x y", "Rome"]
    assert imported.documents[0]["entities"] == [_entity("E1", "PER", 3, 6, "Bob")]
    assert imported.documents[1]["entities"] == []
    assert imported.documents[2]["entities"] == [_entity("E1", "LOC", 0, 4, "Rome")]
    assert (
        "1 entities tagged on empty or white-space tokens only not carried: dataset row 1 tokens 1-1 (LOC)"
        in imported.not_carried
    )
    _valid(imported)
