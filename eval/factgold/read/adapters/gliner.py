"""GLiNER ``model.predict_entities(text, labels)`` output: ``[{"start", "end", "text", "label", "score"}]``."""

from __future__ import annotations

from factgold.errors import UsageError
from factgold.read.adapters import Conversion, Source, entity
from factgold.read.adapters.labels import LabelMap


def convert(source: Source, labels: LabelMap) -> Conversion:
    items = source.content
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and {"start", "end", "label"} <= i.keys() for i in items
    ):
        raise UsageError("gliner: expected a JSON list of {start, end, text, label, score} items")
    unmapped: set[str] = set()
    entities = [entity(labels(i["label"], unmapped), i["start"], i["end"], score=i.get("score")) for i in items]
    return Conversion(({"id": source.doc_id, "entities": entities},), tuple(sorted(unmapped)))
