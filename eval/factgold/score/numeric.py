"""Numeric facts: aligned to gold by span, scored on value and unit, attributes apart.

Alignment: a grounded prediction (one with a mention span) is aligned one-to-one to an
overlapping gold fact (exact span preferred, then larger overlap); a prediction without a
span is aligned, among the gold facts left, by value (same value and unit preferred, then
same value, then a scale error). A fact is `correct` when its value matches (relative
tolerance ``rtol``) and its unit is the gold's. An aligned fact that is not correct is a
`unit` error (value right, unit wrong), a `scale` error (off by a power of 1000) or a
`value` error; an unaligned prediction is `spurious`, an unaligned gold fact `missed`.

Scores, each as precision/recall/F1 over all predicted and all gold facts: `value` (correct
facts), `spans` (grounded predictions aligned by span), `unit`, `kind`, `approximate` and
`subject` (aligned facts that agree on that attribute; an absent `approximate` is false,
an absent subject is none).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from factgold.align import align_spans, optimal_assignment
from factgold.counts import PRF
from factgold.document import Document, NumericFact
from factgold.predictions import EntityRef, PredictedEntity, PredictedFact, PredictedSpan, PredictedText
from factgold.score.items import ErrorItem, ItemRef
from factgold.score.resolve import EntityResolver

ATTRIBUTES = ("value", "spans", "unit", "kind", "approximate", "subject")


def values_match(predicted: float, gold: float, rtol: float) -> bool:
    """Equal within relative tolerance ``rtol`` (exactly equal when the gold is 0)."""
    return math.isclose(predicted, gold, rel_tol=rtol, abs_tol=0.0)


def scale_error(predicted: float, gold: float, rtol: float) -> bool:
    """True when predicted = gold x 1000^k for a whole k != 0 ("64 million" for "64 billion").

    >>> scale_error(64e6, 64e9, 1e-6), scale_error(65e6, 64e9, 1e-6), scale_error(64e9, 64e9, 1e-6)
    (True, False, False)
    """
    if predicted == 0 or gold == 0 or (predicted > 0) != (gold > 0):
        return False
    ratio = abs(predicted / gold)
    if ratio == 0 or math.isinf(ratio):  # the division under- or overflowed: no power of 1000 fits
        return False
    exponent = round(math.log(ratio, 1000))
    return exponent != 0 and values_match(predicted, gold * 1000.0**exponent, rtol)


def _content_key(fact: PredictedFact) -> tuple[object, ...]:
    """A sort key from the fact's content only: facts that tie on it are interchangeable."""
    subject = "" if fact.subject is None or isinstance(fact.subject, EntityRef) else repr(fact.subject)
    value = fact.value if fact.value is not None else float("-inf")
    return (
        value,
        fact.value_text or "",
        fact.unit or "",
        fact.kind or "",
        fact.approximate,
        subject,
        fact.score or 0.0,
    )


def fact_category(predicted: PredictedFact, gold: NumericFact, rtol: float) -> str:
    if predicted.value is None:
        return "unparsed"
    if values_match(predicted.value, gold.value, rtol):
        return "correct" if predicted.unit == gold.unit else "unit"
    return "scale" if scale_error(predicted.value, gold.value, rtol) else "value"


@dataclass(frozen=True)
class NumericScores:
    """Counts of one document's numeric facts, per attribute and per kind, and error items."""

    by_attribute: dict[str, PRF]
    by_kind: dict[str, PRF]
    predicted_attributes: Counter[str]
    errors: tuple[ErrorItem, ...]


def _ref(fact: NumericFact) -> ItemRef:
    unit = f" {fact.unit}" if fact.unit else ""
    return ItemRef(fact.mention.start, fact.mention.end, fact.mention.text, f"{fact.kind} {fact.value:g}{unit}")


def score_numeric_facts(
    gold: Document,
    predicted: Sequence[PredictedFact],
    entities: Sequence[PredictedEntity],
    resolver: EntityResolver,
    rtol: float,
    *,
    require_grounding: bool = False,
) -> NumericScores:
    """Align and score one document's predicted numeric facts."""
    golds = sorted(gold.numeric_facts, key=lambda f: (f.mention.start, f.mention.end))
    located: dict[int, tuple[tuple[int, int], ...]] = {}  # fact index -> occurrences of its string
    hallucinated: list[PredictedFact] = []
    grounded: list[PredictedFact] = []
    floating: list[PredictedFact] = []
    for fact in sorted(predicted, key=_content_key_with_anchor):
        if fact.span is not None:
            grounded.append(fact)
            continue
        text = fact.anchor.text if isinstance(fact.anchor, PredictedText) else fact.value_text
        grounding = resolver.index.ground(text, strict=require_grounding) if text else None
        if grounding is not None and grounding.found:
            located[fact.index] = grounding.spans
            floating.append(fact)
        elif isinstance(fact.anchor, PredictedText) or require_grounding:
            hallucinated.append(fact)  # a string nowhere in the text, or (strict) no string at all
        else:
            floating.append(fact)

    def span_weight(g: int, p: int) -> float:
        gs, ps = golds[g].mention, grounded[p].span
        assert ps is not None
        exact = (gs.start, gs.end) == (ps.start, ps.end)
        overlap = (min(gs.end, ps.end) - max(gs.start, ps.start)) / (max(gs.end, ps.end) - min(gs.start, ps.start))
        return 2.0 * exact + 1.0 + overlap / (len(golds) + 1)

    pairs = [
        (golds[g], grounded[p])
        for g, p in align_spans(
            [(f.mention.start, f.mention.end) for f in golds],
            [(f.span.start, f.span.end) for f in grounded if f.span is not None],
            span_weight,
        )
    ]
    left = [f for f in golds if all(f is not g for g, _ in pairs)]
    value_weight = {"correct": 3.0, "unit": 2.0, "scale": 1.0, "value": 0.0, "unparsed": 0.0}

    def floating_weight(gold_fact: NumericFact, fact: PredictedFact) -> float:
        # A fact whose string was found aligns only to a gold fact at one of its occurrences.
        if fact.index in located and not any(
            s < gold_fact.mention.end and gold_fact.mention.start < e for s, e in located[fact.index]
        ):
            return 0.0
        return value_weight[fact_category(fact, gold_fact, rtol)] + 0.5 * (fact.index in located)

    pairs += [(left[g], floating[p]) for g, p in optimal_assignment(left, floating, floating_weight)]
    span_aligned = sum(1 for _, fact in pairs if fact.span is not None or fact.index in located)

    def subject_of(fact: PredictedFact) -> str | None:
        # A subject that resolves to no gold entity never agrees, not even with a null gold subject.
        if fact.subject is None:
            return None
        return resolver.resolve(fact.subject, entities).entity or "(unresolved)"

    agree: Counter[str] = Counter({"spans": span_aligned})
    tp_kind: Counter[str] = Counter()
    fp_kind: Counter[str] = Counter()
    errors: list[ErrorItem] = []

    def predicted_ref(fact: PredictedFact, aligned_to: NumericFact | None = None) -> ItemRef:
        span = fact.span
        if span is None and fact.index in located:
            # Of the occurrences of its text, the one at the gold fact it is aligned to.
            places = located[fact.index]
            at_gold = [
                p for p in places if aligned_to and p[0] < aligned_to.mention.end and aligned_to.mention.start < p[1]
            ]
            span = PredictedSpan(*(at_gold or places)[0])
        text = (
            gold.text[span.start : span.end]
            if span
            else (fact.anchor.text if isinstance(fact.anchor, PredictedText) else fact.value_text)
        )
        unit = f" {fact.unit}" if fact.unit else ""
        value = f"{fact.value:g}" if fact.value is not None else f"{fact.value_text!r} (not a number)"
        return ItemRef(
            span.start if span else None, span.end if span else None, text, f"{fact.kind or '?'} {value}{unit}"
        )

    for gold_fact, fact in pairs:
        category = fact_category(fact, gold_fact, rtol)
        agree["value"] += category == "correct"
        agree["unit"] += fact.unit == gold_fact.unit
        agree["kind"] += fact.kind == gold_fact.kind
        agree["approximate"] += fact.approximate == gold_fact.approximate
        agree["subject"] += subject_of(fact) == gold_fact.subject
        (tp_kind if category == "correct" else fp_kind)[gold_fact.kind] += 1
        how = "by span" if fact.span is not None else ("by its text and value" if fact.index in located else "by value")
        errors.append(
            ErrorItem(
                "numeric_facts",
                category,
                gold.id,
                _ref(gold_fact),
                predicted_ref(fact, gold_fact),
                f"aligned {how}",
                fact.score,
            )
        )
    aligned_predictions = {id(fact) for _, fact in pairs}
    for fact in predicted:
        if id(fact) in aligned_predictions:
            continue
        fp_kind[fact.kind or "unknown"] += 1
        if fact in hallucinated:
            detail = (
                "its text is not in the document"
                if isinstance(fact.anchor, PredictedText)
                else "no text locates it in the document"
            )
            errors.append(
                ErrorItem("numeric_facts", "hallucinated", gold.id, None, predicted_ref(fact), detail, fact.score)
            )
        elif fact.value is None:
            errors.append(
                ErrorItem(
                    "numeric_facts",
                    "unparsed",
                    gold.id,
                    None,
                    predicted_ref(fact),
                    "the value string is not a number",
                    fact.score,
                )
            )
        else:
            errors.append(ErrorItem("numeric_facts", "spurious", gold.id, None, predicted_ref(fact), score=fact.score))
    aligned_gold = {id(g) for g, _ in pairs}
    correct_gold = {id(g) for g, f in pairs if fact_category(f, g, rtol) == "correct"}
    fn_kind: Counter[str] = Counter(g.kind for g in golds if id(g) not in correct_gold)
    errors += [ErrorItem("numeric_facts", "missed", gold.id, _ref(g), None) for g in golds if id(g) not in aligned_gold]

    # spans: of the facts located in the text, those aligned to a gold fact at that place.
    locatable = len(grounded) + len(located)
    by_attribute = {
        attribute: PRF(agree[attribute], len(predicted) - agree[attribute], len(golds) - agree[attribute])
        if attribute != "spans"
        else PRF(span_aligned, locatable - span_aligned, len(golds) - span_aligned)
        for attribute in ATTRIBUTES
    }
    kinds = sorted(set(tp_kind) | set(fp_kind) | set(fn_kind))
    present = Counter(
        name
        for fact in predicted
        for name, value in (
            ("kind", fact.kind),
            ("subject", fact.subject),
            ("spans", fact.anchor or located.get(fact.index)),
        )
        if value is not None
    )
    return NumericScores(
        by_attribute=by_attribute,
        by_kind={k: PRF(tp_kind[k], fp_kind[k], fn_kind[k]) for k in kinds},
        predicted_attributes=present,
        errors=tuple(errors),
    )


def _content_key_with_anchor(fact: PredictedFact) -> tuple[object, ...]:
    return (repr(fact.anchor), *_content_key(fact))
