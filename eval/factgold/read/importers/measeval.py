"""MeasEval (SemEval-2021 Task 8) gold: counts and measurements in scientific paragraphs.

The format, as released in the task's repository (``data/train``, ``data/trial``,
``data/eval``): one paragraph per ``text/DOC.txt`` (``txt/`` in the trial release) and its
annotations in ``tsv/DOC.tsv``, a tab-separated file with the header ``docId annotSet
annotType startOffset endOffset annotId text other``. Each annotation set holds one
Quantity and the spans about it: at most one MeasuredEntity and one MeasuredProperty, and
any Qualifiers. ``other`` is JSON (or empty): ``{"unit": ..., "mods": [...]}`` for a
Quantity, the link to another row of the set for the rest (``{"HasQuantity": "T1-1"}``,
``{"HasProperty": ...}``, ``{"Qualifies": ...}``). Offsets are Python str (code point)
offsets into the text, half-open: every row of the release matches its text that way,
non-ASCII characters before it included, so nothing is adjusted. A paragraph without a TSV
file is one where no quantity was annotated; it becomes a document without facts.

What is carried:

* each Quantity -> a numeric fact: its span; the value read by `parse_number` from the
  span without the unit text (a unit that is not a whole word of the span leaves the
  quantity unparsed, listed: "M" inside "mM" would leave an "m" read as million); kind
  ``percent`` when the unit is ``%``, ``quantity`` with the MeasEval unit as written when
  there is another unit, else ``cardinal`` (``ordinal``
  when the reader reads an ordinal word); ``approximate`` from IsApproximate or a hedge
  word in the span; ``bound`` from a bound word or sign in the span (``<2 mm``, ``more
  than 5``): an open range. Property ``other`` and time null (MeasEval has neither).
* each MeasuredEntity -> an entity of type ``MeasuredEntity`` with one nominal mention
  (one entity per distinct span: MeasEval has no coreference); the fact's subject is the
  MeasuredEntity of its set, linked directly or through the MeasuredProperty.
* the MeasuredProperty's text -> the fact's ``subject_text`` (else the MeasuredEntity's).

What is not, counted with examples in ``Imported.not_carried``: quantities that hold no
single value the reader can read (closed ranges such as ``3 to 4 weeks``, lists, ratios,
scientific notation, ``room temperature``); the modifiers a fact has no field for (IsMean,
IsMedian, HasTolerance, ...); tolerances after ``±``; Qualifier spans; MeasuredProperty
offsets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factgold.errors import UsageError
from factgold.ground.numbers import HEDGES, ParsedNumber, parse_number
from factgold.read.importers import Imported, read_utf8
from factgold.read.labels import Labels

HEADER = ("docId", "annotSet", "annotType", "startOffset", "endOffset", "annotId", "text", "other")
ANNOTATION_TYPES = ("Quantity", "MeasuredEntity", "MeasuredProperty", "Qualifier")
# A link key -> the annotation type its target must have (None: any type).
LINKS: dict[str, str | None] = {"HasQuantity": "Quantity", "HasProperty": "MeasuredProperty", "Qualifies": None}
ENTITY_TYPE = "MeasuredEntity"
PERCENT_UNITS = ("%", "percent", "per cent")
# Modifiers a numeric fact carries: IsApproximate as ``approximate``, IsCount as the kind
# ``cardinal``, IsRange as ``bound`` when the range is open (a closed one is no fact).
CARRIED_MODS = ("IsApproximate", "IsCount", "IsRange")
EXAMPLES = 3

# A comparison sign before the number: the bound it sets, and whether it also hedges.
_SIGNS: dict[str, tuple[str, bool]] = {
    "<=": ("upper", False), ">=": ("lower", False), "<": ("upper", False), ">": ("lower", False),
    "≤": ("upper", False), "⩽": ("upper", False), "≥": ("lower", False), "⩾": ("lower", False),
    "≲": ("upper", True), "≳": ("lower", True),
    # Comparisons the number reader's hedge list leaves out, frequent in scientific text.
    "greater than": ("lower", False), "larger than": ("lower", False), "higher than": ("lower", False),
    "smaller than": ("upper", False), "lower than": ("upper", False), "fewer than": ("upper", False),
}  # fmt: skip
_SIGN = re.compile(
    "^(" + "|".join(re.escape(sign) for sign in sorted(_SIGNS, key=len, reverse=True)) + r")\s*", re.IGNORECASE
)
# A standard uncertainty in parentheses after the last digits: "10.0322(6)".
_PARENTHESIZED_UNCERTAINTY = re.compile(r"(?<=\d)\((\d+)\)$")
# One number in digits: "1,200", "0.5", "1.5e-3".
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?")
# Words and signs that join two numbers into a range, a list or a ratio.
_JOINERS = re.compile(r"\b(?:to|or|and|between)\b|[\u2013\u2014/:\u00d7]|,\s", re.IGNORECASE)
_RANGE_JOINERS = re.compile(r"\b(?:to|between)\b|[\u2013\u2014]|\d\s*-\s*\d", re.IGNORECASE)
# A hedge word before the number ("up to", "close to" are no ranges).
_LEADING_HEDGE = re.compile(
    "^(?:" + "|".join(re.escape(hedge) for hedge in sorted(HEDGES, key=len, reverse=True)) + r")\s*", re.IGNORECASE
)
_TRAILING_HEDGES = re.compile(r"\s+or\s+(?:more|less|so)$", re.IGNORECASE)


@dataclass(frozen=True)
class _Row:
    """One annotation row of a TSV file."""

    where: str  # "FILE:LINE"
    annot_set: str
    kind: str
    start: int
    end: int
    annot_id: str
    text: str
    other: dict[str, Any]


@dataclass
class _Tally:
    """What could not be carried: per description, a count and the first examples."""

    items: dict[str, list[str]] = field(default_factory=dict)

    def add(self, description: str, example: str) -> None:
        self.items.setdefault(description, []).append(example)

    def lines(self) -> tuple[str, ...]:
        result = []
        for description, examples in self.items.items():
            shown = ", ".join(examples[:EXAMPLES]) + (", …" if len(examples) > EXAMPLES else "")
            result.append(f"{len(examples)} {description}: {shown}")
        return tuple(result)


@dataclass(frozen=True)
class _Reading:
    """The value read from a Quantity's text, or why none was."""

    parsed: ParsedNumber | None
    problem: str = ""  # "range", "list", "unreadable" or "unit not in the span" when parsed is None
    tolerance: str = ""  # the "± ..." part left out


def import_files(paths: Sequence[Path], options: Mapping[str, Any]) -> Imported:
    """Gold documents from MeasEval folders (``text/`` or ``txt/`` beside ``tsv/``) or TSV files.

    Options: ``source`` (default ``MeasEval``) and ``language`` (default ``en``) of every
    document.
    """
    tally = _Tally()
    documents: list[dict[str, Any]] = []
    seen: dict[str, Path] = {}
    for doc_id, text_path, tsv_path in _inputs(paths):
        if doc_id in seen:
            raise UsageError(f"{text_path}: document {doc_id!r} is also read from {seen[doc_id]}")
        seen[doc_id] = text_path
        documents.append(_document(doc_id, text_path, tsv_path, options, tally))
    return Imported(tuple(documents), Labels((ENTITY_TYPE,), ()), tally.lines())


def _inputs(paths: Sequence[Path]) -> list[tuple[str, Path, Path | None]]:
    """(document id, text file, TSV file or None) for every paragraph of the inputs."""
    found: list[tuple[str, Path, Path | None]] = []
    for path in paths:
        if path.is_dir():
            tsv_dir = path / "tsv"
            text_dir = next((path / name for name in ("text", "txt") if (path / name).is_dir()), None)
            if not tsv_dir.is_dir() or text_dir is None:
                raise UsageError(f"{path}: expected MeasEval's tsv/ and text/ (or txt/) folders in it")
            texts = {p.stem: p for p in text_dir.glob("*.txt")}
            tsvs = {p.stem: p for p in tsv_dir.glob("*.tsv")}
            if missing := sorted(set(tsvs) - set(texts)):
                raise UsageError(f"{tsvs[missing[0]]}: no text file {missing[0]}.txt in {text_dir}")
            found.extend((stem, texts[stem], tsvs.get(stem)) for stem in sorted(texts))
        elif path.suffix == ".tsv" and path.is_file():
            candidates = [path.parent.parent / name / f"{path.stem}.txt" for name in ("text", "txt")]
            candidates.append(path.with_suffix(".txt"))
            text_path = next((c for c in candidates if c.is_file()), None)
            if text_path is None:
                raise UsageError(f"{path}: no text file {path.stem}.txt in ../text/, ../txt/ or beside it")
            found.append((path.stem, text_path, path))
        else:
            raise UsageError(f"{path}: not a MeasEval folder or .tsv file")
    return found


def _document(
    doc_id: str, text_path: Path, tsv_path: Path | None, options: Mapping[str, Any], tally: _Tally
) -> dict[str, Any]:
    text = read_utf8(text_path)
    if not text.strip():
        raise UsageError(f"{text_path}: the text is empty")
    rows = _read_rows(tsv_path, doc_id, text) if tsv_path is not None else []
    sets: dict[str, list[_Row]] = {}
    for row in rows:
        sets.setdefault(row.annot_set, []).append(row)

    # One entity per distinct MeasuredEntity span, in text order.
    spans = sorted({(row.start, row.end) for row in rows if row.kind == "MeasuredEntity"})
    entity_ids = {span: f"E{index}" for index, span in enumerate(spans, 1)}
    entities = [
        {
            "id": entity_ids[(start, end)],
            "type": ENTITY_TYPE,
            "name": text[start:end],
            "mentions": [{"start": start, "end": end, "text": text[start:end], "kind": "nominal"}],
        }
        for start, end in spans
    ]
    facts: list[tuple[int, int, dict[str, Any]]] = []
    for annot_set, members in sets.items():
        fact = _fact(annot_set, members, entity_ids, tally)
        if fact is not None:
            facts.append((fact["mention"]["start"], fact["mention"]["end"], fact))
    numeric_facts = []
    for index, (_, _, fact) in enumerate(sorted(facts, key=lambda item: (item[0], item[1])), 1):
        numeric_facts.append({"id": f"N{index}", **fact})
    first_line = text.split("\n", 1)[0]
    return {
        "id": doc_id,
        "title": first_line if first_line.strip() else doc_id,
        "text": text,
        "source": str(options.get("source", "MeasEval")),
        "language": str(options.get("language", "en")),
        "entities": entities,
        "relations": [],
        "numeric_facts": numeric_facts,
        "time_expressions": [],
    }


def _read_rows(path: Path, doc_id: str, text: str) -> list[_Row]:
    """The annotation rows of one TSV file, each checked against the text."""
    content = read_utf8(path)
    lines = content.split("\n")
    header = tuple(lines[0].rstrip("\r").lstrip("\ufeff").split("\t"))
    if header != HEADER:
        raise UsageError(f"{path}:1: expected the header {' '.join(HEADER)} (tab-separated)")
    rows: list[_Row] = []
    ids: dict[tuple[str, str], str] = {}
    for number, line in enumerate(lines[1:], 2):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        where = f"{path}:{number}"
        columns = line.split("\t")
        if len(columns) != len(HEADER):
            raise UsageError(f"{where}: expected {len(HEADER)} tab-separated columns, found {len(columns)}")
        row_doc, annot_set, kind, start_text, end_text, annot_id, span_text, other_text = columns
        if row_doc != doc_id:
            raise UsageError(f"{where}: docId {row_doc!r} is not the file's document {doc_id!r}")
        if kind not in ANNOTATION_TYPES:
            raise UsageError(f"{where}: annotType {kind!r} is not one of {', '.join(ANNOTATION_TYPES)}")
        try:
            start, end = int(start_text), int(end_text)
        except ValueError:
            raise UsageError(f"{where}: offsets {start_text!r}, {end_text!r} are not integers") from None
        if not 0 <= start < end <= len(text):
            raise UsageError(f"{where}: offsets [{start}, {end}) are not a span of the {len(text)}-character text")
        if text[start:end] != span_text:
            raise UsageError(f"{where}: offsets [{start}, {end}) select {text[start:end]!r}, not {span_text!r}")
        try:
            other = json.loads(other_text) if other_text.strip() else {}
        except ValueError as error:
            raise UsageError(f"{where}: the other column is not JSON ({error})") from None
        if not isinstance(other, dict):
            raise UsageError(f"{where}: the other column is not a JSON object")
        if (annot_set, annot_id) in ids:
            first = ids[(annot_set, annot_id)]
            raise UsageError(f"{where}: annotId {annot_id!r} repeats in annotSet {annot_set} (first at line {first})")
        ids[(annot_set, annot_id)] = str(number)
        rows.append(_Row(where, annot_set, kind, start, end, annot_id, span_text, other))
    return rows


def _fact(
    annot_set: str, members: list[_Row], entity_ids: Mapping[tuple[int, int], str], tally: _Tally
) -> dict[str, Any] | None:
    """The numeric fact of one annotation set, or None (tallied) when its value cannot be read."""
    file = Path(members[0].where.rsplit(":", 1)[0]).name
    quantities = [row for row in members if row.kind == "Quantity"]
    if len(quantities) != 1:
        raise UsageError(f"{members[0].where}: annotSet {annot_set} has {len(quantities)} Quantity rows, not one")
    quantity = quantities[0]
    by_id = {row.annot_id: row for row in members}
    links: dict[str, list[tuple[str, _Row]]] = {}  # target annotId -> (link, source row)
    for row in members:
        for key, value in row.other.items():
            if row.kind == "Quantity" and key in ("unit", "mods"):
                continue
            if key not in LINKS:
                tally.add(f"unknown {row.kind} properties not carried", f"{row.annot_id} {key} ({file})")
                continue
            target = by_id.get(value) if isinstance(value, str) else None
            wanted = LINKS[key]
            if target is None or (wanted is not None and target.kind != wanted):
                raise UsageError(
                    f"{row.where}: {row.annot_id} {key} {value!r} is not a {wanted or 'row'} of annotSet {annot_set}"
                )
            links.setdefault(target.annot_id, []).append((key, row))
    for row in members:
        if row.kind == "Qualifier":
            tally.add(
                "Qualifier spans not carried (a fact has no field for them)", f"{row.annot_id} {row.text!r} ({file})"
            )

    unit = quantity.other.get("unit") or None  # an empty unit is none
    mods = quantity.other.get("mods", [])
    if unit is not None and not isinstance(unit, str):
        raise UsageError(f"{quantity.where}: unit {unit!r} is not a string")
    if not isinstance(mods, list) or not all(isinstance(mod, str) for mod in mods):
        raise UsageError(f"{quantity.where}: mods {mods!r} is not a list of strings")
    label = f"{quantity.annot_id} {quantity.text!r} ({file})"
    reading = _read_value(quantity.text, unit, mods)
    properties = [row for key, row in links.get(quantity.annot_id, []) if row.kind == "MeasuredProperty"]
    measured = [row for key, row in links.get(quantity.annot_id, []) if row.kind == "MeasuredEntity"]
    for prop in properties:
        measured += [row for key, row in links.get(prop.annot_id, []) if key == "HasProperty"]
    if reading.parsed is None:
        tally.add(
            "unparsed quantities (no single value the number reader reads; not facts)",
            f"{label} [{reading.problem}]",
        )
        return None
    parsed = reading.parsed
    for mod in mods:
        if mod not in CARRIED_MODS or (mod == "IsCount" and unit is not None and unit not in PERCENT_UNITS):
            tally.add("quantity modifiers not carried", f"{quantity.annot_id} {mod} ({file})")
    if reading.tolerance:
        tally.add(
            "tolerances not carried (the value is kept without them)",
            f"{quantity.annot_id} {reading.tolerance!r} ({file})",
        )
    if "IsRange" in mods and parsed.bound is None:
        tally.add("IsRange quantities read as one value without a bound word in the span (bound null)", label)
    for extra in properties[1:]:
        tally.add("further MeasuredProperty links not carried", f"{extra.annot_id} ({file})")
    for extra in measured[1:]:
        tally.add("further MeasuredEntity links not carried (the entity stays)", f"{extra.annot_id} ({file})")
    for prop in properties[:1]:
        tally.add(
            "MeasuredProperty spans carried as subject_text only (offsets not carried)",
            f"{prop.annot_id} {prop.text!r} ({file})",
        )

    if unit in PERCENT_UNITS:
        kind, fact_unit = "percent", None
    elif unit is not None:
        kind, fact_unit = "quantity", unit
    else:
        kind, fact_unit = (parsed.kind if parsed.kind in ("percent", "ordinal") else "cardinal"), None
        if parsed.unit is not None:
            tally.add(
                f"units read in quantities that MeasEval gives none (kept as {kind}, no unit)",
                f"{label} {parsed.unit!r}",
            )
    subject = entity_ids[(measured[0].start, measured[0].end)] if measured else None
    if properties:
        subject_text = properties[0].text
    elif measured:
        subject_text = measured[0].text
    else:
        subject_text = quantity.text
        tally.add(
            "quantities without a MeasuredEntity or MeasuredProperty (subject_text is the quantity's text)", label
        )
    return {
        "mention": {"start": quantity.start, "end": quantity.end, "text": quantity.text},
        "kind": kind,
        "value": parsed.value,
        "unit": fact_unit,
        "approximate": "IsApproximate" in mods or parsed.approximate,
        "bound": parsed.bound,
        "subject": subject,
        "subject_text": subject_text,
        "property": "other",
        "time": None,
    }


def _read_value(text: str, unit: str | None, mods: Sequence[str]) -> _Reading:
    """The one value of a Quantity's text: the unit taken out, then `parse_number`.

    >>> _read_value("approximately 22 °C", "°C", []).parsed
    ParsedNumber(value=22.0, unit=None, kind='cardinal', approximate=True, bound=None)
    >>> _read_value("<2 mm", "mm", ["IsRange"]).parsed.bound
    'upper'
    >>> _read_value("3\u20134 week", "week", ["IsRange"]).problem, _read_value("300±15 °C", "°C", []).tolerance
    ('range', '±15')
    """
    body = text
    if unit is not None:
        # The unit as a whole word of the span (its last one): a unit found inside another
        # word ("M" in "mM") or not written in the span ("metres" for "m") would leave
        # letters the number reader takes for a scale ("m" for million).
        found = list(re.finditer(rf"(?<![^\W\d_]){re.escape(unit)}(?![^\W\d_])", body))
        if not found:
            return _Reading(None, "unit not in the span", "")
        at = found[-1]
        body = body[: at.start()] + " " + body[at.end() :]
    body = " ".join(body.replace("\u223c", "~").split()).rstrip("-\u2010\u2011 ")  # "eight-year" -> "eight"
    tolerance = ""
    if "±" in body:
        body, tail = body.split("±", 1)
        tolerance = "±" + tail.strip()
        body = body.strip()
    if uncertainty := _PARENTHESIZED_UNCERTAINTY.search(body):
        tolerance, body = uncertainty.group(0), body[: uncertainty.start()]
    bound, hedged = None, False
    if sign := _SIGN.match(body):
        bound, hedged = _SIGNS[sign.group(1).lower()]
        body = body[sign.end() :]
    core = _TRAILING_HEDGES.sub("", _LEADING_HEDGE.sub("", body))
    several = len(_DIGITS.findall(core)) > 1 or bool(_JOINERS.search(core))
    parsed = None if several or not body else parse_number(body)
    if parsed is None:
        if "IsList" in mods:
            problem = "list"
        elif several and ("IsRange" in mods or _RANGE_JOINERS.search(core)):
            problem = "range"
        else:
            problem = "unreadable"
        return _Reading(None, problem, tolerance)
    if bound is not None or hedged:
        parsed = ParsedNumber(
            parsed.value, parsed.unit, parsed.kind, parsed.approximate or hedged, bound or parsed.bound
        )
    return _Reading(parsed, "", tolerance)
