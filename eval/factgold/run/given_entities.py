"""Relations scored the way DocRED scores them, from a predictions file (``--relations given-entities``).

The predicted relations name their head and tail by *gold* entity ids (DocRED's vertex
indices become ``E1``, ``E2``, … on import), given as the relation's ``head`` and ``tail``
strings or as the ``id`` of a predicted entity. The score is `factgold.score.given_entities`:
a fact is right when its (document, head, tail, type) is a gold fact; no entity is aligned,
nothing is resolved by name, and accepted alternatives are not credited.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from factgold.read.document import Document
from factgold.read.predictions import (
    Endpoint,
    EntityRef,
    PredictedDocument,
    PredictedText,
    load_predictions,
    predictions_from_objects,
)
from factgold.read.schema import symmetric_relation_types
from factgold.run.report import Report
from factgold.score.given_entities import given_entities_f1


def _gold_id(document: PredictedDocument, end: Endpoint) -> str | None:
    """The gold entity id a relation end names, or None when it names none (a span, an entity without an id)."""
    if isinstance(end, PredictedText):
        return end.text
    if isinstance(end, EntityRef):
        entities = document.entities or ()
        return entities[end.index].id if end.index < len(entities) else None
    return None


def facts(
    documents: Sequence[PredictedDocument],
) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, str, str]]]:
    """(document, head id, tail id, type) of every predicted relation whose ends name ids, and
    of those that do not (an end shown as given): these count as wrong predictions, as every
    row of a DocRED submission counts in its precision."""
    found, unnamed = [], []
    for document in documents:
        for relation in document.relations or ():
            head, tail = _gold_id(document, relation.head), _gold_id(document, relation.tail)
            if head is None or tail is None:
                unnamed.append((document.id, head or repr(relation.head), tail or repr(relation.tail), relation.type))
            else:
                found.append((document.id, head, tail, relation.type))
    return found, unnamed


def given_entities_report(
    report: Report, predictions: Sequence[Any] | str | Path, gold: Sequence[Document]
) -> dict[str, Any]:
    """The report's ``relations_given_entities`` section."""
    if isinstance(predictions, str | Path):
        predicted = load_predictions(predictions, gold)
    elif predictions and all(isinstance(p, PredictedDocument) for p in predictions):
        predicted = [p for p in predictions if isinstance(p, PredictedDocument)]
    else:
        predicted = predictions_from_objects(predictions, gold)
    declared = report.config.symmetric_relations
    symmetric = frozenset(declared) if declared is not None else symmetric_relation_types()
    found, unnamed = facts(predicted)
    score = given_entities_f1(gold, found, symmetric, unnamed=unnamed)
    return {
        "definition": (
            "DocRED's relation F1 (thunlp/DocRED code/evaluation.py): a predicted (document, head id, tail id, "
            "type) is right when it is a gold fact; heads and tails are gold entity ids; repeats count once; "
            "no Ign F1; accepted alternatives are not credited"
        ),
        **score.counts.to_dict(),
        "by_type": {kind: counts.to_dict() for kind, counts in score.by_type.items()},
        "duplicates": score.duplicates,
        "unknown_ids": score.unknown,
        "not_named_by_id": score.unnamed,
    }
