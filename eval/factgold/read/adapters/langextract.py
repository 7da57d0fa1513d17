"""LangExtract's JSONL of AnnotatedDocument: ``{"document_id", "text", "extractions": [...]}``.

Each extraction has ``extraction_class``, ``extraction_text`` and a ``char_interval``
(``{"start_pos", "end_pos"}``) that is null when LangExtract could not align the text; such
an extraction becomes a text-only mention, which factgold grounds itself (and reports as
hallucinated when the text is not in the document).
"""

from __future__ import annotations

from typing import Any

from factgold.errors import UsageError
from factgold.read.adapters import Conversion, Source, entity
from factgold.read.adapters.labels import LabelMap


def convert(source: Source, labels: LabelMap) -> Conversion:
    docs = source.content if isinstance(source.content, list) else [source.content]
    if not all(isinstance(d, dict) and isinstance(d.get("extractions"), list) for d in docs):
        raise UsageError('langextract: expected AnnotatedDocument objects with "extractions" (one per line)')
    unmapped: set[str] = set()
    documents: list[dict[str, Any]] = []
    for doc in docs:
        entities = []
        for extraction in doc["extractions"]:
            interval = extraction.get("char_interval") or {}
            start, end = interval.get("start_pos"), interval.get("end_pos")
            label = labels(extraction["extraction_class"], unmapped)
            entities.append(entity(label, start, end, text=extraction.get("extraction_text")))
        doc_id = doc.get("document_id") or (source.doc_id if len(docs) == 1 else None)
        documents.append({"id": doc_id, "text": doc.get("text"), "entities": entities})
    return Conversion(tuple(documents), tuple(sorted(unmapped)))
