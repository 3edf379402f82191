"""Specification of biaskit.analysis: rates, lexical choice, who is quoted, readability, events."""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import biaskit
from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
from biaskit.analysis import (
    AnalysisError,
    article_text,
    attributions,
    compare_events,
    content_words,
    label_rates,
    lexical_choice,
    readability_table,
)
from biaskit.readability import readability

REPO = Path(__file__).resolve().parents[1]
ANNOTATIONS = REPO / "annotations"

SCHEMA = Schema(
    "demo",
    "1.0",
    [
        LabelSpec("EPITHET", color="#e7298a"),
        LabelSpec("ATTRIBUTION", color="#1b9e77"),
        LabelSpec("BOILERPLATE", color="#999999"),
    ],
)


@pytest.fixture(scope="module")
def seed() -> Corpus:
    return biaskit.load_corpus(ANNOTATIONS)


@pytest.fixture(scope="module")
def registry() -> biaskit.VariantRegistry:
    return biaskit.load_variants(ANNOTATIONS / "variants.json")


def _doc(doc_id: str, text: str, outlet: str, **metadata: object) -> Document:
    return Document(doc_id, text, outlet=outlet, metadata=metadata)


def _epithets(doc: Document, *words: str) -> list[Span]:
    spans = []
    for word in words:
        start = doc.text.index(word)
        spans.append(Span(start, start + len(word), "EPITHET"))
    return spans


# --------------------------------------------------------------------------- words and text


def test_content_words_count_word_tokens_outside_boilerplate_only() -> None:
    doc = Document("d", "Iran’s so-called ‘satellites’ fired 18 missiles. Read more!")
    boilerplate = Span(doc.text.index("Read"), len(doc.text), "BOILERPLATE")
    # Iran’s, so-called, satellites, fired, 18, missiles: quotes and full stops are not words.
    assert content_words(doc) == 8
    assert content_words(doc, [boilerplate]) == 6
    # Spans of other labels never reduce the count.
    assert content_words(doc, [Span(0, 6, "EPITHET")]) == 8


def test_article_text_drops_boilerplate_and_never_glues_sentences() -> None:
    doc = Document("d", "Menu Home\nThe strike hit.Share!Iran replied.\nFooter")
    cut = [
        Span(0, 9, "BOILERPLATE"),
        Span(doc.text.index("Share"), doc.text.index("Iran"), "BOILERPLATE"),
        Span(doc.text.index("Footer"), len(doc.text), "BOILERPLATE"),
        Span(10, 13, "EPITHET"),  # ignored: only boilerplate is removed
    ]
    assert article_text(doc, cut) == "The strike hit.\n\nIran replied."
    assert article_text(doc) == doc.text.strip()


# --------------------------------------------------------------------------- label rates


def _small_corpus() -> Corpus:
    a1 = _doc("a1", "A brutal, vicious attack on the base. Share this story now", "X")
    a2 = _doc("a2", "The cowardly strike was condemned by officials today", "X")
    b1 = _doc("b1", "An attack on the base was reported by the ministry today", "Y")
    share = a1.text.index("Share")
    sets = [
        AnnotationSet(
            a1,
            "gold",
            [*_epithets(a1, "brutal", "vicious"), Span(share, len(a1.text), "BOILERPLATE")],
        ),
        AnnotationSet(a2, "gold", _epithets(a2, "cowardly")),
        AnnotationSet(b1, "gold", []),
        AnnotationSet(a1, "model", _epithets(a1, "attack")),
    ]
    return Corpus([a1, a2, b1], SCHEMA, sets)


def test_rates_are_spans_per_thousand_article_words_per_outlet() -> None:
    corpus = _small_corpus()
    rates = label_rates(corpus, n_resamples=200)
    assert rates.labels == ("EPITHET", "ATTRIBUTION")  # BOILERPLATE is not a rate
    assert rates.outlets == ("X", "Y")
    x = rates.rate("X", "EPITHET")
    # a1 has 7 article words (the share prompt is boilerplate), a2 has 8.
    assert (x.spans, x.words, x.documents) == (3, 15, 2)
    assert x.per_1000 == pytest.approx(1000 * 3 / 15)
    y = rates.rate("Y", "EPITHET")
    assert (y.spans, y.words, y.per_1000, y.low, y.high) == (0, 11, 0.0, 0.0, 0.0)


def test_rates_can_be_taken_from_predicted_spans() -> None:
    rates = label_rates(_small_corpus(), annotator="model", n_resamples=50)
    assert rates.annotator == "model"
    assert rates.rate("X", "EPITHET").spans == 1


def test_a_single_document_outlet_has_a_point_interval() -> None:
    rates = label_rates(_small_corpus(), n_resamples=50)
    y = rates.rate("Y", "ATTRIBUTION")
    assert y.documents == 1
    assert y.low == y.high == y.per_1000


def test_rate_intervals_are_reproducible_from_the_seed_and_vary_without_it() -> None:
    corpus = _bootstrap_corpus()
    first = label_rates(corpus, random_state=7, n_resamples=300)
    again = label_rates(corpus, random_state=7, n_resamples=300)
    other = label_rates(corpus, random_state=8, n_resamples=300)
    assert first == again
    assert first.rate("X", "EPITHET") != other.rate("X", "EPITHET")


def test_an_outlets_interval_does_not_depend_on_the_other_outlets() -> None:
    corpus = _bootstrap_corpus()
    alone = Corpus([d for d in corpus if d.outlet == "X"], corpus.schema, corpus.annotations[:12])
    assert label_rates(alone, n_resamples=300).rate("X", "EPITHET") == label_rates(
        corpus, n_resamples=300
    ).rate("X", "EPITHET")


def _bootstrap_corpus() -> Corpus:
    # Twelve documents of outlet X with 0..3 epithets and varying lengths, one of Y.
    docs, sets = [], []
    rng = np.random.default_rng(3)
    for i in range(12):
        words = ["word"] * int(rng.integers(20, 60))
        n = int(rng.integers(0, 4))
        words[:n] = ["brutal"] * n
        doc = _doc(f"x{i}", " ".join(words), "X")
        docs.append(doc)
        sets.append(
            AnnotationSet(doc, "gold", [Span(7 * k, 7 * k + 6, "EPITHET") for k in range(n)])
        )
    y = _doc("y", "plain words only", "Y")
    return Corpus([*docs, y], SCHEMA, [*sets, AnnotationSet(y, "gold", [])])


def test_rate_intervals_agree_with_scipys_percentile_bootstrap_of_the_ratio() -> None:
    stats = pytest.importorskip("scipy.stats")
    corpus = _bootstrap_corpus()
    x_docs = [d for d in corpus if d.outlet == "X"]
    counts = np.array([len(corpus.annotation_set(d.id, "gold")) for d in x_docs], dtype=float)
    words = np.array([content_words(d) for d in x_docs], dtype=float)

    def ratio(c: np.ndarray, w: np.ndarray, axis: int = -1) -> np.ndarray:
        return 1000 * c.sum(axis=axis) / w.sum(axis=axis)

    oracle = stats.bootstrap(
        (counts, words),
        ratio,
        paired=True,
        vectorized=True,
        n_resamples=20000,
        method="percentile",
        random_state=1,
    ).confidence_interval
    ours = label_rates(corpus, n_resamples=20000).rate("X", "EPITHET")
    assert ours.per_1000 == pytest.approx(ratio(counts, words))
    # Two Monte Carlo estimates of the same percentiles: equal within resampling noise.
    assert ours.low == pytest.approx(oracle.low, rel=0.03)
    assert ours.high == pytest.approx(oracle.high, rel=0.03)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"annotator": "nobody"},
            "no annotation sets by 'nobody' in the corpus; its annotators are gold, model",
        ),
        ({"labels": ["FRAME"]}, "unknown label(s) 'FRAME'; the schema has EPITHET"),
        ({"n_resamples": 0}, "n_resamples must be at least 1"),
        ({"confidence_level": 1.0}, "confidence_level must be in (0, 1)"),
    ],
)
def test_rates_refuse_what_the_corpus_does_not_have(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        label_rates(_small_corpus(), **kwargs)


def test_analysis_errors_are_biaskit_errors() -> None:
    with pytest.raises(biaskit.BiaskitError):
        label_rates(_small_corpus(), annotator="nobody")


def test_seed_rates_count_every_gold_span_outside_boilerplate(seed: Corpus) -> None:
    rates = label_rates(seed, n_resamples=100)
    gold = Counter((d.outlet, s.label) for d, s in seed.spans(annotator="gold"))
    for r in rates.rates:
        assert r.spans == gold[(r.outlet, r.label)], (r.outlet, r.label)
        assert r.low <= r.per_1000 <= r.high
    # Boilerplate words are excluded: every outlet has fewer words than its raw text.
    stats = biaskit.corpus_statistics(seed)
    raw = {o.outlet: o.words for o in stats.outlets}
    assert all(rates.rate(o, "EPITHET").words < raw[o] for o in rates.outlets)


# --------------------------------------------------------------------------- lexical choice


def test_the_lexical_choice_table_names_each_outlets_word_for_the_killing_of_soleimani(
    seed: Corpus, registry: biaskit.VariantRegistry
) -> None:
    table = lexical_choice(seed, registry)
    preferred = {o: table.preferred("soleimani_killing", o) for o in seed.outlets}
    assert preferred == {
        "RT": ("assassination",),
        "unknown": ("assassination",),
        "BulgarianMilitary": ("death",),
    }
    # RT also uses the neutral anchor, which hand annotation never marks: the table shows it.
    assert table.counts("soleimani_killing", "RT")["killing"] > 0
    assert table.counts("soleimani_killing", "unknown")["atrocity"] == 1


def test_the_matchers_preferred_name_agrees_with_the_hand_annotated_gold(
    seed: Corpus, registry: biaskit.VariantRegistry
) -> None:
    # Independent oracle: the annotators marked every loaded name with its variant id.
    table = lexical_choice(seed, registry)
    for outlet in seed.outlets:
        hand = Counter(
            s.attributes["variant"]
            for d, s in seed.spans(annotator="gold", label="EVENT_TERM")
            if d.outlet == outlet and s.attributes.get("concept") == "soleimani_killing"
        )
        best = max(hand.values())
        assert table.preferred("soleimani_killing", outlet) == tuple(
            v for v in table.counts("soleimani_killing", outlet) if hand[v] == best
        ), outlet


def test_shares_sum_to_one_per_outlet_and_are_nan_where_a_concept_is_never_named(
    seed: Corpus, registry: biaskit.VariantRegistry
) -> None:
    table = lexical_choice(seed, registry)
    by_cell: dict[tuple[str, str], list[float]] = {}
    for share in table.shares:
        by_cell.setdefault((share.concept, share.outlet), []).append(share.share)
    for (concept, outlet), shares in by_cell.items():
        total = sum(table.counts(concept, outlet).values())
        if total:
            assert math.fsum(shares) == pytest.approx(1.0)
        else:
            assert all(math.isnan(s) for s in shares)
            assert table.preferred(concept, outlet) == ()
    # Every variant of every concept has a row, zeros included.
    assert len(table.shares) == sum(len(c.variants) for c in registry) * len(seed.outlets)


def test_lexical_choice_skips_boilerplate_and_honours_the_guard(
    registry: biaskit.VariantRegistry,
) -> None:
    text = "Soleimani was assassinated.\nIt rained.\nA man was killed.\nRead: the assassination"
    doc = _doc("d", text, "X")
    link = doc.text.index("Read")
    corpus = Corpus(
        [doc],
        SCHEMA,
        [AnnotationSet(doc, "biaskit-clean", [Span(link, len(doc.text), "BOILERPLATE")])],
    )
    guarded = lexical_choice(corpus, registry, concepts=["soleimani_killing"])
    assert guarded.counts("soleimani_killing", "X")["assassination"] == 1  # not the link
    assert guarded.counts("soleimani_killing", "X")["killing"] == 0  # "a man" is not Soleimani
    loose = lexical_choice(corpus, registry, concepts=["soleimani_killing"], guard=False)
    assert loose.counts("soleimani_killing", "X")["killing"] == 1


def test_lexical_choice_refuses_an_unknown_concept(
    seed: Corpus, registry: biaskit.VariantRegistry
) -> None:
    with pytest.raises(AnalysisError, match="unknown concept\\(s\\) 'nope'; the registry has"):
        lexical_choice(seed, registry, concepts=["nope"])


# --------------------------------------------------------------------------- who is quoted


def test_attributions_count_every_gold_cue_per_outlet(seed: Corpus) -> None:
    table = attributions(seed)
    gold = Counter(d.outlet for d, _ in seed.spans(annotator="gold", label="ATTRIBUTION"))
    assert dict(table.totals) == {o: gold[o] for o in seed.outlets}
    for outlet in seed.outlets:
        assert sum(table.margin("verb_stance")[outlet].values()) == gold[outlet]
        assert sum(c.share for c in table.counts if c.outlet == outlet) == pytest.approx(1.0)
    stances = {v for cell in table.margin("verb_stance").values() for v in cell}
    assert stances <= {"neutral", "distancing", "endorsing", "emotive"}


def test_attributions_group_by_any_attribute_and_mark_missing_ones() -> None:
    doc = _doc("d", "Officials said. Analysts alleged. Reuters reported.", "X")
    said, alleged, reported = (doc.text.index(w) for w in ("said", "alleged", "reported"))
    spans = [
        Span(said, said + 4, "ATTRIBUTION", attributes={"source": "Officials"}),
        Span(alleged, alleged + 7, "ATTRIBUTION", attributes={"source": "Analysts"}),
        Span(reported, reported + 8, "ATTRIBUTION"),
    ]
    corpus = Corpus([doc], SCHEMA, [AnnotationSet(doc, "gold", spans)])
    table = attributions(corpus, by=("source",))
    assert table.count("X", "Officials") == 1
    assert table.count("X", "unspecified") == 1
    assert table.rows()[0].keys() == {"outlet", "source", "count", "share"}
    with pytest.raises(ValueError, match="expected 1 value"):
        table.count("X", "a", "b")


# --------------------------------------------------------------------------- readability


def test_readability_is_measured_on_the_article_text_of_each_document(seed: Corpus) -> None:
    table = readability_table(seed)
    assert [e.document_id for e in table.documents] == [d.id for d in seed]
    for entry, doc in zip(table.documents, seed, strict=True):
        boilerplate = [s for a in seed.annotation_sets(document_id=doc.id) for s in a.spans]
        assert entry.readability == readability(article_text(doc, boilerplate))
    assert [e.outlet for e in table.outlets] == list(seed.outlets)
    rt = table.outlet("RT")
    assert rt.words == sum(e.readability.words for e in table.documents if e.outlet == "RT")


def test_readability_rows_name_level_and_refuse_another() -> None:
    table = readability_table(_small_corpus())
    assert {"outlet", "documents", "flesch_reading_ease"} <= table.rows()[0].keys()
    assert "document" in table.rows("document")[0]
    with pytest.raises(ValueError, match="level must be 'outlet' or 'document'"):
        table.rows("sentence")


# --------------------------------------------------------------------------- same event


def test_documents_sharing_an_event_key_are_compared_side_by_side() -> None:
    fox = _doc("f", "A brutal, vicious raid on the compound.", "fox", event="e1")
    nyt = _doc("n", "A raid on the compound.", "nyt", event="e1")
    hpo = _doc("h", "A cruel raid on a compound, critics said.", "hpo", event="e1")
    lone = _doc("l", "Other news entirely.", "nyt", event="e2")
    none = _doc("z", "No event here.", "fox")
    sets = [
        AnnotationSet(fox, "gold", _epithets(fox, "brutal", "vicious")),
        AnnotationSet(hpo, "gold", _epithets(hpo, "cruel")),
    ]
    corpus = Corpus([fox, nyt, hpo, lone, none], SCHEMA, sets)
    table = compare_events(corpus, labels=["EPITHET"])
    assert table.events == ("e1",)  # e2 has one document
    assert [(d.outlet, d.spans["EPITHET"], d.words) for d in table.event("e1")] == [
        ("fox", 2, 7),
        ("hpo", 1, 8),
        ("nyt", 0, 5),
    ]
    assert table.outlet_means()["fox"]["EPITHET"] == pytest.approx(2000 / 7)
    assert compare_events(corpus, min_documents=1).events == ("e1", "e2")
    assert compare_events(corpus, key="storyline").events == ()


def test_the_seed_corpus_has_no_event_triplets(seed: Corpus) -> None:
    assert compare_events(seed).documents == ()


BASIL = REPO.parent / "shared" / "data" / "basil"


@pytest.mark.slow
def test_basil_triplets_compare_three_outlets_per_event() -> None:
    if not (BASIL / "articles").is_dir():
        pytest.skip(f"BASIL is not at {BASIL}")
    basil = pytest.importorskip("biaskit.io.basil", reason="the BASIL reader is not installed")
    corpus = basil.load_basil(BASIL)
    table = compare_events(corpus, annotator="gold")
    outlets: dict[str, list[str]] = {}
    for d in table.documents:
        outlets.setdefault(d.event, []).append(d.outlet)
    assert len(table.events) == len(outlets) > 0
    assert all(sorted(o) == sorted(corpus.outlets) for o in outlets.values())
    means = table.outlet_means()
    assert set(means) == set(corpus.outlets)
    # Oracle: the mean of per-document rates, computed here from the spans.
    fox = [
        1000 * len(corpus.annotation_set(d.document_id, "gold").with_label("LEXICAL")) / d.words
        for d in table.documents
        if d.outlet == corpus.outlets[0]
    ]
    assert means[corpus.outlets[0]]["LEXICAL"] == pytest.approx(sum(fox) / len(fox))


# --------------------------------------------------------------------------- plain data and pandas


def test_every_table_gives_json_ready_rows(seed: Corpus, registry: biaskit.VariantRegistry) -> None:
    tables = [
        label_rates(seed, n_resamples=50).rows(),
        lexical_choice(seed, registry).rows(),
        attributions(seed).rows(),
        readability_table(seed).rows("document"),
        compare_events(seed).rows(),
    ]
    for rows in tables:
        json.dumps(rows, allow_nan=False)


def test_to_pandas_gives_long_frames_that_pivot(
    seed: Corpus, registry: biaskit.VariantRegistry
) -> None:
    pytest.importorskip("pandas", reason="to_pandas needs the pandas extra")
    rates = label_rates(seed, n_resamples=50).to_pandas()
    assert list(rates.columns[:3]) == ["outlet", "label", "spans"]
    wide = rates.pivot(index="outlet", columns="label", values="per_1000")
    assert wide.shape == (len(seed.outlets), len(rates.label.unique()))
    lexical = lexical_choice(seed, registry).to_pandas()
    killing = lexical[lexical.concept == "soleimani_killing"]
    counts = killing.pivot(index="outlet", columns="variant", values="count")
    assert counts.loc["RT", "assassination"] == 5
    assert len(attributions(seed).to_pandas()) == len(attributions(seed).counts)
    assert len(readability_table(seed).to_pandas("document")) == len(seed)
    assert list(compare_events(seed).to_pandas().columns[:3]) == ["event", "document", "outlet"]


def test_to_pandas_without_pandas_names_the_extra(
    seed: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ModuleNotFoundError, match=r'pip install "biaskit\[pandas\]"'):
        label_rates(seed, n_resamples=10).to_pandas()
