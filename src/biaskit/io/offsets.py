r"""Conversion between biaskit's code-point offsets and the units other tools count.

biaskit counts Python code points over the exact text. Other tools count UTF-16
code units (JavaScript: doccano, older Label Studio, UIMA), UTF-8 bytes, or
code points over a text whose ``\r\n`` became ``\n``. Every reader and writer
converts through :class:`OffsetConverter`, at the file's edge only.

Examples
--------
>>> text = "😀 killed"          # one astral emoji: two UTF-16 units, four UTF-8 bytes
>>> OffsetConverter(text, "utf16").to_codepoint(3)
2
>>> OffsetConverter(text, "utf8").from_codepoint(2)
5
>>> OffsetConverter(text, "utf16").to_codepoint(1)
Traceback (most recent call last):
...
ValueError: utf16 offset 1 falls inside the character U+1F600 at code point 0
>>> units_matching("a\r\nb 😀 killed", 6, 12, "killed")
('crlf-as-one',)
"""

from __future__ import annotations

import bisect
from typing import Literal, get_args

__all__ = ["OffsetConverter", "OffsetUnit", "units_matching"]

OffsetUnit = Literal["codepoint", "utf16", "utf8", "crlf-as-one"]
"""``codepoint`` (biaskit, Python, brat, spaCy), ``utf16`` (JavaScript tools),
``utf8`` (bytes), ``crlf-as-one`` (code points with each ``\\r\\n`` counted once)."""

_UNITS: tuple[str, ...] = get_args(OffsetUnit)


def _width(char: str, unit: str) -> int:
    code = ord(char)
    if unit == "utf16":
        return 2 if code > 0xFFFF else 1
    # utf8
    if code < 0x80:
        return 1
    if code < 0x800:
        return 2
    if code < 0x10000:
        return 3
    return 4


class OffsetConverter:
    """Convert offsets over one text between code points and another unit.

    Parameters
    ----------
    text : str
        The exact text the offsets count over.
    unit : {"codepoint", "utf16", "utf8", "crlf-as-one"}
        The other unit.
    """

    __slots__ = ("_boundaries", "_text", "unit")

    def __init__(self, text: str, unit: OffsetUnit) -> None:
        if unit not in _UNITS:
            raise ValueError(f"unknown offset unit {unit!r}; expected one of {', '.join(_UNITS)}")
        self._text = text
        self.unit = unit
        # _boundaries[i] is the offset, in `unit`, of code point i (None: identity).
        self._boundaries: list[int] | None = None
        if unit == "codepoint" or (text.isascii() and unit != "crlf-as-one"):
            return
        if unit == "utf16" and all(ord(c) <= 0xFFFF for c in text):
            return
        if unit == "crlf-as-one" and "\r\n" not in text:
            return
        boundaries = [0] * (len(text) + 1)
        total = 0
        for i, char in enumerate(text):
            boundaries[i] = total
            if unit == "crlf-as-one":
                # The \r of a \r\n pair takes no room: the pair counts as one.
                total += 0 if char == "\r" and text[i + 1 : i + 2] == "\n" else 1
            else:
                total += _width(char, unit)
        boundaries[len(text)] = total
        self._boundaries = boundaries

    @property
    def length(self) -> int:
        """Length of the text in the converter's unit."""
        return len(self._text) if self._boundaries is None else self._boundaries[-1]

    def to_codepoint(self, offset: int) -> int:
        """Return the code-point offset of ``offset`` (in the converter's unit).

        Raises
        ------
        ValueError
            If the offset is out of range or falls inside one character (a
            surrogate pair, a UTF-8 sequence).
        """
        if not 0 <= offset <= self.length:
            raise ValueError(
                f"{self.unit} offset {offset} is outside the text (0 to {self.length})"
            )
        if self._boundaries is None:
            return offset
        index = bisect.bisect_left(self._boundaries, offset)
        if self._boundaries[index] != offset:
            char = self._text[index - 1]
            raise ValueError(
                f"{self.unit} offset {offset} falls inside the character U+{ord(char):04X} "
                f"at code point {index - 1}"
            )
        # In "crlf-as-one" the \r and \n of a pair share an offset; bisect_left
        # takes the \r, the boundary before the pair.
        return index

    def from_codepoint(self, offset: int) -> int:
        """Return ``offset`` (in code points) in the converter's unit."""
        if not 0 <= offset <= len(self._text):
            raise ValueError(
                f"code-point offset {offset} is outside the text (0 to {len(self._text)})"
            )
        return offset if self._boundaries is None else self._boundaries[offset]


def units_matching(text: str, start: int, end: int, covered: str) -> tuple[OffsetUnit, ...]:
    """Return the units in which ``[start, end)`` over ``text`` covers exactly ``covered``.

    Used to tell a user which unit a file's offsets were counted in when they
    disagree with code points.
    """
    found: list[OffsetUnit] = []
    for unit in _UNITS:
        converter = OffsetConverter(text, unit)  # type: ignore[arg-type]
        try:
            s, e = converter.to_codepoint(start), converter.to_codepoint(end)
        except ValueError:
            continue
        if text[s:e] == covered:
            found.append(unit)  # type: ignore[arg-type]
    return tuple(found)
