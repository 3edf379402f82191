"""File names built from ids and annotator names, safe inside their folder.

Shared by every writer that names files after data (the native spans files,
brat, doccano, INCEpTION, PTC...), so that one rule decides what can escape
an output folder: nothing can.

Examples
--------
>>> safe_file_stem("article 1/../x")
'%article%201%2F%2E%2E%2Fx'
>>> decode_file_stem(safe_file_stem("article 1/../x"))
'article 1/../x'
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from biaskit.errors import BiaskitError

__all__ = ["decode_file_stem", "safe_file_stem"]

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*")
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}
_MAX_NAME = 200


def safe_file_stem(name: str) -> str:
    """Return a file name stem for an id that cannot escape its folder, reversibly.

    An id of ASCII letters, digits, ``_``, ``-`` and single inner dots (at most
    100 characters, not a Windows reserved name such as ``CON`` or ``nul.txt``)
    is used as it is. Any other id is written as ``%`` followed by its
    percent-encoded UTF-8 (every character but letters, digits, ``_`` and
    ``-`` encoded, so no ``/``, ``..``, NUL or drive letter survives);
    :func:`decode_file_stem` reverses it.

    Raises
    ------
    BiaskitError
        If the encoded name would be longer than 200 characters.

    >>> safe_file_stem("article111111111"), safe_file_stem("CON"), safe_file_stem("../etc")
    ('article111111111', '%CON', '%%2E%2E%2Fetc')
    """
    if len(name) <= 100 and _SAFE.fullmatch(name) and name.split(".")[0].lower() not in _RESERVED:
        return name
    encoded = "%" + quote(name, safe="").replace(".", "%2E").replace("~", "%7E")
    if len(encoded) > _MAX_NAME:
        raise BiaskitError(
            f"id {name[:40]!r}… is too long to be a file name ({len(encoded)} characters once "
            f"encoded; at most {_MAX_NAME}); shorten the id"
        )
    return encoded


def decode_file_stem(stem: str) -> str:
    """Return the id a file name stem was built from (see :func:`safe_file_stem`)."""
    if stem.startswith("%"):
        return unquote(stem[1:], errors="strict")
    return stem
