"""Resolving predicted spans, strings and entities to gold entities, through the gold mentions.

A predicted span resolves to the entity of the gold mention it fits best: the one with
exactly the same span, else the one it overlaps most, else (a tie) the earlier one. A
string is first grounded in the text (`factgold.ground.text`: every occurrence) and resolves
like its spans. A predicted entity resolves to the gold entity most of its mentions (or, for
an entity known only by name, the occurrences of its name) resolve to; a tie goes to the
entity mentioned first. This is many-to-one on purpose: a flat NER output has one entity per
mention, and each of them should reach the gold entity it names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from factgold.ground.text import TextIndex
from factgold.read.document import Document, EntityCluster
from factgold.read.predictions import Endpoint, EntityRef, PredictedEntity, PredictedSpan, PredictedText
from factgold.score.align import SpanIndex

Failure = Literal["", "unresolved", "hallucinated"]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Resolution:
    """The gold entity an endpoint resolves to, or why it resolves to none."""

    entity: str | None
    failure: Failure = ""
    shown: str = ""
    grounded_by: str | None = None  # how a string behind it was found in the text, if one was


def first_mention(entity: EntityCluster) -> tuple[int, int]:
    """Where a gold entity is first mentioned: the order gold entities are ranked and matched in."""
    first = entity.mentions[0].span
    return (first.start, first.end)


def most_lenient(*methods: str | None) -> str | None:
    """Of several grounding methods, the most lenient, so that a fuzzy match always shows.

    >>> most_lenient("exact", None, "fuzzy"), most_lenient(None, None)
    ('fuzzy', None)
    """
    # Written out rather than as a generator: this runs for every predicted cluster and entity.
    if "fuzzy" in methods:
        return "fuzzy"
    if "normalized" in methods:
        return "normalized"
    return "exact" if "exact" in methods else None


@dataclass(frozen=True)
class EntityResolver:
    """Maps predicted spans, strings and entities of one document to gold entity ids."""

    spans: tuple[tuple[int, int], ...]
    entity_of: tuple[str, ...]
    rank: dict[str, int]
    index: TextIndex = field(compare=False)
    strict: bool = False  # --require-grounding: a fuzzy match is not found

    @classmethod
    def for_document(cls, doc: Document, *, strict: bool = False) -> EntityResolver:
        # Built for every document: lists rather than generators, spans read without the
        # mentions' properties.
        mentions = sorted([(m.span.start, m.span.end, e.id) for e in doc.entities for m in e.mentions])
        ordered = sorted(doc.entities, key=first_mention)
        rank = {e.id: i for i, e in enumerate(ordered)}
        spans = tuple([(s, e) for s, e, _ in mentions])
        return cls(spans, tuple([i for _, _, i in mentions]), rank, TextIndex(doc.text), strict)

    @cached_property
    def _span_index(self) -> SpanIndex:
        return SpanIndex(self.spans)

    def resolve_spans(self, spans: Sequence[PredictedSpan]) -> list[str | None]:
        """The gold entity of each predicted span, None where it overlaps no gold mention."""
        return [self._best_at(span.start, span.end, whole=False) for span in spans]

    @cached_property
    def _words_found(self) -> dict[int, tuple[tuple[int, int], ...]]:
        """The word spans of the gold mentions asked for so far (`_mention_words`)."""
        return {}

    def _mention_words(self, g: int) -> tuple[tuple[int, int], ...]:
        """The word spans of gold mention ``g``, as `refers_to_mentions` counts them: found the
        first time they are asked for, since only mentions that a predicted span overlaps
        without matching exactly are ever asked."""
        words = self._words_found.get(g)
        if words is None:
            start, end = self.spans[g]
            words = tuple(w.span() for w in _WORD.finditer(self.index.text, start, end)) or ((start, end),)
            self._words_found[g] = words
        return words

    def refers_to_mentions(self, spans: Sequence[PredictedSpan]) -> list[str | None]:
        """The gold entity each predicted span names as a whole, None where it names none.

        A span names a gold mention when it is that mention, or when it covers more than half
        of the mention's words; among several, the exact one, then the one it overlaps most.
        So "nationals" does not name "Chinese nationals", nor "Pakistan" the "China-Pakistan
        Economic Corridor", while "the Chinese nationals" and "Minister Mohsin Naqvi" name
        the gold mention inside them (`resolve_spans`, which takes any overlap, serves
        relation endpoints and fact subjects, where the gold entity is all that is asked).
        """
        return [self._best_at(span.start, span.end, whole=True) for span in spans]

    def refers_to_places(self, places: Iterable[tuple[int, int]]) -> list[str | None]:
        """`refers_to_mentions` of spans given as ``(start, end)`` pairs."""
        return [self._best_at(start, end, whole=True) for start, end in places]

    def refers_to_place(self, start: int, end: int) -> str | None:
        """`refers_to_places` of one span, without a list: most predicted entities have one place."""
        exact_match = self._exact.get((start, end))  # `_best_at`'s first step, a call fewer for most spans
        if exact_match is not None:
            return self.entity_of[exact_match]
        return self._best_at(start, end, whole=True)

    @cached_property
    def _exact(self) -> dict[tuple[int, int], int]:
        """The first gold mention (in `spans` order) at each non-empty span."""
        exact: dict[tuple[int, int], int] = {}
        for g, (start, end) in enumerate(self.spans):
            if start < end:
                exact.setdefault((start, end), g)
        return exact

    def _best_mention(self, span: PredictedSpan, *, whole: bool) -> str | None:
        return self._best_at(span.start, span.end, whole=whole)

    def _best_at(self, span_start: int, span_end: int, *, whole: bool) -> str | None:
        """The entity of the gold mention that fits ``[span_start, span_end)`` best: exact, then
        most overlap, then first."""
        # A gold mention at exactly this span is preferred to every other (the first of
        # several such, as the scan below would take): found by one lookup, no scan.
        exact_match = self._exact.get((span_start, span_end))
        if exact_match is not None:
            return self.entity_of[exact_match]
        best: tuple[tuple[int, int, int], str] | None = None
        for g in self._span_index.overlapping(span_start, span_end):
            start, end = self.spans[g]
            if whole:
                words = self._mention_words(g)
                if 2 * sum(1 for s, e in words if span_start <= s and e <= span_end) <= len(words):
                    continue
            overlap = min(end, span_end) - max(start, span_start)
            preference = (-overlap, start, end)
            if best is None or preference < best[0]:
                best = (preference, self.entity_of[g])
        return best[1] if best else None

    def ground(self, text: str) -> tuple[tuple[PredictedSpan, ...], str | None]:
        """The occurrences of ``text`` and how they were found (None: not found)."""
        found = self.index.ground(text, strict=self.strict)
        return tuple(PredictedSpan(s, e) for s, e in found.spans), (found.method if found.found else None)

    def _majority(self, resolved: Iterable[str | None]) -> str | None:
        votes = Counter(entity for entity in resolved if entity is not None)
        if not votes:
            return None
        return min(votes, key=lambda entity: (-votes[entity], self.rank[entity]))

    def resolve_entity(self, entity: PredictedEntity) -> Resolution:
        """The gold entity most of the predicted entity's mentions (or name occurrences) resolve to."""
        spans = [m.anchor for m in entity.mentions if isinstance(m.anchor, PredictedSpan)]
        texts = [m.anchor.text for m in entity.mentions if isinstance(m.anchor, PredictedText)]
        shown = entity.name or (texts[0] if texts else "")
        method = most_lenient(*(m.grounded_by for m in entity.mentions))
        if spans:
            first = min(spans)
            shown = self.index.text[first.start : first.end]
        else:
            if entity.name is not None:
                found, method = self.ground(entity.name)
                spans = list(found)
            if not spans:  # its name, or every text-only mention, is nowhere in the document
                return Resolution(None, "hallucinated", shown)
        resolved = self._majority(self.resolve_spans(spans))
        return Resolution(resolved, "" if resolved else "unresolved", shown, method)

    def resolve(self, endpoint: Endpoint, entities: Sequence[PredictedEntity]) -> Resolution:
        """Resolve a relation endpoint or a fact subject."""
        if isinstance(endpoint, EntityRef):
            return self.resolve_entity(entities[endpoint.index])
        if isinstance(endpoint, PredictedText):
            spans, method = self.ground(endpoint.text)
            if not spans:
                return Resolution(None, "hallucinated", endpoint.text)
            resolved = self._majority(self.resolve_spans(spans))
            return Resolution(resolved, "" if resolved else "unresolved", endpoint.text, method)
        shown = self.index.text[endpoint.start : endpoint.end]
        resolved = self.resolve_spans([endpoint])[0]
        return Resolution(resolved, "" if resolved else "unresolved", shown)
