"""What every atheris harness in this folder shares.

A harness names its *targets*: the files of one reader's input that the fuzz
bytes may replace. The first byte of an input chooses the target (modulo
their number) and the rest is written into it, inside a valid input built
once per process in a temporary folder; then the reader runs. Only
:class:`biaskit.BiaskitError` (and its subclasses) may escape a reader: any
other exception is a finding, which atheris reports with the input that
caused it.

Each harness runs in one of two ways::

    python fuzz/fuzz_brat.py --make-seeds SEED_DIR   # write the seed inputs
    python fuzz/fuzz_brat.py [libFuzzer options] CORPUS_DIR [SEED_DIR...]

The seeds are built by biaskit itself (its writers, from the small corpus of
:func:`seed_corpus`); no third-party data is used.
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["biaskit"]):
    # Every reader module, so that all of them are instrumented (formats.py
    # imports the optional ones lazily, after this block).
    import biaskit
    import biaskit.io.formats
    import biaskit.io.inception
    import biaskit.io.spacy
    from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
    from biaskit.schema import AttributeSpec

# Curly quotes, an astral emoji (two UTF-16 units), CRLF, a ZWJ sequence and a
# combining accent: the text exercises every offset unit a reader converts.
TEXT_1 = "Iran’s “satellites” 😀 fired\r\nthe missiles — the US said. Cafe\u0301 👩‍👩‍👧 ok."
TEXT_2 = "Hardliners cheered the deal.\nCritics called it a surrender."


def seed_corpus() -> Corpus:
    """Return the small valid corpus every harness builds its seeds from."""
    schema = Schema(
        "fuzz",
        "1",
        [
            LabelSpec(
                "SCARE_QUOTE",
                attributes=[AttributeSpec("register", type="string")],
            ),
            LabelSpec("ATTRIBUTION"),
            LabelSpec("LOADED"),
        ],
    )
    d1 = Document("d1", TEXT_1, outlet="X", title="One")
    d2 = Document("d2", TEXT_2, outlet="Y")

    def at(text: str, words: str, label: str, note: str | None = None, **values: str) -> Span:
        start = text.index(words)
        return Span(start, start + len(words), label, attributes=values, note=note)

    return Corpus(
        [d1, d2],
        schema,
        [
            AnnotationSet(
                d1,
                "alice",
                [
                    at(TEXT_1, "“satellites”", "SCARE_QUOTE", note="a note", register="ironic"),
                    at(TEXT_1, "the US said", "ATTRIBUTION"),
                ],
            ),
            AnnotationSet(
                d1, "bob", [at(TEXT_1, "satellites", "SCARE_QUOTE"), at(TEXT_1, "fired", "LOADED")]
            ),
            AnnotationSet(
                d2, "alice", [at(TEXT_2, "Hardliners", "LOADED"), at(TEXT_2, "surrender", "LOADED")]
            ),
        ],
    )


Check = Callable[[Path], None]
Target = str | tuple[str, Callable[[bytes], bytes], Callable[[bytes], bytes]]


def _same(data: bytes) -> bytes:
    return data


@atheris.instrument_func
def _chosen(index: int) -> int:
    """Return ``index``, through code whose coverage differs for each target.

    Every seed rebuilds the same valid input, so the reader's coverage is the
    same for all of them, and libFuzzer would keep only one seed (and mutate
    the others' files only from it). The branches here tell them apart.
    """
    if index == 0:
        return 0
    if index == 1:
        return 1
    if index == 2:
        return 2
    return index


def foreign_check(fmt: str, **options: object) -> Check:
    """Return a check that validates and loads its path as ``fmt``: only biaskit errors escape."""
    from biaskit.io.formats import load_foreign, validate_foreign

    def check(path: Path) -> None:
        try:
            problems = validate_foreign(path, fmt, **options)
        except biaskit.BiaskitError:
            pass
        else:
            for problem in problems:
                if not isinstance(problem, biaskit.Problem):
                    raise TypeError(f"validate_foreign returned {problem!r}, not a Problem")
        with contextlib.suppress(biaskit.BiaskitError):
            load_foreign(path, fmt, **options)

    return check


class Harness:
    """One reader's fuzz target: a valid input, the files the fuzz bytes replace, a check.

    Parameters
    ----------
    build : callable
        Writes a valid input into the folder it is given and returns what the
        reader is given (a file or folder inside it).
    targets : mapping of str to Target
        Name -> path (relative to that folder) of each file the fuzz bytes may
        replace, in a fixed order (the first byte of an input picks one). A
        target may be ``(path, encode, decode)``: the fuzz bytes are then
        ``encode``-d before being written, and its seed is ``decode`` of the
        valid file (to fuzz what is inside a compressed file, for instance).
    check : callable
        Runs the reader on what ``build`` returned.
    """

    def __init__(
        self, build: Callable[[Path], Path], targets: Mapping[str, Target], check: Check
    ) -> None:
        self.build = build
        self.targets = [
            (name, (t, _same, _same) if isinstance(t, str) else t) for name, t in targets.items()
        ]
        self.check = check
        self.root = Path(tempfile.mkdtemp(prefix="biaskit-fuzz-"))
        atexit.register(shutil.rmtree, self.root, ignore_errors=True)
        self.given = build(self.root / "valid")
        self.pristine = {
            rel: (self.root / "valid" / rel).read_bytes() for _, (rel, _, _) in self.targets
        }

    def one_input(self, data: bytes) -> None:
        """Run the reader on the valid input with one target replaced by ``data[1:]``."""
        if not data:
            return
        _, (rel, encode, _) = self.targets[_chosen(data[0] % len(self.targets))]
        target = self.root / "valid" / rel
        try:
            target.write_bytes(encode(data[1:]))
            self.check(self.given)
        finally:
            target.write_bytes(self.pristine[rel])

    def make_seeds(self, out: Path) -> None:
        """Write one seed per target: its selector byte and its valid content."""
        out.mkdir(parents=True, exist_ok=True)
        for index, (name, (rel, _, decode)) in enumerate(self.targets):
            (out / f"seed-{name}").write_bytes(bytes([index]) + decode(self.pristine[rel]))


def main(harness: Harness) -> None:
    """Write seeds (``--make-seeds DIR``) or run atheris with the command-line options."""
    if len(sys.argv) == 3 and sys.argv[1] == "--make-seeds":
        harness.make_seeds(Path(sys.argv[2]))
        return
    atheris.Setup(sys.argv, harness.one_input)
    atheris.Fuzz()
