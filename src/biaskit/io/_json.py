"""JSON parsing where every way a parse fails is a :class:`json.JSONDecodeError`.

:func:`json.loads` also fails with a :class:`RecursionError` for arrays or
objects nested thousands deep, and with a plain :class:`ValueError` for an
integer longer than ``sys.get_int_max_str_digits()`` (4300) digits. Readers
report a ``JSONDecodeError`` with its position as a ``json-syntax`` problem;
these two must not escape as something else.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

__all__ = ["loads_json"]


def loads_json(text: str, decoder: json.JSONDecoder | None = None) -> Any:
    """Parse JSON text (with ``decoder`` if given); raise only ``JSONDecodeError`` for bad input.

    >>> loads_json('{"a": [1, 2]}')
    {'a': [1, 2]}
    >>> try:
    ...     loads_json("[" * 100_000)
    ... except json.JSONDecodeError as exc:
    ...     print(exc.msg)
    nested too deeply
    >>> try:
    ...     loads_json('{"start": ' + "7" * 5000 + "}")
    ... except json.JSONDecodeError as exc:
    ...     print(exc.msg, exc.colno)
    a number of 5000 digits, more than can be read 11
    """
    try:
        return json.loads(text) if decoder is None else decoder.decode(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, 0) from None
    except ValueError:
        # Python 3.11+ refuses to turn an integer of too many digits into an int.
        limit = getattr(sys, "get_int_max_str_digits", lambda: 0)() or 4300
        found = re.search(f"[0-9]{{{limit + 1},}}", text)
        if found is None:
            raise
        size = found.end() - found.start()
        raise json.JSONDecodeError(
            f"a number of {size} digits, more than can be read", text, found.start()
        ) from None
