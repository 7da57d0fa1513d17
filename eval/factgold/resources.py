"""Where the schemas and the bundled corpus are: inside an installed wheel, or in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

# A wheel carries the repository's schema/ and corpus/ folders under factgold/_data
# (see pyproject.toml); an editable install or a checkout reads them from the repository.
_PACKAGED = Path(__file__).parent / "_data"
_CHECKOUT = Path(__file__).resolve().parents[2]


@cache
def data_root() -> Path:
    """The folder that holds ``schema/`` and ``corpus/``."""
    for root in (_PACKAGED, _CHECKOUT):
        if (root / "schema" / "document.schema.json").is_file():
            return root
    raise FileNotFoundError("factgold's schema folder is missing from this installation")


def schema_file(name: str) -> Path:
    """Path of a bundled JSON Schema, e.g. ``schema_file("document.schema.json")``."""
    return data_root() / "schema" / name


def corpus_dir() -> Path:
    """The bundled corpus folder (a Hugging Face dataset folder)."""
    return data_root() / "corpus"
