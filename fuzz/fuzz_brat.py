"""Fuzz the brat reader: a ``.ann`` file or its ``.txt``, in a folder per annotator."""

from __future__ import annotations

from pathlib import Path

from _common import Harness, biaskit, foreign_check, main, seed_corpus


def build(folder: Path) -> Path:
    """Write the seed corpus as brat, a folder per annotator; return the root."""
    # A folder per annotator; on_overlap="split" because bob's spans may overlap.
    biaskit.save_brat(seed_corpus(), folder)
    return folder


HARNESS = Harness(
    build,
    # annotation.conf is written but not read by the reader: not a target.
    {"ann": "alice/d1.ann", "txt": "alice/d1.txt", "bob-ann": "bob/d1.ann"},
    foreign_check("brat"),
)

if __name__ == "__main__":
    main(HARNESS)
