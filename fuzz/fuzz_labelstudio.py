"""Fuzz the Label Studio reader: a JSON export of tasks."""

from __future__ import annotations

from pathlib import Path

from _common import Harness, biaskit, foreign_check, main, seed_corpus


def build(folder: Path) -> Path:
    """Write the seed corpus as a Label Studio export; return the file."""
    folder.mkdir(parents=True)
    biaskit.save_labelstudio(seed_corpus(), folder / "export.json")
    return folder / "export.json"


HARNESS = Harness(build, {"export": "export.json"}, foreign_check("labelstudio"))

if __name__ == "__main__":
    main(HARNESS)
