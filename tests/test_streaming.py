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
from factgold.read.validate import load_gold
from factgold.run import streaming
from factgold.run.evaluation import bundled_gold, evaluate
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


def test_streamed_report_equals_the_in_memory_one(tmp_path: Path) -> None:
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
    return gold_file, predictions_file


@pytest.mark.parametrize(
    "case",
    ["repeated gold id", "invalid gold document", "a gold line not JSON", "blank gold file", "unknown predicted id",
     "repeated predicted id", "missing predictions", "invalid prediction"],
)  # fmt: skip
def test_a_bad_file_gives_the_same_problems_with_several_processes(tmp_path: Path, case: str) -> None:
    gold_file, predictions_file = _bad_files(tmp_path, case)

    def problems(jobs: int) -> list[str]:
        with pytest.raises(InputError) as raised:
            evaluate(predictions_file, gold=gold_file, jobs=jobs)
        return [str(problem) for problem in raised.value.problems]

    serial = problems(1)
    assert serial  # the case is a problem at all
    assert problems(3) == serial
    # The processes found a problem and left it to the passes in one process to tell.
    assert _evaluate_in_parts(predictions_file, gold_file, EvalConfig(), max_line=2**20, jobs=3) is None


def test_evaluate_with_jobs_scores_files_from_their_size_in_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gold_file, predictions_file, _ = _corpus(tmp_path, 8)
    calls = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return _evaluate_in_parts(*args, **kwargs)

    monkeypatch.setattr(streaming, "_evaluate_in_parts", spy)
    one = evaluate(predictions_file, gold=gold_file).to_dict()
    small = evaluate(predictions_file, gold=gold_file, jobs=2).to_dict()
    assert not calls  # small files: one process
    monkeypatch.setattr(streaming, "PARALLEL_FROM", 0)
    several = evaluate(predictions_file, gold=gold_file, jobs=2).to_dict()
    assert len(calls) == 1
    assert json.dumps(several, sort_keys=True) == json.dumps(small, sort_keys=True) == json.dumps(one, sort_keys=True)


def test_several_processes_give_the_report_of_one_on_many_parts(tmp_path: Path) -> None:
    gold_file, predictions_file, _ = _corpus(tmp_path, 40)
    for errors in ("all", "sample", "none"):
        one = evaluate(predictions_file, gold=gold_file, errors=errors).to_dict()
        config = EvalConfig(errors=errors)
        several = _evaluate_in_parts(predictions_file, gold_file, config, max_line=2**20, jobs=3)
        assert several is not None  # scored in parts, not left to one process
        assert json.dumps(several.to_dict(), sort_keys=True) == json.dumps(one, sort_keys=True)
