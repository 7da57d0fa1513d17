"""The headline and the entity level: comparable across output styles and across systems.

Regression tests for scores that misled: the headline dropped when an LLM answer gained
text mentions, a system that left a layer out outscored one that attempted it, per-type
precision was filed under the gold type, and a score with nothing to find differed between
coreference and the other tasks.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import GOLD_FILE
from factgold.baselines import predictor
from factgold.cli import main
from factgold.present.html import render_report_html
from factgold.present.render import render
from factgold.run.evaluation import evaluate
from factgold.score.coref import coreference_counts
from factgold.score.counts import CorefCounts

GOLD: dict[str, Any] = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
DOC_ID: str = GOLD["id"]
TEXT: str = GOLD["text"]

# An LLM's answer: the 19 gold entities by name, as a model writes them (a straight
# apostrophe, the corridor typed ORG where the gold says FAC), three relations, three numbers.
LLM_ENTITIES = [
    ("Pakistan", "GPE"),
    ("special protection unit", "ORG"),
    ("Chinese", "NORP"),
    ("Chinese nationals", "NORP"),
    ("MENAFN", "ORG"),
    ("Islamabad", "GPE"),
    ("joint development projects", "FAC"),
    ("Mohsin Naqvi", "PERSON"),
    ("Beijing", "GPE"),
    ("Wang Xiaohong", "PERSON"),
    ("National Cyber Crimes Investigation Agency", "ORG"),
    ("Ishaq Dar", "PERSON"),
    ("Wang Yi", "PERSON"),
    ("China", "GPE"),
    ("China-Pakistan foreign ministers' strategic dialogue", "EVENT"),
    ("China-Pakistan Economic Corridor", "ORG"),
    ("Belt and Road Initiative", "ORG"),
    ("Xinjiang", "GPE"),
    ("Gwadar port", "FAC"),
]
LLM_ANSWER: dict[str, Any] = {
    "id": DOC_ID,
    "entities": [{"name": name, "type": label} for name, label in LLM_ENTITIES],
    "relations": [
        {"type": "visited", "head": "Ishaq Dar", "tail": "Beijing"},
        {"type": "met_with", "head": "Ishaq Dar", "tail": "Wang Yi"},
        {"type": "official_of", "head": "Wang Yi", "tail": "China"},
    ],
    "numeric_facts": [{"value": "$64 billion"}, {"value": "seventh"}, {"value": "around $23 billion"}],
}


def _with_text_mentions(answer: dict[str, Any]) -> dict[str, Any]:
    richer = copy.deepcopy(answer)
    for entity in richer["entities"]:
        if entity["name"] == "Mohsin Naqvi":
            entity["mentions"] = [{"text": "Mohsin Naqvi"}, {"text": "Naqvi"}]
        if entity["name"] == "Ishaq Dar":
            entity["mentions"] = [{"text": "Ishaq Dar"}, {"text": "Dar"}]
    return richer


def test_an_llm_answer_with_text_mentions_never_scores_below_the_same_answer_by_name() -> None:
    names_only = evaluate([LLM_ANSWER])
    richer = evaluate([_with_text_mentions(LLM_ANSWER)])
    assert richer.headline >= names_only.headline
    # The same entities, whatever their form: the entity level is the same, and so is the headline.
    assert richer.total.entity_level_typed == names_only.total.entity_level_typed
    # 18 of 19 right with their type (the corridor is FAC in the gold), none spurious.
    assert (names_only.total.entity_level_typed.tp, names_only.total.entity_level_typed.fp) == (18, 1)
    assert set(names_only.to_dict()["headline"]["parts"]) == {"entities", "relations_strict", "numeric_value"}


def test_name_only_text_mentions_and_spans_are_one_entity_level() -> None:
    start = TEXT.index("Mohsin Naqvi")
    forms = [
        [{"name": "Mohsin Naqvi", "type": "PERSON"}],
        [{"type": "PERSON", "mentions": [{"text": "Mohsin Naqvi"}]}],
        [{"type": "PERSON", "mentions": [{"start": start, "end": start + len("Mohsin Naqvi")}]}],
        [
            {
                "type": "PERSON",
                "name": "Mohsin Naqvi",
                "mentions": [{"text": "Naqvi"}, {"text": "He", "kind": "pronoun"}],
            }
        ],
    ]
    scores = [evaluate([{"id": DOC_ID, "entities": entities}]).to_dict() for entities in forms]
    levels = [s["scores"]["entities"]["entity_level"] for s in scores]
    assert all(level == levels[0] for level in levels)
    assert (levels[0]["typed"]["tp"], levels[0]["typed"]["fp"], levels[0]["typed"]["fn"]) == (1, 0, 18)
    assert len({s["headline"]["score"] for s in scores}) == 1


def test_a_flat_ner_output_lists_an_entity_once() -> None:
    # One entity per mention, as NER tools give them: "Pakistan" eight times is one entity.
    spans = []
    start = TEXT.find("Pakistan")
    while start >= 0:
        spans.append({"type": "GPE", "mentions": [{"start": start, "end": start + 8}]})
        start = TEXT.find("Pakistan", start + 1)
    report = evaluate([{"id": DOC_ID, "entities": spans}]).to_dict()
    level = report["scores"]["entities"]["entity_level"]["typed"]
    assert (level["tp"], level["fp"]) == (1, 0)
    assert report["error_counts"]["entity_level"]["duplicate"] == len(spans) - 1


def test_leaving_a_task_out_never_raises_the_headline() -> None:
    full = predictor("simple")(DOC_ID, TEXT)
    entities_only = {"id": DOC_ID, "entities": full["entities"]}
    attempted, left_out = evaluate([full]), evaluate([entities_only])
    assert left_out.headline < attempted.headline
    as_dict = left_out.to_dict()
    assert as_dict["tasks"]["relations"] == "not predicted"
    assert as_dict["headline"]["parts"]["relations_strict"] == 0.0
    # Explicitly restricted, the headline is the entities' alone and the signature says so.
    restricted = evaluate([entities_only], tasks=("entities",))
    assert restricted.headline == restricted.total.entity_level_typed.f1
    assert "|tasks:entities|" in restricted.signature


def test_tasks_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "numbers.jsonl"
    path.write_text(json.dumps({"id": DOC_ID, "numeric_facts": [{"value": "$64 billion"}]}) + "\n")
    assert main(["eval", str(path), "--tasks", "numeric_facts", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["headline"]["parts"] == {"numeric_value": pytest.approx(2 / 7)}
    assert report["tasks"]["entities"] == "not requested"
    assert main(["eval", str(path), "--tasks", "entities,events"]) == 2
    assert "--tasks takes a comma-separated list of entities, relations, numeric_facts" in capsys.readouterr().err


def test_simple_baseline_per_type_precision_is_semeval_s() -> None:
    # A wrong-type mention counts in the actual of the type the system gave it.
    report = evaluate([predictor("simple")(DOC_ID, TEXT)]).to_dict()
    by_type = report["scores"]["entities"]["mentions_by_type"]
    assert by_type["PERSON"]["strict"]["precision"] == 1.0
    assert by_type["ORG"]["strict"]["precision"] == pytest.approx(0.6)
    macro = report["scores"]["entities"]["mentions_macro_by_type"]["strict"]["precision"]
    assert macro == pytest.approx(sum(t["strict"]["precision"] for t in by_type.values()) / len(by_type))


def test_nothing_to_find_and_nothing_predicted_is_one_in_every_task(tmp_path: Path) -> None:
    empty = dict(GOLD, entities=[], relations=[], numeric_facts=[], time_expressions=[])
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(empty) + "\n", encoding="utf-8")
    report = evaluate([{"id": DOC_ID, "entities": [], "relations": [], "numeric_facts": []}], gold=gold).to_dict()
    entities = report["scores"]["entities"]
    found = [
        *(entities["mentions"][s]["f1"] for s in entities["mentions"]),
        entities["entity_level"]["typed"]["f1"],
        entities["clusters"]["f1"],
        *(entities["coreference"][m]["f1"] for m in ("muc", "b3", "ceafe")),
        entities["coreference"]["conll_f1"],
        report["scores"]["relations"]["strict"]["f1"],
        report["scores"]["numeric_facts"]["value"]["f1"],
        report["headline"]["score"],
    ]
    assert found == [1.0] * len(found)
    assert "nothing to find and nothing predicted" in report["definitions"]["empty"]


def test_a_task_left_out_over_gold_without_it_is_empty_not_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Nothing to find: leaving the task out is predicting nothing, 1.0 by the one rule, and
    # the report says "scored as empty", never that the task scored 0.
    gold = tmp_path / "gold.jsonl"
    empty = dict(GOLD, entities=[], relations=[], numeric_facts=[], time_expressions=[])
    gold.write_text(json.dumps(empty) + "\n", encoding="utf-8")
    answer = {"id": DOC_ID, "entities": [{"name": "Pakistan", "type": "GPE"}]}
    report = evaluate([answer], gold=gold).to_dict()
    assert report["tasks"]["relations"] == "not predicted"
    assert report["headline"]["parts"] == {"entities": 0.0, "relations_strict": 1.0, "numeric_value": 1.0}
    predictions = tmp_path / "answer.jsonl"
    predictions.write_text(json.dumps(answer) + "\n")
    assert main(["eval", str(predictions), "--gold", str(gold)]) == 0
    table = capsys.readouterr().out
    assert "Not predicted (scored as empty lists: every gold item missed): relations, numeric_facts" in table
    assert "scored 0" not in table
    assert "scores 0" not in table


def test_muc_over_singletons_only_follows_the_same_rule() -> None:
    # No link on either side: MUC has nothing to find and nothing predicted (the CoNLL-2012
    # reference scorer reports 0 here; factgold's one rule says 1.0).
    singletons = [frozenset({(0, 1)}), frozenset({(2, 3)})]
    counts = coreference_counts(singletons, singletons)
    assert counts["muc"] == CorefCounts(0.0, 0.0, 0.0, 0.0)
    assert counts["muc"].f1 == counts["b3"].f1 == counts["ceafe"].f1 == 1.0
    # A link predicted where none is to be found is wrong, not empty.
    merged = coreference_counts(singletons, [frozenset({(0, 1), (2, 3)})])["muc"]
    assert (merged.recall, merged.precision) == (0.0, 0.0)


def test_coreference_names_its_mentions_in_the_signature_and_report() -> None:
    names = evaluate([_with_text_mentions(LLM_ANSWER)])
    everything = evaluate([_with_text_mentions(LLM_ANSWER)], mentions="all")
    assert "coref:conll2012-names" in names.signature.split("|")
    assert "coref:conll2012-all" in everything.signature.split("|")
    assert "not comparable to published CoNLL-2012" in names.to_dict()["definitions"]["scores"]["coreference"]
    # The JSON names the mentions too, and every format a reader sees carries the caveat.
    assert names.to_dict()["definitions"]["coref"] == "conll2012-names"
    assert everything.to_dict()["definitions"]["coref"] == "conll2012-all"
    caveat = "not comparable to published CoNLL-2012 numbers"
    texts = {DOC_ID: TEXT}
    for markdown in (False, True):
        assert caveat in render(names.to_dict(), markdown=markdown)
        assert caveat not in render(everything.to_dict(), markdown=markdown)
    assert caveat in render_report_html(names.to_dict(), texts)
    assert caveat not in render_report_html(everything.to_dict(), texts)


def test_fuzzy_matches_are_marked_everywhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answer = {
        "id": DOC_ID,
        "entities": [
            {"name": "Islamabd", "type": "GPE"},
            {"type": "GPE", "mentions": [{"text": "Beijng"}]},
            {"type": "GPE", "mentions": [{"text": "Islamabd"}]},
            {"type": "ORG", "mentions": [{"text": "Xinjiangg"}]},
        ],
        "relations": [{"type": "cooperates_with", "head": "Islamabd", "tail": {"text": "Beijing"}}],
    }
    report = evaluate([answer]).to_dict()
    fuzzy = sorted((e["task"], e["category"]) for e in report["errors"] if e["grounded_by"] == "fuzzy")
    # Every item a fuzzy match produced, in every view: the cluster view, the entity level (its
    # copies too), the mentions and the relations; a type error is marked as a right one is.
    assert fuzzy == [
        ("entities", "correct"),
        ("entities", "correct"),
        ("entities", "type"),
        ("entity_level", "correct"),
        ("entity_level", "correct"),
        ("entity_level", "duplicate"),
        ("entity_level", "type"),
        ("mentions", "correct"),
        ("mentions", "correct"),
        ("mentions", "type"),
        ("relations", "correct"),
    ]
    exact = [e for e in report["errors"] if e["task"] == "entity_level" and e["grounded_by"] == "exact"]
    assert exact == []
    path = tmp_path / "answer.jsonl"
    path.write_text(json.dumps(answer) + "\n")
    assert main(["eval", str(path), "--show-errors"]) == 0
    table = capsys.readouterr().out
    rows = [line for line in table.splitlines() if line.rstrip().endswith("found by a fuzzy match")]
    assert len(rows) == len([e for e in report["errors"] if e["grounded_by"] == "fuzzy"])
    assert main(["eval", str(path), "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert 'class="m fuzzy"' in page
    assert "(found by a fuzzy match)" in page
    assert '<tr data-category="correct" class="fuzzy">' in page


def test_the_scoring_version_is_the_changelog_s_newest() -> None:
    import re

    from conftest import REPO
    from factgold import __version__
    from factgold.score.config import SCORING_VERSION

    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"^## (\d+\.\d+\.\d+) \(.*?\), factgold (\S+)$", changelog, re.MULTILINE)
    assert newest is not None
    assert (newest.group(1), newest.group(2)) == (SCORING_VERSION, __version__)
    assert f"scoring:{SCORING_VERSION}" in evaluate([LLM_ANSWER]).signature.split("|")


def _gold_without_numbers(tmp_path: Path) -> Path:
    """The bundled article with its numeric facts taken out, as an imported corpus has none."""
    document = copy.deepcopy(GOLD)
    document["numeric_facts"] = []
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(document) + "\n", encoding="utf-8")
    return path


def test_a_task_the_gold_annotates_nowhere_is_not_scored(tmp_path: Path) -> None:
    # Scored, numeric facts would be 1.0 for a system that predicts none there (nothing to
    # find, nothing predicted) and 0.0 for one that predicts a number: a third of the headline.
    gold = _gold_without_numbers(tmp_path)
    entities = [{"name": name, "type": kind} for name, kind in LLM_ENTITIES]
    quiet = {"id": DOC_ID, "entities": entities}
    talkative = {**quiet, "numeric_facts": [{"value": "$64 billion"}]}
    reports = [evaluate([p], gold=gold) for p in (quiet, talkative)]
    for report in reports:
        assert report.config.tasks == ("entities", "relations")
        assert "|tasks:entities+relations|" in report.signature
        assert report.headline == pytest.approx((report.total.entity_level_typed.f1 + 0.0) / 2)
        as_dict = report.to_dict()
        assert as_dict["tasks"]["numeric_facts"] == "not in the gold"
        assert (
            "the gold annotates no numeric_facts: not scored and not in the headline (nothing to measure)"
            in (as_dict["notes"])
        )
    assert reports[0].headline == reports[1].headline
    # The same from the file (the streaming path) and asked by --tasks: still not scored.
    predictions = tmp_path / "p.jsonl"
    predictions.write_text(json.dumps(talkative) + "\n", encoding="utf-8")
    streamed = evaluate(predictions, gold=gold)
    assert streamed.to_dict()["headline"] == reports[1].to_dict()["headline"]
    assert evaluate(predictions, gold=gold, tasks=("entities", "numeric_facts")).config.tasks == ("entities",)
    # A gold that annotates none of the tasks asked has nothing to score them on: asked for
    # them alone, they would score 1.0 or 0.0 on nothing. One line, exit 2.
    from factgold.errors import UsageError

    message = (
        "the gold annotates no numeric_facts: nothing to score (it annotates entities, relations; "
        "--tasks chooses among those)"
    )
    with pytest.raises(UsageError) as refused:
        evaluate(predictions, gold=gold, tasks=("numeric_facts",))
    assert str(refused.value) == message
    assert main(["eval", str(predictions), "--gold", str(gold), "--tasks", "numeric_facts"]) == 2


def test_the_bundled_corpus_scores_every_task() -> None:
    report = evaluate([{"id": DOC_ID}])
    assert report.config.tasks == ("entities", "relations", "numeric_facts")
    assert set(report.to_dict()["tasks"].values()) == {"not predicted"}
