"""Merge several annotators' spans into one gold set, reporting every conflict.

Keep every annotator's raw spans and compute agreement first; then merge.
Four methods, per label:

``token-majority``
    A token is in the gold set when more than ``threshold`` of the annotators
    put it in a span of that label (a token counts when wholly inside a span).
    Runs of consecutive gold tokens become spans.
``union``
    Every span of every annotator; overlapping same-label spans are joined.
``intersection``
    The stretches of text that every annotator covered with the label.
``exact-majority``
    A span (same start, end and label) is kept when more than ``threshold`` of
    the annotators marked it exactly.

With two annotators and the default threshold 0.5, token-majority and
exact-majority keep only what both marked. Attributes of a gold span come from
the annotators' spans it was made from when they agree; otherwise the value
most of them gave (ties: the first annotator in the order given), and the
disagreement is reported.

A :class:`Conflict` is every place where the annotators did not mark exactly
the same spans (offsets, label, attributes): an adjudicator reads the versions
side by side, edits the gold file and validates it again.

Examples
--------
>>> from biaskit.model import AnnotationSet, Document, Span
>>> doc = Document("d", "The US assassinated the legendary general.")
>>> a = AnnotationSet(doc, "a", [Span(7, 19, "EVENT_TERM"), Span(24, 33, "EPITHET")])
>>> b = AnnotationSet(doc, "b", [Span(7, 19, "EVENT_TERM"), Span(24, 41, "EPITHET")])
>>> result = adjudicate([a, b], method="token-majority")
>>> [(doc.text[s.start:s.end], s.label) for s in result.sets[0].spans]
[('assassinated', 'EVENT_TERM'), ('legendary', 'EPITHET')]
>>> [(c.kind, c.start, c.end) for c in result.conflicts]
[('boundary', 24, 41)]
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs

from biaskit.model import AnnotationSet, AttributeValue, Document, Span
from biaskit.tokens import tokenize, tokens_in

__all__ = [
    "Adjudication",
    "Conflict",
    "MergeMethod",
    "adjudicate",
    "conflicts_to_dicts",
    "render_conflicts",
]

MergeMethod = Literal["token-majority", "union", "intersection", "exact-majority"]
_METHODS: tuple[str, ...] = ("token-majority", "union", "intersection", "exact-majority")

ConflictKind = Literal["missing", "boundary", "label", "attribute"]


@attrs.frozen
class Conflict:
    """One place where annotators disagreed, with every version and the merge's outcome.

    Attributes
    ----------
    document_id : str
        The document.
    start, end : int
        The stretch of text the disagreeing spans cover together.
    kind : {"missing", "boundary", "label", "attribute"}
        ``missing``: some annotators marked nothing there; ``label``: they chose
        different labels; ``boundary``: same label, different offsets;
        ``attribute``: same span, different attribute values.
    versions : tuple of (annotator, spans)
        Each annotator's spans in the stretch, in the order annotators were given.
    resolution : tuple of Span
        The gold spans the merge put in the stretch.
    """

    document_id: str
    start: int
    end: int
    kind: ConflictKind
    versions: tuple[tuple[str, tuple[Span, ...]], ...]
    resolution: tuple[Span, ...]


@attrs.frozen
class Adjudication:
    """The gold annotation sets and the conflicts the merge resolved."""

    sets: tuple[AnnotationSet, ...]
    conflicts: tuple[Conflict, ...]
    method: str
    threshold: float
    annotators: tuple[str, ...]


def _majority(values: Sequence[AttributeValue]) -> AttributeValue:
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in values if counts[v] == best)


def _merge_attributes(sources: Sequence[Span]) -> dict[str, AttributeValue]:
    names = sorted({k for s in sources for k in s.attributes})
    merged: dict[str, AttributeValue] = {}
    for name in names:
        values = [s.attributes[name] for s in sources if name in s.attributes]
        merged[name] = _majority(values)
    return merged


def _hull_runs(spans: Iterable[Span]) -> list[tuple[int, int, list[Span]]]:
    """Join overlapping spans (touching ones stay apart) into (start, end, members)."""
    runs: list[tuple[int, int, list[Span]]] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if runs and span.start < runs[-1][1]:
            start, end, members = runs[-1]
            runs[-1] = (start, max(end, span.end), [*members, span])
        else:
            runs.append((span.start, span.end, [span]))
    return runs


def _merge_label(
    tokens: list[tuple[int, int]],
    per_annotator: Sequence[Sequence[Span]],
    method: str,
    threshold: float,
) -> list[tuple[int, int, list[Span]]]:
    """Return gold (start, end, source spans) for one label of one document."""
    n = len(per_annotator)
    everything = [s for spans in per_annotator for s in spans]
    if method == "union":
        return _hull_runs(everything)
    if method == "exact-majority":
        votes: Counter[tuple[int, int]] = Counter()
        for spans in per_annotator:
            votes.update({(s.start, s.end) for s in spans})
        kept = sorted(k for k, v in votes.items() if v / n > threshold)
        return [(s, e, [x for x in everything if (x.start, x.end) == (s, e)]) for s, e in kept]
    if method == "intersection":
        # Character coverage by every annotator.
        cover: Counter[int] = Counter()
        for spans in per_annotator:
            covered: set[int] = set()
            for s in spans:
                covered.update(range(s.start, s.end))
            cover.update(covered)
        chars = sorted(c for c, v in cover.items() if v == n)
        runs: list[tuple[int, int]] = []
        for c in chars:
            if runs and runs[-1][1] == c:
                runs[-1] = (runs[-1][0], c + 1)
            else:
                runs.append((c, c + 1))
        return [(s, e, [x for x in everything if x.start < e and s < x.end]) for s, e in runs]
    # token-majority
    token_votes: Counter[int] = Counter()
    for spans in per_annotator:
        inside: set[int] = set()
        for s in spans:
            inside.update(tokens_in(tokens, s.start, s.end))
        token_votes.update(inside)
    gold_tokens = sorted(t for t, v in token_votes.items() if v / n > threshold)
    token_runs: list[list[int]] = []
    for t in gold_tokens:
        if token_runs and token_runs[-1][-1] == t - 1:
            token_runs[-1].append(t)
        else:
            token_runs.append([t])
    result = []
    for run in token_runs:
        lo, hi = tokens[run[0]][0], tokens[run[-1]][1]
        result.append((lo, hi, [x for x in everything if x.start < hi and lo < x.end]))
    return result


def _conflicts(
    document: Document,
    annotators: Sequence[str],
    spans: Mapping[str, Sequence[Span]],
    gold: Sequence[Span],
) -> list[Conflict]:
    """Group all annotators' spans into overlap clusters; report clusters that differ."""
    tagged = [(a, s) for a in annotators for s in spans[a]]
    tagged.sort(key=lambda t: (t[1].start, t[1].end))
    clusters: list[tuple[int, int, list[tuple[str, Span]]]] = []
    for annotator, span in tagged:
        if clusters and span.start < clusters[-1][1]:
            start, end, members = clusters[-1]
            clusters[-1] = (start, max(end, span.end), [*members, (annotator, span)])
        else:
            clusters.append((span.start, span.end, [(annotator, span)]))
    found = []
    for start, end, members in clusters:
        versions = tuple(
            (a, tuple(sorted((s for b, s in members if b == a), key=Span.sort_key)))
            for a in annotators
        )
        keys = {
            a: sorted((s.start, s.end, s.label, tuple(s.attributes.items())) for s in v)
            for a, v in versions
        }
        if all(k == keys[annotators[0]] for k in keys.values()):
            continue
        kind: ConflictKind
        if any(not v for _, v in versions):
            kind = "missing"
        elif len({frozenset(s.label for s in v) for _, v in versions}) > 1:
            kind = "label"
        elif len({tuple((s.start, s.end, s.label) for s in v) for _, v in versions}) > 1:
            kind = "boundary"
        else:
            kind = "attribute"
        resolution = tuple(g for g in gold if g.start < end and start < g.end)
        found.append(Conflict(document.id, start, end, kind, versions, resolution))
    return found


def adjudicate(
    sets: Iterable[AnnotationSet],
    *,
    method: MergeMethod = "token-majority",
    threshold: float = 0.5,
    annotator: str = "gold",
    annotators: Sequence[str] | None = None,
    carry: Iterable[AnnotationSet] = (),
) -> Adjudication:
    """Merge annotation sets of several annotators into gold sets, per document and label.

    Parameters
    ----------
    sets : iterable of AnnotationSet
        The annotators' sets; a document an annotator did not mark counts as
        marked with nothing, when the annotator marked other documents.
    method : {"token-majority", "union", "intersection", "exact-majority"}
        How to merge (see the module docstring).
    threshold : float
        For the majority methods, the share of annotators that must be
        exceeded, in ``[0, 1)``.
    annotator : str
        The name of the merged sets.
    annotators : sequence of str, optional
        The annotators to merge, in order of precedence for ties; default all,
        sorted.
    carry : iterable of AnnotationSet
        Sets copied into the gold set unchanged (for example the boilerplate
        marked by :func:`biaskit.mark_boilerplate`); their spans are not voted on.

    Returns
    -------
    Adjudication
        The gold sets (one per document with spans) and every conflict.

    Raises
    ------
    ValueError
        For an unknown method, a threshold outside ``[0, 1)``, or fewer than two annotators.
    """
    if method not in _METHODS:
        raise ValueError(f"unknown merge method {method!r}; expected one of {', '.join(_METHODS)}")
    if not 0 <= threshold < 1 or math.isnan(threshold):
        raise ValueError(f"threshold must be in [0, 1), not {threshold}")
    all_sets = list(sets)
    names = list(annotators) if annotators is not None else sorted({s.annotator for s in all_sets})
    if len(names) < 2:
        raise ValueError(f"adjudication needs at least two annotators, got {names}")
    documents: dict[str, Document] = {}
    spans: dict[str, dict[str, list[Span]]] = {}
    for aset in all_sets:
        if aset.annotator not in names:
            continue
        documents[aset.document.id] = aset.document
        spans.setdefault(aset.document.id, {}).setdefault(aset.annotator, []).extend(aset.spans)
    carried: dict[str, list[Span]] = {}
    for aset in carry:
        documents.setdefault(aset.document.id, aset.document)
        carried.setdefault(aset.document.id, []).extend(
            attrs.evolve(s, annotator=annotator, id=None) for s in aset.spans
        )
    gold_sets = []
    conflicts: list[Conflict] = []
    for doc_id in sorted(documents):
        document = documents[doc_id]
        by_annotator = {a: spans.get(doc_id, {}).get(a, []) for a in names}
        tokens = tokenize(document.text)
        labels = sorted({s.label for v in by_annotator.values() for s in v})
        gold: list[Span] = []
        for label in labels:
            per = [[s for s in by_annotator[a] if s.label == label] for a in names]
            for start, end, sources in _merge_label(tokens, per, method, threshold):
                notes = [s.note for s in sources if s.note]
                gold.append(
                    Span(
                        start,
                        end,
                        label,
                        attributes=_merge_attributes(sources),
                        annotator=annotator,
                        note=notes[0] if len(set(notes)) == 1 else None,
                    )
                )
        conflicts.extend(_conflicts(document, names, by_annotator, gold))
        merged = gold + carried.get(doc_id, [])
        if merged:
            gold_sets.append(AnnotationSet(document, annotator, merged))
    return Adjudication(tuple(gold_sets), tuple(conflicts), method, threshold, tuple(names))


def _span_text(document_text: str | None, span: Span) -> str:
    shown = f"{span.label} [{span.start}, {span.end})"
    if document_text is not None:
        shown += f" {document_text[span.start : span.end]!r}"
    if span.attributes:
        shown += " " + ", ".join(f"{k}={v}" for k, v in span.attributes.items())
    return shown


def render_conflicts(result: Adjudication, documents: Mapping[str, Document] | None = None) -> str:
    """Render the conflicts as text, each with every annotator's version and the gold outcome."""
    texts = {k: d.text for k, d in (documents or {}).items()}
    lines = [
        f"{len(result.conflicts)} conflict(s) resolved by {result.method} "
        f"(threshold {result.threshold}) between {', '.join(result.annotators)}"
    ]
    for c in result.conflicts:
        text = texts.get(c.document_id)
        lines.append("")
        lines.append(f"{c.document_id} [{c.start}, {c.end}) {c.kind}")
        for who, spans in c.versions:
            shown = "; ".join(_span_text(text, s) for s in spans) or "(nothing)"
            lines.append(f"  {who}: {shown}")
        gold = "; ".join(_span_text(text, s) for s in c.resolution) or "(nothing)"
        lines.append(f"  => gold: {gold}")
    return "\n".join(lines)


def _span_dict(span: Span) -> dict[str, Any]:
    return {
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "attributes": dict(span.attributes),
        "id": span.id,
    }


def conflicts_to_dicts(result: Adjudication) -> list[dict[str, Any]]:
    """Return the conflicts as JSON-ready records."""
    return [
        {
            "document": c.document_id,
            "start": c.start,
            "end": c.end,
            "kind": c.kind,
            "versions": {who: [_span_dict(s) for s in spans] for who, spans in c.versions},
            "gold": [_span_dict(s) for s in c.resolution],
        }
        for c in result.conflicts
    ]
