"""The end-to-end benchmark measures like with like: its files are a valid corpus and valid
predictions, and factgold, nervaluate and seqeval read from them the same counts."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import REPO
from factgold.evaluation import evaluate
from factgold.validate import check_gold_file

sys.path.insert(0, str(REPO / "eval"))
from benchmarks import peers
from benchmarks.files import write

NERVALUATE_SCHEME = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}


@pytest.mark.parametrize("per_document", [5, 40])
def test_the_three_tools_count_the_same_on_the_benchmark_files(tmp_path: Path, per_document: int) -> None:
    gold, predictions = write(tmp_path, 400, per_document, seed=3)
    documents, problems = check_gold_file(gold)
    assert problems == []
    assert len(documents) == 400 // per_document
    ours = evaluate(predictions, gold=gold).total.mentions
    theirs = peers.nervaluate(gold, predictions)["overall"]
    for scheme, name in NERVALUATE_SCHEME.items():
        mine = ours[scheme]
        other = theirs[name]
        assert (mine.correct, mine.incorrect, mine.partial, mine.missed, mine.spurious) == (
            other["correct"],
            other["incorrect"],
            other["partial"],
            other["missed"],
            other["spurious"],
        ), scheme
    strict = peers.seqeval(gold, predictions)["micro avg"]
    assert strict["f1-score"] == pytest.approx(ours["strict"].f1)
    assert strict["support"] == ours["strict"].possible
