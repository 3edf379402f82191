"""Readability of a text, computed with textstat's counts and never downloading anything.

textstat (0.7.4 and later) counts English syllables with the CMU
pronouncing dictionary, and on first use it calls ``nltk.download('cmudict')``:
offline that fails or hangs, and online it writes into the user's home. This
module is the one place biaskit uses textstat, and it never reaches that
path. It takes textstat's building blocks that have no side effect -- its word
list (``textstat.backend.selections.list_words``), word and sentence counts
(``textstat.backend.counts``) and its pyphen hyphenation dictionaries
(``textstat.backend.utils.get_pyphen``) -- and counts syllables the way
textstat itself does for words missing from the CMU dictionary: the number of
hyphenation points plus one. The published formulas are then applied over
those counts:

- Flesch reading ease ``= a - b × words/sentences - c × syllables/words``, with
  Flesch's constants for English (206.835, 1.015, 84.6) and textstat's
  per-language constants otherwise (Amstad for German, Fernández Huerta for
  Spanish ...);
- Flesch-Kincaid grade ``= 0.39 × words/sentences + 11.8 × syllables/words -
  15.59``.

Both are 0.0 for a text without words, as textstat returns. Nothing is
patched or set globally: textstat's own functions keep their behaviour for
anyone else calling them.

Because syllables come from hyphenation rather than pronunciation, English
figures can differ slightly from ``textstat.flesch_reading_ease`` on words the
CMU dictionary knows; for languages other than English textstat uses pyphen
alone and the figures are identical.

Examples
--------
>>> r = readability("The cat sat on the mat. The dog ran to the park.")
>>> r.words, r.sentences, r.syllables
(12, 2, 12)
>>> round(r.flesch_reading_ease, 3), round(r.flesch_kincaid_grade, 3)
(116.145, -1.45)
"""

from __future__ import annotations

import attrs

from biaskit.errors import BiaskitError

__all__ = ["Readability", "readability"]

# Flesch (1948) and Kincaid et al. (1975), for English.
_FLESCH_KINCAID = (0.39, 11.8, 15.59)


@attrs.frozen
class Readability:
    """Readability figures of one text, with the counts they are computed from.

    Parameters
    ----------
    flesch_reading_ease : float
        Flesch reading ease: higher is easier (90-100 very easy, 0-30 very hard).
    flesch_kincaid_grade : float
        Flesch-Kincaid grade: the US school grade needed to read the text.
    words : int
        Words, as textstat counts them (punctuation removed, contractions and
        hyphenated words one word each).
    sentences : int
        Sentences, as textstat counts them (runs ending in ``.``, ``!`` or
        ``?``; runs of at most two words are not counted; at least 1 for a
        non-empty text).
    syllables : int
        Syllables: hyphenation points plus one, per word.
    language : str
        The pyphen dictionary used (``"en_US"``, ``"de"`` ...).

    Examples
    --------
    >>> r = readability("It was fine. We all went home.")
    >>> r.words_per_sentence, r.syllables_per_word
    (3.5, 1.0)
    """

    flesch_reading_ease: float
    flesch_kincaid_grade: float
    words: int
    sentences: int
    syllables: int
    language: str

    @property
    def words_per_sentence(self) -> float:
        """Mean words per sentence (0.0 without sentences)."""
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        """Mean syllables per word (0.0 without words)."""
        return self.syllables / self.words if self.words else 0.0


def readability(text: str, *, language: str = "en") -> Readability:
    """Return the Flesch reading ease and Flesch-Kincaid grade of a text, offline.

    Parameters
    ----------
    text : str
        The text, for example one sentence or a whole document.
    language : str
        BCP 47 tag (``"en"``, ``"en-GB"``, ``"de"``); selects the pyphen
        hyphenation dictionary (``"en"`` is American English, textstat's
        default) and, for reading ease, textstat's constants for that language.

    Returns
    -------
    Readability
        The figures and the counts behind them.

    Raises
    ------
    BiaskitError
        If ``text`` is not a string, or pyphen has no dictionary for
        ``language``.

    Examples
    --------
    >>> readability("").flesch_reading_ease
    0.0
    >>> readability("Ein Satz.", language="tlh")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    biaskit.errors.BiaskitError: readability needs a hyphenation dictionary for language 'tlh'...
    """
    if not isinstance(text, str):
        raise BiaskitError(f"readability needs text as a string, not {type(text).__name__}")
    # Only side-effect-free building blocks are imported; never textstat's
    # syllable counter or metric functions, which load the CMU dictionary.
    import pyphen  # type: ignore[import-untyped]
    from textstat.backend.counts import (  # type: ignore[import-untyped]
        count_sentences,
        count_words,
    )
    from textstat.backend.selections import list_words  # type: ignore[import-untyped]
    from textstat.backend.utils import get_lang_cfg, get_pyphen  # type: ignore[import-untyped]

    tag = language.replace("-", "_")
    if tag.lower() == "en":
        tag = "en_US"  # textstat's default English; pyphen's bare "en" is British
    dictionary = pyphen.language_fallback(tag) if tag else None
    if dictionary is None:
        raise BiaskitError(
            f"readability needs a hyphenation dictionary for language {language!r}, and pyphen "
            "has none; use a tag such as 'en', 'en-GB' or 'de'"
        )
    hyphenator = get_pyphen(dictionary)
    words = count_words(text)
    sentences = count_sentences(text)
    syllables = sum(
        len(hyphenator.positions(word)) + 1 for word in list_words(text, lowercase=True)
    )
    per_sentence = words / sentences if sentences else 0.0
    per_word = syllables / words if words else 0.0
    if per_sentence == 0.0 or per_word == 0.0:
        ease = grade = 0.0
    else:
        root = tag.split("_")[0].lower()
        ease = (
            get_lang_cfg(root, "fre_base")
            - get_lang_cfg(root, "fre_sentence_length") * per_sentence
            - get_lang_cfg(root, "fre_syll_per_word") * per_word
        )
        a, b, c = _FLESCH_KINCAID
        grade = a * per_sentence + b * per_word - c
    return Readability(
        flesch_reading_ease=float(ease),
        flesch_kincaid_grade=float(grade),
        words=words,
        sentences=sentences,
        syllables=syllables,
        language=dictionary,
    )
