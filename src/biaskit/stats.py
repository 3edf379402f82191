"""Descriptive statistics of a corpus: documents, words and spans per outlet and label.

Examples
--------
>>> from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
>>> schema = Schema("demo", "1.0", [LabelSpec("EVENT_TERM"), LabelSpec("EPITHET")])
>>> a = Document("a", "The assassination of a legendary general.", outlet="X")
>>> b = Document("b", "The killing of a general.", outlet="Y")
>>> corpus = Corpus([a, b], schema, [AnnotationSet(a, "gold", [Span(4, 17, "EVENT_TERM")])])
>>> stats = corpus_statistics(corpus)
>>> stats.spans[("gold", "X", "EVENT_TERM")], stats.outlets[0].words
(1, 6)
>>> print(render_statistics(stats).splitlines()[0])
2 documents, 2 outlets, 1 annotator; schema demo 1.0
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import attrs

from biaskit.corpus import Corpus
from biaskit.tokens import tokenize

__all__ = ["CorpusStatistics", "OutletStatistics", "corpus_statistics", "render_statistics"]


@attrs.frozen
class OutletStatistics:
    """Size of one outlet's share of a corpus."""

    outlet: str
    documents: int
    characters: int
    words: int


@attrs.frozen
class CorpusStatistics:
    """Counts describing a corpus.

    Attributes
    ----------
    schema : str
        Schema name and version.
    labels : tuple of str
        The schema's labels, in schema order.
    annotators : tuple of str
        The annotators, sorted.
    outlets : tuple of OutletStatistics
        One entry per outlet, sorted by outlet.
    spans : dict
        Number of spans per ``(annotator, outlet, label)``; absent keys are zero.
    """

    schema: str
    labels: tuple[str, ...]
    annotators: tuple[str, ...]
    outlets: tuple[OutletStatistics, ...]
    spans: dict[tuple[str, str, str], int] = attrs.field(hash=False)

    @property
    def documents(self) -> int:
        """Number of documents."""
        return sum(o.documents for o in self.outlets)

    def to_dict(self) -> dict[str, Any]:
        """Return the statistics as JSON-ready data."""
        return {
            "schema": self.schema,
            "documents": self.documents,
            "labels": list(self.labels),
            "annotators": list(self.annotators),
            "outlets": [attrs.asdict(o) for o in self.outlets],
            "spans": [
                {"annotator": a, "outlet": o, "label": label, "count": n}
                for (a, o, label), n in sorted(self.spans.items())
            ],
        }


def _words(text: str) -> int:
    return sum(1 for s, _ in tokenize(text) if text[s].isalnum())


def corpus_statistics(corpus: Corpus) -> CorpusStatistics:
    """Count documents, characters, words and spans per outlet, annotator and label."""
    sizes: dict[str, list[int]] = {}
    for doc in corpus.documents:
        entry = sizes.setdefault(doc.outlet, [0, 0, 0])
        entry[0] += 1
        entry[1] += len(doc.text)
        entry[2] += _words(doc.text)
    counts: Counter[tuple[str, str, str]] = Counter()
    for aset in corpus.annotations:
        for span in aset.spans:
            counts[(aset.annotator, aset.document.outlet, span.label)] += 1
    return CorpusStatistics(
        schema=f"{corpus.schema.name} {corpus.schema.version}",
        labels=corpus.schema.label_names,
        annotators=corpus.annotators,
        outlets=tuple(OutletStatistics(o, *sizes[o]) for o in sorted(sizes)),
        spans=dict(counts),
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def fmt(row: list[str]) -> str:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        return "  ".join(cells).rstrip()

    return [fmt(header), *(fmt(r) for r in rows)]


def render_statistics(stats: CorpusStatistics) -> str:
    """Render statistics as plain-text tables: outlets, then spans per annotator."""
    lines = [
        f"{_plural(stats.documents, 'document')}, {_plural(len(stats.outlets), 'outlet')}, "
        f"{_plural(len(stats.annotators), 'annotator')}; schema {stats.schema}",
        "",
    ]
    lines += _table(
        ["outlet", "documents", "characters", "words"],
        [[o.outlet, str(o.documents), str(o.characters), str(o.words)] for o in stats.outlets],
    )
    for annotator in stats.annotators:
        used = [
            label
            for label in stats.labels
            if any(stats.spans.get((annotator, o.outlet, label)) for o in stats.outlets)
        ]
        lines += ["", f"spans by {annotator}, per outlet and label"]
        if not used:
            lines.append("(none)")
            continue
        rows = []
        for o in stats.outlets:
            cells = [str(stats.spans.get((annotator, o.outlet, label), 0)) for label in used]
            rows.append([o.outlet, *cells, str(sum(int(c) for c in cells))])
        totals = [
            str(sum(stats.spans.get((annotator, o.outlet, label), 0) for o in stats.outlets))
            for label in used
        ]
        rows.append(["all outlets", *totals, str(sum(int(t) for t in totals))])
        lines += _table(["outlet", *used, "total"], rows)
    return "\n".join(lines)
