"""Atomic file writes: a temporary file in the same folder, flushed, synced, renamed.

A reader never sees a half-written file, and an interrupted write leaves the
old file intact and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["TEMPORARY_NAME", "AtomicGroup", "atomic_group", "atomic_write_text"]


@contextlib.contextmanager
def atomic_write_text(path: Path) -> Iterator[IO[str]]:
    r"""Open a text stream whose content replaces ``path`` only when the block succeeds.

    The stream writes UTF-8 and translates no newlines; write ``"\n"`` yourself.
    If the block raises, ``path`` is left as it was and the temporary file removed.
    """
    with atomic_group() as group, group.open(path) as stream:
        yield stream


TEMPORARY_NAME = re.compile(r"\.(?P<target>.+)\.[0-9a-f]{12}\.tmp")
"""The name of a temporary file beside its target; one left behind marks an interrupted write."""


def _create_beside(path: Path) -> tuple[int, Path]:
    """Create a new temporary file beside ``path``, with the mode ``path`` has or would get.

    ``tempfile.mkstemp`` would make it 0600, and the rename would carry that to
    the target: a replaced file keeps its mode, a new one gets the usual
    0666 less the umask, like any file the user creates.
    """
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        if mode is not None:
            tmp.chmod(mode)
        return fd, tmp
    raise FileExistsError(f"could not create a temporary file beside {path}")  # pragma: no cover


class AtomicGroup:
    """Files written together: all are replaced, or none.

    Every file is written to a temporary file beside it and synced first; only
    when all have been written are they renamed over their targets. A failure
    while producing any content (an exception, an unencodable character, a
    full disk) leaves every target as it was. The renames themselves are
    atomic one by one, not as a group.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    @contextlib.contextmanager
    def open(self, path: Path) -> Iterator[IO[str]]:
        """Open a UTF-8 text stream for ``path``; it is replaced when the group commits."""
        path = Path(path)
        fd, tmp = _create_beside(path)
        self._pending.append((tmp, path))
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())

    def commit(self) -> None:
        """Rename every written file over its target."""
        for tmp, path in self._pending:
            tmp.replace(path)
        for folder in {path.parent for _, path in self._pending}:
            _fsync_dir(folder)
        self._pending.clear()

    def discard(self) -> None:
        """Remove every temporary file; no target is touched."""
        for tmp, _ in self._pending:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        self._pending.clear()


@contextlib.contextmanager
def atomic_group() -> Iterator[AtomicGroup]:
    """Write several files with :class:`AtomicGroup`; commit when the block succeeds."""
    group = AtomicGroup()
    try:
        yield group
    except BaseException:
        group.discard()
        raise
    group.commit()


def _fsync_dir(folder: Path) -> None:
    # Makes the rename durable on POSIX; folders cannot be opened this way on Windows.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
