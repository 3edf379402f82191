"""Benchmark the baseline on BASIL (Fan et al., EMNLP 2019): cross-validation grouped by event.

Usage::

    python benchmarks/basil.py --data ../shared/data/basil

Two separate tasks, each a :class:`biaskit.baseline.SpanClassifier` trained on
one label only: lexical bias (``LEXICAL``, word choice, median one word) and
informational bias (``INFORMATIONAL``, clause-length). Each is
cross-validated with folds of whole events (:func:`biaskit.evaluation.cross_validate`
with ``group_by="event"``): the three outlets' articles on one event are
always on the same side, so an event's wording never leaks from training to
test. Scores are exact match and PTC partial credit, micro over the held-out
articles, with 95% bootstrap intervals over articles, and the same scores per
outlet (Fox News, New York Times, HuffPost) of the same out-of-fold
predictions. A JSON summary is printed.

Thresholds are tuned inside each training fold (out-of-fold predictions of
that fold's training documents), never on the held-out event.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import attrs

import biaskit
from biaskit.baseline import SpanClassifier
from biaskit.evaluation import cross_validate
from biaskit.io.basil import load_basil
from biaskit.metrics import bootstrap_ci, exact_match, ptc_scores


def _peak_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _only(corpus: biaskit.Corpus, label: str) -> biaskit.Corpus:
    sets = [
        biaskit.AnnotationSet(a.document, a.annotator, a.with_label(label))
        for a in corpus.annotations
    ]
    return attrs.evolve(corpus, annotations=sets)


def _scores(gold: Any, pred: Any, n: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, metric in (
        ("exact", functools.partial(exact_match, zero_division=0.0)),
        ("partial", functools.partial(ptc_scores, labelled=True, zero_division=0.0)),
    ):
        s = metric(gold, pred).scores("micro")
        row: dict[str, Any] = {
            "precision": round(s.precision, 4),
            "recall": round(s.recall, 4),
            "f1": round(s.f1, 4),
        }
        if n:
            ci = bootstrap_ci(metric, gold, pred, n_resamples=n, random_state=0)
            row["f1_ci95"] = [round(ci.low, 4), round(ci.high, 4)]
        out[name] = row
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True, type=Path, help="the BASIL folder")
    parser.add_argument("--folds", type=int, default=5, help="folds of whole events")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bootstrap", type=int, default=1000)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", UserWarning)
    corpus = load_basil(args.data)
    outlet_of = {d.id: d.outlet for d in corpus.documents}
    summary: dict[str, Any] = {
        "corpus": "BASIL (Fan et al., EMNLP 2019), 2nd release",
        "articles": len(corpus),
        "events": len({d.metadata["event"] for d in corpus.documents}),
        "grouping": f"{args.folds} folds of whole events (metadata key 'event')",
    }
    for label in ("LEXICAL", "INFORMATIONAL"):
        sub = _only(corpus, label)
        wall = time.perf_counter()
        cv = cross_validate(
            sub,
            SpanClassifier(random_state=args.seed),
            group_by="event",
            n_splits=args.folds,
            random_state=args.seed,
        )
        seconds = time.perf_counter() - wall
        gold = {d: list(s) for d, s in cv.gold.items()}
        pred = {d: list(s) for d, s in cv.predictions.items()}
        result: dict[str, Any] = {
            "gold_spans": sum(len(s) for s in gold.values()),
            "predicted_spans": sum(len(s) for s in pred.values()),
            **_scores(gold, pred, args.bootstrap),
            "cv_seconds": round(seconds, 1),
            "per_outlet": {},
        }
        for outlet in sorted(set(outlet_of.values())):
            ids = [d for d, o in outlet_of.items() if o == outlet]
            result["per_outlet"][outlet] = {
                "gold_spans": sum(len(gold.get(d, [])) for d in ids),
                **_scores(
                    {d: gold.get(d, []) for d in ids},
                    {d: pred.get(d, []) for d in ids},
                    args.bootstrap,
                ),
            }
        summary[label.lower()] = result
    summary["peak_memory_mb"] = round(_peak_mb(), 1)
    summary["peak_memory_measure"] = "resource.getrusage(RUSAGE_SELF).ru_maxrss of this process"
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
