"""The README's screenshot of the HTML report, made by a command so that it stays current.

    python docs/screenshot.py

Renders the HTML report of the ``simple`` baseline on the bundled article, photographs it
with headless Chromium into ``docs/report.png``, and records in ``docs/report.png.source``
the SHA-256 of the templates it was made from; a test fails when the templates change and
the screenshot is not made again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
TEMPLATES = DOCS.parent / "eval" / "factgold" / "present" / "templates"
SCREENSHOT = DOCS / "report.png"
SOURCE = DOCS / "report.png.source"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,1800")


def templates_digest() -> str:
    """SHA-256 over the report's templates, in name order."""
    digest = hashlib.sha256()
    for path in sorted(TEMPLATES.glob("*.j2")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("docs/screenshot.py: Chromium is not installed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        predictions = Path(folder) / "simple.jsonl"
        baseline = subprocess.run(
            [sys.executable, "-m", "factgold", "baseline", "--system", "simple"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        predictions.write_text(baseline, encoding="utf-8")
        html = Path(folder) / "report.html"
        subprocess.run(
            [sys.executable, "-m", "factgold", "eval", str(predictions), "--format", "html", "--output", str(html)],
            check=True,
        )
        profile = Path(folder) / "profile"
        subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={SCREENSHOT}", html.as_uri()],
            capture_output=True, check=True, timeout=120,
        )  # fmt: skip
    SOURCE.write_text(json.dumps({"templates_sha256": templates_digest()}) + "\n", encoding="utf-8")
    print(f"wrote {SCREENSHOT.name} and {SOURCE.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
