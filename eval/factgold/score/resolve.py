"""Resolving predicted spans and entities to gold entities, through the gold mentions.

A predicted span resolves to the entity of the gold mention it fits best: the one with
exactly the same span, else the one it overlaps most, else (a tie) the earlier one. A
predicted entity resolves to the gold entity most of its mentions resolve to (a tie goes to
the entity mentioned first). This is many-to-one on purpose: a flat NER output has one
entity per mention, and each of them should reach the gold entity it names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from factgold.align import overlapping_pairs
from factgold.document import Document
from factgold.predictions import PredictedEntity, PredictedSpan


@dataclass(frozen=True)
class EntityResolver:
    """Maps predicted spans and entities of one document to gold entity ids."""

    spans: tuple[tuple[int, int], ...]
    entity_of: tuple[str, ...]
    rank: dict[str, int]

    @classmethod
    def for_document(cls, doc: Document) -> EntityResolver:
        mentions = sorted((m.start, m.end, e.id) for e in doc.entities for m in e.mentions)
        rank = {
            e.id: i for i, e in enumerate(sorted(doc.entities, key=lambda e: (e.mentions[0].start, e.mentions[0].end)))
        }
        return cls(tuple((s, e) for s, e, _ in mentions), tuple(i for _, _, i in mentions), rank)

    def resolve_spans(self, spans: Sequence[PredictedSpan]) -> list[str | None]:
        """The gold entity of each predicted span, None where it overlaps no gold mention."""
        best: dict[int, tuple[tuple[int, int, int, int], str]] = {}
        for g, p in overlapping_pairs(self.spans, [(s.start, s.end) for s in spans]):
            start, end = self.spans[g]
            exact = (start, end) == (spans[p].start, spans[p].end)
            overlap = min(end, spans[p].end) - max(start, spans[p].start)
            preference = (-int(exact), -overlap, start, end)
            if p not in best or preference < best[p][0]:
                best[p] = (preference, self.entity_of[g])
        return [best[p][1] if p in best else None for p in range(len(spans))]

    def resolve_span(self, span: PredictedSpan) -> str | None:
        return self.resolve_spans([span])[0]

    def resolve_entity(self, entity: PredictedEntity) -> str | None:
        """The gold entity most of the predicted entity's mentions resolve to."""
        return self._majority(self.resolve_spans([m.span for m in entity.mentions]))

    def _majority(self, resolved: Iterable[str | None]) -> str | None:
        votes = Counter(entity for entity in resolved if entity is not None)
        if not votes:
            return None
        return min(votes, key=lambda entity: (-votes[entity], self.rank[entity]))
