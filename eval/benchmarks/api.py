"""The `factgold.evaluate` call as a Python user makes it, timed inside its process.

    python eval/benchmarks/api.py GOLD PREDICTIONS OUTPUT

Imports `factgold.evaluate` first (as a notebook or a script has done before it scores),
then times the first call from the files to the report as a dict: ``factgold.evaluate(
PREDICTIONS, gold=GOLD)`` and ``report.to_dict()``, as the README shows them. What factgold
loads on first use (the schema validator, the reading and scoring modules, scipy's solver
where an assignment needs it) loads inside the call, as it does in a user's first call.
It writes the report to OUTPUT with orjson, so that the benchmark can hold it to the
command's report, and the seconds of the call to OUTPUT with the suffix ``.call``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import orjson

from factgold import evaluate


def main(gold: Path, predictions: Path, output: Path) -> None:
    start = time.perf_counter()
    report = evaluate(predictions, gold=gold).to_dict()
    elapsed = time.perf_counter() - start
    output.write_bytes(orjson.dumps(report, option=orjson.OPT_NON_STR_KEYS))  # as the command writes keys
    output.with_suffix(".call").write_text(f"{elapsed!r}\n", encoding="utf-8")


if __name__ == "__main__":
    main(*(Path(argument) for argument in sys.argv[1:4]))
