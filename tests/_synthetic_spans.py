"""A small synthetic corpus with deterministic labels, for classifier tests."""

from __future__ import annotations

import random

from biaskit import Document, Span

LOADED = ("butchered", "slaughtered", "massacred")
NEUTRAL = ("attacked", "entered", "reached", "left")
QUOTES = (
    "we will never surrender to them",
    "they butchered our whole village",
    "the war is over now",
)


def synthetic(n_docs: int = 24, seed: int = 0) -> tuple[list[Document], list[list[Span]]]:
    """Documents whose LOADED verbs and quoted QUOTE phrases are labelled, plus boilerplate.

    Every document ends with a "Read more:" line holding a loaded verb; the
    cleaner marks it as boilerplate, so no span may be predicted there.
    """
    rng = random.Random(seed)
    docs: list[Document] = []
    gold: list[list[Span]] = []
    for i in range(n_docs):
        parts: list[str] = []
        spans: list[Span] = []
        pos = 0

        def add(text: str, parts: list[str] = parts) -> int:
            nonlocal pos
            start = pos
            parts.append(text)
            pos += len(text)
            return start

        add(f"Report number {i}\n\n")
        for _ in range(6):
            verb = rng.choice(LOADED + NEUTRAL)
            start = add("The rebels ")
            v = add(verb)
            if verb in LOADED:
                spans.append(Span(v, v + len(verb), "LOADED"))
            add(" the town on Monday. ")
            del start
            if rng.random() < 0.5:
                quote = rng.choice(QUOTES)
                add("Officials said “")
                q = add(quote)
                spans.append(Span(q, q + len(quote), "QUOTE"))
                if "butchered" in quote:
                    b = q + quote.index("butchered")
                    spans.append(Span(b, b + len("butchered"), "LOADED"))
                add("” to reporters. ")
            add("\n")
        add("Read more: The rebels butchered the town on Monday.\n")
        docs.append(Document(f"doc{i:02d}", "".join(parts)))
        gold.append(spans)
    return docs, gold
