"""The PTC reader and writer (SemEval-2020 Task 11 formats), on fixtures written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from biaskit import AnnotationSet, BiaskitError, Corpus, Document, Span
from biaskit.errors import AnnotationError
from biaskit.io.native import OutputExistsError
from biaskit.io.ptc import PTC_PROPAGANDA, PTC_TECHNIQUES, PTC_UNKNOWN, load_ptc, write_ptc

PTC = Path(__file__).resolve().parents[2] / "shared" / "data" / "ptc"

TEXT_1 = "\ufeffA title\n\nThey are “traitors”, he said.\nThe nation will rise!\n"
TEXT_2 = "Another article\n\nNothing here.\n"


def _folder(tmp_path: Path, labels: str, name: str = "dev-task-flc-tc.labels") -> Path:
    articles = tmp_path / "dev-articles"
    articles.mkdir()
    (articles / "article11.txt").write_text(TEXT_1, encoding="utf-8")
    (articles / "article22.txt").write_text(TEXT_2, encoding="utf-8")
    path = tmp_path / name
    path.write_text(labels, encoding="utf-8")
    return path


def test_the_fourteen_techniques_are_spelt_as_in_the_corpus() -> None:
    assert len(PTC_TECHNIQUES) == 14
    assert "Name_Calling,Labeling" in PTC_TECHNIQUES
    assert "Whataboutism,Straw_Men,Red_Herring" in PTC_TECHNIQUES


def test_flc_labels_keep_technique_names_with_commas_and_count_the_bom(tmp_path: Path) -> None:
    start = TEXT_1.index("traitors")
    path = _folder(tmp_path, f"11\tName_Calling,Labeling\t{start}\t{start + 8}\n")
    corpus = load_ptc(path)
    doc = corpus.document("11")
    (span,) = corpus.annotation_set("11", "gold").spans
    assert span.label == "Name_Calling,Labeling"
    assert doc.covered_text(span) == "traitors"
    assert doc.text.startswith("\ufeff")  # the byte-order mark is a character PTC counts
    assert doc.title == "A title"


def test_every_article_is_a_document_even_without_spans(tmp_path: Path) -> None:
    corpus = load_ptc(_folder(tmp_path, "11\tDoubt\t10\t14\n"))
    assert [d.id for d in corpus.documents] == ["11", "22"]
    assert len(corpus.annotation_set("22", "gold")) == 0


def test_si_rows_are_labelled_propaganda_and_template_rows_unknown(tmp_path: Path) -> None:
    si = load_ptc(_folder(tmp_path, "11\t10\t14\n11\t10\t14\n", name="dev-task-si.labels"))
    assert [s.label for _, s in si.spans()] == [PTC_PROPAGANDA, PTC_PROPAGANDA]
    (tmp_path / "t.out").write_text("11\t?\t10\t14\n", encoding="utf-8")
    tc = load_ptc(tmp_path / "t.out", articles=tmp_path / "dev-articles")
    assert [s.label for _, s in tc.spans()] == [PTC_UNKNOWN]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("11\t10\n", "expected 3 tab-separated fields"),
        ("11\tDoubt\tx\t14\n", "expected integer offsets, found 'x' and '14'"),
        ("11\t14\t10\n", "expected 0 <= start < end, found start 14 and end 10"),
        ("11\tNot_A_Technique\t1\t4\n", "unknown technique 'Not_A_Technique'"),
        ("99\tDoubt\t1\t4\n", "article '99' is not in"),
        ("11\tDoubt\t1\t4000\n", "ends past the end of article '11'"),
        ("11\tDoubt\t1\t4\n11\t1\t4\n", "expected a flc row like the first row, found a si row"),
    ],
)
def test_bad_rows_are_refused_naming_file_and_line(tmp_path: Path, row: str, message: str) -> None:
    path = _folder(tmp_path, row)
    with pytest.raises(AnnotationError) as info:
        load_ptc(path)
    text = str(info.value)
    assert message in text
    line = len(row.splitlines())
    assert f"{path}:{line}:1: error:" in text


def test_missing_articles_folder_is_a_biaskit_error(tmp_path: Path) -> None:
    (tmp_path / "x.labels").write_text("1\t0\t1\n", encoding="utf-8")
    with pytest.raises(BiaskitError, match=r"expected article<ID>\.txt files"):
        load_ptc(tmp_path / "x.labels")


def _corpus() -> Corpus:
    d1, d2 = Document("11", TEXT_1), Document("22", TEXT_2)
    spans = [Span(20, 28, "Doubt"), Span(20, 28, "Repetition"), Span(43, 48, "Flag-Waving")]
    from biaskit.io.ptc import load_ptc as _  # noqa: F401  (the schema comes from the reader)
    from biaskit.schema import LabelSpec, Schema

    schema = Schema(
        "t", "1", [LabelSpec("Doubt"), LabelSpec("Repetition"), LabelSpec("Flag-Waving")]
    )
    return Corpus([d1, d2], schema, [AnnotationSet(d1, "gold", spans)])


def test_flc_round_trip_keeps_texts_and_spans_exactly(tmp_path: Path) -> None:
    corpus = _corpus()
    out = tmp_path / "dev-task-flc-tc.labels"
    write_ptc(corpus, out, annotator="gold", task="flc")
    assert (tmp_path / "dev-articles" / "article11.txt").read_bytes() == TEXT_1.encode()
    back = load_ptc(out)
    assert [d.text for d in back.documents] == [TEXT_1, TEXT_2]
    assert back.annotation_set("11", "gold").spans == corpus.annotation_set("11", "gold").spans


def test_si_writing_keeps_one_row_per_stretch(tmp_path: Path) -> None:
    write_ptc(_corpus(), tmp_path / "p.labels", annotator="gold", task="si", write_articles=False)
    assert (tmp_path / "p.labels").read_text() == "11\t20\t28\n11\t43\t48\n"
    assert not list(tmp_path.glob("*.txt"))


def test_writing_refuses_to_overwrite_unless_asked(tmp_path: Path) -> None:
    out = tmp_path / "p.labels"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        write_ptc(_corpus(), out, annotator="gold", task="si")
    assert out.read_text() == "old"
    write_ptc(_corpus(), out, annotator="gold", task="si", overwrite=True)
    assert out.read_text().startswith("11\t")


@pytest.mark.parametrize("bad_id", ["../evil", "a/b", ".hidden", "x y", "tab\tid"])
def test_ids_that_are_not_safe_file_names_are_refused(tmp_path: Path, bad_id: str) -> None:
    from biaskit.schema import LabelSpec, Schema

    doc = Document(bad_id.strip(), "text")
    corpus = Corpus([doc], Schema("t", "1", [LabelSpec("X")]))
    with pytest.raises(BiaskitError, match="cannot be a PTC article file name"):
        write_ptc(corpus, tmp_path / "p.labels", annotator="gold", task="si")
    assert not any(tmp_path.iterdir())


@pytest.mark.skipif(not PTC.is_dir(), reason="the PTC corpus is not in ../shared/data/ptc")
def test_the_real_ptc_dev_split_loads_with_its_documented_counts() -> None:
    si = load_ptc(PTC / "dev-task-si.labels")
    flc = load_ptc(PTC / "dev-task-flc-tc.labels")
    template = load_ptc(PTC / "dev-task-tc-template.out")
    assert len(si) == 75
    assert sum(1 for _ in si.spans()) == 940
    assert sum(1 for _ in flc.spans()) == 1063
    assert sum(1 for _ in template.spans()) == 1063
    assert {s.label for _, s in flc.spans()} <= set(PTC_TECHNIQUES)


def test_the_gold_corpus_round_trips_through_ptc_with_its_schema(tmp_path: Path) -> None:
    from biaskit import load_corpus

    repo = Path(__file__).resolve().parents[1]
    gold = load_corpus(repo / "annotations")
    warnings = write_ptc(gold, tmp_path / "gold-task-flc.labels", annotator="gold", task="flc")
    # Attributes and notes cannot be written: said, not dropped silently.
    assert [w.code for w in warnings] == ["not-written"]
    assert "span(s) carried attributes, notes or groups" in warnings[0].message
    back = load_ptc(tmp_path / "gold-task-flc.labels", schema=gold.schema)
    assert back.schema == gold.schema
    assert {d.id: d.text for d in back} == {d.id: d.text for d in gold}
    assert sorted((d.id, s.start, s.end, s.label) for d, s in back.spans()) == sorted(
        (d.id, s.start, s.end, s.label) for d, s in gold.spans(annotator="gold")
    )


def test_without_a_schema_only_ptc_techniques_are_read(tmp_path: Path) -> None:
    (tmp_path / "article1.txt").write_text("They are traitors.", encoding="utf-8")
    (tmp_path / "x-task-flc.labels").write_text("1\tEPITHET\t9\t17\n", encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"unknown technique 'EPITHET'.*need schema="):
        load_ptc(tmp_path / "x-task-flc.labels", articles=tmp_path)


def test_a_row_over_the_configured_limit_is_reported_with_its_line(tmp_path: Path) -> None:
    from biaskit.io.native import ReadLimits

    (tmp_path / "article1.txt").write_text("Title\n\nThey are traitors.\n", encoding="utf-8")
    long = "1\tLoaded_Language\t16\t24" + " " * 300
    labels = tmp_path / "task-flc-tc.labels"
    labels.write_text(f"1\tLoaded_Language\t16\t24\n{long}\n", encoding="utf-8")
    with pytest.raises(AnnotationError) as info:
        load_ptc(labels, limits=ReadLimits(max_line_bytes=100))
    assert [(p.code, p.line) for p in info.value.problems] == [("line-too-long", 2)]
    assert f"line is {len(long) + 1} bytes, over the limit of 100" in str(info.value)
    assert len(list(load_ptc(labels).spans())) == 2


def test_rows_end_at_newlines_only_and_a_carriage_return_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "article1.txt").write_text("Title\n\nThey are traitors.\n", encoding="utf-8")
    labels = tmp_path / "task-flc-tc.labels"
    labels.write_bytes(b"1\tLoaded_Language\t16\t24\r\n1\tName_Calling,Labeling\t16\t24\r\n")
    corpus = load_ptc(labels)
    assert [s.label for _, s in corpus.spans()] == ["Loaded_Language", "Name_Calling,Labeling"]
