"""Specification of biaskit.plots: the analysis tables drawn with matplotlib (plots extra)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import biaskit
from biaskit.analysis import attributions, label_rates, lexical_choice, readability_table


@pytest.fixture(scope="module")
def plt():  # type: ignore[no-untyped-def]
    matplotlib = pytest.importorskip("matplotlib", reason="biaskit.plots needs the plots extra")
    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    yield pyplot
    pyplot.close("all")


@pytest.fixture(scope="module")
def seed(repo_root: Path) -> biaskit.Corpus:
    return biaskit.load_corpus(repo_root / "annotations")


def test_the_rate_heatmap_has_one_cell_per_outlet_and_label(plt, seed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from biaskit.plots import plot_rates

    rates = label_rates(seed, n_resamples=50)
    ax = plot_rates(rates)
    (image,) = ax.get_images()
    assert image.get_array().shape == (len(rates.outlets), len(rates.labels))
    assert [t.get_text() for t in ax.get_yticklabels()] == list(rates.outlets)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(rates.labels)
    rt = rates.rate("RT", "EVENT_TERM")
    assert any(t.get_text().startswith(f"{rt.per_1000:.1f}\n[") for t in ax.texts)
    ax.figure.savefig(tmp_path / "rates.png")
    assert (tmp_path / "rates.png").stat().st_size > 0


def test_variant_shares_stack_to_one_per_outlet_naming_a_concept(
    plt, seed, repo_root: Path
) -> None:  # type: ignore[no-untyped-def]
    from biaskit.plots import plot_variant_shares

    registry = biaskit.load_variants(repo_root / "annotations" / "variants.json")
    choice = lexical_choice(seed, registry)
    ax = plot_variant_shares(choice, "soleimani_killing")
    widths: dict[float, float] = {}
    for bar in ax.patches:
        widths[round(bar.get_y(), 3)] = widths.get(round(bar.get_y(), 3), 0.0) + bar.get_width()
    assert sorted(round(w, 6) for w in widths.values()) == [1.0] * len(seed.outlets)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "assassination (loaded)" in legend
    assert "killing (neutral)" in legend
    assert "martyrdom (loaded)" not in legend  # never used: not drawn
    with pytest.raises(KeyError, match="no concept 'nope'"):
        plot_variant_shares(choice, "nope")


def test_attributions_and_readability_draw_one_bar_per_outlet(plt, seed) -> None:  # type: ignore[no-untyped-def]
    from biaskit.plots import plot_attributions, plot_readability

    quoted = attributions(seed)
    ax = plot_attributions(quoted)
    assert sum(bar.get_width() for bar in ax.patches) == sum(quoted.totals.values())
    table = readability_table(seed)
    ax = plot_readability(table)
    bars = [round(bar.get_width(), 6) for bar in ax.patches]
    assert bars == [round(e.readability.flesch_reading_ease, 6) for e in table.outlets]
    assert len(ax.lines) == len(seed)
    with pytest.raises(ValueError, match="numeric readability field"):
        plot_readability(table, measure="language")


def test_drawing_on_a_given_axes_returns_it(plt, seed) -> None:  # type: ignore[no-untyped-def]
    from biaskit.plots import plot_readability

    _, ax = plt.subplots()
    assert plot_readability(readability_table(seed), ax) is ax


def test_without_matplotlib_the_error_names_the_extra(
    seed: biaskit.Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    from biaskit.plots import plot_rates

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ModuleNotFoundError, match=r'pip install "biaskit\[plots\]"'):
        plot_rates(label_rates(seed, n_resamples=10))
