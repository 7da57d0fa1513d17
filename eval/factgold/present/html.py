"""The HTML report: one self-contained file (inline CSS and SVG, no script, no network).

Every piece of text from the gold or a prediction reaches the page through Jinja2 with
autoescaping on, never by string concatenation, so a prediction's ``<script>`` shows as
text. The article is drawn twice, gold and predicted, each mention a ``<mark>`` coloured by
its category; marks nest where spans nest, and a predicted span that crosses another is
listed under the article instead, so that every mention is exactly one element.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from factgold.present.render import names_only

CATEGORY_COLOURS = {
    "correct": "#b7e4c7",
    "boundary": "#ffe8a3",
    "type": "#ffc9a3",
    "boundary+type": "#ffb3a3",
    "spurious": "#f4a6a6",
    "missed": "#c9d6ff",
    "hallucinated": "#e0b3ff",
}


@dataclass
class Segment:
    """A piece of the article: plain text, or a mark holding smaller segments."""

    text: str = ""
    mark: dict[str, str] | None = None
    children: list[Segment] = field(default_factory=list)


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    category: str
    side: str
    tooltip: str
    fuzzy: bool = False  # found in the text by a fuzzy match: marked, so a reader sees where leniency applied


def nest(text: str, highlights: Sequence[Highlight]) -> tuple[list[Segment], list[Highlight]]:
    """The text as nested segments; highlights that cross another one come back apart.

    >>> spans = [Highlight(0, 4, "correct", "gold", ""), Highlight(2, 6, "spurious", "gold", "")]
    >>> segments, crossing = nest("abcdef", spans)
    >>> [s.text or s.mark["data-category"] for s in segments], [h.start for h in crossing]
    (['correct', 'ef'], [2])
    """
    ordered = sorted(highlights, key=lambda h: (h.start, -h.end, h.category))
    root = Segment(children=[])
    stack: list[tuple[Highlight | None, Segment]] = [(None, root)]
    crossing: list[Highlight] = []
    position = 0

    def emit_text(upto: int) -> None:
        nonlocal position
        if upto > position:
            stack[-1][1].children.append(Segment(text=text[position:upto]))
            position = upto

    for highlight in ordered:
        while (top := stack[-1][0]) is not None and top.end <= highlight.start:
            emit_text(top.end)  # the rest of the mark's text goes inside it, then the mark closes
            stack.pop()
        parent = stack[-1][0]
        if parent is not None and highlight.end > parent.end:
            crossing.append(highlight)
            continue
        emit_text(highlight.start)
        mark = Segment(
            mark={
                "class": "m fuzzy" if highlight.fuzzy else "m",
                "data-side": highlight.side,
                "data-category": highlight.category,
                "title": highlight.tooltip,
            },
            children=[],
        )
        stack[-1][1].children.append(mark)
        stack.append((highlight, mark))
    while (top := stack[-1][0]) is not None:
        emit_text(top.end)
        stack.pop()
    emit_text(len(text))
    return root.children, crossing


@cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _highlights(report: dict[str, Any]) -> dict[str, list[Highlight]]:
    """Gold and predicted mention highlights per document, from the report's mention items."""
    found: dict[str, list[Highlight]] = {}
    for item in report["errors"]:
        if item["task"] != "mentions":
            continue
        for side in ("gold", "predicted"):
            ref = item[side]
            if ref is None or ref["start"] is None:
                continue
            other = item["predicted" if side == "gold" else "gold"]
            tooltip = f"{side}: {ref['label']}" + (
                f" / {'predicted' if side == 'gold' else 'gold'}: {other['label']}" if other else ""
            )
            fuzzy = side == "predicted" and item["grounded_by"] == "fuzzy"
            if fuzzy:
                tooltip += " (found by a fuzzy match)"
            found.setdefault(item["document"], []).append(
                Highlight(ref["start"], ref["end"], item["category"], side, f"{item['category']} — {tooltip}", fuzzy)
            )
    return found


def _bars(by_type: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "label": label,
            "precision": scores["precision"],
            "recall": scores["recall"],
            "f1": scores["f1"],
            "y": 22 * index,
        }
        for index, (label, scores) in enumerate(sorted(by_type.items()))
    ]


def precision_recall_svg(points: Sequence[dict[str, float]], width: int = 160, height: int = 100) -> Any:
    """A precision-recall curve as a small inline SVG (recall across, precision up), numbers only."""
    from markupsafe import Markup

    path = " ".join(
        f"{p['recall'] * width:.1f},{(1 - p['precision']) * height:.1f}"
        for p in sorted(points, key=lambda p: p["recall"])
    )
    return Markup(
        f'<svg class="curve" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="precision-recall curve"><rect width="{width}" height="{height}" fill="none" stroke="#999"/>'
        f'<polyline points="{path}" fill="none" stroke="#1d4ed8" stroke-width="2"/></svg>'
    )


def render_report_html(report: dict[str, Any], texts: dict[str, str]) -> str:
    """The report as one HTML page; ``texts`` gives each document's text."""
    highlights = _highlights(report)
    documents = []
    for doc_id, text in texts.items():
        gold, gold_crossing = nest(text, [h for h in highlights.get(doc_id, []) if h.side == "gold"])
        predicted, predicted_crossing = nest(text, [h for h in highlights.get(doc_id, []) if h.side == "predicted"])
        documents.append(
            {
                "id": doc_id,
                "gold": gold,
                "predicted": predicted,
                "crossing": gold_crossing + predicted_crossing,
                "text": text,
            }
        )
    scores = report["scores"]
    mention_bars = (
        _bars({t: c["strict"] for t, c in scores["entities"]["mentions_by_type"].items()})
        if "entities" in scores
        else []
    )
    relation_bars = _bars(scores["relations"]["by_type"]) if "relations" in scores else []
    rendered: str = (
        _environment()
        .get_template("report.html.j2")
        .render(
            report=report,
            documents=documents,
            colours=CATEGORY_COLOURS,
            mention_bars=mention_bars,
            relation_bars=relation_bars,
            names_only=names_only(report),
            curves=[
                {"task": task, **curve, "svg": precision_recall_svg(curve["points"])}
                for task, curve in report.get("confidence", {}).items()
            ],
            entities=[e for e in report["errors"] if e["task"] == "entity_level"],
            relations=[e for e in report["errors"] if e["task"] == "relations"],
            numeric=[e for e in report["errors"] if e["task"] in ("numeric_facts", "numeric_attributes")],
        )
    )
    return rendered


def render_leaderboard_html(board: dict[str, Any]) -> str:
    rendered: str = _environment().get_template("leaderboard.html.j2").render(board=board)
    return rendered
