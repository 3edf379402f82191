"""Specification of biaskit.report: one standalone HTML page of a corpus."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import biaskit
from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
from biaskit.analysis import AnalysisError
from biaskit.report import render_report, write_report

VOID = {"meta", "br", "rect", "hr", "img", "input", "link"}


@pytest.fixture(scope="module")
def seed(repo_root: Path) -> Corpus:
    return biaskit.load_corpus(repo_root / "annotations")


@pytest.fixture(scope="module")
def registry(repo_root: Path) -> biaskit.VariantRegistry:
    return biaskit.load_variants(repo_root / "annotations" / "variants.json")


@pytest.fixture(scope="module")
def page(seed: Corpus, registry: biaskit.VariantRegistry) -> str:
    return render_report(seed, registry=registry, n_resamples=200)


class _Structure(HTMLParser):
    """Check nesting, and collect ids, references and the text of each table cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.references: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name in ("href", "src", "xlink:href", "action") and value:
                self.references.append(value)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()


def _structure(text: str) -> _Structure:
    parser = _Structure()
    parser.feed(text)
    parser.close()
    return parser


def test_the_page_is_well_formed_and_self_contained(page: str) -> None:
    found = _structure(page)
    assert found.errors == []
    assert found.stack == []
    assert "script" not in found.tags
    assert "iframe" not in found.tags
    assert "img" not in found.tags
    # Every link is an anchor within the page, and every anchor exists.
    assert found.references
    assert all(r.startswith("#") for r in found.references)
    assert {r[1:] for r in found.references} <= set(found.ids)
    # Nothing is fetched: no URLs in styles, no external resources (SVG's namespace is a name).
    assert "url(" not in page
    assert "@import" not in page
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) == {"http://www.w3.org/2000/svg"}


def test_the_page_has_every_section_for_the_seed_corpus(page: str) -> None:
    for heading in (
        "Label rates per outlet",
        "Lexical choice",
        "Who is quoted",
        "Readability",
        "Documents",
    ):
        assert f">{heading}</h2>" in page
    assert page.count("<svg") >= 4  # rates, at least one concept, quoted, readability
    assert "Same event" not in page  # the seed corpus has no shared event keys


def test_the_page_shows_every_gold_span_highlighted(seed: Corpus, page: str) -> None:
    starts = [page.index(f'data-document="{doc.id}"') for doc in seed]
    assert starts == sorted(starts)  # documents in corpus order
    for doc, start, end in zip(seed, starts, [*starts[1:], len(page)], strict=True):
        segments = re.findall(
            r'<span class="bk-seg" data-spans="([^"]*)"[^>]*>([^<]*)</span>', page[start:end]
        )
        for i, span in enumerate(seed.annotation_set(doc.id, "gold").spans):
            pieces = [html.unescape(text) for ids, text in segments if f"s{i}" in ids.split()]
            assert "".join(pieces) == doc.covered_text(span)


def test_the_lexical_choice_table_names_each_outlets_word_for_soleimanis_killing(
    page: str,
) -> None:
    section = page[page.index('id="concept-soleimani_killing"') :]
    table = section[section.index("<table>") : section.index("</table>")]
    rows = {
        cells[0]: cells[-1]
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table)
        )
        if cells
    }
    assert rows == {"BulgarianMilitary": "death", "RT": "assassination", "unknown": "assassination"}


def test_the_rates_table_shows_intervals_only_where_documents_can_be_resampled(
    seed: Corpus, page: str
) -> None:
    rates = biaskit.analysis.label_rates(seed, n_resamples=200)
    section = page[page.index('id="rates"') : page.index('id="lexical"')]
    rt = rates.rate("RT", "ATTRIBUTION")
    assert f"{rt.per_1000:,.1f}<br><small>[{rt.low:,.1f}, {rt.high:,.1f}]</small>" in section
    bm = rates.rate("BulgarianMilitary", "ATTRIBUTION")
    assert f"<td>{bm.per_1000:,.1f}</td>" in section


def test_without_a_registry_there_is_no_lexical_section(seed: Corpus) -> None:
    assert "Lexical choice" not in render_report(seed, n_resamples=20)


def test_the_page_is_reproducible(seed: Corpus, registry: biaskit.VariantRegistry) -> None:
    assert render_report(seed, registry=registry, n_resamples=50) == render_report(
        seed, registry=registry, n_resamples=50
    )


def test_shared_event_keys_get_a_comparison_section() -> None:
    docs = [
        Document("f", "A brutal raid.", outlet="fox", metadata={"event": "raid"}),
        Document("n", "A raid.", outlet="nyt", metadata={"event": "raid"}),
    ]
    schema = Schema("s", "1", [LabelSpec("EPITHET")])
    corpus = Corpus(docs, schema, [AnnotationSet(docs[0], "gold", [Span(2, 8, "EPITHET")])])
    report = render_report(corpus, n_resamples=20)
    assert ">Same event, different outlets</h2>" in report
    assert '<a href="#events">' in report


def test_hostile_text_and_names_are_escaped() -> None:
    doc = Document(
        'x"><script>',
        "<script>alert(1)</script> brutal",
        outlet="<i>O</i>",
        title="</title><script>",
    )
    schema = Schema("s", "1", [LabelSpec("EPITHET")])
    report = render_report(
        Corpus([doc], schema, [AnnotationSet(doc, "gold", [Span(26, 32, "EPITHET")])]),
        n_resamples=10,
    )
    assert "<script>" not in report
    assert "<i>O</i>" not in report
    assert _structure(report).errors == []


def test_write_report_writes_the_page_and_never_overwrites_unasked(
    seed: Corpus, tmp_path: Path
) -> None:
    target = tmp_path / "report.html"
    assert write_report(seed, target, n_resamples=20) == target
    assert target.read_text(encoding="utf-8") == render_report(seed, n_resamples=20)
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(biaskit.OutputExistsError, match="exists; pass overwrite=True"):
        write_report(seed, target, n_resamples=20)
    assert target.read_text(encoding="utf-8") == "keep me"
    write_report(seed, target, overwrite=True, n_resamples=20)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(biaskit.OutputExistsError, match="is a folder"):
        write_report(seed, tmp_path, overwrite=True)


def test_an_unknown_annotator_is_refused_before_anything_is_written(
    seed: Corpus, tmp_path: Path
) -> None:
    target = tmp_path / "report.html"
    with pytest.raises(AnalysisError, match="no annotation sets by 'model'"):
        write_report(seed, target, annotator="model")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_predicted_spans_can_be_reported(seed: Corpus) -> None:
    doc = seed.documents[0]
    predicted = AnnotationSet(doc, "model", [Span(0, 4, "EPITHET")])
    report = render_report(seed.with_annotations([predicted]), annotator="model", n_resamples=20)
    assert "spans by model" in report
