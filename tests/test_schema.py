"""The JSON Schemas: valid draft 2020-12, stable ids, a description on every property."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conftest import REPO

SCHEMAS = sorted((REPO / "schema").glob("*.schema.json"))
STABLE_IDS = {"document.schema.json": "https://factgold.org/schema/document.schema.json"}


def _properties(node: Any, path: str = "$") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for name, child in node.get("properties", {}).items():
            yield f"{path}.{name}", child
        for key, child in node.items():
            yield from _properties(child, f"{path}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _properties(child, f"{path}[{index}]")


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_schema_is_valid_with_a_stable_id(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == STABLE_IDS.get(path.name, f"https://factgold.org/schema/{path.name}")


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_every_property_has_a_description(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    missing = [where for where, node in _properties(schema) if isinstance(node, dict) and not node.get("description")]
    assert missing == []


def test_relation_argument_table_covers_the_inventory() -> None:
    schema = json.loads((REPO / "schema" / "document.schema.json").read_text(encoding="utf-8"))
    relation_type = schema["$defs"]["relation_type"]
    entity_types = set(schema["$defs"]["entity_type"]["enum"])
    assert set(relation_type["x-arguments"]) == set(relation_type["enum"])
    assert set(relation_type["x-symmetric"]) <= set(relation_type["enum"])
    for ends in relation_type["x-arguments"].values():
        assert set(ends["head"]) | set(ends["tail"]) <= entity_types


def test_guidelines_relation_table_matches_the_schema() -> None:
    schema = json.loads((REPO / "schema" / "document.schema.json").read_text(encoding="utf-8"))
    relation_type = schema["$defs"]["relation_type"]
    every_type = set(schema["$defs"]["entity_type"]["enum"])
    guidelines = (REPO / "corpus" / "GUIDELINES.md").read_text(encoding="utf-8")
    rows = {}
    for line in guidelines.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`") and cells[0].strip("`") in relation_type["enum"]:
            rows[cells[0].strip("`")] = cells

    def types(cell: str) -> set[str]:
        return every_type if cell == "any" else {t.strip() for t in cell.split(",")}

    assert set(rows) == set(relation_type["enum"])
    for kind, (_, head, tail, symmetric, _) in rows.items():
        assert types(head) == set(relation_type["x-arguments"][kind]["head"]), kind
        assert types(tail) == set(relation_type["x-arguments"][kind]["tail"]), kind
        assert (symmetric == "yes") == (kind in relation_type["x-symmetric"]), kind
