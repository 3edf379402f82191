"""Atomic file writes: a temporary file in the same folder, flushed, synced, renamed.

A reader never sees a half-written file, and an interrupted write leaves the
old file intact and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["atomic_write_text"]


@contextlib.contextmanager
def atomic_write_text(path: Path) -> Iterator[IO[str]]:
    r"""Open a text stream whose content replaces ``path`` only when the block succeeds.

    The stream writes UTF-8 and translates no newlines; write ``"\n"`` yourself.
    If the block raises, ``path`` is left as it was and the temporary file removed.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


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
