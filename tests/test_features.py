"""Token and span features of the baseline classifier."""

from __future__ import annotations

import itertools
import re
import zlib

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from biaskit import Document, Span
from biaskit.features import (
    RULE_LABELS,
    SPAN_NUMBERS,
    span_edges,
    span_numbers,
    span_rows,
    span_texts,
    token_codes,
    token_frame,
    token_targets,
)


def test_frame_places_tokens_in_documents_and_sentences() -> None:
    docs = [Document("a", "One two. Three!"), Document("b", "Four")]
    frame = token_frame(docs)
    assert frame.doc.tolist() == [0, 0, 0, 0, 0, 1]
    assert frame.sentence.tolist() == [0, 0, 0, 1, 1, 2]
    assert frame.words[3] == "three"
    assert [s.stop - s.start for s in frame.document_slices()] == [5, 1]


def test_boilerplate_spans_block_the_tokens_they_overlap() -> None:
    doc = Document("a", "Real text.\nShare this story!")
    frame = token_frame([doc], [[Span(11, 28, "BOILERPLATE"), Span(0, 4, "OTHER")]])
    blocked = [w for w, b in zip(frame.raw, frame.blocked, strict=True) if b]
    assert blocked == ["Share", "this", "story", "!"]


def test_window_codes_do_not_cross_documents_and_equal_words_share_codes() -> None:
    docs = [Document("a", "x y"), Document("b", "y x")]
    codes = token_codes(token_frame(docs), window=1)
    # columns: w-1, w0, w+1, ...
    assert codes[0, 1] == codes[3, 1]  # "x" in both documents
    assert codes[1, 2] == codes[3, 2]  # both last tokens of their document: padding after
    assert codes[2, 0] == codes[0, 0]  # both first tokens: padding before
    assert codes[1, 0] == codes[3, 1]  # "x" before "y" in a, "x" itself in b


def test_codes_are_stable_across_calls_and_processes() -> None:
    doc = Document("a", "Stable codes for “quoted” words.")
    first = token_codes(token_frame([doc]))
    second = token_codes(token_frame([doc]))
    assert np.array_equal(first, second)
    # CRC-32 of "stable", not Python's randomised hash():
    assert int(first[0, 2]) == zlib.crc32(b"stable")


def test_quote_column_marks_tokens_inside_double_quotes() -> None:
    doc = Document("a", "He said “go home” now.")
    frame = token_frame([doc])
    codes = token_codes(frame, window=0)
    inside = [frame.raw[i] for i in range(len(frame)) if codes[i, 3] == 1]
    assert inside == ["go", "home"]


def test_rule_columns_mark_tokens_covered_by_rule_spans() -> None:
    doc = Document("a", "Officials say it is unclear.")
    frame = token_frame([doc])
    rules = [[Span(10, 13, "ATTRIBUTION"), Span(20, 27, "EPISTEMIC")]]
    codes = token_codes(frame, window=0, rule_spans=rules)
    tail = codes[:, -len(RULE_LABELS) :]
    attribution = tail[:, RULE_LABELS.index("ATTRIBUTION")]
    epistemic = tail[:, RULE_LABELS.index("EPISTEMIC")]
    assert [frame.raw[i] for i in np.flatnonzero(attribution)] == ["say"]
    assert [frame.raw[i] for i in np.flatnonzero(epistemic)] == ["unclear"]


def test_targets_need_half_a_token_covered_and_labels_are_separate_layers() -> None:
    doc = Document("a", "abcd efgh ijkl")
    frame = token_frame([doc])
    spans = [[Span(0, 2, "A"), Span(5, 7, "A"), Span(5, 14, "B")]]
    y = token_targets(frame, spans, ["A", "B"])
    assert y[:, 0].tolist() == [True, True, False]
    assert y[:, 1].tolist() == [False, True, True]


def test_span_texts_describe_text_context_and_repetition() -> None:
    doc = Document("a", "Title\nThey are traitors, traitors I say!")
    text, context, numbers = span_texts(doc, Span(15, 23, "X"))
    assert text == "traitors"
    assert context.split() == ["L_title", "L_they", "L_are", "R_,", "R_traitors", "R_i"]
    assert numbers[1] == np.log1p(1)  # one other occurrence of "traitors"
    assert numbers[6] == 0.0  # not in the title line


# ------------------------------------------------------- spans among other spans


def _numbers(doc: Document, span: Span, others: list[Span]) -> dict[str, float]:
    return dict(zip(SPAN_NUMBERS, span_numbers(doc, span, others), strict=True))


def test_span_numbers_are_named_one_by_one() -> None:
    doc = Document("a", "Some text here.")
    assert len(span_numbers(doc, Span(0, 4, "X"), [])) == len(SPAN_NUMBERS) == 32


def test_repetition_numbers_see_a_repeated_phrase() -> None:
    doc = Document("a", "Take back control. They want to take back control!\nNothing else.")
    second = Span(32, 49, "X")
    assert doc.text[second.start : second.end] == "take back control"
    alone = _numbers(doc, second, [])
    assert alone["text_before"] == 1.0
    assert alone["log_text_before"] == np.log1p(1)
    assert alone["log_text_after"] == 0.0
    assert alone["words_elsewhere"] == 1.0  # take, back, control all occur before
    assert alone["bigrams_elsewhere"] == 1.0  # (take, back), (back, control) too
    assert alone["bigrams_elsewhere_over_half"] == 1.0
    assert alone["has_same_text"] == 0.0  # no other span is given...
    assert alone["max_jaccard"] == 0.0
    first = Span(0, 17, "X")
    together = _numbers(doc, second, [first])
    assert together["has_same_text"] == 1.0  # ...now one is, with the same text
    assert together["max_jaccard"] == 1.0
    assert together["jaccard_over_half"] == 1.0
    assert together["line_exclamation_mark"] == 1.0
    assert together["ends_line"] == 1.0  # only "!" follows it on its line
    fresh = _numbers(doc, Span(51, 58, "X"), [first])  # "Nothing": said once
    assert fresh["words_elsewhere"] == 0.0
    assert fresh["text_before"] == 0.0
    assert fresh["starts_line"] == 1.0


def test_span_numbers_count_copies_nested_and_overlapping_other_spans() -> None:
    doc = Document("a", "one two three four five six")
    span = Span(4, 18, "X")  # "two three four"
    others = [
        Span(4, 18, "Y"),  # a copy
        Span(8, 13, "Y"),  # inside
        Span(0, 23, "Y"),  # around
        Span(14, 27, "Y"),  # overlapping only
        Span(24, 27, "Y"),  # apart
    ]
    n = _numbers(doc, span, others)
    assert n["log_same_offsets"] == np.log1p(1)
    assert n["has_same_offsets"] == 1.0
    assert n["log_same_text"] == np.log1p(1)  # the copy has the same text
    assert n["log_spans_inside"] == np.log1p(1)
    assert n["log_spans_around"] == np.log1p(1)
    # every other span but the copy and the one apart overlaps it
    assert n["log_spans_overlapping"] == np.log1p(3)
    assert n["log_spans_in_document"] == np.log1p(6)
    assert n["log_words"] == np.log1p(3)
    assert n["at_most_3_words"] == 1.0
    assert n["one_word"] == 0.0
    assert n["position"] == 4 / len(doc.text)


def _rest_numbers_by_brute_force(text: str, spans: list[tuple[int, int]], i: int) -> list[float]:
    """The five repetition numbers, recomputed by re-reading the rest of the text each time."""
    s, e = spans[i]
    words = [w.lower() for w in re.findall(r"\w+", text[s:e]) if len(w) > 2]
    rest = re.findall(r"\w+", (text[:s] + " " + text[e:]).lower())
    found = sum(w in set(rest) for w in words) / max(len(words), 1)
    pairs = list(itertools.pairwise(words))
    rest_pairs = set(itertools.pairwise(rest))
    found_pairs = sum(p in rest_pairs for p in pairs) / max(len(pairs), 1)
    best = 0.0
    mine = set(words)
    for a, b in spans:
        if a < e and b > s:
            continue
        theirs = {w.lower() for w in re.findall(r"\w+", text[a:b]) if len(w) > 2}
        if mine and theirs:
            best = max(best, len(mine & theirs) / len(mine | theirs))
    return [found, found_pairs, best, float(best > 0.5), float(found_pairs > 0.5)]


@given(
    words=st.lists(st.sampled_from(["war", "peace", "lies", "they", "a", "WAR"]), min_size=1),
    seps=st.lists(st.sampled_from([" ", ", ", "\n", "! "]), min_size=1),
    cuts=st.lists(st.tuples(st.integers(0, 200), st.integers(1, 60)), min_size=1, max_size=6),
)
def test_repetition_numbers_equal_a_brute_force_recount(
    words: list[str], seps: list[str], cuts: list[tuple[int, int]]
) -> None:
    text = "".join(w + seps[i % len(seps)] for i, w in enumerate(words))
    spans = sorted({(a % len(text), min(a % len(text) + n, len(text))) for a, n in cuts})
    spans = [(a, b) for a, b in spans if b > a]
    assume(spans)
    doc = Document("a", text)
    rows = span_rows(doc, [Span(a, b, "X") for a, b in spans])
    for i in range(len(spans)):
        assert rows[i][3][-5:] == pytest.approx(_rest_numbers_by_brute_force(text, spans, i))


def test_span_rows_describe_each_span_among_the_rest() -> None:
    doc = Document("a", "Lies and lies. More LIES!")
    spans = [Span(0, 4, "X"), Span(9, 13, "X"), Span(20, 24, "X")]
    rows = span_rows(doc, spans)
    assert [r[0] for r in rows] == ["Lies", "lies", "LIES"]
    assert rows[2][2] == "F_lies LA_lies NW_1"
    for i, (text, context, _, numbers) in enumerate(rows):
        own_text, own_context, old = span_texts(doc, spans[i])
        assert (text, context) == (own_text, own_context)
        rest = spans[:i] + spans[i + 1 :]
        assert numbers == old + span_numbers(doc, spans[i], rest)
    assert span_rows(doc, []) == []


def test_span_edges_give_first_last_word_and_capped_length() -> None:
    doc = Document("a", "the " * 20)
    assert span_edges(doc, Span(0, 79, "X")) == "F_the LA_the NW_12"
    assert span_edges(Document("b", "-- !"), Span(0, 4, "X")) == "NW_0"
