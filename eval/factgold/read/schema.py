"""The JSON Schemas, loaded once, and the inventories they define.

The schemas under ``schema/`` are the single source of truth: entity and relation types,
which relation types are symmetric, and the dataset features all come from them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from factgold.resources import schema_file

if TYPE_CHECKING:
    from jsonschema import ValidationError

DOCUMENT_SCHEMA = "document.schema.json"


@cache
def load_schema(name: str = DOCUMENT_SCHEMA) -> dict[str, Any]:
    """The parsed schema file ``schema/<name>``."""
    with schema_file(name).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


class SchemaValidator:
    """A schema's validator: valid input checked at native speed, invalid input explained.

    Checking every document with the `jsonschema` Python validator was most of the time of
    an evaluation; `jsonschema_rs` (a compiled draft 2020-12 validator) checks the same schema
    hundreds of times faster. Valid input, nearly all of it, never reaches the Python
    validator; an invalid document is explained by it, so every message is the one
    `jsonschema` gives (tests check that the two agree on the bad-input corpus).
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        import jsonschema_rs

        self.schema = schema
        self._native = jsonschema_rs.validator_for(schema)

    @cached_property
    def _explainer(self) -> Any:
        from jsonschema import Draft202012Validator

        Draft202012Validator.check_schema(self.schema)
        return Draft202012Validator(self.schema)

    def is_valid(self, instance: Any) -> bool:
        try:
            return bool(self._native.is_valid(instance))
        except UnicodeEncodeError:
            # A lone surrogate (possible in a Python string, never in UTF-8 JSON) cannot
            # cross into the native validator; the Python validator judges such input.
            return bool(self._explainer.is_valid(instance))

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        """Every schema error of ``instance``, as `jsonschema` words them (none when valid)."""
        if self.is_valid(instance):
            return iter(())
        errors: Iterator[ValidationError] = self._explainer.iter_errors(instance)
        return errors


@cache
def validator(name: str = DOCUMENT_SCHEMA) -> SchemaValidator:
    """The validator of the schema ``name`` (built once)."""
    return SchemaValidator(load_schema(name))


def _contract(node: Any) -> Any:
    """A schema node with the house rules taken out: no patterns (id shapes, currency codes)
    and any type name for entities and relations (a corpus declares its own)."""
    if isinstance(node, list):
        return [_contract(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {key: _contract(value) for key, value in node.items() if key != "pattern"}


@cache
def contract_schema() -> dict[str, Any]:
    """The gold contract: the document schema without its house rules (derived, never written)."""
    schema: dict[str, Any] = _contract(load_schema())
    for name in ("entity_type", "relation_type"):
        node = schema["$defs"][name]
        schema["$defs"][name] = {
            "description": node["description"] + " Any non-empty name the corpus declares.",
            "type": "string",
            "minLength": 1,
        }
    return schema


@cache
def contract_validator() -> SchemaValidator:
    """The validator of the gold contract (`contract_schema`)."""
    return SchemaValidator(contract_schema())


def definition(name: str) -> dict[str, Any]:
    """The ``$defs`` entry ``name`` of the document schema."""
    node: dict[str, Any] = load_schema()["$defs"][name]
    return node


def numeric_properties() -> tuple[str, ...]:
    """The guidelines' closed list of numeric fact properties (a house rule, section 6.5)."""
    return tuple(definition("numeric_fact")["properties"]["property"]["x-values"])


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
