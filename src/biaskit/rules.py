r"""Rule detectors: the codebook's mechanical tests as functions over a document.

Each detector reads one :class:`~biaskit.model.Document` and returns
:class:`~biaskit.model.Span`\ s that validate under the shipped schema
(codebook 1.1), each with the attribute ``origin="biaskit.rules.<detector>"``.
They serve two purposes: pre-annotation (:func:`annotate`, the command
``biaskit annotate --rules``) and features for the classifier.

- :func:`scare_quotes` -- the ordered scare-quote test of codebook section 6:
  ``SCARE_QUOTE`` spans, and the ``ATTRIBUTION`` cue of every attributed
  quotation with its ``quote_type``;
- :func:`reporting_verbs` -- every reporting cue as ``ATTRIBUTION`` with its
  ``verb_stance`` (neutral, distancing, endorsing, emotive) and ``quote_type``;
- :func:`hedges_and_boosters` -- unsourced hedges and boosters as ``EPISTEMIC``
  with ``direction`` (down, up);
- :func:`variant_terms` -- the non-neutral variants of the registry
  (:func:`biaskit.variants.find_variants`) as ``EVENT_TERM`` / ``ACTOR_LABEL``;
- :func:`rule_spans` -- all of them together.

Every detector takes ``boilerplate``: spans of the document, of which those
labelled ``BOILERPLATE`` are excluded (precedence rule P1): no span
overlapping one is returned, and the sentences inside one are skipped when a
rule looks at "the previous sentence". The word lists are JSON files in
``biaskit/lexicons/`` (package data, read on first use), written for biaskit
from the codebook, with every inflected form listed so that no lemmatiser is
needed. Everything is regular expressions compiled once, so a document costs
time linear in its length.

The scare-quote test, as implemented
------------------------------------
Quotation marks: straight or curly, single or double, guillemets (« » ‹ ›) and
low marks („ ‚). An opening mark pairs with the next closing mark of the same
kind (double or single) on the same line (paragraph); a curly opening mark may
close with a straight one. ``’`` or ``'`` between two letters (``Iran’s``) is
an apostrophe, and ``’`` with no open single quote (``troops’ base``) is a
possessive. Pairs nested inside another pair are the speaker's own marks and
are not tested. Then, for each pair outside boilerplate, the first step that
decides:

1. *mention, title or name* -- a mention cue (``the word``, ``titled``,
   ``dubbed``, ``operation`` ...) just before the marks, or a string whose
   every content word is capitalised and holds no contested label
   (``‘Green Zone’``): no span.
2. *attribution frame* -- in order: the last reporting cue before the marks in
   the same sentence; a cue after the marks in the same sentence, within six
   words, when the quotation ends in clause punctuation (``“…,” the mission
   said``), together with any later cue of that sentence; in a headline, a
   source name after a dash at the end of the line (``'…' – CENTCOM``, which
   becomes the ``ATTRIBUTION`` span); a speaker and a colon; a continuation of
   the previous direct quotation (same or next paragraph, opening its
   sentence, no cue in between: framed, but no second cue); a cue in the
   previous sentence when the quotation opens its sentence. No frame:
   ``SCARE_QUOTE`` with ``polarity=negative``.
3. *direct quote* -- a finite verb (an auxiliary or modal, a pronoun subject
   followed by a word, a listed finite lexical verb, or an ``-ed`` form after a
   word that is not a determiner, preposition or auxiliary) and either clause
   punctuation before the closing mark or six or more words: the cue gets
   ``quote_type=direct``.
4. *fragment* -- the cue gets ``quote_type=partial``; with one to five words and
   an attitude cue it is also a ``SCARE_QUOTE`` (``voice_origin=external``,
   ``attitude=distancing``). Attitude cues detected: *so-called* /
   *self-styled* / "what X calls" before the marks; a contrast or negation
   word just before them; the same string in quotation marks elsewhere in the
   document; a contested label among its words (then alone:
   ``polarity=neutral``, else ``negative``). Irony is not detected.

*so-called* and *self-styled* without marks are ``SCARE_QUOTE`` spans with
``marker=so-called`` / ``self-styled`` from the marker through the next words
of the distanced term (at most two, up to a function word or punctuation).

Attributes the rules cannot decide (the *source* of a cue, *voice_origin* of an
unframed scare quote, the *target* and *polarity* of hedges) are left out for
the annotator to fill in.

Examples
--------
>>> from biaskit.model import Document
>>> doc = Document("d", "Officials say Iran and its “satellites” fired. "
...                     "Pulling out the ‘Iran threat’ card, he announced plans.")
>>> [(doc.text[s.start:s.end], s.label) for s in scare_quotes(doc)]
[('say', 'ATTRIBUTION'), ('“satellites”', 'SCARE_QUOTE'), ('‘Iran threat’', 'SCARE_QUOTE')]
>>> [(doc.text[s.start:s.end], s.attributes["verb_stance"], s.attributes["quote_type"])
...  for s in reporting_verbs(doc)]
[('say', 'neutral', 'partial'), ('announced', 'neutral', 'indirect')]
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

import attrs

from biaskit.clean import find_boilerplate
from biaskit.corpus import Corpus
from biaskit.errors import BiaskitError
from biaskit.model import AnnotationSet, AttributeValue, Document, Span, merge_intervals
from biaskit.tokens import tokenize
from biaskit.variants import VariantRegistry, find_variants, split_sentences

__all__ = [
    "DETECTORS",
    "annotate",
    "hedges_and_boosters",
    "reporting_verbs",
    "rule_spans",
    "scare_quotes",
    "variant_terms",
]

DETECTORS: Mapping[str, tuple[str, ...]] = {
    "scare_quotes": ("SCARE_QUOTE", "ATTRIBUTION"),
    "reporting_verbs": ("ATTRIBUTION",),
    "hedges_and_boosters": ("EPISTEMIC",),
    "variant_terms": ("EVENT_TERM", "ACTOR_LABEL"),
}
"""Each detector's name (its ``origin`` suffix) and the labels it returns."""

_ORIGIN = "biaskit.rules."
_SPACE = r"[^\S\r\n]"
_HYPHENS = "-‐‑"
_HYPHEN_CLASS = r"\-‐‑"  # for use inside [...]
_APOSTROPHES = "'’ʼ"

# ---------------------------------------------------------------------------
# Lexicons: package data, read and compiled on first use.


@functools.cache
def _lexicon(name: str) -> dict[str, Any]:
    resource = resources.files("biaskit").joinpath("lexicons").joinpath(f"{name}.json")
    try:
        data = json.loads(resource.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # a broken installation, not a user's mistake
        raise BiaskitError(
            f"the packaged lexicon lexicons/{name}.json cannot be read: {exc}"
        ) from exc
    if not isinstance(data, dict) or data.get("biaskit") != "lexicon":
        raise BiaskitError(f"lexicons/{name}.json is not a biaskit lexicon")
    return data


_UNIFY = str.maketrans({"’": "'", "ʼ": "'", "‐": "-", "‑": "-"})


def _key(text: str) -> str:
    """Return a form as lookups see it: case-folded, apostrophes, hyphens and spaces unified."""
    return " ".join(text.translate(_UNIFY).casefold().split())


def _form_pattern(form: str) -> str:
    pieces = []
    for char in form:
        if char in _APOSTROPHES:
            pieces.append(f"[{_APOSTROPHES}]")
        elif char in _HYPHENS:
            pieces.append(f"[{_HYPHEN_CLASS}]")
        elif char == " ":
            pieces.append(f"{_SPACE}+")
        else:
            pieces.append(re.escape(char))
    return "".join(pieces)


def _words_pattern(words: Iterable[str]) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    alternatives = []
    for word in ordered:
        body = _form_pattern(word)
        # A word must end at a word boundary; punctuation stands alone.
        alternatives.append(body + (r"(?!\w)" if word[-1:].isalnum() else ""))
    return "(?:" + "|".join(alternatives) + ")"


def _after(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(f"{_SPACE}*{_words_pattern(words)}", re.IGNORECASE)


def _before(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w{_HYPHEN_CLASS}]){_words_pattern(words)}{_SPACE}*\Z", re.IGNORECASE)


@attrs.frozen
class _Entry:
    """One lexicon entry with its constraints compiled."""

    data: Mapping[str, Any]
    after: re.Pattern[str] | None
    not_after: re.Pattern[str] | None
    before: re.Pattern[str] | None
    not_before: re.Pattern[str] | None

    def accepts(self, text: str, start: int, end: int) -> bool:
        if self.after is not None and not self.after.match(text, end):
            return False
        if self.not_after is not None and self.not_after.match(text, end):
            return False
        if self.before is None and self.not_before is None:
            return True
        window = _line_window(text, start)
        if self.before is not None and not self.before.search(window):
            return False
        return not (self.not_before is not None and self.not_before.search(window))


def _line_window(text: str, start: int, width: int = 60) -> str:
    window = text[max(0, start - width) : start]
    cut = max(window.rfind("\n"), window.rfind("\r"))
    return window[cut + 1 :]


_WORD = re.compile(rf"\w+(?:[{_HYPHEN_CLASS}{_APOSTROPHES}]\w+)*")
_SEEN_BOUND = 100_000


@attrs.frozen
class _Matcher:
    """A lexicon indexed by first word: each word of a text is looked up once.

    One alternation of every form would be tried at every position of the
    text; indexing by first word keeps the cost linear in the number of words.
    """

    # first word -> (compiled form, entry), longest form first
    index: Mapping[str, tuple[tuple[re.Pattern[str], _Entry], ...]]
    # word as written -> its index entry: news vocabulary repeats, so most
    # words skip case-folding; cleared when it grows past _SEEN_BOUND words
    _seen: dict[str, tuple[tuple[re.Pattern[str], _Entry], ...] | None] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )

    def _lookup(self, word: str) -> tuple[tuple[re.Pattern[str], _Entry], ...] | None:
        try:
            return self._seen[word]
        except KeyError:
            if len(self._seen) >= _SEEN_BOUND:
                self._seen.clear()
            found = self._seen[word] = self.index.get(word.translate(_UNIFY).casefold())
            return found

    def find(self, text: str) -> list[tuple[int, int, _Entry]]:
        found = []
        last_end = 0
        for word in _WORD.finditer(text):
            start = word.start()
            candidates = self._lookup(word.group())
            if candidates is None or start < last_end:
                continue
            for pattern, entry in candidates:
                match = pattern.match(text, start)
                if match is not None:
                    if entry.accepts(text, start, match.end()):
                        found.append((start, match.end(), entry))
                        last_end = match.end()
                    break
        return found


@functools.cache
def _matcher(name: str) -> _Matcher:
    forms: list[tuple[str, _Entry]] = []
    for raw in _lexicon(name)["entries"]:
        entry = _Entry(
            raw,
            _after(raw["after"]) if "after" in raw else None,
            _after(raw["not_after"]) if "not_after" in raw else None,
            _before(raw["before"]) if "before" in raw else None,
            _before(raw["not_before"]) if "not_before" in raw else None,
        )
        forms.extend((form, entry) for form in raw["forms"])
    index: dict[str, list[tuple[re.Pattern[str], _Entry]]] = {}
    for form, entry in sorted(forms, key=lambda item: (-len(item[0]), item[0])):
        body = _form_pattern(form) + rf"(?!\w)(?![{_HYPHEN_CLASS}]\w)"
        flags = 0 if entry.data.get("case_sensitive") else re.IGNORECASE
        index.setdefault(_key(form.split()[0]), []).append((re.compile(body, flags), entry))
    return _Matcher({word: tuple(candidates) for word, candidates in index.items()})


@attrs.frozen
class _QuoteWords:
    """The word lists of the scare-quote test, compiled."""

    contested: frozenset[str]
    function_words: frozenset[str]
    determiners: frozenset[str]
    auxiliaries: frozenset[str]
    pronouns: frozenset[str]
    lexical_verbs: frozenset[str]
    non_finite_before: frozenset[str]
    marker_before: re.Pattern[str]
    what_calls_before: re.Pattern[str]
    contrast_before: re.Pattern[str]
    mention_before: re.Pattern[str]
    bare_marker: re.Pattern[str]
    headline_source: re.Pattern[str]
    speaker_colon: re.Pattern[str]


@functools.cache
def _quote_words() -> _QuoteWords:
    data = _lexicon("quotes")
    determiners = data["determiners"]
    det = _words_pattern(determiners)
    dashes = "".join(re.escape(d) for d in data["headline_dashes"])
    name_word = r"[A-Z][\w.&'’\-]*"
    return _QuoteWords(
        contested=frozenset(_key(w) for w in data["contested_labels"]),
        function_words=frozenset(_key(w) for w in data["function_words"]),
        determiners=frozenset(_key(w) for w in determiners),
        auxiliaries=frozenset(_key(w) for w in data["finite_auxiliaries"]),
        pronouns=frozenset(_key(w) for w in data["subject_pronouns"]),
        lexical_verbs=frozenset(_key(w) for w in data["finite_lexical_verbs"]),
        non_finite_before=frozenset(_key(w) for w in data["non_finite_before"]),
        marker_before=_before(data["distance_markers"]),
        what_calls_before=re.compile(
            rf"(?<!\w)what{_SPACE}+(?:[\w'’\-]+{_SPACE}+){{1,3}}call(?:s|ed)?{_SPACE}*\Z",
            re.IGNORECASE,
        ),
        contrast_before=re.compile(
            rf"(?<![\w\-]){_words_pattern(data['contrast_cues'])}(?:{_SPACE}+{det})?{_SPACE}*\Z",
            re.IGNORECASE,
        ),
        mention_before=re.compile(
            rf"(?<![\w\-]){_words_pattern(data['mention_cues'])}"
            rf"(?:{_SPACE}+(?:of|as|is|was|called))?{_SPACE}*[,:]?{_SPACE}*\Z",
            re.IGNORECASE,
        ),
        bare_marker=re.compile(
            rf"(?<![\w\-]){_words_pattern(data['distance_markers'])}", re.IGNORECASE
        ),
        headline_source=re.compile(
            rf"{_SPACE}*[{dashes}]{_SPACE}+({name_word}(?:{_SPACE}+{name_word}){{0,3}}){_SPACE}*(?=[\r\n]|\Z)"
        ),
        speaker_colon=re.compile(rf"{name_word}(?:{_SPACE}+{name_word}){{0,3}}:{_SPACE}*\Z"),
    )


# ---------------------------------------------------------------------------
# Quotation marks.

_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
_SINGLE_OPEN = "‘‚‹"
_SINGLE_CLOSE = "’›"


_QUOTE_CHAR = re.compile("[\"'“”„«»‘’‚‹›ʼ]")
_LINE_BREAK = re.compile(r"[\r\n]")


def _quote_pairs(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of each quotation, marks included, not nested, sorted."""
    pairs: list[tuple[int, int]] = []
    breaks = [m.start() for m in _LINE_BREAK.finditer(text)]
    pending: dict[str, int | None] = {"double": None, "single": None}
    close = functools.partial(_close, text, pairs, pending)
    line = -1
    for mark in _QUOTE_CHAR.finditer(text):
        i = mark.start()
        here = bisect.bisect_left(breaks, i)
        if here != line:  # a new line (paragraph): unclosed marks are dropped
            line = here
            pending["double"] = pending["single"] = None
        line_start = breaks[here - 1] + 1 if here > 0 else 0
        line_end = breaks[here] if here < len(breaks) else len(text)
        char = mark.group()
        before = text[i - 1] if i > line_start else " "
        after = text[i + 1] if i + 1 < line_end else " "
        if char in "“":
            opened = pending["double"]
            if opened is not None and text[opened] == "„":
                close("double", i)
            else:
                pending["double"] = i
        elif char in _DOUBLE_OPEN:
            pending["double"] = i
        elif char in _DOUBLE_CLOSE:
            if pending["double"] is not None:
                close("double", i)
            elif not before.isalnum() and after.isalnum():
                pending["double"] = i  # a closing mark used to open
        elif char == '"':
            if pending["double"] is not None and not (before.isspace() and not after.isspace()):
                close("double", i)
            elif not after.isspace() and not before.isalnum():
                pending["double"] = i
        elif before.isalnum() and after.isalnum():
            continue  # an apostrophe inside a word: Iran’s, doesn't
        elif char in _SINGLE_OPEN:
            pending["single"] = i
        elif char in _SINGLE_CLOSE or char == "ʼ":
            if pending["single"] is not None and not before.isspace():
                close("single", i)
        elif pending["single"] is not None and not before.isspace():
            close("single", i)
        elif not before.isalnum() and after.isalnum():
            pending["single"] = i
    pairs.sort()
    outer: list[tuple[int, int]] = []
    for start, end in pairs:
        if outer and start < outer[-1][1]:
            continue  # nested inside the previous pair
        outer.append((start, end))
    return outer


def _close(
    text: str, pairs: list[tuple[int, int]], pending: dict[str, int | None], kind: str, index: int
) -> None:
    opened = pending[kind]
    if opened is not None and any(c.isalnum() for c in text[opened + 1 : index]):
        pairs.append((opened, index + 1))
    pending[kind] = None


# ---------------------------------------------------------------------------
# The analysis shared by the detectors.


@attrs.frozen
class _Cue:
    start: int
    end: int
    stance: str
    headline: bool = False


@attrs.frozen
class _Quote:
    start: int
    end: int
    step: str  # "mention", "unframed", "direct" or "partial"
    cues: tuple[_Cue, ...] = ()
    framed: bool = False
    attitude: tuple[str, ...] = ()

    @property
    def is_scare(self) -> bool:
        return self.step == "unframed" or (self.step == "partial" and bool(self.attitude))


@attrs.frozen
class _Analysis:
    text: str
    skipped: tuple[tuple[int, int], ...]
    cues: tuple[_Cue, ...]
    quotes: tuple[_Quote, ...]

    def quoted(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside an attributed quotation."""
        return any(q.framed and q.start < start and end < q.end for q in self.quotes)


def _skipped(boilerplate: Iterable[Span]) -> tuple[tuple[int, int], ...]:
    return tuple(merge_intervals((s.start, s.end) for s in boilerplate if s.label == "BOILERPLATE"))


def _overlaps(start: int, end: int, skipped: Sequence[tuple[int, int]]) -> bool:
    # ``skipped`` is merged and sorted: only the last interval starting before ``end`` can overlap.
    i = bisect.bisect_left(skipped, (end,))
    return i > 0 and skipped[i - 1][1] > start


def _word_tokens(text: str, start: int, end: int) -> list[str]:
    return [
        _key(text[start + s : start + e])
        for s, e in tokenize(text[start:end])
        if any(c.isalnum() for c in text[start + s : start + e])
    ]


def _has_finite_verb(words: Sequence[str], outside_before: str, qw: _QuoteWords) -> bool:
    previous = outside_before
    for i, word in enumerate(words):
        if word in qw.auxiliaries:
            return True
        if i > 0 and words[i - 1] in qw.pronouns and word.isalpha():
            return True
        if word in qw.lexical_verbs and previous not in qw.non_finite_before:
            return True
        if (
            i > 0
            and len(word) >= 5
            and word.endswith("ed")
            and word.isalpha()
            and previous not in qw.non_finite_before
            and previous not in qw.function_words
            and previous not in qw.pronouns
        ):
            return True
        previous = word
    return False


def _is_name(text: str, start: int, end: int, qw: _QuoteWords) -> bool:
    words = [text[start + s : start + e] for s, e in tokenize(text[start:end])]
    content = [w for w in words if any(c.isalpha() for c in w) and _key(w) not in qw.function_words]
    if not content or any(_key(w) in qw.contested for w in words):
        return False
    return all(w[0].isupper() for w in content) and len(content) <= 6


def _fragment_key(text: str) -> str:
    return _key(text.strip(" \t.,;:!?…\"'“”‘’«»‹›„‚"))


def _analyse(document: Document, boilerplate: Iterable[Span]) -> _Analysis:
    text = document.text
    skipped = _skipped(boilerplate)
    qw = _quote_words()
    cues = tuple(
        _Cue(start, end, str(entry.data["stance"]))
        for start, end, entry in _matcher("reporting_verbs").find(text)
        if not _overlaps(start, end, skipped)
    )
    cue_starts = [c.start for c in cues]
    sentences = [
        s for s in split_sentences(text) if not any(a <= s[0] and s[1] <= b for a, b in skipped)
    ]
    sentence_starts = [s for s, _ in sentences]
    pairs = [p for p in _quote_pairs(text) if not _overlaps(p[0], p[1], skipped)]
    repeated = Counter(_fragment_key(text[s + 1 : e - 1]) for s, e in pairs)

    def cues_between(start: int, end: int) -> list[_Cue]:
        lo = bisect.bisect_left(cue_starts, start)
        hi = bisect.bisect_left(cue_starts, end)
        return [c for c in cues[lo:hi] if c.end <= end]

    quotes: list[_Quote] = []
    for start, end in pairs:
        index = bisect.bisect_right(sentence_starts, start) - 1
        sent_start, sent_end = sentences[index] if index >= 0 else (start, end)
        sent_end = max(sent_end, end)
        inner_start, inner_end = start + 1, end - 1
        window = _line_window(text, start)
        if qw.mention_before.search(window) or _is_name(text, inner_start, inner_end, qw):
            quotes.append(_Quote(start, end, "mention"))
            continue
        frame: tuple[_Cue, ...] = ()
        framed = False
        before = cues_between(sent_start, start)
        if before:
            frame, framed = (before[-1],), True
        if not framed:
            inner = text[inner_start:inner_end].rstrip()
            clause_end = inner[-1:] in ",.?!…:" or text[end : end + 1] in (",", ".", "?", "!")
            closing = bisect.bisect_right(sentence_starts, end - 1) - 1
            after = cues_between(
                end, max(sent_end, sentences[closing][1]) if closing >= 0 else sent_end
            )
            if clause_end and after and len(_word_tokens(text, end, after[0].start)) <= 6:
                frame, framed = tuple(after), True
        if not framed:
            source = qw.headline_source.match(text, end)
            if source is not None:
                # A span never ends with a full stop (codebook principle 2): "U.S." -> "U.S".
                name_end = source.start(1) + len(source.group(1).rstrip("."))
                frame = (_Cue(source.start(1), name_end, "neutral", headline=True),)
                framed = True
        if not framed and qw.speaker_colon.search(window):
            framed = True
        opens_sentence = start == sent_start
        if not framed and opens_sentence and quotes:
            last = quotes[-1]
            lines = text[last.end : start].split("\n")
            if (
                last.step == "direct"
                and last.framed
                and all(not line.strip() for line in lines[1:-1])
                and all(c in last.cues for c in cues_between(last.end, start))
            ):
                framed = True
        if not framed and opens_sentence and index > 0:
            previous = cues_between(*sentences[index - 1])
            if previous:
                frame, framed = (previous[-1],), True
        if not framed:
            attitude = ("contested",) if _contested(text, inner_start, inner_end, qw) else ()
            quotes.append(_Quote(start, end, "unframed", attitude=attitude))
            continue
        words = _word_tokens(text, inner_start, inner_end)
        outside = _word_tokens(text, max(sent_start, start - 30), start)
        finite = _has_finite_verb(words, outside[-1] if outside else "", qw)
        punctuated = text[inner_start:inner_end].rstrip()[-1:] in ".?!…"
        if finite and (punctuated or len(words) >= 6):
            quotes.append(_Quote(start, end, "direct", frame, framed=True))
            continue
        attitude_cues: list[str] = []
        if 1 <= len(words) <= 5:
            if qw.marker_before.search(window) or qw.what_calls_before.search(window):
                attitude_cues.append("so-called")
            if qw.contrast_before.search(window):
                attitude_cues.append("contrast")
            if repeated[_fragment_key(text[inner_start:inner_end])] > 1:
                attitude_cues.append("repetition")
            if _contested(text, inner_start, inner_end, qw):
                attitude_cues.append("contested")
        quotes.append(
            _Quote(start, end, "partial", frame, framed=True, attitude=tuple(attitude_cues))
        )
    return _Analysis(text, skipped, cues, tuple(quotes))


def _contested(text: str, start: int, end: int, qw: _QuoteWords) -> bool:
    return any(word in qw.contested for word in _word_tokens(text, start, end))


# ---------------------------------------------------------------------------
# Spans.


def _span(start: int, end: int, label: str, detector: str, **attributes: AttributeValue) -> Span:
    return Span(start, end, label, attributes={**attributes, "origin": _ORIGIN + detector})


def _scare_quote_spans(analysis: _Analysis) -> list[Span]:
    text = analysis.text
    qw = _quote_words()
    spans: list[Span] = []
    cue_types: dict[_Cue, str] = {}
    for quote in analysis.quotes:
        if quote.step in ("direct", "partial"):
            for cue in quote.cues:
                if cue_types.get(cue) != "direct":
                    cue_types[cue] = quote.step
        if not quote.is_scare:
            continue
        attributes: dict[str, AttributeValue] = {"marker": "quotes", "voice": "author"}
        if quote.step == "unframed":
            attributes["polarity"] = "negative"
            if quote.attitude:
                attributes["voice_origin"] = "external"
        else:
            attributes["voice_origin"] = "external"
            attributes["attitude"] = "distancing"
            attributes["polarity"] = "neutral" if quote.attitude == ("contested",) else "negative"
        spans.append(_span(quote.start, quote.end, "SCARE_QUOTE", "scare_quotes", **attributes))
    for cue, quote_type in cue_types.items():
        attributes = {"quote_type": quote_type, "verb_stance": cue.stance, "voice": "author"}
        if cue.headline:
            attributes["source"] = text[cue.start : cue.end]
        spans.append(_span(cue.start, cue.end, "ATTRIBUTION", "scare_quotes", **attributes))
    for match in qw.bare_marker.finditer(text):
        start, end = match.span()
        following = re.match(rf"{_SPACE}*", text[end : end + 2])
        gap = following.end() if following else 0
        if text[end + gap : end + gap + 1] in "\"'“‘«‹„‚" or _overlaps(
            start, end, analysis.skipped
        ):
            continue
        stop = end
        for word in re.finditer(r"[^\W_][\w'’\-]*", text[end : end + 80]):
            between = text[stop : end + word.start()]
            if between.strip() or _key(word.group()) in qw.function_words:
                break
            stop = end + word.end()
            if len(_word_tokens(text, end, stop)) >= 2:
                break
        if stop == end or _overlaps(start, stop, analysis.skipped):
            continue
        marker = "self-styled" if _key(match.group()).startswith("self") else "so-called"
        spans.append(
            _span(
                start,
                stop,
                "SCARE_QUOTE",
                "scare_quotes",
                marker=marker,
                attitude="distancing",
                polarity="negative",
                voice="author",
            )
        )
    return sorted(spans, key=Span.sort_key)


def _reporting_spans(analysis: _Analysis) -> list[Span]:
    types: dict[tuple[int, int], str] = {}
    for quote in analysis.quotes:
        if quote.step in ("direct", "partial"):
            for cue in quote.cues:
                key = (cue.start, cue.end)
                if types.get(key) != "direct":
                    types[key] = quote.step
    return [
        _span(
            cue.start,
            cue.end,
            "ATTRIBUTION",
            "reporting_verbs",
            verb_stance=cue.stance,
            quote_type=types.get((cue.start, cue.end), "indirect"),
            voice="author",
        )
        for cue in analysis.cues
    ]


_IMPERSONAL = re.compile(
    rf"(?<!\w)it(?:{_SPACE}*['’]s|{_SPACE}+(?:is|was|remains|remained|seems|seemed|appears|"
    rf"appeared|becomes|became|has{_SPACE}+been|had{_SPACE}+been|will{_SPACE}+be|would{_SPACE}+be|"
    rf"may{_SPACE}+be|might{_SPACE}+be|isn['’]t|wasn['’]t))"
    rf"(?:{_SPACE}+(?:still|also|now|not|yet|quite|very|entirely|far|increasingly|less|more|"
    rf"highly|hardly|already|all|so|too|by{_SPACE}+no{_SPACE}+means))*{_SPACE}*\Z",
    re.IGNORECASE,
)
_COMPLEMENT = re.compile(
    rf"{_SPACE}*(?:whether|if|that|how|who|what|when|why|where|which)(?!\w)", re.IGNORECASE
)
_RAISING_AFTER = re.compile(rf"{_SPACE}+to{_SPACE}+\w", re.IGNORECASE)
_RAISING_BEFORE = re.compile(
    rf"(?<!\w)(?:will|would|most|very|quite|more|less|highly){_SPACE}*\Z", re.IGNORECASE
)


def _epistemic_spans(analysis: _Analysis) -> list[Span]:
    text = analysis.text
    spans: list[Span] = []
    for start, end, entry in _matcher("epistemic").find(text):
        if _overlaps(start, end, analysis.skipped):
            continue
        if entry.data.get("impersonal"):
            window = _line_window(text, start)
            impersonal = bool(_IMPERSONAL.search(window) and _COMPLEMENT.match(text, end))
            raising = bool(
                entry.data.get("raising")
                and (_RAISING_AFTER.match(text, end) or _RAISING_BEFORE.search(window))
            )
            if not (impersonal or raising):
                continue  # a holder is named or there is no claim: not EPISTEMIC
        spans.append(
            _span(
                start,
                end,
                "EPISTEMIC",
                "hedges_and_boosters",
                direction=str(entry.data["direction"]),
                voice="quoted" if analysis.quoted(start, end) else "author",
            )
        )
    return spans


_LEGITIMACY = {"pejorative": "delegitimising", "honorific": "legitimising"}


def _variant_spans(
    document: Document, registry: VariantRegistry, analysis: _Analysis, *, guard: bool
) -> list[Span]:
    boilerplate = [Span(s, e, "BOILERPLATE") for s, e in analysis.skipped]
    spans: list[Span] = []
    for match in find_variants(document, registry, boilerplate=boilerplate, guard=guard):
        if match.anchor or match.register == "neutral":
            continue  # the point of comparison: counted by the matcher, never marked
        concept = registry.concept(match.concept)
        attributes: dict[str, AttributeValue] = {
            "concept": match.concept,
            "variant": match.variant,
            "neutral_alternative": concept.anchor_variant.forms[0],
            "voice": "quoted" if analysis.quoted(match.start, match.end) else "author",
        }
        if match.label == "EVENT_TERM":
            attributes["register"] = match.register
        elif match.register in _LEGITIMACY:
            attributes["legitimacy"] = _LEGITIMACY[match.register]
        spans.append(_span(match.start, match.end, match.label, "variant_terms", **attributes))
    return spans


# ---------------------------------------------------------------------------
# The public detectors.


def scare_quotes(document: Document, *, boilerplate: Iterable[Span] = ()) -> list[Span]:
    """Run the ordered scare-quote test of codebook section 6 on every quotation.

    Parameters
    ----------
    document : Document
        The document to read.
    boilerplate : iterable of Span
        Spans of the document; those labelled ``BOILERPLATE`` are skipped.

    Returns
    -------
    list of Span
        ``SCARE_QUOTE`` spans (from the opening through the closing mark, or
        *so-called* through the distanced term) with ``marker``, ``polarity``,
        ``voice`` and, where the test decides them, ``voice_origin`` and
        ``attitude``; and one ``ATTRIBUTION`` span per cue that frames a
        quotation, with ``quote_type`` (``direct`` or ``partial``),
        ``verb_stance`` and, for a headline's "… – SOURCE", ``source``. Sorted.

    Examples
    --------
    >>> doc = Document("d", 'He called it “a terrorist attack.” The "plan" failed. '
    ...                     "Iran's ‘Green Zone’ is calm.")
    >>> [(doc.text[s.start:s.end], s.label, s.attributes.get("quote_type"))
    ...  for s in scare_quotes(doc)]  # doctest: +NORMALIZE_WHITESPACE
    [('called', 'ATTRIBUTION', 'partial'), ('“a terrorist attack.”', 'SCARE_QUOTE', None),
     ('"plan"', 'SCARE_QUOTE', None)]
    """
    return _scare_quote_spans(_analyse(document, boilerplate))


def reporting_verbs(document: Document, *, boilerplate: Iterable[Span] = ()) -> list[Span]:
    """Mark every reporting cue as ``ATTRIBUTION`` with its stance class.

    Cues are the verbs and phrases of the codebook's stance lists, in every
    inflected form (``lexicons/reporting_verbs.json``), with a few guards
    against non-reporting senses (*claimed responsibility*, *the blame*,
    *added* troops).

    Parameters
    ----------
    document : Document
        The document to read.
    boilerplate : iterable of Span
        Spans of the document; those labelled ``BOILERPLATE`` are skipped.

    Returns
    -------
    list of Span
        Sorted ``ATTRIBUTION`` spans with ``verb_stance`` (neutral,
        distancing, endorsing, emotive), ``quote_type`` (``direct`` or
        ``partial`` when the scare-quote test finds the cue framing a
        quotation, else ``indirect``) and ``voice=author``.

    Examples
    --------
    >>> doc = Document("d", "Analysts alleged that it failed, Reuters reported. "
    ...                     "No group has claimed responsibility.")
    >>> [(doc.text[s.start:s.end], s.attributes["verb_stance"]) for s in reporting_verbs(doc)]
    [('alleged', 'distancing'), ('reported', 'neutral')]
    """
    return _reporting_spans(_analyse(document, boilerplate))


def hedges_and_boosters(document: Document, *, boilerplate: Iterable[Span] = ()) -> list[Span]:
    """Mark unsourced hedges and boosters as ``EPISTEMIC``.

    Adverbs (*presumably*, *clearly*), epistemic verbs with a complement
    (*appears to*), modals on a factual claim (*could have*, *may have*),
    expectation *should*, impersonal epistemic adjectives (*it is unclear
    whether*, *X is likely to*) and emphatic negation (*hardly*, *far from
    being*). An adjective whose holder is named (*he is certain that*) is a
    sourced judgement and is left out (precedence rule P4).

    Parameters
    ----------
    document : Document
        The document to read.
    boilerplate : iterable of Span
        Spans of the document; those labelled ``BOILERPLATE`` are skipped.

    Returns
    -------
    list of Span
        Sorted ``EPISTEMIC`` spans with ``direction`` (``down`` for a hedge,
        ``up`` for a booster) and ``voice`` (``quoted`` inside an attributed
        quotation).

    Examples
    --------
    >>> doc = Document("d", "It’s unclear whether it hit. He is certain that it did. "
    ...                     "It could have been worse; it was hardly the last.")
    >>> [(doc.text[s.start:s.end], s.attributes["direction"]) for s in hedges_and_boosters(doc)]
    [('unclear', 'down'), ('could', 'down'), ('hardly', 'up')]
    """
    return _epistemic_spans(_analyse(document, boilerplate))


def variant_terms(
    document: Document,
    registry: VariantRegistry,
    *,
    boilerplate: Iterable[Span] = (),
    guard: bool = True,
) -> list[Span]:
    """Mark the registry's non-neutral variants as ``EVENT_TERM`` / ``ACTOR_LABEL``.

    Wraps :func:`biaskit.variants.find_variants` (with its coreference guard
    unless ``guard=False``) and keeps the matches of variants whose register
    is not ``neutral``: the anchor and the other neutral names are the point
    of comparison and are never marked (codebook section 7, rule P7).

    Parameters
    ----------
    document : Document
        The document to read.
    registry : VariantRegistry
        The concepts and their variants.
    boilerplate : iterable of Span
        Spans of the document; those labelled ``BOILERPLATE`` are skipped.
    guard : bool
        Keep only matches with a referent cue in the same or previous sentence.

    Returns
    -------
    list of Span
        Sorted spans over the whole registry form with ``concept``,
        ``variant``, ``neutral_alternative`` (the anchor's first form),
        ``voice`` and, for ``EVENT_TERM``, ``register``; for ``ACTOR_LABEL``
        the schema has no ``register``, so a pejorative variant gets
        ``legitimacy=delegitimising`` and an honorific one ``legitimising``.

    Examples
    --------
    >>> from biaskit.variants import loads_variants
    >>> registry = loads_variants('''{"biaskit": "variants", "format_version": 1,
    ...   "concepts": [{"id": "k", "label": "EVENT_TERM", "anchor": "killing",
    ...     "rationale": "plain", "variants": [
    ...       {"id": "killing", "register": "neutral", "forms": ["killing", "killed"]},
    ...       {"id": "assassination", "register": "loaded", "forms": ["assassination"]}]}]}''')
    >>> doc = Document("d", "The killing was an assassination.")
    >>> [(doc.text[s.start:s.end], s.attributes["register"]) for s in variant_terms(doc, registry)]
    [('assassination', 'loaded')]
    """
    analysis = _analyse(document, boilerplate)
    return sorted(_variant_spans(document, registry, analysis, guard=guard), key=Span.sort_key)


def _without_same_label_overlaps(spans: Iterable[Span]) -> list[Span]:
    kept: list[Span] = []
    last_end: dict[str, int] = {}
    for span in sorted(spans, key=lambda s: (s.start, -s.end, s.label)):
        if span.start < last_end.get(span.label, -1):
            continue
        kept.append(span)
        last_end[span.label] = span.end
    return sorted(kept, key=Span.sort_key)


def rule_spans(
    document: Document,
    *,
    registry: VariantRegistry | None = None,
    boilerplate: Iterable[Span] = (),
) -> list[Span]:
    r"""Run every detector on a document.

    The ``ATTRIBUTION`` spans of :func:`reporting_verbs` come first; those of
    :func:`scare_quotes` are added only for cues it alone finds (a headline's
    "… – SOURCE"). Spans of one label never overlap: of two that do, the one
    starting first (then the longer) is kept, as one annotator's file requires.

    Parameters
    ----------
    document : Document
        The document to read.
    registry : VariantRegistry or None
        The variant registry; None skips :func:`variant_terms`.
    boilerplate : iterable of Span
        Spans of the document; those labelled ``BOILERPLATE`` are skipped.

    Returns
    -------
    list of Span
        Sorted by :meth:`~biaskit.model.Span.sort_key`.

    Examples
    --------
    >>> doc = Document("d", "'Iranian attack' – CENTCOM\nIt’s unclear whether, he said, "
    ...                     "the so-called peace plan works.")
    >>> [(doc.text[s.start:s.end], s.label) for s in rule_spans(doc)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('CENTCOM', 'ATTRIBUTION'), ('unclear', 'EPISTEMIC'), ('said', 'ATTRIBUTION'),
     ('so-called peace plan', 'SCARE_QUOTE')]
    """
    analysis = _analyse(document, boilerplate)
    reporting = _reporting_spans(analysis)
    cue_offsets = {(s.start, s.end) for s in reporting}
    spans = [
        s
        for s in _scare_quote_spans(analysis)
        if s.label != "ATTRIBUTION" or (s.start, s.end) not in cue_offsets
    ]
    spans += reporting
    spans += _epistemic_spans(analysis)
    if registry is not None:
        spans += _variant_spans(document, registry, analysis, guard=True)
    return _without_same_label_overlaps(spans)


def annotate(
    corpus_or_documents: Corpus | Iterable[Document],
    *,
    registry: VariantRegistry | None = None,
    annotator: str = "biaskit-rules",
) -> list[AnnotationSet]:
    """Pre-annotate documents with :func:`rule_spans`, one annotation set each.

    Parameters
    ----------
    corpus_or_documents : Corpus or iterable of Document
        For a corpus, the ``BOILERPLATE`` spans of all its annotation sets of a
        document are skipped; plain documents are first cleaned with
        :func:`biaskit.clean.find_boilerplate`, as ``biaskit clean`` would.
    registry : VariantRegistry or None
        The variant registry (a corpus folder's ``variants.json``); None
        skips the variant detector.
    annotator : str
        The annotator name of the sets.

    Returns
    -------
    list of AnnotationSet
        In document order.

    Raises
    ------
    BiaskitError
        If an item is not a :class:`~biaskit.model.Document`.

    Examples
    --------
    >>> sets = annotate([Document("d", "Reuters reported the plan. The “peace” plan failed.")])
    >>> [(s.annotator, [a.label for a in s.spans]) for s in sets]
    [('biaskit-rules', ['ATTRIBUTION', 'SCARE_QUOTE'])]
    """
    boilerplate_of: Callable[[Document], list[Span]]
    if isinstance(corpus_or_documents, Corpus):
        corpus = corpus_or_documents
        documents: Iterable[Document] = corpus.documents

        def boilerplate_of(doc: Document) -> list[Span]:
            return [
                span
                for aset in corpus.annotation_sets(document_id=doc.id)
                for span in aset.spans
                if span.label == "BOILERPLATE"
            ]
    else:
        documents = corpus_or_documents

        def boilerplate_of(doc: Document) -> list[Span]:
            return find_boilerplate(doc.text)

    sets = []
    for position, document in enumerate(documents):
        if not isinstance(document, Document):
            raise BiaskitError(
                f"item {position} to annotate must be a Document, not {type(document).__name__}"
            )
        spans = rule_spans(document, registry=registry, boilerplate=boilerplate_of(document))
        sets.append(AnnotationSet(document, annotator, spans))
    return sets
