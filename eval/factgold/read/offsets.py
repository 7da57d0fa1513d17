"""Why a span's offsets do not select its text: the usual other offset conventions, named.

factgold counts Python ``str`` offsets (Unicode code points). Tools in other languages
count UTF-8 bytes (Rust, Go, C) or UTF-16 code units (JavaScript, Java, C#); a text may also
have been decomposed (NFD) where the gold is composed (NFC). Where one of these explains a
mismatch, the message says so.
"""

from __future__ import annotations

import unicodedata


def mismatch_message(text: str, start: int, end: int, stored: str) -> str:
    """The message for a span whose ``text[start:end]`` is not ``stored``.

    >>> text = "“Hi” Bob"
    >>> print(mismatch_message(text, 9, 12, "Bob"))  # doctest: +NORMALIZE_WHITESPACE
    text 'Bob' does not equal text[9:12] ''; the offsets select it as UTF-8 bytes:
    factgold counts code points (Python str offsets), here [5, 8)
    """
    selected = text[start:end]
    message = f"text {stored!r} does not equal text[{start}:{end}] {selected!r}"
    return message + _explanation(text, start, end, stored)


def out_of_range_message(text: str, end: int) -> str:
    """The message for an end offset past the text, with a hint when it fits the UTF-8 length."""
    message = f"end {end} is past the end of the text ({len(text)} characters)"
    size = len(text.encode("utf-8"))
    if len(text) < end <= size:
        message += f"; the text has {size} UTF-8 bytes: are these byte offsets? factgold counts Unicode code points"
    return message


def _explanation(text: str, start: int, end: int, stored: str) -> str:
    if unicodedata.normalize("NFC", stored) == text[start:end]:
        return "; the stored text is in another Unicode normal form (NFD?) than the document (NFC)"
    encoded = text.encode("utf-8")
    if encoded[start:end].decode("utf-8", errors="replace") == stored:
        fixed = _code_points(encoded, start, end, "utf-8")
        return f"; the offsets select it as UTF-8 bytes: factgold counts code points (Python str offsets), here {fixed}"
    utf16 = text.encode("utf-16-le")
    if utf16[2 * start : 2 * end].decode("utf-16-le", errors="replace") == stored:
        fixed = _code_points(utf16, 2 * start, 2 * end, "utf-16-le")
        return f"; the offsets select it as UTF-16 code units: factgold counts Unicode code points, here {fixed}"
    return ""


def _code_points(encoded: bytes, start: int, end: int, codec: str) -> str:
    """The code-point offsets of an encoded stretch."""
    before = len(encoded[:start].decode(codec, errors="replace"))
    inside = len(encoded[start:end].decode(codec, errors="replace"))
    return f"[{before}, {before + inside})"
