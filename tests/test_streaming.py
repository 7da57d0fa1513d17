"""JSON Lines files are scored line by line: the same report as in memory, in less memory."""

from __future__ import annotations

import json
import random
import tempfile
import tracemalloc
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import GOLD_FILE
from factgold.errors import InputError
from factgold.present.render import report_json
from factgold.read.labels import house_labels
from factgold.read.validate import load_gold
from factgold.run import streaming
from factgold.run.evaluation import bundled_gold, bundled_gold_with_variants, evaluate
from factgold.run.streaming import _evaluate_in_parts, byte_ranges, scan
from factgold.score.config import EvalConfig, GoldDigest


def _corpus(tmp_path: Path, documents: int) -> tuple[Path, Path, list[dict[str, Any]]]:
    gold = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
    golds = [dict(gold, id=f"doc{i:04d}") for i in range(documents)]
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join(json.dumps(d) + "\n" for d in golds))
    rows = [
        {
            "id": d["id"],
            "entities": [{"type": e["type"], "mentions": e["mentions"]} for e in d["entities"][: 1 + i % 19]],
        }
        for i, d in enumerate(golds)
    ]
    random.Random(7).shuffle(rows)  # predictions in another order than the gold
    predictions_file = tmp_path / "predictions.jsonl"
    predictions_file.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return gold_file, predictions_file, rows


def test_streamed_report_equals_the_in_memory_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streaming, "PARALLEL_FROM", 0)  # small files in several processes too
    gold_file, predictions_file, rows = _corpus(tmp_path, 12)
    in_memory = evaluate(rows, gold=gold_file).to_dict()
    streamed = evaluate(predictions_file, gold=gold_file).to_dict()
    parallel = evaluate(predictions_file, gold=gold_file, jobs=2).to_dict()
    with_documents = evaluate(predictions_file, gold=load_gold(gold_file)).to_dict()
    expected = json.dumps(in_memory, sort_keys=True)
    assert json.dumps(streamed, sort_keys=True) == expected
    assert json.dumps(parallel, sort_keys=True) == expected
    assert json.dumps(with_documents, sort_keys=True) == expected


def test_streaming_holds_one_document_at_a_time(tmp_path: Path) -> None:
    gold_file, predictions_file, rows = _corpus(tmp_path, 60)
    tracemalloc.start()
    evaluate(predictions_file, gold=gold_file)
    _, streamed_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tracemalloc.start()
    evaluate(rows, gold=load_gold(gold_file))
    _, in_memory_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert streamed_peak < in_memory_peak


# --- Files cut into parts for several processes (`jobs > 1`) --------------------------------


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from(["", " ", '{"a": 1}', '{"id": "x"}', "not json", "\u00e9\u00e9"]), max_size=12),
    st.booleans(),
    st.integers(1, 9),
)
def test_parts_of_a_file_cover_its_lines_once_each(lines: list[str], final_break: bool, parts: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lines.jsonl"
        path.write_bytes(("\n".join(lines) + ("\n" if final_break else "")).encode("utf-8"))
        ranges = byte_ranges(path, parts)
        size = path.stat().st_size
        # Consecutive, from 0 to the end, each starting a line, none empty, at most as many as asked.
        assert [start for start, _ in ranges] == [0, *[stop for _, stop in ranges[:-1]]] if ranges else size == 0
        assert not ranges or ranges[-1][1] == size
        content = path.read_bytes()
        assert all(start < stop and (start == 0 or content[start - 1 : start] == b"\n") for start, stop in ranges)
        assert len(ranges) <= parts

        def seen(items: Any) -> list[tuple[int, Any]]:
            return [(i.offset, i.record.value) if hasattr(i, "offset") else (-1, i.message) for i in items]

        whole = [item for item in seen(scan(path, "f", 1000)) if item[1] != "empty file: no JSON documents"]
        in_parts = [item for start, stop in ranges for item in seen(scan(path, "f", 1000, start=start, stop=stop))]
        assert in_parts == whole


def test_a_gold_digest_of_parts_equals_the_digest_of_the_documents_one_by_one(tmp_path: Path) -> None:
    documents = [replace(document, id=f"d{i}") for i, document in enumerate(bundled_gold() * 3)]
    one_by_one = GoldDigest()
    for document in documents:
        one_by_one.add(document)
    whole = GoldDigest()
    for chunk in (documents[:1], documents[1:1], documents[1:]):
        part = GoldDigest(part=True)
        for document in chunk:
            part.add(document)
        whole.absorb(part)
    assert (whole.sha256, whole.documents, whole.labels, whole.alternatives, whole.annotated) == (
        one_by_one.sha256,
        one_by_one.documents,
        one_by_one.labels,
        one_by_one.alternatives,
        one_by_one.annotated,
    )
    with pytest.raises(ValueError, match="no hash of its own"):
        _ = GoldDigest(part=True).sha256


def _lines(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row) + "\n" for row in rows)


def _written(report: Any) -> str:
    """The report as the command line writes it (the bytes a test of identity compares)."""
    return report_json(report.to_dict())


BAD_CASES = [
    "repeated gold id", "invalid gold document", "a gold line not JSON", "blank gold file", "unknown predicted id",
    "repeated predicted id", "missing predictions", "invalid prediction", "a prediction not an object",
    "an id not a string", "a line over the limit", "a byte-order mark", "not UTF-8", "empty predictions file",
    "predictions a folder",
]  # fmt: skip


def _bad_files(tmp_path: Path, case: str) -> tuple[Path, Path]:
    gold_file, predictions_file, rows = _corpus(tmp_path, 9)
    golds = [json.loads(line) for line in gold_file.read_text().splitlines()]
    if case == "repeated gold id":
        gold_file.write_text(_lines([*golds[:7], dict(golds[7], id=golds[1]["id"]), golds[8]]))
    elif case == "invalid gold document":
        gold_file.write_text(_lines([*golds[:6], dict(golds[6], text=7), *golds[7:]]))
    elif case == "a gold line not JSON":
        gold_file.write_text(_lines(golds[:5]) + "{not json\n" + _lines(golds[5:]))
    elif case == "blank gold file":
        gold_file.write_text("\n\n")
    elif case == "unknown predicted id":
        predictions_file.write_text(_lines([*rows[:8], dict(rows[8], id="nowhere")]))
    elif case == "repeated predicted id":
        predictions_file.write_text(_lines([*rows, rows[2]]))
    elif case == "missing predictions":
        predictions_file.write_text(_lines(rows[:-1]))
    elif case == "invalid prediction":
        predictions_file.write_text(_lines([*rows[:6], dict(rows[6], entities=[{"type": 3}]), *rows[7:]]))
    elif case == "a prediction not an object":
        predictions_file.write_text(_lines(rows[:4]) + "[1]\n" + _lines(rows[4:]))
    elif case == "an id not a string":
        predictions_file.write_text(_lines([*rows[:5], dict(rows[5], id=5), *rows[6:]]))
    elif case == "a line over the limit":
        long = dict(rows[3], entities=rows[3]["entities"] * 40)
        predictions_file.write_text(_lines([*rows[:3], long, *rows[4:]]))
    elif case == "a byte-order mark":
        predictions_file.write_bytes(b"\xef\xbb\xbf" + _lines(rows).encode())
    elif case == "not UTF-8":
        predictions_file.write_bytes(_lines(rows[:4]).encode() + b'{"id": "\xff"}\n' + _lines(rows[4:]).encode())
    elif case == "empty predictions file":
        predictions_file.write_text("")
    elif case == "predictions a folder":
        predictions_file.unlink()
        predictions_file.mkdir()
    return gold_file, predictions_file


@pytest.mark.parametrize("case", BAD_CASES)
def test_a_bad_file_gives_the_same_problems_with_several_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    gold_file, predictions_file = _bad_files(tmp_path, case)
    max_line = 4000  # a usual line of the corpus is shorter, the long one longer

    def problems(jobs: int) -> list[str]:
        with pytest.raises(InputError) as raised:
            evaluate(predictions_file, gold=gold_file, jobs=jobs, max_line=max_line)
        return [str(problem) for problem in raised.value.problems]

    serial = problems(1)
    assert serial  # the case is a problem at all
    monkeypatch.setattr(streaming, "PARALLEL_FROM", 0)  # these small files in several processes too
    assert problems(3) == serial
    # The processes found a problem and left it to the passes in one process to tell.
    assert _evaluate_in_parts(predictions_file, gold_file, EvalConfig(), max_line=max_line, jobs=3) is None


def test_evaluate_with_jobs_scores_files_from_their_size_in_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gold_file, predictions_file, _ = _corpus(tmp_path, 8)
    calls = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return _evaluate_in_parts(*args, **kwargs)

    monkeypatch.setattr(streaming, "_evaluate_in_parts", spy)
    one = _written(evaluate(predictions_file, gold=gold_file))
    small = _written(evaluate(predictions_file, gold=gold_file, jobs=2))
    assert not calls  # small files: one process
    monkeypatch.setattr(streaming, "PARALLEL_FROM", 0)
    several = _written(evaluate(predictions_file, gold=gold_file, jobs=2))
    assert len(calls) == 1
    assert several == small == one


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_several_processes_give_the_report_of_one_on_many_parts(tmp_path: Path, line_end: str) -> None:
    gold_file, predictions_file, _ = _corpus(tmp_path, 40)
    for path in (gold_file, predictions_file):  # blank lines here and there, no final line break
        lines = path.read_text().splitlines()
        path.write_text(line_end.join(line + line_end * (index % 7 == 3) for index, line in enumerate(lines)))
    for errors in ("all", "sample", "none"):
        one = evaluate(predictions_file, gold=gold_file, errors=errors)
        config = EvalConfig(errors=errors)
        several = _evaluate_in_parts(predictions_file, gold_file, config, max_line=2**20, jobs=3)
        assert several is not None  # scored in parts, not left to one process
        assert _written(several) == _written(one)


def test_several_processes_give_the_memorization_gap_and_labels_of_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A gold file with counterfactual variants (`variant_of`) and a labels sidecar.
    documents = bundled_gold_with_variants()
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join(json.dumps(document.to_json()) + "\n" for document in documents))
    declared = house_labels().to_json()
    declared["entity_types"] = sorted({entity.type for document in documents for entity in document.entities})
    declared.pop("arguments", None)  # any types at a relation's ends
    gold_file.with_name("gold.labels.json").write_text(json.dumps(declared))
    rows = [{"id": d.id, "entities": [{"type": e.type, "name": e.name} for e in d.entities[::2]]} for d in documents]
    predictions_file = tmp_path / "predictions.jsonl"
    predictions_file.write_text(_lines(rows))
    one = evaluate(predictions_file, gold=gold_file)
    assert one.memorization
    monkeypatch.setattr(streaming, "PARALLEL_FROM", 0)
    assert _written(evaluate(predictions_file, gold=gold_file, jobs=2)) == _written(one)
