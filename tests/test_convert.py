"""One document read from every format gives the same code-point spans; round trips keep data.

The fixture document (tests/fixtures/interop/, written for biaskit) holds a BMP
non-ASCII character (é, –, curly quotes), an emoji before a span, a ZWJ emoji,
CRLF line breaks, a double space, a span with trailing whitespace, an overlapping
pair, a nested pair, and (in brat) a discontinuous span.
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biaskit import (
    AnnotationError,
    AnnotationSet,
    Corpus,
    Document,
    LabelSpec,
    Schema,
    Span,
    load_corpus,
)
from biaskit.errors import BiaskitError
from biaskit.io._foreign import fit_spans
from biaskit.io._names import decode_file_stem, safe_file_stem
from biaskit.io.brat import load_brat, save_brat
from biaskit.io.doccano import load_doccano, save_doccano
from biaskit.io.formats import FORMATS, convert, load_foreign, validate_foreign
from biaskit.io.labelstudio import load_labelstudio, save_labelstudio
from biaskit.io.native import OutputExistsError, save_corpus
from biaskit.schema import AttributeSpec

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "interop"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
TEXT = EXPECTED["text"]

# The expected spans, in code points, written out by hand: [start, end) label.
CODEPOINT_SPANS = {
    (0, 4, "ACTOR_LABEL"),  # "Café": BMP é, one code point and one UTF-16 unit
    (7, 15, "SCARE_QUOTE"),  # "“quoted”": curly quotes after an en dash
    (18, 24, "EVENT_TERM"),  # "killed": after 😀, which is two UTF-16 units
    (18, 28, "ATTRIBUTION"),  # "killed him": EVENT_TERM is nested in it
    (35, 47, "ACTOR_LABEL"),  # "👩‍👩‍👧 family": a ZWJ emoji, after a CRLF
    (41, 52, "EPITHET"),  # "family  saw": a double space; overlaps the next
    (49, 57, "INFORMATIONAL"),  # "saw it. ": trailing whitespace
}


def spans_of(corpus: Corpus) -> set[tuple[int, int, str]]:
    return {(s.start, s.end, s.label) for _, s in corpus.spans()}


def test_the_expected_offsets_cover_the_expected_texts() -> None:
    assert TEXT.count("\r\n") == 3
    assert "  " in TEXT
    assert "\u200d" in TEXT
    for record in EXPECTED["spans"]:
        assert TEXT[record["start"] : record["end"]] == record["text"]
    assert {(r["start"], r["end"], r["label"]) for r in EXPECTED["spans"]} == CODEPOINT_SPANS


READERS = {
    "brat": lambda: load_brat(FIXTURES / "brat"),
    "labelstudio": lambda: load_labelstudio(
        FIXTURES / "labelstudio.json", annotator_names={"1": "alice"}
    ),
    "labelstudio-utf16": lambda: load_labelstudio(
        FIXTURES / "labelstudio-utf16.json", annotator_names={"1": "alice"}
    ),
    "doccano": lambda: load_doccano(FIXTURES / "doccano"),
    "doccano-grapheme": lambda: load_doccano(FIXTURES / "doccano-grapheme", unit="grapheme"),
    "doccano-entities": lambda: load_doccano(
        FIXTURES / "doccano-entities.jsonl", annotator="alice"
    ),
}


@pytest.mark.parametrize("name", sorted(READERS))
def test_every_format_reads_the_fixture_to_the_same_code_point_spans(name: str) -> None:
    corpus = READERS[name]()
    doc = corpus.document("news1")
    assert doc.text == TEXT
    found = spans_of(corpus)
    if name == "brat":
        fragments = {(31, 34, "INFORMATIONAL"), (59, 62, "INFORMATIONAL")}
        assert found == CODEPOINT_SPANS | fragments
        groups = {s.group for _, s in corpus.spans() if (s.start, s.end, s.label) in fragments}
        assert len(groups) == 1
        assert groups != {None}
    else:
        assert found == CODEPOINT_SPANS
    assert corpus.annotators == ("alice",)
    for _, span in corpus.spans():
        assert doc.text[span.start : span.end] == TEXT[span.start : span.end]


def test_label_studio_and_doccano_exports_of_one_document_give_identical_spans() -> None:
    studio = load_labelstudio(FIXTURES / "labelstudio.json", annotator_names={"1": "alice"})
    old_studio = load_labelstudio(
        FIXTURES / "labelstudio-utf16.json", annotator_names={"1": "alice"}
    )
    doccano = load_doccano(FIXTURES / "doccano")

    def bare(corpus: Corpus) -> list[tuple[str, str, int, int, str]]:
        return sorted(
            (a.document.id, a.annotator, s.start, s.end, s.label)
            for a in corpus.annotations
            for s in a.spans
        )

    assert bare(studio) == bare(doccano) == bare(old_studio)
    assert studio.document("news1").text == doccano.document("news1").text


def test_doccano_1x_annotations_keep_each_users_spans_apart() -> None:
    corpus = load_doccano(
        FIXTURES / "doccano-v1.jsonl",
        label_names={"1": "ACTOR_LABEL", "2": "SCARE_QUOTE", "3": "EVENT_TERM"},
        annotator_names={"2": "bob"},
    )
    assert corpus.annotators == ("bob", "user-1")
    assert len(list(corpus.spans(annotator="user-1"))) == 4
    assert corpus.document("7").metadata["outlet_note"] == "old export"


# ---------------------------------------------------------------------------
# The shipped gold corpus round-trips through every format.


def gold_corpus(repo_root: Path) -> Corpus:
    corpus = load_corpus(repo_root / "annotations")
    return attrs.evolve(corpus, annotations=corpus.annotation_sets(annotator="gold"))


def full_spans(corpus: Corpus) -> set[tuple[object, ...]]:
    return {
        (a.document.id, a.annotator, s.start, s.end, s.label, s.attributes, s.note)
        for a in corpus.annotations
        for s in a.spans
    }


def test_gold_round_trips_through_brat(repo_root: Path, tmp_path: Path) -> None:
    gold = gold_corpus(repo_root)
    assert save_brat(gold, tmp_path / "brat") == []
    back = load_brat(tmp_path / "brat", schema=gold.schema)
    assert full_spans(back) == full_spans(gold)
    assert [d.text for d in back.documents] == [d.text for d in gold.documents]


def test_gold_round_trips_through_label_studio_with_documents(
    repo_root: Path, tmp_path: Path
) -> None:
    gold = gold_corpus(repo_root)
    assert save_labelstudio(gold, tmp_path / "tasks.json") == []
    back = load_labelstudio(tmp_path / "tasks.json", schema=gold.schema)
    assert full_spans(back) == full_spans(gold)
    assert back.documents == gold.documents  # text, outlet, title, date, metadata


def test_gold_round_trips_through_doccano_without_attributes_and_says_so(
    repo_root: Path, tmp_path: Path
) -> None:
    gold = gold_corpus(repo_root)
    problems = save_doccano(gold, tmp_path / "doccano")
    assert [p.code for p in problems] == ["not-written"]
    assert "249 span(s) carry attributes or a note" in problems[0].message
    back = load_doccano(tmp_path / "doccano", schema=gold.schema)
    assert {x[:5] for x in full_spans(back)} == {x[:5] for x in full_spans(gold)}
    assert back.documents == gold.documents


def test_gold_converts_through_every_writable_format_and_back_to_native(
    repo_root: Path, tmp_path: Path
) -> None:
    gold_dir = tmp_path / "gold"
    save_corpus(gold_corpus(repo_root), gold_dir)
    for fmt, out in (("brat", "b"), ("labelstudio", "l.json"), ("doccano", "d")):
        convert(gold_dir, tmp_path / out, from_format="native", to_format=fmt)
        native = tmp_path / f"native-{fmt}"
        convert(
            tmp_path / out,
            native,
            from_format=fmt,
            to_format="native",
            read_options={"schema": load_corpus(gold_dir).schema},
        )
        spans = {x[:5] for x in full_spans(load_corpus(native))}
        assert spans == {x[:5] for x in full_spans(load_corpus(gold_dir))}, fmt


# ---------------------------------------------------------------------------
# Round trips are lossless where the format holds the data (property-based).

ALPHABET = st.sampled_from(list("ab é–“”😀\u200d👩\r\n\t%"))
SCHEMA = Schema(
    "prop",
    "1",
    [
        LabelSpec("A", attributes=[AttributeSpec("note_id", type="integer")]),
        LabelSpec("B", attributes=[AttributeSpec("flag", type="boolean")]),
        LabelSpec("C"),
    ],
    common_attributes=[AttributeSpec("target")],
)


@st.composite
def corpora(draw: st.DrawFn, *, attributes: bool = True) -> Corpus:
    texts = draw(st.lists(st.text(ALPHABET, min_size=1, max_size=30), min_size=1, max_size=3))
    docs = [Document(f"doc-{i}", t) for i, t in enumerate(texts)]
    sets = []
    for annotator in draw(st.sets(st.sampled_from(["alice", "bob b", "ç"]), min_size=1)):
        for doc in docs:
            spans = []
            for _ in range(draw(st.integers(0, 4))):
                start = draw(st.integers(0, len(doc.text) - 1))
                end = draw(st.integers(start + 1, len(doc.text)))
                label = draw(st.sampled_from(["A", "B", "C"]))
                attrs_: dict[str, object] = {}
                if attributes and draw(st.booleans()):
                    attrs_["target"] = draw(st.text(ALPHABET, min_size=1, max_size=8))
                if attributes and label == "A" and draw(st.booleans()):
                    attrs_["note_id"] = draw(st.integers(-5, 5))
                if attributes and label == "B" and draw(st.booleans()):
                    attrs_["flag"] = draw(st.booleans())
                note = draw(st.none() | st.text(ALPHABET, min_size=1, max_size=8))
                spans.append(Span(start, end, label, attributes=attrs_, note=note))
            # One label never overlaps itself (native rule): keep the first of such pairs.
            kept: list[Span] = []
            for span in spans:
                if not any(k.label == span.label and k.overlaps(span) for k in kept):
                    kept.append(span)
            if kept:
                sets.append(AnnotationSet(doc, annotator, kept))
    if not sets:  # every format keeps texts only beside some annotator's spans
        sets.append(AnnotationSet(docs[0], "alice", [Span(0, len(docs[0].text), "C")]))
    return Corpus(docs, SCHEMA, sets)


def comparable(corpus: Corpus, *, attributes: bool = True) -> set[tuple[object, ...]]:
    return {
        (a.document.id, a.document.text, a.annotator, s.start, s.end, s.label)
        + ((s.attributes, s.note) if attributes else ())
        for a in corpus.annotations
        for s in a.spans
    }


def brat_holds(corpus: Corpus) -> bool:
    # brat cannot start or end a span with a line break, nor put one in a note line end.
    for doc, span in corpus.spans():
        covered = doc.covered_text(span)
        if covered[0] in "\r\n" or covered[-1] in "\r\n":
            return False
        if span.note is not None and "\r" in span.note:
            return False
        if any(isinstance(v, str) and ("\r" in v or "\n" in v) for v in span.attributes.values()):
            return False
    return True


@settings(max_examples=40)
@given(corpora())
def test_native_to_brat_to_native_is_lossless(corpus: Corpus) -> None:
    import tempfile

    if not brat_holds(corpus):
        return
    with tempfile.TemporaryDirectory() as folder:
        save_brat(corpus, Path(folder) / "b")
        back = load_brat(Path(folder) / "b", schema=SCHEMA)
    assert comparable(back) == comparable(corpus)


@settings(max_examples=40)
@given(corpora(), st.sampled_from(["codepoint", "utf16"]))
def test_native_to_label_studio_to_native_is_lossless(corpus: Corpus, unit: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        save_labelstudio(corpus, Path(folder) / "t.json", unit=unit)  # type: ignore[arg-type]
        back = load_labelstudio(Path(folder) / "t.json", schema=SCHEMA, unit=unit)  # type: ignore[arg-type]
    assert comparable(back) == comparable(corpus)
    assert back.documents == corpus.documents


@settings(max_examples=40)
@given(corpora(attributes=False), st.sampled_from(["codepoint", "utf16"]))
def test_native_to_doccano_to_native_keeps_offsets_and_labels(corpus: Corpus, unit: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        save_doccano(corpus, Path(folder) / "d", unit=unit)  # type: ignore[arg-type]
        back = load_doccano(Path(folder) / "d", unit=unit, schema=SCHEMA)  # type: ignore[arg-type]
    assert comparable(back, attributes=False) == comparable(corpus, attributes=False)


# ---------------------------------------------------------------------------
# Policies: nothing the target cannot hold is dropped or moved silently.


def grouped_corpus() -> Corpus:
    doc = Document("d", "The 👩‍👩‍👧 family saw it")
    spans = [Span(0, 3, "A", group="g1"), Span(10, 16, "A", group="g1"), Span(4, 9, "B")]
    return Corpus([doc], SCHEMA, [AnnotationSet(doc, "alice", spans)])


def test_a_discontinuous_span_is_an_error_for_label_studio_by_default(tmp_path: Path) -> None:
    with pytest.raises(AnnotationError, match="holds no discontinuous spans") as info:
        save_labelstudio(grouped_corpus(), tmp_path / "t.json")
    assert [p.code for p in info.value.problems] == ["discontinuous"]
    assert not (tmp_path / "t.json").exists()


@pytest.mark.parametrize(
    ("policy", "expected", "code"),
    [
        ("split", {(0, 3, "A"), (10, 16, "A"), (4, 9, "B")}, "fit-split"),
        ("hull", {(0, 16, "A"), (4, 9, "B")}, "fit-hull"),
        ("skip", {(4, 9, "B")}, "fit-skip"),
    ],
)
def test_discontinuous_policies_change_spans_and_report_each_change(
    tmp_path: Path, policy: str, expected: set[tuple[int, int, str]], code: str
) -> None:
    problems = save_labelstudio(grouped_corpus(), tmp_path / "t.json", on_discontinuous=policy)  # type: ignore[arg-type]
    assert [(p.code, p.severity) for p in problems] == [(code, "warning")]
    assert spans_of(load_labelstudio(tmp_path / "t.json")) == expected


def test_brat_keeps_a_discontinuous_span_as_one_annotation(tmp_path: Path) -> None:
    assert save_brat(grouped_corpus(), tmp_path / "b") == []
    ann = (tmp_path / "b" / "alice" / "d.ann").read_text(encoding="utf-8")
    assert "A 0 3;10 16\tThe family" in ann
    back = load_brat(tmp_path / "b")
    assert len({s.group for _, s in back.spans() if s.label == "A"}) == 1


@pytest.mark.parametrize(
    ("policy", "expected", "codes"),
    [
        ("report", None, ["overlap"]),
        ("split", {(0, 5, "A"), (5, 9, "B")}, ["fit-split"]),
        ("skip", {(0, 5, "A")}, ["fit-skip"]),
        ("hull", None, ["overlap"]),  # two labels cannot become one span
    ],
)
def test_overlap_policies_for_a_format_without_overlaps(
    policy: str, expected: set[tuple[int, int, str]] | None, codes: list[str]
) -> None:
    doc = Document("d", "a b c d e")
    aset = AnnotationSet(doc, "x", [Span(0, 5, "A"), Span(2, 9, "B")])
    entries, problems = fit_spans(aset, overlap=False, discontinuous=False, on_overlap=policy)  # type: ignore[arg-type]
    assert [p.code for p in problems] == codes
    if expected is not None:
        assert {(e[0].start, e[0].end, e[0].label) for e in entries} == expected
        assert all(p.severity == "warning" for p in problems)
    else:
        assert all(p.severity == "error" for p in problems)


def test_hull_merges_overlapping_spans_of_one_label() -> None:
    doc = Document("d", "a b c d e")
    aset = AnnotationSet(doc, "x", [Span(0, 5, "A"), Span(2, 9, "A", attributes={"k": "v"})])
    entries, problems = fit_spans(aset, overlap=False, discontinuous=False, on_overlap="hull")
    assert [(e[0].start, e[0].end) for e in entries] == [(0, 9)]
    assert [p.code for p in problems] == ["fit-hull"]


def test_doccano_without_overlap_applies_the_policy(tmp_path: Path) -> None:
    corpus = READERS["doccano"]()
    with pytest.raises(AnnotationError) as info:
        save_doccano(corpus, tmp_path / "d", overlap=False)
    assert {p.code for p in info.value.errors} == {"overlap"}
    problems = save_doccano(corpus, tmp_path / "d", overlap=False, on_overlap="skip")
    assert {p.code for p in problems} == {"fit-skip"}


def test_brat_refuses_a_label_with_a_space(tmp_path: Path) -> None:
    doc = Document("d", "Name calling here")
    corpus = Corpus([doc], SCHEMA, [AnnotationSet(doc, "a", [Span(0, 4, "Loaded Language")])])
    with pytest.raises(AnnotationError, match="holds whitespace, which a brat type cannot"):
        save_brat(corpus, tmp_path / "b")
    assert not (tmp_path / "b").exists()


def test_convert_renames_labels_with_label_map(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    region = {
        "id": "r",
        "type": "labels",
        "from_name": "label",
        "to_name": "text",
        "value": {"start": 0, "end": 4, "text": "Name", "labels": ["Loaded Language"]},
    }
    task = {
        "data": {"text": "Name calling"},
        "annotations": [{"completed_by": 1, "result": [region]}],
    }
    source.write_text(json.dumps([task]), encoding="utf-8")
    with pytest.raises(AnnotationError, match="cannot be a schema label"):
        convert(source, tmp_path / "b", from_format="labelstudio", to_format="brat")
    convert(
        source,
        tmp_path / "b",
        from_format="labelstudio",
        to_format="brat",
        read_options={"label_map": {"Loaded Language": "Loaded_Language"}},
    )
    assert "Loaded_Language 0 4" in (tmp_path / "b" / "user-1" / "task-1.ann").read_text("utf-8")


# ---------------------------------------------------------------------------
# Output files: never overwritten unless asked, never outside the folder.


def test_convert_never_overwrites_unless_asked(tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        convert(
            FIXTURES / "brat",
            out,
            from_format="brat",
            to_format="labelstudio",
            on_discontinuous="split",
        )
    assert out.read_text(encoding="utf-8") == "keep me"
    convert(
        FIXTURES / "brat",
        out,
        from_format="brat",
        to_format="labelstudio",
        overwrite=True,
        on_discontinuous="split",
    )
    assert out.read_text(encoding="utf-8").startswith("[")


@pytest.mark.parametrize(
    "doc_id",
    ["../escape", "/etc/passwd", "a/b", "nul", "CON.txt", "x\x00y", "C:evil", "..", ".hidden"],
)
def test_file_names_from_ids_stay_in_the_output_folder_and_decode_back(
    tmp_path: Path, doc_id: str
) -> None:
    stem = safe_file_stem(doc_id)
    assert "/" not in stem
    assert "\\" not in stem
    assert "\x00" not in stem
    assert ".." not in stem
    assert stem.split(".")[0].lower() not in {"con", "nul"}
    assert decode_file_stem(stem) == doc_id
    doc = Document(doc_id.replace("\x00", "0"), "Some text")
    corpus = Corpus([doc], SCHEMA, [AnnotationSet(doc, "../who", [Span(0, 4, "A")])])
    out = tmp_path / "out"
    save_brat(corpus, out)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(out in p.parents for p in written)
    assert load_brat(out).document(doc.id).text == "Some text"


def test_ids_that_differ_only_in_case_are_refused(tmp_path: Path) -> None:
    docs = [Document("Doc", "x y"), Document("doc", "x y")]
    corpus = Corpus(docs, SCHEMA, [AnnotationSet(d, "a", [Span(0, 1, "A")]) for d in docs])
    with pytest.raises(BiaskitError, match="case-insensitive"):
        save_brat(corpus, tmp_path / "b")


def test_an_id_too_long_for_a_file_name_is_refused() -> None:
    with pytest.raises(BiaskitError, match="too long"):
        safe_file_stem("é" * 100)


# ---------------------------------------------------------------------------
# validate_foreign and the registry.


def test_validate_foreign_gives_native_style_problems(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "d.txt").write_text("😀 killed him", encoding="utf-8")
    (folder / "d.ann").write_text("T1\tEVENT_TERM 3 9\tkilled\nT1\tX 0 1\t😀\n", encoding="utf-8")
    problems = validate_foreign(folder, "brat")
    assert [(p.path, p.line, p.code) for p in problems] == [
        (str(folder / "d.ann"), 1, "text-mismatch"),
        (str(folder / "d.ann"), 2, "duplicate-id"),
    ]
    assert "fit utf16 offsets" in problems[0].message


def test_validate_foreign_reports_warnings_native_reports(tmp_path: Path) -> None:
    problems = validate_foreign(FIXTURES / "brat", "brat")
    codes = sorted(p.code for p in problems)
    assert codes == ["newline-style", "not-read", "span-edge"]
    edge = next(p for p in problems if p.code == "span-edge")
    assert edge.line == 7
    assert "[49, 57)" in edge.message


def test_unknown_formats_and_policies_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(BiaskitError, match="unknown format 'conll'"):
        validate_foreign(tmp_path, "conll")
    with pytest.raises(BiaskitError, match="on_overlap must be one of"):
        convert(tmp_path, tmp_path / "x", from_format="brat", to_format="csv", on_overlap="drop")  # type: ignore[arg-type]
    with pytest.raises(BiaskitError, match="does not read it"):
        load_foreign(tmp_path, "csv")


def test_the_registry_describes_every_format() -> None:
    assert list(FORMATS) == [
        "native", "brat", "labelstudio", "doccano", "inception", "spacy", "csv", "ptc", "basil"
    ]  # fmt: skip
    assert FORMATS["brat"].discontinuous
    assert not FORMATS["labelstudio"].discontinuous
    assert FORMATS["inception"].extra == "inception"
