"""`factgold prompt`: one prompt and one answer schema, so that LLM results compare."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from factgold.cli import main
from factgold.present.prompt import PROMPT_VERSION, answer_schema, gold_answer
from factgold.run.evaluation import bundled_gold


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_the_prompt_carries_the_inventories_and_the_article(capsys: pytest.CaptureFixture[str]) -> None:
    text = _run(capsys, "prompt")
    document = bundled_gold()[0]
    assert text.startswith(f"factgold extraction prompt, version {PROMPT_VERSION}.")
    assert text.rstrip("\n").endswith(document.text.rstrip("\n"))
    assert "   - met_with: head PERSON; tail PERSON (symmetric: either order)" in text
    assert "   - part_of: head any type; tail any type" in text
    # The instructions say nothing of this article's answers (no entity name before the article).
    instructions = text[: text.index("Article:")]
    assert not any(entity.name in instructions for entity in document.entities if len(entity.name) > 3)


def test_the_schema_accepts_the_gold_as_an_answer_which_scores_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrapped = json.loads(_run(capsys, "prompt", "--schema"))
    assert wrapped["type"] == "json_schema"
    assert wrapped["json_schema"]["strict"] is True
    bare = json.loads(_run(capsys, "prompt", "--schema", "--bare"))
    assert bare == answer_schema()
    answer = gold_answer(bundled_gold()[0])
    jsonschema.Draft202012Validator.check_schema(bare)
    jsonschema.validate(answer, bare)
    jsonschema.validate(answer, wrapped["json_schema"]["schema"])
    # Strict structured output: every object closes its properties and requires them all.
    objects = [bare]
    while objects:
        node = objects.pop()
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            assert sorted(node["required"]) == sorted(node["properties"])
            objects += list(node["properties"].values())
        if "items" in node:
            objects.append(node["items"])
    path = tmp_path / "answer.md"
    path.write_text("```json\n" + json.dumps(answer, indent=2) + "\n```\n")
    report: dict[str, Any] = json.loads(_run(capsys, "eval", str(path), "--from", "llm", "--format", "json"))
    assert report["headline"]["parts"] == {"entities": 1.0, "relations_strict": 1.0, "numeric_value": 1.0}
    numeric = report["scores"]["numeric_facts"]
    assert {a: numeric[a]["f1"] for a in ("value", "spans", "unit", "kind", "approximate", "subject")} == dict.fromkeys(
        ("value", "spans", "unit", "kind", "approximate", "subject"), 1.0
    )  # "subject": null written out is kept: the number is about no entity
    assert report["scores"]["entities"]["entity_level"]["untyped"]["f1"] == 1.0
    # Text mentions stand for every place the text says them ("Pakistan" inside
    # "China-Pakistan" too), so the mention view of a perfect answer by text is below 1.0.
    assert report["scores"]["entities"]["mentions"]["strict"]["recall"] == 1.0
    assert report["signature"].endswith(f"|prompt:factgold-v{PROMPT_VERSION}")


def test_an_answer_that_breaks_the_schema_is_rejected_by_it() -> None:
    answer = gold_answer(bundled_gold()[0])
    answer["entities"][0]["type"] = "COUNTRY"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(answer, answer_schema())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["prompt", "--bare"], "--bare applies to --schema"),
        (["prompt", "--doc-id", "nope"], "no gold document 'nope'"),
        (
            ["prompt", "--schema", "--doc-id", "x"],
            "--schema prints the answer's schema, the same for every document: drop --gold and --doc-id",
        ),
    ],
)
def test_bad_prompt_options(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err == f"factgold: error: {message}\n"
