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


def _docred_gold(tmp_path: Path) -> Path:
    gold = tmp_path / "gold.jsonl"
    assert main(["import", "--from", "docred", str(DATA / "docred" / "clean.json"), "--relations",
                 str(DATA / "docred" / "rel_info.json"), "--output", str(gold)]) == 0  # fmt: skip
    return gold


def test_given_entities_counts_a_relation_whose_ends_name_no_id_as_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # DocRED's script counts every submitted row in its precision. One right fact by ids, and
    # three whose ends are entity names or spans (no gold id): tp 1, fp 3 (P 1/4), not P 1/1.
    gold = _docred_gold(tmp_path)
    predictions = [
        {
            "id": "docred-0",
            "entities": [
                {"id": "E1", "type": "LOC", "name": "x"},
                {"id": "E2", "type": "LOC", "name": "y"},
                {"type": "LOC", "name": "Somewhere"},
            ],
            "relations": [
                {"type": "country", "head": "E1", "tail": "E2"},
                {"type": "country", "head": "Somewhere", "tail": "E2"},  # a predicted entity without an id
                {"type": "country", "head": {"start": 0, "end": 3}, "tail": "E2"},  # a span
                {"type": "country", "head": {"start": 0, "end": 3}, "tail": "E2"},  # the same again: once
            ],
        },
        {"id": "docred-1"},
    ]
    path = tmp_path / "predictions.json"
    path.write_text(json.dumps(predictions), encoding="utf-8")
    out = tmp_path / "report.json"
    assert main(["eval", str(path), "--gold", str(gold), "--relations", "given-entities", "--tasks", "relations",
                 "--format", "json", "--output", str(out)]) == 0  # fmt: skip
    given = json.loads(out.read_text(encoding="utf-8"))["relations_given_entities"]
    assert (given["tp"], given["fp"], given["fn"]) == (1, 2, 10)
    assert (given["not_named_by_id"], given["duplicates"]) == (2, 1)
    assert given["by_type"]["country"]["fp"] == 2


def test_given_entities_reads_standard_input_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    gold = _docred_gold(tmp_path)
    entities = [{"id": "E1", "type": "LOC", "name": "x"}, {"id": "E2", "type": "LOC", "name": "y"}]
    relations = [{"type": "country", "head": "E1", "tail": "E2"}]
    lines = [{"id": "docred-0", "entities": entities, "relations": relations}, {"id": "docred-1"}]
    stdin = io.TextIOWrapper(io.BytesIO("\n".join(json.dumps(line) for line in lines).encode()), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    out = tmp_path / "report.json"
    assert main(["eval", "-", "--gold", str(gold), "--relations", "given-entities", "--tasks", "relations",
                 "--format", "json", "--output", str(out)]) == 0  # fmt: skip
    given = json.loads(out.read_text(encoding="utf-8"))["relations_given_entities"]
    assert (given["tp"], given["fp"], given["fn"]) == (1, 0, 10)


@pytest.mark.parametrize(
    "option",
    [["--relations", "given-entities"], ["--bootstrap", "10"], ["--show-errors"], ["--format", "html"]],
)
def test_options_for_one_run_are_refused_with_several(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: list[str]
) -> None:
    gold = _docred_gold(tmp_path)
    runs = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    for run in runs:
        run.write_text('{"id": "docred-0"}\n{"id": "docred-1"}\n', encoding="utf-8")
    assert main(["eval", *map(str, runs), "--gold", str(gold), *option]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith(
        f"{' '.join(option[:1] if option[0] == '--bootstrap' else option)}: for one run; with several predictions "
        "files the report is the summary over runs (score each file on its own for these)"
    )


@pytest.mark.parametrize(
    ("format_name", "option", "message"),
    [
        ("brat", ["--relations", "rel_info.json"], "--relations: not an option of --from brat (it takes "
         "--discontinuous, --symmetric, --source, --language)"),
        ("conll2012", ["--symmetric", "P47"], "--symmetric: not an option of --from conll2012 (it takes "
         "--untyped-type, --source, --language)"),
        ("docred", ["--scheme", "IOB2"], "--scheme: not an option of --from docred (it takes --relations, "
         "--symmetric, --id-prefix, --source, --language)"),
    ],
)  # fmt: skip
def test_an_option_the_format_does_not_read_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], format_name: str, option: list[str], message: str
) -> None:
    # It was silently ignored: a user who thought they had declared symmetric types had not.
    inputs = {"brat": DATA / "brat", "conll2012": DATA / "conll2012", "docred": DATA / "docred" / "clean.json"}
    command = ["import", "--from", format_name, str(inputs[format_name]), "--output", str(tmp_path / "g.jsonl")]
    assert main([*command, *option]) == 2
    assert capsys.readouterr().err == f"factgold: error: {message}\n"
    assert not (tmp_path / "g.jsonl").exists()


def test_the_import_never_writes_over_its_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    brat = tmp_path / "brat"
    shutil.copytree(DATA / "brat", brat)
    before = {path.name: path.read_bytes() for path in brat.iterdir()}
    a_text = next(brat.glob("*.txt"))
    # A .txt inside the folder given, and the .txt beside a .ann given.
    for inputs, output in (([brat], a_text), ([a_text.with_suffix(".ann")], a_text)):
        assert main(["import", "--from", "brat", *map(str, inputs), "--output", str(output)]) == 2
        assert "would overwrite an input of this import" in capsys.readouterr().err
    # The labels file beside the output, over the relation names.
    names = tmp_path / "g.labels.json"
    shutil.copy(DATA / "docred" / "rel_info.json", names)
    assert main(["import", "--from", "docred", str(DATA / "docred" / "clean.json"), "--relations", str(names),
                 "--output", str(tmp_path / "g.jsonl")]) == 2  # fmt: skip
    assert capsys.readouterr().err.endswith(f"writing {names} would overwrite an input of this import\n")
    assert {path.name: path.read_bytes() for path in brat.iterdir()} == before
    assert names.read_bytes() == (DATA / "docred" / "rel_info.json").read_bytes()


def test_nothing_to_import_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text("[]", encoding="utf-8")
    assert main(["import", "--from", "docred", str(empty), "--output", str(tmp_path / "g.jsonl")]) == 2
    assert capsys.readouterr().err == f"factgold: error: {empty}: no document to import (a gold needs at least one)\n"


def test_docred_a_file_twice_repeated_titles_and_empty_tokens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = DATA / "docred" / "clean.json"
    assert main(["import", "--from", "docred", str(clean), str(clean), "--output", str(tmp_path / "g.jsonl")]) == 2
    assert capsys.readouterr().err == f"factgold: error: {clean}: given twice (each file is read once)\n"
    copy = tmp_path / "copy.json"
    copy.write_text(clean.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["import", "--from", "docred", str(clean), str(copy), "--output", str(tmp_path / "g.jsonl")]) == 0
    assert "documents whose title an earlier one has" in capsys.readouterr().err
    # An empty token adds nothing to the text: no mention starts or ends with a space, so
    # the import exports again.
    tokens = [{"title": "T", "sents": [["Acme", "", "Corp", "hired", "Bob", "."]],
               "vertexSet": [[{"name": "Acme Corp", "sent_id": 0, "pos": [0, 3], "type": "ORG"}],
                             [{"name": "Acme", "sent_id": 0, "pos": [0, 2], "type": "ORG"}]],
               "labels": []}]  # fmt: skip
    source = tmp_path / "tokens.json"
    source.write_text(json.dumps(tokens), encoding="utf-8")
    gold = tmp_path / "tokens.jsonl"
    assert main(["import", "--from", "docred", str(source), "--output", str(gold)]) == 0
    assert "1 empty tokens not carried (the text skips them): tokens.json $[0].sents[0][1]" in capsys.readouterr().err
    (doc,) = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
    assert doc["text"] == "Acme Corp hired Bob ."
    assert [m["text"] for e in doc["entities"] for m in e["mentions"]] == ["Acme Corp", "Acme"]
    assert main(["export", "--to", "docred", "--gold", str(gold), "--output", str(tmp_path / "again.json")]) == 0


def test_docred_export_writes_property_ids_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = _docred_gold(tmp_path)
    rel_info = DATA / "docred" / "rel_info.json"
    exported = tmp_path / "exported.json"
    assert main(["export", "--to", "docred", "--gold", str(gold), "--relations", str(rel_info),
                 "--output", str(exported)]) == 0  # fmt: skip
    ids = set(json.loads(rel_info.read_text(encoding="utf-8")))
    written = {label["r"] for doc in json.loads(exported.read_text(encoding="utf-8")) for label in doc["labels"]}
    assert written
    assert written <= ids
    again = tmp_path / "again.jsonl"
    assert (
        main(["import", "--from", "docred", str(exported), "--relations", str(rel_info), "--output", str(again)]) == 0
    )
    assert "missing from rel_info.json" not in capsys.readouterr().err
    first = [json.loads(line)["relations"] for line in gold.read_text(encoding="utf-8").splitlines()]
    second = [json.loads(line)["relations"] for line in again.read_text(encoding="utf-8").splitlines()]
    assert [[(r["type"], r["head"], r["tail"]) for r in doc] for doc in first] == [
        [(r["type"], r["head"], r["tail"]) for r in doc] for doc in second
    ]
    assert main(["export", "--to", "brat", "--gold", str(gold), "--relations", str(rel_info)]) == 2
    assert "--relations: only for --to docred" in capsys.readouterr().err
