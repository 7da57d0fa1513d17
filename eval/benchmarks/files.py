"""The synthetic workload written as the files users have: a gold corpus and a predictions file.

Each document's text is a title line and then one token a word ("w0 w1 w2 ..."), so that a
span on the token grid of `benchmarks.workload` is also a character span, and the same
files can be read back as token BIO tags for seqeval. The gold is a valid factgold corpus
(`factgold validate` accepts it); the predictions are flat NER output (one entity a mention),
as NER tools write it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks.workload import Document, Rates, workload

# The workload's abstract types, as OntoNotes types of the gold schema.
GOLD_TYPE = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": "NORP"}
TITLE = "Synthetic benchmark document"


def _text(tokens: int) -> tuple[str, list[int]]:
    """The document text and the character offset where each token starts."""
    starts = []
    offset = len(TITLE) + 1
    for index in range(tokens):
        starts.append(offset)
        offset += len(f"w{index}") + 1
    return TITLE + "\n" + " ".join(f"w{index}" for index in range(tokens)), starts


def _char_span(starts: Sequence[int], text: str, start: int, end: int) -> tuple[int, int]:
    """Character offsets of the tokens [start, end)."""
    last = starts[end - 1]
    return starts[start], text.index(" ", last) if " " in text[last:] else len(text)


def documents(mentions: int, per_document: int, *, seed: int = 0) -> Iterator[tuple[str, Document]]:
    """(document id, workload document) pairs, with the workload's default error rates."""
    for index, document in enumerate(workload(mentions, per_document, seed=seed, rates=Rates())):
        yield f"doc{index:07d}", document


def gold_document(doc_id: str, document: Document) -> dict[str, Any]:
    text, starts = _text(document.tokens)
    entities = []
    for index, (start, end, label) in enumerate(document.gold):
        begin, finish = _char_span(starts, text, start, end)
        mention = {"start": begin, "end": finish, "text": text[begin:finish], "kind": "name"}
        entity = {"id": f"E{index + 1}", "type": GOLD_TYPE[label], "name": mention["text"], "mentions": [mention]}
        entities.append(entity)
    return {
        "id": doc_id,
        "title": TITLE,
        "text": text,
        "source": "synthetic",
        "language": "en",
        "entities": entities,
        "relations": [],
        "numeric_facts": [],
        "time_expressions": [],
    }


def predicted_document(doc_id: str, document: Document) -> dict[str, Any]:
    text, starts = _text(document.tokens)
    entities = []
    for start, end, label in document.predicted:
        begin, finish = _char_span(starts, text, start, end)
        entities.append({"type": GOLD_TYPE[label], "mentions": [{"start": begin, "end": finish}]})
    return {"id": doc_id, "entities": entities}


def write(folder: Path, mentions: int, per_document: int, *, seed: int = 0) -> tuple[Path, Path]:
    """Write ``gold.jsonl`` and ``predictions.jsonl`` into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    gold_path, predictions_path = folder / "gold.jsonl", folder / "predictions.jsonl"
    with gold_path.open("w", encoding="utf-8") as gold, predictions_path.open("w", encoding="utf-8") as predicted:
        for doc_id, document in documents(mentions, per_document, seed=seed):
            gold.write(json.dumps(gold_document(doc_id, document)) + "\n")
            predicted.write(json.dumps(predicted_document(doc_id, document)) + "\n")
    return gold_path, predictions_path
