"""Human-readable renderings of a JSON report: an aligned text table or Markdown.

Both are rendered from `Report.to_dict()`, so they can never disagree with the JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

import msgspec
import orjson

from factgold.score.items import ErrorItem

# Control characters (C0, DEL, C1) and the bidirectional overrides and isolates: from a
# prediction they could recolour or rewrite the reader's terminal, or reorder what it shows.
_UNPRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes; line breaks are kept.

    >>> print(printable("ORG\\x1b[31m"))
    ORG\\x1b[31m
    """
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def report_json(report: dict[str, Any]) -> str:
    """The JSON report as text: indented, with the error items one to a line.

    The head is written by orjson, the items by msgspec: a report lists up to millions of
    items, and the json module's encoder took longer to write them than scoring took to
    find them. The items may be dicts or the `factgold.score.items.ErrorItem` structs
    themselves (``Report.to_dict(items_as_objects=True)``, as the command line asks), which
    msgspec writes from their fields as the same objects, without a dict (0.05 against
    0.19 s for 63,000 items with their dicts and orjson, measured); both are written alike.
    Compact items, one a line, keep the file readable and diffable. Items are written as
    orjson writes them (tests hold the two equal): see `_items_json`.

    >>> print(report_json({"a": 1, "errors": [{"task": "x", "b": 2}, {"task": "y"}]}), end="")
    {
      "a": 1,
      "errors": [
        {"task":"x","b":2},
        {"task":"y"}
      ]
    }
    """
    options = orjson.OPT_NON_STR_KEYS  # as the json module, which writes a number key as a string
    head = orjson.dumps({**report, "errors": []}, option=options | orjson.OPT_INDENT_2).decode()
    placeholder = '\n  "errors": []'  # a key at the top level: inside a string its quotes would be escaped
    errors = report.get("errors")
    if not errors:
        return head + "\n"
    # A call per batch of items (a call per item would cost more than the writing), then a
    # line break before each item: compact, an item is an object opening with its "task"
    # key, and inside a JSON string that quote would be escaped.
    batches = [_items_json(errors[start : start + ITEMS_A_CALL]) for start in range(0, len(errors), ITEMS_A_CALL)]
    # Each step lets go of the one before: a million items' text is held twice at most.
    items = b",".join(batches)
    batches.clear()
    items = items.replace(b'},{"task":', b'},\n    {"task":')
    text = items.decode()
    del items
    before, after = head.split(placeholder, 1)
    return "".join((before, '\n  "errors": [\n    ', text, "\n  ]", after, "\n"))


def _items_json(items: Sequence[Any]) -> bytes:
    """Items (structs or dicts) as compact JSON objects separated by commas, as orjson writes them.

    msgspec writes what orjson does but in two cases, both put back here: a subclass of
    ``str`` or ``int`` (a ``numpy.str_`` label given through the Python API), which orjson
    writes as its value and msgspec refuses (`_plain`); and a float of 1e16 or more, which
    orjson writes ``1e+16`` (as the report's head does) and msgspec ``1e16``. Only an item's
    score can be such a float, and an unescaped ``"score":`` is a key, never inside a
    string: so the sign is put back there, where an item has such a score.
    """
    text = _ITEMS_ENCODER.encode(items)[1:-1]
    try:
        scores = list(map(_score_of, items))  # at C speed: the items are structs, as the command line gives them
    except AttributeError:  # dicts (`Report.to_dict()`), or structs and dicts
        scores = [item.score if isinstance(item, ErrorItem) else item.get("score") for item in items]
    if any(score is not None and not -1e16 < score < 1e16 for score in scores):
        text = _UNSIGNED_EXPONENT.sub(rb"\1+\2", text)
    return text


def _plain(value: Any) -> Any:
    """A subclass of ``str`` or ``int`` as its plain value, as orjson writes it (msgspec's ``enc_hook``)."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__index__(value)
    raise NotImplementedError(f"{type(value).__name__} is not written as JSON")


_ITEMS_ENCODER = msgspec.json.Encoder(enc_hook=_plain)
_score_of: Callable[[ErrorItem], float | None] = attrgetter("score")
_UNSIGNED_EXPONENT = re.compile(rb'("score":-?[0-9]+(?:\.[0-9]+)?e)([0-9])')


# Items written a call (`report_json`): enough that calls cost nothing beside the items,
# few enough that a batch's text takes little memory beside the items themselves.
ITEMS_A_CALL = 10_000


def _number(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], markdown: bool) -> list[str]:
    cells = [[printable(str(h)) for h in header], *[[printable(_number(v)) for v in row] for row in rows]]
    if markdown:
        cells = [[_escape(cell, markdown) for cell in row] for row in cells]
        lines = [
            "| " + " | ".join(cells[0]) + " |",
            "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|",
        ]
        return lines + ["| " + " | ".join(row) + " |" for row in cells[1:]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    numeric = [i > 0 and all(_is_number(row[i]) for row in cells[1:]) for i in range(len(header))]
    return [
        "  ".join(
            cell.rjust(w) if numeric[i] else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in cells
    ]


def _is_number(cell: str) -> bool:
    return cell == "-" or cell.replace(".", "", 1).isdigit()


def heading(title: str, markdown: bool) -> list[str]:
    return ["", f"## {title}" if markdown else title, ""] if markdown else ["", title, "-" * len(title)]


def _escape(text: str, markdown: bool) -> str:
    return text.replace("|", "\\|").replace("\n", " ") if markdown else text.replace("\n", " ")


def render(report: dict[str, Any], *, markdown: bool = False, show_errors: bool = False) -> str:
    """The report as a text table (default) or Markdown."""
    lines: list[str] = ["# factgold evaluation" if markdown else "factgold evaluation", ""]
    lines.append(f"Signature: `{report['signature']}`" if markdown else f"Signature: {report['signature']}")
    headline = report["headline"]
    intervals = report.get("intervals", {}).get("scores", {})
    parts = ", ".join(
        f"{name} {_number(value)}{_interval(intervals, name)}" for name, value in headline["parts"].items()
    )
    lines.append(f"Headline: {_number(headline['score'])}{_interval(intervals, 'headline')} ({parts})")
    if without := headline.get("without_alternatives"):
        others = ", ".join(f"{name} {_number(value)}" for name, value in without.items() if name != "score")
        lines.append(f"Without the gold's accepted alternatives: {_number(without['score'])} ({others})")
    lines.append(f"({report['definitions']['headline']})")
    if "intervals" in report:
        block = report["intervals"]
        lines += heading(
            f"Confidence intervals ({block['method']}, unit: {block['unit']}, {block['resamples']} resamples, "
            f"seed {block['seed']})",
            markdown,
        )
        lines += table(
            ["score", "estimate", "low", "high"],
            [[name, i["estimate"], i["low"], i["high"]] for name, i in intervals.items()],
            markdown,
        )
    for state, says in (
        ("not predicted", "scored as empty lists: every gold item missed"),
        ("not requested", "not scored"),
        ("not in the gold", "not scored: the gold annotates none"),
    ):
        tasks = [task for task, task_state in report["tasks"].items() if task_state == state]
        if tasks:
            lines.append(f"{state.capitalize()} ({says}): {', '.join(tasks)}")
    scores = report["scores"]
    mode = report["config"]["mentions"]

    by_name = names_only(report)
    if by_name:
        lines += [
            "",
            "No mentions predicted (the entities are given by name): the mention, cluster and coreference "
            "views do not apply; the entity level below scores the entities.",
        ]
    if "entities" in scores and not by_name:
        entities = scores["entities"]
        lines += heading(f"Mentions ({mode}), SemEval-2013 Task 9.1 schemes", markdown)
        keys = (
            "precision",
            "recall",
            "f1",
            "correct",
            "incorrect",
            "partial",
            "missed",
            "spurious",
            "possible",
            "actual",
        )
        lines += table(
            ["scheme", "P", "R", "F1", "COR", "INC", "PAR", "MIS", "SPU", "POS", "ACT"],
            [[scheme, *(counts[k] for k in keys)] for scheme, counts in entities["mentions"].items()],
            markdown,
        )
        lines += heading("Mentions by type (strict)", markdown)
        lines += table(
            ["type", "P", "R", "F1", "POS", "ACT"],
            [
                [
                    t,
                    c["strict"]["precision"],
                    c["strict"]["recall"],
                    c["strict"]["f1"],
                    c["strict"]["possible"],
                    c["strict"]["actual"],
                ]
                for t, c in entities["mentions_by_type"].items()
            ],
            markdown,
        )
    if "entities" in scores:
        entities = scores["entities"]
        lines += heading("Entities" if by_name else "Entities and coreference", markdown)
        coref = entities["coreference"]
        rows = [
            [
                f"entities (entity level, {typing})",
                *(entities["entity_level"][typing][k] for k in ("precision", "recall", "f1")),
            ]
            for typing in ("typed", "untyped")
        ]
        if not by_name:
            clusters = entities["clusters"]
            rows.append(["entities (clusters)", clusters["precision"], clusters["recall"], clusters["f1"]])
            rows += [
                [name, coref[name]["precision"], coref[name]["recall"], coref[name]["f1"]]
                for name in ("muc", "b3", "ceafe")
            ]
            rows.append(["conll (mean F1)", None, None, coref["conll_f1"]])
        lines += table(["metric", "P", "R", "F1"], rows, markdown)
        if not by_name and "coreference" in report["definitions"].get("caveats", {}):
            lines += ["", f"Coreference (muc, b3, ceafe, conll): {report['definitions']['caveats']['coreference']}."]
    if "relations" in scores:
        relations = scores["relations"]
        lines += heading("Relations", markdown)
        rows = [
            [mode_name, *(relations[mode_name][k] for k in ("precision", "recall", "f1", "tp", "fp", "fn"))]
            for mode_name in ("strict", "unlabeled")
        ]
        rows += [
            [f"  {t}", *(c[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn"))]
            for t, c in relations["by_type"].items()
        ]
        lines += table(["mode / type", "P", "R", "F1", "TP", "FP", "FN"], rows, markdown)
    if "numeric_facts" in scores:
        numeric = scores["numeric_facts"]
        lines += heading("Numeric facts", markdown)
        rows = [
            [a, *(numeric[a][k] for k in ("precision", "recall", "f1", "tp", "fp", "fn"))]
            for a in ("value", "spans", "unit", "kind", "approximate", "bound", "subject")
        ]
        lines += table(["score", "P", "R", "F1", "TP", "FP", "FN"], rows, markdown)
        coverage = ", ".join(f"{a} {_number(numeric['coverage'][a])}" for a in ("kind", "subject", "spans"))
        lines.append("")  # in Markdown a line right after a table would be read as one more row
        lines.append(f"Coverage (fraction of predicted facts carrying it; spans: located in the text): {coverage}")
        lines.append("A fact without a kind or subject does not predict it: it lowers recall, not precision.")
        if numeric["attributes_not_predicted"]:
            lines.append(f"No prediction carries: {', '.join(numeric['attributes_not_predicted'])}")

    if report.get("confidence"):
        lines += heading("Confidence scores: precision-recall over the predicted items' scores", markdown)
        lines += table(
            ["task", "AP", "best F1", "at threshold", "P there", "R there"],
            [
                [task, c["average_precision"], c["best_f1"], c["best_threshold"], c["best_precision"], c["best_recall"]]
                for task, c in report["confidence"].items()
            ],
            markdown,
        )
    unused = report["labels_not_in_gold"]
    if unused["entity_types"] or unused["relation_types"]:
        lines += heading("Predicted labels the gold does not use (counted as errors)", markdown)
        lines += [
            f"entity types: {', '.join(unused['entity_types']) or '-'}",
            f"relation types: {', '.join(unused['relation_types']) or '-'}",
        ]
    if given := report.get("relations_given_entities"):
        lines += heading("Relations with given entities (DocRED's relation F1)", markdown)
        rows = [["all", *(given[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn"))]]
        rows += [
            [t, *(c[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn"))] for t, c in given["by_type"].items()
        ]
        lines += table(["type", "P", "R", "F1", "TP", "FP", "FN"], rows, markdown)
        lines.append("")
        lines.append(
            f"{given['duplicates']} repeated prediction(s) counted once; {given['unknown_ids']} naming an id the "
            f"gold lacks; {given['not_named_by_id']} relation(s) whose ends are not gold ids (each a false positive)"
        )
    for gap in report.get("memorization", []):
        lines += _memorization_lines(gap, markdown)
    lines += heading("Items by category", markdown)
    lines += table(
        ["task", "categories"],
        [
            [task, ", ".join(f"{c} {n}" for c, n in counts.items())]
            for task, counts in report["error_counts"].items()
            if not (by_name and task in ("mentions", "entities"))
        ],
        markdown,
    )
    if report["notes"]:
        lines += heading("Notes", markdown)
        lines += [f"- {note}" for note in report["notes"]]
    if show_errors:
        lines += heading("Errors (every item not correct, and every item found by a fuzzy match)", markdown)
        rows = []
        for item in report["errors"]:
            fuzzy = item["grounded_by"] == "fuzzy"
            if item["category"] == "correct" and not fuzzy:
                continue
            if by_name and item["task"] in ("mentions", "entities"):
                continue  # views that do not apply to entities given by name
            sides = []
            for side in ("gold", "predicted"):
                ref = item[side]
                if ref is None:
                    sides.append("-")
                else:
                    where = f"[{ref['start']}, {ref['end']}) " if ref["start"] is not None else ""
                    sides.append(f"{where}{ref['text']!r} {ref['label'] or ''}".strip().replace("\n", " "))
            detail = "; ".join(text for text in (item["detail"], "found by a fuzzy match" if fuzzy else "") if text)
            rows.append([item["task"], item["category"], *sides, detail])
        if markdown:
            lines += table(["task", "category", "gold", "predicted", "detail"], rows, markdown)
        else:
            lines += _error_lines(rows)
    # The JSON keeps every string exactly; what a terminal shows has its control characters escaped.
    return printable("\n".join(lines)) + "\n"


ERROR_WIDTH = 100  # columns of the text error list: a terminal's usual width


def _memorization_lines(gap: dict[str, Any], markdown: bool) -> list[str]:
    """The gap of one original over its counterfactual variants, and the answers from memory."""
    boot = gap["bootstrap"]
    lines = heading(f"Memorization gap: {gap['original']} against its {gap['variants']} variants", markdown)
    lines += table(
        ["score", "original", "variants (mean)", "gap", "95% interval"],
        [
            [r["part"], _number(r["original"]), _number(r["variants_mean"]), _number(r["gap"]),
             f"{_number(r['interval'][0])} to {_number(r['interval'][1])}"]
            for r in gap["gap"]
        ],
        markdown,
    )  # fmt: skip
    lines.append("")
    lines.append(
        f"A positive gap: better on the original than where the variants change its facts (percentile "
        f"bootstrap over the variants, {boot['resamples']} resamples, seed {boot['seed']})."
    )
    answers = gap["answered_from_memory"]
    lines.append(
        f"Answered from memory: {len(answers)} answer(s) on variants repeat the original where the variant "
        "says otherwise" + (":" if answers else ".")
    )
    lines += [
        f"- {_escape(a['document'], markdown)} {a['layer']}: gave {_escape(a['system_gave'], markdown)}; "
        f"the text says {_escape(a['text_says'], markdown)}"
        for a in answers
    ]
    return lines


def _error_lines(rows: Sequence[Sequence[str]]) -> list[str]:
    """Error items as text that fits `ERROR_WIDTH` columns: one item a paragraph, wrapped.

    The full strings are in the JSON; here a long text wraps onto indented lines.
    """
    import textwrap

    lines: list[str] = []
    for task, category, gold, predicted, detail in rows:
        first = f"{task} {category}: gold {gold} | predicted {predicted}"
        lines += textwrap.wrap(printable(first), ERROR_WIDTH, subsequent_indent="    ")
        if detail:
            lines += textwrap.wrap(printable(detail), ERROR_WIDTH, initial_indent="    ", subsequent_indent="    ")
    return lines


def _interval(intervals: dict[str, Any], name: str) -> str:
    """`` [low, high]`` of a score when the report has intervals for it."""
    found = intervals.get(name)
    return f" [{found['low']:.4f}, {found['high']:.4f}]" if found else ""


def names_only(report: dict[str, Any]) -> bool:
    """Whether the system gave entities and no mention at all (entities by name only)."""
    entities = report["scores"].get("entities")
    if entities is None:
        return False
    level = entities["entity_level"]["typed"]
    return bool(entities["mentions"]["strict"]["actual"] == 0 and level["tp"] + level["fp"] > 0)
