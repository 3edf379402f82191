"""Validate annotation files: every problem, located, never a traceback.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> problems = validate(folder / "nowhere")
>>> print(problems[0].code)
not-found
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from biaskit.errors import Problem
from biaskit.io.native import (
    DEFAULT_LIMITS,
    DOCUMENTS_FILE,
    SCHEMA_FILE,
    SPANS_DIR,
    ReadLimits,
    check_corpus,
)

__all__ = ["UNUSABLE_INPUT", "validate"]

UNUSABLE_INPUT = frozenset({"not-found", "not-a-corpus", "unreadable"})
"""Problem codes meaning the input could not be read at all (the CLI exits 2)."""


def _corpus_root(path: Path) -> Path | None:
    """Return the corpus folder a path is, or is a file of; None if neither."""
    if path.is_dir():
        if path.name == SPANS_DIR and (path.parent / DOCUMENTS_FILE).exists():
            return path.parent
        return path
    if path.name in (SCHEMA_FILE, DOCUMENTS_FILE):
        return path.parent
    if path.parent.name == SPANS_DIR:
        return path.parent.parent
    return None


def _same_file(shown: str | None, target: Path) -> bool:
    if shown is None:
        return False
    try:
        return Path(shown).resolve() == target.resolve()
    except OSError:
        return False


def validate(*paths: str | os.PathLike[str], limits: ReadLimits = DEFAULT_LIMITS) -> list[Problem]:
    """Check corpus folders, or files within them, and return every problem found.

    A folder is checked as a whole corpus. A file (``documents.jsonl``,
    ``schema.json`` or ``spans/NAME.jsonl``) is checked in the context of its
    corpus folder, and only the problems located in that file are returned, so
    that a pre-commit hook can pass just the files that changed. Each corpus
    is read once however many of its files are named.

    Parameters
    ----------
    *paths : path-like
        Corpus folders or files in them.
    limits : ReadLimits
        Bounds on line length and spans per file, so that a hostile file is
        reported instead of exhausting memory.

    Returns
    -------
    list of Problem
        Errors and warnings, in the order the files were read.
    """
    problems: list[Problem] = []
    # root -> None (whole corpus wanted) or the files asked for
    wanted: dict[Path, list[Path] | None] = {}
    shown_roots: dict[Path, str] = {}
    for raw in paths:
        path = Path(raw)
        display = os.fspath(raw)
        if not path.exists() and not path.is_symlink():
            problems.append(
                Problem(f"no such file or folder: {display}", "not-found", path=display)
            )
            continue
        root = _corpus_root(path)
        if root is None:
            problems.append(
                Problem(
                    f"expected a corpus folder, or its {SCHEMA_FILE}, {DOCUMENTS_FILE} or "
                    f"{SPANS_DIR}/NAME.jsonl; found {display}",
                    "not-a-corpus",
                    path=display,
                )
            )
            continue
        key = root.resolve()
        if root == path:
            shown_roots.setdefault(key, display)
        else:
            shown_roots.setdefault(key, str(Path(_strip_spans(path, display)).parent))
        files = wanted.get(key, [])
        if root == path or path.is_dir():
            wanted[key] = None
        elif files is not None:
            wanted[key] = [*files, path]
    for key, files in wanted.items():
        checked = check_corpus(shown_roots[key], build=False, limits=limits)
        problems.extend(_filter(checked.problems, files))
    return problems


def _strip_spans(path: Path, display: str) -> str:
    # spans/NAME.jsonl sits one folder deeper than the corpus files.
    return str(Path(display).parent) if path.parent.name == SPANS_DIR else display


def _filter(problems: Iterable[Problem], files: list[Path] | None) -> list[Problem]:
    if files is None:
        return list(problems)
    return [p for p in problems if any(_same_file(p.path, f) for f in files)]
