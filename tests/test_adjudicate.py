"""Merging annotators into gold: each method, conflicts, carried sets, properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biaskit import AnnotationSet, Document, Span
from biaskit.adjudicate import adjudicate, conflicts_to_dicts, render_conflicts

TEXT = "The US assassinated the legendary general near Baghdad airport."
#       0123456789012345678901234567890123456789012345678901234567890123
DOC = Document("d", TEXT)


def aset(who: str, *spans: tuple[int, int, str]) -> AnnotationSet:
    return AnnotationSet(DOC, who, [Span(s, e, label) for s, e, label in spans])


def merged(result) -> list[tuple[str, str]]:
    return [(TEXT[s.start : s.end], s.label) for g in result.sets for s in g.spans]


A = aset("a", (7, 19, "EVENT_TERM"), (24, 41, "EPITHET"))
B = aset("b", (7, 19, "EVENT_TERM"), (24, 33, "EPITHET"), (47, 62, "ACTOR_LABEL"))


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("token-majority", [("assassinated", "EVENT_TERM"), ("legendary", "EPITHET")]),
        ("exact-majority", [("assassinated", "EVENT_TERM")]),
        ("intersection", [("assassinated", "EVENT_TERM"), ("legendary", "EPITHET")]),
        (
            "union",
            [
                ("Baghdad airport", "ACTOR_LABEL"),
                ("assassinated", "EVENT_TERM"),
                ("legendary general", "EPITHET"),
            ],
        ),
    ],
)
def test_each_method_merges_two_annotators_as_specified(method: str, expected) -> None:
    result = adjudicate([A, B], method=method)
    assert sorted(merged(result), key=lambda t: t[1]) == sorted(expected, key=lambda t: t[1])
    assert all(s.annotator == "gold" for g in result.sets for s in g.spans)


def test_a_lower_threshold_lets_one_of_two_annotators_carry_a_token() -> None:
    result = adjudicate([A, B], method="token-majority", threshold=0.0)
    assert ("Baghdad airport", "ACTOR_LABEL") in merged(result)
    assert ("legendary general", "EPITHET") in merged(result)


def test_three_annotators_majority_needs_two_votes() -> None:
    c = aset("c", (24, 33, "EPITHET"))
    result = adjudicate([A, B, c], method="exact-majority")
    assert sorted(merged(result)) == [("assassinated", "EVENT_TERM"), ("legendary", "EPITHET")]


def test_conflicts_name_their_kind_and_every_version() -> None:
    result = adjudicate([A, B], method="token-majority")
    kinds = [(c.kind, TEXT[c.start : c.end]) for c in result.conflicts]
    assert kinds == [("boundary", "legendary general"), ("missing", "Baghdad airport")]
    boundary = result.conflicts[0]
    assert [who for who, _ in boundary.versions] == ["a", "b"]
    assert [TEXT[s.start : s.end] for s in boundary.versions[0][1]] == ["legendary general"]
    assert [TEXT[s.start : s.end] for s in boundary.resolution] == ["legendary"]


def test_label_and_attribute_disagreements_are_conflicts() -> None:
    a = AnnotationSet(DOC, "a", [Span(7, 19, "EVENT_TERM", attributes={"register": "loaded"})])
    b = AnnotationSet(DOC, "b", [Span(7, 19, "EVENT_TERM", attributes={"register": "neutral"})])
    c = AnnotationSet(DOC, "c", [Span(7, 19, "EPITHET")])
    assert [x.kind for x in adjudicate([a, b]).conflicts] == ["attribute"]
    assert [x.kind for x in adjudicate([a, c]).conflicts] == ["label"]
    # Attribute ties go to the first annotator in the order given.
    gold = adjudicate([a, b], annotators=["b", "a"]).sets[0].spans[0]
    assert gold.attributes["register"] == "neutral"


def test_agreeing_annotators_give_their_spans_and_no_conflict() -> None:
    result = adjudicate([A, aset("b", (7, 19, "EVENT_TERM"), (24, 41, "EPITHET"))])
    assert result.conflicts == ()
    assert merged(result) == [("assassinated", "EVENT_TERM"), ("legendary general", "EPITHET")]


def test_carried_sets_are_copied_unchanged_into_gold() -> None:
    boiler = AnnotationSet(DOC, "biaskit-clean", [Span(47, 62, "BOILERPLATE")])
    result = adjudicate([A, B], carry=[boiler])
    assert ("Baghdad airport", "BOILERPLATE") in merged(result)


def test_reports_render_as_text_and_json() -> None:
    result = adjudicate([A, B])
    text = render_conflicts(result, {"d": DOC})
    assert "a: EPITHET [24, 41) 'legendary general'" in text
    assert "=> gold: EPITHET [24, 33) 'legendary'" in text
    records = conflicts_to_dicts(result)
    assert records[0]["versions"]["b"][0] == {
        "start": 24,
        "end": 33,
        "label": "EPITHET",
        "attributes": {},
        "id": None,
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "vote"}, "unknown merge method 'vote'"),
        ({"threshold": 1.0}, r"threshold must be in \[0, 1\)"),
        ({"annotators": ["a"]}, "at least two annotators"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        adjudicate([A, B], **kwargs)


spans_st = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 12), st.sampled_from(["X", "Y"])), max_size=5
)


def _set(who: str, raw) -> AnnotationSet:
    chosen: list[Span] = []
    for start, length, label in raw:
        span = Span(start, min(start + length, len(TEXT)), label)
        if not any(s.label == label and s.overlaps(span) for s in chosen):
            chosen.append(span)
    return AnnotationSet(DOC, who, chosen)


def _covered(result, label: str) -> set[int]:
    return {
        i for g in result.sets for s in g.spans if s.label == label for i in range(s.start, s.end)
    }


@given(spans_st, spans_st)
def test_union_covers_majority_which_covers_intersection(raw_a, raw_b) -> None:
    sets = [_set("a", raw_a), _set("b", raw_b)]
    for label in ("X", "Y"):
        union = _covered(adjudicate(sets, method="union"), label)
        inter = _covered(adjudicate(sets, method="intersection"), label)
        majority = _covered(adjudicate(sets, method="token-majority"), label)
        assert majority <= union
        assert inter <= union
        assert majority <= inter  # with two annotators, a majority token is covered by both


@given(spans_st)
def test_identical_annotators_never_conflict_and_give_back_their_spans(raw) -> None:
    a, b = _set("a", raw), _set("b", raw)
    own = sorted((s.start, s.end, s.label) for s in a.spans)
    for method in ("union", "exact-majority"):
        result = adjudicate([a, b], method=method)
        assert result.conflicts == ()
        assert sorted((s.start, s.end, s.label) for g in result.sets for s in g.spans) == own
    # Intersection joins touching spans, so compare the characters covered.
    inter = adjudicate([a, b], method="intersection")
    assert inter.conflicts == ()
    for label in ("X", "Y"):
        assert _covered(inter, label) == {
            i for s in a.spans if s.label == label for i in range(s.start, s.end)
        }
