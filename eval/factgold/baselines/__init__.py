"""Baseline extractors: honest floors to compare real systems with.

``simple`` needs nothing beyond factgold; the others are optional extras, so that the core
install stays light: ``rules`` (spaCy's blank English pipeline with an EntityRuler built
from the countryinfo gazetteer), ``spacy-sm`` (spaCy's small English model) and
``quantities`` (quantulum3 and text2num, numeric facts only). Relations, where a baseline
predicts them, come from same-sentence co-occurrence (`factgold.baselines.cooccurrence`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from factgold.errors import UsageError

Predictor = Callable[[str, str], dict[str, Any]]

# system name -> (module, pip extra that provides what it needs)
SYSTEMS = {
    "simple": ("factgold.baselines.simple", None),
    "rules": ("factgold.baselines.rules", "rules"),
    "spacy-sm": ("factgold.baselines.spacy_sm", "spacy-sm"),
    "quantities": ("factgold.baselines.quantities", None),
}


def predictor(system: str) -> Predictor:
    """The ``predict(doc_id, text)`` function of a baseline system."""
    if system not in SYSTEMS:
        raise UsageError(f"unknown baseline {system!r}; one of: {', '.join(SYSTEMS)}")
    module_name, extra = SYSTEMS[system]
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        hint = f"pip install 'factgold[{extra}]'" if extra else "pip install factgold"
        raise UsageError(f"baseline {system!r} needs {error.name}, which is not installed: {hint}") from None
    predict: Predictor = module.predict
    return predict
