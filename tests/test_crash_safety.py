"""An interrupted save never leaves a half-written corpus file.

Every file is written to a temporary file beside it and synced; only when all
are written are they renamed over the old ones. So after an exception or a
kill at any point, each corpus file is either the old one or the new one,
whole, and a temporary file left by a kill is reported by validation.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import biaskit
from biaskit import Document, save_corpus

MAKE = textwrap.dedent(
    """
    from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span

    def make(version, n=150):
        schema = Schema("s", "1", [LabelSpec("X")])
        docs, sets = [], []
        for i in range(n):
            text = (f"version {version} document {i}: the US killed him. " * 400)
            doc = Document(f"d{i}", text, outlet=f"outlet-{version}")
            docs.append(doc)
            us, killed = text.index("US"), text.index("killed")
            spans = [Span(us, us + 2, "X"), Span(killed, killed + 6, "X")]
            sets.append(AnnotationSet(doc, "a", spans))
        return Corpus(docs, schema, sets)
    """
)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".tmp")
    }


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    namespace: dict[str, object] = {}
    exec(MAKE, namespace)  # the same corpora the child process writes
    make = namespace["make"]
    old_dir, new_dir = tmp_path / "old", tmp_path / "new"
    save_corpus(make("A"), old_dir)  # type: ignore[operator]
    save_corpus(make("B"), new_dir)  # type: ignore[operator]
    return old_dir, _snapshot(old_dir), _snapshot(new_dir)


def test_an_exception_midway_leaves_every_file_as_it_was(
    versions: tuple[Path, dict[str, bytes], dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, old, _ = versions
    import biaskit.io.native as native

    real = native._document_record
    calls = {"n": 0}

    def failing(doc: Document) -> dict[str, object]:
        calls["n"] += 1
        if calls["n"] == 40:
            raise RuntimeError("disk on fire")
        return real(doc)

    monkeypatch.setattr(native, "_document_record", failing)
    namespace: dict[str, object] = {}
    exec(MAKE, namespace)
    with pytest.raises(RuntimeError, match="disk on fire"):
        save_corpus(namespace["make"]("B"), folder, overwrite=True)  # type: ignore[operator]
    assert _snapshot(folder) == old
    assert not list(folder.rglob("*.tmp"))


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("delay", [0.05, 0.2, 0.4, 0.7, 1.0])
def test_a_kill_during_a_save_leaves_whole_files_old_or_new(
    versions: tuple[Path, dict[str, bytes], dict[str, bytes]], delay: float
) -> None:
    folder, old, new = versions
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            MAKE + f"\nfrom biaskit import save_corpus\n"
            f"corpus = make('B')\n"
            f"while True:\n    save_corpus(corpus, {str(folder)!r}, overwrite=True)\n",
        ]
    )
    time.sleep(delay)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    after = _snapshot(folder)
    assert set(after) == set(old)
    for name, content in after.items():
        assert content in (old[name], new[name]), f"{name} is neither the old nor the new file"
    problems = biaskit.validate(folder)
    assert [p for p in problems if p.is_error] == []
    assert {p.code for p in problems} <= {"stale-temporary"}
    for problem in problems:
        assert "interrupted save" in problem.message
    biaskit.load_corpus(folder)  # loads: every file is whole
