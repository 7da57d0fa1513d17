"""The README's results table: every baseline on every task, produced by a command.

`results_table` runs each baseline on the bundled corpus and scores it; `update_readme`
puts the table between the README's ``<!-- generated:results -->`` markers (or, with
``write=False``, says whether it is out of date, which a test checks).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from factgold.baselines import SYSTEMS, predictor
from factgold.errors import UsageError
from factgold.run.evaluation import bundled_gold, bundled_gold_with_variants, evaluate

COLUMNS = (
    ("headline", ("headline", "score")),
    ("headline without alternatives", ("headline", "without_alternatives", "score")),
    ("entity level F1", ("scores", "entities", "entity_level", "typed", "f1")),
    ("mentions strict F1", ("scores", "entities", "mentions", "strict", "f1")),
    ("coreference CoNLL F1", ("scores", "entities", "coreference", "conll_f1")),
    ("relations strict F1", ("scores", "relations", "strict", "f1")),
    ("numeric value F1", ("scores", "numeric_facts", "value", "f1")),
)


def results_table() -> str:
    """A Markdown table of every baseline's scores, with the signature they share, and a second
    table of their scores on the counterfactual variants."""
    rows, variant_rows = [], []
    signature = ""
    with_variants = bundled_gold_with_variants()
    for system in SYSTEMS:
        predict = predictor(system)
        predictions = [predict(doc.id, doc.text) for doc in bundled_gold()]
        report = evaluate(predictions).to_dict()
        signature = report["signature"]
        cells = []
        for _, path in COLUMNS:
            node: Any = report
            for key in path:
                node = node.get(key) if isinstance(node, dict) else None
            cells.append("—" if node is None else f"{node:.3f}")
        rows.append(f"| `{system}` | " + " | ".join(cells) + " |")
        # The same baseline on the variants too: a system that reads has no gap.
        (gap,) = evaluate([predict(doc.id, doc.text) for doc in with_variants], gold=with_variants).memorization
        headline = next(row for row in gap.rows if row.part == "headline")
        low, mid, high = (f"{round(x, 3) + 0.0:+.3f}" for x in (headline.low, headline.gap, headline.high))
        variant_rows.append(
            f"| `{system}` | {headline.original:.3f} | {headline.variants_mean:.3f} | {mid} ({low} to {high}) "
            f"| {len(gap.answers)} |"
        )
    header = "| baseline | " + " | ".join(name for name, _ in COLUMNS) + " |"
    rule = "|---|" + "---:|" * len(COLUMNS)
    variants = [
        "",
        f"On the {len(with_variants) - len(bundled_gold())} counterfactual variants "
        "(`factgold eval PREDICTIONS --variants`, the baselines run on each variant's text):",
        "",
        "| baseline | headline, original | headline, variants (mean) | memorization gap (95% interval) "
        "| answered from memory |",
        "|---|---:|---:|---:|---:|",
        *variant_rows,
    ]
    return "\n".join([header, rule, *rows, "", f"Signature: `{signature}`", *variants, ""])


def update_readme(readme: Path, *, write: bool = True) -> bool:
    """Put the current table into the README; True when it was (or would be) changed."""
    text = readme.read_text(encoding="utf-8")
    begin, end = "<!-- generated:results -->\n", "<!-- /generated:results -->"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise UsageError(f"{readme} has no '{begin.strip()}' ... '{end}' section")
    updated = pattern.sub(lambda _: begin + results_table() + end, text)
    if updated != text and write:
        readme.write_text(updated, encoding="utf-8")
    return updated != text
