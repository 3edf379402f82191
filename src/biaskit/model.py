"""The data model: documents, spans and annotation sets.

Everything here is an immutable value object. Offsets are Python code points
over the document's exact text, half-open ``[start, end)``; a span does not own
a copy of its text, the document derives it. The model knows nothing about
files: readers and writers live in :mod:`biaskit.io`.

Examples
--------
>>> doc = Document("d1", "The US killed Soleimani.", outlet="Example")
>>> span = Span(7, 13, "EVENT_TERM", attributes={"concept": "soleimani_killing"})
>>> doc.covered_text(span)
'killed'
>>> aset = AnnotationSet(doc, "alice", [span])
>>> [doc.covered_text(s) for s in aset]
['killed']
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar, Union

import attrs

__all__ = [
    "AnnotationSet",
    "AttributeValue",
    "Document",
    "FrozenMap",
    "JsonValue",
    "Span",
    "merge_intervals",
    "text_sha256",
]

AttributeValue = str | int | float | bool
"""A span attribute value: a string, number or boolean."""

JsonValue = Union[str, int, float, bool, None, tuple["JsonValue", ...], "FrozenMap[JsonValue]"]
"""A metadata value: JSON data, with arrays as tuples and objects as :class:`FrozenMap`."""

V = TypeVar("V")


class FrozenMap(Mapping[str, V]):
    """An immutable, hashable mapping with string keys, kept in key order.

    Used for span attributes and document metadata so that the value objects
    holding them stay hashable.

    Examples
    --------
    >>> m = FrozenMap({"b": 1, "a": True})
    >>> list(m)
    ['a', 'b']
    >>> m == {"a": True, "b": 1}, hash(m) == hash(FrozenMap(a=True, b=1))
    (True, True)
    """

    __slots__ = ("_hash", "_items")

    def __init__(self, items: Mapping[str, V] | Iterable[tuple[str, V]] = (), **kwargs: V) -> None:
        merged = dict(items)
        merged.update(kwargs)
        for key in merged:
            if not isinstance(key, str):
                raise TypeError(f"mapping keys must be strings, not {type(key).__name__}")
        self._items: dict[str, V] = dict(sorted(merged.items()))
        self._hash: int | None = None

    def __getitem__(self, key: str) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(tuple(self._items.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._items == other._items
        if isinstance(other, Mapping):
            return self._items == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"

    def __reduce__(self) -> tuple[type[FrozenMap[V]], tuple[dict[str, V]]]:
        return (type(self), (self._items,))


def _is_attribute_value(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (str, int, bool))


def _attributes(value: Mapping[str, AttributeValue] | None) -> FrozenMap[AttributeValue]:
    if isinstance(value, FrozenMap):
        result: FrozenMap[AttributeValue] = value
    else:
        result = FrozenMap(value or {})
    for key, item in result.items():
        if not key:
            raise ValueError("attribute names must not be empty")
        if not _is_attribute_value(item):
            raise TypeError(
                f"attribute {key!r} must be a string, a finite number or a boolean, "
                f"not {type(item).__name__}"
            )
    return result


def _freeze_json(value: Any, where: str) -> JsonValue:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where} must be a finite number, not {value!r}")
        return value
    if isinstance(value, (list, tuple)):
        return tuple(_freeze_json(v, f"{where}[{i}]") for i, v in enumerate(value))
    if isinstance(value, Mapping):
        return FrozenMap({str(k): _freeze_json(v, f"{where}.{k}") for k, v in value.items()})
    raise TypeError(f"{where} must be JSON data, not {type(value).__name__}")


def _metadata(value: Mapping[str, Any] | None) -> FrozenMap[JsonValue]:
    frozen = _freeze_json(dict(value or {}), "metadata")
    assert isinstance(frozen, FrozenMap)
    return frozen


def _non_empty(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a string, not {type(value).__name__}")
    if not value or value != value.strip():
        raise ValueError(
            f"{attribute.name} must be a non-empty string without surrounding whitespace, "
            f"not {value!r}"
        )


def _optional_str(_instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a string or None, not {type(value).__name__}")


def _offset(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    # bool is an int subclass; True as an offset is always a mistake.
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"span {attribute.name} must be an integer, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"span {attribute.name} must be >= 0, not {value}")


def text_sha256(text: str) -> str:
    """Return the SHA-256 hex digest of ``text`` encoded as UTF-8.

    Raises
    ------
    ValueError
        If the text holds a lone surrogate, which no file can store.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            f"text holds a lone surrogate at code point {exc.start}; it cannot be stored as UTF-8"
        ) from None
    return hashlib.sha256(data).hexdigest()


@attrs.frozen
class Document:
    """A news article (or any text) as annotated: its exact text and metadata.

    The text is kept exactly as given, never re-normalised, so that every
    offset into it stays valid. Its SHA-256 is derived and lets files detect a
    text edited after annotation.

    Parameters
    ----------
    id : str
        Stable identifier, unique within a corpus.
    text : str
        The exact text as annotated.
    outlet : str
        The outlet or source that published it; ``"unknown"`` when not known.
    title, url, date : str or None
        Title, address and publication date (ISO 8601: ``2020-03-10`` or
        ``2020-03-10T16:12``) when known.
    language : str
        BCP 47 language tag.
    metadata : mapping
        Free JSON metadata (event keys, notes, provenance).

    Examples
    --------
    >>> doc = Document("d1", "Hello")
    >>> doc.sha256[:12]
    '185f8db32271'
    >>> doc.outlet
    'unknown'
    >>> Document("d1", "x", date="10 March")
    Traceback (most recent call last):
    ...
    ValueError: date must be ISO 8601 (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]), not '10 March'
    """

    id: str = attrs.field(validator=_non_empty)
    text: str = attrs.field()
    outlet: str = attrs.field(default="unknown", validator=_non_empty, kw_only=True)
    title: str | None = attrs.field(default=None, validator=_optional_str, kw_only=True)
    url: str | None = attrs.field(default=None, validator=_optional_str, kw_only=True)
    date: str | None = attrs.field(default=None, kw_only=True)
    language: str = attrs.field(default="en", validator=_non_empty, kw_only=True)
    metadata: FrozenMap[JsonValue] = attrs.field(
        factory=FrozenMap, converter=_metadata, kw_only=True
    )
    sha256: str = attrs.field(init=False, eq=False, repr=False)

    @text.validator
    def _check_text(self, _attribute: attrs.Attribute[str], value: object) -> None:
        if not isinstance(value, str):
            raise TypeError(f"text must be a string, not {type(value).__name__}")

    @date.validator
    def _check_date(self, _attribute: attrs.Attribute[str | None], value: object) -> None:
        _optional_str(self, _attribute, value)
        if value is not None and not _is_iso_date(str(value)):
            raise ValueError(
                f"date must be ISO 8601 (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]), not {value!r}"
            )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "sha256", text_sha256(self.text))

    def _repr_html_(self) -> str:
        # Jupyter display; biaskit.display uses only the standard library.
        from biaskit.display import render_html

        return render_html(self)

    def covered_text(self, span: Span) -> str:
        """Return the text a span covers.

        Raises
        ------
        ValueError
            If the span ends past the end of the text.
        """
        if span.end > len(self.text):
            raise ValueError(
                f"span [{span.start}, {span.end}) ends past the end of document "
                f"{self.id!r} ({len(self.text)} code points)"
            )
        return self.text[span.start : span.end]


# Exactly the documented shapes: ``fromisoformat`` alone accepts more on newer
# Pythons (week dates, "Z", hour-only times), so a file would be valid on one
# Python and invalid on another.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?)?")


def _is_iso_date(value: str) -> bool:
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


@attrs.frozen(order=True)
class Span:
    """A labelled stretch of a document's text, ``[start, end)`` in code points.

    Spans sort by ``(start, end, label)``; the other fields do not take part in
    ordering but do in equality.

    Parameters
    ----------
    start, end : int
        Code-point offsets, ``0 <= start < end``; ``end`` is exclusive.
    label : str
        The framing label, for example ``"EVENT_TERM"``.
    attributes : mapping of str to str, int, float or bool
        The label's attributes (``concept``, ``voice``...).
    annotator : str or None
        Who marked it; inside an :class:`AnnotationSet`, None or the set's annotator.
    note : str or None
        Free-text note, for example the reason for an adjudication.
    id : str or None
        Identifier, unique within one annotator's file.
    group : str or None
        Shared by the fragments of one discontinuous annotation (as brat has).

    Examples
    --------
    >>> Span(4, 9, "EPITHET") < Span(4, 10, "ACTOR_LABEL")
    True
    >>> Span(5, 5, "EPITHET")
    Traceback (most recent call last):
    ...
    ValueError: span end must be greater than start, got [5, 5)
    >>> Span(0, 3, "")
    Traceback (most recent call last):
    ...
    ValueError: label must be a non-empty string without surrounding whitespace, not ''
    """

    start: int = attrs.field(validator=_offset)
    end: int = attrs.field(validator=_offset)
    label: str = attrs.field(validator=_non_empty)
    attributes: FrozenMap[AttributeValue] = attrs.field(
        factory=FrozenMap, converter=_attributes, order=False, kw_only=True
    )
    annotator: str | None = attrs.field(
        default=None, validator=_optional_str, order=False, kw_only=True
    )
    note: str | None = attrs.field(default=None, validator=_optional_str, order=False, kw_only=True)
    id: str | None = attrs.field(default=None, validator=_optional_str, order=False, kw_only=True)
    group: str | None = attrs.field(
        default=None, validator=_optional_str, order=False, kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"span end must be greater than start, got [{self.start}, {self.end})")

    @property
    def length(self) -> int:
        """Number of code points covered."""
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """Whether the two spans share at least one code point (touching is not overlap).

        >>> Span(0, 5, "A").overlaps(Span(5, 9, "A")), Span(0, 5, "A").overlaps(Span(4, 9, "B"))
        (False, True)
        """
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        """Whether ``other`` lies within this span."""
        return self.start <= other.start and other.end <= self.end

    def sort_key(self) -> tuple[int, int, str, str]:
        """Return the total order used in files: start, end, label, then id."""
        return (self.start, self.end, self.label, self.id or "")


def merge_intervals(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge ``[start, end)`` intervals that share a position; touching ones stay apart.

    This is the merge the field's span measures apply to one annotator's spans
    of one label before scoring (SemEval-2020 Task 11, unitizing α).

    >>> merge_intervals([(5, 9), (0, 3), (2, 4), (4, 5)])
    [(0, 4), (4, 5), (5, 9)]
    """
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _span_tuple(spans: Iterable[Span]) -> tuple[Span, ...]:
    spans = tuple(spans)
    # Checked here, not in the validator: sorting runs first and needs Spans.
    for span in spans:
        if not isinstance(span, Span):
            raise TypeError(f"spans must be Span objects, not {type(span).__name__}")
    return tuple(sorted(spans, key=Span.sort_key))


@attrs.frozen
class AnnotationSet:
    """One annotator's spans over one document.

    Spans are kept sorted by :meth:`Span.sort_key`.

    Parameters
    ----------
    document : Document
        The document annotated.
    annotator : str
        Who annotated it (a person, ``"gold"``, or a model's name).
    spans : iterable of Span
        Spans over ``document.text``; each ends within the text.

    Examples
    --------
    >>> doc = Document("d", "abc")
    >>> AnnotationSet(doc, "a", [Span(1, 4, "X")])
    Traceback (most recent call last):
    ...
    ValueError: span [1, 4) X ends past the end of document 'd' (3 code points)
    """

    document: Document
    annotator: str = attrs.field(validator=_non_empty)
    spans: tuple[Span, ...] = attrs.field(default=(), converter=_span_tuple)

    @spans.validator
    def _check_spans(
        self, _attribute: attrs.Attribute[tuple[Span, ...]], value: tuple[Span, ...]
    ) -> None:
        n = len(self.document.text)
        for span in value:
            if span.end > n:
                raise ValueError(
                    f"span [{span.start}, {span.end}) {span.label} ends past the end of "
                    f"document {self.document.id!r} ({n} code points)"
                )
            if span.annotator is not None and span.annotator != self.annotator:
                raise ValueError(
                    f"span [{span.start}, {span.end}) {span.label} is by {span.annotator!r}, "
                    f"but the set is by {self.annotator!r}"
                )

    def _repr_html_(self) -> str:
        # Jupyter display: the text with this set's spans highlighted.
        from biaskit.display import render_html

        return render_html(self.document, [self])

    @property
    def document_id(self) -> str:
        """The id of the annotated document."""
        return self.document.id

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels used, sorted."""
        return tuple(sorted({s.label for s in self.spans}))

    def with_label(self, label: str) -> tuple[Span, ...]:
        """Return the spans with ``label``."""
        return tuple(s for s in self.spans if s.label == label)

    def covered_texts(self) -> list[str]:
        """Return the text of each span, in span order."""
        return [self.document.covered_text(s) for s in self.spans]

    def __iter__(self) -> Iterator[Span]:
        return iter(self.spans)

    def __len__(self) -> int:
        return len(self.spans)
