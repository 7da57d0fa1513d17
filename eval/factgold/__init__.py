"""factgold: a gold-standard benchmark for information extraction from news.

The gold corpus (entities as coreference clusters, relations, numeric facts, time
expressions) lives in the ``corpus/`` dataset folder; `evaluate` scores an extractor's
predictions against it and explains every error::

    import factgold
    report = factgold.evaluate("predictions.jsonl", mentions="all")
    print(report.signature, report.headline)
    report.to_dict()  # the JSON report

Names are imported lazily, so that ``import factgold`` and the command line start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"
__all__ = ["EvalConfig", "Report", "__version__", "evaluate", "score_document"]

if TYPE_CHECKING:
    from factgold.run.evaluation import evaluate
    from factgold.run.report import Report
    from factgold.score.config import EvalConfig
    from factgold.score.per_document import score_document

_LAZY = {
    "EvalConfig": "factgold.score.config",
    "Report": "factgold.run.report",
    "evaluate": "factgold.run.evaluation",
    "score_document": "factgold.score.per_document",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'factgold' has no attribute {name!r}")
