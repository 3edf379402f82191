"""Spans highlighted in HTML: for Jupyter (``_repr_html_``) and the corpus report.

Standard library only. The text is cut into *segments* at every span start
and end; each segment is covered by a fixed set of spans, so overlapping and
nested spans never need crossing tags. Every span gets a *level* (nested and
overlapping spans get different levels) and is drawn as a coloured band under
its text at that level, so that a span inside another shows as a second band
below the first; the innermost span also tints the background. Colours come
from the schema (``LabelSpec.color``); a legend lists the labels with their
counts; hovering a segment shows every span covering it, with its attributes
and note (the ``title`` attribute). All text is HTML-escaped.

Each segment carries ``data-spans``: the ids (``s0``, ``s1``...) of the spans
covering it, in the order of the set, so a script (or a test) can find the
pieces of one span with ``[data-spans~="s3"]``.

Examples
--------
>>> from biaskit.model import AnnotationSet, Document, Span
>>> doc = Document("d", "The <brutal> assassination.")
>>> aset = AnnotationSet(doc, "gold", [Span(4, 26, "EVENT_TERM"), Span(5, 11, "EPITHET")])
>>> html = render_html(doc, aset)
>>> "&lt;brutal&gt;" in html, html.count('class="bk-seg"')
(True, 3)
>>> Highlighted(doc, (aset,))._repr_html_() == html
True
"""

from __future__ import annotations

import html
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence

import attrs

from biaskit.corpus import Corpus
from biaskit.model import AnnotationSet, Document, Span
from biaskit.schema import Schema

__all__ = [
    "PALETTE",
    "Highlighted",
    "highlight",
    "label_colors",
    "render_html",
    "render_legend",
]

PALETTE: tuple[str, ...] = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#666666",
    "#1f78b4",
    "#b15928",
)
"""Colours for labels the schema does not colour (Brewer's Dark2, then Paired)."""

_BAND = 3  # px per level of underline
_TITLE_TEXT = 60  # code points of covered text shown in a tooltip


def label_colors(labels: Iterable[str], schema: Schema | None = None) -> dict[str, str]:
    """Return a ``#rrggbb`` colour per label: the schema's, else one from :data:`PALETTE`.

    Labels the schema lacks take palette colours in the order given, so the
    same label list always gets the same colours.

    Examples
    --------
    >>> label_colors(["A", "B"])
    {'A': '#1b9e77', 'B': '#d95f02'}
    """
    colors: dict[str, str] = {}
    spare = 0
    for label in dict.fromkeys(labels):
        if schema is not None and label in schema:
            colors[label] = schema.label(label).color
        else:
            colors[label] = PALETTE[spare % len(PALETTE)]
            spare += 1
    return colors


def _rgba(color: str, alpha: float) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _levels(spans: Sequence[Span]) -> list[int]:
    """Give each span the lowest level free of every span it overlaps or touches.

    Spans are visited by start, longer first, so an enclosing span gets the
    lower level and a nested one the next. Touching spans get different levels
    so that two adjacent spans of one label stay visibly two.
    """
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, -spans[i].end, i))
    ends: list[int] = []  # per level, the end of the last span placed there
    levels = [0] * len(spans)
    for i in order:
        span = spans[i]
        for level, end in enumerate(ends):
            if end < span.start:
                ends[level] = span.end
                levels[i] = level
                break
        else:
            ends.append(span.end)
            levels[i] = len(ends) - 1
    return levels


def _segments(text_length: int, spans: Sequence[Span]) -> list[tuple[int, int, list[int]]]:
    """Cut ``[0, text_length)`` at every span boundary; return pieces with covering span indices."""
    cuts = sorted({0, text_length, *(s.start for s in spans), *(s.end for s in spans)})
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for i, span in enumerate(spans):
        starts.setdefault(span.start, []).append(i)
        ends.setdefault(span.end, []).append(i)
    active: set[int] = set()
    pieces = []
    for a, b in itertools.pairwise(cuts):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        pieces.append((a, b, sorted(active)))
    return pieces


def _describe(document: Document, span: Span, annotator: str) -> str:
    covered = document.text[span.start : span.end]
    shown = " ".join(covered.split())
    if len(shown) > _TITLE_TEXT:
        shown = shown[: _TITLE_TEXT - 1] + "…"
    parts = [f"{span.label} [{span.start}, {span.end}) “{shown}”"]
    parts += [f"  {name} = {value}" for name, value in span.attributes.items()]
    if span.group:
        parts.append(f"  group = {span.group}")
    if span.note:
        parts.append(f"  note: {span.note}")
    parts.append(f"  by {annotator}")
    return "\n".join(parts)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def render_legend(counts: Counter[str] | dict[str, int], colors: dict[str, str]) -> str:
    """Return the legend: one swatch per label of ``colors``, with its count.

    Examples
    --------
    >>> render_legend({"EPITHET": 2}, {"EPITHET": "#e7298a"}).count("bk-legend-item")
    1
    """
    items = []
    for label, color in colors.items():
        items.append(
            f'<span class="bk-legend-item" data-label="{_attr(label)}" '
            'style="display:inline-block;margin:0 0.9em 0.2em 0;white-space:nowrap">'
            f'<span style="display:inline-block;width:0.9em;height:0.9em;'
            f"vertical-align:-0.1em;margin-right:0.3em;background:{_rgba(color, 0.35)};"
            f'border-bottom:{_BAND}px solid {color}"></span>'
            f'{html.escape(label)} <span style="color:#666">{counts.get(label, 0)}</span>'
            "</span>"
        )
    style = "margin:0.3em 0 0.6em 0;font-size:0.85em"
    return f'<div class="bk-legend" style="{style}">{"".join(items)}</div>'


def _render_set(
    document: Document, aset: AnnotationSet, colors: dict[str, str], window: tuple[int, int]
) -> str:
    spans = aset.spans
    levels = _levels(spans)
    low, high = window
    shown = [i for i, s in enumerate(spans) if s.start < high and low < s.end]
    depth = max((levels[i] for i in shown), default=-1) + 1
    descriptions = [_describe(document, span, aset.annotator) for span in spans]
    out: list[str] = ['<span class="bk-cut" style="color:#888">… </span>'] if low > 0 else []
    for start, end, covering in _segments(len(document.text), spans):
        start, end = max(start, low), min(end, high)
        if start >= end:
            continue
        piece = html.escape(document.text[start:end], quote=False)
        if not covering:
            out.append(piece)
            continue
        by_level = sorted(covering, key=lambda i: levels[i])
        shadows = ", ".join(
            f"0 {_BAND * (levels[i] + 1)}px 0 0 {colors[spans[i].label]}" for i in by_level
        )
        inner = by_level[-1]
        style = (
            f"background:{_rgba(colors[spans[inner].label], 0.16)};box-shadow:{shadows};"
            "border-radius:1px"
        )
        ids = " ".join(f"s{i}" for i in covering)
        labels = " ".join(dict.fromkeys(spans[i].label for i in covering))
        title = "\n\n".join(descriptions[i] for i in covering)
        out.append(
            f'<span class="bk-seg" data-spans="{ids}" data-labels="{_attr(labels)}" '
            f'title="{_attr(title)}" style="{style}">{piece}</span>'
        )
    if high < len(document.text):
        out.append('<span class="bk-cut" style="color:#888"> …</span>')
    count = f"{len(spans)} span{'' if len(spans) == 1 else 's'}"
    if (low, high) != (0, len(document.text)):
        count = f"{len(shown)} of {count} in [{low}, {high})"
    line_height = 1.7 + 0.3 * max(depth - 1, 0)
    return (
        f'<div class="bk-set" data-annotator="{_attr(aset.annotator)}" '
        'style="margin:0 0 0.8em 0">'
        f'<div class="bk-annotator" style="font-size:0.8em;color:#555;margin-bottom:0.2em">'
        f"{html.escape(aset.annotator)} · {count}</div>"
        f'<div class="bk-text" style="white-space:pre-wrap;line-height:{line_height:.1f};'
        f'padding-bottom:{_BAND * depth}px">{"".join(out)}</div></div>'
    )


def _window(document: Document, excerpt: tuple[int, int] | None) -> tuple[int, int]:
    if excerpt is None:
        return (0, len(document.text))
    low, high = excerpt
    if not 0 <= low < high <= len(document.text):
        raise ValueError(
            f"excerpt must be (start, end) with 0 <= start < end <= {len(document.text)} "
            f"(the length of document {document.id!r}), not {excerpt!r}"
        )
    return (low, high)


def _header(document: Document) -> str:
    parts = [f"<strong>{html.escape(document.title)}</strong>"] if document.title else []
    parts.append(html.escape(document.outlet))
    if document.date:
        parts.append(html.escape(document.date))
    parts.append(f"<code>{html.escape(document.id)}</code>")
    return f'<div class="bk-head" style="margin-bottom:0.3em">{" · ".join(parts)}</div>'


def _as_sets(
    document: Document, sets: AnnotationSet | Iterable[AnnotationSet]
) -> list[AnnotationSet]:
    chosen = [sets] if isinstance(sets, AnnotationSet) else list(sets)
    for aset in chosen:
        if not isinstance(aset, AnnotationSet):
            raise TypeError(f"expected AnnotationSet objects, not {type(aset).__name__}")
        if aset.document != document:
            raise ValueError(
                f"the spans by {aset.annotator!r} are over document {aset.document.id!r}, "
                f"not over the document shown ({document.id!r}, or a different version of it)"
            )
    return chosen


def render_html(
    document: Document,
    sets: AnnotationSet | Iterable[AnnotationSet] = (),
    schema: Schema | None = None,
    *,
    header: bool = True,
    legend: bool = True,
    excerpt: tuple[int, int] | None = None,
) -> str:
    """Return a document as an HTML fragment with the spans of each set highlighted.

    Each annotation set is shown as its own copy of the text, headed by its
    annotator, so that two annotators can be compared one above the other.

    Parameters
    ----------
    document : Document
        The document shown.
    sets : AnnotationSet or iterable of AnnotationSet
        Spans over ``document`` (each set's document must equal it).
    schema : Schema or None
        Gives the label colours and the legend's order; labels it lacks, or
        all without one, take colours from :data:`PALETTE`.
    header : bool
        Show title, outlet, date and id above the text.
    legend : bool
        Show the legend of the labels used, with their counts.
    excerpt : (int, int) or None
        Show only ``document.text[start:end]`` (spans cut at its edges), for
        looking at one place in context; None for the whole text.

    Returns
    -------
    str
        A self-contained ``<div>`` (inline styles, no scripts).

    Raises
    ------
    ValueError
        If a set is over another document, or ``excerpt`` is not within the text.

    Examples
    --------
    >>> from biaskit.model import AnnotationSet, Document, Span
    >>> doc = Document("d", "so-called <satellites>")
    >>> html = render_html(doc, AnnotationSet(doc, "a", [Span(0, 22, "SCARE_QUOTE")]))
    >>> 'data-spans="s0"' in html, "so-called &lt;satellites&gt;</span>" in html
    (True, True)
    """
    chosen = _as_sets(document, sets)
    low, high = window = _window(document, excerpt)
    used = Counter(
        span.label for aset in chosen for span in aset.spans if span.start < high and low < span.end
    )
    order = [n for n in schema.label_names if n in used] if schema is not None else []
    order += sorted(label for label in used if label not in order)
    colors = label_colors(order, schema)
    body = [_header(document)] if header else []
    if legend and used:
        body.append(render_legend(used, colors))
    if chosen:
        body += [_render_set(document, aset, colors, window) for aset in chosen]
    else:
        body.append(
            '<div class="bk-text" style="white-space:pre-wrap;line-height:1.7">'
            f"{html.escape(document.text[low:high], quote=False)}</div>"
        )
    return (
        f'<div class="biaskit-document" data-document="{_attr(document.id)}" '
        'style="font-family:Georgia,serif;max-width:50em;margin:0.5em 0 1.5em 0">'
        f"{''.join(body)}</div>"
    )


def _set_tuple(sets: AnnotationSet | Iterable[AnnotationSet]) -> tuple[AnnotationSet, ...]:
    return (sets,) if isinstance(sets, AnnotationSet) else tuple(sets)


@attrs.frozen
class Highlighted:
    """A document with its spans, shown highlighted by Jupyter (``_repr_html_``).

    Parameters
    ----------
    document : Document
        The document.
    sets : tuple of AnnotationSet
        The annotation sets to show (a single set is accepted too).
    schema : Schema or None
        For colours and legend order.
    excerpt : (int, int) or None
        Show only this stretch of the text (see :func:`render_html`).

    Examples
    --------
    >>> from biaskit.model import AnnotationSet, Document, Span
    >>> doc = Document("d", "A brutal attack.")
    >>> shown = Highlighted(doc, AnnotationSet(doc, "a", [Span(2, 8, "EPITHET")]))
    >>> "bk-seg" in shown._repr_html_()
    True
    """

    document: Document
    sets: tuple[AnnotationSet, ...] = attrs.field(default=(), converter=_set_tuple)
    schema: Schema | None = None
    excerpt: tuple[int, int] | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        _as_sets(self.document, self.sets)
        _window(self.document, self.excerpt)

    def _repr_html_(self) -> str:
        return render_html(self.document, self.sets, self.schema, excerpt=self.excerpt)


def highlight(
    corpus: Corpus,
    document_id: str,
    annotators: Sequence[str] | str = ("gold",),
    *,
    excerpt: tuple[int, int] | None = None,
) -> Highlighted:
    """Return a corpus document with the spans of ``annotators``, for display in Jupyter.

    Parameters
    ----------
    corpus : Corpus
        The corpus (its schema gives the colours).
    document_id : str
        The document to show.
    annotators : str or sequence of str
        Whose spans to show, one copy of the text each.
    excerpt : (int, int) or None
        Show only this stretch of the text (see :func:`render_html`).

    Raises
    ------
    KeyError
        If the corpus has no such document.
    ValueError
        If ``excerpt`` is not within the text.

    Examples
    --------
    >>> from biaskit.model import AnnotationSet, Document, Span
    >>> from biaskit.schema import LabelSpec
    >>> doc = Document("d", "A brutal attack.")
    >>> corpus = Corpus([doc], Schema("s", "1", [LabelSpec("EPITHET", color="#e7298a")]),
    ...                 [AnnotationSet(doc, "gold", [Span(2, 8, "EPITHET")])])
    >>> "#e7298a" in highlight(corpus, "d")._repr_html_()
    True
    """
    names = (annotators,) if isinstance(annotators, str) else tuple(annotators)
    document = corpus.document(document_id)
    sets = tuple(corpus.annotation_set(document_id, name) for name in names)
    return Highlighted(document, sets, corpus.schema, excerpt=excerpt)
