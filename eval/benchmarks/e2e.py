"""`factgold eval` end to end, beside nervaluate and seqeval run the same way, from the same files.

    python eval/benchmarks/e2e.py [--quick] [--sizes 1000,20000] [--per-document 20,2000]
                                  [--kinds ner,relations,numeric,llm,floor] [--write-readme README.md]

For each workload (`benchmarks.files`: flat NER predictions with boundary, type, missed and
spurious errors) the gold and predictions files are written first (not timed); then each
tool runs as a whole fresh process, as a user runs it, from process start to its report
written: `factgold eval PREDICTIONS --gold GOLD --format json --output REPORT` (the default
views: mentions, clusters, coreference, entity level, relations, numeric facts), the same
with ``--jobs 2`` (its report checked to be the one process's, byte for byte), and
`benchmarks/peers.py` for nervaluate (all four schemes, overall and per type) and seqeval
(strict report). The `factgold.evaluate` call is timed too, inside a fresh process once it
has imported factgold (`benchmarks/api.py`: from the files to the report as a dict, which
must hold the same values as the command's report). Wall time and the process's peak memory are measured; a run over the
time budget is reported as such. A run under ten seconds is made three times and the
fastest kept. factgold's modules are compiled to bytecode first, as pip compiles the
peers' (`compile_bytecode`).

The other kinds (`--kinds`, `benchmarks.layers`) time `factgold eval` alone, the same way,
on workloads no peer scores: relations (``relations``), numeric facts (``numeric``), and an
LLM-style answer with no offsets at all (``llm``: entities by name or text, relation ends as
strings, facts as value strings). Sizes count gold mentions there too; the relations and
facts (about one each per two entities) come on top, and the table gives the rate over all
gold items. That table has its own README section (``generated:benchmark-layers``).

The ``floor`` kind times, on the NER workloads, `benchmarks/floor.py`: a lower bound on what
one Python process spends, with the libraries factgold reads and checks with, to write
factgold's default report (both files read and checked against their schemas, spans
matched by their offsets or a shared start or end for three views, as many items as
factgold lists, written), and the same counting only; beside nervaluate, `factgold eval`,
and `factgold eval --errors none`, each a fresh process as above (``generated:benchmark-floor``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from cells import compile_bytecode, has_section, put_in_readme, ratio, ratio_of, seconds
from cells import machine as cells_machine

if TYPE_CHECKING:
    from benchmarks.layers import Written

HERE = Path(__file__).resolve().parent
SIZES = (1_000, 20_000, 100_000, 1_000_000)
PER_DOCUMENT = (20, 200, 2_000)
# factgold also with two processes (`--jobs 2`, this machine's cores): the same report.
PARALLEL = "factgold --jobs 2"
# The Python call (`benchmarks/api.py`): its own seconds, from the files to the report as a
# dict, once imported; the report the same as the command's.
API = "factgold.evaluate"
TOOLS = ("factgold", PARALLEL, API, "nervaluate", "seqeval")
# The tools whose peak memory the table gives: the call's process is left out, as it is timed
# for the call alone (and it holds every item as a dict at once, where the command writes the
# items a batch at a time).
MEMORY_TOOLS = ("factgold", PARALLEL, "nervaluate", "seqeval")
KINDS = ("ner", "relations", "numeric", "llm", "floor")
SECTIONS = {
    "ner": "generated:benchmark-e2e",
    "layers": "generated:benchmark-layers",
    "floor": "generated:benchmark-floor",
}
# The floor table's tools: the lower bound (`benchmarks/floor.py`) with every item listed and
# with counts only, and factgold keeping counts only.
FLOOR_ITEMS, FLOOR_COUNTS, COUNTS_ONLY = "lower bound", "lower bound, counts only", "factgold --errors none"
FLOOR_TOOLS = ("nervaluate", FLOOR_ITEMS, FLOOR_COUNTS, "factgold", COUNTS_ONLY)
BUDGET = 600.0  # seconds for one measurement
# What a table's caption adds to the common one, by section.
CAPTION_NOTES = {
    "ner": f" The `{API}` column: the first call alone, timed inside its fresh process (`benchmarks/api.py`).",
}

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
    if tool in ("factgold", PARALLEL, COUNTS_ONLY):
        report = ["--format", "json", "--output", str(output), *(["--jobs", "2"] if tool == PARALLEL else [])]
        report += ["--errors", "none"] if tool == COUNTS_ONLY else []
        return [sys.executable, "-m", "factgold", "eval", str(predictions), "--gold", str(gold), *report]
    if tool == API:
        return [sys.executable, str(HERE / "api.py"), str(gold), str(predictions), str(output)]
    if tool in (FLOOR_ITEMS, FLOOR_COUNTS):
        mode = "items" if tool == FLOOR_ITEMS else "counts"
        return [sys.executable, str(HERE / "floor.py"), mode, str(gold), str(predictions), str(output)]
    return [sys.executable, str(HERE / "peers.py"), tool, str(gold), str(predictions), str(output)]


# A shared 2-core machine's timings of one command vary by a tenth or more from run to run:
# a run shorter than `REPEAT_UNDER` seconds is made `REPEATS` times and the fastest kept (as
# timeit and hyperfine report), and the peak memory is the largest of them.
REPEATS = 3
REPEAT_UNDER = 10.0


def measure(tool: str, gold: Path, predictions: Path, output: Path) -> dict[str, float] | None:
    """The fastest of up to `REPEATS` fresh runs (one when it takes `REPEAT_UNDER` s or more);
    None when a run went over the budget."""
    runs = [_timed_once(tool, gold, predictions, output)]
    while runs[-1] is not None and runs[-1]["seconds"] < REPEAT_UNDER and len(runs) < REPEATS:
        runs.append(_timed_once(tool, gold, predictions, output))
    done = [run for run in runs if run is not None]
    if len(done) < len(runs):
        return None
    return {"seconds": min(run["seconds"] for run in done), "peak_mb": max(run["peak_mb"] for run in done)}


def _timed_once(tool: str, gold: Path, predictions: Path, output: Path) -> dict[str, float] | None:
    """One run's seconds: the process's, or for the Python call the call's own, as
    `benchmarks/api.py` wrote them (so that its repeats, too, follow its own time)."""
    run = _measure_once(tool, gold, predictions, output)
    if run is not None and tool == API:
        return {**run, "seconds": run["call_seconds"]}
    return run


def _measure_once(tool: str, gold: Path, predictions: Path, output: Path) -> dict[str, float] | None:
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
    measured = {"seconds": float(result["seconds"]), "peak_mb": float(result["peak_mb"])}
    if tool == API:
        measured["call_seconds"] = float(output.with_suffix(".call").read_text(encoding="utf-8"))
    return measured


HEADER = (
    "| mentions | per document | `factgold eval` s | `--jobs 2` s | `factgold.evaluate` call s "
    "| nervaluate s | seqeval s "
    "| nervaluate / factgold | nervaluate / factgold `--jobs 2` | seqeval / factgold "
    "| peak MB factgold / `--jobs 2` (its largest process) / nervaluate / seqeval |"
)


def _row(mentions: int, per_document: int, found: dict[str, dict[str, float] | None]) -> str:
    """One row: each tool's seconds, nervaluate's and seqeval's time over factgold's, peak memory."""
    parallel = {"factgold": found[PARALLEL], "nervaluate": found["nervaluate"]}
    cells = [f"{mentions:,}", f"{per_document:,}", *(seconds(found, tool, BUDGET) for tool in TOOLS)]
    cells += [
        ratio(found, "nervaluate", BUDGET),
        ratio(parallel, "nervaluate", BUDGET),
        ratio(found, "seqeval", BUDGET),
    ]
    cells.append(" / ".join(f"{found[tool]['peak_mb']:.0f}" if found[tool] else "—" for tool in MEMORY_TOOLS))
    return "| " + " | ".join(cells) + " |"


def _importable() -> None:
    """Put the `benchmarks` package on the path (this file runs as a script from its folder)."""
    if str(HERE.parent) not in sys.path:
        sys.path[:0] = [str(HERE.parent)]


def _same_report(one: Path, several: Path) -> None:
    """The report of several processes is the report of one, byte for byte (or the table is void)."""
    if one.read_bytes() != several.read_bytes():
        raise RuntimeError(f"factgold --jobs 2 wrote another report than one process: {one} and {several} differ")


def _same_content(command: Path, call: Path) -> None:
    """The Python call's report is the command's, value for value (written by another writer):
    compared as canonical JSON, so that 1 and 1.0 differ as they do in the files."""
    import orjson

    def canonical(path: Path) -> bytes:
        return orjson.dumps(orjson.loads(path.read_bytes()), option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)

    if canonical(command) != canonical(call):
        raise RuntimeError(f"factgold.evaluate gave another report than factgold eval: {command} and {call} differ")


def _ner_workloads(sizes: tuple[int, ...], per_document: tuple[int, ...]) -> Iterator[tuple[int, int, Path, Path]]:
    """Each NER workload (`benchmarks.files`) the sizes make, written into a folder of its own
    for as long as it is measured: its mentions, mentions per document, gold and predictions."""
    _importable()
    from benchmarks.files import write

    for size in per_document:
        for mentions in sizes:
            if mentions < size:
                continue
            with tempfile.TemporaryDirectory() as folder:
                gold, predictions = write(Path(folder), mentions, size)
                yield mentions, size, gold, predictions


def table(sizes: tuple[int, ...], per_document: tuple[int, ...], tools: tuple[str, ...] = TOOLS) -> str:
    lines = [HEADER, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for mentions, size, gold, predictions in _ner_workloads(sizes, per_document):
        reports = {tool: gold.parent / f"{index}.json" for index, tool in enumerate(TOOLS)}
        found = {tool: measure(tool, gold, predictions, reports[tool]) if tool in tools else None for tool in TOOLS}
        if found["factgold"] and found[PARALLEL]:
            _same_report(reports["factgold"], reports[PARALLEL])
        if found["factgold"] and found[API]:
            _same_content(reports["factgold"], reports[API])
        lines.append(_row(mentions, size, found))
        print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines) + "\n"


FLOOR_HEADER = (
    "| mentions | per document | nervaluate s | lower bound s | lower bound, counts only s | `factgold eval` s "
    "| `factgold eval --errors none` s | nervaluate / lower bound | nervaluate / lower bound, counts only "
    "| nervaluate / factgold | nervaluate / factgold `--errors none` | factgold / lower bound "
    "| factgold `--errors none` / lower bound, counts only |"
)
# Each ratio of the floor table, after nervaluate's time over each of the others': how many
# times the lower bound's time factgold takes, listing items and counting only.
FLOOR_RATIOS = (("factgold", FLOOR_ITEMS), (COUNTS_ONLY, FLOOR_COUNTS))


def floor_table(sizes: tuple[int, ...], per_document: tuple[int, ...]) -> str:
    """The lower bound (`benchmarks/floor.py`) beside nervaluate and factgold, on the NER workloads."""
    lines = [FLOOR_HEADER, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for mentions, size, gold, predictions in _ner_workloads(sizes, per_document):
        found = {
            tool: measure(tool, gold, predictions, gold.parent / f"{index}.json")
            for index, tool in enumerate(FLOOR_TOOLS)
        }
        cells = [f"{mentions:,}", f"{size:,}", *(seconds(found, tool, BUDGET) for tool in FLOOR_TOOLS)]
        cells += [ratio_of(found, "nervaluate", tool, BUDGET) for tool in FLOOR_TOOLS[1:]]
        cells += [ratio_of(found, slower, faster, BUDGET) for slower, faster in FLOOR_RATIOS]
        lines.append("| " + " | ".join(cells) + " |")
        print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines) + "\n"


LAYERS_HEADER = (
    "| kind | gold mentions / relations / facts | mentions per document | `factgold eval` s | peak MB "
    "| gold items per second |"
)


def layers_row(kind: str, written: Written, per_document: int, found: dict[str, float] | None) -> str:
    counts = f"{written.mentions:,} / {written.relations:,} / {written.facts:,}"
    if found is None:
        timing = [f"> {BUDGET:.0f}", "—", f"< {written.items / BUDGET:,.0f}"]
    else:
        timing = [f"{found['seconds']:.2f}", f"{found['peak_mb']:.0f}", f"{written.items / found['seconds']:,.0f}"]
    return "| " + " | ".join([f"`{kind}`", counts, f"{per_document:,}", *timing]) + " |"


def layers_table(kinds: tuple[str, ...], sizes: tuple[int, ...], per_document: tuple[int, ...]) -> str:
    """`factgold eval` alone on the relations, numeric and LLM-style workloads."""
    _importable()
    from benchmarks.layers import write

    lines = [LAYERS_HEADER, "|---|---:|---:|---:|---:|---:|"]
    for kind in kinds:
        for size in per_document:
            for mentions in sizes:
                if mentions < size:
                    continue
                with tempfile.TemporaryDirectory() as folder:
                    written = write(Path(folder), kind, mentions, size)
                    found = measure("factgold", written.gold, written.predictions, Path(folder) / "report.json")
                lines.append(layers_row(kind, written, size, found))
                print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 1,000 and 20,000 mentions")
    parser.add_argument("--sizes", default=None, help="comma-separated numbers of gold mentions")
    parser.add_argument("--per-document", default=None, help="comma-separated mentions per document")
    parser.add_argument(
        "--kinds",
        default="ner",
        help="comma-separated workloads: ner (beside the peers), relations, numeric, llm, floor (default: ner)",
    )
    parser.add_argument("--write-readme", type=Path, default=None, help="put the tables into this README")
    args = parser.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else SIZES[:2] if args.quick else SIZES
    per_document = tuple(int(s) for s in args.per_document.split(",")) if args.per_document else PER_DOCUMENT
    kinds = tuple(kind.strip() for kind in args.kinds.split(",") if kind.strip())
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown or not kinds:
        parser.error(f"--kinds {args.kinds!r}: choose among {', '.join(KINDS)}")
    layers = tuple(kind for kind in kinds if kind not in ("ner", "floor"))
    wanted = [SECTIONS["ner"]] * ("ner" in kinds) + [SECTIONS["layers"]] * bool(layers)
    wanted += [SECTIONS["floor"]] * ("floor" in kinds)
    # Checked before measuring: a section missing from the README would be found only after the runs.
    missing = [marker for marker in wanted if args.write_readme and not has_section(args.write_readme, marker)]
    if missing:
        lines = " and ".join(f"'<!-- {marker} -->' ... '<!-- /{marker} -->'" for marker in missing)
        parser.error(f"{args.write_readme} has no section to write the table into: add the lines {lines}")
    machine = cells_machine()
    compile_bytecode()
    # Each table that was asked for: its section, what runs in it, and how it is made.
    tables: list[tuple[str, str, Callable[[], str]]] = []
    if "ner" in kinds:
        tables.append(("ner", "each tool", lambda: table(sizes, per_document)))
    if layers:
        tables.append(("layers", "`factgold eval`", lambda: layers_table(layers, sizes, per_document)))
    if "floor" in kinds:
        tables.append(("floor", "each", lambda: floor_table(sizes, per_document)))
    for section, runs, made in tables:
        heading = (
            f"{machine}; {runs} a fresh process from its files, the fastest of {REPEATS} runs "
            f"(one run where it takes {REPEAT_UNDER:.0f} s or more); time budget {BUDGET:.0f} s a run."
            f"{CAPTION_NOTES.get(section, '')}\n\n"
        )
        text = heading + made()
        print(text)
        if args.write_readme:
            put_in_readme(args.write_readme, SECTIONS[section], text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
