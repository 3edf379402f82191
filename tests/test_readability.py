"""biaskit.readability: textstat's figures, offline, with no download ever attempted."""

from __future__ import annotations

import importlib
import socket

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from biaskit.errors import BiaskitError
from biaskit.readability import Readability, readability

ENGLISH = (
    "The Pentagon confirmed the strike on Thursday. Officials said the general had been "
    "plotting attacks against American diplomats, though they presented no evidence."
)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every download path raise: nltk.download, sockets and textstat's CMU loader."""
    nltk = pytest.importorskip("nltk")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("readability tried to download or open a connection")

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    syllables = importlib.import_module("textstat.backend.counts._count_syllables")
    monkeypatch.setattr(syllables, "get_cmudict", refuse)
    cmudict = importlib.import_module("textstat.backend.utils._get_cmudict")
    monkeypatch.setattr(cmudict, "get_cmudict", refuse)


def test_english_readability_attempts_no_download_and_no_connection(no_network: None) -> None:
    result = readability(ENGLISH)
    assert result.words == 23  # 7 + 16, counted by hand
    assert result.sentences == 2
    assert result.syllables > result.words


def test_the_guard_itself_fails_when_textstat_reaches_for_the_cmu_dictionary(
    no_network: None,
) -> None:
    # Proves the fixture can fail: textstat's own English syllable count goes there.
    from textstat.backend.counts import count_syllables

    with pytest.raises(AssertionError, match="download"):
        count_syllables("an uncached sentence about readability guards", "en_US")


def test_figures_follow_the_published_formulas_computed_by_hand() -> None:
    # Twelve one-syllable words in two sentences: 6 words per sentence, 1 syllable per word.
    result = readability("The cat sat on the mat. The dog ran to the park.")
    assert (result.words, result.sentences, result.syllables) == (12, 2, 12)
    assert result.flesch_reading_ease == pytest.approx(206.835 - 1.015 * 6 - 84.6 * 1)
    assert result.flesch_kincaid_grade == pytest.approx(0.39 * 6 + 11.8 * 1 - 15.59)


def test_syllables_are_hyphenation_points_plus_one_per_word() -> None:
    pyphen = pytest.importorskip("pyphen")
    hyphenator = pyphen.Pyphen(lang="en_US")
    words = ["Iranian", "retaliation", "was", "expected"]
    expected = sum(len(hyphenator.positions(w.lower())) + 1 for w in words)
    assert readability(" ".join(words) + ".").syllables == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Der Hund lief schnell über die große Wiese. Danach schlief er lange im Haus."),
        ("es", "El perro corrió rápidamente por el parque. Después durmió en la casa grande."),
        ("fr", "Le chien a couru dans le grand parc. Ensuite il a dormi dans la maison."),
        ("it", "Il cane correva velocemente nel parco. Poi dormiva a lungo nella casa."),
        ("nl", "De hond rende snel door het grote park. Daarna sliep hij lang in het huis."),
    ],
)
def test_matches_textstat_where_textstat_uses_no_cmu_dictionary(language: str, text: str) -> None:
    # Outside English textstat counts syllables with pyphen alone: the figures must agree.
    from textstat.backend import metrics

    result = readability(text, language=language)
    assert result.flesch_reading_ease == pytest.approx(metrics.flesch_reading_ease(text, language))
    assert result.flesch_kincaid_grade == pytest.approx(
        metrics.flesch_kincaid_grade(text, language)
    )


def test_empty_text_scores_zero_like_textstat() -> None:
    assert readability("") == Readability(0.0, 0.0, 0, 0, 0, "en_US")


def test_the_result_is_a_frozen_value() -> None:
    result = readability("It was fine. We all went home.")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.words = 3  # type: ignore[misc]
    assert result.words_per_sentence == 3.5
    assert result.syllables_per_word == 1.0


@pytest.mark.parametrize(
    ("text", "language", "message"),
    [
        ("Ein Satz.", "tlh", "no hyphenation dictionary|has none"),
        ("Ein Satz.", "", "has none"),
        (b"bytes", "en", "string, not bytes"),
    ],
)
def test_bad_input_raises_a_biaskit_error(text: object, language: str, message: str) -> None:
    with pytest.raises(BiaskitError, match=message):
        readability(text, language=language)  # type: ignore[arg-type]


def test_english_variants_choose_their_dictionary() -> None:
    assert readability("Colour.", language="en-GB").language == "en_GB"
    assert readability("Color.", language="en").language == "en_US"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_text_gives_finite_deterministic_figures(text: str) -> None:
    first, second = readability(text), readability(text)
    assert first == second
    assert first.words >= 0
    assert first.sentences >= 0
    assert first.syllables >= first.words
