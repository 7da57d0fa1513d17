"""The fast paths of scoring and reporting give what the general paths give.

Each shortcut taken for speed (no alignment solved when no mention overlaps two, counts summed
as plain numbers, a span's natural order taken without the repr pass, error items written
from a template, a strict JSON parse without per-number hooks, orjson's parse where it is
shown equal to the strict one) is held here to the general
code it stands in for, on random input.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from contextlib import suppress
from functools import reduce
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from factgold.present.render import report_json
from factgold.read.jsonl import _RejectedValue, _unique_keys, parse_json
from factgold.run.evaluation import bundled_gold, evaluate
from factgold.score.coref import _mention_ranks, canonical_clusters
from factgold.score.counts import SchemeCounts
from factgold.score.document_scores import DocumentScores
from factgold.score.items import ErrorItem, ItemRef
from factgold.score.mentions import (
    _OUTCOMES,
    SCHEMES,
    MentionItem,
    _counts_of,
    score_mentions,
    score_mentions_aligned,
)

TYPES = ("PERSON", "ORG", "GPE")


@st.composite
def mention_items(draw: Any, entity_prefix: str) -> list[MentionItem]:
    """Mentions on a short text, so that overlaps, nesting and exact copies are common."""
    items = []
    for index in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, 20))
        end = draw(st.integers(start + 1, start + 6))
        score = draw(st.none() | st.sampled_from([0.25, 0.5, 0.9]))
        items.append(
            MentionItem(
                start, end, draw(st.sampled_from(TYPES)), f"t{start}-{end}", "name", f"{entity_prefix}{index}", score
            )
        )
    return items


@settings(max_examples=400, deadline=None)
@given(mention_items("G"), mention_items("P"))
def test_score_mentions_fast_path_equals_the_general_alignment(
    gold: list[MentionItem], predicted: list[MentionItem]
) -> None:
    fast = score_mentions("doc", gold, predicted)
    general = score_mentions_aligned("doc", gold, predicted)
    assert fast == general
    assert fast.errors == general.errors  # order included: the report's ties keep it


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(list(_OUTCOMES)), st.integers(0, 5)))
def test_scheme_sums_are_the_outcome_table(tally: dict[str, int]) -> None:
    expected = {}
    for index, scheme in enumerate(SCHEMES):
        outcomes: Counter[str] = Counter()
        for category, number in tally.items():
            outcomes[_OUTCOMES[category][index]] += number
        expected[scheme] = SchemeCounts(
            *(outcomes[o] for o in ("correct", "incorrect", "partial", "missed", "spurious"))
        )
    assert _counts_of(tally) == expected


def _ranks_by_repr_pass(mentions: list[Any]) -> dict[Any, int]:
    """The ranking as it was computed before the natural-order shortcut."""
    ordered = sorted(set(mentions), key=lambda m: (type(m).__module__, type(m).__qualname__, repr(m)))
    with suppress(TypeError):
        ordered = sorted(ordered)
    return {mention: rank for rank, mention in enumerate(ordered)}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=12)
    | st.lists(st.frozensets(st.integers(0, 3), max_size=3), max_size=6)
    | st.lists(st.one_of(st.integers(0, 5), st.text(max_size=2)), max_size=6)
)
def test_mention_ranks_equal_the_repr_pass(mentions: list[Any]) -> None:
    assert _mention_ranks(mentions) == _ranks_by_repr_pass(mentions)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.frozensets(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=4), max_size=6))
def test_canonical_clusters_of_disjoint_and_overlapping_clusters(clusters: list[frozenset[tuple[int, int]]]) -> None:
    # The general rule: keep each mention in the first cluster (canonical order) that has it.
    given_ = {c for c in clusters if c}
    rank = _ranks_by_repr_pass([m for c in given_ for m in c])

    def order(cluster: frozenset[tuple[int, int]]) -> list[int]:
        return sorted(rank[m] for m in cluster)

    seen: set[tuple[int, int]] = set()
    expected = []
    for cluster in sorted(given_, key=order):
        if cluster - seen:
            expected.append(cluster - seen)
            seen |= cluster
    assert canonical_clusters(clusters) == sorted(expected, key=order)


def test_summed_equals_adding_one_by_one(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "eval"))
    from benchmarks.files import write
    from factgold.baselines import rules, simple

    gold, predictions = write(tmp_path, 300, 20, seed=5)
    parts = list(evaluate(predictions, gold=gold).per_document)
    # The bundled document scored by two baselines: relations, numeric facts and coreference too.
    for baseline in (simple, rules):
        documents = list(bundled_gold())
        predicted = [baseline.predict(doc.id, doc.text) for doc in documents]
        parts += evaluate(predicted, documents, mentions="all").per_document
    assert len(parts) > 10
    added = reduce(DocumentScores.__add__, parts, DocumentScores((), frozenset()))
    summed = DocumentScores.summed(parts)
    assert summed == added
    # Count objects and their keys alike, in the same order where the order is kept.
    for name in ("type_pairs", "predicted_labels", "error_counts", "numeric_predicted_attributes"):
        assert list(getattr(summed, name).items()) == list(getattr(added, name).items())
    assert list(summed.mentions_by_type) == list(added.mentions_by_type)
    assert {k: v.to_dict() for k, v in summed.coreference.items()} == {
        k: v.to_dict() for k, v in added.coreference.items()
    }


_ITEM_TEXT = st.text(alphabet=st.sampled_from('ab"\\{},:\n\x00\u2028é'), max_size=12)  # JSON's own characters
_ITEM_REFS = st.none() | st.builds(
    ItemRef, st.none() | st.integers(0, 99), st.none() | st.integers(0, 99), st.none() | _ITEM_TEXT, _ITEM_TEXT
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.builds(
            ErrorItem,
            _ITEM_TEXT,
            _ITEM_TEXT,
            _ITEM_TEXT,
            _ITEM_REFS,
            _ITEM_REFS,
            _ITEM_TEXT,
            st.none() | st.floats(allow_nan=False, allow_infinity=False),
            st.none() | st.sampled_from(["exact", "fuzzy"]),
        ),
        max_size=5,
    )
)
def test_a_report_of_error_items_is_the_json_of_their_dicts_one_item_a_line(items: list[ErrorItem]) -> None:
    from factgold.present import render

    with pytest.MonkeyPatch.context() as patch:  # batches of two: items on both sides of a batch's edge
        patch.setattr(render, "ITEMS_A_CALL", 2)
        in_batches = report_json({"a": [1.5, None], "errors": items})
    from_objects = report_json({"a": [1.5, None], "errors": items})
    assert in_batches == from_objects
    from_dicts = report_json({"a": [1.5, None], "errors": [item.to_dict() for item in items]})
    assert from_objects == from_dicts
    assert json.loads(from_objects) == {"a": [1.5, None], "errors": [item.to_dict() for item in items]}
    # Each item on a line of its own, however its strings look.
    lines = from_objects.split("\n")  # not splitlines(): a string may hold U+2028
    listed = lines[lines.index('  "errors": [') + 1 : -3] if items else []
    assert [json.loads(line.strip().rstrip(",")) for line in listed] == [item.to_dict() for item in items]
    # To the byte as orjson writes each item's dict (as the report's head is written), floats of
    # any size included.
    assert [line.strip().rstrip(",") for line in listed] == [orjson.dumps(item.to_dict()).decode() for item in items]


def test_items_given_subclassed_strings_and_numbers_are_written_as_their_values() -> None:
    # Through the Python API a label may come as numpy's string or another subclass of str;
    # orjson writes those as their values, and so must the report.
    import numpy

    class Label(str):
        pass

    class Offset(int):
        pass

    item = ErrorItem(
        "mentions", "type", "d", ItemRef(Offset(3), Offset(5), Label("Wang Yi"), numpy.str_("PERSON")), None, "", 3e21
    )
    expected = '{"task":"mentions","category":"type","document":"d","gold":{"start":3,"end":5,"text":"Wang Yi",'
    expected += '"label":"PERSON"},"predicted":null,"detail":"","score":3e+21,"grounded_by":null}'
    assert orjson.dumps(item.to_dict()).decode() == expected
    assert report_json({"errors": [item]}) == '{\n  "errors": [\n    ' + expected + "\n  ]\n}\n"
    assert report_json({"errors": [item.to_dict()]}) == report_json({"errors": [item]})


def test_a_report_is_written_with_its_items_one_a_line() -> None:
    report = {"a": {2: "number key"}, "errors": [{"task": "t", "b": "\u2028\x00é"}, {"task": "u"}]}
    assert report_json(report) == (
        '{\n  "a": {\n    "2": "number key"\n  },\n  "errors": [\n    {"task":"t","b":"\u2028\\u0000é"},\n'
        '    {"task":"u"}\n  ]\n}\n'
    )


def _strict_parse(source: str) -> Any:
    """The parse with every hook, as it was before the shortcut."""
    from factgold.read.jsonl import _check_strings, _parse_float, _parse_int, _reject_constant

    try:
        value = json.loads(
            source,
            parse_constant=_reject_constant,
            parse_float=_parse_float,
            parse_int=_parse_int,
            object_pairs_hook=_unique_keys,
        )
    except RecursionError:
        raise _RejectedValue("nested too deeply") from None
    _check_strings(value)
    return value


def _outcome(parse: Any, source: str) -> tuple[str, Any]:
    try:
        return "value", repr(parse(source))  # repr: 1 and 1.0, 0.0 and -0.0 differ
    except _RejectedValue as error:
        return "rejected", str(error)
    except json.JSONDecodeError as error:
        return "invalid", (error.msg, error.pos)


NUMBERS = st.sampled_from(
    [
        "1",
        "-0",
        "-0.0",
        "0.5",
        "1e5",
        "1e99",
        "9" * 250,
        "9" * 199 + "e99",
        "1e308",
        "1e309",
        "-1e999",
        "1E-400",
        "2.5e+07",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775809",
        "0.1234567890123456789",
        "1" * 18,
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                '{"a": ',
                '{"a": 1, "a": ',
                '{"a:": ',
                '{"a\\u003a": ',
                '"x:y"',
                '"\\u003A"',
                '"\\u003a:"',
                '"NaN"',
                "NaN",
                "-Infinity",
                "[",
                "]",
                ", ",
                "}",
                '"x"',
                "\ufeff",
                '"\\ud800"',
                '"\\ud83d\\ude00"',
                "[" * 600,
                "]" * 600,
                " ",
                "\n",
                "\t",
                "\x00",
            ]
        )
        | NUMBERS,
        max_size=8,
    )
)
def test_parse_json_equals_the_fully_hooked_parse(pieces: list[str]) -> None:
    source = "".join(pieces)
    assert _outcome(parse_json, source) == _outcome(_strict_parse, source)


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
        max_leaves=20,
    ),
    st.booleans(),
    st.booleans(),
)
def test_parse_json_reads_any_json_value_as_the_strict_parse_does(value: Any, indent: bool, repeat: bool) -> None:
    source = json.dumps(value, ensure_ascii=indent, indent=2 if indent else None)
    if repeat and isinstance(value, dict) and value:  # the first key written twice
        source = "{" + json.dumps(next(iter(value))) + ": 0, " + source.lstrip("{")
    assert _outcome(parse_json, source) == _outcome(_strict_parse, source)


def test_the_native_parse_reads_a_usual_document_and_finds_a_duplicate_behind_colons() -> None:
    from factgold.read.jsonl import _NOT_SHOWN, ORJSON_WRITE_DEPTH, _native_parse

    line = '{"id": "d1", "text": "at 10:30: a:b", "entities": [{"type": "ORG", "mentions": [{"start": 0, "end": 2}]}]}'
    assert _native_parse(line) == json.loads(line)  # the usual line takes the native path
    wide = json.dumps({"entities": [{"mentions": [{"start": i}]} for i in range(2000)]})
    assert _native_parse(wide) == json.loads(wide)  # thousands of brackets, three deep
    deep = "[" * 600 + "]" * 600
    assert _native_parse(deep) is _NOT_SHOWN
    assert parse_json(deep) == json.loads(deep)
    # Deep nesting is found by orjson refusing to write it, not by a walk of every value.
    limit = ORJSON_WRITE_DEPTH
    assert _native_parse("[" * (limit - 1) + "]" * (limit - 1)) == json.loads("[" * (limit - 1) + "]" * (limit - 1))
    assert _native_parse("[" * limit + "]" * limit) is _NOT_SHOWN
    with pytest.raises(orjson.JSONEncodeError):
        orjson.dumps(json.loads("[" * limit + "]" * limit))
    hidden = '{"id": "d1", "text": "a:b", "id": "d2"}'  # a duplicate beside colons in strings
    assert _native_parse(hidden) is _NOT_SHOWN
    with pytest.raises(_RejectedValue, match="duplicate key 'id'"):
        parse_json(hidden)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 5)), max_size=4), max_size=5))
def test_grounding_entities_with_spans_only_keeps_what_the_general_loop_builds(
    entity_spans: list[list[tuple[int, int]]],
) -> None:
    from dataclasses import replace

    from factgold.read.document import Document
    from factgold.read.predictions import PredictedEntity, PredictedMention, PredictedSpan
    from factgold.score.per_document import ground_entities
    from factgold.score.resolve import EntityResolver

    doc = Document("d", "t", "x" * 40, "s", "en", (), (), (), ())
    entities = tuple(
        PredictedEntity(i, None, "ORG", tuple(PredictedMention(PredictedSpan(s, s + n)) for s, n in spans))
        for i, spans in enumerate(entity_spans)
    )
    grounded, hallucinated = ground_entities(doc, entities, EntityResolver.for_document(doc), require_grounding=False)
    assert hallucinated == []
    for entity, result in zip(entities, grounded, strict=True):
        first: dict[PredictedSpan, PredictedMention] = {}
        for mention in entity.mentions:
            assert isinstance(mention.anchor, PredictedSpan)
            first.setdefault(mention.anchor, mention)
        assert result == replace(entity, mentions=tuple(first[span] for span in sorted(first)))


# --- Flat NER: singleton clusters, one-span candidates, and counts without error items ---------

WORDS = " ".join(f"w{index}" for index in range(12))  # "w0 w1 ... w11": spans on and off word edges


@st.composite
def flat_or_not(draw: Any, entity_prefix: str) -> list[MentionItem]:
    """Mentions of a view, mostly one an entity (flat NER), sometimes two in one entity, and
    sometimes a span repeated: the cases the singleton shortcut must leave to the general code."""
    items = []
    for index in range(draw(st.integers(0, 7))):
        start = draw(st.integers(0, len(WORDS) - 1))
        end = draw(st.integers(start + 1, min(len(WORDS), start + 8)))
        entity = f"{entity_prefix}{draw(st.integers(0, 9)) if draw(st.integers(0, 4)) == 0 else index}"
        grounded_by = draw(st.sampled_from([None, None, "exact", "fuzzy"]))
        items.append(
            MentionItem(start, end, draw(st.sampled_from(TYPES)), WORDS[start:end], "name", entity, None, grounded_by)
        )
    if items and draw(st.booleans()) and draw(st.booleans()):  # a span given twice
        copy = items[0]
        items.append(MentionItem(copy.start, copy.end, copy.type, copy.text, "name", f"{entity_prefix}x", None))
    return items


def _gold_document(gold: list[MentionItem]) -> Any:
    from factgold.read.document import Document, EntityCluster, Mention, Span

    entities: dict[str, list[MentionItem]] = {}
    for item in gold:
        entities.setdefault(item.entity, []).append(item)
    return Document(
        "d", "t", WORDS, "s", "en",
        tuple(
            EntityCluster(entity, items[0].type, items[0].text, tuple(Mention(Span(m.start, m.end, m.text), "name") for m in items))
            for entity, items in entities.items()
        ),
        (), (), (),
    )  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(flat_or_not("G"), flat_or_not("P"), st.booleans())
def test_singleton_clusters_score_as_the_general_cluster_view(
    gold: list[MentionItem], predicted: list[MentionItem], with_items: bool
) -> None:
    from factgold.score.clusters import score_clusters, score_clusters_general

    # A gold entity has one type, as in a document: its mentions take the first one's.
    types: dict[str, str] = {}
    gold = [replace_type(m, types.setdefault(m.entity, m.type)) for m in gold]
    doc = _gold_document(gold)
    aligned = score_mentions("d", gold, predicted).aligned
    fast = score_clusters(doc, gold, predicted, aligned, with_items=with_items)
    general = score_clusters_general(doc, gold, predicted, aligned, with_items=True)
    assert (fast.clusters, fast.coreference, fast.notes) == (general.clusters, general.coreference, general.notes)
    assert {k: v.to_dict() for k, v in fast.coreference.items()} == {
        k: v.to_dict() for k, v in general.coreference.items()
    }
    # Each item's category counted in item order, whether or not the items are built.
    assert list(fast.categories.items()) == list(Counter(e.category for e in general.errors).items())
    assert fast.errors == (general.errors if with_items else [])


def replace_type(item: MentionItem, label: str) -> MentionItem:
    from dataclasses import replace

    return replace(item, type=label)


@settings(max_examples=300, deadline=None)
@given(
    st.sets(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=8),
    st.sets(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=8),
)
def test_singleton_coreference_counts_are_the_conll_metrics(
    key: set[tuple[int, int]], response: set[tuple[int, int]]
) -> None:
    from factgold.score.coref import coreference_counts, singleton_coreference_counts

    fast = singleton_coreference_counts(set(key), set(response))
    general = coreference_counts([frozenset({m}) for m in key], [frozenset({m}) for m in response])
    assert fast == general
    for name in fast:  # the same numbers, and the same kind of number (an empty CEAF-e sum is int 0)
        assert [type(getattr(fast[name], f)) for f in ("recall_num", "precision_num")] == [
            type(getattr(general[name], f)) for f in ("recall_num", "precision_num")
        ]


@st.composite
def predicted_entity(draw: Any, index: int) -> Any:
    """A predicted entity of any shape: one span (flat NER, with or without a name, of any
    kind), several spans, repeated spans, text mentions found and not, a name alone."""
    from factgold.read.predictions import PredictedEntity, PredictedMention, PredictedSpan, PredictedText

    mentions = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.integers(0, 3)):
            start = draw(st.integers(0, len(WORDS) - 1))
            anchor: Any = PredictedSpan(start, draw(st.integers(start + 1, min(len(WORDS), start + 8))))
        else:
            anchor = PredictedText(draw(st.sampled_from(["w3", "w4 w5", "w7’s", "Atlantis", "w1O"])))
        kind = draw(st.sampled_from([None, "name", "nominal", "pronoun"]))
        mentions.append(PredictedMention(anchor, kind, draw(st.none() | st.sampled_from([0.5, 0.9]))))
    name = draw(st.none() | st.sampled_from(["", "w2", "w8 w9", "Nowhere"]))
    if not mentions and not name:
        name = "w2"
    score = draw(st.none() | st.sampled_from([0.25, 0.75]))
    return PredictedEntity(index, None, draw(st.sampled_from(TYPES)), tuple(mentions), name, score)


@st.composite
def predicted_entities(draw: Any) -> list[Any]:
    """Predicted entities of every shape (`predicted_entity`)."""
    return [draw(predicted_entity(index)) for index in range(draw(st.integers(0, 6)))]


@st.composite
def gold_documents(draw: Any) -> Any:
    from factgold.read.document import Document, EntityCluster, Mention, Span

    spans = sorted(draw(st.sets(st.tuples(st.integers(0, len(WORDS) - 1), st.integers(1, 8)), max_size=7)))
    entities = []
    for index, (start, length) in enumerate(spans):
        end = min(len(WORDS), start + length)
        text = WORDS[start:end]
        kind = draw(st.sampled_from(["name", "name", "nominal"]))
        entities.append(
            EntityCluster(f"E{index}", draw(st.sampled_from(TYPES)), text, (Mention(Span(start, end, text), kind),))
        )
    if len(entities) > 1 and draw(st.booleans()):  # one entity of two mentions: no longer flat
        first, second = entities[0], entities.pop(1)
        entities[0] = EntityCluster(
            first.id,
            first.type,
            first.name,
            tuple(sorted(first.mentions + second.mentions, key=lambda m: (m.start, m.end))),
        )
    return Document("d", "t", WORDS, "s", "en", tuple(entities), (), (), ())


@settings(max_examples=300, deadline=None)
@given(predicted_entities())
def test_one_span_candidates_are_the_general_candidates(entities: list[Any]) -> None:
    from factgold.read.document import Document
    from factgold.score.entity_level import _any_candidate, _candidate
    from factgold.score.per_document import ground_entities
    from factgold.score.resolve import EntityResolver

    doc = Document("d", "t", WORDS, "s", "en", (), (), (), ())
    resolver = EntityResolver.for_document(doc)
    grounded, _ = ground_entities(doc, entities, resolver, require_grounding=False)
    for entity, with_spans in zip(entities, grounded, strict=True):
        assert _candidate(entity, with_spans, resolver) == _any_candidate(entity, with_spans, resolver)


@settings(max_examples=300, deadline=None)
@given(gold_documents(), predicted_entities(), st.sampled_from(["names", "all"]))
def test_a_document_scored_without_error_items_counts_them_all(doc: Any, entities: list[Any], mentions: Any) -> None:
    from dataclasses import replace

    from factgold.read.predictions import PredictedDocument
    from factgold.score.config import EvalConfig
    from factgold.score.per_document import score_document

    predicted = PredictedDocument("d", tuple(entities), (), ())
    config = EvalConfig(mentions=mentions)
    tasks = frozenset(config.tasks)
    listed = score_document(doc, predicted, config, tasks)
    counted = score_document(doc, predicted, replace(config, errors="none"), tasks)
    # With every item listed, the counts are those of the items, in the items' order.
    assert list(listed.error_counts.items()) == list(Counter((e.task, e.category) for e in listed.errors).items())
    # Without items, every count is the same.
    assert counted == replace(listed, errors=())
    assert list(counted.error_counts.items()) == list(listed.error_counts.items())


_VALUES = st.sampled_from(
    [0.0, 2.0, -2.0, 64.0, 64e3, 64e6, 64e9, 64.00001, 63.99999, 999.9999, 1000.0, 1000.0001, 1e-3]
)


@given(
    gold_values=st.lists(st.tuples(_VALUES, st.integers(0, 40), st.integers(1, 6)), max_size=8),
    predicted=st.lists(
        st.tuples(
            st.one_of(st.none(), _VALUES),
            st.one_of(st.none(), st.lists(st.tuples(st.integers(0, 44), st.integers(0, 6)), max_size=2)),
        ),
        max_size=8,
    ),
    rtol=st.sampled_from([0.0, 1e-6, 1e-3, 0.1, 0.5]),
)
@settings(max_examples=300, deadline=None)
def test_numeric_candidate_pairs_hold_every_pair_the_weight_can_score(
    gold_values: list[tuple[float, int, int]], predicted: list[tuple[float | None, list[tuple[int, int]] | None]],
    rtol: float,
) -> None:  # fmt: skip
    # The numeric alignment forms only these pairs: every pair left out must weigh 0 (a
    # placed fact at no place of the gold fact; a fact without a place whose value is neither
    # right nor off by a power of 1000).
    from factgold.read.document import NumericFact, Span
    from factgold.read.predictions import PredictedFact
    from factgold.score.numeric import candidate_pairs, fact_category

    golds = [
        NumericFact(f"N{i}", Span(start, start + size, "x" * size), "cardinal", value, None, False, None, "", "other",
                    None)
        for i, (value, start, size) in enumerate(gold_values)
    ]  # fmt: skip
    facts = [PredictedFact(i, None, value, None, None, False, None) for i, (value, _) in enumerate(predicted)]
    located_at = [None if places is None else [(s, s + n) for s, n in places] for _, places in predicted]
    found = set(candidate_pairs(golds, facts, located_at, rtol))
    for g, gold_fact in enumerate(golds):
        for p, fact in enumerate(facts):
            places = located_at[p]
            if places is not None:
                scorable = any(s < gold_fact.mention.end and gold_fact.mention.start < e for s, e in places)
            else:
                scorable = fact.value is not None and fact_category(fact, gold_fact, rtol) in (
                    "correct",
                    "unit",
                    "scale",
                )
            if scorable:
                assert (g, p) in found, (gold_fact.value, fact.value, places, rtol)


def test_numeric_candidate_pairs_at_the_edge_of_the_tolerance() -> None:
    # A tolerance whose bucket width was exactly the tolerance: rounding put two values that
    # match within it two buckets apart, and the pair was never formed (a review's case).
    from factgold.read.document import NumericFact, Span
    from factgold.read.predictions import PredictedFact
    from factgold.score.numeric import candidate_pairs, fact_category

    gold = NumericFact("N1", Span(0, 2, "63"), "quantity", 63.0957344480193, None, False, None, "x", "p", None)
    fact = PredictedFact(0, None, 15.84893192461113, None, None, False, None)
    rtol = 0.748811356849042
    assert fact_category(fact, gold, rtol) == "correct"
    assert candidate_pairs([gold], [fact], [None], rtol) == [(0, 0)]


@settings(max_examples=400, deadline=None)
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.integers(min_value=2**63, max_value=2**70)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
        max_leaves=20,
    )
)
def test_the_gold_hash_writes_what_the_json_module_writes(value: Any) -> None:
    from factgold.score.config import canonical_json

    expected = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert canonical_json(value) == expected


@pytest.mark.parametrize(
    "value",
    [1e-05, 9.99e-05, 1e-4, 0.00015, 1e15, 9999999999999998.0, 1e16, -1e16, 1e300, -0.0, float("nan"), 2**63,
     2**64, -(2**63) - 1, (1.5, 1e-7), {1: "a number key"}, {"a": [1e-05, {"b": 1e16}]}],
)  # fmt: skip
def test_the_gold_hash_writes_numbers_at_the_edges_as_the_json_module_does(value: Any) -> None:
    from factgold.score.config import canonical_json

    expected = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert canonical_json(value) == expected


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([1e-05, 1e16, 9.99e-05, 5.0]), max_size=4)
)
def test_a_documents_hash_bytes_are_the_json_modules_whatever_its_facts_values(values: list[float]) -> None:
    # The document hash looks only at the numeric facts' values for numbers orjson writes
    # otherwise; the bytes stay the json module's for any value a fact can hold.
    from dataclasses import replace

    from factgold.score.config import document_canonical_json

    document = bundled_gold()[0]
    template = document.numeric_facts[0]
    facts = tuple(replace(template, id=f"N{index}", value=value) for index, value in enumerate(values))
    changed = replace(document, numeric_facts=document.numeric_facts + facts)
    expected = json.dumps(changed.to_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    assert document_canonical_json(changed) == expected


def test_a_gold_of_another_size_is_custom_without_hashing_the_bundled_corpus() -> None:
    from factgold.score.config import bundled_gold_sha256, bundled_with_variants_sha256, corpus_version_of

    bundled_with_variants_sha256.cache_clear()
    assert corpus_version_of("0" * 64, documents=1000) == "custom"
    assert bundled_with_variants_sha256.cache_info().currsize == 0  # not computed for a gold of 1,000 documents
    assert corpus_version_of(bundled_gold_sha256(), documents=1) != "custom"
    assert corpus_version_of(bundled_gold_sha256(), documents=2) == "custom"


# --- Grounding looks for each string once per document ---------------------------------------


def test_grounding_finds_a_string_once_per_document_and_the_first_of_equal_fuzzy_runs() -> None:
    from factgold.ground.text import TextIndex

    index = TextIndex("the islamabd unit met the islamabad unit and the islamabd units")
    found = index.ground("islamabdd")  # "islamabd" twice scores 94.1; "islamabad" 88.9
    assert found.method == "fuzzy"
    assert found.spans == ((4, 12),)  # the first of the two equal runs
    assert index.ground("islamabdd") is found  # looked for once
    assert index.ground("islamabdd", strict=True).found is False  # a strict search is another search
    assert TextIndex(index.text)._ground("islamabdd", strict=False) == found


# --- The assignment solver without importing all of scipy.optimize ---------------------------


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.data())
def test_the_assignment_solver_loaded_alone_answers_as_scipy_optimize(rows: int, cols: int, data: Any) -> None:
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    from factgold.score.align import assignment_solver

    # Small whole weights, so that several assignments tie: the choice among them must agree too.
    weights = np.array(data.draw(st.lists(st.lists(st.integers(0, 3), min_size=cols, max_size=cols),
                                          min_size=rows, max_size=rows)), dtype=float)  # fmt: skip
    mine, theirs = assignment_solver()(weights, maximize=True), linear_sum_assignment(weights, maximize=True)
    assert [list(a) for a in mine] == [list(b) for b in theirs]


def test_scoring_a_tie_loads_the_solver_without_importing_scipy_optimize() -> None:
    import subprocess

    code = (
        "import sys; from factgold.score.align import max_weight_matching; "
        "assert max_weight_matching({(0, 0): 1.0, (0, 1): 1.0, (1, 0): 1.0, (1, 1): 1.0}) == [(0, 0), (1, 1)]; "
        "print('scipy.optimize' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
