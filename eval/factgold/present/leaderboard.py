"""A leaderboard: systems ranked by the headline score, each with its bootstrap interval.

Neighbours in the ranking are compared by approximate randomization on the headline; a
system marked ``≈`` is not significantly different (p >= 0.05) from the one ranked just
below it, so their order should not be read as a result.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from factgold.present.statistics import bootstrap, compare, signature_suffix
from factgold.run.report import Report

LEVEL = 0.05


def leaderboard(reports: Sequence[Report], names: Sequence[str], resamples: int, seed: int) -> dict[str, Any]:
    """The ranked systems with intervals and the significance of each gap to the next one."""
    from factgold.errors import UsageError
    from factgold.present.statistics import same_tasks_message

    if len({tuple(r.total.headline_parts()) for r in reports}) > 1:
        raise UsageError(same_tasks_message(reports, names))
    order = sorted(range(len(reports)), key=lambda i: (-reports[i].headline, names[i]))
    rows = []
    for rank, index in enumerate(order, start=1):
        report = reports[index]
        interval = bootstrap(report, resamples, seed)["headline"]
        row: dict[str, Any] = {
            "rank": rank,
            "system": names[index],
            "headline": report.headline,
            "low": interval.low,
            "high": interval.high,
            "parts": report.total.headline_parts(),
            "p_next": None,
            "tied_with_next": False,
        }
        if rank < len(order):
            following = reports[order[rank]]
            headline = next(c for c in compare(report, following, resamples, seed) if c.score == "headline")
            row["p_next"] = headline.p_value
            row["tied_with_next"] = headline.p_value >= LEVEL
        rows.append(row)
    first = reports[order[0]]
    signature = first.signature + signature_suffix("leaderboard:bootstrap+approx-randomization", resamples, seed, first)
    return {"signature": signature, "systems": rows}


def render_leaderboard(board: dict[str, Any], format_name: str) -> str:
    if format_name == "json":
        return json.dumps(board, indent=2, ensure_ascii=False) + "\n"
    if format_name == "html":
        from factgold.present.html import render_leaderboard_html

        html: str = render_leaderboard_html(board)
        return html
    lines = ["| rank | system | headline | 95% interval | vs next |", "|---:|---|---:|---|---|"]
    for row in board["systems"]:
        versus = (
            ""
            if row["p_next"] is None
            else (f"≈ (p={row['p_next']:.3g})" if row["tied_with_next"] else f"better (p={row['p_next']:.3g})")
        )
        system = str(row["system"]).replace("|", "\\|")
        lines.append(
            f"| {row['rank']} | {system} | {row['headline']:.4f} | [{row['low']:.4f}, {row['high']:.4f}] | {versus} |"
        )
    lines += [
        "",
        f"Signature: `{board['signature']}`",
        "",
        "≈: not significantly different from the next system (approximate randomization, p >= 0.05).",
        "",
    ]
    return "\n".join(lines)
