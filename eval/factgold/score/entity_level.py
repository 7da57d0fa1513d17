"""The entity-level view: every predicted entity scored however it is given.

An extractor may give an entity by name only (as LLMs often answer), by text mentions, by
span mentions, or by a mix; this view scores all of them alike, so that neither the style
of the output nor the number of mentions given changes the score, and it is the entity
part of the headline.

- A predicted entity's names are its ``name`` and the texts of its mentions; its places
  are its span mentions, the occurrences of its text mentions and of its name in the text
  (`factgold.grounding`). A gold entity's names are its canonical name and its name
  mentions' texts.
- A predicted entity links to a gold entity when they share a name (after the
  normalization of `factgold.grounding`: case, quotes, hyphens, white space, a final
  possessive) or when some of its places resolve to that gold entity through the gold
  mentions (`factgold.score.resolve`: the exact mention, else the most overlapping one).
- Predictions are sets, as for relations: entities with the same type and the same names
  (a flat NER output lists "Pakistan" once per mention) are one entity, and the copies are
  listed as ``duplicate``.
- Linked entities are matched one-to-one by one optimal assignment that puts agreeing
  types first, then the number of matches, then the strength of the link (shared name,
  share of places), so the order of the input never matters.
- typed: a match with the same type is a true positive; untyped: any match is. A predicted
  entity none of whose names or places is in the document is ``hallucinated`` (a false
  positive, listed apart); one that is in the text but matches no gold entity is
  ``spurious``. Every gold entity counts, whatever ``--mentions`` says: the view is about
  entities, not mentions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from factgold.align import max_weight_matching
from factgold.counts import PRF
from factgold.document import Document
from factgold.grounding import fold
from factgold.predictions import PredictedEntity, PredictedSpan, PredictedText
from factgold.score.items import ErrorItem, ItemRef
from factgold.score.resolve import EntityResolver, most_lenient


def name_key(name: str) -> str:
    """A name as compared: normalized (`factgold.grounding.normalize`), without a final possessive.

    >>> name_key("  Pakistan’s "), name_key("Wang  Yi")
    ('pakistan', 'wang yi')
    """
    key = fold(name.strip())
    return key[:-2] if key.endswith("'s") else key


@dataclass(frozen=True)
class EntityLevelScores:
    """Entity-level counts, typed and untyped, and the error items."""

    typed: PRF
    untyped: PRF
    errors: tuple[ErrorItem, ...]


@dataclass(frozen=True)
class _Candidate:
    """One predicted entity as this view sees it (duplicates merged)."""

    type: str
    names: tuple[str, ...]  # as written, the first one shown
    keys: frozenset[str]
    places: tuple[tuple[int, int], ...]
    grounded_by: str | None
    score: float | None


def _candidate(entity: PredictedEntity, grounded: PredictedEntity, resolver: EntityResolver) -> _Candidate:
    text = resolver.index.text
    spans = sorted({m.anchor for m in grounded.mentions if isinstance(m.anchor, PredictedSpan)})
    texts = sorted({m.anchor.text for m in entity.mentions if isinstance(m.anchor, PredictedText)})
    given = sorted({m.anchor for m in entity.mentions if isinstance(m.anchor, PredictedSpan)})
    names = ([entity.name] if entity.name else []) + sorted({text[s.start : s.end] for s in given}) + texts
    places = {(s.start, s.end) for s in spans}
    methods: list[str | None] = []
    for written in ([entity.name] if entity.name else []) + texts:
        found = resolver.index.ground(written, strict=resolver.strict)
        places.update(found.spans)
        if found.found:
            methods.append(found.method)
    # Given with offsets, it is marked only where a fuzzy match of one of its strings added places.
    grounded_by = most_lenient(*methods)
    if given and grounded_by != "fuzzy":
        grounded_by = None
    return _Candidate(
        entity.type,
        tuple(names),
        frozenset(name_key(n) for n in names if name_key(n)),
        tuple(sorted(places)),
        grounded_by,
        entity.score,
    )


def score_entity_level(
    gold: Document,
    entities: Sequence[PredictedEntity],
    grounded: Sequence[PredictedEntity],
    resolver: EntityResolver,
) -> EntityLevelScores:
    """Score predicted entities against gold entities at the entity level.

    ``entities`` are as predicted; ``grounded`` the same entities with their text mentions
    replaced by their occurrences (`factgold.evaluation.ground_entities`), in the same order.
    """
    merged: dict[tuple[str, frozenset[str], tuple[tuple[int, int], ...]], _Candidate] = {}
    copies: list[_Candidate] = []
    for entity, with_spans in zip(entities, grounded, strict=True):
        candidate = _candidate(entity, with_spans, resolver)
        # An entity with no name at all (only pronouns, say) is identified by its places.
        key = (candidate.type, candidate.keys, () if candidate.keys else candidate.places)
        kept = merged.get(key)
        if kept is None:
            merged[key] = candidate
            continue
        # The merged entity has every place of its copies; the higher confidence is kept.
        best, other = (kept, candidate) if (kept.score or 0.0) >= (candidate.score or 0.0) else (candidate, kept)
        merged[key] = _Candidate(
            best.type,
            best.names,
            best.keys,
            tuple(sorted(set(best.places) | set(other.places))),
            best.grounded_by or other.grounded_by,
            best.score,
        )
        copies.append(other)
    predicted = sorted(merged.values(), key=lambda c: (sorted(c.keys), c.places, c.type, c.names))
    gold_order = sorted(gold.entities, key=lambda e: (e.mentions[0].start, e.mentions[0].end))
    gold_index = {e.id: g for g, e in enumerate(gold_order)}
    gold_keys = [{name_key(e.name)} | {name_key(m.text) for m in e.mentions if m.kind == "name"} for e in gold_order]
    by_key: dict[str, list[int]] = {}
    for g, keys in enumerate(gold_keys):
        for key_ in keys:
            by_key.setdefault(key_, []).append(g)

    # Links: shared names, and the share of a prediction's places that resolve to a gold entity.
    strength: dict[tuple[int, int], float] = {}
    for p, candidate in enumerate(predicted):
        for key_ in candidate.keys:
            for g in by_key.get(key_, ()):
                strength[(g, p)] = 1.0
        resolved = resolver.resolve_spans([PredictedSpan(s, e) for s, e in candidate.places])
        votes = Counter(entity for entity in resolved if entity is not None)
        for entity_id, count in votes.items():
            edge = (gold_index[entity_id], p)
            strength[edge] = strength.get(edge, 0.0) + count / len(candidate.places)
    # Agreeing types first (2), then more matches (1), then stronger links (together below 1).
    scale = 1.0 / (2 * (len(strength) + 1))
    weights = {
        (g, p): 1.0 + 2.0 * (gold_order[g].type == predicted[p].type) + scale * link
        for (g, p), link in strength.items()
    }
    pairs = max_weight_matching(weights)

    errors: list[ErrorItem] = []
    typed_tp = 0
    for g, p in pairs:
        gold_entity, candidate = gold_order[g], predicted[p]
        same = gold_entity.type == candidate.type
        typed_tp += same
        errors.append(
            ErrorItem(
                "entity_level", "correct" if same else "type", gold.id,
                ItemRef(None, None, gold_entity.name, gold_entity.type),
                ItemRef(None, None, candidate.names[0] if candidate.names else "", candidate.type),
                score=candidate.score, grounded_by=candidate.grounded_by,
            )
        )  # fmt: skip
    matched_p = {p for _, p in pairs}
    for p, candidate in enumerate(predicted):
        if p in matched_p:
            continue
        in_text = bool(candidate.places)
        errors.append(
            ErrorItem(
                "entity_level",
                "spurious" if in_text else "hallucinated",
                gold.id,
                None,
                ItemRef(None, None, candidate.names[0] if candidate.names else "", candidate.type),
                "" if in_text else "no name or mention of this entity is in the document",
                candidate.score,
                candidate.grounded_by,
            )
        )
    errors += [
        ErrorItem(
            "entity_level",
            "duplicate",
            gold.id,
            None,
            ItemRef(None, None, copy.names[0] if copy.names else "", copy.type),
            "same type and names as another predicted entity; counted once",
            copy.score,
        )
        for copy in copies
    ]
    matched_g = {g for g, _ in pairs}
    errors += [
        ErrorItem("entity_level", "missed", gold.id, ItemRef(None, None, e.name, e.type), None)
        for g, e in enumerate(gold_order)
        if g not in matched_g
    ]
    untyped = PRF(len(pairs), len(predicted) - len(pairs), len(gold_order) - len(pairs))
    typed = PRF(typed_tp, len(predicted) - typed_tp, len(gold_order) - typed_tp)
    return EntityLevelScores(typed, untyped, tuple(errors))
