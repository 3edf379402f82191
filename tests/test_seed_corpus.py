"""The shipped corpus in annotations/: valid, exact, reproducible."""

import shutil
from pathlib import Path

import pytest

import biaskit
from biaskit import find_boilerplate, load_corpus, save_corpus, validate


@pytest.fixture(scope="module")
def corpus(repo_root: Path) -> biaskit.Corpus:
    return load_corpus(repo_root / "annotations")


def test_the_shipped_corpus_validates_without_errors_or_warnings(repo_root: Path) -> None:
    assert validate(repo_root / "annotations") == []


def test_it_holds_the_five_seed_articles_with_outlets(corpus: biaskit.Corpus) -> None:
    assert len(corpus) == 5
    assert {d.outlet for d in corpus} == {"RT", "BulgarianMilitary", "unknown"}
    for doc in corpus:
        assert doc.title, doc.id
        assert doc.language == "en"
        # Where the outlet is not shown, metadata says what the text does show.
        assert doc.metadata["outlet_evidence"], doc.id


def test_texts_are_the_seed_files_byte_for_byte(corpus: biaskit.Corpus, shared_dir: Path) -> None:
    seeds = shared_dir / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"the raw seed articles are not at {seeds}")
    for doc in corpus:
        raw = (seeds / f"{doc.id}.txt").read_bytes()
        assert doc.text.encode("utf-8") == raw, doc.id


def test_boilerplate_spans_are_what_the_library_marks(corpus: biaskit.Corpus) -> None:
    for doc in corpus:
        shipped = corpus.annotation_set(doc.id, "biaskit-clean").spans
        fresh = find_boilerplate(doc.text)
        assert [(s.start, s.end, dict(s.attributes)) for s in shipped] == [
            (s.start, s.end, dict(s.attributes)) for s in fresh
        ]
    assert sum(1 for _ in corpus.spans(annotator="biaskit-clean", label="BOILERPLATE")) == 27


def test_boilerplate_never_covers_article_prose(corpus: biaskit.Corpus) -> None:
    prose = {
        "000_cfe5febfa8fc3818": "Pulling out the ‘Iran threat’ card",
        "001_d7888534bf1e186c": "On January 3, the US assassinated Lieutenant General Soleimani",
        "002_3e32069099ff1846": "the liquidation of General Suleymani",
        "003_bf8448b7b28d95a6": "a vassal state of Iran",
        "004_7ad6a651d57beef3": "the news of Soleimani’s demise",
    }
    for doc_id, sentence in prose.items():
        doc = corpus.document(doc_id)
        start = doc.text.index(sentence)
        probe = biaskit.Span(start, start + len(sentence), "PROBE")
        spans = corpus.annotation_set(doc_id, "biaskit-clean").spans
        assert not any(s.overlaps(probe) for s in spans), doc_id


def test_saving_the_loaded_corpus_reproduces_its_files(
    corpus: biaskit.Corpus, repo_root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "copy"
    save_corpus(corpus, out)
    shipped = repo_root / "annotations"
    # The variant registry sits beside the corpus files; save_corpus does not write it.
    beside = {Path("variants.json")}
    names = sorted(
        p.relative_to(shipped)
        for p in shipped.rglob("*")
        if p.is_file() and p.relative_to(shipped) not in beside
    )
    assert names == sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    for name in names:
        assert (out / name).read_bytes() == (shipped / name).read_bytes(), name


def test_saving_over_the_corpus_needs_overwrite(
    corpus: biaskit.Corpus, repo_root: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "annotations"
    shutil.copytree(repo_root / "annotations", copy)
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    with pytest.raises(biaskit.OutputExistsError, match="overwrite"):
        save_corpus(corpus, copy)
    assert before == {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}


def test_the_gold_set_uses_every_label_of_the_schema(corpus: biaskit.Corpus) -> None:
    used = {span.label for _, span in corpus.spans(annotator="gold")}
    assert used == set(corpus.schema.label_names)


def test_both_passes_cover_every_framing_label(corpus: biaskit.Corpus) -> None:
    framing = set(corpus.schema.label_names) - {"BOILERPLATE"}
    for annotator in ("coder-a", "coder-b"):
        assert {s.label for _, s in corpus.spans(annotator=annotator)} == framing, annotator
