"""The JSON Schemas, loaded once, and the inventories they define.

The schemas under ``schema/`` are the single source of truth: entity and relation types,
which relation types are symmetric, and the dataset features all come from them.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from factgold.resources import schema_file

DOCUMENT_SCHEMA = "document.schema.json"


@cache
def load_schema(name: str = DOCUMENT_SCHEMA) -> dict[str, Any]:
    """The parsed schema file ``schema/<name>``."""
    with schema_file(name).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@cache
def validator(name: str = DOCUMENT_SCHEMA) -> Draft202012Validator:
    """A draft 2020-12 validator for the schema ``name`` (checked once)."""
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def definition(name: str) -> dict[str, Any]:
    """The ``$defs`` entry ``name`` of the document schema."""
    node: dict[str, Any] = load_schema()["$defs"][name]
    return node


def entity_types() -> tuple[str, ...]:
    """The entity type inventory (OntoNotes 5 name types)."""
    return tuple(definition("entity_type")["enum"])


def relation_types() -> tuple[str, ...]:
    """The relation type inventory."""
    return tuple(definition("relation_type")["enum"])


def symmetric_relation_types() -> frozenset[str]:
    """Relation types that hold in both directions and are stored once."""
    return frozenset(definition("relation_type")["x-symmetric"])


def relation_arguments() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """For each relation type, the entity types it admits as head and as tail."""
    table = definition("relation_type")["x-arguments"]
    return {kind: (frozenset(ends["head"]), frozenset(ends["tail"])) for kind, ends in table.items()}
