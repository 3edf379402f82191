"""Benchmark the baseline on PTC (SemEval-2020 Task 11): train on train, score on dev.

Usage::

    python benchmarks/ptc.py --data ../shared/data/ptc --out DIR

Writes, in the official formats:

- ``DIR/dev-si.pred``  -- ``id<TAB>start<TAB>end`` (task SI, span identification);
- ``DIR/dev-tc.pred``  -- the dev TC template rows with the technique filled in
  (task TC, technique classification of given spans);
- ``DIR/dev-flc.pred`` -- ``id<TAB>technique<TAB>start<TAB>end`` (task FLC,
  spans and techniques together);

and prints a JSON summary (also saved as ``DIR/summary.json``): precision,
recall and F1 of each task with the official formulas
(:func:`biaskit.metrics.ptc_scores`, :func:`biaskit.metrics.ptc_tc_scores`),
95% bootstrap confidence intervals over articles, fit seconds (wall and CPU),
the wall seconds of each fit stage (``SpanClassifier.fit_seconds_``),
prediction speed in characters per CPU-second, and peak memory. ``--n-jobs``
is passed to both fits (threads over labels and folds; the models are the
same for any value).

Everything the model chooses (thresholds, gaps) is tuned on the training
split by out-of-fold predictions; dev is only scored.

Peak memory is the peak resident set size of the whole benchmark process
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``), which includes the loaded
corpora and both fitted models; the SI fit's own peak is reported as the
process peak measured right after it.

The corpus is third-party research data: this script reads it from ``--data``
and writes predictions (offsets and labels, no article text) to ``--out``.
"""

from __future__ import annotations

import argparse
import functools
import json
import platform
import resource
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import biaskit
from biaskit.baseline import SpanClassifier
from biaskit.io.ptc import load_ptc, write_ptc
from biaskit.metrics import bootstrap_ci, ptc_scores, ptc_tc_scores


def _peak_mb() -> float:
    # ru_maxrss is KiB on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _xy(corpus: biaskit.Corpus) -> tuple[list[biaskit.Document], list[list[biaskit.Span]]]:
    docs = list(corpus.documents)
    return docs, [list(corpus.annotation_set(d.id, "gold").spans) for d in docs]


def _prf(report: Any) -> dict[str, float]:
    s = report.scores("micro")
    return {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4)}


def _ci(metric: Any, gold: Any, pred: Any, n: int) -> list[float]:
    ci = bootstrap_ci(metric, gold, pred, n_resamples=n, random_state=0)
    return [round(ci.low, 4), round(ci.high, 4)]


def _stages(model: SpanClassifier) -> dict[str, float]:
    return {stage: round(seconds, 1) for stage, seconds in model.fit_seconds_.items()}


def _as_corpus(template: biaskit.Corpus, spans: dict[str, list[biaskit.Span]]) -> biaskit.Corpus:
    sets = [biaskit.AnnotationSet(d, "baseline", spans.get(d.id, [])) for d in template.documents]
    return biaskit.Corpus(template.documents, template.schema, sets)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True, type=Path, help="the PTC folder")
    parser.add_argument("--out", required=True, type=Path, help="folder for the .pred files")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples")
    parser.add_argument("--skip-flc", action="store_true", help="only SI (faster)")
    parser.add_argument(
        "--rules",
        action="store_true",
        help="use the rule detectors as features (off: PTC has none of their labels, and "
        "they cost prediction speed)",
    )
    args = parser.parse_args(argv)
    data: Path = args.data
    args.out.mkdir(parents=True, exist_ok=True)
    warnings.simplefilter("ignore", UserWarning)

    train_si = load_ptc(data / "train-task-si.labels")
    dev_si = load_ptc(data / "dev-task-si.labels")
    train_docs, train_spans = _xy(train_si)
    dev_docs, dev_gold = _xy(dev_si)
    dev_chars = sum(len(d.text) for d in dev_docs)
    summary: dict[str, Any] = {
        "corpus": "PTC v2 (SemEval-2020 Task 11), train -> dev",
        "train_articles": len(train_docs),
        "train_characters": sum(len(d.text) for d in train_docs),
        "dev_articles": len(dev_docs),
        "dev_characters": dev_chars,
    }

    # Chosen by nested cross-validation on the training data only
    # (docs/benchmarks.md): the fold models' means for prediction, and for
    # the 14 techniques a half share of the tokens outside spanned sentences.
    settings: dict[str, dict[str, Any]] = {
        "si": {"final_models": "mean"},
        "flc": {"final_models": "mean", "subsample": 0.5},
    }
    summary["settings"] = settings

    # Task SI.
    model = SpanClassifier(
        rules=args.rules, random_state=args.seed, n_jobs=args.n_jobs, **settings["si"]
    )
    wall, cpu = time.perf_counter(), time.process_time()
    model.fit(train_docs, train_spans)
    fit_wall, fit_cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_after_si_fit = _peak_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    predicted = model.predict(dev_docs)
    pred_wall, pred_cpu = time.perf_counter() - wall, time.process_time() - cpu
    si_pred = {d.id: p for d, p in zip(dev_docs, predicted, strict=True)}
    si_gold = {d.id: g for d, g in zip(dev_docs, dev_gold, strict=True)}
    write_ptc(
        _as_corpus(dev_si, si_pred),
        args.out / "dev-si.pred",
        annotator="baseline",
        task="si",
        overwrite=True,
        write_articles=False,
    )
    si_metric = functools.partial(ptc_scores, labelled=False, zero_division=0.0)
    summary["si"] = {
        **_prf(si_metric(si_gold, si_pred)),
        "f1_ci95": _ci(si_metric, si_gold, si_pred, args.bootstrap),
        "predicted_spans": sum(len(v) for v in si_pred.values()),
        "train_oof_f1": round(model.oof_scores_["PROPAGANDA"], 4),
        "threshold": round(model.thresholds_["PROPAGANDA"], 4),
        "gap": model.gaps_["PROPAGANDA"],
        "fit_seconds": round(fit_wall, 1),
        "fit_cpu_seconds": round(fit_cpu, 1),
        "fit_stage_seconds": _stages(model),
        "peak_memory_mb_after_fit": round(peak_after_si_fit, 1),
        "predict_seconds": round(pred_wall, 2),
        "predict_chars_per_cpu_second": int(dev_chars / max(pred_cpu, 1e-9)),
        "predict_chars_per_second_wall": int(dev_chars / max(pred_wall, 1e-9)),
    }
    for score in ("precision", "recall"):
        ci = bootstrap_ci(
            si_metric, si_gold, si_pred, score=score, n_resamples=args.bootstrap, random_state=0
        )
        summary["si"][f"{score}_ci95"] = [round(ci.low, 4), round(ci.high, 4)]

    if not args.skip_flc:
        train_flc = load_ptc(data / "train-task-flc-tc.labels")
        dev_flc = load_ptc(data / "dev-task-flc-tc.labels")
        template = load_ptc(data / "dev-task-tc-template.out")
        flc_docs, flc_spans = _xy(train_flc)
        flc_model = SpanClassifier(
            rules=args.rules, random_state=args.seed, n_jobs=args.n_jobs, **settings["flc"]
        )
        wall, cpu = time.perf_counter(), time.process_time()
        flc_model.fit(flc_docs, flc_spans)
        flc_fit_wall, flc_fit_cpu = time.perf_counter() - wall, time.process_time() - cpu
        dev_flc_docs, dev_flc_gold = _xy(dev_flc)
        flc_gold = {d.id: g for d, g in zip(dev_flc_docs, dev_flc_gold, strict=True)}

        # Task TC: label the template's spans.
        tmpl_docs, tmpl_spans = _xy(template)
        labelled = flc_model.classify(tmpl_docs, tmpl_spans)
        tc_pred = {d.id: p for d, p in zip(tmpl_docs, labelled, strict=True) if p}
        write_ptc(
            _as_corpus(template, tc_pred),
            args.out / "dev-tc.pred",
            annotator="baseline",
            task="flc",
            overwrite=True,
            write_articles=False,
        )
        tc_gold = {d: g for d, g in flc_gold.items() if g}
        tc_report = ptc_tc_scores(tc_gold, tc_pred)
        tc_ci = bootstrap_ci(
            ptc_tc_scores, tc_gold, tc_pred, n_resamples=args.bootstrap, random_state=0
        )
        summary["tc"] = {
            "micro_f1": round(tc_report.scores("micro").f1, 4),
            "micro_f1_ci95": [round(tc_ci.low, 4), round(tc_ci.high, 4)],
            "macro_f1": round(tc_report.scores("macro").f1, 4),
            "rows": tc_report.overall.support,
        }

        # Task FLC: the per-label taggers' spans.
        flc_found = flc_model.predict(dev_flc_docs)
        flc_pred = {d.id: p for d, p in zip(dev_flc_docs, flc_found, strict=True)}
        write_ptc(
            _as_corpus(dev_flc, flc_pred),
            args.out / "dev-flc.pred",
            annotator="baseline",
            task="flc",
            overwrite=True,
            write_articles=False,
        )
        flc_metric = functools.partial(ptc_scores, labelled=True, zero_division=0.0)
        summary["flc"] = {
            **_prf(flc_metric(flc_gold, flc_pred)),
            "f1_ci95": _ci(flc_metric, flc_gold, flc_pred, args.bootstrap),
            "predicted_spans": sum(len(v) for v in flc_pred.values()),
            "fit_seconds": round(flc_fit_wall, 1),
            "fit_cpu_seconds": round(flc_fit_cpu, 1),
            "fit_stage_seconds": _stages(flc_model),
        }
        # For comparison: SI spans labelled by classify() (not written to a file).
        two_stage = flc_model.classify(dev_docs, predicted)
        two_pred = {d.id: p for d, p in zip(dev_docs, two_stage, strict=True)}
        summary["flc_si_then_classify"] = {
            **_prf(flc_metric(flc_gold, two_pred)),
            "f1_ci95": _ci(flc_metric, flc_gold, two_pred, args.bootstrap),
        }

    summary["peak_memory_mb"] = round(_peak_mb(), 1)
    summary["peak_memory_measure"] = "resource.getrusage(RUSAGE_SELF).ru_maxrss of this process"
    summary["machine"] = {
        "python": platform.python_version(),
        "biaskit": biaskit.__version__,
        "cpus": __import__("os").cpu_count(),
        "n_jobs": args.n_jobs,
    }
    summary["rules_features"] = args.rules
    text = json.dumps(summary, indent=2)
    (args.out / "summary.json").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
