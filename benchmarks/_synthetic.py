"""Synthetic corpora for the scale benchmarks, made from the shipped seed corpus.

Each synthetic document is a seed article with a fresh id and its words lightly
perturbed (a deterministic shuffle of some words within each line), so texts
differ but keep realistic length, punctuation and non-ASCII characters. Every
gold span is carried over where its text is still intact, so the spans files
have realistic density. Written with biaskit's own writer, in a streaming way.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import biaskit
from biaskit.io.native import FORMAT_VERSION


def _perturb(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    out = []
    for line in lines:
        words = line.split(" ")
        if len(words) > 6 and rng.random() < 0.5:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        out.append(" ".join(words))
    return "\n".join(out)


def make_corpus(
    seed_corpus: Path, out: Path, target_bytes: int, *, seed: int = 0
) -> dict[str, int]:
    """Write a corpus folder of about ``target_bytes`` to ``out``; return its counts."""
    corpus = biaskit.load_corpus(seed_corpus)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=False)
    (out / "schema.json").write_text(biaskit.io.native.dumps_schema(corpus.schema), "utf-8")
    (out / "spans").mkdir()
    seeds = list(corpus.documents)
    gold = {d.id: corpus.annotation_set(d.id, "gold").spans for d in seeds}
    written = documents = spans = 0
    with (
        (out / "documents.jsonl").open("w", encoding="utf-8", newline="\n") as docs,
        (out / "spans" / "gold.jsonl").open("w", encoding="utf-8", newline="\n") as span_file,
    ):
        docs.write(json.dumps({"biaskit": "documents", "format_version": FORMAT_VERSION}) + "\n")
        header = {"biaskit": "spans", "format_version": FORMAT_VERSION, "annotator": "gold"}
        span_file.write(json.dumps(header) + "\n")
        while written < target_bytes:
            base = seeds[documents % len(seeds)]
            text = _perturb(base.text, rng)
            doc = biaskit.Document(
                f"syn-{documents:08d}",
                text,
                outlet=base.outlet,
                title=base.title,
                date=base.date,
                metadata={"from": base.id},
            )
            line = json.dumps(biaskit.io.native._document_record(doc), ensure_ascii=False) + "\n"
            docs.write(line)
            written += len(line.encode("utf-8"))
            for n, span in enumerate(gold[base.id]):
                if text[span.start : span.end] != base.text[span.start : span.end]:
                    continue
                record = biaskit.io.native._span_record(
                    biaskit.Span(span.start, span.end, span.label, attributes=span.attributes),
                    f"{doc.id}-{n}",
                    doc,
                )
                sline = json.dumps(record, ensure_ascii=False) + "\n"
                span_file.write(sline)
                written += len(sline.encode("utf-8"))
                spans += 1
            documents += 1
    return {"documents": documents, "spans": spans, "bytes": written}
