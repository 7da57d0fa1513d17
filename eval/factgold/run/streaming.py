"""Scoring JSON Lines files document by document, never holding a whole file in memory.

Three passes, each reading one line at a time (a line longer than the limit is skipped
unread): the gold file is validated and indexed (document id -> where its line starts) and
its content hash computed; the predictions file is indexed; then for
each gold document, in gold order, its line and its predictions' line are read back, checked
and scored. Beyond the lines of the first `KEEP_PARSED` bytes of each file, kept as parsed
so that a small run reads nothing twice, one gold document and one predictions document
are parsed at any time; what is kept is the per-document counts and error items the report
is made of.

With ``jobs > 1`` and a gold file, each file is cut into parts at line starts and the
processes read them: the gold's parts first (validated, hashed, indexed), then the
predictions' parts, each document scored against its gold line read back by offset. Valid
files are the common case and take that path; when a process meets any problem, the
passes above run in one process instead, so that every problem is told, in file order, as
with one process.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import repeat
from pathlib import Path
from typing import Any, BinaryIO

from factgold.errors import GoldFileError, PredictionsFileError, Problem
from factgold.read.document import Document
from factgold.read.jsonl import DEFAULT_MAX_LINE, UTF8_BOM, JsonLine, _RejectedValue, first_line_is_a_value, parse_json
from factgold.read.labels import Labels, labels_for
from factgold.read.predictions import PredictedDocument, check_predictions_document, missing_documents
from factgold.read.validate import validate_document
from factgold.run.report import Report, paused_gc
from factgold.score.config import EvalConfig, GoldDigest, for_gold
from factgold.score.document_scores import DocumentScores
from factgold.score.items import ItemRow, item_rows, items_of_rows
from factgold.score.per_document import score_document


@dataclass(frozen=True)
class Located:
    """A parsed line and where it starts in its file."""

    offset: int
    record: JsonLine


def scan(
    path: Path, name: str, max_line: int, *, start: int = 0, stop: int | None = None
) -> Iterator[Located | Problem]:
    """Each non-blank line of a JSON Lines file, parsed, or the problem that stops it.

    With ``start`` and ``stop`` (the offsets of line starts, `byte_ranges`), only the lines
    that start in ``[start, stop)``, numbered from 1 there: a part of the file, which is not
    told empty when it holds no document. (Its numbers, and a byte-order mark at its first
    line, are what the part sees: a problem in a part is told by a scan of the whole file.)
    """
    whole = start == 0 and stop is None
    try:
        handle = path.open("rb")
    except OSError as error:
        yield Problem(name, 1, "$", f"cannot read the file: {error.strerror}")
        return
    with handle:
        handle.seek(start)
        offset, number, seen = start, 0, not whole
        while (stop is None or offset < stop) and (raw := handle.readline(max_line + 1)):
            number += 1
            line_start, offset = offset, offset + len(raw)
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
                yield Located(line_start, JsonLine(number, parse_json(text)))
            except _RejectedValue as error:
                yield Problem(name, number, "$", f"invalid JSON: {error}")
            except json.JSONDecodeError as error:
                yield Problem(name, number, "$", f"invalid JSON: {error.msg} (column {error.colno})")
        if not seen:
            yield Problem(name, 1, "$", "empty file: no JSON documents")


def byte_ranges(path: Path, parts: int) -> list[tuple[int, int]]:
    """About ``parts`` stretches ``[start, stop)`` of the file of equal size, each from a line
    start to the next stretch's (none empty; an empty file has none)."""
    size = path.stat().st_size
    starts = [0]
    with path.open("rb") as handle:
        for part in range(1, parts):
            wanted = max(starts[-1] + 1, size * part // parts)
            if wanted >= size:
                break
            handle.seek(wanted - 1)  # the next line start at or after `wanted`
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            if handle.tell() >= size:
                break
            starts.append(handle.tell())
    return [(begin, end) for begin, end in zip(starts, [*starts[1:], size], strict=True) if begin < end]


def read_at(path: Path, offset: int) -> Any:
    """The JSON value of the line that starts at ``offset`` (already checked by `scan`)."""
    with path.open("rb") as handle:
        return _line_at(handle, offset)


def _line_at(handle: BinaryIO, offset: int) -> Any:
    """`read_at` in a file already open (a part reads many of its lines)."""
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


# In one process, the lines of the first this many bytes of each file are kept as parsed by
# the first passes rather than read and parsed again: small runs skip the second read, and a
# large one still holds a bounded part of its files.
KEEP_PARSED = 16 * 2**20

# With ``jobs`` processes, each file is cut into this many parts a process: parts of equal
# bytes can hold unequal work, and a process that finishes early takes another.
PARTS_PER_JOB = 4


# Smaller files (the gold's and the predictions' bytes together) are scored in one process
# whatever ``jobs`` says: starting processes costs more than they save there (measured, the
# fastest of 5 runs of the command: 5,000 mentions in 1.1 MB, 0.88 s in one process and 0.95 s
# in two; 10,000 mentions in 2.2 MB, 1.75 s and 1.56 s).
PARALLEL_FROM = 2 * 2**20


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the passes in one process say why it cannot be read


@dataclass(frozen=True)
class _GoldPart:
    """What a process reads of one part of the gold file (`_read_gold_part`)."""

    digest: GoldDigest  # made with part=True
    documents: tuple[tuple[str, int], ...]  # (id, offset of its line), in file order
    variant_ids: tuple[str, ...]


def _read_gold_part(start: int, stop: int, path: Path, labels: Labels | None) -> _GoldPart | None:
    """The valid documents of a part of the gold file; None at the first problem."""
    digest = GoldDigest(part=True)
    documents, variant_ids = [], []
    with paused_gc():  # as in one process (`evaluate`)
        for item in scan(path, str(path), max_line=2**62, start=start, stop=stop):
            if isinstance(item, Problem):
                return None
            document = _gold_document(item.record, path, labels)
            if isinstance(document, list):
                return None
            digest.add(document)
            documents.append((document.id, item.offset))
            if document.variant_of is not None:
                variant_ids.append(document.id)
    return _GoldPart(digest, tuple(documents), tuple(variant_ids))


def _gold_document(record: JsonLine, path: Path, labels: Labels | None) -> Document | list[Problem]:
    """A gold line's document, or its problems: any corpus is scored under the gold contract
    (its types from its labels sidecar)."""
    problems = validate_document(record.value, file=str(path), line=record.line, house_rules=False, labels=labels)
    return problems or Document.from_json(record.value)


@dataclass(frozen=True)
class _PredictionsPart:
    """A part of the predictions file to check and score, and where to find the gold."""

    path: Path
    start: int
    stop: int
    max_line: int
    gold_path: Path
    gold_offsets: dict[str, int]
    config: EvalConfig
    tasks: frozenset[str]


def _score_predictions_part(part: _PredictionsPart) -> list[tuple[str, DocumentScores, list[ItemRow]]] | None:
    """Each document of a part of the predictions file, checked and scored against its gold
    (its error items sent apart, as `item_rows`); None at the first problem (an unknown or
    repeated id too)."""
    name, scored, seen = str(part.path), [], set()
    with paused_gc(), part.gold_path.open("rb") as gold_file:  # as in one process (`evaluate`)
        for item in scan(part.path, name, part.max_line, start=part.start, stop=part.stop):
            if isinstance(item, Problem):
                return None
            value = item.record.value
            doc_id = value.get("id") if isinstance(value, dict) else None
            if not isinstance(doc_id, str) or doc_id not in part.gold_offsets or doc_id in seen:
                return None
            seen.add(doc_id)
            gold = Document.from_json(_line_at(gold_file, part.gold_offsets[doc_id]))
            scores = _checked_and_scored(gold, value, name, item.record.line, part.config, part.tasks)
            if isinstance(scores, list):
                return None
            scored.append((doc_id, replace(scores, errors=()), item_rows(scores.errors)))
    return scored


def _score(
    gold_path: Path | None,
    gold_at: tuple[int, Document | None],
    predictions: Path,
    predicted_at: tuple[int, int],
    value: Any,
    config: EvalConfig,
    tasks: frozenset[str],
) -> DocumentScores | list[Problem]:
    """One document's predictions, read back unless kept, checked and scored (in one process)."""
    offset, gold = gold_at
    if gold is None:
        assert gold_path is not None
        gold = Document.from_json(read_at(gold_path, offset))
    if value is None:
        value = read_at(predictions, predicted_at[0])
    return _checked_and_scored(gold, value, str(predictions), predicted_at[1], config, tasks)


def _checked_and_scored(
    gold: Document, value: Any, name: str, line: int, config: EvalConfig, tasks: frozenset[str]
) -> DocumentScores | list[Problem]:
    """A predictions line's value checked against its gold document, then scored; or its problems."""
    problems = check_predictions_document(value, {gold.id: gold}, file=name, line=line)
    if problems:
        return problems
    return score_document(gold, PredictedDocument.from_json(value), config, tasks)


def _evaluate_in_parts(predictions: Path, gold: Path, config: EvalConfig, *, max_line: int, jobs: int) -> Report | None:
    """The report of valid files, each cut into parts that ``jobs`` processes read, check
    and score; None when any part has a problem, for the passes in one process to say what
    it is, every problem in file order (so that the messages are the same with any jobs).

    The first round reads the gold's parts (validated, indexed, and written out canonically
    for the hash, which the main process takes in file order); the second the predictions'
    parts, each document scored against its gold line read by offset. The gold's index goes
    out with each part; its canonical lines and the per-document scores and items come back.
    """
    from concurrent.futures import ProcessPoolExecutor

    labels = labels_for(gold)
    try:
        gold_ranges = byte_ranges(gold, jobs * PARTS_PER_JOB)
        predicted_ranges = byte_ranges(predictions, jobs * PARTS_PER_JOB)
    except OSError:
        return None  # a file that cannot be read: the scan of the whole file says why
    if not gold_ranges or not predicted_ranges:
        return None  # an empty file: a problem
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        found = _gold_index(pool.map(_read_gold_part, *zip(*gold_ranges, strict=True), repeat(gold), repeat(labels)))
        if found is None:
            pool.shutdown(cancel_futures=True)  # the parts still waiting are not read
            return None
        digest, offsets, variant_ids = found
        config = for_gold(config, digest.annotated)
        tasks = frozenset(config.tasks)
        parts = [
            _PredictionsPart(predictions, start, stop, max_line, gold, offsets, config, tasks)
            for start, stop in predicted_ranges
        ]
        scored: dict[str, DocumentScores] = {}
        for result in pool.map(_score_predictions_part, parts):  # each part's rows dropped once built
            if result is None or any(doc_id in scored for doc_id, _, _ in result):
                pool.shutdown(cancel_futures=True)
                return None  # a problem, or a document predicted twice
            for doc_id, scores, rows in result:
                scored[doc_id] = replace(scores, errors=items_of_rows(rows))
    if len(scored) != len(offsets):
        return None  # a gold document without predictions: a problem
    index: dict[str, tuple[int, Document | None]] = {doc_id: (offset, None) for doc_id, offset in offsets.items()}
    return Report.of(config, digest, [scored[doc_id] for doc_id in offsets], _variant_family(gold, index, variant_ids))


def _gold_index(parts: Iterable[_GoldPart | None]) -> tuple[GoldDigest, dict[str, int], list[str]] | None:
    """The gold's digest, its documents' offsets and its variants' ids from its parts in file
    order; None when a part had a problem or an id appears twice."""
    digest = GoldDigest()
    offsets: dict[str, int] = {}
    variant_ids: list[str] = []
    for part in parts:
        if part is None:
            return None
        digest.absorb(part.digest)
        for doc_id, offset in part.documents:
            if doc_id in offsets:
                return None
            offsets[doc_id] = offset
        variant_ids += part.variant_ids
    return (digest, offsets, variant_ids) if offsets else None  # none: a file of blank lines


def evaluate_stream(
    predictions: Path,
    gold: Path | Sequence[Document],
    config: EvalConfig,
    *,
    max_line: int,
    jobs: int = 1,
) -> Report:
    """Score a JSON Lines predictions file against a gold file (or documents), line by line,
    in ``jobs`` processes when there are several, the gold is a file and the two files hold
    `PARALLEL_FROM` bytes or more (a gold given as documents is scored in one process)."""
    if jobs > 1 and isinstance(gold, Path) and _size(gold) + _size(predictions) >= PARALLEL_FROM:
        report = _evaluate_in_parts(predictions, gold, config, max_line=max_line, jobs=jobs)
        if report is not None:
            return report
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

    labels = labels_for(gold) if isinstance(gold, Path) else None
    variant_ids: list[str] = []  # counterfactual variants, for the memorization gap
    if isinstance(gold, Path):
        for item in scan(gold, str(gold), max_line=2**62):
            if isinstance(item, Problem):
                gold_problems.append(item)
                continue
            document = _gold_document(item.record, gold, labels)
            if isinstance(document, list):
                gold_problems += document
            elif document.id in gold_index:
                gold_problems.append(
                    Problem(str(gold), item.record.line, "$.id", f"document {document.id!r} appears twice")
                )
            else:
                add_gold(document, item.offset, keep=item.offset < KEEP_PARSED)
                if document.variant_of is not None:
                    variant_ids.append(document.id)
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
        if item.offset < KEEP_PARSED:
            predicted_values[doc_id] = value
    # Pass 3: each predicted document, read back, checked and scored (once a problem is
    # known, the rest are still checked: every problem of the file is reported at once).
    tasks = frozenset(config.tasks)  # every task is scored; one not predicted as an empty list
    results = [
        _score(gold if isinstance(gold, Path) else None, gold_index[doc_id], predictions, predicted_at[doc_id],
               predicted_values.get(doc_id), config, tasks)
        for doc_id in order
        if doc_id in predicted_at
    ]  # fmt: skip
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
