"""Hugging Face dataset features derived from the JSON Schema, never written by hand.

``datasets`` is imported lazily by the callers that need `datasets.Features`; the mapping
itself works on plain schema nodes so that it can be tested without it.
"""

from __future__ import annotations

from typing import Any

from factgold.read.schema import load_schema

# JSON Schema scalar type -> Arrow dtype name as the dataset card writes it.
_SCALAR_DTYPES = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool"}


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow local ``$ref``s (``#/$defs/...``) until a node without one is reached."""
    root = load_schema()
    while "$ref" in node:
        reference = node["$ref"]
        if not reference.startswith("#/"):
            raise ValueError(f"only local references are supported, not {reference!r}")
        target: Any = root
        for part in reference[2:].split("/"):
            target = target[part]
        node = target
    return node


def feature_yaml(node: dict[str, Any]) -> dict[str, Any] | str:
    """The dataset-card form of a schema node: a dtype name, ``{"list": ...}`` or ``{"struct": [...]}``.

    A nullable scalar (``["string", "null"]``) maps to its non-null dtype: Arrow columns
    hold nulls in any dtype.

    >>> feature_yaml({"type": ["string", "null"]})
    'string'
    >>> feature_yaml({"type": "array", "items": {"type": "integer"}})
    {'list': 'int64'}
    """
    node = resolve(node)
    declared = node.get("type")
    types = [declared] if isinstance(declared, str) else [t for t in declared or [] if t != "null"]
    if len(types) != 1:
        raise ValueError(f"cannot map schema type {declared!r} to one dataset feature")
    (kind,) = types
    if kind == "array":
        return {"list": feature_yaml(node["items"])}
    if kind == "object":
        return {"struct": fields_yaml(node["properties"])}
    return _SCALAR_DTYPES[kind]


def fields_yaml(properties: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The card's field list for an ordered mapping of field name -> schema node."""
    fields: list[dict[str, Any]] = []
    for name, node in properties.items():
        mapped = feature_yaml(node)
        fields.append({"name": name, "dtype": mapped} if isinstance(mapped, str) else {"name": name, **mapped})
    return fields
