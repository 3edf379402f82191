r"""The variant registry: competing names for the same referent, and their matcher.

The same happening or actor gets different names in different outlets ("the
assassination", "the liquidation", "the death" of Soleimani); that choice is
the heart of source bias. The registry makes the competing names data. Each
:class:`Concept` (``soleimani_killing``, ``pmf`` ...) lists its
:class:`Variant`\ s, each with the forms it can take in text (inflections and
spellings, stored so no lemmatiser is needed) and a ``register``; one variant
is the concept's *anchor*, the point of comparison chosen by the written
criteria of the codebook, with the reason stored as ``rationale``.

The registry is a JSON file in the corpus folder (``annotations/variants.json``)
read by :func:`load_variants` or :func:`loads_variants`; docs/codebook.md
describes it.

Matching
--------
:func:`find_variants` returns a :class:`VariantMatch` for every occurrence of
every form of every variant, the anchor included:

- **case**: a form matches case-insensitively, except its acronym tokens (two
  or more capitals and no lower-case letter: ``US``, ``U.S.``, ``PMU``,
  ``KH``), which match exactly, so "us" the pronoun is never "US";
- **word boundaries**: a form never matches inside a longer word, nor as the
  part of a hyphenated compound ("Iranian" does not match in "pro-Iranian",
  "strike" does not match in "airstrike"); a possessive after the form is
  fine ("Soleimani’s");
- **spelling**: ``'`` and ``’`` are interchangeable, ``-`` also matches the
  Unicode hyphens, and a space between words matches any run of spaces or tabs
  (including a no-break space) but never a line break;
- **longest form wins**: within a concept, matches do not overlap; at one
  position the longest form is taken ("retaliatory strikes", not "strikes").
  Matches of different concepts may overlap;
- **boilerplate**: given the document's ``BOILERPLATE`` spans, no match
  overlapping them is returned and no referent cue inside them counts.

The coreference guard
---------------------
A word like "killed" names the killing of Soleimani only when Soleimani is
being talked about. Each concept lists *referent cues* (``Soleimani``,
``Suleimani``, ``the general`` ...), matched like forms. A match has a
referent when a cue occurs in its own sentence or in the previous sentence;
with ``guard=True`` (the default) only such matches are returned. A concept
without cues has no guard. The guard is a cheap filter, not coreference
resolution: it misses a referent three sentences back and accepts an
unrelated "killed" beside Soleimani's name, so its counts are candidates to be
checked against hand annotation.

Sentences (:func:`split_sentences`) never cross a line break; within a line a
sentence ends after ``.``, ``!``, ``?`` or ``…`` (and any closing quotes or
brackets) followed by white space, unless the next character is a lower-case
letter or the word before the full stop is an initialism ("U.S.") or a
common abbreviation ("Gen.", "Aug."). Sentences wholly inside boilerplate are
skipped, so the "previous sentence" is the previous one of the article.

Examples
--------
>>> from biaskit.model import Document
>>> registry = loads_variants('''{"biaskit": "variants", "format_version": 1,
...   "concepts": [{"id": "soleimani_killing", "label": "EVENT_TERM",
...     "referent": ["Soleimani"], "anchor": "killing", "rationale": "agent-explicit",
...     "variants": [
...       {"id": "killing", "register": "neutral", "forms": ["killing", "killed"]},
...       {"id": "assassination", "register": "loaded", "forms": ["assassination"]}]}]}''')
>>> doc = Document("d", "The US killed Soleimani. The assassination shocked Iran. "
...                     "Later, a soldier was killed.")
>>> [(doc.text[m.start:m.end], m.variant) for m in find_variants(doc, registry)]
[('killed', 'killing'), ('assassination', 'assassination')]
>>> count_variants(find_variants(doc, registry), registry, "soleimani_killing")
{'killing': 1, 'assassination': 1}
"""

from __future__ import annotations

import bisect
import functools
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from biaskit.errors import AnnotationError, Problem
from biaskit.model import Document, Span

__all__ = [
    "FORMAT_VERSION",
    "REGISTERS",
    "Concept",
    "Variant",
    "VariantMatch",
    "VariantRegistry",
    "count_variants",
    "find_variants",
    "load_variants",
    "loads_variants",
    "split_sentences",
]

FORMAT_VERSION = 1
"""The newest registry format version this biaskit reads and writes."""

REGISTERS: Mapping[str, tuple[str, ...]] = {
    "EVENT_TERM": ("neutral", "loaded", "euphemism", "dysphemism"),
    "ACTOR_LABEL": ("neutral", "loaded", "euphemism", "honorific", "pejorative"),
}
"""The registers a variant may have, by the label of its concept."""

_ID = re.compile(r"[a-z][a-z0-9_]*")


# ---------------------------------------------------------------------------
# Value objects.


def _id(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValueError(
            f"{attribute.name} must be lower-case letters, digits and '_', starting with a "
            f"letter, not {value!r}"
        )


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        raise TypeError("expected a sequence of strings, not a single string")
    return tuple(values)


def _forms_ok(
    _instance: object, attribute: attrs.Attribute[tuple[str, ...]], value: object
) -> None:
    assert isinstance(value, tuple)
    for form in value:
        if not isinstance(form, str) or not form.strip() or form != form.strip():
            raise ValueError(
                f"each of {attribute.name} must be a non-empty string without surrounding "
                f"whitespace, not {form!r}"
            )


def _form_key(form: str) -> str:
    """Return the form as the matcher sees it: apostrophes, hyphens and spaces unified."""
    return " ".join(form.replace("’", "'").replace("ʼ", "'").casefold().split())


@attrs.frozen
class Variant:
    """One competing name of a concept, with the forms it takes in text.

    Parameters
    ----------
    id : str
        Identifier within its concept (``"assassination"``), written into the
        ``variant`` attribute of hand-annotated spans.
    forms : tuple of str
        Every form to match: inflections and spellings ("assassination",
        "assassinations", "assassinated" ...).
    register : str
        How the variant words its referent; one of :data:`REGISTERS` for the
        concept's label.
    note : str
        Why the variant has its register.

    Examples
    --------
    >>> Variant("demise", ("demise",), register="euphemism").forms
    ('demise',)
    """

    id: str = attrs.field(validator=_id)
    forms: tuple[str, ...] = attrs.field(converter=_str_tuple, validator=_forms_ok)
    register: str = attrs.field(kw_only=True)
    note: str = attrs.field(default="", kw_only=True)

    @forms.validator
    def _check_forms(self, _attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
        assert isinstance(value, tuple)
        if not value:
            raise ValueError(f"variant {self.id!r} lists no forms")


def _variant_tuple(variants: Iterable[Variant]) -> tuple[Variant, ...]:
    return tuple(variants)


@attrs.frozen
class Concept:
    """A referent (an event or an actor) and its competing names.

    Parameters
    ----------
    id : str
        Identifier (``"soleimani_killing"``), written into the ``concept``
        attribute of hand-annotated spans.
    label : {"EVENT_TERM", "ACTOR_LABEL"}
        The label hand-annotated spans of its loaded variants take.
    variants : tuple of Variant
        Its competing names, in display order.
    anchor : str
        The id of the variant that is the point of comparison.
    rationale : str
        Why the anchor was chosen, by the codebook's written criteria.
    referent : tuple of str
        Cues at least one of which must occur in the same or the previous
        sentence for a match to count (the coreference guard); empty for no
        guard.
    description : str
        What the concept refers to.

    Raises
    ------
    ValueError
        If the anchor is not one of the variants or is not of register
        ``neutral``, if variant ids repeat, if two variants share a form, or a
        register is not allowed for the label.
    """

    id: str = attrs.field(validator=_id)
    label: str = attrs.field()
    variants: tuple[Variant, ...] = attrs.field(converter=_variant_tuple)
    anchor: str = attrs.field(kw_only=True)
    rationale: str = attrs.field(kw_only=True)
    referent: tuple[str, ...] = attrs.field(
        default=(), converter=_str_tuple, validator=_forms_ok, kw_only=True
    )
    description: str = attrs.field(default="", kw_only=True)

    @label.validator
    def _check_label(self, _attribute: attrs.Attribute[str], value: object) -> None:
        if value not in REGISTERS:
            raise ValueError(
                f"label of concept {self.id!r} must be one of {', '.join(REGISTERS)}, not {value!r}"
            )

    def __attrs_post_init__(self) -> None:
        if not self.variants:
            raise ValueError(f"concept {self.id!r} lists no variants")
        seen: dict[str, str] = {}
        ids: set[str] = set()
        for variant in self.variants:
            if not isinstance(variant, Variant):
                raise TypeError(f"variants must be Variant objects, not {type(variant).__name__}")
            if variant.id in ids:
                raise ValueError(f"concept {self.id!r} lists variant {variant.id!r} twice")
            ids.add(variant.id)
            if variant.register not in REGISTERS[self.label]:
                raise ValueError(
                    f"register of variant {variant.id!r} of {self.label} concept {self.id!r} "
                    f"must be one of {', '.join(REGISTERS[self.label])}, not {variant.register!r}"
                )
            for form in variant.forms:
                key = _form_key(form)
                if key in seen:
                    raise ValueError(
                        f"form {form!r} of concept {self.id!r} is in variants {seen[key]!r} "
                        f"and {variant.id!r}; a form must belong to one variant"
                    )
                seen[key] = variant.id
        if self.anchor not in ids:
            raise ValueError(
                f"anchor {self.anchor!r} of concept {self.id!r} is not one of its variants "
                f"({', '.join(v.id for v in self.variants)})"
            )
        if self.variant(self.anchor).register != "neutral":
            raise ValueError(f"anchor {self.anchor!r} of concept {self.id!r} must be neutral")
        if not self.rationale.strip():
            raise ValueError(f"concept {self.id!r} needs a rationale for its anchor")

    def variant(self, variant_id: str) -> Variant:
        """Return the variant called ``variant_id``.

        Raises
        ------
        KeyError
            If the concept has no such variant.
        """
        for variant in self.variants:
            if variant.id == variant_id:
                return variant
        raise KeyError(
            f"concept {self.id!r} has no variant {variant_id!r}; "
            f"it has {', '.join(v.id for v in self.variants)}"
        )

    @property
    def anchor_variant(self) -> Variant:
        """The anchor, as a :class:`Variant`."""
        return self.variant(self.anchor)


def _concept_tuple(concepts: Iterable[Concept]) -> tuple[Concept, ...]:
    return tuple(concepts)


@attrs.frozen
class VariantRegistry:
    """The concepts of a corpus and their competing names.

    Parameters
    ----------
    concepts : tuple of Concept
        The concepts, in display order; ids are unique.
    name : str
        Name of the registry.
    version : str
        The codebook version the registry belongs to.
    description : str
        Free text.

    Examples
    --------
    >>> killing = Concept("k", "EVENT_TERM", [Variant("killing", ["killed"], register="neutral")],
    ...                   anchor="killing", rationale="plain")
    >>> registry = VariantRegistry([killing])
    >>> registry.concept("k").anchor_variant.forms, "k" in registry, len(registry)
    (('killed',), True, 1)
    """

    concepts: tuple[Concept, ...] = attrs.field(converter=_concept_tuple)
    name: str = attrs.field(default="variants", kw_only=True)
    version: str = attrs.field(default="", kw_only=True)
    description: str = attrs.field(default="", kw_only=True)

    @concepts.validator
    def _check_concepts(
        self, _attribute: attrs.Attribute[tuple[Concept, ...]], value: tuple[Concept, ...]
    ) -> None:
        ids: set[str] = set()
        for concept in value:
            if not isinstance(concept, Concept):
                raise TypeError(f"concepts must be Concept objects, not {type(concept).__name__}")
            if concept.id in ids:
                raise ValueError(f"concept {concept.id!r} appears twice")
            ids.add(concept.id)

    def concept(self, concept_id: str) -> Concept:
        """Return the concept called ``concept_id``.

        Raises
        ------
        KeyError
            If the registry has no such concept.
        """
        for concept in self.concepts:
            if concept.id == concept_id:
                return concept
        raise KeyError(
            f"no concept {concept_id!r}; the registry has {', '.join(c.id for c in self.concepts)}"
        )

    @property
    def concept_ids(self) -> tuple[str, ...]:
        """The concept ids, in registry order."""
        return tuple(c.id for c in self.concepts)

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self.concept_ids

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.concepts)

    def __len__(self) -> int:
        return len(self.concepts)


@attrs.frozen(order=True)
class VariantMatch:
    """One occurrence of a variant form in a document.

    Matches sort by position, then concept. The matched text is
    ``document.text[match.start:match.end]``.

    Parameters
    ----------
    start, end : int
        Code-point offsets, ``[start, end)``.
    concept, variant : str
        Ids of the concept and variant matched.
    label : str
        The concept's label (``EVENT_TERM`` or ``ACTOR_LABEL``).
    register : str
        The variant's register.
    form : str
        The registry form that matched (as written in the registry).
    anchor : bool
        Whether the variant is the concept's anchor.
    has_referent : bool
        Whether a referent cue is in the same or the previous sentence (always
        true for a concept without cues).
    """

    start: int
    end: int
    concept: str
    variant: str = attrs.field(kw_only=True)
    label: str = attrs.field(order=False, kw_only=True)
    register: str = attrs.field(order=False, kw_only=True)
    form: str = attrs.field(order=False, kw_only=True)
    anchor: bool = attrs.field(order=False, kw_only=True)
    has_referent: bool = attrs.field(order=False, kw_only=True)

    def to_span(self) -> Span:
        """Return the match as a span of the concept's label.

        Its attributes are ``concept``, ``variant`` and ``origin`` (``"biaskit.variants"``),
        which the framing schema allows on ``EVENT_TERM`` and ``ACTOR_LABEL``.

        >>> VariantMatch(4, 10, "k", variant="killing", label="EVENT_TERM", register="neutral",
        ...              form="killed", anchor=True, has_referent=True).to_span()
        ... # doctest: +ELLIPSIS
        Span(start=4, end=10, label='EVENT_TERM', attributes=FrozenMap({'concept': 'k', ...}), ...)
        """
        return Span(
            self.start,
            self.end,
            self.label,
            attributes={
                "concept": self.concept,
                "variant": self.variant,
                "origin": "biaskit.variants",
            },
        )


# ---------------------------------------------------------------------------
# Sentences.

_LINE = re.compile(r"[^\r\n]+")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+")
# Titles and month names that end in a full stop without ending a sentence.
_ABBREVIATIONS = frozenset(
    {
        *("mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "sgt", "capt", "cmdr"),
        *("adm", "sen", "rep", "gov", "pres", "st", "vs"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
    }
)


def _is_abbreviation(line: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and not line[word_start - 1].isspace():
        word_start -= 1
    word = line[word_start : dot + 1].lstrip("(\"'“‘")
    if _INITIALISM.fullmatch(word):
        return True
    return word[:-1].casefold() in _ABBREVIATIONS


def split_sentences(text: str) -> list[tuple[int, int]]:
    r"""Return the ``(start, end)`` offsets of the sentences of ``text``.

    A deliberately simple splitter, good enough for the coreference guard:
    sentences never cross a line break, and within a line a sentence ends
    after ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets)
    followed by white space, unless the next character is a lower-case letter
    or the full stop ends an initialism ("U.S.") or a listed abbreviation
    ("Gen.", "Aug."). Sentences are trimmed of surrounding white space; blank
    lines give none.

    Examples
    --------
    >>> text = "The U.S. struck. Gen. Smith said “yes.” Then\nA new line"
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['The U.S. struck.', 'Gen. Smith said “yes.”', 'Then', 'A new line']
    """
    sentences: list[tuple[int, int]] = []
    for line_match in _LINE.finditer(text):
        line = line_match.group()
        base = line_match.start()
        start = 0
        for end_match in _SENTENCE_END.finditer(line):
            end = end_match.end()
            rest = line[end:].lstrip()
            if not rest or rest[0].islower():
                continue
            punctuation = end_match.group()
            if (
                punctuation[0] == "."
                and len(punctuation.rstrip("\"'”’»)]")) == 1
                and _is_abbreviation(line, end_match.start())
            ):
                continue
            _add_trimmed(sentences, line, base, start, end)
            start = end
        _add_trimmed(sentences, line, base, start, len(line))
    return sentences


def _add_trimmed(
    sentences: list[tuple[int, int]], line: str, base: int, start: int, end: int
) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        sentences.append((base + start + lead, base + start + lead + len(stripped)))


# ---------------------------------------------------------------------------
# Matching.

_HYPHENS = "-‐‑"
_APOSTROPHES = "'’ʼ"


def _token_pattern(token: str) -> str:
    pieces = []
    for char in token:
        if char in _APOSTROPHES:
            pieces.append(f"[{_APOSTROPHES}]")
        elif char in _HYPHENS:
            pieces.append(f"[{_HYPHENS}]")
        else:
            pieces.append(re.escape(char))
    pattern = "".join(pieces)
    letters = [c for c in token if c.isalpha()]
    is_acronym = sum(c.isupper() for c in letters) >= 2 and not any(c.islower() for c in letters)
    return pattern if is_acronym else f"(?i:{pattern})"


def _form_pattern(form: str) -> str:
    body = r"[^\S\r\n]+".join(_token_pattern(token) for token in form.split())
    # Not inside a word, nor part of a hyphenated compound; a possessive may follow.
    return rf"(?<!\w)(?<!\w[{_HYPHENS}]){body}(?!\w)(?![{_HYPHENS}]\w)"


_WORD = re.compile(r"\w+")


@attrs.frozen
class _FormIndex:
    """Forms keyed by their first word, each with its compiled pattern, longest first."""

    by_word: dict[str, tuple[tuple[str, re.Pattern[str]], ...]]
    other: tuple[tuple[str, re.Pattern[str]], ...]
    """Forms not starting with a word character, tried at every position (rare)."""


@functools.lru_cache(maxsize=256)
def _form_index(forms: tuple[str, ...]) -> _FormIndex:
    by_word: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    other: list[tuple[str, re.Pattern[str]]] = []
    # Longest first, so that at one position the longest form wins.
    for form in sorted(set(forms), key=lambda f: (-len(f), f)):
        entry = (form, re.compile(_form_pattern(form)))
        first = _WORD.match(form)
        if first is None:
            other.append(entry)
        else:
            by_word.setdefault(first.group().lower(), []).append(entry)
    return _FormIndex({k: tuple(v) for k, v in by_word.items()}, tuple(other))


def _find_forms(text: str, forms: tuple[str, ...]) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, form)`` for each match, leftmost-longest, not overlapping.

    The same matches as one alternation of every form's pattern, but each
    form's pattern is tried only where its first word stands in the text,
    which keeps matching linear in the text for registries of any size.
    """
    index = _form_index(forms)
    if index.other:
        candidates: list[tuple[int, int, str]] = []
        for form, pattern in index.other:
            candidates += [(m.start(), -m.end(), form) for m in pattern.finditer(text)]
    else:
        candidates = []
    for word in _WORD.finditer(text):
        entries = index.by_word.get(word.group().lower())
        if entries is None:
            continue
        start = word.start()
        for form, pattern in entries:
            match = pattern.match(text, start)
            if match is not None:
                candidates.append((start, -match.end(), form))
                break
    last_end = -1
    for start, negative_end, form in sorted(candidates):
        if start >= last_end:
            last_end = -negative_end
            yield start, last_end, form


def _boilerplate_spans(spans: Iterable[Span]) -> list[tuple[int, int]]:
    return sorted((s.start, s.end) for s in spans if s.label == "BOILERPLATE")


def _overlaps_any(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _inside_any(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def find_variants(
    document: Document,
    registry: VariantRegistry,
    *,
    boilerplate: Iterable[Span] = (),
    guard: bool = True,
    concepts: Iterable[str] | None = None,
) -> list[VariantMatch]:
    r"""Return every occurrence of every variant form in a document.

    Parameters
    ----------
    document : Document
        The document to search.
    registry : VariantRegistry
        The concepts and their variants.
    boilerplate : iterable of Span
        Spans of the document; those labelled ``BOILERPLATE`` are excluded: no
        match overlapping one is returned and no referent cue inside one
        counts. Passing all spans of an annotation set is fine.
    guard : bool
        Keep only matches with a referent cue in the same or the previous
        sentence (see the module docstring). With ``False``, every match is
        returned and ``has_referent`` tells which would pass.
    concepts : iterable of str or None
        Ids of the concepts to search for; None for all.

    Returns
    -------
    list of VariantMatch
        Sorted by position, then concept.

    Raises
    ------
    KeyError
        If ``concepts`` names a concept the registry does not have.

    Examples
    --------
    >>> from biaskit.model import Document, Span
    >>> registry = VariantRegistry([
    ...     Concept("demise", "EVENT_TERM",
    ...             [Variant("death", ["death", "died"], register="neutral")],
    ...             anchor="death", rationale="plain", referent=["Soleimani"])])
    >>> doc = Document("d", "Soleimani died.\nA man was hurt.\nRead more: the death of Soleimani"
    ...                     "\nA man died.")
    >>> [(m.start, m.variant) for m in find_variants(doc, registry)]
    [(10, 'death'), (47, 'death'), (72, 'death')]

    The last "died" passes only through the link, which is boilerplate:

    >>> link = Span(32, 65, "BOILERPLATE")
    >>> [(m.start, m.has_referent) for m in find_variants(doc, registry, boilerplate=[link],
    ...                                                  guard=False)]
    [(10, True), (72, False)]
    """
    text = document.text
    skipped = _boilerplate_spans(boilerplate)
    selected = (
        registry.concepts
        if concepts is None
        else tuple(registry.concept(c) for c in dict.fromkeys(concepts))
    )
    sentences = [s for s in split_sentences(text) if not _inside_any(s[0], s[1], skipped)]
    starts = [s for s, _ in sentences]

    def sentence_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset) - 1

    found: list[VariantMatch] = []
    for concept in selected:
        forms = {form: variant for variant in concept.variants for form in variant.forms}
        cue_sentences: set[int] = set()
        if concept.referent:
            for cue_start, cue_end, _ in _find_forms(text, concept.referent):
                if not _overlaps_any(cue_start, cue_end, skipped):
                    cue_sentences.add(sentence_of(cue_start))
        for start, end, form in _find_forms(text, tuple(forms)):
            if _overlaps_any(start, end, skipped):
                continue
            index = sentence_of(start)
            has_referent = not concept.referent or (
                index >= 0 and (index in cue_sentences or index - 1 in cue_sentences)
            )
            if guard and not has_referent:
                continue
            variant = forms[form]
            found.append(
                VariantMatch(
                    start,
                    end,
                    concept.id,
                    variant=variant.id,
                    label=concept.label,
                    register=variant.register,
                    form=form,
                    anchor=variant.id == concept.anchor,
                    has_referent=has_referent,
                )
            )
    return sorted(found)


def count_variants(
    matches: Iterable[VariantMatch], registry: VariantRegistry, concept: str
) -> dict[str, int]:
    """Return how many matches each variant of ``concept`` has, zeros included.

    The keys are the concept's variant ids in registry order, so that a table
    of outlets shows "3 × assassination, 0 × killing" rather than leaving the
    anchor out.

    Raises
    ------
    KeyError
        If the registry has no such concept.
    """
    counts = {variant.id: 0 for variant in registry.concept(concept).variants}
    for match in matches:
        if match.concept == concept:
            counts[match.variant] += 1
    return counts


# ---------------------------------------------------------------------------
# Reading the registry file, with located problems.

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_Path = tuple[str | int, ...]


def _positions(text: str) -> tuple[dict[_Path, int], dict[_Path, int], list[tuple[_Path, int]]]:
    """Return the offsets of the values and object keys of valid JSON, by path.

    The third item lists the keys given twice in one object, with their offsets.
    """
    values: dict[_Path, int] = {}
    keys: dict[_Path, int] = {}
    repeated: list[tuple[_Path, int]] = []
    decoder = json.JSONDecoder()

    def skip(i: int) -> int:
        match = _WHITESPACE.match(text, i)
        assert match is not None
        return match.end()

    def value(i: int, path: _Path) -> int:
        i = skip(i)
        values[path] = i
        char = text[i]
        if char == "{":
            i = skip(i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                i = skip(i)
                key_at = i
                key, i = decoder.raw_decode(text, i)
                key_path = (*path, str(key))
                if key_path in keys:
                    repeated.append((key_path, key_at))
                keys[key_path] = key_at
                i = skip(i) + 1  # the colon
                i = skip(value(i, key_path))
                if text[i] == "}":
                    return i + 1
                i += 1  # the comma
        if char == "[":
            i = skip(i + 1)
            if text[i] == "]":
                return i + 1
            index = 0
            while True:
                i = skip(value(i, (*path, index)))
                index += 1
                if text[i] == "]":
                    return i + 1
                i += 1
        end: int = decoder.raw_decode(text, i)[1]
        return end

    value(0, ())
    return values, keys, repeated


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return {
        dict: "an object",
        list: "an array",
        str: "a string",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


_TYPE_NAMES: dict[type, str] = {str: "a string", int: "an integer", list: "an array"}


class _Reader:
    """Check a parsed registry record, collecting located problems."""

    def __init__(self, text: str, shown: str) -> None:
        self.text = text
        self.shown = shown
        self.values, self.keys, repeated = _positions(text)
        self.problems: list[Problem] = []
        for path, offset in repeated:
            self.add(
                f"field {path[-1]!r} is given twice in one object; expected each once",
                "duplicate-field",
                path,
                offset=offset,
            )

    def add(
        self, message: str, code: str, path: _Path, *, key: bool = False, offset: int | None = None
    ) -> None:
        where = offset if offset is not None else self.keys.get(path) if key else None
        if where is None:
            where = self.values.get(path)
        probe = path
        while where is None and probe:
            probe = probe[:-1]
            where = self.values.get(probe)
        offset = where or 0
        line = self.text.count("\n", 0, offset) + 1
        col = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        self.problems.append(Problem(message, code, "error", self.shown, line, col))

    def fields(
        self,
        record: Mapping[str, Any],
        path: _Path,
        what: str,
        required: Mapping[str, tuple[type, ...]],
        optional: Mapping[str, tuple[type, ...]],
    ) -> bool:
        """Check required, optional and unknown fields; return whether all are usable."""
        ok = True
        for name in record:
            if name not in required and name not in optional:
                allowed = ", ".join(sorted({*required, *optional}))
                self.add(
                    f"unknown field {name!r} in {what}; expected one of {allowed}",
                    "unknown-field",
                    (*path, name),
                    key=True,
                )
                ok = False
        for name, kinds in {**required, **optional}.items():
            if name not in record:
                if name in required:
                    self.add(f"{what} has no {name!r}", "missing-field", path)
                    ok = False
                continue
            found = record[name]
            if not isinstance(found, kinds) or (isinstance(found, bool) and bool not in kinds):
                expected = " or ".join(_TYPE_NAMES[k] for k in kinds)
                self.add(
                    f"{name!r} of {what} must be {expected}, not {_json_type(found)}",
                    "wrong-type",
                    (*path, name),
                )
                ok = False
        return ok

    def strings(self, items: list[Any], path: _Path, what: str) -> bool:
        ok = True
        for index, item in enumerate(items):
            if not isinstance(item, str):
                self.add(
                    f"each of {what} must be a string, not {_json_type(item)}",
                    "wrong-type",
                    (*path, index),
                )
                ok = False
            elif not item.strip() or item != item.strip():
                self.add(
                    f"each of {what} must be a non-empty string without surrounding "
                    f"whitespace, not {item!r}",
                    "invalid-value",
                    (*path, index),
                )
                ok = False
        return ok

    def identifier(self, value: str, path: _Path, what: str) -> bool:
        if _ID.fullmatch(value):
            return True
        self.add(
            f"{what} must be lower-case letters, digits and '_' starting with a letter, "
            f"not {value!r}",
            "invalid-value",
            path,
        )
        return False

    def registry(self, record: object) -> VariantRegistry | None:
        if not isinstance(record, dict):
            self.add(
                f"expected a JSON object holding the registry, found {_json_type(record)}",
                "wrong-type",
                (),
            )
            return None
        kind = record.get("biaskit")
        if kind != "variants":
            self.add(
                f'expected "biaskit": "variants" in the registry, found {kind!r}',
                "wrong-file",
                ("biaskit",),
            )
            return None
        version = record.get("format_version")
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            self.add(
                f"the registry is in format {version}, newer than this biaskit reads "
                f"({FORMAT_VERSION}); upgrade biaskit",
                "format-version",
                ("format_version",),
            )
            return None
        top_ok = self.fields(
            record,
            (),
            "the registry",
            {"biaskit": (str,), "format_version": (int,), "concepts": (list,)},
            {"name": (str,), "version": (str,), "description": (str,)},
        )
        concepts: list[Concept] = []
        seen: dict[str, int] = {}
        raw_concepts = record.get("concepts")
        for index, raw in enumerate(raw_concepts if isinstance(raw_concepts, list) else []):
            concept = self.concept(raw, ("concepts", index))
            if concept is None:
                continue
            if concept.id in seen:
                self.add(
                    f"concept id {concept.id!r} repeats concept {seen[concept.id] + 1}; "
                    "expected unique ids",
                    "duplicate-id",
                    ("concepts", index, "id"),
                )
                continue
            seen[concept.id] = index
            concepts.append(concept)
        if not top_ok or self.problems:
            return None
        return VariantRegistry(
            concepts,
            name=record.get("name", "variants"),
            version=record.get("version", ""),
            description=record.get("description", ""),
        )

    def concept(self, raw: object, path: _Path) -> Concept | None:
        if not isinstance(raw, dict):
            self.add(f"each concept must be an object, not {_json_type(raw)}", "wrong-type", path)
            return None
        cid = raw.get("id")
        what = f"concept {cid!r}" if isinstance(cid, str) else "a concept without an id"
        ok = self.fields(
            raw,
            path,
            what,
            {
                "id": (str,),
                "label": (str,),
                "anchor": (str,),
                "rationale": (str,),
                "variants": (list,),
            },
            {"description": (str,), "referent": (list,)},
        )
        if not ok:
            return None
        ok = self.identifier(raw["id"], (*path, "id"), "a concept id")
        label = raw["label"]
        if label not in REGISTERS:
            self.add(
                f"label of {what} must be one of {', '.join(REGISTERS)}, not {label!r}",
                "invalid-value",
                (*path, "label"),
            )
            return None
        if not raw["rationale"].strip():
            self.add(
                f"{what} needs a rationale for its anchor", "invalid-value", (*path, "rationale")
            )
            ok = False
        referent = raw.get("referent", [])
        ok = self.strings(referent, (*path, "referent"), f"the referent cues of {what}") and ok
        if not raw["variants"]:
            self.add(f"{what} lists no variants", "invalid-value", (*path, "variants"))
            return None
        variants: list[Variant] = []
        forms: dict[str, str] = {}
        ids: set[str] = set()
        for index, item in enumerate(raw["variants"]):
            vpath = (*path, "variants", index)
            variant = self.variant(item, vpath, what, label)
            if variant is None:
                ok = False
                continue
            if variant.id in ids:
                self.add(
                    f"variant id {variant.id!r} appears twice in {what}",
                    "duplicate-id",
                    (*vpath, "id"),
                )
                ok = False
            ids.add(variant.id)
            for findex, form in enumerate(variant.forms):
                key = _form_key(form)
                if key in forms:
                    self.add(
                        f"form {form!r} of variant {variant.id!r} is already a form of "
                        f"variant {forms[key]!r} in {what}; a form must belong to one variant",
                        "duplicate-id",
                        (*vpath, "forms", findex),
                    )
                    ok = False
                forms.setdefault(key, variant.id)
            variants.append(variant)
        anchor = raw["anchor"]
        if ok and anchor not in ids:
            self.add(
                f"anchor {anchor!r} of {what} is not one of its variants "
                f"({', '.join(v.id for v in variants)})",
                "invalid-value",
                (*path, "anchor"),
            )
            ok = False
        elif ok and next(v for v in variants if v.id == anchor).register != "neutral":
            self.add(
                f"anchor {anchor!r} of {what} must be a variant of register 'neutral'",
                "invalid-value",
                (*path, "anchor"),
            )
            ok = False
        if not ok:
            return None
        return Concept(
            raw["id"],
            label,
            variants,
            anchor=anchor,
            rationale=raw["rationale"],
            referent=referent,
            description=raw.get("description", ""),
        )

    def variant(self, raw: object, path: _Path, concept: str, label: str) -> Variant | None:
        if not isinstance(raw, dict):
            self.add(
                f"each variant of {concept} must be an object, not {_json_type(raw)}",
                "wrong-type",
                path,
            )
            return None
        vid = raw.get("id")
        what = (
            f"variant {vid!r} of {concept}" if isinstance(vid, str) else f"a variant of {concept}"
        )
        ok = self.fields(
            raw,
            path,
            what,
            {"id": (str,), "register": (str,), "forms": (list,)},
            {"note": (str,)},
        )
        if not ok:
            return None
        ok = self.identifier(raw["id"], (*path, "id"), "a variant id")
        if raw["register"] not in REGISTERS[label]:
            self.add(
                f"register of {what} must be one of {', '.join(REGISTERS[label])} for "
                f"{label}, not {raw['register']!r}",
                "invalid-value",
                (*path, "register"),
            )
            ok = False
        if not raw["forms"]:
            self.add(f"{what} lists no forms", "invalid-value", (*path, "forms"))
            ok = False
        ok = self.strings(raw["forms"], (*path, "forms"), f"the forms of {what}") and ok
        if not ok:
            return None
        return Variant(raw["id"], raw["forms"], register=raw["register"], note=raw.get("note", ""))


def loads_variants(text: str, *, source: str = "<string>") -> VariantRegistry:
    r"""Parse the text of a variant registry.

    Parameters
    ----------
    text : str
        The JSON text.
    source : str
        The name problems are located in (a file name).

    Raises
    ------
    AnnotationError
        Holding every problem found, each located as ``source:line:col``:
        invalid JSON, a wrong header or newer format version, missing,
        unknown or mistyped fields, bad ids or registers, repeated ids or
        forms, an anchor that is not a neutral variant.

    Examples
    --------
    >>> loads_variants('{"biaskit": "variants", "format_version": 1,\n "concepts": 3}',
    ...                source="variants.json")
    Traceback (most recent call last):
    ...
    biaskit.errors.AnnotationError: variants.json:2:14: error: 'concepts' of the registry must be an array, not a number [wrong-type]
    """  # noqa: E501
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnnotationError(
            [
                Problem(
                    f"invalid JSON: {exc.msg}",
                    "json-syntax",
                    "error",
                    source,
                    exc.lineno,
                    exc.colno,
                )
            ]
        ) from None
    reader = _Reader(text, source)
    registry = reader.registry(record)
    if registry is None:
        raise AnnotationError(reader.problems)
    return registry


def load_variants(path: str | os.PathLike[str]) -> VariantRegistry:
    """Read a variant registry file (``annotations/variants.json``).

    Raises
    ------
    AnnotationError
        Holding every problem found, located in the file (see
        :func:`loads_variants`), or a problem of code ``unreadable`` /
        ``encoding`` if the file cannot be read as UTF-8.
    """
    path = Path(path)
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise AnnotationError(
            [Problem(f"bytes that are not UTF-8 at byte {exc.start}", "encoding", path=shown)]
        ) from None
    except OSError as exc:
        raise AnnotationError(
            [Problem(f"cannot read the registry: {exc.strerror}", "unreadable", path=shown)]
        ) from exc
    return loads_variants(text, source=shown)
