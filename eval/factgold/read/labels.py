"""A corpus's label inventory: its entity types, relation types and which relations are symmetric.

The bundled corpus uses the house inventory of `schema/document.schema.json` (the eleven
OntoNotes 5 name types, ten relation types with their argument types). Any other gold
declares its own in a sidecar file beside it, ``NAME.labels.json`` for ``NAME.jsonl``::

    {"entity_types": ["PER", "ORG", ...], "relation_types": ["P17", ...], "symmetric": ["P47"]}

(optionally ``"arguments": {"P17": {"head": [...], "tail": [...]}}``). `factgold import`
writes it; without one, a gold file is read with the house inventory.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factgold.errors import UsageError

SIDECAR_SUFFIX = ".labels.json"


@dataclass(frozen=True)
class Labels:
    """The entity and relation types a gold may use; ``arguments`` None admits any types."""

    entity_types: tuple[str, ...]
    relation_types: tuple[str, ...]
    symmetric: frozenset[str] = frozenset()
    arguments: Mapping[str, tuple[frozenset[str], frozenset[str]]] | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "entity_types": list(self.entity_types),
            "relation_types": list(self.relation_types),
            "symmetric": sorted(self.symmetric),
        }
        if self.arguments is not None:
            result["arguments"] = {
                kind: {"head": sorted(head), "tail": sorted(tail)} for kind, (head, tail) in self.arguments.items()
            }
        return result

    @classmethod
    def from_json(cls, obj: Any, where: str = "labels") -> Labels:
        """The labels of a sidecar's JSON value; anything malformed is a one-line `UsageError`."""
        if not isinstance(obj, dict) or "entity_types" not in obj:
            raise UsageError(f"{where}: expected a JSON object with entity_types and relation_types")
        if unknown_keys := sorted(set(obj) - {"entity_types", "relation_types", "symmetric", "arguments"}):
            raise UsageError(
                f"{where}: unknown key(s) {', '.join(map(repr, unknown_keys))} "
                "(expected entity_types, relation_types, symmetric, arguments)"
            )
        entity_types = _names(obj["entity_types"], where, "entity_types")
        relation_types = _names(obj.get("relation_types", []), where, "relation_types")
        symmetric = _names(obj.get("symmetric", []), where, "symmetric")
        if unknown := sorted(set(symmetric) - set(relation_types)):
            raise UsageError(f"{where}: symmetric names undeclared relation types: {', '.join(unknown)}")
        arguments = None
        if "arguments" in obj:
            arguments = _arguments(obj["arguments"], where, entity_types, relation_types)
        return cls(tuple(entity_types), tuple(relation_types), frozenset(symmetric), arguments)


def _names(value: Any, where: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise UsageError(f"{where}: {key} must be a list of non-empty strings")
    return value


def _arguments(
    table: Any, where: str, entity_types: list[str], relation_types: list[str]
) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """``{"TYPE": {"head": [...], "tail": [...]}}``: every name declared, an end left out admits any type."""
    if not isinstance(table, dict):
        raise UsageError(f"{where}: arguments must map relation types to head and tail types")
    result = {}
    for kind, ends in table.items():
        if kind not in relation_types:
            raise UsageError(f"{where}: arguments names the undeclared relation type {kind!r}")
        if not isinstance(ends, dict) or set(ends) - {"head", "tail"}:
            raise UsageError(f"{where}: arguments.{kind} must be an object with head and tail lists")
        sides = []
        for side in ("head", "tail"):
            types = _names(ends.get(side, entity_types), where, f"arguments.{kind}.{side}")
            if unknown := sorted(set(types) - set(entity_types)):
                raise UsageError(
                    f"{where}: arguments.{kind}.{side} names undeclared entity types: {', '.join(unknown)}"
                )
            sides.append(frozenset(types))
        result[kind] = (sides[0], sides[1])
    return result


def house_labels() -> Labels:
    """The bundled corpus's inventory, from the document schema."""
    from factgold.read.schema import entity_types, relation_arguments, relation_types, symmetric_relation_types

    return Labels(entity_types(), relation_types(), symmetric_relation_types(), relation_arguments())


def sidecar(gold: Path) -> Path:
    """Where a gold file's labels are declared: ``NAME.labels.json`` beside ``NAME.jsonl``."""
    return gold.with_name(gold.name.removesuffix(".jsonl") + SIDECAR_SUFFIX)


def labels_for(gold: Path | None) -> Labels:
    """The inventory of a gold file: its sidecar's when it has one, else the house inventory."""
    if gold is None or not sidecar(gold).is_file():
        return house_labels()
    path = sidecar(gold)
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise UsageError(f"{path}: cannot read the labels ({error})") from error
    return Labels.from_json(obj, str(path))
