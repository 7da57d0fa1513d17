"""Inter-annotator agreement between two annotations of the same documents.

Agreement on spans is reported as F1 between the two annotators, which equals the
positive specific agreement (Hripcsak & Rothschild, 2005, JAMIA 12(3)): kappa is not
defined for span annotation, where the number of negatives is not. Entities of the two
annotations are aligned one-to-one by the mentions they share (maximum assignment), and
relations and numeric-fact subjects are compared through that alignment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from factgold.errors import UsageError
from factgold.read.document import MENTION_KINDS, Document, EntityCluster
from factgold.read.schema import symmetric_relation_types
from factgold.score.align import optimal_assignment


@dataclass(frozen=True)
class Agreement:
    """How many items each annotator has and how many both have: a symmetric F1."""

    first: int
    second: int
    both: int

    @property
    def f1(self) -> float:
        total = self.first + self.second
        return 1.0 if total == 0 else 2 * self.both / total

    def __add__(self, other: Agreement) -> Agreement:
        return Agreement(self.first + other.first, self.second + other.second, self.both + other.both)


@dataclass(frozen=True)
class AttributeAgreement:
    """Of the items both annotators have, how many carry the same value of an attribute."""

    attribute: str
    same: int
    compared: int

    @property
    def rate(self) -> float:
        return 1.0 if self.compared == 0 else self.same / self.compared


@dataclass(frozen=True)
class AgreementReport:
    """Agreement figures of two annotations, with every difference listed."""

    mentions_typed: dict[str, Agreement]
    mentions_untyped: dict[str, Agreement]
    entities: Agreement
    relations_typed: Agreement
    relations_unlabeled: Agreement
    relation_evidence: Agreement
    numeric_spans: Agreement
    time_spans: Agreement
    attributes: tuple[AttributeAgreement, ...]
    differences: tuple[str, ...]

    def to_markdown(self) -> str:
        """A Markdown table of the figures (the dataset card shows it)."""
        lines = ["| layer | A | B | both | F1 |", "|---|---:|---:|---:|---:|"]

        def row(label: str, value: Agreement) -> None:
            lines.append(f"| {label} | {value.first} | {value.second} | {value.both} | {value.f1:.3f} |")

        for kind in (*MENTION_KINDS, "all"):
            row(f"mentions, {kind}, typed (span + entity type)", self.mentions_typed[kind])
            row(f"mentions, {kind}, untyped (span)", self.mentions_untyped[kind])
        row("entities (aligned clusters with the same type)", self.entities)
        row("relations, typed (type, head, tail)", self.relations_typed)
        row("relations, unlabeled (entity pair)", self.relations_unlabeled)
        row("relation evidence spans (exact, on shared relations)", self.relation_evidence)
        row("numeric facts (span)", self.numeric_spans)
        row("time expressions (span)", self.time_spans)
        lines.append("")
        lines.append("| attribute, on items both annotators have | same | compared | rate |")
        lines.append("|---|---:|---:|---:|")
        for attribute in self.attributes:
            lines.append(f"| {attribute.attribute} | {attribute.same} | {attribute.compared} | {attribute.rate:.3f} |")
        return "\n".join(lines) + "\n"


def _align_entities(first: Document, second: Document) -> dict[str, str]:
    """Map the second annotation's entity ids to the first's, by shared mention spans."""

    def spans(entity: EntityCluster) -> set[tuple[int, int]]:
        return {(m.start, m.end) for m in entity.mentions}

    # Canonical order (first mention) so that the alignment does not depend on id order.
    left = sorted(first.entities, key=lambda e: min(spans(e)))
    right = sorted(second.entities, key=lambda e: min(spans(e)))
    pairs = optimal_assignment(left, right, lambda x, y: len(spans(x) & spans(y)))
    return {right[j].id: left[i].id for i, j in pairs}


def compare_documents(first: Document, second: Document) -> AgreementReport:
    """Agreement of two annotations of one document (``first`` is called A, ``second`` B)."""
    return compare_corpora([first], [second])


def compare_corpora(first: Sequence[Document], second: Sequence[Document]) -> AgreementReport:
    """Agreement of two annotations of the same documents, pooled over documents (micro)."""
    by_id = {doc.id: doc for doc in second}
    only_first = sorted({doc.id for doc in first} - set(by_id))
    only_second = sorted(set(by_id) - {doc.id for doc in first})
    if only_first or only_second:
        raise UsageError(
            f"the two annotations hold different documents (only in A: {only_first}; only in B: {only_second})"
        )
    tally = _Tally()
    for doc_a in first:
        doc_b = by_id[doc_a.id]
        if doc_a.text != doc_b.text:
            raise UsageError(f"document {doc_a.id!r}: the two annotations are of different texts")
        _compare_pair(doc_a, doc_b, tally)
    return tally.report()


@dataclass
class _Tally:
    """Counts pooled over documents, and the differences found, while comparing."""

    totals: dict[str, Agreement] = field(default_factory=dict)
    attributes: dict[str, list[int]] = field(default_factory=dict)
    differences: list[str] = field(default_factory=list)

    def add(self, key: str, value: Agreement) -> None:
        self.totals[key] = self.totals.get(key, Agreement(0, 0, 0)) + value

    def sets(
        self,
        key: str,
        first: Iterable[Any],
        second: Iterable[Any],
        render: Callable[[Any], str] | None = None,
        label: str = "",
    ) -> None:
        """Count agreement of two sets of items; list the items only one side has (when ``render`` is given)."""
        a, b = set(first), set(second)
        self.add(key, Agreement(len(a), len(b), len(a & b)))
        if render is not None:
            label = label or key
            self.differences.extend(f"{label}: only A: {render(item)}" for item in sorted(a - b, key=str))
            self.differences.extend(f"{label}: only B: {render(item)}" for item in sorted(b - a, key=str))

    def attributes_of(self, layer: str, item: str, pairs: dict[str, tuple[object, object]]) -> None:
        """Count, per attribute, whether A's and B's values of one shared item are equal."""
        for attribute, (value_a, value_b) in pairs.items():
            counts = self.attributes.setdefault(f"{layer} {attribute}", [0, 0])
            counts[0] += value_a == value_b
            counts[1] += 1
            if value_a != value_b:
                self.differences.append(f"{layer} {item}: {attribute} A={value_a!r} B={value_b!r}")

    def report(self) -> AgreementReport:
        empty = Agreement(0, 0, 0)
        return AgreementReport(
            mentions_typed={kind: self.totals.get(f"mention typed {kind}", empty) for kind in _KINDS},
            mentions_untyped={kind: self.totals.get(f"mention untyped {kind}", empty) for kind in _KINDS},
            entities=self.totals.get("entity", empty),
            relations_typed=self.totals.get("relation", empty),
            relations_unlabeled=self.totals.get("relation unlabeled", empty),
            relation_evidence=self.totals.get("relation evidence", empty),
            numeric_spans=self.totals.get("numeric fact", empty),
            time_spans=self.totals.get("time expression", empty),
            attributes=tuple(AttributeAgreement(name, same, n) for name, (same, n) in sorted(self.attributes.items())),
            differences=tuple(self.differences),
        )


_KINDS = (*MENTION_KINDS, "all")
Triple = tuple[str, str, str]


def _compare_pair(doc_a: Document, doc_b: Document, tally: _Tally) -> None:
    text = doc_a.text

    def span_text(item: tuple[Any, ...]) -> str:
        start, end, *rest = item
        return f"[{start}, {end}) {text[start:end]!r} {' '.join(map(str, rest))}".rstrip()

    # Mentions: by kind, with and without the entity type.
    mentions_a = [(m.start, m.end, m.kind, e.type) for e in doc_a.entities for m in e.mentions]
    mentions_b = [(m.start, m.end, m.kind, e.type) for e in doc_b.entities for m in e.mentions]
    for kind in _KINDS:
        of_a = [m for m in mentions_a if kind in ("all", m[2])]
        of_b = [m for m in mentions_b if kind in ("all", m[2])]
        tally.sets(f"mention typed {kind}", of_a, of_b, span_text if kind == "all" else None, label="mention")
        tally.sets(f"mention untyped {kind}", (m[:2] for m in of_a), (m[:2] for m in of_b))

    # Entities: B's clusters mapped to A's; an unmapped B entity keeps a B: id.
    mapping = _align_entities(doc_a, doc_b)

    def in_a(entity_id: str) -> str:
        return mapping.get(entity_id, f"B:{entity_id}")

    names = {e.id: e.name for e in doc_a.entities} | {f"B:{e.id}": e.name for e in doc_b.entities}
    tally.sets(
        "entity",
        {(e.id, e.type) for e in doc_a.entities},
        {(in_a(e.id), e.type) for e in doc_b.entities},
        lambda item: f"{item[0]} {names.get(item[0], '?')!r} {item[1]}",
    )
    entities_b = {mapping[e.id]: e for e in doc_b.entities if e.id in mapping}
    for entity in doc_a.entities:
        if entity.id in entities_b:
            other = entities_b[entity.id]
            tally.attributes_of(
                "entity", entity.id, {"name": (entity.name, other.name), "wikidata": (entity.wikidata, other.wikidata)}
            )

    # Relations: (type, head, tail) through the entity mapping, symmetric types unordered.
    symmetric = symmetric_relation_types()

    def triple(kind: str, head: str, tail: str) -> Triple:
        return (kind, *sorted((head, tail))) if kind in symmetric else (kind, head, tail)  # type: ignore[return-value]

    relations_a = {triple(r.type, r.head, r.tail): r for r in doc_a.relations}
    relations_b = {triple(r.type, in_a(r.head), in_a(r.tail)): r for r in doc_b.relations}
    tally.sets(
        "relation",
        relations_a,
        relations_b,
        lambda t: f"{t[0]}({t[1]} {names.get(t[1], '?')!r}, {t[2]} {names.get(t[2], '?')!r})",
    )
    tally.sets("relation unlabeled", (frozenset(t[1:]) for t in relations_a), (frozenset(t[1:]) for t in relations_b))
    for key in sorted(relations_a.keys() & relations_b.keys()):
        ra, rb = relations_a[key], relations_b[key]
        tally.sets(
            "relation evidence",
            ((s.start, s.end) for s in ra.evidence),
            ((s.start, s.end) for s in rb.evidence),
            span_text,
            label=f"relation {ra.id} evidence",
        )
        qa, qb = ra.qualifiers, rb.qualifiers
        tally.attributes_of(
            "relation",
            ra.id,
            {
                "inferred": (ra.inferred, rb.inferred),
                "role": (qa.role, qb.role),
                "time": (qa.time, qb.time),
                "location": (qa.location, qb.location),
                "domain": (sorted(qa.domain), sorted(qb.domain)),
            },
        )

    # Numeric facts: by exact span; attributes on the shared ones.
    facts_a = {(f.mention.start, f.mention.end): f for f in doc_a.numeric_facts}
    facts_b = {(f.mention.start, f.mention.end): f for f in doc_b.numeric_facts}
    tally.sets("numeric fact", facts_a, facts_b, span_text)
    for span in sorted(facts_a.keys() & facts_b.keys()):
        fa, fb = facts_a[span], facts_b[span]
        tally.attributes_of(
            "numeric fact",
            span_text(span),
            {
                "kind": (fa.kind, fb.kind),
                "value": (fa.value, fb.value),
                "unit": (fa.unit, fb.unit),
                "approximate": (fa.approximate, fb.approximate),
                "subject": (fa.subject, fb.subject and in_a(fb.subject)),
                "property": (fa.property, fb.property),
                "time": (fa.time, fb.time),
                "subject_text": (fa.subject_text, fb.subject_text),
            },
        )

    tally.sets(
        "time expression",
        ((t.span.start, t.span.end) for t in doc_a.time_expressions),
        ((t.span.start, t.span.end) for t in doc_b.time_expressions),
        span_text,
    )
