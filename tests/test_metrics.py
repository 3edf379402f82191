"""Span evaluation metrics, checked against hand-worked figures and reference tools.

Oracles: nervaluate (MUC / SemEval-2013 schemas), seqeval (BIO chunks),
scikit-learn (token level), and an independent character-set implementation
of the SemEval-2020 Task 11 formula on the PTC dev split when it is present.
"""

from __future__ import annotations

import functools
import json
import math
import os
import warnings
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from biaskit.metrics import (
    ConfidenceInterval,
    Counts,
    PartialCredit,
    SchemaCounts,
    SpanReport,
    UndefinedMetricWarning,
    bio_chunk_scores,
    bootstrap_ci,
    exact_match,
    ptc_scores,
    ptc_tc_scores,
    render_scores,
    schema_scores,
    scores_to_dict,
    token_scores,
)
from biaskit.model import AnnotationSet, Document, Span

nervaluate = pytest.importorskip("nervaluate")
seqeval_metrics = pytest.importorskip("seqeval.metrics")
sklearn_metrics = pytest.importorskip("sklearn.metrics")

LABELS = ("A", "B", "C")
TEXT = (
    "The US killed Soleimani; Iran’s so-called ‘satellites’ fired 18 missiles at "
    "two bases in Iraq, and al-Muhandis died too. Officials don't agree on what "
    "happened next, nor on why."
)
SCHEMAS = ("strict", "exact", "partial", "type")
NERVALUATE_NAME = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}


def S(start: int, end: int, label: str = "A") -> Span:
    return Span(start, end, label)


def Z(tp: int, fp: int, fn: int) -> Counts:
    """Counts as the reports computed with ``zero_division=0.0`` hold them."""
    return Counts(tp, fp, fn, zero_division=0.0)


# --------------------------------------------------------------------------- strategies


@st.composite
def spans_in(draw: st.DrawFn, length: int, max_size: int = 8, max_span: int = 25) -> list[Span]:
    raw = draw(
        st.lists(
            st.tuples(
                st.integers(0, length - 1),
                st.integers(1, max_span),
                st.sampled_from(LABELS),
            ),
            max_size=max_size,
        )
    )
    # unique: a duplicate would be dropped (with a warning) by biaskit, counted twice by others
    return sorted({S(s, min(s + n, length), lab) for s, n, lab in raw})


@st.composite
def corpora(
    draw: st.DrawFn, length: int = 80, max_docs: int = 3, max_span: int = 25
) -> tuple[dict[str, list[Span]], dict[str, list[Span]]]:
    """Gold and predicted spans over documents of ``length`` code points.

    Predictions are partly derived from gold (copied, shifted, relabelled) so
    that exact and partial matches are common.
    """
    n_docs = draw(st.integers(1, max_docs))
    gold: dict[str, list[Span]] = {}
    pred: dict[str, list[Span]] = {}
    for i in range(n_docs):
        doc = f"d{i}"
        g = draw(spans_in(length, max_span=max_span))
        p: set[Span] = set(draw(spans_in(length, max_size=4, max_span=max_span)))
        for span in g:
            action = draw(st.sampled_from(["copy", "copy", "shift", "relabel", "drop"]))
            if action == "copy":
                p.add(span)
            elif action == "shift":
                delta = draw(st.integers(-3, 3))
                start = min(max(span.start + delta, 0), length - 1)
                p.add(S(start, max(start + 1, min(span.end + delta, length)), span.label))
            elif action == "relabel":
                p.add(S(span.start, span.end, draw(st.sampled_from(LABELS))))
        gold[doc] = g
        pred[doc] = sorted(p)
    return gold, pred


def _nervaluate(gold: dict[str, list[Span]], pred: dict[str, list[Span]], **kwargs: float):
    docs = sorted(set(gold) | set(pred))

    def rows(data: dict[str, list[Span]], doc: str) -> list[dict[str, object]]:
        # nervaluate's end is inclusive
        return [
            {"label": s.label, "start": s.start, "end": s.end - 1}
            for s in sorted(data.get(doc, []))
        ]

    evaluator = nervaluate.Evaluator(
        [rows(gold, d) for d in docs],
        [rows(pred, d) for d in docs],
        tags=list(LABELS),
        loader="dict",
        **kwargs,
    )
    return evaluator.evaluate()


def _same_schema_counts(ours: SchemaCounts, theirs: object) -> None:
    assert (ours.correct, ours.incorrect, ours.partial, ours.missed, ours.spurious) == (
        theirs.correct,
        theirs.incorrect,
        theirs.partial,
        theirs.missed,
        theirs.spurious,
    )
    assert (ours.possible, ours.actual) == (theirs.possible, theirs.actual)
    assert ours.precision == pytest.approx(theirs.precision)
    assert ours.recall == pytest.approx(theirs.recall)
    assert ours.f1 == pytest.approx(theirs.f1)


# --------------------------------------------------------------------------- counts objects


def test_counts_derive_scores_and_add():
    c = Counts(3, 1, 2) + Counts(1, 1, 0)
    assert c == Counts(4, 2, 2)
    assert (c.precision, c.recall, c.f1, c.support) == (4 / 6, 4 / 6, 8 / 12, 6)


@pytest.mark.parametrize(
    ("counts", "zero_division", "expected"),
    [
        (Counts(0, 0, 0), 0.0, (0.0, 0.0, 0.0)),
        (Counts(0, 0, 0), 1.0, (1.0, 1.0, 1.0)),
        (Counts(0, 0, 3), 1.0, (1.0, 0.0, 0.0)),
        (Counts(0, 2, 0), 1.0, (0.0, 1.0, 0.0)),
    ],
)
def test_zero_division_matches_sklearn(counts, zero_division, expected):
    counts = Counts(counts.tp, counts.fp, counts.fn, zero_division=zero_division)
    assert (counts.precision, counts.recall, counts.f1) == expected
    y_true = [1] * counts.tp + [0] * counts.fp + [1] * counts.fn + [0]
    y_pred = [1] * counts.tp + [1] * counts.fp + [0] * counts.fn + [0]
    p, r, f, _ = sklearn_metrics.precision_recall_fscore_support(
        y_true, y_pred, average="binary", zero_division=zero_division
    )
    assert (p, r, f) == expected


def test_zero_division_warn_gives_zero_and_warns():
    with pytest.warns(UndefinedMetricWarning, match="precision is ill-defined"):
        assert Counts(0, 0, 4).precision == 0.0


def test_zero_division_nan_is_left_out_of_macro_average():
    report = exact_match(
        {"d": [S(0, 2, "A")]},
        {"d": [S(0, 2, "A"), S(4, 6, "B")]},
        labels=["A", "B", "C"],
        zero_division=math.nan,
    )
    assert math.isnan(report.per_label["C"].precision)
    assert report.scores("macro").precision == pytest.approx((1.0 + 0.0) / 2)


@pytest.mark.parametrize("bad", ["yes", 0.5, -1, True])
def test_zero_division_rejects_other_values(bad):
    with pytest.raises(ValueError, match="zero_division must be"):
        Counts(1, 0, 0, zero_division=bad)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"tp": -1, "fp": 0, "fn": 0}, ValueError, "tp must be >= 0"),
        ({"tp": 1.5, "fp": 0, "fn": 0}, TypeError, "tp must be an integer"),
    ],
)
def test_counts_reject_bad_values(kwargs, error, message):
    with pytest.raises(error, match=message):
        Counts(**kwargs)


# --------------------------------------------------------------------------- inputs


def test_annotation_sets_and_mappings_give_the_same_report():
    doc = Document("d", TEXT)
    gold_set = AnnotationSet(doc, "gold", [S(0, 3), S(4, 6, "B")])
    pred_set = AnnotationSet(doc, "model", [S(0, 3), S(4, 7, "B")])
    from_sets = exact_match([gold_set], [pred_set])
    from_mapping = exact_match({"d": gold_set.spans}, {"d": pred_set.spans})
    assert from_sets == from_mapping
    assert from_sets.overall == Counts(1, 1, 1)


@pytest.mark.parametrize(
    ("gold", "error", "message"),
    [
        ([S(0, 1)], TypeError, "iterable of AnnotationSet, found a Span"),
        ({"d": S(0, 1)}, TypeError, r"gold\['d'\] must be a sequence of Span"),
        ({"d": [(0, 1, "A")]}, TypeError, "must hold Span objects, found a tuple"),
        ({1: [S(0, 1)]}, TypeError, "document ids must be strings"),
        ("d", TypeError, "must be a mapping"),
    ],
)
def test_bad_inputs_are_rejected_with_a_clear_message(gold, error, message):
    with pytest.raises(error, match=message):
        exact_match(gold, {})


def test_two_sets_for_one_document_are_rejected():
    doc = Document("d", "abc")
    sets = [AnnotationSet(doc, "a", [S(0, 1)]), AnnotationSet(doc, "b", [S(1, 2)])]
    with pytest.raises(ValueError, match="two annotation sets for document 'd'"):
        exact_match(sets, [])


def test_exact_duplicates_are_dropped_with_a_warning():
    with pytest.warns(UserWarning, match="gold: dropped 1 exact duplicate"):
        report = exact_match({"d": [S(0, 2), S(0, 2)]}, {"d": [S(0, 2)]})
    assert report.overall == Counts(1, 0, 0)


# --------------------------------------------------------------------------- exact match


def test_exact_match_labelled_per_label_micro_and_macro():
    gold = {"d1": [S(0, 3, "A"), S(5, 9, "B"), S(10, 12, "B")], "d2": [S(0, 4, "A")]}
    pred = {"d1": [S(0, 3, "A"), S(5, 9, "A"), S(10, 12, "B")], "d3": [S(0, 1, "B")]}
    report = exact_match(gold, pred, zero_division=0.0)
    assert dict(report.per_label) == {"A": Z(1, 1, 1), "B": Z(1, 1, 1)}
    assert report.overall == Z(2, 2, 2)
    assert report.scores("micro").f1 == 0.5
    assert report.scores("macro").f1 == 0.5
    label_free = exact_match(gold, pred, labelled=False)
    assert label_free.overall == Counts(3, 1, 1)
    assert label_free.per_label == {}


def test_exact_match_labels_restrict_and_list_every_label():
    gold = {"d": [S(0, 3, "A"), S(5, 9, "B")]}
    pred = {"d": [S(0, 3, "A"), S(5, 9, "B")]}
    report = exact_match(gold, pred, labels=["A", "C"], zero_division=0.0)
    assert dict(report.per_label) == {"A": Z(1, 0, 0), "C": Z(0, 0, 0)}
    assert report.overall == Z(1, 0, 0)


def test_macro_average_of_a_label_free_report_is_refused():
    report = exact_match({"d": [S(0, 1)]}, {"d": [S(0, 1)]}, labelled=False)
    with pytest.raises(ValueError, match="needs per-label scores"):
        report.scores("macro")
    with pytest.raises(ValueError, match="average must be"):
        report.scores("samples")  # type: ignore[arg-type]


def test_exact_match_agrees_with_sklearn_on_a_span_indicator_matrix():
    gold = {"d1": [S(0, 3, "A"), S(5, 9, "B")], "d2": [S(0, 4, "C"), S(2, 4, "A")]}
    pred = {"d1": [S(0, 3, "A"), S(5, 9, "A")], "d2": [S(0, 4, "C"), S(1, 4, "A")]}
    items = sorted(
        {(d, s.start, s.end) for data in (gold, pred) for d, v in data.items() for s in v}
    )
    y_true = [[int(S(s, e, lab) in gold.get(d, [])) for lab in LABELS] for d, s, e in items]
    y_pred = [[int(S(s, e, lab) in pred.get(d, [])) for lab in LABELS] for d, s, e in items]
    report = exact_match(gold, pred, zero_division=0.0)
    for average in ("micro", "macro", "weighted"):
        p, r, f, _ = sklearn_metrics.precision_recall_fscore_support(
            np.array(y_true), np.array(y_pred), average=average, zero_division=0.0
        )
        got = report.scores(average)
        assert (got.precision, got.recall, got.f1) == pytest.approx((p, r, f))


# --------------------------------------------------------------------------- PTC


def test_ptc_merges_overlapping_gold_but_not_touching_spans():
    # [0, 6) and [4, 10) merge into [0, 10); [10, 14) touches and stays apart.
    gold = {"d": [S(0, 6), S(4, 10), S(10, 14)]}
    pred = {"d": [S(5, 12)]}
    report = ptc_scores(gold, pred, labelled=False)
    # s = [5, 12): shares 5 with [0, 10) and 2 with [10, 14)
    assert report.overall.n_gold == 2
    assert report.overall.precision_credit == pytest.approx(5 / 7 + 2 / 7)
    assert report.overall.recall_credit == pytest.approx(5 / 10 + 2 / 4)
    assert report.scores().precision == pytest.approx(1.0)
    assert report.scores().recall == pytest.approx((0.5 + 0.5) / 2)
    assert report.scores().f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def test_ptc_merges_overlapping_predictions():
    gold = {"d": [S(0, 10)]}
    merged = ptc_scores(gold, {"d": [S(0, 6), S(3, 10)]}, labelled=False)
    assert merged.overall == PartialCredit(1.0, 1, 1.0, 1)
    touching = ptc_scores(gold, {"d": [S(0, 5), S(5, 10)]}, labelled=False)
    assert touching.overall == PartialCredit(2.0, 2, 1.0, 1)


def test_ptc_labelled_merges_only_same_label_spans():
    gold = {"d": [S(0, 6, "A"), S(4, 10, "B"), S(5, 8, "A")]}
    pred = {"d": [S(0, 8, "A"), S(4, 10, "B")]}
    report = ptc_scores(gold, pred)
    # A: gold [0, 6) + [5, 8) merge into [0, 8), exactly the prediction; B matches exactly.
    assert report.per_label["A"] == PartialCredit(1.0, 1, 1.0, 1)
    assert report.per_label["B"] == PartialCredit(1.0, 1, 1.0, 1)
    assert report.scores().f1 == 1.0
    label_free = ptc_scores(gold, pred, labelled=False)  # everything merges into [0, 10)
    assert label_free.overall == PartialCredit(1.0, 1, 1.0, 1)


def test_ptc_drops_predictions_on_documents_without_gold():
    gold = {"d": [S(0, 10)], "empty": []}
    pred = {"d": [S(0, 10)], "empty": [S(0, 4)], "unknown": [S(0, 4)]}
    report = ptc_scores(gold, pred, labelled=False)
    assert report.overall == PartialCredit(1.0, 1, 1.0, 1)
    assert exact_match(gold, pred, labelled=False).overall == Counts(1, 2, 0)


def test_ptc_official_per_label_recall_uses_the_precision_numerator():
    gold = {"d": [S(0, 10, "A"), S(20, 24, "B")]}
    pred = {"d": [S(0, 2, "A"), S(5, 15, "A"), S(20, 22, "B")]}
    corrected = ptc_scores(gold, pred)
    official = ptc_scores(gold, pred, official=True)
    # A: precision credit 2/2 + 5/10 = 1.5 over 2 predictions;
    #    recall credit (2 + 5)/10 = 0.7 over 1 gold span.
    assert corrected.per_label["A"].precision == pytest.approx(0.75)
    assert corrected.per_label["A"].recall == pytest.approx(0.7)
    assert official.per_label["A"].precision == pytest.approx(0.75)
    assert official.per_label["A"].recall == pytest.approx(1.5)
    # B: credit 2/2 = 1 for precision, 2/4 = 0.5 for recall
    assert corrected.per_label["B"].recall == pytest.approx(0.5)
    assert official.per_label["B"].recall == pytest.approx(1.0)
    # the corpus figures do not change
    assert official.overall == corrected.overall
    assert corrected.scores().precision == pytest.approx((1.5 + 1.0) / 3)
    assert corrected.scores().recall == pytest.approx((0.7 + 0.5) / 2)


def test_ptc_f1_is_zero_when_precision_or_recall_is_zero():
    report = ptc_scores({"d": [S(0, 5)]}, {"d": [S(6, 9)]}, labelled=False)
    assert report.scores() == type(report.scores())(0.0, 0.0, 0.0)
    no_predictions = ptc_scores({"d": [S(0, 5)]}, {}, labelled=False, zero_division=1.0)
    assert (no_predictions.scores().precision, no_predictions.scores().f1) == (1.0, 0.0)


def test_ptc_tc_aligns_several_gold_techniques_on_one_span():
    gold = {"d": [S(0, 5, "Doubt"), S(0, 5, "Repetition"), S(0, 5, "Doubt"), S(7, 9, "Slogans")]}
    pred = {"d": [S(0, 5, "Repetition"), S(0, 5, "Doubt"), S(0, 5, "Slogans"), S(7, 9, "Slogans")]}
    report = ptc_tc_scores(gold, pred, zero_division=0.0)
    assert report.overall == Z(3, 1, 1)
    assert report.scores().f1 == pytest.approx(3 / 4)
    assert dict(report.per_label) == {
        "Doubt": Z(1, 0, 1),
        "Repetition": Z(1, 0, 0),
        "Slogans": Z(1, 1, 0),
    }


def test_ptc_tc_micro_f1_is_accuracy_as_sklearn_computes_it():
    gold = {"d": [S(0, 5, "A"), S(6, 9, "B"), S(10, 12, "C"), S(13, 15, "A")]}
    pred = {"d": [S(0, 5, "A"), S(6, 9, "C"), S(10, 12, "C"), S(13, 15, "B")]}
    y_true = [s.label for s in gold["d"]]
    y_pred = [s.label for s in pred["d"]]
    report = ptc_tc_scores(gold, pred, zero_division=0.0)
    assert report.scores().f1 == pytest.approx(
        sklearn_metrics.f1_score(y_true, y_pred, average="micro")
    )
    assert report.scores("macro").f1 == pytest.approx(
        sklearn_metrics.f1_score(y_true, y_pred, average="macro", zero_division=0.0)
    )


def test_ptc_tc_rejects_rows_that_do_not_match_the_template():
    with pytest.raises(ValueError, match=r"span \[0, 5\) has 1 predicted and 2 gold row"):
        ptc_tc_scores({"d": [S(0, 5, "A"), S(0, 5, "B")]}, {"d": [S(0, 5, "A")]})


# --------------------------------------------------------------------------- PTC dev split


def _ptc_root() -> Path:
    env = os.environ.get("BIASKIT_PTC")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data" / "ptc"


PTC = _ptc_root()
needs_ptc = pytest.mark.skipif(
    not (PTC / "dev-task-si.labels").is_file(),
    reason=f"PTC corpus not found at {PTC} (set BIASKIT_PTC to its folder)",
)


def _read_rows(path: Path) -> list[list[str]]:
    # a technique name may contain a comma: split on TAB only
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line]


def _every_line(label: str) -> dict[str, list[Span]]:
    """Predict every non-empty line of every dev article as one span."""
    pred: dict[str, list[Span]] = {}
    for path in sorted((PTC / "dev-articles").glob("article*.txt")):
        text = path.read_text(encoding="utf-8")
        spans, offset = [], 0
        for line in text.split("\n"):
            if line.strip():
                spans.append(Span(offset, offset + len(line), label))
            offset += len(line) + 1
        pred[path.stem.removeprefix("article")] = spans
    return pred


def _charset_components(spans: list[tuple[int, int]]) -> list[set[int]]:
    """Merge spans that share a character, as sets of character positions."""
    components: list[set[int]] = []
    for start, end in spans:
        current = set(range(start, end))
        for other in [c for c in components if c & current]:
            components.remove(other)
            current |= other
        components.append(current)
    return components


def _reference_ptc(gold: dict[str, list[Span]], pred: dict[str, list[Span]], labelled: bool):
    """The official formula written out on character sets, per label and overall."""
    prec_num: Counter[str] = Counter()
    rec_num: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    for doc, gold_spans in gold.items():
        if not gold_spans:
            continue
        groups: defaultdict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
        for s in gold_spans:
            groups[s.label if labelled else "*"][0].append((s.start, s.end))
        for s in pred.get(doc, []):
            groups[s.label if labelled else "*"][1].append((s.start, s.end))
        for label, (g, p) in groups.items():
            gs, ps = _charset_components(g), _charset_components(p)
            n_gold[label] += len(gs)
            n_pred[label] += len(ps)
            for s in ps:
                for t in gs:
                    prec_num[label] += len(s & t) / len(s)
                    rec_num[label] += len(s & t) / len(t)

    def prf(pn: float, pd: int, rn: float, rd: int) -> tuple[float, float, float]:
        p = pn / pd if pd else 0.0
        r = rn / rd if rd else 0.0
        return p, r, (2 * p * r / (p + r) if p > 0 and r > 0 else 0.0)

    overall = prf(
        sum(prec_num.values()), sum(n_pred.values()), sum(rec_num.values()), sum(n_gold.values())
    )
    corrected = {c: prf(prec_num[c], n_pred[c], rec_num[c], n_gold[c]) for c in n_gold}
    official = {c: prf(prec_num[c], n_pred[c], prec_num[c], n_gold[c]) for c in n_gold}
    return overall, corrected, official


@needs_ptc
def test_ptc_dev_si_every_line_agrees_with_the_reference_formula():
    gold: dict[str, list[Span]] = defaultdict(list)
    for doc, start, end in _read_rows(PTC / "dev-task-si.labels"):
        gold[doc].append(Span(int(start), int(end), "propaganda"))
    pred = _every_line("propaganda")
    assert "730081389" in pred
    assert "730081389" not in gold  # the dev article without gold spans is dropped

    ours = ptc_scores(gold, pred, labelled=False).scores()
    (p, r, f), _, _ = _reference_ptc(gold, pred, labelled=False)
    assert ours.precision == pytest.approx(p, abs=1e-6)
    assert ours.recall == pytest.approx(r, abs=1e-6)
    assert ours.f1 == pytest.approx(f, abs=1e-6)
    assert 0.17 < ours.f1 < 0.21  # the data README measures 0.19


@needs_ptc
def test_ptc_dev_flc_per_label_agrees_official_and_corrected():
    gold: dict[str, list[Span]] = defaultdict(list)
    for doc, technique, start, end in _read_rows(PTC / "dev-task-flc-tc.labels"):
        gold[doc].append(Span(int(start), int(end), technique))
    pred = _every_line("Loaded_Language")
    overall, corrected, official = _reference_ptc(gold, pred, labelled=True)
    ours = ptc_scores(gold, pred, zero_division=0.0)
    ours_official = ptc_scores(gold, pred, official=True, zero_division=0.0)
    assert ours.scores().f1 == pytest.approx(overall[2], abs=1e-6)
    assert ours_official.overall == ours.overall
    assert set(ours.per_label) == set(corrected)
    for label, (p, r, f) in corrected.items():
        row = ours.per_label[label]
        assert (row.precision, row.recall, row.f1) == pytest.approx((p, r, f), abs=1e-6)
    for label, (p, r, f) in official.items():
        row = ours_official.per_label[label]
        assert (row.precision, row.recall, row.f1) == pytest.approx((p, r, f), abs=1e-6)


@needs_ptc
def test_ptc_dev_tc_constant_loaded_language():
    gold: dict[str, list[Span]] = defaultdict(list)
    for doc, technique, start, end in _read_rows(PTC / "dev-task-flc-tc.labels"):
        gold[doc].append(Span(int(start), int(end), technique))
    pred = {d: [Span(s.start, s.end, "Loaded_Language") for s in v] for d, v in gold.items()}
    ours = ptc_tc_scores(gold, pred, zero_division=0.0).scores().f1
    # reference: with every prediction the same label, a span with k gold rows scores
    # 1 when Loaded_Language is among its gold techniques, else 0
    by_span: defaultdict[tuple[str, int, int], list[str]] = defaultdict(list)
    for doc, spans in gold.items():
        for s in spans:
            by_span[doc, s.start, s.end].append(s.label)
    matched = sum(min(1, labels.count("Loaded_Language")) * 1 for labels in by_span.values())
    assert ours == pytest.approx(matched / sum(len(v) for v in by_span.values()), abs=1e-9)
    assert 0.29 < ours < 0.33  # the data README measures 0.31


# --------------------------------------------------------------------------- nervaluate


@settings(max_examples=150, deadline=None)
@given(corpora(length=80, max_span=25))
@pytest.mark.parametrize("schema", SCHEMAS)
def test_schemas_agree_with_nervaluate(schema, data):
    gold, pred = data
    assume(any(gold.values()) or any(pred.values()))
    theirs = _nervaluate(gold, pred)
    ours = schema_scores(gold, pred, schema=schema, zero_division=0.0)
    name = NERVALUATE_NAME[schema]
    _same_schema_counts(ours.overall, theirs["overall"][name])
    assert set(ours.per_label) == set(theirs["entities"])
    for label, counts in ours.per_label.items():
        _same_schema_counts(counts, theirs["entities"][label][name])


@settings(max_examples=100, deadline=None)
@given(corpora(length=400, max_span=300))
@pytest.mark.parametrize("schema", SCHEMAS)
def test_schemas_with_nervaluates_one_percent_threshold_on_long_spans(schema, data):
    gold, pred = data
    assume(any(gold.values()) or any(pred.values()))
    theirs = _nervaluate(gold, pred)  # its default min_overlap_percentage is 1 %
    ours = schema_scores(gold, pred, schema=schema, min_overlap=0.01, zero_division=0.0)
    _same_schema_counts(ours.overall, theirs["overall"][NERVALUATE_NAME[schema]])


def test_schemas_hand_worked():
    gold = {"d": [S(0, 5, "A"), S(10, 20, "B"), S(30, 35, "A")]}
    pred = {"d": [S(0, 5, "B"), S(12, 20, "B"), S(40, 45, "A")]}
    expected = {  # (COR, INC, PAR, MIS, SPU)
        "strict": (0, 2, 0, 1, 1),
        "exact": (1, 1, 0, 1, 1),
        "partial": (1, 0, 1, 1, 1),
        "type": (1, 1, 0, 1, 1),
    }
    for schema, counts in expected.items():
        c = schema_scores(gold, pred, schema=schema).overall
        assert (c.correct, c.incorrect, c.partial, c.missed, c.spurious) == counts, schema
    partial = schema_scores(gold, pred, schema="partial").overall
    assert partial.precision == pytest.approx(1.5 / 3)


def test_schema_any_overlap_versus_one_percent():
    gold = {"d": [S(0, 200, "A")]}
    pred = {"d": [S(199, 210, "A")]}  # shares 1 of 200 gold code points (0.5 %)
    assert schema_scores(gold, pred, schema="type").overall.correct == 1
    assert schema_scores(gold, pred, schema="type", min_overlap=0.01).overall.spurious == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"schema": "loose"}, "schema must be"), ({"min_overlap": 2.0}, "min_overlap must be")],
)
def test_schema_scores_rejects_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        schema_scores({}, {}, **kwargs)


# --------------------------------------------------------------------------- token level


def _inside(text: str, spans: list[Span], label: str) -> list[bool]:
    """Whether each token lies wholly inside a span of ``label`` (written out, not tokens_in)."""
    from biaskit.tokens import tokenize

    return [
        any(s.label == label and s.start <= ts and te <= s.end for s in spans)
        for ts, te in tokenize(text)
    ]


@settings(max_examples=150, deadline=None)
@given(corpora(length=len(TEXT), max_span=40), st.sampled_from([0.0, 1.0]))
def test_token_scores_agree_with_sklearn(data, zero_division):
    gold, pred = data
    docs = sorted(set(gold) | set(pred))
    texts = dict.fromkeys(docs, TEXT)
    # every label as a column, so that sklearn sees a multilabel indicator matrix
    labels = list(LABELS)
    report = token_scores(gold, pred, texts=texts, labels=labels, zero_division=zero_division)
    assert list(report.per_label) == labels
    y_true = np.array(
        [
            row
            for d in docs
            for row in zip(*[_inside(TEXT, gold.get(d, []), lab) for lab in labels], strict=True)
        ]
    )
    y_pred = np.array(
        [
            row
            for d in docs
            for row in zip(*[_inside(TEXT, pred.get(d, []), lab) for lab in labels], strict=True)
        ]
    )
    p, r, f, support = sklearn_metrics.precision_recall_fscore_support(
        y_true, y_pred, average=None, zero_division=zero_division
    )
    for i, label in enumerate(labels):
        row = report.per_label[label]
        assert (row.precision, row.recall, row.f1) == pytest.approx((p[i], r[i], f[i]))
        assert row.support == support[i]
    for average in ("micro", "macro", "weighted"):
        expected = sklearn_metrics.precision_recall_fscore_support(
            y_true, y_pred, average=average, zero_division=zero_division
        )[:3]
        got = report.scores(average)
        assert (got.precision, got.recall, got.f1) == pytest.approx(expected)


def _bio_layer(text: str, spans: list[Span], label: str) -> list[str]:
    """One BIO layer: each span tags the tokens wholly inside it; tagged tokens are kept."""
    from biaskit.tokens import tokenize

    tokens = tokenize(text)
    tags = ["O"] * len(tokens)
    ranges = []
    for s in spans:
        if s.label == label:
            inside = [i for i, (ts, te) in enumerate(tokens) if s.start <= ts and te <= s.end]
            if inside:
                ranges.append((inside[0], inside[-1]))
    for first, last in sorted(ranges):
        for i in range(first, last + 1):
            if tags[i] == "O":
                tags[i] = f"B-{label}" if i == first else f"I-{label}"
    return tags


@settings(max_examples=150, deadline=None)
@given(corpora(length=len(TEXT), max_span=40), st.sampled_from([0, 1]))
def test_bio_chunk_scores_agree_with_seqeval(data, zero_division):
    gold, pred = data
    docs = sorted(set(gold) | set(pred))
    y_true, y_pred = [], []
    for d in docs:
        for label in LABELS:  # one BIO layer per label
            y_true.append(_bio_layer(TEXT, gold.get(d, []), label))
            y_pred.append(_bio_layer(TEXT, pred.get(d, []), label))
    types = sorted({t[2:] for seq in [*y_true, *y_pred] for t in seq if t != "O"})
    assume(any(t != "O" for seq in y_true for t in seq))
    theirs = seqeval_metrics.classification_report(
        y_true, y_pred, output_dict=True, zero_division=zero_division
    )
    texts = dict.fromkeys(docs, TEXT)
    ours = bio_chunk_scores(
        gold, pred, texts=texts, labels=types, zero_division=float(zero_division)
    )
    for label in types:
        row = ours.per_label[label]
        expected = theirs[label]
        assert (row.precision, row.recall, row.f1) == pytest.approx(
            (expected["precision"], expected["recall"], expected["f1-score"])
        )
        assert row.support == expected["support"]
    for average in ("micro", "macro", "weighted"):
        got, expected = ours.scores(average), theirs[f"{average} avg"]
        assert (got.precision, got.recall, got.f1) == pytest.approx(
            (expected["precision"], expected["recall"], expected["f1-score"])
        )
    assert ours.scores().f1 == pytest.approx(
        seqeval_metrics.f1_score(y_true, y_pred, zero_division=zero_division)
    )


def test_nested_spans_of_different_labels_survive_in_bio_layers():
    texts = {"d": "Iran fired missiles at bases"}
    gold = {"d": [S(0, 19, "EVENT"), S(0, 4, "ACTOR"), S(11, 19, "WEAPON")]}
    report = bio_chunk_scores(gold, gold, texts=texts)
    assert report.overall == Counts(3, 0, 0)


def test_bio_same_label_spans_sharing_a_token_become_one_chunk_touching_stay_apart():
    texts = {"d": "Iran fired missiles at bases"}
    # tokens: Iran 0, fired 1, missiles 2, at 3, bases 4
    overlapping = {"d": [S(0, 10), S(5, 19)]}  # tokens 0-1 and 1-2: one chunk 0-2
    touching = {"d": [S(0, 10), S(11, 19)]}  # tokens 0-1 and 2-2: two chunks
    assert bio_chunk_scores(overlapping, {"d": [S(0, 19)]}, texts=texts).overall == Counts(1, 0, 0)
    assert bio_chunk_scores(touching, {"d": [S(0, 19)]}, texts=texts).overall == Counts(0, 1, 2)


def test_token_scores_need_texts():
    with pytest.raises(ValueError, match="no text for document 'd'"):
        token_scores({"d": [S(0, 1)]}, {})
    doc = Document("d", "Iran fired")
    report = token_scores(
        [AnnotationSet(doc, "g", [S(0, 4)])], [AnnotationSet(doc, "m", [S(0, 10)])]
    )
    assert report.overall == Counts(1, 1, 0)


# --------------------------------------------------------------------------- properties


def _all_reports(gold, pred):
    texts = dict.fromkeys(set(gold) | set(pred), TEXT)
    return {
        "exact": exact_match(gold, pred, zero_division=0.0),
        "exact-free": exact_match(gold, pred, labelled=False, zero_division=0.0),
        "ptc": ptc_scores(gold, pred, zero_division=0.0),
        "ptc-free": ptc_scores(gold, pred, labelled=False, zero_division=0.0),
        "ptc-official": ptc_scores(gold, pred, official=True, zero_division=0.0),
        **{
            schema: schema_scores(gold, pred, schema=schema, zero_division=0.0)
            for schema in SCHEMAS
        },
        "token": token_scores(gold, pred, texts=texts, zero_division=0.0),
        "bio": bio_chunk_scores(gold, pred, texts=texts, zero_division=0.0),
    }


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(length=len(TEXT), max_span=40))
def test_scores_lie_in_the_unit_interval(data):
    gold, pred = data
    for name, report in _all_reports(gold, pred).items():
        averages = ["micro"] + (["macro", "weighted"] if report.per_label else [])
        for average in averages:
            prf = report.scores(average)
            for value in (prf.precision, prf.recall, prf.f1):
                assert 0.0 <= value <= 1.0 or (name == "ptc-official" and average != "micro"), (
                    name,
                    average,
                    prf,
                )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(length=len(TEXT), max_span=40))
def test_perfect_prediction_scores_one(data):
    gold, _ = data
    assume(any(gold.values()))
    reports = _all_reports(gold, gold)
    token_level = {"token", "bio"}
    for name, report in reports.items():
        if name in token_level and report.overall.support == 0:
            continue  # no gold span covers a whole token
        prf = report.scores("micro")
        assert (prf.precision, prf.recall, prf.f1) == pytest.approx((1.0, 1.0, 1.0)), name


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(length=len(TEXT), max_span=40))
def test_micro_counts_add_up_over_documents(data):
    gold, pred = data
    whole = _all_reports(gold, pred)
    parts = [
        _all_reports({d: gold[d]} if d in gold else {}, {d: pred[d]} if d in pred else {})
        for d in sorted(set(gold) | set(pred))
    ]
    for name, report in whole.items():
        total = functools.reduce(lambda a, b: a + b, (p[name] for p in parts))
        if isinstance(report.overall, PartialCredit):
            assert attrs_tuple(total.overall) == pytest.approx(attrs_tuple(report.overall))
        else:
            assert total.overall == report.overall, name
            assert dict(total.per_label) == dict(report.per_label), name


def attrs_tuple(c: PartialCredit) -> tuple[float, ...]:
    return (c.precision_credit, c.n_predicted, c.recall_credit, c.n_gold)


# --------------------------------------------------------------------------- bootstrap


def _bootstrap_corpus():
    gold = {f"d{i}": [S(0, 5, "A"), S(10, 15, "B")] for i in range(12)}
    pred = {
        f"d{i}": [S(0, 5 if i % 3 else 4, "A"), S(10, 15, "B" if i % 2 else "A")] for i in range(12)
    }
    return gold, pred


def test_bootstrap_is_seeded_and_brackets_the_estimate():
    gold, pred = _bootstrap_corpus()
    a = bootstrap_ci(exact_match, gold, pred, n_resamples=300, random_state=7)
    b = bootstrap_ci(exact_match, gold, pred, n_resamples=300, random_state=7)
    c = bootstrap_ci(exact_match, gold, pred, n_resamples=300, random_state=8)
    assert a == b
    assert a != c
    assert a.low <= a.estimate <= a.high
    assert a.estimate == exact_match(gold, pred).scores().f1


def test_bootstrap_equals_scoring_each_resampled_corpus():
    """Summing per-document counts is the same as scoring the resampled corpus."""
    gold, pred = _bootstrap_corpus()
    docs = sorted(gold)
    metric = functools.partial(schema_scores, schema="partial", zero_division=0.0)
    ci = bootstrap_ci(
        metric, gold, pred, average="macro", n_resamples=50, confidence_level=0.9, random_state=3
    )
    draws = np.random.default_rng(3).integers(0, len(docs), size=(50, len(docs)))
    stats = []
    for row in draws:
        g = {f"{k}:{docs[i]}": gold[docs[i]] for k, i in enumerate(row)}
        p = {f"{k}:{docs[i]}": pred[docs[i]] for k, i in enumerate(row)}
        stats.append(metric(g, p).scores("macro").f1)
    assert (ci.low, ci.high) == pytest.approx(tuple(np.percentile(stats, [5, 95])))


def test_bootstrap_of_identical_documents_has_no_width():
    gold = {f"d{i}": [S(0, 5, "A")] for i in range(5)}
    pred = {f"d{i}": [S(0, 5, "A"), S(6, 8, "A")] for i in range(5)}
    ci = bootstrap_ci(ptc_scores, gold, pred, n_resamples=50, random_state=0)
    assert ci.low == pytest.approx(ci.estimate)
    assert ci.high == pytest.approx(ci.estimate)


def test_bootstrap_of_token_scores_with_texts():
    doc = Document("d", "Iran fired missiles at bases")
    other = Document("e", "Officials disagree")
    gold = [AnnotationSet(doc, "g", [S(0, 10)]), AnnotationSet(other, "g", [S(0, 9)])]
    pred = [AnnotationSet(doc, "m", [S(5, 19)])]
    ci = bootstrap_ci(token_scores, gold, pred, n_resamples=100, random_state=1)
    assert ci.estimate == pytest.approx(token_scores(gold, pred).scores().f1)
    assert 0.0 <= ci.low <= ci.estimate <= ci.high <= 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"score": "accuracy"}, "score must be"),
        ({"confidence_level": 95}, "confidence_level must be"),
        ({"n_resamples": 0}, "n_resamples must be"),
    ],
)
def test_bootstrap_rejects_bad_options(kwargs, message):
    gold, pred = _bootstrap_corpus()
    with pytest.raises(ValueError, match=message):
        bootstrap_ci(exact_match, gold, pred, **kwargs)


# --------------------------------------------------------------------------- reports


def test_to_dict_is_json_ready_and_keeps_counts():
    gold, pred = _bootstrap_corpus()
    report = schema_scores(gold, pred, schema="partial", zero_division=math.nan)
    data = scores_to_dict(report)
    json.dumps(data, allow_nan=False)
    assert data["metric"] == "schema:partial"
    assert data["micro"]["possible"] == report.overall.possible
    assert set(data["labels"]) == {"A", "B"}
    assert data["macro"]["f1"] == pytest.approx(report.scores("macro").f1)
    ci = bootstrap_ci(exact_match, gold, pred, n_resamples=20, random_state=0)
    assert scores_to_dict(ci)["n_resamples"] == 20
    json.dumps(scores_to_dict(ci), allow_nan=False)


def test_to_dict_turns_nan_into_none():
    report = exact_match({"d": [S(0, 1)]}, {}, zero_division=math.nan)
    assert scores_to_dict(report)["labels"]["A"]["precision"] is None


def test_render_text_lists_labels_and_averages():
    gold, pred = _bootstrap_corpus()
    text = render_scores(ptc_scores(gold, pred, zero_division=0.0), digits=2)
    lines = text.splitlines()
    assert lines[0] == "ptc"
    assert lines[1].split() == ["label", "precision", "recall", "f1", "support"]
    assert [line.split()[0] for line in lines[2:] if line] == [
        "A",
        "B",
        "micro",
        "macro",
        "weighted",
    ]
    label_free = render_scores(exact_match(gold, pred, labelled=False))
    assert "macro" not in label_free
    ci = bootstrap_ci(exact_match, gold, pred, n_resamples=20, random_state=0)
    assert render_scores(ci).startswith("exact f1 (micro) = ")
    assert "95% CI [" in render_scores(ci)


def test_reports_are_hashable_values():
    gold, pred = _bootstrap_corpus()
    a, b = exact_match(gold, pred), exact_match(gold, pred)
    assert a == b
    assert hash(a) == hash(b)
    assert isinstance(a, SpanReport)
    assert isinstance(bootstrap_ci(exact_match, gold, pred, n_resamples=5), ConfidenceInterval)


def test_no_warning_when_zero_division_is_given():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = exact_match({"d": [S(0, 1, "A")]}, {"d": [S(2, 3, "B")]}, zero_division=0.0)
        render_scores(report)
        scores_to_dict(report)
