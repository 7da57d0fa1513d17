"""Shared fixtures: paths into the repository and a fresh copy of the gold document."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
GOLD_FILE = CORPUS / "data" / "documents" / "test.jsonl"
SEED_FILE = REPO / "seeds" / "000_8ba8a8b9c66a07ae.txt"

_GOLD: dict[str, Any] = json.loads(GOLD_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def gold_doc() -> dict[str, Any]:
    """A deep copy of the gold document, free to mutate."""
    return copy.deepcopy(_GOLD)


WriteJsonl = Callable[..., Path]


@pytest.fixture
def write_jsonl(tmp_path: Path) -> WriteJsonl:
    """Write documents (or raw text) as a JSON Lines file in a temporary folder."""

    def write(*docs: Any, raw: str | bytes | None = None, name: str = "gold.jsonl") -> Path:
        path = tmp_path / name
        if isinstance(raw, bytes):
            path.write_bytes(raw)
        elif raw is not None:
            path.write_text(raw, encoding="utf-8")
        else:
            path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
        return path

    return write
