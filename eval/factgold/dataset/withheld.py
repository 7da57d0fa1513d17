"""Gold without the article's text, and the text put back from a user's own copy.

Should a rights holder ask for an article's removal, its gold is distributed *withheld*:
the text and every span's text are taken out and the text's SHA-256 is kept. A user who has
the article restores the gold with ``factgold fetch-text --from COPY``: the copy's hash must
match, and every span's text is read again from it by its offsets. Annotations (offsets,
types, values, names) are the annotators' work and stay.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from factgold.errors import UsageError

HASH_FIELD = "text_sha256"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _span_holders(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for entity in doc.get("entities", []):
        for mention in entity.get("mentions", []):
            yield mention
            yield from mention.get("alternatives", [])
    for relation in doc.get("relations", []):
        yield from relation.get("evidence", [])
    for fact in doc.get("numeric_facts", []):
        yield fact["mention"]
    yield from doc.get("time_expressions", [])


def withhold(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The document with its text, title and span texts replaced by nulls and the text's hash."""
    withheld: dict[str, Any] = copy.deepcopy(dict(doc))
    withheld[HASH_FIELD] = sha256(doc["text"])
    withheld["text"] = None
    withheld["title"] = None
    for span in _span_holders(withheld):
        span["text"] = None
    return withheld


def is_withheld(doc: Mapping[str, Any]) -> bool:
    hashed = doc.get(HASH_FIELD)
    return doc.get("text") is None and isinstance(hashed, str) and len(hashed) == 64


def _no_bom(text: str) -> str:
    return text.removeprefix("\ufeff")


def _lf(text: str) -> str:
    return _no_bom(text).replace("\r\n", "\n")


def _final_newline(text: str) -> str:
    text = _lf(text)
    return text if text.endswith("\n") else text + "\n"


# Differences a saved copy commonly has from the original file, undone step by step.
_NORMALIZATIONS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("as given", str),
    ("without a byte order mark", _no_bom),
    ("with CRLF line ends made LF", _lf),
    ("with a final newline added", _final_newline),
)


def matching_text(copy: str, expected_hash: str) -> tuple[str, str] | None:
    """The copy's text (and how it was normalized) when its hash is the expected one."""
    for how, normalize in _NORMALIZATIONS:
        text = normalize(copy)
        if sha256(text) == expected_hash:
            return text, how
    return None


def restore(doc: Mapping[str, Any], text: str) -> dict[str, Any]:
    """The withheld document with ``text`` put back (its hash already checked by the caller)."""
    restored = copy.deepcopy(dict(doc))
    if sha256(text) != restored.pop(HASH_FIELD):
        raise UsageError(f"document {doc.get('id')!r}: the text does not have the withheld text's SHA-256")
    restored["text"] = text
    restored["title"] = text.split("\n", 1)[0]
    for span in _span_holders(restored):
        start, end = span["start"], span["end"]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
            raise UsageError(f"document {doc.get('id')!r}: span {start}-{end} lies outside the text")
        span["text"] = text[start:end]
    order = ["id", "title", "text"]
    return {key: restored[key] for key in order} | {k: v for k, v in restored.items() if k not in order}
