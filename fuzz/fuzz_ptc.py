"""Fuzz the PTC reader: the labels file or an ``article<ID>.txt`` beside it."""

from __future__ import annotations

from pathlib import Path

from _common import Harness, biaskit, foreign_check, main, seed_corpus

# The seed corpus's labels as PTC techniques (an FLC file may hold only these).
TECHNIQUE = {
    "SCARE_QUOTE": "Doubt",
    "ATTRIBUTION": "Appeal_to_Authority",
    "LOADED": "Name_Calling,Labeling",
}


def build(folder: Path) -> Path:
    """Write alice's spans as an FLC labels file beside the articles; return the file."""
    seed = seed_corpus()
    # PTC ids are numbers: the documents become article1.txt and article2.txt.
    docs = {
        doc.id: biaskit.Document(str(n), doc.text, outlet=doc.outlet)
        for n, doc in enumerate(seed.documents, start=1)
    }
    schema = biaskit.Schema("ptc", "2", [biaskit.LabelSpec(t) for t in biaskit.PTC_TECHNIQUES])
    sets = [
        biaskit.AnnotationSet(
            docs[a.document.id],
            a.annotator,
            [biaskit.Span(s.start, s.end, TECHNIQUE[s.label]) for s in a.spans],
        )
        for a in seed.annotations
    ]
    labels = folder / "fuzz-task-flc-tc.labels"
    biaskit.write_ptc(
        biaskit.Corpus(list(docs.values()), schema, sets), labels, annotator="alice", task="flc"
    )
    return labels


HARNESS = Harness(
    build,
    {"labels": "fuzz-task-flc-tc.labels", "article": "fuzz-articles/article1.txt"},
    foreign_check("ptc"),
)

if __name__ == "__main__":
    main(HARNESS)
