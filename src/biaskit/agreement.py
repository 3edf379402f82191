"""Agreement between annotators who marked labelled spans on the same documents.

Three families of measures, each computed per label and for all labels:

* **pairwise span F1** (:func:`span_f1`): exact match on
  ``(document, label, start, end)``, and the partial credit of SemEval-2020
  Task 11 (PTC), averaged over annotator pairs;
* **binary layers** (:func:`layer_agreement`): each label as a yes/no layer over
  tokens or characters, with Cohen's κ per annotator pair, Fleiss' κ and
  Krippendorff's nominal α, each with its observed agreement beside it; the
  coefficients themselves (:func:`cohen_kappa`, :func:`fleiss_kappa`,
  :func:`krippendorff_alpha`) also work on plain rating arrays;
* **Krippendorff's unitizing α** (1995, :func:`unitizing_alpha`) on the
  character continuum, the measure INCEpTION reports through DKPro Statistics.

:func:`agreement_report` computes all of them at once and returns an
:class:`AgreementReport`; :func:`render_agreement` and :func:`agreement_to_dict` present
it. Every function here is pure: no I/O, no global state.

Conventions
-----------
* Offsets are code points, end exclusive, as everywhere in biaskit.
* Spans of one annotator that share a character and carry the same label are
  merged before partial credit, binary layers and unitizing α (touching spans
  are not merged). Exact match compares the raw spans as a set of identities,
  so an exact duplicate counts once.
* A measure that is undefined on the data (no units, a label nobody used,
  chance agreement of 1) is ``math.nan``, never 0 or 1 by convention.
* Every annotator must have annotated every document: agreement on a document
  one annotator never saw is not defined, and silently dropping it would
  change the numbers without telling you. Select the documents first.

Examples
--------
>>> doc = Document("d1", "Iran fired missiles at US bases in Iraq.")
>>> alice = AnnotationSet(doc, "alice", [Span(5, 19, "EVENT_TERM")])
>>> bob = AnnotationSet(doc, "bob", [Span(5, 10, "EVENT_TERM")])
>>> report = agreement_report([alice, bob])
>>> round(report.mean_partial_f1, 3)
0.526
>>> print(render_agreement(report).splitlines()[0])
Agreement of 2 annotators (alice, bob) on 1 document, 1 label.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from biaskit.model import AnnotationSet, Document, Span, merge_intervals
from biaskit.tokens import tokenize

__all__ = [
    "AgreementReport",
    "Coefficient",
    "DocumentUnitizing",
    "LabelAgreement",
    "LayerAgreement",
    "PairCoefficient",
    "PairSpanF1",
    "PairUnitizing",
    "SpanF1",
    "Unit",
    "UnitizingAlpha",
    "agreement_report",
    "agreement_to_dict",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "layer_agreement",
    "render_agreement",
    "span_f1",
    "unitizing_alpha",
]

Unit = Literal["token", "character"]
"""The unit of a binary layer: a word token (see :mod:`biaskit.tokens`) or a code point."""

_Interval = tuple[int, int]
_NAN = math.nan


# --------------------------------------------------------------------------
# Result value objects


@attrs.frozen
class Coefficient:
    """A chance-corrected agreement coefficient with the agreements it compares.

    Parameters
    ----------
    value : float
        The coefficient, ``(observed - expected) / (1 - expected)``; ``nan``
        when undefined (no units, or chance agreement of 1 because a single
        category was used throughout).
    observed : float
        Observed agreement (Cohen: share of units on which the pair agrees;
        Fleiss: mean share of agreeing rater pairs per unit; Krippendorff:
        ``1 - D_o``). On complete data the three are the same number.
    expected : float
        Agreement expected by chance under the coefficient's model.
    n_units : int
        Number of units rated.
    """

    value: float
    observed: float
    expected: float
    n_units: int


@attrs.frozen
class PairCoefficient:
    """A coefficient for one pair of annotators, in sorted order."""

    annotators: tuple[str, str]
    coefficient: Coefficient


@attrs.frozen
class LayerAgreement:
    """Agreement on one label seen as a binary layer over tokens or characters.

    Parameters
    ----------
    label : str
        The label.
    unit : {"token", "character"}
        What is rated: a token counts as marked when it lies wholly inside one
        of the annotator's spans of the label (after merging that annotator's
        overlapping spans of the label); a character when any such span covers it.
    n_units : int
        Units rated per annotator, over all documents.
    cohen_kappa : tuple of PairCoefficient
        Cohen's κ of every annotator pair.
    mean_cohen_kappa : float
        Mean of the defined pairwise κ; ``nan`` when none is defined.
    fleiss_kappa, krippendorff_alpha : Coefficient
        Fleiss' κ and Krippendorff's nominal α over all annotators.
    """

    label: str
    unit: Unit
    n_units: int
    cohen_kappa: tuple[PairCoefficient, ...]
    mean_cohen_kappa: float
    fleiss_kappa: Coefficient
    krippendorff_alpha: Coefficient


@attrs.frozen
class SpanF1:
    """Precision, recall and F1 of annotator ``a``'s spans against ``b``'s.

    F1 is symmetric in the two annotators; precision and recall swap.

    Parameters
    ----------
    precision : float
        ``nan`` when ``a`` marked nothing.
    recall : float
        ``nan`` when ``b`` marked nothing.
    f1 : float
        ``2PR / (P + R)``; 0 when either is 0 or when only one annotator marked
        anything; ``nan`` when neither did.
    n_a, n_b : int
        Spans compared (after merging, in partial mode).
    """

    precision: float
    recall: float
    f1: float
    n_a: int
    n_b: int


@attrs.frozen
class PairSpanF1:
    """Exact and partial-credit span F1 of one annotator pair (first against second)."""

    annotators: tuple[str, str]
    exact: SpanF1
    partial: SpanF1


@attrs.frozen
class UnitizingAlpha:
    """Krippendorff's unitizing α with its observed and expected disagreement.

    Parameters
    ----------
    alpha : float
        ``1 - observed_disagreement / expected_disagreement``; ``nan`` when the
        expected disagreement is 0 or undefined (no unit of the label anywhere,
        or an empty continuum).
    observed_disagreement, expected_disagreement : float
        ``D_o`` and ``D_e``; for several labels, their means over the labels.
    """

    alpha: float
    observed_disagreement: float
    expected_disagreement: float


@attrs.frozen
class PairUnitizing:
    """Unitizing α of one annotator pair, pooled over documents."""

    annotators: tuple[str, str]
    alpha: UnitizingAlpha


@attrs.frozen
class DocumentUnitizing:
    """Unitizing α of all annotators on one document."""

    document_id: str
    alpha: UnitizingAlpha


@attrs.frozen
class LabelAgreement:
    """Every agreement measure for one label (see :func:`agreement_report`).

    Parameters
    ----------
    label : str
        The label.
    span_f1 : tuple of PairSpanF1
        Exact and partial-credit F1 of every annotator pair on this label.
    mean_exact_f1, mean_partial_f1 : float
        Their means over the pairs where defined.
    token, character : LayerAgreement
        The label as a binary layer over tokens and over characters.
    unitizing : UnitizingAlpha
        Unitizing α of all annotators, pooled over documents.
    unitizing_document_mean : float
        Mean of the per-document α, leaving out documents where it is
        undefined (nobody marked the label there, or the text is empty).
    unitizing_pairwise : tuple of PairUnitizing
        Unitizing α of every annotator pair, pooled over documents.
    unitizing_documents : tuple of DocumentUnitizing
        Unitizing α of all annotators on each document.
    """

    label: str
    span_f1: tuple[PairSpanF1, ...]
    mean_exact_f1: float
    mean_partial_f1: float
    token: LayerAgreement
    character: LayerAgreement
    unitizing: UnitizingAlpha
    unitizing_document_mean: float
    unitizing_pairwise: tuple[PairUnitizing, ...]
    unitizing_documents: tuple[DocumentUnitizing, ...]


@attrs.frozen
class AgreementReport:
    """Agreement of a group of annotators on a set of documents.

    Built by :func:`agreement_report`; fields holding "all labels" figures sit
    at the top, per-label figures in :attr:`labels`.

    Parameters
    ----------
    annotators : tuple of str
        Annotators, sorted.
    document_ids : tuple of str
        Documents, in the order first met.
    labels : tuple of LabelAgreement
        One entry per label, in the order the labels were given (sorted when
        taken from the data).
    span_f1 : tuple of PairSpanF1
        Span F1 of every annotator pair over all labels, pooled over documents.
    mean_exact_f1, mean_partial_f1 : float
        Their means over the pairs where defined.
    unitizing : UnitizingAlpha
        Overall unitizing α, ``1 - mean_c D_o(c) / mean_c D_e(c)``, with each
        label's ``D_o`` and ``D_e`` pooled over documents.
    unitizing_document_mean : float
        Mean over documents of each document's overall unitizing α (documents
        where it is undefined left out).
    unitizing_pairwise : tuple of PairUnitizing
        Overall unitizing α of every annotator pair, pooled over documents.
    unitizing_documents : tuple of DocumentUnitizing
        Overall unitizing α of every document.
    """

    annotators: tuple[str, ...]
    document_ids: tuple[str, ...]
    labels: tuple[LabelAgreement, ...]
    span_f1: tuple[PairSpanF1, ...]
    mean_exact_f1: float
    mean_partial_f1: float
    unitizing: UnitizingAlpha
    unitizing_document_mean: float
    unitizing_pairwise: tuple[PairUnitizing, ...]
    unitizing_documents: tuple[DocumentUnitizing, ...]

    def label(self, name: str) -> LabelAgreement:
        """Return the figures for label ``name``.

        Raises
        ------
        KeyError
            If the report has no such label.
        """
        for entry in self.labels:
            if entry.label == name:
                return entry
        raise KeyError(name)


# --------------------------------------------------------------------------
# Coefficients over plain ratings


def _nan_if_zero(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else _NAN


def _cohen_from_confusion(confusion: npt.NDArray[np.int64]) -> Coefficient:
    n = int(confusion.sum())
    if n == 0:
        return Coefficient(_NAN, _NAN, _NAN, 0)
    agree = int(np.trace(confusion))
    rows = confusion.sum(axis=1)
    cols = confusion.sum(axis=0)
    # n² × chance agreement, exactly in Python integers.
    chance = sum(int(r) * int(c) for r, c in zip(rows, cols, strict=True))
    kappa = _nan_if_zero(n * agree - chance, n * n - chance)
    return Coefficient(kappa, agree / n, chance / (n * n), n)


def _profile_stats(
    counts: npt.NDArray[np.int64], weights: npt.NDArray[np.int64]
) -> tuple[int, int, int, int, int]:
    """Return the sums shared by Fleiss' κ and nominal α over units described by category counts.

    ``counts[p, k]`` is how many raters gave category ``k`` to a unit of
    profile ``p``; ``weights[p]`` how many units have that profile. Returns the
    number of units, raters per unit, total values, ``Σ_u Σ_k n_uk²`` and
    ``Σ_k n_k²`` (``n_k`` the total use of category ``k``), all exact.
    """
    n_units = int(weights.sum())
    raters = int(counts[0].sum()) if len(counts) else 0
    sum_sq = sum(
        int(w) * int((row.astype(np.int64) ** 2).sum())
        for row, w in zip(counts, weights, strict=True)
    )
    totals = (counts * weights[:, None]).sum(axis=0)
    totals_sq = sum(int(t) ** 2 for t in totals)
    return n_units, raters, n_units * raters, sum_sq, totals_sq


def _fleiss_from_profiles(
    counts: npt.NDArray[np.int64], weights: npt.NDArray[np.int64]
) -> Coefficient:
    n_units, raters, n_values, sum_sq, totals_sq = _profile_stats(counts, weights)
    if n_units == 0:
        return Coefficient(_NAN, _NAN, _NAN, 0)
    observed = (sum_sq - n_values) / (n_units * raters * (raters - 1))
    expected = totals_sq / (n_values * n_values)
    undefined = totals_sq == n_values * n_values  # one category used throughout
    kappa = _NAN if undefined else (observed - expected) / (1 - expected)
    return Coefficient(kappa, observed, expected, n_units)


def _alpha_from_profiles(
    counts: npt.NDArray[np.int64], weights: npt.NDArray[np.int64]
) -> Coefficient:
    n_units, raters, n, sum_sq, totals_sq = _profile_stats(counts, weights)
    if n_units == 0:
        return Coefficient(_NAN, _NAN, _NAN, 0)
    # Coincidences on the diagonal: Σ_u Σ_k n_uk (n_uk - 1) / (m_u - 1), m_u = raters.
    # D_o = (n(R-1) - diag·(R-1)) / (n(R-1)); D_e = (n² - Σ n_k²) / (n(n-1)).
    diagonal_scaled = sum_sq - n  # × Σ o_kk
    d_o_num, d_o_den = n * (raters - 1) - diagonal_scaled, n * (raters - 1)
    d_e_num, d_e_den = n * n - totals_sq, n * (n - 1)
    observed = 1 - d_o_num / d_o_den
    expected = 1 - d_e_num / d_e_den
    alpha = _NAN if d_e_num == 0 else 1 - (d_o_num * d_e_den) / (d_o_den * d_e_num)
    return Coefficient(alpha, observed, expected, n_units)


def _ratings_matrix(ratings: npt.ArrayLike) -> tuple[npt.NDArray[np.int64], int]:
    matrix = np.asarray(ratings)
    if matrix.ndim != 2:
        raise ValueError(
            f"ratings must be a 2-d array (raters × units), got {matrix.ndim} dimension(s)"
        )
    if matrix.shape[0] < 2:
        raise ValueError(f"agreement needs at least two raters, got {matrix.shape[0]}")
    if matrix.dtype.kind == "f" and np.isnan(matrix).any():
        raise ValueError(
            "missing ratings (nan) are not supported; every rater must rate every unit"
        )
    categories, codes = np.unique(matrix.ravel(), return_inverse=True)
    return codes.reshape(matrix.shape).astype(np.int64), len(categories)


def _unit_profiles(codes: npt.NDArray[np.int64], n_categories: int) -> npt.NDArray[np.int64]:
    n_units = codes.shape[1]
    flat = (np.arange(n_units, dtype=np.int64)[None, :] * n_categories + codes).ravel()
    return np.bincount(flat, minlength=n_units * n_categories).reshape(n_units, n_categories)


def cohen_kappa(rater_a: npt.ArrayLike, rater_b: npt.ArrayLike) -> Coefficient:
    """Return Cohen's κ of two raters' nominal ratings of the same units.

    Parameters
    ----------
    rater_a, rater_b : array-like of shape (n_units,)
        Category of each unit (any comparable values).

    Returns
    -------
    Coefficient
        κ, observed agreement ``p_o``, chance agreement ``p_e``; κ is ``nan``
        when there are no units or ``p_e`` is 1 (both gave one and the same
        category throughout).

    Examples
    --------
    >>> c = cohen_kappa([1, 1, 0, 0, 1], [1, 0, 0, 0, 1])
    >>> round(c.value, 4), c.observed, round(c.expected, 2)
    (0.6154, 0.8, 0.48)
    """
    a = np.asarray(rater_a)
    b = np.asarray(rater_b)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(
            f"both raters must rate the same units; got shapes {a.shape} and {b.shape}"
        )
    codes, n_categories = _ratings_matrix(np.stack([a, b]))
    flat = codes[0] * n_categories + codes[1]
    confusion = np.bincount(flat, minlength=n_categories * n_categories)
    return _cohen_from_confusion(confusion.reshape(n_categories, n_categories))


def fleiss_kappa(ratings: npt.ArrayLike) -> Coefficient:
    """Return Fleiss' κ of several raters' nominal ratings of the same units.

    Parameters
    ----------
    ratings : array-like of shape (n_raters, n_units)
        Category given by each rater to each unit; no missing values.

    Returns
    -------
    Coefficient
        κ, mean observed agreement ``P̄``, chance agreement ``P̄_e``; κ is
        ``nan`` when there are no units or a single category was used throughout.

    Examples
    --------
    >>> c = fleiss_kappa([[1, 1, 0, 0], [1, 0, 0, 0], [1, 1, 0, 1]])
    >>> round(c.value, 4), round(c.observed, 4)
    (0.3333, 0.6667)
    """
    codes, n_categories = _ratings_matrix(ratings)
    profiles = _unit_profiles(codes, n_categories)
    return _fleiss_from_profiles(profiles, np.ones(len(profiles), dtype=np.int64))


def krippendorff_alpha(ratings: npt.ArrayLike) -> Coefficient:
    """Return Krippendorff's α for nominal data with every unit rated by every rater.

    Parameters
    ----------
    ratings : array-like of shape (n_raters, n_units)
        Category given by each rater to each unit; no missing values.

    Returns
    -------
    Coefficient
        α, observed agreement ``1 - D_o`` and expected agreement ``1 - D_e``;
        α is ``nan`` when there are no units or a single category was used
        throughout (``D_e = 0``).

    Examples
    --------
    >>> c = krippendorff_alpha([[1, 1, 0, 0], [1, 0, 0, 0], [1, 1, 0, 1]])
    >>> round(c.value, 4), round(c.observed, 4)
    (0.3889, 0.6667)
    """
    codes, n_categories = _ratings_matrix(ratings)
    profiles = _unit_profiles(codes, n_categories)
    return _alpha_from_profiles(profiles, np.ones(len(profiles), dtype=np.int64))


# --------------------------------------------------------------------------
# Gathering the annotation sets


@attrs.frozen
class _Marks:
    """One annotator's spans on one document, restricted to the labels studied."""

    identities: frozenset[tuple[str, int, int]]
    merged: dict[str, list[_Interval]]

    @classmethod
    def of(cls, spans: Iterable[Span], labels: frozenset[str]) -> _Marks:
        identities = frozenset((s.label, s.start, s.end) for s in spans if s.label in labels)
        by_label: dict[str, list[_Interval]] = {}
        for label, start, end in identities:
            by_label.setdefault(label, []).append((start, end))
        return cls(identities, {label: merge_intervals(ivs) for label, ivs in by_label.items()})


@attrs.frozen
class _Study:
    """Annotation sets checked and arranged: annotator × document."""

    annotators: tuple[str, ...]
    documents: tuple[Document, ...]
    labels: tuple[str, ...]
    marks: dict[str, list[_Marks]]


def _check_set(item: object) -> AnnotationSet:
    if not isinstance(item, AnnotationSet):
        raise TypeError(f"expected AnnotationSet objects, not {type(item).__name__}")
    return item


def _add_document(documents: dict[str, Document], document: Document) -> None:
    known = documents.setdefault(document.id, document)
    if known is not document and known.text != document.text:
        raise ValueError(
            f"document {document.id!r} has different texts in different annotation sets"
        )


def _labels(sets: Sequence[AnnotationSet], labels: Iterable[str] | None) -> tuple[str, ...]:
    if labels is None:
        return tuple(sorted({span.label for s in sets for span in s.spans}))
    if isinstance(labels, str):
        raise TypeError("labels must be an iterable of label names, not a single string")
    return tuple(dict.fromkeys(labels))


def _study(annotation_sets: Iterable[AnnotationSet], labels: Iterable[str] | None) -> _Study:
    sets = [_check_set(s) for s in annotation_sets]
    if not sets:
        raise ValueError("agreement needs annotation sets from at least two annotators, got none")
    documents: dict[str, Document] = {}
    by_key: dict[tuple[str, str], AnnotationSet] = {}
    for aset in sets:
        _add_document(documents, aset.document)
        key = (aset.annotator, aset.document_id)
        if key in by_key:
            raise ValueError(
                f"annotator {aset.annotator!r} has two annotation sets for document "
                f"{aset.document_id!r}"
            )
        by_key[key] = aset
    annotators = tuple(sorted({annotator for annotator, _ in by_key}))
    if len(annotators) < 2:
        raise ValueError(f"agreement needs at least two annotators, got only {annotators[0]!r}")
    missing = [(a, d) for d in documents for a in annotators if (a, d) not in by_key]
    if missing:
        shown = ", ".join(f"{a!r} on {d!r}" for a, d in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise ValueError(f"every annotator must annotate every document; missing: {shown}{more}")
    label_tuple = _labels(sets, labels)
    wanted = frozenset(label_tuple)
    marks = {a: [_Marks.of(by_key[(a, d)].spans, wanted) for d in documents] for a in annotators}
    return _Study(annotators, tuple(documents.values()), label_tuple, marks)


def _pairs(n: int) -> list[tuple[int, int]]:
    return list(itertools.combinations(range(n), 2))


def _nanmean(values: Iterable[float]) -> float:
    defined = [v for v in values if not math.isnan(v)]
    return sum(defined) / len(defined) if defined else _NAN


# --------------------------------------------------------------------------
# Span F1


def _overlap_totals(a: Sequence[_Interval], b: Sequence[_Interval]) -> tuple[list[int], list[int]]:
    """For disjoint sorted ``a`` and ``b``: each interval's total overlap with the other list."""
    total_a = [0] * len(a)
    total_b = [0] * len(b)
    i = j = 0
    while i < len(a) and j < len(b):
        shared = min(a[i][1], b[j][1]) - max(a[i][0], b[j][0])
        if shared > 0:
            total_a[i] += shared
            total_b[j] += shared
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total_a, total_b


def _f1(p_sum: float, n_a: int, r_sum: float, n_b: int) -> SpanF1:
    precision = p_sum / n_a if n_a else _NAN
    recall = r_sum / n_b if n_b else _NAN
    if n_a == 0 and n_b == 0:
        f1 = _NAN
    elif n_a == 0 or n_b == 0 or precision == 0 or recall == 0:
        f1 = 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return SpanF1(precision, recall, f1, n_a, n_b)


def _exact_f1(a: Sequence[_Marks], b: Sequence[_Marks], label: str | None) -> SpanF1:
    tp = n_a = n_b = 0
    for ma, mb in zip(a, b, strict=True):
        ids_a, ids_b = ma.identities, mb.identities
        if label is not None:
            ids_a = frozenset(i for i in ids_a if i[0] == label)
            ids_b = frozenset(i for i in ids_b if i[0] == label)
        tp += len(ids_a & ids_b)
        n_a += len(ids_a)
        n_b += len(ids_b)
    return _f1(tp, n_a, tp, n_b)


def _partial_f1(a: Sequence[_Marks], b: Sequence[_Marks], labels: Sequence[str]) -> SpanF1:
    p_sum = r_sum = 0.0
    n_a = n_b = 0
    for ma, mb in zip(a, b, strict=True):
        for label in labels:
            spans_a = ma.merged.get(label, [])
            spans_b = mb.merged.get(label, [])
            n_a += len(spans_a)
            n_b += len(spans_b)
            if spans_a and spans_b:
                total_a, total_b = _overlap_totals(spans_a, spans_b)
                p_sum += sum(t / (e - s) for t, (s, e) in zip(total_a, spans_a, strict=True))
                r_sum += sum(t / (e - s) for t, (s, e) in zip(total_b, spans_b, strict=True))
    return _f1(p_sum, n_a, r_sum, n_b)


def _by_document(sets: Iterable[AnnotationSet], side: str) -> dict[str, AnnotationSet]:
    found: dict[str, AnnotationSet] = {}
    for aset in map(_check_set, sets):
        if aset.document_id in found:
            raise ValueError(f"{side} has two annotation sets for document {aset.document_id!r}")
        found[aset.document_id] = aset
    return found


def span_f1(
    a: Iterable[AnnotationSet],
    b: Iterable[AnnotationSet],
    *,
    mode: Literal["exact", "partial"] = "exact",
    label: str | None = None,
) -> SpanF1:
    """Return the span F1 of annotator ``a`` against annotator ``b``, pooled over documents.

    Parameters
    ----------
    a, b : iterable of AnnotationSet
        Each side's annotation sets, one per document; both sides must cover
        the same documents.
    mode : {"exact", "partial"}
        ``"exact"``: a span of ``a`` counts when ``b`` has one with the same
        document, label, start and end. ``"partial"``: the partial credit of
        SemEval-2020 Task 11, ``C(s, t, h) = |s ∩ t| / h × [labels equal]``,
        ``P = Σ_s Σ_t C(s, t, |s|) / |S|`` and ``R = Σ_s Σ_t C(s, t, |t|) / |T|``,
        after merging each side's same-label spans that share a character.
        Unlike the official task scorer, documents without spans in ``b``
        count too: agreement has no gold side.
    label : str or None
        Score only this label; None scores all labels together (micro).

    Returns
    -------
    SpanF1
        F1 is symmetric in ``a`` and ``b``; precision and recall swap.

    Examples
    --------
    >>> doc = Document("d", "0123456789")
    >>> a = [AnnotationSet(doc, "a", [Span(0, 10, "X")])]
    >>> b = [AnnotationSet(doc, "b", [Span(0, 5, "X")])]
    >>> span_f1(a, b).f1
    0.0
    >>> r = span_f1(a, b, mode="partial")
    >>> r.precision, r.recall, round(r.f1, 4)
    (0.5, 1.0, 0.6667)
    """
    if mode not in ("exact", "partial"):
        raise ValueError(f"mode must be 'exact' or 'partial', not {mode!r}")
    side_a = _by_document(a, "a")
    side_b = _by_document(b, "b")
    if side_a.keys() != side_b.keys():
        only = sorted(side_a.keys() ^ side_b.keys())
        raise ValueError(f"both sides must cover the same documents; not in both: {only[:5]}")
    documents: dict[str, Document] = {}
    for doc_id in side_a:
        _add_document(documents, side_a[doc_id].document)
        _add_document(documents, side_b[doc_id].document)
    labels = _labels([*side_a.values(), *side_b.values()], None if label is None else [label])
    wanted = frozenset(labels)
    marks_a = [_Marks.of(side_a[d].spans, wanted) for d in side_a]
    marks_b = [_Marks.of(side_b[d].spans, wanted) for d in side_a]
    if mode == "exact":
        return _exact_f1(marks_a, marks_b, None)
    return _partial_f1(marks_a, marks_b, labels)


def _pair_span_f1(study: _Study, label: str | None) -> tuple[PairSpanF1, ...]:
    labels = study.labels if label is None else (label,)
    result = []
    for i, j in _pairs(len(study.annotators)):
        a, b = study.annotators[i], study.annotators[j]
        marks_a, marks_b = study.marks[a], study.marks[b]
        result.append(
            PairSpanF1(
                (a, b),
                _exact_f1(marks_a, marks_b, label),
                _partial_f1(marks_a, marks_b, labels),
            )
        )
    return tuple(result)


# --------------------------------------------------------------------------
# Binary layers


def _token_bounds(
    document: Document,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    tokens = tokenize(document.text)
    bounds = np.array(tokens, dtype=np.int64).reshape(len(tokens), 2)
    return bounds[:, 0], bounds[:, 1]


def _tokens_inside(
    starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64], spans: Sequence[_Interval]
) -> npt.NDArray[np.bool_]:
    """Which tokens lie wholly inside one of the disjoint sorted ``spans``.

    The same rule as :func:`biaskit.tokens.tokens_in`, vectorised: the only
    span that can hold a token is the last one starting at or before it.
    """
    span_starts = np.array([s for s, _ in spans], dtype=np.int64)
    span_ends = np.array([e for _, e in spans], dtype=np.int64)
    holder = np.searchsorted(span_starts, starts, side="right") - 1
    inside: npt.NDArray[np.bool_] = (holder >= 0) & (ends <= span_ends[np.maximum(holder, 0)])
    return inside


def _layer(
    study: _Study,
    label: str,
    unit: Unit,
    tokens: Sequence[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] | None,
) -> LayerAgreement:
    raters = len(study.annotators)
    if unit == "token":
        if tokens is None:
            tokens = [_token_bounds(doc) for doc in study.documents]
        sizes = [len(starts) for starts, _ in tokens]
    else:
        sizes = [len(doc.text) for doc in study.documents]
    marked = np.zeros((raters, sum(sizes)), dtype=bool)
    offset = 0
    for d, size in enumerate(sizes):
        for r, annotator in enumerate(study.annotators):
            spans = study.marks[annotator][d].merged.get(label)
            if not spans:
                continue
            if unit == "character":
                for start, end in spans:
                    marked[r, offset + start : offset + end] = True
            else:
                assert tokens is not None
                starts, ends = tokens[d]
                marked[r, offset : offset + size] = _tokens_inside(starts, ends, spans)
        offset += size
    # Every unit is described by how many raters marked it: a profile
    # (R - k, k) for k = 0..R, weighted by how many units share it.
    k = np.arange(raters + 1, dtype=np.int64)
    profiles = np.stack([raters - k, k], axis=1)
    weights = np.bincount(marked.sum(axis=0), minlength=raters + 1).astype(np.int64)
    cohen = []
    for i, j in _pairs(raters):
        cells = np.bincount(2 * marked[i].astype(np.int64) + marked[j], minlength=4)
        coefficient = _cohen_from_confusion(cells.reshape(2, 2).astype(np.int64))
        cohen.append(PairCoefficient((study.annotators[i], study.annotators[j]), coefficient))
    return LayerAgreement(
        label=label,
        unit=unit,
        n_units=marked.shape[1],
        cohen_kappa=tuple(cohen),
        mean_cohen_kappa=_nanmean(p.coefficient.value for p in cohen),
        fleiss_kappa=_fleiss_from_profiles(profiles, weights),
        krippendorff_alpha=_alpha_from_profiles(profiles, weights),
    )


def layer_agreement(
    annotation_sets: Iterable[AnnotationSet], label: str, *, unit: Unit = "token"
) -> LayerAgreement:
    """Return agreement on one label seen as a binary layer over tokens or characters.

    Every annotator marks each unit of every document as in the label or not;
    the units of all documents are pooled. A token is in the layer when it
    lies wholly inside one of the annotator's spans of the label (after that
    annotator's overlapping spans of the label are merged); a character when
    one of those spans covers it.

    Parameters
    ----------
    annotation_sets : iterable of AnnotationSet
        At least two annotators, each with one set per document.
    label : str
        The label; one nobody used gives ``nan`` coefficients (every unit is
        "no" for everyone: chance agreement is 1).
    unit : {"token", "character"}
        The unit rated.

    Returns
    -------
    LayerAgreement

    Raises
    ------
    ValueError
        With fewer than two annotators, or when an annotator lacks a document.

    Examples
    --------
    >>> doc = Document("d", "Iran fired missiles at US bases.")
    >>> sets = [
    ...     AnnotationSet(doc, "a", [Span(5, 19, "EVENT_TERM")]),
    ...     AnnotationSet(doc, "b", [Span(5, 10, "EVENT_TERM")]),
    ... ]
    >>> tok = layer_agreement(sets, "EVENT_TERM")
    >>> kappa = tok.cohen_kappa[0].coefficient
    >>> tok.n_units, round(kappa.observed, 4), round(kappa.value, 3)
    (7, 0.8571, 0.588)
    """
    study = _study(annotation_sets, [label])
    if unit not in ("token", "character"):
        raise ValueError(f"unit must be 'token' or 'character', not {unit!r}")
    return _layer(study, label, unit, None)


# --------------------------------------------------------------------------
# Krippendorff's unitizing alpha


@attrs.frozen
class _Terms:
    """Numerators and denominators of ``D_o`` and ``D_e`` for one continuum.

    ``D_o = observed / observed_norm`` with ``observed`` the sum of ``d²`` over
    unordered rater pairs and ``observed_norm = R(R-1)L²/2``; ``D_e =
    expected / expected_norm`` with ``expected = (2/L) Σ_u [...]`` and
    ``expected_norm = RL(RL-1) - Σ_u ℓ_u(ℓ_u-1)``. Pooling documents adds
    the four terms.
    """

    observed: int = 0
    observed_norm: int = 0
    expected: float = 0.0
    expected_norm: int = 0

    def __add__(self, other: _Terms) -> _Terms:
        return _Terms(
            self.observed + other.observed,
            self.observed_norm + other.observed_norm,
            self.expected + other.expected,
            self.expected_norm + other.expected_norm,
        )

    @property
    def d_o(self) -> float:
        return _nan_if_zero(self.observed, self.observed_norm)

    @property
    def d_e(self) -> float:
        return _nan_if_zero(self.expected, self.expected_norm)


def _alpha_of(d_o: float, d_e: float) -> UnitizingAlpha:
    alpha = _NAN if math.isnan(d_e) or d_e == 0 else 1 - d_o / d_e
    return UnitizingAlpha(alpha, d_o, d_e)


def _gap_lengths(units: Sequence[_Interval], length: int) -> list[int]:
    gaps = []
    position = 0
    for start, end in units:
        if start > position:
            gaps.append(start - position)
        position = end
    if length > position:
        gaps.append(length - position)
    return gaps


def _pair_distance(units_1: Sequence[_Interval], units_2: Sequence[_Interval]) -> int:
    """``Σ_g Σ_h d²(g, h)`` over the segments of two raters' continua.

    Units that overlap give ``(b_g - b_h)² + (e_g - e_h)²``. A unit that
    overlaps no unit of the other rater lies inside one of the other's gaps
    (their gaps are what is left between units) and gives ``ℓ²``; every other
    pair of segments gives 0. Linear in the number of units.
    """
    total = 0
    matched_2 = [False] * len(units_2)
    first = 0
    for start_1, end_1 in units_1:
        while first < len(units_2) and units_2[first][1] <= start_1:
            first += 1
        j = first
        matched = False
        while j < len(units_2) and units_2[j][0] < end_1:
            start_2, end_2 = units_2[j]
            total += (start_1 - start_2) ** 2 + (end_1 - end_2) ** 2
            matched_2[j] = matched = True
            j += 1
        if not matched:
            total += (end_1 - start_1) ** 2
    total += sum((e - s) ** 2 for (s, e), hit in zip(units_2, matched_2, strict=True) if not hit)
    return total


def _expected(
    unit_lengths: Sequence[int], gap_lengths: Sequence[int], raters: int, length: int
) -> tuple[float, int]:
    """Numerator and denominator of ``D_e``; sorted gaps keep it ``O((U + G) log G)``."""
    n_c = len(unit_lengths)
    gaps = sorted(gap_lengths)
    # suffix[i] = Σ_{k >= i} (gap_k + 1), so Σ_{g >= ℓ} (g - ℓ + 1) = suffix[i] - count·ℓ.
    suffix = [0] * (len(gaps) + 1)
    for i in range(len(gaps) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + gaps[i] + 1
    thrice = 0  # 3 × Σ_u [...], an exact integer
    for ell in unit_lengths:
        i = bisect.bisect_left(gaps, ell)
        inner = suffix[i] - (len(gaps) - i) * ell
        thrice += (n_c - 1) * (2 * ell**3 - 3 * ell**2 + ell) + 3 * ell * ell * inner
    norm = raters * length * (raters * length - 1) - sum(ell * (ell - 1) for ell in unit_lengths)
    return (2 * thrice / (3 * length) if length else 0.0), norm


def _document_terms(units: Sequence[Sequence[_Interval]], length: int) -> _Terms:
    """Terms of one label on one document, for the raters whose merged units are given."""
    raters = len(units)
    observed_norm = raters * (raters - 1) // 2 * length * length
    if not any(units):
        # Nobody marked the label here: no disagreement, none expected.
        return _Terms(0, observed_norm, 0.0, raters * length * (raters * length - 1))
    observed = sum(_pair_distance(units[i], units[j]) for i, j in _pairs(raters))
    unit_lengths = [e - s for rater in units for s, e in rater]
    gap_lengths = [g for rater in units for g in _gap_lengths(rater, length)]
    expected, expected_norm = _expected(unit_lengths, gap_lengths, raters, length)
    return _Terms(observed, observed_norm, expected, expected_norm)


def _label_terms(study: _Study, label: str, raters: Sequence[int]) -> list[_Terms]:
    """Terms per document for one label and the given raters (indices)."""
    names = [study.annotators[r] for r in raters]
    return [
        _document_terms(
            [study.marks[name][d].merged.get(label, []) for name in names], len(doc.text)
        )
        for d, doc in enumerate(study.documents)
    ]


def _pooled(terms: Iterable[_Terms]) -> _Terms:
    return sum(terms, _Terms())


def _overall(per_label: Sequence[_Terms]) -> UnitizingAlpha:
    """``1 - mean_c D_o(c) / mean_c D_e(c)`` over the labels."""
    if not per_label:
        return UnitizingAlpha(_NAN, _NAN, _NAN)
    d_o = sum(t.d_o for t in per_label) / len(per_label)
    d_e = sum(t.d_e for t in per_label) / len(per_label)
    return _alpha_of(d_o, d_e)


def unitizing_alpha(
    annotation_sets: Iterable[AnnotationSet], *, label: str | None = None
) -> UnitizingAlpha:
    """Return Krippendorff's unitizing α (1995) on the character continuum.

    For one label ``c`` and ``R`` raters on a continuum of length ``L``, each
    rater's continuum is cut into units of ``c`` (the rater's spans of ``c``,
    those sharing a character merged first; touching ones stay apart) and gaps::

        D_o(c) = 2 / (R(R−1)L²) · Σ_{rater pairs} Σ_{g of r1} Σ_{h of r2} d²(g, h)
        D_e(c) = (2/L) · Σ_u [(N_c−1)(2ℓ_u³ − 3ℓ_u² + ℓ_u)/3
                              + ℓ_u² Σ_{gaps g, ℓ_g ≥ ℓ_u} (ℓ_g − ℓ_u + 1)]
                 / [R·L·(R·L − 1) − Σ_u ℓ_u(ℓ_u − 1)]
        α_U(c) = 1 − D_o(c) / D_e(c)

    with ``d²`` the squared boundary differences of two overlapping units,
    ``ℓ²`` for a unit inside a gap of the other rater, and 0 otherwise (rater
    pairs unordered, as in DKPro Statistics). Over several labels,
    ``α_U = 1 − mean_c D_o(c) / mean_c D_e(c)``.

    **Pooling over documents.** Each document is its own continuum; the pooled
    ``D_o`` (``D_e``) is the sum over documents of the numerators of ``D_o``
    (``D_e``) divided by the sum of their denominators. That is the formula on
    one continuum generalised to several: each document's chance model stays
    within the document (a unit cannot be placed across a document boundary,
    and a gap ending one document does not join the gap starting the next, as
    plain concatenation would do), the result does not depend on document
    order, documents weigh by their size, zero-length documents drop out, and
    one document gives exactly the single-continuum formula. To get α per
    document, per annotator pair, or per document and pair, pass just those
    annotation sets; :func:`agreement_report` also gives the mean of
    per-document values.

    Parameters
    ----------
    annotation_sets : iterable of AnnotationSet
        At least two annotators, each with one set per document.
    label : str or None
        One label, or None for the overall α over every label used.

    Returns
    -------
    UnitizingAlpha
        ``alpha`` is ``nan`` when no unit of the label exists anywhere (the
        expected disagreement is 0; DKPro reports 0 there), and on
        zero-length documents only. Identical annotations give 1.

    Examples
    --------
    Rater ``a`` marks [2, 5), rater ``b`` marks [3, 6) on ten characters:
    ``D_o = 2 / (2·1·100) · ((2−3)² + (5−6)²) = 0.02`` and
    ``D_e = (2/10) · 2 · (10 + 9·6) / (2·10·19 − 2·6) = 25.6 / 368``.

    >>> doc = Document("d", "0123456789")
    >>> sets = [AnnotationSet(doc, "a", [Span(2, 5, "X")]),
    ...         AnnotationSet(doc, "b", [Span(3, 6, "X")])]
    >>> u = unitizing_alpha(sets)
    >>> round(u.observed_disagreement, 6), round(u.expected_disagreement, 6), round(u.alpha, 4)
    (0.02, 0.069565, 0.7125)
    """
    study = _study(annotation_sets, None if label is None else [label])
    everyone = range(len(study.annotators))
    per_label = [_pooled(_label_terms(study, c, everyone)) for c in study.labels]
    if label is not None:
        return _alpha_of(per_label[0].d_o, per_label[0].d_e)
    return _overall(per_label)


# --------------------------------------------------------------------------
# The report


def _label_agreement(
    study: _Study,
    label: str,
    tokens: Sequence[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]],
    doc_terms: list[_Terms],
    pair_terms: dict[tuple[int, int], list[_Terms]],
) -> LabelAgreement:
    pairs = _pair_span_f1(study, label)
    return LabelAgreement(
        label=label,
        span_f1=pairs,
        mean_exact_f1=_nanmean(p.exact.f1 for p in pairs),
        mean_partial_f1=_nanmean(p.partial.f1 for p in pairs),
        token=_layer(study, label, "token", tokens),
        character=_layer(study, label, "character", None),
        unitizing=_alpha_of(_pooled(doc_terms).d_o, _pooled(doc_terms).d_e),
        unitizing_document_mean=_nanmean(_alpha_of(t.d_o, t.d_e).alpha for t in doc_terms),
        unitizing_pairwise=tuple(
            PairUnitizing(
                (study.annotators[i], study.annotators[j]),
                _alpha_of(_pooled(terms).d_o, _pooled(terms).d_e),
            )
            for (i, j), terms in pair_terms.items()
        ),
        unitizing_documents=tuple(
            DocumentUnitizing(doc.id, _alpha_of(t.d_o, t.d_e))
            for doc, t in zip(study.documents, doc_terms, strict=True)
        ),
    )


def agreement_report(
    annotation_sets: Iterable[AnnotationSet], *, labels: Iterable[str] | None = None
) -> AgreementReport:
    """Compute every agreement measure for a group of annotators on a set of documents.

    Parameters
    ----------
    annotation_sets : iterable of AnnotationSet
        One set per annotator and document; each set names its annotator and
        document. At least two annotators, every one on every document.
    labels : iterable of str or None
        Labels to report, in this order; spans of other labels are ignored. A
        label nobody used is reported with ``nan`` coefficients. None takes
        every label used, sorted.

    Returns
    -------
    AgreementReport
        Pairwise span F1 (exact and partial, averaged over pairs), token and
        character binary layers per label, unitizing α per label, per
        document, per pair and overall (see :func:`unitizing_alpha` for the
        pooling over documents).

    Raises
    ------
    ValueError
        With fewer than two annotators ("agreement needs at least two
        annotators"), when an annotator lacks a document, when an annotator
        has two sets for one document, or when one document id comes with
        two different texts.
    TypeError
        When an item is not an :class:`~biaskit.model.AnnotationSet`.

    Examples
    --------
    >>> doc = Document("d", "The strike killed a general.")
    >>> a = AnnotationSet(doc, "a", [Span(4, 10, "EVENT_TERM")])
    >>> b = AnnotationSet(doc, "b", [Span(4, 10, "EVENT_TERM")])
    >>> r = agreement_report([a, b], labels=["EVENT_TERM", "EPITHET"])
    >>> r.label("EVENT_TERM").token.krippendorff_alpha.value, r.unitizing.alpha
    (1.0, 1.0)
    >>> math.isnan(r.label("EPITHET").unitizing.alpha)
    True
    >>> agreement_report([a])
    Traceback (most recent call last):
    ...
    ValueError: agreement needs at least two annotators, got only 'a'
    """
    study = _study(annotation_sets, labels)
    tokens = [_token_bounds(doc) for doc in study.documents]
    raters = len(study.annotators)
    pair_indices = _pairs(raters)
    label_reports = []
    doc_terms_by_label = []
    pair_terms_by_label = []
    for label in study.labels:
        doc_terms = _label_terms(study, label, range(raters))
        pair_terms = {pair: _label_terms(study, label, pair) for pair in pair_indices}
        doc_terms_by_label.append(doc_terms)
        pair_terms_by_label.append(pair_terms)
        label_reports.append(_label_agreement(study, label, tokens, doc_terms, pair_terms))
    documents = tuple(
        DocumentUnitizing(doc.id, _overall([terms[d] for terms in doc_terms_by_label]))
        for d, doc in enumerate(study.documents)
    )
    pairs = _pair_span_f1(study, None)
    return AgreementReport(
        annotators=study.annotators,
        document_ids=tuple(doc.id for doc in study.documents),
        labels=tuple(label_reports),
        span_f1=pairs,
        mean_exact_f1=_nanmean(p.exact.f1 for p in pairs),
        mean_partial_f1=_nanmean(p.partial.f1 for p in pairs),
        unitizing=_overall([_pooled(terms) for terms in doc_terms_by_label]),
        unitizing_document_mean=_nanmean(d.alpha.alpha for d in documents),
        unitizing_pairwise=tuple(
            PairUnitizing(
                (study.annotators[i], study.annotators[j]),
                _overall([_pooled(terms[(i, j)]) for terms in pair_terms_by_label]),
            )
            for i, j in pair_indices
        ),
        unitizing_documents=documents,
    )


def _json_value(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    return value


def agreement_to_dict(report: AgreementReport) -> dict[str, Any]:
    """Return the report as JSON-ready data: dicts, lists, strings, numbers and None.

    Field names are those of the result classes; an undefined figure
    (``nan``) becomes ``None``, since JSON has no NaN.

    Examples
    --------
    >>> import json
    >>> doc = Document("d", "abc")
    >>> r = agreement_report([AnnotationSet(doc, "a"), AnnotationSet(doc, "b")], labels=["X"])
    >>> data = agreement_to_dict(r)
    >>> data["annotators"], data["unitizing"]["alpha"]
    (['a', 'b'], None)
    >>> json.loads(json.dumps(data, allow_nan=False)) == data
    True
    """
    converted: dict[str, Any] = _json_value(attrs.asdict(report, recurse=True))
    return converted


def _fmt(value: float) -> str:
    return f"{'n/a':>8}" if math.isnan(value) else f"{value:8.3f}"


def _row(first: str, *cells: str) -> str:
    return f"  {first:<28}" + "".join(f"{cell:>9}" for cell in cells)


def render_agreement(report: AgreementReport) -> str:
    """Return the report as plain-text tables for a terminal or a log.

    Examples
    --------
    >>> doc = Document("d", "one two three")
    >>> sets = [AnnotationSet(doc, "a", [Span(0, 7, "X")]),
    ...         AnnotationSet(doc, "b", [Span(4, 13, "X")])]
    >>> print(render_agreement(agreement_report(sets)))
    Agreement of 2 annotators (a, b) on 1 document, 1 label.
    n/a: undefined (for example a label nobody used).
    <BLANKLINE>
    Span F1, mean over annotator pairs (partial: SemEval-2020 Task 11 credit)
      label                           exact  partial
      (all labels)                    0.000    0.375
      X                               0.000    0.375
    <BLANKLINE>
    Label as a binary layer; a token counts when wholly inside a span
    A_o: observed agreement (the same for the three coefficients on complete data)
      label / unit                    units      A_o  Cohen κ Fleiss κ        α
      X / token                           3    0.333   -0.500   -0.500   -0.250
      X / character                      13    0.231   -0.585   -0.625   -0.562
    <BLANKLINE>
    Unitizing α (Krippendorff 1995) on characters: pooled, and mean over documents
      label                          pooled doc mean      D_o      D_e
      (overall)                      -0.817   -0.817  0.30769  0.16935
      X                              -0.817   -0.817  0.30769  0.16935
    <BLANKLINE>
    Annotator pairs, all labels, pooled over documents
      pair                         exact F1  partial  unit. α
      a / b                           0.000    0.375   -0.817
    """
    n_docs = len(report.document_ids)
    n_labels = len(report.labels)
    lines = [
        f"Agreement of {len(report.annotators)} annotators ({', '.join(report.annotators)}) "
        f"on {n_docs} document{'s' * (n_docs != 1)}, {n_labels} label{'s' * (n_labels != 1)}.",
        "n/a: undefined (for example a label nobody used).",
        "",
        "Span F1, mean over annotator pairs (partial: SemEval-2020 Task 11 credit)",
        _row("label", "exact", "partial"),
        _row("(all labels)", _fmt(report.mean_exact_f1), _fmt(report.mean_partial_f1)),
    ]
    lines += [
        _row(entry.label, _fmt(entry.mean_exact_f1), _fmt(entry.mean_partial_f1))
        for entry in report.labels
    ]
    lines += [
        "",
        "Label as a binary layer; a token counts when wholly inside a span",
        "A_o: observed agreement (the same for the three coefficients on complete data)",
        _row("label / unit", "units", "A_o", "Cohen κ", "Fleiss κ", "α"),
    ]
    for entry in report.labels:
        for layer in (entry.token, entry.character):
            lines.append(
                _row(
                    f"{entry.label} / {layer.unit}",
                    str(layer.n_units),
                    _fmt(layer.krippendorff_alpha.observed),
                    _fmt(layer.mean_cohen_kappa),
                    _fmt(layer.fleiss_kappa.value),
                    _fmt(layer.krippendorff_alpha.value),
                )
            )
    lines += [
        "",
        "Unitizing α (Krippendorff 1995) on characters: pooled, and mean over documents",
        _row("label", "pooled", "doc mean", "D_o", "D_e"),
    ]
    rows = [("(overall)", report.unitizing, report.unitizing_document_mean)]
    rows += [(e.label, e.unitizing, e.unitizing_document_mean) for e in report.labels]
    for name, alpha, mean in rows:
        lines.append(
            _row(
                name,
                _fmt(alpha.alpha),
                _fmt(mean),
                f"{alpha.observed_disagreement:.5f}",
                f"{alpha.expected_disagreement:.5f}",
            )
        )
    lines += ["", "Annotator pairs, all labels, pooled over documents"]
    lines.append(_row("pair", "exact F1", "partial", "unit. α"))
    for f1, unitizing in zip(report.span_f1, report.unitizing_pairwise, strict=True):
        lines.append(
            _row(
                " / ".join(f1.annotators),
                _fmt(f1.exact.f1),
                _fmt(f1.partial.f1),
                _fmt(unitizing.alpha.alpha),
            )
        )
    return "\n".join(lines)
