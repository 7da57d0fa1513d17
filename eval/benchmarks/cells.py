"""The cells and the README sections that the benchmark tables are written with."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

TIMES = "\u00d7"  # the multiplication sign of "20x faster"
Found = dict[str, dict[str, float] | None]


def machine() -> str:
    """What a table was measured on: the cores and the Python version."""
    cores = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    return f"Machine: {cores} cores; Python {sys.version.split()[0]}"


def seconds(found: Found, tool: str, budget: float) -> str:
    value = found[tool]
    return f"{value['seconds']:.2f}" if value else f"> {budget:.0f}"


def ratio(found: Found, tool: str, budget: float) -> str:
    """How many times longer the peer took than factgold (a bound when one ran out of time)."""
    return ratio_of(found, tool, "factgold", budget)


def ratio_of(found: Found, numerator: str, denominator: str, budget: float) -> str:
    """How many times longer ``numerator`` took than ``denominator`` (a bound when the first ran out of time)."""
    theirs, mine = found[numerator], found[denominator]
    if mine is None:
        return "—"
    if theirs is None:
        return f"> {budget / mine['seconds']:.1f}{TIMES}"
    return f"{theirs['seconds'] / mine['seconds']:.2f}{TIMES}"


def has_section(readme: Path, marker: str) -> bool:
    """Whether the README has the lines ``<!-- marker -->`` and ``<!-- /marker -->`` to write between."""
    content = readme.read_text(encoding="utf-8")
    return f"<!-- {marker} -->\n" in content and f"<!-- /{marker} -->" in content


def put_in_readme(readme: Path, marker: str, text: str) -> None:
    """Replace what stands between ``<!-- marker -->`` and ``<!-- /marker -->`` with ``text``."""
    begin, end = f"<!-- {marker} -->\n", f"<!-- /{marker} -->"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.DOTALL)
    readme.write_text(pattern.sub(lambda _: begin + text + end, readme.read_text(encoding="utf-8")), encoding="utf-8")


def row(mentions: int, per_document: int, found: Found, tools: tuple[str, ...], budget: float) -> str:
    """One table row: sizes, each tool's seconds, the peers' ratios to factgold, peak memory."""
    memory = " / ".join(f"{found[t]['peak_mb']:.0f}" if found[t] else "—" for t in tools)
    cells = [f"{mentions:,}", f"{per_document:,}", *(seconds(found, t, budget) for t in tools)]
    cells += [ratio(found, "nervaluate", budget), ratio(found, "seqeval", budget), memory]
    return "| " + " | ".join(cells) + " |"


def compile_bytecode() -> None:
    """Compile factgold's modules to bytecode before any run, as the peers' are.

    pip compiles an installed package's modules (nervaluate's and seqeval's are); an editable
    install is compiled on its first import, unless PYTHONDONTWRITEBYTECODE is set, when every
    run compiled every module again (a third of a small run's instructions): timed that way,
    factgold would be measured as no installed copy runs.
    """
    where = subprocess.run(
        [sys.executable, "-c", "import factgold, os; print(os.path.dirname(factgold.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", where], check=True)
