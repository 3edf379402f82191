r"""Read and write the Propaganda Techniques Corpus (PTC, SemEval-2020 Task 11) format.

A PTC corpus is a folder of plain-text articles ``article<ID>.txt`` and one
tab-separated labels file for all of them, in one of three shapes:

=========  ===============================  =====================================
task       a row                            the span's label here
=========  ===============================  =====================================
SI         ``ID<TAB>start<TAB>end``         ``PROPAGANDA``
FLC / TC   ``ID<TAB>technique<TAB>start<TAB>end``  the technique, as written
template   ``ID<TAB>?<TAB>start<TAB>end``   ``UNKNOWN`` (the TC rows to label)
=========  ===============================  =====================================

Offsets are code points, start inclusive and end exclusive, over the article
file decoded as UTF-8 exactly as stored (a leading byte-order mark is a
character of the text: the corpus counts it). Technique names may contain a
comma (``Name_Calling,Labeling``), so rows are split on tabs only.

Every article in the folder becomes a document, with or without spans, so a
model predicts on the articles that have no gold too. Its title is the first
line of the text (PTC puts it there).

Rows end at ``\n`` (a ``\r`` before it is dropped). A row that is not UTF-8
is reported at its line (and the byte), a row longer than
``limits.max_line_bytes`` is reported (``line-too-long``) and never read into
memory, as in the native format; an article that is not UTF-8 is reported at
the line of its first undecodable byte. An empty labels file beside articles
is read as articles with no spans.

Examples
--------
>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "article1.txt").write_text("Title\n\nThey are traitors.\n", encoding="utf-8")
>>> _ = (root / "task-flc-tc.labels").write_text("1\tName_Calling,Labeling\t16\t24\n")
>>> corpus = load_ptc(root / "task-flc-tc.labels")
>>> [(s.label, corpus.document("1").covered_text(s)) for _, s in corpus.spans()]
[('Name_Calling,Labeling', 'traitors')]
>>> write_ptc(corpus, root / "out" / "pred.labels", annotator="gold", task="si")
[]
>>> (root / "out" / "pred.labels").read_text()
'1\t16\t24\n'
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Literal

import attrs

from biaskit._atomic import atomic_group
from biaskit.corpus import Corpus
from biaskit.errors import AnnotationError, BiaskitError, OutputExistsError, Problem
from biaskit.io._foreign import bounded_lines, undecodable
from biaskit.io.native import DEFAULT_LIMITS, ReadLimits
from biaskit.io.offsets import OffsetConverter
from biaskit.model import AnnotationSet, Document, Span
from biaskit.schema import AttributeSpec, LabelSpec, Schema

__all__ = [
    "PTC_PROPAGANDA",
    "PTC_TECHNIQUES",
    "PTC_UNKNOWN",
    "PtcTask",
    "iter_ptc",
    "load_ptc",
    "write_ptc",
    "write_ptc_lines",
]

PTC_TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)
"""The 14 technique labels of PTC v2, spelt as in its files (sorted)."""

PTC_PROPAGANDA = "PROPAGANDA"
"""The label given to the spans of an SI (span identification) file."""

PTC_UNKNOWN = "UNKNOWN"
"""The label given to the rows of a TC template (``?`` in the file)."""

PtcTask = Literal["si", "flc"]
"""The row shape written: ``si`` (``id start end``) or ``flc`` (``id technique start end``)."""

_ARTICLE = re.compile(r"article(.+)\.txt")
# Ids become file names: keep them to a portable set that cannot name a folder.
_SAFE_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,150}")
_CONFIDENCE = AttributeSpec(
    "confidence",
    type="number",
    description="The model's probability for a predicted span (absent on hand annotation).",
)
_ORIGIN = AttributeSpec(
    "origin",
    description="What made the span: absent for hand annotation, else the rule or model.",
)


def _schema(labels: tuple[str, ...]) -> Schema:
    return Schema(
        "ptc",
        "2",
        [LabelSpec(name, description="A propaganda technique of PTC v2.") for name in labels],
        common_attributes=[_CONFIDENCE, _ORIGIN],
        description=(
            "Propaganda Techniques Corpus v2 (Da San Martino et al., EMNLP 2019; "
            "SemEval-2020 Task 11)."
        ),
    )


@attrs.frozen
class _Row:
    doc_id: str
    label: str
    start: int
    end: int
    line: int


def _split_name(labels: Path) -> str | None:
    head, sep, _ = labels.name.partition("-")
    return head if sep and head else None


def _articles_folder(labels: Path, articles: Path | None) -> Path:
    if articles is not None:
        if not articles.is_dir():
            raise BiaskitError(f"{articles}: expected a folder of article<ID>.txt files")
        return articles
    split = _split_name(labels)
    if split is not None and (labels.parent / f"{split}-articles").is_dir():
        return labels.parent / f"{split}-articles"
    return labels.parent


def _decoded_lines(
    labels: Path, problems: list[Problem], limits: ReadLimits
) -> Iterator[tuple[int, str]]:
    shown = str(labels)
    try:
        for number, offset, raw in bounded_lines(labels, shown, problems, limits):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.append(
                    Problem(
                        undecodable(raw, exc, offset), "encoding", path=shown, line=number, col=1
                    )
                )
                continue
            yield number, line[:-1] if line.endswith("\r") else line
    except OSError as exc:
        raise BiaskitError(f"{shown}: cannot read the labels file: {exc.strerror or exc}") from None


def _read_rows(
    labels: Path, techniques: Collection[str], limits: ReadLimits
) -> tuple[list[_Row], str]:
    shown = str(labels)
    rows: list[_Row] = []
    problems: list[Problem] = []
    kind: str | None = None
    for number, line in _decoded_lines(labels, problems, limits):
        if not line.strip():
            continue
        fields = line.split("\t")

        def bad(message: str, code: str = "ptc-row", line_no: int = number) -> None:
            problems.append(Problem(message, code, path=shown, line=line_no, col=1))

        if len(fields) == 3:
            row_kind, label = "si", PTC_PROPAGANDA
            doc_id, start_s, end_s = fields
        elif len(fields) == 4:
            doc_id, label, start_s, end_s = fields
            row_kind = "template" if label == "?" else "flc"
            label = PTC_UNKNOWN if label == "?" else label.strip()
        else:
            bad(
                "expected 3 tab-separated fields (id, start, end) or 4 (id, technique, start, "
                f"end), found {len(fields)}"
            )
            continue
        if kind is None:
            kind = row_kind
        elif row_kind != kind:
            bad(f"expected a {kind} row like the first row, found a {row_kind} row")
            continue
        if row_kind == "flc" and label not in techniques:
            bad(
                f"unknown technique {label!r}; expected one of {', '.join(techniques)}"
                + ("" if techniques is not PTC_TECHNIQUES else " (other labels need schema=)"),
                "unknown-label",
            )
            continue
        try:
            start, end = int(start_s), int(end_s)
        except ValueError:
            bad(f"expected integer offsets, found {start_s!r} and {end_s!r}", "offset-type")
            continue
        if start < 0 or end <= start:
            bad(f"expected 0 <= start < end, found start {start} and end {end}", "offset-range")
            continue
        rows.append(_Row(doc_id.strip(), label, start, end, number))
    if problems:
        raise AnnotationError(problems, f"{shown}: {len(problems)} bad row(s)")
    return rows, kind or "si"


def _read_article(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BiaskitError(f"{path}: cannot read the article: {exc.strerror or exc}") from None
    try:
        # Decoded exactly: a byte-order mark stays a character, as PTC's offsets count it.
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise AnnotationError(
            [Problem(undecodable(raw, exc), "encoding", path=str(path), line=line, col=1)]
        ) from None


def _title(text: str) -> str | None:
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    return first or None


def _article_files(folder: Path) -> list[tuple[str, Path]]:
    """Return ``(document id, path)`` of every ``article<ID>.txt`` of the folder, by name."""
    found = []
    for path in sorted(folder.glob("article*.txt")):
        match = _ARTICLE.fullmatch(path.name)
        if match is not None:
            found.append((match.group(1), path))
    if not found:
        raise BiaskitError(f"{folder}: expected article<ID>.txt files, found none")
    return found


def _article(doc_id: str, path: Path) -> Document:
    text = _read_article(path)
    return Document(doc_id, text, title=_title(text), metadata={"ptc_file": path.name})


def _unknown(row: _Row, folder: Path, labels: Path) -> Problem:
    return Problem(
        f"article {row.doc_id!r} is not in {folder} (expected a file article{row.doc_id}.txt)",
        "unknown-document",
        path=str(labels),
        line=row.line,
        col=1,
    )


def _row_span(row: _Row, doc: Document, converter: OffsetConverter, labels: Path) -> Span | Problem:
    """Return the span of a row over its article, or the problem with its offsets."""
    try:
        return Span(converter.to_codepoint(row.start), converter.to_codepoint(row.end), row.label)
    except ValueError:
        return Problem(
            f"span [{row.start}, {row.end}) ends past the end of article {doc.id!r} "
            f"({len(doc.text)} code points)",
            "offset-range",
            path=str(labels),
            line=row.line,
            col=1,
        )


def load_ptc(
    labels: str | os.PathLike[str],
    *,
    articles: str | os.PathLike[str] | None = None,
    annotator: str = "gold",
    schema: Schema | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Corpus:
    """Read a PTC labels file and its articles as a corpus.

    Parameters
    ----------
    labels : path-like
        An SI labels file (``id start end``, label ``PROPAGANDA``), an FLC/TC
        labels file (``id technique start end``) or a TC template
        (``id ? start end``, label ``UNKNOWN``).
    articles : path-like, optional
        The folder of ``article<ID>.txt`` files. By default the folder
        ``<split>-articles`` beside the labels file if there is one (for
        ``dev-task-si.labels``, ``dev-articles``), else the labels file's folder.
    annotator : str
        The annotator the spans are recorded under.
    schema : Schema, optional
        The labels a labels file may use, and the corpus's schema: for files
        that biaskit wrote from a corpus of its own labels. By default an
        FLC/TC file may use only the 14 PTC techniques.
    limits : ReadLimits
        A row longer than ``limits.max_line_bytes`` is reported
        (``line-too-long``) and skipped unread.

    Returns
    -------
    Corpus
        Every article of the folder as a document (outlet ``"unknown"``, title
        from the first line), the spans under ``annotator``, and ``schema`` or
        a schema of the labels used (the 14 techniques for an FLC/TC file).

    Raises
    ------
    AnnotationError
        If rows are malformed, name an article that is not in the folder, or
        point past the end of its text; every problem names the file and line.
    BiaskitError
        If the files cannot be read or the folder holds no article.
    """
    labels_path = Path(labels)
    folder = _articles_folder(labels_path, None if articles is None else Path(articles))
    techniques = PTC_TECHNIQUES if schema is None else schema.label_names
    rows, kind = _read_rows(labels_path, techniques, limits)
    documents = [_article(doc_id, path) for doc_id, path in _article_files(folder)]
    by_id = {doc.id: doc for doc in documents}
    converters = {doc.id: OffsetConverter(doc.text, "codepoint") for doc in documents}
    spans: dict[str, list[Span]] = {}
    problems: list[Problem] = []
    for row in rows:
        doc = by_id.get(row.doc_id)
        if doc is None:
            problems.append(_unknown(row, folder, labels_path))
            continue
        found = _row_span(row, doc, converters[doc.id], labels_path)
        if isinstance(found, Problem):
            problems.append(found)
            continue
        spans.setdefault(doc.id, []).append(found)
    if problems:
        raise AnnotationError(problems, f"{labels_path}: {len(problems)} bad row(s)")
    if kind == "si":
        names: tuple[str, ...] = (PTC_PROPAGANDA,)
    elif kind == "template":
        names = (PTC_UNKNOWN,)
    else:
        names = PTC_TECHNIQUES
    sets = [AnnotationSet(by_id[d], annotator, s) for d, s in spans.items()]
    return Corpus(documents, schema if schema is not None else _schema(names), sets)


def iter_ptc(
    labels: str | os.PathLike[str],
    articles: str | os.PathLike[str] | None = None,
    *,
    annotator: str = "gold",
    schema: Schema | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Iterator[AnnotationSet]:
    r"""Stream a PTC labels file and its articles as annotation sets, one article at a time.

    The rows are read and checked first, as :func:`load_ptc` reads them, and
    held grouped by article (a row is a few numbers and a label: small beside
    the articles); then each article file is read in turn, in file-name
    order, and yielded with its spans, so that one article's text is in
    memory at a time. Every article yields a set, empty when no row names it.

    Parameters
    ----------
    labels, articles, annotator, schema, limits
        As in :func:`load_ptc`.

    Yields
    ------
    AnnotationSet
        An article as a document (as :func:`load_ptc` makes it) and its spans
        under ``annotator``.

    Raises
    ------
    AnnotationError
        Before any set, if rows are malformed or name an article that is not
        in the folder; at an article, if one of its rows points past the end
        of its text or the article is not UTF-8 (the sets before it have been
        yielded). Every problem names the file and line.
    BiaskitError
        If the files cannot be read or the folder holds no article.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "article1.txt").write_text("Title\n\nThey are traitors.\n", encoding="utf-8")
    >>> _ = (root / "article2.txt").write_text("Nothing here.\n", encoding="utf-8")
    >>> _ = (root / "si.labels").write_text("1\t16\t24\n")
    >>> [(s.document.id, [(x.start, x.end, x.label) for x in s.spans])
    ...  for s in iter_ptc(root / "si.labels")]
    [('1', [(16, 24, 'PROPAGANDA')]), ('2', [])]
    """
    labels_path = Path(labels)
    folder = _articles_folder(labels_path, None if articles is None else Path(articles))
    techniques = PTC_TECHNIQUES if schema is None else schema.label_names
    rows, _ = _read_rows(labels_path, techniques, limits)
    files = _article_files(folder)
    ids = {doc_id for doc_id, _ in files}
    unknown = [_unknown(row, folder, labels_path) for row in rows if row.doc_id not in ids]
    if unknown:
        raise AnnotationError(unknown, f"{labels_path}: {len(unknown)} bad row(s)")
    by_doc: dict[str, list[_Row]] = {}
    for row in rows:
        by_doc.setdefault(row.doc_id, []).append(row)
    del rows
    for doc_id, path in files:
        doc = _article(doc_id, path)
        converter = OffsetConverter(doc.text, "codepoint")
        found = [_row_span(row, doc, converter, labels_path) for row in by_doc.pop(doc_id, [])]
        problems = [f for f in found if isinstance(f, Problem)]
        if problems:
            raise AnnotationError(problems, f"{labels_path}: {len(problems)} bad row(s)")
        yield AnnotationSet(doc, annotator, [f for f in found if isinstance(f, Span)])


def _check_id(doc_id: str) -> None:
    if not _SAFE_ID.fullmatch(doc_id):
        raise BiaskitError(
            f"document id {doc_id!r} cannot be a PTC article file name; expected letters, "
            "digits, '.', '_' or '-' (not starting with '.' or '-'), at most 151 characters"
        )


def _set_rows(aset: AnnotationSet, task: PtcTask) -> Iterator[str]:
    """Yield the rows of one annotation set, in span order."""
    doc = aset.document
    converter = OffsetConverter(doc.text, "codepoint")
    seen: set[tuple[int, int]] = set()
    for span in aset.spans:
        start, end = converter.from_codepoint(span.start), converter.from_codepoint(span.end)
        if task == "si":
            if (start, end) in seen:
                continue  # one row per stretch: SI rows carry no label
            seen.add((start, end))
            yield f"{doc.id}\t{start}\t{end}\n"
        else:
            if "\t" in span.label or "\n" in span.label or "\r" in span.label:
                raise BiaskitError(
                    f"label {span.label!r} in document {doc.id!r} holds a tab or line "
                    "break, which a PTC row cannot store"
                )
            yield f"{doc.id}\t{span.label}\t{start}\t{end}\n"


def _articles_beside(labels_path: Path) -> Path:
    split = _split_name(labels_path)
    return labels_path.parent / f"{split}-articles" if split else labels_path.parent


def _refuse_existing(target: Path, overwrite: bool) -> None:
    if not overwrite and target.exists():
        raise OutputExistsError(f"{target} exists; pass overwrite=True (--overwrite) to replace it")


def write_ptc(
    corpus: Corpus,
    out: str | os.PathLike[str],
    *,
    annotator: str,
    task: PtcTask,
    overwrite: bool = False,
    write_articles: bool = True,
) -> list[Problem]:
    """Write one annotator's spans as a PTC labels file, with the articles.

    The articles go to ``<split>-articles/`` beside ``out`` when its name has a
    split prefix (``dev-task-si.labels`` → ``dev-articles/``), else beside it,
    which is where :func:`load_ptc` looks for them. Rows come in corpus
    document order, then span order. All files are written atomically,
    together. To write a stream of annotation sets without building a corpus
    (predictions, say), see :func:`write_ptc_lines`.

    Parameters
    ----------
    corpus : Corpus
        The documents and spans.
    out : path-like
        The labels file to write; missing folders are created.
    annotator : str
        Whose spans to write.
    task : {"si", "flc"}
        ``si`` writes ``id start end`` rows (one per distinct stretch);
        ``flc`` writes ``id technique start end`` rows, the labels as they are
        (also the shape of filled-in TC template rows).
    overwrite : bool
        Replace existing files; without it nothing is written if one exists.
    write_articles : bool
        Also write each document's text as ``article<ID>.txt``.

    Returns
    -------
    list of Problem
        Warnings about what PTC cannot hold (attributes and notes of spans,
        document metadata), so that nothing is dropped silently.

    Raises
    ------
    BiaskitError
        If a document id cannot be a safe file name or a label cannot be
        written in a row.
    OutputExistsError
        If a target exists and ``overwrite`` is false.
    """
    if task not in ("si", "flc"):
        raise BiaskitError(f"task must be 'si' or 'flc', not {task!r}")
    labels_path = Path(out)
    folder = _articles_beside(labels_path)
    # Checked before anything is created: the corpus is in memory anyway.
    for doc in corpus.documents:
        _check_id(doc.id)
    targets = [labels_path]
    if write_articles:
        targets += [folder / f"article{doc.id}.txt" for doc in corpus.documents]
    for target in targets:
        _refuse_existing(target, overwrite)
    sets = (corpus.annotation_set(doc.id, annotator) for doc in corpus.documents)
    return write_ptc_lines(
        sets, labels_path, task=task, overwrite=overwrite, write_articles=write_articles
    )


def write_ptc_lines(
    sets: Iterable[AnnotationSet],
    out: str | os.PathLike[str],
    *,
    task: PtcTask,
    overwrite: bool = False,
    write_articles: bool = True,
) -> list[Problem]:
    r"""Write a stream of annotation sets as a PTC labels file, with the articles.

    Each set's rows are written as it comes, in the order given, and its
    document's text as ``article<ID>.txt`` (where :func:`write_ptc` puts
    it); ``sets`` is consumed once, one set at a time, so memory does not
    grow with the stream (beyond a hash per document written and the
    temporary file names of the atomic write, a few hundred bytes per
    article). Every file is written atomically, together: if a set cannot be
    written or the iterable raises, nothing is written and existing files are
    left as they were. Missing folders are created first.

    Parameters
    ----------
    sets : iterable of AnnotationSet
        One annotator's sets, one per document (a PTC file names no annotator).
    out : path-like
        The labels file to write.
    task, overwrite, write_articles
        As in :func:`write_ptc`.

    Returns
    -------
    list of Problem
        Warnings about what PTC cannot hold, as :func:`write_ptc` gives them.

    Raises
    ------
    BiaskitError
        If a document id cannot be a safe file name, a label cannot be written
        in a row, the sets are by more than one annotator, or a document comes
        twice while articles are written.
    OutputExistsError
        If a target exists and ``overwrite`` is false.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> doc = Document("7", "They are traitors.")
    >>> spans = [Span(9, 17, "Name_Calling,Labeling")]
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "dev-task-flc-tc.labels"
    >>> write_ptc_lines((AnnotationSet(doc, "model", spans) for _ in [1]), out, task="flc")
    []
    >>> out.read_text(), (out.parent / "dev-articles" / "article7.txt").read_text()
    ('7\tName_Calling,Labeling\t9\t17\n', 'They are traitors.')
    """
    if task not in ("si", "flc"):
        raise BiaskitError(f"task must be 'si' or 'flc', not {task!r}")
    labels_path = Path(out)
    folder = _articles_beside(labels_path)
    _refuse_existing(labels_path, overwrite)
    labels_path.parent.mkdir(parents=True, exist_ok=True)
    if write_articles:
        folder.mkdir(parents=True, exist_ok=True)
    annotator: str | None = None
    written: set[int] = set()  # hashes of the ids of the articles written
    carried = 0
    with atomic_group() as group, group.open(labels_path) as stream:
        for aset in sets:
            doc = aset.document
            _check_id(doc.id)
            if annotator is None:
                annotator = aset.annotator
            elif aset.annotator != annotator:
                raise BiaskitError(
                    f"document {doc.id!r}: a set by {aset.annotator!r} after sets by "
                    f"{annotator!r}; expected one annotator's sets (a PTC file names none)"
                )
            stream.writelines(_set_rows(aset, task))
            carried += sum(1 for span in aset.spans if span.attributes or span.note or span.group)
            if not write_articles:
                continue
            if hash(doc.id) in written:
                raise BiaskitError(
                    f"document {doc.id!r} comes twice; expected one set per document, as "
                    "each is written as one article"
                )
            written.add(hash(doc.id))
            target = folder / f"article{doc.id}.txt"
            _refuse_existing(target, overwrite)
            with group.open(target) as article:
                article.write(doc.text)
    if not carried:
        return []
    return [
        Problem(
            f"{carried} span(s) carried attributes, notes or groups, which PTC cannot hold; "
            "their offsets and labels were written",
            "not-written",
            "warning",
            str(labels_path),
        )
    ]
