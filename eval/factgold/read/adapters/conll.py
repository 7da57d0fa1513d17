"""CoNLL-style BIO tags, one token a line: the gold's name mentions written, and read back.

Tokens are runs of word characters or single other non-space characters, so that every
name boundary of the gold falls between tokens ("Pakistan’s" is "Pakistan", "’", "s");
a blank line follows a token that ends a sentence or a line; each document starts with a
``-DOCSTART-`` line, as in CoNLL-2003.

Read (``convert --from conll``): ``TOKEN<TAB>TAG`` lines (the tag is the last column, so
CoNLL-2003's four columns are read too), each document after a ``-DOCSTART- ID`` line (or,
without one, the document ``--doc-id`` names or the gold's only one). Tokens carry no
offsets, so each is found in the gold document's text after the one before it. Tags in
IOB2, IOB1 (an entity may start with ``I-``) or BIOES; an ``I-`` or ``E-`` tag continues an
entity only of the same type from the token right before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from factgold.errors import UsageError
from factgold.read.adapters import Conversion, Source, entity
from factgold.read.adapters.labels import LabelMap
from factgold.read.document import Document

_TOKEN = re.compile(r"\w+|[^\w\s]")


def export(documents: Sequence[Document]) -> str:
    lines: list[str] = []
    for document in documents:
        lines += [f"-DOCSTART- {document.id}", ""]
        names = sorted((m.start, m.end, e.type) for e in document.entities for m in e.mentions if m.kind == "name")
        tokens = [(t.start(), t.end(), t.group()) for t in _TOKEN.finditer(document.text)]
        starts = {s for s, _, _ in tokens}
        ends = {e for _, e, _ in tokens}
        for start, end, _ in names:
            if start not in starts or end not in ends:
                raise ValueError(f"{document.id}: name [{start}, {end}) does not fall on token boundaries")
        tag_of: dict[int, str] = {}
        for start, end, entity_type in names:
            for token_start, token_end, _ in tokens:
                if start <= token_start and token_end <= end:
                    tag_of[token_start] = ("B-" if token_start == start else "I-") + entity_type
        for index, (start, end, token) in enumerate(tokens):
            lines.append(f"{token}\t{tag_of.get(start, 'O')}")
            following = document.text[end : tokens[index + 1][0]] if index + 1 < len(tokens) else "\n"
            if (token in ".!?" and (" " in following or "\n" in following)) or "\n" in following:
                lines.append("")
        if lines[-1] != "":
            lines.append("")
    return "\n".join(lines)


def convert(source: Source, labels: LabelMap) -> Conversion:
    if not isinstance(source.content, str):
        raise UsageError("conll: expected the text of a token-per-line file")
    unmapped: set[str] = set()
    documents: list[dict[str, object]] = []
    doc_id = source.doc_id
    tokens: list[tuple[int, str, str]] = []  # line number, token, tag

    def finish() -> None:
        if doc_id is None and not tokens:
            return
        documents.append(_document(doc_id, tokens, source, labels, unmapped))

    for number, line in enumerate(source.content.split("\n"), start=1):
        if line.startswith("-DOCSTART-"):
            finish()
            named = line.split()[1:]
            doc_id, tokens = (named[0] if named else source.doc_id), []
        elif line.strip():
            columns = line.split()
            if len(columns) < 2:
                raise UsageError(f"conll: line {number} has no tag: {line[:60]!r}")
            tokens.append((number, columns[0], columns[-1]))
    finish()
    return Conversion(tuple(documents), tuple(sorted(unmapped)))


def _document(
    doc_id: str | None, tokens: Sequence[tuple[int, str, str]], source: Source, labels: LabelMap, unmapped: set[str]
) -> dict[str, object]:
    if doc_id is None and len(source.texts) == 1:
        doc_id = next(iter(source.texts))
    if doc_id is None or doc_id not in source.texts:
        raise UsageError(f"conll: document {doc_id!r} is not in the gold, so its tokens cannot be placed in a text")
    text = source.texts[doc_id]
    spans: list[tuple[int, int, str]] = []
    cursor = 0
    previous = ("O", "")
    for number, token, tag in tokens:
        start = text.find(token, cursor)
        if start < 0:
            raise UsageError(f"conll: line {number}: token {token!r} is not next in the text of {doc_id}")
        cursor = start + len(token)
        prefix, label = [*tag.split("-", 1), ""][:2] if tag != "O" else ["O", ""]
        if prefix not in ("O", "B", "I", "E", "S") or (prefix != "O" and not label):
            raise UsageError(f"conll: line {number}: tag {tag!r} is not O, B-X, I-X, E-X or S-X")
        continues = prefix in ("I", "E") and previous[0] in ("B", "I") and previous[1] == label and spans
        if prefix == "O":
            pass
        elif continues:
            spans[-1] = (spans[-1][0], cursor, label)
        else:
            spans.append((start, cursor, label))
        previous = (prefix, label)
    entities = [entity(labels(label, unmapped), start, end) for start, end, label in spans]
    return {"id": doc_id, "entities": entities}
