"""`factgold eval` end to end, beside nervaluate and seqeval run the same way, from the same files.

    python eval/benchmarks/e2e.py [--quick] [--sizes 1000,20000] [--per-document 20,2000]
                                  [--write-readme README.md]

For each workload (`benchmarks.files`: flat NER predictions with boundary, type, missed and
spurious errors) the gold and predictions files are written first (not timed); then each
tool runs as a whole fresh process, as a user runs it, from process start to its report
written: `factgold eval PREDICTIONS --gold GOLD --format json --output REPORT` (the default
views: mentions, clusters, coreference, entity level, relations, numeric facts), and
`benchmarks/peers.py` for nervaluate (all four schemes, overall and per type) and seqeval
(strict report). Wall time and the process's peak memory are measured; a run over the
time budget is reported as such.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from cells import put_in_readme, row

HERE = Path(__file__).resolve().parent
SIZES = (1_000, 20_000, 100_000, 1_000_000)
PER_DOCUMENT = (20, 200, 2_000)
TOOLS = ("factgold", "nervaluate", "seqeval")
BUDGET = 600.0  # seconds for one measurement

# Runs the command in a child and prints its wall time and peak memory: the wrapper is a
# fresh process, so the children's peak is the command's alone.
_TIMER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], capture_output=True, text=True, timeout=float(sys.argv[1]))
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak, "status": done.returncode, "stderr": done.stderr[-500:]}))
"""


def command(tool: str, gold: Path, predictions: Path, output: Path) -> list[str]:
    if tool == "factgold":
        report = ["--format", "json", "--output", str(output)]
        return [sys.executable, "-m", "factgold", "eval", str(predictions), "--gold", str(gold), *report]
    return [sys.executable, str(HERE / "peers.py"), tool, str(gold), str(predictions), str(output)]


def measure(tool: str, gold: Path, predictions: Path, output: Path) -> dict[str, float] | None:
    """One run in a fresh process; None when it ran over the budget."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _TIMER, str(BUDGET), *command(tool, gold, predictions, output)],
            capture_output=True,
            text=True,
            check=True,
            timeout=BUDGET + 60,
        )
    except subprocess.CalledProcessError:
        return None  # the child ran over the budget
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["status"] != 0:
        raise RuntimeError(f"{tool} failed: {result['stderr']}")
    return {"seconds": float(result["seconds"]), "peak_mb": float(result["peak_mb"])}


HEADER = (
    "| mentions | per document | `factgold eval` s | nervaluate s | seqeval s "
    "| nervaluate / factgold | seqeval / factgold | peak MB factgold / nervaluate / seqeval |"
)


def table(sizes: tuple[int, ...], per_document: tuple[int, ...], tools: tuple[str, ...] = TOOLS) -> str:
    sys.path[:0] = [str(HERE.parent)]
    from benchmarks.files import write

    lines = [HEADER, "|---:|---:|---:|---:|---:|---:|---:|---|"]
    for size in per_document:
        for mentions in sizes:
            if mentions < size:
                continue
            with tempfile.TemporaryDirectory() as folder:
                gold, predictions = write(Path(folder), mentions, size)
                found = {
                    tool: measure(tool, gold, predictions, Path(folder) / f"{tool}.json") if tool in tools else None
                    for tool in TOOLS
                }
            lines.append(row(mentions, size, found, TOOLS, BUDGET))
            print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 1,000 and 20,000 mentions")
    parser.add_argument("--sizes", default=None, help="comma-separated numbers of gold mentions")
    parser.add_argument("--per-document", default=None, help="comma-separated mentions per document")
    parser.add_argument("--write-readme", type=Path, default=None, help="put the table into this README")
    args = parser.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else SIZES[:2] if args.quick else SIZES
    per_document = tuple(int(s) for s in args.per_document.split(",")) if args.per_document else PER_DOCUMENT
    cores = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    text = (
        f"Machine: {cores} cores; Python {sys.version.split()[0]}; each tool a fresh process from its files; "
        f"time budget {BUDGET:.0f} s a run.\n\n" + table(sizes, per_document)
    )
    print(text)
    if args.write_readme:
        put_in_readme(args.write_readme, "generated:benchmark-e2e", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
