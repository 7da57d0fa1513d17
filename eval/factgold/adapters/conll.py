"""The gold's name mentions as CoNLL-style BIO tags, one token a line, for token-level tools.

Tokens are runs of word characters or single other non-space characters, so that every
name boundary of the gold falls between tokens ("Pakistan’s" is "Pakistan", "’", "s");
a blank line follows a token that ends a sentence or a line; each document starts with a
``-DOCSTART-`` line, as in CoNLL-2003.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from factgold.document import Document

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
