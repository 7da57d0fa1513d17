"""The JSON report is byte-identical across runs, hash seeds and input orders; fuzzed input
gives clear errors or valid reports, never anything else; the gold is never written."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import GOLD_FILE, REPO
from factgold.errors import InputError
from factgold.run.evaluation import evaluate
from test_properties import predictions
from test_validate import _json_values


def _report_bytes(path: Path, seed: str) -> bytes:
    environment = {**os.environ, "PYTHONHASHSEED": seed}
    command = [
        sys.executable,
        "-m",
        "factgold",
        "eval",
        str(path),
        "--format",
        "json",
        "--bootstrap",
        "50",
        "--seed",
        "3",
    ]
    return subprocess.run(command, capture_output=True, check=True, cwd=REPO, env=environment).stdout


def test_report_is_byte_identical_across_hash_seeds_and_orders(tmp_path: Path) -> None:
    baseline = subprocess.run(
        [sys.executable, "-m", "factgold", "baseline"], capture_output=True, check=True, cwd=REPO
    ).stdout
    forward = tmp_path / "forward.jsonl"
    forward.write_bytes(baseline)
    prediction = json.loads(baseline)
    for layer in ("entities", "relations", "numeric_facts"):
        prediction[layer].reverse()
    backward = tmp_path / "backward.jsonl"
    backward.write_text(json.dumps(prediction) + "\n")
    outputs = {_report_bytes(path, seed) for path in (forward, backward) for seed in ("0", "1", "12345")}
    assert len(outputs) == 1


def test_the_gold_is_never_written(tmp_path: Path) -> None:
    before = (hashlib.sha256(GOLD_FILE.read_bytes()).hexdigest(), GOLD_FILE.stat().st_mtime_ns)
    evaluate(str(GOLD_FILE), gold=GOLD_FILE)
    after = (hashlib.sha256(GOLD_FILE.read_bytes()).hexdigest(), GOLD_FILE.stat().st_mtime_ns)
    assert before == after


_documents = st.fixed_dictionaries(
    {"id": st.just("000_8ba8a8b9c66a07ae")},
    optional={
        "entities": _json_values,
        "relations": _json_values,
        "numeric_facts": _json_values,
        "extra": _json_values,
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_json_values, _documents, predictions()))
def test_fuzzed_predictions_give_a_clear_error_or_a_valid_report(value: Any) -> None:
    problems: tuple[Any, ...] = ()
    report: dict[str, Any] = {}
    try:
        report = evaluate([value]).to_dict()
    except InputError as error:
        problems = error.problems
    if problems:
        assert all(str(problem).startswith("<predictions>:1: $") for problem in problems)
    else:
        assert report["signature"].startswith("factgold:")
        json.dumps(report, allow_nan=False)  # serializable, no NaN


def test_parallel_scoring_gives_the_same_report(tmp_path: Path) -> None:
    gold = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
    documents = [dict(gold, id=f"copy{i}") for i in range(6)]
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join(json.dumps(d) + "\n" for d in documents))
    predictions = [
        {
            "id": d["id"],
            "entities": d["entities"][: 3 + i],
            "numeric_facts": [dict(f, subject=None) for f in d["numeric_facts"][:i]],
        }
        for i, d in enumerate(documents)
    ]
    one = evaluate(predictions, gold=gold_file).to_dict()
    two = evaluate(predictions, gold=gold_file, jobs=2).to_dict()
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)
    assert [d["id"] for d in two["documents"]] == [d["id"] for d in documents]
