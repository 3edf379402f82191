"""Fuzz the BASIL reader: an article file or its annotation file.

biaskit reads BASIL but does not write it, so the valid input is built here
from the seed corpus's second document, one sentence per line of its text,
in the layout of the BASIL release (``articles/<year>/<id>.json`` and
``annotations/<year>/<id>_ann.json``).
"""

from __future__ import annotations

import json
from pathlib import Path

from _common import Harness, foreign_check, main, seed_corpus


def build(folder: Path) -> Path:
    """Write a BASIL folder of one article and its spans; return the folder."""
    seed = seed_corpus()
    doc = seed.documents[1]
    sentences = doc.text.split("\n")
    article = {
        "title": "Critics and hardliners",
        "date": "2019-01-02",
        "uuid": "u-1",
        "url": "",
        "source": "fox",
        "main-event": "A deal",
        "main-entities": ["hardliners"],
        "triplet-uuid": "ev",
        "body-paragraphs": [sentences],
    }
    spans = []
    for n, span in enumerate(seed.annotation_set(doc.id, "alice").spans):
        # Offsets inside the span's sentence ("p<index>" of the body).
        index = doc.text.count("\n", 0, span.start)
        begin = doc.text.rfind("\n", 0, span.start) + 1
        spans.append(
            {
                "id": f"p{index}",
                "start": span.start - begin,
                "end": span.end - begin,
                "txt": doc.covered_text(span),
                "bias": "lex" if n % 2 == 0 else "inf",
                "polarity": "neg",
                "aim": "dir",
                "quote": "no",
                "speaker": "",
                "target": "deal",
                "notes": "",
            }
        )
    (folder / "articles/2019").mkdir(parents=True)
    (folder / "annotations/2019").mkdir(parents=True)
    (folder / "articles/2019/ev_1.json").write_text(json.dumps(article), encoding="utf-8")
    (folder / "annotations/2019/ev_1_ann.json").write_text(
        json.dumps({"phrase-level-annotations": spans}), encoding="utf-8"
    )
    return folder


HARNESS = Harness(
    build,
    {"article": "articles/2019/ev_1.json", "annotations": "annotations/2019/ev_1_ann.json"},
    foreign_check("basil"),
)

if __name__ == "__main__":
    main(HARNESS)
