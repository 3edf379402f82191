"""Hostile JSON in a corpus folder: numbers too long for Python, nesting too deep.

Found while fuzzing (issue #8): both made ``json.loads`` raise something other
than ``JSONDecodeError`` (a ``ValueError`` from Python's 4300-digit limit on
integers, a ``RecursionError``), which escaped as a traceback.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import biaskit
from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span

EXE = str(Path(sys.executable).with_name("biaskit"))
DIGITS = "7" * 5000


def corpus_folder(root: Path) -> Path:
    doc = Document("d1", "The US killed Soleimani.")
    schema = Schema("s", "1", [LabelSpec("A")])
    corpus = Corpus([doc], schema, [AnnotationSet(doc, "a", [Span(7, 13, "A")])])
    biaskit.save_corpus(corpus, root / "c")
    return root / "c"


def _edit(name: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / name
        path.write_text(change(path.read_text("utf-8")), "utf-8")

    return apply


CASES = {
    "long-number-in-spans": (
        _edit("spans/a.jsonl", lambda t: t.replace('"start": 7', f'"start": {DIGITS}')),
        "spans/a.jsonl",
        2,
        "a number of 5000 digits",
    ),
    "long-number-in-documents": (
        _edit("documents.jsonl", lambda t: t.replace('"id": "d1"', f'"n": {DIGITS}, "id": "d1"')),
        "documents.jsonl",
        2,
        "a number of 5000 digits",
    ),
    "long-number-in-schema": (
        _edit("schema.json", lambda t: t.replace("{", f'{{"n": {DIGITS}, ', 1)),
        "schema.json",
        1,
        "a number of 5000 digits",
    ),
    "deep-schema": (
        _edit("schema.json", lambda t: "[" * 100_000 + "]" * 100_000),
        "schema.json",
        1,
        "nested too deeply",
    ),
    "deep-spans-line": (
        _edit("spans/a.jsonl", lambda t: t + "[" * 100_000 + "]" * 100_000 + "\n"),
        "spans/a.jsonl",
        3,
        "nested too deeply",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_json_is_a_located_json_syntax_error(case: str, tmp_path: Path) -> None:
    damage, file, line, message = CASES[case]
    folder = corpus_folder(tmp_path)
    damage(folder)
    problems = [p for p in biaskit.validate(folder) if p.is_error]
    assert [(p.code, p.path, p.line) for p in problems] == [
        ("json-syntax", str(folder / file), line)
    ]
    assert message in problems[0].message
    with pytest.raises(biaskit.AnnotationError):
        biaskit.load_corpus(folder)
    result = subprocess.run([EXE, "validate", str(folder)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert message in result.stdout + result.stderr
