"""Fuzz the doccano reader: one annotator's JSONL file (UTF-16 offsets)."""

from __future__ import annotations

from pathlib import Path

from _common import Harness, biaskit, foreign_check, main, seed_corpus


def build(folder: Path) -> Path:
    """Write the seed corpus as doccano JSONL, a file per annotator; return the folder."""
    biaskit.save_doccano(seed_corpus(), folder)
    return folder


HARNESS = Harness(build, {"alice": "alice.jsonl", "bob": "bob.jsonl"}, foreign_check("doccano"))

if __name__ == "__main__":
    main(HARNESS)
