"""Adapters: other tools' output shapes converted to factgold predictions.

Each adapter is one function from the tool's parsed output to prediction documents, in a
module named after the tool. Labels go through a `LabelMap`; a label that is already a
gold type passes unchanged, and one with no mapping is kept as it is (it is then scored as
a type error and listed by the report) and named in `Conversion.unmapped`, never dropped.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from factgold.errors import InputError, Problem, UsageError
from factgold.read.adapters.labels import LabelMap
from factgold.read.document import Document
from factgold.read.jsonl import decode_utf8, parse_json, read_json_records


@dataclass(frozen=True)
class Conversion:
    """Prediction documents converted from a tool's output, and the labels left unmapped."""

    documents: tuple[dict[str, Any], ...]
    unmapped: tuple[str, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())  # what the adapter changed or dropped, counted
    prompt_version: str | None = None  # the factgold prompt an LLM answer says it answers


@dataclass(frozen=True)
class Source:
    """A tool's output, read: its parsed content, plus the document it is for when it names none."""

    content: Any
    doc_id: str | None
    text: str | None
    texts: Mapping[str, str] = field(default_factory=dict)  # the gold's texts by document id


Adapter = Callable[[Source, LabelMap], Conversion]


def adapters() -> dict[str, Adapter]:
    """The adapters by format name (imported here so that each module stays on its own)."""
    from factgold.read.adapters import brat, conll, gliner, hf, langextract, llm, spacy

    return {
        "conll": conll.convert,
        "llm": llm.convert,
        "hf": hf.convert,
        "spacy": spacy.convert,
        "gliner": gliner.convert,
        "langextract": langextract.convert,
        "brat": brat.convert,
    }


def entity(
    label: str | None, start: int | None, end: int | None, text: str | None = None, score: float | None = None
) -> dict[str, Any]:
    """A one-mention prediction entity (a flat NER output is one entity per mention)."""
    mention: dict[str, Any] = {"start": start, "end": end} if start is not None and end is not None else {"text": text}
    return {"type": label, "mentions": [mention], **({"score": score} if score is not None else {})}


# Each tool's usual label set: Hugging Face NER models are mostly CoNLL-2003 trained; GLiNER
# and LangExtract take free-text labels; spaCy's English pipelines and BRAT files from the
# gold use the gold's own types.
DEFAULT_LABEL_MAPS = {"hf": "conll", "gliner": "gliner", "langextract": "gliner", "llm": "gliner"}


def convert_file(
    format_name: str,
    path: str,
    gold: Sequence[Document],
    *,
    doc_id: str | None = None,
    label_map: str | None = None,
    strict: bool = False,
) -> Conversion:
    """Read a tool's output file (``-``: standard input) and convert it to prediction documents.

    Output that names no document goes to ``doc_id``, else to the gold document whose text
    it carries, else to the gold's only document; otherwise it is a usage error.
    """
    registry = adapters()
    if format_name not in registry:
        raise UsageError(f"unknown format {format_name!r}; one of: {', '.join(sorted(registry))}")
    raw = sys.stdin.buffer.read() if path == "-" else _read(path)
    name = "<stdin>" if path == "-" else path
    text, problems = decode_utf8(raw, name)
    if text is None:
        raise InputError(problems)
    content: Any
    if format_name in ("brat", "llm", "conll"):
        content = text
    elif format_name == "langextract":
        records, problems = read_json_records(raw, name, allow_array=True)
        if problems:
            raise InputError(problems)
        content = [record.value for record in records]
    else:
        content = _one_json_value(text, name)
    labels = LabelMap.load(label_map, default=DEFAULT_LABEL_MAPS.get(format_name, "ontonotes"))
    adapter = registry[format_name]
    if strict:
        if format_name != "llm":
            raise UsageError(f"--strict applies to --from llm, not {format_name}")
        from factgold.read.adapters import llm

        adapter = partial(llm.convert, strict=True)
    try:
        conversion = adapter(Source(content, doc_id, None, {doc.id: doc.text for doc in gold}), labels)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        # The tool's output does not have the shape its adapter reads; say so, not a traceback.
        detail = f"missing field {error}" if isinstance(error, KeyError) else str(error)
        raise UsageError(f"{name}: not {format_name} output as expected ({detail})") from None
    dropped, dropping_notes = _drop_unlabelled(conversion.documents)
    conversion = replace(conversion, notes=conversion.notes + dropping_notes)
    documents = tuple(_assign_ids(dropped, gold, doc_id, name))
    _check_converted(documents, gold, name, format_name)
    return replace(conversion, documents=documents)


def _drop_unlabelled(documents: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    """Leave out the entities whose label the label map drops (type None), and what refers to them."""
    kept_documents: list[dict[str, Any]] = []
    entities_dropped = references_dropped = 0
    for document in documents:
        entities = document.get("entities") or []
        gone = [e for e in entities if isinstance(e, dict) and "type" in e and e["type"] is None]
        if not gone:
            kept_documents.append(document)
            continue
        entities_dropped += len(gone)
        gone_ids = {e["id"] for e in gone if isinstance(e.get("id"), str)}
        document = {**document, "entities": [e for e in entities if e not in gone]}
        for layer, ends in (("relations", ("head", "tail")), ("numeric_facts", ("subject",))):
            if layer in document:
                items = document[layer]
                document[layer] = [i for i in items if not any(i.get(end) in gone_ids for end in ends)]
                references_dropped += len(items) - len(document[layer])
        kept_documents.append(document)
    notes = []
    if entities_dropped:
        notes.append(f"label map: entities whose label it drops (null) left out ({entities_dropped})")
    if references_dropped:
        notes.append(f"label map: relations and facts about those entities left out ({references_dropped})")
    return kept_documents, tuple(notes)


def _has_offsets(document: dict[str, Any]) -> bool:
    """Whether a converted document places anything by offsets (text-only items carry none)."""
    spans = [m for e in document.get("entities") or () for m in e.get("mentions") or ()]
    spans += [f["mention"] for f in document.get("numeric_facts") or () if isinstance(f.get("mention"), dict)]
    return any(isinstance(span, dict) and "start" in span for span in spans)


def _check_converted(
    documents: Sequence[dict[str, Any]], gold: Sequence[Document], name: str, format_name: str
) -> None:
    """Converted documents must be valid predictions; a problem names the tool's output file."""
    from factgold.read.predictions import check_predictions_document

    by_id = {doc.id: doc for doc in gold}
    problems = []
    for number, document in enumerate(documents, start=1):
        for problem in check_predictions_document(document, by_id, file=name, line=number):
            problems.append(replace(problem, message=f"{problem.message} (in the {format_name} output converted)"))
    if problems:
        raise InputError(problems)


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def _one_json_value(text: str, name: str) -> Any:
    """A whole file as one JSON value (tools write pretty-printed JSON)."""
    import json

    try:
        return parse_json(text)
    except json.JSONDecodeError as error:
        raise InputError(
            [Problem(name, error.lineno, "$", f"invalid JSON: {error.msg} (column {error.colno})")]
        ) from None
    except ValueError as error:
        raise InputError([Problem(name, 1, "$", f"invalid JSON: {error}")]) from None


def _assign_ids(
    documents: Sequence[dict[str, Any]], gold: Sequence[Document], doc_id: str | None, name: str
) -> list[dict[str, Any]]:
    by_text = {doc.text: doc.id for doc in gold}
    gold_ids = {doc.id for doc in gold}
    assigned = []
    for document in documents:
        document = dict(document)
        text = document.pop("text", None)
        if doc_id is not None:
            document["id"] = doc_id  # the user's word wins over any id the tool wrote
        elif document.get("id") not in gold_ids and text in by_text:
            document["id"] = by_text[text]  # a tool's own document id, recognized by the text
        if not document.get("id"):
            if text is not None and text in by_text:
                document["id"] = by_text[text]
            elif doc_id is not None:
                document["id"] = doc_id
            elif len(gold) == 1:
                document["id"] = gold[0].id
            else:
                raise UsageError(f"{name}: the output names no document; give --doc-id")
        gold_text = {doc.id: doc.text for doc in gold}.get(document["id"])
        if text is not None and gold_text is not None and text != gold_text and _has_offsets(document):
            # Offsets into another text (the article without its title, with other quotes)
            # would all be shifted: every score would collapse with no word of why.
            raise UsageError(
                f"{name}: the text the output carries is not the text of gold document {document['id']!r}, "
                "so its offsets do not fit it; run the tool on the gold text"
            )
        assigned.append(document)
    return assigned
