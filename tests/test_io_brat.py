"""brat standoff: reading checks every line; writing keeps what brat can hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from biaskit import AnnotationError, AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
from biaskit.io.brat import check_brat, load_brat, save_brat
from biaskit.io.native import OutputExistsError
from biaskit.schema import AttributeSpec

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "interop"
TEXT = "The US killed him.\r\nThen 😀 came."


def folder_with(tmp_path: Path, ann: str | bytes, text: str = TEXT) -> Path:
    root = tmp_path / "brat"
    root.mkdir()
    (root / "d.txt").write_bytes(text.encode("utf-8"))
    data = ann if isinstance(ann, bytes) else ann.encode("utf-8")
    (root / "d.ann").write_bytes(data)
    return root


def test_the_fixture_reads_attributes_notes_and_a_discontinuous_span() -> None:
    corpus = load_brat(FIXTURES / "brat")
    by_range = {(s.start, s.end): s for _, s in corpus.spans()}
    assert by_range[(0, 4)].attributes == {"target": "Café owner"}  # %20 decoded
    assert by_range[(7, 15)].note == "distancing quotes"
    assert by_range[(18, 24)].attributes == {"concept": "soleimani_killing"}
    assert by_range[(31, 34)].group == by_range[(59, 62)].group == "T8"


def test_fragments_split_only_by_a_line_break_are_one_span(tmp_path: Path) -> None:
    # brat splits a span crossing a line break; "him.\r\nThen" is one selection.
    root = folder_with(tmp_path, "T1\tEVENT_TERM 14 18;20 24\thim. Then\n")
    [(_, span)] = list(load_brat(root).spans())
    assert (span.start, span.end, span.group) == (14, 24, None)


def test_a_span_crossing_a_line_break_is_written_as_fragments(tmp_path: Path) -> None:
    doc = Document("d", TEXT)
    schema = Schema("s", "1", [LabelSpec("X")])
    corpus = Corpus([doc], schema, [AnnotationSet(doc, "a", [Span(14, 24, "X")])])
    save_brat(corpus, tmp_path / "out")
    assert (tmp_path / "out" / "a" / "d.ann").read_text("utf-8") == "T1\tX 14 18;20 24\thim. Then\n"
    assert [(s.start, s.end) for _, s in load_brat(tmp_path / "out").spans()] == [(14, 24)]


def test_old_brat_offsets_counting_crlf_once_are_read_with_the_unit_option(
    tmp_path: Path,
) -> None:
    root = folder_with(tmp_path, "T1\tX 26 30\tcame\n")  # "came" is [27, 31) in code points
    problems = check_brat(root).problems
    assert [p.code for p in problems if p.is_error] == ["text-mismatch"]
    assert "crlf-as-one" in problems[-1].message
    corpus = load_brat(root, unit="crlf-as-one")
    assert [(s.start, s.end) for _, s in corpus.spans()] == [(27, 31)]


def test_attribute_values_are_typed_by_the_schema(tmp_path: Path) -> None:
    schema = Schema(
        "s",
        "1",
        [
            LabelSpec(
                "X",
                attributes=[AttributeSpec("n", type="integer"), AttributeSpec("b", type="boolean")],
            )
        ],
    )
    root = folder_with(tmp_path, "T1\tX 7 13\tkilled\nA1\tn T1 3\nA2\tb T1 false\n")
    [(_, span)] = list(load_brat(root, schema=schema).spans())
    assert span.attributes == {"n": 3, "b": False}
    assert next(iter(load_brat(root).spans()))[1].attributes == {"n": "3", "b": "false"}


BAD_ANN = [
    ("T1\tX 7\tkilled\n", 1, "malformed-line", "expected T<n><TAB>Type START END"),
    ("T1\tX 7 13\n", 1, "malformed-line", "expected T<n>"),
    ("T1\tX seven 13\tkilled\n", 1, "malformed-line", "expected T<n>"),
    ("T1\tX 7 99\tkilled\n", 1, "offset-range", "outside the text"),
    ("T1\tX 13 7\tkilled\n", 1, "offset-range", "not after its start"),
    ("T1\tX 0 5;3 8\tThe U US k\n", 1, "offset-range", "fragments overlap"),
    ("T1\tX 7 13\tkilled\nT1\tX 0 3\tThe\n", 2, "duplicate-id", "first used on line 1"),
    ("T1\tX 7 13\tkilled\nA1\tneg T9\n", 2, "missing-reference", "'T9'"),
    ("T1\tX 7 13\tkilled\n#1\tAnnotatorNotes T2\tnote\n", 2, "missing-reference", "'T2'"),
    ("T1\tX 7 13\tkilled\nA1\n", 2, "malformed-line", "expected AN<TAB>Name"),
    ("T1\tX 7 13\tkilled\nA1\ta b c d\n", 2, "malformed-line", "expected A1<TAB>Name"),
    ("Q1\tX 7 13\tkilled\n", 1, "malformed-line", "starting with T, A, M, #"),
    ("T1\tX 7 13\tkilled\nT2\tX 8 12\tille\n", 2, "overlap", "must not overlap"),
    ("T1\tX 7 13\tkil", 1, "text-mismatch", "does not match"),  # truncated
    (b"T1\tX 7 13\t\xffkilled\n", 1, "encoding", "invalid UTF-8"),
]


@pytest.mark.parametrize(("ann", "line", "code", "message"), BAD_ANN)
def test_bad_ann_lines_are_located_errors(
    tmp_path: Path, ann: str | bytes, line: int, code: str, message: str
) -> None:
    root = folder_with(tmp_path, ann)
    errors = [p for p in check_brat(root).problems if p.is_error]
    assert [(p.line, p.code) for p in errors] == [(line, code)]
    assert errors[0].path == str(root / "d.ann")
    assert message in errors[0].message
    with pytest.raises(AnnotationError):
        load_brat(root)


def test_an_ann_without_its_txt_and_a_missing_folder_are_errors(tmp_path: Path) -> None:
    (tmp_path / "x.ann").write_text("T1\tX 0 1\ta\n", encoding="utf-8")
    assert [p.code for p in check_brat(tmp_path).problems] == ["missing-file"]
    assert [p.code for p in check_brat(tmp_path / "nowhere").problems] == ["not-found"]


def test_one_document_with_two_texts_across_annotators_is_an_error(tmp_path: Path) -> None:
    for name, text in (("a", "one text"), ("b", "another text")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "d.txt").write_text(text, encoding="utf-8")
    assert [p.code for p in check_brat(tmp_path).problems] == ["text-differs"]


def test_relations_are_reported_not_read() -> None:
    problems = check_brat(FIXTURES / "brat").problems
    assert any(p.code == "not-read" and "1 relation line(s)" in p.message for p in problems)


def test_the_writer_declares_labels_and_attributes_in_annotation_conf(tmp_path: Path) -> None:
    corpus = load_brat(FIXTURES / "brat")
    save_brat(corpus, tmp_path / "out")
    conf = (tmp_path / "out" / "annotation.conf").read_text("utf-8")
    assert "[entities]\nACTOR_LABEL\nATTRIBUTION\n" in conf
    assert "target\tArg:<ENTITY>, Value:Café%20owner" in conf
    with pytest.raises(OutputExistsError):
        save_brat(corpus, tmp_path / "out")
    save_brat(corpus, tmp_path / "out", overwrite=True)


def test_an_ann_line_over_the_configured_limit_is_reported_and_the_file_not_parsed(
    tmp_path: Path,
) -> None:
    from biaskit.io.native import ReadLimits

    (tmp_path / "d1.txt").write_text("The US killed him.", encoding="utf-8")
    note = "#1\tAnnotatorNotes T1\t" + "n" * 500
    (tmp_path / "d1.ann").write_text(
        f"T1\tEVENT_TERM 7 13\tkilled\n{note}\nA1\tregister T9 loaded\n", encoding="utf-8"
    )
    problems = check_brat(tmp_path, limits=ReadLimits(max_line_bytes=100)).problems
    # Only the long line: the rest of the file is not parsed, so A1's missing T9
    # (and any reference to a lost line) does not cascade into more errors.
    assert [(p.code, p.line) for p in problems] == [("line-too-long", 2)]
    assert f"line is {len(note) + 1} bytes, over the limit of 100" in problems[0].message
    assert [(p.code, p.line) for p in check_brat(tmp_path).problems] == [("missing-reference", 3)]
