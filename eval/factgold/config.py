"""Every setting that changes a number, in one frozen value, and the signature rendered from it.

As sacrebleu does for BLEU, the signature names the package version, the corpus version,
the gold's content hash and each setting and definition behind a score, so that two
numbers with the same signature are comparable and two with different ones are not.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from factgold import __version__
from factgold.document import Document
from factgold.errors import UsageError
from factgold.grounding import FUZZY_THRESHOLD
from factgold.resources import corpus_dir

MentionMode = Literal["names", "all"]

# The definitions behind the numbers, each named in the signature.
DEFINITIONS = {
    "ner": "semeval2013",  # SemEval-2013 Task 9.1 strict/exact/partial/type
    "align": "optimal",  # one-to-one maximum-weight assignment, order-independent
    "coref": "conll2012",  # MUC, B-cubed, CEAF-e (phi4) and their mean; exact-span mentions; singletons kept
    "rel": "entity",  # (type, head entity, tail entity) through gold mentions; symmetric types unordered
    "headline": "mean-f1",  # mean of mentions-strict, relations-strict and numeric-value F1 over scored tasks
}


@dataclass(frozen=True)
class EvalConfig:
    """Settings of an evaluation.

    ``mentions``: ``names`` scores name mentions in the NER and cluster views (what NER tools
    predict); ``all`` adds nominal and pronoun mentions. ``numeric_rtol``: the relative
    tolerance within which a predicted value equals the gold value. ``require_grounding``:
    every predicted string must be in the text exactly or up to normalization (a fuzzy match
    does not count) and every numeric fact must be located in the text; an item that is not
    counts as hallucinated.
    """

    mentions: MentionMode = "names"
    numeric_rtol: float = 1e-6
    require_grounding: bool = False

    def __post_init__(self) -> None:
        if self.mentions not in ("names", "all"):
            raise UsageError(f"mentions must be 'names' or 'all', not {self.mentions!r}")
        if not (
            isinstance(self.numeric_rtol, float | int)
            and math.isfinite(self.numeric_rtol)
            and 0 <= self.numeric_rtol < 1
        ):
            raise UsageError(f"numeric relative tolerance must be a number in [0, 1), not {self.numeric_rtol!r}")

    def signature(self, gold_sha256: str, corpus_version: str) -> str:
        """``factgold:0.1.0|corpus:1.0.0|gold:sha256=ab12cd34ef56|mentions:names|...``."""
        parts = [
            f"factgold:{__version__}",
            f"corpus:{corpus_version}",
            f"gold:sha256={gold_sha256[:12]}",
            f"mentions:{self.mentions}",
            f"ground:{'strict' if self.require_grounding else f'fuzzy{FUZZY_THRESHOLD:g}'}",
            *(f"{name}:{value}" for name, value in DEFINITIONS.items()),
            f"num_rtol:{self.numeric_rtol!r}",
        ]
        return "|".join(parts)


class GoldDigest:
    """What a report keeps of the gold, taken one document at a time: its content hash
    (canonical JSON of each document, independent of file layout) and the labels it uses."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.labels: set[tuple[str, str]] = set()

    def add(self, document: Document) -> None:
        canonical = json.dumps(document.to_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        self._hash.update(canonical.encode("utf-8") + b"\n")
        self.labels.update(("entity", e.type) for e in document.entities)
        self.labels.update(("relation", r.type) for r in document.relations)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


def gold_sha256(documents: Sequence[Document]) -> str:
    """Content hash of the gold (`GoldDigest`)."""
    digest = GoldDigest()
    for doc in documents:
        digest.add(doc)
    return digest.sha256


@cache
def bundled_corpus_version() -> str:
    """The corpus version: the newest heading of ``corpus/CHANGELOG.md``."""
    changelog = (corpus_dir() / "CHANGELOG.md").read_text(encoding="utf-8")
    found = re.search(r"^## (\d+\.\d+\.\d+)", changelog, re.MULTILINE)
    if found is None:
        raise FileNotFoundError("corpus/CHANGELOG.md names no version")
    return found.group(1)


@cache
def bundled_gold_sha256() -> str:
    from factgold.validate import load_gold

    return gold_sha256(load_gold(bundled_gold_file()))


def bundled_gold_file() -> Path:
    return corpus_dir() / "data" / "documents" / "test.jsonl"


def corpus_version_of(sha256: str) -> str:
    """The corpus version for a gold hash: the bundled corpus's version, or ``custom``."""
    return bundled_corpus_version() if sha256 == bundled_gold_sha256() else "custom"
