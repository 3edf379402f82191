"""Hostile sizes are reported, not read into memory."""

import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span, save_corpus, validate
from biaskit.io.native import ReadLimits

EXE = str(Path(sys.executable).with_name("biaskit"))


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    schema = Schema("s", "1", [LabelSpec("X")])
    docs = [Document(f"d{i}", "The US killed the general.") for i in range(3)]
    sets = [AnnotationSet(d, "a", [Span(7, 13, "X"), Span(18, 25, "X")]) for d in docs]
    save_corpus(Corpus(docs, schema, sets), tmp_path / "c")
    return tmp_path / "c"


def test_a_line_over_the_limit_is_reported_and_never_held_in_memory(corpus_dir: Path) -> None:
    spans = corpus_dir / "spans" / "a.jsonl"
    huge = 40 * 1024 * 1024
    with spans.open("a", encoding="utf-8") as out:
        out.write('{"id": "' + "x" * huge + '"}\n')
    tracemalloc.start()
    try:
        problems = validate(corpus_dir, limits=ReadLimits(max_line_bytes=64 * 1024))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(p.code, p.line) for p in problems] == [("line-too-long", 8)]
    assert f"line is {huge + 11} bytes, over the limit of 65536" in problems[0].message
    assert peak < 8 * 1024 * 1024  # a few chunks, not the 40 MB line


def test_a_file_with_more_spans_than_the_limit_is_reported_once(corpus_dir: Path) -> None:
    problems = validate(corpus_dir, limits=ReadLimits(max_spans=4))
    assert [(p.code, p.line) for p in problems] == [("too-many-spans", 6)]
    assert "more than 4 span lines" in problems[0].message


def test_an_unreadable_document_line_does_not_cascade_to_its_spans(corpus_dir: Path) -> None:
    # Document lines are about 160 bytes, span lines about 90.
    problems = validate(corpus_dir, limits=ReadLimits(max_line_bytes=120))
    assert {p.code for p in problems} == {"line-too-long"}
    assert {Path(str(p.path)).name for p in problems} == {"documents.jsonl"}


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_the_cli_refuses_bad_limits(corpus_dir: Path, value: str) -> None:
    result = subprocess.run(
        [EXE, "validate", str(corpus_dir), "--max-spans", value], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "--max-spans" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_cli_applies_the_limits(corpus_dir: Path) -> None:
    result = subprocess.run(
        [EXE, "validate", str(corpus_dir), "--max-spans", "2"], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "[too-many-spans]" in result.stdout


@pytest.mark.parametrize("field", ["max_line_bytes", "max_spans"])
def test_limits_must_be_positive(field: str) -> None:
    with pytest.raises(ValueError, match=f"{field} must be a positive integer"):
        ReadLimits(**{field: 0})
