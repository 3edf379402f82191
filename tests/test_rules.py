"""biaskit.rules: the codebook's mechanical tests as detectors, specified by tables."""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biaskit import rules
from biaskit.corpus import Corpus
from biaskit.errors import BiaskitError
from biaskit.io.native import load_corpus
from biaskit.metrics import exact_match, ptc_scores
from biaskit.model import Document, Span
from biaskit.schema import Schema
from biaskit.variants import Concept, Variant, VariantRegistry, load_variants

REPO = Path(__file__).resolve().parents[1]
ANNOTATIONS = REPO / "annotations"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(ANNOTATIONS)


@pytest.fixture(scope="module")
def schema(corpus: Corpus) -> Schema:
    return corpus.schema


@pytest.fixture(scope="module")
def registry() -> VariantRegistry:
    return load_variants(ANNOTATIONS / "variants.json")


def found(document: Document, spans: list[Span]) -> list[tuple[str, str]]:
    return [(document.text[s.start : s.end], s.label) for s in spans]


def assert_valid(schema: Schema, spans: list[Span]) -> None:
    problems = [(s, p.message) for s in spans for p in schema.check_span(s)]
    assert problems == []


# ---------------------------------------------------------------------------
# The ordered scare-quote test.

SCARE_QUOTE_CASES = [
    pytest.param(
        "Pulling out the ‘Iran threat’ card, he announced plans.",
        [("‘Iran threat’", "SCARE_QUOTE", {"polarity": "negative", "marker": "quotes"})],
        id="step2-no-frame-cue-later-in-sentence",
    ),
    pytest.param(
        "Officials say Iran and its “satellites” fired rockets.",
        [
            ("say", "ATTRIBUTION", {"quote_type": "partial", "verb_stance": "neutral"}),
            (
                "“satellites”",
                "SCARE_QUOTE",
                {"polarity": "neutral", "voice_origin": "external", "attitude": "distancing"},
            ),
        ],
        id="step4-contested-label-alone-is-neutral",
    ),
    pytest.param("Iran’s leaders and the troops’ base don't care.", [], id="apostrophes"),
    pytest.param("Iran's leaders and the troops' base don't care.", [], id="straight-apostrophes"),
    pytest.param("Two rockets exploded in ‘Green Zone’ today.", [], id="step1-place-name"),
    pytest.param("The word “regime” is loaded.", [], id="step1-mention-of-a-word"),
    pytest.param(
        "He said the plan was “a success” for Iraq.",
        [("said", "ATTRIBUTION", {"quote_type": "partial"})],
        id="fragment-inside-attributed-clause-is-partial-only",
    ),
    pytest.param(
        "“We will respond to any attack,” the minister said.",
        [("said", "ATTRIBUTION", {"quote_type": "direct"})],
        id="step3-direct-quote-cue-after",
    ),
    pytest.param(
        "“They are here. They will stay,” he said.",
        [("said", "ATTRIBUTION", {"quote_type": "direct"})],
        id="quote-across-a-sentence-boundary",
    ),
    pytest.param(
        "“We are ready,” the minister said.\n“Nothing will stop us.”",
        [("said", "ATTRIBUTION", {"quote_type": "direct"})],
        id="continuation-is-framed-without-a-second-cue",
    ),
    pytest.param(
        "He warned that the strike “was hardly the last salvo.”",
        [("warned", "ATTRIBUTION", {"quote_type": "direct", "verb_stance": "emotive"})],
        id="finite-verb-and-full-stop-inside",
    ),
    pytest.param(
        "Schenker said he wants a government that would “put Iraq first.”",
        [("said", "ATTRIBUTION", {"quote_type": "partial"})],
        id="bare-verb-after-modal-outside-is-not-finite",
    ),
    pytest.param(
        "Officials said the «terrorists» fled.",
        [
            ("said", "ATTRIBUTION", {"quote_type": "partial"}),
            ("«terrorists»", "SCARE_QUOTE", {"polarity": "neutral"}),
        ],
        id="guillemets",
    ),
    pytest.param(
        'The "peace" plan failed.',
        [('"peace"', "SCARE_QUOTE", {"polarity": "negative"})],
        id="straight-double-quotes",
    ),
    pytest.param(
        'He announced “air defense systems" in Iraq.',
        [("announced", "ATTRIBUTION", {"quote_type": "partial"})],
        id="curly-open-straight-close",
    ),
    pytest.param(
        "Troops protected against 'potential attack' – CENTCOM",
        [("CENTCOM", "ATTRIBUTION", {"quote_type": "partial", "source": "CENTCOM"})],
        id="headline-source-after-dash",
    ),
    pytest.param(
        "The so-called peace plan failed.",
        [("so-called peace plan", "SCARE_QUOTE", {"marker": "so-called"})],
        id="bare-so-called",
    ),
    pytest.param(
        "He said the so-called “deal” failed.",
        [
            ("said", "ATTRIBUTION", {"quote_type": "partial"}),
            ("“deal”", "SCARE_QUOTE", {"polarity": "negative", "marker": "quotes"}),
        ],
        id="step4-so-called-beside-a-fragment",
    ),
    pytest.param(
        "He said it was not a “victory” at all.",
        [
            ("said", "ATTRIBUTION", {"quote_type": "partial"}),
            ("“victory”", "SCARE_QUOTE", {"polarity": "negative"}),
        ],
        id="step4-negation",
    ),
    pytest.param(
        "Officials said the “terrorist cells hiding in the capital” moved.",
        [("said", "ATTRIBUTION", {"quote_type": "partial"})],
        id="six-word-fragment-is-never-a-scare-quote",
    ),
    pytest.param(
        "He said the plan was “a success ‘for now’ at least” today.",
        [("said", "ATTRIBUTION", {"quote_type": "partial"})],
        id="nested-marks-are-the-speakers",
    ),
    pytest.param("An “unclosed quotation\nruns on.", [], id="marks-never-pair-across-lines"),
]


@pytest.mark.parametrize(("text", "expected"), SCARE_QUOTE_CASES)
def test_scare_quote_test(
    schema: Schema, text: str, expected: list[tuple[str, str, dict[str, str]]]
) -> None:
    document = Document("d", text)
    spans = rules.scare_quotes(document)
    assert found(document, spans) == [(covered, label) for covered, label, _ in expected]
    for span, (_, _, attributes) in zip(spans, expected, strict=True):
        assert {k: span.attributes.get(k) for k in attributes} == attributes
        assert span.attributes["origin"] == "biaskit.rules.scare_quotes"
    assert_valid(schema, spans)


def test_an_unframed_scare_quote_leaves_undecidable_attributes_out() -> None:
    document = Document("d", 'The "peace" plan failed.')
    (span,) = rules.scare_quotes(document)
    assert "voice_origin" not in span.attributes
    assert "attitude" not in span.attributes


def test_a_repeated_fragment_is_an_attitude_cue() -> None:
    document = Document("d", "He said it was “progress” then. She said “progress” was slow.")
    scare = [s for s in rules.scare_quotes(document) if s.label == "SCARE_QUOTE"]
    assert [document.text[s.start : s.end] for s in scare] == ["“progress”", "“progress”"]


def test_boilerplate_hides_quotes_and_is_skipped_as_previous_sentence() -> None:
    text = "Read more: the “terrorists” struck\nHe said so.\n“We are ready,” she said."
    document = Document("d", text)
    link = Span(0, text.index("\n"), "BOILERPLATE")
    assert all(
        not s.overlaps(link)
        for s in rules.rule_spans(document, boilerplate=[link, Span(0, 4, "EVENT_TERM")])
    )
    assert "“terrorists”" in [t for t, _ in found(document, rules.scare_quotes(document))]


# ---------------------------------------------------------------------------
# Reporting verbs.

REPORTING_CASES = [
    ("Analysts alleged that it failed.", [("alleged", "distancing", "indirect")]),
    ("The Pentagon has confirmed that he died.", [("confirmed", "endorsing", "indirect")]),
    ("He was accusing Iran of the attack.", [("accusing", "emotive", "indirect")]),
    (
        "Tehran denied the accusations that it helped.",
        [
            ("denied", "neutral", "indirect"),
            ("accusations", "emotive", "indirect"),
        ],
    ),
    ("According to Pentagon officials, it worked.", [("According to", "neutral", "indirect")]),
    ("Washington has pinned the blame on Tehran.", [("pinned the blame", "emotive", "indirect")]),
    (
        "Tehran was taking aim at Washington’s “audacity” today.",
        [
            ("taking aim at", "emotive", "partial"),
        ],
    ),
    ("The mission called for “maximum restraint.”", [("called for", "neutral", "partial")]),
    (
        "He made the remarks on Tuesday, Reuters reported.",
        [
            ("made the remarks", "neutral", "indirect"),
            ("reported", "neutral", "indirect"),
        ],
    ),
    ("No group has claimed responsibility for the strike.", []),
    ("The so-called plan failed.", []),
    ("He will take the blame, and the US added troops.", []),
    ("Iran rebuffs accusations as usual.", []),
    ("The alleged attack happened at night.", []),
    # Step 3 wants ".?!" inside the marks or six words: a short comma-ended quote is partial.
    ("“It is over,” he added.", [("added", "neutral", "partial")]),
    ("“It is over, and we won,” he added.", [("added", "neutral", "direct")]),
]


@pytest.mark.parametrize(("text", "expected"), REPORTING_CASES)
def test_reporting_verbs(schema: Schema, text: str, expected: list[tuple[str, str, str]]) -> None:
    document = Document("d", text)
    spans = rules.reporting_verbs(document)
    assert [
        (document.text[s.start : s.end], s.attributes["verb_stance"], s.attributes["quote_type"])
        for s in spans
    ] == expected
    assert all(s.attributes["origin"] == "biaskit.rules.reporting_verbs" for s in spans)
    assert_valid(schema, spans)


# ---------------------------------------------------------------------------
# Hedges and boosters.

EPISTEMIC_CASES = [
    ("Apparently, the side will try again.", [("Apparently", "down")]),
    ("Washington is clearly still willing.", [("clearly", "up")]),
    ("The group appears to be pro-Iranian.", [("appears", "down")]),
    ("The minister appeared in court.", []),
    ("It could have been inflicted by the group.", [("could", "down")]),
    ("They could react very aggressively.", []),
    ("The strike may have failed in May.", [("may", "down")]),
    ("We should expect a suspension of talks.", [("should", "down")]),
    ("They should be held accountable.", []),
    ("It’s unclear whether Baghdad agreed.", [("unclear", "down")]),
    ("It is not clear whether Baghdad agreed.", [("not clear", "down")]),
    ("He is certain that Baghdad agreed.", []),
    ("Iran is likely to respond.", [("likely", "down")]),
    ("It was hardly the last salvo.", [("hardly", "up")]),
    ("There was hardly any damage.", []),
    ("The war is far from over.", [("far from", "up")]),
    ("The base is far from the border.", []),
]


@pytest.mark.parametrize(("text", "expected"), EPISTEMIC_CASES)
def test_hedges_and_boosters(schema: Schema, text: str, expected: list[tuple[str, str]]) -> None:
    document = Document("d", text)
    spans = rules.hedges_and_boosters(document)
    assert [(document.text[s.start : s.end], s.attributes["direction"]) for s in spans] == expected
    assert all(s.attributes["origin"] == "biaskit.rules.hedges_and_boosters" for s in spans)
    assert_valid(schema, spans)


def test_a_hedge_inside_an_attributed_quotation_has_the_quoted_voice() -> None:
    document = Document("d", "He warned that the strike “was hardly the last.” It was hardly over.")
    voices = [s.attributes["voice"] for s in rules.hedges_and_boosters(document)]
    assert voices == ["quoted", "author"]


# ---------------------------------------------------------------------------
# Variant terms.


@pytest.fixture(scope="module")
def small_registry() -> VariantRegistry:
    return VariantRegistry(
        [
            Concept(
                "killing",
                "EVENT_TERM",
                [
                    Variant("killing", ["killing", "killed"], register="neutral"),
                    Variant("assassination", ["assassination"], register="loaded"),
                    Variant("death", ["death"], register="euphemism"),
                ],
                anchor="killing",
                rationale="plain",
                referent=["Soleimani"],
            ),
            Concept(
                "pmf",
                "ACTOR_LABEL",
                [
                    Variant("pmf", ["PMF"], register="neutral"),
                    Variant("proxies", ["Iranian proxies"], register="pejorative"),
                    Variant("allies", ["Iran’s allies"], register="loaded"),
                ],
                anchor="pmf",
                rationale="official name",
            ),
        ]
    )


def test_variant_terms_mark_loaded_registers_not_the_anchor(
    schema: Schema, small_registry: VariantRegistry
) -> None:
    document = Document(
        "d",
        "Soleimani was killed. The assassination and his death shocked the PMF, "
        "Iranian proxies and Iran’s allies.",
    )
    spans = rules.variant_terms(document, small_registry)
    assert found(document, spans) == [
        ("assassination", "EVENT_TERM"),
        ("death", "EVENT_TERM"),
        ("Iranian proxies", "ACTOR_LABEL"),
        ("Iran’s allies", "ACTOR_LABEL"),
    ]
    assert dict(spans[0].attributes) == {
        "concept": "killing",
        "variant": "assassination",
        "register": "loaded",
        "neutral_alternative": "killing",
        "voice": "author",
        "origin": "biaskit.rules.variant_terms",
    }
    assert spans[2].attributes["legitimacy"] == "delegitimising"
    assert "legitimacy" not in spans[3].attributes
    assert "register" not in spans[3].attributes
    assert_valid(schema, spans)


def test_variant_terms_respect_boilerplate_and_the_guard(small_registry: VariantRegistry) -> None:
    text = "Read more: the assassination of Soleimani\nA man's death was reported."
    document = Document("d", text)
    link = Span(0, text.index("\n"), "BOILERPLATE")
    assert rules.variant_terms(document, small_registry, boilerplate=[link]) == []
    unguarded = rules.variant_terms(document, small_registry, boilerplate=[link], guard=False)
    assert found(document, unguarded) == [("death", "EVENT_TERM")]


# ---------------------------------------------------------------------------
# All together, and pre-annotation.


def test_rule_spans_keep_one_attribution_per_cue_and_no_same_label_overlap(
    small_registry: VariantRegistry,
) -> None:
    document = Document(
        "d", "Officials say Iran and its “satellites” fired. The assassination of Soleimani."
    )
    spans = rules.rule_spans(document, registry=small_registry)
    assert found(document, spans) == [
        ("say", "ATTRIBUTION"),
        ("“satellites”", "SCARE_QUOTE"),
        ("assassination", "EVENT_TERM"),
    ]
    assert spans[0].attributes["origin"] == "biaskit.rules.reporting_verbs"
    assert spans[0].attributes["quote_type"] == "partial"


def test_annotate_a_corpus_skips_its_boilerplate(corpus: Corpus, registry: VariantRegistry) -> None:
    sets = rules.annotate(corpus, registry=registry, annotator="rules")
    assert [s.document.id for s in sets] == [d.id for d in corpus.documents]
    for aset in sets:
        assert aset.annotator == "rules"
        boilerplate = [
            s
            for a in corpus.annotation_sets(document_id=aset.document.id)
            for s in a.spans
            if s.label == "BOILERPLATE"
        ]
        assert not any(s.overlaps(b) for s in aset.spans for b in boilerplate)
        assert_valid(corpus.schema, list(aset.spans))


def test_annotate_plain_documents_cleans_them_first() -> None:
    link = "Read more: the “peace” plan apparently failed"
    text = f"{link}\nThe “peace” plan failed."
    document = Document("d", text)
    assert len(rules.rule_spans(document)) == 3  # the link's spans, were it prose
    (aset,) = rules.annotate([document])
    assert aset.annotator == "biaskit-rules"
    assert [(s.start, s.label) for s in aset.spans] == [(len(link) + 5, "SCARE_QUOTE")]


def test_annotate_rejects_what_is_not_a_document() -> None:
    with pytest.raises(BiaskitError, match="item 1 to annotate must be a Document, not str"):
        rules.annotate([Document("d", "x"), "not a document"])  # type: ignore[list-item]


def test_importing_rules_reads_no_lexicon() -> None:
    code = (
        "import biaskit.rules as r; "
        "assert r._lexicon.cache_info().currsize == 0, 'lexicon read at import'; "
        "r.rule_spans(__import__('biaskit').Document('d', 'He said so.')); "
        "assert r._lexicon.cache_info().currsize > 0"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------
# Properties.

PIECES = st.sampled_from(
    [
        "said",
        "claimed",
        "according to",
        "apparently",
        "could have",
        "so-called",
        "“",
        "”",
        "‘",
        "’",
        '"',
        "'",
        "«",
        "»",
        "terrorists",
        "Iran’s",
        "The",
        "peace",
        ".",
        ",",
        " ",
        " ",
        "\n",
        "–",
        "CENTCOM",
        "It’s unclear whether",
        "hardly",
        ":",
        "assassination",
        "Soleimani",
        "\u00a0",
    ]
)


@functools.cache
def shipped() -> tuple[Schema, VariantRegistry]:
    return load_corpus(ANNOTATIONS).schema, load_variants(ANNOTATIONS / "variants.json")


@given(st.lists(PIECES, max_size=40).map("".join))
def test_rule_spans_are_in_bounds_trimmed_valid_and_deterministic(text: str) -> None:
    schema, registry = shipped()
    document = Document("d", text)
    spans = rules.rule_spans(document, registry=registry)
    assert spans == rules.rule_spans(document, registry=registry)
    last_end: dict[str, int] = {}
    for span in spans:
        covered = text[span.start : span.end]
        assert 0 <= span.start < span.end <= len(text)
        assert covered == covered.strip()
        assert covered[0] not in ".,:;"
        assert covered[-1] not in ".,:;"
        assert span.start >= last_end.get(span.label, 0), "same-label spans overlap"
        last_end[span.label] = span.end
        assert schema.check_span(span) == []
        assert span.attributes["origin"].startswith("biaskit.rules.")


# ---------------------------------------------------------------------------
# The seed corpus and docs/rules.md.

DETECTOR_CALLS = {
    "scare_quotes": lambda d, b, r: rules.scare_quotes(d, boilerplate=b),
    "reporting_verbs": lambda d, b, r: rules.reporting_verbs(d, boilerplate=b),
    "hedges_and_boosters": lambda d, b, r: rules.hedges_and_boosters(d, boilerplate=b),
    "variant_terms": lambda d, b, r: rules.variant_terms(d, r, boilerplate=b),
    "rule_spans": lambda d, b, r: rules.rule_spans(d, registry=r, boilerplate=b),
}


def predictions(corpus: Corpus, registry: VariantRegistry, detector: str) -> dict[str, list[Span]]:
    result = {}
    for document in corpus.documents:
        boilerplate = [
            s
            for a in corpus.annotation_sets(document_id=document.id)
            for s in a.spans
            if s.label == "BOILERPLATE"
        ]
        result[document.id] = DETECTOR_CALLS[detector](document, boilerplate, registry)
    return result


@pytest.mark.parametrize("detector", sorted(DETECTOR_CALLS))
def test_each_detector_output_on_the_seed_corpus_validates(
    corpus: Corpus, registry: VariantRegistry, detector: str
) -> None:
    for spans in predictions(corpus, registry, detector).values():
        assert_valid(corpus.schema, spans)


def documented_rows() -> list[list[str]]:
    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- rules-seed:begin -->(.*?)<!-- rules-seed:end -->", text, re.S)
    assert block is not None, "docs/rules.md lost its rules-seed table markers"
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in block.group(1).strip().splitlines()[2:]
    ]
    assert rows, "docs/rules.md has an empty rules-seed table"
    return rows


def test_the_figures_in_docs_rules_md_are_what_the_detectors_score(
    corpus: Corpus, registry: VariantRegistry
) -> None:
    gold = {a.document.id: list(a.spans) for a in corpus.annotation_sets(annotator="gold")}
    cache: dict[str, dict[str, list[Span]]] = {}
    rows = documented_rows()
    expected_keys = {
        (detector, label) for detector, labels in rules.DETECTORS.items() for label in labels
    } | {("rule_spans", label) for labels in rules.DETECTORS.values() for label in labels}
    assert {(row[0], row[1]) for row in rows} == expected_keys
    for row in rows:
        detector, label = row[0], row[1]
        predicted = cache.setdefault(detector, predictions(corpus, registry, detector))
        e = exact_match(gold, predicted, labels=[label], zero_division=0.0).per_label[label]
        p = ptc_scores(gold, predicted, labels=[label], zero_division=0.0).per_label[label]
        n_gold = sum(s.label == label for spans in gold.values() for s in spans)
        n_pred = sum(s.label == label for spans in predicted.values() for s in spans)
        recomputed = [
            str(n_gold),
            str(n_pred),
            *(f"{v:.3f}" for v in (e.precision, e.recall, e.f1, p.precision, p.recall, p.f1)),
        ]
        assert row[2:10] == recomputed, f"docs/rules.md row {detector}/{label} drifted"
