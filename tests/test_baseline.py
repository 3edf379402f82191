"""The baseline span classifier: the scikit-learn contract and what it predicts."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp  # type: ignore[import-untyped, unused-ignore]
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

import biaskit
import biaskit.baseline as baseline
from biaskit import Document, Span
from biaskit.baseline import (
    ORIGIN,
    SpanClassifier,
    TrainingDataError,
    _PartialCredit,
    _training_rows,
    _with_dense_columns,
)
from biaskit.evaluation import training_data
from biaskit.features import CodeEncoder, token_frame, token_targets
from biaskit.metrics import ptc_scores

from ._synthetic_spans import synthetic


@pytest.fixture(scope="module")
def data() -> tuple[list[Document], list[list[Span]]]:
    return synthetic(24, seed=0)


@pytest.fixture(scope="module")
def fitted(data: tuple[list[Document], list[list[Span]]]) -> SpanClassifier:
    docs, gold = data
    return SpanClassifier(cv=3, random_state=0).fit(docs[:18], gold[:18])


def _key(spans: list[list[Span]]) -> list[list[tuple[int, int, str, Any]]]:
    return [[(s.start, s.end, s.label, s.attributes["confidence"]) for s in row] for row in spans]


# ----------------------------------------------------------------- the contract


def test_init_only_stores_parameters_and_get_params_round_trips() -> None:
    model = SpanClassifier(window=1, alpha=1e-4, cv=4, random_state=7)
    params = model.get_params()
    assert params["window"] == 1
    assert params["alpha"] == 1e-4
    assert params["random_state"] == 7
    assert SpanClassifier(**params).get_params() == params
    assert not [k for k in vars(model) if k.endswith("_")]


def test_set_params_and_clone_give_an_unfitted_copy(fitted: SpanClassifier) -> None:
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params()
    assert not hasattr(copy, "labels_")
    assert copy.set_params(window=3) is copy
    assert copy.window == 3


def test_fit_returns_self_and_learned_state_ends_in_underscore(
    data: tuple[list[Document], list[list[Span]]],
) -> None:
    docs, gold = data
    model = SpanClassifier(cv=2, random_state=0)
    assert model.fit(docs[:8], gold[:8]) is model
    assert model.labels_ == ("LOADED", "QUOTE")
    assert set(model.thresholds_) == set(model.gaps_) == {"LOADED", "QUOTE"}


def test_predicting_before_fit_raises_not_fitted() -> None:
    doc = Document("d", "text")
    with pytest.raises(NotFittedError):
        SpanClassifier().predict([doc])
    with pytest.raises(NotFittedError):
        SpanClassifier().classify([doc], [[Span(0, 4, "X")]])


def test_pickle_round_trip_predicts_the_same(
    fitted: SpanClassifier, data: tuple[list[Document], list[list[Span]]]
) -> None:
    docs, _ = data
    again = pickle.loads(pickle.dumps(fitted))
    assert _key(again.predict(docs[18:])) == _key(fitted.predict(docs[18:]))


def test_same_random_state_gives_the_same_model(
    data: tuple[list[Document], list[list[Span]]],
) -> None:
    docs, gold = data
    a = SpanClassifier(cv=2, random_state=3).fit(docs[:10], gold[:10])
    b = SpanClassifier(cv=2, random_state=3).fit(docs[:10], gold[:10])
    assert a.thresholds_ == b.thresholds_
    assert _key(a.predict(docs[18:])) == _key(b.predict(docs[18:]))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"cv": 1}, "cv must be an integer >= 2, not 1"),
        ({"window": -1}, "window must be an integer >= 0, not -1"),
        ({"objective": "f2"}, "objective must be 'ptc' or 'exact', not 'f2'"),
        ({"alpha": 0}, "alpha must be a positive number, not 0"),
        ({"final_models": "best"}, "final_models must be 'refit' or 'mean', not 'best'"),
        ({"subsample": 0}, r"subsample must be a number in \(0, 1\], not 0"),
        ({"subsample": 1.5}, r"subsample must be a number in \(0, 1\], not 1.5"),
    ],
)
def test_bad_parameters_are_reported_by_fit(params: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SpanClassifier(**params).fit([Document("d", "a b")], [[Span(0, 1, "X")]])


@pytest.mark.parametrize(
    ("documents", "spans", "message"),
    [
        ("text", [], "fit expects a sequence of Document objects, not str"),
        ([Document("d", "a b")], [], "fit got 1 documents but 0 span lists"),
        (
            [Document("d", "a b")],
            [[(0, 1, "X")]],
            "fit expects Span objects; document 'd' has tuple",
        ),
        ([Document("d", "a b")], [[Span(0, 9, "X")]], "ends past the end of document 'd'"),
        ([Document("d", "a b")], [[Span(0, 1, "BOILERPLATE")]], "at least one span that is not"),
    ],
)
def test_bad_training_data_is_a_training_data_error(
    documents: Any, spans: Any, message: str
) -> None:
    with pytest.raises(TrainingDataError, match=message):
        SpanClassifier().fit(documents, spans)


# ----------------------------------------------------------------- behaviour


def test_predict_finds_short_and_long_spans_with_confidence(
    fitted: SpanClassifier, data: tuple[list[Document], list[list[Span]]]
) -> None:
    docs, gold = data
    predicted = fitted.predict(docs[18:])
    report = ptc_scores(
        dict(zip([d.id for d in docs[18:]], gold[18:], strict=True)),
        dict(zip([d.id for d in docs[18:]], predicted, strict=True)),
    )
    assert report.per_label["LOADED"].f1 > 0.8
    assert report.per_label["QUOTE"].f1 > 0.8
    quotes = [s for row in predicted for s in row if s.label == "QUOTE"]
    assert max(len(docs[18].text[s.start : s.end].split()) for s in quotes) >= 5
    for span in (s for row in predicted for s in row):
        assert 0.0 <= span.attributes["confidence"] <= 1.0
        assert span.attributes["origin"] == ORIGIN


def test_spans_of_different_labels_may_overlap(
    fitted: SpanClassifier, data: tuple[list[Document], list[list[Span]]]
) -> None:
    docs, _ = data
    pairs = [
        (a, b)
        for row in fitted.predict(docs[18:])
        for a in row
        for b in row
        if a.label == "QUOTE" and b.label == "LOADED" and a.overlaps(b)
    ]
    assert pairs


def test_nothing_is_predicted_inside_boilerplate(
    fitted: SpanClassifier, data: tuple[list[Document], list[list[Span]]]
) -> None:
    docs, _ = data
    for doc, row in zip(docs[18:], fitted.predict(docs[18:]), strict=True):
        tail = doc.text.index("Read more:")
        assert all(s.end <= tail for s in row), doc.id
    # Without the cleaner at prediction time, the loaded verb in that line is
    # found; boilerplate passed in is still respected.
    unclean = copy.deepcopy(fitted).set_params(find_boilerplate=False)
    doc = docs[20]
    tail = doc.text.index("Read more:")
    free = unclean.predict([doc])[0]
    assert any(s.start >= tail for s in free)  # the loaded verb there is found...
    blocked = unclean.predict([doc], boilerplate=[[Span(tail, len(doc.text) - 1, "BOILERPLATE")]])
    assert all(s.end <= tail for s in blocked[0])  # ...unless it is marked boilerplate


def test_classify_labels_given_spans_and_spreads_labels_over_copies(
    fitted: SpanClassifier, data: tuple[list[Document], list[list[Span]]]
) -> None:
    docs, gold = data
    doc = docs[19]
    spans = list(gold[19])
    labelled = fitted.classify([doc], [[Span(s.start, s.end, "?") for s in spans]])[0]
    assert [s.label for s in labelled] == [s.label for s in spans]
    first = spans[0]
    twice = fitted.classify([doc], [[Span(first.start, first.end, "?")] * 2])[0]
    assert {s.label for s in twice} == {"LOADED", "QUOTE"}
    assert twice[0].attributes["confidence"] >= twice[1].attributes["confidence"]


def test_predict_on_documents_without_tokens_returns_empty_lists(fitted: SpanClassifier) -> None:
    assert fitted.predict([Document("e", ""), Document("f", "   ")]) == [[], []]


def test_fast_partial_credit_equals_the_official_measure() -> None:
    rng = np.random.default_rng(0)
    docs = [Document(f"d{i}", " ".join(["word"] * 60)) for i in range(5)]
    frame = token_frame(docs)
    gold = [
        [
            Span(int(a), int(a) + int(w), "X")
            for a, w in zip(rng.integers(0, 250, 4), rng.integers(3, 40, 4), strict=True)
        ]
        for _ in docs
    ]
    gold[3] = []  # a document without gold: skipped by the official scorer
    scorer = _PartialCredit(frame, gold, "X")
    pred = [
        [
            Span(int(a), int(a) + 10, "X")
            for a in sorted(rng.choice(np.arange(0, 280, 20), 5, replace=False))
        ]
        for _ in docs
    ]
    starts = np.array(
        [scorer.base[i] + s.start for i, row in enumerate(pred) if scorer.scored[i] for s in row]
    )
    ends = np.array(
        [scorer.base[i] + s.end for i, row in enumerate(pred) if scorer.scored[i] for s in row]
    )
    official = (
        ptc_scores(
            {d.id: g for d, g in zip(docs, gold, strict=True)},
            {d.id: p for d, p in zip(docs, pred, strict=True)},
            labelled=False,
        )
        .scores()
        .f1
    )
    assert scorer.f1(starts, ends) == pytest.approx(official, abs=1e-12)


def test_fast_partial_credit_of_sorted_disjoint_spans_equals_the_coverage_count() -> None:
    # Sorted, disjoint candidates (as runs of tokens are) take a prefix-sum
    # path; given in reverse order they take the character-coverage path.
    rng = np.random.default_rng(1)
    docs = [Document(f"d{i}", " ".join(["word"] * 80)) for i in range(4)]
    frame = token_frame(docs)
    gold = [
        [
            Span(int(a), int(a) + int(w), "X")
            for a, w in zip(rng.integers(0, 300, 5), rng.integers(2, 60, 5), strict=True)
        ]
        for _ in docs
    ]
    scorer = _PartialCredit(frame, gold, "X")
    for _ in range(100):
        n = int(rng.integers(1, 15))
        steps = rng.integers(0, 120, 2 * n)  # gaps of 0: candidates that touch
        steps[1::2] += 1  # no empty candidate
        edges = np.cumsum(steps)
        if edges[-1] > scorer.total:
            continue
        starts, ends = edges[0::2], edges[1::2]
        fast = scorer.f1(starts, ends)
        assert fast == pytest.approx(scorer.f1(starts[::-1], ends[::-1]), abs=1e-12)


@pytest.mark.parametrize("zeros", [False, True])
def test_token_matrix_columns_equal_scipy_stacking(zeros: bool) -> None:
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 50, (500, 7))
    x = CodeEncoder(min_frequency=2).fit(codes).transform(codes)
    dense = rng.normal(size=(500, 3))
    if zeros:  # stored nowhere by scipy: the general path
        dense[rng.random(dense.shape) < 0.1] = 0.0
    ours = _with_dense_columns(x, dense)
    theirs = sp.csr_matrix(sp.hstack([x, sp.csr_matrix(dense)]))
    assert ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(ours, name), getattr(theirs, name)), name


def test_token_rows_are_all_of_spanned_sentences_and_a_seeded_weighted_share_of_the_rest() -> None:
    rng = np.random.default_rng(1)
    sentence = np.repeat(np.arange(2000), 10)
    y = np.zeros((len(sentence), 3), dtype=bool)
    y[rng.choice(len(sentence), 300, replace=False), rng.integers(0, 3, 300)] = True
    spanned = np.isin(sentence, sentence[y.any(axis=1)])
    rows, weight = _training_rows(sentence, y, 0.25, seed=7)
    assert rows[spanned].all()  # every row of a sentence with a span, of any label
    assert 0.23 < rows[~spanned].mean() < 0.27
    assert weight is not None
    assert np.array_equal(weight, np.where(spanned[rows], 1.0, 4.0))  # one per kept row
    again, _ = _training_rows(sentence, y, 0.25, seed=7)
    other, _ = _training_rows(sentence, y, 0.25, seed=8)
    assert np.array_equal(rows, again)
    assert not np.array_equal(rows, other)
    every, none = _training_rows(sentence, y, 1.0, seed=7)
    assert every.all()
    assert none is None


def _sparse_corpus() -> tuple[list[Document], list[list[Span]]]:
    """Documents in which most sentences hold no span: one LOADED or QUOTE word each."""
    docs, gold = [], []
    for i in range(40):
        word = ("butchered", "slaughtered", "shelled", "attacked")[i % 4]
        text = f"The rebels {word} the town. " + "It rained all day in the hills. " * 8
        docs.append(Document(f"d{i}", text))
        label = "LOADED" if i % 4 < 2 else "QUOTE"
        gold.append([Span(11, 11 + len(word), label)] if i % 4 != 3 else [])
    return docs, gold


class _FitRecorder:
    """Wraps a fit function of ``biaskit.baseline`` to record each fit's arguments and model."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str = "_fit_sgd") -> None:
        self.calls: list[tuple[tuple[Any, ...], Any]] = []
        self._fit = getattr(baseline, name)
        monkeypatch.setattr(baseline, name, self)

    def __call__(self, *args: Any) -> Any:
        model = self._fit(*args)
        self.calls.append((args, model))
        return model

    def stage(self, alpha: float) -> list[tuple[int, int, Any]]:
        """Rows, positives and model of each ``_fit_sgd(x, y, alpha, seed[, weight])`` fit."""
        return [(a[0].shape[0], int(a[1].sum()), m) for a, m in self.calls if a[2] == alpha]


_TOKEN_ALPHA, _CONTEXT_ALPHA = SpanClassifier().alpha, 1e-5


def _recorded_fit(
    monkeypatch: pytest.MonkeyPatch, **params: Any
) -> tuple[SpanClassifier, _FitRecorder, _FitRecorder]:
    """Fit on :func:`_sparse_corpus`, recording the SGD fits and the sentence fits."""
    docs, gold = _sparse_corpus()
    recorder = _FitRecorder(monkeypatch)
    sentences = _FitRecorder(monkeypatch, "_fit_lr")
    model = SpanClassifier(cv=2, random_state=0, find_boilerplate=False, **params)
    return model.fit(docs, gold), recorder, sentences


def test_token_models_learn_from_spanned_sentences_and_a_share_of_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs, gold = _sparse_corpus()
    frame = token_frame(docs)
    for labels, rate in ((("LOADED", "QUOTE"), 0.5), (("LOADED",), 0.25), (("LOADED",), 1.0)):
        rows = [[s for s in row if s.label in labels] for row in gold]
        recorder = _FitRecorder(monkeypatch)
        model = SpanClassifier(
            cv=2, random_state=0, find_boilerplate=False, subsample=rate, final_models="mean"
        ).fit(docs, rows)
        y = token_targets(frame, rows, model.labels_)
        spanned = np.isin(frame.sentence, frame.sentence[y.any(axis=1)])
        others = int((~spanned).sum())
        fits = recorder.stage(_TOKEN_ALPHA)
        assert len(fits) == 2 * len(labels)  # one per fold and label, no refit
        # The two folds' training rows together are each learned-from row once.
        learned = sum(n for n, _, _ in fits) / len(labels)
        if rate < 1:
            assert abs(learned - spanned.sum() - others * rate) < 0.1 * others
        else:
            assert learned == len(frame)  # every token


def test_final_models_are_refitted_on_every_learned_row_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model, recorder, sentences = _recorded_fit(monkeypatch, subsample=0.5)
    assert model.final_models == "refit"
    n_labels = len(model.labels_)
    tokens = recorder.stage(_TOKEN_ALPHA)
    assert len(tokens) == 3 * n_labels  # the folds' fits, then one refit per label
    for j, (n, _, final) in enumerate(tokens[2 * n_labels :]):
        assert model.token_models_[j] is final
        assert n == tokens[0][0] + tokens[n_labels][0]  # both folds' training rows
    contexts = recorder.stage(_CONTEXT_ALPHA)
    assert [m for _, _, m in contexts[2::3]] == list(model.context_models_)
    assert [m for _, m in sentences.calls[2 * n_labels :]] == list(model.sentence_models_)


def test_models_saved_before_final_models_and_subsample_load_with_their_defaults(
    fitted: SpanClassifier,
) -> None:
    before = pickle.loads(pickle.dumps(fitted))
    del before.final_models, before.subsample  # as pickled by an earlier version
    old = pickle.loads(pickle.dumps(before))
    assert old.get_params()["final_models"] == "refit"
    assert old.get_params()["subsample"] == 1.0
    doc = Document("t", "Officials said the rebels butchered the town.")
    assert _key(old.predict([doc])) == _key(fitted.predict([doc]))


def test_final_models_are_the_means_of_the_fold_models(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model, recorder, sentences = _recorded_fit(monkeypatch, final_models="mean")
    stages = (
        (model.sentence_models_, [m for _, m in sentences.calls], "fold"),
        (model.token_models_, [m for _, _, m in recorder.stage(_TOKEN_ALPHA)], "fold"),
        (model.context_models_, [m for _, _, m in recorder.stage(_CONTEXT_ALPHA)], "label"),
    )
    for finals, fits, order in stages:
        assert len(fits) == 2 * len(model.labels_)  # the folds' fits only, no refit
        for j, final in enumerate(finals):
            # Fits run fold by fold for the sentence and token stages, label by
            # label for the context stage.
            folds = [fits[k * 2 + j] if order == "fold" else fits[j * 2 + k] for k in range(2)]
            assert np.allclose(final.coef_, (folds[0].coef_ + folds[1].coef_) / 2)
            assert np.allclose(final.intercept_, (folds[0].intercept_ + folds[1].intercept_) / 2)
            x = np.random.default_rng(j).normal(size=(5, final.n_features_in_))
            logit = (folds[0].decision_function(x) + folds[1].decision_function(x)) / 2
            assert np.allclose(final.predict_proba(x)[:, 1], 1 / (1 + np.exp(-logit)))


def test_with_fold_means_a_label_missing_from_a_fold_is_refitted_on_every_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs, gold = _sparse_corpus()
    # QUOTE in one document only: with two folds, the model of the fold
    # that holds it learns from no QUOTE span, and is a constant.
    rows = [[s for s in row if s.label == "LOADED" or i == 2] for i, row in enumerate(gold)]
    recorder = _FitRecorder(monkeypatch)
    model = SpanClassifier(
        cv=2, random_state=0, find_boilerplate=False, final_models="mean", subsample=0.5
    ).fit(docs, rows)
    fits = recorder.stage(_TOKEN_ALPHA)
    quote = model.labels_.index("QUOTE")
    assert any(isinstance(m, float) for _, pos, m in fits if pos == 0)
    assert len(fits) == 2 * 2 + 1  # the folds' fits, then QUOTE's refit
    *_, (n, pos, refit) = fits
    assert model.token_models_[quote] is refit
    assert pos > 0
    assert n == fits[0][0] + fits[2][0]  # every learned-from row: both folds' training rows


def test_n_jobs_does_not_change_the_fitted_model(
    data: tuple[list[Document], list[list[Span]]], fitted: SpanClassifier
) -> None:
    docs, gold = data
    parallel = SpanClassifier(cv=3, random_state=0, n_jobs=2).fit(docs[:18], gold[:18])
    assert parallel.thresholds_ == fitted.thresholds_
    assert parallel.gaps_ == fitted.gaps_
    assert parallel.oof_scores_ == fitted.oof_scores_
    assert _key(parallel.predict(docs[18:])) == _key(fitted.predict(docs[18:]))
    given = [[Span(s.start, s.end, "?") for s in row] for row in gold[18:]]
    assert _key(parallel.classify(docs[18:], given)) == _key(fitted.classify(docs[18:], given))


def test_fit_records_the_seconds_of_each_stage(fitted: SpanClassifier) -> None:
    stages = {"features", "sentences", "tokens", "thresholds", "span_labeller", "total"}
    assert set(fitted.fit_seconds_) == stages
    assert all(v >= 0 for v in fitted.fit_seconds_.values())
    assert fitted.fit_seconds_["total"] >= fitted.fit_seconds_["tokens"]


@pytest.mark.slow
def test_the_seed_corpus_trains_and_predicts_validating_spans(repo_root: Any) -> None:
    corpus = biaskit.load_corpus(repo_root / "annotations")
    docs, rows = training_data(corpus)
    model = SpanClassifier(rules=True, random_state=0).fit(docs, rows)
    predicted = model.predict(docs, boilerplate=rows)
    boiler = {
        d.id: [(s.start, s.end) for s in r if s.label == "BOILERPLATE"]
        for d, r in zip(docs, rows, strict=True)
    }
    for doc, row in zip(docs, predicted, strict=True):
        for span in row:
            assert span.label in corpus.schema
            assert not any(span.start < e and s < span.end for s, e in boiler[doc.id])


# ----------------------------------------------------------------- classify


def test_classify_is_deterministic_across_calls_and_fits(
    fitted: SpanClassifier, data: tuple[list[Document], list[list[Span]]]
) -> None:
    docs, gold = data
    given = [[Span(s.start, s.end, "?") for s in row] for row in gold[18:]]
    first = fitted.classify(docs[18:], given)
    assert _key(fitted.classify(docs[18:], given)) == _key(first)
    again = SpanClassifier(cv=3, random_state=0).fit(docs[:18], gold[:18])
    assert _key(again.classify(docs[18:], given)) == _key(first)
    for row in first:
        for span in row:
            assert 0.0 < span.attributes["confidence"] <= 1.0
            assert span.attributes["origin"] == ORIGIN


def _echo_corpus(n: int) -> tuple[list[Document], list[list[Span]]]:
    """Each text says "the big lie" twice: both gold as ECHO, or one of them as SOLO."""
    docs, gold = [], []
    for i in range(n):
        text = f"Report {i}.\nThey told the big lie again.\nThen the big lie was told.\n"
        a = text.index("the big lie")
        b = text.index("the big lie", a + 1)
        docs.append(Document(f"d{i}", text))
        if i % 2:
            gold.append([Span(a, a + 11, "ECHO"), Span(b, b + 11, "ECHO")])
        else:
            at = a if i % 4 == 0 else b
            gold.append([Span(at, at + 11, "SOLO")])
    return docs, gold


def test_classify_reads_the_other_spans_given_as_fit_read_the_other_gold_spans() -> None:
    docs, gold = _echo_corpus(16)
    model = SpanClassifier(cv=2, random_state=0).fit(docs, gold)
    doc = Document("t", "Report 99.\nThey told the big lie again.\nThen the big lie was told.\n")
    a = doc.text.index("the big lie")
    b = doc.text.index("the big lie", a + 1)
    alone = model.classify([doc], [[Span(a, a + 11, "?")]])[0]
    assert [s.label for s in alone] == ["SOLO"]
    both = model.classify([doc], [[Span(a, a + 11, "?"), Span(b, b + 11, "?")]])[0]
    assert [s.label for s in both] == ["ECHO", "ECHO"]


def test_classify_with_a_single_training_label_gives_it_with_confidence_one() -> None:
    docs = [Document(f"d{i}", "They are traitors. It rained.") for i in range(3)]
    model = SpanClassifier(cv=2, random_state=0).fit(docs, [[Span(9, 17, "X")]] * 3)
    assert model.span_model_ == "X"
    out = model.classify(docs[:1], [[Span(0, 4, "?"), Span(0, 4, "?")]])[0]
    assert [(s.label, s.attributes["confidence"]) for s in out] == [("X", 1.0), ("X", 1.0)]


def test_classify_learns_from_a_label_with_one_example_and_one_letter_words() -> None:
    docs = [Document(f"d{i}", f"a b c {i}. They are traitors. It rained.") for i in range(4)]
    gold = [[Span(0, 1, "ONE")], [Span(2, 3, "TWO")], [Span(2, 3, "TWO")], [Span(4, 5, "THREE")]]
    model = SpanClassifier(cv=2, random_state=0).fit(docs, gold)
    out = model.classify(docs, [[Span(0, 1, "?")], [Span(2, 3, "?")], [], [Span(4, 5, "?")]])
    assert [[s.label for s in row] for row in out] == [["ONE"], ["TWO"], [], ["THREE"]]
    confidences = [s.attributes["confidence"] for row in out for s in row]
    assert all(0.0 < c <= 1.0 for c in confidences)


def test_classify_copies_of_a_stretch_get_all_labels_in_turn_with_confidences_summing_to_one(
    fitted: SpanClassifier, data: tuple[list[Document], list[list[Span]]]
) -> None:
    docs, gold = data
    span = gold[19][0]
    copies = fitted.classify([docs[19]], [[Span(span.start, span.end, "?")] * 3])[0]
    # two labels: the third copy repeats the last; the first two share the softmax
    assert [s.label for s in copies[:2]] in (["LOADED", "QUOTE"], ["QUOTE", "LOADED"])
    assert copies[2].label == copies[1].label
    total = copies[0].attributes["confidence"] + copies[1].attributes["confidence"]
    assert total == pytest.approx(1.0, abs=2e-4)
