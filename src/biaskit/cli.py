"""The ``biaskit`` command line: a thin shell over the library.

Exit codes: 0 clean, 1 problems found, 2 usage error or unusable input.
A user's mistake never shows a Python traceback (``--debug`` shows one).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from biaskit import __version__
from biaskit._atomic import atomic_write_text
from biaskit.adjudicate import adjudicate, conflicts_to_dicts, render_conflicts
from biaskit.agreement import agreement_report, agreement_to_dict, render_agreement
from biaskit.corpus import Corpus
from biaskit.errors import AnnotationError, BiaskitError, OutputExistsError, Problem
from biaskit.io.native import DEFAULT_LIMITS, ReadLimits, load_corpus, save_spans
from biaskit.model import AnnotationSet
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
    if args.from_format is not None:
        problems = _cmd_validate_foreign(args, out, err)
    else:
        limits = ReadLimits(max_line_bytes=args.max_line_bytes, max_spans=args.max_spans)
        problems = validate(*args.paths, limits=limits)
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


def _load(path: str, err: TextIO) -> int | Corpus:
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
    stats = corpus_statistics(loaded)
    if args.format == "json":
        out.write(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(render_statistics(stats) + "\n")
    return EXIT_OK


def _human_annotators(
    corpus: Corpus, chosen: Sequence[str] | None, exclude: Sequence[str] = ("gold",)
) -> list[str]:
    """Return the annotators asked for, or by default all but ``exclude`` and biaskit's own."""
    if chosen:
        unknown = [a for a in chosen if a not in corpus.annotators]
        if unknown:
            raise BiaskitError(
                f"no spans by {', '.join(map(repr, unknown))} in the corpus; "
                f"its annotators are {', '.join(corpus.annotators)}"
            )
        return list(chosen)
    return [a for a in corpus.annotators if a not in exclude and not a.startswith("biaskit-")]


def _sets_for(corpus: Corpus, annotators: Sequence[str]) -> list[AnnotationSet]:
    # Every annotator saw every document: one set each, empty where they marked nothing.
    return [corpus.annotation_set(doc.id, a) for doc in corpus for a in annotators]


def _cmd_agree(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    loaded = _load(args.corpus, err)
    if isinstance(loaded, int):
        return loaded
    annotators = _human_annotators(loaded, args.annotators)
    if len(annotators) < 2:
        raise BiaskitError(
            f"agreement needs two annotators; found {annotators or 'none'} "
            "(name them with --annotators)"
        )
    report = agreement_report(_sets_for(loaded, annotators), labels=args.labels or None)
    if args.format == "json":
        data = agreement_to_dict(report)
        out.write(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n")
    else:
        out.write(render_agreement(report) + "\n")
    return EXIT_OK


def _cmd_adjudicate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    loaded = _load(args.corpus, err)
    if isinstance(loaded, int):
        return loaded
    annotators = _human_annotators(loaded, args.annotators, exclude=("gold", args.into))
    if len(annotators) < 2:
        raise BiaskitError(f"adjudication needs two annotators; found {annotators or 'none'}")
    carry = [aset for name in args.carry for aset in loaded.annotation_sets(annotator=name)]
    result = adjudicate(
        _sets_for(loaded, annotators),
        method=args.method,
        threshold=args.threshold,
        annotator=args.into,
        annotators=annotators,
        carry=carry,
    )
    if args.report is not None:
        report_path = args.report
        if report_path.exists() and not args.overwrite:
            raise OutputExistsError(f"{report_path} exists; pass --overwrite to replace it")
    merged = loaded.with_annotations(result.sets, replace=True)
    target = save_spans(merged, args.corpus, args.into, overwrite=args.overwrite)
    documents = {doc.id: doc for doc in loaded}
    if args.report is not None:
        with atomic_write_text(args.report) as stream:
            if args.report.suffix == ".json":
                stream.write(json.dumps(conflicts_to_dicts(result), ensure_ascii=False, indent=2))
                stream.write("\n")
            else:
                stream.write(render_conflicts(result, documents) + "\n")
    spans = sum(len(s) for s in result.sets)
    summary = (
        f"wrote {spans} spans to {target}; {len(result.conflicts)} conflict(s) resolved "
        f"by {result.method} between {', '.join(annotators)}"
    )
    if args.format == "json":
        payload = {
            "gold": str(target),
            "spans": spans,
            "method": result.method,
            "threshold": result.threshold,
            "annotators": annotators,
            "conflicts": conflicts_to_dicts(result),
        }
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(summary + "\n")
        if args.report is None:
            out.write(render_conflicts(result, documents) + "\n")
    return EXIT_OK


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def _n_jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value == 0 or value < -1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, or -1, got {value}")
    return value


def _cmd_annotate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from biaskit.rules import annotate
    from biaskit.variants import load_variants

    loaded = _load(args.corpus, err)
    if isinstance(loaded, int):
        return loaded
    registry_path = args.registry
    if registry_path is None and (Path(args.corpus) / "variants.json").is_file():
        registry_path = Path(args.corpus) / "variants.json"
    registry = load_variants(registry_path) if registry_path is not None else None
    sets = annotate(loaded, registry=registry, annotator=args.annotator)
    merged = loaded.with_annotations(sets, replace=True)
    target = save_spans(merged, args.out or args.corpus, args.annotator, overwrite=args.overwrite)
    counts: dict[str, int] = {}
    for aset in sets:
        for span in aset.spans:
            counts[span.label] = counts.get(span.label, 0) + 1
    if args.format == "json":
        payload = {"spans_file": str(target), "annotator": args.annotator, "labels": counts}
        out.write(json.dumps(payload, indent=2) + "\n")
    else:
        out.write(f"wrote {sum(counts.values())} spans to {target}\n")
        for label, n in sorted(counts.items()):
            out.write(f"  {label:<14} {n}\n")
    return EXIT_OK


def _pairs(values: Sequence[str] | None, flag: str) -> dict[str, str]:
    """Parse repeated ``KEY=VALUE`` options."""
    result: dict[str, str] = {}
    for value in values or ():
        key, sep, target = value.partition("=")
        if not sep or not key or not target:
            raise BiaskitError(f"{flag} takes KEY=VALUE, got {value!r}")
        result[key] = target
    return result


def _read_options(args: argparse.Namespace) -> dict[str, object]:
    """Return the reader keywords of the options given (only those given)."""
    from biaskit.io.native import loads_schema

    options: dict[str, object] = {}
    if args.unit is not None:
        options["unit"] = args.unit
    if args.schema is not None:
        options["schema"] = loads_schema(Path(args.schema).read_text(encoding="utf-8"))
    if args.annotator is not None:
        options["annotator"] = args.annotator
    if args.annotator_name:
        options["annotator_names"] = _pairs(args.annotator_name, "--annotator-name")
    if args.label_name:
        options["label_names"] = _pairs(args.label_name, "--label-name")
    if args.label_map:
        options["label_map"] = _pairs(args.label_map, "--label-map")
    if args.no_predictions:
        options["predictions"] = False
    for name in ("layer", "label_feature", "note_feature", "articles"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    return options


def _write_options(args: argparse.Namespace) -> dict[str, object]:
    options: dict[str, object] = {}
    if args.write_unit is not None:
        options["unit"] = args.write_unit
    if args.no_overlap:
        options["overlap"] = False
    if args.no_text:
        options["text"] = False
    if args.bom:
        options["bom"] = True
    if args.task is not None:
        options["task"] = args.task
    return options


def _unsupported_option(exc: TypeError, fmt: str) -> BiaskitError | None:
    """Turn 'unexpected keyword argument' from a reader or writer into a usage error."""
    message = str(exc)
    if "unexpected keyword argument" not in message:
        return None
    name = message.rsplit("argument", 1)[-1].strip(" '\"")
    flag = {"annotator_names": "annotator-name", "label_names": "label-name"}.get(name, name)
    flag = "--" + flag.replace("_", "-")
    return BiaskitError(f"option {flag} does not apply to the {fmt} format (see docs/formats.md)")


def _cmd_validate_foreign(args: argparse.Namespace, out: TextIO, err: TextIO) -> list[Problem]:
    from biaskit.io.formats import validate_foreign

    problems: list[Problem] = []
    for path in args.paths:
        try:
            problems += validate_foreign(path, args.from_format, **_read_options(args))
        except TypeError as exc:
            usage = _unsupported_option(exc, args.from_format)
            if usage is None:
                raise
            raise usage from None
    return problems


def _cmd_convert(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from biaskit.io.formats import convert

    try:
        warnings = convert(
            args.input,
            args.output,
            from_format=args.from_format,
            to_format=args.to_format,
            on_overlap=args.on_overlap,
            on_discontinuous=args.on_discontinuous,
            overwrite=args.overwrite,
            annotators=args.annotators,
            read_options=_read_options(args),
            write_options=_write_options(args),
        )
    except TypeError as exc:
        usage = _unsupported_option(exc, f"{args.from_format} or {args.to_format}")
        if usage is None:
            raise
        raise usage from None
    except AnnotationError as exc:
        for problem in exc.problems:
            err.write(f"{problem}\n")
        err.write(f"biaskit: nothing was written to {args.output}\n")
        return EXIT_USAGE if any(p.code in UNUSABLE_INPUT for p in exc.problems) else EXIT_PROBLEMS
    if args.format == "json":
        payload = {
            "input": args.input,
            "output": args.output,
            "from": args.from_format,
            "to": args.to_format,
            "warnings": [p.to_dict() for p in warnings],
        }
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        for problem in warnings:
            out.write(f"{problem}\n")
        err.write(
            f"converted {args.input} ({args.from_format}) to {args.output} ({args.to_format})"
            f"; {len(warnings)} warning(s)\n"
        )
    return EXIT_OK


def _add_read_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("reading another format (see docs/formats.md)")
    group.add_argument("--unit", help="offset unit of the input (doccano, Label Studio, brat)")
    group.add_argument("--schema", metavar="FILE", help="schema.json that types labels/attributes")
    group.add_argument("--annotator", metavar="NAME", help="name the input's annotator")
    group.add_argument(
        "--annotator-name", action="append", metavar="ID=NAME", help="rename an annotator"
    )
    group.add_argument(
        "--label-name", action="append", metavar="ID=NAME", help="doccano label id names"
    )
    group.add_argument("--label-map", action="append", metavar="OLD=NEW", help="rename a label")
    group.add_argument(
        "--no-predictions", action="store_true", help="Label Studio: leave predictions[] out"
    )
    group.add_argument("--layer", help="INCEpTION: the custom span layer's type name")
    group.add_argument("--label-feature", help="INCEpTION: the layer's label feature")
    group.add_argument("--note-feature", help="INCEpTION: the layer's note feature")
    group.add_argument("--articles", metavar="DIR", help="PTC: folder of article<ID>.txt")


def _cmd_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from biaskit.report import write_report
    from biaskit.variants import load_variants

    loaded = _load(args.corpus, err)
    if isinstance(loaded, int):
        return loaded
    registry_path = args.variants or Path(args.corpus) / "variants.json"
    use_registry = args.variants is not None or registry_path.is_file()
    registry = load_variants(registry_path) if use_registry else None
    target = write_report(
        loaded,
        args.html,
        annotator=args.annotator,
        registry=registry,
        title=args.title,
        overwrite=args.overwrite,
    )
    out.write(f"wrote {target}\n")
    return EXIT_OK


def _progress(err: TextIO, what: str) -> Callable[[int, int | None], None]:
    """Return a callback printing ``what i/n`` on standard error, on one line."""

    def report(done: int, total: int | None) -> None:
        if total is None:
            err.write(f"{what} {done}\r")
            err.flush()
            return
        end = "\n" if done >= total else "\r"
        err.write(f"{what} {done}/{total}{end}")
        err.flush()

    return report


def _cmd_train(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from biaskit.baseline import SpanClassifier
    from biaskit.evaluation import training_data
    from biaskit.persistence import save_model

    loaded = _load(args.corpus, err)
    if isinstance(loaded, int):
        return loaded
    if Path(args.out).exists() and not args.overwrite:
        raise OutputExistsError(f"{args.out} exists; pass --overwrite to replace it")
    documents, rows = training_data(loaded, args.annotator)
    err.write(f"training on {len(documents)} documents ({args.annotator}'s spans)...\n")
    model = SpanClassifier(rules=not args.no_rules, random_state=args.seed).fit(documents, rows)
    save_model(model, args.out, overwrite=args.overwrite, serializer=args.serializer)
    summary = {
        "model": str(args.out),
        "labels": list(model.labels_),
        "thresholds": {k: float(v) for k, v in dict(model.thresholds_).items()},
        "training_sha256": model.training_sha256_,
    }
    if args.format == "json":
        out.write(json.dumps(summary, indent=2) + "\n")
    else:
        out.write(f"wrote {args.out}: labels {', '.join(summary['labels'])}\n")
    return EXIT_OK


def _cmd_predict(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from biaskit.persistence import load_model
    from biaskit.prediction import predict_corpus

    problems = validate(args.corpus)
    if any(p.is_error for p in problems):
        for problem in problems:
            err.write(f"{problem}\n")
        unusable = any(p.code in UNUSABLE_INPUT for p in problems)
        err.write(
            f"biaskit: {args.corpus}: the corpus has errors; run 'biaskit validate {args.corpus}'\n"
        )
        return EXIT_USAGE if unusable else EXIT_PROBLEMS
    model = load_model(args.model)
    with contextlib.ExitStack() as stack:
        client = None
        if args.scheduler is not None:
            client = stack.enter_context(_dask_client(args.scheduler))
        summary = predict_corpus(
            model,
            args.corpus,
            args.out,
            annotator=args.annotator,
            to=args.to,
            n_jobs=args.n_jobs,
            client=client,
            batch_chars=args.batch_chars,
            overwrite=args.overwrite,
            progress=None if args.quiet else _progress(err, "documents"),
            check=False,  # validated above, with every problem printed
        )
    for problem in summary.problems:
        err.write(f"{problem}\n")
    out.write(
        f"wrote {summary.spans} predicted spans for {summary.documents} documents "
        f"to {summary.written}\n"
    )
    return EXIT_OK


@contextlib.contextmanager
def _dask_client(address: str) -> Iterator[Any]:
    """Connect to a running Dask scheduler (the ``dask`` extra)."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise BiaskitError(
            '--scheduler needs dask.distributed: pip install "biaskit[dask]"'
        ) from exc
    try:
        client = Client(address, timeout=10)  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise BiaskitError(f"cannot connect to the Dask scheduler at {address}: {exc}") from exc
    with client:
        yield client


def _cmd_evaluate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from biaskit.baseline import SpanClassifier
    from biaskit.evaluation import cross_validate, evaluation_to_dict, render_evaluation

    loaded = _load(args.corpus, err)
    if isinstance(loaded, int):
        return loaded
    result = cross_validate(
        loaded,
        SpanClassifier(rules=not args.no_rules, random_state=args.seed),
        annotator=args.annotator,
        group_by=args.group_by,
        n_splits=args.folds,
        random_state=args.seed,
        progress=None if args.format == "json" else _progress(err, "fold"),
    )
    if args.format == "json":
        out.write(json.dumps(evaluation_to_dict(result), indent=2, allow_nan=False) + "\n")
    else:
        out.write(render_evaluation(result) + "\n")
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
    validate_cmd.add_argument(
        "--max-line-bytes",
        type=_positive_int,
        default=DEFAULT_LIMITS.max_line_bytes,
        metavar="N",
        help="report (and skip unread) any line longer than N bytes "
        f"(default {DEFAULT_LIMITS.max_line_bytes})",
    )
    validate_cmd.add_argument(
        "--max-spans",
        type=_positive_int,
        default=DEFAULT_LIMITS.max_spans,
        metavar="N",
        help=f"report a spans file with more than N spans (default {DEFAULT_LIMITS.max_spans})",
    )
    validate_cmd.add_argument(
        "--from",
        dest="from_format",
        choices=_format_names(reading=True),
        metavar="FORMAT",
        help="validate another tool's files (brat, labelstudio, doccano, inception, spacy, ptc...)",
    )
    _add_read_options(validate_cmd)
    validate_cmd.set_defaults(run=_cmd_validate)

    stats_cmd = commands.add_parser(
        "stats",
        help="print documents, words and spans per outlet and label",
        description="Print the size of each outlet and each annotator's spans per label.",
    )
    stats_cmd.add_argument("corpus", metavar="CORPUS", help="corpus folder")
    stats_cmd.add_argument("--format", choices=("text", "json"), default="text")
    stats_cmd.set_defaults(run=_cmd_stats)

    agree_cmd = commands.add_parser(
        "agree",
        help="measure agreement between annotators",
        description=(
            "Pairwise span F1 (exact and partial credit), per-label Cohen's and Fleiss' kappa "
            "and Krippendorff's alpha on token and character layers, and Krippendorff's "
            "unitizing alpha per label and overall. By default every annotator but 'gold' "
            "and biaskit's own (biaskit-*) takes part."
        ),
    )
    agree_cmd.add_argument("corpus", metavar="CORPUS", help="corpus folder")
    agree_cmd.add_argument("--annotators", nargs="+", metavar="NAME")
    agree_cmd.add_argument("--labels", nargs="+", metavar="LABEL")
    agree_cmd.add_argument("--format", choices=("text", "json"), default="text")
    agree_cmd.set_defaults(run=_cmd_agree)

    adjudicate_cmd = commands.add_parser(
        "adjudicate",
        help="merge annotators into a gold spans file, reporting every conflict",
        description=(
            "Merge annotators' spans per label into spans/GOLD.jsonl of the corpus folder "
            "(only that file is written) and report each disagreement the merge resolved."
        ),
    )
    adjudicate_cmd.add_argument("corpus", metavar="CORPUS", help="corpus folder")
    adjudicate_cmd.add_argument("--annotators", nargs="+", metavar="NAME")
    adjudicate_cmd.add_argument(
        "--method",
        choices=("token-majority", "union", "intersection", "exact-majority"),
        default="token-majority",
    )
    adjudicate_cmd.add_argument(
        "--threshold",
        type=float,
        default=0.5,
        help="share of annotators a majority must exceed (default 0.5)",
    )
    adjudicate_cmd.add_argument("--into", default="gold", metavar="NAME", help="gold annotator")
    adjudicate_cmd.add_argument(
        "--carry",
        nargs="*",
        default=["biaskit-clean"],
        metavar="NAME",
        help="annotators copied into gold unchanged (default: biaskit-clean)",
    )
    adjudicate_cmd.add_argument(
        "--report", type=Path, metavar="FILE", help="write the conflicts here (.json for JSON)"
    )
    adjudicate_cmd.add_argument("--overwrite", action="store_true")
    adjudicate_cmd.add_argument("--format", choices=("text", "json"), default="text")
    adjudicate_cmd.set_defaults(run=_cmd_adjudicate)

    annotate_cmd = commands.add_parser(
        "annotate",
        help="pre-annotate a corpus with the rule detectors",
        description=(
            "Run biaskit's rule detectors (scare quotes, reporting verbs, hedges and "
            "boosters, variant-registry names) over every document and write their spans "
            "as one annotator's file, for annotators to correct."
        ),
    )
    annotate_cmd.add_argument("corpus", metavar="CORPUS", help="corpus folder")
    annotate_cmd.add_argument(
        "--rules", action="store_true", required=True, help="use the rule detectors"
    )
    annotate_cmd.add_argument(
        "--out",
        metavar="FOLDER",
        help="corpus folder to write spans/ANNOTATOR.jsonl into (default: CORPUS)",
    )
    annotate_cmd.add_argument("--annotator", default="biaskit-rules", metavar="NAME")
    annotate_cmd.add_argument(
        "--registry",
        type=Path,
        metavar="FILE",
        help="variant registry (default: CORPUS/variants.json when present)",
    )
    annotate_cmd.add_argument("--overwrite", action="store_true")
    annotate_cmd.add_argument("--format", choices=("text", "json"), default="text")
    annotate_cmd.set_defaults(run=_cmd_annotate)

    convert_cmd = commands.add_parser(
        "convert",
        help="convert annotations between formats",
        description=(
            "Read INPUT in one format and write OUTPUT in another. A span the target cannot "
            "hold is an error unless --on-overlap / --on-discontinuous says what to do; "
            "nothing is ever dropped or moved silently, and OUTPUT is not replaced unless "
            "--overwrite is given. See docs/formats.md."
        ),
    )
    convert_cmd.add_argument(
        "--from", dest="from_format", required=True, choices=_format_names(reading=True)
    )
    convert_cmd.add_argument(
        "--to", dest="to_format", required=True, choices=_format_names(reading=False)
    )
    convert_cmd.add_argument("input", metavar="INPUT")
    convert_cmd.add_argument("output", metavar="OUTPUT")
    for option in ("--on-overlap", "--on-discontinuous"):
        convert_cmd.add_argument(
            option, choices=("report", "split", "hull", "skip"), default="report"
        )
    convert_cmd.add_argument("--overwrite", action="store_true")
    convert_cmd.add_argument("--annotators", nargs="+", metavar="NAME")
    convert_cmd.add_argument("--format", choices=("text", "json"), default="text")
    _add_read_options(convert_cmd)
    writing = convert_cmd.add_argument_group("writing")
    writing.add_argument(
        "--write-unit",
        choices=("codepoint", "utf16", "grapheme"),
        help="offset unit to write (Label Studio, doccano)",
    )
    writing.add_argument(
        "--no-overlap", action="store_true", help="doccano/INCEpTION: no overlapping spans"
    )
    writing.add_argument("--no-text", action="store_true", help="CSV: leave the span text out")
    writing.add_argument("--bom", action="store_true", help="CSV: start with a BOM (for Excel)")
    writing.add_argument("--task", choices=("si", "flc"), help="PTC: which labels file")
    convert_cmd.set_defaults(run=_cmd_convert)

    report_cmd = commands.add_parser(
        "report",
        help="write a standalone HTML report of a corpus",
        description=(
            "Write one self-contained HTML file: label rates per outlet, lexical choice, "
            "who is quoted, readability, and every document with its spans highlighted."
        ),
    )
    report_cmd.add_argument("corpus", metavar="CORPUS", help="corpus folder")
    report_cmd.add_argument(
        "--html", required=True, type=Path, metavar="FILE", help="the HTML file to write"
    )
    report_cmd.add_argument(
        "--annotator",
        default="gold",
        metavar="NAME",
        help="whose spans to count and highlight (default: gold)",
    )
    report_cmd.add_argument(
        "--variants",
        type=Path,
        metavar="FILE",
        help="variant registry (default: CORPUS/variants.json if present)",
    )
    report_cmd.add_argument("--title", metavar="TEXT")
    report_cmd.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    report_cmd.set_defaults(run=_cmd_report)

    train_cmd = commands.add_parser(
        "train",
        help="train the baseline classifier on a corpus's hand-annotated spans",
        description="Fit biaskit's baseline span classifier on one annotator's spans "
        "(default: gold) and save it with its manifest. Loading a model file runs code: "
        "share models as --serializer skops, and load only files you trust.",
    )
    train_cmd.add_argument("corpus", metavar="CORPUS", help="corpus folder")
    train_cmd.add_argument("--out", required=True, type=Path, metavar="MODEL")
    train_cmd.add_argument("--annotator", default="gold", metavar="NAME")
    train_cmd.add_argument("--no-rules", action="store_true", help="no rule-detector features")
    train_cmd.add_argument("--seed", type=int, default=0)
    train_cmd.add_argument("--serializer", choices=("joblib", "skops"), default="joblib")
    train_cmd.add_argument("--overwrite", action="store_true")
    train_cmd.add_argument("--format", choices=("text", "json"), default="text")
    train_cmd.set_defaults(run=_cmd_train)

    predict_cmd = commands.add_parser(
        "predict",
        help="propose labelled spans with a trained model",
        description="Run a saved model over every document of CORPUS. --to native writes "
        "spans/ANNOTATOR.jsonl into OUT when OUT is a corpus folder, else a new corpus "
        "folder; --to ptc writes a PTC labels file; --to brat a brat folder.",
    )
    predict_cmd.add_argument("corpus", metavar="CORPUS", help="corpus folder")
    predict_cmd.add_argument("--model", required=True, type=Path, metavar="MODEL")
    predict_cmd.add_argument("--out", required=True, metavar="OUT")
    predict_cmd.add_argument("--to", choices=("native", "ptc", "brat"), default="native")
    predict_cmd.add_argument("--annotator", default="biaskit-baseline", metavar="NAME")
    predict_cmd.add_argument("--overwrite", action="store_true")
    predict_cmd.add_argument(
        "--n-jobs",
        type=_n_jobs,
        default=1,
        metavar="N",
        help="worker processes (-1: every core; default 1); the output is the same for any N",
    )
    predict_cmd.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs biaskit[dask])",
    )
    predict_cmd.add_argument(
        "--batch-chars",
        type=_positive_int,
        default=200_000,
        metavar="N",
        help="characters of text per batch of work (default 200000)",
    )
    predict_cmd.add_argument("--quiet", action="store_true", help="no progress on stderr")
    predict_cmd.set_defaults(run=_cmd_predict)

    evaluate_cmd = commands.add_parser(
        "evaluate",
        help="cross-validate the baseline classifier and print per-label scores",
        description="Train and score the baseline in folds grouped by document, by outlet "
        "(leave-one-outlet-out) or by a metadata key such as an event id.",
    )
    evaluate_cmd.add_argument("corpus", metavar="CORPUS", help="corpus folder")
    evaluate_cmd.add_argument("--annotator", default="gold", metavar="NAME")
    evaluate_cmd.add_argument("--group-by", default="document", metavar="document|outlet|KEY")
    evaluate_cmd.add_argument("--folds", type=_positive_int, default=5)
    evaluate_cmd.add_argument("--seed", type=int, default=0)
    evaluate_cmd.add_argument("--no-rules", action="store_true")
    evaluate_cmd.add_argument("--format", choices=("text", "json"), default="text")
    evaluate_cmd.set_defaults(run=_cmd_evaluate)
    return parser


def _format_names(*, reading: bool) -> list[str]:
    from biaskit.io.formats import FORMATS

    return [name for name, info in FORMATS.items() if (info.reads if reading else info.writes)]


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
    except (BiaskitError, ValueError) as exc:
        # ValueError: a library function refused an argument the user gave.
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
