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
from collections.abc import Sequence
from pathlib import Path

from biaskit._atomic import atomic_group
from biaskit.corpus import Corpus
from biaskit.errors import Problem
from biaskit.io._foreign import Policy, check_targets
from biaskit.model import AttributeValue

__all__ = ["CSV_COLUMNS", "save_csv", "spans_csv"]

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
    names = {a.name for a in corpus.schema.common_attributes}
    names |= {a.name for label in corpus.schema.labels for a in label.attributes}
    names |= {n for _, span in corpus.spans() for n in span.attributes}
    attribute_names = sorted(names)
    columns = [c for c in CSV_COLUMNS if text or c != "text"]
    columns += [f"attr_{n}" for n in attribute_names]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for doc in corpus.documents:
        for annotator in chosen:
            for span in corpus.annotation_set(doc.id, annotator).spans:
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
                writer.writerow(row)
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
    target = Path(path)
    content = spans_csv(corpus, annotators=annotators, text=text)
    check_targets([target], overwrite)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_group() as group, group.open(target) as out:
        if bom:
            out.write("\ufeff")
        out.write(content)
    return []
