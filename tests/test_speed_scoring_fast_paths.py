"""The shortcuts of per-document scoring give what the general code gives.

Each shortcut taken for flat NER output (overlaps found by bisection, predicted mentions
sorted without a Python key, entities numbered without a sort of their mentions, a flat
entity identified in one step, copies merged and matched without the general passes when
there is nothing to merge or to choose, items built through their slots, a document's
alternatives looked for by loops) is held here to the general code it stands in for, on
random input.
"""

from __future__ import annotations

import inspect
import pickle
from collections import Counter
from dataclasses import MISSING, FrozenInstanceError, fields, replace
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factgold.read.document import Document, EntityCluster, Mention, Qualifiers, Relation, Span
from factgold.read.predictions import PredictedEntity, PredictedMention, PredictedSpan
from factgold.run.evaluation import bundled_gold_with_variants
from factgold.score import entity_level
from factgold.score.align import overlapping_pairs, overlapping_pairs_indexed
from factgold.score.alternatives import count_alternatives, has_alternatives
from factgold.score.items import ErrorItem, ItemRef, item_rows, items_of_rows
from factgold.score.mentions import (
    MentionItem,
    _predicted_order,
    score_mentions,
    score_mentions_aligned,
    sorted_predicted,
)
from factgold.score.per_document import _content, ground_entities
from factgold.score.resolve import EntityResolver, first_mention
from test_speed_fast_paths import TYPES, WORDS, predicted_entity

# --- Overlaps -------------------------------------------------------------------------------


@st.composite
def spans(draw: Any) -> list[tuple[int, int]]:
    """Spans of any shape, or (often) a sorted flat annotation, the case bisection serves."""
    if draw(st.booleans()):
        found, position = [], 0
        for _ in range(draw(st.integers(0, 8))):
            start = position + draw(st.integers(0, 3))
            end = start + draw(st.integers(0, 4))  # empty spans too
            found.append((start, end))
            position = end + draw(st.integers(-1, 2))  # sometimes crossing the next one
        return found
    drawn: list[tuple[int, int]] = draw(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), max_size=8))
    return drawn


@settings(max_examples=500, deadline=None)
@given(spans(), st.lists(st.tuples(st.integers(0, 24), st.integers(0, 24)), max_size=8))
def test_overlaps_found_by_bisection_are_those_of_the_span_index(
    gold: list[tuple[int, int]], predicted: list[tuple[int, int]]
) -> None:
    assert overlapping_pairs(gold, predicted) == overlapping_pairs_indexed(gold, predicted)


# --- The NER view ---------------------------------------------------------------------------


@st.composite
def tied_mentions(draw: Any) -> list[MentionItem]:
    """Predicted mentions, some equal in all but their score (the order breaks ties by it)."""
    items = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, 6))
        end = draw(st.integers(start + 1, start + 3))
        entity = draw(st.sampled_from(["P0", "P1"]))
        score = draw(st.none() | st.sampled_from([0.0, 0.25, 0.9]))
        items.append(MentionItem(start, end, draw(st.sampled_from(TYPES)), "t", "name", entity, score))
    return items


@settings(max_examples=400, deadline=None)
@given(tied_mentions())
def test_predicted_mentions_sorted_without_a_python_key_are_in_score_order(items: list[MentionItem]) -> None:
    fast = sorted_predicted(items)
    general = sorted(items, key=_predicted_order)
    # The same items in the same places (equal items differ in their score, which == ignores).
    assert [(m, m.score) for m in fast] == [(m, m.score) for m in general]


@settings(max_examples=300, deadline=None)
@given(tied_mentions(), tied_mentions())
def test_the_one_pass_ner_view_counts_as_the_general_alignment_without_items(
    gold: list[MentionItem], predicted: list[MentionItem]
) -> None:
    fast = score_mentions("doc", gold, predicted, with_items=False)
    general = score_mentions_aligned("doc", gold, predicted)
    assert fast == replace(general, errors=())
    # Counts tallied in the order of the items, whether or not they are built.
    assert list(fast.categories.items()) == list(Counter(e.category for e in general.errors).items())
    assert list(fast.type_pairs.items()) == list(general.type_pairs.items())
    assert list(fast.by_type) == list(general.by_type)


# --- Predicted entities numbered in canonical order -----------------------------------------


@st.composite
def predicted_entities(draw: Any, *, flat_share: int = 2) -> list[PredictedEntity]:
    """Predicted entities, mostly flat NER (one span, no name), the others of any shape."""
    entities = []
    for index in range(draw(st.integers(0, 7))):
        if draw(st.integers(0, flat_share)):
            start = draw(st.integers(0, len(WORDS) - 1))
            end = draw(st.integers(start + 1, min(len(WORDS), start + 8)))
            kind = draw(st.sampled_from([None, None, "name", "nominal"]))
            mention = PredictedMention(PredictedSpan(start, end), kind, draw(st.none() | st.sampled_from([0.5, 0.9])))
            entities.append(
                PredictedEntity(
                    index,
                    None,
                    draw(st.sampled_from(TYPES)),
                    (mention,),
                    draw(st.sampled_from([None, ""])),
                    draw(st.none() | st.sampled_from([0.25, 0.75])),
                )
            )
            continue
        entities.append(draw(predicted_entity(index)))
    return entities


def _general_content(entity: PredictedEntity) -> tuple[object, ...]:
    mentions = sorted(
        (m.anchor.start, m.anchor.end, m.kind or "name", m.score or 0.0)
        for m in entity.mentions
        if isinstance(m.anchor, PredictedSpan)
    )
    return (mentions, entity.type, entity.score or 0.0)


@settings(max_examples=300, deadline=None)
@given(predicted_entities())
def test_a_flat_entity_is_ordered_as_the_general_key_orders_it(entities: list[PredictedEntity]) -> None:
    for entity in entities:
        assert _content(entity) == _general_content(entity)


# --- The entity-level view ------------------------------------------------------------------


@st.composite
def gold_documents(draw: Any) -> Document:
    """A gold document, mostly one name mention an entity; sometimes an entity of two
    mentions, or a nominal one."""
    found = sorted(draw(st.sets(st.tuples(st.integers(0, len(WORDS) - 1), st.integers(1, 8)), max_size=7)))
    entities = []
    for index, (start, length) in enumerate(found):
        end = min(len(WORDS), start + length)
        text = WORDS[start:end]
        kind = draw(st.sampled_from(["name", "name", "name", "nominal"]))
        entities.append(
            EntityCluster(f"E{index}", draw(st.sampled_from(TYPES)), text, (Mention(Span(start, end, text), kind),))
        )
    if len(entities) > 1 and draw(st.integers(0, 3)) == 0:
        first, second = entities[0], entities.pop(1)
        mentions = tuple(sorted(first.mentions + second.mentions, key=lambda m: (m.start, m.end)))
        entities[0] = EntityCluster(first.id, first.type, first.name, mentions)
    return Document("d", "t", WORDS, "s", "en", tuple(entities), (), (), ())


def _with_copies(draw: Any, entities: list[PredictedEntity]) -> list[PredictedEntity]:
    """Some entities given again, with the same or another type: copies to merge, typed or not."""
    extra = [
        replace(entity, index=len(entities) + n, type=draw(st.sampled_from([entity.type, *TYPES])))
        for n, entity in enumerate(entities)
        if draw(st.integers(0, 3)) == 0
    ]
    return entities + extra


@st.composite
def entity_level_inputs(draw: Any) -> tuple[Document, list[PredictedEntity]]:
    return draw(gold_documents()), _with_copies(draw, draw(predicted_entities(flat_share=4)))


@settings(max_examples=500, deadline=None)
@given(entity_level_inputs())
def test_flat_entities_are_identified_as_the_general_steps_identify_them(
    inputs: tuple[Document, list[PredictedEntity]],
) -> None:
    doc, entities = inputs
    resolver = EntityResolver.for_document(doc)
    grounded, _ = ground_entities(doc, entities, resolver, require_grounding=False)
    gold_order = sorted(doc.entities, key=first_mention)
    fast = entity_level._identified(gold_order, entities, grounded, resolver)
    general = entity_level._identified(gold_order, entities, grounded, resolver, flat_shortcut=False)
    assert fast == general
    # The links in the same order too (the matching meets them in it).
    assert [list(linked.items()) for _, linked, _ in fast[0]] == [list(linked.items()) for _, linked, _ in general[0]]


@settings(max_examples=500, deadline=None)
@given(entity_level_inputs())
def test_copies_are_merged_and_matched_as_the_general_passes_do(inputs: tuple[Document, list[PredictedEntity]]) -> None:
    doc, entities = inputs
    resolver = EntityResolver.for_document(doc)
    grounded, _ = ground_entities(doc, entities, resolver, require_grounding=False)
    gold_order = sorted(doc.entities, key=first_mention)
    candidates, identities = entity_level._identified(gold_order, entities, grounded, resolver)
    fast = entity_level._matched(gold_order, candidates, identities)
    general = entity_level._matched_general(gold_order, candidates, identities)
    assert fast == general


def test_the_shortcuts_meet_copies_and_wrong_types() -> None:
    """The shortcuts are not the only path the examples take: a copy of another type makes
    the untyped groups differ from the typed ones, and a span named twice makes a copy."""
    doc = Document(
        "d", "t", WORDS, "s", "en",
        (EntityCluster("E0", "PERSON", "w0", (Mention(Span(0, 2, "w0"), "name"),)),),
        (), (), (),
    )  # fmt: skip
    span = (PredictedMention(PredictedSpan(0, 2)),)
    entities = [PredictedEntity(0, None, "PERSON", span), PredictedEntity(1, None, "ORG", span)]
    resolver = EntityResolver.for_document(doc)
    gold_order = list(doc.entities)
    candidates, identities = entity_level._identified(gold_order, entities, entities, resolver)
    assert identities == [("refers", 0), ("refers", 0)]  # one identity, two types
    fast = entity_level._matched(gold_order, candidates, identities)
    assert fast == entity_level._matched_general(gold_order, candidates, identities)
    predicted, copies, _, untyped_predicted, untyped_pairs = fast
    assert (len(predicted), copies, len(untyped_predicted), untyped_pairs) == (2, [], 1, [(0, 0)])


@settings(max_examples=300, deadline=None)
@given(gold_documents(), st.lists(st.tuples(st.integers(0, len(WORDS) - 1), st.integers(1, 8)), max_size=6))
def test_one_place_refers_as_a_list_of_places_does(doc: Document, places: list[tuple[int, int]]) -> None:
    resolver = EntityResolver.for_document(doc)
    for start, length in places:
        end = min(len(WORDS), start + length)
        assert resolver.refers_to_place(start, end) == resolver.refers_to_places([(start, end)])[0]


# --- Items built through their slots, and items as structs ---------------------------------


def test_mention_items_built_through_their_slots_are_the_dataclass_they_declare() -> None:
    cls: Any = MentionItem  # built with values of any type: the fields are what is checked
    declared = fields(cls)
    parameters = list(inspect.signature(cls).parameters.values())
    # The hand-written __init__ takes the fields, in their order, with their defaults.
    assert [p.name for p in parameters] == [f.name for f in declared]
    assert [p.default for p in parameters] == [
        inspect.Parameter.empty if f.default is MISSING else f.default for f in declared
    ]
    values = [f"value {index}" for index in range(len(declared))]
    item = cls(*values)
    assert [getattr(item, f.name) for f in declared] == values
    assert item == cls(**{f.name: value for f, value in zip(declared, values, strict=True)})
    assert pickle.loads(pickle.dumps(item)) == item
    changed = replace(item, **{declared[0].name: "changed"})
    assert getattr(changed, declared[0].name) == "changed"
    with pytest.raises(FrozenInstanceError):
        setattr(item, declared[0].name, "changed")
    with pytest.raises(TypeError):
        cls(*values[:-1], *values[-1:], "one too many")


@pytest.mark.parametrize(
    ("cls", "names", "defaults"),
    [
        (ItemRef, ["start", "end", "text", "label"], {}),
        (
            ErrorItem,
            ["task", "category", "document", "gold", "predicted", "detail", "score", "grounded_by"],
            {"detail": "", "score": None, "grounded_by": None},
        ),
    ],
)
def test_items_are_frozen_values_with_their_fields_in_order(
    cls: Any, names: list[str], defaults: dict[str, object]
) -> None:
    # The order of the fields is the order of the keys in the report (`to_dict`, and msgspec writes them so).
    assert [f.name for f in msgspec.structs.fields(cls)] == names
    assert {f.name: f.default for f in msgspec.structs.fields(cls) if f.default is not msgspec.NODEFAULT} == defaults
    values = [f"value {index}" for index in range(len(names))]
    item = cls(*values)
    assert [getattr(item, name) for name in names] == values
    assert item == cls(**dict(zip(names, values, strict=True)))
    assert hash(item) == hash(cls(*values))
    assert item != cls(*values[:-1], "another")
    assert pickle.loads(pickle.dumps(item)) == item
    assert list(msgspec.json.decode(msgspec.json.encode(item)).items()) == list(zip(names, values, strict=True))
    assert getattr(msgspec.structs.replace(item, **{names[0]: "changed"}), names[0]) == "changed"
    with pytest.raises(AttributeError):
        setattr(item, names[0], "changed")
    with pytest.raises(TypeError):
        cls(*values, "one too many")


_sides = st.none() | st.builds(
    ItemRef, st.none() | st.integers(0, 99), st.none() | st.integers(0, 99), st.none() | st.text(max_size=5),
    st.none() | st.text(max_size=5),
)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.builds(
            ErrorItem,
            st.text(max_size=5),
            st.text(max_size=5),
            st.text(max_size=5),
            _sides,
            _sides,
            st.text(max_size=5),
            st.none() | st.floats(allow_nan=False),
            st.none() | st.text(max_size=5),
        ),
        max_size=6,
    )
)
def test_items_sent_as_rows_are_the_items(items: list[ErrorItem]) -> None:
    rows = item_rows(items)
    assert items_of_rows(pickle.loads(pickle.dumps(rows))) == tuple(items)
    assert all(type(value) in (str, int, float, tuple, type(None)) for row in rows for value in row)


# --- Whether a gold document records alternatives -------------------------------------------


@st.composite
def documents_with_alternatives(draw: Any) -> Document:
    """Documents with an alternative here or there: a mention's extent, an entity's or a
    relation's type, an optional relation."""
    entities = []
    for index in range(draw(st.integers(0, 3))):
        mentions = tuple(
            Mention(Span(2 * n, 2 * n + 1, "w"), "name", draw(st.sampled_from([(), (Span(0, 1, "w"),)])))
            for n in range(draw(st.integers(1, 3)))
        )
        entities.append(EntityCluster(f"E{index}", "ORG", "w", mentions, None, draw(st.sampled_from([(), ("GPE",)]))))
    relations = tuple(
        Relation(
            f"R{index}",
            "located_in",
            "E0",
            "E1",
            (),
            False,
            Qualifiers(),
            draw(st.sampled_from([(), ("part_of",)])),
            draw(st.booleans()),
        )
        for index in range(draw(st.integers(0, 2)))
    )
    return Document("d", "t", WORDS, "s", "en", tuple(entities), relations, (), ())


@settings(max_examples=300, deadline=None)
@given(documents_with_alternatives())
def test_a_document_has_alternatives_when_it_counts_some(doc: Document) -> None:
    assert has_alternatives(doc) == (count_alternatives(doc) > 0)


def test_the_bundled_gold_has_alternatives_where_it_counts_some() -> None:
    documents = bundled_gold_with_variants()
    assert any(has_alternatives(doc) for doc in documents)  # the corpus has some
    assert [has_alternatives(doc) for doc in documents] == [count_alternatives(doc) > 0 for doc in documents]
