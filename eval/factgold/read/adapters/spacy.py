"""spaCy ``Doc.to_json()`` output: ``{"text", "ents": [{"start", "end", "label"}], ...}``.

Character offsets, end exclusive, as factgold's. A JSON list of such objects is several
documents; each is matched to a gold document by its text when no id is given.

The entities are read as the ``spacy-sm`` baseline reads the same pipeline's entities, so
that the same output scores the same either way: OntoNotes name types are entities;
MONEY, PERCENT, QUANTITY, CARDINAL and ORDINAL entities are numeric facts, their values read
by `factgold.ground.numbers` from the text; DATE and TIME entities are time expressions, which
are not a predictions task, and are left out (counted in the notes). Other labels go
through the label map.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from factgold.errors import UsageError
from factgold.ground.numbers import parse_number
from factgold.read.adapters import Conversion, Source, entity
from factgold.read.adapters.labels import NUMERIC_LABELS, LabelMap
from factgold.read.schema import entity_types

TIME_LABELS = ("DATE", "TIME")


def from_ents(
    text: str | None, ents: Iterable[tuple[int, int, str]], labels: LabelMap, unmapped: set[str], notes: Counter[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The entities and numeric facts of a pipeline's entities ``(start, end, label)``."""
    gold_types = set(entity_types())
    entities: list[dict[str, Any]] = []
    facts: list[dict[str, Any]] = []
    for start, end, label in ents:
        if label in NUMERIC_LABELS:
            parsed = parse_number(text[start:end]) if text is not None else None
            if parsed is None:
                notes[f"{label} entities whose number cannot be read, left out"] += 1
                continue
            facts.append(
                {
                    "mention": {"start": start, "end": end},
                    "value": parsed.value,
                    "unit": parsed.unit,
                    "kind": NUMERIC_LABELS[label],
                    "approximate": parsed.approximate,
                }
            )
        elif label in TIME_LABELS:
            notes[f"{label} entities (time expressions, not a predictions task) left out"] += 1
        else:
            mapped = label if label in gold_types else labels(label, unmapped)
            entities.append(entity(mapped, start, end))
    return entities, facts


def convert(source: Source, labels: LabelMap) -> Conversion:
    docs = source.content if isinstance(source.content, list) else [source.content]
    if not all(isinstance(d, dict) and isinstance(d.get("ents"), list) for d in docs):
        raise UsageError('spacy: expected Doc.to_json() output, an object with "ents" (or a list of them)')
    unmapped: set[str] = set()
    notes: Counter[str] = Counter()
    documents: list[dict[str, Any]] = []
    for doc in docs:
        doc_id = source.doc_id if len(docs) == 1 else None
        text = doc.get("text") if isinstance(doc.get("text"), str) else None
        ents = [(e["start"], e["end"], e["label"]) for e in doc["ents"]]
        entities, facts = from_ents(text, ents, labels, unmapped, notes)
        documents.append({"id": doc_id, "text": text, "entities": entities, "numeric_facts": facts})
    described = tuple(f"spacy output: {what} ({count})" for what, count in sorted(notes.items()))
    return Conversion(tuple(documents), tuple(sorted(unmapped)), described)
