"""Inter-annotator agreement between two annotations of the same documents.

Agreement on spans is reported as F1 between the two annotators, which equals the
positive specific agreement (Hripcsak & Rothschild, 2005, JAMIA 12(3)): kappa is not
defined for span annotation, where the number of negatives is not. Entities of the two
annotations are aligned one-to-one by the mentions they share (maximum assignment), and
relations and numeric-fact subjects are compared through that alignment.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from factgold.align import optimal_assignment
from factgold.document import MENTION_KINDS, Document, EntityCluster
from factgold.errors import UsageError
from factgold.schema import symmetric_relation_types


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


def _compare_sets(first: Iterable[Hashable], second: Iterable[Hashable]) -> tuple[Agreement, set[Hashable], set[Hashable]]:
    a, b = set(first), set(second)
    return Agreement(len(a), len(b), len(a & b)), a - b, b - a


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
    if first.text != second.text:
        raise UsageError(f"document {first.id!r}: the two annotations are of different texts")
    return compare_corpora([first], [second])


def compare_corpora(first: Sequence[Document], second: Sequence[Document]) -> AgreementReport:
    """Agreement of two annotations of the same documents, pooled over documents (micro)."""
    by_id = {doc.id: doc for doc in second}
    missing = [doc.id for doc in first if doc.id not in by_id]
    if missing or len(by_id) != len(first):
        raise UsageError(f"the two annotations hold different documents (only in one: {missing or sorted(set(by_id) - {d.id for d in first})})")
    differences: list[str] = []
    totals: dict[str, Agreement] = {}
    attribute_counts: dict[str, list[int]] = {}

    def add(key: str, value: Agreement) -> None:
        totals[key] = totals.get(key, Agreement(0, 0, 0)) + value

    def compare_attributes(label: str, pairs: dict[str, tuple[object, object]]) -> None:
        for attribute, (value_a, value_b) in pairs.items():
            counts = attribute_counts.setdefault(f"{label} {attribute}", [0, 0])
            counts[0] += value_a == value_b
            counts[1] += 1
            if value_a != value_b:
                differences.append(f"{label}: {attribute} A={value_a!r} B={value_b!r}")

    def note(layer: str, only_a: set[Hashable], only_b: set[Hashable], render: Callable[[Hashable], str]) -> None:
        differences.extend(f"{layer}: only A: {render(item)}" for item in sorted(only_a, key=str))
        differences.extend(f"{layer}: only B: {render(item)}" for item in sorted(only_b, key=str))

    for doc_a in first:
        doc_b = by_id[doc_a.id]
        if doc_a.text != doc_b.text:
            raise UsageError(f"document {doc_a.id!r}: the two annotations are of different texts")
        text = doc_a.text

        def span_text(item: Hashable, text: str = text) -> str:
            start, end = item[0], item[1]  # type: ignore[index]
            return f"[{start}, {end}) {text[start:end]!r} {' '.join(str(x) for x in item[2:])}".rstrip()  # type: ignore[index]

        mentions_a = [(m.start, m.end, m.kind, e.type) for e in doc_a.entities for m in e.mentions]
        mentions_b = [(m.start, m.end, m.kind, e.type) for e in doc_b.entities for m in e.mentions]
        for kind in (*MENTION_KINDS, "all"):
            typed, only_a, only_b = _compare_sets(
                (m for m in mentions_a if kind in ("all", m[2])), (m for m in mentions_b if kind in ("all", m[2]))
            )
            untyped, _, _ = _compare_sets(
                (m[:2] for m in mentions_a if kind in ("all", m[2])), (m[:2] for m in mentions_b if kind in ("all", m[2]))
            )
            add(f"typed:{kind}", typed)
            add(f"untyped:{kind}", untyped)
            if kind == "all":
                note("mention", only_a, only_b, span_text)

        mapping = _align_entities(doc_a, doc_b)
        entities_a = {(e.id, e.type) for e in doc_a.entities}
        entities_b = {(mapping.get(e.id, f"B:{e.id}"), e.type) for e in doc_b.entities}
        entity_agreement, only_a, only_b = _compare_sets(entities_a, entities_b)
        add("entities", entity_agreement)
        names = {e.id: e.name for e in doc_a.entities} | {f"B:{e.id}": e.name for e in doc_b.entities}
        entity_b = {mapping[e.id]: e for e in doc_b.entities if e.id in mapping}
        for entity in doc_a.entities:
            if entity.id in entity_b:
                other = entity_b[entity.id]
                compare_attributes(f"entity {entity.id}", {"name": (entity.name, other.name), "wikidata": (entity.wikidata, other.wikidata)})
        note("entity", only_a, only_b, lambda item: f"{item[0]} {names.get(item[0], '?')!r} {item[1]}")  # type: ignore[index]

        symmetric = symmetric_relation_types()

        def triple(kind: str, head: str, tail: str) -> tuple[str, str, str]:
            return (kind, *sorted((head, tail))) if kind in symmetric else (kind, head, tail)  # type: ignore[return-value]

        relations_a = {triple(r.type, r.head, r.tail) for r in doc_a.relations}
        relations_b = {
            triple(r.type, mapping.get(r.head, f"B:{r.head}"), mapping.get(r.tail, f"B:{r.tail}")) for r in doc_b.relations
        }
        typed, only_a, only_b = _compare_sets(relations_a, relations_b)
        add("relations_typed", typed)
        note("relation", only_a, only_b, lambda item: "{}({} {!r}, {} {!r})".format(
            item[0], item[1], names.get(item[1], "?"), item[2], names.get(item[2], "?")))  # type: ignore[index]
        relation_b = {
            triple(r.type, mapping.get(r.head, f"B:{r.head}"), mapping.get(r.tail, f"B:{r.tail}")): r for r in doc_b.relations
        }
        for relation in doc_a.relations:
            other = relation_b.get(triple(relation.type, relation.head, relation.tail))
            if other is None:
                continue
            evidence, only_a, only_b = _compare_sets(
                ((s.start, s.end) for s in relation.evidence), ((s.start, s.end) for s in other.evidence)
            )
            add("relation_evidence", evidence)
            note(f"relation {relation.id} evidence", only_a, only_b, span_text)
            qa, qb = relation.qualifiers, other.qualifiers
            compare_attributes(f"relation {relation.id}", {
                "inferred": (relation.inferred, other.inferred), "role": (qa.role, qb.role), "time": (qa.time, qb.time),
                "location": (qa.location, qb.location), "domain": (sorted(qa.domain), sorted(qb.domain)),
            })
        unlabeled, _, _ = _compare_sets(
            (frozenset(t[1:]) for t in relations_a), (frozenset(t[1:]) for t in relations_b)
        )
        add("relations_unlabeled", unlabeled)

        facts_a = {(f.mention.start, f.mention.end): f for f in doc_a.numeric_facts}
        facts_b = {(f.mention.start, f.mention.end): f for f in doc_b.numeric_facts}
        spans, only_a, only_b = _compare_sets(facts_a, facts_b)
        add("numeric_spans", spans)
        note("numeric fact", only_a, only_b, span_text)
        for key in sorted(set(facts_a) & set(facts_b)):
            fact_a, fact_b = facts_a[key], facts_b[key]
            subject_b = mapping.get(fact_b.subject, f"B:{fact_b.subject}") if fact_b.subject else None
            compare_attributes(f"numeric fact {span_text(key)}", {
                "kind": (fact_a.kind, fact_b.kind), "value": (fact_a.value, fact_b.value), "unit": (fact_a.unit, fact_b.unit),
                "approximate": (fact_a.approximate, fact_b.approximate), "subject": (fact_a.subject, subject_b),
                "property": (fact_a.property, fact_b.property), "time": (fact_a.time, fact_b.time),
                "subject_text": (fact_a.subject_text, fact_b.subject_text),
            })

        times, only_a, only_b = _compare_sets(
            ((t.span.start, t.span.end) for t in doc_a.time_expressions), ((t.span.start, t.span.end) for t in doc_b.time_expressions)
        )
        add("time_spans", times)
        note("time expression", only_a, only_b, span_text)

    return AgreementReport(
        mentions_typed={kind: totals[f"typed:{kind}"] for kind in (*MENTION_KINDS, "all")},
        mentions_untyped={kind: totals[f"untyped:{kind}"] for kind in (*MENTION_KINDS, "all")},
        entities=totals["entities"],
        relations_typed=totals["relations_typed"],
        relations_unlabeled=totals["relations_unlabeled"],
        relation_evidence=totals.get("relation_evidence", Agreement(0, 0, 0)),
        numeric_spans=totals["numeric_spans"],
        time_spans=totals["time_spans"],
        attributes=_pool_attributes(attribute_counts),
        differences=tuple(differences),
    )


def _pool_attributes(counts: dict[str, list[int]]) -> tuple[AttributeAgreement, ...]:
    """Pool per-item attribute counts ("relation R3 role") by layer and attribute ("relation role")."""
    pooled: dict[str, list[int]] = {}
    for key, (same, compared) in counts.items():
        layer = key.split(" ", 1)[0]
        attribute = key.rsplit(" ", 1)[1]
        total = pooled.setdefault(f"{layer} {attribute}", [0, 0])
        total[0] += same
        total[1] += compared
    return tuple(AttributeAgreement(name, same, compared) for name, (same, compared) in sorted(pooled.items()))
