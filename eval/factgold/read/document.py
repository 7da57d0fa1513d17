"""Typed records of a gold document (the shapes of ``schema/document.schema.json``).

Records are built from JSON that has already passed validation (`factgold.read.validate`);
they do not check again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

MentionKind = Literal["name", "nominal", "pronoun"]
MENTION_KINDS: tuple[MentionKind, ...] = ("name", "nominal", "pronoun")


@dataclass(frozen=True, order=True)
class Span:
    """A half-open stretch ``[start, end)`` of a document's text."""

    start: int
    end: int
    text: str

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Span:
        return cls(obj["start"], obj["end"], obj["text"])

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Mention:
    """One mention of an entity."""

    span: Span
    kind: MentionKind
    # Accepted alternative extents (`factgold.score.alternatives`): careful annotators may
    # defensibly mark the mention so.
    alternatives: tuple[Span, ...] = ()

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def text(self) -> str:
        return self.span.text


@dataclass(frozen=True)
class EntityCluster:
    """An entity: the coreference cluster of its mentions."""

    id: str
    type: str
    name: str
    mentions: tuple[Mention, ...]
    wikidata: str | None = None
    alternative_types: tuple[str, ...] = ()  # accepted alternatives to ``type``

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> EntityCluster:
        # Most mentions and entities have no alternatives: () without a generator for them.
        mentions = tuple(
            [
                Mention(
                    Span(m["start"], m["end"], m["text"]),
                    m["kind"],
                    tuple([Span.from_json(a) for a in m["alternatives"]]) if m.get("alternatives") else (),
                )
                for m in obj["mentions"]
            ]
        )
        alternatives = obj.get("alternatives")
        return cls(
            obj["id"],
            obj["type"],
            obj["name"],
            mentions,
            obj.get("links", {}).get("wikidata"),
            tuple([a["type"] for a in alternatives]) if alternatives else (),
        )


@dataclass(frozen=True)
class Qualifiers:
    """Optional attributes of a relation."""

    role: str | None = None
    time: str | None = None
    location: str | None = None
    domain: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, obj: dict[str, Any] | None) -> Qualifiers:
        obj = obj or {}
        return cls(obj.get("role"), obj.get("time"), obj.get("location"), tuple(obj.get("domain", ())))


@dataclass(frozen=True)
class Relation:
    """A typed relation between two entity ids."""

    id: str
    type: str
    head: str
    tail: str
    evidence: tuple[Span, ...]
    inferred: bool
    qualifiers: Qualifiers
    alternative_types: tuple[str, ...] = ()  # accepted alternatives to ``type``
    optional: bool = False  # leaving the relation out is an accepted alternative

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Relation:
        evidence = tuple(Span.from_json(span) for span in obj["evidence"])
        return cls(
            obj["id"],
            obj["type"],
            obj["head"],
            obj["tail"],
            evidence,
            obj["inferred"],
            Qualifiers.from_json(obj.get("qualifiers")),
            tuple(a["type"] for a in obj.get("alternatives", ())),
            bool(obj.get("optional", False)),
        )


@dataclass(frozen=True)
class NumericFact:
    """A normalized number the text states."""

    id: str
    mention: Span
    kind: str
    value: float
    unit: str | None
    approximate: bool
    subject: str | None
    subject_text: str
    property: str
    time: str | None
    bound: str | None = None  # "lower", "upper" or None (section 6.3 of the guidelines)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> NumericFact:
        return cls(
            obj["id"],
            Span.from_json(obj["mention"]),
            obj["kind"],
            float(obj["value"]),
            obj["unit"],
            obj["approximate"],
            obj["subject"],
            obj["subject_text"],
            obj["property"],
            obj["time"],
            obj.get("bound"),
        )


@dataclass(frozen=True)
class TimeExpression:
    """A date or time expression."""

    id: str
    span: Span
    type: str
    anchors: str

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> TimeExpression:
        return cls(obj["id"], Span.from_json(obj), obj["type"], obj["anchors"])


@dataclass(frozen=True)
class Document:
    """A gold document: the text and its four annotation layers."""

    id: str
    title: str
    text: str
    source: str
    language: str
    entities: tuple[EntityCluster, ...]
    relations: tuple[Relation, ...]
    numeric_facts: tuple[NumericFact, ...]
    time_expressions: tuple[TimeExpression, ...]
    # For a counterfactual variant, the id of the original (`factgold.dataset.variants`).
    variant_of: str | None = None

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Document:
        return cls(
            obj["id"],
            obj["title"],
            obj["text"],
            obj["source"],
            obj["language"],
            tuple([EntityCluster.from_json(e) for e in obj["entities"]]),
            tuple([Relation.from_json(r) for r in obj["relations"]]),
            tuple([NumericFact.from_json(f) for f in obj["numeric_facts"]]),
            tuple([TimeExpression.from_json(t) for t in obj["time_expressions"]]),
            obj.get("variant_of"),
        )

    def to_json(self) -> dict[str, Any]:
        """The document as a gold JSON object (the inverse of `from_json`)."""

        def qualifiers(q: Qualifiers) -> dict[str, Any]:
            values = {"role": q.role, "time": q.time, "location": q.location, "domain": list(q.domain) or None}
            return {key: value for key, value in values.items() if value is not None}

        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "source": self.source,
            "language": self.language,
            "entities": [_entity_json(e) for e in self.entities],
            "relations": [
                {
                    "id": r.id,
                    "type": r.type,
                    "head": r.head,
                    "tail": r.tail,
                    "evidence": [span.to_json() for span in r.evidence],
                    "inferred": r.inferred,
                    **({"qualifiers": qualifiers(r.qualifiers)} if qualifiers(r.qualifiers) else {}),
                    **({"alternatives": [{"type": t} for t in r.alternative_types]} if r.alternative_types else {}),
                    **({"optional": True} if r.optional else {}),
                }
                for r in self.relations
            ],
            "numeric_facts": [
                {
                    "id": f.id,
                    "mention": f.mention.to_json(),
                    "kind": f.kind,
                    "value": f.value,
                    "unit": f.unit,
                    "approximate": f.approximate,
                    "bound": f.bound,
                    "subject": f.subject,
                    "subject_text": f.subject_text,
                    "property": f.property,
                    "time": f.time,
                }
                for f in self.numeric_facts
            ],
            "time_expressions": [
                {"id": t.id, **t.span.to_json(), "type": t.type, "anchors": t.anchors} for t in self.time_expressions
            ],
            **({"variant_of": self.variant_of} if self.variant_of is not None else {}),
        }

    def entity(self, entity_id: str) -> EntityCluster:
        """The entity with id ``entity_id`` (`KeyError` when none has it)."""
        return self._entities_by_id[entity_id]

    @cached_property
    def _entities_by_id(self) -> dict[str, EntityCluster]:
        # Looked up once per numeric fact and relation: a scan each time was quadratic in entities.
        return {entity.id: entity for entity in self.entities}


def _entity_json(entity: EntityCluster) -> dict[str, Any]:
    """An entity as a gold JSON object (`Document.to_json`), its keys in the schema's order.

    Built key by key (a gold hash writes every entity of a corpus): the same keys, values
    and order as unpacking optional parts into a literal gives.
    """
    mentions = []
    for m in entity.mentions:
        span = m.span
        mention: dict[str, Any] = {"start": span.start, "end": span.end, "text": span.text, "kind": m.kind}
        if m.alternatives:
            mention["alternatives"] = [a.to_json() for a in m.alternatives]
        mentions.append(mention)
    result: dict[str, Any] = {"id": entity.id, "type": entity.type, "name": entity.name, "mentions": mentions}
    if entity.wikidata:
        result["links"] = {"wikidata": entity.wikidata}
    if entity.alternative_types:
        result["alternatives"] = [{"type": t} for t in entity.alternative_types]
    return result
