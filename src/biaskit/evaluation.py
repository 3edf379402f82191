"""Cross-validate the baseline classifier on a corpus and report per-label scores.

:func:`cross_validate` splits a corpus's documents into folds by a grouping
-- each document alone (k folds of documents), its outlet (leave one outlet
out: train on the other outlets, predict this one) or a metadata key such as
an event id (documents sharing the key stay together, so one event's
coverage never leaks between training and test) -- fits a fresh copy of the
estimator on each fold's training documents, predicts the held-out ones, and
scores the out-of-fold predictions against the gold with
:func:`biaskit.metrics.exact_match` and :func:`biaskit.metrics.ptc_scores`
(partial credit, labelled), per label with micro and macro averages, overall
and per group. :func:`render_evaluation` and :func:`evaluation_to_dict` turn
the result into a text table or JSON data.

``BOILERPLATE`` spans (of any annotator, e.g. ``biaskit-clean``) are passed to
the estimator so that it neither learns from nor predicts inside them; they
are never scored.

Examples
--------
>>> from biaskit.baseline import SpanClassifier
>>> from biaskit.corpus import Corpus
>>> from biaskit.model import AnnotationSet, Document, Span
>>> from biaskit.schema import LabelSpec, Schema
>>> docs = [Document(f"d{i}", "Rebels butchered the town. It rained.", outlet="AB"[i % 2])
...         for i in range(6)]
>>> sets = [AnnotationSet(d, "gold", [Span(7, 16, "LOADED")]) for d in docs]
>>> corpus = Corpus(docs, Schema("s", "1", [LabelSpec("LOADED")]), sets)
>>> cv = cross_validate(corpus, SpanClassifier(cv=2, random_state=0), group_by="outlet")
>>> cv.groups
('A', 'B')
>>> cv.exact.scores("micro").f1
1.0
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from sklearn.base import clone  # type: ignore[import-untyped, unused-ignore]

from biaskit.corpus import Corpus
from biaskit.errors import BiaskitError
from biaskit.features import BOILERPLATE
from biaskit.metrics import PartialCredit, SpanReport, exact_match, ptc_scores, scores_to_dict
from biaskit.model import Document, Span

__all__ = [
    "CrossValidation",
    "EvaluationError",
    "cross_validate",
    "evaluation_to_dict",
    "render_evaluation",
    "training_data",
]


class EvaluationError(BiaskitError, ValueError):
    """A cross-validation that cannot be run as asked (unknown key, too few groups...)."""


def training_data(
    corpus: Corpus, annotator: str = "gold", *, documents: Sequence[Document] | None = None
) -> tuple[list[Document], list[list[Span]]]:
    """Return documents and, per document, ``annotator``'s spans plus every ``BOILERPLATE`` span.

    Boilerplate spans are taken from any annotator (the cleaner's
    ``biaskit-clean`` among them), so the classifier skips that text.

    Examples
    --------
    >>> from biaskit.corpus import Corpus
    >>> from biaskit.model import AnnotationSet, Document, Span
    >>> from biaskit.schema import LabelSpec, Schema
    >>> d = Document("d", "Share this! They lie.")
    >>> c = Corpus([d], Schema("s", "1", [LabelSpec("X"), LabelSpec("BOILERPLATE")]),
    ...            [AnnotationSet(d, "clean", [Span(0, 10, "BOILERPLATE")]),
    ...             AnnotationSet(d, "gold", [Span(17, 20, "X")])])
    >>> [[s.label for s in row] for row in training_data(c)[1]]
    [['BOILERPLATE', 'X']]
    """
    docs = list(corpus.documents if documents is None else documents)
    rows: list[list[Span]] = []
    for doc in docs:
        spans = list(corpus.annotation_set(doc.id, annotator).spans)
        own = {(s.start, s.end) for s in spans if s.label == BOILERPLATE}
        for other in corpus.annotation_sets(document_id=doc.id):
            if other.annotator == annotator:
                continue
            spans.extend(
                s for s in other.spans if s.label == BOILERPLATE and (s.start, s.end) not in own
            )
        rows.append(sorted(spans, key=Span.sort_key))
    return docs, rows


@attrs.frozen
class CrossValidation:
    """The out-of-fold predictions of a cross-validation and their scores.

    Parameters
    ----------
    group_by : str
        ``"document"``, ``"outlet"`` or the metadata key used.
    groups : tuple of str
        The groups, sorted (for ``document``, the fold names ``fold-1``...).
    folds : tuple of tuple of str
        For each fold, the ids of its held-out documents.
    labels : tuple of str
        The labels scored.
    predictions : mapping of str to tuple of Span
        Out-of-fold predicted spans per document.
    gold : mapping of str to tuple of Span
        Gold spans per document (boilerplate left out).
    exact : SpanReport
        Exact-match scores over all documents.
    partial : SpanReport
        PTC partial-credit scores (labelled) over all documents.
    per_group : mapping of str to (SpanReport, SpanReport)
        Exact and partial scores of each group's documents.
    """

    group_by: str
    groups: tuple[str, ...]
    folds: tuple[tuple[str, ...], ...]
    labels: tuple[str, ...]
    predictions: Mapping[str, tuple[Span, ...]]
    gold: Mapping[str, tuple[Span, ...]]
    exact: SpanReport[Any]
    partial: SpanReport[PartialCredit]
    per_group: Mapping[str, tuple[SpanReport[Any], SpanReport[PartialCredit]]]


def _group_of(doc: Document, group_by: str) -> str:
    if group_by == "outlet":
        return doc.outlet
    if group_by not in doc.metadata:
        raise EvaluationError(
            f"document {doc.id!r} has no metadata key {group_by!r} to group by; expected "
            "'document', 'outlet' or a key every document's metadata has"
        )
    value = doc.metadata[group_by]
    return str(value)


def _assign(
    docs: Sequence[Document], group_by: str, n_splits: int, random_state: int | None
) -> tuple[list[str], list[str]]:
    """Return each document's fold name and the sorted group names."""
    if group_by == "document":
        if len(docs) < 2:
            raise EvaluationError(f"cross-validation needs at least 2 documents, found {len(docs)}")
        k = min(n_splits, len(docs))
        rng = np.random.default_rng(random_state)
        order = rng.permutation(len(docs))
        fold = np.empty(len(docs), dtype=np.int64)
        fold[order] = np.arange(len(docs)) % k
        names = [f"fold-{i + 1}" for i in range(k)]
        return [names[int(f)] for f in fold], names
    keys = [_group_of(d, group_by) for d in docs]
    names = sorted(set(keys))
    if len(names) < 2:
        raise EvaluationError(
            f"grouping by {group_by!r} needs at least 2 groups, found {len(names)} ({names})"
        )
    if group_by == "outlet" or len(names) <= n_splits:
        return keys, names
    # Many groups (events): keep each group whole, spread groups over n_splits folds.
    rng = np.random.default_rng(random_state)
    order = rng.permutation(len(names))
    fold_of = {names[int(j)]: f"fold-{i % n_splits + 1}" for i, j in enumerate(order)}
    folds = sorted(set(fold_of.values()), key=lambda n: int(n.split("-")[1]))
    return [fold_of[k] for k in keys], folds


def _scores(
    gold: Mapping[str, Sequence[Span]],
    pred: Mapping[str, Sequence[Span]],
    labels: tuple[str, ...],
) -> tuple[SpanReport[Any], SpanReport[PartialCredit]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exact = exact_match(gold, pred, labels=labels, zero_division=math.nan)
        partial = ptc_scores(gold, pred, labelled=True, labels=labels, zero_division=math.nan)
    return exact, partial


def cross_validate(
    corpus: Corpus,
    estimator: Any = None,
    *,
    annotator: str = "gold",
    group_by: str = "document",
    n_splits: int = 5,
    labels: Sequence[str] | None = None,
    random_state: int | None = 0,
    progress: Callable[[int, int], None] | None = None,
) -> CrossValidation:
    """Cross-validate ``estimator`` on ``corpus``, grouping documents as asked.

    Parameters
    ----------
    corpus : Corpus
        Documents with ``annotator``'s gold spans.
    estimator : SpanClassifier, optional
        The estimator to clone per fold; by default ``SpanClassifier(random_state=0)``.
    annotator : str
        Whose spans are the gold.
    group_by : str
        ``"document"`` (``n_splits`` folds of documents), ``"outlet"`` (leave
        one outlet out) or a metadata key (documents sharing its value stay in
        one fold; leave one group out when there are at most ``n_splits``
        groups, else ``n_splits`` folds of whole groups).
    n_splits : int
        Number of folds (see ``group_by``).
    labels : sequence of str, optional
        Labels to score; by default every gold label but ``BOILERPLATE``.
    random_state : int or None
        Seed of the fold assignment.
    progress : callable, optional
        Called as ``progress(done, total)`` after each fold.

    Returns
    -------
    CrossValidation

    Raises
    ------
    EvaluationError
        If there are fewer than two groups, a document lacks the metadata
        key, or the gold has no span to learn.
    """
    from biaskit.baseline import SpanClassifier

    if not isinstance(n_splits, int) or n_splits < 2:
        raise EvaluationError(f"n_splits must be an integer >= 2, not {n_splits!r}")
    docs, rows = training_data(corpus, annotator)
    gold = {
        d.id: tuple(s for s in row if s.label != BOILERPLATE)
        for d, row in zip(docs, rows, strict=True)
    }
    all_labels = tuple(sorted({s.label for spans in gold.values() for s in spans}))
    if not all_labels:
        raise EvaluationError(f"annotator {annotator!r} has no span to learn from in the corpus")
    wanted = tuple(labels) if labels is not None else all_labels
    assignment, names = _assign(docs, group_by, n_splits, random_state)
    base = estimator if estimator is not None else SpanClassifier(random_state=0)
    predictions: dict[str, tuple[Span, ...]] = {}
    folds: list[tuple[str, ...]] = []
    for i, name in enumerate(names):
        test = [j for j, a in enumerate(assignment) if a == name]
        train = [j for j, a in enumerate(assignment) if a != name]
        folds.append(tuple(docs[j].id for j in test))
        train_rows = [rows[j] for j in train]
        if not any(s.label != BOILERPLATE for row in train_rows for s in row):
            for j in test:  # nothing to learn from: the fold predicts nothing
                predictions[docs[j].id] = ()
        else:
            model = clone(base).fit([docs[j] for j in train], train_rows)
            boiler = [[s for s in rows[j] if s.label == BOILERPLATE] for j in test]
            found = model.predict([docs[j] for j in test], boilerplate=boiler)
            for j, spans in zip(test, found, strict=True):
                predictions[docs[j].id] = tuple(spans)
        if progress is not None:
            progress(i + 1, len(names))
    exact, partial = _scores(gold, predictions, wanted)
    member = {
        d.id: _group_of(d, group_by) if group_by != "document" else a
        for d, a in zip(docs, assignment, strict=True)
    }
    per_group = {}
    for group in sorted(set(member.values())):
        ids = [d for d, g in member.items() if g == group]
        per_group[group] = _scores(
            {d: gold[d] for d in ids}, {d: predictions.get(d, ()) for d in ids}, wanted
        )
    return CrossValidation(
        group_by=group_by,
        groups=tuple(sorted(set(member.values()))),
        folds=tuple(folds),
        labels=wanted,
        predictions=predictions,
        gold=gold,
        exact=exact,
        partial=partial,
        per_group=per_group,
    )


def _fmt(value: float) -> str:
    return "   n/a" if math.isnan(value) else f"{value:6.3f}"


def _table(
    exact: SpanReport[Any], partial: SpanReport[PartialCredit], labels: Sequence[str]
) -> list[str]:
    width = max([len(label) for label in labels] + [8])
    head = (
        f"{'label':<{width}}  {'exact P':>7} {'R':>6} {'F1':>6}   {'partial P':>9} {'R':>6} "
        f"{'F1':>6}  {'gold':>5}"
    )
    lines = [head]
    for label in labels:
        e, p = exact.per_label[label], partial.per_label[label]
        lines.append(
            f"{label:<{width}}  {_fmt(e.precision):>7} {_fmt(e.recall)} {_fmt(e.f1)}   "
            f"{_fmt(p.precision):>9} {_fmt(p.recall)} {_fmt(p.f1)}  {e.support:>5}"
        )
    for average in ("micro", "macro"):
        es, ps = exact.scores(average), partial.scores(average)
        lines.append(
            f"{average:<{width}}  {_fmt(es.precision):>7} {_fmt(es.recall)} {_fmt(es.f1)}   "
            f"{_fmt(ps.precision):>9} {_fmt(ps.recall)} {_fmt(ps.f1)}  {exact.overall.support:>5}"
        )
    return lines


def render_evaluation(result: CrossValidation, *, per_group: bool = True) -> str:
    """Return a cross-validation's scores as plain-text tables.

    Exact match and PTC partial credit side by side, per label, then micro and
    macro averages; ``n/a`` where a score is undefined (no gold or no
    prediction of a label). With ``per_group``, one table per group follows.
    """
    lines = [
        f"cross-validation grouped by {result.group_by}: {len(result.folds)} folds, "
        f"{sum(len(f) for f in result.folds)} documents",
        "",
        *_table(result.exact, result.partial, result.labels),
    ]
    if per_group and result.group_by != "document":
        for group, (exact, partial) in result.per_group.items():
            lines += ["", f"{result.group_by} {group}", *_table(exact, partial, result.labels)]
    return "\n".join(lines)


def evaluation_to_dict(result: CrossValidation) -> dict[str, Any]:
    """Return a cross-validation's scores as JSON-ready data (undefined scores become None)."""
    return {
        "group_by": result.group_by,
        "groups": list(result.groups),
        "folds": [list(f) for f in result.folds],
        "labels": list(result.labels),
        "exact": scores_to_dict(result.exact),
        "partial": scores_to_dict(result.partial),
        "per_group": {
            group: {"exact": scores_to_dict(e), "partial": scores_to_dict(p)}
            for group, (e, p) in result.per_group.items()
        },
    }
