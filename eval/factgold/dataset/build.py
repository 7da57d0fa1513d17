"""Regenerate everything in the corpus folder that is derived from the gold documents.

Derived files are never edited by hand: the flat configs
(``data/{mentions,relations,numeric_facts,time_expressions}/test.jsonl``), the dataset
card's YAML header (configs and features, from the JSON Schema) and the card's generated
sections (statistics, agreement figures). `build_corpus` with ``write=False`` only reports
what is out of date, which is what the drift test and ``factgold build-corpus --check`` use.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from factgold.dataset.agreement import compare_corpora
from factgold.dataset.features import feature_yaml, fields_yaml, resolve
from factgold.dataset.flat import FLAT_CONFIGS, flat_properties, flat_rows
from factgold.dataset.variants import variants_of
from factgold.errors import UsageError
from factgold.read.document import MENTION_KINDS, Document
from factgold.read.schema import load_schema
from factgold.read.validate import load_gold

SPLIT = "test"
DOCUMENTS_CONFIG = "documents"
DOCUMENTS_FILE = Path("data") / DOCUMENTS_CONFIG / f"{SPLIT}.jsonl"
COUNTERFACTUAL_CONFIG = "counterfactual"
ANNOTATIONS = (Path("annotations") / "annotator_a.jsonl", Path("annotations") / "annotator_b.jsonl")
# The blind annotation (from the general guidelines only) against the gold as it stood before
# it was read: the figure is the agreement before adjudication adopted any of its choices.
BLIND = (Path("annotations") / "gold_1.1.0.jsonl", Path("annotations") / "annotator_c.jsonl")
CARD = Path("README.md")

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def config_file(config: str) -> Path:
    """Path of a config's data file, relative to the corpus folder."""
    return Path("data") / config / f"{SPLIT}.jsonl"


def jsonl_text(rows: Sequence[dict[str, Any]]) -> str:
    """Rows as JSON Lines, one compact line each, UTF-8 characters kept."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def card_header(documents: Sequence[Document], rows: dict[str, list[dict[str, Any]]]) -> str:
    """The card's YAML front matter: metadata, configs and features generated from the schema."""
    import yaml

    schema = load_schema()
    configs = [DOCUMENTS_CONFIG, *FLAT_CONFIGS, COUNTERFACTUAL_CONFIG]
    # The variants are gold documents too: the same features as the documents config.
    features = {
        DOCUMENTS_CONFIG: schema["properties"],
        COUNTERFACTUAL_CONFIG: schema["properties"],
        **flat_properties(),
    }
    header = {
        "pretty_name": "factgold",
        "language": sorted({doc.language for doc in documents}),
        # The annotations' licence; the source text's terms are in the card's Licence section.
        "license": "cc-by-4.0",
        "task_categories": ["token-classification"],
        "task_ids": ["named-entity-recognition"],
        "tags": ["information-extraction", "coreference-resolution", "relation-extraction", "numeric-facts", "news"],
        "size_categories": ["n<1K"],
        "configs": [
            {
                "config_name": name,
                "data_files": [{"split": SPLIT, "path": config_file(name).as_posix()}],
                **({"default": True} if name == DOCUMENTS_CONFIG else {}),
            }
            for name in configs
        ],
        "dataset_info": [{"config_name": name, "features": fields_yaml(features[name])} for name in configs],
    }
    return "---\n" + yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=1000) + "---\n"


def statistics_section(documents: Sequence[Document]) -> str:
    """Counts of the gold's items per layer, kind and type."""
    mention_kinds: Counter[str] = Counter(m.kind for doc in documents for e in doc.entities for m in e.mentions)
    entity_types = Counter(e.type for doc in documents for e in doc.entities)
    relation_types = Counter(r.type for doc in documents for r in doc.relations)
    fact_kinds = Counter(f.kind for doc in documents for f in doc.numeric_facts)

    def breakdown(counts: Counter[str], order: Sequence[str] | None = None) -> str:
        keys = order if order is not None else sorted(counts)
        return f"{sum(counts.values())} ({', '.join(f'{key} {counts[key]}' for key in keys)})"

    lines = [
        "| item | count |",
        "|---|---:|",
        f"| documents | {len(documents)} |",
        f"| entities | {breakdown(entity_types)} |",
        f"| mentions | {breakdown(mention_kinds, MENTION_KINDS)} |",
        f"| relations | {breakdown(relation_types)} |",
        f"| inferred relations | {sum(r.inferred for doc in documents for r in doc.relations)} |",
        f"| numeric facts | {breakdown(fact_kinds)} |",
        f"| time expressions | {sum(len(doc.time_expressions) for doc in documents)} |",
    ]
    return "\n".join(lines) + "\n"


def _type_name(node: dict[str, Any]) -> str:
    """A field's type as the card's tables write it: the dataset feature, nullable marked."""
    mapped = feature_yaml(node)
    resolved = resolve(node)
    nullable = isinstance(resolved.get("type"), list) and "null" in resolved["type"]
    if isinstance(mapped, dict):
        shape = "list of structs" if "list" in mapped and isinstance(mapped["list"], dict) else next(iter(mapped))
        name = shape if shape != "list" else f"list of {mapped['list']}"
    else:
        name = mapped
    return f"{name}, nullable" if nullable else name


def fields_section() -> str:
    """One table of fields for each config, generated from the JSON Schema's descriptions."""
    schema = load_schema()
    configs = {
        DOCUMENTS_CONFIG: schema["properties"],
        **flat_properties(),
        COUNTERFACTUAL_CONFIG: schema["properties"],
    }
    parts = []
    for name, properties in configs.items():
        if name == COUNTERFACTUAL_CONFIG:
            parts.append(f"`{name}`: the same fields as `{DOCUMENTS_CONFIG}` (a variant is a gold document).\n")
            continue
        rows = [f"`{name}`:\n", "| field | type | description |", "|---|---|---|"]
        for field_name, node in properties.items():
            described = (node.get("description") or resolve(node).get("description", "")).replace("|", "\\|")
            rows.append(f"| `{field_name}` | {_type_name(node)} | {described} |")
        parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def _replace_section(card: str, name: str, content: str) -> str:
    begin, end = f"<!-- generated:{name} -->\n", f"<!-- /generated:{name} -->"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(card):
        raise UsageError(f"the dataset card has no '{begin.strip()}' ... '{end}' section")
    return pattern.sub(lambda _: begin + content + end, card)


def render_card(
    card: str, documents: Sequence[Document], rows: dict[str, list[dict[str, Any]]], agreement: str, blind: str
) -> str:
    """The card with its generated header and sections replaced, prose kept."""
    body = _FRONT_MATTER.sub("", card, count=1)
    body = re.sub(r"\A(?:---\n)+", "", body)  # no stray front-matter fences before the prose
    body = _replace_section(body, "statistics", statistics_section(documents))
    body = _replace_section(body, "agreement", agreement)
    body = _replace_section(body, "blind-agreement", blind)
    body = _replace_section(body, "fields", fields_section())
    return card_header(documents, rows) + body


def variant_files(corpus: Path) -> dict[Path, str]:
    """The counterfactual config's file with the content the edit table derives."""
    # Derived from the gold as written (every field), not from its typed view.
    originals = [json.loads(line) for line in (corpus / DOCUMENTS_FILE).read_text(encoding="utf-8").splitlines()]
    return {corpus / config_file(COUNTERFACTUAL_CONFIG): jsonl_text(variants_of(corpus, originals))}


def write_stale(files: dict[Path, str], *, write: bool) -> list[Path]:
    """The files whose content differs from what they must hold, rewritten when ``write``."""
    stale = []
    for path, content in files.items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != content:
            stale.append(path)
            if write:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8", newline="\n")
    return stale


def expected_files(corpus: Path) -> dict[Path, str]:
    """Every derived file of the corpus folder with the content it must have."""
    documents = load_gold(corpus / DOCUMENTS_FILE)
    rows = flat_rows(documents)
    files = {corpus / config_file(name): jsonl_text(rows[name]) for name in FLAT_CONFIGS}
    files.update(variant_files(corpus))
    first, second = (load_gold(corpus / path, style=False) for path in ANNOTATIONS)
    agreement = compare_corpora(first, second).to_markdown()
    gold_before, blind = (load_gold(corpus / path, style=False) for path in BLIND)
    blind_agreement = compare_corpora(gold_before, blind).to_markdown()
    card_path = corpus / CARD
    if not card_path.is_file():
        raise UsageError(f"{card_path}: the dataset card is missing")
    files[card_path] = render_card(card_path.read_text(encoding="utf-8"), documents, rows, agreement, blind_agreement)
    return files


def build_corpus(corpus: Path, *, write: bool = True) -> list[Path]:
    """Bring the derived files up to date (or, with ``write=False``, only list the stale ones)."""
    return write_stale(expected_files(corpus), write=write)
