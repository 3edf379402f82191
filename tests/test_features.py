"""Token and span features of the baseline classifier."""

from __future__ import annotations

import zlib

import numpy as np

from biaskit import Document, Span
from biaskit.features import (
    RULE_LABELS,
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
