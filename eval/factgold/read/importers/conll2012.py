"""Gold from the CoNLL-2012 ``*_conll`` format (OntoNotes 5 as the shared task distributed it),
and gold written in it.

Each document part, from ``#begin document (NAME); part NNN`` to ``#end document``, is one
gold document with id ``NAME_N`` (``bc/cctv/00/cctv_0001_0``). A token is one line of
columns separated by white space (the distributed files align them with spaces, the
reference scorer's with tabs): document, part, word number, word, part of speech, parse
bit, predicate lemma, frameset id, word sense, speaker, named entity, one column per
predicate of the sentence, and the coreference column last; a blank line ends a sentence.

The format keeps no original text, only tokens: a document's text is its tokens joined by
single spaces, one sentence a line, ending with a newline (counted in the notes), and every
offset points into that text.

Carried:

- the named-entity column (``(PERSON*``, ``*``, ``*)``, ``(GPE)``): typed name mentions;
- the coreference column (``(12``, ``12)``, ``(12)``, several joined by ``|``; a close
  ends the latest open mention of its chain, as the reference scorer reads it): each chain
  is an entity of its mentions. A mention with the span of a named entity is a name and
  gives the chain its type (the most frequent, the first on a tie); a one-token mention
  tagged PRP or PRP$ is a pronoun; any other is nominal. A chain without a named mention
  is typed ``UNTYPED`` (option ``untyped_type``), counted; a named entity in no chain is an
  entity of its own. An entity's name is its longest name mention, else its longest mention.

Not carried, counted: parse trees, predicate-argument structures, word senses, speakers
and (beyond telling pronouns) part-of-speech tags. The value types of the NE column (DATE,
TIME, PERCENT, MONEY, QUANTITY, ORDINAL, CARDINAL) stay entity types: the format holds no
normalized value for a numeric fact or a time expression (counted). Documents have no
relations. Options: ``untyped_type``, ``source`` (default ``conll2012``) and ``language``
(default ``en``).

`export_documents` writes gold in the format, with the columns it holds (see there).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from factgold.errors import UsageError
from factgold.read.document import Document
from factgold.read.importers import Imported, read_utf8
from factgold.read.labels import Labels
from factgold.read.validate import validate_document

UNTYPED = "UNTYPED"
PRONOUN_TAGS = frozenset({"PRP", "PRP$"})
VALUE_TYPES = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
FIRST_PREDICATE = 11  # columns before the predicate-argument ones
MIN_COLUMNS = FIRST_PREDICATE + 1  # ... and the coreference column after them
EXAMPLES = 3

_BEGIN = re.compile(r"^#begin document \((?P<name>.+)\); part (?P<part>[0-9]+)\s*$")
_END = re.compile(r"^#end document\s*$")
_NAMED = re.compile(r"^(?:\((?P<label>[^()*\s]+))?(?P<star>\*)?(?P<close>\))?$")
_CHAIN = re.compile(r"^(?:\((?P<single>[0-9]+)\)|\((?P<open>[0-9]+)|(?P<close>[0-9]+)\))$")
_COLUMNS = (
    "document, part, word number, word, POS, parse bit, predicate lemma, frameset, word sense, speaker, "
    "named entity, predicate arguments..., coreference"
)


class Notes:
    """What an import could not carry (or had to make up): a count and examples per kind."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._examples: dict[str, list[str]] = {}

    def add(self, what: str, example: str, count: int = 1) -> None:
        """Count ``count`` more of ``what``; ``example`` names them (one document, say)."""
        self._counts[what] += count
        self._examples.setdefault(what, []).append(example)

    def lines(self) -> tuple[str, ...]:
        lines = []
        for what, examples in self._examples.items():
            shown = ", ".join(examples[:EXAMPLES]) + (", …" if len(examples) > EXAMPLES else "")
            lines.append(f"{self._counts[what]} {what}: {shown}")
        return tuple(lines)


@dataclass
class _Token:
    line: int
    columns: list[str]
    start: int = 0  # offsets into the rebuilt text
    end: int = 0


@dataclass
class _Part:
    """One ``#begin document`` ... ``#end document`` block."""

    doc_id: str
    line: int
    sentences: list[list[_Token]] = field(default_factory=list)


def import_files(paths: Sequence[Path], options: Mapping[str, Any]) -> Imported:
    """The document parts of the ``*_conll`` files of ``paths`` (files or folders) as gold."""
    untyped = str(options.get("untyped_type") or UNTYPED)
    notes = Notes()
    parts: list[tuple[Path, _Part]] = []
    seen: dict[str, str] = {}
    for path in _conll_files(paths):
        for part in _parse(path, read_utf8(path)):
            where = f"{path.name}:{part.line}"
            if part.doc_id in seen:
                raise UsageError(f"{where}: document {part.doc_id} again (first at {seen[part.doc_id]})")
            seen[part.doc_id] = where
            parts.append((path, part))
    documents = [_document(path, part, untyped, options, notes) for path, part in parts]
    types = {entity["type"] for document in documents for entity in document["entities"]}
    labels = Labels(tuple(sorted(types)), ())
    for (path, _), document in zip(parts, documents, strict=True):
        if problems := validate_document(document, file=str(path), house_rules=False, labels=labels):
            # Reaching this is a fault of the importer, not of the input; say where anyway.
            raise UsageError(f"conll2012: document {document['id']} breaks the gold contract: {problems[0]}")
    return Imported(tuple(documents), labels, notes.lines())


def _conll_files(paths: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.name.endswith("_conll"))
            if not inside:
                raise UsageError(f"{path}: no *_conll files in this folder")
            found += inside
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return list(dict.fromkeys(found))


def _parse(path: Path, content: str) -> list[_Part]:
    parts: list[_Part] = []
    part: _Part | None = None
    sentence: list[_Token] = []
    for number, raw in enumerate(content.split("\n"), start=1):
        line = raw.rstrip("\r")
        where = f"{path.name}:{number}"
        if line.startswith("#begin"):
            if part is not None:
                raise UsageError(f"{where}: a document begins before {part.doc_id} (line {part.line}) ends")
            found = _BEGIN.match(line)
            if not found:
                raise UsageError(f"{where}: not '#begin document (NAME); part NNN': {line[:60]!r}")
            part = _Part(f"{found.group('name')}_{int(found.group('part'))}", number)
        elif line.startswith("#end"):
            if part is None or not _END.match(line):
                raise UsageError(f"{where}: '#end document' without a '#begin document' before it")
            if sentence:
                part.sentences.append(sentence)
            if not part.sentences:
                raise UsageError(f"{where}: document {part.doc_id} has no tokens")
            parts.append(part)
            part, sentence = None, []
        elif not line.strip():
            if part is not None and sentence:
                part.sentences.append(sentence)
            sentence = []
        elif part is None:
            raise UsageError(f"{where}: a token line outside '#begin document' ... '#end document': {line[:60]!r}")
        else:
            columns = line.split()
            if len(columns) < MIN_COLUMNS:
                raise UsageError(
                    f"{where}: {len(columns)} columns; a *_conll token line has at least {MIN_COLUMNS} ({_COLUMNS})"
                )
            if sentence and len(columns) != len(sentence[0].columns):
                raise UsageError(
                    f"{where}: {len(columns)} columns, but the sentence's first token (line {sentence[0].line}) "
                    f"has {len(sentence[0].columns)}"
                )
            sentence.append(_Token(number, columns))
    if part is not None:
        raise UsageError(f"{path.name}:{part.line}: document {part.doc_id} has no '#end document'")
    if not parts:
        raise UsageError(f"{path}: no '#begin document' in this file")
    return parts


def _document(path: Path, part: _Part, untyped: str, options: Mapping[str, Any], notes: Notes) -> dict[str, Any]:
    lines = []
    offset = 0
    for sentence in part.sentences:
        words = []
        for token in sentence:
            word = token.columns[3]
            token.start, token.end = offset, offset + len(word)
            offset = token.end + 1  # the space after it, or the newline after the sentence
            words.append(word)
        lines.append(" ".join(words))
    text = "\n".join(lines) + "\n"
    tokens = [token for sentence in part.sentences for token in sentence]
    notes.add(
        "texts rebuilt from the tokens, joined by single spaces, one sentence a line (the format keeps no spacing)",
        part.doc_id,
    )
    _count_uncarried(part, notes)
    names = _named_entities(path, part)
    chains = _chains(path, part, tokens, notes)
    entities: list[tuple[list[tuple[int, int]], str]] = []  # token spans, and the type
    in_chains: set[tuple[int, int]] = set()
    for chain, spans in chains.items():
        in_chains.update(spans)
        types = Counter(names[span] for span in spans if span in names)
        if types:
            # The most frequent type; on a tie, the first mention's (max keeps the first of equals).
            entity_type = max(types, key=types.__getitem__)
            if len(types) > 1:
                counted = ", ".join(f"{kind} {count}" for kind, count in types.items())
                notes.add(
                    "coreference chains whose names have different types, typed by the most frequent",
                    f"chain {chain} {entity_type} ({counted}; {part.doc_id})",
                )
        else:
            entity_type = untyped
            first = tokens[spans[0][0]]
            notes.add(
                f"coreference chains without a named mention, typed {untyped}",
                f"chain {chain} {_span_text(text, tokens, spans[0])!r} ({path.name}:{first.line})",
            )
        entities.append((spans, entity_type))
    entities += [([span], label) for span, label in names.items() if span not in in_chains]
    for span, label in names.items():
        if label in VALUE_TYPES:
            notes.add(
                "names of value types kept as entity mentions, not numeric facts or time expressions",
                f"{label} {_span_text(text, tokens, span)!r} ({part.doc_id})",
            )
    entities.sort(key=lambda entity: min(entity[0]))
    built = [
        _entity(f"E{index}", spans, entity_type, text, tokens, names)
        for index, (spans, entity_type) in enumerate(entities, start=1)
    ]
    title = lines[0]
    return {
        "id": part.doc_id,
        "title": title,
        "text": text,
        "source": str(options.get("source") or "conll2012"),
        "language": str(options.get("language") or "en"),
        "entities": built,
        "relations": [],
        "numeric_facts": [],
        "time_expressions": [],
    }


def _span_text(text: str, tokens: Sequence[_Token], span: tuple[int, int]) -> str:
    return text[tokens[span[0]].start : tokens[span[1]].end]


def _entity(
    entity_id: str,
    spans: list[tuple[int, int]],
    entity_type: str,
    text: str,
    tokens: Sequence[_Token],
    names: Mapping[tuple[int, int], str],
) -> dict[str, Any]:
    mentions: list[dict[str, Any]] = []
    for span in sorted(spans):
        if span in names:
            kind = "name"
        elif span[0] == span[1] and tokens[span[0]].columns[4] in PRONOUN_TAGS:
            kind = "pronoun"
        else:
            kind = "nominal"
        start, end = tokens[span[0]].start, tokens[span[1]].end
        mentions.append({"start": start, "end": end, "text": text[start:end], "kind": kind})
    texts = [str(m["text"]) for m in mentions]
    named = [t for t, m in zip(texts, mentions, strict=True) if m["kind"] == "name"]
    name = _longest(named) or _longest(texts)
    return {"id": entity_id, "type": entity_type, "name": name, "mentions": mentions}


def _longest(texts: Iterable[str]) -> str:
    best = ""
    for candidate in texts:
        if len(candidate) > len(best):
            best = candidate
    return best


def _named_entities(path: Path, part: _Part) -> dict[tuple[int, int], str]:
    """Token span (first, last, in the part's numbering) -> the named-entity type."""
    names: dict[tuple[int, int], str] = {}
    index = 0
    for sentence in part.sentences:
        opened: tuple[str, int, int] | None = None  # type, first token, its line
        for token in sentence:
            cell = token.columns[10]
            found = _NAMED.match(cell)
            if not found or not (found.group("label") or found.group("star")):
                raise UsageError(f"{path.name}:{token.line}: named-entity cell {cell!r} is not (TYPE*, *, *) or (TYPE)")
            label, close = found.group("label"), found.group("close")
            if label:
                if opened:
                    raise UsageError(
                        f"{path.name}:{token.line}: named entity ({label} opens inside ({opened[0]} "
                        f"of line {opened[2]}, which has not closed"
                    )
                opened = (label, index, token.line)
            if close:
                if not opened:
                    raise UsageError(f"{path.name}:{token.line}: named entity closes ({cell!r}) but none is open")
                names[(opened[1], index)] = opened[0]
                opened = None
            index += 1
        if opened:
            raise UsageError(f"{path.name}:{opened[2]}: named entity ({opened[0]} does not close in its sentence")
    return names


def _chains(path: Path, part: _Part, tokens: Sequence[_Token], notes: Notes) -> dict[str, list[tuple[int, int]]]:
    """Chain number -> its mentions' token spans, in text order; each span in one chain only."""
    chains: dict[str, list[tuple[int, int]]] = {}
    opened: dict[str, list[int]] = {}  # chain -> first tokens of its open mentions
    owner: dict[tuple[int, int], str] = {}

    def add(chain: str, span: tuple[int, int]) -> None:
        if span in owner:
            where = f"{path.name}:{tokens[span[1]].line}"
            again = "again in its chain" if owner[span] == chain else f"in chain {chain}, kept in chain {owner[span]}"
            notes.add("coreference mentions with the span of an earlier one, left out", f"{where} {again}")
            return
        owner[span] = chain
        chains.setdefault(chain, []).append(span)

    for index, token in enumerate(tokens):
        cell = token.columns[-1]
        if cell == "-":
            continue
        pieces = [_CHAIN.match(piece) for piece in cell.split("|")]
        if not all(pieces):
            raise UsageError(
                f"{path.name}:{token.line}: coreference cell {cell!r} is not '-' or (N, N), (N) joined by |"
            )
        matched = [piece for piece in pieces if piece]
        # The reference scorer's order: one-token mentions, then opens, then closes.
        for piece in matched:
            if piece.group("single"):
                add(piece.group("single"), (index, index))
        for piece in matched:
            if piece.group("open"):
                opened.setdefault(piece.group("open"), []).append(index)
        for piece in matched:
            if chain := piece.group("close"):
                if not opened.get(chain):
                    raise UsageError(
                        f"{path.name}:{token.line}: chain {chain} closes ({cell!r}) but none of it is open"
                    )
                add(chain, (opened[chain].pop(), index))
    for chain, starts in opened.items():
        if starts:
            raise UsageError(f"{path.name}:{tokens[starts[0]].line}: a mention of chain {chain} never closes")
    return {chain: sorted(spans) for chain, spans in chains.items()}


def _count_uncarried(part: _Part, notes: Notes) -> None:
    tokens = [token for sentence in part.sentences for token in sentence]
    trees = sum(1 for sentence in part.sentences if any(t.columns[5] != "-" for t in sentence))
    # One argument column per predicate of the sentence.
    predicates = sum(len(sentence[0].columns) - MIN_COLUMNS for sentence in part.sentences)
    framesets = [f"{t.columns[6]}.{t.columns[7]}" for t in tokens if t.columns[6] != "-" and t.columns[7] != "-"]
    senses = sum(1 for t in tokens if t.columns[8] != "-")
    tags = sum(1 for t in tokens if t.columns[4] != "-")
    for what, count, example in (
        ("sentence parse trees not carried", trees, part.doc_id),
        (
            "predicate-argument structures not carried",
            predicates,
            f"{', '.join(framesets[:EXAMPLES])}{', …' if len(framesets) > EXAMPLES else ''} ({part.doc_id})",
        ),
        ("word senses not carried", senses, part.doc_id),
        ("part-of-speech tags not carried (used only to tell pronouns)", tags, part.doc_id),
    ):
        if count:
            notes.add(what, example, count)
    for speaker in sorted({t.columns[9] for t in tokens if t.columns[9] != "-"}):
        notes.add("speakers not carried", f"{speaker} ({part.doc_id})")


# Export ------------------------------------------------------------------------------------

# Close to the Penn Treebank's tokens: words with inner hyphens, points, commas or apostrophes
# ("well-known", "64,000", "don't") stay whole, a clitic ("'s") is a token, any other
# character is a token of its own.
_TOKEN = re.compile(r"\w+(?:[-.,'’]\w+)*|['’]\w+|[^\w\s]")
_SENTENCE_END = frozenset(".!?")
_POSSESSIVES = frozenset({"my", "your", "his", "her", "its", "our", "their", "whose"})


def export_documents(documents: Sequence[Document]) -> str:
    """The documents in the ``*_conll`` format, one part each, with the columns gold holds.

    Tokens are words (with inner hyphens, points, commas or apostrophes), clitics such as
    ``'s``, and single other characters, cut wherever a mention starts or ends; a sentence
    ends at a line end of the text or after ``.``, ``!`` or ``?`` followed by white space,
    unless a mention runs across. Columns: document name and part (from an id ``NAME_N``,
    else the id and part 0), word number, word, POS (``PRP$`` or ``PRP`` for a one-token
    pronoun mention, the only tag gold implies; ``-`` otherwise), ``-`` for the parse bit,
    lemma, frameset, sense and speaker, the named-entity column from the name mentions and
    their entity's type, no predicate columns, and the coreference column with one chain
    per entity (singletons included). Tab-separated, as the reference
    scorer reads it. Raises ValueError for what the format cannot hold: name mentions that
    overlap, mentions of one entity that cross, a type the bracket notation cannot spell.
    """
    out: list[str] = []
    for document in documents:
        found = re.fullmatch(r"(.+)_(0|[1-9][0-9]*)", document.id)
        name, part = (found.group(1), int(found.group(2))) if found else (document.id, 0)
        if re.search(r"\s", name):
            raise ValueError(f"{document.id!r}: a document name with white space would break the columns")
        out.append(f"#begin document ({name}); part {part:03d}")
        for sentence in _export_sentences(document):
            for number, (word, pos, named, chain) in enumerate(sentence):
                out.append("\t".join([name, str(part), str(number), word, pos, "-", "-", "-", "-", "-", named, chain]))
            out.append("")
        out.append("#end document")
    return "\n".join(out) + "\n"


def _export_sentences(document: Document) -> list[list[tuple[str, str, str, str]]]:
    text = document.text
    mentions = [
        (m.start, m.end, m.kind, index, e.type) for index, e in enumerate(document.entities) for m in e.mentions
    ]
    cuts = {offset for start, end, *_ in mentions for offset in (start, end)}
    spans: list[tuple[int, int]] = []
    for found in _TOKEN.finditer(text):
        start = found.start()
        for cut in sorted(c for c in cuts if found.start() < c < found.end()):
            spans.append((start, cut))
            start = cut
        spans.append((start, found.end()))
    placed = []
    for start, end, kind, chain, entity_type in mentions:
        inside = [i for i, (s, e) in enumerate(spans) if start <= s and e <= end]
        if not inside:
            raise ValueError(f"{document.id}: mention [{start}, {end}) holds no token")
        placed.append((inside[0], inside[-1], kind, chain, entity_type))
    _check_exportable(document.id, placed)
    pos = ["-"] * len(spans)
    named = ["*"] * len(spans)
    cells: list[list[str]] = [[] for _ in spans]
    # Opens of longer mentions first, so that the cell reads as the brackets nest.
    for a, b, kind, chain, entity_type in sorted(placed, key=lambda p: (p[0], -p[1])):
        if a == b:
            cells[a].append(f"({chain})")
        else:
            cells[a].append(f"({chain}")
            cells[b].insert(0, f"{chain})")
        if kind == "pronoun" and a == b:
            word = text[spans[a][0] : spans[a][1]]
            pos[a] = "PRP$" if word.lower() in _POSSESSIVES else "PRP"
        if kind == "name":
            named[a] = f"({entity_type})" if a == b else f"({entity_type}*"
            if a != b:
                named[b] = "*)"
    breaks = _sentence_breaks(text, spans, placed)
    sentences: list[list[tuple[str, str, str, str]]] = [[]]
    for i, (start, end) in enumerate(spans):
        sentences[-1].append((text[start:end], pos[i], named[i], "|".join(cells[i]) or "-"))
        if i in breaks:
            sentences.append([])
    return [sentence for sentence in sentences if sentence]


def _check_exportable(doc_id: str, placed: Sequence[tuple[int, int, str, int, str]]) -> None:
    names = sorted((a, b) for a, b, kind, _, _ in placed if kind == "name")
    for (a1, b1), (a2, b2) in pairwise(names):
        if a2 <= b1:
            raise ValueError(
                f"{doc_id}: name mentions overlap (tokens {a1}-{b1} and {a2}-{b2}); the NE column cannot nest"
            )
    for _, _, _, _, entity_type in placed:
        if not entity_type or re.search(r"[()*|\s]", entity_type):
            raise ValueError(f"{doc_id}: entity type {entity_type!r} cannot be written in the NE column")
    by_chain: dict[int, list[tuple[int, int]]] = {}
    for a, b, _, chain, _ in placed:
        by_chain.setdefault(chain, []).append((a, b))
    for chain, spans in by_chain.items():
        for a1, b1 in spans:
            for a2, b2 in spans:
                if a1 < a2 <= b1 < b2:
                    # Brackets of one chain pair up last-opened first: crossing ones would read back wrong.
                    raise ValueError(f"{doc_id}: two mentions of entity {chain} cross (tokens {a1}-{b1}, {a2}-{b2})")


def _sentence_breaks(
    text: str, spans: Sequence[tuple[int, int]], placed: Sequence[tuple[int, int, str, int, str]]
) -> set[int]:
    """Indexes of the tokens that end a sentence."""
    breaks = set()
    for i in range(len(spans) - 1):
        gap = text[spans[i][1] : spans[i + 1][0]]
        ends = "\n" in gap or (text[spans[i][0] : spans[i][1]] in _SENTENCE_END and gap.strip() == "" and gap != "")
        if ends and not any(a <= i < b for a, b, *_ in placed):
            breaks.add(i)
    return breaks
