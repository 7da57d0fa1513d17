"""Relation scoring with the gold entities given (`factgold.score.given_entities`), DocRED's RE F1.

The case, two DocRED documents with five gold facts (vertex positions h -> t):

    Alpha: (0 -> 1, P17), (0 -> 2, P131), (1 -> 2, P17)
    Beta:  (0 -> 1, P27), (0 -> 2, P26)

and five submitted rows, four distinct:

    Alpha 0 -> 1 P17    right
    Alpha 0 -> 1 P17    the same again: counted once
    Alpha 0 -> 2 P17    wrong type (the gold says P131)
    Beta  1 -> 0 P27    reversed (the gold says 0 -> 1)
    Beta  0 -> 2 P26    right

By hand: 2 correct of 4 distinct predictions and 5 gold facts, so tp 2, fp 2, fn 3,
precision 2/4 = 0.5, recall 2/5 = 0.4, F1 = 2 * 0.5 * 0.4 / 0.9 = 4/9 = 0.444...
Per type: P17 tp 1 fp 1 fn 1; P131 fn 1; P27 fp 1 fn 1; P26 tp 1.
With P27 symmetric the reversed row is right too: tp 3, fp 1, fn 2, precision 3/4,
recall 3/5, F1 = 2 * 0.75 * 0.6 / 1.35 = 2/3.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from factgold.errors import UsageError
from factgold.read.document import Document
from factgold.read.importers.docred import import_files
from factgold.read.validate import validate_document
from factgold.score.counts import PRF
from factgold.score.given_entities import given_entities_f1, predictions_from_docred


def _vertex(name: str, sentence: int, start: int, kind: str) -> list[dict[str, Any]]:
    return [{"name": name, "sent_id": sentence, "pos": [start, start + len(name.split())], "type": kind}]


TRUTH: list[dict[str, Any]] = [
    {
        "title": "Alpha",
        "sents": [["Struga", "is", "a", "town", "in", "North", "Macedonia", "near", "Ohrid", "."]],
        "vertexSet": [
            _vertex("Struga", 0, 0, "LOC"),
            _vertex("North Macedonia", 0, 5, "LOC"),
            _vertex("Ohrid", 0, 8, "LOC"),
        ],
        "labels": [
            {"h": 0, "t": 1, "r": "P17", "evidence": [0]},
            {"h": 0, "t": 2, "r": "P131", "evidence": [0]},
            {"h": 1, "t": 2, "r": "P17", "evidence": []},
        ],
    },
    {
        "title": "Beta",
        "sents": [["Ana", "Lima", "is", "Brazilian", "."], ["She", "married", "Rui", "Costa", "."]],
        "vertexSet": [
            _vertex("Ana Lima", 0, 0, "PER"),
            _vertex("Brazilian", 0, 3, "LOC"),
            _vertex("Rui Costa", 1, 2, "PER"),
        ],
        "labels": [{"h": 0, "t": 1, "r": "P27", "evidence": [0]}, {"h": 0, "t": 2, "r": "P26", "evidence": [1]}],
    },
]

SUBMISSION: list[dict[str, Any]] = [
    {"title": "Alpha", "h_idx": 0, "t_idx": 1, "r": "P17"},
    {"title": "Alpha", "h_idx": 0, "t_idx": 1, "r": "P17"},
    {"title": "Alpha", "h_idx": 0, "t_idx": 2, "r": "P17"},
    {"title": "Beta", "h_idx": 1, "t_idx": 0, "r": "P27"},
    {"title": "Beta", "h_idx": 0, "t_idx": 2, "r": "P26"},
]


@pytest.fixture(scope="module")
def gold(tmp_path_factory: pytest.TempPathFactory) -> list[Document]:
    path = tmp_path_factory.mktemp("docred") / "dev.json"
    path.write_text(json.dumps(TRUTH), encoding="utf-8")
    imported = import_files([path], {})
    assert all(validate_document(d, house_rules=False, labels=imported.labels) == [] for d in imported.documents)
    return [Document.from_json(d) for d in imported.documents]


def test_predictions_from_a_docred_submission(gold: list[Document]) -> None:
    assert predictions_from_docred(SUBMISSION, gold) == [
        ("docred-0", "E1", "E2", "P17"),
        ("docred-0", "E1", "E2", "P17"),
        ("docred-0", "E1", "E3", "P17"),
        ("docred-1", "E2", "E1", "P27"),
        ("docred-1", "E1", "E3", "P26"),
    ]


def test_the_hand_computed_case(gold: list[Document]) -> None:
    score = given_entities_f1(gold, predictions_from_docred(SUBMISSION, gold))
    assert (score.tp, score.fp, score.fn) == (2, 2, 3)
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(0.4)
    assert score.f1 == pytest.approx(4 / 9)
    assert (score.duplicates, score.unknown) == (1, 0)
    assert dict(score.by_type) == {
        "P131": PRF(0, 0, 1),
        "P17": PRF(1, 1, 1),
        "P26": PRF(1, 0, 0),
        "P27": PRF(0, 1, 1),
    }


def test_a_symmetric_type_matches_either_direction(gold: list[Document]) -> None:
    score = given_entities_f1(gold, predictions_from_docred(SUBMISSION, gold), symmetric=frozenset({"P27"}))
    assert (score.tp, score.fp, score.fn) == (3, 1, 2)
    assert (score.precision, score.recall) == pytest.approx((0.75, 0.6))
    assert score.f1 == pytest.approx(2 / 3)
    # Both directions of a symmetric fact are one prediction.
    both = [("docred-1", "E1", "E2", "P27"), ("docred-1", "E2", "E1", "P27")]
    twice = given_entities_f1(gold, both, symmetric=frozenset({"P27"}))
    assert (twice.tp, twice.fp, twice.fn, twice.duplicates) == (1, 0, 4, 1)


def _docred_re_scores(truth: list[dict[str, Any]], submission: list[dict[str, Any]]) -> tuple[float, float, float]:
    """RE precision, recall and F1 computed as DocRED's code/evaluation.py computes them.

    Its arithmetic, restated: gold keys (title, r, h, t) in a dictionary; the submission
    sorted by (title, h_idx, t_idx, r) and a row equal to the one before it dropped; a kept
    row is correct when its key is a gold key (rows of an unknown title stay in the count);
    precision = correct / kept rows, recall = correct / gold keys, F1 their harmonic mean.
    """
    gold = {(doc["title"], label["r"], label["h"], label["t"]) for doc in truth for label in doc["labels"]}
    titles = {doc["title"] for doc in truth}
    rows = sorted(submission, key=lambda x: (x["title"], x["h_idx"], x["t_idx"], x["r"]))
    kept = [rows[0]] + [
        x
        for x, y in zip(rows[1:], rows, strict=False)
        if (x["title"], x["h_idx"], x["t_idx"], x["r"]) != (y["title"], y["h_idx"], y["t_idx"], y["r"])
    ]
    correct = sum(1 for x in kept if x["title"] in titles and (x["title"], x["r"], x["h_idx"], x["t_idx"]) in gold)
    precision, recall = correct / len(kept), correct / len(gold)
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


@pytest.mark.parametrize(
    "submission",
    [
        SUBMISSION,
        SUBMISSION[::-1],
        [*SUBMISSION, {"title": "Gamma", "h_idx": 0, "t_idx": 1, "r": "P17"}],
        [{"title": "Beta", "h_idx": 1, "t_idx": 0, "r": "P27"}],
    ],
)
def test_the_same_numbers_as_docreds_own_arithmetic(gold: list[Document], submission: list[dict[str, Any]]) -> None:
    score = given_entities_f1(gold, predictions_from_docred(submission, gold))
    assert (score.precision, score.recall, score.f1) == pytest.approx(_docred_re_scores(TRUTH, submission))


def test_an_unknown_document_or_entity_is_a_false_positive(gold: list[Document]) -> None:
    predictions = [("docred-0", "E1", "E2", "P17"), ("elsewhere", "E1", "E2", "P17"), ("docred-1", "E1", "E9", "P26")]
    score = given_entities_f1(gold, predictions)
    assert (score.tp, score.fp, score.fn, score.unknown) == (1, 2, 4, 2)


def test_nothing_predicted_and_nothing_to_find(gold: list[Document]) -> None:
    none = given_entities_f1(gold, [])
    assert (none.tp, none.fp, none.fn, none.precision, none.recall, none.f1) == (0, 0, 5, 0.0, 0.0, 0.0)
    empty = given_entities_f1([], [])
    assert (empty.precision, empty.recall, empty.f1) == (1.0, 1.0, 1.0)


def test_relation_names_map_property_ids(gold: list[Document]) -> None:
    rows = [{"title": "Alpha", "h_idx": 0, "t_idx": 1, "r": "P17"}]
    assert predictions_from_docred(rows, gold, {"P17": "country"}) == [("docred-0", "E1", "E2", "country")]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [{"title": "Alpha", "h_idx": -1, "t_idx": 1, "r": "P17"}],
            r"^result row 0: expected a title, h_idx, t_idx and r",
        ),
        ([{"title": "Alpha", "h_idx": 0, "t_idx": 1}], r"^result row 0: expected a title, h_idx, t_idx and r"),
        (["Alpha"], r"^result row 0: expected an object"),
    ],
)
def test_malformed_rows_are_refused(gold: list[Document], rows: list[Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        predictions_from_docred(rows, gold)


def test_an_ambiguous_title_or_a_malformed_prediction_is_refused(gold: list[Document]) -> None:
    twin = Document.from_json({**json.loads(json.dumps(gold[0].to_json())), "id": "other"})
    with pytest.raises(UsageError, match=r"^result row 0: the title 'Alpha' names several gold documents$"):
        predictions_from_docred(SUBMISSION, [*gold, twin])
    with pytest.raises(UsageError, match=r"^prediction 0: expected \(document id, head id, tail id, relation type\)"):
        given_entities_f1(gold, [("docred-0", "E1", "E2")])  # type: ignore[list-item]
    with pytest.raises(UsageError, match=r"^the gold holds the document id 'docred-0' twice$"):
        given_entities_f1([gold[0], gold[0]], [])
