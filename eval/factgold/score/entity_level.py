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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from factgold.ground.text import fold
from factgold.read.document import Document, EntityCluster
from factgold.read.predictions import PredictedEntity, PredictedSpan
from factgold.score.align import max_weight_matching
from factgold.score.counts import PRF, prf_of
from factgold.score.items import ErrorItem, ItemRef
from factgold.score.resolve import EntityResolver, first_mention, most_lenient


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


@dataclass(slots=True)
class _Candidate:
    """One predicted entity as this view sees it (duplicates merged); never changed once built.

    Not frozen: one is built for every predicted entity, and a frozen dataclass's
    ``__init__`` costs four times a plain slotted one's.
    """

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


# A predicted entity as matched: its candidate, its links (gold entity, as an index in gold
# order -> strength) and its content (`_content`), the order the matching takes them in.
_Linked = tuple[_Candidate, dict[int, float], tuple[object, ...]]
_content_of: Callable[[_Linked], tuple[object, ...]] = itemgetter(2)


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
    gold_order = sorted(gold.entities, key=first_mention)
    candidates, identities = _identified(gold_order, entities, grounded, resolver)
    predicted, copies, pairs, untyped_predicted, untyped_pairs = _matched(gold_order, candidates, identities)

    # Each item's category, in the order of the items; the items themselves only ``with_items``.
    # Every argument is given by position: keywords make each call build a dict.
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
                    "", candidate.score, candidate.grounded_by,
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
    untyped_tp = len(untyped_pairs)
    untyped = prf_of(untyped_tp, len(untyped_predicted) - untyped_tp, len(gold_order) - untyped_tp)
    typed = prf_of(typed_tp, len(predicted) - typed_tp, len(gold_order) - typed_tp)
    return EntityLevelScores(typed, untyped, tuple(errors), Counter(categories))


def _identified(
    gold_order: Sequence[EntityCluster],
    entities: Sequence[PredictedEntity],
    grounded: Sequence[PredictedEntity],
    resolver: EntityResolver,
    *,
    flat_shortcut: bool = True,
) -> tuple[list[_Linked], list[tuple[object, ...]]]:
    """Each predicted entity as a candidate with its links and content, and its identity.

    Copies: entities of one type that refer first to the same gold entity (a flat NER
    output lists "Pakistan" once per mention, and "Naqvi" beside "Mohsin Naqvi"), or,
    referring to none, that have the same names (or, nameless, the same places): a wrong
    entity is what it is called, so one with other names is another wrong entity. Entities
    with the same identity (and, typed, the same type) are copies.

    ``flat_shortcut`` False takes every entity through the general steps: what tests hold
    the shortcut to.
    """
    gold_index = {e.id: g for g, e in enumerate(gold_order)}
    by_key: dict[str, list[int]] = {}  # a name as compared -> the gold entities (indices) it names
    for g, gold_entity in enumerate(gold_order):
        names = {name_key(gold_entity.name)}
        for mention in gold_entity.mentions:
            if mention.kind == "name":
                names.add(name_key(mention.span.text))
        for key_ in names:
            by_key.setdefault(key_, []).append(g)

    def links(candidate: _Candidate) -> dict[int, float]:
        """Gold entities the candidate refers to: by a shared name (1), plus the share of its
        places naming a gold mention as a whole that name one of that entity's, when the
        share is at least half. A name found inside a longer mention names no entity, nor
        does a minority of a candidate's places; places that name no gold mention (spurious
        ones) do not count, so that leaving one out changes no link."""
        found = {g: 1.0 for key_ in candidate.keys for g in by_key.get(key_, ())}
        places = candidate.places
        if len(places) == 1:
            # One place (flat NER): when it names a gold mention, it is all the votes, a
            # share of 1 / 1 = 1.0, as the tally below would count it.
            start, end = places[0]
            only = resolver.refers_to_place(start, end)
            if only is not None:
                g = gold_index[only]
                found[g] = found.get(g, 0.0) + 1.0
            return found
        votes: dict[str, int] = {}  # counted as a Counter would, without building one per candidate
        for entity in resolver.refers_to_places(places):
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

    candidates: list[_Linked] = []
    identities: list[tuple[object, ...]] = []
    text = resolver.index.text
    for entity, with_spans in zip(entities, grounded, strict=True):
        mentions = entity.mentions
        if flat_shortcut and not entity.name and len(mentions) == 1 and isinstance(mentions[0].anchor, PredictedSpan):
            # Flat NER output (no name, one span mention): what `_candidate`, `links`,
            # `referent` and `_content` give it, in one step; tests hold it to them. Its only
            # name is the text at the span, its only place the span.
            span = mentions[0].anchor
            start, end = span.start, span.end
            name = text[start:end]
            key = name_key(name)
            keys = frozenset((key,)) if key else frozenset()
            places = ((start, end),)
            candidate = _Candidate(entity.type, (name,), keys, places, None, entity.score)
            linked = dict.fromkeys(by_key.get(key, ()), 1.0) if key else {}
            only = resolver.refers_to_place(start, end)
            if only is not None:
                g = gold_index[only]
                linked[g] = linked.get(g, 0.0) + 1.0
            content: tuple[object, ...] = ([key] if key else [], places, entity.type, (name,), "")
        else:
            candidate = _candidate(entity, with_spans, resolver)
            linked = links(candidate)
            content = _content(candidate)
        if len(linked) == 1:  # `referent` of its only link
            identities.append(("refers", next(iter(linked))))
        elif linked:
            identities.append(("refers", referent(candidate, linked)))
        else:
            identities.append(("names", candidate.keys, () if candidate.keys else candidate.places))
        candidates.append((candidate, linked, content))
    return candidates, identities


# What `_matched` gives: the predicted entities with copies merged, the copies, and the
# pairs (gold, predicted) of the assignment, typed; then the entities and pairs untyped.
_Matching = tuple[list[_Linked], list[_Candidate], list[tuple[int, int]], list[_Linked], list[tuple[int, int]]]


def _matched(
    gold_order: Sequence[EntityCluster], candidates: Sequence[_Linked], identities: Sequence[tuple[object, ...]]
) -> _Matching:
    """The predicted entities with their copies merged, and their assignment to gold, typed and untyped.

    `_matched_general`, with the common cases short: no copies to merge, the same groups
    typed and untyped, no entity linked to two (tests hold it to the general code).
    """
    typed_identities = [
        (candidate.type, identity) for (candidate, _, _), identity in zip(candidates, identities, strict=True)
    ]
    if len(set(typed_identities)) == len(candidates):
        # No copies: every group is one entity, in the order of the input, which `_merged`
        # keeps before it sorts them.
        predicted = sorted(candidates, key=_content_of)
        copies: list[_Candidate] = []
    else:
        predicted, copies = _merged(_copies_grouped(candidates, typed_identities))
    unambiguous = _unambiguous_links(predicted)
    pairs = unambiguous if unambiguous is not None else _assignment(gold_order, predicted, typed=True)
    if len(set(identities)) == len(set(typed_identities)):
        # No identity is shared by entities of two types: the untyped groups are the typed
        # ones, met in the same order, and so merge alike.
        untyped_predicted = predicted
    else:
        untyped_predicted, _ = _merged(_copies_grouped(candidates, identities))
        unambiguous = _unambiguous_links(untyped_predicted)
    untyped_pairs = unambiguous if unambiguous is not None else _assignment(gold_order, untyped_predicted, typed=False)
    return predicted, copies, pairs, untyped_predicted, untyped_pairs


def _matched_general(
    gold_order: Sequence[EntityCluster], candidates: Sequence[_Linked], identities: Sequence[tuple[object, ...]]
) -> _Matching:
    """`_matched` without a shortcut: what tests hold it to.

    Typed, copies are entities of one type with the same identity; untyped, entities with
    the same identity whatever their types, so that a wrong-type copy of a right entity is
    no second prediction of the entity (untyped F1 never drops when a right-typed copy is
    added).
    """
    typed_identities = [
        (candidate.type, identity) for (candidate, _, _), identity in zip(candidates, identities, strict=True)
    ]
    predicted, copies = _merged(_copies_grouped(candidates, typed_identities))
    untyped_predicted, _ = _merged(_copies_grouped(candidates, identities))
    pairs = _assignment(gold_order, predicted, typed=True)
    untyped_pairs = _assignment(gold_order, untyped_predicted, typed=False)
    return predicted, copies, pairs, untyped_predicted, untyped_pairs


def _copies_grouped(
    candidates: Sequence[_Linked], group_keys: Sequence[tuple[object, ...]]
) -> dict[tuple[object, ...], list[_Linked]]:
    """The candidates grouped with their copies (those with the same key), in the order each group is first met.

    Typed, a candidate's key is its type and identity; untyped, its identity alone.
    """
    groups: dict[tuple[object, ...], list[_Linked]] = {}
    for entry, key in zip(candidates, group_keys, strict=True):
        groups.setdefault(key, []).append(entry)
    return groups


def _merged(groups: dict[tuple[object, ...], list[_Linked]]) -> tuple[list[_Linked], list[_Candidate]]:
    """The predicted entities, each group of copies merged into one, in the order of their
    content (`_content`), and the copies left out."""
    merged: list[_Linked] = []
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
        strongest = {g: max(linked.get(g, 0.0) for _, linked, _ in members) for _, linked, _ in members for g in linked}
        merged.append((kept, strongest, _content(kept)))
        copies += [c for c, _, _ in ordered[1:]]
    merged.sort(key=_content_of)
    return merged, copies


def _unambiguous_links(merged: Sequence[_Linked]) -> list[tuple[int, int]] | None:
    """Every link, as (gold, predicted) index pairs in order, when no entity on either side
    links to two (the common case), and so every link is matched whatever its weight (as
    `max_weight_matching` would find, typed or not); None otherwise."""
    edges = [(g, p) for p, (_, linked, _) in enumerate(merged) for g in linked]
    if len({g for g, _ in edges}) == len(edges) == len({p for _, p in edges}):
        return sorted(edges)
    return None


def _assignment(
    gold_order: Sequence[EntityCluster], merged: Sequence[_Linked], *, typed: bool
) -> list[tuple[int, int]]:
    """The one-to-one assignment of the (merged) predicted entities to gold entities.

    Agreeing types first (typed only), then more matches, then stronger links.
    """
    strength = {(g, p): link for p, (_, linked, _) in enumerate(merged) for g, link in linked.items()}
    # Agreeing types first (2, typed only), then more matches (1), then stronger links (together below 1).
    scale = 1.0 / (2 * (len(strength) + 1))
    weights = {
        (g, p): 1.0 + 2.0 * (typed and gold_order[g].type == merged[p][0].type) + scale * link
        for (g, p), link in strength.items()
    }
    return max_weight_matching(weights)
