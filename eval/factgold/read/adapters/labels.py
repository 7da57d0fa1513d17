"""Label maps: data that turns a tool's labels into the gold's entity types."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from factgold.errors import UsageError
from factgold.read.schema import entity_types

# CoNLL-2003's four types. LOC in CoNLL news text is mostly countries and cities (GPE in
# OntoNotes); MISC is mostly nationalities and other groups (NORP). Both are approximations,
# which is why a preset is data the user can replace.
PRESETS: dict[str, dict[str, str]] = {
    "conll": {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": "NORP"},
    "ontonotes": {},  # spaCy's English pipelines use the gold's OntoNotes labels already
    "gliner": {
        "person": "PERSON", "organization": "ORG", "organisation": "ORG", "company": "ORG", "agency": "ORG",
        "location": "GPE", "country": "GPE", "city": "GPE", "province": "GPE", "place": "LOC",
        "nationality": "NORP", "facility": "FAC", "infrastructure": "FAC", "port": "FAC", "event": "EVENT",
        "product": "PRODUCT", "law": "LAW", "language": "LANGUAGE", "work of art": "WORK_OF_ART",
    },
}  # fmt: skip


# OntoNotes' numeric entity labels (spaCy's, BRAT exports') as factgold's numeric fact kinds.
NUMERIC_LABELS = {
    "MONEY": "money",
    "PERCENT": "percent",
    "QUANTITY": "quantity",
    "CARDINAL": "cardinal",
    "ORDINAL": "ordinal",
}


@dataclass(frozen=True)
class LabelMap:
    """Maps a tool's labels to gold types; remembers the labels it could not map.

    A label mapped to ``None`` (``null`` in a label-map file) is dropped on purpose: the
    entities that carry it are left out, and the conversion's notes count them.
    """

    mapping: Mapping[str, str | None] = field(default_factory=dict)

    def __call__(self, label: str, unmapped: set[str]) -> str | None:
        if not isinstance(label, str):  # a tool's output of the wrong shape: the adapter says so
            raise TypeError(f"label {label!r} is not a string")
        if label in self.mapping:
            return self.mapping[label]
        if label not in entity_types():
            unmapped.add(label)
        return label

    @classmethod
    def load(cls, spec: str | None, default: str = "ontonotes") -> LabelMap:
        """A preset by name, or a JSON file holding one object of label -> type."""
        spec = spec or default
        if spec in PRESETS:
            return cls(PRESETS[spec])
        path = Path(spec)
        if not path.is_file():
            raise UsageError(f"label map {spec!r} is neither a preset ({', '.join(sorted(PRESETS))}) nor a file")
        try:
            mapping = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise UsageError(f"label map {spec}: cannot read it as JSON ({error})") from None
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in mapping.items()
        ):
            raise UsageError(f"label map {spec}: expected one JSON object of label -> type (or null: drop it)")
        return cls(mapping)
