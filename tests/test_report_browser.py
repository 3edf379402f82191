"""The HTML report in a real headless browser: highlighted spans are there and visible.

Needs the ``playwright`` Python package and a Chromium binary; Playwright's own
browser download is not used. The binary is ``$BIASKIT_CHROMIUM`` if set, else
``chromium`` (Debian's package) or ``chromium-browser`` on the PATH. The
screenshots are kept in pytest's temporary folder (printed with ``-s``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import biaskit
from biaskit.report import write_report

pytestmark = pytest.mark.slow

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# Gold spans that must be visible: (document, covered text, label).
EXPECTED = [
    ("000_cfe5febfa8fc3818", "assassination", "EVENT_TERM"),
    ("001_d7888534bf1e186c", "atrocity", "EVENT_TERM"),
    ("002_3e32069099ff1846", "liquidation", "EVENT_TERM"),
    ("004_7ad6a651d57beef3", "“terrorists”", "SCARE_QUOTE"),
    ("004_7ad6a651d57beef3", "blamed", "ATTRIBUTION"),
]


def _chromium() -> str | None:
    configured = os.environ.get("BIASKIT_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the browser test needs the playwright package"
    )
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium binary: install Debian's 'chromium' or set BIASKIT_CHROMIUM")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def report(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    corpus = biaskit.load_corpus(repo_root / "annotations")
    registry = biaskit.load_variants(repo_root / "annotations" / "variants.json")
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_report(corpus, path, registry=registry, n_resamples=200)
    return path, corpus


@pytest.fixture
def page(browser: Any, report: tuple[Path, Any]) -> Iterator[Any]:
    path, _ = report
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.requests = requests
    try:
        yield page
    finally:
        context.close()


def _span_id(corpus: Any, document_id: str, text: str, label: str) -> str:
    aset = corpus.annotation_set(document_id, "gold")
    for i, span in enumerate(aset.spans):
        if span.label == label and aset.document.covered_text(span) == text:
            return f"s{i}"
    raise AssertionError(f"no gold {label} span {text!r} in {document_id}")


def test_the_report_opens_without_fetching_anything(page: Any, report: tuple[Path, Any]) -> None:
    path, corpus = report
    assert page.requests == [path.as_uri()]
    assert page.title().startswith("biaskit-framing 1.1")
    assert page.locator(".biaskit-document").count() == len(corpus)


@pytest.mark.parametrize(("document_id", "text", "label"), EXPECTED)
def test_gold_spans_are_highlighted_and_visible(
    page: Any, report: tuple[Path, Any], document_id: str, text: str, label: str
) -> None:
    _, corpus = report
    span_id = _span_id(corpus, document_id, text, label)
    segments = page.locator(
        f'[data-document="{document_id}"] .bk-set[data-annotator="gold"] '
        f'.bk-seg[data-spans~="{span_id}"]'
    )
    assert segments.count() >= 1
    assert "".join(segments.all_inner_texts()) == text
    first = segments.first
    first.scroll_into_view_if_needed()
    assert first.is_visible()
    box = first.bounding_box()
    assert box is not None
    assert box["width"] > 0
    assert box["height"] > 0
    color = corpus.schema.label(label).color
    rgb = f"rgb({int(color[1:3], 16)}, {int(color[3:5], 16)}, {int(color[5:7], 16)})"
    assert rgb in first.evaluate("e => getComputedStyle(e).boxShadow")


def test_every_gold_span_of_the_corpus_has_a_visible_box(
    page: Any, report: tuple[Path, Any]
) -> None:
    _, corpus = report
    sizes = page.evaluate(
        """() => Array.from(document.querySelectorAll('.bk-set[data-annotator="gold"]'))
             .map(set => Array.from(set.querySelectorAll('.bk-seg'))
               .filter(seg => seg.textContent.trim())
               .map(seg => {
                 const r = seg.getBoundingClientRect(); return r.width * r.height;
               }))"""
    )
    gold = [len(corpus.annotation_set(doc.id, "gold")) for doc in corpus]
    assert len(sizes) == len(gold)
    assert all(sizes)
    assert all(area > 0 for per_doc in sizes for area in per_doc)


def test_the_screenshot_shows_highlighted_spans(
    page: Any, report: tuple[Path, Any], tmp_path: Path
) -> None:
    _, corpus = report
    document = page.locator('[data-document="004_7ad6a651d57beef3"]')
    document.scroll_into_view_if_needed()
    shot = tmp_path / "report-document.png"
    document.screenshot(path=str(shot))
    page.screenshot(path=str(tmp_path / "report-top.png"))
    print(f"screenshots in {tmp_path}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 10_000
    image_module = pytest.importorskip("PIL.Image", reason="pixel check needs Pillow")
    with image_module.open(shot) as image:
        colors = {rgb for _, rgb in image.convert("RGB").getcolors(maxcolors=1 << 24)}
    # The bands of the document's labels are drawn in their schema colours.
    for label in ("EVENT_TERM", "ATTRIBUTION", "EPITHET"):
        hex_color = corpus.schema.label(label).color
        rgb = tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
        assert rgb in colors, label
