"""The memorization gap: how much better a system does on an article than on its counterfactual variants.

A variant (`factgold.dataset.variants`) changes a few facts of the original article and
carries an exactly derived gold. A system that reads scores about the same on both; one
that recalls the article, or the news around it, scores better on the original and gives
the original's facts where the variant says otherwise. The gap is the original's score
minus the variants' mean, per headline part, with a percentile bootstrap interval over the
variants; the answers that repeat the original against the variant's text are listed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from factgold.read.document import Document
from factgold.read.predictions import PredictedDocument
from factgold.score.alternatives import SYMMETRIC, endpoint_name, fold, gold_names, predicted_name
from factgold.score.counts import PRF
from factgold.score.document_scores import DocumentScores

RESAMPLES = 1000
SEED = 0


@dataclass(frozen=True)
class GapRow:
    """One headline part: the original's score, the variants' mean, and their difference."""

    part: str
    original: float
    variants_mean: float
    gap: float
    low: float
    high: float


@dataclass(frozen=True)
class MemoryAnswer:
    """A predicted item on a variant that repeats the original where the variant differs."""

    document: str
    layer: str
    text_says: str
    system_gave: str


@dataclass(frozen=True)
class MemorizationGap:
    """The gap of one original document over its variants."""

    original: str
    variants: tuple[str, ...]
    rows: tuple[GapRow, ...]
    answers: tuple[MemoryAnswer, ...]
    resamples: int
    seed: int

    def to_dict(self) -> dict[str, object]:
        return {
            "original": self.original,
            "variants": len(self.variants),
            "gap": [
                {
                    "part": r.part,
                    "original": r.original,
                    "variants_mean": r.variants_mean,
                    "gap": r.gap,
                    "interval": [r.low, r.high],
                }
                for r in self.rows
            ],
            "answered_from_memory": [
                {"document": a.document, "layer": a.layer, "text_says": a.text_says, "system_gave": a.system_gave}
                for a in self.answers
            ],
            "bootstrap": {"resamples": self.resamples, "seed": self.seed, "confidence": 0.95},
        }


def _interval(original: float, scores: Sequence[float], resamples: int, seed: int) -> tuple[float, float]:
    """95% percentile interval of the gap, resampling the variants with replacement."""
    rng = random.Random(seed)
    gaps = sorted(original - math.fsum(rng.choices(scores, k=len(scores))) / len(scores) for _ in range(resamples))
    return gaps[int(0.025 * (resamples - 1))], gaps[math.ceil(0.975 * (resamples - 1))]


# Beyond the headline parts: the hedge edits change only these two attributes.
_NUMERIC_ATTRIBUTES = ("approximate", "bound")


def _parts(scores: DocumentScores) -> list[str]:
    parts = [*scores.headline_parts(), "headline"]
    if "numeric_facts" in scores.tasks:
        parts += [f"numeric_{attribute}" for attribute in _NUMERIC_ATTRIBUTES]
    return parts


def _part(scores: DocumentScores, part: str) -> float:
    if part == "headline":
        return scores.headline()
    if part.startswith("numeric_") and part.removeprefix("numeric_") in _NUMERIC_ATTRIBUTES:
        return scores.numeric.get(part.removeprefix("numeric_"), PRF()).f1
    return scores.headline_parts()[part]


def has_variants(gold: Sequence[Document]) -> bool:
    """Whether the gold holds a variant together with its original."""
    ids = {doc.id for doc in gold}
    return any(doc.variant_of in ids for doc in gold if doc.variant_of is not None)


def memorization_gaps(
    per_document: Sequence[DocumentScores],
    gold: Sequence[Document],
    predictions: Mapping[str, PredictedDocument],
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> tuple[MemorizationGap, ...]:
    """One gap per original document scored together with at least one of its variants."""
    variant_of = {doc.id: doc.variant_of for doc in gold if doc.variant_of is not None}
    scores = {s.documents[0]: s for s in per_document}
    by_id = {doc.id: doc for doc in gold}
    gaps = []
    for original_id in sorted({o for v, o in variant_of.items() if v in scores and o in scores}):
        variant_ids = tuple(sorted(v for v, o in variant_of.items() if o == original_id and v in scores))
        rows = []
        for part in _parts(scores[original_id]):
            value = _part(scores[original_id], part)
            values = [_part(scores[v], part) for v in variant_ids]
            mean = math.fsum(values) / len(values)
            low, high = _interval(value, values, resamples, seed)
            # Rounded to 12 places: a gap of 3e-16 is float noise, not a gap.
            rows.append(GapRow(part, value, *(round(x, 12) for x in (mean, value - mean, low, high))))
        tasks = scores[original_id].tasks
        answers = [
            answer
            for v in variant_ids
            if v in predictions
            for answer in memory_answers(by_id[original_id], by_id[v], predictions[v])
            if answer.layer in tasks  # an answer of a task not scored is not the report's business
        ]
        gaps.append(MemorizationGap(original_id, variant_ids, tuple(rows), tuple(answers), resamples, seed))
    return tuple(gaps)


# --- answers that repeat the original ---------------------------------------------------


def _gold_triples(doc: Document) -> list[tuple[str, frozenset[str], frozenset[str]]]:
    names = {e.id: gold_names(e) for e in doc.entities}
    return [(r.type, names[r.head], names[r.tail]) for r in doc.relations]


def _matches(triple: tuple[str, str, str], gold: tuple[str, frozenset[str], frozenset[str]]) -> bool:
    kind, head, tail = triple
    if kind != gold[0]:
        return False
    return (head in gold[1] and tail in gold[2]) or (kind in SYMMETRIC and head in gold[2] and tail in gold[1])


def memory_answers(original: Document, variant: Document, predicted: PredictedDocument) -> list[MemoryAnswer]:
    """Predicted values, names and relations on ``variant`` that are the original's, not the variant's."""
    answers: list[MemoryAnswer] = []
    # Numbers: the variants keep the original's facts in order, so they pair by position.
    changed = [
        (old, new)
        for old, new in zip(original.numeric_facts, variant.numeric_facts, strict=False)
        if not math.isclose(old.value, new.value)
    ]
    for fact in predicted.numeric_facts or ():
        for old, new in changed:
            if (
                fact.value is not None
                and math.isclose(fact.value, old.value)
                and not math.isclose(fact.value, new.value)
            ):
                gave = fact.value_text or f"{fact.value:,.15g}"
                answers.append(
                    MemoryAnswer(variant.id, "numeric_facts", f"{new.mention.text} ({new.subject_text})", gave)
                )
                break
    # Names: a name the original has and the variant's text no longer contains.
    gone = {
        fold(m.text): m.text
        for e in original.entities
        for m in e.mentions
        if m.kind == "name" and fold(m.text) not in fold(variant.text)
    }
    for entity in predicted.entities or ():
        name = predicted_name(variant.text, entity)
        if name is not None and fold(name) in gone:
            answers.append(MemoryAnswer(variant.id, "entities", "(not in the text)", name))
    # Relations: one the original states and the variant does not, between the same names.
    original_triples, variant_triples = _gold_triples(original), _gold_triples(variant)
    for relation in predicted.relations or ():
        head = endpoint_name(variant.text, predicted, relation.head)
        tail = endpoint_name(variant.text, predicted, relation.tail)
        if head is None or tail is None:
            continue
        triple = (relation.type, fold(head), fold(tail))
        if any(_matches(triple, g) for g in original_triples) and not any(_matches(triple, g) for g in variant_triples):
            answers.append(
                MemoryAnswer(
                    variant.id, "relations", "(the variant states otherwise)", f"{relation.type}({head}, {tail})"
                )
            )
    return answers
