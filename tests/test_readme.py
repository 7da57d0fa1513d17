"""The README's commands and examples are the ones that work."""

from __future__ import annotations

import json
import re

from conftest import REPO
from factgold.run.evaluation import evaluate

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_setup_commands() -> None:
    setup = re.search(r"## Set up\n\n```sh\n(.*?)```", README, re.DOTALL)
    assert setup is not None
    commands = setup.group(1).strip().splitlines()
    assert commands == ["pip install -e '.[test]' && factgold baseline | factgold eval -", "pytest"]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert all(command in ci for command in commands)


def test_readme_predictions_example_is_valid_and_scores() -> None:
    example = re.search(r"```json\n(.*?)```", README, re.DOTALL)
    assert example is not None
    prediction = json.loads(example.group(1))
    report = evaluate([prediction]).to_dict()
    assert report["tasks"] == {"entities": "scored", "relations": "scored", "numeric_facts": "scored"}
    assert report["scores"]["numeric_facts"]["value"]["tp"] == 1
    # visited(Naqvi, Beijing) is gold; the unit is located in Islamabad, not in Beijing.
    assert report["scores"]["relations"]["strict"]["tp"] == 1
    located = [
        e
        for e in report["errors"]
        if e["task"] == "relations" and e["predicted"] and e["predicted"]["label"] == "located_in"
    ]
    assert [e["category"] for e in located] == ["spurious"]


def test_readme_signature_example_is_current() -> None:
    signature = evaluate(str(REPO / "corpus" / "data" / "documents" / "test.jsonl")).signature
    assert signature in README


def test_readme_llm_example_scores() -> None:
    blocks = re.findall(r"```json\n(.*?)```", README, re.DOTALL)
    assert len(blocks) == 2
    report = evaluate([json.loads(blocks[1])]).to_dict()
    # Ishaq Dar (by name), Islamabad (text, grounded 3 times), visited(Dar, Beijing), the two numbers.
    assert report["scores"]["entities"]["entity_level"]["typed"]["tp"] == 2
    assert report["scores"]["entities"]["mentions"]["strict"]["correct"] == 3
    assert report["scores"]["relations"]["strict"]["tp"] == 1
    assert report["scores"]["numeric_facts"]["value"]["tp"] == 2
