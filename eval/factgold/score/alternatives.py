"""Accepted alternatives: where careful annotators may defensibly differ, the gold says so.

A gold item may record alternatives (`schema/document.schema.json`): other extents of a
mention, other types of an entity or a relation, or that a relation may be left out
(``optional``). With alternatives credited (the default, named in the signature as
``alt:credited``), each document's gold is first *adopted* to the prediction: an item takes
the alternative the prediction gives, where it gives that one and not the gold's own. The
adopted gold is then scored as any gold, except that an optional relation counts only where
a prediction matches it (`factgold.score.relations`: a true positive where predicted,
nothing where not, in each mode on its own). The report gives the headline without
alternatives too.

Adoption never takes a credit away: an item changes only where the prediction has the
alternative and lacks the original. Which predicted item "gives" a version is decided on
spans and names (the predicted entity's name, or its mentions' texts), before alignment.
An optional relation is not decided here: whether it counts depends on the match itself,
so that no other prediction, a wrong one included, can make it count or not.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from factgold.read.document import Document, EntityCluster, Mention, Relation
from factgold.read.predictions import (
    Endpoint,
    EntityRef,
    PredictedDocument,
    PredictedEntity,
    PredictedSpan,
    PredictedText,
)

SYMMETRIC = frozenset({"met_with", "cooperates_with"})


def fold(text: str) -> str:
    """A name as compared here: case and spacing ignored."""
    return " ".join(text.casefold().split())


def gold_names(entity: EntityCluster) -> frozenset[str]:
    """The names the gold gives the entity, folded: its canonical name and its name mentions'
    texts (not its nominals or pronouns, which name nothing on their own)."""
    return frozenset(fold(m.text) for m in entity.mentions if m.kind == "name") | {fold(entity.name)}


def predicted_name(text: str, entity: PredictedEntity) -> str | None:
    """A predicted entity's name: the one given, else its first mention's text."""
    if entity.name:
        return entity.name
    for mention in entity.mentions:
        anchor = mention.anchor
        return anchor.text if isinstance(anchor, PredictedText) else text[anchor.start : anchor.end]
    return None


def endpoint_name(text: str, predicted: PredictedDocument, end: Endpoint | None) -> str | None:
    """The name a relation end or a fact subject gives: its entity's name, or its text."""
    if isinstance(end, EntityRef):
        entities = predicted.entities or ()
        return predicted_name(text, entities[end.index]) if end.index < len(entities) else None
    if isinstance(end, PredictedText):
        return end.text
    if isinstance(end, PredictedSpan):
        return text[end.start : end.end]
    return None


def has_alternatives(document: Document) -> bool:
    """Whether any item of the document records an accepted alternative (`count_alternatives`)."""
    return count_alternatives(document) > 0


def count_alternatives(document: Document) -> int:
    """How many items of the document record accepted alternatives.

    Asked of every gold document read (`factgold.score.config.GoldDigest`) and every
    document scored: written as loops, without a generator for each entity.
    """
    count = 0
    for entity in document.entities:
        count += bool(entity.alternative_types)
        for mention in entity.mentions:
            count += bool(mention.alternatives)
    for relation in document.relations:
        count += bool(relation.alternative_types) or relation.optional
    return count


class _Given:
    """What a prediction gives, in the terms adoption compares: typed spans and texts, and
    relation triples by folded names."""

    def __init__(self, document: Document, predicted: PredictedDocument) -> None:
        self.span_types: dict[tuple[int, int], set[str]] = defaultdict(set)
        self.text_types: dict[str, set[str]] = defaultdict(set)
        for entity in predicted.entities or ():
            if entity.name:
                self.text_types[fold(entity.name)].add(entity.type)
            for mention in entity.mentions:
                anchor = mention.anchor
                if isinstance(anchor, PredictedSpan):
                    self.span_types[(anchor.start, anchor.end)].add(entity.type)
                else:
                    self.text_types[fold(anchor.text)].add(entity.type)
        self.triples: set[tuple[str, str, str]] = set()
        for relation in predicted.relations or ():
            head = endpoint_name(document.text, predicted, relation.head)
            tail = endpoint_name(document.text, predicted, relation.tail)
            if head is not None and tail is not None:
                self.triples.add((relation.type, fold(head), fold(tail)))

    def gives_span(self, start: int, end: int, text: str) -> bool:
        return (start, end) in self.span_types or fold(text) in self.text_types

    def types_at(self, mention: Mention) -> set[str]:
        return self.span_types.get((mention.start, mention.end), set()) | self.text_types.get(fold(mention.text), set())

    def gives_relation(self, kind: str, heads: frozenset[str], tails: frozenset[str]) -> bool:
        return any(
            t == kind and ((h in heads and x in tails) or (kind in SYMMETRIC and h in tails and x in heads))
            for t, h, x in self.triples
        )


def _adopt_mention(mention: Mention, given: _Given) -> Mention:
    if not mention.alternatives or given.gives_span(mention.start, mention.end, mention.text):
        return mention
    for alternative in mention.alternatives:
        if given.gives_span(alternative.start, alternative.end, alternative.text):
            return dataclasses.replace(mention, span=alternative)
    return mention


def _adopt_entity(entity: EntityCluster, given: _Given) -> EntityCluster:
    mentions = tuple(_adopt_mention(m, given) for m in entity.mentions)
    kind = entity.type
    if entity.alternative_types:
        types = set().union(*(given.types_at(m) for m in (*entity.mentions, *mentions)))
        types |= given.text_types.get(fold(entity.name), set())
        if entity.type not in types:
            kind = next((t for t in entity.alternative_types if t in types), entity.type)
    if kind == entity.type and mentions == entity.mentions:
        return entity
    return dataclasses.replace(entity, type=kind, mentions=mentions)


def adopt_alternatives(document: Document, predicted: PredictedDocument) -> Document:
    """The gold with each accepted alternative the prediction gives (and the original not).

    Each rule leaves the gold as it is wherever the prediction could match the original, so
    that crediting never takes a match away:

    - a mention's alternative extent, only when no predicted span or text is the original's;
    - an entity's alternative type, only when the prediction types none of the entity's
      mentions (or names) with the original type;
    - a relation's alternative type, only when the prediction has no relation of the
      original type at all.

    Optional relations stay: relation scoring credits them only where matched.
    """
    if not has_alternatives(document):
        return document
    given = _Given(document, predicted)
    entities = tuple(_adopt_entity(e, given) for e in document.entities)
    # A relation end is named as the gold names it, or as an adopted alternative extent does.
    names = {e.id: gold_names(e) | gold_names(a) for e, a in zip(document.entities, entities, strict=True)}
    predicted_types = {kind for kind, _, _ in given.triples} | {r.type for r in predicted.relations or ()}
    relations: list[Relation] = []
    for relation in document.relations:
        if relation.alternative_types and relation.type not in predicted_types:
            heads, tails = names[relation.head], names[relation.tail]
            given_kind = next((k for k in relation.alternative_types if given.gives_relation(k, heads, tails)), None)
            if given_kind is not None:
                relation = dataclasses.replace(relation, type=given_kind)
        relations.append(relation)
    if entities == document.entities and tuple(relations) == document.relations:
        return document  # nothing adopted: the caller scores the gold once
    return dataclasses.replace(document, entities=entities, relations=tuple(relations))
