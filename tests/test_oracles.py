"""Oracle comparisons: nervaluate and seqeval for the SemEval schemes, scikit-learn for the confusion matrix.

nervaluate 1.x (David Batista's implementation of SemEval-2013 Task 9.1, Segura-Bedmar et
al., 2013; a test dependency) is compared overall and per type (its
``Evaluator(...).evaluate()["entities"][tag][scheme]``) on cases where its greedy,
order-dependent matching and factgold's optimal one-to-one alignment cannot differ: every
predicted span overlaps at most one gold span and the other way round. nervaluate's ends are
inclusive; factgold's are exclusive, so spans are converted. A separate test pins down where
the two deliberately differ.

seqeval 1.x (Hiroki Nakayama's port of the CoNLL-2000 ``conlleval`` script; a test
dependency) defines strict per-type precision, recall, F1 and support over BIO tags; it is
compared, in its default (conlleval) mode and its strict IOB2 mode, on token sequences whose
spans are whole tokens and do not overlap within one side, where its chunks are the spans.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from factgold.score.counts import SchemeCounts
from factgold.score.mentions import SCHEMES, MentionItem, score_mentions

nervaluate = pytest.importorskip("nervaluate")

TYPES = ["PER", "ORG", "LOC"]
Span = tuple[int, int, str]


def _items(spans: Sequence[Span]) -> list[MentionItem]:
    return [MentionItem(s, e, t, "", "name", str(i)) for i, (s, e, t) in enumerate(spans)]


def _nervaluate_results(gold: Sequence[Span], predicted: Sequence[Span], tags: Sequence[str] = TYPES) -> dict[str, Any]:
    def as_dicts(spans: Sequence[Span]) -> list[list[dict[str, Any]]]:
        return [[{"label": t, "start": s, "end": e - 1} for s, e, t in spans]]  # inclusive ends

    evaluator = nervaluate.Evaluator(as_dicts(gold), as_dicts(predicted), tags=list(tags), loader="dict")
    results: dict[str, Any] = evaluator.evaluate()
    return results


def _nervaluate(gold: Sequence[Span], predicted: Sequence[Span]) -> dict[str, Any]:
    overall: dict[str, Any] = _nervaluate_results(gold, predicted)["overall"]
    return overall


NERVALUATE_SCHEME = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}


def _assert_same(ours: dict[str, SchemeCounts], theirs: dict[str, Any]) -> None:
    for scheme in SCHEMES:
        other = theirs[NERVALUATE_SCHEME[scheme]]
        mine = ours[scheme]
        assert (mine.correct, mine.incorrect, mine.partial, mine.missed, mine.spurious) == (
            other.correct,
            other.incorrect,
            other.partial,
            other.missed,
            other.spurious,
        ), scheme
        if mine.possible == mine.actual == 0:
            # Deliberate difference: nothing to find and nothing predicted is a perfect 1.0
            # here (factgold.score.counts), where nervaluate reports 0.
            assert (mine.precision, mine.recall, other.precision, other.recall) == (1.0, 1.0, 0, 0)
            continue
        assert mine.precision == pytest.approx(other.precision), scheme
        assert mine.recall == pytest.approx(other.recall), scheme
        assert mine.f1 == pytest.approx(other.f1), scheme


HAND_CASES = {
    "all correct": ([(0, 5, "PER"), (10, 15, "ORG")], [(0, 5, "PER"), (10, 15, "ORG")]),
    "type error": ([(0, 5, "PER")], [(0, 5, "ORG")]),
    "boundary error": ([(0, 5, "PER")], [(0, 7, "PER")]),
    "boundary and type": ([(0, 5, "PER")], [(2, 5, "LOC")]),
    "spurious and missed": ([(0, 5, "PER")], [(20, 25, "PER")]),
    "mixed": (
        [(0, 5, "PER"), (10, 15, "ORG"), (30, 32, "LOC"), (40, 44, "PER")],
        [(0, 5, "PER"), (9, 15, "LOC"), (31, 32, "LOC"), (50, 51, "ORG")],
    ),
}


@pytest.mark.parametrize("case", sorted(HAND_CASES))
def test_schemes_equal_nervaluate(case: str) -> None:
    gold, predicted = HAND_CASES[case]
    _assert_same(score_mentions("d", _items(gold), _items(predicted)).overall, _nervaluate(gold, predicted))


@st.composite
def _disjoint_pairs(draw: st.DrawFn) -> tuple[list[Span], list[Span]]:
    """Gold and predicted spans in separate slots: each predicted span can overlap only its slot's gold span."""
    gold: list[Span] = []
    predicted: list[Span] = []
    for slot in range(draw(st.integers(0, 8))):
        base = slot * 100
        has_gold, has_pred = draw(st.booleans()), draw(st.booleans())
        if has_gold:
            start = base + draw(st.integers(10, 20))
            gold.append((start, start + draw(st.integers(1, 10)), draw(st.sampled_from(TYPES))))
        if has_pred:
            if has_gold and draw(st.booleans()):
                g_start, g_end, _ = gold[-1]
                start = draw(st.integers(g_start - 5, g_end - 1))
                end = draw(st.integers(max(start + 1, g_start + 1), g_end + 5))
            else:
                start = base + draw(st.integers(40, 60))
                end = start + draw(st.integers(1, 10))
            predicted.append((start, end, draw(st.sampled_from(TYPES))))
    return gold, predicted


@settings(max_examples=300, deadline=None)
@given(_disjoint_pairs())
def test_schemes_equal_nervaluate_when_matching_is_unambiguous(pair: tuple[list[Span], list[Span]]) -> None:
    gold, predicted = pair
    _assert_same(score_mentions("d", _items(gold), _items(predicted)).overall, _nervaluate(gold, predicted))


def _assert_same_by_type(
    ours: dict[str, dict[str, SchemeCounts]], theirs: dict[str, dict[str, Any]], tags: Sequence[str] = TYPES
) -> None:
    # factgold has a row for every type in the gold or the predictions, nervaluate for every
    # tag used; here every label used is one of the tags, so the rows are the same.
    assert set(ours) == set(theirs)
    assert set(ours) <= set(tags)
    for tag, schemes in ours.items():
        _assert_same(schemes, theirs[tag])


@pytest.mark.parametrize("case", sorted(HAND_CASES))
def test_schemes_per_type_equal_nervaluate(case: str) -> None:
    gold, predicted = HAND_CASES[case]
    ours = score_mentions("d", _items(gold), _items(predicted)).by_type
    _assert_same_by_type(ours, _nervaluate_results(gold, predicted)["entities"])


def test_a_wrong_type_is_spurious_for_the_type_given_as_in_nervaluate() -> None:
    # The example of factgold.score.mentions (SemEval-2013 Task 9.1's drug types): gold DRUG, DRUG;
    # predicted DRUG, BRAND.
    gold = [(0, 5, "DRUG"), (10, 15, "DRUG")]
    predicted = [(0, 5, "DRUG"), (10, 15, "BRAND")]
    ours = score_mentions("d", _items(gold), _items(predicted)).by_type
    assert (ours["DRUG"]["strict"].precision, ours["DRUG"]["strict"].recall) == (1.0, 0.5)
    assert (ours["BRAND"]["strict"].precision, ours["BRAND"]["strict"].spurious) == (0.0, 1)
    _assert_same_by_type(ours, _nervaluate_results(gold, predicted, ["DRUG", "BRAND"])["entities"], ["DRUG", "BRAND"])


@settings(max_examples=300, deadline=None)
@given(_disjoint_pairs())
def test_schemes_per_type_equal_nervaluate_when_matching_is_unambiguous(pair: tuple[list[Span], list[Span]]) -> None:
    gold, predicted = pair
    ours = score_mentions("d", _items(gold), _items(predicted)).by_type
    _assert_same_by_type(ours, _nervaluate_results(gold, predicted)["entities"])


def test_where_factgold_deliberately_differs_from_nervaluate() -> None:
    # One gold PER [0, 10); two predictions: a short one listed first, an exact one second.
    gold = [(0, 10, "PER")]
    short_first = [(0, 4, "PER"), (0, 10, "PER")]
    exact_first = [(0, 10, "PER"), (0, 4, "PER")]
    # nervaluate's greedy partial scheme: the order of the input changes the counts.
    assert _nervaluate(gold, short_first)["partial"].partial == 1
    assert _nervaluate(gold, exact_first)["partial"].partial == 0
    # factgold: the exact prediction takes the gold mention whatever the order; the other is spurious.
    for predicted in (short_first, exact_first):
        ours = score_mentions("d", _items(gold), _items(predicted)).overall["partial"]
        assert (ours.correct, ours.partial, ours.spurious, ours.missed) == (1, 0, 1, 0)


def test_a_wrong_type_copy_never_takes_a_correct_match() -> None:
    # Gold PER [0, 10) with a nested gold PER [0, 5); the right prediction PER [0, 10), then a
    # copy of it typed ORG. Trading (correct + boundary+type) for (type + boundary) would tie
    # under weights 4/3/2/1 and lose the strict match; adding a prediction must not do that.
    gold = [(0, 10, "PER"), (0, 5, "PER")]
    alone = score_mentions("d", _items(gold), _items([(0, 10, "PER")])).overall["strict"]
    with_copy = score_mentions("d", _items(gold), _items([(0, 10, "PER"), (0, 10, "ORG")])).overall["strict"]
    assert (alone.correct, with_copy.correct) == (1, 1)
    assert (with_copy.incorrect, with_copy.spurious, with_copy.missed) == (1, 0, 0)


# Small grids make ties (nested and identical spans) common, where alignment weights matter.
_SMALL_SPAN = st.tuples(st.integers(0, 3), st.integers(1, 2), st.sampled_from("AB")).map(
    lambda t: (t[0], t[0] + t[1], t[2])
)


@settings(max_examples=400, deadline=None)
@example(gold=[(0, 2, "A"), (0, 1, "A")], predicted=[(0, 2, "A")], added=(0, 2, "B"))
@given(
    st.lists(_SMALL_SPAN, min_size=1, max_size=4),
    st.lists(_SMALL_SPAN, max_size=4),
    _SMALL_SPAN,
)
def test_adding_any_prediction_never_loses_a_strict_match(gold: list[Span], predicted: list[Span], added: Span) -> None:
    before = score_mentions("d", _items(gold), _items(predicted)).overall["strict"].correct
    after = score_mentions("d", _items(gold), _items([*predicted, added])).overall["strict"].correct
    assert after >= before


def test_type_confusion_equals_scikit_learn(gold_doc: dict[str, Any]) -> None:
    from sklearn.metrics import confusion_matrix

    from factgold.run.evaluation import evaluate

    text = gold_doc["text"]
    predicted = []
    for entity in gold_doc["entities"]:
        for index, mention in enumerate(entity["mentions"]):
            if mention["kind"] == "name":
                wrong = (
                    {"GPE": "LOC", "PERSON": "ORG"}.get(entity["type"], entity["type"]) if index % 2 else entity["type"]
                )
                predicted.append({"type": wrong, "mentions": [{"start": mention["start"], "end": mention["end"]}]})
    report = evaluate([{"id": gold_doc["id"], "entities": predicted}])
    confusion = report.type_confusion()
    pairs = [
        (e.gold.label, e.predicted.label)
        for e in report.total.errors
        if e.task == "mentions" and e.gold and e.predicted
    ]
    expected = confusion_matrix([g for g, _ in pairs], [p for _, p in pairs], labels=confusion["labels"])
    assert confusion["matrix"] == expected.tolist()
    assert text  # the document the matrix is about


TOKEN = 4  # token i is the characters [4i, 4i + 3): three letters and a space


@st.composite
def _token_spans(draw: st.DrawFn, length: int) -> list[Span]:
    """Spans of whole tokens that do not overlap (adjacent ones may share a type), as character offsets."""
    spans: list[Span] = []
    position = 0
    while position < length:
        if draw(st.booleans()):
            end = min(length, position + draw(st.integers(1, 4)))
            spans.append((position * TOKEN, end * TOKEN - 1, draw(st.sampled_from(TYPES))))
            position = end
        else:
            position += draw(st.integers(1, 3))
    return spans


@st.composite
def _token_cases(draw: st.DrawFn) -> tuple[int, list[Span], list[Span]]:
    length = draw(st.integers(1, 25))
    return length, draw(_token_spans(length)), draw(_token_spans(length))


def _bio(length: int, spans: Sequence[Span]) -> list[str]:
    tags = ["O"] * length
    for start, end, label in spans:
        first, last = start // TOKEN, (end + 1) // TOKEN
        tags[first:last] = [f"B-{label}"] + [f"I-{label}"] * (last - first - 1)
    return tags


SeqevalReport = Callable[[list[str], list[str], str], dict[str, Any]]


@pytest.fixture(scope="module")
def seqeval_report() -> SeqevalReport:
    """seqeval's report of one tag sequence, in its ``default`` (conlleval) or ``strict`` (IOB2) mode."""
    metrics = pytest.importorskip("seqeval.metrics")
    schemes = pytest.importorskip("seqeval.scheme")

    def report(gold: list[str], predicted: list[str], mode: str) -> dict[str, Any]:
        strict = {"mode": "strict", "scheme": schemes.IOB2} if mode == "strict" else {}
        result: dict[str, Any] = metrics.classification_report(
            [gold], [predicted], output_dict=True, zero_division=0, **strict
        )
        return result

    return report


@pytest.mark.parametrize("mode", ["default", "strict"])
@settings(max_examples=200, deadline=None)
@given(case=_token_cases())
def test_strict_per_type_equals_seqeval(
    seqeval_report: SeqevalReport, mode: str, case: tuple[int, list[Span], list[Span]]
) -> None:
    length, gold, predicted = case
    assume(gold or predicted)
    theirs = seqeval_report(_bio(length, gold), _bio(length, predicted), mode)
    ours = score_mentions("d", _items(gold), _items(predicted)).by_type
    assert set(ours) == {key for key in theirs if not key.endswith(" avg")}
    for label, schemes in ours.items():
        strict = schemes["strict"]
        row = theirs[label]
        assert strict.precision == pytest.approx(row["precision"]), label
        assert strict.recall == pytest.approx(row["recall"]), label
        assert strict.f1 == pytest.approx(row["f1-score"]), label
        assert strict.possible == row["support"], label
