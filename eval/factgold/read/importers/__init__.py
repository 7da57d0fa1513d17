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


def read_utf8(path: Path, what: str = "it") -> str:
    """A source file's text, or a one-line `UsageError`: unreadable, not UTF-8, or opening with
    a byte-order mark (read as a character, it would shift every offset after it by one, or
    hide the first line's annotation)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: cannot read {what} ({error.strerror})") from error
    if raw.startswith(b"\xef\xbb\xbf"):
        raise UsageError(f"{path}: starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error


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


# The options each format reads (beyond source and language, which every one does): an
# option given to a format that does not read it is refused rather than silently ignored.
FORMAT_OPTIONS = {
    "brat": ("discontinuous", "symmetric"),
    "conll2012": ("untyped_type",),
    "docred": ("relations", "symmetric", "id_prefix"),
    "measeval": (),
    "hf-tokens": ("scheme", "tags", "split", "strict"),
}
COMMON_OPTIONS = ("source", "language")


def check_options(name: str, options: Mapping[str, Any]) -> None:
    """Refuse an option the format ``name`` does not read (`UsageError`, naming the option as typed)."""
    if name not in FORMATS:
        raise UsageError(f"no importer for {name!r}; the formats are {', '.join(FORMATS)}")
    unread = [option for option in options if option not in FORMAT_OPTIONS[name] + COMMON_OPTIONS]
    if unread:
        shown = ", ".join("--" + option.replace("_", "-") for option in unread)
        takes = ", ".join("--" + option.replace("_", "-") for option in FORMAT_OPTIONS[name] + COMMON_OPTIONS)
        raise UsageError(f"{shown}: not an option of --from {name} (it takes {takes})")


def importer(name: str) -> Importer:
    """The importer of format ``name``."""
    import importlib

    if name not in FORMATS:
        raise UsageError(f"no importer for {name!r}; the formats are {', '.join(FORMATS)}")
    module = importlib.import_module(f"factgold.read.importers.{FORMATS[name]}")
    found: Importer = module.import_files
    return found
