"""A standalone HTML report of a corpus: the per-outlet tables and charts, and every document.

One file, no network: styles are inline, charts are SVG drawn here with the
standard library (no matplotlib), nothing is fetched when it opens. Sections:
the corpus at a glance; label rates per 1,000 words with bootstrap intervals
(:func:`biaskit.analysis.label_rates`) as a heat map and a table; the
lexical-choice table when a variant registry is given
(:func:`~biaskit.analysis.lexical_choice`); who is quoted
(:func:`~biaskit.analysis.attributions`); readability
(:func:`~biaskit.analysis.readability_table`); same-event comparisons when
documents share ``metadata["event"]``; then each document with the
annotator's spans highlighted (:func:`biaskit.display.render_html`).

:func:`render_report` returns the HTML; :func:`write_report` writes it
atomically. ``biaskit report CORPUS --html FILE`` calls the latter.

Examples
--------
>>> from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
>>> doc = Document("d", "A brutal attack.", outlet="X")
>>> corpus = Corpus([doc], Schema("s", "1", [LabelSpec("EPITHET")]),
...                 [AnnotationSet(doc, "gold", [Span(2, 8, "EPITHET")])])
>>> page = render_report(corpus, n_resamples=100)
>>> page.startswith("<!DOCTYPE html>"), "<svg" in page, 'data-spans="s0"' in page
(True, True, True)
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from biaskit._atomic import atomic_write_text
from biaskit.analysis import (
    Attributions,
    EventComparison,
    LabelRates,
    LexicalChoice,
    ReadabilityTable,
    attributions,
    compare_events,
    label_rates,
    lexical_choice,
    readability_table,
)
from biaskit.corpus import Corpus
from biaskit.display import PALETTE, label_colors, render_html
from biaskit.errors import OutputExistsError
from biaskit.readability import Readability
from biaskit.variants import VariantRegistry

__all__ = ["render_report", "write_report"]

_FONT = "font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif"
_CSS = f"""
body {{ {_FONT}; color:#222; margin:0; background:#fafafa; }}
main {{ max-width:62em; margin:0 auto; padding:1.5em 2em 4em 2em; background:#fff; }}
h1 {{ font-size:1.6em; margin-bottom:0.2em; }}
h2 {{ font-size:1.25em; margin-top:2em; border-bottom:1px solid #ddd; padding-bottom:0.2em; }}
h3 {{ font-size:1.05em; margin-top:1.4em; }}
table {{ border-collapse:collapse; margin:0.6em 0 1em 0; font-size:0.88em; }}
th, td {{ border:1px solid #ddd; padding:0.25em 0.55em; text-align:right; }}
th:first-child, td:first-child {{ text-align:left; }}
th {{ background:#f3f3f3; }}
td.text {{ text-align:left; }}
div.table {{ overflow-x:auto; }}
small {{ white-space:nowrap; color:#555; }}
p.note {{ color:#555; font-size:0.9em; }}
nav a {{ margin-right:1em; }}
.biaskit-document {{ border-top:1px solid #eee; padding-top:0.8em; }}
"""


def _biaskit_version() -> str:
    try:
        return version("biaskit")
    except PackageNotFoundError:  # pragma: no cover - only from an uninstalled tree
        return "(version unknown)"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _num(value: float, digits: int = 1) -> str:
    return "–" if math.isnan(value) else f"{value:,.{digits}f}"


def _text_width(text: str, size: float = 12.0) -> float:
    # A rough average glyph width for sans-serif text; only used to lay out labels.
    return len(text) * size * 0.58


# --------------------------------------------------------------------------- SVG charts


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'style="{_FONT};font-size:12px"><title>{_e(title)}</title>{"".join(body)}</svg>'
    )


def _heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float]],
    colors: Sequence[str],
    title: str,
) -> str:
    """Cells shaded by value within each column (labels differ in scale), value printed."""
    cell_w, cell_h = 92.0, 26.0
    left = max([_text_width(r) for r in rows] + [40.0]) + 12
    top = 74.0
    body: list[str] = []
    for j, column in enumerate(columns):
        x = left + j * cell_w + cell_w / 2
        body.append(
            f'<text x="{x:.1f}" y="{top - 8:.1f}" transform="rotate(-30 {x:.1f} {top - 8:.1f})" '
            f'text-anchor="start">{_e(column)}</text>'
        )
    for i, row in enumerate(rows):
        y = top + i * cell_h
        body.append(
            f'<text x="{left - 8:.1f}" y="{y + cell_h * 0.65:.1f}" text-anchor="end">'
            f"{_e(row)}</text>"
        )
        for j in range(len(columns)):
            value = values[i][j]
            column_max = max((v[j] for v in values if not math.isnan(v[j])), default=0.0)
            alpha = (
                0.0 if math.isnan(value) or column_max == 0 else 0.12 + 0.78 * value / column_max
            )
            x = left + j * cell_w
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_w - 2:.1f}" height="{cell_h - 2:.1f}" '
                f'fill="{colors[j]}" fill-opacity="{alpha:.2f}" stroke="#ddd"/>'
                f'<text x="{x + cell_w / 2:.1f}" y="{y + cell_h * 0.65:.1f}" '
                f'text-anchor="middle">{_num(value)}</text>'
            )
    width = left + len(columns) * cell_w + 40
    return _svg(width, top + len(rows) * cell_h + 8, body, title)


def _stacked_bars(
    rows: Sequence[str],
    parts: Sequence[str],
    values: Sequence[Sequence[float]],
    colors: Sequence[str],
    title: str,
) -> str:
    """One horizontal bar per row, split into shares of its total; a legend below."""
    bar_w, bar_h = 420.0, 20.0
    left = max([_text_width(r) for r in rows] + [40.0]) + 12
    body: list[str] = []
    for i, row in enumerate(rows):
        y = 8 + i * (bar_h + 8)
        body.append(
            f'<text x="{left - 8:.1f}" y="{y + bar_h * 0.72:.1f}" text-anchor="end">'
            f"{_e(row)}</text>"
        )
        total = sum(values[i])
        if not total:
            body.append(f'<text x="{left:.1f}" y="{y + bar_h * 0.72:.1f}" fill="#888">none</text>')
            continue
        x = left
        for j, part in enumerate(parts):
            share = values[i][j] / total
            if not share:
                continue
            w = bar_w * share
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar_h:.1f}" '
                f'fill="{colors[j]}"><title>{_e(row)}: {_e(part)} {values[i][j]:g} '
                f"({share:.0%})</title></rect>"
            )
            if w > 34:
                body.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + bar_h * 0.72:.1f}" fill="#fff" '
                    f'text-anchor="middle">{share:.0%}</text>'
                )
            x += w
        body.append(
            f'<text x="{left + bar_w + 6:.1f}" y="{y + bar_h * 0.72:.1f}" fill="#555">'
            f"n={total:g}</text>"
        )
    y = 8 + len(rows) * (bar_h + 8) + 6
    x = left
    for j, part in enumerate(parts):
        width = _text_width(part) + 26
        if x + width > left + bar_w + 60 and x > left:
            x, y = left, y + 18
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" fill="{colors[j]}"/>'
            f'<text x="{x + 16:.1f}" y="{y + 10:.1f}">{_e(part)}</text>'
        )
        x += width
    return _svg(left + bar_w + 70, y + 22, body, title)


def _bars(rows: Sequence[str], values: Sequence[float], title: str, unit: str) -> str:
    """One horizontal bar per row, on a common scale from zero (negative values clipped)."""
    bar_w, bar_h = 360.0, 18.0
    left = max([_text_width(r) for r in rows] + [40.0]) + 12
    finite = [v for v in values if not math.isnan(v)]
    top = max([*finite, 1.0])
    body: list[str] = []
    for i, row in enumerate(rows):
        y = 6 + i * (bar_h + 8)
        value = values[i]
        w = 0.0 if math.isnan(value) else bar_w * max(value, 0.0) / top
        body.append(
            f'<text x="{left - 8:.1f}" y="{y + bar_h * 0.75:.1f}" text-anchor="end">'
            f"{_e(row)}</text>"
            f'<rect x="{left:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar_h:.1f}" '
            f'fill="#1b9e77"/><text x="{left + w + 5:.1f}" y="{y + bar_h * 0.75:.1f}">'
            f"{_num(value)} {_e(unit)}</text>"
        )
    return _svg(left + bar_w + 120, 10 + len(rows) * (bar_h + 8), body, title)


# --------------------------------------------------------------------------- sections


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], text_columns: int = 1) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="text">{c}</td>' if j < text_columns else f"<td>{c}</td>"
            for j, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        f'<div class="table"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _rates_section(rates: LabelRates, corpus: Corpus) -> str:
    colors = label_colors(rates.labels, corpus.schema)
    matrix = [[rates.rate(o, label).per_1000 for label in rates.labels] for o in rates.outlets]
    chart = _heatmap(
        rates.outlets,
        rates.labels,
        matrix,
        [colors[label] for label in rates.labels],
        f"spans per 1,000 words by {rates.annotator}, per outlet and label",
    )
    level = f"{rates.confidence_level:.0%}"
    rows = []
    for outlet in rates.outlets:
        cells = [_e(outlet)]
        for label in rates.labels:
            r = rates.rate(outlet, label)
            interval = (
                f"<br><small>[{_num(r.low)}, {_num(r.high)}]</small>" if r.documents > 1 else ""
            )
            cells.append(f"{_num(r.per_1000)}{interval}")
        first = rates.rate(outlet, rates.labels[0]) if rates.labels else None
        cells.insert(1, str(first.documents) if first else "0")
        cells.insert(2, f"{first.words:,}" if first else "0")
        rows.append(cells)
    note = (
        f"Spans by <code>{_e(rates.annotator)}</code> per 1,000 words of article text "
        f"(boilerplate excluded). In brackets, the {level} percentile bootstrap interval "
        f"over the outlet's documents ({rates.n_resamples} resamples, seed "
        f"{_e(rates.random_state)}); an outlet with one document has none. Shading is "
        "relative within each label."
    )
    return f'<h2 id="rates">Label rates per outlet</h2><p class="note">{note}</p>{chart}' + _table(
        ["outlet", "documents", "words", *rates.labels], rows
    )


def _lexical_section(choice: LexicalChoice, registry: VariantRegistry) -> str:
    parts = [
        '<h2 id="lexical">Lexical choice</h2>',
        '<p class="note">Occurrences of each competing name of a concept in each outlet\'s '
        "article text, found by the variant registry's matcher"
        + (" with its coreference guard" if choice.guard else "")
        + "; shares are of the concept's occurrences in the outlet. The anchor is the "
        "point of comparison, not a claim about which word is true.</p>",
    ]
    for concept_id in choice.concepts:
        concept = registry.concept(concept_id)
        counts = {o: choice.counts(concept_id, o) for o in choice.outlets}
        if not any(sum(c.values()) for c in counts.values()):
            continue
        variants = [v.id for v in concept.variants]
        used = [v for v in variants if any(counts[o][v] for o in choice.outlets)]
        colors = [PALETTE[variants.index(v) % len(PALETTE)] for v in used]
        chart = _stacked_bars(
            choice.outlets,
            [f"{v} ({concept.variant(v).register})" for v in used],
            [[counts[o][v] for v in used] for o in choice.outlets],
            colors,
            f"variants of {concept_id} per outlet",
        )
        header = [
            "outlet",
            *(f"{v}{' (anchor)' if v == concept.anchor else ''}" for v in used),
            "preferred",
        ]
        rows = []
        for outlet in choice.outlets:
            total = sum(counts[outlet].values())
            cells = [_e(outlet)]
            for v in used:
                n = counts[outlet][v]
                cells.append(f"{n} <small>({n / total:.0%})</small>" if total and n else str(n))
            cells.append(_e(", ".join(choice.preferred(concept_id, outlet)) or "—"))
            rows.append(cells)
        parts.append(
            f'<h3 id="concept-{_e(concept_id)}">{_e(concept_id)} '
            f"<small>({_e(concept.label)})</small></h3>"
        )
        if concept.description:
            parts.append(f'<p class="note">{_e(concept.description)}</p>')
        parts.append(chart + _table(header, rows))
    return "".join(parts)


def _attribution_section(table: Attributions) -> str:
    stance = table.by[-1]
    margin = table.margin(stance)
    values = sorted({v for cell in margin.values() for v in cell})
    chart = _stacked_bars(
        table.outlets,
        values,
        [[margin[o].get(v, 0) for v in values] for o in table.outlets],
        [PALETTE[i % len(PALETTE)] for i in range(len(values))],
        f"{table.label} cues per outlet by {stance}",
    )
    rows = [
        [_e(c.outlet), *(_e(v) for v in c.values), str(c.count), f"{c.share:.0%}"]
        for c in table.counts
    ]
    return (
        '<h2 id="quoted">Who is quoted</h2>'
        f'<p class="note">{_e(table.label)} spans by <code>{_e(table.annotator)}</code> '
        f"(reporting cues tying content to a source), per outlet, by "
        f"{_e(' and '.join(table.by))}; shares are of the outlet's cues.</p>"
        + chart
        + _table(["outlet", *table.by, "cues", "share"], rows, text_columns=1 + len(table.by))
    )


def _readability_section(table: ReadabilityTable) -> str:
    outlets = [e.outlet for e in table.outlets]
    ease = [e.readability.flesch_reading_ease for e in table.outlets]
    chart = _bars(outlets, ease, "Flesch reading ease per outlet", "")

    def row(label: str, documents: int, r: Readability) -> list[str]:
        return [
            label,
            str(documents),
            f"{r.words:,}",
            f"{r.sentences:,}",
            _num(r.flesch_reading_ease),
            _num(r.flesch_kincaid_grade),
        ]

    header = ["", "documents", "words", "sentences", "reading ease", "grade"]
    outlet_rows = [row(_e(e.outlet), e.documents, e.readability) for e in table.outlets]
    document_rows = [
        row(f"{_e(e.outlet)} <code>{_e(e.document_id)}</code>", 1, e.readability)
        for e in table.documents
    ]
    return (
        '<h2 id="readability">Readability</h2>'
        '<p class="note">Flesch reading ease (higher is easier) and Flesch–Kincaid grade of '
        "the article text, boilerplate removed; an outlet's documents are measured together. "
        "Short texts give unstable scores.</p>"
        + chart
        + _table(header, outlet_rows)
        + "<h3>Per document</h3>"
        + _table(header, document_rows)
    )


def _events_section(events: EventComparison) -> str:
    rows = []
    for d in events.documents:
        rows.append(
            [
                _e(d.event),
                _e(d.outlet),
                f"<code>{_e(d.document_id)}</code>",
                f"{d.words:,}",
                *(_num(d.per_1000(label)) for label in events.labels),
            ]
        )
    return (
        '<h2 id="events">Same event, different outlets</h2>'
        f'<p class="note">Documents sharing <code>metadata["{_e(events.key)}"]</code>: spans by '
        f"<code>{_e(events.annotator)}</code> per 1,000 words.</p>"
        + _table(["event", "outlet", "document", "words", *events.labels], rows, text_columns=3)
    )


def render_report(
    corpus: Corpus,
    *,
    annotator: str = "gold",
    registry: VariantRegistry | None = None,
    title: str | None = None,
    n_resamples: int = 1000,
    random_state: int | None = 0,
) -> str:
    """Return the HTML report of a corpus as one standalone page.

    Parameters
    ----------
    corpus : Corpus
        Documents, schema and spans.
    annotator : str
        Whose spans are counted and highlighted (``"gold"``, a coder, a model).
    registry : VariantRegistry or None
        The variant registry; without one the lexical-choice section is left out.
    title : str or None
        The page title; by default from the schema and annotator.
    n_resamples : int
        Bootstrap resamples for the rate intervals.
    random_state : int or None
        Seed of the bootstrap (the default makes the page reproducible).

    Returns
    -------
    str
        The page: inline CSS and SVG, no scripts, no external resources.

    Raises
    ------
    AnalysisError
        If the corpus has no spans by ``annotator``.
    """
    rates = label_rates(
        corpus, annotator=annotator, n_resamples=n_resamples, random_state=random_state
    )
    heading = title or f"{corpus.schema.name} {corpus.schema.version}: spans by {annotator}"
    sections: list[tuple[str, str, str]] = []  # (anchor, name, html)
    sections.append(("rates", "label rates", _rates_section(rates, corpus)))
    if registry is not None:
        choice = lexical_choice(corpus, registry)
        sections.append(("lexical", "lexical choice", _lexical_section(choice, registry)))
    if "ATTRIBUTION" in corpus.schema:
        quoted = attributions(corpus, annotator=annotator)
        if quoted.counts:
            sections.append(("quoted", "who is quoted", _attribution_section(quoted)))
    sections.append(("readability", "readability", _readability_section(readability_table(corpus))))
    events = compare_events(corpus, annotator=annotator)
    if events.events:
        sections.append(("events", "same event", _events_section(events)))
    documents = "".join(
        render_html(doc, corpus.annotation_set(doc.id, annotator), corpus.schema)
        for doc in corpus.documents
    )
    sections.append(("documents", "documents", f'<h2 id="documents">Documents</h2>{documents}'))
    nav = "".join(f'<a href="#{anchor}">{_e(name)}</a>' for anchor, name, _ in sections)
    words = sum(r.words for r in rates.rates if r.label == rates.labels[0]) if rates.labels else 0
    spans = sum(len(corpus.annotation_set(d.id, annotator)) for d in corpus.documents)
    summary = (
        f"{len(corpus)} documents from {len(corpus.outlets)} outlets "
        f"({_e(', '.join(corpus.outlets))}); {words:,} words of article text; "
        f"{spans} spans by <code>{_e(annotator)}</code>. Made by biaskit {_e(_biaskit_version())}."
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(heading)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{_e(heading)}</h1><p>{summary}</p><nav>{nav}</nav>"
        f"{''.join(body for _, _, body in sections)}</main></body></html>\n"
    )


def write_report(
    corpus: Corpus,
    path: str | os.PathLike[str],
    *,
    annotator: str = "gold",
    registry: VariantRegistry | None = None,
    overwrite: bool = False,
    title: str | None = None,
    n_resamples: int = 1000,
    random_state: int | None = 0,
) -> Path:
    """Write the HTML report of a corpus (see :func:`render_report`) atomically.

    Parameters
    ----------
    corpus : Corpus
        Documents, schema and spans.
    path : path-like
        The HTML file to write.
    annotator, registry, title, n_resamples, random_state
        As for :func:`render_report`.
    overwrite : bool
        Replace ``path`` if it exists.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    OutputExistsError
        If ``path`` exists and ``overwrite`` is false, or is a folder.
    AnalysisError
        If the corpus has no spans by ``annotator``.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputExistsError(f"{target} is a folder; give the report a file name")
    if target.exists() and not overwrite:
        raise OutputExistsError(f"{target} exists; pass overwrite=True (--overwrite) to replace it")
    page = render_report(
        corpus,
        annotator=annotator,
        registry=registry,
        title=title,
        n_resamples=n_resamples,
        random_state=random_state,
    )
    with atomic_write_text(target) as stream:
        stream.write(page)
    return target
