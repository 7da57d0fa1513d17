"""Repeated runs of one system (sampled LLM outputs): every score's spread over the runs.

Each run is scored on its own; the summary gives, for every precision, recall, F1 and
average precision in the reports and for the headline, the mean, the sample standard
deviation (n - 1 in the denominator; 0 for a single run), the minimum and the maximum,
and one row per run.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence
from typing import Any

_METRICS = ("precision", "recall", "f1", "conll_f1", "average_precision", "best_f1")


def _leaves(node: Any, path: str) -> Iterator[tuple[str, float]]:
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}"
            if key in _METRICS and isinstance(value, int | float):
                yield child, float(value)
            elif key != "points":
                yield from _leaves(value, child)


def metrics(report: dict[str, Any]) -> dict[str, float]:
    """The report's scores by path (``headline.score``, ``scores.relations.strict.f1``, ...)."""
    found = dict(_leaves(report["scores"], "scores"))
    found |= dict(_leaves(report["confidence"], "confidence"))
    found |= {f"headline.{k}": v for k, v in report["headline"]["parts"].items()}
    if report["headline"]["score"] is not None:
        found["headline.score"] = float(report["headline"]["score"])
    return found


def summarize(reports: Sequence[dict[str, Any]], names: Sequence[str]) -> dict[str, Any]:
    """The runs summary: statistics per score over the runs, and one row per run."""
    definitions = {tuple(report["headline"]["parts"]) for report in reports}
    if len(definitions) > 1:
        from factgold.errors import UsageError

        listed = "; ".join(", ".join(parts) for parts in sorted(definitions))
        raise UsageError(
            f"the runs' headlines are made of different scores ({listed}): score the runs on the same --tasks"
        )
    per_run = [metrics(report) for report in reports]
    paths = sorted(set.intersection(*(set(run) for run in per_run)))
    aggregate = {}
    for path in paths:
        values = [run[path] for run in per_run]
        aggregate[path] = {
            "mean": statistics.fmean(values),
            "std": statistics.stdev(values) if len(values) > 1 else 0.0,
            "min": min(values),
            "max": max(values),
        }
    first = reports[0]
    return {
        "signature": f"{first['signature']}|runs:{len(reports)}",
        "runs": len(reports),
        "definitions": {
            "statistics": "mean, sample standard deviation (n - 1), minimum and maximum of each score over the runs",
            **first["definitions"],
        },
        "aggregate": aggregate,
        "per_run": [
            {"file": name, "headline": report["headline"]["score"], **report["headline"]["parts"]}
            for name, report in zip(names, reports, strict=True)
        ],
    }


def render(summary: dict[str, Any], *, markdown: bool = False) -> str:
    """The runs summary as a text table or Markdown."""
    from factgold.present.render import heading, table

    lines = ["# factgold evaluation over runs" if markdown else "factgold evaluation over runs", ""]
    lines.append(f"Signature: `{summary['signature']}`" if markdown else f"Signature: {summary['signature']}")
    lines.append(f"({summary['definitions']['statistics']}; {summary['runs']} runs)")
    lines += heading("Scores over runs", markdown)
    rows = [[path, s["mean"], s["std"], s["min"], s["max"]] for path, s in summary["aggregate"].items()]
    lines += table(["score", "mean", "std", "min", "max"], rows, markdown)
    lines += heading("Runs", markdown)
    keys = [k for k in summary["per_run"][0] if k != "file"]
    lines += table(
        ["file", *keys], [[run["file"], *(run.get(k) for k in keys)] for run in summary["per_run"]], markdown
    )
    return "\n".join(lines) + "\n"
