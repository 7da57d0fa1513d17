"""factgold's mention scoring against nervaluate and seqeval, side by side, as ratios.

    python eval/benchmarks/run.py [--quick] [--write-readme README.md]

Each measurement runs in a fresh process (so peak memory is its own) on the same seeded
workload: factgold (all four SemEval schemes, optimal alignment), nervaluate (all four
schemes, greedy), seqeval (strict, on the BIO tags of the same spans). A measurement over
its time budget is reported as such. The workload's generation is not timed.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from cells import machine, put_in_readme, row

HERE = Path(__file__).resolve().parent
SIZES = (1_000, 10_000, 20_000, 100_000, 1_000_000)
PER_DOCUMENT = (20, 2_000)
TOOLS = ("factgold", "nervaluate", "seqeval")
BUDGET = 300.0  # seconds for one measurement


def _measure(tool: str, mentions: int, per_document: int) -> dict[str, float]:
    """Runs in the child process: build the workload, time the tool on it."""
    sys.path[:0] = [str(HERE.parent), str(HERE.parent.parent)]
    from benchmarks.workload import TYPES, workload

    documents = workload(mentions, per_document, seed=0)
    # Imports happen before the clock starts: scoring is measured, not module loading.
    from nervaluate import Evaluator
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    from factgold.score.counts import SchemeCounts
    from factgold.score.mentions import SCHEMES, MentionItem, score_mentions

    start = time.perf_counter()
    if tool == "factgold":
        totals = dict.fromkeys(SCHEMES, SchemeCounts())
        for index, doc in enumerate(documents):
            gold = [MentionItem(s, e, t, "", "name", str(i)) for i, (s, e, t) in enumerate(doc.gold)]
            predicted = [MentionItem(s, e, t, "", "name", str(i)) for i, (s, e, t) in enumerate(doc.predicted)]
            scores = score_mentions(str(index), gold, predicted)
            totals = {scheme: totals[scheme] + scores.overall[scheme] for scheme in SCHEMES}
        f1 = totals["strict"].f1
    elif tool == "nervaluate":
        true = [[{"label": t, "start": s, "end": e - 1} for s, e, t in doc.gold] for doc in documents]
        pred = [[{"label": t, "start": s, "end": e - 1} for s, e, t in doc.predicted] for doc in documents]
        f1 = Evaluator(true, pred, tags=list(TYPES), loader="dict").evaluate()["overall"]["strict"].f1
    else:

        def tags(doc_tokens: int, spans: tuple[tuple[int, int, str], ...]) -> list[str]:
            sequence = ["O"] * doc_tokens
            for s, e, t in spans:
                if all(tag == "O" for tag in sequence[s:e]):
                    sequence[s:e] = [f"B-{t}"] + [f"I-{t}"] * (e - s - 1)
            return sequence

        true = [tags(doc.tokens, doc.gold) for doc in documents]
        pred = [tags(doc.tokens, doc.predicted) for doc in documents]
        f1 = f1_score(true, pred, mode="strict", scheme=IOB2)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": elapsed, "peak_mb": peak_mb, "f1": f1}


def measure(tool: str, mentions: int, per_document: int) -> dict[str, float] | None:
    """One measurement in a fresh process; None when it ran over the budget."""
    code = (
        f"import json, sys; sys.path.insert(0, {str(HERE)!r}); import run; "
        f"print(json.dumps(run._measure({tool!r}, {mentions}, {per_document})))"
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=BUDGET, check=True
        )
    except subprocess.TimeoutExpired:
        return None
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


HEADER = (
    "| mentions | per document | factgold s | nervaluate s | seqeval s | nervaluate / factgold "
    "| seqeval / factgold | peak MB factgold / nervaluate / seqeval |"
)


def table(sizes: tuple[int, ...]) -> str:
    lines = [HEADER, "|---:|---:|---:|---:|---:|---:|---:|---|"]
    for per_document in PER_DOCUMENT:
        for mentions in sizes:
            if mentions < per_document:
                continue
            found = {tool: measure(tool, mentions, per_document) for tool in TOOLS}
            lines.append(row(mentions, per_document, found, TOOLS, BUDGET))
            print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only up to 10,000 mentions")
    parser.add_argument(
        "--write-readme", type=Path, default=None, help="put the table into this README's benchmark section"
    )
    args = parser.parse_args()
    sizes = SIZES[:2] if args.quick else SIZES
    result = table(sizes)
    header = f"{machine()}; time budget {BUDGET:.0f} s a measurement.\n\n"
    text = header + result
    print(text)
    if args.write_readme:
        put_in_readme(args.write_readme, "generated:benchmark", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
