"""`factgold import`, then `validate` and `eval` on a corpus that is not factgold's own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factgold.cli import main

DATA = Path(__file__).resolve().parent / "data" / "import"


@pytest.mark.parametrize(
    ("format_name", "inputs", "options", "documents"),
    [
        ("brat", [DATA / "brat"], [], 2),
        ("conll2012", [DATA / "conll2012" / "phoenix_0042.v4_gold_conll"], [], 2),
        ("docred", [DATA / "docred" / "clean.json"], ["--relations", str(DATA / "docred" / "rel_info.json")], 2),
        ("measeval", [DATA / "measeval"], [], 3),
    ],
)
def test_an_imported_corpus_validates_and_scores_itself_perfectly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], format_name: str, inputs: list[Path], options: list[str],
    documents: int,
) -> None:  # fmt: skip
    gold = tmp_path / "gold.jsonl"
    assert main(["import", "--from", format_name, *map(str, inputs), "--output", str(gold), *options]) == 0
    err = capsys.readouterr().err
    assert f"{documents} documents; labels in {tmp_path / 'gold.labels.json'}" in err
    assert (tmp_path / "gold.labels.json").is_file()
    assert main(["validate", str(gold)]) == 0  # the contract
    assert main(["validate", str(gold), "--house-rules"]) == 2  # not factgold's house rules
    report_file = tmp_path / "report.json"
    assert main(["eval", str(gold), "--gold", str(gold), "--format", "json", "--output", str(report_file)]) == 0
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["headline"]["score"] == 1.0
    assert report["corpus_version"] == "custom"
    assert len(report["documents"]) == documents


def test_an_unknown_format_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--from", "xml", str(tmp_path), "--output", str(tmp_path / "g.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "no importer for 'xml'; the formats are brat, conll2012, docred, measeval, hf-tokens" in err


def test_relations_scored_as_docred_does_by_hand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold.jsonl"
    rel_info = DATA / "docred" / "rel_info.json"
    assert main(["import", "--from", "docred", str(DATA / "docred" / "clean.json"), "--relations", str(rel_info),
                 "--output", str(gold)]) == 0  # fmt: skip
    # Gold: docred-0 has 5 facts, docred-1 has 6 (11). Predicted, by gold entity ids: 6 rows,
    # one a repeat (counted once), so 5 distinct: country(E1, E2), headquarters location(E5, E4)
    # and spouse(E1, E4) are gold facts; country(E2, E1) is reversed (DocRED relations are
    # directed) and sibling(E1, E4) has the wrong type. tp 3, fp 2, fn 11 - 3 = 8.
    predictions = [
        {
            "id": "docred-0",
            "relations": [
                {"type": "country", "head": "E1", "tail": "E2"},
                {"type": "country", "head": "E1", "tail": "E2"},
                {"type": "country", "head": "E2", "tail": "E1"},
                {"type": "headquarters location", "head": "E5", "tail": "E4"},
            ],
        },
        {
            "id": "docred-1",
            "relations": [
                {"type": "spouse", "head": "E1", "tail": "E4"},
                {"type": "sibling", "head": "E1", "tail": "E4"},
            ],
        },
    ]
    # Given entities: the system receives the gold entities (ids E1, E2, ... as imported) and
    # names them in its relations.
    for prediction, line in zip(predictions, gold.read_text(encoding="utf-8").splitlines(), strict=True):
        entities = json.loads(line)["entities"]
        prediction["entities"] = [{"id": e["id"], "type": e["type"], "name": e["name"]} for e in entities]
    path = tmp_path / "predictions.json"
    path.write_text(json.dumps(predictions), encoding="utf-8")
    out = tmp_path / "report.json"
    assert main(["eval", str(path), "--gold", str(gold), "--relations", "given-entities", "--format", "json",
                 "--output", str(out)]) == 0  # fmt: skip
    report = json.loads(out.read_text(encoding="utf-8"))
    given = report["relations_given_entities"]
    assert (given["tp"], given["fp"], given["fn"]) == (3, 2, 8)
    assert given["precision"] == pytest.approx(3 / 5)
    assert given["recall"] == pytest.approx(3 / 11)
    assert given["f1"] == pytest.approx(2 * 3 / (5 + 11))
    assert given["duplicates"] == 1
    assert report["signature"].endswith("|rel-given:docred")
    table = tmp_path / "report.txt"
    assert main(["eval", str(path), "--gold", str(gold), "--relations", "given-entities", "--output", str(table)]) == 0
    assert "Relations with given entities (DocRED's relation F1)" in table.read_text(encoding="utf-8")


def test_a_saved_token_dataset_imports_through_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import datasets

    names = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    features = datasets.Features(
        {
            "tokens": datasets.Sequence(datasets.Value("string")),
            "ner_tags": datasets.Sequence(datasets.ClassLabel(names=names)),
        }
    )
    rows = {"tokens": [["Jo", "Smith", "visited", "New", "York"]], "ner_tags": [[1, 2, 0, 3, 4]]}
    datasets.Dataset.from_dict(rows, features=features).save_to_disk(str(tmp_path / "saved"))
    gold = tmp_path / "gold.jsonl"
    assert main(["import", "--from", "hf-tokens", str(tmp_path / "saved"), "--output", str(gold)]) == 0
    (doc,) = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
    assert doc["text"].startswith("Jo Smith visited New York")
    assert [(e["type"], e["name"]) for e in doc["entities"]] == [("PER", "Jo Smith"), ("LOC", "New York")]
    assert main(["validate", str(gold)]) == 0


@pytest.mark.parametrize(
    ("to_format", "output"),
    [("conll2012", "gold.v4_gold_conll"), ("docred", "gold.json"), ("brat", "brat")],
)
def test_export_then_import_through_the_commands(tmp_path: Path, to_format: str, output: str) -> None:
    gold = tmp_path / "gold.jsonl"
    # Without the relation names: BRAT types hold no white space, and P17 has none.
    assert main(["import", "--from", "docred", str(DATA / "docred" / "clean.json"), "--output", str(gold)]) == 0
    exported = tmp_path / output
    assert main(["export", "--to", to_format, "--gold", str(gold), "--output", str(exported)]) == 0
    again = tmp_path / "again.jsonl"
    assert main(["import", "--from", to_format, str(exported), "--output", str(again)]) == 0
    first = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
    second = [json.loads(line) for line in again.read_text(encoding="utf-8").splitlines()]

    # Every format holds the typed mention spans, as texts (CoNLL-2012 re-spaces the text).
    def mentions(docs: list[dict[str, object]]) -> list[list[tuple[str, str]]]:
        return [sorted((m["text"].replace(" ", ""), e["type"]) for e in d["entities"] for m in e["mentions"])  # type: ignore[attr-defined]
                for d in docs]  # fmt: skip

    assert mentions(first) == mentions(second)


def test_brat_export_refuses_types_with_white_space(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold.jsonl"
    assert main(["import", "--from", "docred", str(DATA / "docred" / "clean.json"), "--relations",
                 str(DATA / "docred" / "rel_info.json"), "--output", str(gold)]) == 0  # fmt: skip
    assert main(["export", "--to", "brat", "--gold", str(gold), "--output", str(tmp_path / "b")]) == 2
    assert "BRAT types hold no white space: 'headquarters location'" in capsys.readouterr().err
