"""The entity-level view: which gold entity a predicted entity names, whatever its form.

Hand-checked against the bundled article: its gold has "China-Pakistan Economic Corridor"
(FAC), "Gwadar port" (FAC), "Chinese nationals" (NORP) and "China-Pakistan foreign
ministers' strategic dialogue" (EVENT); a word of those names is not those entities.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from conftest import GOLD_FILE
from factgold.run.evaluation import evaluate

GOLD: dict[str, Any] = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
DOC_ID: str = GOLD["id"]
TEXT: str = GOLD["text"]


def _level(entities: list[dict[str, Any]]) -> dict[str, Any]:
    report = evaluate([{"id": DOC_ID, "entities": entities}]).to_dict()
    level: dict[str, Any] = report["scores"]["entities"]["entity_level"]
    level["items"] = sorted(
        (e["category"], e["gold"]["text"] if e["gold"] else None, e["predicted"]["text"] if e["predicted"] else None)
        for e in report["errors"]
        if e["task"] == "entity_level" and e["category"] != "missed"
    )
    return level


def _span(text: str, occurrence: int = 0) -> dict[str, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    return {"start": start, "end": start + len(text)}


@pytest.mark.parametrize(
    ("fragment", "label"),
    [("port", "FAC"), ("nationals", "NORP"), ("dialogue", "EVENT"), ("Economic", "FAC")],
)
def test_a_word_of_a_longer_name_is_not_that_entity(fragment: str, label: str) -> None:
    # Found only inside a gold mention of which it is a minority of the words: it names no entity.
    for entities in ([{"name": fragment, "type": label}], [{"type": label, "mentions": [_span(fragment)]}]):
        level = _level(entities)
        assert (level["typed"]["tp"], level["untyped"]["tp"], level["typed"]["fp"]) == (0, 0, 1)
        assert level["items"] == [("spurious", None, fragment)]


def test_pakistan_typed_as_a_facility_is_pakistan_with_the_wrong_type() -> None:
    # "Pakistan" also occurs inside "China-Pakistan Economic Corridor" (FAC): a FAC label must
    # not buy it the corridor. Given by name, by a span on its own or by a span inside the
    # corridor's name, it is Pakistan with a type error.
    inside = TEXT.index("China-Pakistan Economic Corridor") + len("China-")
    forms: list[list[dict[str, Any]]] = [
        [{"name": "Pakistan", "type": "FAC"}],
        [{"type": "FAC", "mentions": [_span("Pakistan")]}],
        [{"type": "FAC", "mentions": [{"start": inside, "end": inside + len("Pakistan")}]}],
    ]
    levels = [_level(entities) for entities in forms]
    for level in levels:
        assert (level["typed"]["tp"], level["untyped"]["tp"]) == (0, 1)
        assert [(category, gold) for category, gold, _ in level["items"]] == [("type", "Pakistan")]


def test_a_span_that_covers_most_of_a_mention_names_it() -> None:
    # Boundary errors keep their entity: a title before a name, an article before a noun phrase.
    level = _level(
        [
            {"type": "PERSON", "mentions": [_span("Interior Minister Mohsin Naqvi")]},
            {"type": "NORP", "mentions": [_span("Chinese nationals")]},
        ]
    )
    assert (level["typed"]["tp"], level["typed"]["fp"]) == (2, 0)


def test_a_minority_of_places_does_not_link() -> None:
    # A cluster of eight "Pakistan" mentions and one "Islamabad" mention names Pakistan only:
    # with Pakistan taken by a better candidate, it cannot take Islamabad.
    pakistan = [_span("Pakistan", i) for i in range(8)]
    level = _level(
        [
            {"name": "Pakistan", "type": "GPE"},
            {"type": "GPE", "mentions": [*pakistan, _span("Islamabad")], "score": 0.1},
        ]
    )
    assert (level["typed"]["tp"], level["typed"]["fp"]) == (1, 0)
    assert ("correct", "Islamabad", "Pakistan") not in level["items"]


def test_which_copy_is_kept_does_not_depend_on_the_order_of_the_input() -> None:
    copies: list[dict[str, Any]] = [
        {"name": "Naqvi", "type": "PERSON"},
        {"name": "Mohsin Naqvi", "type": "PERSON"},
        {"type": "PERSON", "mentions": [_span("Naqvi", 1)]},
        {"type": "PERSON", "mentions": [{"text": "Mohsin Naqvi"}, {"text": "He", "kind": "pronoun"}]},
    ]
    levels = [_level(list(order)) for order in itertools.permutations(copies)]
    assert all(level == levels[0] for level in levels)
    assert levels[0]["items"].count(("correct", "Mohsin Naqvi", "Mohsin Naqvi")) == 1
    assert [category for category, _, _ in levels[0]["items"]].count("duplicate") == 3


def test_the_kept_copy_is_the_same_whatever_the_order_even_in_how_it_was_found() -> None:
    # A name and a span of the same place tie on everything but how they were found.
    start = TEXT.index("Gwadar")
    forms = [{"name": "Gwadar", "type": "GPE"}, {"type": "GPE", "mentions": [{"start": start, "end": start + 6}]}]
    first = evaluate([{"id": DOC_ID, "entities": forms}]).to_dict()
    second = evaluate([{"id": DOC_ID, "entities": forms[::-1]}]).to_dict()
    assert first == second


def test_untyped_a_wrong_type_copy_is_the_same_entity() -> None:
    # Adding the right-typed copy of a wrong-typed entity raises typed F1 and leaves untyped F1 as it was.
    wrong = [{"name": "Mohsin Naqvi", "type": "ORG"}]
    both = [*wrong, {"name": "Mohsin Naqvi", "type": "PERSON"}]
    before, after = _level(wrong), _level(both)
    assert after["typed"]["f1"] > before["typed"]["f1"]
    assert after["untyped"] == before["untyped"]
