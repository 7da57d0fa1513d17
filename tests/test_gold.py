"""The gold follows corpus/GUIDELINES.md (general rules) and the article decisions of corpus/annotations/DECISIONS.md.

The expectations below are written from the guidelines, not read off the gold: when a test
here fails, either the gold or the guidelines are wrong, and one of them is fixed.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import GOLD_FILE
from factgold.read.document import Document
from factgold.read.schema import symmetric_relation_types
from factgold.read.validate import load_gold

GOLD: Document = load_gold(GOLD_FILE)[0]
NAMES = {entity.id: entity.name for entity in GOLD.entities}


def _entity(name: str) -> Any:
    return next(entity for entity in GOLD.entities if entity.name == name)


def test_canonical_name_is_the_longest_name_mention() -> None:
    for entity in GOLD.entities:
        names = [m.text for m in entity.mentions if m.kind == "name"]
        candidates = names or [m.text for m in entity.mentions]
        assert entity.name == max(candidates, key=len), entity.id


def test_ids_are_numbered_in_text_order() -> None:
    firsts = [(e.mentions[0].start, e.mentions[0].end) for e in GOLD.entities]
    assert firsts == sorted(firsts)
    assert [e.id for e in GOLD.entities] == [f"E{i}" for i in range(1, len(GOLD.entities) + 1)]
    relation_order = [(r.evidence[0].start, r.evidence[0].end, r.type, int(r.head[1:])) for r in GOLD.relations]
    assert relation_order == sorted(relation_order)
    assert [r.id for r in GOLD.relations] == [f"R{i}" for i in range(1, len(GOLD.relations) + 1)]
    assert [f.id for f in GOLD.numeric_facts] == [f"N{i}" for i in range(1, len(GOLD.numeric_facts) + 1)]
    assert [f.mention.start for f in GOLD.numeric_facts] == sorted(f.mention.start for f in GOLD.numeric_facts)
    assert [t.span.start for t in GOLD.time_expressions] == sorted(t.span.start for t in GOLD.time_expressions)


def test_names_are_flat_and_without_determiners() -> None:
    names = [m for e in GOLD.entities for m in e.mentions if m.kind == "name"]
    for mention in names:
        assert not mention.text.lower().startswith(("the ", "a ")), mention
        inside = [o for o in names if o is not mention and mention.start <= o.start and o.end <= mention.end]
        assert not inside, (mention, inside)


def test_every_pronoun_is_a_pronoun() -> None:
    pronouns = {m.text for e in GOLD.entities for m in e.mentions if m.kind == "pronoun"}
    assert pronouns <= {"He", "he", "its", "It", "it", "they", "their", "she", "her", "his", "him", "them"}


# Section 9: (entity name, type, mention texts in order) for the decided cases.
ENTITIES = [
    (
        "Pakistan",
        "GPE",
        ["Pakistan", "Pakistan", "Pakistan", "Pakistan", "its", "Pakistan", "Pakistan", "Pakistan", "Pakistan"],
    ),
    ("China", "GPE", ["China", "China", "China"]),
    ("Chinese", "NORP", ["Chinese"] * 8),
    ("Chinese nationals", "NORP", ["Chinese nationals", "Chinese citizens", "Chinese nationals", "Chinese nationals"]),
    ("special protection unit", "ORG", ["special unit", "special protection unit", "special protection unit"]),
    ("Mohsin Naqvi", "PERSON", ["Mohsin Naqvi", "Naqvi", "He"]),
    ("Wang Xiaohong", "PERSON", ["Wang Xiaohong"]),
    ("Ishaq Dar", "PERSON", ["Ishaq Dar", "Dar"]),
    ("Wang Yi", "PERSON", ["Wang Yi", "Wang Yi"]),
    ("China-Pakistan Economic Corridor", "FAC", ["China-Pakistan Economic Corridor", "CPEC", "CPEC", "It"]),
    (
        "China-Pakistan foreign ministers’ strategic dialogue",
        "EVENT",
        ["China-Pakistan foreign ministers’ strategic dialogue"],
    ),
    ("Belt and Road Initiative", "ORG", ["Belt and Road Initiative"]),
    ("Xinjiang", "GPE", ["Xinjiang"]),
    ("Gwadar port", "FAC", ["Gwadar port"]),
    ("MENAFN", "ORG", ["MENAFN"]),
    ("National Cyber Crimes Investigation Agency", "ORG", ["National Cyber Crimes Investigation Agency"]),
    ("joint development projects", "FAC", ["joint development projects", "joint development projects"]),
    ("Islamabad", "GPE", ["Islamabad"] * 3),
    ("Beijing", "GPE", ["Beijing"] * 3),
]


@pytest.mark.parametrize(("name", "entity_type", "mentions"), ENTITIES, ids=[e[0] for e in ENTITIES])
def test_decided_entities(name: str, entity_type: str, mentions: list[str]) -> None:
    entity = _entity(name)
    assert entity.type == entity_type
    assert [m.text for m in entity.mentions] == mentions


def test_no_other_entities() -> None:
    assert sorted(NAMES.values()) == sorted(name for name, _, _ in ENTITIES)


# DECISIONS.md: every relation as (type, head name, tail name, inferred, role or domain).
RELATIONS = {
    ("establishes", "Pakistan", "special protection unit", False, None),
    ("located_in", "special protection unit", "Islamabad", False, None),
    ("protects", "special protection unit", "Chinese nationals", False, None),
    ("protects", "special protection unit", "joint development projects", False, None),
    ("protects", "Pakistan", "Chinese nationals", False, None),
    ("official_of", "Mohsin Naqvi", "Pakistan", True, "Interior Minister"),
    ("official_of", "Wang Xiaohong", "China", False, "Interior Minister"),
    ("official_of", "Ishaq Dar", "Pakistan", False, "top diplomat"),
    ("official_of", "Wang Yi", "China", False, "Foreign Minister"),
    ("visited", "Mohsin Naqvi", "Beijing", True, None),
    ("visited", "Ishaq Dar", "Beijing", False, None),
    ("met_with", "Mohsin Naqvi", "Wang Xiaohong", False, None),
    ("met_with", "Ishaq Dar", "Wang Yi", False, None),
    ("participant_in", "Ishaq Dar", "China-Pakistan foreign ministers’ strategic dialogue", False, "co-chair"),
    ("participant_in", "Wang Yi", "China-Pakistan foreign ministers’ strategic dialogue", False, "co-chair"),
    ("part_of", "National Cyber Crimes Investigation Agency", "Pakistan", False, None),
    ("part_of", "China-Pakistan Economic Corridor", "Belt and Road Initiative", False, None),
    ("connects", "China-Pakistan Economic Corridor", "Xinjiang", False, None),
    ("connects", "China-Pakistan Economic Corridor", "Gwadar port", False, None),
    ("located_in", "Xinjiang", "China", False, None),
    ("located_in", "Gwadar port", "Pakistan", False, None),
    ("cooperates_with", "Pakistan", "China", False, ("diplomatic", "security", "trade")),
    ("cooperates_with", "Islamabad", "Beijing", False, ("sister-city",)),
    # Optional: leaving it out is an accepted alternative (DECISIONS.md item 10, ADJUDICATION.md).
    ("protects", "Pakistan", "joint development projects", True, None),
}


# The accepted alternatives, each decided in DECISIONS.md with its reason: only the optional
# relation (the general rules decide every other doubtful case).
def test_accepted_alternatives() -> None:
    assert [e.name for e in GOLD.entities if e.alternative_types] == []
    assert [m.text for e in GOLD.entities for m in e.mentions if m.alternatives] == []
    relations = {(r.type, NAMES[r.head], NAMES[r.tail]): (r.alternative_types, r.optional) for r in GOLD.relations}
    assert {k: v for k, v in relations.items() if v != ((), False)} == {
        ("protects", "Pakistan", "joint development projects"): ((), True),
    }


def test_decided_relations() -> None:
    actual = {
        (
            r.type,
            NAMES[r.head],
            NAMES[r.tail],
            r.inferred,
            r.qualifiers.role or (tuple(sorted(r.qualifiers.domain)) or None),
        )
        for r in GOLD.relations
    }
    assert actual == RELATIONS


def test_official_of_nationality_adjective_points_to_the_country() -> None:
    for relation in GOLD.relations:
        if relation.type == "official_of":
            assert GOLD.entity(relation.tail).type == "GPE"


def test_symmetric_heads_are_mentioned_first() -> None:
    for relation in GOLD.relations:
        if relation.type in symmetric_relation_types():
            assert GOLD.entity(relation.head).mentions[0].start < GOLD.entity(relation.tail).mentions[0].start


def test_cooperation_evidence_is_one_span_in_each_of_seven_sentences() -> None:
    cooperation = next(r for r in GOLD.relations if r.type == "cooperates_with" and NAMES[r.head] == "Pakistan")
    assert len(cooperation.evidence) == 7
    sentence_ends = [i for i, char in enumerate(GOLD.text) if char in ".\n"]
    sentences = {next(end for end in sentence_ends if end >= span.end) for span in cooperation.evidence}
    assert len(sentences) == 7


# DECISIONS.md items 7, 13-15: (span text, kind, value, unit, approximate, subject name, property, time)
NUMERIC_FACTS = [
    ("two", "cardinal", 2.0, None, False, None, "count", None),
    ("seventh", "ordinal", 7.0, None, False, "China-Pakistan foreign ministers’ strategic dialogue", "round", None),
    ("$64 billion", "money", 64_000_000_000.0, "USD", False, "China-Pakistan Economic Corridor", "value", None),
    ("75th", "ordinal", 75.0, None, False, None, "anniversary", "This year"),
    ("two", "cardinal", 2.0, None, False, None, "count", None),
    ("$23 billion", "money", 23_000_000_000.0, "USD", True, None, "trade_volume", "currently"),
]


def test_decided_numeric_facts() -> None:
    actual = [
        (f.mention.text, f.kind, f.value, f.unit, f.approximate, f.subject and NAMES[f.subject], f.property, f.time)
        for f in GOLD.numeric_facts
    ]
    assert actual == NUMERIC_FACTS


def test_hedge_word_stays_outside_the_span() -> None:
    trade = next(f for f in GOLD.numeric_facts if f.approximate)
    assert GOLD.text[: trade.mention.start].endswith("around ")


def test_decided_time_expressions() -> None:
    assert [(t.span.text, t.type) for t in GOLD.time_expressions] == [
        ("Tuesday", "DATE"),
        ("last week", "DATE"),
        ("This year", "DATE"),
        ("currently", "DATE"),
    ]


def test_verified_links_only() -> None:
    links = {e.name: e.wikidata for e in GOLD.entities if e.wikidata}
    assert links == {"Pakistan": "Q843", "China": "Q148", "Beijing": "Q956", "Islamabad": "Q1362"}
