"""Comparing outlets: label rates, lexical choice, who is quoted, readability, same-event sets.

The point of annotating framing is to compare sources. Each function here
reads a :class:`~biaskit.corpus.Corpus` and returns plain, immutable data (a
frozen table object holding tuples of frozen rows); each table has
``rows()`` (a list of dicts, JSON-ready) and ``to_pandas()`` (a DataFrame,
needing the optional ``pandas`` extra). Rendering is separate: see
:mod:`biaskit.report` and :mod:`biaskit.plots`.

What counts as text
-------------------
Rates and readability are over the *article text*: the document's text minus
its ``BOILERPLATE`` spans (icon lists, share prompts, related links...). The
boilerplate of a document is the union of the ``BOILERPLATE`` spans of every
annotation set of that document, so that a predicted set without boilerplate
is still measured over the same words as the gold one. A *word* is a token of
:func:`biaskit.tokenize` starting with a letter or digit and not overlapping
boilerplate; a span counts when it does not overlap boilerplate.

Gold or predicted spans
-----------------------
Functions taking ``annotator`` read that annotator's spans: ``"gold"`` for
the adjudicated set, a coder's name, or a model's. To analyse predictions, add
them to the corpus first with ``corpus.with_annotations(predicted_sets)`` and
pass their annotator name.

Examples
--------
>>> from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
>>> schema = Schema("demo", "1.0", [LabelSpec("EPITHET"), LabelSpec("BOILERPLATE")])
>>> a = Document("a", "A brutal, vicious attack. Share this!", outlet="X")
>>> b = Document("b", "An attack on the base.", outlet="Y")
>>> gold = [AnnotationSet(a, "gold", [Span(2, 8, "EPITHET"), Span(10, 17, "EPITHET"),
...                                   Span(26, 37, "BOILERPLATE")])]
>>> rates = label_rates(Corpus([a, b], schema, gold), n_resamples=200)
>>> r = rates.rate("X", "EPITHET")
>>> r.spans, r.words, r.per_1000
(2, 4, 500.0)
>>> rates.rate("Y", "EPITHET").per_1000
0.0
"""

from __future__ import annotations

import importlib
import math
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import numpy as np

from biaskit.corpus import Corpus
from biaskit.errors import BiaskitError
from biaskit.model import Document, FrozenMap, Span, merge_intervals
from biaskit.readability import Readability, readability
from biaskit.tokens import tokenize
from biaskit.variants import VariantRegistry, find_variants

__all__ = [
    "AnalysisError",
    "AttributionCount",
    "Attributions",
    "EventComparison",
    "EventDocument",
    "LabelRate",
    "LabelRates",
    "LexicalChoice",
    "ReadabilityTable",
    "TextReadability",
    "VariantShare",
    "article_text",
    "attributions",
    "compare_events",
    "content_words",
    "label_rates",
    "lexical_choice",
    "readability_table",
]

BOILERPLATE = "BOILERPLATE"
UNSPECIFIED = "unspecified"
"""The value shown for an attribute a span does not carry."""


class AnalysisError(BiaskitError, ValueError):
    """An analysis was asked for something the corpus does not have."""


# --------------------------------------------------------------------------- helpers


def _pandas() -> Any:
    try:
        # import_module, not import: pandas is optional and ships no type information.
        pandas = importlib.import_module("pandas")
    except ImportError:
        raise ModuleNotFoundError(
            'to_pandas() needs pandas; install it with: pip install "biaskit[pandas]"'
        ) from None
    return pandas


def _frame(rows: list[dict[str, Any]], columns: Sequence[str]) -> Any:
    return _pandas().DataFrame(rows, columns=list(columns))


def _boilerplate(corpus: Corpus, document: Document) -> list[tuple[int, int]]:
    spans = (
        (s.start, s.end)
        for aset in corpus.annotation_sets(document_id=document.id)
        for s in aset.spans
        if s.label == BOILERPLATE
    )
    return merge_intervals(spans)


def _overlaps(start: int, end: int, intervals: Sequence[tuple[int, int]]) -> bool:
    # intervals are merged and sorted; a linear scan is fine for a document's few dozen.
    return any(s < end and start < e for s, e in intervals)


def content_words(document: Document, boilerplate: Iterable[Span] = ()) -> int:
    """Count the words of a document outside its boilerplate.

    A word is a token of :func:`biaskit.tokenize` that starts with a letter or
    digit; tokens overlapping a ``BOILERPLATE`` span of ``boilerplate`` are not
    counted (other labels are ignored, so all spans of a set may be passed).

    Examples
    --------
    >>> doc = Document("d", "Soleimani was killed. Share this!")
    >>> content_words(doc), content_words(doc, [Span(22, 33, "BOILERPLATE")])
    (5, 3)
    """
    intervals = merge_intervals((s.start, s.end) for s in boilerplate if s.label == BOILERPLATE)
    return _words(document.text, intervals)


def _words(text: str, intervals: Sequence[tuple[int, int]]) -> int:
    return sum(1 for s, e in tokenize(text) if text[s].isalnum() and not _overlaps(s, e, intervals))


def article_text(document: Document, boilerplate: Iterable[Span] = ()) -> str:
    r"""Return the document's text without its ``BOILERPLATE`` spans.

    The pieces left are stripped and joined by blank lines, so that a removed
    block never glues two sentences together. Offsets into the result are not
    offsets into the document: use it for measures of the whole text
    (readability), never for spans.

    Examples
    --------
    >>> doc = Document("d", "Home | News\nThe strike hit.\nShare this!\nIran replied.")
    >>> article_text(doc, [Span(0, 11, "BOILERPLATE"), Span(28, 39, "BOILERPLATE")])
    'The strike hit.\n\nIran replied.'
    """
    intervals = merge_intervals((s.start, s.end) for s in boilerplate if s.label == BOILERPLATE)
    return _article(document.text, intervals)


def _article(text: str, intervals: Sequence[tuple[int, int]]) -> str:
    pieces: list[str] = []
    position = 0
    for start, end in (*intervals, (len(text), len(text))):
        piece = text[position:start].strip()
        if piece:
            pieces.append(piece)
        position = max(position, end)
    return "\n\n".join(pieces)


def _check_annotator(corpus: Corpus, annotator: str) -> None:
    if annotator not in corpus.annotators:
        known = ", ".join(corpus.annotators) or "none"
        raise AnalysisError(
            f"no annotation sets by {annotator!r} in the corpus; its annotators are {known}"
        )


def _check_labels(corpus: Corpus, labels: Iterable[str] | None) -> tuple[str, ...]:
    if labels is None:
        return tuple(n for n in corpus.schema.label_names if n != BOILERPLATE)
    if isinstance(labels, str):
        raise TypeError("labels must be an iterable of label names, not a single string")
    chosen = tuple(dict.fromkeys(labels))
    unknown = [n for n in chosen if n not in corpus.schema]
    if unknown:
        raise AnalysisError(
            f"unknown label(s) {', '.join(map(repr, unknown))}; the schema has "
            f"{', '.join(corpus.schema.label_names)}"
        )
    return chosen


def _label_counts(
    corpus: Corpus, document: Document, annotator: str, intervals: Sequence[tuple[int, int]]
) -> Counter[str]:
    aset = corpus.annotation_set(document.id, annotator)
    return Counter(s.label for s in aset.spans if not _overlaps(s.start, s.end, intervals))


def _nan_to_none(value: float) -> float | None:
    return None if math.isnan(value) else value


# --------------------------------------------------------------------------- label rates


@attrs.frozen
class LabelRate:
    """How often one outlet uses one label, per 1,000 words of article text.

    Parameters
    ----------
    outlet, label : str
        The outlet and label.
    spans : int
        Spans of the label in the outlet's documents (outside boilerplate).
    words : int
        Words of the outlet's article text.
    documents : int
        Number of the outlet's documents.
    per_1000 : float
        ``1000 * spans / words``; NaN when the outlet has no words.
    low, high : float
        Bounds of the percentile bootstrap interval over the outlet's
        documents; equal to ``per_1000`` when the outlet has one document
        (one document gives no spread to resample).
    """

    outlet: str
    label: str
    spans: int
    words: int
    documents: int
    per_1000: float
    low: float
    high: float


@attrs.frozen
class LabelRates:
    """Label rates per outlet, with bootstrap confidence intervals.

    Parameters
    ----------
    annotator : str
        Whose spans were counted.
    labels, outlets : tuple of str
        The labels (schema order) and outlets (sorted) of the table.
    rates : tuple of LabelRate
        One per (outlet, label), outlets first.
    confidence_level : float
        Coverage of the intervals.
    n_resamples : int
        Bootstrap resamples per outlet.
    random_state : int or None
        The seed used.
    """

    annotator: str
    labels: tuple[str, ...]
    outlets: tuple[str, ...]
    rates: tuple[LabelRate, ...]
    confidence_level: float
    n_resamples: int
    random_state: int | None

    def rate(self, outlet: str, label: str) -> LabelRate:
        """Return the rate of ``label`` in ``outlet``.

        Raises
        ------
        KeyError
            If the table has no such outlet or label.
        """
        for rate in self.rates:
            if rate.outlet == outlet and rate.label == label:
                return rate
        raise KeyError(f"no rate for outlet {outlet!r} and label {label!r}")

    def rows(self) -> list[dict[str, Any]]:
        """Return one dict per (outlet, label); NaN becomes None (JSON null)."""
        return [
            {
                "outlet": r.outlet,
                "label": r.label,
                "spans": r.spans,
                "words": r.words,
                "documents": r.documents,
                "per_1000": _nan_to_none(r.per_1000),
                "low": _nan_to_none(r.low),
                "high": _nan_to_none(r.high),
            }
            for r in self.rates
        ]

    def to_pandas(self) -> Any:
        """Return the table as a long pandas DataFrame (one row per outlet and label).

        Pivot it for an outlet × label matrix:
        ``rates.to_pandas().pivot(index="outlet", columns="label", values="per_1000")``.
        Needs the ``pandas`` extra.
        """
        columns = ("outlet", "label", "spans", "words", "documents", "per_1000", "low", "high")
        return _frame([attrs.asdict(r) for r in self.rates], columns)


def _seed(random_state: int | None, outlet: str) -> np.random.Generator:
    if random_state is None:
        return np.random.default_rng()
    # One stream per outlet, keyed by its name: an outlet's interval does not
    # change when other outlets are added to or removed from the corpus.
    return np.random.default_rng([random_state, zlib.crc32(outlet.encode("utf-8"))])


def label_rates(
    corpus: Corpus,
    *,
    annotator: str = "gold",
    labels: Iterable[str] | None = None,
    n_resamples: int = 1000,
    confidence_level: float = 0.95,
    random_state: int | None = 0,
) -> LabelRates:
    """Return each outlet's rate of each label per 1,000 words, with bootstrap intervals.

    The rate is the outlet's spans of the label divided by the words of its
    article text (boilerplate excluded), times 1,000: a ratio of totals, so a
    long article weighs more than a short one. The interval is the percentile
    bootstrap of that ratio, resampling the outlet's documents with
    replacement.

    Parameters
    ----------
    corpus : Corpus
        Documents, schema and spans.
    annotator : str
        Whose spans to count (``"gold"``, a coder, or a model's predictions
        added with :meth:`Corpus.with_annotations`).
    labels : iterable of str or None
        The labels to count; None for every schema label but ``BOILERPLATE``.
    n_resamples : int
        Bootstrap resamples per outlet.
    confidence_level : float
        Coverage of the intervals, in (0, 1).
    random_state : int or None
        Seed; the default 0 makes the intervals reproducible, None draws fresh
        randomness.

    Returns
    -------
    LabelRates

    Raises
    ------
    AnalysisError
        If the corpus has no spans by ``annotator`` or ``labels`` names a label
        the schema does not have.
    ValueError
        If ``n_resamples`` or ``confidence_level`` is out of range.

    Examples
    --------
    >>> from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
    >>> schema = Schema("demo", "1.0", [LabelSpec("EPITHET")])
    >>> docs = [Document(f"d{i}", "a brutal attack on Tehran", outlet="X") for i in range(4)]
    >>> sets = [AnnotationSet(d, "gold", [Span(2, 8, "EPITHET")] * (i % 2)) for i, d in
    ...         enumerate(docs)]
    >>> r = label_rates(Corpus(docs, schema, sets), n_resamples=500).rate("X", "EPITHET")
    >>> r.per_1000, r.low < r.per_1000 < r.high
    (100.0, True)
    """
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be at least 1, not {n_resamples}")
    if not 0.0 < confidence_level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), not {confidence_level!r}")
    _check_annotator(corpus, annotator)
    chosen = _check_labels(corpus, labels)
    tail = (1.0 - confidence_level) / 2.0 * 100.0
    rates: list[LabelRate] = []
    for outlet in corpus.outlets:
        documents = corpus.by_outlet(outlet)
        counts = np.zeros((len(documents), len(chosen)))
        words = np.zeros(len(documents))
        for i, document in enumerate(documents):
            intervals = _boilerplate(corpus, document)
            words[i] = _words(document.text, intervals)
            found = _label_counts(corpus, document, annotator, intervals)
            counts[i] = [found[label] for label in chosen]
        total_words = float(words.sum())
        totals = counts.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            estimate = 1000.0 * totals / total_words if total_words else totals * math.nan
            if len(documents) > 1 and total_words:
                rng = _seed(random_state, outlet)
                draws = rng.integers(0, len(documents), size=(n_resamples, len(documents)))
                weights = np.stack([np.bincount(d, minlength=len(documents)) for d in draws])
                resampled = 1000.0 * (weights @ counts) / (weights @ words)[:, None]
                low = np.nanpercentile(resampled, tail, axis=0)
                high = np.nanpercentile(resampled, 100.0 - tail, axis=0)
            else:
                low = high = estimate
        for j, label in enumerate(chosen):
            rates.append(
                LabelRate(
                    outlet=outlet,
                    label=label,
                    spans=int(totals[j]),
                    words=int(total_words),
                    documents=len(documents),
                    per_1000=float(estimate[j]),
                    low=float(low[j]),
                    high=float(high[j]),
                )
            )
    return LabelRates(
        annotator=annotator,
        labels=chosen,
        outlets=corpus.outlets,
        rates=tuple(rates),
        confidence_level=confidence_level,
        n_resamples=n_resamples,
        random_state=random_state,
    )


# --------------------------------------------------------------------------- lexical choice


@attrs.frozen
class VariantShare:
    """How often one outlet uses one variant of a concept, and its share of the concept.

    Parameters
    ----------
    concept, variant : str
        Registry ids.
    register : str
        The variant's register (``neutral``, ``loaded``, ``euphemism``...).
    anchor : bool
        Whether the variant is the concept's anchor (its point of comparison).
    outlet : str
        The outlet.
    count : int
        Occurrences of the variant's forms in the outlet's article text.
    total : int
        Occurrences of all of the concept's variants in the outlet.
    share : float
        ``count / total``; NaN when the outlet never names the concept.
    """

    concept: str
    variant: str
    register: str
    anchor: bool
    outlet: str
    count: int
    total: int
    share: float


@attrs.frozen
class LexicalChoice:
    """Which of a concept's competing names each outlet uses: the lexical-choice table.

    Parameters
    ----------
    concepts, outlets : tuple of str
        Concept ids (registry order) and outlets (sorted).
    shares : tuple of VariantShare
        One per (concept, outlet, variant), zeros included, in that order.
    guard : bool
        Whether the coreference guard of :func:`biaskit.find_variants` was on.
    """

    concepts: tuple[str, ...]
    outlets: tuple[str, ...]
    shares: tuple[VariantShare, ...]
    guard: bool

    def counts(self, concept: str, outlet: str) -> dict[str, int]:
        """Return the occurrences of each variant of ``concept`` in ``outlet``, registry order.

        Raises
        ------
        KeyError
            If the table has no such concept or outlet.
        """
        found = {
            s.variant: s.count for s in self.shares if s.concept == concept and s.outlet == outlet
        }
        if not found:
            raise KeyError(f"no counts for concept {concept!r} and outlet {outlet!r}")
        return found

    def preferred(self, concept: str, outlet: str) -> tuple[str, ...]:
        """Return the variant(s) ``outlet`` uses most for ``concept``; empty if it never names it.

        Ties give several variants, in registry order.
        """
        counts = self.counts(concept, outlet)
        best = max(counts.values())
        return tuple(v for v, n in counts.items() if n == best) if best else ()

    def rows(self) -> list[dict[str, Any]]:
        """Return one dict per (concept, outlet, variant); NaN becomes None."""
        return [{**attrs.asdict(s), "share": _nan_to_none(s.share)} for s in self.shares]

    def to_pandas(self) -> Any:
        """Return the table as a long pandas DataFrame (needs the ``pandas`` extra).

        For one concept as an outlet × variant matrix of shares:
        ``df[df.concept == "soleimani_killing"].pivot(index="outlet", columns="variant",
        values="share")``.
        """
        columns = [f.name for f in attrs.fields(VariantShare)]
        return _frame([attrs.asdict(s) for s in self.shares], columns)


def lexical_choice(
    corpus: Corpus,
    registry: VariantRegistry,
    *,
    concepts: Iterable[str] | None = None,
    guard: bool = True,
) -> LexicalChoice:
    """Count each concept's variants per outlet with the registry's matcher.

    Every occurrence of every form of every variant in the article text is
    counted by :func:`biaskit.find_variants` (anchor included: "killed" counts
    as the neutral *killing*), so the table does not depend on an annotator.
    With ``guard`` on, only matches with a referent cue in the same or the
    previous sentence count; the guard is a filter, not coreference
    resolution, so the counts are candidates to check against hand annotation.

    Parameters
    ----------
    corpus : Corpus
        Documents (spans are used only for their boilerplate).
    registry : VariantRegistry
        The concepts and their variants (``biaskit.load_variants(...)``).
    concepts : iterable of str or None
        Concept ids to count; None for all.
    guard : bool
        Apply the coreference guard.

    Returns
    -------
    LexicalChoice

    Raises
    ------
    AnalysisError
        If ``concepts`` names a concept the registry does not have.

    Examples
    --------
    >>> from biaskit import Corpus, Document, LabelSpec, Schema, loads_variants
    >>> registry = loads_variants('''{"biaskit": "variants", "format_version": 1,
    ...   "concepts": [{"id": "k", "label": "EVENT_TERM", "referent": ["Soleimani"],
    ...     "anchor": "killing", "rationale": "agent-explicit", "variants": [
    ...       {"id": "killing", "register": "neutral", "forms": ["killing", "killed"]},
    ...       {"id": "assassination", "register": "loaded", "forms": ["assassination"]}]}]}''')
    >>> docs = [Document("a", "The assassination of Soleimani.", outlet="X"),
    ...         Document("b", "The US killed Soleimani.", outlet="Y")]
    >>> table = lexical_choice(Corpus(docs, Schema("s", "1", [])), registry)
    >>> table.preferred("k", "X"), table.preferred("k", "Y")
    (('assassination',), ('killing',))
    """
    if concepts is None:
        chosen = registry.concept_ids
    else:
        if isinstance(concepts, str):
            raise TypeError("concepts must be an iterable of concept ids, not a single string")
        chosen = tuple(dict.fromkeys(concepts))
        unknown = [c for c in chosen if c not in registry]
        if unknown:
            raise AnalysisError(
                f"unknown concept(s) {', '.join(map(repr, unknown))}; the registry has "
                f"{', '.join(registry.concept_ids)}"
            )
    counts: dict[tuple[str, str], Counter[str]] = {}
    for document in corpus.documents:
        boilerplate = [Span(s, e, BOILERPLATE) for s, e in _boilerplate(corpus, document)]
        matches = find_variants(
            document, registry, boilerplate=boilerplate, guard=guard, concepts=chosen
        )
        for match in matches:
            counts.setdefault((match.concept, document.outlet), Counter())[match.variant] += 1
    shares: list[VariantShare] = []
    for concept_id in chosen:
        concept = registry.concept(concept_id)
        for outlet in corpus.outlets:
            found = counts.get((concept_id, outlet), Counter())
            total = sum(found.values())
            for variant in concept.variants:
                n = found[variant.id]
                shares.append(
                    VariantShare(
                        concept=concept_id,
                        variant=variant.id,
                        register=variant.register,
                        anchor=variant.id == concept.anchor,
                        outlet=outlet,
                        count=n,
                        total=total,
                        share=n / total if total else math.nan,
                    )
                )
    return LexicalChoice(concepts=chosen, outlets=corpus.outlets, shares=tuple(shares), guard=guard)


# --------------------------------------------------------------------------- who is quoted


@attrs.frozen
class AttributionCount:
    """How many attribution cues of one kind one outlet has.

    Parameters
    ----------
    outlet : str
        The outlet.
    values : tuple of str
        The values of the table's ``by`` attributes, in that order
        (``"unspecified"`` for a span without the attribute).
    count : int
        Number of cues.
    share : float
        ``count`` over all the outlet's cues.
    """

    outlet: str
    values: tuple[str, ...]
    count: int
    share: float


@attrs.frozen
class Attributions:
    """Who is quoted: attribution cues per outlet, by source type and verb stance.

    Parameters
    ----------
    annotator : str
        Whose spans were counted.
    label : str
        The label counted (``ATTRIBUTION``).
    by : tuple of str
        The span attributes the cues are grouped by.
    outlets : tuple of str
        The outlets (sorted), every one included even without a cue.
    counts : tuple of AttributionCount
        One per outlet and combination of values that occurs, outlets first,
        then by descending count.
    totals : FrozenMap of int
        Cues per outlet.
    """

    annotator: str
    label: str
    by: tuple[str, ...]
    outlets: tuple[str, ...]
    counts: tuple[AttributionCount, ...]
    totals: FrozenMap[int]

    def count(self, outlet: str, *values: str) -> int:
        """Return the number of ``outlet``'s cues with these ``by`` values (0 if none).

        Raises
        ------
        ValueError
            If the number of values is not the number of ``by`` attributes.
        """
        if len(values) != len(self.by):
            raise ValueError(f"expected {len(self.by)} value(s) ({', '.join(self.by)})")
        for c in self.counts:
            if c.outlet == outlet and c.values == values:
                return c.count
        return 0

    def margin(self, attribute: str) -> dict[str, dict[str, int]]:
        """Return the cues per outlet and value of one ``by`` attribute.

        Raises
        ------
        KeyError
            If ``attribute`` is not one of ``by``.
        """
        if attribute not in self.by:
            raise KeyError(f"{attribute!r} is not one of {', '.join(self.by)}")
        index = self.by.index(attribute)
        result: dict[str, dict[str, int]] = {outlet: {} for outlet in self.outlets}
        for c in self.counts:
            cell = result[c.outlet]
            cell[c.values[index]] = cell.get(c.values[index], 0) + c.count
        return result

    def rows(self) -> list[dict[str, Any]]:
        """Return one dict per count, with one key per ``by`` attribute."""
        return [
            {
                "outlet": c.outlet,
                **dict(zip(self.by, c.values, strict=True)),
                "count": c.count,
                "share": c.share,
            }
            for c in self.counts
        ]

    def to_pandas(self) -> Any:
        """Return the counts as a pandas DataFrame (needs the ``pandas`` extra)."""
        return _frame(self.rows(), ("outlet", *self.by, "count", "share"))


def attributions(
    corpus: Corpus,
    *,
    annotator: str = "gold",
    by: Sequence[str] = ("source_type", "verb_stance"),
    label: str = "ATTRIBUTION",
) -> Attributions:
    """Count attribution cues per outlet by the attributes of their spans.

    The codebook gives every ``ATTRIBUTION`` span a ``source``, a
    ``source_type`` (named official, anonymous, vague, media...) and a
    ``verb_stance`` (neutral, distancing, endorsing, emotive); the default
    groups by the last two, which is who an outlet lets speak and how it
    reports them. Group by ``("source",)`` for the named sources themselves.

    Parameters
    ----------
    corpus : Corpus
        Documents, schema and spans.
    annotator : str
        Whose spans to count.
    by : sequence of str
        Span attributes to group by.
    label : str
        The label of attribution cues.

    Returns
    -------
    Attributions

    Raises
    ------
    AnalysisError
        If the corpus has no spans by ``annotator`` or the schema no ``label``.

    Examples
    --------
    >>> from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
    >>> doc = Document("d", "Officials said. Analysts alleged.", outlet="X")
    >>> said = Span(10, 14, "ATTRIBUTION", attributes={"source_type": "anonymous",
    ...                                                  "verb_stance": "neutral"})
    >>> alleged = Span(25, 32, "ATTRIBUTION", attributes={"source_type": "vague",
    ...                                                    "verb_stance": "distancing"})
    >>> table = attributions(Corpus([doc], Schema("s", "1", [LabelSpec("ATTRIBUTION")]),
    ...                             [AnnotationSet(doc, "gold", [said, alleged])]))
    >>> table.count("X", "vague", "distancing"), table.margin("verb_stance")
    (1, {'X': {'neutral': 1, 'distancing': 1}})
    """
    if isinstance(by, str):
        raise TypeError("by must be a sequence of attribute names, not a single string")
    by = tuple(by)
    if not by:
        raise ValueError("by must name at least one attribute")
    _check_annotator(corpus, annotator)
    _check_labels(corpus, [label])
    found: dict[str, Counter[tuple[str, ...]]] = {outlet: Counter() for outlet in corpus.outlets}
    for document in corpus.documents:
        intervals = _boilerplate(corpus, document)
        for span in corpus.annotation_set(document.id, annotator).with_label(label):
            if _overlaps(span.start, span.end, intervals):
                continue
            key = tuple(str(span.attributes.get(name, UNSPECIFIED)) for name in by)
            found[document.outlet][key] += 1
    counts = []
    for outlet in corpus.outlets:
        total = sum(found[outlet].values())
        for key, n in sorted(found[outlet].items(), key=lambda item: (-item[1], item[0])):
            counts.append(AttributionCount(outlet, key, n, n / total))
    return Attributions(
        annotator=annotator,
        label=label,
        by=by,
        outlets=corpus.outlets,
        counts=tuple(counts),
        totals=FrozenMap({outlet: sum(found[outlet].values()) for outlet in corpus.outlets}),
    )


# --------------------------------------------------------------------------- readability


@attrs.frozen
class TextReadability:
    """Readability of one document's article text, or of one outlet's texts together.

    Parameters
    ----------
    outlet : str
        The outlet.
    document_id : str or None
        The document; None for the outlet's texts taken together.
    documents : int
        Number of documents measured (1 for a document).
    readability : Readability
        The measures, from :func:`biaskit.readability.readability`.
    """

    outlet: str
    document_id: str | None
    documents: int
    readability: Readability


def _readability_fields(value: Readability) -> dict[str, Any]:
    return dict(attrs.asdict(value, recurse=False))


@attrs.frozen
class ReadabilityTable:
    """Readability per document and per outlet.

    Parameters
    ----------
    documents : tuple of TextReadability
        One per document, in corpus order.
    outlets : tuple of TextReadability
        One per outlet (sorted): its documents' article texts measured together,
        so that scores are word-weighted, not a mean of per-document scores.
    """

    documents: tuple[TextReadability, ...]
    outlets: tuple[TextReadability, ...]

    def outlet(self, outlet: str) -> Readability:
        """Return the readability of ``outlet``'s texts together.

        Raises
        ------
        KeyError
            If the table has no such outlet.
        """
        for entry in self.outlets:
            if entry.outlet == outlet:
                return entry.readability
        raise KeyError(f"no outlet {outlet!r} in the table")

    def rows(self, level: str = "outlet") -> list[dict[str, Any]]:
        """Return one dict per outlet (``level="outlet"``) or document (``"document"``)."""
        entries = _level(self, level)
        return [
            {
                "outlet": e.outlet,
                **({"document": e.document_id} if level == "document" else {}),
                "documents": e.documents,
                **_readability_fields(e.readability),
            }
            for e in entries
        ]

    def to_pandas(self, level: str = "outlet") -> Any:
        """Return the outlet or document rows as a pandas DataFrame (``pandas`` extra)."""
        rows = self.rows(level)
        first = ["outlet", *(["document"] if level == "document" else []), "documents"]
        measures = [f.name for f in attrs.fields(Readability)]
        return _frame(rows, [*first, *measures])


def _level(table: ReadabilityTable, level: str) -> tuple[TextReadability, ...]:
    if level == "outlet":
        return table.outlets
    if level == "document":
        return table.documents
    raise ValueError(f"level must be 'outlet' or 'document', not {level!r}")


def readability_table(corpus: Corpus) -> ReadabilityTable:
    """Measure the readability of each document's article text, and of each outlet's.

    Boilerplate is removed first (:func:`article_text`); each document is
    measured in its own ``language``. An outlet's texts are measured together
    (joined by blank lines), which weighs documents by their length; its
    documents must share one language.

    Raises
    ------
    AnalysisError
        If one outlet's documents are in different languages.

    Examples
    --------
    >>> from biaskit import Corpus, Document, Schema
    >>> docs = [Document("a", "The cat sat. It was happy.", outlet="X"),
    ...         Document("b", "Notwithstanding considerable institutional opposition, "
    ...                       "the administration persevered.", outlet="Y")]
    >>> table = readability_table(Corpus(docs, Schema("s", "1", [])))
    >>> table.outlet("X").flesch_reading_ease > table.outlet("Y").flesch_reading_ease
    True
    """
    documents: list[TextReadability] = []
    texts: dict[str, list[str]] = {}
    languages: dict[str, set[str]] = {}
    for document in corpus.documents:
        text = _article(document.text, _boilerplate(corpus, document))
        texts.setdefault(document.outlet, []).append(text)
        languages.setdefault(document.outlet, set()).add(document.language)
        documents.append(
            TextReadability(
                document.outlet,
                document.id,
                1,
                readability(text, language=document.language),
            )
        )
    outlets: list[TextReadability] = []
    for outlet in corpus.outlets:
        if len(languages[outlet]) > 1:
            raise AnalysisError(
                f"outlet {outlet!r} has documents in {', '.join(sorted(languages[outlet]))}; "
                "its texts cannot be measured together"
            )
        (language,) = languages[outlet]
        joined = "\n\n".join(t for t in texts[outlet] if t)
        outlets.append(
            TextReadability(
                outlet, None, len(texts[outlet]), readability(joined, language=language)
            )
        )
    return ReadabilityTable(tuple(documents), tuple(outlets))


# --------------------------------------------------------------------------- same event


@attrs.frozen
class EventDocument:
    """One document of an event: its outlet, words and spans per label.

    Parameters
    ----------
    event : str
        The event key's value.
    document_id, outlet : str
        The document and its outlet.
    title : str or None
        Its title.
    words : int
        Words of its article text.
    spans : FrozenMap of int
        Spans per label (every label of the comparison, zeros included).
    """

    event: str
    document_id: str
    outlet: str
    title: str | None
    words: int
    spans: FrozenMap[int]

    def per_1000(self, label: str) -> float:
        """Return the spans of ``label`` per 1,000 words (NaN without words)."""
        return 1000.0 * self.spans[label] / self.words if self.words else math.nan


@attrs.frozen
class EventComparison:
    """Documents grouped by a shared event key, side by side.

    Parameters
    ----------
    key : str
        The metadata key grouping documents (``"event"``).
    annotator : str
        Whose spans were counted.
    labels : tuple of str
        The labels counted.
    events : tuple of str
        The events with at least ``min_documents`` documents, sorted.
    documents : tuple of EventDocument
        Their documents, by event, then outlet, then id.
    """

    key: str
    annotator: str
    labels: tuple[str, ...]
    events: tuple[str, ...]
    documents: tuple[EventDocument, ...]

    def event(self, event: str) -> tuple[EventDocument, ...]:
        """Return the documents of ``event`` (empty if there is no such event)."""
        return tuple(d for d in self.documents if d.event == event)

    def outlet_means(self) -> dict[str, dict[str, float]]:
        """Return, per outlet, the mean over its events of each label's rate per 1,000 words.

        With BASIL's triplets (one article per outlet per event) this compares
        outlets on the same news, which a corpus-wide rate does not.
        """
        sums: dict[str, dict[str, list[float]]] = {}
        for d in self.documents:
            if not d.words:
                continue
            cell = sums.setdefault(d.outlet, {label: [] for label in self.labels})
            for label in self.labels:
                cell[label].append(d.per_1000(label))
        return {
            outlet: {label: float(np.mean(v)) for label, v in cell.items()}
            for outlet, cell in sorted(sums.items())
        }

    def rows(self) -> list[dict[str, Any]]:
        """Return one dict per document, with a count and a rate column per label."""
        return [
            {
                "event": d.event,
                "document": d.document_id,
                "outlet": d.outlet,
                "title": d.title,
                "words": d.words,
                **{label: d.spans[label] for label in self.labels},
                **{f"{label}_per_1000": _nan_to_none(d.per_1000(label)) for label in self.labels},
            }
            for d in self.documents
        ]

    def to_pandas(self) -> Any:
        """Return the documents as a pandas DataFrame (needs the ``pandas`` extra)."""
        columns = ["event", "document", "outlet", "title", "words", *self.labels]
        columns += [f"{label}_per_1000" for label in self.labels]
        return _frame(self.rows(), columns)


def _event_value(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None if value is None else str(value).lower()
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def compare_events(
    corpus: Corpus,
    *,
    key: str = "event",
    annotator: str = "gold",
    labels: Iterable[str] | None = None,
    min_documents: int = 2,
) -> EventComparison:
    """Put side by side the documents that share an event key in their metadata.

    BASIL's triplets are the real example: Fox News, The New York Times and
    HuffPost on one event, each document carrying ``metadata["event"]``.
    Comparing outlets within events controls for what happened, which a
    corpus-wide rate does not.

    Parameters
    ----------
    corpus : Corpus
        Documents, schema and spans.
    key : str
        The metadata key naming the event; documents without it are left out.
        Its value must be a string or a number.
    annotator : str
        Whose spans to count.
    labels : iterable of str or None
        The labels to count; None for every schema label but ``BOILERPLATE``.
    min_documents : int
        Events with fewer documents are left out.

    Returns
    -------
    EventComparison
        Empty (no events) when no documents share a key.

    Raises
    ------
    AnalysisError
        If the corpus has no spans by ``annotator`` or ``labels`` names an
        unknown label.

    Examples
    --------
    >>> from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
    >>> docs = [Document("f", "A brutal raid.", outlet="fox", metadata={"event": "e1"}),
    ...         Document("n", "A raid.", outlet="nyt", metadata={"event": "e1"}),
    ...         Document("x", "Other news.", outlet="nyt")]
    >>> sets = [AnnotationSet(docs[0], "gold", [Span(2, 8, "EPITHET")])]
    >>> table = compare_events(Corpus(docs, Schema("s", "1", [LabelSpec("EPITHET")]), sets))
    >>> [(d.outlet, d.spans["EPITHET"], d.words) for d in table.event("e1")]
    [('fox', 1, 3), ('nyt', 0, 2)]
    """
    if min_documents < 1:
        raise ValueError(f"min_documents must be at least 1, not {min_documents}")
    _check_annotator(corpus, annotator)
    chosen = _check_labels(corpus, labels)
    groups: dict[str, list[Document]] = {}
    for document in corpus.documents:
        value = _event_value(document.metadata.get(key))
        if value is not None:
            groups.setdefault(value, []).append(document)
    events = tuple(sorted(e for e, docs in groups.items() if len(docs) >= min_documents))
    rows: list[EventDocument] = []
    for event in events:
        for document in sorted(groups[event], key=lambda d: (d.outlet, d.id)):
            intervals = _boilerplate(corpus, document)
            found = _label_counts(corpus, document, annotator, intervals)
            rows.append(
                EventDocument(
                    event=event,
                    document_id=document.id,
                    outlet=document.outlet,
                    title=document.title,
                    words=_words(document.text, intervals),
                    spans=FrozenMap({label: found[label] for label in chosen}),
                )
            )
    return EventComparison(
        key=key, annotator=annotator, labels=chosen, events=events, documents=tuple(rows)
    )
