"""Numeric facts: located in the text, aligned to gold, scored on value and unit, attributes apart.

Locating. A fact given with a span is at that span. A fact given with a mention text
(``{"text": ...}``) is at every place `factgold.ground.text` finds that text (exact, normalized,
else fuzzy). A fact whose value string is what locates it (no mention) is at the places
grounding finds for the string *where the text there parses* (`factgold.ground.numbers`) to the
same value within ``rtol``: a number is located only where the document states it, so
"$62 billion" is never located at "$64 billion", however alike the strings. A fact with
only a numeric value has no place.

Alignment, one-to-one, in two steps:

1. every fact that can be aligned by its place or by its value, in one maximum-weight
   matching. A placed fact (a span, or places found for its text) aligns only to a gold
   fact at one of its places, whatever its value; a fact without a place only to a gold
   fact whose value it has right (up to unit or scale), "aligned by value": a bare number,
   or a paraphrase of a stated value ("US$64bn" for "$64 billion"). A pair weighs, in this
   order: its value (correct; then value right, unit wrong; then a scale error; then a
   wrong value), its place (exact; then overlapping; then none, so that a placed fact
   comes ahead of one without a place), its subject (agreeing, as the `subject` score
   below decides, ``"subject": null`` included), and last the larger overlap. A correct
   value outweighs everything below it over the whole matching, so that no matching trades
   a correct pair for others and adding a correct fact never lowers the value F1; the
   place and the subject break ties between gold facts ("two" about "nations" goes to the
   "two" whose subject is the nations). Given by span or by a text found at exactly that
   span, a fact weighs the same and is ordered the same;
2. a value string that no place in the document states and that step 1 left unaligned, to
   a gold fact still unaligned whose subject its subject names: "aligned by subject",
   usually a `value` error.

Facts are put in an order from their content alone (value, strings, unit, kind, flags, what
their subject says and resolves to, score), so that the order of the input decides no tie.

Categories. An aligned fact is `correct` when its value matches (relative tolerance
``rtol``) and its unit is the gold's; otherwise a `unit` error (value right, unit wrong), a
`scale` error (off by a power of 1000) or a `value` error. An unaligned prediction is
`hallucinated` when a mention text is nowhere in the document, when no place states its
value string, or (``--require-grounding``) when nothing locates it; `unparsed` when its
value string is not a number; else `spurious`. An unaligned gold fact is `missed`.

Scores, as precision/recall/F1:

- `value`: correct facts, over all predicted and all gold facts;
- `spans`: located facts aligned to a gold fact at their place, over located facts and gold facts;
- `unit`, `approximate`, `bound`: aligned facts that agree, over all predicted and all gold
  facts (an absent unit is no unit, an absent approximate is false, an absent bound is none;
  a value string's hedge sets the last two: "over $5 million" is a lower bound);
- `kind`, `subject`: an absent kind or subject is not predicted, not a disagreement: tp =
  aligned facts carrying it that agree, fp = facts carrying it - tp, fn = gold facts - tp.
  A kind is carried only when stated: the kind a value string implies ("money" for "$64
  billion") helps step 2 choose among gold facts and files an unaligned fact in the
  breakdown by kind, but is never scored as the fact's kind nor listed as a disagreement.
  A subject agrees when, given as a string (``{"text": ...}``, or the name of the predicted
  entity it refers to), it equals after `factgold.ground.text.normalize` the gold fact's
  subject_text or a name of the gold subject entity (its name, or a name mention's text);
  else when it resolves (`factgold.score.resolve`) to the gold subject entity. A subject
  that resolves to no gold entity never agrees, not even with a gold fact without one.

Every disagreement of an aligned pair on unit, kind, approximate, bound or subject is an item of
task ``numeric_attributes`` whose category is the attribute. The coverage of the
predictions (how many carry a kind, a subject, a place in the text) is counted apart.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from msgspec.structs import replace as struct_replace

from factgold.ground.numbers import parse_number
from factgold.ground.text import Grounding, TextIndex, fold
from factgold.read.document import Document, NumericFact
from factgold.read.predictions import EntityRef, PredictedEntity, PredictedFact, PredictedSpan, PredictedText
from factgold.score.align import SpanIndex, max_weight_matching, optimal_assignment
from factgold.score.counts import PRF
from factgold.score.items import ErrorItem, ItemRef
from factgold.score.resolve import EntityResolver, Resolution, most_lenient

ATTRIBUTES = ("value", "spans", "unit", "kind", "approximate", "bound", "subject")
# The attributes an aligned fact is compared on apart from its value (task "numeric_attributes").
COMPARED_ATTRIBUTES = ("unit", "kind", "approximate", "bound", "subject")
# Attributes an extractor may leave out: absent, they are not predicted rather than wrong.
OPTIONAL_ATTRIBUTES = ("kind", "subject")

UNSTATED = "no place in the document states this value"


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
    # Scaled by 10**(3k) exactly, where 1000.0**k would overflow a float for large k.
    scaled = gold * math.pow(10.0, 3 * exponent) if abs(3 * exponent) < 308 else math.inf
    return exponent != 0 and math.isfinite(scaled) and values_match(predicted, scaled, rtol)


def stated_places(index: TextIndex, value_text: str, value: float, rtol: float, *, strict: bool) -> Grounding:
    """The places grounding finds for ``value_text`` where the text parses to ``value``.

    Grounding a number string by its spelling alone would put "$62 billion" at "$64
    billion" (a fuzzy match, one character apart): a place counts only where the document
    states the same value. The method stays the grounding's, so a fuzzy match still shows.

    >>> index = TextIndex("CPEC, valued at $64 billion, links two ports.")
    >>> stated_places(index, "$64 billion", 64e9, 1e-6, strict=False).spans
    ((16, 27),)
    >>> found = stated_places(index, "$64 billions", 64e9, 1e-6, strict=False)  # a typo, the same value
    >>> found.spans, found.method
    (((17, 27),), 'fuzzy')
    >>> index.ground("62 billion").found, stated_places(index, "62 billion", 62e9, 1e-6, strict=False).found
    (True, False)
    """
    grounding = index.ground(value_text, strict=strict)
    parsed: dict[str, float | None] = {}  # a string occurring many times is parsed once
    spans = []
    for start, end in grounding.spans:
        text = index.text[start:end]
        if text not in parsed:
            number = parse_number(text)
            parsed[text] = number.value if number is not None else None
        stated = parsed[text]
        if stated is not None and values_match(value, stated, rtol):
            spans.append((start, end))
    return Grounding(tuple(spans), grounding.method, grounding.score) if spans else Grounding((), "none", 0.0)


def _content_key(fact: PredictedFact, subjects: _Subjects) -> tuple[object, ...]:
    """A sort key from the fact's content only, total over what can change its score or its items.

    Facts that tie on it are interchangeable, so the order of the input decides nothing: a
    subject counts by what it says and resolves to (a reference to a predicted entity, by that
    entity's name and resolution), and ``"subject": null`` written out differs from no key.
    A None score differs from 0.0, which the items show.
    """
    value = fact.value if fact.value is not None else float("-inf")
    return (
        value,
        fact.value_text or "",
        fact.unit or "",
        fact.kind or "",
        fact.implied_kind or "",
        fact.approximate,
        fact.bound or "",
        subjects.key(fact),
        (fact.score is not None, fact.score or 0.0),
    )


def candidate_pairs(
    golds: Sequence[NumericFact],
    facts: Sequence[PredictedFact],
    located_at: Sequence[Sequence[tuple[int, int]] | None],
    rtol: float,
) -> list[tuple[int, int]]:
    """Index pairs (gold, predicted) that the alignment's weight can score above 0.

    A fact placed in the text (``located_at`` its places) pairs only with the gold facts whose
    mention overlaps one of its places; a fact without a place (None) only with the gold
    facts whose value it has right within ``rtol`` or off by a power of 1000
    (`fact_category` not ``value``). Every other pair weighs 0, so leaving it out changes no
    alignment. Values are looked up by their place within a power of 1000, log10|v| mod 3,
    in buckets at least as wide as the tolerance allows two equal values to differ there.
    """
    index = SpanIndex([(g.mention.start, g.mention.end) for g in golds])
    width = max(-math.log10(1.0 - rtol), 1e-6) if rtol < 1 else 3.0
    # One bucket fewer than fit: each is then wider than the tolerance by a margin that float
    # rounding of the logarithms cannot eat, so two values within it are never two buckets apart.
    buckets = max(1, int(3.0 / width) - 1)

    def bucket(value: float) -> tuple[bool, int] | None:
        if value == 0 or not math.isfinite(value):
            return None  # zero matches only zero (no tolerance around it), and has no scale
        return (value > 0, int((math.log10(abs(value)) % 3.0) * buckets / 3.0) % buckets)

    by_bucket: dict[tuple[bool, int], list[int]] = {}
    zeros = []
    for g, gold_fact in enumerate(golds):
        key = bucket(gold_fact.value)
        if key is None:
            zeros.append(g)
        else:
            by_bucket.setdefault(key, []).append(g)
    found: set[tuple[int, int]] = set()
    for p, fact in enumerate(facts):
        places = located_at[p]
        if places is not None:
            found.update((g, p) for start, end in places for g in index.overlapping(start, end))
            continue
        if fact.value is None:
            continue  # unparsed: never a value match
        key = bucket(fact.value)
        if key is None:
            found.update((g, p) for g in zeros if fact.value == golds[g].value)
            continue
        sign, at = key
        for near in {(at - 1) % buckets, at, (at + 1) % buckets}:
            found.update(
                (g, p)
                for g in by_bucket.get((sign, near), ())
                if fact_category(fact, golds[g], rtol) in ("correct", "unit", "scale")
            )
    return sorted(found)


def fact_category(predicted: PredictedFact, gold: NumericFact, rtol: float) -> str:
    if predicted.value is None:
        return "unparsed"
    if values_match(predicted.value, gold.value, rtol):
        return "correct" if predicted.unit == gold.unit else "unit"
    return "scale" if scale_error(predicted.value, gold.value, rtol) else "value"


@dataclass(frozen=True)
class NumericScores:
    """Counts of one document's numeric facts, per attribute and per kind, and error items.

    ``predicted_attributes`` counts the predicted facts that carry a kind (``kind``) or a
    subject (``subject``), those located in the text (``spans``), and all of them
    (``facts``): the coverage of the predictions.
    """

    by_attribute: dict[str, PRF]
    by_kind: dict[str, PRF]
    predicted_attributes: Counter[str]
    errors: tuple[ErrorItem, ...]


def _ref(fact: NumericFact) -> ItemRef:
    unit = f" {fact.unit}" if fact.unit else ""
    return ItemRef(fact.mention.start, fact.mention.end, fact.mention.text, f"{fact.kind} {fact.value:g}{unit}")


@dataclass(frozen=True)
class _Subjects:
    """Decides whether a predicted fact's subject is a gold fact's, and says what each side names."""

    gold: Document
    entities: Sequence[PredictedEntity]
    resolver: EntityResolver
    _resolved: dict[int, Resolution] = field(default_factory=dict, compare=False)  # fact index -> resolution

    def given_name(self, fact: PredictedFact) -> str | None:
        """The subject as the extractor wrote it, when it wrote a string rather than offsets."""
        subject = fact.subject
        if isinstance(subject, PredictedText):
            return subject.text
        if isinstance(subject, EntityRef):
            # A string subject refers to a predicted entity by its name (or id); the name is what it says.
            return self.entities[subject.index].name
        return None

    def gold_names(self, gold_fact: NumericFact) -> set[str]:
        names = {gold_fact.subject_text}
        if gold_fact.subject is not None:
            entity = self.gold.entity(gold_fact.subject)
            names |= {entity.name} | {m.text for m in entity.mentions if m.kind == "name"}
        return {_folded(name) for name in names}

    def resolution(self, fact: PredictedFact) -> Resolution:
        # Asked once per candidate gold fact: grounding a subject string is the costly part.
        if fact.index not in self._resolved:
            assert fact.subject is not None
            self._resolved[fact.index] = self.resolver.resolve(fact.subject, self.entities)
        return self._resolved[fact.index]

    def agrees(self, fact: PredictedFact, gold_fact: NumericFact) -> bool:
        """Whether the fact's subject (it must carry one) is the gold fact's."""
        name = self.given_name(fact)
        if name is not None and _folded(name) in self.gold_names(gold_fact):
            return True
        # A subject that resolves to no gold entity never agrees, not even with a null gold subject.
        resolved = self.resolution(fact).entity
        return resolved is not None and resolved == gold_fact.subject

    def agreement(self, fact: PredictedFact, gold_fact: NumericFact) -> bool | None:
        """Whether the fact's subject is the gold fact's; None when the fact says nothing of it."""
        if fact.subject is not None:
            return self.agrees(fact, gold_fact)
        # "subject": null written out claims that the subject is no entity.
        return gold_fact.subject is None if fact.states_no_subject else None

    def key(self, fact: PredictedFact) -> tuple[object, ...]:
        """What the fact's subject says and resolves to, as a sort key (see `_content_key`)."""
        subject = fact.subject
        if subject is None:
            return (0, fact.states_no_subject)
        if isinstance(subject, EntityRef):
            # The position of the entity in the input is no content: its name and what it
            # resolves to are what agreement and the items use.
            resolution = self.resolution(fact)
            return (
                1,
                self.given_name(fact) or "",
                resolution.entity or "",
                resolution.failure,
                resolution.shown,
                resolution.grounded_by or "",
            )
        return (2, repr(subject))

    def gold_label(self, gold_fact: NumericFact) -> str:
        entity = f"{gold_fact.subject} {self.gold.entity(gold_fact.subject).name}" if gold_fact.subject else "none"
        return f"{entity} (subject_text: {gold_fact.subject_text})"

    def predicted_label(self, fact: PredictedFact) -> str:
        if fact.subject is None:  # "subject": null, written out
            return "none (no entity)"
        resolution = self.resolution(fact)
        shown = self.given_name(fact) or resolution.shown
        if resolution.entity is not None:
            return f"{shown} (resolves to {resolution.entity} {self.gold.entity(resolution.entity).name})"
        if resolution.failure == "hallucinated":
            return f"{shown} (not in the document)"
        return f"{shown} (resolves to no gold entity)"


def _folded(text: str) -> str:
    return fold(text.strip())


def _attribute_labels(fact: PredictedFact, gold_fact: NumericFact, attribute: str) -> tuple[str, str]:
    """The gold and predicted values of a unit, kind, approximate flag or bound, as the report shows them."""
    if attribute == "unit":
        return gold_fact.unit or "none", fact.unit or "none"
    if attribute == "kind":
        return gold_fact.kind, fact.kind or "none"
    if attribute == "bound":
        return gold_fact.bound or "none", fact.bound or "none"
    return str(gold_fact.approximate).lower(), str(fact.approximate).lower()


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
    subjects = _Subjects(gold, entities, resolver)
    located: dict[int, tuple[tuple[int, int], ...]] = {}  # fact index -> the places that locate it
    grounded_by: dict[int, str] = {}  # fact index -> how its string was found at those places
    hallucinated: dict[int, str] = {}  # fact index -> why it is nowhere in the document
    unstated: set[int] = set()  # value strings no place states: aligned by value, else by subject
    grounded: list[PredictedFact] = []
    floating: list[PredictedFact] = []
    for fact in sorted(predicted, key=lambda f: (repr(f.anchor), *_content_key(f, subjects))):
        if fact.span is not None:
            grounded.append(fact)
            continue
        if isinstance(fact.anchor, PredictedText):
            grounding = resolver.index.ground(fact.anchor.text, strict=require_grounding)
            if not grounding.found:
                hallucinated[fact.index] = "its text is not in the document"
                continue
        elif fact.value_text is not None and fact.value is not None:
            grounding = stated_places(resolver.index, fact.value_text, fact.value, rtol, strict=require_grounding)
            if not grounding.found:
                if require_grounding:
                    hallucinated[fact.index] = UNSTATED
                    continue
                unstated.add(fact.index)
        else:
            # A bare number, or a string that is not a number: nothing can place it in the text.
            grounding = Grounding((), "none", 0.0)
            if require_grounding:
                hallucinated[fact.index] = "no text locates it in the document"
                continue
        if grounding.found:
            located[fact.index] = grounding.spans
            grounded_by[fact.index] = grounding.method
        floating.append(fact)

    def places(fact: PredictedFact) -> tuple[tuple[int, int], ...]:
        return ((fact.span.start, fact.span.end),) if fact.span is not None else located[fact.index]

    # The weight of a pair, criteria in order: the value (correct; then value right, unit
    # wrong; then a scale error; then a wrong value), the place (exact; inside or around it;
    # not placed), the subject (agrees), the overlap. A matching holds at most len(golds)
    # pairs, so each step is made larger than the sum of all the lower parts over that many
    # pairs where it matters: a correct value above everything, so that no matching trades a
    # correct pair for other pairs and adding a correct fact never costs a correct pair; the
    # place above the subject and the subject above the overlap, which only break ties.
    bound = len(golds) + 1
    value_rank = {"correct": 3, "unit": 2, "scale": 1, "value": 0, "unparsed": 0}

    def weight(gold_fact: NumericFact, fact: PredictedFact) -> float:
        category = fact_category(fact, gold_fact, rtol)
        rank = value_rank[category]
        place = 0.0
        overlap = 0.0
        if fact.span is not None or fact.index in located:
            # A fact placed in the text (by its span, or where its text is) aligns only to a
            # gold fact at one of its places. Given by span or found by its text, it weighs
            # the same, so that the same extraction in either form is aligned alike.
            gs = gold_fact.mention
            for start, end in places(fact):
                if start < gs.end and gs.start < end:
                    exact = (start, end) == (gs.start, gs.end)
                    place = max(place, 3.0 if exact else 1.0)
                    union = max(gs.end, end) - min(gs.start, start)
                    overlap = max(overlap, (min(gs.end, end) - max(gs.start, start)) / union)
            if not place:
                return 0.0
        elif not rank:
            return 0.0  # a fact without a place aligns by its value, so only to a value it has right
        subject = 0.5 / bound if subjects.agreement(fact, gold_fact) else 0.0
        rest = 4.0 * rank + place + subject + 0.25 * overlap / bound**2  # < 16
        return (16.0 * bound if category == "correct" else 0.0) + rest

    def how_located(fact: PredictedFact) -> str:
        if fact.span is not None:
            return "by span"
        if fact.index not in located:
            return "by value"
        return "by its mention text" if isinstance(fact.anchor, PredictedText) else "by its text and value"

    def unaligned_gold() -> list[NumericFact]:
        aligned = {id(g) for g, _, _ in pairs}
        return [f for f in golds if id(f) not in aligned]

    # In an order that does not depend on how a fact was placed (span or text), so that ties
    # go the same way for the same extraction in either form.
    placed = sorted(
        grounded + [f for f in floating if f.index in located], key=lambda f: (places(f), _content_key(f, subjects))
    )
    unplaced = [fact for fact in floating if fact.index not in located]
    # Facts placed in the text and facts aligned by value alone (a bare number, a paraphrase
    # such as "US$64bn") in one matching: aligned one step after the other, a placed fact with
    # a wrong value could take a gold fact that a correct fact elsewhere needs ("two" at both
    # "two"s, a wrong value at the first: "two" went to the second, and a bare 2 right for
    # the second lost it), so adding a correct fact lowered the value F1.
    candidates = placed + unplaced
    # Only the pairs `weight` can score are formed (a placed fact and the gold facts at its
    # places; a fact without a place and the gold values it has right, or off by a scale),
    # so a document of n facts costs about n log n, not n² (`candidate_pairs`; a property
    # test holds it to every pair).
    located_at = [places(f) if f.span is not None or f.index in located else None for f in candidates]
    edges = {
        (g, p): w
        for g, p in candidate_pairs(golds, candidates, located_at, rtol)
        if (w := weight(golds[g], candidates[p])) > 0
    }
    pairs: list[tuple[NumericFact, PredictedFact, str]] = [
        (golds[g], candidates[p], how_located(candidates[p])) for g, p in max_weight_matching(edges)
    ]

    # A value string stated nowhere and like no gold value: the gold fact it is about, if its
    # subject says which, so that a wrong number is reported against the number it replaces.
    taken = {id(fact) for _, fact, _ in pairs}
    by_subject = [
        fact
        for fact in floating
        if fact.index in unstated and id(fact) not in taken and fact.subject is not None and fact.value is not None
    ]
    left = unaligned_gold()

    def subject_weight(gold_fact: NumericFact, fact: PredictedFact) -> float:
        if not subjects.agrees(fact, gold_fact):
            return 0.0
        # Among gold facts with that subject, the one most like the prediction; the kind its
        # string implies serves here where it states none (alignment only, never scored).
        kind = fact.kind or fact.implied_kind
        return 1.0 + 0.5 * (kind == gold_fact.kind) + 0.25 * (fact.unit == gold_fact.unit)

    pairs += [(left[g], by_subject[p], "by subject") for g, p in optimal_assignment(left, by_subject, subject_weight)]
    span_aligned = sum(1 for _, fact, _ in pairs if fact.span is not None or fact.index in located)

    def predicted_ref(fact: PredictedFact, aligned_to: NumericFact | None = None) -> ItemRef:
        span = fact.span
        if span is None and fact.index in located:
            # Of the places that locate it, the one at the gold fact it is aligned to.
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

    agree: Counter[str] = Counter({"spans": span_aligned})
    tp_kind: Counter[str] = Counter()
    fp_kind: Counter[str] = Counter()
    errors: list[ErrorItem] = []
    for gold_fact, fact, how in pairs:
        category = fact_category(fact, gold_fact, rtol)
        method = grounded_by.get(fact.index)
        predicted_side = predicted_ref(fact, gold_fact)
        agreement = {
            "unit": fact.unit == gold_fact.unit,
            "kind": None if fact.kind is None else fact.kind == gold_fact.kind,
            "approximate": fact.approximate == gold_fact.approximate,
            "bound": fact.bound == gold_fact.bound,
            "subject": subjects.agreement(fact, gold_fact),
        }
        agree["value"] += category == "correct"
        agree.update(attribute for attribute, agrees in agreement.items() if agrees)
        (tp_kind if category == "correct" else fp_kind)[gold_fact.kind] += 1
        errors.append(
            ErrorItem(
                "numeric_facts",
                category,
                gold.id,
                _ref(gold_fact),
                predicted_side,
                f"aligned {how}",
                fact.score,
                method,
            )
        )
        for attribute in COMPARED_ATTRIBUTES:
            if agreement[attribute] is not False:  # agrees, or not predicted
                continue
            if attribute == "subject":
                gold_label, predicted_label = subjects.gold_label(gold_fact), subjects.predicted_label(fact)
                attribute_method = (
                    most_lenient(method, subjects.resolution(fact).grounded_by) if fact.subject is not None else method
                )
            else:
                gold_label, predicted_label = _attribute_labels(fact, gold_fact, attribute)
                attribute_method = method
            errors.append(
                ErrorItem(
                    "numeric_attributes",
                    attribute,
                    gold.id,
                    struct_replace(_ref(gold_fact), label=gold_label),
                    struct_replace(predicted_side, label=predicted_label),
                    f"the fact is aligned {how}",
                    fact.score,
                    attribute_method,
                )
            )
    aligned_predictions = {id(fact) for _, fact, _ in pairs}
    for fact in predicted:
        if id(fact) in aligned_predictions:
            continue
        # The breakdown by kind files an unaligned fact under the kind it states, else the one
        # its string implies: a count of facts by kind, not the score of a predicted kind.
        fp_kind[fact.kind or fact.implied_kind or "unknown"] += 1
        if fact.index in hallucinated:
            category, detail = "hallucinated", hallucinated[fact.index]
        elif fact.value is None:
            category, detail = "unparsed", "the value string is not a number"
        elif fact.index in unstated:
            category, detail = "hallucinated", UNSTATED
        else:
            category, detail = "spurious", ""
        errors.append(
            ErrorItem(
                "numeric_facts",
                category,
                gold.id,
                None,
                predicted_ref(fact),
                detail,
                fact.score,
                grounded_by.get(fact.index),
            )
        )
    aligned_gold = {id(g) for g, _, _ in pairs}
    correct_gold = {id(g) for g, f, _ in pairs if fact_category(f, g, rtol) == "correct"}
    fn_kind: Counter[str] = Counter(g.kind for g in golds if id(g) not in correct_gold)
    errors += [ErrorItem("numeric_facts", "missed", gold.id, _ref(g), None) for g in golds if id(g) not in aligned_gold]

    present = Counter(
        name
        for fact in predicted
        for name, carried in (
            ("kind", fact.kind is not None),
            ("subject", fact.subject is not None or fact.states_no_subject),
            ("spans", fact.span is not None or fact.index in located),
            ("facts", True),
        )
        if carried
    )

    def attribute_counts(attribute: str) -> PRF:
        tp = agree[attribute]
        if attribute == "spans":
            # Of the facts located in the text, those aligned to a gold fact at that place.
            return PRF(tp, present["spans"] - tp, len(golds) - tp)
        # An optional attribute a fact leaves out is not predicted: it costs recall, not precision.
        carrying = present[attribute] if attribute in OPTIONAL_ATTRIBUTES else len(predicted)
        return PRF(tp, carrying - tp, len(golds) - tp)

    kinds = sorted(set(tp_kind) | set(fp_kind) | set(fn_kind))
    return NumericScores(
        by_attribute={attribute: attribute_counts(attribute) for attribute in ATTRIBUTES},
        by_kind={k: PRF(tp_kind[k], fp_kind[k], fn_kind[k]) for k in kinds},
        predicted_attributes=present,
        errors=tuple(errors),
    )
