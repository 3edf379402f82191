"""Features of tokens and spans, for the baseline classifier.

Everything here turns documents into arrays; nothing learns. The classifier
(:mod:`biaskit.baseline`) feeds the arrays to stock scikit-learn parts:
:class:`~sklearn.preprocessing.OneHotEncoder` learns the vocabulary of the
integer codes built here, :class:`~sklearn.feature_extraction.text.TfidfVectorizer`
reads the sentence and span strings.

- :func:`token_frame` -- the tokens of a batch of documents (one tokenizer for
  the whole library, :func:`biaskit.tokens.tokenize`) with their sentence,
  document and boilerplate status, computed once and shared by all features;
- :func:`token_codes` -- one integer code per token and feature: the words of a
  window around the token, its bigrams, shape, suffix, whether it is inside
  quotation marks, its place in the sentence, how often the word recurs in the
  document, and which rule detectors (:func:`biaskit.rules.rule_spans`) cover
  it. Codes are stable hashes (CRC-32), so the same word has the same code in
  every process and no vocabulary is stored here;
- :func:`token_targets` -- the training target: whether a token lies (mostly)
  inside a span of each label;
- :func:`sentence_readability` -- the Flesch reading ease of each sentence
  (through :func:`biaskit.readability.readability`, offline);
- :func:`span_texts` -- the strings and numbers describing a given span, for
  labelling spans (:meth:`biaskit.baseline.SpanClassifier.classify`).

Examples
--------
>>> from biaskit.model import Document, Span
>>> doc = Document("d", "They are 'traitors'. Truly!")
>>> frame = token_frame([doc])
>>> [doc.text[s:e] for s, e in zip(frame.start, frame.end)]
['They', 'are', "'", 'traitors', "'", '.', 'Truly', '!']
>>> frame.sentence.tolist()
[0, 0, 0, 0, 0, 0, 1, 1]
>>> token_targets(frame, [[Span(10, 18, "LABEL")]], ["LABEL"])[:, 0].astype(int).tolist()
[0, 0, 0, 1, 0, 0, 0, 0]
"""

from __future__ import annotations

import bisect
import itertools
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import attrs
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped, unused-ignore]
from sklearn.base import BaseEstimator, TransformerMixin  # type: ignore[import-untyped, unused-ignore]

from biaskit.model import Document, Span
from biaskit.tokens import tokenize
from biaskit.variants import split_sentences

__all__ = [
    "BOILERPLATE",
    "RULE_LABELS",
    "SPAN_NUMBERS",
    "CodeEncoder",
    "TokenFrame",
    "sentence_readability",
    "span_edges",
    "span_numbers",
    "span_rows",
    "span_texts",
    "token_codes",
    "token_frame",
    "token_targets",
]

BOILERPLATE = "BOILERPLATE"
"""The label of spans that are not article text; no feature or prediction lies inside one."""

RULE_LABELS: tuple[str, ...] = (
    "SCARE_QUOTE",
    "ATTRIBUTION",
    "EPISTEMIC",
    "EVENT_TERM",
    "ACTOR_LABEL",
)
"""The labels :func:`biaskit.rules.rule_spans` produces, one feature each."""

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_QUOTES = frozenset('"“”«»„')
_SINGLE_QUOTES = frozenset("‘’‹›‚")
_PAD_BEFORE = "<s>"
_PAD_AFTER = "</s>"


@attrs.frozen(eq=False)
class TokenFrame:
    """The tokens of a batch of documents, flattened, with what features need.

    Parameters
    ----------
    documents : tuple of Document
        The documents, in order.
    doc : ndarray of int
        The index of each token's document in ``documents``.
    start, end : ndarray of int
        Each token's code-point offsets in its document.
    words : list of str
        Each token's text, lower-cased.
    raw : list of str
        Each token's text as written.
    sentence : ndarray of int
        Each token's sentence, numbered across the batch.
    sentence_bounds : ndarray of int, shape (n_sentences, 3)
        ``(document index, start, end)`` of each sentence.
    blocked : ndarray of bool
        Tokens that overlap a ``BOILERPLATE`` span: never a feature's centre,
        never part of a prediction.
    """

    documents: tuple[Document, ...]
    doc: IntArray
    start: IntArray
    end: IntArray
    words: list[str]
    raw: list[str]
    sentence: IntArray
    sentence_bounds: IntArray
    blocked: BoolArray

    def __len__(self) -> int:
        return len(self.words)

    def document_slices(self) -> list[slice]:
        """Return, for each document, the slice of its tokens."""
        edges = np.searchsorted(self.doc, np.arange(len(self.documents) + 1))
        return [slice(int(a), int(b)) for a, b in itertools.pairwise(edges)]

    def sentence_text(self, index: int) -> str:
        """Return the text of sentence ``index``."""
        d, s, e = self.sentence_bounds[index]
        return self.documents[int(d)].text[int(s) : int(e)]


def _intervals(spans: Iterable[Span]) -> list[tuple[int, int]]:
    return sorted((s.start, s.end) for s in spans if s.label == BOILERPLATE)


def token_frame(
    documents: Sequence[Document],
    boilerplate: Sequence[Iterable[Span]] | None = None,
) -> TokenFrame:
    """Tokenize a batch of documents and place each token in its sentence.

    Parameters
    ----------
    documents : sequence of Document
        The documents.
    boilerplate : sequence of iterables of Span, optional
        Per document, spans of which those labelled ``BOILERPLATE`` block their
        tokens.

    Returns
    -------
    TokenFrame
    """
    docs = tuple(documents)
    doc_ix: list[IntArray] = []
    starts: list[IntArray] = []
    ends: list[IntArray] = []
    sent_ix: list[IntArray] = []
    blocked: list[BoolArray] = []
    bounds: list[tuple[int, int, int]] = []
    words: list[str] = []
    raw: list[str] = []
    for i, doc in enumerate(docs):
        text = doc.text
        toks = tokenize(text)
        n = len(toks)
        st = np.fromiter((s for s, _ in toks), dtype=np.int64, count=n)
        en = np.fromiter((e for _, e in toks), dtype=np.int64, count=n)
        sents = split_sentences(text)
        if not sents:
            sents = [(0, len(text))]
        sent_ends = np.array([e for _, e in sents], dtype=np.int64)
        local = np.minimum(np.searchsorted(sent_ends, st, side="right"), len(sents) - 1)
        sent_ix.append(local + len(bounds))
        bounds.extend((i, s, e) for s, e in sents)
        block = np.zeros(n, dtype=bool)
        if boilerplate is not None:
            for bs, be in _intervals(boilerplate[i]):
                block |= (st < be) & (en > bs)
        raw_words = [text[s:e] for s, e in toks]
        raw.extend(raw_words)
        words.extend(w.lower() for w in raw_words)
        doc_ix.append(np.full(n, i, dtype=np.int64))
        starts.append(st)
        ends.append(en)
        blocked.append(block)

    def cat(parts: list[IntArray]) -> IntArray:
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    return TokenFrame(
        documents=docs,
        doc=cat(doc_ix),
        start=cat(starts),
        end=cat(ends),
        words=words,
        raw=raw,
        sentence=cat(sent_ix),
        sentence_bounds=np.array(bounds, dtype=np.int64).reshape(-1, 3),
        blocked=np.concatenate(blocked) if blocked else np.zeros(0, dtype=bool),
    )


def _hash(value: str) -> int:
    return zlib.crc32(value.encode("utf-8", "surrogatepass"))


def _shape(word: str) -> str:
    if word.isdigit():
        return "d"
    if not word[0].isalnum():
        return word if len(word) == 1 else "p"
    if word.isupper():
        return "X" if len(word) > 1 else "X1"
    if word[0].isupper():
        return "Xx"
    return "x"


def _quote_state(frame: TokenFrame) -> IntArray:
    """1 for tokens inside double quotation marks, counted per sentence line."""
    state = np.zeros(len(frame), dtype=np.int64)
    inside = False
    previous_doc = -1
    for i, (w, d) in enumerate(zip(frame.raw, frame.doc.tolist(), strict=True)):
        if d != previous_doc:
            inside, previous_doc = False, d
        if w in _QUOTES:
            inside = w not in "”»" if w != '"' else not inside
            continue
        state[i] = inside
    return state


def token_codes(
    frame: TokenFrame,
    *,
    window: int = 2,
    rule_spans: Sequence[Iterable[Span]] | None = None,
) -> IntArray:
    """Return one integer code per token and feature, shape ``(n_tokens, n_features)``.

    Columns: the lower-cased words at offsets ``-window .. +window`` (padding
    outside the document), the bigrams ending and starting at the token, its
    shape (``Xx``, ``x``, ``X``, ``d``, the punctuation itself), its last
    three letters, inside double quotation marks, first / last token of its
    sentence, its fifth of the sentence, the sentence length (in 40-character
    steps), whether the sentence is the first (the title), how often the word
    recurs in the document (0, 1, 2-3, 4+ other times), and for each of
    :data:`RULE_LABELS` whether a rule span of that label covers it.

    Parameters
    ----------
    frame : TokenFrame
        The tokens.
    window : int
        Words on each side.
    rule_spans : sequence of iterables of Span, optional
        Per document, the spans of :func:`biaskit.rules.rule_spans`.

    Returns
    -------
    ndarray of int64
        Codes; equal codes in one column mean equal values.
    """
    n = len(frame)
    vocab: dict[str, int] = {}
    for w in frame.words:
        if w not in vocab:
            vocab[w] = _hash(w)
    ids = np.fromiter((vocab[w] for w in frame.words), dtype=np.int64, count=n)
    columns: list[IntArray] = []
    doc = frame.doc
    pad_before, pad_after = _hash(_PAD_BEFORE), _hash(_PAD_AFTER)
    shifted: dict[int, IntArray] = {0: ids}
    for k in range(1, window + 1):
        for off in (-k, k):
            out = np.full(n, pad_before if off < 0 else pad_after, dtype=np.int64)
            if n > abs(off):
                if off < 0:
                    same = doc[-off:] == doc[:off]
                    out[-off:] = np.where(same, ids[:off], pad_before)
                else:
                    same = doc[:-off] == doc[off:]
                    out[:-off] = np.where(same, ids[off:], pad_after)
            shifted[off] = out
    for off in sorted(shifted):
        columns.append(shifted[off])
    if window >= 1:
        columns.append(shifted[-1] * 1_000_003 + ids)
        columns.append(ids * 1_000_003 + shifted[1])
    # Shapes and suffixes are computed once per distinct word, not per token.
    shape_of: dict[str, int] = {}
    for w in frame.raw:
        if w not in shape_of:
            shape_of[w] = _hash(_shape(w))
    columns.append(np.fromiter((shape_of[w] for w in frame.raw), dtype=np.int64, count=n))
    suffix_of = {w: _hash(w[-3:]) for w in vocab}
    columns.append(np.fromiter((suffix_of[w] for w in frame.words), dtype=np.int64, count=n))
    columns.append(_quote_state(frame))
    bounds = frame.sentence_bounds
    s_start = bounds[frame.sentence, 1] if n else np.zeros(0, dtype=np.int64)
    s_end = bounds[frame.sentence, 2] if n else np.zeros(0, dtype=np.int64)
    length = np.maximum(s_end - s_start, 1)
    first = np.r_[True, frame.sentence[1:] != frame.sentence[:-1]] if n else np.zeros(0, bool)
    last = np.r_[frame.sentence[1:] != frame.sentence[:-1], True] if n else np.zeros(0, bool)
    columns.append(first.astype(np.int64) + 2 * last.astype(np.int64))
    columns.append(np.minimum((5 * (frame.start - s_start)) // length, 4))
    columns.append(np.minimum(length // 40, 8))
    title = np.zeros(len(bounds), dtype=np.int64)
    if len(bounds):
        title[np.r_[True, bounds[1:, 0] != bounds[:-1, 0]]] = 1
    columns.append(title[frame.sentence] if n else np.zeros(0, dtype=np.int64))
    columns.append(_recurrence(frame, ids))
    if rule_spans is not None:
        columns.extend(_rule_columns(frame, rule_spans))
    return np.stack(columns, axis=1) if n else np.zeros((0, len(columns)), dtype=np.int64)


def _recurrence(frame: TokenFrame, ids: IntArray) -> IntArray:
    out = np.zeros(len(frame), dtype=np.int64)
    for part in frame.document_slices():
        counts = Counter(ids[part].tolist())
        others = np.fromiter((counts[i] - 1 for i in ids[part].tolist()), dtype=np.int64)
        out[part] = np.select([others == 0, others == 1, others <= 3], [0, 1, 2], 3)
    return out


def _rule_columns(frame: TokenFrame, rule_spans: Sequence[Iterable[Span]]) -> list[IntArray]:
    columns = [np.zeros(len(frame), dtype=np.int64) for _ in RULE_LABELS]
    index = {label: i for i, label in enumerate(RULE_LABELS)}
    for d, part in enumerate(frame.document_slices()):
        st, en = frame.start[part], frame.end[part]
        for span in rule_spans[d]:
            j = index.get(span.label)
            if j is None:
                continue
            lo = int(np.searchsorted(en, span.start, side="right"))
            hi = int(np.searchsorted(st, span.end, side="left"))
            if hi > lo:
                columns[j][part][lo:hi] = 1
    return columns


def token_targets(
    frame: TokenFrame, spans: Sequence[Iterable[Span]], labels: Sequence[str]
) -> BoolArray:
    """Return whether each token lies mostly inside a span of each label.

    A token is positive for a label when at least half its code points are
    covered by spans of that label.

    Returns
    -------
    ndarray of bool, shape ``(n_tokens, len(labels))``
    """
    index = {label: j for j, label in enumerate(labels)}
    out = np.zeros((len(frame), len(labels)), dtype=bool)
    for d, part in enumerate(frame.document_slices()):
        text_len = len(frame.documents[d].text)
        by_label: dict[int, list[Span]] = {}
        for span in spans[d]:
            if span.label in index:
                by_label.setdefault(index[span.label], []).append(span)
        st, en = frame.start[part], frame.end[part]
        for j, label_spans in by_label.items():
            cover = np.zeros(text_len + 1, dtype=np.int64)
            for span in label_spans:
                cover[span.start] += 1
                cover[span.end] -= 1
            inside = np.concatenate([[0], np.cumsum(np.cumsum(cover)[:-1] > 0)])
            covered = inside[en] - inside[st]
            out[part, j] = 2 * covered >= (en - st)
    return out


def sentence_readability(frame: TokenFrame) -> FloatArray:
    """Return each sentence's Flesch reading ease, clipped to [-50, 150] and scaled by 1/100."""
    from biaskit.readability import readability

    return np.array(
        [
            np.clip(readability(frame.sentence_text(i)).flesch_reading_ease, -50.0, 150.0) / 100
            for i in range(len(frame.sentence_bounds))
        ],
        dtype=np.float64,
    )


def span_texts(document: Document, span: Span, *, context: int = 3) -> tuple[str, str, list[float]]:
    """Return what describes a span for labelling: its text, its context, numbers.

    Parameters
    ----------
    document : Document
        The document the span is in.
    span : Span
        The span.
    context : int
        Words taken on each side.

    Returns
    -------
    text : str
        The covered text.
    context : str
        The words before (prefixed ``L_``) and after (``R_``) the span.
    numbers : list of float
        log(1 + length in tokens), log(1 + other occurrences of the span's
        text in the document), whether it starts with a capital, ends with
        ``!``, is inside double quotation marks, is the whole sentence's
        length or more, and lies in the title line.
    """
    text = document.text
    covered = text[span.start : span.end]
    left = text[max(0, span.start - 80) : span.start]
    right = text[span.end : span.end + 80]
    before = [left[s:e].lower() for s, e in tokenize(left)]
    after = [right[s:e].lower() for s, e in tokenize(right)]
    words = " ".join([f"L_{w}" for w in before[-context:]] + [f"R_{w}" for w in after[:context]])
    n_tokens = len(tokenize(covered))
    key = covered.lower().strip()
    repeats = text.lower().count(key) - 1 if key else 0
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    line_end = len(text) if line_end < 0 else line_end
    opened = sum(text.count(q, line_start, span.start) for q in '"“') % 2
    numbers = [
        float(np.log1p(n_tokens)),
        float(np.log1p(max(repeats, 0))),
        float(covered[:1].isupper()),
        float(covered.rstrip().endswith("!")),
        float(opened == 1 or covered[:1] in _QUOTES | _SINGLE_QUOTES),
        float(span.end - span.start >= 0.8 * (line_end - line_start)),
        float(text.find("\n") < 0 or span.start < text.find("\n")),
    ]
    return covered, words, numbers


class CodeEncoder(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """One-hot encode integer feature codes, keeping codes seen ``min_frequency`` times.

    What scikit-learn's
    ``OneHotEncoder(min_frequency=m, handle_unknown="infrequent_if_exist")``
    does on integer columns, except that every column has its "other"
    indicator (shared by rare codes and codes never seen), even when no code
    was rare in training.
    It exists for speed: transforming is one binary search per column, about
    three times faster than ``OneHotEncoder`` on the hundreds of thousands of
    tokens of a corpus, which keeps prediction above half a million
    characters per second.

    Parameters
    ----------
    min_frequency : int
        Codes seen fewer times in ``fit`` share the column's "other" indicator.

    Examples
    --------
    >>> enc = CodeEncoder(min_frequency=2).fit(np.array([[5], [5], [7]]))
    >>> enc.transform(np.array([[5], [7], [9]])).toarray().tolist()
    [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]
    """

    def __init__(self, min_frequency: int = 2) -> None:
        self.min_frequency = min_frequency

    def fit(self, x: IntArray, y: object = None) -> CodeEncoder:
        """Learn each column's frequent codes."""
        x = np.asarray(x, dtype=np.int64)
        self.codes_: list[IntArray] = []
        offsets = [0]
        for j in range(x.shape[1]):
            values, counts = np.unique(x[:, j], return_counts=True)
            kept = values[counts >= self.min_frequency]
            self.codes_.append(kept)
            offsets.append(offsets[-1] + len(kept) + 1)  # + the "other" indicator
        self.offsets_ = np.array(offsets, dtype=np.int64)
        self.n_features_in_ = x.shape[1]
        return self

    def transform(self, x: IntArray) -> sp.csr_matrix:
        """Return the indicator matrix, ``float32``, one non-zero per column and row."""
        x = np.asarray(x, dtype=np.int64)
        n, k = x.shape
        cols = np.empty((n, k), dtype=np.int64)
        for j, codes in enumerate(self.codes_):
            pos = np.searchsorted(codes, x[:, j])
            pos_clipped = np.minimum(pos, max(len(codes) - 1, 0))
            found = (codes[pos_clipped] == x[:, j]) if len(codes) else np.zeros(n, dtype=bool)
            cols[:, j] = self.offsets_[j] + np.where(found, pos, len(codes))
        data = np.ones(n * k, dtype=np.float32)
        indptr = np.arange(0, n * k + 1, k, dtype=np.int64)
        return sp.csr_matrix((data, cols.ravel(), indptr), shape=(n, int(self.offsets_[-1])))


_WORD = re.compile(r"\w+")

SPAN_NUMBERS: tuple[str, ...] = (
    "log_same_offsets",
    "has_same_offsets",
    "log_same_text",
    "has_same_text",
    "log_text_before",
    "log_text_after",
    "text_before",
    "log_spans_inside",
    "log_spans_around",
    "log_spans_overlapping",
    "log_words",
    "one_word",
    "at_most_3_words",
    "over_10_words",
    "over_20_words",
    "capitalised_fraction",
    "log_all_caps_words",
    "question_mark",
    "exclamation_mark",
    "double_quote",
    "line_fraction",
    "starts_line",
    "ends_line",
    "line_question_mark",
    "line_exclamation_mark",
    "position",
    "log_spans_in_document",
    "words_elsewhere",
    "bigrams_elsewhere",
    "max_jaccard",
    "jaccard_over_half",
    "bigrams_elsewhere_over_half",
)
r"""The names of the numbers :func:`span_numbers` returns, in order.

``log_`` means log(1 + n). Against the *other* spans of the document: spans
with the same offsets (copies), spans whose lower-cased, stripped text is the
same, spans strictly inside this one, spans containing it, spans overlapping
it, and (``log_spans_in_document``) all spans of the document, this one
included. Against the text: occurrences of the span's lower-cased text before
and after it; its words (``\w+``), their capitals and all-capitals words;
``?``, ``!`` and double quotation marks in the span and ``?`` and ``!`` in
its line; the span's share of its line (at most 1.5), whether it starts or
ends its line; its start as a fraction of the document. Repetition beyond
exact copies: the fraction of the span's words (longer than two letters), and
of their bigrams, found in the rest of the document; the largest Jaccard
overlap of its words with another span that does not overlap it, and whether
that and the bigram fraction exceed one half.
"""


def _lowered(text: str) -> str:
    """Lower-case the text, keeping offsets: characters that lengthen stay as written."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _long_words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if len(w) > 2]


def span_numbers(document: Document, span: Span, others: Sequence[Span]) -> list[float]:
    """Return the numbers describing a span among the spans given for its document.

    They were chosen for technique classification on PTC (SemEval-2020 Task
    11), where the spans to label come together per article and a span's
    relation to the others is a strong cue (``Repetition``; one stretch listed
    under several techniques). :data:`SPAN_NUMBERS` names them in order.

    Parameters
    ----------
    document : Document
        The document the span is in.
    span : Span
        The span.
    others : sequence of Span
        The other spans given for the same document (labels are not read):
        when labelling, the spans to label; when training, the other gold
        spans. A copy of ``span`` among them counts as a copy.

    Returns
    -------
    list of float
        One number per name in :data:`SPAN_NUMBERS`.

    Examples
    --------
    >>> from biaskit.model import Document, Span
    >>> doc = Document("d", "Make it great again. We will make it great again!")
    >>> first, second = Span(0, 19, "X"), Span(29, 48, "X")
    >>> numbers = dict(zip(SPAN_NUMBERS, span_numbers(doc, second, [first])))
    >>> numbers["has_same_text"], numbers["text_before"], numbers["max_jaccard"]
    (1.0, 1.0, 1.0)
    """
    return _SpanContext(document, [*others, span]).numbers(len(others))


class _SpanContext:
    """What :func:`span_numbers` needs of one document, computed once for all its spans."""

    def __init__(self, document: Document, spans: Sequence[Span]) -> None:
        self.text = document.text
        self.lowered = _lowered(self.text)
        self.keys = [(s.start, s.end) for s in spans]
        self.same_text = Counter(self.lowered[s:e].strip() for s, e in self.keys)
        self.offsets = Counter(self.keys)
        self.word_sets = [set(_long_words(self.text[s:e])) for s, e in self.keys]
        # The document's words once; a span's "rest of the document" is
        # derived from them (see _rest) rather than re-tokenized per span.
        found = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(self.lowered)]
        self.word_starts = [a for a, _, _ in found]
        self.word_ends = [b for _, b, _ in found]
        self.words = [w for _, _, w in found]
        self.word_counts = Counter(self.words)
        self.bigram_counts = Counter(itertools.pairwise(self.words))

    def numbers(self, index: int) -> list[float]:
        text, low_text = self.text, self.lowered
        s, e = self.keys[index]
        covered = text[s:e]
        low = low_text[s:e].strip()
        before = low_text.count(low, 0, s) if low else 0
        after = low_text.count(low, e) if low else 0
        inside = around = overlapping = 0
        for a, b in self.keys:
            if (a, b) == (s, e):
                continue
            inside += a >= s and b <= e
            around += a <= s and b >= e
            overlapping += a < e and b > s
        words = _WORD.findall(covered)
        n_words = len(words)
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e)
        line_end = len(text) if line_end < 0 else line_end
        line = text[line_start:line_end]
        same_offsets = self.offsets[(s, e)] - 1
        same_text = self.same_text[low] - 1
        return [
            float(np.log1p(same_offsets)),
            float(same_offsets > 0),
            float(np.log1p(same_text)),
            float(same_text > 0),
            float(np.log1p(before)),
            float(np.log1p(after)),
            float(before > 0),
            float(np.log1p(inside)),
            float(np.log1p(around)),
            float(np.log1p(overlapping)),
            float(np.log1p(n_words)),
            float(n_words <= 1),
            float(n_words <= 3),
            float(n_words > 10),
            float(n_words > 20),
            sum(w[:1].isupper() for w in words) / max(n_words, 1),
            float(np.log1p(sum(w.isupper() and len(w) > 1 for w in words))),
            float("?" in covered),
            float("!" in covered),
            float('"' in covered or "“" in covered),
            min((e - s) / max(len(line), 1), 1.5),
            float(s == line_start),
            float(e >= line_end - 1),
            float("?" in line),
            float("!" in line),
            s / max(len(text), 1),
            float(np.log1p(len(self.keys))),
            *self._repetition(index),
        ]

    def _repetition(self, index: int) -> list[float]:
        s, e = self.keys[index]
        words = _long_words(self.text[s:e])
        in_words, in_bigrams = self._rest(s, e)
        found = sum(in_words(w) for w in words) / max(len(words), 1)
        bigrams = list(itertools.pairwise(words))
        found_bigrams = sum(in_bigrams(b) for b in bigrams) / max(len(bigrams), 1)
        mine = self.word_sets[index]
        jaccard = 0.0
        for (a, b), theirs in zip(self.keys, self.word_sets, strict=True):
            if (a < e and b > s) or not mine or not theirs:
                continue
            jaccard = max(jaccard, len(mine & theirs) / len(mine | theirs))
        return [found, found_bigrams, jaccard, float(jaccard > 0.5), float(found_bigrams > 0.5)]

    def _rest(
        self, s: int, e: int
    ) -> tuple[Callable[[str], bool], Callable[[tuple[str, str]], bool]]:
        """Membership tests for the words and bigrams of the document without ``[s, e)``.

        The rest is the text before ``s`` and after ``e``, kept apart: the
        document's words minus those overlapping the span, plus the pieces of
        words the span cuts at its edges; bigrams likewise, with the new pairs
        formed across the gap.
        """
        first = bisect.bisect_right(self.word_ends, s)  # first word ending after s
        stop = bisect.bisect_left(self.word_starts, e)  # first word starting at or after e
        seam: list[str] = []
        if first > 0:
            seam.append(self.words[first - 1])
        if first < stop and self.word_starts[first] < s:
            seam.append(self.lowered[self.word_starts[first] : s])
        if first < stop and self.word_ends[stop - 1] > e:
            seam.append(self.lowered[e : self.word_ends[stop - 1]])
        if stop < len(self.words):
            seam.append(self.words[stop])
        removed_words = Counter(self.words[first:stop])
        removed_bigrams = Counter(
            itertools.pairwise(self.words[max(first - 1, 0) : min(stop + 1, len(self.words))])
        )
        added_words = set(seam)
        added_bigrams = set(itertools.pairwise(seam))

        def in_words(word: str) -> bool:
            return word in added_words or self.word_counts[word] > removed_words[word]

        def in_bigrams(pair: tuple[str, str]) -> bool:
            return pair in added_bigrams or self.bigram_counts[pair] > removed_bigrams[pair]

        return in_words, in_bigrams


def span_edges(document: Document, span: Span) -> str:
    r"""Return the span's first and last words and its length in words, as tokens.

    Words are ``\w+`` runs, lower-cased; the length is capped at 12.

    Examples
    --------
    >>> from biaskit.model import Document, Span
    >>> span_edges(Document("d", "They are 'traitors', all of them."), Span(9, 32, "X"))
    'F_traitors LA_them NW_4'
    """
    words = [w.lower() for w in _WORD.findall(document.text[span.start : span.end])]
    edges = [f"F_{words[0]}", f"LA_{words[-1]}"] if words else []
    return " ".join([*edges, f"NW_{min(len(words), 12)}"])


def span_rows(
    document: Document, spans: Sequence[Span], *, context: int = 3
) -> list[tuple[str, str, str, list[float]]]:
    """Describe each of a document's spans for labelling, among the others.

    Parameters
    ----------
    document : Document
        The document.
    spans : sequence of Span
        All the spans given for it (to label, or gold when training).
    context : int
        Words taken on each side (:func:`span_texts`).

    Returns
    -------
    list of (str, str, str, list of float)
        Per span, in order: its text and context (:func:`span_texts`), its
        edges (:func:`span_edges`), and the 7 numbers of :func:`span_texts`
        followed by the 32 of :func:`span_numbers` (each span's others being
        the rest of ``spans``).

    Examples
    --------
    >>> from biaskit.model import Document, Span
    >>> doc = Document("d", "Lies, lies and more lies.")
    >>> rows = span_rows(doc, [Span(0, 4, "X"), Span(20, 24, "X")])
    >>> [(text, edges, len(numbers)) for text, _, edges, numbers in rows]
    [('Lies', 'F_lies LA_lies NW_1', 39), ('lies', 'F_lies LA_lies NW_1', 39)]
    """
    spans = list(spans)
    if not spans:
        return []
    shared = _SpanContext(document, spans)
    rows = []
    for i, span in enumerate(spans):
        text, words, numbers = span_texts(document, span, context=context)
        rows.append((text, words, span_edges(document, span), numbers + shared.numbers(i)))
    return rows
