"""Fuzz the native reader: ``documents.jsonl`` or a spans file of a valid corpus folder.

``biaskit.validate`` must return problems whatever the files hold, and
``biaskit.load_corpus`` may only raise biaskit's own errors.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from _common import Harness, biaskit, main, seed_corpus


def build(folder: Path) -> Path:
    """Write the seed corpus as a corpus folder; return it."""
    biaskit.save_corpus(seed_corpus(), folder)
    return folder


def check(folder: Path) -> None:
    """Validate and load the folder; only biaskit's errors may escape."""
    for problem in biaskit.validate(folder):
        if not isinstance(problem, biaskit.Problem):
            raise TypeError(f"validate returned {problem!r}, not a Problem")
    with contextlib.suppress(biaskit.BiaskitError):
        biaskit.load_corpus(folder)


HARNESS = Harness(
    build,
    {"documents": "documents.jsonl", "spans": "spans/alice.jsonl", "schema": "schema.json"},
    check,
)

if __name__ == "__main__":
    main(HARNESS)
