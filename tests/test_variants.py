"""The variant registry and its matcher: competing names, counted per outlet."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import biaskit
from biaskit import AnnotationError, Document, Span
from biaskit.variants import (
    Concept,
    Variant,
    VariantRegistry,
    count_variants,
    find_variants,
    load_variants,
    loads_variants,
    split_sentences,
)

# ---------------------------------------------------------------------------
# A small registry for the unit tests.

KILLING = Concept(
    "soleimani_killing",
    "EVENT_TERM",
    [
        Variant("killing", ["killing", "killed"], register="neutral"),
        Variant(
            "assassination",
            ["assassination", "assassinations", "assassinated", "assassinate"],
            register="loaded",
        ),
        Variant("death", ["death", "died"], register="euphemism"),
    ],
    anchor="killing",
    rationale="agent-explicit and non-evaluative",
    referent=["Soleimani", "Suleimani", "the general"],
)
GROUP = Concept(
    "kataib_hezbollah",
    "ACTOR_LABEL",
    [
        Variant(
            "kataib_hezbollah", ["Kataib Hezbollah", "Kata'ib Hezbollah", "KH"], register="neutral"
        ),
        Variant("pro_iranian_group", ["pro-Iranian group"], register="pejorative"),
    ],
    anchor="kataib_hezbollah",
    rationale="the group's own name",
)
REGISTRY = VariantRegistry([KILLING, GROUP], name="test", version="1.0")


def covered(doc: Document, registry: VariantRegistry = REGISTRY, **kwargs: object) -> list[str]:
    return [doc.text[m.start : m.end] for m in find_variants(doc, registry, **kwargs)]


# ---------------------------------------------------------------------------
# Loading: every problem located as file:line:col.

GOOD = {
    "biaskit": "variants",
    "format_version": 1,
    "concepts": [
        {
            "id": "k",
            "label": "EVENT_TERM",
            "anchor": "killing",
            "rationale": "plain",
            "referent": ["Soleimani"],
            "variants": [
                {"id": "killing", "register": "neutral", "forms": ["killing", "killed"]},
                {"id": "assassination", "register": "loaded", "forms": ["assassination"]},
            ],
        }
    ],
}


def dumped(record: object) -> str:
    return json.dumps(record, indent=2, ensure_ascii=False)


def with_change(change: str) -> str:
    """Return the text of GOOD with one edit applied (a small DSL keeps the table readable)."""
    record = json.loads(json.dumps(GOOD))
    concept = record["concepts"][0]
    if change == "header":
        record["biaskit"] = "schema"
    elif change == "newer":
        record["format_version"] = 2
    elif change == "unknown-top":
        record["colour"] = "red"
    elif change == "concepts-type":
        record["concepts"] = {}
    elif change == "no-anchor":
        del concept["anchor"]
    elif change == "anchor-unknown":
        concept["anchor"] = "murder"
    elif change == "anchor-loaded":
        concept["anchor"] = "assassination"
    elif change == "bad-label":
        concept["label"] = "FRAME"
    elif change == "bad-register":
        concept["variants"][1]["register"] = "honorific"
    elif change == "empty-form":
        concept["variants"][1]["forms"] = ["assassination", " "]
    elif change == "form-twice":
        concept["variants"][1]["forms"] = ["assassination", "Killed"]
    elif change == "variant-twice":
        concept["variants"][1]["id"] = "killing"
    elif change == "forms-type":
        concept["variants"][0]["forms"] = "killing"
    elif change == "bad-id":
        concept["id"] = "Soleimani Killing"
    elif change == "empty-rationale":
        concept["rationale"] = "  "
    elif change == "unknown-variant-field":
        concept["variants"][0]["regsiter"] = "neutral"
    elif change == "referent-type":
        concept["referent"] = ["Soleimani", 3]
    elif change == "concept-twice":
        record["concepts"].append(json.loads(json.dumps(concept)))
    else:  # pragma: no cover - a typo in the table
        raise AssertionError(change)
    return dumped(record)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1


@pytest.mark.parametrize(
    ("change", "code", "needle", "message"),
    [
        ("header", "wrong-file", '"biaskit"', 'expected "biaskit": "variants"'),
        ("newer", "format-version", '"format_version"', "upgrade biaskit"),
        ("unknown-top", "unknown-field", '"colour"', "unknown field 'colour'"),
        ("concepts-type", "wrong-type", '"concepts"', "must be an array, not an object"),
        ("no-anchor", "missing-field", '{\n      "id": "k"', "has no 'anchor'"),
        ("anchor-unknown", "invalid-value", '"murder"', "is not one of its variants"),
        ("anchor-loaded", "invalid-value", '"anchor"', "of register 'neutral'"),
        ("bad-label", "invalid-value", '"FRAME"', "EVENT_TERM, ACTOR_LABEL"),
        ("bad-register", "invalid-value", '"honorific"', "for EVENT_TERM"),
        ("empty-form", "invalid-value", '" "', "non-empty string"),
        ("form-twice", "duplicate-id", '"Killed"', "already a form of variant 'killing'"),
        ("variant-twice", "duplicate-id", '"id": "killing"', "appears twice"),
        ("forms-type", "wrong-type", '"forms": "killing"', "must be an array, not a string"),
        ("bad-id", "invalid-value", '"Soleimani Killing"', "lower-case letters"),
        ("empty-rationale", "invalid-value", '"  "', "needs a rationale"),
        ("unknown-variant-field", "unknown-field", '"regsiter"', "unknown field 'regsiter'"),
        ("referent-type", "wrong-type", "3", "must be a string, not a number"),
    ],
)
def test_bad_registries_raise_located_problems(
    change: str, code: str, needle: str, message: str
) -> None:
    text = with_change(change)
    with pytest.raises(AnnotationError) as caught:
        loads_variants(text, source="variants.json")
    problems = caught.value.problems
    assert [p.code for p in problems] == [code], caught.value
    problem = problems[0]
    assert message in problem.message
    assert problem.path == "variants.json"
    occurrence = 2 if change == "variant-twice" else 1
    assert problem.line == line_of(text, needle, occurrence), str(problem)
    assert problem.col is not None
    assert problem.col >= 1
    assert str(problem).startswith(f"variants.json:{problem.line}:{problem.col}: error: ")


def test_every_problem_is_reported_not_only_the_first() -> None:
    record = json.loads(json.dumps(GOOD))
    record["concepts"][0]["variants"][0]["register"] = "calm"
    record["concepts"][0]["variants"][1]["forms"] = []
    with pytest.raises(AnnotationError) as caught:
        loads_variants(dumped(record))
    assert len(caught.value.problems) == 2


def test_a_concept_given_twice_is_a_duplicate_id() -> None:
    text = with_change("concept-twice")
    with pytest.raises(AnnotationError) as caught:
        loads_variants(text, source="v.json")
    (problem,) = caught.value.problems
    assert problem.code == "duplicate-id"
    assert problem.line == line_of(text, '"id": "k"', 2)


def test_invalid_json_is_located_at_the_fault() -> None:
    with pytest.raises(AnnotationError) as caught:
        loads_variants('{"biaskit": "variants",\n  "concepts": [,]}', source="v.json")
    (problem,) = caught.value.problems
    assert (problem.code, problem.line, problem.col) == ("json-syntax", 2, 16)


def test_a_key_given_twice_is_located() -> None:
    text = '{"biaskit": "variants", "format_version": 1,\n "concepts": [],\n "concepts": []}'
    with pytest.raises(AnnotationError) as caught:
        loads_variants(text, source="v.json")
    (problem,) = caught.value.problems
    assert (problem.code, problem.line, problem.col) == ("duplicate-field", 3, 2)


def test_load_variants_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "variants.json"
    path.write_text(with_change("bad-label"), encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"variants\.json:\d+:\d+: error: label"):
        load_variants(path)
    path.write_bytes(b'{"biaskit": "variants", "x": "\xff"}')
    with pytest.raises(AnnotationError) as caught:
        load_variants(path)
    assert caught.value.problems[0].code == "encoding"
    with pytest.raises(AnnotationError) as caught:
        load_variants(tmp_path / "missing.json")
    assert caught.value.problems[0].code == "unreadable"


def test_a_good_registry_loads_into_value_objects() -> None:
    registry = loads_variants(dumped(GOOD))
    concept = registry.concept("k")
    assert concept.anchor_variant == Variant("killing", ("killing", "killed"), register="neutral")
    assert concept.referent == ("Soleimani",)
    assert hash(registry) == hash(loads_variants(dumped(GOOD)))
    with pytest.raises(KeyError, match="no concept 'x'"):
        registry.concept("x")


def test_value_objects_check_their_invariants() -> None:
    with pytest.raises(ValueError, match="must be neutral"):
        Concept("k", "EVENT_TERM", [KILLING.variants[1]], anchor="assassination", rationale="x")
    with pytest.raises(ValueError, match="a form must belong to one variant"):
        Concept(
            "k",
            "EVENT_TERM",
            [
                Variant("a", ["killed"], register="neutral"),
                Variant("b", ["Killed"], register="loaded"),
            ],
            anchor="a",
            rationale="x",
        )
    with pytest.raises(ValueError, match="appears twice"):
        VariantRegistry([KILLING, KILLING])


# ---------------------------------------------------------------------------
# Matching.


def test_the_matcher_finds_every_inflection() -> None:
    doc = Document(
        "d",
        "Soleimani was assassinated. The assassination of Soleimani and other "
        "assassinations. They assassinate Suleimani.",
    )
    assert covered(doc) == ["assassinated", "assassination", "assassinations", "assassinate"]


def test_case_apostrophes_possessives_and_spaces() -> None:
    doc = Document(
        "d",
        "KATAIB HEZBOLLAH and Kata’ib Hezbollah and Kataib\u00a0Hezbollah (KH). "
        "Kataib Hezbollah’s men. kh is not an acronym.",
    )
    assert covered(doc) == [
        "KATAIB HEZBOLLAH",
        "Kata’ib Hezbollah",
        "Kataib\u00a0Hezbollah",
        "KH",
        "Kataib Hezbollah",
    ]


def test_forms_match_only_at_word_and_compound_boundaries() -> None:
    registry = VariantRegistry(
        [
            Concept(
                "c",
                "EVENT_TERM",
                [Variant("strike", ["strike", "strikes", "Iranian"], register="neutral")],
                anchor="strike",
                rationale="x",
            )
        ]
    )
    doc = Document("d", "airstrikes, a strike-force, pro-Iranian, Iranian strikes, strike.")
    assert covered(doc, registry) == ["Iranian", "strikes", "strike"]


def test_forms_never_cross_a_line_break() -> None:
    doc = Document("d", "Kataib\nHezbollah and the pro-Iranian\ngroup")
    assert covered(doc) == []


def test_the_longest_form_wins_at_one_position() -> None:
    registry = VariantRegistry(
        [
            Concept(
                "c",
                "EVENT_TERM",
                [
                    Variant("strike", ["strikes"], register="neutral"),
                    Variant("retaliation", ["retaliatory strikes"], register="loaded"),
                ],
                anchor="strike",
                rationale="x",
            )
        ]
    )
    doc = Document("d", "Iran launched retaliatory strikes. Other strikes followed.")
    assert [(doc.text[m.start : m.end], m.variant) for m in find_variants(doc, registry)] == [
        ("retaliatory strikes", "retaliation"),
        ("strikes", "strike"),
    ]


def test_the_guard_rejects_an_unrelated_killing() -> None:
    doc = Document(
        "d",
        "A rocket attack hit the base on Monday. One contractor was killed. "
        "Officials said the investigation continues.",
    )
    assert covered(doc, concepts=["soleimani_killing"]) == []
    (match,) = find_variants(doc, REGISTRY, guard=False, concepts=["soleimani_killing"])
    assert doc.text[match.start : match.end] == "killed"
    assert match.anchor
    assert not match.has_referent


def test_the_guard_looks_at_the_same_and_the_previous_sentence_only() -> None:
    doc = Document(
        "d",
        "Suleimani arrived in Baghdad. A drone strike followed. He was killed. "
        "The general was killed at the airport.",
    )
    matches = find_variants(doc, REGISTRY, guard=False)
    assert [(doc.text[m.start : m.end], m.has_referent) for m in matches] == [
        ("killed", False),  # two sentences after the name: out of reach
        ("killed", True),  # "The general" in the same sentence
    ]
    assert len(find_variants(doc, REGISTRY)) == 1


def test_a_concept_without_cues_has_no_guard() -> None:
    doc = Document("d", "Nothing about Iran here. The pro-Iranian group denied it.")
    assert covered(doc) == ["pro-Iranian group"]


def test_no_match_inside_boilerplate_and_no_cue_from_it() -> None:
    text = (
        "Read more: Soleimani killed in Baghdad\n"
        "The assassination shocked the region.\n"
        "Soleimani was buried. The assassination was condemned."
    )
    doc = Document("d", text)
    link = Span(0, text.index("\n"), "BOILERPLATE", attributes={"kind": "related_link"})
    assert covered(doc) == ["killed", "assassination", "assassination"]
    # The link's own "killed" is dropped, and its "Soleimani" no longer vouches for the
    # next line; spans of other labels are ignored.
    other = Span(0, 5, "EPITHET")
    assert covered(doc, boilerplate=[link, other]) == ["assassination"]


def test_sentences_split_at_stops_but_not_at_initialisms_or_titles() -> None:
    text = "U.S. forces left. Gen. Smith said “no way.” Then Aug. 20 came?\nNew line… yes"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "U.S. forces left.",
        "Gen. Smith said “no way.”",
        "Then Aug. 20 came?",
        "New line… yes",
    ]


def test_matches_become_spans_that_the_shipped_schema_accepts(
    corpus: biaskit.Corpus, registry: VariantRegistry
) -> None:
    doc = corpus.document("004_7ad6a651d57beef3")
    spans = [m.to_span() for m in find_variants(doc, registry)]
    assert spans
    for span in spans:
        assert corpus.schema.check_span(span) == [], span
        assert span.attributes["origin"] == "biaskit.variants"


def test_count_variants_lists_every_variant_with_zeros() -> None:
    doc = Document("d", "Soleimani died. The assassination was condemned.")
    counts = count_variants(find_variants(doc, REGISTRY), REGISTRY, "soleimani_killing")
    assert counts == {"killing": 0, "assassination": 1, "death": 1}


# ---------------------------------------------------------------------------
# The shipped registry on the shipped corpus.

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus() -> biaskit.Corpus:
    return biaskit.load_corpus(REPO / "annotations")


@pytest.fixture(scope="module")
def registry() -> VariantRegistry:
    return load_variants(REPO / "annotations" / "variants.json")


def matches_by_document(
    corpus: biaskit.Corpus, registry: VariantRegistry, concept: str, *, guard: bool = True
) -> dict[str, list[biaskit.variants.VariantMatch]]:
    found = {}
    for doc in corpus:
        boilerplate = corpus.annotation_set(doc.id, "biaskit-clean").spans
        found[doc.id] = find_variants(
            doc, registry, boilerplate=boilerplate, guard=guard, concepts=[concept]
        )
    return found


def test_the_shipped_registry_has_the_codebook_concepts(registry: VariantRegistry) -> None:
    assert set(registry.concept_ids) >= {
        "soleimani_killing",
        "jan8_strike",
        "pmf",
        "kataib_hezbollah",
        "us_forces",
        "soleimani",
    }
    for concept in registry:
        assert concept.anchor_variant.register == "neutral"
        assert len(concept.rationale) > 40, concept.id
        assert concept.referent, concept.id
        assert len(concept.variants) >= 3, concept.id
    assert registry.concept("soleimani_killing").anchor == "killing"
    names = set(registry.concept("soleimani").variant("name").forms)
    assert {"Soleimani", "Suleimani", "Suleymani", "Kassem Suleimani", "Qasem Soleimani"} <= names


def test_the_shipped_registry_has_the_codebook_version(
    registry: VariantRegistry, corpus: biaskit.Corpus
) -> None:
    assert registry.version == corpus.schema.version


# Verified by reading the five texts (outside BOILERPLATE). The guard is a filter,
# not coreference resolution; its two known errors each way are pinned below.
EXPECTED_KILLING_NAMES = {
    "RT": {"assassination": 5, "killing": 4, "death": 1, "demise": 1, "defensive_action": 1},
    "unknown": {"assassination": 3, "atrocity": 1},
    "BulgarianMilitary": {"death": 3, "killing": 1, "liquidation": 1, "loss": 1},
}


def test_each_outlets_names_for_the_killing_of_soleimani(
    corpus: biaskit.Corpus, registry: VariantRegistry
) -> None:
    found = matches_by_document(corpus, registry, "soleimani_killing")
    by_outlet = {
        outlet: count_variants(
            [m for doc in corpus.by_outlet(outlet) for m in found[doc.id]],
            registry,
            "soleimani_killing",
        )
        for outlet in corpus.outlets
    }
    for outlet, expected in EXPECTED_KILLING_NAMES.items():
        # Every variant is listed, the unused ones with zero.
        assert by_outlet[outlet] == {
            v.id: expected.get(v.id, 0) for v in registry.concept("soleimani_killing").variants
        }, outlet
    assert set(by_outlet) == set(EXPECTED_KILLING_NAMES)
    # The finding in one line: RT says "assassination", BulgarianMilitary "death".
    assert max(by_outlet["RT"], key=by_outlet["RT"].__getitem__) == "assassination"
    bm = by_outlet["BulgarianMilitary"]
    assert max(bm, key=bm.__getitem__) == "death"
    assert bm["assassination"] == 0


def test_the_killing_counts_per_document(corpus: biaskit.Corpus, registry: VariantRegistry) -> None:
    found = matches_by_document(corpus, registry, "soleimani_killing")
    assert {d: dict(Counter(m.variant for m in ms)) for d, ms in found.items()} == {
        "000_cfe5febfa8fc3818": {"assassination": 3},
        # The lead paragraph stands twice (codebook hard case H8): two of the three.
        "001_d7888534bf1e186c": {"assassination": 3, "atrocity": 1},
        "002_3e32069099ff1846": {"loss": 1, "death": 3, "killing": 1, "liquidation": 1},
        "003_bf8448b7b28d95a6": {},
        "004_7ad6a651d57beef3": {
            "assassination": 2,
            "death": 1,
            "killing": 4,
            "demise": 1,
            "defensive_action": 1,
        },
    }


def test_the_related_link_assassinations_are_not_counted(
    corpus: biaskit.Corpus, registry: VariantRegistry
) -> None:
    doc = corpus.document("000_cfe5febfa8fc3818")
    link = doc.text.index("Sanctions, assassinations")
    found = matches_by_document(corpus, registry, "soleimani_killing", guard=False)
    assert all(not link <= m.start < link + 40 for m in found[doc.id])


def context(doc: Document, match: biaskit.variants.VariantMatch, after: int) -> str:
    return doc.text[match.start : match.end + after]


def test_the_guards_known_errors_on_the_seeds(
    corpus: biaskit.Corpus, registry: VariantRegistry
) -> None:
    found = matches_by_document(corpus, registry, "soleimani_killing", guard=False)
    # False positives: other killings in a sentence beside Soleimani's name (H13).
    rt = corpus.document("004_7ad6a651d57beef3")
    others = ["killed one American contractor", "killed 25 members of Kataib Hezbollah"]
    accepted = [
        phrase
        for m in found[rt.id]
        for phrase in others
        if m.has_referent and rt.text.startswith(phrase, m.start)
    ]
    assert accepted == others
    # Misses: "the assassinations" refers back further than one sentence (H13).
    unknown = corpus.document("001_d7888534bf1e186c")
    missed = [context(unknown, m, 0) for m in found[unknown.id] if not m.has_referent]
    assert missed == ["assassinations", "assassinations"]
