"""CSV export: one row per span, fixed column order, read back by the csv module."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from biaskit import load_corpus
from biaskit.io.csv import CSV_COLUMNS, save_csv, spans_csv
from biaskit.io.doccano import load_doccano
from biaskit.io.native import OutputExistsError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "interop"


def rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as stream:
        return list(csv.DictReader(stream))


def test_every_gold_span_is_one_row_with_its_exact_text(repo_root: Path, tmp_path: Path) -> None:
    corpus = load_corpus(repo_root / "annotations")
    save_csv(corpus, tmp_path / "spans.csv", annotators=["gold"])
    found = rows(tmp_path / "spans.csv")
    gold = list(corpus.spans(annotator="gold"))
    assert len(found) == len(gold)
    for row, (doc, span) in zip(found, gold, strict=True):
        assert (row["document"], int(row["start"]), int(row["end"]), row["label"]) == (
            doc.id,
            span.start,
            span.end,
            span.label,
        )
        assert row["text"] == doc.covered_text(span)  # CRLF, quotes and commas survive
        assert row["outlet"] == doc.outlet
        for name, value in span.attributes.items():
            assert row[f"attr_{name}"] == value


def test_columns_come_in_a_fixed_order_and_text_can_be_left_out(repo_root: Path) -> None:
    corpus = load_corpus(repo_root / "annotations")
    header = spans_csv(corpus, text=False).split("\r\n", 1)[0].split(",")
    assert header[: len(CSV_COLUMNS) - 1] == [c for c in CSV_COLUMNS if c != "text"]
    attrs = header[len(CSV_COLUMNS) - 1 :]
    assert attrs == sorted(attrs)
    assert all(a.startswith("attr_") for a in attrs)
    assert spans_csv(corpus) == spans_csv(corpus)


def test_a_byte_order_mark_for_excel_is_optional(tmp_path: Path) -> None:
    corpus = load_doccano(FIXTURES / "doccano")
    save_csv(corpus, tmp_path / "plain.csv")
    save_csv(corpus, tmp_path / "excel.csv", bom=True)
    assert not (tmp_path / "plain.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "excel.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert rows(tmp_path / "excel.csv", "utf-8-sig") == rows(tmp_path / "plain.csv")
    texts = [r["text"] for r in rows(tmp_path / "plain.csv")]
    assert "saw it. " in texts
    assert "👩\u200d👩\u200d👧 family" in texts
    with pytest.raises(OutputExistsError):
        save_csv(corpus, tmp_path / "plain.csv")
