"""Every writer that builds file names from data keeps them inside the output folder.

Document ids and annotator names come from collaborators' files: ``..``,
absolute paths, separators, NUL and Windows' reserved names must neither
escape the output folder nor fail in a confusing way, and must come back
unchanged when the output is read again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import biaskit
from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span

HOSTILE = [
    "../escape",
    "../../etc/passwd",
    "/etc/passwd",
    "a/b",
    "a\\b",
    "C:evil",
    "CON",
    "nul.txt",
    "..",
    ".",
    ".hidden",
    "x\x00y",
]
SCHEMA = Schema("s", "1", [LabelSpec("A")])


def corpus_with(doc_id: str, annotator: str) -> Corpus:
    doc = Document(doc_id, "Some text here")
    return Corpus([doc], SCHEMA, [AnnotationSet(doc, annotator, [Span(0, 4, "A")])])


def inside(root: Path, out: Path) -> None:
    """Every file under ``root`` is under ``out``; nothing else was created in ``root``."""
    written = [p for p in root.rglob("*") if p.is_file() or p.is_symlink()]
    assert written, "the writer wrote nothing"
    outside = [p for p in written if out != p and out not in p.parents]
    assert not outside, outside


def _native(corpus: Corpus, out: Path) -> Corpus:
    biaskit.save_corpus(corpus, out)
    return biaskit.load_corpus(out)


def _brat(corpus: Corpus, out: Path) -> Corpus:
    biaskit.save_brat(corpus, out)
    return biaskit.load_brat(out)


def _doccano(corpus: Corpus, out: Path) -> Corpus:
    biaskit.save_doccano(corpus, out)
    return biaskit.load_doccano(out)


def _inception(corpus: Corpus, out: Path) -> Corpus:
    pytest.importorskip("cassis", reason='INCEpTION output needs pip install "biaskit[inception]"')
    from biaskit.io.inception import load_inception, save_inception

    save_inception(corpus, out)
    return load_inception(out)


WRITERS: dict[str, Callable[[Corpus, Path], Corpus]] = {
    "native": _native,
    "brat": _brat,
    "doccano": _doccano,
    "inception": _inception,
}


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_hostile_document_ids_and_annotators_stay_inside_and_read_back(
    writer: str, name: str, tmp_path: Path
) -> None:
    doc_id = name.replace("\x00", "0")  # a document id may not hold NUL; an annotator may
    corpus = corpus_with(doc_id, name if writer != "native" else doc_id)
    out = tmp_path / "a" / "out"
    back = WRITERS[writer](corpus, out)
    inside(tmp_path, out)
    assert [d.id for d in back.documents] == [doc_id]
    assert back.document(doc_id).text == "Some text here"


def test_predictions_under_a_hostile_annotator_name_stay_in_the_corpus_folder(
    tmp_path: Path,
) -> None:
    from biaskit.baseline import SpanClassifier

    text = "Officials said the US killed him. Tehran vowed revenge."
    docs = [Document(f"d{i}", text) for i in range(4)]
    model = SpanClassifier(random_state=0).fit(docs, [[Span(22, 28, "A")]] * 4)
    source = tmp_path / "a" / "corpus"
    biaskit.save_corpus(Corpus(docs, SCHEMA, []), source)
    out = tmp_path / "a" / "predicted"
    summary = biaskit.predict_corpus(model, source, out, annotator="../../../evil")
    inside(tmp_path / "a", tmp_path / "a")
    assert [p.parent for p in (out / "spans").iterdir()] == [out / "spans"]
    assert summary.written == out
    loaded = biaskit.load_corpus(out)
    assert "../../../evil" in loaded.annotators
