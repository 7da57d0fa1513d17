"""Scoring JSON Lines files document by document, never holding a whole file in memory.

Three passes, each reading one line at a time (a line longer than the limit is skipped
unread): the gold file is validated and indexed (document id -> where its line starts) and
its content hash computed; the predictions file is indexed; then for
each gold document, in gold order, its line and its predictions' line are read back, checked
and scored. Beyond the lines of the first `KEEP_PARSED` bytes of each file, kept as parsed
so that a small run reads nothing twice, one gold document and one predictions document
are parsed at any time; what is kept is the per-document counts and error items the report
is made of. With ``jobs > 1`` each process reads its own two lines by their offsets.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factgold.errors import GoldFileError, PredictionsFileError, Problem
from factgold.read.document import Document
from factgold.read.jsonl import DEFAULT_MAX_LINE, UTF8_BOM, JsonLine, _RejectedValue, first_line_is_a_value, parse_json
from factgold.read.labels import labels_for
from factgold.read.predictions import PredictedDocument, check_predictions_document, missing_documents
from factgold.read.validate import validate_document
from factgold.run.report import Report
from factgold.score.config import EvalConfig, GoldDigest, for_gold
from factgold.score.document_scores import DocumentScores
from factgold.score.per_document import score_document


@dataclass(frozen=True)
class Located:
    """A parsed line and where it starts in its file."""

    offset: int
    record: JsonLine


def scan(path: Path, name: str, max_line: int) -> Iterator[Located | Problem]:
    """Each non-blank line of a JSON Lines file, parsed, or the problem that stops it."""
    try:
        handle = path.open("rb")
    except OSError as error:
        yield Problem(name, 1, "$", f"cannot read the file: {error.strerror}")
        return
    with handle:
        offset, number, seen = 0, 0, False
        while raw := handle.readline(max_line + 1):
            number += 1
            start, offset = offset, offset + len(raw)
            if raw.strip():
                seen = True
            if len(raw) > max_line and not raw.endswith(b"\n"):
                while rest := handle.readline(1 << 20):  # skip the rest of the line unread
                    offset += len(rest)
                    if rest.endswith(b"\n"):
                        break
                yield Problem(name, number, "$", f"line is over the limit of {max_line:,} (--max-line-mb)")
                continue
            if number == 1 and raw.startswith(UTF8_BOM):
                yield Problem(name, 1, "$", "file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM")
                return
            try:
                text = raw.decode("utf-8").removesuffix("\n")
            except UnicodeDecodeError as error:
                yield Problem(name, number, "$", f"byte 0x{raw[error.start]:02x} is not valid UTF-8")
                continue
            if not text.strip():
                continue
            try:
                yield Located(start, JsonLine(number, parse_json(text)))
            except _RejectedValue as error:
                yield Problem(name, number, "$", f"invalid JSON: {error}")
            except json.JSONDecodeError as error:
                yield Problem(name, number, "$", f"invalid JSON: {error.msg} (column {error.colno})")
        if not seen:
            yield Problem(name, 1, "$", "empty file: no JSON documents")


def read_at(path: Path, offset: int) -> Any:
    """The JSON value of the line that starts at ``offset`` (already checked by `scan`)."""
    with path.open("rb") as handle:
        handle.seek(offset)
        return parse_json(handle.readline().decode("utf-8"))


def is_json_lines(path: Path) -> bool:
    """True unless the file opens a JSON array or a JSON value spread over several lines."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).lstrip(UTF8_BOM).lstrip()
            if head.startswith(b"{"):
                handle.seek(0)
                first = handle.readline(DEFAULT_MAX_LINE)
                while first and not first.strip():  # the first line that holds anything
                    first = handle.readline(DEFAULT_MAX_LINE)
    except OSError:
        return True  # the scan reports it
    if head.startswith(b"{"):
        return first_line_is_a_value(first.decode("utf-8", errors="replace").lstrip("\ufeff"))
    return not head.startswith(b"[")


@dataclass(frozen=True)
class _Job:
    gold_path: Path | None
    gold_offset: int
    gold_document: Document | None
    predictions_path: Path
    predictions_offset: int
    predictions_line: int
    name: str
    config: EvalConfig
    tasks: frozenset[str]
    predictions_value: Any = None  # the line's value when kept from the index pass (`KEEP_PARSED`)


# In one process, the lines of the first this many bytes of each file are kept as parsed by
# the first passes rather than read and parsed again: small runs skip the second read, and a
# large one still holds a bounded part of its files.
KEEP_PARSED = 16 * 2**20


def _score(job: _Job) -> DocumentScores | list[Problem]:

    if job.gold_document is not None:
        gold = job.gold_document
    else:
        assert job.gold_path is not None
        gold = Document.from_json(read_at(job.gold_path, job.gold_offset))
    value = job.predictions_value
    if value is None:
        value = read_at(job.predictions_path, job.predictions_offset)
    problems = check_predictions_document(value, {gold.id: gold}, file=job.name, line=job.predictions_line)
    if problems:
        return problems
    return score_document(gold, PredictedDocument.from_json(value), job.config, job.tasks)


def evaluate_stream(
    predictions: Path,
    gold: Path | Sequence[Document],
    config: EvalConfig,
    *,
    max_line: int,
    jobs: int = 1,
) -> Report:
    """Score a JSON Lines predictions file against a gold file (or documents), line by line."""
    name = str(predictions)
    # Pass 1: the gold, validated, indexed and hashed.
    gold_index: dict[str, tuple[int, Document | None]] = {}
    order: list[str] = []
    digest = GoldDigest()
    gold_problems: list[Problem] = []

    def add_gold(document: Document, offset: int, keep: bool) -> None:
        digest.add(document)
        gold_index[document.id] = (offset, document if keep else None)
        order.append(document.id)

    keep_up_to = KEEP_PARSED if jobs == 1 else 0  # offsets below this are kept as parsed
    labels = labels_for(gold) if isinstance(gold, Path) else None
    variant_ids: list[str] = []  # counterfactual variants, for the memorization gap
    if isinstance(gold, Path):
        for item in scan(gold, str(gold), max_line=2**62):
            if isinstance(item, Problem):
                gold_problems.append(item)
                continue
            # Any corpus is scored under the gold contract (its types from its labels sidecar).
            found = validate_document(
                item.record.value, file=str(gold), line=item.record.line, house_rules=False, labels=labels
            )
            if not found and item.record.value["id"] in gold_index:
                found = [
                    Problem(str(gold), item.record.line, "$.id", f"document {item.record.value['id']!r} appears twice")
                ]
            gold_problems += found
            if not found:
                add_gold(Document.from_json(item.record.value), item.offset, keep=item.offset < keep_up_to)
                if "variant_of" in item.record.value:
                    variant_ids.append(item.record.value["id"])
        if gold_problems:
            raise GoldFileError(gold_problems)
    else:
        for document in gold:
            add_gold(document, 0, keep=True)
    config = for_gold(config, digest.annotated)  # a layer the gold never annotates is not scored
    # Pass 2: the predictions, indexed.
    problems: list[Problem] = []
    predicted_at: dict[str, tuple[int, int]] = {}
    predicted_values: dict[str, Any] = {}
    for item in scan(predictions, name, max_line):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        value, line = item.record.value, item.record.line
        doc_id = value.get("id") if isinstance(value, dict) else None
        if not isinstance(doc_id, str) or doc_id not in gold_index:
            # Says what is wrong (the gold's ids only to hint at a variant scored without --variants).
            problems += check_predictions_document(value, {}, file=name, line=line, gold_ids=gold_index.keys())
            continue
        if doc_id in predicted_at:
            problems.append(
                Problem(
                    name, line, "$.id", f"document {doc_id!r} appears twice (first on line {predicted_at[doc_id][1]})"
                )
            )
            continue
        predicted_at[doc_id] = (item.offset, line)
        if item.offset < keep_up_to:
            predicted_values[doc_id] = value
    # Pass 3: each predicted document, read back, checked and scored (once a problem is
    # known, the rest are still checked: every problem of the file is reported at once).
    tasks = frozenset(config.tasks)  # every task is scored; one not predicted as an empty list
    work = [
        _Job(
            gold if isinstance(gold, Path) else None,
            gold_index[doc_id][0],
            gold_index[doc_id][1],
            predictions,
            predicted_at[doc_id][0],
            predicted_at[doc_id][1],
            name,
            config,
            tasks,
            predicted_values.get(doc_id),
        )
        for doc_id in order
        if doc_id in predicted_at
    ]
    if jobs > 1 and len(work) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_score, work, chunksize=max(1, len(work) // (jobs * 8))))
    else:
        results = [_score(job) for job in work]
    per_document = []
    for result in results:
        if isinstance(result, list):
            problems += result
        else:
            per_document.append(result)
    missing = [doc_id for doc_id in order if doc_id not in predicted_at]
    if missing and not problems:
        problems.append(missing_documents(missing, name, max((line for _, line in predicted_at.values()), default=1)))
    if problems:
        raise PredictionsFileError(problems)

    return Report.of(config, digest, per_document, _variant_family(gold, gold_index, variant_ids))


def _variant_family(
    gold: Path | Sequence[Document], index: dict[str, tuple[int, Document | None]], variant_ids: Sequence[str]
) -> tuple[Document, ...]:
    """The counterfactual variants of the gold and their originals (the memorization gap
    needs them; no other document is kept, so a large gold stays streamed)."""
    if not isinstance(gold, Path):
        return tuple(gold)

    def document(doc_id: str) -> Document:
        offset, kept = index[doc_id]
        return kept if kept is not None else Document.from_json(read_at(gold, offset))

    variants = [d for d in map(document, variant_ids) if d.variant_of in index]
    originals = {d.variant_of for d in variants if d.variant_of is not None}
    return tuple(document(i) for i in sorted(originals)) + tuple(variants)
