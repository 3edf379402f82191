"""The ``biaskit`` command line: a thin shell over the library.

Exit codes: 0 clean, 1 problems found, 2 usage error or unusable input.
A user's mistake never shows a Python traceback (``--debug`` shows one).
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import TextIO

from biaskit import __version__
from biaskit.errors import AnnotationError, BiaskitError, Problem
from biaskit.io.native import load_corpus
from biaskit.stats import corpus_statistics, render_statistics
from biaskit.validate import UNUSABLE_INPUT, validate

__all__ = ["main"]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def _summary(problems: Sequence[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    if not problems:
        return "no problems found"
    return f"{errors} error(s), {warnings} warning(s) in {files} file(s)"


def _cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    problems = validate(*args.paths)
    unusable = any(p.code in UNUSABLE_INPUT for p in problems)
    failing = any(p.is_error or args.strict for p in problems)
    code = EXIT_USAGE if unusable else EXIT_PROBLEMS if failing else EXIT_OK
    if args.format == "json":
        payload = {
            "biaskit": __version__,
            "paths": list(args.paths),
            "errors": sum(p.is_error for p in problems),
            "warnings": sum(not p.is_error for p in problems),
            "exit_code": code,
            "problems": [p.to_dict() for p in problems],
        }
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        for problem in problems:
            out.write(f"{problem}\n")
        if not args.quiet:
            err.write(f"{_summary(problems)}\n")
    return code


def _load(path: str, err: TextIO) -> int | object:
    try:
        return load_corpus(path)
    except AnnotationError as exc:
        for problem in exc.problems:
            err.write(f"{problem}\n")
        unusable = any(p.code in UNUSABLE_INPUT for p in exc.problems)
        err.write(f"biaskit: {path}: the corpus has errors; run 'biaskit validate {path}'\n")
        return EXIT_USAGE if unusable else EXIT_PROBLEMS


def _cmd_stats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    loaded = _load(args.corpus, err)
    if isinstance(loaded, int):
        return loaded
    from biaskit.corpus import Corpus

    assert isinstance(loaded, Corpus)
    stats = corpus_statistics(loaded)
    if args.format == "json":
        out.write(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(render_statistics(stats) + "\n")
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="biaskit",
        description="Source-bias annotation of news: validate, describe and model framing spans.",
    )
    parser.add_argument("--version", action="version", version=f"biaskit {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show Python tracebacks (for reporting bugs)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    validate_cmd = commands.add_parser(
        "validate",
        help="check corpus folders or files and report every problem",
        description=(
            "Check corpus folders (or their schema.json, documents.jsonl, spans/NAME.jsonl) "
            "and print each problem as path:line:col: severity: message [code]. "
            "Exit 0 when clean, 1 when problems were found, 2 for unusable input."
        ),
    )
    validate_cmd.add_argument("paths", nargs="+", metavar="PATH", help="corpus folder or file")
    validate_cmd.add_argument("--format", choices=("text", "json"), default="text")
    validate_cmd.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    validate_cmd.add_argument(
        "-q", "--quiet", action="store_true", help="no summary line on standard error"
    )
    validate_cmd.set_defaults(run=_cmd_validate)

    stats_cmd = commands.add_parser(
        "stats",
        help="print documents, words and spans per outlet and label",
        description="Print the size of each outlet and each annotator's spans per label.",
    )
    stats_cmd.add_argument("corpus", metavar="CORPUS", help="corpus folder")
    stats_cmd.add_argument("--format", choices=("text", "json"), default="text")
    stats_cmd.set_defaults(run=_cmd_stats)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    run: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.run
    try:
        return run(args, sys.stdout, sys.stderr)
    except BiaskitError as exc:
        if args.debug:
            traceback.print_exc()
        sys.stderr.write(f"biaskit: error: {exc}\n")
        return EXIT_USAGE
    except OSError as exc:
        if args.debug:
            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"biaskit: error: {where}{exc.strerror or exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("biaskit: interrupted\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
