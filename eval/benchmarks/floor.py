"""A lower bound: the least work any Python program does to write factgold's default report.

    python eval/benchmarks/floor.py items|counts GOLD PREDICTIONS OUTPUT

Not a scorer. It does a small part of what `factgold eval` does on the benchmark's flat NER
files (`benchmarks.files`), each step the cheapest Python has, so that its time bounds
from below the time of any Python program that writes the same report:

- reads both JSON Lines files with orjson, and checks every document against its JSON
  Schema with the compiled validator factgold uses (``jsonschema_rs``: the gold against the
  gold contract, the predictions against theirs);
- matches each predicted span to a gold span by exact offsets, one dict lookup, in three
  views (mentions, clusters, entity level), and counts each view's categories (correct,
  type, missed, spurious);
- ``items``: lists one item per gold and unmatched predicted mention in each view, as
  the report's items are (task, category, document, gold and predicted sides), sorts
  them by document and offset, and writes them with the counts as JSON; ``counts``: writes
  the counts alone, as ``--errors none`` does.

What it leaves out of the report's work: the checks beyond the schema (offsets against the
text, unique ids and mentions), the gold hash, overlapping spans (the partial and exact
schemes, boundary errors), per-type counts, type confusion, the coreference metrics, names
in the entity level, the signature and the report's other sections. The collector is
paused, as factgold pauses it.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Any

import orjson

VIEWS = ("mentions", "entities", "entity_level")


def _validators() -> tuple[Any, Any]:
    """The compiled validators of the gold contract and of predictions, as factgold builds them."""
    from factgold.read.schema import contract_validator, validator

    return contract_validator(), validator("predictions.schema.json")


def _spans(document: dict[str, Any]) -> dict[tuple[int, int], str]:
    return {(m["start"], m["end"]): e["type"] for e in document["entities"] for m in e["mentions"]}


def _side(span: tuple[int, int], text: str, label: str) -> dict[str, Any]:
    return {"start": span[0], "end": span[1], "text": text[span[0] : span[1]], "label": label}


def run(gold_path: Path, predictions_path: Path, output: Path, *, items_listed: bool) -> None:
    gold_validator, predictions_validator = _validators()
    gold: dict[str, dict[str, Any]] = {}
    with gold_path.open("rb") as lines:
        for line in lines:
            document = orjson.loads(line)
            if not gold_validator.is_valid(document):
                raise SystemExit(f"{gold_path}: a document the contract refuses")
            gold[document["id"]] = document
    counts: dict[tuple[str, str], int] = {}
    items: list[dict[str, Any]] = []
    with predictions_path.open("rb") as lines:
        for line in lines:
            predicted = orjson.loads(line)
            if not predictions_validator.is_valid(predicted):
                raise SystemExit(f"{predictions_path}: a document the schema refuses")
            document = gold[predicted["id"]]
            text, doc_id = document["text"], document["id"]
            gold_spans, predicted_spans = _spans(document), _spans(predicted)
            for view in VIEWS:
                for span, label in gold_spans.items():
                    other = predicted_spans.get(span)
                    category = "missed" if other is None else "correct" if other == label else "type"
                    counts[view, category] = counts.get((view, category), 0) + 1
                    if items_listed:
                        items.append(
                            {
                                "task": view, "category": category, "document": doc_id,
                                "gold": _side(span, text, label),
                                "predicted": None if other is None else _side(span, text, other),
                                "detail": "", "score": None, "grounded_by": None,
                            }
                        )  # fmt: skip
                for span, label in predicted_spans.items():
                    if span in gold_spans:
                        continue
                    counts[view, "spurious"] = counts.get((view, "spurious"), 0) + 1
                    if items_listed:
                        items.append(
                            {
                                "task": view, "category": "spurious", "document": doc_id, "gold": None,
                                "predicted": _side(span, text, label),
                                "detail": "", "score": None, "grounded_by": None,
                            }
                        )  # fmt: skip
    items.sort(key=lambda item: (item["document"], item["task"], (item["gold"] or item["predicted"])["start"]))
    report = {"error_counts": [[*key, number] for key, number in counts.items()], "errors": items}
    output.write_bytes(orjson.dumps(report))


def main(argv: list[str]) -> int:
    mode, gold, predictions, output = argv
    if mode not in ("items", "counts"):
        raise SystemExit(f"usage: floor.py items|counts GOLD PREDICTIONS OUTPUT (not {mode!r})")
    gc.disable()
    try:
        run(Path(gold), Path(predictions), Path(output), items_listed=mode == "items")
    finally:
        gc.enable()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
