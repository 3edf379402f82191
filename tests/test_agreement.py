"""Specification of biaskit.agreement.

Every coefficient is checked against an independent implementation on the same
data: scikit-learn (Cohen's κ), statsmodels (Fleiss' κ), the ``krippendorff``
package (nominal α), and, for unitizing α and partial-credit F1, literal
transcriptions of the formulas in docs/guides/metrics.md written here with
plain loops, plus hand-worked cases with the arithmetic shown.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import warnings
from collections.abc import Callable, Sequence

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from biaskit.agreement import (
    AgreementReport,
    agreement_report,
    agreement_to_dict,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    layer_agreement,
    render_agreement,
    span_f1,
    unitizing_alpha,
)
from biaskit.model import AnnotationSet, Document, Span
from biaskit.tokens import tokenize, tokens_in

TEXT = "The US strike killed Iran's top general, Qassem Soleimani, near Baghdad airport."

SpanSpec = tuple[int, int, str]


def make_set(document: Document, annotator: str, *spans: SpanSpec) -> AnnotationSet:
    return AnnotationSet(document, annotator, [Span(s, e, label) for s, e, label in spans])


def same(ours: float, reference: float, tol: float = 1e-9) -> bool:
    if math.isnan(ours) or math.isnan(reference):
        return math.isnan(ours) and math.isnan(reference)
    return abs(ours - reference) <= tol


# ---------------------------------------------------------------------------
# Independent references written for the tests


def merge_reference(intervals: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge intervals sharing a position, by walking positions one by one."""
    result: list[list[int]] = []
    for start, end in sorted(intervals):
        if result and any(p in range(result[-1][0], result[-1][1]) for p in range(start, end)):
            result[-1][1] = max(result[-1][1], end)
        else:
            result.append([start, end])
    return [(s, e) for s, e in result]


def layer_reference(
    document: Document, spans: Sequence[SpanSpec], label: str, unit: str
) -> list[int]:
    """0/1 per unit: characters covered, or tokens wholly inside a merged span (tokens_in)."""
    merged = merge_reference([(s, e) for s, e, lab in spans if lab == label])
    if unit == "character":
        return [int(any(s <= i < e for s, e in merged)) for i in range(len(document.text))]
    tokens = tokenize(document.text)
    inside = {i for s, e in merged for i in tokens_in(tokens, s, e)}
    return [int(i in inside) for i in range(len(tokens))]


def unitizing_reference(
    units: Sequence[Sequence[tuple[int, int]]], length: int
) -> tuple[float, float]:
    """D_o and D_e transcribed literally from the guide, with nested loops over segments."""
    raters = len(units)
    segments = []  # per rater: (begin, end, is_unit)
    for rater_units in units:
        rater_units = merge_reference(rater_units)
        cuts = []
        position = 0
        for b, e in rater_units:
            if b > position:
                cuts.append((position, b, False))
            cuts.append((b, e, True))
            position = e
        if position < length:
            cuts.append((position, length, False))
        segments.append(cuts)
    total = 0
    for r1, r2 in itertools.combinations(range(raters), 2):
        for bg, eg, g_unit in segments[r1]:
            for bh, eh, h_unit in segments[r2]:
                if g_unit and h_unit and bg < eh and bh < eg:
                    total += (bg - bh) ** 2 + (eg - eh) ** 2
                elif g_unit and not h_unit and bh <= bg and eg <= eh:
                    total += (eg - bg) ** 2
                elif h_unit and not g_unit and bg <= bh and eh <= eg:
                    total += (eh - bh) ** 2
    d_o = 2 / (raters * (raters - 1) * length**2) * total
    all_units = [e - b for cuts in segments for b, e, is_unit in cuts if is_unit]
    all_gaps = [e - b for cuts in segments for b, e, is_unit in cuts if not is_unit]
    n_c = len(all_units)
    numerator = 0.0
    for ell in all_units:
        numerator += (n_c - 1) * (2 * ell**3 - 3 * ell**2 + ell) / 3
        numerator += ell**2 * sum(g - ell + 1 for g in all_gaps if g >= ell)
    denominator = raters * length * (raters * length - 1) - sum(
        ell * (ell - 1) for ell in all_units
    )
    d_e = (2 / length) * numerator / denominator
    return d_o, d_e


def partial_reference(a: Sequence[SpanSpec], b: Sequence[SpanSpec]) -> tuple[float, float, float]:
    """PTC precision, recall, F1 with spans as sets of positions (one document)."""

    def merged(spans: Sequence[SpanSpec]) -> list[tuple[set[int], str]]:
        out = []
        for label in sorted({lab for _, _, lab in spans}):
            ivs = merge_reference([(s, e) for s, e, lab in spans if lab == label])
            out += [(set(range(s, e)), label) for s, e in ivs]
        return out

    ma, mb = merged(a), merged(b)
    p_num = sum(len(s & t) / len(s) for s, ls in ma for t, lt in mb if ls == lt)
    r_num = sum(len(s & t) / len(t) for s, ls in ma for t, lt in mb if ls == lt)
    precision = p_num / len(ma) if ma else math.nan
    recall = r_num / len(mb) if mb else math.nan
    if not ma and not mb:
        return precision, recall, math.nan
    if not ma or not mb or precision == 0 or recall == 0:
        return precision, recall, 0.0
    return precision, recall, 2 * precision * recall / (precision + recall)


def sklearn_kappa(a: Sequence[int], b: Sequence[int]) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(cohen_kappa_score(a, b))


def statsmodels_fleiss(ratings: np.ndarray) -> float:
    table, _ = aggregate_raters(np.asarray(ratings).T)
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")
        return float(sm_fleiss_kappa(table))


def package_alpha(ratings: np.ndarray) -> float:
    if len(np.unique(ratings)) < 2:
        # The package refuses data with a single value, where α is undefined.
        with pytest.raises(ValueError, match="more than one value"):
            krippendorff.alpha(reliability_data=ratings, level_of_measurement="nominal")
        return math.nan
    return float(krippendorff.alpha(reliability_data=ratings, level_of_measurement="nominal"))


# ---------------------------------------------------------------------------
# Strategies

ratings_matrices = st.integers(2, 5).flatmap(
    lambda raters: st.integers(1, 40).flatmap(
        lambda units: st.lists(
            st.lists(st.integers(0, 3), min_size=units, max_size=units),
            min_size=raters,
            max_size=raters,
        )
    )
)


@st.composite
def span_lists(draw: st.DrawFn, length: int, labels: Sequence[str] = ("X", "Y")) -> list[SpanSpec]:
    spans = []
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.integers(0, length - 1))
        end = draw(st.integers(start + 1, min(length, start + 25)))
        spans.append((start, end, draw(st.sampled_from(labels))))
    return spans


# ---------------------------------------------------------------------------
# Coefficients on plain ratings, against the reference packages


@given(ratings_matrices)
def test_cohen_kappa_matches_sklearn_and_accuracy(ratings: list[list[int]]) -> None:
    a, b = ratings[0], ratings[1]
    result = cohen_kappa(a, b)
    assert same(result.value, sklearn_kappa(a, b))
    assert result.observed == pytest.approx(accuracy_score(a, b))
    assert result.n_units == len(a)


@given(ratings_matrices)
def test_fleiss_kappa_matches_statsmodels(ratings: list[list[int]]) -> None:
    matrix = np.array(ratings)
    assert same(fleiss_kappa(matrix).value, statsmodels_fleiss(matrix))


@given(ratings_matrices)
def test_krippendorff_alpha_matches_the_krippendorff_package(ratings: list[list[int]]) -> None:
    matrix = np.array(ratings)
    assert same(krippendorff_alpha(matrix).value, package_alpha(matrix))


@given(ratings_matrices)
def test_observed_agreement_is_the_mean_share_of_agreeing_rater_pairs(
    ratings: list[list[int]],
) -> None:
    matrix = np.array(ratings)
    raters, units = matrix.shape
    pairs = list(itertools.combinations(range(raters), 2))
    # Mean over units and unordered pairs of [the pair agrees], by plain loops.
    expected = sum(matrix[i, u] == matrix[j, u] for u in range(units) for i, j in pairs) / (
        units * len(pairs)
    )
    assert fleiss_kappa(matrix).observed == pytest.approx(expected)
    assert krippendorff_alpha(matrix).observed == pytest.approx(expected)
    mean_cohen = sum(cohen_kappa(matrix[i], matrix[j]).observed for i, j in pairs) / len(pairs)
    assert mean_cohen == pytest.approx(expected)


@given(ratings_matrices)
def test_coefficients_are_at_most_one_and_symmetric_in_rater_order(
    ratings: list[list[int]],
) -> None:
    matrix = np.array(ratings)
    reversed_matrix = matrix[::-1]
    for measure in (fleiss_kappa, krippendorff_alpha):
        forward, backward = measure(matrix).value, measure(reversed_matrix).value
        assert same(forward, backward)
        assert math.isnan(forward) or forward <= 1 + 1e-12
    kappa = cohen_kappa(matrix[0], matrix[1]).value
    assert same(kappa, cohen_kappa(matrix[1], matrix[0]).value)
    assert math.isnan(kappa) or kappa <= 1 + 1e-12


@given(st.lists(st.integers(0, 3), min_size=1, max_size=30), st.integers(2, 4))
def test_identical_ratings_give_one_unless_a_single_category_is_used(
    row: list[int], raters: int
) -> None:
    matrix = np.array([row] * raters)
    single_category = len(set(row)) == 1
    for result in (cohen_kappa(row, row), fleiss_kappa(matrix), krippendorff_alpha(matrix)):
        assert result.observed == 1.0
        if single_category:
            assert math.isnan(result.value)  # chance agreement is 1: undefined
        else:
            assert result.value == pytest.approx(1.0)


def test_coefficients_of_no_units_are_undefined() -> None:
    empty = np.zeros((2, 0), dtype=int)
    for result in (cohen_kappa([], []), fleiss_kappa(empty), krippendorff_alpha(empty)):
        assert math.isnan(result.value)
        assert result.n_units == 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fleiss_kappa([0, 1, 1]), "must be a 2-d array"),
        (lambda: krippendorff_alpha([[0, 1, 1]]), "at least two raters, got 1"),
        (lambda: krippendorff_alpha([[0.0, 1.0], [1.0, math.nan]]), "missing ratings"),
        (lambda: cohen_kappa([0, 1], [0, 1, 1]), "must rate the same units"),
    ],
)
def test_bad_ratings_are_rejected_with_a_clear_message(
    call: Callable[[], object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# ---------------------------------------------------------------------------
# Binary layers over documents, against the reference packages

DOCS = (
    Document("d1", TEXT),
    Document("d2", "Tehran fired missiles at two US bases in Iraq overnight."),
    Document("d3", "No casualties were reported."),
)


def layer_oracles(
    sets_by_annotator: dict[str, list[tuple[Document, list[SpanSpec]]]], label: str, unit: str
) -> tuple[dict[tuple[str, str], float], float, float]:
    annotators = sorted(sets_by_annotator)
    rows = [
        [
            v
            for document, spans in sets_by_annotator[a]
            for v in layer_reference(document, spans, label, unit)
        ]
        for a in annotators
    ]
    matrix = np.array(rows)
    cohen = {
        (annotators[i], annotators[j]): sklearn_kappa(rows[i], rows[j])
        for i, j in itertools.combinations(range(len(annotators)), 2)
    }
    return cohen, statsmodels_fleiss(matrix), package_alpha(matrix)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(*(span_lists(len(doc.text)) for doc in DOCS)), min_size=2, max_size=4),
    st.sampled_from(["token", "character"]),
)
def test_layer_agreement_matches_sklearn_statsmodels_and_krippendorff(
    annotations: list[tuple[list[SpanSpec], ...]], unit: str
) -> None:
    names = [f"annotator{i}" for i in range(len(annotations))]
    sets = [
        make_set(doc, name, *spans)
        for name, per_doc in zip(names, annotations, strict=True)
        for doc, spans in zip(DOCS, per_doc, strict=True)
    ]
    by_annotator = {
        name: list(zip(DOCS, per_doc, strict=True))
        for name, per_doc in zip(names, annotations, strict=True)
    }
    for label in ("X", "Y"):
        result = layer_agreement(sets, label, unit=unit)  # type: ignore[arg-type]
        cohen, fleiss, alpha = layer_oracles(by_annotator, label, unit)
        assert {
            p.annotators: p.coefficient.value for p in result.cohen_kappa
        }.keys() == cohen.keys()
        for pair in result.cohen_kappa:
            assert same(pair.coefficient.value, cohen[pair.annotators])
        assert same(result.fleiss_kappa.value, fleiss)
        assert same(result.krippendorff_alpha.value, alpha)
        expected_units = sum(
            len(tokenize(d.text)) if unit == "token" else len(d.text) for d in DOCS
        )
        assert result.n_units == expected_units


@pytest.mark.parametrize(
    ("spans", "marked_tokens"),
    [
        # "The US strike killed": tokens The[0,3) US[4,6) strike[7,13) killed[14,20)
        pytest.param([(4, 13, "X")], ["US", "strike"], id="whole-tokens"),
        pytest.param([(5, 13, "X")], ["strike"], id="half-a-token-does-not-count"),
        pytest.param(
            [(4, 10, "X"), (8, 20, "X")],
            ["US", "strike", "killed"],
            id="overlapping-spans-merged-first",
        ),
        pytest.param(
            [(4, 10, "X"), (10, 20, "X")], ["US", "killed"], id="touching-spans-not-merged"
        ),
        pytest.param([(4, 13, "Y")], [], id="other-label-ignored"),
    ],
)
def test_a_token_is_marked_when_wholly_inside_a_span(
    spans: list[SpanSpec], marked_tokens: list[str]
) -> None:
    document = Document("d", "The US strike killed")
    # Against a rater who marks exactly the expected tokens, agreement is perfect.
    tokens = dict(zip(["The", "US", "strike", "killed"], tokenize(document.text), strict=True))
    other = [(tokens[t][0], tokens[t][1], "X") for t in marked_tokens]
    result = layer_agreement(
        [make_set(document, "a", *spans), make_set(document, "b", *other)], "X", unit="token"
    )
    assert result.cohen_kappa[0].coefficient.observed == 1.0


def test_a_label_nobody_used_has_undefined_layer_coefficients() -> None:
    document = DOCS[0]
    sets = [make_set(document, "a", (0, 3, "X")), make_set(document, "b", (0, 3, "X"))]
    result = layer_agreement(sets, "UNUSED", unit="character")
    assert result.krippendorff_alpha.observed == 1.0
    assert math.isnan(result.krippendorff_alpha.value)
    assert math.isnan(result.fleiss_kappa.value)
    assert math.isnan(result.mean_cohen_kappa)


# ---------------------------------------------------------------------------
# Pairwise span F1


@pytest.mark.parametrize(
    ("a", "b", "mode", "expected"),
    [
        pytest.param([(0, 5, "X")], [(0, 5, "X")], "exact", (1.0, 1.0, 1.0), id="identical"),
        pytest.param([(0, 10, "X")], [(0, 5, "X")], "exact", (0.0, 0.0, 0.0), id="exact-no-match"),
        # P = |[0,5)| / |a| = 5/10, R = 5/5, F1 = 2·0.5·1 / 1.5.
        pytest.param([(0, 10, "X")], [(0, 5, "X")], "partial", (0.5, 1.0, 2 / 3), id="partial"),
        pytest.param(
            [(0, 10, "X")], [(0, 10, "Y")], "partial", (0.0, 0.0, 0.0), id="labels-differ"
        ),
        # tp = 1 of 2 and of 3 spans: P = 1/2, R = 1/3, F1 = 2·1 / (2 + 3).
        pytest.param(
            [(0, 3, "X"), (4, 7, "X")],
            [(0, 3, "X"), (5, 9, "X"), (10, 12, "Y")],
            "exact",
            (0.5, 1 / 3, 0.4),
            id="exact-counts",
        ),
        # a's [0,6) and [4,10) merge into [0,10) before scoring.
        pytest.param(
            [(0, 6, "X"), (4, 10, "X")], [(0, 10, "X")], "partial", (1.0, 1.0, 1.0), id="merged"
        ),
        # Touching spans stay two: P = (5/5 + 5/5)/2, R = (5/10 + 5/10)/1.
        pytest.param(
            [(0, 5, "X"), (5, 10, "X")], [(0, 10, "X")], "partial", (1.0, 1.0, 1.0), id="touching"
        ),
        pytest.param([], [(0, 5, "X")], "partial", (math.nan, 0.0, 0.0), id="a-marked-nothing"),
        pytest.param([], [], "exact", (math.nan, math.nan, math.nan), id="nobody-marked"),
    ],
)
def test_span_f1_worked_cases(
    a: list[SpanSpec], b: list[SpanSpec], mode: str, expected: tuple[float, float, float]
) -> None:
    document = Document("d", "0123456789abcdef")
    result = span_f1([make_set(document, "a", *a)], [make_set(document, "b", *b)], mode=mode)  # type: ignore[arg-type]
    for ours, want in zip((result.precision, result.recall, result.f1), expected, strict=True):
        assert same(ours, want)


@settings(max_examples=150)
@given(span_lists(len(TEXT)), span_lists(len(TEXT)))
def test_partial_f1_matches_the_ptc_formula_on_position_sets(
    a: list[SpanSpec], b: list[SpanSpec]
) -> None:
    document = Document("d", TEXT)
    result = span_f1([make_set(document, "a", *a)], [make_set(document, "b", *b)], mode="partial")
    for ours, want in zip(
        (result.precision, result.recall, result.f1), partial_reference(a, b), strict=True
    ):
        assert same(ours, want, tol=1e-12)


@settings(max_examples=150)
@given(span_lists(len(TEXT)), span_lists(len(TEXT)), st.sampled_from(["exact", "partial"]))
def test_span_f1_is_bounded_and_symmetric(a: list[SpanSpec], b: list[SpanSpec], mode: str) -> None:
    document = Document("d", TEXT)
    set_a, set_b = [make_set(document, "a", *a)], [make_set(document, "b", *b)]
    forward = span_f1(set_a, set_b, mode=mode)  # type: ignore[arg-type]
    backward = span_f1(set_b, set_a, mode=mode)  # type: ignore[arg-type]
    assert same(forward.f1, backward.f1, tol=1e-12)
    assert same(forward.precision, backward.recall, tol=1e-12)
    assert math.isnan(forward.f1) or 0.0 <= forward.f1 <= 1.0
    if a:
        assert span_f1(set_a, [make_set(document, "b", *a)], mode=mode).f1 == 1.0  # type: ignore[arg-type]


def test_span_f1_scores_one_label_when_asked() -> None:
    document = Document("d", "0123456789")
    a = [make_set(document, "a", (0, 5, "X"), (5, 9, "Y"))]
    b = [make_set(document, "b", (0, 5, "X"), (6, 9, "Y"))]
    assert span_f1(a, b, label="X").f1 == 1.0
    assert span_f1(a, b, label="Y").f1 == 0.0
    assert span_f1(a, b).f1 == 0.5


def test_span_f1_needs_the_same_documents_on_both_sides() -> None:
    a = [make_set(DOCS[0], "a"), make_set(DOCS[1], "a")]
    b = [make_set(DOCS[0], "b")]
    with pytest.raises(ValueError, match=r"same documents; not in both: \['d2'\]"):
        span_f1(a, b)
    with pytest.raises(ValueError, match="mode must be 'exact' or 'partial'"):
        span_f1(a[:1], b, mode="fuzzy")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Krippendorff's unitizing alpha: hand-worked cases


def unitize(length: int, *raters: Sequence[tuple[int, int]], label: str = "X") -> float:
    document = Document("d", "x" * length)
    sets = [
        make_set(document, f"r{i}", *[(s, e, label) for s, e in units])
        for i, units in enumerate(raters)
    ]
    return unitizing_alpha(sets, label=label).alpha


def test_unitizing_identical_units_give_one() -> None:
    # D_o = 0 (every overlapping pair has equal boundaries), D_e > 0, so α = 1.
    assert unitize(10, [(2, 5), (7, 9)], [(2, 5), (7, 9)]) == 1.0


def test_unitizing_shifted_unit_worked_by_hand() -> None:
    # L = 10, R = 2; a marks [2,5), b marks [3,6).
    # D_o: the only overlapping pair gives (2-3)² + (5-6)² = 2; no unit lies in
    #   a gap of the other. D_o = 2 / (2·1·10²) · 2 = 0.02.
    # D_e: N_c = 2 units, both ℓ = 3. Gaps: a [0,2) 2, [5,10) 5; b [0,3) 3, [6,10) 4.
    #   per unit: (N_c-1)(2·27 - 3·9 + 3)/3 = 30/3 = 10
    #             ℓ² Σ_{g ≥ 3} (g - 3 + 1) = 9 · ((5-2) + (3-2) + (4-2)) = 9 · 6 = 54
    #   numerator (2/L) · 2 · 64 = 25.6; denominator 2·10·19 - (3·2 + 3·2) = 368.
    #   D_e = 25.6 / 368.
    # α = 1 - 0.02 / (25.6/368) = 1 - 7.36/25.6 = 0.7125.
    document = Document("d", "x" * 10)
    sets = [make_set(document, "a", (2, 5, "X")), make_set(document, "b", (3, 6, "X"))]
    result = unitizing_alpha(sets, label="X")
    assert result.observed_disagreement == pytest.approx(0.02)
    assert result.expected_disagreement == pytest.approx(25.6 / 368)
    assert result.alpha == pytest.approx(0.7125)


def test_unitizing_unit_against_nothing_worked_by_hand() -> None:
    # L = 10; a marks [2,5), b marks nothing (one gap [0,10)).
    # D_o: a's unit lies inside b's gap: ℓ² = 9. D_o = 2/(2·1·100) · 9 = 0.09.
    # D_e: N_c = 1, so the first term is 0. Gaps: 2, 5 (a) and 10 (b);
    #   ℓ² Σ_{g ≥ 3} (g - 2) = 9 · (3 + 8) = 99; numerator (2/10) · 99 = 19.8;
    #   denominator 2·10·19 - 3·2 = 374. D_e = 19.8/374.
    # α = 1 - 0.09 · 374 / 19.8 = 1 - 1.7 = -0.7.
    assert unitize(10, [(2, 5)], []) == pytest.approx(-0.7)


def test_unitizing_three_raters_worked_by_hand() -> None:
    # L = 8; a and b mark [0,4), c marks nothing.
    # D_o: pair (a,b) 0; (a,c) and (b,c): a unit of length 4 in a gap: 16 each.
    #   D_o = 2/(3·2·64) · 32 = 1/6.
    # D_e: N_c = 2, ℓ = 4: (2-1)(128 - 48 + 4)/3 = 28 per unit.
    #   Gaps: a [4,8) 4, b [4,8) 4, c [0,8) 8: ℓ² Σ (g - 3) = 16 · (1 + 1 + 5) = 112.
    #   numerator (2/8) · 2 · 140 = 70; denominator 3·8·23 - 2·12 = 528.
    # α = 1 - (1/6) / (70/528) = 1 - 528/420 = -9/35.
    assert unitize(8, [(0, 4)], [(0, 4)], []) == pytest.approx(-9 / 35)


def test_unitizing_merges_overlapping_units_of_one_rater_first() -> None:
    # a's [0,5) and [3,8) are one unit [0,8): the same as b's.
    assert unitize(10, [(0, 5), (3, 8)], [(0, 8)]) == 1.0


def test_unitizing_pools_documents_by_summing_numerators_and_denominators() -> None:
    # d1 (L=10): a [2,5), b [3,6): D_o terms 2 / 100, D_e terms 25.6 / 368 (above).
    # d2 (L=8): a and b mark [0,4): D_o terms 0 / 64.
    #   D_e: per unit (1)(128-48+4)/3 = 28 plus 16 · ((4-3) + (4-3)) = 32, so 60;
    #   numerator (2/8) · 120 = 30; denominator 2·8·15 - 2·12 = 216.
    # pooled: D_o = (2 + 0)/(100 + 64), D_e = (25.6 + 30)/(368 + 216).
    d1, d2 = Document("d1", "x" * 10), Document("d2", "y" * 8)
    sets = [
        make_set(d1, "a", (2, 5, "X")),
        make_set(d1, "b", (3, 6, "X")),
        make_set(d2, "a", (0, 4, "X")),
        make_set(d2, "b", (0, 4, "X")),
    ]
    result = unitizing_alpha(sets, label="X")
    assert result.observed_disagreement == pytest.approx(2 / 164)
    assert result.expected_disagreement == pytest.approx(55.6 / 584)
    assert result.alpha == pytest.approx(1 - (2 / 164) / (55.6 / 584))
    # The per-document mean is a different figure: (0.7125 + 1) / 2.
    report = agreement_report(sets)
    assert report.label("X").unitizing_document_mean == pytest.approx((0.7125 + 1) / 2)
    assert report.label("X").unitizing.alpha == pytest.approx(result.alpha)


def test_unitizing_overall_is_one_minus_mean_observed_over_mean_expected() -> None:
    # One document, L = 10. X: a [2,5), b [3,6) (D_o 0.02, D_e 25.6/368).
    # Y: a [2,5), b nothing (D_o 0.09, D_e 19.8/374). The 1/2 of both means cancels.
    document = Document("d", "x" * 10)
    sets = [
        make_set(document, "a", (2, 5, "X"), (2, 5, "Y")),
        make_set(document, "b", (3, 6, "X")),
    ]
    overall = unitizing_alpha(sets)
    assert overall.alpha == pytest.approx(1 - (0.02 + 0.09) / (25.6 / 368 + 19.8 / 374))
    assert overall.observed_disagreement == pytest.approx((0.02 + 0.09) / 2)


def test_unitizing_of_a_label_nobody_used_is_undefined() -> None:
    # No unit anywhere: D_o = D_e = 0 and α = 0/0 (DKPro would report 0).
    assert math.isnan(unitize(10, [], []))
    document = Document("d", "x" * 10)
    sets = [make_set(document, "a", (0, 3, "X")), make_set(document, "b", (0, 3, "X"))]
    unused = unitizing_alpha(sets, label="Y")
    assert math.isnan(unused.alpha)
    assert unused.observed_disagreement == unused.expected_disagreement == 0.0


def test_unitizing_ignores_zero_length_documents_when_pooling() -> None:
    d1, empty = Document("d1", "x" * 10), Document("d0", "")
    base = [make_set(d1, "a", (2, 5, "X")), make_set(d1, "b", (3, 6, "X"))]
    with_empty = [*base, make_set(empty, "a"), make_set(empty, "b")]
    assert unitizing_alpha(with_empty, label="X").alpha == pytest.approx(0.7125)
    report = agreement_report(with_empty)
    by_doc = {d.document_id: d.alpha.alpha for d in report.label("X").unitizing_documents}
    assert math.isnan(by_doc["d0"])
    assert by_doc["d1"] == pytest.approx(0.7125)
    assert report.label("X").unitizing_document_mean == pytest.approx(0.7125)


# ---------------------------------------------------------------------------
# Unitizing alpha: against the literal formula, and properties

unit_studies = st.integers(1, 30).flatmap(
    lambda length: st.tuples(
        st.just(length),
        st.lists(
            st.lists(
                st.integers(0, length - 1).flatmap(
                    lambda s: st.tuples(st.just(s), st.integers(s + 1, length))
                ),
                max_size=4,
            ),
            min_size=2,
            max_size=4,
        ),
    )
)


@settings(max_examples=300)
@given(unit_studies)
def test_unitizing_matches_the_guides_formula_written_with_loops(
    study: tuple[int, list[list[tuple[int, int]]]],
) -> None:
    length, raters = study
    result = unitizing_alpha(
        [
            make_set(Document("d", "x" * length), f"r{i}", *[(s, e, "X") for s, e in units])
            for i, units in enumerate(raters)
        ],
        label="X",
    )
    d_o, d_e = unitizing_reference(raters, length)
    assert result.observed_disagreement == pytest.approx(d_o, rel=1e-12, abs=1e-15)
    assert result.expected_disagreement == pytest.approx(d_e, rel=1e-12, abs=1e-15)
    if d_e > 0:
        assert result.alpha == pytest.approx(1 - d_o / d_e, rel=1e-9, abs=1e-12)
        assert result.alpha <= 1.0
    else:
        assert math.isnan(result.alpha)


@settings(max_examples=150)
@given(unit_studies, st.randoms(use_true_random=False))
def test_unitizing_does_not_depend_on_rater_order_or_names(
    study: tuple[int, list[list[tuple[int, int]]]], rnd: random.Random
) -> None:
    length, raters = study
    document = Document("d", "x" * length)
    shuffled = list(raters)
    rnd.shuffle(shuffled)
    first = [
        make_set(document, f"r{i}", *[(s, e, "X") for s, e in u]) for i, u in enumerate(raters)
    ]
    second = [
        make_set(document, f"z{len(raters) - i}", *[(s, e, "X") for s, e in u])
        for i, u in enumerate(shuffled)
    ]
    assert same(unitizing_alpha(first).alpha, unitizing_alpha(second).alpha, tol=1e-12)


@settings(max_examples=100)
@given(unit_studies)
def test_unitizing_identical_annotations_give_one(
    study: tuple[int, list[list[tuple[int, int]]]],
) -> None:
    length, raters = study
    document = Document("d", "x" * length)
    units = raters[0]
    result = unitizing_alpha(
        [make_set(document, name, *[(s, e, "X") for s, e in units]) for name in ("a", "b", "c")]
    )
    if units:
        # Undefined only when every character is its own unit for everyone (D_e = 0).
        assert result.alpha == 1.0 or math.isnan(result.alpha)
        assert result.observed_disagreement == 0.0
    else:
        assert math.isnan(result.alpha)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(*(span_lists(len(doc.text)) for doc in DOCS)), min_size=2, max_size=3))
def test_pooled_unitizing_does_not_depend_on_document_order(
    annotations: list[tuple[list[SpanSpec], ...]],
) -> None:
    def sets(order: Sequence[int]) -> list[AnnotationSet]:
        return [
            make_set(DOCS[d], f"r{i}", *per_doc[d])
            for i, per_doc in enumerate(annotations)
            for d in order
        ]

    assert same(
        unitizing_alpha(sets([0, 1, 2])).alpha, unitizing_alpha(sets([2, 0, 1])).alpha, tol=1e-12
    )


# ---------------------------------------------------------------------------
# The report


def three_annotator_corpus() -> list[AnnotationSet]:
    d1, d2, d3 = DOCS
    return [
        make_set(d1, "alice", (4, 20, "EVENT_TERM"), (41, 57, "ACTOR")),
        make_set(d1, "bob", (7, 20, "EVENT_TERM"), (41, 57, "ACTOR")),
        make_set(d1, "carol", (4, 13, "EVENT_TERM")),
        make_set(d2, "alice", (7, 21, "EVENT_TERM"), (0, 6, "ACTOR")),
        make_set(d2, "bob", (7, 21, "EVENT_TERM"), (0, 6, "ACTOR")),
        make_set(d2, "carol", (7, 27, "EVENT_TERM"), (0, 6, "ACTOR"), (10, 13, "ACTOR")),
        make_set(d3, "alice"),
        make_set(d3, "bob", (3, 13, "EVENT_TERM")),
        make_set(d3, "carol"),
    ]


def test_report_figures_equal_the_single_measures() -> None:
    sets = three_annotator_corpus()
    report = agreement_report(sets)
    assert report.annotators == ("alice", "bob", "carol")
    assert report.document_ids == ("d1", "d2", "d3")
    assert [entry.label for entry in report.labels] == ["ACTOR", "EVENT_TERM"]
    by_name: dict[str, list[AnnotationSet]] = {}
    for aset in sets:
        by_name.setdefault(aset.annotator, []).append(aset)
    for entry in report.labels:
        assert entry.token == layer_agreement(sets, entry.label, unit="token")
        assert entry.character == layer_agreement(sets, entry.label, unit="character")
        assert entry.unitizing == unitizing_alpha(sets, label=entry.label)
        for pair in entry.span_f1:
            a, b = (by_name[n] for n in pair.annotators)
            assert pair.exact == span_f1(a, b, label=entry.label)
            assert pair.partial == span_f1(a, b, mode="partial", label=entry.label)
        for pair_u in entry.unitizing_pairwise:
            two = [s for s in sets if s.annotator in pair_u.annotators]
            assert pair_u.alpha == unitizing_alpha(two, label=entry.label)
        for doc_u in entry.unitizing_documents:
            one = [s for s in sets if s.document_id == doc_u.document_id]
            assert same(doc_u.alpha.alpha, unitizing_alpha(one, label=entry.label).alpha)
    assert report.unitizing == unitizing_alpha(sets)
    for pair_u in report.unitizing_pairwise:
        two = [s for s in sets if s.annotator in pair_u.annotators]
        assert pair_u.alpha == unitizing_alpha(two)
    f1s = [p.partial.f1 for p in report.span_f1]
    assert report.mean_partial_f1 == pytest.approx(sum(f1s) / len(f1s))


def test_report_of_perfect_agreement_is_all_ones() -> None:
    d1, d2, _ = DOCS
    spans = {d1: [(4, 20, "EVENT_TERM")], d2: [(0, 6, "ACTOR"), (7, 21, "EVENT_TERM")]}
    sets = [make_set(d, name, *s) for d, s in spans.items() for name in ("a", "b", "c")]
    report = agreement_report(sets)
    assert report.mean_exact_f1 == report.mean_partial_f1 == 1.0
    assert report.unitizing.alpha == 1.0
    for entry in report.labels:
        for layer in (entry.token, entry.character):
            assert layer.fleiss_kappa.value == pytest.approx(1.0)
            assert layer.krippendorff_alpha.value == pytest.approx(1.0)
            assert layer.mean_cohen_kappa == pytest.approx(1.0)


def test_report_of_a_label_nobody_used_is_undefined_and_serialises_as_null() -> None:
    sets = three_annotator_corpus()
    report = agreement_report(sets, labels=["EVENT_TERM", "EPITHET"])
    unused = report.label("EPITHET")
    assert math.isnan(unused.mean_exact_f1)
    assert math.isnan(unused.token.krippendorff_alpha.value)
    assert math.isnan(unused.character.fleiss_kappa.value)
    assert math.isnan(unused.unitizing.alpha)
    # The unused label changes neither the overall unitizing α nor the all-label F1.
    assert report.unitizing.alpha == pytest.approx(
        agreement_report(sets, labels=["EVENT_TERM"]).unitizing.alpha
    )
    data = agreement_to_dict(report)
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data
    epithet = next(entry for entry in data["labels"] if entry["label"] == "EPITHET")
    assert epithet["unitizing"]["alpha"] is None
    assert epithet["token"]["cohen_kappa"][0]["annotators"] == ["alice", "bob"]


def test_report_with_a_zero_length_document_equals_the_report_without_it() -> None:
    sets = three_annotator_corpus()
    empty = Document("empty", "")
    with_empty = agreement_report([*sets, *(make_set(empty, n) for n in ("alice", "bob", "carol"))])
    without = agreement_report(sets)
    assert with_empty.unitizing == without.unitizing
    assert with_empty.span_f1 == without.span_f1
    for a, b in zip(with_empty.labels, without.labels, strict=True):
        assert a.token == b.token
        assert a.character == b.character
        assert a.unitizing_document_mean == pytest.approx(b.unitizing_document_mean)


def test_render_text_names_every_label_pair_and_figure() -> None:
    report = agreement_report(three_annotator_corpus())
    text = render_agreement(report)
    assert text.startswith(
        "Agreement of 3 annotators (alice, bob, carol) on 3 documents, 2 labels."
    )
    for label in ("ACTOR", "EVENT_TERM"):
        assert f"{label} / token" in text
        assert f"{label} / character" in text
    for pair in ("alice / bob", "alice / carol", "bob / carol"):
        assert pair in text
    assert f"{report.unitizing.alpha:8.3f}" in text
    assert f"{report.label('ACTOR').character.fleiss_kappa.value:8.3f}" in text


def test_report_to_dict_mirrors_the_result_objects() -> None:
    report = agreement_report(three_annotator_corpus())
    data = agreement_to_dict(report)
    assert data["annotators"] == ["alice", "bob", "carol"]
    assert data["mean_partial_f1"] == report.mean_partial_f1
    assert [entry["label"] for entry in data["labels"]] == ["ACTOR", "EVENT_TERM"]
    assert data["labels"][1]["character"]["krippendorff_alpha"]["value"] == (
        report.labels[1].character.krippendorff_alpha.value
    )
    assert isinstance(report, AgreementReport)


@pytest.mark.parametrize(
    ("sets", "error", "message"),
    [
        pytest.param([], ValueError, "got none", id="no-sets"),
        pytest.param(
            [make_set(DOCS[0], "alice"), make_set(DOCS[1], "alice")],
            ValueError,
            "agreement needs at least two annotators, got only 'alice'",
            id="one-annotator",
        ),
        pytest.param(
            [make_set(DOCS[0], "a"), make_set(DOCS[0], "b"), make_set(DOCS[1], "a")],
            ValueError,
            "every annotator must annotate every document; missing: 'b' on 'd2'",
            id="missing-document",
        ),
        pytest.param(
            [make_set(DOCS[0], "a"), make_set(DOCS[0], "a"), make_set(DOCS[0], "b")],
            ValueError,
            "annotator 'a' has two annotation sets for document 'd1'",
            id="two-sets",
        ),
        pytest.param(
            [make_set(DOCS[0], "a"), make_set(Document("d1", "other text"), "b")],
            ValueError,
            "document 'd1' has different texts",
            id="text-differs",
        ),
        pytest.param([make_set(DOCS[0], "a"), "b"], TypeError, "not str", id="not-a-set"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_message(
    sets: list[AnnotationSet], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        agreement_report(sets)
    with pytest.raises(error, match=message):
        unitizing_alpha(sets)
