"""The ``factgold`` command: a thin layer over the Python API.

Every `FactgoldError` becomes one line on standard error and an exit status here, in one
place: 0 done, 2 bad input or usage, 1 an internal error (a bug, reported as such).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from factgold import __version__
from factgold.errors import FactgoldError, InputError, UsageError

if TYPE_CHECKING:
    from factgold.read.adapters import Conversion
    from factgold.read.document import Document
    from factgold.score.config import EvalConfig

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2
MAX_PROBLEMS_SHOWN = 20
# The arguments that name files a command reads: an --output that is one of them is refused.
_INPUT_ARGUMENTS = (
    "predictions", "systems", "input", "paths", "report", "gold", "label_map", "withheld", "copies", "inputs",
    "relations",
)  # fmt: skip
TASKS_HELP = (
    "the tasks scored and averaged into the headline, comma-separated (default: entities,relations,numeric_facts; "
    "a task the system does not predict is scored as an empty list)"
)


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises `UsageError` instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="factgold", description="Gold corpus and evaluation harness for information extraction from news."
    )
    parser.add_argument("--version", action="version", version=f"factgold {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    validate = commands.add_parser("validate", help="check gold files against the schema and the annotation rules")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="gold JSON Lines files")
    validate.add_argument(
        "--house-rules",
        action="store_true",
        help="also check the bundled corpus's house rules (id shapes, title line, span conventions, "
        "the OntoNotes and relation inventories); on by default for the bundled corpus's own files",
    )

    import_ = commands.add_parser(
        "import", help="convert another corpus's gold (BRAT, CoNLL-2012, DocRED, MeasEval, HF tokens) to factgold's"
    )
    import_.add_argument("inputs", nargs="+", type=Path, metavar="IN", help="input files or folders")
    import_.add_argument("--from", dest="import_format", required=True, metavar="FORMAT",
                         help="brat, conll2012, docred, measeval or hf-tokens")  # fmt: skip
    import_.add_argument("--output", type=Path, required=True, help="the gold JSON Lines file to write")
    import_.add_argument("--relations", type=Path, default=None, help="docred: the relation names file (rel_info.json)")
    import_.add_argument("--symmetric", default=None, help="relation types to declare symmetric, comma-separated")
    import_.add_argument("--scheme", default=None, help="hf-tokens: IOB1, IOB2 or BIOES (default: detected)")
    import_.add_argument("--tags", default=None, help="hf-tokens: the tag column (default: ner_tags)")
    import_.add_argument("--split", default=None, help="hf-tokens: the split of a saved DatasetDict")
    import_.add_argument("--source", default=None, help="the documents' source (publisher or corpus)")
    import_.add_argument("--language", default=None, help="the documents' BCP 47 language tag (default: en)")
    import_.add_argument("--id-prefix", default=None, help="docred: the documents' id prefix (default: docred)")
    import_.add_argument("--untyped-type", default=None,
                         help="conll2012: the type of a chain with no named mention (default: UNTYPED)")  # fmt: skip
    import_.add_argument("--strict", action="store_true", help="hf-tokens: refuse tag sequences the scheme forbids")
    import_.add_argument("--discontinuous", choices=("keep", "refuse"), default=None,
                         help="brat: keep a discontinuous span as its outer span (default) or refuse it")  # fmt: skip

    build = commands.add_parser("build-corpus", help="regenerate the corpus's flat configs and dataset card")
    build.add_argument("--corpus", type=Path, default=None, help="the corpus folder (default: the bundled one)")
    build.add_argument("--check", action="store_true", help="write nothing; exit 2 if a generated file is out of date")

    variants = commands.add_parser(
        "variants", help="derive the counterfactual variants of the gold from the corpus's edit table"
    )
    variants.add_argument("--corpus", type=Path, default=None, help="the corpus folder (default: the bundled one)")
    variants.add_argument("--check", action="store_true", help="write nothing; exit 2 if the variants are out of date")

    fetch = commands.add_parser(
        "fetch-text", help="put an article's text back into gold whose text was withheld, from your own copy"
    )
    fetch.add_argument("withheld", type=Path, metavar="GOLD", help="gold JSON Lines file with withheld texts")
    fetch.add_argument(
        "--from", dest="copies", type=Path, action="append", required=True, metavar="FILE",
        help="your copy of an article (UTF-8); its SHA-256 must match; repeat for several articles",
    )  # fmt: skip
    fetch.add_argument("--output", type=Path, required=True, help="where to write the restored gold")
    withhold = commands.add_parser(
        "withhold-text", help="write gold with every text replaced by its SHA-256 (for redistribution without it)"
    )
    withhold.add_argument("gold", type=Path, metavar="GOLD", help="gold JSON Lines file")
    withhold.add_argument("--output", type=Path, required=True, help="where to write the withheld gold")

    evaluate = commands.add_parser("eval", help="score predictions against the gold and explain every error")
    evaluate.add_argument(
        "predictions",
        metavar="PREDICTIONS",
        nargs="+",
        help="predictions file (JSON Lines or a JSON array); - reads standard input; "
        "several files are runs of one system",
    )
    evaluate.add_argument("--gold", type=Path, default=None, help="gold file (default: the bundled corpus)")
    evaluate.add_argument(
        "--variants",
        action="store_true",
        help="score the bundled gold with its counterfactual variants, and report the memorization gap",
    )
    evaluate.add_argument(
        "--relations",
        dest="relation_scoring",
        choices=("entity", "given-entities"),
        default="entity",
        help="given-entities: also score relations as DocRED does, heads and tails named by gold entity ids",
    )
    evaluate.add_argument(
        "--alternatives",
        choices=("credited", "none"),
        default="credited",
        help="credit the gold's accepted alternatives (default), or score against its own choices only",
    )
    evaluate.add_argument("--format", choices=("table", "json", "markdown", "html"), default="table")
    evaluate.add_argument("--output", type=Path, default=None, help="write the report here instead of standard output")
    evaluate.add_argument(
        "--mentions", choices=("names", "all"), default="names", help="mentions scored in the NER and cluster views"
    )
    evaluate.add_argument(
        "--numeric-rtol", type=float, default=1e-6, help="relative tolerance of numeric values (default 1e-6)"
    )
    evaluate.add_argument("--tasks", default=None, help=TASKS_HELP)
    evaluate.add_argument(
        "--errors",
        choices=("all", "sample", "none"),
        default="all",
        help="the error items the report keeps and lists: all (default), a sample (the first 20 of each task "
        "and category) or none; every count and score is the same whichever, and a large run needs less memory",
    )
    evaluate.add_argument(
        "--show-errors",
        action="store_true",
        help="list every item that is not correct, and every item found by a fuzzy match (table and markdown)",
    )
    evaluate.add_argument(
        "--bootstrap", type=int, default=0, metavar="N", help="add percentile confidence intervals from N resamples"
    )
    evaluate.add_argument("--seed", type=int, default=0, help="seed of the resampling (default 0)")
    evaluate.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="score documents in this many processes (default 1; files under 2 MB together are scored in one)",
    )
    evaluate.add_argument(
        "--max-line-mb",
        type=float,
        default=64.0,
        help="refuse a predictions line longer than this (millions of characters)",
    )
    evaluate.add_argument(
        "--require-grounding",
        action="store_true",
        help="every predicted string must be in the text exactly or up to normalization (no fuzzy match), "
        "and every number must be located; anything else counts as hallucinated",
    )

    for command in (evaluate,):
        _adapter_options(command, required=False)

    prompt = commands.add_parser(
        "prompt", help="print the standard extraction prompt of a gold document, or the JSON Schema of its answer"
    )
    prompt.add_argument("--gold", type=Path, default=None, help="gold file (default: the bundled corpus)")
    prompt.add_argument("--doc-id", default=None, help="the gold document (default: the only one)")
    prompt.add_argument(
        "--schema",
        action="store_true",
        help="print the answer's JSON Schema as response_format (OpenAI-compatible servers, vLLM) instead",
    )
    prompt.add_argument(
        "--bare", action="store_true", help="with --schema: the JSON Schema alone (llama.cpp, Ollama 'format')"
    )
    prompt.add_argument("--output", type=Path, default=None, help="write to this file instead of standard output")

    convert = commands.add_parser("convert", help="convert another tool's output to factgold predictions (JSON Lines)")
    convert.add_argument("input", metavar="IN", help="the tool's output file; - reads standard input")
    convert.add_argument("--gold", type=Path, default=None, help="gold file (default: the bundled corpus)")
    _adapter_options(convert, required=True)

    export = commands.add_parser(
        "export", help="write the gold in another format (BRAT standoff, CoNLL BIO, CoNLL-2012, DocRED JSON)"
    )
    export.add_argument("--to", dest="to_format", choices=("brat", "conll", "conll2012", "docred"), required=True)
    export.add_argument("--gold", type=Path, default=None, help="gold file (default: the bundled corpus)")
    export.add_argument(
        "--output", type=Path, default=None, help="brat: a folder for DOC.txt and DOC.ann; conll: a file"
    )
    export.add_argument(
        "--relations",
        type=Path,
        default=None,
        metavar="REL_INFO",
        help="docred: rel_info.json, to write each relation name back as its property id",
    )

    baseline = commands.add_parser("baseline", help="write a baseline extractor's predictions for the bundled corpus")
    baseline.add_argument(
        "--system", default="simple", choices=("simple", "rules", "spacy-sm", "quantities"), help="which baseline"
    )
    baseline.add_argument("--variants", action="store_true", help="also predict the counterfactual variants")

    compare = commands.add_parser("compare", help="paired comparison of two systems on the same gold")
    leaderboard = commands.add_parser("leaderboard", help="systems ranked by the headline score, with intervals")
    compare.add_argument("systems", nargs=2, metavar="PREDICTIONS", help="the two systems' predictions (A, then B)")
    leaderboard.add_argument("systems", nargs="+", metavar="PREDICTIONS", help="each system's predictions")
    for command in (compare, leaderboard):
        command.add_argument("--gold", type=Path, default=None, help="gold file (default: the bundled corpus)")
        command.add_argument(
            "--name", action="append", default=None, help="a system's name, in order (default: file stem)"
        )
        command.add_argument(
            "--resamples", type=int, default=1000, help="bootstrap and randomization rounds (default 1000)"
        )
        command.add_argument("--seed", type=int, default=0, help="seed of the resampling (default 0)")
        command.add_argument("--output", type=Path, default=None, help="write here instead of standard output")
        command.add_argument("--mentions", choices=("names", "all"), default="names")
        command.add_argument("--tasks", default=None, help=TASKS_HELP)
    compare.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    leaderboard.add_argument("--format", choices=("markdown", "json", "html"), default="markdown")

    plot = commands.add_parser("plot", help="draw a JSON report's per-type F1 and precision-recall curves")
    plot.add_argument("report", type=Path, metavar="REPORT.json")
    plot.add_argument("--output", type=Path, required=True, help="FILE.png or FILE.svg")

    results = commands.add_parser("results", help="regenerate the README's results table of every baseline")
    results.add_argument(
        "--readme", type=Path, default=Path("README.md"), help="the README to update (default: ./README.md)"
    )
    results.add_argument("--check", action="store_true", help="write nothing; exit 2 if the table is out of date")

    agreement = commands.add_parser(
        "agreement", help="inter-annotator agreement of two annotations of the same documents"
    )
    agreement.add_argument("first", type=Path, metavar="A")
    agreement.add_argument("second", type=Path, metavar="B")
    agreement.add_argument("--format", choices=("markdown", "json"), default="markdown")
    agreement.add_argument(
        "--differences", action="store_true", help="also list every item the two annotations differ on"
    )
    return parser


def _adapter_options(command: argparse.ArgumentParser, *, required: bool) -> None:
    command.add_argument(
        "--from",
        dest="from_format",
        choices=("hf", "spacy", "gliner", "langextract", "brat", "conll", "llm"),
        required=required,
        help="the input is this tool's output, converted on the fly (llm: a raw LLM answer, JSON found in it)",
    )
    command.add_argument(
        "--strict",
        action="store_true",
        help="with --from llm: refuse an answer that needs any leniency (key spellings, label case, ...)",
    )
    command.add_argument("--doc-id", default=None, help="document of an output that names none (default: the only one)")
    command.add_argument(
        "--label-map", default=None, help="a preset (conll, ontonotes, gliner) or a JSON file of label -> gold type"
    )


def _converted(args: argparse.Namespace, path: str) -> Conversion:
    """Convert a tool's output; name on standard error the labels that had no mapping."""
    from factgold.read.adapters import convert_file
    from factgold.read.validate import load_gold
    from factgold.run.evaluation import bundled_gold

    gold = load_gold(args.gold) if args.gold else list(bundled_gold())
    conversion = convert_file(
        args.from_format, path, gold, doc_id=args.doc_id, label_map=args.label_map, strict=args.strict
    )
    if conversion.unmapped:
        print(f"factgold: labels with no mapping, kept as they are: {', '.join(conversion.unmapped)}", file=sys.stderr)
    return conversion


def _prompt(args: argparse.Namespace) -> int:
    from factgold.present import prompt

    if args.bare and not args.schema:
        raise UsageError("--bare applies to --schema")
    if args.schema and (args.gold or args.doc_id):
        raise UsageError("--schema prints the answer's schema, the same for every document: drop --gold and --doc-id")
    if args.schema:
        schema = prompt.answer_schema() if args.bare else prompt.response_format()
        _write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", args.output)
        return EXIT_OK
    from factgold.read.validate import load_gold
    from factgold.run.evaluation import bundled_gold

    gold = load_gold(args.gold) if args.gold else list(bundled_gold())
    if args.doc_id is None and len(gold) > 1:
        raise UsageError(f"the gold has {len(gold)} documents; choose one with --doc-id")
    chosen = [doc for doc in gold if args.doc_id in (None, doc.id)]
    if not chosen:
        raise UsageError(f"no gold document {args.doc_id!r}")
    _write(prompt.prompt(chosen[0]) + "\n", args.output)
    return EXIT_OK


def _convert(args: argparse.Namespace) -> int:
    conversion = _converted(args, args.input)
    for document in conversion.documents:
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
    for note in conversion.notes:  # what the adapter changed or left out
        print(f"factgold: {note}", file=sys.stderr)
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from factgold.run.evaluation import gold_documents

    gold = gold_documents(args.gold)
    if args.relations is not None and args.to_format != "docred":
        raise UsageError(
            f"--relations: only for --to docred (relation names to property ids), not --to {args.to_format}"
        )
    if args.to_format == "conll2012":
        from factgold.read.importers import conll2012

        try:
            _write(conll2012.export_documents(gold), args.output)
        except ValueError as error:  # what the format cannot hold (overlapping names, ...)
            raise UsageError(f"conll2012 export: {error}") from error
        return EXIT_OK
    if args.to_format == "docred":
        from factgold.read.importers import docred
        from factgold.read.labels import labels_for

        labels = labels_for(args.gold)
        # rel_info.json maps property ids to distinct names, so it inverts: each name back to its id.
        names = docred.read_relation_names(args.relations) if args.relations is not None else {}
        ids = {name: key for key, name in names.items()}
        if unknown := sorted({r.type for doc in gold for r in doc.relations} - set(ids)) if names else []:
            shown = ", ".join(map(repr, unknown[:5])) + (", ..." if len(unknown) > 5 else "")
            raise UsageError(f"{args.relations}: no property id for the relation type(s) {shown}")
        _write(json.dumps(docred.export_documents(gold, labels, ids), ensure_ascii=False) + "\n", args.output)
        return EXIT_OK
    if args.to_format == "conll":
        from factgold.read.adapters import conll

        _write(conll.export(gold), args.output)
        return EXIT_OK
    from factgold.read.adapters import brat
    from factgold.read.importers.brat import brat_file_name

    if args.output is None:
        if len(gold) != 1:
            raise UsageError("brat export of several documents needs --output FOLDER")
        sys.stdout.write(brat.export(gold[0]))
        return EXIT_OK
    if args.output.exists() and not args.output.is_dir():
        raise UsageError(f"--output {args.output}: brat export writes into a folder, and this is a file")
    args.output.mkdir(parents=True, exist_ok=True)
    for document in gold:
        # A file name from the id, percent-encoded where the id holds what a file name cannot
        # ("/" in a CoNLL-2012 part id, "../" anywhere): the files stay inside the folder, and
        # `factgold import --from brat` decodes the name back to the id.
        name = brat_file_name(document.id)
        _write(document.text, args.output / f"{name}.txt")
        _write(brat.export(document), args.output / f"{name}.ann")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from factgold.read.labels import labels_for
    from factgold.read.validate import check_gold_file
    from factgold.resources import corpus_dir

    problems = []
    bundled = corpus_dir().resolve()
    for path in args.paths:
        # The bundled corpus's files meet the house rules; any other gold, the contract.
        house = args.house_rules or path.resolve().is_relative_to(bundled)
        documents, found = check_gold_file(path, house_rules=house, labels=None if house else labels_for(path))
        problems.extend(found)
        if not found:
            print(f"{path}: ok ({len(documents)} document{'s' * (len(documents) != 1)})")
    for problem in problems:
        print(problem, file=sys.stderr)
    return EXIT_BAD_INPUT if problems else EXIT_OK


def _build_corpus(args: argparse.Namespace) -> int:
    from factgold.dataset.build import build_corpus
    from factgold.resources import corpus_dir

    return _report_stale(build_corpus(args.corpus or corpus_dir(), write=not args.check), args.check)


def _variants(args: argparse.Namespace) -> int:
    from factgold.dataset.build import variant_files, write_stale
    from factgold.resources import corpus_dir

    return _report_stale(write_stale(variant_files(args.corpus or corpus_dir()), write=not args.check), args.check)


def _fetch_text(args: argparse.Namespace) -> int:
    from factgold.dataset.withheld import HASH_FIELD, is_withheld, matching_text, restore
    from factgold.read.validate import validate_document

    copies = {}
    for path in args.copies:
        try:
            copies[path] = path.read_bytes().decode("utf-8")  # line ends as saved: the hash needs them
        except OSError as error:
            raise UsageError(f"{path}: cannot read it ({error.strerror or error})") from error
        except UnicodeDecodeError as error:
            raise UsageError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error
    restored, problems = [], []
    for line, doc in enumerate(_json_lines(args.withheld), 1):
        where = f"{args.withheld}:{line}"
        if doc.get("text") is not None:
            restored.append(doc)  # its text is there already
            continue
        if not is_withheld(doc):
            raise UsageError(f"{where}: a document without text needs its text's SHA-256 in '{HASH_FIELD}'")
        if isinstance(doc.get("variant_of"), str):
            raise UsageError(
                f"{where}: {doc.get('id')!r} is a counterfactual variant: no copy of it exists; restore its "
                f"original {doc['variant_of']!r}, then derive the variants again with 'factgold variants'"
            )
        found = next((m for m in (matching_text(text, doc[HASH_FIELD]) for text in copies.values()) if m), None)
        if found is None:
            raise UsageError(
                f"{where}: no --from file is the text of {doc.get('id')!r} "
                f"(SHA-256 {doc[HASH_FIELD][:12]}…); check that it is the same article, saved as UTF-8"
            )
        text, how = found
        try:
            restored.append(restore(doc, text))
        except UsageError as error:
            raise UsageError(f"{where}: {error}") from error
        except (KeyError, TypeError, ValueError) as error:
            raise UsageError(f"{where}: not a withheld gold document ({type(error).__name__}: {error})") from error
        problems += validate_document(restored[-1], file=str(args.withheld), line=line)
        print(f"{doc.get('id')}: text restored ({how})", file=sys.stderr)
    if problems:
        raise InputError(problems)
    _write("".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in restored), args.output)
    return EXIT_OK


def _withhold_text(args: argparse.Namespace) -> int:
    from factgold.dataset.withheld import withhold
    from factgold.read.validate import check_gold_file

    _, problems = check_gold_file(args.gold)
    if problems:
        raise InputError(problems)
    withheld = [withhold(doc) for doc in _json_lines(args.gold)]
    _write("".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in withheld), args.output)
    return EXIT_OK


def _json_lines(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSON Lines file (one a line), with a one-line message when it is not one."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise UsageError(f"{path}: cannot read it ({error.strerror or error})") from error
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error
    objects = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            objects.append(json.loads(line))
        except ValueError as error:
            raise UsageError(f"{path}:{number}: invalid JSON ({error})") from error
    if not all(isinstance(obj, dict) for obj in objects):
        raise UsageError(f"{path}: every line must be a JSON object")
    return objects


def _import(args: argparse.Namespace) -> int:
    from factgold.read.importers import check_options, importer
    from factgold.read.labels import sidecar
    from factgold.read.validate import validate_document

    options = {
        name: value
        for name, value in (
            ("relations", args.relations),
            ("symmetric", args.symmetric),
            ("scheme", args.scheme),
            ("tags", args.tags),
            ("split", args.split),
            ("discontinuous", "refuse" if args.discontinuous == "refuse" else None),
            ("source", args.source),
            ("language", args.language),
            ("id_prefix", args.id_prefix),
            ("untyped_type", args.untyped_type),
            ("strict", args.strict or None),
        )
        if value is not None
    }
    check_options(args.import_format, options)
    _refuse_import_over_input(args.inputs, [args.output, sidecar(args.output)], args.relations)
    imported = importer(args.import_format)(args.inputs, options)
    if not imported.documents:
        raise UsageError(f"{', '.join(map(str, args.inputs))}: no document to import (a gold needs at least one)")
    problems = [
        problem
        for line, doc in enumerate(imported.documents, 1)
        for problem in validate_document(
            doc, file=str(args.output), line=line, house_rules=False, labels=imported.labels
        )
    ]
    if problems:  # an importer's own defect: say so rather than write a gold that does not score
        raise InputError(problems)
    _write("".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in imported.documents), args.output)
    _write(json.dumps(imported.labels.to_json(), indent=2, ensure_ascii=False) + "\n", sidecar(args.output))
    count = len(imported.documents)
    print(f"{args.output}: {count} document{'s' * (count != 1)}; labels in {sidecar(args.output)}", file=sys.stderr)
    for note in imported.not_carried:
        print(f"not carried: {note}", file=sys.stderr)
    return EXIT_OK


def _refuse_import_over_input(inputs: Sequence[Path], outputs: Sequence[Path], relations: Path | None) -> None:
    """Refuse to write the gold or its labels file over anything the import reads: a file
    given, a file inside a folder given, the file paired with a file given (a BRAT ``.txt``
    beside its ``.ann``), the relation names."""
    read: set[Path] = set()
    for given in [*inputs, *([relations] if relations is not None else [])]:
        if given.is_dir():
            read.update(path.resolve() for path in given.rglob("*") if path.is_file())
        else:
            read.add(given.resolve())
            read.update(path.resolve() for path in given.parent.glob(given.stem + ".*") if path.is_file())
    for output in outputs:
        target = output.resolve()
        if target in read:
            raise UsageError(f"--output {outputs[0]}: writing {output} would overwrite an input of this import")


def _report_stale(changed: list[Path], check: bool) -> int:
    for path in changed:
        print(f"{'out of date' if check else 'wrote'}: {path}", file=sys.stderr if check else sys.stdout)
    if check and changed:
        print("run 'factgold build-corpus' to regenerate them", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not changed:
        print("corpus is up to date")
    return EXIT_OK


def _agreement(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from factgold.dataset.agreement import compare_corpora
    from factgold.read.validate import load_gold

    report = compare_corpora(load_gold(args.first, style=False), load_gold(args.second, style=False))
    if args.format == "json":
        print(json.dumps(asdict(report), indent=2, ensure_ascii=False))
    else:
        print(report.to_markdown(), end="")
        if args.differences:
            print("\n".join(["", "Differences:", *report.differences]))
    return EXIT_OK


def _eval(args: argparse.Namespace) -> int:
    from factgold.run.report import paused_gc

    # The whole command with the collector paused, not each step alone: the end of each
    # step's pause set off a collection that walked every object the steps had left alive
    # (1% of the instructions of a run over 1,000 small documents, measured), for no garbage.
    with paused_gc():
        return _scored_and_written(args)


def _scored_and_written(args: argparse.Namespace) -> int:
    from factgold.run.evaluation import evaluate
    from factgold.score.config import TASKS, EvalConfig, parse_tasks

    config = EvalConfig(
        mentions=args.mentions,
        numeric_rtol=args.numeric_rtol,
        require_grounding=args.require_grounding,
        tasks=parse_tasks(args.tasks) if args.tasks is not None else TASKS,
        errors=args.errors,
        alternatives=args.alternatives == "credited",
    )
    _refuse_adapter_options_without_adapter(args)
    if len(args.predictions) > 1:
        return _eval_runs(args, config)
    conversion = _converted(args, args.predictions[0]) if args.from_format else None
    predictions = list(conversion.documents) if conversion else args.predictions[0]
    max_line = _max_line(args)
    given_gold = None
    if args.relation_scoring == "given-entities":
        from factgold.run.evaluation import gold_documents

        # Read once for both scores; standard input, too, can be read only once.
        given_gold = gold_documents(_gold_argument(args))
        if str(predictions) == "-":
            from factgold.read.predictions import load_predictions

            predictions = load_predictions("-", given_gold, max_line=max_line)
    scored = evaluate(predictions, gold=_gold_argument(args), config=config, max_line=max_line, jobs=args.jobs)
    report = scored.to_dict(items_as_objects=args.format == "json")
    if conversion is not None:
        report["notes"] += conversion.notes
        if conversion.prompt_version:  # the answer says which standard prompt it answers
            report["signature"] += f"|prompt:factgold-v{conversion.prompt_version}"
    if given_gold is not None:
        from factgold.run.given_entities import given_entities_report

        report["relations_given_entities"] = given_entities_report(scored, predictions, given_gold)
        report["signature"] += "|rel-given:docred"
    if args.bootstrap:
        from factgold.present.statistics import interval_report, signature_suffix

        report["intervals"] = interval_report(scored, args.bootstrap, args.seed)
        report["signature"] += signature_suffix("ci:percentile-95", args.bootstrap, args.seed, scored)
    if args.format == "json":
        from factgold.present.render import report_json

        text = report_json(report)
    elif args.format == "html":
        from factgold.present.html import render_report_html
        from factgold.run.evaluation import gold_documents as read_gold

        text = render_report_html(report, {doc.id: doc.text for doc in read_gold(_gold_argument(args))})
    else:
        from factgold.present.render import render

        text = render(report, markdown=args.format == "markdown", show_errors=args.show_errors)
    _write(text, args.output)
    return EXIT_OK


def _gold_argument(args: argparse.Namespace) -> Path | Sequence[Document] | None:
    """The gold to score against: a file, the bundled corpus (None), or that with its variants."""
    if not args.variants:
        return args.gold  # type: ignore[no-any-return]
    if args.gold is not None:
        raise UsageError("--variants adds the bundled variants to the bundled gold; a --gold file holds its own")
    from factgold.run.evaluation import bundled_gold_with_variants

    return bundled_gold_with_variants()


def _refuse_adapter_options_without_adapter(args: argparse.Namespace) -> None:
    """--label-map, --doc-id and --strict act on a conversion; without --from they would do nothing."""
    given = [option for option, value in (("--label-map", args.label_map), ("--doc-id", args.doc_id),
                                          ("--strict", args.strict)) if value]  # fmt: skip
    if given and not args.from_format:
        raise UsageError(
            f"{', '.join(given)}: only for another tool's output, converted; add --from FORMAT "
            "(for an LLM answer, --from llm)"
        )


def _max_line(args: argparse.Namespace) -> int:
    """``--max-line-mb`` in characters, refused unless positive."""
    if args.max_line_mb <= 0:
        raise UsageError("--max-line-mb must be positive")
    return int(args.max_line_mb * 2**20)


def _eval_runs(args: argparse.Namespace, config: EvalConfig) -> int:
    from factgold.present import runs
    from factgold.run.evaluation import evaluate

    if "-" in args.predictions:
        raise UsageError("standard input (-) cannot be one of several runs; give the runs as files")
    # The summary over runs is a table of means and spreads: what it cannot show is refused,
    # not silently left out.
    one_run_only = [
        option
        for option, given in (
            ("--relations given-entities", args.relation_scoring == "given-entities"),
            ("--bootstrap", bool(args.bootstrap)),
            ("--show-errors", args.show_errors),
            ("--format html", args.format == "html"),
        )
        if given
    ]
    if one_run_only:
        raise UsageError(
            f"{', '.join(one_run_only)}: for one run; with several predictions files the report is "
            "the summary over runs (score each file on its own for these)"
        )
    max_line = _max_line(args)
    reports = []
    for path in args.predictions:
        predictions = list(_converted(args, path).documents) if args.from_format else path
        scored = evaluate(
            predictions,
            gold=_gold_argument(args),
            config=config,
            max_line=max_line,
            jobs=args.jobs,
        )
        reports.append(scored.to_dict())
    summary = runs.summarize(reports, args.predictions)
    if args.format == "json":
        text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    else:
        text = runs.render(summary, markdown=args.format == "markdown")
    _write(text, args.output)
    return EXIT_OK


def _refuse_output_over_input(args: argparse.Namespace) -> None:
    """Refuse an --output that is one of the command's inputs (after links), before anything runs."""
    output = getattr(args, "output", None)
    if output is None:
        return
    target = Path(output).resolve()
    for name in _INPUT_ARGUMENTS:
        value = getattr(args, name, None)
        for given in value if isinstance(value, list) else [value]:
            if not isinstance(given, str | Path) or str(given) == "-":
                continue  # not given, or standard input
            source = Path(given)
            same = source.resolve() == target or (source.exists() and target.exists() and source.samefile(target))
            if same:
                raise UsageError(f"--output {output} is an input of this command ({given}); it would be overwritten")


def _write(text: str, output: Path | None) -> None:
    """Write to standard output, or atomically to a file (no half-written report)."""
    if output is None:
        sys.stdout.write(text)
        return
    import os
    import tempfile

    directory = output.resolve().parent
    if not directory.is_dir():
        raise UsageError(f"cannot write {output}: folder {directory} does not exist")
    if output.is_dir():
        raise UsageError(f"cannot write the report to {output}: it is a folder")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{output.name}.", suffix=".tmp")
    except OSError as error:
        raise UsageError(f"cannot write the report to {output}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes the file private; a report is not
        os.replace(temporary, output)
    except OSError as error:
        os.unlink(temporary)
        raise UsageError(f"cannot write the report to {output}: {error.strerror}") from None
    except BaseException:
        os.unlink(temporary)
        raise


def _baseline(args: argparse.Namespace) -> int:
    from factgold.baselines import predictor
    from factgold.run.evaluation import bundled_gold, bundled_gold_with_variants

    predict = predictor(args.system)
    for document in bundled_gold_with_variants() if args.variants else bundled_gold():
        sys.stdout.write(json.dumps(predict(document.id, document.text), ensure_ascii=False) + "\n")
    return EXIT_OK


def _system_names(args: argparse.Namespace) -> list[str]:
    names = args.name or [Path(path).stem for path in args.systems]
    if len(names) != len(args.systems):
        raise UsageError(f"{len(names)} --name given for {len(args.systems)} systems")
    if len(set(names)) != len(names):
        raise UsageError(f"system names must differ: {', '.join(names)}")
    return names


def _compare(args: argparse.Namespace) -> int:
    from factgold.present.statistics import compare, signature_suffix, verdict
    from factgold.run.evaluation import evaluate
    from factgold.score.config import TASKS, EvalConfig, parse_tasks

    names = _system_names(args)
    config = EvalConfig(mentions=args.mentions, tasks=parse_tasks(args.tasks) if args.tasks is not None else TASKS)
    a, b = (evaluate(path, gold=args.gold, config=config) for path in args.systems)
    comparisons = compare(a, b, args.resamples, args.seed)
    summary = {
        "signature": a.signature
        + signature_suffix("compare:paired-bootstrap+approx-randomization", args.resamples, args.seed, a),
        "systems": {"A": names[0], "B": names[1]},
        "comparisons": [c.to_dict() for c in comparisons],
        "verdict": verdict(comparisons, (names[0], names[1])),
    }
    if args.format == "json":
        text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    else:
        from factgold.present.render import heading, table

        markdown = args.format == "markdown"
        lines = [f"{names[0]} (A) vs {names[1]} (B)", "", f"Signature: {summary['signature']}"]
        lines += heading("Differences A - B (paired bootstrap 95% interval, approximate randomization p)", markdown)
        rows = [
            [c.score, c.a, c.b, c.difference.estimate, c.difference.low, c.difference.high, c.p_value]
            for c in comparisons
        ]
        lines += table(["score", "A", "B", "A - B", "low", "high", "p"], rows, markdown)
        lines += ["", f"Verdict: {summary['verdict']}", ""]
        text = "\n".join(lines)
    _write(text, args.output)
    return EXIT_OK


def _leaderboard(args: argparse.Namespace) -> int:
    from factgold.present.leaderboard import leaderboard, render_leaderboard
    from factgold.run.evaluation import evaluate
    from factgold.score.config import TASKS, EvalConfig, parse_tasks

    names = _system_names(args)
    config = EvalConfig(mentions=args.mentions, tasks=parse_tasks(args.tasks) if args.tasks is not None else TASKS)
    reports = [evaluate(path, gold=args.gold, config=config) for path in args.systems]
    board = leaderboard(reports, names, args.resamples, args.seed)
    _write(render_leaderboard(board, args.format), args.output)
    return EXIT_OK


def _plot(args: argparse.Namespace) -> int:
    from factgold.present.plot import load_report, plot_report

    plot_report(load_report(args.report), args.output)
    return EXIT_OK


def _results(args: argparse.Namespace) -> int:
    from factgold.present.results import update_readme

    if not args.readme.is_file():
        raise UsageError(f"no README at {args.readme}")
    changed = update_readme(args.readme, write=not args.check)
    if args.check and changed:
        print(f"out of date: the results table of {args.readme}; run 'factgold results'", file=sys.stderr)
        return EXIT_BAD_INPUT
    print("results table " + ("updated" if changed else "is up to date"))
    return EXIT_OK


_COMMANDS = {
    "validate": _validate,
    "build-corpus": _build_corpus,
    "variants": _variants,
    "import": _import,
    "fetch-text": _fetch_text,
    "withhold-text": _withhold_text,
    "agreement": _agreement,
    "eval": _eval,
    "baseline": _baseline,
    "convert": _convert,
    "prompt": _prompt,
    "export": _export,
    "results": _results,
    "compare": _compare,
    "leaderboard": _leaderboard,
    "plot": _plot,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    from factgold.present.render import printable

    try:
        args = _parser().parse_args(argv)
        _refuse_output_over_input(args)
        return _COMMANDS[args.command](args)
    except InputError as error:
        # A binary file has a problem on every line: the first ones say what is wrong.
        for problem in error.problems[:MAX_PROBLEMS_SHOWN]:
            print(printable(str(problem)), file=sys.stderr)
        if len(error.problems) > MAX_PROBLEMS_SHOWN:
            more = len(error.problems) - MAX_PROBLEMS_SHOWN
            print(f"factgold: ... and {more} more problem(s) not shown", file=sys.stderr)
        return EXIT_BAD_INPUT
    except FactgoldError as error:
        print(printable(f"factgold: error: {error}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exit_request:  # --help and --version
        return exit_request.code if isinstance(exit_request.code, int) else EXIT_OK
    except KeyboardInterrupt:
        print("factgold: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        print(
            f"factgold: internal error: {type(error).__name__}: {error} (please report this as a bug)", file=sys.stderr
        )
        return EXIT_INTERNAL
