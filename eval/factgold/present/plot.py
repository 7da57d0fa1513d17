"""Plots of a JSON report, for people who would rather look: per-type F1 bars, and the
precision-recall curves when predictions carried scores. matplotlib is an optional extra
(``pip install 'factgold[plot]'``), imported only here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from factgold.errors import UsageError

FORMATS = {".png": "png", ".svg": "svg"}


def load_report(path: Path) -> dict[str, Any]:
    """A factgold JSON report, checked against ``schema/report.schema.json``."""
    from jsonschema import Draft202012Validator

    from factgold.read.schema import load_schema

    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"{path}: not a readable JSON report ({error})") from None
    errors = list(Draft202012Validator(load_schema("report.schema.json")).iter_errors(report))
    if errors:
        raise UsageError(f"{path}: not a factgold report: {errors[0].message[:200]}")
    return dict(report)


def plot_report(report: dict[str, Any], output: Path) -> None:
    """Draw the report's per-type F1 bars (and precision-recall curves) to a PNG or SVG file."""
    if output.suffix.lower() not in FORMATS:
        raise UsageError(f"--output must end in .png or .svg, not {output.suffix or 'nothing'}")
    try:
        import matplotlib
    except ImportError:
        raise UsageError("plotting needs matplotlib: pip install 'factgold[plot]'") from None
    if not output.parent.resolve().is_dir():
        raise UsageError(f"cannot write {output}: folder {output.parent} does not exist")
    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "factgold"  # the same SVG for the same report
    import matplotlib.pyplot as plt

    bars: list[tuple[str, dict[str, Any]]] = []
    scores = report["scores"]
    if "entities" in scores:
        bars.append(("mentions, strict", {t: c["strict"] for t, c in scores["entities"]["mentions_by_type"].items()}))
    if "relations" in scores:
        bars.append(("relations, strict", scores["relations"]["by_type"]))
    if "numeric_facts" in scores:
        bars.append(("numeric facts, value", scores["numeric_facts"]["by_kind"]))
    curves = report["confidence"]
    panels = len(bars) + (1 if curves else 0)
    if panels == 0:
        raise UsageError("the report has no per-type scores and no precision-recall curve to plot")
    figure, axes = plt.subplots(1, panels, figsize=(5.5 * panels, 4.5), squeeze=False)
    for axis, (title, by_type) in zip(axes[0], bars, strict=False):
        labels = sorted(by_type)
        axis.barh(labels, [by_type[label]["f1"] for label in labels], color="#6c8ebf")
        axis.set_xlim(0, 1)
        axis.set_xlabel("F1")
        axis.set_title(f"F1 by type: {title}")
        axis.invert_yaxis()
    if curves:
        axis = axes[0][-1]
        for task, curve in sorted(curves.items()):
            points = curve["points"]
            axis.step(
                [p["recall"] for p in points],
                [p["precision"] for p in points],
                where="post",
                label=f"{task} (AP {curve['average_precision']:.3f})",
            )
        axis.set_xlim(0, 1)
        axis.set_ylim(0, 1.05)
        axis.set_xlabel("recall (over all gold items)")
        axis.set_ylabel("precision")
        axis.set_title("Precision-recall by confidence")
        axis.legend(loc="lower left", fontsize=8)
    figure.suptitle(report["signature"], fontsize=6)
    figure.tight_layout()
    figure.savefig(
        output,
        format=FORMATS[output.suffix.lower()],
        metadata={"Date": None} if output.suffix.lower() == ".svg" else None,
    )
    plt.close(figure)
