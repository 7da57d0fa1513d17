"""Importers: gold from other annotation formats into factgold's gold documents.

Each importer reads files in the exact shape its source tool writes and returns an
`Imported`: gold documents that meet the gold contract (`factgold.read.validate` with
``house_rules=False``: unique string ids, valid offsets, span texts that match, existing
endpoints, declared types), the corpus's label inventory, and what it could not carry,
counted with examples. Nothing is dropped silently. `factgold import --from FORMAT IN...
--output GOLD.jsonl` writes the documents and the labels sidecar (`factgold.read.labels`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factgold.errors import UsageError
from factgold.read.labels import Labels


@dataclass(frozen=True)
class Imported:
    """Gold documents converted from another format, their labels, and what was not carried."""

    documents: tuple[dict[str, Any], ...]
    labels: Labels
    # One line each: a count and examples ("2 discontinuous T spans kept as their outer
    # span: T4 (doc1.ann), T9 (doc3.ann)").
    not_carried: tuple[str, ...] = ()


# An importer: input paths (files or folders) and its options by name -> Imported.
Importer = Callable[[Sequence[Path], Mapping[str, Any]], Imported]


# Format name -> module of this package; each module is imported only when its format is used.
FORMATS = {
    "brat": "brat",
    "conll2012": "conll2012",
    "docred": "docred",
    "measeval": "measeval",
    "hf-tokens": "hf_tokens",
}


def importer(name: str) -> Importer:
    """The importer of format ``name``."""
    import importlib

    if name not in FORMATS:
        raise UsageError(f"no importer for {name!r}; the formats are {', '.join(FORMATS)}")
    module = importlib.import_module(f"factgold.read.importers.{FORMATS[name]}")
    found: Importer = module.import_files
    return found
