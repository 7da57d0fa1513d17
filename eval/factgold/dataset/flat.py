"""The flat configs: one row per mention, relation, numeric fact or time expression.

Each flat config's fields are named here once, each tied to the schema node that gives
its type; `flat_rows` fills them from typed documents and `flat_properties` gives the
schema nodes the card's features are generated from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from factgold.read.document import Document
from factgold.read.schema import definition

DOC_ID = {"type": "string", "description": "Id of the document the row belongs to."}


def _prop(definition_name: str, field: str) -> dict[str, Any]:
    node: dict[str, Any] = definition(definition_name)["properties"][field]
    return node


def flat_properties() -> dict[str, dict[str, dict[str, Any]]]:
    """For each flat config, its fields in order, each with the schema node of its type."""
    span = definition("span")["properties"]
    return {
        "mentions": {
            "doc_id": DOC_ID,
            "entity_id": _prop("entity", "id"),
            "entity_type": _prop("entity", "type"),
            "entity_name": _prop("entity", "name"),
            # A mention's accepted alternative extents stay in the documents config.
            **{k: v for k, v in definition("mention")["properties"].items() if k != "alternatives"},
        },
        "relations": {
            "doc_id": DOC_ID,
            **{name: _prop("relation", name) for name in ("id", "type", "head", "tail")},
            "head_name": _prop("entity", "name"),
            "tail_name": _prop("entity", "name"),
            "inferred": _prop("relation", "inferred"),
            "evidence": _prop("relation", "evidence"),
            "qualifiers": _prop("relation", "qualifiers"),
        },
        "numeric_facts": {
            "doc_id": DOC_ID,
            "id": _prop("numeric_fact", "id"),
            **span,
            **{
                name: _prop("numeric_fact", name)
                for name in (
                    "kind",
                    "value",
                    "unit",
                    "approximate",
                    "bound",
                    "subject",
                    "subject_text",
                    "property",
                    "time",
                )
            },
        },
        "time_expressions": {"doc_id": DOC_ID, **definition("time_expression")["properties"]},
    }


FLAT_CONFIGS = ("mentions", "relations", "numeric_facts", "time_expressions")


def flat_rows(documents: Iterable[Document]) -> dict[str, list[dict[str, Any]]]:
    """The rows of every flat config, in document order and then in annotation order."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in FLAT_CONFIGS}
    for doc in documents:
        for entity in doc.entities:
            for mention in entity.mentions:
                rows["mentions"].append(
                    {
                        "doc_id": doc.id,
                        "entity_id": entity.id,
                        "entity_type": entity.type,
                        "entity_name": entity.name,
                        "start": mention.start,
                        "end": mention.end,
                        "text": mention.text,
                        "kind": mention.kind,
                    }
                )
        for relation in doc.relations:
            q = relation.qualifiers
            rows["relations"].append(
                {
                    "doc_id": doc.id,
                    "id": relation.id,
                    "type": relation.type,
                    "head": relation.head,
                    "tail": relation.tail,
                    "head_name": doc.entity(relation.head).name,
                    "tail_name": doc.entity(relation.tail).name,
                    "inferred": relation.inferred,
                    "evidence": [span.to_json() for span in relation.evidence],
                    "qualifiers": {
                        "role": q.role,
                        "time": q.time,
                        "location": q.location,
                        "domain": list(q.domain) or None,
                    },
                }
            )
        for fact in doc.numeric_facts:
            rows["numeric_facts"].append(
                {
                    "doc_id": doc.id,
                    "id": fact.id,
                    **fact.mention.to_json(),
                    "kind": fact.kind,
                    "value": fact.value,
                    "unit": fact.unit,
                    "approximate": fact.approximate,
                    "bound": fact.bound,
                    "subject": fact.subject,
                    "subject_text": fact.subject_text,
                    "property": fact.property,
                    "time": fact.time,
                }
            )
        for expression in doc.time_expressions:
            rows["time_expressions"].append(
                {
                    "doc_id": doc.id,
                    "id": expression.id,
                    **expression.span.to_json(),
                    "type": expression.type,
                    "anchors": expression.anchors,
                }
            )
    return rows
