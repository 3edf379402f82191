"""The baseline span classifier: learns labelled spans from hand-annotated documents.

:class:`SpanClassifier` is a scikit-learn estimator. ``fit(documents, spans)``
learns from documents and their hand-annotated spans, of any labels; then

- :meth:`~SpanClassifier.predict` proposes labelled spans, each with a
  probability (the attribute ``confidence``) -- span identification and
  labelling together;
- :meth:`~SpanClassifier.classify` labels spans it is given (the PTC
  "technique classification" setting, or pre-labelling an annotator's marks).

How it works
------------
It tags tokens, then assembles spans, in three stacked stages built from
stock scikit-learn parts:

1. *Sentences.* A :class:`~sklearn.feature_extraction.text.TfidfVectorizer`
   and one logistic regression per label estimate whether a sentence holds a
   span of the label.
2. *Tokens.* Every token is described by integer codes
   (:func:`biaskit.features.token_codes`: the words around it, bigrams,
   shape, quotation marks, place in the sentence, recurrence in the document,
   rule detectors), one-hot encoded by :class:`biaskit.features.CodeEncoder`
   (scikit-learn's ``OneHotEncoder`` with ``min_frequency``, made faster)
   keeping codes seen at least ``min_frequency`` times, plus the sentence stage's log-odds; one
   linear model per label (:class:`~sklearn.linear_model.SGDClassifier` with
   the logistic loss) gives the probability that the token lies in a span
   of the label. Labels are independent, so spans of different labels may
   overlap. With ``subsample`` below 1, they learn from every token of the
   sentences that hold a span and from that seeded share of the other
   tokens (weighted by its inverse).
3. *Context.* A logistic regression per label re-reads each token's
   probability together with its neighbours' (``context`` tokens on each
   side) and its sentence's mean and maximum, which smooths boundaries the
   way a sequence model would.

Spans are then assembled per label: runs of tokens whose probability reaches
the label's threshold, bridging gaps of up to ``gap`` tokens inside a
sentence, trimmed of punctuation at their edges; a span's probability is the
mean over its tokens. Spans can therefore have any length the training data
shows, from one word to several sentences. Threshold and gap are chosen per
label on the *training data only*: each stage is fitted ``cv`` times on
folds of the training documents, and the out-of-fold probabilities are
scored with the measure named by ``objective`` (by default the
partial-credit F1 of SemEval-2020 Task 11, :func:`biaskit.metrics.ptc_scores`).
Stage 1 and 2 inputs for stage 3 are out-of-fold too, so no stage learns from
predictions made on its own training tokens. The models kept for
prediction are then refitted on all the training data, or, with
``final_models="mean"``, are the means of each stage's ``cv`` fold models
(weights and intercepts averaged; a label that some fold has no span of is
refitted all the same).

No span is ever proposed inside ``BOILERPLATE``: tokens overlapping a
boilerplate span -- the training spans labelled ``BOILERPLATE``, spans passed
to ``predict``, or what :func:`biaskit.find_boilerplate` finds -- are neither
learned from nor predicted.

:meth:`~SpanClassifier.classify` uses its own model, fitted on the gold spans
(:func:`biaskit.features.span_rows`): TF-IDF word (1-2) and character (2-5)
n-grams of the span text, TF-IDF of the three words on each side (weighted
0.3), of the span's first and last words and length, and 39 standardized
numbers (length, capitals, punctuation, place in its line, recurrence of its
text and words in the document, and its relation to the *other* spans given
for the same document -- copies, spans inside, around or overlapping it; see
:func:`biaskit.features.span_numbers`) feed a linear support vector machine
(:class:`~sklearn.svm.LinearSVC`, one-vs-rest, ``C=0.3``, 300 passes). When fitting, a
span's other spans are the other gold spans of its document; when
classifying, the other spans given for its document. Labels are ranked by
the decision function; where one stretch of text is given several times,
its copies get the best-ranked distinct labels in turn.

Examples
--------
>>> from biaskit.model import Document, Span
>>> texts = [f"Officials said the rebels {w} the town. It rained." for w in
...          ("butchered", "shelled", "butchered", "attacked") * 3]
>>> docs = [Document(f"d{i}", t) for i, t in enumerate(texts)]
>>> gold = [[Span(26, 35, "LOADED")] if "butchered" in t else [] for t in texts]
>>> model = SpanClassifier(cv=2, random_state=0).fit(docs, gold)
>>> model.labels_
('LOADED',)
>>> test = Document("t", "Officials said the rebels butchered the town.")
>>> [(test.text[s.start:s.end], s.label) for s in model.predict([test])[0]]
[('butchered', 'LOADED')]
"""

from __future__ import annotations

import copy
import time
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped, unused-ignore]
from joblib import Parallel, delayed, effective_n_jobs  # type: ignore[import-untyped, unused-ignore]
from sklearn.base import BaseEstimator  # type: ignore[import-untyped, unused-ignore]
from sklearn.compose import ColumnTransformer  # type: ignore[import-untyped, unused-ignore]
from sklearn.exceptions import ConvergenceWarning  # type: ignore[import-untyped, unused-ignore]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped, unused-ignore]
from sklearn.linear_model import LogisticRegression, SGDClassifier  # type: ignore[import-untyped, unused-ignore]
from sklearn.pipeline import Pipeline  # type: ignore[import-untyped, unused-ignore]
from sklearn.preprocessing import StandardScaler  # type: ignore[import-untyped, unused-ignore]
from sklearn.svm import LinearSVC  # type: ignore[import-untyped, unused-ignore]
from sklearn.utils.validation import check_is_fitted  # type: ignore[import-untyped, unused-ignore]

from biaskit.clean import find_boilerplate
from biaskit.errors import BiaskitError
from biaskit.features import (
    BOILERPLATE,
    CodeEncoder,
    TokenFrame,
    sentence_readability,
    span_rows,
    token_codes,
    token_frame,
    token_targets,
)
from biaskit.model import Document, Span, merge_intervals

__all__ = ["ORIGIN", "Objective", "SpanClassifier", "TrainingDataError"]

ORIGIN = "biaskit.baseline"
"""The ``origin`` attribute of every span the classifier proposes."""

Objective = Literal["ptc", "exact"]
"""The measure thresholds are tuned for: PTC partial-credit F1, or exact-match F1."""

FinalModels = Literal["refit", "mean"]
"""The models kept for prediction: refitted on all the training data, or the folds' means."""

FloatArray = npt.NDArray[np.float64]
_EPS = 1e-4
_PUNCT_EDGE = ".,:;!?)(-–—"
_GAPS = (0, 1, 2, 3, 5, 8, 13, 21, 34)
# The span labeller's settings, chosen by out-of-fold accuracy on PTC train
# (docs/benchmarks.md): SVM regularisation, weight of the context words, and
# the scale of the scores in the softmax that gives ``confidence``.
_SPAN_C = 0.3
_CONTEXT_WEIGHT = 0.3
_CONFIDENCE_SCALE = 3.0
# liblinear's dual solver does not converge on PTC's spans: after 300 passes
# its out-of-fold accuracy is that of 1,000 (0.5942 against 0.5943, one span
# in 6,128) at a third of the time (docs/benchmarks.md).
_SPAN_MAX_ITER = 300


class TrainingDataError(BiaskitError, ValueError):
    """Documents and spans given to ``fit``, ``predict`` or ``classify`` that cannot be used."""


def _logit(p: FloatArray) -> FloatArray:
    q = np.clip(p, _EPS, 1 - _EPS)
    return np.asarray(np.log(q / (1 - q)), dtype=np.float64)


def _check_documents(documents: object, where: str) -> list[Document]:
    if isinstance(documents, (str, bytes)) or not isinstance(documents, Iterable):
        raise TrainingDataError(
            f"{where} expects a sequence of Document objects, not {type(documents).__name__}"
        )
    docs = list(documents)
    for i, doc in enumerate(docs):
        if not isinstance(doc, Document):
            raise TrainingDataError(
                f"{where} expects Document objects; item {i} is {type(doc).__name__}"
            )
    return docs


def _check_spans(docs: Sequence[Document], spans: object, where: str) -> list[list[Span]]:
    if isinstance(spans, (str, bytes)) or not isinstance(spans, Iterable):
        raise TrainingDataError(
            f"{where} expects one sequence of Span objects per document, not {type(spans).__name__}"
        )
    rows = [list(row) if isinstance(row, Iterable) else row for row in spans]
    if len(rows) != len(docs):
        raise TrainingDataError(
            f"{where} got {len(docs)} documents but {len(rows)} span lists; expected one per "
            "document"
        )
    for doc, row in zip(docs, rows, strict=True):
        if not isinstance(row, list):
            raise TrainingDataError(
                f"{where} expects a sequence of Span objects for document {doc.id!r}, "
                f"not {type(row).__name__}"
            )
        for span in row:
            if not isinstance(span, Span):
                raise TrainingDataError(
                    f"{where} expects Span objects; document {doc.id!r} has {type(span).__name__}"
                )
            if span.end > len(doc.text):
                raise TrainingDataError(
                    f"{where}: span [{span.start}, {span.end}) {span.label} ends past the end "
                    f"of document {doc.id!r} ({len(doc.text)} code points)"
                )
    return rows


def _folds(n_docs: int, cv: int, seed: int) -> npt.NDArray[np.int64]:
    rng = np.random.default_rng(seed)
    order = rng.permutation(n_docs)
    fold = np.empty(n_docs, dtype=np.int64)
    fold[order] = np.arange(n_docs) % cv
    return fold


def _fit_sgd(
    x: sp.csr_matrix,
    y: npt.NDArray[np.bool_],
    alpha: float,
    seed: int,
    weight: FloatArray | None = None,
) -> SGDClassifier | float:
    """Fit one token model; a constant probability when the target has one class."""
    if y.all() or not y.any():
        return float(y.mean()) if len(y) else 0.0
    model = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=8, tol=1e-4, random_state=seed)
    # Convergence warnings are silenced by fit: a fixed epoch budget is the point.
    model.fit(x, y, sample_weight=weight)
    return model


class _FoldMean:
    """The mean of a label's fold models, gathered one fold at a time.

    A linear model whose weights and intercept are the means of the folds'
    (a cross-validation ensemble) stands in for a model refitted on every
    row, at no further pass over the data; whether it predicts better
    depends on the data (docs/benchmarks.md). Only a running sum is kept,
    not the folds' models; the mean's other fitted attributes (``n_iter_``,
    ...) are the first fold's. An inactive one keeps nothing and has no mean
    (the model is refitted instead).
    """

    def __init__(self, active: bool = True) -> None:
        self._active = active
        self._first: Any = None
        self._sums: tuple[FloatArray, FloatArray] | None = None  # weights, intercept
        self._n = 0
        self._constant = False

    def add(self, model: Any) -> None:
        """Add one fold's model; a constant (a fold without both classes) spoils the mean."""
        if not self._active:
            return
        if isinstance(model, float):
            self._constant = True
            return
        if self._sums is None:
            self._first = model
            self._sums = (
                np.array(model.coef_, dtype=np.float64),
                np.array(model.intercept_, dtype=np.float64),
            )
        else:
            coef, intercept = self._sums
            coef += model.coef_
            intercept += model.intercept_
        self._n += 1

    def model(self) -> Any:
        """Return the mean model, or None if inactive, a fold's was a constant or none was added."""
        if self._constant or self._sums is None:
            return None
        mean = copy.copy(self._first)
        mean.coef_ = self._sums[0] / self._n
        mean.intercept_ = self._sums[1] / self._n
        return mean


def _training_rows(
    sentence: npt.NDArray[np.int64], y: npt.NDArray[np.bool_], rate: float, seed: int
) -> tuple[npt.NDArray[np.bool_], FloatArray | None]:
    """Choose the rows the token models learn from, and the weights of those chosen.

    Every row of a sentence holding a span (of any label in ``y``) is kept,
    with weight 1; of the other rows, a random share ``rate`` drawn from
    ``seed`` (a stream apart from the folds'), with weight ``1 / rate``. The
    rows do not depend on the label, so each fold's matrix is sliced once for
    all labels. ``rate >= 1`` keeps every row, unweighted (weights ``None``).
    """
    if rate >= 1:
        return np.ones(len(sentence), dtype=bool), None
    spanned = np.zeros(int(sentence.max(initial=-1)) + 1, dtype=bool)
    spanned[sentence[y.any(axis=1)]] = True
    near = spanned[sentence]
    drawn = np.random.default_rng([seed, 12]).random(len(sentence)) < rate
    rows = near | drawn
    return rows, np.where(near, 1.0, 1.0 / rate)[rows]


def _present(fold_keep: npt.NDArray[np.int64], token_fold: npt.NDArray[np.int64]) -> list[int]:
    """Return the folds that hold learned-from tokens, in order."""
    return [k for k in range(int(token_fold.max(initial=0)) + 1) if (fold_keep == k).any()]


def _proba(model: Any, x: Any) -> FloatArray:
    if isinstance(model, float):
        return np.full(x.shape[0], model, dtype=np.float64)
    return np.asarray(model.predict_proba(x)[:, 1], dtype=np.float64)


def _fit_lr(x: Any, y: npt.NDArray[np.bool_], c: float, seed: int) -> LogisticRegression | float:
    """Fit one sentence model; a constant probability when the target has one class.

    liblinear's dual solver: on sentences (fewer rows than n-gram columns)
    about six times faster than the primal one, for the same optimum. It
    draws from liblinear's one process-wide random generator, so fits must
    not run side by side (nor beside the span labeller's).
    """
    if y.all() or not y.any():
        return float(y.mean()) if len(y) else 0.0
    model = LogisticRegression(C=c, solver="liblinear", dual=True, random_state=seed)
    model.fit(x, y)
    return model


def _with_dense_columns(x: sp.csr_matrix, dense: FloatArray) -> sp.csr_matrix:
    """Return ``sp.csr_matrix(sp.hstack([x, sp.csr_matrix(dense)]))``, faster.

    Built directly from the arrays when every row of ``x`` stores as many
    values and ``dense`` has no zero (as for the token matrix): the same
    matrix, without the matrix-sized arrays that stacking allocates on the
    hundreds of thousands of rows of a corpus.
    """
    n, width = dense.shape
    if not width:
        return sp.csr_matrix(x)
    per_row = x.nnz // max(n, 1)
    regular = x.shape[0] == n and np.array_equal(x.indptr, np.arange(n + 1) * per_row)
    if not regular or not np.all(dense != 0):
        return sp.csr_matrix(sp.hstack([x, sp.csr_matrix(dense)]))
    data = np.empty((n, per_row + width), dtype=np.result_type(x.dtype, dense.dtype))
    data[:, :per_row] = x.data.reshape(n, per_row)
    data[:, per_row:] = dense
    indices = np.empty((n, per_row + width), dtype=np.int64)
    indices[:, :per_row] = x.indices.reshape(n, per_row)
    indices[:, per_row:] = x.shape[1] + np.arange(width)
    indptr = np.arange(0, n * (per_row + width) + 1, per_row + width, dtype=np.int64)
    return sp.csr_matrix((data.ravel(), indices.ravel(), indptr), shape=(n, x.shape[1] + width))


class SpanClassifier(BaseEstimator):  # type: ignore[misc]
    """Propose and label framing spans, learned from hand-annotated documents.

    Parameters
    ----------
    window : int
        Words on each side of a token in its features.
    min_frequency : int
        A feature value (a word at an offset, a bigram...) must be seen this
        many times in training to get a feature of its own.
    alpha : float
        L2 regularisation of the token models (SGD's ``alpha``).
    sentence_model : bool
        Use the sentence stage (1).
    context : int
        Neighbouring tokens on each side read by the context stage (3); 0
        switches the stage off.
    rules : bool
        Use the rule detectors (:func:`biaskit.rules.rule_spans`) as token
        features. They help much on biaskit's own labels (``ATTRIBUTION``,
        ``SCARE_QUOTE``) and cost time: about 180,000 characters per second,
        so the PTC benchmark, which has no such labels, switches them off.
    readability : bool
        Add the sentence's Flesch reading ease to the sentence stage.
    cv : int
        Folds of training documents for out-of-fold probabilities (stacking
        and threshold tuning); at least 2.
    objective : {"ptc", "exact"}
        The F1 that thresholds and gaps are tuned for on the training data.
    max_gap : int
        Largest gap (in tokens) tried for bridging runs inside a sentence
        (gaps of 0, 1, 2, 3, 5, 8, 13, 21 and 34 tokens up to it are tried).
    find_boilerplate : bool
        Also treat what :func:`biaskit.find_boilerplate` finds as boilerplate.
    n_jobs : int or None
        Threads fitting the token and context models of labels and folds
        side by side (joblib); above 1, the span labeller is also fitted
        beside them. None means 1. The fitted model is the same for any value.
    final_models : {"refit", "mean"}
        The models kept for prediction, per stage and label: refitted on all
        the training data after the folds (``"refit"``), or the mean of the
        ``cv`` fold models' weights and intercepts (``"mean"``: no refit,
        a third less SGD work). Which predicts better depends on the data
        (docs/benchmarks.md): on PTC, "mean" (nested cross-validation on the
        training data); on BASIL's short lexical spans, "refit".
    subsample : float
        Share, in (0, 1], of the tokens outside sentences holding a span that
        the token models learn from (seeded, weighted by its inverse); every
        token of a sentence holding a span is kept. 1 keeps every token;
        below 1 the token stage costs less.
    random_state : int or None
        Seed of fold assignment, of the tokens drawn for the token models
        and of SGD's shuffling.

    Attributes
    ----------
    labels_ : tuple of str
        The labels learned (every label in the training spans but ``BOILERPLATE``).
    thresholds_ : dict of str to float
        The token-probability threshold chosen for each label.
    gaps_ : dict of str to int
        The gap bridged for each label.
    oof_scores_ : dict of str to float
        The out-of-fold training F1 (``objective``) at the chosen settings.
    training_sha256_ : str
        A hash of the training documents and spans (for persistence).
    fit_seconds_ : dict of str to float
        Wall-clock seconds of ``fit`` and its stages: ``features`` (tokens
        and their codes), ``sentences`` (stage 1), ``tokens`` (stages 2 and
        3), ``thresholds``, ``span_labeller`` (the model behind
        :meth:`classify`; with ``n_jobs`` above 1 it is fitted in a thread
        beside stages 2 and 3, so its seconds overlap theirs) and ``total``.
    """

    def __init__(
        self,
        *,
        window: int = 2,
        min_frequency: int = 2,
        alpha: float = 2e-5,
        sentence_model: bool = True,
        context: int = 3,
        rules: bool = True,
        readability: bool = False,
        cv: int = 3,
        objective: Objective = "ptc",
        max_gap: int = 34,
        find_boilerplate: bool = True,
        n_jobs: int | None = None,
        final_models: FinalModels = "refit",
        subsample: float = 1.0,
        random_state: int | None = None,
    ) -> None:
        self.window = window
        self.min_frequency = min_frequency
        self.alpha = alpha
        self.sentence_model = sentence_model
        self.context = context
        self.rules = rules
        self.readability = readability
        self.cv = cv
        self.objective = objective
        self.max_gap = max_gap
        self.find_boilerplate = find_boilerplate
        self.n_jobs = n_jobs
        self.final_models = final_models
        self.subsample = subsample
        self.random_state = random_state

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Models saved before these parameters existed were fitted as their defaults describe.
        state.setdefault("final_models", "refit")
        state.setdefault("subsample", 1.0)
        super().__setstate__(state)

    # ------------------------------------------------------------------ helpers

    def _check_params(self) -> None:
        problems = []
        if not isinstance(self.window, int) or self.window < 0:
            problems.append(f"window must be an integer >= 0, not {self.window!r}")
        if not isinstance(self.min_frequency, int) or self.min_frequency < 1:
            problems.append(f"min_frequency must be an integer >= 1, not {self.min_frequency!r}")
        if not isinstance(self.alpha, (int, float)) or not self.alpha > 0:
            problems.append(f"alpha must be a positive number, not {self.alpha!r}")
        if not isinstance(self.context, int) or self.context < 0:
            problems.append(f"context must be an integer >= 0, not {self.context!r}")
        if not isinstance(self.cv, int) or self.cv < 2:
            problems.append(f"cv must be an integer >= 2, not {self.cv!r}")
        if self.objective not in ("ptc", "exact"):
            problems.append(f"objective must be 'ptc' or 'exact', not {self.objective!r}")
        if not isinstance(self.max_gap, int) or self.max_gap < 0:
            problems.append(f"max_gap must be an integer >= 0, not {self.max_gap!r}")
        if self.final_models not in ("refit", "mean"):
            problems.append(f"final_models must be 'refit' or 'mean', not {self.final_models!r}")
        if (
            not isinstance(self.subsample, (int, float))
            or isinstance(self.subsample, bool)
            or not 0 < self.subsample <= 1
        ):
            problems.append(f"subsample must be a number in (0, 1], not {self.subsample!r}")
        if problems:
            raise ValueError("; ".join(problems))

    def _seed(self) -> int:
        return 0 if self.random_state is None else int(self.random_state)

    def _boilerplate(
        self, docs: Sequence[Document], given: Sequence[Iterable[Span]] | None
    ) -> list[list[Span]]:
        out: list[list[Span]] = []
        for i, doc in enumerate(docs):
            spans = [s for s in (given[i] if given is not None else ()) if s.label == BOILERPLATE]
            if self.find_boilerplate:
                spans.extend(find_boilerplate(doc.text))
            out.append(spans)
        return out

    def _frame(
        self, docs: Sequence[Document], boilerplate: Sequence[Iterable[Span]]
    ) -> tuple[TokenFrame, npt.NDArray[np.int64]]:
        frame = token_frame(docs, boilerplate)
        rule_spans = None
        if self.rules:
            from biaskit.rules import rule_spans as find_rules

            rule_spans = [
                find_rules(d, boilerplate=b) for d, b in zip(docs, boilerplate, strict=True)
            ]
        return frame, token_codes(frame, window=self.window, rule_spans=rule_spans)

    def _sentence_inputs(self, frame: TokenFrame) -> tuple[list[str], FloatArray | None]:
        texts = [frame.sentence_text(i) for i in range(len(frame.sentence_bounds))]
        extra = sentence_readability(frame)[:, None] if self.readability else None
        return texts, extra

    def _sentence_matrix(self, texts: list[str], extra: FloatArray | None) -> Any:
        x = self.sentence_vectorizer_.transform(texts)
        return x if extra is None else sp.hstack([x, sp.csr_matrix(extra)]).tocsr()

    def _token_matrix(self, codes: npt.NDArray[np.int64], sentence_logits: FloatArray) -> Any:
        return _with_dense_columns(self.token_encoder_.transform(codes), sentence_logits / 4.0)

    def _context_features(
        self, frame: TokenFrame, p: FloatArray, p_sentence: FloatArray
    ) -> FloatArray:
        """Return stage-3 inputs of one label: log-odds of token, neighbours, sentence, document."""
        lo = _logit(p)
        n = len(p)
        cols = [lo]
        pad = float(_logit(np.array([_EPS]))[0])
        for k in range(1, self.context + 1):
            for off in (-k, k):
                col = np.full(n, pad)
                if n > k:
                    if off < 0:
                        same = frame.doc[k:] == frame.doc[:-k]
                        col[k:] = np.where(same, lo[:-k], pad)
                    else:
                        same = frame.doc[:-k] == frame.doc[k:]
                        col[:-k] = np.where(same, lo[k:], pad)
                cols.append(col)
        n_sent = len(frame.sentence_bounds)
        sums = np.bincount(frame.sentence, weights=p, minlength=n_sent)
        counts = np.maximum(np.bincount(frame.sentence, minlength=n_sent), 1)
        maxes = np.zeros(n_sent)
        np.maximum.at(maxes, frame.sentence, p)
        cols.append(_logit(sums / counts)[frame.sentence])
        cols.append(_logit(maxes)[frame.sentence])
        cols.append(_logit(p_sentence))
        doc_sum = np.bincount(frame.doc, weights=p, minlength=len(frame.documents))
        doc_n = np.maximum(np.bincount(frame.doc, minlength=len(frame.documents)), 1)
        cols.append(_logit(doc_sum / doc_n)[frame.doc])
        return np.stack(cols, axis=1) / 4.0

    # ------------------------------------------------------------------ fit

    def fit(self, documents: Sequence[Document], spans: Sequence[Iterable[Span]]) -> SpanClassifier:
        """Learn from documents and their hand-annotated spans.

        Parameters
        ----------
        documents : sequence of Document
            The training documents.
        spans : sequence of iterables of Span
            For each document, its gold spans (any labels). ``BOILERPLATE``
            spans mark text that is neither learned from nor predicted.

        Returns
        -------
        SpanClassifier
            ``self``, fitted.

        Raises
        ------
        TrainingDataError
            If the inputs are not documents with one span list each, a span
            ends past its document, or no span other than boilerplate is given.
        """
        with warnings.catch_warnings():
            # SGD runs a fixed epoch budget, and liblinear's iteration cap is
            # reached on large corpora: the models were measured as they come
            # out (docs/benchmarks.md). Filters are process-wide and changing
            # them is not thread-safe, so they are set once, here, around the
            # threads that fit.
            warnings.simplefilter("ignore", ConvergenceWarning)
            return self._fit(documents, spans)

    def _fit(
        self, documents: Sequence[Document], spans: Sequence[Iterable[Span]]
    ) -> SpanClassifier:
        self._check_params()
        started = time.perf_counter()
        seconds: dict[str, float] = {}
        docs = _check_documents(documents, "fit")
        rows = _check_spans(docs, spans, "fit")
        labels = tuple(sorted({s.label for row in rows for s in row} - {BOILERPLATE}))
        if not labels:
            raise TrainingDataError("fit needs at least one span that is not BOILERPLATE")
        seed = self._seed()
        gold = [[s for s in row if s.label != BOILERPLATE] for row in rows]
        boiler = self._boilerplate(docs, rows)
        frame, codes = self._frame(docs, boiler)
        y = token_targets(frame, gold, labels)
        y[frame.blocked] = False
        n_labels = len(labels)
        fold_of_doc = _folds(len(docs), min(self.cv, max(2, len(docs))), seed)
        n_folds = int(fold_of_doc.max()) + 1
        token_fold = fold_of_doc[frame.doc]

        seconds["features"] = time.perf_counter() - started

        # Stage 1: sentences.
        texts, extra = self._sentence_inputs(frame)
        sent_doc = frame.sentence_bounds[:, 0]
        sent_fold = fold_of_doc[sent_doc] if len(sent_doc) else np.zeros(0, dtype=np.int64)
        y_sent = np.zeros((len(texts), n_labels), dtype=bool)
        if len(frame):
            np.logical_or.at(y_sent, frame.sentence, y)
        oof_sent = np.zeros((len(texts), n_labels))
        if self.sentence_model:
            # The vocabulary and IDF are learned once from all training
            # sentences (no labels involved); the models are fitted per fold.
            self.sentence_vectorizer_ = TfidfVectorizer(
                ngram_range=(1, 2), min_df=2 if len(texts) > 20 else 1, sublinear_tf=True
            )
            xs_all = self.sentence_vectorizer_.fit_transform(texts)
            if extra is not None:
                xs_all = sp.hstack([xs_all, sp.csr_matrix(extra)]).tocsr()
            # One at a time: liblinear's random generator is process-wide (_fit_lr).
            fold_means = [_FoldMean(self.final_models == "mean") for _ in range(n_labels)]
            for k in range(n_folds):
                test = sent_fold == k
                if not test.any():
                    continue
                x_train, x_test = xs_all[~test], xs_all[test]
                for j in range(n_labels):
                    m = _fit_lr(x_train, y_sent[~test, j], 1.0, seed)
                    oof_sent[test, j] = _proba(m, x_test)
                    fold_means[j].add(m)
            means = [mean.model() for mean in fold_means]
            # Refitted on every sentence, or where some fold cannot learn the label.
            self.sentence_models_ = [
                mean if mean is not None else _fit_lr(xs_all, y_sent[:, j], 1.0, seed)
                for j, mean in enumerate(means)
            ]
        else:
            base = y_sent.mean(axis=0) if len(texts) else np.zeros(n_labels)
            oof_sent[:] = base
            self.sentence_models_ = [float(v) for v in base]

        seconds["sentences"] = time.perf_counter() - started - sum(seconds.values())

        # The span labeller behind classify() needs none of the stages below,
        # so with more than one job it is fitted meanwhile, in a thread.
        # liblinear's random generator is global: no other liblinear fit may
        # run beside it, and none does after stage 1 (the stages below use SGD).
        with ThreadPoolExecutor(max_workers=1) as pool:
            span_model = (
                pool.submit(self._fit_span_model, docs, gold, seconds)
                if effective_n_jobs(self.n_jobs) > 1
                else None
            )
            mark = time.perf_counter()
            self.n_features_in_ = codes.shape[1]
            oof_tok = self._fit_token_models(frame, codes, y, oof_sent, token_fold, seed)
            del codes  # the biggest arrays go before stage 3 makes its own
            p_tok = self._fit_context_models(frame, y, oof_tok, oof_sent, token_fold, seed)
            seconds["tokens"] = time.perf_counter() - mark

            # Thresholds and gaps, tuned on the out-of-fold probabilities.
            mark = time.perf_counter()
            punct = _punctuation(frame)
            tuned = Parallel(n_jobs=self.n_jobs, prefer="threads")(
                delayed(self._tune)(frame, p_tok[:, j], y[:, j], gold, label, punct)
                for j, label in enumerate(labels)
            )
            self.labels_ = labels
            self.thresholds_ = {label: t for label, (t, _, _) in zip(labels, tuned, strict=True)}
            self.gaps_ = {label: g for label, (_, g, _) in zip(labels, tuned, strict=True)}
            self.oof_scores_ = {label: f for label, (_, _, f) in zip(labels, tuned, strict=True)}
            seconds["thresholds"] = time.perf_counter() - mark
            self.span_model_ = (
                span_model.result()
                if span_model is not None
                else self._fit_span_model(docs, gold, seconds)
            )
        self.training_sha256_ = training_sha256(docs, rows)
        seconds["total"] = time.perf_counter() - started
        self.fit_seconds_ = {k: round(v, 3) for k, v in seconds.items()}
        return self

    def _fit_token_models(
        self,
        frame: TokenFrame,
        codes: npt.NDArray[np.int64],
        y: npt.NDArray[np.bool_],
        oof_sent: FloatArray,
        token_fold: npt.NDArray[np.int64],
        seed: int,
    ) -> FloatArray:
        """Fit stage 2; return its out-of-fold token probabilities."""
        n_labels = y.shape[1]
        keep = ~frame.blocked
        keep_idx = np.flatnonzero(keep)
        self.token_encoder_ = CodeEncoder(min_frequency=self.min_frequency)
        self.token_encoder_.fit(codes[keep])
        sent_logits = (
            _logit(oof_sent)[frame.sentence[keep]]
            if self.sentence_model
            else np.zeros((int(keep.sum()), 0))
        )
        x_keep = self._token_matrix(codes[keep], sent_logits)
        del sent_logits
        y_keep = y[keep]
        fold_keep = token_fold[keep]
        folds = _present(fold_keep, token_fold)
        # Out-of-fold probabilities are predicted for every row of the held-out fold.
        rate = float(self.subsample)
        learn, weight = _training_rows(frame.sentence[keep], y_keep, rate, seed)

        def fold_fit(
            x_train: Any, y_train: npt.NDArray[np.bool_], x_test: Any, w: FloatArray | None
        ) -> tuple[FloatArray, SGDClassifier | float]:
            model = _fit_sgd(x_train, y_train, self.alpha, seed, w)
            return _proba(model, x_test), model

        oof_tok = np.zeros((len(frame), n_labels))
        fold_means = [_FoldMean(self.final_models == "mean") for _ in range(n_labels)]
        for k in folds:
            # Each fold's rows are sliced once and shared by its labels' jobs;
            # one fold at a time, so that only one fold's slices are in memory.
            train = (fold_keep != k) & learn
            x_train, x_test = x_keep[train], x_keep[fold_keep == k]
            y_train = y_keep[train]
            w = None if weight is None else weight[train[learn]]
            fitted = Parallel(n_jobs=self.n_jobs, prefer="threads")(
                delayed(fold_fit)(x_train, y_train[:, j], x_test, w) for j in range(n_labels)
            )
            del x_train, x_test, y_train
            rows = keep_idx[fold_keep == k]
            for j, (proba, model) in enumerate(fitted):
                oof_tok[rows, j] = proba
                fold_means[j].add(model)
            del fitted
        means = [mean.model() for mean in fold_means]
        # Refitted on every row, or where some fold cannot learn the label (no span of it).
        refit = [j for j, mean in enumerate(means) if mean is None]
        if refit:
            # Copied only now that the folds' slices are freed, to keep the peak down.
            x_learn = x_keep if weight is None else x_keep[learn]
            del x_keep
            y_learn = y_keep[learn]
            refitted = Parallel(n_jobs=self.n_jobs, prefer="threads")(
                delayed(_fit_sgd)(x_learn, y_learn[:, j], self.alpha, seed, weight) for j in refit
            )
            means = [
                mean if mean is not None else refitted[refit.index(j)]
                for j, mean in enumerate(means)
            ]
        self.token_models_ = means
        return oof_tok

    def _fit_context_models(
        self,
        frame: TokenFrame,
        y: npt.NDArray[np.bool_],
        oof_tok: FloatArray,
        oof_sent: FloatArray,
        token_fold: npt.NDArray[np.int64],
        seed: int,
    ) -> FloatArray:
        """Fit stage 3; return its out-of-fold token probabilities (0 where blocked)."""
        keep = ~frame.blocked
        keep_idx = np.flatnonzero(keep)
        y_keep = y[keep]
        fold_keep = token_fold[keep]
        folds = _present(fold_keep, token_fold)

        def context_label(j: int) -> tuple[FloatArray, SGDClassifier | float]:
            feats = self._context_features(frame, oof_tok[:, j], oof_sent[frame.sentence, j])
            fk = feats[keep]
            column = np.zeros(len(frame))
            fold_mean = _FoldMean(self.final_models == "mean")
            for k in folds:
                test = fold_keep == k
                model = _fit_sgd(fk[~test], y_keep[~test, j], 1e-5, seed)
                column[keep_idx[test]] = _proba(model, fk[test])
                fold_mean.add(model)
            mean = fold_mean.model()
            return column, mean if mean is not None else _fit_sgd(fk, y_keep[:, j], 1e-5, seed)

        self.context_models_: list[SGDClassifier | float] = []
        if self.context <= 0:
            p_tok = oof_tok
        else:
            fitted = Parallel(n_jobs=self.n_jobs, prefer="threads")(
                delayed(context_label)(j) for j in range(y.shape[1])
            )
            p_tok = np.stack([column for column, _ in fitted], axis=1)
            self.context_models_ = [m for _, m in fitted]
        p_tok[frame.blocked] = 0.0
        return p_tok

    def _tune(
        self,
        frame: TokenFrame,
        p: FloatArray,
        y_label: npt.NDArray[np.bool_],
        gold: Sequence[Sequence[Span]],
        label: str,
        punct: npt.NDArray[np.bool_],
    ) -> tuple[float, int, float]:
        scorer = _PartialCredit(frame, gold, label)
        positives = p[(p > 0) & scorer.scored[frame.doc]]
        if not len(positives):
            return 0.5, 0, 0.0
        # Floored, so that a threshold never rounds up past the probabilities it came from.
        grid = np.unique(np.floor(np.quantile(positives, np.linspace(0.4, 0.998, 40)) * 1e4) / 1e4)
        # A volume prior learned from the training data: never select more
        # than three times as many tokens as the gold covers.
        gold_tokens = max(int(y_label.sum()), 1)
        grid = grid[[int((p >= t).sum()) <= 3 * gold_tokens for t in grid.tolist()]]
        if not len(grid):
            return 0.5, 0, 0.0
        # The official scorer skips documents without gold; exact match does not.
        doc_ok = scorer.scored[frame.doc] if self.objective == "ptc" else np.ones(len(p), bool)
        p_ok = np.where(doc_ok, p, 0.0)
        blocked_cum = np.cumsum(frame.blocked, dtype=np.int64)
        token_base = scorer.base[frame.doc]
        gaps = sorted({g for g in _GAPS if g <= self.max_gap} | {self.max_gap})
        scores = np.zeros((len(gaps), len(grid)))
        # Every gap is scored from one pass over the tokens above each
        # threshold: only the bridging distance depends on the gap.
        for i, t in enumerate(grid.tolist()):
            idx = np.flatnonzero(p_ok >= t)
            linked, distance = _links(frame, idx, blocked_cum)
            for g, gap in enumerate(gaps):
                first, last = _trim(idx, linked & (distance <= gap), punct)
                starts = token_base[first] + frame.start[first]
                ends = token_base[last] + frame.end[last]
                scores[g, i] = (
                    scorer.f1(starts, ends)
                    if self.objective == "ptc"
                    else scorer.exact(starts, ends)
                )
        # The first best in (gap, threshold) order, as a sequential search keeps it.
        best_g, best_i = (int(v) for v in np.unravel_index(int(np.argmax(scores)), scores.shape))
        return float(grid[best_i]), gaps[best_g], float(scores[best_g, best_i])

    def _fit_span_model(
        self,
        docs: Sequence[Document],
        gold: Sequence[Sequence[Span]],
        seconds: dict[str, float],
    ) -> Pipeline | str:
        started = time.perf_counter()
        model = self._span_model(docs, gold)
        seconds["span_labeller"] = time.perf_counter() - started
        return model

    def _span_model(
        self, docs: Sequence[Document], gold: Sequence[Sequence[Span]]
    ) -> Pipeline | str:
        # Each gold span is described among the other gold spans of its
        # document, as classify() describes a span among those given with it.
        rows = _span_array(docs, gold)
        targets = np.array([span.label for spans in gold for span in spans])
        if len(set(targets.tolist())) < 2:
            return str(targets[0])
        model = _span_pipeline(rows, self._seed())
        model.fit(rows, targets)  # convergence warnings are silenced by fit
        return model

    # ------------------------------------------------------------------ predict

    def _check_fitted(self) -> None:
        check_is_fitted(self, "labels_")

    def predict_token_proba(self, frame: TokenFrame, codes: npt.NDArray[np.int64]) -> FloatArray:
        """Return each token's probability for each label, ``(n_tokens, n_labels)``."""
        self._check_fitted()
        n_labels = len(self.labels_)
        if not len(frame):
            return np.zeros((0, n_labels))
        texts, extra = self._sentence_inputs(frame)
        if self.sentence_model and texts:
            xs = self._sentence_matrix(texts, extra)
            p_sent = np.stack([_proba(m, xs) for m in self.sentence_models_], axis=1)
        else:
            p_sent = np.tile(
                np.array(
                    [m if isinstance(m, float) else 0.5 for m in self.sentence_models_], dtype=float
                ),
                (len(texts), 1),
            )
        sent_logits = (
            _logit(p_sent)[frame.sentence] if self.sentence_model else np.zeros((len(frame), 0))
        )
        x = self._token_matrix(codes, sent_logits)
        p = (
            np.stack([_proba(m, x) for m in self.token_models_], axis=1)
            if len(frame)
            else np.zeros((0, n_labels))
        )
        if self.context > 0 and len(frame):
            for j in range(n_labels):
                feats = self._context_features(frame, p[:, j], p_sent[frame.sentence, j])
                p[:, j] = _proba(self.context_models_[j], feats)
        p[frame.blocked] = 0.0
        return p

    def predict(
        self,
        documents: Sequence[Document],
        *,
        boilerplate: Sequence[Iterable[Span]] | None = None,
    ) -> list[list[Span]]:
        """Propose labelled spans in each document.

        Parameters
        ----------
        documents : sequence of Document
            The documents.
        boilerplate : sequence of iterables of Span, optional
            Per document, spans of which those labelled ``BOILERPLATE`` are
            excluded from prediction (with ``find_boilerplate``, what
            :func:`biaskit.find_boilerplate` finds is excluded too).

        Returns
        -------
        list of list of Span
            Per document, the proposed spans, with attributes ``confidence``
            (the mean token probability, rounded to 4 digits) and ``origin``
            (``"biaskit.baseline"``).

        Raises
        ------
        sklearn.exceptions.NotFittedError
            Before :meth:`fit`.
        """
        self._check_fitted()
        docs = _check_documents(documents, "predict")
        given = None if boilerplate is None else _check_spans(docs, boilerplate, "predict")
        frame, codes = self._frame(docs, self._boilerplate(docs, given))
        p = self.predict_token_proba(frame, codes)
        out: dict[str, list[Span]] = defaultdict(list)
        punct = _punctuation(frame)
        for j, label in enumerate(self.labels_):
            threshold, gap = self.thresholds_[label], self.gaps_[label]
            found = _assemble(frame, p[:, j], threshold, gap, label, punct)
            for doc_id, spans in found.items():
                out[doc_id].extend(spans)
        return [sorted(out.get(d.id, []), key=Span.sort_key) for d in docs]

    def classify(
        self, documents: Sequence[Document], spans: Sequence[Iterable[Span]]
    ) -> list[list[Span]]:
        """Label given spans (their own labels are ignored).

        Parameters
        ----------
        documents : sequence of Document
            The documents.
        spans : sequence of iterables of Span
            Per document, the spans to label.

        Returns
        -------
        list of list of Span
            Per document, the spans in the order given, each with the
            best-ranked label, ``confidence`` and ``origin``
            (``"biaskit.baseline"``); where one stretch is given several
            times, its copies get the best-ranked distinct labels in turn.

        Notes
        -----
        The spans given for a document are features of one another (copies,
        nesting, repeated words: :func:`biaskit.features.span_numbers`), so a
        span may be labelled differently when given with other spans.

        The support vector machine gives scores, not probabilities:
        ``confidence`` is the label's share of ``softmax(3 * scores)`` over
        all labels, rounded to 4 digits (with two labels, the scores are
        ``-d`` and ``d`` for the decision value ``d``). It ranks like the
        scores and sums to one over the labels, but is not calibrated.
        A model fitted on spans of a single label gives it with confidence 1.
        """
        self._check_fitted()
        docs = _check_documents(documents, "classify")
        rows = _check_spans(docs, spans, "classify")
        flat = [(d, s) for d, row in zip(docs, rows, strict=True) for s in row]
        if not flat:
            return [[] for _ in docs]
        if isinstance(self.span_model_, str):
            classes = np.array([self.span_model_])
            scores = proba = np.ones((len(flat), 1))
        else:
            scores = self.span_model_.decision_function(_span_array(docs, rows))
            if scores.ndim == 1:  # two labels: one decision value, for the second
                scores = np.stack([-scores, scores], axis=1)
            proba = _softmax(_CONFIDENCE_SCALE * scores)
            classes = self.span_model_.classes_
        order = np.argsort(-scores, axis=1, kind="stable")
        used: dict[tuple[str, int, int], int] = defaultdict(int)
        out: list[list[Span]] = [[] for _ in docs]
        index = {d.id: i for i, d in enumerate(docs)}
        for r, (doc, span) in enumerate(flat):
            key = (doc.id, span.start, span.end)
            rank = min(used[key], len(classes) - 1)
            used[key] += 1
            c = order[r, rank]
            attributes = {**span.attributes, "confidence": round(float(proba[r, c]), 4)}
            attributes["origin"] = ORIGIN
            out[index[doc.id]].append(
                Span(span.start, span.end, str(classes[c]), attributes=attributes)
            )
        return out


# ---------------------------------------------------------------------- spans


def _runs(
    frame: TokenFrame,
    p: FloatArray,
    threshold: float,
    gap: int,
    punct: npt.NDArray[np.bool_] | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """First and last token of each run at or above ``threshold``, bridging up to ``gap`` tokens.

    Runs never cross documents, blocked (boilerplate) tokens, or sentence
    boundaries (except between adjacent tokens), and are trimmed of
    punctuation at their edges; a run of punctuation alone is dropped.
    """
    idx = np.flatnonzero(p >= threshold)
    linked, distance = _links(frame, idx, np.cumsum(frame.blocked, dtype=np.int64))
    return _trim(idx, linked & (distance <= gap), _punctuation(frame) if punct is None else punct)


def _links(
    frame: TokenFrame, idx: npt.NDArray[np.int64], blocked_cum: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """Whether consecutive selected tokens ``idx`` may join a run, and the tokens between them.

    They may when in one document, with no blocked token between them, and
    in one sentence or adjacent; ``blocked_cum`` is ``cumsum(frame.blocked)``.
    """
    prev, nxt = idx[:-1], idx[1:]
    linked = (
        (frame.doc[nxt] == frame.doc[prev])
        & ((frame.sentence[nxt] == frame.sentence[prev]) | (nxt - prev == 1))
        & (blocked_cum[nxt] == blocked_cum[prev])
    )
    return linked, nxt - prev - 1


def _trim(
    idx: npt.NDArray[np.int64], joined: npt.NDArray[np.bool_], punct: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """First and last token of the runs of ``idx`` (``joined``: each to the next), trimmed."""
    if not len(idx):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    a = np.r_[0, np.flatnonzero(~joined) + 1]
    b = np.r_[a[1:], len(idx)] - 1
    first, last = idx[a], idx[b]
    for _ in range(4):  # edges rarely hold more than a few punctuation tokens
        move = punct[first] & (first < last)
        first = first + move
        move = punct[last] & (last > first)
        last = last - move
    keep = ~(punct[first] & (first == last))
    return first[keep], last[keep]


def _punctuation(frame: TokenFrame) -> npt.NDArray[np.bool_]:
    return np.fromiter((w in _PUNCT_EDGE for w in frame.raw), dtype=bool, count=len(frame))


def _assemble(
    frame: TokenFrame,
    p: FloatArray,
    threshold: float,
    gap: int,
    label: str,
    punct: npt.NDArray[np.bool_] | None = None,
) -> dict[str, list[Span]]:
    """Return the spans of one label: runs of tokens (:func:`_runs`) with their mean probability."""
    out: dict[str, list[Span]] = defaultdict(list)
    first, last = _runs(frame, p, threshold, gap, punct)
    if not len(first):
        return out
    csum = np.r_[0.0, np.cumsum(p)]
    means = (csum[last + 1] - csum[first]) / (last - first + 1)
    for f, e, m in zip(first.tolist(), last.tolist(), means.tolist(), strict=True):
        doc = frame.documents[int(frame.doc[f])]
        out[doc.id].append(
            Span(
                int(frame.start[f]),
                int(frame.end[e]),
                label,
                attributes={"confidence": round(m, 4), "origin": ORIGIN},
            )
        )
    return out


class _PartialCredit:
    """The PTC partial-credit F1 of one label, fast, for tuning over many candidates.

    Offsets of all documents are laid end to end; gold spans (merged, as the
    official scorer does) become a coverage array, so a candidate set of
    non-overlapping spans is scored with prefix sums. Documents without gold
    spans are skipped, as the official scorer does. Equal to
    :func:`biaskit.metrics.ptc_scores` (label-free, on one label's spans).
    """

    def __init__(self, frame: TokenFrame, gold: Sequence[Sequence[Span]], label: str) -> None:
        lengths = np.array([len(d.text) for d in frame.documents], dtype=np.int64)
        self.base = np.r_[0, np.cumsum(lengths)[:-1]] if len(lengths) else lengths
        total = int(lengths.sum())
        cover = np.zeros(total + 1, dtype=np.int64)
        self.scored = np.zeros(len(frame.documents), dtype=bool)
        gold_s: list[int] = []
        gold_e: list[int] = []
        for i, spans in enumerate(gold):
            intervals = merge_intervals((s.start, s.end) for s in spans if s.label == label)
            if intervals:
                self.scored[i] = True
            for s, e in intervals:
                gold_s.append(int(self.base[i]) + s)
                gold_e.append(int(self.base[i]) + e)
                cover[int(self.base[i]) + s] += 1
                cover[int(self.base[i]) + e] -= 1
        self.gold_cum = np.r_[0, np.cumsum(np.cumsum(cover)[:-1] > 0)]
        self.gold_s = np.array(gold_s, dtype=np.int64)
        self.gold_e = np.array(gold_e, dtype=np.int64)
        self.total = total

    def exact(self, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]) -> float:
        """Exact-match F1 of candidate spans ``[starts, ends)`` (global offsets)."""
        gold = set(zip(self.gold_s.tolist(), self.gold_e.tolist(), strict=True))
        pred = set(zip(starts.tolist(), ends.tolist(), strict=True))
        tp = len(gold & pred)
        return 2 * tp / (len(gold) + len(pred)) if gold or pred else 0.0

    def f1(self, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]) -> float:
        """Partial-credit F1 of non-overlapping candidate spans ``[starts, ends)`` (global)."""
        if not len(starts) or not len(self.gold_s):
            return 0.0
        precision = float(np.mean((self.gold_cum[ends] - self.gold_cum[starts]) / (ends - starts)))
        if np.all(starts[1:] >= ends[:-1]):
            # Sorted and disjoint (as runs are): the predicted characters
            # before each gold edge come from prefix sums of the lengths.
            lengths = np.r_[0, np.cumsum(ends - starts)]
            ends_before = np.r_[0, ends]

            def covered(x: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
                k = np.searchsorted(starts, x, side="left")  # candidates starting before x
                return np.asarray(lengths[k] - np.maximum(ends_before[k] - x, 0), dtype=np.int64)

            pred_gold = covered(self.gold_e) - covered(self.gold_s)
        else:
            cover = np.zeros(self.total + 1, dtype=np.int64)
            np.add.at(cover, starts, 1)
            np.add.at(cover, ends, -1)
            pred_cum = np.r_[0, np.cumsum(np.cumsum(cover)[:-1] > 0)]
            pred_gold = pred_cum[self.gold_e] - pred_cum[self.gold_s]
        recall = float(np.mean(pred_gold / (self.gold_e - self.gold_s)))
        return (
            0.0 if precision == 0 or recall == 0 else 2 * precision * recall / (precision + recall)
        )


def _span_array(
    docs: Sequence[Document], spans: Sequence[Sequence[Span]]
) -> npt.NDArray[np.object_]:
    """One row per span: text, context, edges, then the numbers (:func:`span_rows`)."""
    rows = [
        [text, context, edges, *numbers]
        for doc, row in zip(docs, spans, strict=True)
        for text, context, edges, numbers in span_rows(doc, row)
    ]
    return np.array(rows, dtype=object)


def _softmax(z: FloatArray) -> FloatArray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)


def _has_terms(vectorizer: TfidfVectorizer, texts: Iterable[str]) -> bool:
    """Whether ``vectorizer`` would keep a term: one seen in ``min_df`` texts.

    A column without one (only one-letter words, say) is left out rather than
    letting the vectorizer fail on an empty vocabulary.
    """
    analyze = vectorizer.build_analyzer()
    seen: dict[str, int] = defaultdict(int)
    for text in texts:
        for term in set(analyze(text)):
            seen[term] += 1
            if seen[term] >= vectorizer.min_df:
                return True
    return False


def _span_pipeline(rows: npt.NDArray[np.object_], seed: int) -> Pipeline:
    """Build the span labeller, its text columns chosen for ``rows`` (:func:`_span_array`)."""
    min_df = 2 if len(rows) > 50 else 1
    text_columns = [
        (
            "words",
            TfidfVectorizer(
                ngram_range=(1, 2), min_df=min_df, sublinear_tf=True, max_features=30000
            ),
            0,
        ),
        (
            "chars",
            TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=(2, 5),
                min_df=min_df,
                sublinear_tf=True,
                max_features=30000,
            ),
            0,
        ),
        ("context", TfidfVectorizer(token_pattern=r"\S+", min_df=min_df), 1),
        ("edges", TfidfVectorizer(token_pattern=r"\S+", min_df=min_df), 2),
    ]
    columns: list[tuple[str, Any, Any]] = [
        c for c in text_columns if _has_terms(c[1], rows[:, c[2]].tolist())
    ]
    columns.append(("numbers", StandardScaler(), list(range(3, rows.shape[1]))))
    weights = {"context": _CONTEXT_WEIGHT} if any(c[0] == "context" for c in columns) else None
    features = ColumnTransformer(columns, transformer_weights=weights)
    svm = LinearSVC(C=_SPAN_C, max_iter=_SPAN_MAX_ITER, random_state=seed)
    return Pipeline([("features", features), ("model", svm)])


def training_sha256(documents: Sequence[Document], spans: Sequence[Iterable[Span]]) -> str:
    """Return a SHA-256 over documents (id and text hash) and their spans.

    Examples
    --------
    >>> d = Document("d", "abc")
    >>> training_sha256([d], [[Span(0, 1, "A")]]) == training_sha256([d], [[Span(0, 1, "A")]])
    True
    >>> training_sha256([d], [[Span(0, 1, "A")]]) == training_sha256([d], [[Span(0, 2, "A")]])
    False
    """
    import hashlib

    h = hashlib.sha256()
    for doc, row in zip(documents, spans, strict=True):
        h.update(f"{doc.id}\0{doc.sha256}\0".encode())
        for s in sorted(row, key=Span.sort_key):
            h.update(f"{s.start}\0{s.end}\0{s.label}\0".encode())
        h.update(b"\1")
    return h.hexdigest()
