"""Gold from BRAT standoff: a ``NAME.txt`` and its ``NAME.ann``, one document per pair.

The format (https://brat.nlplab.org/standoff.html): each ``.ann`` line is an id, a tab, the
annotation, and for some kinds a tab and free text. BRAT reads the ``.txt`` as UTF-8 with
universal newlines, and its offsets count the characters of that text; this importer reads
it the same way, so a CR LF file is read with LF line ends (counted in the notes).

Carried:

- ``T1<TAB>GPE 0 8<TAB>Pakistan``: a mention of an entity of type GPE. Its text must be the
  ``.txt``'s at those offsets. A discontinuous mention (``0 5;10 15``, text the fragments
  joined by one space) is kept as its outer span, from its first start to its last end, and
  counted; option ``discontinuous="refuse"`` makes it an error instead. A T line with the
  span of an earlier one is merged into it (one mention; its own type is then lost).
- ``*<TAB>Coref T1 T5 T7`` (any equivalence type, BRAT's examples say ``Equiv``): the
  mentions are one entity. A T line in no equivalence is an entity of its own.
- ``R1<TAB>met_with Arg1:T1 Arg2:T2``: a relation from the entity of the first argument to
  that of the second. BRAT holds no evidence, and the gold needs some: each relation's
  evidence is the text from the start of its earlier argument to the end of the later one
  (counted). A relation repeating an earlier one between the same entities is merged into
  it (symmetric types, option ``symmetric="met_with,..."``, in either direction).
- ``A1<TAB>MentionKind T3 pronoun`` (or ``Kind``, the name factgold's own BRAT export
  writes): the mention's kind, when the value is name, nominal or pronoun (any case).
  Without one a mention is a name.
- ``#1<TAB>AnnotatorNotes T1<TAB>name: Mohsin Raza Naqvi``: the entity's name. Without one,
  the name is its longest name mention (its longest mention when it has no name).

Not carried, each counted with examples: events (``E`` lines, and the T lines that are
their triggers), relations or equivalences with an event or relation as argument, other
attributes (``A``/``M`` lines), other notes and comments (``#`` lines), normalizations
(``N`` lines). A relation between two mentions of one entity cannot be stored and is
counted too.

A document's id is its file name without the suffix, percent-decoded (``nw%2Fdoc_1.ann`` is
``nw/doc_1``: the names `brat_file_name` gives factgold's BRAT export, where an id holds a
character a file name cannot).

Entity types, as the T lines give them, become the labels' entity types and relation types
its relation types; documents have no numeric facts or time expressions (BRAT types such as
MONEY stay entity types: the format holds no normalized value). Options: ``discontinuous``
(``outer`` or ``refuse``), ``symmetric``, ``source`` (default ``brat``) and ``language``
(default ``en``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from factgold.errors import UsageError
from factgold.read.importers import Imported, read_utf8
from factgold.read.labels import Labels
from factgold.read.validate import validate_document

MENTION_KINDS = ("name", "nominal", "pronoun")
KIND_ATTRIBUTES = ("MentionKind", "Kind")
NAME_NOTE = "name: "
NOTE_TYPE = "AnnotatorNotes"
DISCONTINUOUS_MODES = ("outer", "refuse")
EXAMPLES = 3  # examples quoted in each line of the notes

_ID = re.compile(r"^(?:[A-Za-z#][0-9]+\S*|\*)$")
_TEXT_BOUND = re.compile(r"^(\S+) ([0-9]+ [0-9]+(?:;[0-9]+ [0-9]+)*) *$")
_ARGUMENT = re.compile(r"^([^:\s]+):(\S+)$")


class Notes:
    """What an import could not carry (or had to make up): a count and examples per kind."""

    def __init__(self) -> None:
        self._examples: dict[str, list[str]] = {}

    def add(self, what: str, example: str) -> None:
        self._examples.setdefault(what, []).append(example)

    def lines(self) -> tuple[str, ...]:
        lines = []
        for what, examples in self._examples.items():
            shown = ", ".join(examples[:EXAMPLES]) + (", …" if len(examples) > EXAMPLES else "")
            lines.append(f"{len(examples)} {what}: {shown}")
        return tuple(lines)


@dataclass
class _TextBound:
    line: int
    type: str
    fragments: list[tuple[int, int]]

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


@dataclass
class _Ann:
    """The lines of one .ann file, by kind, each with its line number."""

    where: str  # the file's name, for messages
    text_bounds: dict[str, _TextBound] = field(default_factory=dict)
    relations: list[tuple[int, str, str, str, str]] = field(default_factory=list)  # line, id, type, arg1, arg2
    equivalences: list[tuple[int, list[str]]] = field(default_factory=list)
    triggers: dict[str, int] = field(default_factory=dict)  # T id -> line of the E line using it
    kinds: dict[str, str] = field(default_factory=dict)  # T id -> mention kind
    names: dict[str, str] = field(default_factory=dict)  # T id -> name from a note
    quoted: dict[str, str] = field(default_factory=dict)  # T id -> the text its line quotes
    targets: list[tuple[int, str]] = field(default_factory=list)  # line, id an A, M, N or # line names
    ids: dict[str, int] = field(default_factory=dict)  # every id -> its line
    uncarried: list[tuple[int, str, str]] = field(default_factory=list)  # line, what, example

    def at(self, line: int) -> str:
        return f"{self.where}:{line}"


def import_files(paths: Sequence[Path], options: Mapping[str, Any]) -> Imported:
    """The BRAT documents of ``paths`` (.ann or .txt files, or folders of them) as gold."""
    discontinuous = str(options.get("discontinuous") or "outer")
    if discontinuous not in DISCONTINUOUS_MODES:
        raise UsageError(f"brat: discontinuous must be {' or '.join(DISCONTINUOUS_MODES)}, not {discontinuous!r}")
    notes = Notes()
    parsed: list[tuple[Path, str, _Ann]] = []
    for ann_path in _ann_files(paths):
        text = _read(ann_path.with_suffix(".txt"), notes, crlf_note=True)
        if not text:
            raise UsageError(f"{ann_path.with_suffix('.txt')}: the text is empty; a gold document needs a text")
        ann = _parse(ann_path, _read(ann_path, notes, crlf_note=False))
        _check_spans(ann, text, discontinuous, notes)
        parsed.append((ann_path, text, ann))
    entity_types = sorted(
        {t.type for _, _, ann in parsed for tid, t in ann.text_bounds.items() if tid not in ann.triggers}
    )
    relation_types = sorted({kind for _, _, ann in parsed for _, _, kind, _, _ in ann.relations})
    symmetric = _symmetric(options.get("symmetric"), relation_types)
    labels = Labels(tuple(entity_types), tuple(relation_types), symmetric)
    documents = []
    for ann_path, text, ann in parsed:
        document = _document(unquote(ann_path.stem), text, ann, labels, options, notes)
        if problems := validate_document(document, file=str(ann_path), house_rules=False, labels=labels):
            # Reaching this is a fault of the importer, not of the input; say where anyway.
            raise UsageError(f"brat: the document made from {ann_path} breaks the gold contract: {problems[0]}")
        documents.append(document)
    return Imported(tuple(documents), labels, notes.lines())


# Kept as they are in a file name; every other character but letters and digits is
# percent-encoded ("/" as %2F, "%" as %25).
_FILE_NAME_SAFE = "-_.~ ()+,@'"


def brat_file_name(doc_id: str) -> str:
    """The file name (without suffix) of a document in BRAT: its id, percent-encoded where a
    file name cannot hold it, so that every file stays in its folder and the import reads
    the id back (`unquote`).

    >>> brat_file_name("nw/test/00/doc_0001_0"), brat_file_name("../x"), brat_file_name("doc 1")
    ('nw%2Ftest%2F00%2Fdoc_0001_0', '..%2Fx', 'doc 1')
    """
    return quote(doc_id, safe=_FILE_NAME_SAFE)


def _ann_files(paths: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(path.glob("*.ann"))
            if not inside:
                raise UsageError(f"{path}: no .ann files in this folder")
            found += inside
        elif path.suffix in (".ann", ".txt"):
            found.append(path.with_suffix(".ann"))
        elif path.exists():
            raise UsageError(f"{path}: not a BRAT file; give a .ann file, its .txt, or a folder of them")
        else:
            raise UsageError(f"{path}: no such file or folder")
    seen: dict[str, Path] = {}
    for ann_path in found:
        for needed in (ann_path, ann_path.with_suffix(".txt")):
            if not needed.is_file():
                raise UsageError(f"{needed}: no such file (BRAT keeps each document as a .txt and a .ann)")
        if ann_path.stem in seen and seen[ann_path.stem].resolve() != ann_path.resolve():
            raise UsageError(f"{ann_path}: a second document {ann_path.stem!r} (the first is {seen[ann_path.stem]})")
        seen.setdefault(ann_path.stem, ann_path)
    return list(dict.fromkeys(seen.values()))


def _read(path: Path, notes: Notes, *, crlf_note: bool) -> str:
    raw = read_utf8(path)
    if "\r" in raw and crlf_note:
        notes.add(
            "texts with CR line ends, read as LF as BRAT reads them (offsets count one character a line end)", path.name
        )
    # BRAT opens its files with universal newlines: CR LF and CR are read as LF.
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def _parse(path: Path, content: str) -> _Ann:
    ann = _Ann(path.name)
    for number, line in enumerate(content.split("\n"), start=1):
        if line.strip():
            _parse_line(ann, number, line)
    return ann


def _parse_line(ann: _Ann, number: int, line: str) -> None:
    where = ann.at(number)
    ident, tab, rest = line.partition("\t")
    if not tab or not _ID.match(ident):
        raise UsageError(f"{where}: not a standoff line (an id such as T1, R1, A1, #1 or *, then a tab): {line[:60]!r}")
    data, has_text, tail = rest.partition("\t")
    prefix = ident[0]
    if prefix != "*":
        if ident in ann.ids:
            raise UsageError(f"{where}: the id {ident} is used twice (first at line {ann.ids[ident]})")
        ann.ids[ident] = number
    if prefix == "T":
        found = _TEXT_BOUND.match(data)
        if not found:
            raise UsageError(f"{where}: {ident} is not 'TYPE START END[;START END...]<TAB>TEXT': {data[:60]!r}")
        numbers = [int(n) for n in re.split(r"[ ;]", found.group(2))]
        fragments = list(zip(numbers[::2], numbers[1::2], strict=True))
        ann.text_bounds[ident] = _TextBound(number, found.group(1), fragments)
        if has_text:
            # What follows the second tab is the annotated text exactly (spaces included).
            ann.quoted[ident] = tail
    elif prefix == "R":
        parts = data.split()
        arguments = [_ARGUMENT.match(part) for part in parts[1:]]
        if len(parts) != 3 or not all(arguments):
            raise UsageError(f"{where}: {ident} is not 'TYPE Arg1:ID Arg2:ID': {data[:60]!r}")
        first, second = (found.group(2) for found in arguments if found)
        ann.relations.append((number, ident, parts[0], first, second))
    elif prefix == "*":
        parts = data.split()
        if len(parts) < 2:
            raise UsageError(f"{where}: an equivalence is 'TYPE ID ID...': {data[:60]!r}")
        ann.equivalences.append((number, parts[1:]))
    elif prefix == "E":
        trigger = _ARGUMENT.match(data.split(" ", 1)[0])
        if not trigger:
            raise UsageError(f"{where}: {ident} is not 'TYPE:TRIGGER ROLE:ID...': {data[:60]!r}")
        ann.triggers.setdefault(trigger.group(2), number)
        ann.uncarried.append((number, "events (E lines) not carried", f"{ident} {trigger.group(1)}"))
    elif prefix in "AM":
        _attribute(ann, ident, number, data)
    elif prefix == "#":
        parts = data.split()
        ann.targets += [(number, target) for target in parts[1:2]]
        if len(parts) == 2 and parts[0] == NOTE_TYPE and parts[1].startswith("T") and tail.startswith(NAME_NOTE):
            ann.names.setdefault(parts[1], tail[len(NAME_NOTE) :].strip())
        else:
            kind = "annotator notes" if parts[:1] == [NOTE_TYPE] else "comments (# lines)"
            ann.uncarried.append((number, f"{kind} not carried", f"{ident} on {' '.join(parts[1:]) or '-'}"))
    elif prefix == "N":
        ann.targets += [(number, target) for target in data.split()[1:2]]
        ann.uncarried.append((number, "normalizations (N lines) not carried", f"{ident} {data.strip()}"))
    else:
        raise UsageError(f"{where}: {ident} is not a BRAT annotation (T, R, E, A, M, N, # or *): {line[:60]!r}")


def _attribute(ann: _Ann, ident: str, number: int, data: str) -> None:
    parts = data.split(" ", 2)
    # A (attribute) and M (BRAT's older "modification") lines have one shape: TYPE ID [VALUE].
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise UsageError(f"{ann.at(number)}: {ident} is not 'TYPE ID' or 'TYPE ID VALUE': {data[:60]!r}")
    kind, target = parts[0], parts[1]
    ann.targets.append((number, target))
    value = parts[2].strip() if len(parts) > 2 else None
    if kind in KIND_ATTRIBUTES and target.startswith("T") and value is not None and value.lower() in MENTION_KINDS:
        if ann.kinds.setdefault(target, value.lower()) != value.lower():
            # The first kind given stays; a contradicting one is reported, not applied.
            ann.uncarried.append(
                (number, "attributes not carried", f"{ident} {kind}={value} on {target} (a second kind)")
            )
    else:
        shown = f"{ident} {kind}{'=' + value if value is not None else ''} on {target}"
        ann.uncarried.append((number, "attributes not carried", shown))


def _check_spans(ann: _Ann, text: str, discontinuous: str, notes: Notes) -> None:
    """Every T line's offsets fall in the text and select the text the line quotes."""
    for ident, bound in ann.text_bounds.items():
        where = ann.at(bound.line)
        for start, end in bound.fragments:
            if not start < end:
                raise UsageError(f"{where}: {ident} has a fragment whose start {start} is not before its end {end}")
            if end > len(text):
                raise UsageError(f"{where}: {ident} ends at {end}, past the end of the text ({len(text)} characters)")
        if any(a[1] > b[0] for a, b in pairwise(bound.fragments)):
            raise UsageError(f"{where}: {ident}'s fragments overlap or are out of order")
        # BRAT writes a discontinuous annotation's text as its fragments joined by one space.
        actual = " ".join(text[start:end] for start, end in bound.fragments)
        if ident in ann.quoted and ann.quoted[ident] != actual:
            raise UsageError(
                f"{where}: {ident} quotes {ann.quoted[ident][:40]!r} but the text at its offsets is {actual[:40]!r}"
            )
        if len(bound.fragments) > 1:
            offsets = ";".join(f"{start} {end}" for start, end in bound.fragments)
            if discontinuous == "refuse":
                raise UsageError(
                    f"{where}: {ident} is discontinuous ({offsets}); a gold mention is one span "
                    "(without discontinuous='refuse' it is kept as its outer span)"
                )
            notes.add("discontinuous T spans kept as their outer span", f"{ident} ({where})")


def _symmetric(option: Any, relation_types: Sequence[str]) -> frozenset[str]:
    if not option:
        return frozenset()
    names = option.split(",") if isinstance(option, str) else list(option)
    chosen = frozenset(str(name).strip() for name in names if str(name).strip())
    if unknown := sorted(chosen - set(relation_types)):
        known = ", ".join(relation_types) or "none"
        raise UsageError(
            f"brat: symmetric names {', '.join(unknown)}, which no R line uses (the relation types are {known})"
        )
    return chosen


def _document(
    doc_id: str, text: str, ann: _Ann, labels: Labels, options: Mapping[str, Any], notes: Notes
) -> dict[str, Any]:
    for number, what, example in ann.uncarried:
        notes.add(what, f"{example} ({ann.at(number)})")
    for trigger, number in ann.triggers.items():
        if trigger not in ann.text_bounds:
            raise UsageError(f"{ann.at(number)}: the trigger {trigger} is not a T line of this file")
        notes.add(
            "event triggers (T lines of events) not carried", f"{trigger} ({ann.at(ann.text_bounds[trigger].line)})"
        )
    for number, target in ann.targets:
        if target not in ann.ids:
            raise UsageError(f"{ann.at(number)}: it refers to {target}, which no line of this file defines")
    for ident in ann.triggers:
        if ident in ann.kinds:
            notes.add("attributes not carried", f"{ann.kinds.pop(ident)} on the event trigger {ident} ({ann.where})")
        if ident in ann.names:
            notes.add("annotator notes not carried", f"name on the event trigger {ident} ({ann.where})")
    mentions = _mention_ids(ann, notes)
    root = {t: t for t in set(mentions.values())}

    def find(t: str) -> str:
        while root[t] != t:
            root[t] = root[root[t]]
            t = root[t]
        return t

    for number, members in ann.equivalences:
        usable = []
        for member in members:
            if reason := _not_mention(ann, member, number, mentions):
                notes.add("equivalence members that are no entity mention, left out", f"{reason} ({ann.at(number)})")
            else:
                usable.append(mentions[member])
        for other in usable[1:]:
            root[find(other)] = find(usable[0])
    clusters: dict[str, list[str]] = {}
    for t in sorted(root, key=lambda t: (ann.text_bounds[t].start, ann.text_bounds[t].end)):
        clusters.setdefault(find(t), []).append(t)
    entity_of: dict[str, str] = {}
    entities = []
    for index, members in enumerate(
        sorted(clusters.values(), key=lambda ts: (ann.text_bounds[ts[0]].start, ann.text_bounds[ts[0]].end)), start=1
    ):
        entity_id = f"E{index}"
        entity_of.update((t, entity_id) for t in members)
        entities.append(_entity(entity_id, members, text, ann, notes))
    relations = _relations(text, ann, mentions, entity_of, labels, notes)
    title = next((line.strip() for line in text.split("\n") if line.strip()), doc_id)
    return {
        "id": doc_id,
        "title": title,
        "text": text,
        "source": str(options.get("source") or "brat"),
        "language": str(options.get("language") or "en"),
        "entities": entities,
        "relations": relations,
        "numeric_facts": [],
        "time_expressions": [],
    }


def _mention_ids(ann: _Ann, notes: Notes) -> dict[str, str]:
    """Each entity T line -> the T line of its mention (itself, or an earlier one with its span)."""
    by_span: dict[tuple[int, int], str] = {}
    mentions: dict[str, str] = {}
    for ident, bound in ann.text_bounds.items():
        if ident in ann.triggers:
            continue
        first = by_span.setdefault((bound.start, bound.end), ident)
        mentions[ident] = first
        if first != ident:
            earlier = ann.text_bounds[first]
            lost = "" if earlier.type == bound.type else f", its type {bound.type} lost to {earlier.type}"
            notes.add(
                "T lines with the span of an earlier one, merged into it",
                f"{ident} into {first}{lost} ({ann.at(bound.line)})",
            )
            if ident in ann.kinds:
                ann.kinds.setdefault(first, ann.kinds[ident])
            if ident in ann.names:
                ann.names.setdefault(first, ann.names[ident])
    return mentions


def _not_mention(ann: _Ann, ident: str, number: int, mentions: Mapping[str, str]) -> str | None:
    """Why ``ident`` (named on line ``number``) is no entity mention, or None when it is one."""
    if ident in mentions:
        return None
    if ident not in ann.ids:
        raise UsageError(f"{ann.at(number)}: it refers to {ident}, which no line of this file defines")
    if ident in ann.triggers:
        return f"{ident} is an event trigger"
    return f"{ident} is {_KINDS_OF_LINES.get(ident[0], 'not a T line')}"


_KINDS_OF_LINES = {"E": "an event", "R": "a relation", "A": "an attribute", "M": "an attribute", "N": "a normalization"}


def _entity(entity_id: str, members: list[str], text: str, ann: _Ann, notes: Notes) -> dict[str, Any]:
    spans = [ann.text_bounds[t] for t in members]
    listed: list[dict[str, Any]] = [
        {"start": b.start, "end": b.end, "text": text[b.start : b.end], "kind": ann.kinds.get(t, "name")}
        for t, b in zip(members, spans, strict=True)
    ]
    types = Counter(b.type for b in spans)
    # The most frequent type; on a tie, the first mention's (max keeps the first of equals,
    # and a Counter counts in text order here).
    entity_type = max(types, key=types.__getitem__)
    if len(types) > 1:
        counted = ", ".join(f"{kind} {count}" for kind, count in types.items())
        notes.add(
            "entities whose mentions have different types, typed by the most frequent",
            f"{entity_id} {entity_type} ({counted}; {ann.at(spans[0].line)})",
        )
    named = [ann.names[t] for t in members if ann.names.get(t)]
    if len(set(named)) > 1:
        notes.add("name notes beyond an entity's first, not carried", f"{entity_id} {named[1]!r} ({ann.where})")
    texts = [str(m["text"]) for m in listed]
    longest = _longest(t for t, m in zip(texts, listed, strict=True) if m["kind"] == "name") or _longest(texts)
    return {"id": entity_id, "type": entity_type, "name": named[0] if named else longest, "mentions": listed}


def _longest(texts: Iterable[str]) -> str:
    best = ""
    for candidate in texts:
        if len(candidate) > len(best):
            best = candidate
    return best


def _relations(
    text: str, ann: _Ann, mentions: Mapping[str, str], entity_of: Mapping[str, str], labels: Labels, notes: Notes
) -> list[dict[str, Any]]:
    relations: list[dict[str, Any]] = []
    stored: dict[tuple[str, str, str], dict[str, Any]] = {}
    for number, ident, kind, first, second in ann.relations:
        where = ann.at(number)
        reasons = [reason for arg in (first, second) if (reason := _not_mention(ann, arg, number, mentions))]
        if reasons:
            notes.add(
                "relations with an argument that is no entity mention, not carried",
                f"{ident} {kind} ({'; '.join(reasons)}; {where})",
            )
            continue
        head, tail = entity_of[mentions[first]], entity_of[mentions[second]]
        if head == tail:
            notes.add("relations between two mentions of one entity, not carried", f"{ident} {kind} ({where})")
            continue
        a, b = ann.text_bounds[first], ann.text_bounds[second]
        start, end = min(a.start, b.start), max(a.end, b.end)
        evidence = {"start": start, "end": end, "text": text[start:end]}
        notes.add("relation evidence spans made from the argument spans (BRAT holds no evidence)", f"{ident} ({where})")
        earlier = stored.get((kind, head, tail)) or (
            stored.get((kind, tail, head)) if kind in labels.symmetric else None
        )
        if earlier is not None:
            notes.add("relations repeating an earlier one, merged into it", f"{ident} into {earlier['id']} ({where})")
            if evidence not in earlier["evidence"]:
                earlier["evidence"] = sorted([*earlier["evidence"], evidence], key=lambda s: (s["start"], s["end"]))
            continue
        relation = {"id": ident, "type": kind, "head": head, "tail": tail, "evidence": [evidence], "inferred": False}
        stored[(kind, head, tail)] = relation
        relations.append(relation)
    return relations
