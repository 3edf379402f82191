r"""The foreign formats biaskit reads and writes, and conversion between them.

:data:`FORMATS` lists every format with its offset unit and what it can
hold; :func:`convert` reads one format and writes another; and
:func:`validate_foreign` reads a foreign file or folder and returns every
problem found, located by file and line (or record), like
:func:`biaskit.validate` does for the native corpus folder.

Nothing is dropped or moved silently. A span the target format cannot hold
(an overlap where the format has none, the fragments of a discontinuous span,
a brat label with a space) is an error unless an option says what to do with
it, and every span so changed is reported as a warning:

``report``
    stop with an error listing every such span; nothing is written.
``split``
    an overlap: the later span loses the part already covered and its
    remaining pieces are written as separate spans; a discontinuous span:
    each fragment is written as a separate span.
``hull``
    replace the spans (or fragments) by one span from the first start to the
    last end; refused when they carry different labels.
``skip``
    leave the span out.

Examples
--------
>>> list(FORMATS)
['native', 'brat', 'labelstudio', 'doccano', 'inception', 'spacy', 'csv', 'ptc', 'basil']
>>> FORMATS["doccano"].unit
'utf16'
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from biaskit.corpus import Corpus
from biaskit.errors import AnnotationError, BiaskitError, Problem
from biaskit.io._foreign import _POLICIES, Policy, fitted_corpus
from biaskit.io.native import CheckedCorpus, check_corpus, save_corpus

__all__ = [
    "FORMATS",
    "FormatInfo",
    "Policy",
    "convert",
    "load_foreign",
    "validate_foreign",
]


@attrs.frozen
class FormatInfo:
    """What biaskit knows about one annotation format.

    Attributes
    ----------
    name : str
        The name used by :func:`convert` and ``biaskit convert --from/--to``.
    description : str
        One line for users.
    unit : str
        The offset unit in its files.
    reads, writes : bool
        Whether biaskit reads it and writes it.
    overlap, discontinuous : bool
        Whether it holds overlapping spans and discontinuous (fragmented) spans.
    module : str
        The biaskit module holding its reader and writer.
    extra : str or None
        The optional extra to install for it (``pip install "biaskit[EXTRA]"``).
    """

    name: str
    description: str
    unit: str
    reads: bool
    writes: bool
    overlap: bool
    discontinuous: bool
    module: str
    extra: str | None = None


_ORDER = ["native", "brat", "labelstudio", "doccano", "inception", "spacy", "csv", "ptc", "basil"]

FORMATS: Mapping[str, FormatInfo] = {
    info.name: info
    for info in (
        FormatInfo(
            "native", "biaskit corpus folder", "codepoint", True, True, True, True,
            "biaskit.io.native",
        ),
        FormatInfo(
            "brat", "brat standoff: a folder per annotator of .txt + .ann", "codepoint",
            True, True, True, True, "biaskit.io.brat",
        ),
        FormatInfo(
            "labelstudio", "Label Studio JSON export / tasks with predictions", "codepoint",
            True, True, True, False, "biaskit.io.labelstudio",
        ),
        FormatInfo(
            "doccano", "doccano JSONL, one file per annotator", "utf16",
            True, True, True, False, "biaskit.io.doccano",
        ),
        FormatInfo(
            "inception", "INCEpTION / UIMA CAS XMI or JSON (dkpro-cassis)", "utf16",
            True, True, True, False, "biaskit.io.inception", "inception",
        ),
        FormatInfo(
            "spacy", "spaCy DocBin, doc.spans per annotator", "codepoint",
            True, True, True, False, "biaskit.io.spacy", "spacy",
        ),
        FormatInfo(
            "csv", "CSV export, one row per span (for R, SPSS, Excel)", "codepoint",
            False, True, True, True, "biaskit.io.csv",
        ),
        FormatInfo(
            "ptc", "SemEval-2020 Task 11 (PTC) labels file + article<ID>.txt", "codepoint",
            True, True, True, False, "biaskit.io.ptc",
        ),
        FormatInfo(
            "basil", "BASIL corpus (read only)", "codepoint", True, False, True, False,
            "biaskit.io.basil",
        ),
    )
}  # fmt: skip
"""Every format, by name."""


_POLICY_WRITERS = ("brat", "labelstudio", "doccano", "inception", "csv")
# Functions named otherwise than check_/load_/save_<format> in the other modules.
_READERS = {"spacy": "read_docbin"}
_WRITERS = {"ptc": "write_ptc", "spacy": "write_docbin"}


def _info(name: str, *, reading: bool) -> FormatInfo:
    info = FORMATS.get(name)
    if info is None:
        raise BiaskitError(f"unknown format {name!r}; expected one of {', '.join(_ORDER)}")
    if reading and not info.reads:
        raise BiaskitError(f"biaskit writes {name} but does not read it")
    if not reading and not info.writes:
        raise BiaskitError(f"biaskit reads {name} but does not write it")
    return info


def _module(info: FormatInfo) -> Any:
    try:
        return importlib.import_module(info.module)
    except ImportError as exc:
        if info.extra is None:
            raise
        raise BiaskitError(
            f"the {info.name} format needs the '{info.extra}' extra: "
            f'pip install "biaskit[{info.extra}]" ({exc})'
        ) from exc


def _check_foreign(
    path: str | os.PathLike[str], from_format: str, options: Mapping[str, Any]
) -> CheckedCorpus:
    info = _info(from_format, reading=True)
    if info.name == "native":
        return check_corpus(path)
    module = _module(info)
    checker = getattr(module, f"check_{info.name}", None)
    if checker is not None:
        return checker(path, **options)  # type: ignore[no-any-return]
    # Formats written by other modules without a check_* function: load, and
    # turn its error into the problem list.
    loader = getattr(module, _READERS.get(info.name, f"load_{info.name}"))
    try:
        return CheckedCorpus((), loader(path, **options))
    except AnnotationError as exc:
        return CheckedCorpus(exc.problems, None)


def validate_foreign(
    path: str | os.PathLike[str], from_format: str, **options: Any
) -> list[Problem]:
    r"""Read a file or folder of another tool's format and return every problem found.

    The problems are those :func:`biaskit.validate` reports for the native
    format (offsets outside the text, covered text that disagrees with the
    offsets and which unit they would fit, labels outside the schema,
    overlaps of one label, spans with whitespace at an edge...) plus the
    format's own (malformed lines, references to missing ids), each located
    at its file and line, or record where the format has no lines.

    Parameters
    ----------
    path : path-like
        What the format's reader takes (a folder for brat, a JSON file for
        Label Studio, a JSONL file or folder for doccano...).
    from_format : str
        A name in :data:`FORMATS`.
    **options
        Passed to the format's reader (``schema``, ``unit``, ``label_map``...).

    Returns
    -------
    list of Problem
        Errors and warnings; empty when the input is clean.

    Raises
    ------
    BiaskitError
        If the format is unknown, not readable, or its extra is not installed.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "d1.txt").write_text("The US killed him.", encoding="utf-8")
    >>> _ = (folder / "d1.ann").write_text("T1\tEVENT_TERM 7 14\tkilled\n", encoding="utf-8")
    >>> for problem in validate_foreign(folder, "brat"):
    ...     print(problem.code, problem.message)
    text-mismatch T1: covered text 'killed' does not match the text at [7, 14), which is 'killed '
    """
    return list(_check_foreign(path, from_format, options).problems)


def load_foreign(path: str | os.PathLike[str], from_format: str, **options: Any) -> Corpus:
    """Read a file or folder of any readable format into a corpus.

    Raises
    ------
    AnnotationError
        Holding every problem, if any error was found.
    BiaskitError
        If the format is unknown, not readable, or its extra is not installed.
    """
    checked = _check_foreign(path, from_format, options)
    if checked.corpus is None:
        errors = checked.errors
        raise AnnotationError(
            checked.problems,
            summary=f"{os.fspath(path)}: {len(errors)} error(s); the {from_format} input "
            "cannot be read",
        )
    return checked.corpus


def convert(
    input: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    from_format: str,
    to_format: str,
    on_overlap: Policy = "report",
    on_discontinuous: Policy = "report",
    overwrite: bool = False,
    annotators: Sequence[str] | None = None,
    read_options: Mapping[str, Any] | None = None,
    write_options: Mapping[str, Any] | None = None,
) -> list[Problem]:
    r"""Read ``input`` in one format and write ``output`` in another.

    Parameters
    ----------
    input, output : path-like
        What the reader takes and the writer writes (a folder or a file,
        depending on the format; see ``docs/formats.md``).
    from_format, to_format : str
        Names in :data:`FORMATS`.
    on_overlap, on_discontinuous : {"report", "split", "hull", "skip"}
        What to do with spans the target format cannot hold (module notes).
    overwrite : bool
        Replace existing output files; without it nothing is written if any exists.
    annotators : sequence of str, optional
        Write only these annotators' spans (default: all).
    read_options, write_options : mapping, optional
        Passed to the reader and writer (``schema``, ``unit``, ``label_map``...).

    Returns
    -------
    list of Problem
        The warnings of reading and writing (spans changed by a policy, data
        the target cannot hold). Errors raise instead.

    Raises
    ------
    AnnotationError
        If the input has errors, or spans the target cannot hold and the
        policy is ``report``.
    OutputExistsError
        If an output file exists and ``overwrite`` is false.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> src, out = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp()) / "tasks.json"
    >>> _ = (src / "d1.txt").write_text("The US killed him.", encoding="utf-8")
    >>> _ = (src / "d1.ann").write_text("T1\tEVENT_TERM 7 13\tkilled\n", encoding="utf-8")
    >>> convert(src, out, from_format="brat", to_format="labelstudio")
    []
    >>> load_foreign(out, "labelstudio").annotators
    ('brat',)
    """
    for name, value in (("on_overlap", on_overlap), ("on_discontinuous", on_discontinuous)):
        if value not in _POLICIES:
            raise BiaskitError(f"{name} must be one of {', '.join(_POLICIES)}, not {value!r}")
    source = _info(from_format, reading=True)
    target = _info(to_format, reading=False)
    checked = _check_foreign(input, source.name, dict(read_options or {}))
    if checked.corpus is None:
        raise AnnotationError(
            checked.problems,
            summary=f"{os.fspath(input)}: {len(checked.errors)} error(s) in the "
            f"{source.name} input; nothing written",
        )
    corpus = checked.corpus
    if annotators is not None:
        missing = sorted(set(annotators) - set(corpus.annotators))
        if missing:
            raise BiaskitError(
                f"no spans by {', '.join(map(repr, missing))} in {os.fspath(input)}; "
                f"its annotators are {', '.join(corpus.annotators) or 'none'}"
            )
        corpus = attrs.evolve(
            corpus, annotations=[a for a in corpus.annotations if a.annotator in annotators]
        )
    warnings = list(checked.problems)
    options = dict(write_options or {})
    if target.name == "native":
        save_corpus(corpus, output, overwrite=overwrite)
        return warnings
    module = _module(target)
    writer = getattr(module, _WRITERS.get(target.name, f"save_{target.name}"))
    if target.name in _POLICY_WRITERS:
        options.update(on_overlap=on_overlap, on_discontinuous=on_discontinuous)
    else:
        # Writers of other modules take no policy: they get a corpus already fitted.
        corpus, fitted = fitted_corpus(
            corpus,
            overlap=target.overlap,
            discontinuous=target.discontinuous,
            on_overlap=on_overlap,
            on_discontinuous=on_discontinuous,
            target=target.name,
        )
        warnings += fitted
    if target.name == "ptc":
        # A PTC labels file holds one annotator's spans.
        if "annotator" not in options:
            if len(corpus.annotators) != 1:
                raise BiaskitError(
                    "a PTC labels file holds one annotator's spans; choose one with "
                    f"annotators=[...] (--annotators); found {', '.join(corpus.annotators)}"
                )
            options["annotator"] = corpus.annotators[0]
        options.setdefault("task", "flc")
    written = writer(corpus, output, overwrite=overwrite, **options)
    if isinstance(written, list):
        warnings += [p for p in written if isinstance(p, Problem)]
    return warnings
