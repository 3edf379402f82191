"""Specification of biaskit.display: spans highlighted in HTML for Jupyter and the report."""

from __future__ import annotations

import ast
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import biaskit
from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
from biaskit.display import PALETTE, Highlighted, highlight, label_colors, render_html

SCHEMA = Schema(
    "demo",
    "1.0",
    [
        LabelSpec("EVENT_TERM", color="#d95f02"),
        LabelSpec("EPITHET", color="#e7298a"),
        LabelSpec("SCARE_QUOTE", color="#66a61e"),
    ],
)


class _Page(HTMLParser):
    """Collect the text of the first annotation set, and per segment its span ids and style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sets: list[dict[str, object]] = []
        self._stack: list[tuple[str, dict[str, str | None]]] = []
        self._segment: dict[str, object] | None = None
        self.legend: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self._stack.append((tag, a))
        cls = a.get("class") or ""
        if cls == "bk-set":
            self.sets.append({"annotator": a["data-annotator"], "text": [], "segments": []})
        elif cls == "bk-seg":
            self._segment = {
                "spans": (a["data-spans"] or "").split(),
                "style": a["style"],
                "title": a["title"],
                "text": "",
            }
            self.sets[-1]["segments"].append(self._segment)  # type: ignore[union-attr]
        elif cls == "bk-legend-item":
            self.legend.append(a["data-label"] or "")

    def handle_endtag(self, tag: str) -> None:
        _, a = self._stack.pop()
        if a.get("class") == "bk-seg":
            self._segment = None

    def handle_data(self, data: str) -> None:
        classes = [a.get("class") for _, a in self._stack]
        if "bk-text" in classes and self.sets:
            self.sets[-1]["text"].append(data)  # type: ignore[union-attr]
            if self._segment is not None:
                self._segment["text"] += data  # type: ignore[operator]


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _pieces(page: _Page, span_id: str, which: int = 0) -> str:
    segments = page.sets[which]["segments"]
    return "".join(s["text"] for s in segments if span_id in s["spans"])  # type: ignore[union-attr,index,misc]


TEXT = 'Pompeo blames <b>“terrorists” & “Iranian proxies”</b> for the "siege".'


def _doc() -> Document:
    return Document("d1", TEXT, outlet="RT", title="A <title>", date="2020-01-03")


def _at(text: str, word: str, label: str, **attributes: str) -> Span:
    start = text.index(word)
    return Span(start, start + len(word), label, attributes=attributes)


def test_the_text_comes_back_exactly_and_escaped() -> None:
    doc = _doc()
    aset = AnnotationSet(doc, "gold", [_at(TEXT, "“terrorists”", "SCARE_QUOTE")])
    html = render_html(doc, aset, SCHEMA)
    assert "<b>" not in html
    assert "&lt;b&gt;" in html
    assert "A &lt;title&gt;" in html
    page = _parse(html)
    assert "".join(page.sets[0]["text"]) == TEXT  # type: ignore[arg-type]


def test_each_span_is_found_by_its_id_and_covers_its_text() -> None:
    doc = _doc()
    spans = [
        _at(TEXT, "“terrorists” & “Iranian proxies”", "EPITHET"),
        _at(TEXT, "“terrorists”", "SCARE_QUOTE"),
        _at(TEXT, "“Iranian proxies”", "SCARE_QUOTE"),
        _at(TEXT, "siege", "EVENT_TERM"),
    ]
    aset = AnnotationSet(doc, "gold", spans)
    page = _parse(render_html(doc, aset, SCHEMA))
    for i, span in enumerate(aset.spans):
        assert _pieces(page, f"s{i}") == doc.covered_text(span)


def test_nested_spans_are_drawn_as_two_bands_in_their_schema_colours() -> None:
    doc = _doc()
    outer = _at(TEXT, "“terrorists” & “Iranian proxies”", "EPITHET")
    inner = _at(TEXT, "“terrorists”", "SCARE_QUOTE")
    aset = AnnotationSet(doc, "gold", [outer, inner])
    page = _parse(render_html(doc, aset, SCHEMA))
    both = [s for s in page.sets[0]["segments"] if len(s["spans"]) == 2]  # type: ignore[union-attr]
    assert [s["text"] for s in both] == ["“terrorists”"]
    style = both[0]["style"]
    # The enclosing span takes the first band, the nested one the second.
    assert "0 3px 0 0 #e7298a" in style
    assert "0 6px 0 0 #66a61e" in style
    outer_id = f"s{aset.spans.index(outer)}"  # spans are numbered in the set's order
    only_outer = [s for s in page.sets[0]["segments"] if s["spans"] == [outer_id]]  # type: ignore[union-attr]
    assert only_outer
    assert all("#66a61e" not in s["style"] for s in only_outer)


def test_crossing_and_touching_spans_get_different_levels() -> None:
    text = "abcdefghij"
    doc = Document("d", text)
    spans = [Span(0, 6, "EPITHET"), Span(4, 9, "EVENT_TERM"), Span(9, 10, "EPITHET")]
    page = _parse(render_html(doc, AnnotationSet(doc, "a", spans), SCHEMA))
    segments = page.sets[0]["segments"]  # type: ignore[union-attr]
    assert [s["text"] for s in segments] == ["abcd", "ef", "ghi", "j"]  # type: ignore[index]
    crossing = segments[1]  # type: ignore[index]
    assert crossing["spans"] == ["s0", "s1"]
    assert "0 3px 0 0 #e7298a" in crossing["style"]
    assert "0 6px 0 0 #d95f02" in crossing["style"]
    # "j" touches s1's end: it does not share s1's band, so the two stay visibly apart.
    assert "0 3px 0 0 #e7298a" in segments[3]["style"]  # type: ignore[index]


@given(
    st.lists(
        st.tuples(st.integers(0, 29), st.integers(1, 12), st.sampled_from(["EPITHET", "X"])),
        max_size=12,
    )
)
def test_any_spans_render_their_exact_texts(raw: list[tuple[int, int, str]]) -> None:
    text = "Iran’s “so-called” <satellites> & fired\nmissiles!"
    doc = Document("d", text)
    spans = [Span(s, min(s + n, len(text)), label) for s, n, label in raw]
    aset = AnnotationSet(doc, "a", spans)
    page = _parse(render_html(doc, aset, SCHEMA))
    assert "".join(page.sets[0]["text"]) == text  # type: ignore[arg-type]
    for i, span in enumerate(aset.spans):
        assert _pieces(page, f"s{i}") == doc.covered_text(span)
    # Overlapping spans never share a band: each segment's bands are distinct.
    for segment in page.sets[0]["segments"]:  # type: ignore[union-attr]
        offsets = re.findall(r"0 (\d+)px 0 0", segment["style"])
        assert len(offsets) == len(set(offsets)) == len(segment["spans"])


def test_hovering_shows_label_text_attributes_and_note() -> None:
    doc = _doc()
    span = Span(
        TEXT.index("siege"),
        TEXT.index("siege") + 5,
        "EVENT_TERM",
        attributes={"concept": "embassy_storming", "register": "loaded"},
        note='adjudicated: "siege" vs storming',
    )
    page = _parse(render_html(doc, AnnotationSet(doc, "gold", [span]), SCHEMA))
    title = page.sets[0]["segments"][0]["title"]  # type: ignore[index]
    assert title.splitlines() == [
        f"EVENT_TERM [{span.start}, {span.end}) “siege”",
        "  concept = embassy_storming",
        "  register = loaded",
        '  note: adjudicated: "siege" vs storming',
        "  by gold",
    ]


def test_the_legend_lists_used_labels_in_schema_order_and_unknown_ones_last() -> None:
    doc = _doc()
    spans = [
        _at(TEXT, "siege", "OTHER"),
        _at(TEXT, "“terrorists”", "SCARE_QUOTE"),
        _at(TEXT, "Pompeo", "EVENT_TERM"),
    ]
    html = render_html(doc, AnnotationSet(doc, "gold", spans), SCHEMA)
    assert _parse(html).legend == ["EVENT_TERM", "SCARE_QUOTE", "OTHER"]
    assert PALETTE[0] in html  # OTHER has no schema colour
    assert (
        render_html(doc, AnnotationSet(doc, "gold", spans), SCHEMA, legend=False).count(
            "bk-legend-item"
        )
        == 0
    )


def test_label_colors_prefer_the_schema_and_are_stable() -> None:
    assert label_colors(["EPITHET", "NEW", "NEWER"], SCHEMA) == {
        "EPITHET": "#e7298a",
        "NEW": PALETTE[0],
        "NEWER": PALETTE[1],
    }


def test_several_sets_are_shown_one_copy_each_under_their_annotator() -> None:
    doc = _doc()
    a = AnnotationSet(doc, "coder-a", [_at(TEXT, "siege", "EVENT_TERM")])
    b = AnnotationSet(doc, "coder-b", [])
    page = _parse(render_html(doc, [a, b], SCHEMA))
    assert [s["annotator"] for s in page.sets] == ["coder-a", "coder-b"]
    assert all("".join(s["text"]) == TEXT for s in page.sets)  # type: ignore[arg-type]


def test_a_document_without_sets_shows_its_text() -> None:
    html = render_html(_doc())
    assert "&lt;b&gt;“terrorists”" in html
    assert "bk-seg" not in html


def test_spans_of_another_document_are_refused() -> None:
    other = Document("d2", TEXT)
    with pytest.raises(ValueError, match="spans by 'gold' are over document 'd2'"):
        render_html(_doc(), AnnotationSet(other, "gold", []))
    with pytest.raises(ValueError, match="not over the document shown"):
        Highlighted(_doc(), AnnotationSet(other, "gold", []))


def test_highlighted_and_highlight_render_in_jupyter() -> None:
    doc = _doc()
    aset = AnnotationSet(doc, "gold", [_at(TEXT, "siege", "EVENT_TERM")])
    corpus = Corpus([doc], SCHEMA, [aset])
    shown = highlight(corpus, "d1")
    assert shown == Highlighted(doc, (aset,), SCHEMA)
    assert shown._repr_html_() == render_html(doc, [aset], SCHEMA)
    assert "#d95f02" in shown._repr_html_()
    two = highlight(corpus, "d1", ["gold", "nobody"])  # an annotator without spans: empty copy
    assert [s["annotator"] for s in _parse(two._repr_html_()).sets] == ["gold", "nobody"]


def test_the_seed_corpus_renders_every_gold_span(repo_root: Path) -> None:
    corpus = biaskit.load_corpus(repo_root / "annotations")
    for doc in corpus:
        aset = corpus.annotation_set(doc.id, "gold")
        page = _parse(highlight(corpus, doc.id)._repr_html_())
        assert "".join(page.sets[0]["text"]) == doc.text  # type: ignore[arg-type]
        for i, span in enumerate(aset.spans):
            assert _pieces(page, f"s{i}") == doc.covered_text(span)


def test_display_imports_only_the_standard_library_attrs_and_biaskit() -> None:
    import biaskit.display

    tree = ast.parse(Path(biaskit.display.__file__).read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    assert roots - set(sys.stdlib_module_names) <= {"attrs", "biaskit"}


def test_an_excerpt_shows_one_stretch_with_spans_cut_at_its_edges() -> None:
    doc = _doc()
    outer = _at(TEXT, "“terrorists” & “Iranian proxies”", "EPITHET")
    siege = _at(TEXT, "siege", "EVENT_TERM")
    aset = AnnotationSet(doc, "gold", [outer, siege])
    low, high = TEXT.index("&"), TEXT.index(" for")
    page = _parse(render_html(doc, aset, SCHEMA, excerpt=(low, high)))
    shown = "".join(page.sets[0]["text"])  # type: ignore[arg-type]
    assert shown == f"… {TEXT[low:high]} …"
    assert _pieces(page, f"s{aset.spans.index(outer)}") == TEXT[low : outer.end]
    assert _pieces(page, f"s{aset.spans.index(siege)}") == ""  # outside the excerpt
    assert page.legend == ["EPITHET"]  # the legend counts what is shown
    assert "1 of 2 spans in [" in render_html(doc, aset, SCHEMA, excerpt=(low, high))
    assert Highlighted(doc, aset, SCHEMA, excerpt=(low, high))._repr_html_() == render_html(
        doc, aset, SCHEMA, excerpt=(low, high)
    )


@pytest.mark.parametrize("excerpt", [(5, 5), (-1, 4), (0, len(TEXT) + 1), (9, 3)])
def test_an_excerpt_outside_the_text_is_refused(excerpt: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match=r"excerpt must be \(start, end\) with 0 <= start < end"):
        render_html(_doc(), excerpt=excerpt)
