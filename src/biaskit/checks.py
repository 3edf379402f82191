r"""Checks of texts and spans that do not depend on any file format.

Every reader (the native corpus folder and the foreign formats) runs these on
what it read and places the problems at the right file and line. They return
unlocated :class:`~biaskit.errors.Problem` objects.

Examples
--------
>>> from biaskit.model import Span
>>> text = "They called it an ‘assassination’. "
>>> [p.code for p in check_span_text(text, Span(18, 35, "SCARE_QUOTE"))]
['span-edge']
>>> [p.code for p in check_text("line one\r\nline two\n")]
['newline-style']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Protocol

from biaskit.errors import Problem
from biaskit.model import AttributeValue

__all__ = [
    "SpanLike",
    "check_overlaps",
    "check_span_text",
    "check_text",
    "splits_cluster",
]

_EDGE_PUNCTUATION = ".,:;"


class SpanLike(Protocol):
    """What the checks read of a span: a :class:`~biaskit.model.Span` or a lighter record."""

    @property
    def start(self) -> int: ...  # noqa: D102

    @property
    def end(self) -> int: ...  # noqa: D102

    @property
    def label(self) -> str: ...  # noqa: D102

    @property
    def attributes(self) -> Mapping[str, AttributeValue]: ...  # noqa: D102


_ZWJ = "\u200d"


def check_text(text: str) -> list[Problem]:
    r"""Return warnings about a document text: a byte-order mark, CRLF or mixed newlines.

    The text is never changed; these warn that offsets counted by other tools
    may disagree with biaskit's (which count ``\r\n`` as two code points).
    """
    problems: list[Problem] = []
    if text.startswith("\ufeff"):
        problems.append(
            Problem(
                "text starts with a byte-order mark (U+FEFF), which counts as one code point",
                "bom",
                "warning",
            )
        )
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    lone_lf = text.count("\n") - crlf
    styles = [name for name, n in (("CRLF", crlf), ("CR", lone_cr), ("LF", lone_lf)) if n]
    if len(styles) > 1:
        problems.append(
            Problem(
                f"text mixes newline styles ({', '.join(styles)}); tools that normalise "
                "newlines will count offsets differently",
                "newline-style",
                "warning",
            )
        )
    elif styles and styles[0] != "LF":
        width = "two code points" if styles[0] == "CRLF" else "one code point"
        problems.append(
            Problem(
                f"text uses {styles[0]} newlines; each counts as {width} here, "
                "but some tools count them differently",
                "newline-style",
                "warning",
            )
        )
    return problems


def _is_extender(char: str) -> bool:
    """Whether ``char`` attaches to the character before it in one grapheme cluster."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or char == _ZWJ
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0xE0100 <= code <= 0xE01EF  # variation selectors supplement
        or 0x1F3FB <= code <= 0x1F3FF  # emoji skin-tone modifiers
        or 0xE0020 <= code <= 0xE007F  # emoji tag sequences
    )


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def splits_cluster(text: str, offset: int) -> bool:
    r"""Whether a boundary at ``offset`` falls inside a user-perceived character.

    Covers ``\r\n``, combining marks, ZWJ emoji sequences, variation
    selectors, skin-tone modifiers, tag sequences and flag pairs; an
    approximation of Unicode extended grapheme clusters that needs no
    third-party package.

    >>> splits_cluster("e\u0301", 1), splits_cluster("a b", 1), splits_cluster("\r\n", 1)
    (True, False, True)
    """
    if offset <= 0 or offset >= len(text):
        return False
    before, after = text[offset - 1], text[offset]
    if before == "\r" and after == "\n":
        return True
    if _is_extender(after) or before == _ZWJ:
        return True
    if _is_regional_indicator(before) and _is_regional_indicator(after):
        run = 0
        i = offset - 1
        while i >= 0 and _is_regional_indicator(text[i]):
            run += 1
            i -= 1
        return run % 2 == 1
    return False


def _quiet_edges(text: str, start: int, end: int) -> bool:
    r"""Whether :func:`check_span_text` has nothing to say about a span's edges.

    Cheap in the common case: edge characters that are not space nor ``.,:;``,
    and ASCII on both sides of each boundary other than a ``\r`` (no ASCII
    character joins a cluster but ``\r`` before ``\n``); only other boundaries
    are looked at closely. The span must lie within the text.

    >>> _quiet_edges("a caf\u00e9 b", 2, 6), _quiet_edges("a cafe\u0301 b", 2, 6)
    (True, False)
    """
    first, last = text[start], text[end - 1]
    if first.isspace() or last.isspace() or first in _EDGE_PUNCTUATION:
        return False
    if last in _EDGE_PUNCTUATION:
        return False
    for offset in (start, end):
        if 0 < offset < len(text):
            before, after = text[offset - 1], text[offset]
            plain = before != "\r" and before.isascii() and after.isascii()
            if not plain and splits_cluster(text, offset):
                return False
    return True


def check_span_text(text: str, span: SpanLike) -> list[Problem]:
    """Return warnings about where a span's edges fall in ``text``.

    Whitespace or ``.,:;`` at an edge (no tokenizer aligns such a span, and
    PTC-style data trims them); an edge that splits a character cluster.
    The span must lie within the text.
    """
    if _quiet_edges(text, span.start, span.end):
        return []
    problems: list[Problem] = []
    covered = text[span.start : span.end]
    for side, char in (("start", covered[0]), ("end", covered[-1])):
        if char.isspace() or char in _EDGE_PUNCTUATION:
            problems.append(
                Problem(
                    f"span {span.label} [{span.start}, {span.end}) has {_describe(char)} at its "
                    f"{side}; expected a span trimmed to the words it marks",
                    "span-edge",
                    "warning",
                )
            )
    for side, offset in (("start", span.start), ("end", span.end)):
        if splits_cluster(text, offset):
            problems.append(
                Problem(
                    f"span {span.label} [{span.start}, {span.end}) {side}s inside a character "
                    f"cluster ({_describe(text[offset - 1])} + {_describe(text[offset])})",
                    "split-cluster",
                    "warning",
                )
            )
    return problems


def _describe(char: str) -> str:
    if char.isspace() or unicodedata.category(char)[0] in "CMZ":
        name = unicodedata.name(char, "")
        return f"U+{ord(char):04X}" + (f" {name}" if name else "")
    return repr(char)


def check_overlaps(spans: Sequence[SpanLike]) -> list[tuple[int, int, Problem]]:
    """Find same-label overlaps and exact duplicates among one annotator's spans of one document.

    Returns ``(i, j, problem)`` with ``i < j`` indices into ``spans`` (the problem
    belongs to the later one, ``j``). An exact duplicate (same offsets, label
    and attributes) is a warning; any other overlap of two spans with the same
    label is an error.

    >>> from biaskit.model import Span
    >>> spans = [Span(0, 5, "A"), Span(3, 8, "A"), Span(3, 8, "B"), Span(3, 8, "B")]
    >>> [(i, j, p.code) for i, j, p in check_overlaps(spans)]
    [(0, 1, 'overlap'), (2, 3, 'exact-duplicate')]
    """
    problems: list[tuple[int, int, Problem]] = []
    by_label: dict[str, list[int]] = {}
    for index, span in enumerate(spans):
        by_label.setdefault(span.label, []).append(index)
    for label, indices in by_label.items():
        ordered = sorted(indices, key=lambda k: (spans[k].start, spans[k].end, k))
        active: list[int] = []
        for j in ordered:
            current = spans[j]
            active = [i for i in active if spans[i].end > current.start]
            for i in active:
                other = spans[i]
                first, second = (i, j) if i < j else (j, i)
                if (
                    other.start == current.start
                    and other.end == current.end
                    and other.attributes == current.attributes
                ):
                    problem = Problem(
                        f"span {label} [{current.start}, {current.end}) is an exact duplicate",
                        "exact-duplicate",
                        "warning",
                    )
                else:
                    a, b = spans[first], spans[second]
                    problem = Problem(
                        f"span {label} [{b.start}, {b.end}) overlaps span {label} "
                        f"[{a.start}, {a.end}) by the same annotator; spans of one label "
                        "must not overlap (merge them or change one label)",
                        "overlap",
                    )
                problems.append((first, second, problem))
            active.append(j)
    return sorted(problems, key=lambda t: (t[1], t[0]))
