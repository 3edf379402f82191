"""The peer benchmark: spaCy's span categorizer on PTC (SemEval-2020 Task 11), task SI.

Trains a blank English spaCy pipeline -- a CNN ``tok2vec`` and ``spancat``
or ``spancat_singlelabel`` whose ngram suggester is widened from spaCy's
default 1-3 tokens to the lengths in ``--sizes`` (1 to 40 tokens: 95 % of PTC
train spans are at most 34 tokens long) -- on the PTC train split, and scores
it on dev with biaskit's official-formula SI measure
(:func:`biaskit.metrics.ptc_scores`, label-free).

Why an ngram suggester and not ``span_finder``: an untrained span finder
proposes every start-end pair of a 1,000-token article (tens of thousands of
spans of up to the maximum length), and spancat's span pooling then needed
more than 20 GB on the first steps. A fixed set of sizes bounds the
candidates (about 14 per token) and the memory (about 3 GB).

Nothing is tuned on dev. The train articles are split (seeded, by article)
into a training part and a held-out part; spaCy trains on the first for a
fixed number of steps (the last checkpoint is used: spaCy's own checkpoint
choice scores exact span matches, which stay near 0 on PTC), and the decision
threshold on the span's PROPAGANDA probability is chosen on the held-out part
too (spancat_singlelabel itself has no threshold: it keeps spans whose
probability beats the negative class, i.e. threshold 0.5).

Usage::

    python benchmarks/spacy_ptc.py --data ../shared/data/ptc --out /tmp/spacy-ptc \\
        --factory spancat_singlelabel

Writes ``OUT/config.cfg``, the corpora ``OUT/train.spacy`` and
``OUT/heldout.spacy``, the model ``OUT/model/``, the dev predictions
``OUT/dev-si.pred`` (``id<TAB>start<TAB>end``) and ``OUT/summary.json``, and
prints the summary. Needs spaCy (``pip install "biaskit[spacy]"``); CPU only,
no downloads.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

import biaskit
from biaskit import AnnotationSet, Corpus, Span, bootstrap_ci, ptc_scores
from biaskit.io.ptc import load_ptc
from biaskit.io.spacy import write_docbin

KEY = "gold"  # the span key: biaskit writes each annotator's spans under its name
LABEL = "PROPAGANDA"

CONFIG = """
[paths]
train = null
dev = null

[system]
seed = {seed}
gpu_allocator = null

[nlp]
lang = "en"
pipeline = ["tok2vec","spancat"]
batch_size = 4
tokenizer = {{"@tokenizers":"spacy.Tokenizer.v1"}}

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE"]
rows = [5000,1000,2500,2500]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = {width}
depth = 4
window_size = 1
maxout_pieces = 3

[components.spancat]
factory = "{factory}"
spans_key = "{key}"
{factory_options}

[components.spancat.model]
@architectures = "spacy.SpanCategorizer.v1"

[components.spancat.model.reducer]
@layers = "spacy.mean_max_reducer.v1"
hidden_size = 128

[components.spancat.model.scorer]
@layers = "{scorer}"

[components.spancat.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = {width}
upstream = "tok2vec"

[components.spancat.suggester]
@misc = "spacy.ngram_suggester.v1"
sizes = {sizes}

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${{paths.train}}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${{paths.dev}}
max_length = 0

[training]
seed = ${{system.seed}}
gpu_allocator = ${{system.gpu_allocator}}
dropout = 0.1
accumulate_gradient = 1
patience = 0
max_epochs = 0
max_steps = {max_steps}
eval_frequency = {eval_frequency}
frozen_components = []
annotating_components = []
before_to_disk = null
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2
size = {batch_words}

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = false
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
spans_{key}_f = 1.0
spans_{key}_p = 0.0
spans_{key}_r = 0.0

[pretraining]

[initialize]
vectors = null
init_tok2vec = null
vocab_data = null
lookups = null
before_init = null
after_init = null

[initialize.components]

[initialize.tokenizer]
"""


def config_text(args: argparse.Namespace) -> str:
    if args.factory == "spancat":
        scorer = "spacy.LinearLogistic.v1"
        options = "threshold = 0.5\nmax_positive = null"
    else:
        scorer = "Softmax.v2"
        options = "negative_weight = 1.0\nallow_overlap = true"
    return CONFIG.format(
        seed=args.seed,
        width=args.width,
        key=KEY,
        sizes=json.dumps(args.sizes),
        factory=args.factory,
        factory_options=options,
        scorer=scorer,
        max_steps=args.max_steps,
        eval_frequency=args.eval_frequency,
        batch_words=args.batch_words,
    )


def split_train(corpus: Corpus, fraction: float, seed: int) -> tuple[Corpus, Corpus]:
    """Split the train articles (not spans) into a training and a held-out part."""
    ids = sorted(doc.id for doc in corpus.documents)
    random.Random(seed).shuffle(ids)
    held = set(ids[: round(len(ids) * fraction)])

    def part(keep: bool) -> Corpus:
        docs = [d for d in corpus.documents if (d.id in held) != keep]
        wanted = {d.id for d in docs}
        sets = [a for a in corpus.annotations if a.document.id in wanted]
        return Corpus(docs, corpus.schema, sets)

    return part(True), part(False)


def candidate_scores(nlp: Any, texts: list[str]) -> list[tuple[np.ndarray, np.ndarray, Any]]:
    """Return, per text, the proposed spans (token indices), their P(PROPAGANDA) and the Doc."""
    spancat = nlp.get_pipe("spancat")
    label_column = list(spancat.labels).index(LABEL)
    result = []
    docs = list(nlp.pipe(texts, disable=["spancat"], batch_size=4))
    for start in range(0, len(docs), 4):
        batch = docs[start : start + 4]
        indices, scores = spancat.predict(batch)
        scores = spancat.model.ops.to_numpy(scores)
        offset = 0
        for doc, length in zip(batch, indices.lengths, strict=True):
            n = int(length)
            rows = spancat.model.ops.to_numpy(indices.data[offset : offset + n])
            probs = scores[offset : offset + n, label_column]
            result.append((rows, probs, doc))
            offset += n
    return result


def decode(
    candidates: list[tuple[np.ndarray, np.ndarray, Any]], doc_ids: list[str], threshold: float
) -> dict[str, list[Span]]:
    """Keep the proposed spans with P(PROPAGANDA) >= threshold, as code-point spans."""
    predicted: dict[str, list[Span]] = {}
    for doc_id, (rows, probs, doc) in zip(doc_ids, candidates, strict=True):
        spans = []
        for (start, end), prob in zip(rows, probs, strict=True):
            if prob >= threshold:
                span = doc[int(start) : int(end)]
                spans.append(Span(span.start_char, span.end_char, LABEL))
        predicted[doc_id] = spans
    return predicted


def gold_of(corpus: Corpus) -> list[AnnotationSet]:
    return list(corpus.annotation_sets(annotator="gold"))


def peak_mb() -> float:
    # ru_maxrss is KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the PTC folder")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument(
        "--factory", choices=["spancat", "spancat_singlelabel"], default="spancat_singlelabel"
    )
    parser.add_argument("--max-steps", type=int, default=600)
    parser.add_argument("--eval-frequency", type=int, default=300)
    parser.add_argument("--batch-words", type=int, default=1000)
    parser.add_argument("--width", type=int, default=96)
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(x) for x in text.split(",")],
        default=[1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40],
        help="span lengths (tokens) the ngram suggester proposes, comma-separated",
    )
    parser.add_argument("--heldout", type=float, default=0.15, help="train fraction held out")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import spacy
    from spacy.cli.train import train as spacy_train

    spacy.require_cpu()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    train_all = load_ptc(args.data / "train-task-si.labels", articles=args.data / "train-articles")
    dev = load_ptc(args.data / "dev-task-si.labels", articles=args.data / "dev-articles")
    train_part, heldout = split_train(train_all, args.heldout, args.seed)

    # Training spans that end inside a spaCy token are grown to whole tokens
    # (spancat can only learn whole-token spans); each one is counted.
    adjusted = write_docbin(
        train_part, out / "train.spacy", overwrite=True, alignment_mode="expand"
    )
    adjusted += write_docbin(
        heldout, out / "heldout.spacy", overwrite=True, alignment_mode="expand"
    )
    (out / "config.cfg").write_text(config_text(args), encoding="utf-8")

    t0 = time.perf_counter()
    spacy_train(
        out / "config.cfg",
        out / "model",
        overrides={
            "paths.train": str(out / "train.spacy"),
            "paths.dev": str(out / "heldout.spacy"),
        },
    )
    fit_seconds = time.perf_counter() - t0

    nlp = spacy.load(out / "model" / "model-last")
    held_docs = list(heldout.documents)
    held_candidates = candidate_scores(nlp, [d.text for d in held_docs])
    held_ids = [d.id for d in held_docs]
    grid = [round(x, 2) for x in np.arange(0.05, 0.96, 0.05)]
    by_threshold = {}
    for threshold in grid:
        pred = decode(held_candidates, held_ids, threshold)
        report = ptc_scores(gold_of(heldout), pred, labelled=False, zero_division=0.0)
        by_threshold[threshold] = report.scores().f1
    best = max(grid, key=lambda t: (by_threshold[t], -abs(t - 0.5)))

    dev_docs = list(dev.documents)
    chars = sum(len(d.text) for d in dev_docs)
    t0 = time.perf_counter()
    dev_candidates = candidate_scores(nlp, [d.text for d in dev_docs])
    predicted = decode(dev_candidates, [d.id for d in dev_docs], best)
    predict_seconds = time.perf_counter() - t0

    with (out / "dev-si.pred").open("w", encoding="utf-8") as stream:
        for doc in dev_docs:
            for span in sorted(predicted[doc.id]):
                stream.write(f"{doc.id}\t{span.start}\t{span.end}\n")
    report = ptc_scores(gold_of(dev), predicted, labelled=False, zero_division=0.0)
    scores = report.scores()
    ci = bootstrap_ci(
        lambda g, p: ptc_scores(g, p, labelled=False, zero_division=0.0),
        gold_of(dev),
        predicted,
        n_resamples=1000,
        random_state=0,
    )
    summary = {
        "model": f"spaCy {spacy.__version__} {args.factory}, ngram suggester (blank en)",
        "factory": args.factory,
        "si": {
            "precision": scores.precision,
            "recall": scores.recall,
            "f1": scores.f1,
            "f1_ci95": [ci.low, ci.high],
        },
        "threshold": best,
        "heldout_f1_by_threshold": by_threshold,
        "fit_seconds": round(fit_seconds, 1),
        "predict_seconds": round(predict_seconds, 2),
        "predict_chars_per_second": round(chars / predict_seconds),
        "peak_memory_mb": round(peak_mb()),
        "train_articles": len(train_part.documents),
        "heldout_articles": len(heldout.documents),
        "training_spans_expanded_to_tokens": len(adjusted),
        "settings": {
            k: getattr(args, k)
            for k in (
                "max_steps",
                "eval_frequency",
                "batch_words",
                "width",
                "sizes",
                "heldout",
                "seed",
            )
        },
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "biaskit": biaskit.__version__,
        },
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    json.dump(summary, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
