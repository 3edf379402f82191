"""Fuzz the spaCy reader: the payload of a DocBin (``.spacy``) that biaskit wrote.

A DocBin is zlib-compressed msgpack, so mutations of the file itself almost
all stop at zlib's checks (one reason: ``unreadable``). The fuzz bytes are
therefore the msgpack payload, compressed before being written: mutations
reach the Docs, their spans and biaskit's user data. (A target for the file
as it is would add nothing: libFuzzer keeps one of two seeds of the same
coverage, and the valid file and the valid payload read the same way.)
"""

from __future__ import annotations

import zlib
from pathlib import Path

from _common import Harness, biaskit, foreign_check, main, seed_corpus


def build(folder: Path) -> Path:
    """Write the seed corpus as a DocBin; return the file."""
    folder.mkdir(parents=True)
    biaskit.write_docbin(seed_corpus(), folder / "docs.spacy")
    return folder / "docs.spacy"


HARNESS = Harness(
    build,
    {"payload": ("docs.spacy", zlib.compress, zlib.decompress)},
    foreign_check("spacy"),
)

if __name__ == "__main__":
    main(HARNESS)
