"""Hypothesis properties of the scorer: bounds, order independence, additivity, monotonicity."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import GOLD_FILE
from factgold.read.validate import load_gold
from factgold.run.evaluation import evaluate
from factgold.score.counts import PRF, SchemeCounts

GOLD: dict[str, Any] = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
TEXT: str = GOLD["text"]
DOC_ID: str = GOLD["id"]
ENTITY_TYPES = ["PERSON", "GPE", "ORG", "NORP", "FAC", "EVENT", "PER"]
RELATION_TYPES = ["met_with", "visited", "official_of", "located_in", "knows"]
GOLD_NAME_SPANS = [(m["start"], m["end"]) for e in GOLD["entities"] for m in e["mentions"]]


@st.composite
def spans(draw: st.DrawFn) -> dict[str, int]:
    # Half the time near a gold mention, so that the interesting categories come up.
    if draw(st.booleans()):
        start, end = draw(st.sampled_from(GOLD_NAME_SPANS))
        start = max(0, start + draw(st.integers(-3, 3)))
        end = min(len(TEXT), max(start + 1, end + draw(st.integers(-3, 3))))
    else:
        start = draw(st.integers(0, len(TEXT) - 2))
        end = draw(st.integers(start + 1, min(len(TEXT), start + 30)))
    return {"start": start, "end": end}


@st.composite
def predictions(draw: st.DrawFn) -> dict[str, Any]:
    entities = []
    for index in range(draw(st.integers(0, 12))):
        mentions = draw(st.lists(spans(), min_size=1, max_size=3))
        entities.append({"id": f"p{index}", "type": draw(st.sampled_from(ENTITY_TYPES)), "mentions": mentions})
    ids = [e["id"] for e in entities]
    relations = []
    if ids:
        for _ in range(draw(st.integers(0, 8))):
            relations.append(
                {
                    "type": draw(st.sampled_from(RELATION_TYPES)),
                    "head": draw(st.sampled_from(ids)),
                    "tail": draw(st.one_of(st.sampled_from(ids), spans())),
                }
            )
    facts = []
    for _ in range(draw(st.integers(0, 6))):
        fact: dict[str, Any] = {"value": draw(st.sampled_from([2.0, 7.0, 75.0, 64e9, 64e6, 23e9, 5.0]))}
        if draw(st.booleans()):
            fact["mention"] = draw(spans())
        if draw(st.booleans()):
            fact["unit"] = draw(st.sampled_from(["USD", None, "EUR"]))
        facts.append(fact)
    return {"id": DOC_ID, "entities": entities, "relations": relations, "numeric_facts": facts}


def _all_scores(report: dict[str, Any]) -> list[float]:
    found: list[float] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif key in ("precision", "recall", "f1", "conll_f1", "score") and node is not None:
            found.append(node)

    walk(report["scores"])
    walk(report["headline"])
    return found


PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(predictions(), st.sampled_from(["names", "all"]))
def test_scores_are_in_the_unit_interval(prediction: dict[str, Any], mode: str) -> None:
    report = evaluate([prediction], mentions=mode).to_dict()
    assert all(0.0 <= value <= 1.0 for value in _all_scores(report))


def _shuffled(prediction: dict[str, Any], seed: int) -> dict[str, Any]:
    shuffled = copy.deepcopy(prediction)
    rng = random.Random(seed)
    for layer in ("entities", "relations", "numeric_facts"):
        rng.shuffle(shuffled[layer])
    for entity in shuffled["entities"]:
        rng.shuffle(entity["mentions"])
    return shuffled


@PROPERTY_SETTINGS
@given(predictions(), st.integers(0, 2**32 - 1))
def test_input_order_never_changes_the_report(prediction: dict[str, Any], seed: int) -> None:
    first = evaluate([prediction], mentions="all").to_dict()
    second = evaluate([_shuffled(prediction, seed)], mentions="all").to_dict()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


@PROPERTY_SETTINGS
@given(predictions())
def test_per_type_counts_sum_to_overall(prediction: dict[str, Any]) -> None:
    total = evaluate([prediction]).total
    for scheme, overall in total.mentions.items():
        summed = sum((by[scheme] for by in total.mentions_by_type.values()), SchemeCounts())
        # Per type as SemEval and nervaluate: gold items under their type, predictions under theirs.
        assert (summed.possible, summed.actual) == (overall.possible, overall.actual)
        # (Credit may differ: each type is aligned among its own mentions, as nervaluate does,
        # so a prediction can be credited within its type and not in the overall alignment.)
    assert sum(total.relations_by_type.values(), PRF()) == total.relations_strict
    assert sum(total.numeric_by_kind.values(), PRF()) == total.numeric["value"]


def _free_span() -> dict[str, int]:
    """A span that overlaps no gold mention: the word "revealed"."""
    start = TEXT.index("revealed")
    return {"start": start, "end": start + len("revealed")}


@PROPERTY_SETTINGS
@given(predictions(), st.sampled_from(ENTITY_TYPES))
def test_a_spurious_mention_never_raises_precision(prediction: dict[str, Any], entity_type: str) -> None:
    before = evaluate([prediction]).total.mentions
    extended = copy.deepcopy(prediction)
    extended["entities"].append({"type": entity_type, "mentions": [_free_span()]})
    after = evaluate([extended]).total.mentions
    for scheme in before:
        assert after[scheme].precision <= before[scheme].precision
        assert after[scheme].recall == before[scheme].recall


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(predictions(), predictions())
def test_document_counts_merge_like_shards(
    tmp_path_factory: Any, first: dict[str, Any], second: dict[str, Any]
) -> None:
    # A two-document gold (the seed under two ids): the whole equals the sum of its shards.
    folder = tmp_path_factory.mktemp("shards")
    gold_a, gold_b = copy.deepcopy(GOLD), copy.deepcopy(GOLD)
    gold_b["id"] = "copy"
    whole_gold = folder / "whole.jsonl"
    whole_gold.write_text(json.dumps(gold_a) + "\n" + json.dumps(gold_b) + "\n", encoding="utf-8")
    (folder / "a.jsonl").write_text(json.dumps(gold_a) + "\n", encoding="utf-8")
    (folder / "b.jsonl").write_text(json.dumps(gold_b) + "\n", encoding="utf-8")
    second = {**second, "id": "copy"}
    whole = evaluate([first, second], gold=whole_gold).total
    shard_a = evaluate([first], gold=folder / "a.jsonl").total
    shard_b = evaluate([second], gold=folder / "b.jsonl").total
    merged = shard_a + shard_b
    assert merged.mentions == whole.mentions
    assert merged.relations_strict == whole.relations_strict
    assert merged.numeric == whole.numeric
    assert merged.coreference == whole.coreference
    assert load_gold(whole_gold)[1].id == "copy"
