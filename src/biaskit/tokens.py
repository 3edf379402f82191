"""Word tokens with code-point offsets, for token-level measures and features.

One tokenizer serves agreement, evaluation and features so that "a token" means
the same thing everywhere: a run of word characters (letters, digits, marks,
with inner apostrophes and hyphens), or a single other non-space character.

Examples
--------
>>> text = "Iran’s so-called ‘satellites’ fired 18 missiles."
>>> [text[s:e] for s, e in tokenize(text)]
['Iran’s', 'so-called', '‘', 'satellites', '’', 'fired', '18', 'missiles', '.']
>>> tokens_in(tokenize(text), 17, 29)
[2, 3, 4]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

__all__ = ["tokenize", "tokens_in"]

# A word: word characters, optionally joined by one apostrophe or hyphen
# (don't, Iran’s, al-Muhandis); anything else non-space is a token of its own.
_TOKEN = re.compile(r"[^\W_](?:[\w]|['’\-‐](?=[^\W_]))*|\S", re.UNICODE)


def tokenize(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` code-point offsets of the tokens of ``text``."""
    return [m.span() for m in _TOKEN.finditer(text)]


def tokens_in(tokens: Sequence[tuple[int, int]], start: int, end: int) -> list[int]:
    """Return the indices of the tokens wholly inside ``[start, end)``.

    ``tokens`` must be sorted, as :func:`tokenize` returns them.
    """
    starts = [s for s, _ in tokens]
    i = bisect.bisect_left(starts, start)
    found = []
    while i < len(tokens) and tokens[i][0] < end:
        if tokens[i][1] <= end:
            found.append(i)
        i += 1
    return found
