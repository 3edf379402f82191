"""The model's invariants: documents, spans, annotation sets, the schema and the corpus."""

from __future__ import annotations

import hashlib
import pickle
from typing import Any

import attrs
import pytest

from biaskit import (
    AnnotationSet,
    AttributeSpec,
    Corpus,
    Document,
    FrozenMap,
    LabelSpec,
    Schema,
    Span,
    text_sha256,
)

# ---------------------------------------------------------------------------
# Span


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((-1, 3, "A"), ValueError, "span start must be >= 0, not -1"),
        ((0, -3, "A"), ValueError, "span end must be >= 0, not -3"),
        ((5, 5, "A"), ValueError, r"span end must be greater than start, got \[5, 5\)"),
        ((6, 5, "A"), ValueError, r"span end must be greater than start, got \[6, 5\)"),
        ((True, 5, "A"), TypeError, "span start must be an integer, not bool"),
        ((0, False, "A"), TypeError, "span end must be an integer, not bool"),
        ((0.0, 5, "A"), TypeError, "span start must be an integer, not float"),
        ((0, 5.0, "A"), TypeError, "span end must be an integer, not float"),
        (("0", 5, "A"), TypeError, "span start must be an integer, not str"),
        ((0, 5, ""), ValueError, "label must be a non-empty string without surrounding"),
        ((0, 5, "   "), ValueError, "label must be a non-empty string .*not '   '"),
        ((0, 5, " A"), ValueError, "without surrounding whitespace, not ' A'"),
        ((0, 5, "A\n"), ValueError, r"not 'A\\n'"),
        ((0, 5, None), TypeError, "label must be a string, not NoneType"),
    ],
)
def test_span_rejects_bad_offsets_and_labels(
    args: tuple[Any, ...], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        Span(*args)


@pytest.mark.parametrize(
    ("attributes", "error", "message"),
    [
        ({"x": [1]}, TypeError, "attribute 'x' must be a string, a finite number or a boolean"),
        ({"x": None}, TypeError, "not NoneType"),
        ({"x": float("nan")}, TypeError, "not float"),
        ({"x": float("inf")}, TypeError, "not float"),
        ({"": 1}, ValueError, "attribute names must not be empty"),
        ({1: "a"}, TypeError, "mapping keys must be strings, not int"),
    ],
)
def test_span_rejects_bad_attributes(
    attributes: dict[Any, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        Span(0, 1, "A", attributes=attributes)


@pytest.mark.parametrize("field", ["annotator", "note", "id", "group"])
def test_span_optional_text_fields_must_be_strings(field: str) -> None:
    with pytest.raises(TypeError, match=f"{field} must be a string or None, not int"):
        Span(0, 1, "A", **{field: 3})


def test_spans_sort_by_start_then_end_then_label() -> None:
    spans = [
        Span(4, 9, "B"),
        Span(4, 9, "A", id="z"),
        Span(0, 20, "Z"),
        Span(4, 6, "C"),
        Span(4, 9, "A", id="a"),
    ]
    assert [(s.start, s.end, s.label) for s in sorted(spans)] == [
        (0, 20, "Z"),
        (4, 6, "C"),
        (4, 9, "A"),
        (4, 9, "A"),
        (4, 9, "B"),
    ]
    # Ordering ignores the id; the file order (sort_key) breaks the tie by it.
    assert not Span(4, 9, "A", id="z") < Span(4, 9, "A", id="a")
    assert [s.id for s in sorted(spans, key=Span.sort_key)][2:4] == ["a", "z"]


def test_span_equality_includes_attributes_and_note() -> None:
    assert Span(0, 1, "A", attributes={"x": 1}) == Span(0, 1, "A", attributes={"x": 1})
    assert Span(0, 1, "A", attributes={"x": 1}) != Span(0, 1, "A", attributes={"x": 2})
    assert Span(0, 1, "A", note="n") != Span(0, 1, "A")


def test_span_is_frozen_and_hashable() -> None:
    span = Span(0, 5, "A", attributes={"voice": "source"})
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        span.start = 1  # type: ignore[misc]
    assert {span, Span(0, 5, "A", attributes={"voice": "source"})} == {span}
    assert attrs.evolve(span, end=6).end == 6
    assert span.end == 5


def test_span_geometry() -> None:
    a = Span(0, 5, "A")
    assert a.length == 5
    assert not a.overlaps(Span(5, 9, "A")), "touching spans do not overlap"
    assert a.overlaps(Span(4, 9, "B"))
    assert a.contains(Span(1, 5, "B"))
    assert not a.contains(Span(1, 6, "B"))


# ---------------------------------------------------------------------------
# FrozenMap


def test_frozen_map_is_sorted_immutable_and_hashable() -> None:
    m = FrozenMap({"b": 2, "a": 1})
    assert list(m) == ["a", "b"]
    assert m == {"a": 1, "b": 2}
    assert m == FrozenMap(a=1, b=2)
    assert m != FrozenMap(a=1)
    assert hash(m) == hash(FrozenMap([("b", 2), ("a", 1)]))
    assert len(m) == 2
    assert m["a"] == 1
    with pytest.raises(KeyError):
        m["c"]
    with pytest.raises(TypeError):
        m["c"] = 3  # type: ignore[index]
    with pytest.raises(AttributeError):
        m.x = 1  # type: ignore[attr-defined]
    assert repr(m) == "FrozenMap({'a': 1, 'b': 2})"
    assert pickle.loads(pickle.dumps(m)) == m


def test_frozen_map_copies_its_input() -> None:
    source = {"a": 1}
    m = FrozenMap(source)
    source["a"] = 2
    assert m["a"] == 1


def test_frozen_map_keyword_items_override_positional() -> None:
    assert FrozenMap({"a": 1}, a=2) == {"a": 2}


def test_frozen_map_compares_unequal_to_non_mappings() -> None:
    assert FrozenMap() != []
    assert FrozenMap(a=1) != "a"


# ---------------------------------------------------------------------------
# Document


def test_document_derives_its_sha256_from_the_exact_text() -> None:
    doc = Document("d1", "Caf\u00e9 😀\r\n")
    assert doc.sha256 == hashlib.sha256("Café 😀\r\n".encode()).hexdigest()
    assert doc.sha256 == text_sha256(doc.text)
    assert doc.sha256 != text_sha256("Café 😀\n")
    assert Document("d1", "Hello").sha256 == (
        "185f8db32271fe25f561a6fc938b2e264306ec304eda518007d1764826381969"
    )


def test_document_sha256_does_not_take_part_in_equality_beyond_the_text() -> None:
    assert Document("d", "x") == Document("d", "x")
    assert Document("d", "x") != Document("d", "y")


def test_document_sha256_is_not_an_argument() -> None:
    with pytest.raises(TypeError):
        Document("d1", "x", sha256="0" * 64)  # type: ignore[call-arg]


def test_document_keeps_text_exactly() -> None:
    text = "\ufeffA\u00a0b\r\nc\u0301 👩\u200d👧 ‘q’ مرحبا"
    assert Document("d", text).text == text


def test_document_defaults() -> None:
    doc = Document("d1", "x")
    assert (doc.outlet, doc.title, doc.url, doc.date, doc.language) == (
        "unknown",
        None,
        None,
        None,
        "en",
    )
    assert doc.metadata == {}


@pytest.mark.parametrize(
    "date", ["2020-03-10", "2020-03-10T16:12", "2020-03-10T16:12:59", "2020-02-29"]
)
def test_document_accepts_the_documented_dates(date: str) -> None:
    assert Document("d", "x", date=date).date == date


@pytest.mark.parametrize(
    "date",
    [
        "10 March",
        "2020-02-30",
        "2021-02-29",
        "2020-3-10",
        "2020-03-10 16:12",
        "2020-03-10T25:00",
        "2020-03-10T16",
        "2020-03-10T16:12Z",
        "2020-03-10T16:12:00+02:00",
        "2020-W11-2",
        "20200310",
        "２０２０-03-10",
        "",
    ],
)
def test_document_rejects_other_dates(date: str) -> None:
    with pytest.raises(ValueError, match=r"date must be ISO 8601 \(YYYY-MM-DD or"):
        Document("d", "x", date=date)


def test_document_date_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="date must be a string or None, not int"):
        Document("d", "x", date=20200310)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"id": ""}, ValueError, "id must be a non-empty string"),
        ({"id": " d1"}, ValueError, "id must be a non-empty string without surrounding"),
        ({"id": 1}, TypeError, "id must be a string, not int"),
        ({"text": None}, TypeError, "text must be a string, not NoneType"),
        ({"text": b"x"}, TypeError, "text must be a string, not bytes"),
        ({"outlet": ""}, ValueError, "outlet must be a non-empty string"),
        ({"language": " en"}, ValueError, "language must be a non-empty string"),
        ({"title": 3}, TypeError, "title must be a string or None, not int"),
        ({"url": 3}, TypeError, "url must be a string or None, not int"),
        ({"metadata": {"x": float("nan")}}, ValueError, "metadata.x must be a finite number"),
        ({"metadata": {"x": {1, 2}}}, TypeError, "metadata.x must be JSON data, not set"),
    ],
)
def test_document_rejects_bad_fields(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    fields: dict[str, Any] = {"id": "d1", "text": "x"}
    fields.update(kwargs)
    doc_id, text = fields.pop("id"), fields.pop("text")
    with pytest.raises(error, match=message):
        Document(doc_id, text, **fields)


def test_document_metadata_is_frozen_json() -> None:
    doc = Document("d", "x", metadata={"tags": ["a", "b"], "src": {"n": 1}})
    assert doc.metadata["tags"] == ("a", "b")
    assert isinstance(doc.metadata["src"], FrozenMap)
    assert hash(doc) == hash(Document("d", "x", metadata={"src": {"n": 1}, "tags": ["a", "b"]}))


def test_document_rejects_a_lone_surrogate() -> None:
    with pytest.raises(ValueError, match="text holds a lone surrogate at code point 2"):
        Document("d", "ab\ud800c")


def test_text_sha256_rejects_a_lone_surrogate() -> None:
    with pytest.raises(ValueError, match="cannot be stored as UTF-8"):
        text_sha256("\udc80")


def test_document_is_frozen() -> None:
    doc = Document("d", "x")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        doc.text = "y"  # type: ignore[misc]


def test_covered_text_counts_code_points() -> None:
    doc = Document("d", "😀 killed")
    assert doc.covered_text(Span(2, 8, "A")) == "killed"
    with pytest.raises(ValueError, match=r"span \[2, 9\) ends past the end of document 'd' \(8"):
        doc.covered_text(Span(2, 9, "A"))


# ---------------------------------------------------------------------------
# AnnotationSet


def test_annotation_set_sorts_its_spans() -> None:
    doc = Document("d", "abcdefghij")
    aset = AnnotationSet(doc, "alice", [Span(5, 6, "B"), Span(0, 3, "A"), Span(0, 2, "C")])
    assert [(s.start, s.end) for s in aset] == [(0, 2), (0, 3), (5, 6)]
    assert len(aset) == 3
    assert aset.labels == ("A", "B", "C")
    assert aset.with_label("B") == (Span(5, 6, "B"),)
    assert aset.covered_texts() == ["ab", "abc", "f"]
    assert aset.document_id == "d"


def test_annotation_set_rejects_a_span_past_the_text() -> None:
    doc = Document("d", "abc")
    with pytest.raises(ValueError, match=r"span \[1, 4\) X ends past the end of document 'd'"):
        AnnotationSet(doc, "a", [Span(1, 4, "X")])
    assert AnnotationSet(doc, "a", [Span(0, 3, "X")]).spans == (Span(0, 3, "X"),)


def test_annotation_set_rejects_another_annotators_span() -> None:
    doc = Document("d", "abc")
    with pytest.raises(
        ValueError, match=r"span \[0, 1\) X is by 'bob', but the set is by 'alice'$"
    ):
        AnnotationSet(doc, "alice", [Span(0, 1, "X", annotator="bob")])


def test_annotation_set_rejects_non_spans_and_bad_annotators() -> None:
    doc = Document("d", "abc")
    with pytest.raises(TypeError, match="spans must be Span objects, not tuple"):
        AnnotationSet(doc, "a", [(0, 1, "X")])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="annotator must be a non-empty string"):
        AnnotationSet(doc, "", [])


def test_annotation_set_is_frozen_and_hashable() -> None:
    doc = Document("d", "abc")
    aset = AnnotationSet(doc, "a", [Span(0, 1, "X")])
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        aset.annotator = "b"  # type: ignore[misc]
    assert hash(aset) == hash(AnnotationSet(doc, "a", (Span(0, 1, "X"),)))


# ---------------------------------------------------------------------------
# Schema

SCHEMA = Schema(
    "demo",
    "1.0",
    [
        LabelSpec(
            "EVENT_TERM",
            attributes=[
                AttributeSpec("register", values=("loaded", "euphemism"), required=True),
                AttributeSpec("strength", type="number"),
            ],
        ),
        LabelSpec(
            "EPITHET",
            attributes=[
                AttributeSpec("count", type="integer"),
                AttributeSpec("hedged", type="boolean"),
            ],
        ),
    ],
    common_attributes=[AttributeSpec("voice", values=("journalist", "source"))],
)


@pytest.mark.parametrize(
    ("span", "problems"),
    [
        (Span(0, 1, "EVENT_TERM", attributes={"register": "loaded"}), []),
        (
            Span(0, 1, "EVENT_TERM", attributes={"register": "loaded", "strength": 1}),
            [],
        ),
        (Span(0, 1, "EPITHET", attributes={"count": 2, "hedged": False, "voice": "source"}), []),
        (
            Span(0, 1, "FRAME"),
            [("unknown-label", "unknown label 'FRAME'; expected one of EVENT_TERM, EPITHET")],
        ),
        (
            Span(0, 1, "EPITHET", attributes={"colour": "red"}),
            [
                (
                    "unknown-attribute",
                    "unknown attribute 'colour' for EPITHET; allowed: count, hedged, voice",
                )
            ],
        ),
        (
            Span(0, 1, "EPITHET", attributes={"count": "2"}),
            [
                (
                    "attribute-value",
                    "attribute 'count' of EPITHET must be of type integer, not str '2'",
                )
            ],
        ),
        (
            Span(0, 1, "EPITHET", attributes={"count": True}),
            [
                (
                    "attribute-value",
                    "attribute 'count' of EPITHET must be of type integer, not bool True",
                )
            ],
        ),
        (
            Span(0, 1, "EPITHET", attributes={"count": 1.5}),
            [
                (
                    "attribute-value",
                    "attribute 'count' of EPITHET must be of type integer, not float 1.5",
                )
            ],
        ),
        (
            Span(0, 1, "EPITHET", attributes={"hedged": 1}),
            [
                (
                    "attribute-value",
                    "attribute 'hedged' of EPITHET must be of type boolean, not int 1",
                )
            ],
        ),
        (
            Span(0, 1, "EVENT_TERM", attributes={"register": "odd"}),
            [
                (
                    "attribute-value",
                    "attribute 'register' of EVENT_TERM must be one of 'loaded', 'euphemism', "
                    "not 'odd'",
                )
            ],
        ),
        (
            Span(0, 1, "EVENT_TERM", attributes={"voice": "reader"}),
            [
                (
                    "attribute-value",
                    "attribute 'voice' of EVENT_TERM must be one of 'journalist', 'source', "
                    "not 'reader'",
                ),
                ("missing-attribute", "EVENT_TERM requires attribute 'register'"),
            ],
        ),
        (
            Span(0, 1, "EVENT_TERM"),
            [("missing-attribute", "EVENT_TERM requires attribute 'register'")],
        ),
    ],
    ids=lambda v: v.label if isinstance(v, Span) else "",
)
def test_schema_check_span_lists_every_problem(span: Span, problems: list[tuple[str, str]]) -> None:
    found = SCHEMA.check_span(span)
    assert [(p.code, p.message) for p in found] == problems
    assert all(p.severity == "error" and p.path is None for p in found)


def test_schema_lookups() -> None:
    assert SCHEMA.label_names == ("EVENT_TERM", "EPITHET")
    assert "EPITHET" in SCHEMA
    assert "FRAME" not in SCHEMA
    assert len(SCHEMA) == 2
    assert SCHEMA.label("EPITHET").name == "EPITHET"
    with pytest.raises(KeyError, match="unknown label 'FRAME'; the schema has EVENT_TERM, EPITHET"):
        SCHEMA.label("FRAME")
    assert sorted(SCHEMA.attribute_specs("EPITHET")) == ["count", "hedged", "voice"]


def test_a_label_attribute_takes_precedence_over_a_common_one() -> None:
    schema = Schema(
        "s",
        "1",
        [LabelSpec("A", attributes=[AttributeSpec("voice", type="boolean")])],
        common_attributes=[AttributeSpec("voice")],
    )
    assert schema.check_span(Span(0, 1, "A", attributes={"voice": True})) == []
    assert [p.code for p in schema.check_span(Span(0, 1, "A", attributes={"voice": "x"}))] == [
        "attribute-value"
    ]


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (
            lambda: LabelSpec("A", color="red"),
            ValueError,
            "color of A must be '#rrggbb', not 'red'",
        ),
        (lambda: LabelSpec("A", color="#12345"), ValueError, "color of A must be '#rrggbb'"),
        (lambda: LabelSpec("1A"), ValueError, "name must be a name of letters"),
        (lambda: LabelSpec("A B"), ValueError, "name must be a name of letters"),
        (lambda: AttributeSpec("x", type="date"), ValueError, "attribute type must be one of"),  # type: ignore[arg-type]
        (lambda: AttributeSpec("x", values=()), ValueError, "lists no allowed values; use None"),
        (lambda: AttributeSpec("x", values=("a", "a")), ValueError, "lists a value twice"),
        (
            lambda: AttributeSpec("x", type="integer", values=(1, True)),
            TypeError,
            "allowed value True of attribute 'x' is not of type integer",
        ),
        (
            lambda: LabelSpec("A", attributes=[AttributeSpec("x"), AttributeSpec("x")]),
            ValueError,
            "attributes name 'x' appears twice",
        ),
        (
            lambda: Schema("s", "1", [LabelSpec("A"), LabelSpec("A")]),
            ValueError,
            "labels name 'A' appears twice",
        ),
        (
            lambda: Schema("s", " ", [LabelSpec("A")]),
            ValueError,
            "schema version must be a non-empty",
        ),
    ],
)
def test_schema_parts_reject_bad_definitions(
    build: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        build()


# ---------------------------------------------------------------------------
# Corpus

D1 = Document("d1", "The assassination.", outlet="A")
D2 = Document("d2", "The killing.", outlet="B")
D3 = Document("d3", "The strike.", outlet="A")
CORPUS = Corpus(
    [D1, D2, D3],
    Schema("demo", "1.0", [LabelSpec("EVENT_TERM"), LabelSpec("EPITHET")]),
    [
        AnnotationSet(D2, "bob", [Span(4, 11, "EVENT_TERM")]),
        AnnotationSet(D1, "alice", [Span(4, 17, "EVENT_TERM")]),
        AnnotationSet(D1, "bob", [Span(4, 17, "EVENT_TERM"), Span(0, 3, "EPITHET")]),
    ],
)


def test_corpus_looks_documents_up_by_id() -> None:
    assert CORPUS.document("d2") is D2
    assert "d3" in CORPUS
    assert "d9" not in CORPUS
    assert list(CORPUS) == [D1, D2, D3]
    assert len(CORPUS) == 3
    with pytest.raises(KeyError, match="no document 'd9' in the corpus"):
        CORPUS.document("d9")


def test_corpus_groups_by_outlet_and_annotator() -> None:
    assert CORPUS.outlets == ("A", "B")
    assert CORPUS.by_outlet("A") == (D1, D3)
    assert CORPUS.by_outlet("Z") == ()
    assert CORPUS.annotators == ("alice", "bob")
    assert [(a.document_id, a.annotator) for a in CORPUS.annotation_sets()] == [
        ("d1", "alice"),
        ("d1", "bob"),
        ("d2", "bob"),
    ]
    assert [a.document_id for a in CORPUS.annotation_sets(annotator="bob")] == ["d1", "d2"]
    assert [a.annotator for a in CORPUS.annotation_sets(document_id="d1")] == ["alice", "bob"]


def test_corpus_spans_filter_by_annotator_and_label() -> None:
    assert [(d.id, s.label) for d, s in CORPUS.spans(annotator="bob")] == [
        ("d1", "EPITHET"),
        ("d1", "EVENT_TERM"),
        ("d2", "EVENT_TERM"),
    ]
    assert [(d.id, s.start) for d, s in CORPUS.spans(label="EPITHET")] == [("d1", 0)]


def test_corpus_gives_an_empty_set_for_an_annotator_who_marked_nothing() -> None:
    empty = CORPUS.annotation_set("d3", "alice")
    assert (empty.document, empty.annotator, empty.spans) == (D3, "alice", ())
    with pytest.raises(KeyError, match="no document 'd9'"):
        CORPUS.annotation_set("d9", "alice")


def test_corpus_rejects_duplicate_document_ids() -> None:
    with pytest.raises(ValueError, match="document id 'd1' appears twice in the corpus"):
        Corpus([D1, Document("d1", "other")], CORPUS.schema)


def test_corpus_rejects_annotations_on_another_version_of_a_document() -> None:
    edited = Document("d1", "The killing.", outlet="A")
    with pytest.raises(
        ValueError, match="annotations by 'alice' were made on a different version of document 'd1'"
    ):
        Corpus([D1], CORPUS.schema, [AnnotationSet(edited, "alice", [])])


def test_corpus_rejects_annotations_of_a_missing_document() -> None:
    with pytest.raises(ValueError, match="point at document 'd2', which is not in the corpus"):
        Corpus([D1], CORPUS.schema, [AnnotationSet(D2, "alice", [])])


def test_corpus_rejects_two_sets_for_one_document_and_annotator() -> None:
    with pytest.raises(ValueError, match="two annotation sets by 'alice' for document 'd1'"):
        Corpus([D1], CORPUS.schema, [AnnotationSet(D1, "alice"), AnnotationSet(D1, "alice")])


def test_with_annotations_adds_or_replaces() -> None:
    extra = AnnotationSet(D3, "alice", [Span(4, 10, "EVENT_TERM")])
    grown = CORPUS.with_annotations([extra])
    assert grown.annotation_set("d3", "alice") == extra
    assert CORPUS.annotation_set("d3", "alice").spans == (), "the original is unchanged"
    redo = AnnotationSet(D1, "alice", [])
    replaced = CORPUS.with_annotations([redo], replace=True)
    assert replaced.annotation_set("d1", "alice") == redo
    with pytest.raises(ValueError, match="two annotation sets"):
        CORPUS.with_annotations([redo])


def test_corpus_is_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        CORPUS.documents = ()  # type: ignore[misc]
