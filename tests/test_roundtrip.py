"""Property: any corpus survives save → load unchanged, and saving again is byte-identical."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biaskit import (
    AnnotationSet,
    AttributeSpec,
    Corpus,
    Document,
    LabelSpec,
    Schema,
    Span,
    load_corpus,
    save_corpus,
)

SCHEMA = Schema(
    "roundtrip",
    "2.1",
    [
        LabelSpec(
            "EVENT_TERM",
            color="#d95f02",
            description="A loaded name for an event, “quoted”.",
            attributes=[
                AttributeSpec("register", values=("loaded", "euphemism")),
                AttributeSpec("weight", type="integer"),
                AttributeSpec("score", type="number"),
                AttributeSpec("hedged", type="boolean"),
            ],
        ),
        LabelSpec("EPITHET"),
        LabelSpec(
            "SCARE_QUOTE", attributes=[AttributeSpec("level", type="integer", values=(1, 2))]
        ),
    ],
    common_attributes=[AttributeSpec("voice"), AttributeSpec("target", required=False)],
)

# Pieces news text is made of, chosen for the offset traps they set.
FRAGMENTS = [
    "The",
    " ",
    "  ",
    "killed",
    "😀",  # astral: two UTF-16 units
    "👩\u200d👩\u200d👧",  # ZWJ sequence
    "🇮🇷",  # flag pair
    "e\u0301",  # combining mark
    "\r\n",
    "\n",
    "\r",
    "\t",
    "مرحبا",  # Arabic, right to left
    "שלום",  # Hebrew
    "\u00a0",  # NBSP
    "‘",
    "’",
    "“",
    "”",
    '"',
    "\\",
    "\ufeff",
    "\u2028",
    "\x00",
]

# Any code point but a surrogate: a lone surrogate cannot be stored as UTF-8.
chars = st.characters(exclude_categories=("Cs",))
texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(chars, min_size=1, max_size=4)),
    min_size=1,
    max_size=25,
).map("".join)
notes = st.one_of(
    st.none(), st.text(st.sampled_from("ab \"'\n\r\t\\‘’😀é"), max_size=12), st.text(chars)
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(chars, max_size=6),
)
metadata = st.dictionaries(
    st.text(chars, max_size=5),
    st.recursive(
        json_scalars,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text(chars, max_size=3), inner, max_size=3)
        ),
        max_leaves=6,
    ),
    max_size=3,
)
names = st.text(st.sampled_from("abcxyz-_.é 😀"), min_size=1, max_size=8).filter(
    lambda s: s == s.strip()
)


def attribute_values(label: str) -> st.SearchStrategy[dict[str, Any]]:
    specs = SCHEMA.attribute_specs(label)
    options: dict[str, st.SearchStrategy[Any]] = {}
    for name, spec in specs.items():
        if spec.values is not None:
            options[name] = st.sampled_from(spec.values)
        elif spec.type == "integer":
            options[name] = st.integers()
        elif spec.type == "number":
            options[name] = st.one_of(
                st.integers(), st.floats(allow_nan=False, allow_infinity=False)
            )
        elif spec.type == "boolean":
            options[name] = st.booleans()
        else:
            options[name] = st.text(chars, max_size=8)
    return st.fixed_dictionaries({}, optional=options)


@st.composite
def spans_over(draw: st.DrawFn, text: str, doc_id: str) -> list[Span]:
    n = len(text)
    spans: list[Span] = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, n - 1))
        end = draw(st.integers(start + 1, n))
        label = draw(st.sampled_from(SCHEMA.label_names))
        span = Span(
            start,
            end,
            label,
            attributes=draw(attribute_values(label)),
            note=draw(notes),
            id=draw(st.one_of(st.none(), st.sampled_from([f"{doc_id}-1", "x", "y", "n’é"]))),
            group=draw(st.one_of(st.none(), st.sampled_from(["g1", "g2"]))),
        )
        # Same-label overlaps are an error the reader rejects; other labels may overlap.
        if not any(s.label == span.label and s.overlaps(span) for s in spans):
            spans.append(span)
    return spans


@st.composite
def corpora(draw: st.DrawFn) -> Corpus:
    count = draw(st.integers(1, 4))
    documents = [
        Document(
            f"d{i}",
            draw(texts),
            outlet=draw(st.sampled_from(["RT", "Al Jazeera", "Fox News", "unknown"])),
            title=draw(st.one_of(st.none(), st.text(chars, max_size=10))),
            url=draw(st.one_of(st.none(), st.just("https://example.org/a?b=1&c=“2”"))),
            date=draw(
                st.sampled_from([None, "2020-01-03", "2020-01-03T16:12", "2020-01-03T16:12:05"])
            ),
            language=draw(st.sampled_from(["en", "ar", "he"])),
            metadata=draw(metadata),
        )
        for i in range(count)
    ]
    annotators = draw(st.lists(names, min_size=0, max_size=3, unique=True))
    sets = []
    for annotator in annotators:
        used_ids: set[str] = set()
        for doc in documents:
            spans = []
            for span in draw(spans_over(doc.text, doc.id)):
                # Span ids are unique within one annotator's file.
                if span.id is not None and span.id in used_ids:
                    span = Span(
                        span.start,
                        span.end,
                        span.label,
                        attributes=span.attributes,
                        note=span.note,
                        group=span.group,
                    )
                if span.id is not None:
                    used_ids.add(span.id)
                spans.append(span)
            if spans:
                sets.append(AnnotationSet(doc, annotator, spans))
    return Corpus(documents, SCHEMA, sets)


def typed(attributes: Any) -> list[tuple[str, str, Any]]:
    """Attributes with their types: FrozenMap equality would take True for 1."""
    return [(k, type(v).__name__, v) for k, v in attributes.items()]


def span_facts(corpus: Corpus) -> list[tuple[Any, ...]]:
    return sorted(
        (
            aset.annotator,
            aset.document.id,
            span.start,
            span.end,
            span.label,
            typed(span.attributes),
            span.note,
            span.group,
        )
        for aset in corpus.annotations
        for span in aset.spans
    )


def given_ids(corpus: Corpus) -> list[tuple[str, str, int, int, str, str]]:
    return sorted(
        (aset.annotator, aset.document.id, span.start, span.end, span.label, span.id)
        for aset in corpus.annotations
        for span in aset.spans
        if span.id is not None
    )


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(corpora())
def test_save_load_keeps_everything_and_saving_again_is_byte_identical(corpus: Corpus) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        first, second = Path(tmp, "first"), Path(tmp, "second")
        save_corpus(corpus, first)
        loaded = load_corpus(first)

        assert loaded.documents == corpus.documents
        assert [repr(d) for d in loaded.documents] == [repr(d) for d in corpus.documents]
        assert [d.sha256 for d in loaded.documents] == [d.sha256 for d in corpus.documents]
        assert loaded.schema == corpus.schema
        assert span_facts(loaded) == span_facts(corpus)
        assert set(given_ids(corpus)) <= set(given_ids(loaded))
        assert all(s.id is not None for a in loaded.annotations for s in a.spans)

        save_corpus(loaded, second)
        assert files(second) == files(first)
