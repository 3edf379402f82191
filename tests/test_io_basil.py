"""The BASIL reader, on a synthetic fixture and (when present) on the real corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from biaskit import BiaskitError
from biaskit.errors import AnnotationError
from biaskit.io.basil import load_basil

BASIL = Path(__file__).resolve().parents[2] / "shared" / "data" / "basil"


def _article(source: str, paragraphs: list[list[str]], event: str = "ev1") -> dict[str, Any]:
    return {
        "title": "Senate passes bill ",
        "date": "2015-03-04",
        "uuid": "u-" + source,
        "url": "http://example.org",
        "source": source,
        "main-event": "A bill",
        "main-entities": ["Senate"],
        "triplet-uuid": event,
        "body-paragraphs": paragraphs,
    }


def _span(
    sid: str, start: int, end: int, txt: str, bias: str = "lex", **extra: str
) -> dict[str, Any]:
    base = {
        "id": sid,
        "start": start,
        "end": end,
        "txt": txt,
        "bias": bias,
        "polarity": "neg",
        "aim": "dir",
        "quote": "no",
        "speaker": "",
        "target": "Senate",
        "notes": "",
    }
    base.update(extra)
    return base


def _write(root: Path, name: str, article: dict[str, Any], spans: list[dict[str, Any]]) -> None:
    (root / "articles" / "2015").mkdir(parents=True, exist_ok=True)
    (root / "annotations" / "2015").mkdir(parents=True, exist_ok=True)
    (root / "articles" / "2015" / f"{name}.json").write_text(json.dumps(article))
    (root / "annotations" / "2015" / f"{name}_ann.json").write_text(
        json.dumps({"phrase-level-annotations": spans})
    )


def test_text_joins_title_paragraphs_and_sentences_and_spans_reanchor(tmp_path: Path) -> None:
    paragraphs = [
        ["The reckless bill passed.", " Critics fumed. "],
        ["It was “a disaster,” he said."],
    ]
    spans = [
        _span("p0", 4, 12, "reckless"),
        _span("p1", 1, 15, "Critics fumed.", bias="inf"),
        _span("p2", 7, 19, "“a disaster,", bias="inf", quote="yes", speaker="Critic"),
        _span("title", 7, 13, "passes"),
    ]
    _write(tmp_path, "ev1_1", _article("HPO", paragraphs), spans)
    corpus = load_basil(tmp_path)
    doc = corpus.document("ev1_1")
    assert doc.text == (
        "Senate passes bill \n\nThe reckless bill passed.  Critics fumed. "
        "\n\nIt was “a disaster,” he said."
    )
    got = [(s.label, doc.covered_text(s)) for s in corpus.annotation_set("ev1_1", "gold").spans]
    assert sorted(got) == sorted(
        [
            ("LEXICAL", "reckless"),
            ("INFORMATIONAL", "Critics fumed."),
            ("INFORMATIONAL", "“a disaster,"),
            ("LEXICAL", "passes"),
        ]
    )
    assert doc.outlet == "HuffPost"
    assert doc.metadata["event"] == "ev1"
    assert doc.metadata["year"] == 2015
    quoted = next(s for s in corpus.annotation_set("ev1_1", "gold").spans if s.start > 60)
    assert quoted.attributes["speaker"] == "Critic"
    assert "speaker" not in corpus.annotation_set("ev1_1", "gold").spans[0].attributes
    assert not [p for _, s in corpus.spans() for p in corpus.schema.check_span(s)]


def test_a_span_that_does_not_cover_its_text_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "ev1_1", _article("fox", [["A bold move."]]), [_span("p0", 2, 6, "bald")])
    with pytest.raises(
        AnnotationError,
        match=r"phrase-level-annotations\[0\]: \[2, 6\) of sentence p0 covers 'bold', "
        r"not the recorded text 'bald'",
    ):
        load_basil(tmp_path)


def test_unknown_source_and_missing_folders_are_errors(tmp_path: Path) -> None:
    with pytest.raises(BiaskitError, match="expected the BASIL folders"):
        load_basil(tmp_path)
    _write(tmp_path, "ev1_1", _article("cnn", [["x"]]), [])
    with pytest.raises(AnnotationError, match="expected 'source' to be one of fox, nyt, hpo"):
        load_basil(tmp_path)


@pytest.mark.skipif(not BASIL.is_dir(), reason="BASIL is not in ../shared/data/basil")
def test_every_real_basil_span_reanchors_to_its_recorded_text() -> None:
    corpus = load_basil(BASIL)
    assert len(corpus) == 300
    raw = {}
    for path in (BASIL / "annotations").glob("*/*_ann.json"):
        records = json.loads(path.read_text(encoding="utf-8"))["phrase-level-annotations"]
        raw[path.name[: -len("_ann.json")]] = sorted(r["txt"] for r in records)
    got: dict[str, list[str]] = {}
    for doc, span in corpus.spans():
        got.setdefault(doc.id, []).append(doc.covered_text(span))
    assert {k: sorted(v) for k, v in got.items()} == {k: v for k, v in raw.items() if v}
    labels = [s.label for _, s in corpus.spans()]
    assert labels.count("LEXICAL") == 480
    assert labels.count("INFORMATIONAL") == 1246
    assert {d.outlet for d in corpus} == {"Fox News", "New York Times", "HuffPost"}
