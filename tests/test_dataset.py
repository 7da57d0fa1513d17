"""The corpus folder loads offline with `datasets.load_dataset` with the features the schema gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import CORPUS, SEED_FILE

datasets = pytest.importorskip("datasets")

from factgold.dataset.build import DOCUMENTS_CONFIG  # noqa: E402
from factgold.dataset.features import fields_yaml  # noqa: E402
from factgold.dataset.flat import FLAT_CONFIGS, flat_properties  # noqa: E402
from factgold.read.schema import load_schema  # noqa: E402


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")


def _load(tmp_path: Path, *config: str) -> Any:
    # A fresh cache_dir: datasets would otherwise serve rows cached before a data file changed.
    return datasets.load_dataset(str(CORPUS), *config, split="test", cache_dir=str(tmp_path / "cache"))


def test_documents_is_the_default_config(tmp_path: Path, gold_doc: dict[str, Any]) -> None:
    documents = _load(tmp_path)
    assert documents.num_rows == 1
    row = documents[0]
    assert row["text"] == SEED_FILE.read_bytes().decode("utf-8")
    assert row["id"] == gold_doc["id"]
    assert len(row["entities"]) == len(gold_doc["entities"])
    mention = row["entities"][0]["mentions"][0]
    assert row["text"][mention["start"] : mention["end"]] == mention["text"]


def test_documents_features_come_from_the_schema(tmp_path: Path) -> None:
    expected = datasets.Features._from_yaml_list(fields_yaml(load_schema()["properties"]))
    assert _load(tmp_path, DOCUMENTS_CONFIG).features == expected


@pytest.mark.parametrize("config", FLAT_CONFIGS)
def test_flat_config_loads_by_name(tmp_path: Path, config: str, gold_doc: dict[str, Any]) -> None:
    rows = _load(tmp_path, config)
    expected_features = datasets.Features._from_yaml_list(fields_yaml(flat_properties()[config]))
    assert rows.features == expected_features
    expected_count = {
        "mentions": sum(len(e["mentions"]) for e in gold_doc["entities"]),
        "relations": len(gold_doc["relations"]),
        "numeric_facts": len(gold_doc["numeric_facts"]),
        "time_expressions": len(gold_doc["time_expressions"]),
    }[config]
    assert rows.num_rows == expected_count
    assert set(rows["doc_id"]) == {gold_doc["id"]}


def test_flat_rows_point_into_the_text(tmp_path: Path, gold_doc: dict[str, Any]) -> None:
    text = gold_doc["text"]
    for row in _load(tmp_path, "mentions"):
        assert text[row["start"] : row["end"]] == row["text"]
    for row in _load(tmp_path, "relations"):
        assert all(text[span["start"] : span["end"]] == span["text"] for span in row["evidence"])


def test_the_card_parses_as_a_hugging_face_dataset_card() -> None:
    from huggingface_hub import DatasetCard

    text = (CORPUS / "README.md").read_text(encoding="utf-8")
    card = DatasetCard(text)
    data = vars(card.data)  # the parsed YAML header
    assert data["license"] == "cc-by-4.0"
    assert data["task_categories"] == ["token-classification"]  # NER, relations: not text classification
    assert card.text.lstrip().startswith("# factgold")  # no stray front-matter fences before the prose
    assert [line for line in card.text.splitlines() if line.strip() == "---"] == []
    assert "## Licence" in card.text
    assert "CC BY 4.0" in card.text
