"""Grounding predicted strings in a document: where in the text does a name or mention occur?

Matching goes in three steps, each tried only when the previous one finds nothing:

1. exact: the string itself, at word boundaries;
2. normalized: both sides case-folded, curly quotes and apostrophes made straight, hyphen
   and dash variants made "-", runs of white space made one space;
3. fuzzy: the run of whole words of the normalized text most similar to the normalized
   string (rapidfuzz's ``ratio``, an edit-distance similarity, over runs of one word fewer,
   as many, or one more than the string has), when its score is at least
   `FUZZY_THRESHOLD` and the string has at least `FUZZY_MIN_LENGTH` characters. Runs of
   whole words, unlike a partial alignment of as many characters as the string has, let a
   typo that drops a letter ("Islamabd") find its word, and never end inside a word.

A final possessive ("’s" or "'s") is dropped from the string before any step: it is never
part of a name. Where a string occurs several times, exact and normalized matching return
every occurrence (the policy: a text-only mention stands for each place the text says it);
fuzzy matching returns the single best one. A string found by none of the three is not in the document: a hallucination.
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
# A word of the normalized text: hyphens, dots, ampersands and apostrophes inside it keep it
# whole, except a final possessive, which is never part of a name.
_WORD = re.compile(r"\w+(?:[-.&]\w+|'(?!s\b)\w+)*")
# Runs of white space: `\s` is what `str.isspace` says is white space (checked over every
# code point), and no character folds to one.
_SPACE_RUNS = re.compile(r"\s+")


def normalize(text: str) -> tuple[str, list[int]]:
    """The normalized text and, for each of its characters, the offset it comes from.

    >>> text, origin = normalize("Pakistan’s  “Top”")
    >>> print(text)
    pakistan's "top"
    >>> origin[10:]
    [10, 12, 13, 14, 15, 16]
    """
    folded = text.translate(_FOLD).casefold()
    if len(folded) != len(text):  # a character folds to several ("ß" to "ss")
        return _normalize_by_character(text)
    # Each character folds to one, at its own offset: only runs of white space change the
    # offsets, one a word (a document's text is normalized once, a loop over its characters
    # took a tenth of a second for a long one). Held to the loop by a property test.
    pieces: list[str] = []
    origin: list[int] = []
    done = 0
    for run in _SPACE_RUNS.finditer(text):
        start, end = run.span()
        pieces += (folded[done:start], " ")
        origin += range(done, start)
        origin.append(start)
        done = end
    pieces.append(folded[done:])
    origin += range(done, len(text))
    return "".join(pieces), origin


def _normalize_by_character(text: str) -> tuple[str, list[int]]:
    """`normalize`, one character at a time."""
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


def fold(text: str) -> str:
    """``normalize(text)[0]`` without the offsets, at C speed: for comparing names.

    >>> fold("Pakistan’s  “Top”") == normalize("Pakistan’s  “Top”")[0]
    True
    """
    return _SPACE_RUNS.sub(" ", text.translate(_FOLD).casefold())


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
        # An answer names the same entities again and again (in its entities, relations and
        # facts): each string is looked for once per document.
        key = (query, strict)
        found = self._grounded.get(key)
        if found is None:
            found = self._grounded[key] = self._ground(query, strict)
        return found

    @cached_property
    def _grounded(self) -> dict[tuple[str, bool], Grounding]:
        return {}

    def _ground(self, query: str, strict: bool) -> Grounding:
        # A final possessive is never part of a name, whichever apostrophe it is written with.
        query = re.sub(r"['\u2019]s$", "", query.strip())
        if not query:
            return NOT_FOUND
        exact = _occurrences(self.text, query)
        if exact:
            return Grounding(tuple((s, s + len(query)) for s in exact), "exact", 100.0)
        normalized_text, origin = self._normalized
        normalized_query = _POSSESSIVE.sub("", fold(query))
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
        return self._fuzzy(normalized_query)

    @cached_property
    def _words(self) -> list[tuple[int, int]]:
        """The normalized text's words (`_WORD`) as ``[start, end)`` offsets into it."""
        normalized_text = self._normalized[0]
        return [m.span() for m in _WORD.finditer(normalized_text)]

    def _runs(self, length: int) -> list[tuple[int, int]]:
        """Every run of ``length`` consecutive words, as offsets into the normalized text."""
        words = self._words
        return [(words[i][0], words[i + length - 1][1]) for i in range(len(words) - length + 1)]

    @cached_property
    def _candidates_by_size(self) -> dict[int, tuple[list[tuple[int, int]], list[str]]]:
        """Per query size in words, the runs a fuzzy match may take and their texts (filled on
        first use, then shared by every query of that size: a document's many strings cost
        one pass over its words per size, not one per string)."""
        return {}

    def _candidates(self, size: int) -> tuple[list[tuple[int, int]], list[str]]:
        """The runs of ``size - 1`` to ``size + 1`` words in text order, and their texts."""
        if size not in self._candidates_by_size:
            normalized_text = self._normalized[0]
            runs = [run for length in (size - 1, size, size + 1) if length >= 1 for run in self._runs(length)]
            runs.sort()  # in text order, so that among equal scores the first occurrence wins
            self._candidates_by_size[size] = (runs, [normalized_text[start:end] for start, end in runs])
        return self._candidates_by_size[size]

    def _fuzzy(self, normalized_query: str) -> Grounding:
        from rapidfuzz import fuzz, process

        origin = self._normalized[1]
        size = max(1, len(_WORD.findall(normalized_query)))
        runs, texts = self._candidates(size)
        best = process.extractOne(normalized_query, texts, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
        if best is None:
            return NOT_FOUND
        _, score, position = best
        start, end = runs[position]
        return Grounding(((origin[start], origin[end - 1] + 1),), "fuzzy", score)
