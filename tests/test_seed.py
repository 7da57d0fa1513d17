"""The seed article is the given file byte for byte, and the gold document is built on it."""

from __future__ import annotations

import hashlib
from typing import Any

from conftest import SEED_FILE

SEED_SHA256 = "0b59375f6947940941891c1dcba27974632a74c20f27a64098b68adb1d6d3f6f"


def test_seed_file_is_pinned() -> None:
    assert hashlib.sha256(SEED_FILE.read_bytes()).hexdigest() == SEED_SHA256


def test_gold_text_is_the_seed_decoded(gold_doc: dict[str, Any]) -> None:
    seed = SEED_FILE.read_bytes().decode("utf-8")
    assert gold_doc["text"] == seed
    assert len(gold_doc["text"]) == 2178
    assert len(SEED_FILE.read_bytes()) == 2194  # curly quotes: bytes and characters differ
    assert gold_doc["id"] == SEED_FILE.stem
    assert gold_doc["title"] == seed.split("\n", 1)[0]
    assert (gold_doc["source"], gold_doc["language"]) == ("MENAFN", "en")
