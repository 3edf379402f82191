"""Plots of the analysis tables with matplotlib (the optional ``plots`` extra).

Each function draws one table of :mod:`biaskit.analysis` on a matplotlib
``Axes`` (a new figure when none is given) and returns the ``Axes``, so that
a notebook can adjust titles and sizes. matplotlib is imported only when a
function is called; without it the call raises ``ModuleNotFoundError``
naming the extra: ``pip install "biaskit[plots]"``.

Examples
--------
>>> import biaskit
>>> corpus = biaskit.load_corpus("annotations")  # doctest: +SKIP
>>> ax = plot_rates(biaskit.label_rates(corpus))  # doctest: +SKIP
>>> ax.figure.savefig("rates.png")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
import math
from typing import Any

from biaskit.analysis import Attributions, LabelRates, LexicalChoice, ReadabilityTable
from biaskit.display import PALETTE

__all__ = ["plot_attributions", "plot_rates", "plot_readability", "plot_variant_shares"]


def _pyplot() -> Any:
    try:
        # import_module, not import: type checking must not need the optional extra.
        plt = importlib.import_module("matplotlib.pyplot")
    except ImportError:
        raise ModuleNotFoundError(
            'biaskit.plots needs matplotlib; install it with: pip install "biaskit[plots]"'
        ) from None
    return plt


def _axes(ax: Any, width: float, height: float) -> Any:
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return ax


def plot_rates(
    rates: LabelRates, ax: Any = None, *, cmap: str = "Oranges", annotate: bool = True
) -> Any:
    """Draw the outlet × label heat map of spans per 1,000 words.

    Parameters
    ----------
    rates : LabelRates
        From :func:`biaskit.analysis.label_rates`.
    ax : matplotlib Axes or None
        Where to draw; None for a new figure.
    cmap : str
        A matplotlib colour map name.
    annotate : bool
        Print each rate, with its interval when the outlet has several documents.

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, 1.2 + 1.1 * len(rates.labels), 1.0 + 0.55 * len(rates.outlets))
    values = [[rates.rate(o, label).per_1000 for label in rates.labels] for o in rates.outlets]
    image = ax.imshow(values, cmap=cmap, aspect="auto")
    ax.set_xticks(range(len(rates.labels)), rates.labels, rotation=30, ha="right")
    ax.set_yticks(range(len(rates.outlets)), rates.outlets)
    finite = [v for row in values for v in row if not math.isnan(v)]
    middle = (max(finite) + min(finite)) / 2 if finite else 0.0
    if annotate:
        for i, outlet in enumerate(rates.outlets):
            for j, label in enumerate(rates.labels):
                r = rates.rate(outlet, label)
                text = "–" if math.isnan(r.per_1000) else f"{r.per_1000:.1f}"
                if r.documents > 1 and not math.isnan(r.low):
                    text += f"\n[{r.low:.1f}, {r.high:.1f}]"
                color = "white" if not math.isnan(r.per_1000) and r.per_1000 > middle else "black"
                ax.text(j, i, text, ha="center", va="center", fontsize=8, color=color)
    ax.figure.colorbar(image, ax=ax, label="spans per 1,000 words")
    ax.set_title(f"Label rates by {rates.annotator}")
    return ax


def plot_variant_shares(choice: LexicalChoice, concept: str, ax: Any = None) -> Any:
    """Draw one concept's variant shares per outlet as stacked horizontal bars.

    Parameters
    ----------
    choice : LexicalChoice
        From :func:`biaskit.analysis.lexical_choice`.
    concept : str
        The concept id, for example ``"soleimani_killing"``.
    ax : matplotlib Axes or None
        Where to draw; None for a new figure.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    KeyError
        If the table has no such concept.
    """
    if concept not in choice.concepts:
        raise KeyError(f"no concept {concept!r}; the table has {', '.join(choice.concepts)}")
    ax = _axes(ax, 8.0, 1.2 + 0.5 * len(choice.outlets))
    shares = [s for s in choice.shares if s.concept == concept]
    variants = list(dict.fromkeys(s.variant for s in shares))
    used = [v for v in variants if any(s.count for s in shares if s.variant == v)]
    left = [0.0] * len(choice.outlets)
    for variant in used:
        widths = []
        for outlet in choice.outlets:
            (share,) = (s for s in shares if s.variant == variant and s.outlet == outlet)
            widths.append(0.0 if math.isnan(share.share) else share.share)
        color = PALETTE[variants.index(variant) % len(PALETTE)]
        register = next(s.register for s in shares if s.variant == variant)
        ax.barh(choice.outlets, widths, left=left, color=color, label=f"{variant} ({register})")
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for i, outlet in enumerate(choice.outlets):
        total = sum(choice.counts(concept, outlet).values())
        ax.text(1.01, i, f"n={total}", va="center", fontsize=8)
    ax.set_xlim(0, 1.12)
    ax.set_xlabel("share of the concept's occurrences")
    ax.invert_yaxis()
    ax.legend(loc="upper left", bbox_to_anchor=(1.08, 1.0), fontsize=8, frameon=False)
    ax.set_title(f"Which name each outlet uses: {concept}")
    return ax


def plot_attributions(table: Attributions, ax: Any = None, *, attribute: str | None = None) -> Any:
    """Draw each outlet's attribution cues split by one attribute (default: the last of ``by``).

    Returns
    -------
    matplotlib Axes
    """
    attribute = attribute or table.by[-1]
    margin = table.margin(attribute)
    values = sorted({v for cell in margin.values() for v in cell})
    ax = _axes(ax, 8.0, 1.2 + 0.5 * len(table.outlets))
    left = [0.0] * len(table.outlets)
    for k, value in enumerate(values):
        widths = [margin[o].get(value, 0) for o in table.outlets]
        ax.barh(table.outlets, widths, left=left, color=PALETTE[k % len(PALETTE)], label=value)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_xlabel(f"{table.label} cues")
    ax.invert_yaxis()
    ax.legend(title=attribute, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_title(f"Who is quoted, by {attribute}")
    return ax


def plot_readability(
    table: ReadabilityTable, ax: Any = None, *, measure: str = "flesch_reading_ease"
) -> Any:
    """Draw one readability measure per outlet, with each document as a dot.

    Parameters
    ----------
    table : ReadabilityTable
        From :func:`biaskit.analysis.readability_table`.
    ax : matplotlib Axes or None
        Where to draw; None for a new figure.
    measure : str
        A field of :class:`biaskit.readability.Readability`
        (``"flesch_reading_ease"`` or ``"flesch_kincaid_grade"``).

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ValueError
        If ``measure`` is not a numeric field of the readability figures.
    """
    if not table.outlets or not isinstance(
        getattr(table.outlets[0].readability, measure, None), (int, float)
    ):
        raise ValueError(f"measure must be a numeric readability field, not {measure!r}")
    outlets = [e.outlet for e in table.outlets]
    ax = _axes(ax, 7.0, 1.2 + 0.5 * len(outlets))
    ax.barh(outlets, [getattr(e.readability, measure) for e in table.outlets], color="#1b9e77")
    for entry in table.documents:
        ax.plot(
            getattr(entry.readability, measure),
            outlets.index(entry.outlet),
            "o",
            color="black",
            markersize=4,
        )
    ax.set_xlabel(measure.replace("_", " ") + " (bar: outlet's texts together; dots: documents)")
    ax.invert_yaxis()
    ax.set_title("Readability per outlet")
    return ax
