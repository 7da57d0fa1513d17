"""Grounding predicted strings in a document: where in the text does a name or mention occur?

Matching goes in three steps, each tried only when the previous one finds nothing:

1. exact: the string itself, at word boundaries;
2. normalized: both sides case-folded, curly quotes and apostrophes made straight, hyphen
   and dash variants made "-", runs of white space made one space;
3. fuzzy: the best partial alignment of the normalized string in the normalized text
   (rapidfuzz's ``partial_ratio_alignment``) when its score is at least `FUZZY_THRESHOLD`
   and the string has at least `FUZZY_MIN_LENGTH` characters.

A final possessive ("’s" or "'s") is dropped from the string before any step: it is never
part of a name. A fuzzy span is widened to whole words. Where a string occurs several
times, exact and normalized matching return every occurrence (the policy: a text-only
mention stands for each place the text says it); fuzzy matching returns the single best
one. A string found by none of the three is not in the document: a hallucination.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

FUZZY_THRESHOLD = 90.0
FUZZY_MIN_LENGTH = 4

Method = Literal["exact", "normalized", "fuzzy", "none"]

# Typographic quotes, apostrophes, hyphens and dashes, written as escapes so that they
# can be told apart: each folds to its ASCII counterpart.
_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)
_POSSESSIVE = re.compile(r"'s$")


def normalize(text: str) -> tuple[str, list[int]]:
    """The normalized text and, for each of its characters, the offset it comes from.

    >>> text, origin = normalize("Pakistan’s  “Top”")
    >>> print(text)
    pakistan's "top"
    >>> origin[10:]
    [10, 12, 13, 14, 15, 16]
    """
    out: list[str] = []
    origin: list[int] = []
    previous_space = False
    for offset, char in enumerate(text):
        if char.isspace():
            if previous_space:
                continue
            previous_space = True
            out.append(" ")
            origin.append(offset)
            continue
        previous_space = False
        for folded in char.translate(_FOLD).casefold():
            out.append(folded)
            origin.append(offset)
    return "".join(out), origin


@dataclass(frozen=True)
class Grounding:
    """Where a string occurs: its spans ``[start, end)`` and how they were found."""

    spans: tuple[tuple[int, int], ...]
    method: Method
    score: float

    @property
    def found(self) -> bool:
        return bool(self.spans)


NOT_FOUND = Grounding((), "none", 0.0)


def _at_word_boundaries(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and text[start].isalnum()) and not (after.isalnum() and text[end - 1].isalnum())


def _occurrences(haystack: str, needle: str) -> list[int]:
    found = []
    start = haystack.find(needle)
    while start >= 0:
        if _at_word_boundaries(haystack, start, start + len(needle)):
            found.append(start)
        start = haystack.find(needle, start + 1)
    return found


@dataclass(frozen=True)
class TextIndex:
    """A document text prepared for grounding strings in it."""

    text: str

    @cached_property
    def _normalized(self) -> tuple[str, list[int]]:
        return normalize(self.text)

    def ground(self, query: str, *, strict: bool = False) -> Grounding:
        """Every occurrence of ``query`` (exact, else normalized), else the best fuzzy one.

        ``strict`` (``--require-grounding``) stops after the normalized step: a fuzzy match
        does not count as found.

        >>> index = TextIndex("Pakistan’s top diplomat met Pakistan's friends.")
        >>> index.ground("Pakistan").spans
        ((0, 8), (28, 36))
        >>> index.ground("pakistan's").method, index.ground("top-diplomat").spans
        ('normalized', ((11, 23),))
        >>> index.ground("Atlantis").found, index.ground("Pakistn").method, index.ground("Pakistn", strict=True).found
        (False, 'fuzzy', False)
        """
        # A final possessive is never part of a name, whichever apostrophe it is written with.
        query = re.sub(r"['\u2019]s$", "", query.strip())
        if not query:
            return NOT_FOUND
        exact = _occurrences(self.text, query)
        if exact:
            return Grounding(tuple((s, s + len(query)) for s in exact), "exact", 100.0)
        normalized_text, origin = self._normalized
        normalized_query = _POSSESSIVE.sub("", normalize(query)[0])
        if not normalized_query:
            return NOT_FOUND
        spans = tuple(
            (origin[s], origin[s + len(normalized_query) - 1] + 1)
            for s in _occurrences(normalized_text, normalized_query)
        )
        if spans:
            return Grounding(spans, "normalized", 100.0)
        if strict or len(normalized_query) < FUZZY_MIN_LENGTH:
            return NOT_FOUND
        from rapidfuzz import fuzz

        alignment = fuzz.partial_ratio_alignment(normalized_query, normalized_text, score_cutoff=FUZZY_THRESHOLD)
        if alignment is None or alignment.dest_end <= alignment.dest_start:
            return NOT_FOUND
        start, end = origin[alignment.dest_start], origin[alignment.dest_end - 1] + 1
        # An alignment may take in a neighbouring space or punctuation mark, or stop inside a
        # word; a span does neither: trim the edges, then widen to whole words.
        while start < end and not self.text[start].isalnum():
            start += 1
        while end > start and not self.text[end - 1].isalnum():
            end -= 1
        while start > 0 and self.text[start - 1].isalnum() and start < end:
            start -= 1
        while end < len(self.text) and self.text[end].isalnum() and start < end:
            end += 1
        return Grounding(((start, end),), "fuzzy", alignment.score) if start < end else NOT_FOUND
