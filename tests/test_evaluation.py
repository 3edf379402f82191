"""Cross-validation grouped by document, outlet or metadata key, and its reports."""

from __future__ import annotations

import json
from typing import Any, ClassVar

import pytest

import biaskit
from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
from biaskit.baseline import SpanClassifier
from biaskit.evaluation import (
    EvaluationError,
    cross_validate,
    evaluation_to_dict,
    render_evaluation,
    training_data,
)
from biaskit.metrics import exact_match

from ._synthetic_spans import synthetic


def _corpus(n: int = 12) -> Corpus:
    docs, gold = synthetic(n, seed=4)
    outlets = ["Alpha", "Beta", "Gamma"]
    docs = [
        Document(d.id, d.text, outlet=outlets[i % 3], metadata={"event": f"e{i // 2}"})
        for i, d in enumerate(docs)
    ]
    schema = Schema("t", "1", [LabelSpec("LOADED"), LabelSpec("QUOTE"), LabelSpec("BOILERPLATE")])
    sets = [AnnotationSet(d, "gold", g) for d, g in zip(docs, gold, strict=True)]
    return Corpus(docs, schema, sets)


class _Recorder(SpanClassifier):  # type: ignore[misc]
    """Records the training documents of each fit (a test double built on the real thing)."""

    seen: ClassVar[list[set[str]]] = []

    def fit(self, documents: Any, spans: Any) -> Any:
        _Recorder.seen.append({d.id for d in documents})
        return super().fit(documents, spans)


@pytest.fixture(autouse=True)
def _reset() -> None:
    _Recorder.seen = []


def test_leave_one_outlet_out_trains_on_the_other_outlets() -> None:
    corpus = _corpus()
    cv = cross_validate(corpus, _Recorder(cv=2, random_state=0), group_by="outlet")
    assert cv.groups == ("Alpha", "Beta", "Gamma")
    outlet = {d.id: d.outlet for d in corpus}
    for held_out, trained in zip(cv.folds, _Recorder.seen, strict=True):
        held = {outlet[d] for d in held_out}
        assert len(held) == 1
        assert not held & {outlet[d] for d in trained}
    assert sorted(d for f in cv.folds for d in f) == sorted(d.id for d in corpus)


def test_grouping_by_a_metadata_key_keeps_each_event_in_one_fold() -> None:
    corpus = _corpus(12)
    cv = cross_validate(corpus, _Recorder(cv=2, random_state=0), group_by="event", n_splits=3)
    event = {d.id: d.metadata["event"] for d in corpus}
    assert len(cv.folds) == 3
    for held_out, trained in zip(cv.folds, _Recorder.seen, strict=True):
        assert not {event[d] for d in held_out} & {event[d] for d in trained}


def test_grouping_by_document_makes_n_splits_disjoint_folds() -> None:
    cv = cross_validate(_corpus(), SpanClassifier(cv=2, random_state=0), n_splits=4)
    assert cv.groups == ("fold-1", "fold-2", "fold-3", "fold-4")
    ids = [d for f in cv.folds for d in f]
    assert len(ids) == len(set(ids)) == 12


def test_scores_are_those_of_the_metrics_on_the_out_of_fold_predictions() -> None:
    cv = cross_validate(_corpus(), SpanClassifier(cv=2, random_state=0), group_by="outlet")
    direct = exact_match(
        {d: list(s) for d, s in cv.gold.items()},
        {d: list(s) for d, s in cv.predictions.items()},
        zero_division=0.0,
    )
    got = (cv.exact.overall.tp, cv.exact.overall.fp, cv.exact.overall.fn)
    assert got == (direct.overall.tp, direct.overall.fp, direct.overall.fn)
    assert cv.exact.scores("micro").f1 > 0.7
    assert "BOILERPLATE" not in cv.labels


def test_reports_render_as_text_and_json() -> None:
    cv = cross_validate(_corpus(), SpanClassifier(cv=2, random_state=0), group_by="outlet")
    text = render_evaluation(cv)
    assert text.startswith("cross-validation grouped by outlet: 3 folds, 12 documents")
    assert "LOADED" in text
    assert "macro" in text
    assert "outlet Beta" in text
    data = json.loads(json.dumps(evaluation_to_dict(cv)))
    assert set(data["per_group"]) == {"Alpha", "Beta", "Gamma"}
    assert data["exact"]["labels"]["QUOTE"]["support"] == cv.exact.per_label["QUOTE"].support


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"group_by": "missing"}, "has no metadata key 'missing' to group by"),
        ({"n_splits": 1}, "n_splits must be an integer >= 2"),
        ({"annotator": "nobody"}, "annotator 'nobody' has no span to learn from"),
    ],
)
def test_impossible_cross_validations_are_evaluation_errors(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(EvaluationError, match=message):
        cross_validate(_corpus(6), SpanClassifier(cv=2), **kwargs)


def test_one_outlet_is_too_few_groups() -> None:
    docs = [Document(f"d{i}", "a b", outlet="Same") for i in range(3)]
    corpus = Corpus(
        docs,
        Schema("t", "1", [LabelSpec("X")]),
        [AnnotationSet(docs[0], "gold", [Span(0, 1, "X")])],
    )
    with pytest.raises(EvaluationError, match="needs at least 2 groups, found 1"):
        cross_validate(corpus, group_by="outlet")


def test_training_data_adds_other_annotators_boilerplate(repo_root: Any) -> None:
    corpus = biaskit.load_corpus(repo_root / "annotations")
    docs, rows = training_data(corpus, "coder-a")
    cleaner = sum(1 for _ in corpus.spans(annotator="biaskit-clean"))
    assert sum(1 for row in rows for s in row if s.label == "BOILERPLATE") >= cleaner
    assert len(docs) == len(corpus)


@pytest.mark.slow
def test_seed_corpus_leave_one_outlet_out_reports_every_gold_label(repo_root: Any) -> None:
    corpus = biaskit.load_corpus(repo_root / "annotations")
    cv = cross_validate(corpus, SpanClassifier(rules=True, random_state=0), group_by="outlet")
    gold_labels = {s.label for _, s in corpus.spans(annotator="gold")} - {"BOILERPLATE"}
    assert set(cv.labels) == gold_labels
    assert cv.groups == corpus.outlets
