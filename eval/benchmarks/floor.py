"""A lower bound: the least work one Python process does to write factgold's default report.

    python eval/benchmarks/floor.py items|counts GOLD PREDICTIONS OUTPUT

Not a scorer. It does a small part of what `factgold eval` does on the benchmark's flat NER
files (`benchmarks.files`), each step with the libraries factgold reads and checks with, so
that its time bounds from below the time of one process that writes the same report with
them (several processes, or another parser and validator, are another matter):

- reads both JSON Lines files with orjson, and checks every document against its JSON
  Schema with the compiled validator factgold uses (``jsonschema_rs``: the gold against the
  gold contract, the predictions against theirs);
- matches each predicted span to a gold span once per document, by exact offsets (a dict
  lookup), then pairs each gold span left with a predicted one left that starts or ends
  where it does (a boundary error, as the benchmark's files make them: one item, as
  factgold lists it), and takes those categories (correct, type, boundary, missed,
  spurious) for three views (mentions, clusters, entity level), counted in each;
- ``items``: lists one item per category in each view, as the report's items are (task,
  category, document, gold and predicted sides), as many as factgold lists on these files,
  sorts them by document and offset, and writes them with the counts as JSON; ``counts``:
  writes the counts alone, as ``--errors none`` does.

What it leaves out of the report's work: the strict reading of JSON (duplicate keys, large
integers), the checks beyond the schema (offsets against the text, unique ids, mentions and
documents), the gold hash, overlaps other than a shared start or end (the partial and exact
schemes), per-type counts, type confusion, the coreference metrics, names in the entity
level, each document's headline, the signature and the report's other sections. The
collector is paused, as factgold pauses it.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Any

import orjson

VIEWS = ("mentions", "entities", "entity_level")

Span = tuple[int, int]
# A category with its gold and predicted sides: (category, gold span, gold type, predicted span, predicted type).
Labelled = tuple[str, Span | None, str | None, Span | None, str | None]


def _validators() -> tuple[Any, Any]:
    """The compiled validators of the gold contract and of predictions, as factgold builds them."""
    from factgold.read.schema import contract_validator, validator

    return contract_validator(), validator("predictions.schema.json")


def _spans(document: dict[str, Any]) -> dict[Span, str]:
    return {(m["start"], m["end"]): e["type"] for e in document["entities"] for m in e["mentions"]}


def _labelled(gold: dict[Span, str], predicted: dict[Span, str]) -> list[Labelled]:
    """Every gold and predicted span in one category, matched once for all views."""
    labelled: list[Labelled] = []
    left = {span: label for span, label in predicted.items() if span not in gold}
    by_start = {span[0]: span for span in left}
    by_end = {span[1]: span for span in left}
    for span, label in gold.items():
        other = predicted.get(span)
        if other is not None:
            labelled.append(("correct" if other == label else "type", span, label, span, other))
            continue
        near = by_start.get(span[0])
        if near is None or near not in left:
            near = by_end.get(span[1])
        if near is not None and near in left:
            labelled.append(("boundary", span, label, near, left.pop(near)))
        else:
            labelled.append(("missed", span, label, None, None))
    labelled += [("spurious", None, None, span, label) for span, label in left.items()]
    return labelled


def _side(span: Span | None, text: str, label: str | None) -> dict[str, Any] | None:
    if span is None:
        return None
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
            labelled = _labelled(_spans(document), _spans(predicted))
            for view in VIEWS:
                for category, gold_span, gold_label, predicted_span, predicted_label in labelled:
                    counts[view, category] = counts.get((view, category), 0) + 1
                    if items_listed:
                        items.append(
                            {
                                "task": view, "category": category, "document": doc_id,
                                "gold": _side(gold_span, text, gold_label),
                                "predicted": _side(predicted_span, text, predicted_label),
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
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        run(Path(gold), Path(predictions), Path(output), items_listed=mode == "items")
    finally:
        if was_enabled:
            gc.enable()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
