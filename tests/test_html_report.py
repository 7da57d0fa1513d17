"""The HTML report, rendered in a real browser (headless Chromium): the highlighted article is
there, one element per mention, and markup from predictions stays inert text."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from factgold.cli import main

DOC_ID = "000_8ba8a8b9c66a07ae"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed here (.ci/run installs Debian's chromium)"
)
# Headless, sandbox off (root in CI), and no background networking: the machine has no network.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Elements(HTMLParser):
    """Counts elements by tag and collects the attributes of <mark> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}
        self.marks: list[dict[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "mark":
            self.marks.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _chromium(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _report(
    tmp_path: Path, predictions: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> tuple[Path, dict[str, Any]]:
    path = tmp_path / "predictions.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in predictions), encoding="utf-8")
    html = tmp_path / "report.html"
    assert main(["eval", str(path), "--format", "html", "--output", str(html)]) == 0
    assert main(["eval", str(path), "--format", "json"]) == 0
    return html, json.loads(capsys.readouterr().out)


def _expected_marks(report: dict[str, Any]) -> dict[str, int]:
    items = [e for e in report["errors"] if e["task"] == "mentions"]
    return {
        "gold": sum(1 for e in items if e["gold"] and e["gold"]["start"] is not None),
        "predicted": sum(1 for e in items if e["predicted"] and e["predicted"]["start"] is not None),
    }


@needs_chromium
def test_baseline_report_in_a_browser(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["baseline"]) == 0
    baseline = json.loads(capsys.readouterr().out)
    html, report = _report(tmp_path, [baseline], capsys)
    result = _chromium(tmp_path, "--dump-dom", html.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = _Elements()
    dom.feed(result.stdout)
    expected = _expected_marks(report)
    sides = [mark.get("data-side") for mark in dom.marks]
    assert sides.count("gold") == expected["gold"] == 40
    assert sides.count("predicted") == expected["predicted"] > 0
    assert {mark.get("data-category") for mark in dom.marks} >= {"correct", "missed"}
    assert dom.tags.get("svg", 0) >= 2  # the per-type bars

    screenshot = tmp_path / "report.png"
    result = _chromium(tmp_path, f"--screenshot={screenshot}", "--window-size=1400,1800", html.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000  # a rendered page, not a blank one


INJECTIONS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


@needs_chromium
def test_markup_in_predictions_is_inert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prediction = {
        "id": DOC_ID,
        "entities": [
            {"id": "a", "type": INJECTIONS[0], "mentions": [{"start": 0, "end": 8}]},
            {"id": "b", "type": "GPE", "name": INJECTIONS[1]},
        ],
        "relations": [{"type": INJECTIONS[1], "head": "a", "tail": {"start": 144, "end": 153}}],
        "numeric_facts": [{"value": INJECTIONS[0]}],
    }
    html, _ = _report(tmp_path, [prediction], capsys)
    result = _chromium(tmp_path, "--dump-dom", html.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = _Elements()
    dom.feed(result.stdout)
    assert "script" not in dom.tags
    assert "img" not in dom.tags
    text = "".join(dom.text)
    assert INJECTIONS[1] in text  # shown as text
    assert INJECTIONS[0].replace("<", "").replace(">", "") not in text or "<script>" in result.stdout.replace(
        "&lt;", "<"
    )


def test_html_escapes_without_a_browser(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prediction = {"id": DOC_ID, "entities": [{"type": INJECTIONS[0], "mentions": [{"start": 0, "end": 8}]}]}
    html, _ = _report(tmp_path, [prediction], capsys)
    page = html.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_readme_screenshot_is_of_the_current_templates() -> None:
    # docs/screenshot.py makes docs/report.png and records the templates it was made from.
    import runpy

    command = runpy.run_path(str(REPO / "docs" / "screenshot.py"))  # its functions, without running it
    recorded = json.loads(command["SOURCE"].read_text(encoding="utf-8"))["templates_sha256"]
    assert recorded == command["templates_digest"](), "the report templates changed: run 'python docs/screenshot.py'"
