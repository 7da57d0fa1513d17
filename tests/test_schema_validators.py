"""The native schema check (jsonschema_rs) and the explaining one (jsonschema) agree.

Valid input is checked only natively; an invalid document is explained by jsonschema. So
the two must agree on what is valid: on the bad-input corpus, on the gold, and on
documents mutated the ways extractors and careless scripts get them wrong (a boolean or a
float where an integer belongs, a missing or unknown key, a wrong type of value).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from conftest import GOLD_FILE, REPO
from factgold.read.schema import load_schema, validator

SCHEMAS = ("document.schema.json", "predictions.schema.json")
GOLD: dict[str, Any] = json.loads(GOLD_FILE.read_text(encoding="utf-8"))


def _agree(name: str, instance: Any) -> None:
    explained = [e.message for e in Draft202012Validator(load_schema(name)).iter_errors(instance)]
    # What the native check lets through, jsonschema would too (it is never asked about it):
    if validator(name).is_valid(instance):
        assert explained == [], name
    # and the verdict and its words are jsonschema's. (The native check may be stricter than
    # jsonschema, as for an infinity, which no JSON reader of factgold lets through; then
    # jsonschema's verdict stands.)
    assert [e.message for e in validator(name).iter_errors(instance)] == explained


def _values_of_the_bad_corpus() -> list[Any]:
    values = []
    for path in sorted((REPO / "tests" / "data" / "bad").iterdir()):
        if path.name == "expected.json":
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for line in [text, *text.splitlines()]:
            try:
                values.append(json.loads(line))
            except (ValueError, RecursionError):  # not JSON, or nested past what Python parses
                continue
    return values


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_validators_agree_on_the_bad_input_corpus_and_the_gold(name: str) -> None:
    values = _values_of_the_bad_corpus()
    assert len(values) > 40
    for value in [*values, GOLD]:
        for candidate in value if isinstance(value, list) else [value]:
            _agree(name, candidate)


_REPLACEMENTS: st.SearchStrategy[Any] = st.sampled_from(
    [True, False, 1.0, 2.5, -1, 0, "x", "", None, [], {}, {"start": 0}, 10**20]
)


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    # Each replacement copied: `sampled_from` gives the same list and dict objects every
    # time, and a later mutation inside one of them changed what the strategy draws next (a
    # flaky strategy, which Hypothesis refuses when it replays an example).
    def replacement() -> Any:
        return copy.deepcopy(draw(_REPLACEMENTS))

    document = copy.deepcopy(GOLD)
    for _ in range(draw(st.integers(1, 3))):
        node: Any = document
        while isinstance(node, dict | list) and node and draw(st.booleans()):
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            child = node[draw(st.sampled_from(keys))]
            if not isinstance(child, dict | list) or not child:
                break
            node = child
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                node[key] = replacement()
            elif action == "delete":
                del node[key]
            else:
                node["unexpected"] = replacement()
        elif isinstance(node, list) and node:
            node[draw(st.integers(0, len(node) - 1))] = replacement()
    return document


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), st.sampled_from(SCHEMAS))
def test_the_validators_agree_on_mutated_documents(document: Any, name: str) -> None:
    _agree(name, document)


def test_a_lone_surrogate_is_judged_not_raised() -> None:
    # Python strings may hold lone surrogates (JSON text from a file never does); the native
    # validator cannot take them, so the Python one decides.
    from factgold.read.schema import validator

    assert validator().is_valid({"id": "\udc00"}) is False
