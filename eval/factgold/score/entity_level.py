"""The entity-level view: every predicted entity scored however it is given.

An extractor may give an entity by name only (as LLMs often answer), by text mentions, by
span mentions, or by a mix; this view scores all of them alike, so that neither the style
of the output nor the number of mentions given changes the score, and it is the entity
part of the headline.

- A predicted entity's names are its ``name`` and the texts of its mentions; its places
  are its span mentions, the occurrences of its text mentions and of its name in the text
  (`factgold.ground.text`). A gold entity's names are its canonical name and its name
  mentions' texts.
- A predicted entity links to a gold entity when they share a name (after the
  normalization of `factgold.ground.text`: case, quotes, hyphens, white space, a final
  possessive) or when at least half of its places name one of that gold entity's mentions
  as a whole (`EntityResolver.refers_to_mentions`: the mention itself, or a span covering
  more than half of its words). A word found inside a longer name ("port" in "Gwadar
  port", "Pakistan" in "China-Pakistan Economic Corridor") names no entity, so a type
  label cannot buy a fragment the longer entity, and a name, a span on its own and a span
  inside the longer name all link alike.
- Predictions are sets, as for relations: entities of one type that refer first to the same
  gold entity (its strongest link; a flat NER output lists "Pakistan" once per mention, and
  "Naqvi" apart from "Mohsin Naqvi") are one entity, and the copies are listed as
  ``duplicate``; entities that refer to no gold entity are copies when they have the same
  names (nameless, the same places): a wrong entity is what it is called. So the view asks
  which entities a system found, with which type, whatever the style of its output; how it
  groups mentions is what the cluster view and the coreference metrics score. Untyped,
  copies are grouped whatever their types, so a wrong-type copy of a found entity is no
  second prediction of it.
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
from functools import lru_cache

from factgold.ground.text import fold
from factgold.read.document import Document
from factgold.read.predictions import PredictedEntity, PredictedSpan
from factgold.score.align import max_weight_matching
from factgold.score.counts import PRF
from factgold.score.items import ErrorItem, ItemRef
from factgold.score.resolve import EntityResolver, most_lenient


@lru_cache(maxsize=2**16)  # names recur across a document's entities and a corpus's documents
def name_key(name: str) -> str:
    """A name as compared: normalized (`factgold.ground.text.normalize`), without a final possessive.

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
    errors: tuple[ErrorItem, ...]  # none built without ``with_items``
    categories: Counter[str]  # how many items fell in each category, in the order of the items


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
    if not entity.name and len(entity.mentions) == 1 and isinstance(entity.mentions[0].anchor, PredictedSpan):
        # Flat NER output: no name and one span mention. What `_any_candidate` gives then:
        # the text at the span is the only name, the span the only place (grounding keeps a
        # span as it is), and no string is grounded, so none is marked as found.
        span = entity.mentions[0].anchor
        name = resolver.index.text[span.start : span.end]
        key = name_key(name)
        keys = frozenset((key,)) if key else frozenset()
        return _Candidate(entity.type, (name,), keys, ((span.start, span.end),), None, entity.score)
    return _any_candidate(entity, grounded, resolver)


def _any_candidate(entity: PredictedEntity, grounded: PredictedEntity, resolver: EntityResolver) -> _Candidate:
    """`_candidate` of any entity: what tests hold its shortcut to."""
    text = resolver.index.text
    places = {(m.anchor.start, m.anchor.end) for m in grounded.mentions if isinstance(m.anchor, PredictedSpan)}
    # Names before nominals and pronouns, so that the entity is shown by a name when it has one.
    texts: set[tuple[bool, str]] = set()
    given: set[tuple[bool, str]] = set()  # the strings of the mentions given with offsets
    for m in entity.mentions:
        anchor = m.anchor
        if isinstance(anchor, PredictedSpan):
            given.add((not m.is_name, text[anchor.start : anchor.end]))
        else:
            texts.add((not m.is_name, anchor.text))
    strings = sorted(given | texts)
    named = [entity.name] if entity.name else []
    names = named + list(dict.fromkeys(string for _, string in strings))
    methods: list[str | None] = []
    for string in named + [string for _, string in sorted(texts)]:
        found = resolver.index.ground(string, strict=resolver.strict)
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
        frozenset(key for key in map(name_key, names) if key),
        tuple(sorted(places)),
        grounded_by,
        entity.score,
    )


def _content(candidate: _Candidate) -> tuple[object, ...]:
    """A total order of candidates from their content alone, never from the input's order."""
    return (sorted(candidate.keys), candidate.places, candidate.type, candidate.names, candidate.grounded_by or "")


def _given_order(candidate: _Candidate) -> tuple[object, ...]:
    """How copies of one entity are ranked: the most confident first, then by content."""
    return (-(candidate.score or 0.0), *_content(candidate))


def score_entity_level(
    gold: Document,
    entities: Sequence[PredictedEntity],
    grounded: Sequence[PredictedEntity],
    resolver: EntityResolver,
    *,
    with_items: bool = True,
) -> EntityLevelScores:
    """Score predicted entities against gold entities at the entity level.

    ``entities`` are as predicted; ``grounded`` the same entities with their text mentions
    replaced by their occurrences (`factgold.score.per_document.ground_entities`), in the same order.
    """
    gold_order = sorted(gold.entities, key=lambda e: (e.mentions[0].start, e.mentions[0].end))
    gold_index = {e.id: g for g, e in enumerate(gold_order)}
    by_key: dict[str, list[int]] = {}
    for g, gold_entity in enumerate(gold_order):
        names = {name_key(gold_entity.name)} | {name_key(m.text) for m in gold_entity.mentions if m.kind == "name"}
        for key_ in names:
            by_key.setdefault(key_, []).append(g)

    def links(candidate: _Candidate) -> dict[int, float]:
        """Gold entities the candidate refers to: by a shared name (1), plus the share of its
        places naming a gold mention as a whole that name one of that entity's, when the
        share is at least half. A name found inside a longer mention names no entity, nor
        does a minority of a candidate's places; places that name no gold mention (spurious
        ones) do not count, so that leaving one out changes no link."""
        found = {g: 1.0 for key_ in candidate.keys for g in by_key.get(key_, ())}
        votes: dict[str, int] = {}  # counted as a Counter would, without building one per candidate
        for entity in resolver.refers_to_places(candidate.places):
            if entity is not None:
                votes[entity] = votes.get(entity, 0) + 1
        total = sum(votes.values())
        for entity_id, count in votes.items():
            share = count / total
            if share >= 0.5:
                found[gold_index[entity_id]] = found.get(gold_index[entity_id], 0.0) + share
        return found

    def referent(candidate: _Candidate, linked: dict[int, float]) -> int:
        """The gold entity a candidate refers to first: the strongest link, a shared name
        before places on a tie ("Pakistan" inside "China-Pakistan Economic Corridor" names
        Pakistan), then the entity mentioned first."""
        if len(linked) == 1:  # the only one (most candidates link to one gold entity)
            return next(iter(linked))
        named = {g for key_ in candidate.keys for g in by_key.get(key_, ())}
        return min(linked, key=lambda g: (-linked[g], g not in named, g))

    # Copies: entities of one type that refer first to the same gold entity (a flat NER
    # output lists "Pakistan" once per mention, and "Naqvi" beside "Mohsin Naqvi"), or,
    # referring to none, that have the same names (or, nameless, the same places): a wrong
    # entity is what it is called, so one with other names is another wrong entity.
    candidates = []
    for entity, with_spans in zip(entities, grounded, strict=True):
        candidate = _candidate(entity, with_spans, resolver)
        linked = links(candidate)
        identity: tuple[object, ...] = (
            ("refers", referent(candidate, linked))
            if linked
            else ("names", candidate.keys, () if candidate.keys else candidate.places)
        )
        candidates.append((candidate, linked, identity, _content(candidate)))

    def assigned(
        typed: bool,
    ) -> tuple[list[tuple[_Candidate, dict[int, float], tuple[object, ...]]], list[_Candidate], list[tuple[int, int]]]:
        """The predicted entities (copies merged) and their one-to-one assignment to gold.

        Typed, copies are of one type and agreeing types are matched first; untyped, copies
        are whatever their types, so that a wrong-type copy of a right entity is no second
        prediction of the entity (untyped F1 never drops when a right-typed copy is added).
        """
        # Each candidate with its content (`_content`), computed once for both passes.
        groups: dict[tuple[object, ...], list[tuple[_Candidate, dict[int, float], tuple[object, ...]]]] = {}
        for candidate, linked, identity, content in candidates:
            groups.setdefault(((candidate.type,) if typed else ()) + identity, []).append((candidate, linked, content))
        merged: list[tuple[_Candidate, dict[int, float], tuple[object, ...]]] = []
        copies: list[_Candidate] = []
        for members in groups.values():
            if len(members) == 1:  # most entities have no copy
                merged.append(members[0])
                continue
            # The entity kept is the most confident one (then the one that sorts first), with
            # every name and place and the strongest link of its copies: chosen over the whole
            # group at once, so the order of the input never decides it.
            ordered = sorted(members, key=lambda m: _given_order(m[0]))
            best = ordered[0][0]
            kept = _Candidate(
                best.type,
                best.names,
                frozenset().union(*(c.keys for c, _, _ in members)),
                tuple(sorted({place for c, _, _ in members for place in c.places})),
                most_lenient(*(c.grounded_by for c, _, _ in members)),
                best.score,
            )
            strongest = {
                g: max(linked.get(g, 0.0) for _, linked, _ in members) for _, linked, _ in members for g in linked
            }
            merged.append((kept, strongest, _content(kept)))
            copies += [c for c, _, _ in ordered[1:]]
        merged.sort(key=lambda c: c[2])
        strength = {(g, p): link for p, (_, linked, _) in enumerate(merged) for g, link in linked.items()}
        # Agreeing types first (2, typed only), then more matches (1), then stronger links (together below 1).
        scale = 1.0 / (2 * (len(strength) + 1))
        weights = {
            (g, p): 1.0 + 2.0 * (typed and gold_order[g].type == merged[p][0].type) + scale * link
            for (g, p), link in strength.items()
        }
        return merged, copies, max_weight_matching(weights)

    predicted, copies, pairs = assigned(typed=True)
    untyped_predicted, _, untyped_pairs = assigned(typed=False)

    # Each item's category, in the order of the items; the items themselves only ``with_items``.
    categories: list[str] = []
    errors: list[ErrorItem] = []
    typed_tp = 0
    for g, p in pairs:
        gold_entity, candidate = gold_order[g], predicted[p][0]
        same = gold_entity.type == candidate.type
        typed_tp += same
        categories.append("correct" if same else "type")
        if with_items:
            errors.append(
                ErrorItem(
                    "entity_level", categories[-1], gold.id,
                    ItemRef(None, None, gold_entity.name, gold_entity.type),
                    ItemRef(None, None, candidate.names[0] if candidate.names else "", candidate.type),
                    score=candidate.score, grounded_by=candidate.grounded_by,
                )
            )  # fmt: skip
    matched_p = {p for _, p in pairs}
    for p, (candidate, _, _) in enumerate(predicted):
        if p in matched_p:
            continue
        in_text = bool(candidate.places)
        categories.append("spurious" if in_text else "hallucinated")
        if with_items:
            errors.append(
                ErrorItem(
                    "entity_level",
                    categories[-1],
                    gold.id,
                    None,
                    ItemRef(None, None, candidate.names[0] if candidate.names else "", candidate.type),
                    "" if in_text else "no name or mention of this entity is in the document",
                    candidate.score,
                    candidate.grounded_by,
                )
            )
    categories += ["duplicate"] * len(copies)
    errors += [
        ErrorItem(
            "entity_level",
            "duplicate",
            gold.id,
            None,
            ItemRef(None, None, copy.names[0] if copy.names else "", copy.type),
            "refers, with the same type, to the same gold entity as another predicted entity; counted once",
            copy.score,
            copy.grounded_by,
        )
        for copy in copies
        if with_items
    ]
    categories += ["missed"] * (len(gold_order) - len(pairs))
    matched_g = {g for g, _ in pairs}
    errors += [
        ErrorItem("entity_level", "missed", gold.id, ItemRef(None, None, e.name, e.type), None)
        for g, e in enumerate(gold_order)
        if with_items and g not in matched_g
    ]
    untyped = PRF(len(untyped_pairs), len(untyped_predicted) - len(untyped_pairs), len(gold_order) - len(untyped_pairs))
    typed = PRF(typed_tp, len(predicted) - typed_tp, len(gold_order) - typed_tp)
    return EntityLevelScores(typed, untyped, tuple(errors), Counter(categories))
