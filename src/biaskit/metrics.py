"""Span evaluation: predicted spans against gold spans.

Every measure here is a pure function over gold and predicted spans keyed by
document. It counts additive quantities (tp/fp/fn, partial credits, COR/INC/PAR/
MIS/SPU) per label and over the corpus and derives precision, recall and F1 from
them; rendering a report is separate (:func:`render_scores`, :func:`scores_to_dict`).

The measures and the reference each reproduces:

- :func:`exact_match` -- exact span match, labelled or label-free;
- :func:`ptc_scores` -- the partial-credit measure of SemEval-2020 Task 11
  (PTC, tasks SI and FLC), with its span merging and document filtering;
- :func:`ptc_tc_scores` -- PTC technique classification (task TC);
- :func:`schema_scores` -- the MUC / SemEval-2013 schemas of ``nervaluate``;
- :func:`token_scores` -- token P/R/F1 per label, as scikit-learn computes it;
- :func:`bio_chunk_scores` -- BIO chunk P/R/F1 per label, as ``seqeval`` does;
- :func:`bootstrap_ci` -- a bootstrap confidence interval over documents.

Inputs
------
Gold and predicted spans are given either as a mapping of document id to a
sequence of :class:`~biaskit.model.Span` (``{"d1": [Span(0, 4, "X")]}``) or as
an iterable of :class:`~biaskit.model.AnnotationSet`, one per document. A
document missing on one side has no spans there. Offsets are code points,
``end`` exclusive. A span's identity is ``(document, label, start, end)``: an
exact duplicate within gold or within the predictions is dropped with a
warning (except in :func:`ptc_tc_scores`, whose rows are a multiset).

``zero_division`` follows scikit-learn: ``"warn"`` (0.0 and an
:class:`UndefinedMetricWarning`), ``0.0``, ``1.0`` or ``nan`` (left out of
macro averages).

Examples
--------
>>> gold = {"d1": [Span(0, 4, "ACTOR"), Span(10, 16, "EVENT")]}
>>> pred = {"d1": [Span(0, 4, "ACTOR"), Span(10, 14, "EVENT")]}
>>> report = exact_match(gold, pred)
>>> report.overall
Counts(tp=1, fp=1, fn=1)
>>> report.scores("micro")
PRF(precision=0.5, recall=0.5, f1=0.5)
>>> round(ptc_scores(gold, pred).scores("micro").f1, 4)
0.9091
"""

from __future__ import annotations

import math
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, Generic, Literal, TypeVar

import attrs
import numpy as np

from biaskit.model import AnnotationSet, FrozenMap, Span, merge_intervals
from biaskit.tokens import tokenize, tokens_in

__all__ = [
    "PRF",
    "Average",
    "ConfidenceInterval",
    "Counts",
    "MatchSchema",
    "PartialCredit",
    "SchemaCounts",
    "SpanInput",
    "SpanReport",
    "UndefinedMetricWarning",
    "ZeroDivision",
    "bio_chunk_scores",
    "bootstrap_ci",
    "exact_match",
    "ptc_scores",
    "ptc_tc_scores",
    "render_scores",
    "schema_scores",
    "scores_to_dict",
    "token_scores",
]

ZeroDivision = Literal["warn"] | float
"""Value of a ratio with a zero denominator: ``"warn"`` (0.0 and a warning), 0.0, 1.0 or nan."""

Average = Literal["micro", "macro", "weighted"]
"""How per-label scores are combined, in scikit-learn's vocabulary."""

MatchSchema = Literal["strict", "exact", "partial", "type"]
"""The MUC / SemEval-2013 matching schemas (``type`` is nervaluate's ``ent_type``)."""

SpanInput = Mapping[str, Sequence[Span]] | Iterable[AnnotationSet]
"""Spans keyed by document: ``{doc_id: [Span, ...]}`` or one AnnotationSet per document."""

Score = Literal["precision", "recall", "f1"]

_Key = tuple[int, int, str]  # (start, end, label)


class UndefinedMetricWarning(UserWarning):
    """A precision, recall or F1 had a zero denominator and was set to 0.0."""


# --------------------------------------------------------------------------- counts


def _check_zero_division(_instance: object, _attribute: object, value: object) -> None:
    if value == "warn":
        return
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if number and (math.isnan(value) or value in (0, 1)):  # type: ignore[arg-type]
        return
    raise ValueError(f"zero_division must be 'warn', 0.0, 1.0 or nan, not {value!r}")


def _count(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{attribute.name} must be an integer, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, not {value}")


def _credit(_instance: object, attribute: attrs.Attribute[float], value: object) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"{attribute.name} must be a number, not {type(value).__name__}")
    if not value >= 0:
        raise ValueError(f"{attribute.name} must be >= 0, not {value}")


def _ratio(numerator: float, denominator: float, zero_division: ZeroDivision, what: str) -> float:
    if denominator:
        return numerator / denominator
    if zero_division == "warn":
        warnings.warn(
            f"{what} is ill-defined (zero denominator) and set to 0.0; "
            "pass zero_division to choose the value and silence this warning",
            UndefinedMetricWarning,
            stacklevel=3,
        )
        return 0.0
    return float(zero_division)


def _harmonic(precision: float, recall: float) -> float:
    # 0 when either is 0 (even if the other is nan), as scikit-learn's F for counts.
    if precision == 0 or recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


@attrs.frozen
class Counts:
    """True positives, false positives and false negatives, with P/R/F1 derived.

    Parameters
    ----------
    tp, fp, fn : int
        The counts; they add up over documents and labels.
    zero_division : {"warn", 0.0, 1.0, nan}
        Value of a ratio whose denominator is zero, as in scikit-learn.

    Examples
    --------
    >>> c = Counts(3, 1, 2)
    >>> c.precision, c.recall, round(c.f1, 4), c.support
    (0.75, 0.6, 0.6667, 5)
    >>> c + Counts(1, 0, 0)
    Counts(tp=4, fp=1, fn=2)
    >>> Counts(0, 0, 0, zero_division=1.0).f1
    1.0
    """

    tp: int = attrs.field(validator=_count)
    fp: int = attrs.field(validator=_count)
    fn: int = attrs.field(validator=_count)
    zero_division: ZeroDivision = attrs.field(
        default="warn", kw_only=True, validator=_check_zero_division, repr=False
    )

    _FIELDS: ClassVar[tuple[str, ...]] = ("tp", "fp", "fn")

    @property
    def precision(self) -> float:
        """``tp / (tp + fp)``."""
        return _ratio(self.tp, self.tp + self.fp, self.zero_division, "precision")

    @property
    def recall(self) -> float:
        """``tp / (tp + fn)``."""
        return _ratio(self.tp, self.tp + self.fn, self.zero_division, "recall")

    @property
    def f1(self) -> float:
        """``2 tp / (2 tp + fp + fn)``, scikit-learn's F1 from counts."""
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn, self.zero_division, "f1")

    @property
    def support(self) -> int:
        """Number of gold items, ``tp + fn``."""
        return self.tp + self.fn

    def __add__(self, other: Counts) -> Counts:
        if not isinstance(other, Counts):
            return NotImplemented
        return attrs.evolve(
            self, tp=self.tp + other.tp, fp=self.fp + other.fp, fn=self.fn + other.fn
        )


@attrs.frozen
class PartialCredit:
    """The sums behind the PTC partial-credit measure, with P/R/F1 derived.

    Parameters
    ----------
    precision_credit : float
        ``Σ_s Σ_t |s ∩ t| / |s|`` over predicted spans ``s`` and gold spans ``t``.
    n_predicted : int
        ``|S|``, the number of predicted spans (after merging).
    recall_credit : float
        ``Σ_s Σ_t |s ∩ t| / |t|``.
    n_gold : int
        ``|T|``, the number of gold spans (after merging).
    zero_division : {"warn", 0.0, 1.0, nan}
        Value of P (no predictions), R (no gold) or F1 (neither).

    Examples
    --------
    >>> c = PartialCredit(1.5, 2, 0.5, 1)
    >>> c.precision, c.recall, round(c.f1, 4)
    (0.75, 0.5, 0.6)
    """

    precision_credit: float = attrs.field(validator=_credit)
    n_predicted: int = attrs.field(validator=_count)
    recall_credit: float = attrs.field(validator=_credit)
    n_gold: int = attrs.field(validator=_count)
    zero_division: ZeroDivision = attrs.field(
        default="warn", kw_only=True, validator=_check_zero_division, repr=False
    )

    _FIELDS: ClassVar[tuple[str, ...]] = (
        "precision_credit",
        "n_predicted",
        "recall_credit",
        "n_gold",
    )

    @property
    def precision(self) -> float:
        """``precision_credit / n_predicted``."""
        return _ratio(self.precision_credit, self.n_predicted, self.zero_division, "precision")

    @property
    def recall(self) -> float:
        """``recall_credit / n_gold``."""
        return _ratio(self.recall_credit, self.n_gold, self.zero_division, "recall")

    @property
    def f1(self) -> float:
        """``2PR / (P + R)``; 0 when P or R is 0."""
        if self.n_predicted == 0 and self.n_gold == 0:
            return _ratio(0, 0, self.zero_division, "f1")
        return _harmonic(self.precision, self.recall)

    @property
    def support(self) -> int:
        """Number of gold spans, ``n_gold``."""
        return self.n_gold

    def __add__(self, other: PartialCredit) -> PartialCredit:
        if not isinstance(other, PartialCredit):
            return NotImplemented
        return attrs.evolve(
            self,
            precision_credit=self.precision_credit + other.precision_credit,
            n_predicted=self.n_predicted + other.n_predicted,
            recall_credit=self.recall_credit + other.recall_credit,
            n_gold=self.n_gold + other.n_gold,
        )


@attrs.frozen
class SchemaCounts:
    """MUC / SemEval-2013 counts (COR, INC, PAR, MIS, SPU), with P/R/F1 derived.

    Parameters
    ----------
    correct, incorrect, partial, missed, spurious : int
        COR, INC, PAR, MIS and SPU.
    partial_credit : bool
        Whether a partial match earns half a point (the ``partial`` and
        ``type`` schemas) or none (``strict`` and ``exact``).
    zero_division : {"warn", 0.0, 1.0, nan}
        Value of P (ACT = 0), R (POS = 0) or F1 (both).

    Examples
    --------
    >>> c = SchemaCounts(2, 0, 2, 1, 1, partial_credit=True)
    >>> c.possible, c.actual, c.precision, c.recall
    (5, 5, 0.6, 0.6)
    """

    correct: int = attrs.field(validator=_count)
    incorrect: int = attrs.field(validator=_count)
    partial: int = attrs.field(validator=_count)
    missed: int = attrs.field(validator=_count)
    spurious: int = attrs.field(validator=_count)
    partial_credit: bool = attrs.field(default=False, kw_only=True)
    zero_division: ZeroDivision = attrs.field(
        default="warn", kw_only=True, validator=_check_zero_division, repr=False
    )

    _FIELDS: ClassVar[tuple[str, ...]] = ("correct", "incorrect", "partial", "missed", "spurious")

    @property
    def possible(self) -> int:
        """POS = COR + INC + PAR + MIS, the gold spans."""
        return self.correct + self.incorrect + self.partial + self.missed

    @property
    def actual(self) -> int:
        """ACT = COR + INC + PAR + SPU, the predicted spans."""
        return self.correct + self.incorrect + self.partial + self.spurious

    def _credit(self) -> float:
        return self.correct + (0.5 * self.partial if self.partial_credit else 0.0)

    @property
    def precision(self) -> float:
        """``COR / ACT``, or ``(COR + PAR / 2) / ACT`` with partial credit."""
        return _ratio(self._credit(), self.actual, self.zero_division, "precision")

    @property
    def recall(self) -> float:
        """``COR / POS``, or ``(COR + PAR / 2) / POS`` with partial credit."""
        return _ratio(self._credit(), self.possible, self.zero_division, "recall")

    @property
    def f1(self) -> float:
        """``2PR / (P + R)``; 0 when P or R is 0."""
        if self.actual == 0 and self.possible == 0:
            return _ratio(0, 0, self.zero_division, "f1")
        return _harmonic(self.precision, self.recall)

    @property
    def support(self) -> int:
        """Number of gold spans, POS."""
        return self.possible

    def __add__(self, other: SchemaCounts) -> SchemaCounts:
        if not isinstance(other, SchemaCounts):
            return NotImplemented
        return attrs.evolve(
            self,
            correct=self.correct + other.correct,
            incorrect=self.incorrect + other.incorrect,
            partial=self.partial + other.partial,
            missed=self.missed + other.missed,
            spurious=self.spurious + other.spurious,
        )


C = TypeVar("C", Counts, PartialCredit, SchemaCounts)


@attrs.frozen
class PRF:
    """Precision, recall and F1, as numbers."""

    precision: float
    recall: float
    f1: float


def _mean(values: Sequence[float], weights: Sequence[float] | None) -> float:
    # scikit-learn's _nanaverage: nan values are left out; all-zero weights mean no weights.
    keep = [i for i, v in enumerate(values) if not math.isnan(v)]
    if not keep:
        return math.nan
    if weights is not None:
        total = sum(weights[i] for i in keep)
        if total:
            return sum(values[i] * weights[i] for i in keep) / total
    return sum(values[i] for i in keep) / len(keep)


def _frozen_map(value: Mapping[str, Any]) -> FrozenMap[Any]:
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


@attrs.frozen
class SpanReport(Generic[C]):
    """The counts of one measure, over the corpus and per label.

    Parameters
    ----------
    metric : str
        The measure, for example ``"exact"`` or ``"ptc (label-free)"``.
    overall : Counts, PartialCredit or SchemaCounts
        Pooled over the corpus: the micro average. For the nervaluate schemas it
        is the joint evaluation over all labels, as nervaluate's ``overall``.
    per_label : mapping of str to the same type
        One entry per label; empty for label-free measures.

    Examples
    --------
    >>> r = SpanReport("exact", Counts(3, 1, 1), {"A": Counts(3, 0, 0), "B": Counts(0, 1, 1)})
    >>> r.scores("micro").f1, r.scores("macro").f1, r.scores("weighted").f1
    (0.75, 0.5, 0.75)
    """

    metric: str
    overall: C
    per_label: FrozenMap[C] = attrs.field(factory=FrozenMap, converter=_frozen_map)

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels scored, sorted."""
        return tuple(self.per_label)

    def scores(self, average: Average = "micro") -> PRF:
        """Return precision, recall and F1 averaged as scikit-learn does.

        Parameters
        ----------
        average : {"micro", "macro", "weighted"}
            ``micro``: from the pooled counts; ``macro``: the unweighted mean of
            the per-label scores; ``weighted``: their mean weighted by support.
            nan scores (from ``zero_division=nan``) are left out of the means.

        Raises
        ------
        ValueError
            For ``macro`` or ``weighted`` on a label-free report.
        """
        if average == "micro":
            o = self.overall
            return PRF(o.precision, o.recall, o.f1)
        if average not in ("macro", "weighted"):
            raise ValueError(f"average must be 'micro', 'macro' or 'weighted', not {average!r}")
        if not self.per_label:
            raise ValueError(
                f"a {average} average needs per-label scores; the {self.metric!r} report has none"
            )
        rows = list(self.per_label.values())
        weights = [float(r.support) for r in rows] if average == "weighted" else None
        return PRF(
            _mean([r.precision for r in rows], weights),
            _mean([r.recall for r in rows], weights),
            _mean([r.f1 for r in rows], weights),
        )

    def __add__(self, other: SpanReport[C]) -> SpanReport[C]:
        if not isinstance(other, SpanReport):
            return NotImplemented
        merged = dict(self.per_label)
        for label, counts in other.per_label.items():
            merged[label] = merged[label] + counts if label in merged else counts
        return SpanReport(self.metric, self.overall + other.overall, dict(sorted(merged.items())))


@attrs.frozen
class ConfidenceInterval:
    """A bootstrap confidence interval of one score.

    Parameters
    ----------
    estimate : float
        The score on the full data.
    low, high : float
        The percentile interval's bounds.
    confidence_level : float
        For example 0.95.
    n_resamples : int
        Number of bootstrap resamples of the documents.
    score, average, metric : str
        What was measured: ``"f1"``, ``"micro"`` and the report's metric.
    """

    estimate: float
    low: float
    high: float
    confidence_level: float
    n_resamples: int
    score: str
    average: str
    metric: str


# --------------------------------------------------------------------------- inputs


def _read(data: SpanInput, role: str) -> tuple[dict[str, list[Span]], dict[str, str]]:
    """Return spans by document, and the texts when annotation sets were given."""
    spans: dict[str, list[Span]] = {}
    texts: dict[str, str] = {}
    if isinstance(data, Mapping):
        for doc_id, items in data.items():
            if not isinstance(doc_id, str):
                raise TypeError(f"{role} document ids must be strings, not {type(doc_id).__name__}")
            if isinstance(items, (str, Span)):
                raise TypeError(f"{role}[{doc_id!r}] must be a sequence of Span objects")
            spans[doc_id] = list(items)
    elif isinstance(data, (str, bytes)):
        raise TypeError(f"{role} must be a mapping of document id to spans or AnnotationSets")
    else:
        for aset in data:
            if not isinstance(aset, AnnotationSet):
                raise TypeError(
                    f"{role} must be a mapping of document id to spans or an iterable of "
                    f"AnnotationSet, found a {type(aset).__name__}"
                )
            if aset.document_id in spans:
                raise ValueError(
                    f"{role} holds two annotation sets for document {aset.document_id!r}; "
                    "give one set per document"
                )
            spans[aset.document_id] = list(aset.spans)
            texts[aset.document_id] = aset.document.text
    for doc_id, items in spans.items():
        for span in items:
            if not isinstance(span, Span):
                raise TypeError(
                    f"{role}[{doc_id!r}] must hold Span objects, found a {type(span).__name__}"
                )
    return spans, texts


def _label_filter(labels: Iterable[str] | None) -> tuple[str, ...] | None:
    if labels is None:
        return None
    if isinstance(labels, str):
        raise TypeError("labels must be an iterable of label strings, not a single string")
    return tuple(sorted(set(labels)))


def _keys(
    spans: Mapping[str, Sequence[Span]],
    role: str,
    labels: tuple[str, ...] | None,
    *,
    dedupe: bool = True,
) -> dict[str, list[_Key]]:
    """Return ``(start, end, label)`` keys by document, sorted, filtered and deduplicated."""
    result: dict[str, list[_Key]] = {}
    dropped = 0
    wanted = None if labels is None else set(labels)
    for doc_id, items in spans.items():
        keys = [(s.start, s.end, s.label) for s in items if wanted is None or s.label in wanted]
        if dedupe:
            unique = sorted(set(keys))
            dropped += len(keys) - len(unique)
            keys = unique
        else:
            keys.sort()
        result[doc_id] = keys
    if dropped:
        warnings.warn(
            f"{role}: dropped {dropped} exact duplicate span(s) (same document, label, start, end)",
            UserWarning,
            stacklevel=3,
        )
    return result


def _read_keys(
    gold: SpanInput, predicted: SpanInput, labels: Iterable[str] | None, *, dedupe: bool = True
) -> tuple[dict[str, list[_Key]], dict[str, list[_Key]], tuple[str, ...] | None, dict[str, str]]:
    wanted = _label_filter(labels)
    gold_spans, gold_texts = _read(gold, "gold")
    pred_spans, pred_texts = _read(predicted, "predicted")
    texts = {**pred_texts, **gold_texts}
    return (
        _keys(gold_spans, "gold", wanted, dedupe=dedupe),
        _keys(pred_spans, "predicted", wanted, dedupe=dedupe),
        wanted,
        texts,
    )


def _label_set(wanted: tuple[str, ...] | None, *groups: Iterable[_Key]) -> list[str]:
    if wanted is not None:
        return list(wanted)
    return sorted({key[2] for group in groups for key in group})


# --------------------------------------------------------------------------- exact match


def exact_match(
    gold: SpanInput,
    predicted: SpanInput,
    *,
    labelled: bool = True,
    labels: Iterable[str] | None = None,
    zero_division: ZeroDivision = "warn",
) -> SpanReport[Counts]:
    """Score predicted spans that match gold spans exactly.

    A predicted span is a true positive when a gold span has the same document,
    start and end (and, when ``labelled``, the same label).

    Parameters
    ----------
    gold, predicted : SpanInput
        Spans keyed by document (see the module docstring).
    labelled : bool
        Whether labels must match too. Label-free reports have no per-label rows.
    labels : iterable of str, optional
        Score only spans with these labels and report a row for each of them
        (with zero counts when absent). By default every label seen.
    zero_division : {"warn", 0.0, 1.0, nan}
        Value of an ill-defined ratio.

    Returns
    -------
    SpanReport of Counts

    Examples
    --------
    >>> gold = {"d": [Span(0, 3, "A"), Span(5, 9, "B")]}
    >>> pred = {"d": [Span(0, 3, "B"), Span(5, 9, "B")], "e": [Span(1, 2, "A")]}
    >>> r = exact_match(gold, pred)
    >>> r.overall, dict(r.per_label)
    (Counts(tp=1, fp=2, fn=1), {'A': Counts(tp=0, fp=1, fn=1), 'B': Counts(tp=1, fp=1, fn=0)})
    >>> exact_match(gold, pred, labelled=False).overall
    Counts(tp=2, fp=1, fn=0)
    """
    g, p, wanted, _ = _read_keys(gold, predicted, labels)
    if labelled:
        gold_set = {(d, *k) for d, keys in g.items() for k in keys}
        pred_set = {(d, *k) for d, keys in p.items() for k in keys}
        per_label: dict[str, Counts] = {}
        for label in _label_set(wanted, *g.values(), *p.values()):
            gl = {x for x in gold_set if x[3] == label}
            pl = {x for x in pred_set if x[3] == label}
            per_label[label] = Counts(
                len(gl & pl), len(pl - gl), len(gl - pl), zero_division=zero_division
            )
        overall = Counts(0, 0, 0, zero_division=zero_division)
        for counts in per_label.values():
            overall = overall + counts
        return SpanReport("exact", overall, per_label)
    gold_free = {(d, s, e) for d, keys in g.items() for s, e, _ in keys}
    pred_free = {(d, s, e) for d, keys in p.items() for s, e, _ in keys}
    overall = Counts(
        len(gold_free & pred_free),
        len(pred_free - gold_free),
        len(gold_free - pred_free),
        zero_division=zero_division,
    )
    return SpanReport("exact (label-free)", overall, {})


# --------------------------------------------------------------------------- PTC


def _overlap_credit(
    predicted: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]
) -> tuple[float, float]:
    """Return ``Σ_s Σ_t |s∩t|/|s|`` and ``Σ_s Σ_t |s∩t|/|t|`` over merged, sorted spans."""
    by_pred = [0] * len(predicted)
    by_gold = [0] * len(gold)
    i = j = 0
    while i < len(predicted) and j < len(gold):
        (ps, pe), (gs, ge) = predicted[i], gold[j]
        shared = min(pe, ge) - max(ps, gs)
        if shared > 0:
            by_pred[i] += shared
            by_gold[j] += shared
        if pe <= ge:
            i += 1
        else:
            j += 1
    precision_credit = sum(n / (e - s) for n, (s, e) in zip(by_pred, predicted, strict=True) if n)
    recall_credit = sum(n / (e - s) for n, (s, e) in zip(by_gold, gold, strict=True) if n)
    return precision_credit, recall_credit


def ptc_scores(
    gold: SpanInput,
    predicted: SpanInput,
    *,
    labelled: bool = True,
    official: bool = False,
    labels: Iterable[str] | None = None,
    zero_division: ZeroDivision = "warn",
) -> SpanReport[PartialCredit]:
    """Score spans with the partial-credit measure of SemEval-2020 Task 11 (PTC).

    Each span is the set of its code points and earns
    ``C(s, t, h) = |s ∩ t| / h × [labels equal]``:
    ``P = Σ_s Σ_t C(s, t, |s|) / |S|``, ``R = Σ_s Σ_t C(s, t, |t|) / |T|`` and
    ``F1 = 2PR / (P + R)`` (0 when P or R is 0). Label-free (``labelled=False``)
    it is task SI; labelled, task FLC.

    As the official scorer does, spans of one document that share a code point
    are merged first -- gold and predicted alike; label-free all of them,
    labelled only those with the same label. Touching spans are not merged.
    Only documents with at least one gold span are scored: predictions on any
    other document are dropped.

    Parameters
    ----------
    gold, predicted : SpanInput
        Spans keyed by document.
    labelled : bool
        Whether credit needs equal labels (FLC) or not (SI).
    official : bool
        Reproduce the official scorer's per-label figures, whose recall divides
        the *precision* numerator ``Σ C(s, t, |s|)`` by ``|T_label|``. The
        default gives corrected per-label recall. Corpus figures are the same.
    labels : iterable of str, optional
        Score only these labels, with a row for each.
    zero_division : {"warn", 0.0, 1.0, nan}
        Value of P with no predictions, R with no gold, F1 with neither.

    Returns
    -------
    SpanReport of PartialCredit

    Notes
    -----
    The official scorer also gives F1 = 1.0 (with P = R = 0) to a technique
    that has neither gold nor predicted spans; here such a label only appears
    when listed in ``labels``, and its scores follow ``zero_division``.

    Examples
    --------
    Two overlapping gold spans merge into ``[0, 10)``; the prediction ``[5, 15)``
    shares 5 of its 10 code points with it, so P = R = 0.5:

    >>> gold = {"d": [Span(0, 6, "A"), Span(4, 10, "A")]}
    >>> r = ptc_scores(gold, {"d": [Span(5, 15, "A")]}, labelled=False)
    >>> r.overall
    PartialCredit(precision_credit=0.5, n_predicted=1, recall_credit=0.5, n_gold=1)
    >>> r.scores().f1
    0.5

    The official per-label figures use the precision numerator for recall:

    >>> gold = {"d": [Span(0, 10, "A")]}
    >>> pred = {"d": [Span(0, 2, "A")]}
    >>> ptc_scores(gold, pred).per_label["A"].recall
    0.2
    >>> ptc_scores(gold, pred, official=True).per_label["A"].recall
    1.0
    """
    g, p, wanted, _ = _read_keys(gold, predicted, labels)
    per_label: dict[str, PartialCredit] = {}
    overall = PartialCredit(0.0, 0, 0.0, 0, zero_division=zero_division)
    zero = overall
    for doc_id, gold_keys in g.items():
        if not gold_keys:
            continue  # the official scorer skips documents without gold spans
        pred_keys = p.get(doc_id, [])
        if not labelled:
            ms = merge_intervals((s, e) for s, e, _ in pred_keys)
            mt = merge_intervals((s, e) for s, e, _ in gold_keys)
            pc, rc = _overlap_credit(ms, mt)
            overall = overall + PartialCredit(pc, len(ms), rc, len(mt))
            continue
        for label in sorted({k[2] for k in gold_keys} | {k[2] for k in pred_keys}):
            ms = merge_intervals((s, e) for s, e, lab in pred_keys if lab == label)
            mt = merge_intervals((s, e) for s, e, lab in gold_keys if lab == label)
            pc, rc = _overlap_credit(ms, mt)
            overall = overall + PartialCredit(pc, len(ms), rc, len(mt))
            row = PartialCredit(pc, len(ms), pc if official else rc, len(mt))
            per_label[label] = per_label[label] + row if label in per_label else zero + row
    if not labelled:
        return SpanReport("ptc (label-free)", overall, {})
    for label in wanted or ():
        per_label.setdefault(label, zero)
    name = "ptc (official per-label)" if official else "ptc"
    return SpanReport(name, overall, dict(sorted(per_label.items())))


def ptc_tc_scores(
    gold: SpanInput,
    predicted: SpanInput,
    *,
    labels: Iterable[str] | None = None,
    zero_division: ZeroDivision = "warn",
) -> SpanReport[Counts]:
    """Score PTC technique classification (task TC): one label per template row.

    Gold and predicted rows must cover the same spans the same number of times
    (the template). Where one span carries several gold techniques, predictions
    are aligned with them before counting, as the official scorer does, so a
    span's rows score the size of the multiset intersection of its gold and
    predicted labels. The micro F1 over rows equals accuracy. Rows are a
    multiset here: duplicates are kept.

    Parameters
    ----------
    gold, predicted : SpanInput
        Template rows as spans, keyed by document.
    labels : iterable of str, optional
        Report a row for each of these labels (and only for them); the micro
        average still pools every row.
    zero_division : {"warn", 0.0, 1.0, nan}
        Value of an ill-defined ratio.

    Returns
    -------
    SpanReport of Counts

    Raises
    ------
    ValueError
        If the predicted rows do not cover the gold rows' spans.

    Examples
    --------
    >>> gold = {"d": [Span(0, 5, "Doubt"), Span(0, 5, "Repetition"), Span(7, 9, "Slogans")]}
    >>> pred = {"d": [Span(0, 5, "Repetition"), Span(0, 5, "Doubt"), Span(7, 9, "Doubt")]}
    >>> r = ptc_tc_scores(gold, pred)
    >>> r.overall, round(r.scores().f1, 4)
    (Counts(tp=2, fp=1, fn=1), 0.6667)
    """
    g, p, wanted, _ = _read_keys(gold, predicted, None, dedupe=False)
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for doc_id in sorted(set(g) | set(p)):
        gold_rows: defaultdict[tuple[int, int], Counter[str]] = defaultdict(Counter)
        pred_rows: defaultdict[tuple[int, int], Counter[str]] = defaultdict(Counter)
        for s, e, label in g.get(doc_id, []):
            gold_rows[s, e][label] += 1
        for s, e, label in p.get(doc_id, []):
            pred_rows[s, e][label] += 1
        for span in sorted(set(gold_rows) | set(pred_rows)):
            ng, np_ = gold_rows[span].total(), pred_rows[span].total()
            if ng != np_:
                raise ValueError(
                    f"predicted rows do not match the gold rows in document {doc_id!r}: "
                    f"span [{span[0]}, {span[1]}) has {np_} predicted and {ng} gold row(s)"
                )
            tp.update(gold_rows[span] & pred_rows[span])
            n_gold.update(gold_rows[span])
            n_pred.update(pred_rows[span])
    total_tp = sum(tp.values())
    n = sum(n_gold.values())
    overall = Counts(total_tp, n - total_tp, n - total_tp, zero_division=zero_division)
    wanted = _label_filter(labels)
    names = wanted if wanted is not None else sorted(set(n_gold) | set(n_pred))
    per_label = {
        label: Counts(
            tp[label],
            n_pred[label] - tp[label],
            n_gold[label] - tp[label],
            zero_division=zero_division,
        )
        for label in names
    }
    return SpanReport("ptc-tc", overall, per_label)


# --------------------------------------------------------------------------- schemas


def _schema_match(
    gold: Sequence[_Key], predicted: Sequence[_Key], schema: MatchSchema, min_overlap: float
) -> tuple[int, int, int, int, int]:
    """Greedy matching in span order, as nervaluate does; each gold span matched once."""
    threshold = min_overlap * 100.0

    def overlaps(p: _Key, t: _Key) -> bool:
        shared = min(p[1], t[1]) - max(p[0], t[0])
        return shared > 0 and (shared / (t[1] - t[0])) * 100.0 >= threshold

    matched: set[int] = set()
    cor = inc = par = spu = 0
    for p in predicted:
        hit: int | None = None  # COR
        near: int | None = None  # INC or PAR candidate
        if schema == "type":
            best: int | None = None
            for j, t in enumerate(gold):
                if j in matched or not overlaps(p, t):
                    continue
                if p[2] == t[2]:
                    dist = abs(p[0] - t[0]) + abs(p[1] - t[1])
                    if best is None or dist < best:
                        hit, best = j, dist
                elif near is None:
                    near = j
        else:
            for j, t in enumerate(gold):
                if j in matched:
                    continue
                same_bounds = p[0] == t[0] and p[1] == t[1]
                if same_bounds and (schema != "strict" or p[2] == t[2]):
                    hit = j
                    break
                if near is None and overlaps(p, t):
                    near = j
        if hit is not None:
            cor += 1
            matched.add(hit)
        elif near is not None:
            if schema == "partial":
                par += 1
            else:
                inc += 1
            matched.add(near)
        else:
            spu += 1
    return cor, inc, par, len(gold) - len(matched), spu


def schema_scores(
    gold: SpanInput,
    predicted: SpanInput,
    *,
    schema: MatchSchema = "strict",
    labels: Iterable[str] | None = None,
    min_overlap: float = 0.0,
    zero_division: ZeroDivision = "warn",
) -> SpanReport[SchemaCounts]:
    """Score spans with a MUC / SemEval-2013 schema, as ``nervaluate`` does.

    Predictions are taken in span order (start, end, label); each is matched to
    at most one unmatched gold span of its document:

    - ``strict``: COR when bounds and label are equal, else INC when it overlaps;
    - ``exact``: COR when bounds are equal (any label), else INC when it overlaps;
    - ``partial``: COR when bounds are equal (any label), else PAR when it overlaps;
    - ``type``: COR when it overlaps a gold span with its label (the one with the
      closest bounds), else INC when it overlaps another;

    otherwise SPU; gold spans left unmatched are MIS. ``partial`` and ``type``
    give PAR half a point: P = (COR + PAR/2) / ACT, R = (COR + PAR/2) / POS.
    The ``overall`` counts evaluate all labels together, as nervaluate's
    ``overall``; each per-label row evaluates that label's spans alone.

    Parameters
    ----------
    gold, predicted : SpanInput
        Spans keyed by document.
    schema : {"strict", "exact", "partial", "type"}
        The matching schema.
    labels : iterable of str, optional
        Score only spans with these labels (nervaluate's ``tags``), with a row
        for each.
    min_overlap : float
        Fraction of the gold span a prediction must share to overlap it. The
        default 0 means any shared code point; nervaluate's default threshold of
        1 % is ``min_overlap=0.01`` (it only differs for gold spans over 100
        code points).
    zero_division : {"warn", 0.0, 1.0, nan}
        Value of an ill-defined ratio (nervaluate uses 0.0).

    Returns
    -------
    SpanReport of SchemaCounts

    Examples
    --------
    >>> gold = {"d": [Span(0, 5, "A"), Span(10, 15, "B")]}
    >>> pred = {"d": [Span(0, 5, "B"), Span(11, 15, "B")]}
    >>> r = schema_scores(gold, pred, schema="type")
    >>> r.overall
    SchemaCounts(correct=1, incorrect=1, partial=0, missed=0, spurious=0, partial_credit=True)
    >>> schema_scores(gold, pred, schema="strict").overall.f1
    0.0
    """
    if schema not in ("strict", "exact", "partial", "type"):
        raise ValueError(f"schema must be 'strict', 'exact', 'partial' or 'type', not {schema!r}")
    if not 0.0 <= min_overlap <= 1.0:
        raise ValueError(f"min_overlap must be a fraction in [0, 1], not {min_overlap!r}")
    g, p, wanted, _ = _read_keys(gold, predicted, labels)
    credit = schema in ("partial", "type")
    zero = SchemaCounts(0, 0, 0, 0, 0, partial_credit=credit, zero_division=zero_division)
    overall = zero
    label_names = _label_set(wanted, *g.values(), *p.values())
    per_label = dict.fromkeys(label_names, zero)
    for doc_id in sorted(set(g) | set(p)):
        gold_keys, pred_keys = g.get(doc_id, []), p.get(doc_id, [])
        overall = overall + SchemaCounts(
            *_schema_match(gold_keys, pred_keys, schema, min_overlap), partial_credit=credit
        )
        for label in {k[2] for k in gold_keys} | {k[2] for k in pred_keys}:
            counts = _schema_match(
                [k for k in gold_keys if k[2] == label],
                [k for k in pred_keys if k[2] == label],
                schema,
                min_overlap,
            )
            per_label[label] = per_label[label] + SchemaCounts(*counts, partial_credit=credit)
    return SpanReport(f"schema:{schema}", overall, per_label)


# --------------------------------------------------------------------------- token level


def _texts_for(
    documents: Iterable[str], given: Mapping[str, str] | None, from_sets: Mapping[str, str]
) -> dict[str, str]:
    texts: dict[str, str] = {}
    for doc_id in documents:
        if given is not None and doc_id in given:
            texts[doc_id] = given[doc_id]
        elif doc_id in from_sets:
            texts[doc_id] = from_sets[doc_id]
        else:
            raise ValueError(
                f"no text for document {doc_id!r}: pass texts={{doc_id: text}} "
                "or give the spans as AnnotationSets"
            )
    return texts


def _token_layers(
    keys: Mapping[str, Sequence[_Key]], tokens: Mapping[str, Sequence[tuple[int, int]]]
) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """Return, per (document, label), the token ranges ``[first, last]`` of the spans."""
    layers: defaultdict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for doc_id, doc_keys in keys.items():
        for start, end, label in doc_keys:
            inside = tokens_in(tokens[doc_id], start, end)
            if inside:  # a span covering no whole token has no token-level trace
                layers[doc_id, label].append((inside[0], inside[-1]))
    return layers


def _prepare_tokens(
    gold: SpanInput,
    predicted: SpanInput,
    texts: Mapping[str, str] | None,
    labels: Iterable[str] | None,
) -> tuple[
    dict[tuple[str, str], list[tuple[int, int]]],
    dict[tuple[str, str], list[tuple[int, int]]],
    list[str],
]:
    g, p, wanted, from_sets = _read_keys(gold, predicted, labels)
    used = [d for d in sorted(set(g) | set(p)) if g.get(d) or p.get(d)]
    doc_texts = _texts_for(used, texts, from_sets)
    tokens = {d: tokenize(t) for d, t in doc_texts.items()}
    gl = _token_layers({d: g.get(d, []) for d in used}, tokens)
    pl = _token_layers({d: p.get(d, []) for d in used}, tokens)
    return gl, pl, _label_set(wanted, *g.values(), *p.values())


def _counts_per_label(
    gold: Mapping[str, set[Any]],
    predicted: Mapping[str, set[Any]],
    label_names: Sequence[str],
    metric: str,
    zero_division: ZeroDivision,
) -> SpanReport[Counts]:
    per_label: dict[str, Counts] = {}
    overall = Counts(0, 0, 0, zero_division=zero_division)
    for label in label_names:
        gs, ps = gold.get(label, set()), predicted.get(label, set())
        per_label[label] = Counts(
            len(gs & ps), len(ps - gs), len(gs - ps), zero_division=zero_division
        )
        overall = overall + per_label[label]
    return SpanReport(metric, overall, per_label)


def token_scores(
    gold: SpanInput,
    predicted: SpanInput,
    *,
    texts: Mapping[str, str] | None = None,
    labels: Iterable[str] | None = None,
    zero_division: ZeroDivision = "warn",
) -> SpanReport[Counts]:
    """Score tokens per label, as scikit-learn does on a token × label indicator matrix.

    Texts are split with :func:`biaskit.tokens.tokenize`; a token carries a label
    when it lies wholly inside a span with that label. Each label is a binary
    layer, so nested spans of different labels both count. The micro average
    pools the layers, as ``precision_recall_fscore_support(average="micro")``
    does on a multilabel indicator matrix.

    Parameters
    ----------
    gold, predicted : SpanInput
        Spans keyed by document.
    texts : mapping of str to str, optional
        The text of each document; taken from the AnnotationSets when omitted.
    labels : iterable of str, optional
        Score only these labels, with a row for each.
    zero_division : {"warn", 0.0, 1.0, nan}
        Value of an ill-defined ratio.

    Returns
    -------
    SpanReport of Counts

    Examples
    --------
    >>> texts = {"d": "Iran fired missiles at bases"}
    >>> gold = {"d": [Span(5, 19, "EVENT")]}
    >>> pred = {"d": [Span(0, 10, "EVENT")]}
    >>> token_scores(gold, pred, texts=texts).overall
    Counts(tp=1, fp=1, fn=1)
    """
    gl, pl, label_names = _prepare_tokens(gold, predicted, texts, labels)

    def token_sets(layers: Mapping[tuple[str, str], list[tuple[int, int]]]) -> dict[str, set[Any]]:
        sets: defaultdict[str, set[Any]] = defaultdict(set)
        for (doc_id, label), ranges in layers.items():
            for first, last in ranges:
                sets[label].update((doc_id, i) for i in range(first, last + 1))
        return sets

    return _counts_per_label(token_sets(gl), token_sets(pl), label_names, "token", zero_division)


def bio_chunk_scores(
    gold: SpanInput,
    predicted: SpanInput,
    *,
    texts: Mapping[str, str] | None = None,
    labels: Iterable[str] | None = None,
    zero_division: ZeroDivision = "warn",
) -> SpanReport[Counts]:
    """Score BIO chunks per label, as ``seqeval`` does with one BIO layer per label.

    Each label gets its own BIO tag sequence per document, so nested spans of
    different labels survive. A span becomes the chunk of the tokens wholly
    inside it; same-label spans sharing a token become one chunk (a single BIO
    layer cannot hold both), touching ones stay apart, and a span covering no
    whole token has no chunk. A chunk is correct when document, label, first
    and last token all match.

    Parameters
    ----------
    gold, predicted : SpanInput
        Spans keyed by document.
    texts : mapping of str to str, optional
        The text of each document; taken from the AnnotationSets when omitted.
    labels : iterable of str, optional
        Score only these labels, with a row for each.
    zero_division : {"warn", 0.0, 1.0, nan}
        Value of an ill-defined ratio.

    Returns
    -------
    SpanReport of Counts

    Examples
    --------
    >>> texts = {"d": "Iran fired missiles at bases"}
    >>> gold = {"d": [Span(0, 19, "EVENT"), Span(0, 4, "ACTOR")]}
    >>> pred = {"d": [Span(0, 19, "EVENT"), Span(0, 10, "ACTOR")]}
    >>> r = bio_chunk_scores(gold, pred, texts=texts)
    >>> dict(r.per_label)
    {'ACTOR': Counts(tp=0, fp=1, fn=1), 'EVENT': Counts(tp=1, fp=0, fn=0)}
    """
    gl, pl, label_names = _prepare_tokens(gold, predicted, texts, labels)

    def chunks(layers: Mapping[tuple[str, str], list[tuple[int, int]]]) -> dict[str, set[Any]]:
        sets: defaultdict[str, set[Any]] = defaultdict(set)
        for (doc_id, label), ranges in layers.items():
            merged: list[tuple[int, int]] = []
            for first, last in sorted(ranges):
                if merged and first <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], last))
                else:
                    merged.append((first, last))
            sets[label].update((doc_id, first, last) for first, last in merged)
        return sets

    return _counts_per_label(chunks(gl), chunks(pl), label_names, "bio", zero_division)


# --------------------------------------------------------------------------- bootstrap


def _per_document(data: SpanInput) -> tuple[list[str], Callable[[str], SpanInput]]:
    if isinstance(data, Mapping):
        mapping = data
        return list(mapping), lambda d: {d: mapping[d]} if d in mapping else {}
    sets = {a.document_id: a for a in data}  # _read has checked the types
    return list(sets), lambda d: [sets[d]] if d in sets else []


def _vector(counts: Counts | PartialCredit | SchemaCounts) -> list[float]:
    return [float(getattr(counts, name)) for name in counts._FIELDS]


def _from_vector(template: C, values: Sequence[float]) -> C:
    changes: dict[str, Any] = {}
    for name, value in zip(template._FIELDS, values, strict=True):
        changes[name] = round(value) if isinstance(getattr(template, name), int) else value
    return attrs.evolve(template, **changes)


def bootstrap_ci(
    metric: Callable[[SpanInput, SpanInput], SpanReport[Any]],
    gold: SpanInput,
    predicted: SpanInput,
    *,
    score: Score = "f1",
    average: Average = "micro",
    n_resamples: int = 1000,
    confidence_level: float = 0.95,
    random_state: int | np.random.Generator | None = None,
) -> ConfidenceInterval:
    """Return a percentile bootstrap confidence interval of a score, resampling documents.

    Documents (every id in gold or predicted) are drawn with replacement; a
    document drawn twice counts twice. Every measure in this module is additive
    over documents, so the metric runs once per document and each resample sums
    those reports, which equals running it on the resampled corpus.

    Parameters
    ----------
    metric : callable
        ``metric(gold, predicted) -> SpanReport``, one of this module's measures
        or a :func:`functools.partial` of one (for options such as ``texts``).
    gold, predicted : SpanInput
        Spans keyed by document.
    score : {"precision", "recall", "f1"}
        The score to bound.
    average : {"micro", "macro", "weighted"}
        How labels are combined.
    n_resamples : int
        Number of resamples.
    confidence_level : float
        Coverage of the interval, in (0, 1).
    random_state : int, numpy Generator or None
        Seed for reproducible intervals.

    Returns
    -------
    ConfidenceInterval

    Examples
    --------
    >>> gold = {f"d{i}": [Span(0, 5, "A")] for i in range(20)}
    >>> pred = {f"d{i}": [Span(0, 5 if i % 2 else 4, "A")] for i in range(20)}
    >>> ci = bootstrap_ci(exact_match, gold, pred, n_resamples=200, random_state=0)
    >>> ci.estimate, ci.low < 0.5 < ci.high
    (0.5, True)
    """
    if score not in ("precision", "recall", "f1"):
        raise ValueError(f"score must be 'precision', 'recall' or 'f1', not {score!r}")
    if not 0.0 < confidence_level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), not {confidence_level!r}")
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be at least 1, not {n_resamples}")
    if not isinstance(gold, Mapping):
        gold = list(gold)
    if not isinstance(predicted, Mapping):
        predicted = list(predicted)
    _read(gold, "gold")
    _read(predicted, "predicted")
    gold_ids, gold_part = _per_document(gold)
    pred_ids, pred_part = _per_document(predicted)
    documents = sorted(set(gold_ids) | set(pred_ids))
    if not documents:
        raise ValueError("bootstrap_ci needs at least one document")

    full = metric(gold, predicted)
    estimate = float(getattr(full.scores(average), score))

    reports = [metric(gold_part(d), pred_part(d)) for d in documents]
    labels = sorted({label for r in reports for label in r.per_label})
    template = reports[0].overall
    width = len(template._FIELDS)
    values = np.zeros((len(documents), (1 + len(labels)) * width))
    present = np.zeros((len(documents), len(labels)))
    for i, report in enumerate(reports):
        values[i, :width] = _vector(report.overall)
        for j, label in enumerate(labels):
            if label in report.per_label:
                values[i, (1 + j) * width : (2 + j) * width] = _vector(report.per_label[label])
                present[i, j] = 1
    label_template = {
        label: next(r.per_label[label] for r in reports if label in r.per_label) for label in labels
    }

    rng = np.random.default_rng(random_state)
    draws = rng.integers(0, len(documents), size=(n_resamples, len(documents)))
    weights = np.zeros((n_resamples, len(documents)))
    for k in range(n_resamples):
        weights[k] = np.bincount(draws[k], minlength=len(documents))
    sums, presence = weights @ values, weights @ present
    stats = np.empty(n_resamples)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        for k in range(n_resamples):
            per_label = {
                label: _from_vector(
                    label_template[label], sums[k, (1 + j) * width : (2 + j) * width].tolist()
                )
                for j, label in enumerate(labels)
                if presence[k, j] > 0
            }
            resampled = SpanReport(
                full.metric, _from_vector(template, sums[k, :width].tolist()), per_label
            )
            stats[k] = getattr(resampled.scores(average), score)
    finite = stats[~np.isnan(stats)]
    if finite.size == 0:
        low = high = math.nan
    else:
        tail = (1.0 - confidence_level) / 2.0 * 100.0
        low, high = (float(x) for x in np.percentile(finite, [tail, 100.0 - tail]))
    return ConfidenceInterval(
        estimate=estimate,
        low=low,
        high=high,
        confidence_level=confidence_level,
        n_resamples=n_resamples,
        score=score,
        average=average,
        metric=full.metric,
    )


# --------------------------------------------------------------------------- reports


def _json_number(value: float) -> float | None:
    return None if math.isnan(value) else value


def _counts_dict(counts: Counts | PartialCredit | SchemaCounts) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(counts, name) for name in counts._FIELDS}
    if isinstance(counts, SchemaCounts):
        row["possible"], row["actual"] = counts.possible, counts.actual
    row["precision"] = _json_number(counts.precision)
    row["recall"] = _json_number(counts.recall)
    row["f1"] = _json_number(counts.f1)
    row["support"] = counts.support
    return row


def _averages(report: SpanReport[Any]) -> list[tuple[str, PRF]]:
    rows = [("micro", report.scores("micro"))]
    if report.per_label:
        rows += [("macro", report.scores("macro")), ("weighted", report.scores("weighted"))]
    return rows


def scores_to_dict(result: SpanReport[Any] | ConfidenceInterval) -> dict[str, Any]:
    """Return a report or interval as JSON-ready data (nan becomes None).

    Examples
    --------
    >>> r = exact_match({"d": [Span(0, 2, "A")]}, {"d": [Span(0, 2, "A")]})
    >>> d = scores_to_dict(r)
    >>> d["labels"]["A"]["f1"], d["micro"]
    (1.0, {'tp': 1, 'fp': 0, 'fn': 0, 'precision': 1.0, 'recall': 1.0, 'f1': 1.0, 'support': 1})
    """
    if isinstance(result, ConfidenceInterval):
        data = attrs.asdict(result)
        for key in ("estimate", "low", "high"):
            data[key] = _json_number(data[key])
        return data
    out: dict[str, Any] = {
        "metric": result.metric,
        "labels": {label: _counts_dict(c) for label, c in result.per_label.items()},
        "micro": _counts_dict(result.overall),
    }
    for name, prf in _averages(result)[1:]:
        out[name] = {k: _json_number(v) for k, v in attrs.asdict(prf).items()}
    return out


def render_scores(result: SpanReport[Any] | ConfidenceInterval, *, digits: int = 3) -> str:
    """Return a report as a plain-text table, or an interval as one line.

    Examples
    --------
    >>> gold = {"d": [Span(0, 2, "A"), Span(3, 5, "B")]}
    >>> r = exact_match(gold, {"d": [Span(0, 2, "A")]}, zero_division=0.0)
    >>> print(render_scores(r))
    exact
    label     precision  recall      f1  support
    A             1.000   1.000   1.000        1
    B             0.000   0.000   0.000        1
    <BLANKLINE>
    micro         1.000   0.500   0.667        2
    macro         0.500   0.500   0.500        2
    weighted      0.500   0.500   0.500        2
    """
    if isinstance(result, ConfidenceInterval):
        return (
            f"{result.metric} {result.score} ({result.average}) = {result.estimate:.{digits}f}, "
            f"{result.confidence_level:.0%} CI [{result.low:.{digits}f}, {result.high:.{digits}f}] "
            f"({result.n_resamples} bootstrap resamples of documents)"
        )
    names = [*result.per_label, "weighted"]
    width = max(len(n) for n in names)
    cols = max(digits + 2, 6)

    def line(name: str, prf: PRF, support: int) -> str:
        nums = "".join(
            f"  {v:>{max(cols, len(h))}.{digits}f}"
            for v, h in zip(
                (prf.precision, prf.recall, prf.f1), ("precision", "recall", "f1"), strict=True
            )
        )
        return f"{name:<{width}}{nums}  {support:>7}"

    header = f"{'label':<{width}}" + "".join(
        f"  {h:>{max(cols, len(h))}}" for h in ("precision", "recall", "f1")
    )
    lines = [result.metric, header + f"  {'support':>7}"]
    for label, counts in result.per_label.items():
        lines.append(line(label, PRF(counts.precision, counts.recall, counts.f1), counts.support))
    if result.per_label:
        lines.append("")
    total = result.overall.support
    lines.extend(line(name, prf, total) for name, prf in _averages(result))
    return "\n".join(lines)
