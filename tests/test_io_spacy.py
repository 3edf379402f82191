"""spaCy interop: Doc and DocBin, read and written, misaligned spans reported, never moved."""

from __future__ import annotations

import functools
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biaskit import (
    AnnotationError,
    AnnotationSet,
    AttributeSpec,
    BiaskitError,
    Corpus,
    Document,
    LabelSpec,
    OutputExistsError,
    Schema,
    Span,
    load_corpus,
    save_corpus,
)
from biaskit.io.spacy import (
    SpacyAlignmentWarning,
    from_spacy,
    read_docbin,
    to_spacy,
    write_docbin,
)

# The fixture: every offset trap of docs/formats.md in one text.
TEXT = (
    "Café owner said the “martyr” 😀 was killed.\r\n"
    "The 👩\u200d👩\u200d👧 family  mourned – again. "
)
# (start, end, label, covered text) in code points; every one aligns to spaCy tokens.
ALIGNED = [
    (0, 4, "ACTOR_LABEL", "Café"),  # BMP non-ASCII
    (20, 28, "EPITHET", "“martyr”"),  # curly quotes; holds the next one (nested)
    (21, 27, "SCARE_QUOTE", "martyr"),
    (35, 41, "EVENT_TERM", "killed"),  # after an astral emoji
    (35, 47, "FRAME", "killed.\r\nThe"),  # across CRLF
    (44, 60, "ACTOR_LABEL", "The 👩\u200d👩\u200d👧 family"),  # a ZWJ emoji inside
    (54, 69, "EVENT_TERM", "family  mourned"),  # double space; overlaps the next
    (62, 77, "FRAME", "mourned – again"),
]
TRAILING_SPACE = (72, 79, "FRAME", "again. ")  # trailing whitespace: misaligned
HALF_WORD = (36, 40, "EVENT_TERM", "ille")  # no whole token inside

SCHEMA = Schema(
    "spacy-fixture",
    "1.0",
    [
        LabelSpec(
            name,
            attributes=[AttributeSpec("register", values=("loaded", "neutral"))],
        )
        for name in ("ACTOR_LABEL", "EPITHET", "EVENT_TERM", "FRAME", "SCARE_QUOTE")
    ],
    common_attributes=[
        AttributeSpec("weight", type="integer"),
        AttributeSpec("score", type="number"),
        AttributeSpec("hedged", type="boolean"),
    ],
)


@pytest.fixture
def spacy() -> Any:
    return pytest.importorskip("spacy", reason="spaCy interop needs the 'spacy' extra")


def _document(doc_id: str = "fixture-1") -> Document:
    return Document(
        doc_id,
        TEXT,
        outlet="Example Outlet",
        title="A “martyr” mourned",
        url="https://example.org/a",
        date="2020-01-08T10:30",
        metadata={"event": "soleimani", "tags": ["a", 2, 2.5, True, None], "nested": {"k": 1}},
    )


def _spans(rows: list[tuple[int, int, str, str]]) -> list[Span]:
    return [Span(s, e, label) for s, e, label, _ in rows]


def _rich_spans() -> list[Span]:
    """The aligned spans, carrying every field a span has."""
    spans = _spans(ALIGNED)
    spans[1] = Span(20, 28, "EPITHET", attributes={"register": "loaded", "weight": 2}, id="T7")
    spans[2] = Span(
        21, 27, "SCARE_QUOTE", attributes={"score": 0.75, "hedged": False}, note="quoted “term”"
    )
    spans[6] = Span(54, 69, "EVENT_TERM", group="g1", annotator="coder-a")
    spans[7] = Span(62, 77, "FRAME", group="g1")
    return spans


def _fixture_corpus() -> Corpus:
    d1 = _document()
    d2 = Document("fixture-2", "Short  text\r\nwith\ttabs.", outlet="Other")
    sets = [
        AnnotationSet(d1, "coder-a", _rich_spans()),
        AnnotationSet(d1, "coder-b", [Span(21, 27, "SCARE_QUOTE"), Span(21, 27, "EPITHET")]),
        AnnotationSet(d2, "coder-a", [Span(0, 5, "FRAME"), Span(13, 22, "FRAME")]),
    ]
    return Corpus([d1, d2], SCHEMA, sets)


def test_fixture_offsets_cover_the_texts_they_name() -> None:
    for start, end, _, covered in [*ALIGNED, TRAILING_SPACE, HALF_WORD]:
        assert TEXT[start:end] == covered


# ---------------------------------------------------------------------------
# to_spacy / from_spacy


def test_each_annotator_becomes_a_span_group_with_labels_and_exact_texts(spacy: Any) -> None:
    document = _document()
    doc = to_spacy(document, [AnnotationSet(document, "gold", _spans(ALIGNED))])
    assert doc.text == TEXT
    assert [(s.start_char, s.end_char, s.label_, s.text) for s in doc.spans["gold"]] == ALIGNED
    assert list(doc.ents) == []  # overlapping spans go to span groups, never to doc.ents


def test_span_key_prefix_is_put_before_the_annotator_and_removed_on_reading(spacy: Any) -> None:
    document = _document()
    sets = [AnnotationSet(document, "alice", _spans(ALIGNED[:2]))]
    doc = to_spacy(document, sets, span_key_prefix="bk:")
    assert list(doc.spans) == ["bk:alice"]
    doc.spans["other"] = [doc[0:1]]
    _, read = from_spacy(doc, span_key_prefix="bk:")
    assert read == sets


def test_from_spacy_gives_back_document_and_every_span_field(spacy: Any) -> None:
    document = _document()
    sets = [
        AnnotationSet(document, "coder-a", _rich_spans()),
        AnnotationSet(document, "coder-b", []),
    ]
    read_document, read_sets = from_spacy(to_spacy(document, sets))
    assert read_document == document
    assert read_document.metadata == document.metadata
    assert read_sets == sets


def test_an_explicit_document_id_overrides_the_stored_one(spacy: Any) -> None:
    document = _document()
    read_document, _ = from_spacy(to_spacy(document, []), document_id="renamed")
    assert read_document.id == "renamed"
    assert read_document.outlet == document.outlet


def test_spans_made_in_spacy_are_read_without_biaskit_fields(spacy: Any) -> None:
    document = _document()
    doc = to_spacy(document, [AnnotationSet(document, "gold", _rich_spans()[1:3])])
    doc.spans["gold"].append(doc.char_span(35, 41, "EVENT_TERM"))
    _, [gold] = from_spacy(doc)
    assert gold.spans == (
        _rich_spans()[1],
        _rich_spans()[2],
        Span(35, 41, "EVENT_TERM"),
    )


def test_a_plain_spacy_doc_needs_a_document_id(spacy: Any) -> None:
    doc = spacy.blank("en")("Hardliners cheered.")
    doc.spans["alice"] = [doc.char_span(0, 10, "ACTOR_LABEL")]
    with pytest.raises(AnnotationError) as info:
        from_spacy(doc)
    assert [p.code for p in info.value.problems] == ["missing-field"]
    document, [alice] = from_spacy(doc, document_id="d1")
    assert (document.id, document.text) == ("d1", "Hardliners cheered.")
    assert [document.covered_text(s) for s in alice] == ["Hardliners"]


def test_doc_ents_are_read_as_an_annotator_when_asked(spacy: Any) -> None:
    doc = spacy.blank("en")("Qassem Soleimani was killed in Baghdad.")
    doc.ents = [doc.char_span(0, 16, "PERSON"), doc.char_span(31, 38, "GPE")]
    _, sets = from_spacy(doc, document_id="d1", ents_annotator="ner")
    assert [(s.start, s.end, s.label) for s in sets[0]] == [(0, 16, "PERSON"), (31, 38, "GPE")]


def test_a_text_that_differs_from_the_stored_hash_is_an_error(spacy: Any) -> None:
    document = _document()
    doc = to_spacy(document, [AnnotationSet(document, "gold", _spans(ALIGNED[:1]))])
    doc.user_data["biaskit"]["document"]["sha256"] = "0" * 64
    with pytest.raises(AnnotationError) as info:
        from_spacy(doc)
    assert [p.code for p in info.value.problems] == ["text-hash"]


@pytest.mark.parametrize(
    ("key", "label", "code"),
    [
        ("", "X", "spacy-span-key"),  # a key naming no annotator
        (" padded ", "X", "spacy-span-key"),
        ("alice", "", "span"),  # spaCy allows an empty label; biaskit does not
    ],
)
def test_spacy_data_biaskit_cannot_hold_is_an_error_naming_it(
    spacy: Any, key: str, label: str, code: str
) -> None:
    doc = spacy.blank("en")("Hardliners cheered.")
    doc.spans[key] = [doc.char_span(0, 10, label)]
    with pytest.raises(AnnotationError) as info:
        from_spacy(doc, document_id="d1")
    assert [p.code for p in info.value.problems] == [code]
    assert repr(key) in info.value.problems[0].message


def test_a_set_over_another_document_is_refused(spacy: Any) -> None:
    other = Document("other", "Something else.")
    with pytest.raises(BiaskitError, match="over document 'other'"):
        to_spacy(_document(), [AnnotationSet(other, "a", [Span(0, 9, "X")])])


def test_a_language_spacy_lacks_is_a_biaskit_error_naming_nlp(spacy: Any) -> None:
    document = Document("d", "Text.", language="qqq")
    with pytest.raises(BiaskitError, match=r"no tokenizer for language 'qqq'.*nlp="):
        to_spacy(document, [])
    assert to_spacy(document, [], nlp=spacy.blank("en")).text == "Text."


def test_a_region_subtag_uses_the_language_tokenizer(spacy: Any) -> None:
    document = Document("d", "Colour me unimpressed.", language="en-GB")
    assert to_spacy(document, []).text == "Colour me unimpressed."


def test_an_unknown_alignment_mode_is_refused(spacy: Any) -> None:
    with pytest.raises(BiaskitError, match="alignment_mode must be one of"):
        to_spacy(_document(), [], alignment_mode="nearest")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Misaligned spans: reported with both alternatives, changed only when asked


def test_strict_reports_every_misaligned_span_with_its_contract_and_expand(spacy: Any) -> None:
    document = _document()
    spans = _spans([*ALIGNED, TRAILING_SPACE, HALF_WORD])
    with pytest.raises(AnnotationError) as info:
        to_spacy(document, [AnnotationSet(document, "gold", spans)])
    problems = info.value.problems
    assert [(p.code, p.severity) for p in problems] == [("spacy-misaligned", "error")] * 2
    half, trailing = (p.message for p in problems)  # spans are in offset order
    assert half.startswith("span [36, 40) EVENT_TERM 'ille' by 'gold' in document 'fixture-1'")
    assert "contract: none (no whole token inside); expand: [35, 41) 'killed'" in half
    assert trailing.startswith("span [72, 79) FRAME 'again. '")
    assert "contract: [72, 78) 'again.'; expand: [72, 78) 'again.'" in trailing
    assert "choose alignment_mode='contract', 'expand' or 'skip'" in str(info.value)


def test_a_span_id_is_named_in_the_report(spacy: Any) -> None:
    document = _document()
    span = Span(5, 11, "ACTOR_LABEL", id="T42")
    with pytest.raises(AnnotationError, match=r"span T42 \[5, 11\) ACTOR_LABEL 'owner '"):
        to_spacy(document, [AnnotationSet(document, "gold", [span])])


@pytest.mark.parametrize(
    ("mode", "kept", "endings"),
    [
        ("contract", [(72, 78)], ["left out", "kept as its contraction [72, 78)"]),
        ("expand", [(35, 41), (72, 78)], ["kept as its expansion [35, 41)", "expansion [72, 78)"]),
        ("skip", [], ["left out", "left out"]),
    ],
)
def test_each_alignment_mode_changes_only_misaligned_spans_and_reports_each(
    spacy: Any, mode: Any, kept: list[tuple[int, int]], endings: list[str]
) -> None:
    document = _document()
    spans = _spans([*ALIGNED, TRAILING_SPACE, HALF_WORD])
    found: list[Any] = []
    doc = to_spacy(
        document, [AnnotationSet(document, "gold", spans)], alignment_mode=mode, problems=found
    )
    got = sorted((s.start_char, s.end_char) for s in doc.spans["gold"])
    assert got == sorted([(s, e) for s, e, _, _ in ALIGNED] + kept)
    assert [p.severity for p in found] == ["warning", "warning"]
    for problem, ending in zip(found, endings, strict=True):
        assert problem.message.endswith(ending)
        assert "contract:" in problem.message
        assert "expand:" in problem.message


def test_without_a_problems_list_adjustments_are_warned(spacy: Any) -> None:
    document = _document()
    with pytest.warns(SpacyAlignmentWarning, match=r"\[72, 79\) FRAME.*kept as its expansion"):
        to_spacy(
            document,
            [AnnotationSet(document, "gold", _spans([TRAILING_SPACE]))],
            alignment_mode="expand",
        )


def test_aligned_spans_raise_no_warning(spacy: Any) -> None:
    document = _document()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        to_spacy(document, [AnnotationSet(document, "gold", _spans(ALIGNED))])


# ---------------------------------------------------------------------------
# DocBin files


def test_a_docbin_written_by_biaskit_is_read_by_spacy_with_the_right_span_texts(
    spacy: Any, tmp_path: Path
) -> None:
    out = tmp_path / "fixture.spacy"
    assert write_docbin(_fixture_corpus(), out) == []
    docs = list(spacy.tokens.DocBin().from_disk(out).get_docs(spacy.blank("en").vocab))
    assert [doc.text for doc in docs] == [TEXT, "Short  text\r\nwith\ttabs."]
    by_key = {k: [(s.text, s.label_) for s in g] for k, g in docs[0].spans.items()}
    assert by_key["coder-a"] == [(text, label) for _, _, label, text in ALIGNED]
    assert by_key["coder-b"] == [("martyr", "EPITHET"), ("martyr", "SCARE_QUOTE")]
    assert [s.text for s in docs[1].spans["coder-a"]] == ["Short", "with\ttabs"]


def test_a_docbin_round_trips_a_corpus_exactly(spacy: Any, tmp_path: Path) -> None:
    corpus = _fixture_corpus()
    write_docbin(corpus, tmp_path / "c.spacy")
    read = read_docbin(tmp_path / "c.spacy")
    assert read.documents == corpus.documents
    assert read.schema == corpus.schema
    assert set(read.annotations) == set(corpus.annotations)


def test_native_to_docbin_to_native_writes_identical_files(spacy: Any, tmp_path: Path) -> None:
    save_corpus(_fixture_corpus(), tmp_path / "a")
    write_docbin(load_corpus(tmp_path / "a"), tmp_path / "c.spacy")
    save_corpus(read_docbin(tmp_path / "c.spacy"), tmp_path / "b")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.jsonl"))
    files.append(Path("schema.json"))
    assert len(files) == 4
    for name in files:
        assert (tmp_path / "b" / name).read_bytes() == (tmp_path / "a" / name).read_bytes()


def test_the_shipped_corpus_round_trips_through_a_docbin(
    spacy: Any, tmp_path: Path, repo_root: Path
) -> None:
    corpus = load_corpus(repo_root / "annotations")
    assert write_docbin(corpus, tmp_path / "seed.spacy") == []  # strict: every span aligns
    save_corpus(corpus, tmp_path / "a")
    save_corpus(read_docbin(tmp_path / "seed.spacy"), tmp_path / "b")
    for path in sorted((tmp_path / "a").rglob("*.*")):
        name = path.relative_to(tmp_path / "a")
        assert (tmp_path / "b" / name).read_bytes() == path.read_bytes(), name
    assert len(list((tmp_path / "a" / "spans").glob("*.jsonl"))) == len(corpus.annotators)


def test_annotators_selects_whose_spans_are_written(spacy: Any, tmp_path: Path) -> None:
    write_docbin(_fixture_corpus(), tmp_path / "b.spacy", annotators=["coder-b"])
    assert read_docbin(tmp_path / "b.spacy").annotators == ("coder-b",)
    with pytest.raises(BiaskitError, match="no spans by 'nobody'"):
        write_docbin(_fixture_corpus(), tmp_path / "x.spacy", annotators=["nobody"])


def test_strict_write_reports_every_misaligned_span_and_writes_nothing(
    spacy: Any, tmp_path: Path
) -> None:
    document = _document()
    corpus = Corpus(
        [document], SCHEMA, [AnnotationSet(document, "a", _spans([TRAILING_SPACE, HALF_WORD]))]
    )
    with pytest.raises(AnnotationError) as info:
        write_docbin(corpus, tmp_path / "out.spacy")
    assert len(info.value.problems) == 2
    assert list(tmp_path.iterdir()) == []
    found = write_docbin(corpus, tmp_path / "out.spacy", alignment_mode="contract")
    assert [p.message.rsplit("; ", 1)[1] for p in found] == [
        "left out",
        "kept as its contraction [72, 78)",
    ]
    [aset] = read_docbin(tmp_path / "out.spacy").annotations
    assert [document.covered_text(s) for s in aset] == ["again."]


def test_an_existing_file_is_kept_unless_overwrite(spacy: Any, tmp_path: Path) -> None:
    out = tmp_path / "c.spacy"
    out.write_bytes(b"keep me")
    with pytest.raises(OutputExistsError):
        write_docbin(_fixture_corpus(), out)
    assert out.read_bytes() == b"keep me"
    write_docbin(_fixture_corpus(), out, overwrite=True)
    assert read_docbin(out).documents == _fixture_corpus().documents
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.spacy"]  # no temporary file left


def test_a_folder_is_not_a_docbin_path(spacy: Any, tmp_path: Path) -> None:
    with pytest.raises(BiaskitError, match="is a folder"):
        write_docbin(_fixture_corpus(), tmp_path)


def test_a_docbin_from_spacy_users_gets_ids_from_the_file_name(spacy: Any, tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    docs = [nlp("Hardliners cheered."), nlp("Moderates  hesitated.")]
    docs[0].spans["alice"] = [docs[0].char_span(0, 10, "ACTOR_LABEL")]
    docs[1].spans["alice"] = [docs[1].char_span(0, 9, "ACTOR_LABEL")]
    spacy.tokens.DocBin(docs=docs).to_disk(tmp_path / "plain.spacy")
    corpus = read_docbin(tmp_path / "plain.spacy")
    assert [d.id for d in corpus] == ["plain-1", "plain-2"]
    assert corpus.schema.label_names == ("ACTOR_LABEL",)
    assert [d.covered_text(s) for d, s in corpus.spans()] == ["Hardliners", "Moderates"]


def test_a_given_schema_replaces_the_stored_one_and_checks_the_spans(
    spacy: Any, tmp_path: Path
) -> None:
    write_docbin(_fixture_corpus(), tmp_path / "c.spacy")
    narrow = Schema("narrow", "1", [LabelSpec("FRAME")])
    with pytest.raises(AnnotationError) as info:
        read_docbin(tmp_path / "c.spacy", schema=narrow)
    problems = info.value.problems
    assert {p.code for p in problems} == {"unknown-label"}
    assert {(p.path, p.line) for p in problems} == {(str(tmp_path / "c.spacy"), 1)}


def test_a_label_that_cannot_be_a_schema_label_asks_for_a_schema(
    spacy: Any, tmp_path: Path
) -> None:
    doc = spacy.blank("en")("They are traitors.")
    doc.spans["gold"] = [doc.char_span(9, 17, "Name Calling")]
    spacy.tokens.DocBin(docs=[doc]).to_disk(tmp_path / "ptc.spacy")
    with pytest.raises(AnnotationError, match=r"'Name Calling' cannot be.*schema="):
        read_docbin(tmp_path / "ptc.spacy")


def test_duplicate_document_ids_are_located_at_their_doc(spacy: Any, tmp_path: Path) -> None:
    document = _document()
    docs = [to_spacy(document, []), to_spacy(document, [])]
    spacy.tokens.DocBin(docs=docs, store_user_data=True).to_disk(tmp_path / "dup.spacy")
    with pytest.raises(AnnotationError) as info:
        read_docbin(tmp_path / "dup.spacy")
    [problem] = info.value.problems
    assert (problem.code, problem.line) == ("duplicate-id", 2)
    assert "first in Doc 1" in problem.message


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (None, "not-found"),
        (b"", "unreadable"),
        (b"not a docbin at all", "unreadable"),
        ("truncated", "unreadable"),
        ("flipped", "unreadable"),
    ],
)
def test_unreadable_docbin_files_are_biaskit_errors_naming_the_file(
    spacy: Any, tmp_path: Path, content: bytes | str | None, code: str
) -> None:
    path = tmp_path / "bad.spacy"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        write_docbin(_fixture_corpus(), path)
        data = path.read_bytes()
        if content == "truncated":
            data = data[: len(data) // 2]
        else:
            data = data[:10] + bytes(b ^ 0xFF for b in data[10:40]) + data[40:]
        path.write_bytes(data)
    with pytest.raises(AnnotationError) as info:
        read_docbin(path)
    assert [(p.code, p.path) for p in info.value.problems] == [(code, str(path))]


def test_a_folder_is_reported_as_not_a_docbin(spacy: Any, tmp_path: Path) -> None:
    with pytest.raises(AnnotationError, match=r"expected a spaCy DocBin .* found a folder"):
        read_docbin(tmp_path)


# ---------------------------------------------------------------------------
# Properties

FRAGMENTS = [
    "The", " ", "  ", "killed", "😀", "👩\u200d👩\u200d👧", "🇮🇷", "e\u0301", "\r\n", "\n",
    "\t", "“", "”", "’s", "Café", "–", ".", ",", "al-Muhandis", "U.S.",
]  # fmt: skip


@functools.cache
def _english() -> Any:
    return pytest.importorskip("spacy").blank("en")


@st.composite
def _aligned_case(draw: st.DrawFn) -> tuple[Document, list[Span]]:
    text = "".join(draw(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=25)))
    tokens = [(t.idx, t.idx + len(t.text)) for t in _english().make_doc(text)]
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, len(tokens) - 1))
        j = draw(st.integers(i, len(tokens) - 1))
        label = draw(st.sampled_from(["FRAME", "EPITHET"]))
        spans.append(Span(tokens[i][0], tokens[j][1], label, note=draw(st.none() | st.text())))
    return Document("p", text), spans


@given(_aligned_case())
def test_spans_on_token_boundaries_round_trip_exactly(case: tuple[Document, list[Span]]) -> None:
    document, spans = case
    sets = [AnnotationSet(document, "a", spans)]
    assert from_spacy(to_spacy(document, sets)) == (document, sets)


@given(
    st.text(st.sampled_from("ab c\r\n😀é."), min_size=1, max_size=30),
    st.data(),
)
def test_any_span_is_kept_exactly_or_reported_and_never_grows_silently(
    text: str, data: st.DataObject
) -> None:
    pytest.importorskip("spacy")
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    document = Document("p", text)
    sets = [AnnotationSet(document, "a", [Span(start, end, "X")])]
    for mode in ("contract", "expand", "skip"):
        found: list[Any] = []
        doc = to_spacy(document, sets, alignment_mode=mode, problems=found)
        got = [(s.start_char, s.end_char) for s in doc.spans["a"]]
        if got == [(start, end)]:
            assert found == []
        else:
            assert len(found) == 1
            assert f"[{start}, {end}) X" in found[0].message


# ---------------------------------------------------------------------------
# Without spaCy


def test_without_spacy_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "spacy", None)  # makes `import spacy` fail
    with pytest.raises(BiaskitError, match=r'pip install "biaskit\[spacy\]"'):
        to_spacy(_document(), [])
    with pytest.raises(BiaskitError, match=r"biaskit\[spacy\]"):
        write_docbin(_fixture_corpus(), Path("never-written.spacy"))


def test_the_module_examples_run_with_spacy_installed(spacy: Any) -> None:
    # The examples carry "+SKIP" so that the doctest run without the extra
    # passes; here, with spaCy, every one of them runs.
    import doctest

    import biaskit.io.spacy as module

    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    attempted = 0
    for test in doctest.DocTestFinder().find(module):
        for example in test.examples:
            example.options.pop(doctest.SKIP, None)
        result = runner.run(test, out=lambda _text: None)
        assert result.failed == 0, f"an example of {test.name} failed"
        attempted += result.attempted
    assert attempted >= 30
