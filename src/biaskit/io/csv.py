r"""CSV export of spans for R, SPSS and spreadsheet users: one row per span.

The columns, always in this order::

    document, outlet, title, date, url, language, annotator, span_id, group,
    start, end, label, text, note, attr_<name>...

``start`` and ``end`` are code points (end exclusive) over the document's
exact text; ``text`` is what the span covers (omitted with ``text=False``,
for example when the texts may not be shared). Each attribute of the schema
(and any other attribute a span carries) gets an ``attr_<name>`` column,
sorted by name, empty where a span has none; booleans are ``true`` or
``false``. Rows come in corpus document order, then annotator, then span order.

The file is UTF-8 with ``\r\n`` row ends (RFC 4180), every field quoted when
needed. R's ``read.csv(..., encoding = "UTF-8")``, ``readr::read_csv`` and
SPSS read it as it is; Excel needs a byte-order mark to see UTF-8, so pass
``bom=True`` (``--bom``) for a file meant for Excel. Document metadata
beyond the columns above is not exported. CSV holds anything: overlapping
and discontinuous spans are rows like any other (the ``group`` column ties
fragments together).

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
>>> doc = Document("d1", "The US killed him.", outlet="Example")
>>> schema = Schema("demo", "1.0", [LabelSpec("EVENT_TERM")])
>>> span = Span(7, 13, "EVENT_TERM", attributes={"voice": "author"})
>>> corpus = Corpus([doc], schema, [AnnotationSet(doc, "alice", [span])])
>>> path = Path(tempfile.mkdtemp()) / "spans.csv"
>>> save_csv(corpus, path)
[]
>>> print(path.read_text(encoding="utf-8"), end="")
document,outlet,title,date,url,language,annotator,span_id,group,start,end,label,text,note,attr_voice
d1,Example,,,,en,alice,,,7,13,EVENT_TERM,killed,,author
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from biaskit._atomic import atomic_group
from biaskit.corpus import Corpus
from biaskit.errors import BiaskitError, Problem
from biaskit.io._foreign import Policy, check_targets
from biaskit.model import AnnotationSet, AttributeValue
from biaskit.schema import Schema

__all__ = ["CSV_COLUMNS", "save_csv", "spans_csv", "write_csv_lines"]

CSV_COLUMNS = (
    "document",
    "outlet",
    "title",
    "date",
    "url",
    "language",
    "annotator",
    "span_id",
    "group",
    "start",
    "end",
    "label",
    "text",
    "note",
)
"""The fixed columns, in order; ``attr_<name>`` columns follow."""


def _cell(value: AttributeValue | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _columns(text: bool, attribute_names: Sequence[str]) -> list[str]:
    columns = [c for c in CSV_COLUMNS if text or c != "text"]
    return columns + [f"attr_{n}" for n in attribute_names]


def _rows(aset: AnnotationSet, text: bool, attribute_names: Sequence[str]) -> Iterator[list[str]]:
    """Yield the rows of one annotation set, in span order."""
    doc, annotator = aset.document, aset.annotator
    for span in aset.spans:
        row = [
            doc.id,
            doc.outlet,
            doc.title or "",
            doc.date or "",
            doc.url or "",
            doc.language,
            annotator,
            span.id or "",
            span.group or "",
            str(span.start),
            str(span.end),
            span.label,
        ]
        if text:
            row.append(doc.covered_text(span))
        row.append(span.note or "")
        row += [_cell(span.attributes.get(n)) for n in attribute_names]
        yield row


def _schema_attributes(schema: Schema) -> set[str]:
    names = {a.name for a in schema.common_attributes}
    return names | {a.name for label in schema.labels for a in label.attributes}


def spans_csv(corpus: Corpus, *, annotators: Sequence[str] | None = None, text: bool = True) -> str:
    """Return the CSV text of the corpus's spans (see the module notes for the columns).

    Parameters
    ----------
    corpus : Corpus
        The spans and their documents.
    annotators : sequence of str, optional
        Only these annotators (default: all), in this order.
    text : bool
        Include the ``text`` column (what each span covers).
    """
    chosen = list(annotators) if annotators is not None else list(corpus.annotators)
    names = _schema_attributes(corpus.schema)
    names |= {n for _, span in corpus.spans() for n in span.attributes}
    attribute_names = sorted(names)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_columns(text, attribute_names))
    for doc in corpus.documents:
        for annotator in chosen:
            writer.writerows(_rows(corpus.annotation_set(doc.id, annotator), text, attribute_names))
    return buffer.getvalue()


def save_csv(
    corpus: Corpus,
    path: str | os.PathLike[str],
    *,
    annotators: Sequence[str] | None = None,
    text: bool = True,
    bom: bool = False,
    on_overlap: Policy = "report",
    on_discontinuous: Policy = "report",
    overwrite: bool = False,
) -> list[Problem]:
    """Write the spans CSV (see :func:`spans_csv`) to ``path``, atomically.

    Parameters
    ----------
    corpus : Corpus
        The spans and their documents.
    path : path-like
        The file to write.
    annotators : sequence of str, optional
        Only these annotators (default: all).
    text : bool
        Include the ``text`` column.
    bom : bool
        Start with a UTF-8 byte-order mark, so that Excel reads UTF-8.
    on_overlap, on_discontinuous : policy
        Never needed: CSV holds every span.
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    list of Problem
        Always empty: every span fits a row.
    """
    chosen = list(annotators) if annotators is not None else list(corpus.annotators)
    sets = (
        corpus.annotation_set(doc.id, annotator) for doc in corpus.documents for annotator in chosen
    )
    names = {n for _, span in corpus.spans() for n in span.attributes}
    write_csv_lines(
        sets,
        path,
        schema=corpus.schema,
        attributes=names,
        text=text,
        bom=bom,
        overwrite=overwrite,
    )
    return []


def write_csv_lines(
    sets: Iterable[AnnotationSet],
    path: str | os.PathLike[str],
    *,
    schema: Schema | None = None,
    attributes: Iterable[str] = (),
    text: bool = True,
    bom: bool = False,
    overwrite: bool = False,
) -> int:
    """Write the spans CSV of a stream of annotation sets, one set at a time, atomically.

    The rows are those of :func:`spans_csv`, in the order the sets come;
    ``sets`` is consumed once, so memory does not grow with the stream. The
    header comes first, so the ``attr_<name>`` columns cannot be learnt from
    the spans: they are the attributes ``schema`` declares (as in
    :func:`save_csv`) and those named in ``attributes``. Given the corpus's
    schema and its spans' attribute names, the file is :func:`save_csv`'s,
    byte for byte. If the iterable raises or a span has an attribute with no
    column, nothing is written and an existing file is left as it was.

    Parameters
    ----------
    sets : iterable of AnnotationSet
        The spans and their documents, any annotators.
    path : path-like
        The file to write; its folder is created if missing.
    schema : Schema, optional
        Its attributes get columns.
    attributes : iterable of str
        More attribute names to give columns.
    text, bom, overwrite
        As in :func:`save_csv`.

    Returns
    -------
    int
        The number of span rows written (the header not counted).

    Raises
    ------
    BiaskitError
        If a span carries an attribute that has no column.
    OutputExistsError
        If ``path`` exists and ``overwrite`` is false.

    Examples
    --------
    >>> import tempfile
    >>> from biaskit import Document, Span
    >>> doc = Document("d1", "The US killed him.")
    >>> sets = (AnnotationSet(doc, "alice", [Span(7, 13, "EVENT_TERM")]) for _ in range(1))
    >>> path = Path(tempfile.mkdtemp()) / "spans.csv"
    >>> write_csv_lines(sets, path, attributes=["confidence"])
    1
    >>> path.read_text(encoding="utf-8").splitlines()[1]
    'd1,unknown,,,,en,alice,,,7,13,EVENT_TERM,killed,,'
    """
    target = Path(path)
    names = set(attributes) | (set() if schema is None else _schema_attributes(schema))
    attribute_names = sorted(names)
    check_targets([target], overwrite)
    target.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with atomic_group() as group, group.open(target) as out:
        if bom:
            out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(_columns(text, attribute_names))
        for aset in sets:
            for span in aset.spans:
                unknown = sorted(set(span.attributes) - names)
                if unknown:
                    raise BiaskitError(
                        f"document {aset.document.id!r}, annotator {aset.annotator!r}: span "
                        f"{span.label} [{span.start}, {span.end}) has attribute "
                        f"{unknown[0]!r}, which has no column; expected only attributes of the "
                        "schema or of attributes= (columns come before the first row)"
                    )
            writer.writerows(_rows(aset, text, attribute_names))
            count += len(aset.spans)
    return count
