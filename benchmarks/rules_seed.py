"""Precision and recall of each rule detector against the gold seed corpus.

    python benchmarks/rules_seed.py --corpus annotations
    python benchmarks/rules_seed.py --corpus annotations --format json
    python benchmarks/rules_seed.py --corpus annotations --timing 20

For every detector of biaskit.rules and every label it returns, the spans it
finds are scored against the ``gold`` annotator's spans of that label with
exact match and with the PTC partial-credit measure (biaskit.metrics). The
last rows score ``rule_spans`` (all detectors together, as ``biaskit annotate
--rules`` writes them). BOILERPLATE is taken from the corpus's annotation
sets, as ``biaskit.rules.annotate`` does; the registry is the corpus folder's
``variants.json``. For spans matching gold exactly, the share whose attribute
values equal gold's is reported too (over the matches where both set it).

``--timing N`` also runs ``rule_spans`` over the corpus N times and prints the
characters processed per CPU second (process time, one core), which a
busy shared machine distorts less than wall time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from biaskit import rules
from biaskit.corpus import Corpus
from biaskit.io.native import load_corpus
from biaskit.metrics import exact_match, ptc_scores
from biaskit.model import Document, Span
from biaskit.variants import VariantRegistry, load_variants

GOLD = "gold"
ATTRIBUTES = {
    "SCARE_QUOTE": ("marker", "polarity", "attitude", "voice_origin"),
    "ATTRIBUTION": ("verb_stance", "quote_type"),
    "EPISTEMIC": ("direction", "voice"),
    "EVENT_TERM": ("concept", "variant", "register"),
    "ACTOR_LABEL": ("concept", "variant", "legitimacy"),
}


def boilerplate(corpus: Corpus, document: Document) -> list[Span]:
    return [
        span
        for aset in corpus.annotation_sets(document_id=document.id)
        for span in aset.spans
        if span.label == "BOILERPLATE"
    ]


def detectors(registry: VariantRegistry) -> dict[str, Callable[[Document, list[Span]], list[Span]]]:
    return {
        "scare_quotes": lambda d, b: rules.scare_quotes(d, boilerplate=b),
        "reporting_verbs": lambda d, b: rules.reporting_verbs(d, boilerplate=b),
        "hedges_and_boosters": lambda d, b: rules.hedges_and_boosters(d, boilerplate=b),
        "variant_terms": lambda d, b: rules.variant_terms(d, registry, boilerplate=b),
        "rule_spans": lambda d, b: rules.rule_spans(d, registry=registry, boilerplate=b),
    }


def attribute_agreement(
    gold: dict[str, list[Span]], predicted: dict[str, list[Span]], label: str
) -> dict[str, str]:
    found: dict[str, list[int]] = {name: [0, 0] for name in ATTRIBUTES.get(label, ())}
    for doc_id, spans in predicted.items():
        by_offsets = {(g.start, g.end): g for g in gold.get(doc_id, []) if g.label == label}
        for span in spans:
            match = by_offsets.get((span.start, span.end))
            if span.label != label or match is None:
                continue
            for name, tally in found.items():
                if name in span.attributes and name in match.attributes:
                    tally[1] += 1
                    tally[0] += span.attributes[name] == match.attributes[name]
    return {name: f"{equal}/{total}" for name, (equal, total) in found.items() if total}


def measure(corpus: Corpus, registry: VariantRegistry) -> list[dict[str, Any]]:
    gold = {aset.document.id: list(aset.spans) for aset in corpus.annotation_sets(annotator=GOLD)}
    rows = []
    for name, detect in detectors(registry).items():
        predicted = {d.id: detect(d, boilerplate(corpus, d)) for d in corpus.documents}
        labels = (
            tuple(sorted({la for labels in rules.DETECTORS.values() for la in labels}))
            if name == "rule_spans"
            else rules.DETECTORS[name]
        )
        for label in labels:
            exact = exact_match(gold, predicted, labels=[label], zero_division=0.0)
            partial = ptc_scores(gold, predicted, labels=[label], zero_division=0.0)
            e, p = exact.per_label[label], partial.per_label[label]
            rows.append(
                {
                    "detector": name,
                    "label": label,
                    "gold": sum(s.label == label for spans in gold.values() for s in spans),
                    "predicted": sum(s.label == label for v in predicted.values() for s in v),
                    "exact": {"precision": e.precision, "recall": e.recall, "f1": e.f1},
                    "partial": {"precision": p.precision, "recall": p.recall, "f1": p.f1},
                    "attributes": attribute_agreement(gold, predicted, label),
                }
            )
    return rows


def markdown(rows: Sequence[dict[str, Any]]) -> str:
    lines = [
        "| detector | label | gold | predicted | exact P | exact R | exact F1 "
        "| partial P | partial R | partial F1 | attributes equal to gold (exact matches) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        e, p = row["exact"], row["partial"]
        attributes = ", ".join(f"{k} {v}" for k, v in row["attributes"].items()) or "–"
        lines.append(
            f"| {row['detector']} | {row['label']} | {row['gold']} | {row['predicted']} "
            f"| {e['precision']:.3f} | {e['recall']:.3f} | {e['f1']:.3f} "
            f"| {p['precision']:.3f} | {p['recall']:.3f} | {p['f1']:.3f} | {attributes} |"
        )
    return "\n".join(lines)


def timing(corpus: Corpus, registry: VariantRegistry, repeats: int) -> dict[str, Any]:
    documents = [(d, boilerplate(corpus, d)) for d in corpus.documents]
    rules.rule_spans(documents[0][0], registry=registry)  # load the lexicons once
    characters = sum(len(d.text) for d, _ in documents) * repeats
    result = {}
    for name, with_registry in (("without_registry", None), ("with_registry", registry)):
        start = time.process_time()
        for _ in range(repeats):
            for document, spans in documents:
                rules.rule_spans(document, registry=with_registry, boilerplate=spans)
        seconds = time.process_time() - start
        result[name] = {
            "characters": characters,
            "seconds": round(seconds, 3),
            "characters_per_second": round(characters / seconds),
        }
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="corpus folder (annotations)")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
    parser.add_argument("--timing", type=int, default=0, metavar="N", help="time N passes")
    args = parser.parse_args(argv)
    corpus = load_corpus(args.corpus)
    registry = load_variants(args.corpus / "variants.json")
    rows = measure(corpus, registry)
    result: dict[str, Any] = {"rows": rows}
    if args.timing:
        result["timing"] = timing(corpus, registry, args.timing)
    if args.format == "json":
        json.dump(result, sys.stdout, indent=2)
        print()
    else:
        print(markdown(rows))
        for name, t in result.get("timing", {}).items():
            print(
                f"\nrule_spans {name.replace('_', ' ')}: {t['characters']} characters in "
                f"{t['seconds']:.3f} s, {t['characters_per_second']:,} characters per second"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
