"""The peers run as a user runs them: read the same gold and predictions files, score, write a report.

    python eval/benchmarks/peers.py nervaluate GOLD.jsonl PREDICTIONS.jsonl OUTPUT.json
    python eval/benchmarks/peers.py seqeval GOLD.jsonl PREDICTIONS.jsonl OUTPUT.json

nervaluate gets every name mention as a span (its ends inclusive) and scores all four
schemes, overall and per type; seqeval gets the BIO tags of the same spans over the
documents' whitespace tokens and gives its strict classification report. Neither reads
relations or numeric facts: they have none.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _spans(document: dict[str, Any]) -> list[tuple[int, int, str]]:
    return sorted(
        (m["start"], m["end"], e["type"])
        for e in document.get("entities", [])
        for m in e.get("mentions", [])
        if m.get("kind", "name") == "name" and "start" in m
    )


def _read(gold_path: Path, predictions_path: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    with gold_path.open(encoding="utf-8") as handle:
        gold = [json.loads(line) for line in handle if line.strip()]
    with predictions_path.open(encoding="utf-8") as handle:
        predicted = {doc["id"]: doc for doc in (json.loads(line) for line in handle if line.strip())}
    return gold, predicted


def nervaluate(gold_path: Path, predictions_path: Path) -> dict[str, Any]:
    from nervaluate import Evaluator

    gold, predicted = _read(gold_path, predictions_path)

    def as_dicts(spans: list[tuple[int, int, str]]) -> list[dict[str, Any]]:
        return [{"label": t, "start": s, "end": e - 1} for s, e, t in spans]

    true = [as_dicts(_spans(doc)) for doc in gold]
    pred = [as_dicts(_spans(predicted.get(doc["id"], {}))) for doc in gold]
    tags = sorted({span["label"] for doc in true + pred for span in doc})
    results = Evaluator(true, pred, tags=tags, loader="dict").evaluate()
    return {
        "overall": {scheme: vars(counts) for scheme, counts in results["overall"].items()},
        "by_type": {
            tag: {scheme: vars(counts) for scheme, counts in schemes.items()}
            for tag, schemes in results["entities"].items()
        },
    }


def seqeval(gold_path: Path, predictions_path: Path) -> dict[str, Any]:
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    gold, predicted = _read(gold_path, predictions_path)

    def tags(text: str, spans: list[tuple[int, int, str]]) -> list[str]:
        starts, position = [], 0
        for token in text.split(" "):
            starts.append(position)
            position += len(token) + 1
        index = {start: i for i, start in enumerate(starts)}
        sequence = ["O"] * len(starts)
        for start, end, label in spans:
            first = index.get(start)
            if first is None:
                continue  # not on a token boundary: seqeval cannot say it
            last = first
            while last + 1 < len(starts) and starts[last + 1] < end:
                last += 1
            if all(tag == "O" for tag in sequence[first : last + 1]):
                sequence[first : last + 1] = [f"B-{label}"] + [f"I-{label}"] * (last - first)
        return sequence

    true = [tags(doc["text"], _spans(doc)) for doc in gold]
    pred = [tags(doc["text"], _spans(predicted.get(doc["id"], {}))) for doc in gold]
    report: dict[str, Any] = classification_report(true, pred, mode="strict", scheme=IOB2, output_dict=True)
    return {name: {k: float(v) for k, v in row.items()} for name, row in report.items()}


def main(argv: list[str]) -> int:
    tool, gold, predictions, output = argv
    result = {"nervaluate": nervaluate, "seqeval": seqeval}[tool](Path(gold), Path(predictions))
    Path(output).write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
