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
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Literal

import orjson

from factgold import __version__
from factgold.errors import UsageError
from factgold.ground.text import FUZZY_THRESHOLD
from factgold.read.document import Document
from factgold.resources import corpus_dir
from factgold.score.alternatives import count_alternatives

MentionMode = Literal["names", "all"]
ErrorDetail = Literal["all", "sample", "none"]
ERROR_DETAILS = ("all", "sample", "none")

# The version of the scoring rules, apart from the package's and the corpus's: a change to
# any definition behind a number bumps it and adds a line to CHANGELOG.md.
SCORING_VERSION = "2.3.0"

# The tasks a predictions file can carry, in the order the headline lists them.
TASKS = ("entities", "relations", "numeric_facts")

# The definitions behind the numbers, each named in the signature.
DEFINITIONS = {
    "ner": "semeval2013",  # SemEval-2013 Task 9.1 strict/exact/partial/type; per type as nervaluate 1.x
    "align": "optimal",  # one-to-one maximum-weight assignment, order-independent
    "coref": "conll2012",  # MUC, B-cubed, CEAF-e (phi4) and their mean; exact-span mentions; singletons kept
    "rel": "entity",  # (type, head entity, tail entity) through gold mentions; symmetric types unordered
    "headline": "mean-f1",  # mean over the tasks of entity-level, relations-strict and numeric-value F1
    "empty": "1",  # nothing to find and nothing predicted scores 1.0, in every task and metric
}


def parse_tasks(text: str) -> tuple[str, ...]:
    """The tasks named in a comma-separated list, in canonical order.

    >>> parse_tasks("numeric_facts,entities")
    ('entities', 'numeric_facts')
    """
    named = [task.strip() for task in text.split(",") if task.strip()]
    unknown = [task for task in named if task not in TASKS]
    if unknown or not named:
        raise UsageError(f"--tasks takes a comma-separated list of {', '.join(TASKS)}, not {text!r}")
    return tuple(task for task in TASKS if task in named)


@dataclass(frozen=True)
class EvalConfig:
    """Settings of an evaluation.

    ``mentions``: ``names`` scores name mentions in the NER and cluster views (what NER tools
    predict); ``all`` adds nominal and pronoun mentions. ``numeric_rtol``: the relative
    tolerance within which a predicted value equals the gold value. ``require_grounding``:
    every predicted string must be in the text exactly or up to normalization (a fuzzy match
    does not count) and every numeric fact must be located in the text; an item that is not
    counts as hallucinated. ``tasks``: the tasks scored and averaged into the headline; a
    task that a system does not predict is scored as an empty list (every gold item missed), so
    that leaving work out never raises the headline. ``errors``: which error items the report
    keeps and lists: ``all``, a ``sample`` (the first `ERROR_SAMPLE` of each task and
    category) or ``none``; items are dropped as each document is scored, so a large run holds
    only its counts. Counts and scores never depend on it, so the signature does not name it.
    ``alternatives``: credit the gold's accepted alternatives (`factgold.score.alternatives`);
    the signature names it (``alt:credited`` or ``alt:none``). ``symmetric_relations``: the
    relation types scored in either direction, as a corpus's labels declare them
    (`factgold.read.labels`); None is the house inventory's. The signature names a declared
    set (``sym:...``).
    """

    mentions: MentionMode = "names"
    numeric_rtol: float = 1e-6
    require_grounding: bool = False
    tasks: tuple[str, ...] = TASKS
    errors: ErrorDetail = "all"
    alternatives: bool = True
    symmetric_relations: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.errors not in ERROR_DETAILS:
            raise UsageError(f"errors must be one of {', '.join(ERROR_DETAILS)}, not {self.errors!r}")
        # (A string is refused too: its letters are not tasks.)
        if not self.tasks or any(t not in TASKS for t in self.tasks):
            raise UsageError(f"tasks must be a non-empty tuple of {', '.join(TASKS)}, not {self.tasks!r}")
        # In canonical order, so that the signature does not depend on how the tasks were listed.
        object.__setattr__(self, "tasks", tuple(t for t in TASKS if t in self.tasks))
        if self.mentions not in ("names", "all"):
            raise UsageError(f"mentions must be 'names' or 'all', not {self.mentions!r}")
        if not (
            isinstance(self.numeric_rtol, float | int)
            and math.isfinite(self.numeric_rtol)
            and 0 <= self.numeric_rtol < 1
        ):
            raise UsageError(f"numeric relative tolerance must be a number in [0, 1), not {self.numeric_rtol!r}")

    def definitions(self) -> dict[str, str]:
        """The definitions behind the numbers, as the signature and the report name them."""
        return {**DEFINITIONS, "coref": f"{DEFINITIONS['coref']}-{self.mentions}"}

    def signature(self, gold_sha256: str, corpus_version: str) -> str:
        """``factgold:0.3.0|scoring:2.1.0|corpus:1.1.0|gold:sha256=ab12cd34ef56|tasks:...|mentions:names|...``.

        The coreference part names the mentions it is computed over: over name mentions only
        (the default) the CoNLL F1 is not comparable to published CoNLL-2012 numbers, which
        count every mention (``--mentions all``).
        """
        parts = [
            f"factgold:{__version__}",
            f"scoring:{SCORING_VERSION}",
            f"corpus:{corpus_version}",
            f"gold:sha256={gold_sha256[:12]}",
            f"tasks:{'+'.join(self.tasks)}",
            f"mentions:{self.mentions}",
            f"ground:{'strict' if self.require_grounding else f'fuzzy{FUZZY_THRESHOLD:g}'}",
            *(f"{name}:{value}" for name, value in self.definitions().items()),
            f"num_rtol:{self.numeric_rtol!r}",
            f"alt:{'credited' if self.alternatives else 'none'}",
            *([f"sym:{'+'.join(self.symmetric_relations) or 'none'}"] if self.symmetric_relations is not None else []),
        ]
        return "|".join(parts)


class GoldDigest:
    """What a report keeps of the gold, taken one document at a time: its content hash
    (canonical JSON of each document, independent of file layout) and the labels it uses."""

    def __init__(self, *, part: bool = False) -> None:
        # A part (one process's share of a gold file, `absorb`ed in file order by the digest
        # of the whole) keeps the hashed bytes instead: a hash cannot be continued elsewhere.
        self._hash = None if part else hashlib.sha256()
        self._lines: list[bytes] = []
        self.documents = 0
        self.labels: set[tuple[str, str]] = set()
        self.alternatives = 0  # items that record accepted alternatives
        self.annotated: set[str] = set()  # the tasks the gold has an item of (`annotated_tasks`)

    def add(self, document: Document) -> None:
        line = document_canonical_json(document) + b"\n"
        if self._hash is None:
            self._lines.append(line)
        else:
            self._hash.update(line)
        self.documents += 1
        self.labels.update(("entity", e.type) for e in document.entities)
        self.labels.update(("relation", r.type) for r in document.relations)
        self.alternatives += count_alternatives(document)
        if len(self.annotated) < len(TASKS):  # once every task is found, no document adds one
            self.annotated |= annotated_tasks([document])

    def absorb(self, part: GoldDigest) -> None:
        """Add the documents of ``part`` (made with ``part=True``), as if added here one by one."""
        if self._hash is None:
            raise ValueError("a part cannot absorb another part")
        if part._hash is not None:
            raise ValueError("only a part (GoldDigest(part=True)) keeps the lines to absorb")
        for line in part._lines:
            self._hash.update(line)
        self.documents += part.documents
        self.labels |= part.labels
        self.alternatives += part.alternatives
        self.annotated |= part.annotated

    @property
    def sha256(self) -> str:
        if self._hash is None:
            raise ValueError("a part of a gold has no hash of its own")
        return self._hash.hexdigest()


def canonical_json(value: object, *, floats: Iterable[float] | None = None) -> bytes:
    """``json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` in UTF-8.

    Written by orjson, which writes the same bytes but for some numbers: floats that the
    json module writes with an exponent (``1e-05``, ``1e+16``; orjson's releases write
    them otherwise), and integers past 64 bits, which orjson refuses. A value holding one
    of those is written by the json module. ``floats``, where given, are all the floats of
    ``value`` (a gold document's are its numeric facts' values), so that the value is not
    walked to find them. Held to the json module by property tests, so a gold hash never
    changes with the writer.
    """
    if all(map(_plain_float, _floats_in(value) if floats is None else floats)):
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:  # an integer past 64 bits, a key that is not a string
            pass
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def document_canonical_json(document: Document) -> bytes:
    """`canonical_json` of the document as gold JSON: its floats are its numeric facts' values."""
    return canonical_json(document.to_json(), floats=[fact.value for fact in document.numeric_facts])


def _plain_float(number: float) -> bool:
    """Whether ``repr`` writes ``number`` without an exponent (0 included; NaN and the infinities not)."""
    return not number or 1e-4 <= abs(number) < 1e16


def _floats_in(value: object) -> Iterator[float]:
    """Every float in a JSON-like value."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, float):
            yield item


def annotated_tasks(documents: Iterable[Document]) -> set[str]:
    """The tasks the gold has at least one item of (an entity, a relation, a numeric fact)."""
    found = set()
    for document in documents:
        found |= {task for task in TASKS if getattr(document, task)}
    return found


def for_gold(config: EvalConfig, annotated: Collection[str]) -> EvalConfig:
    """The configuration with the tasks the gold annotates nowhere left out.

    A layer the gold never annotates (numeric facts in a DocRED corpus) has nothing to
    measure: scored, it would be 1.0 for every system that predicts nothing there and 0 for
    one that does, and move the headline by a third either way. Left out, the headline is the
    mean over the layers the gold has, and the signature's ``tasks`` names them. A gold that
    annotates other tasks but none of the requested ones has nothing to score them on:
    `UsageError`. A gold that annotates nothing at all keeps every task, each scored by the
    rule for nothing to find (``empty:1``).
    """
    kept = tuple(task for task in config.tasks if task in annotated)
    if not annotated:
        return config
    if not kept:
        has = ", ".join(task for task in TASKS if task in annotated) or "nothing"
        raise UsageError(
            f"the gold annotates no {' and no '.join(config.tasks)}: nothing to score "
            f"(it annotates {has}; --tasks chooses among those)"
        )
    return config if kept == config.tasks else replace(config, tasks=kept)


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
    from factgold.read.validate import load_gold

    return gold_sha256(load_gold(bundled_gold_file()))


def bundled_gold_file() -> Path:
    return corpus_dir() / "data" / "documents" / "test.jsonl"


def bundled_variants_file() -> Path:
    """The counterfactual variants of the bundled gold (`factgold.dataset.variants`)."""
    return corpus_dir() / "data" / "counterfactual" / "test.jsonl"


@cache
def bundled_with_variants_sha256() -> str:
    from factgold.read.validate import load_gold

    return gold_sha256(load_gold(bundled_gold_file()) + load_gold(bundled_variants_file()))


def corpus_version_of(sha256: str, documents: int | None = None) -> str:
    """The corpus version for a gold hash: the bundled corpus's version (``+counterfactual``
    with its variants), or ``custom``. Given the gold's number of ``documents``, a gold of
    another size is told custom without hashing the bundled files."""
    gold_documents = _documents_in(bundled_gold_file())
    if documents in (None, gold_documents) and sha256 == bundled_gold_sha256():
        return bundled_corpus_version()
    if bundled_variants_file().is_file():
        with_variants = gold_documents + _documents_in(bundled_variants_file())
        if documents in (None, with_variants) and sha256 == bundled_with_variants_sha256():
            return f"{bundled_corpus_version()}+counterfactual"
    return "custom"


@cache
def _documents_in(path: Path) -> int:
    """The number of documents (non-blank lines) of a bundled JSON Lines file."""
    return sum(1 for line in path.read_bytes().split(b"\n") if line.strip())
