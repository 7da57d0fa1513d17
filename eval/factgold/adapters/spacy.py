"""spaCy ``Doc.to_json()`` output: ``{"text", "ents": [{"start", "end", "label"}], ...}``.

Character offsets, end exclusive, as factgold's. A JSON list of such objects is several
documents; each is matched to a gold document by its text when no id is given.
"""

from __future__ import annotations

from typing import Any

from factgold.adapters import Conversion, Source, entity
from factgold.adapters.labels import LabelMap
from factgold.errors import UsageError


def convert(source: Source, labels: LabelMap) -> Conversion:
    docs = source.content if isinstance(source.content, list) else [source.content]
    if not all(isinstance(d, dict) and isinstance(d.get("ents"), list) for d in docs):
        raise UsageError('spacy: expected Doc.to_json() output, an object with "ents" (or a list of them)')
    unmapped: set[str] = set()
    documents: list[dict[str, Any]] = []
    for doc in docs:
        doc_id = source.doc_id if len(docs) == 1 else None
        entities = [entity(labels(e["label"], unmapped), e["start"], e["end"]) for e in doc["ents"]]
        documents.append({"id": doc_id, "text": doc.get("text"), "entities": entities})
    return Conversion(tuple(documents), tuple(sorted(unmapped)))
