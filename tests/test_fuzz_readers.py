"""Fuzzing every reader: random bytes and mutations of valid files.

Whatever the input, a reader either succeeds or raises one of biaskit's own
errors (which keep file and line). Native validation never raises; foreign
validation returns problems, or raises BiaskitError for input it cannot use at
all (the CLI's exit 2), as documented.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import biaskit
from biaskit import AnnotationSet, BiaskitError, Corpus, Document, LabelSpec, Schema, Span
from biaskit.io.formats import load_foreign, validate_foreign

TEXT = "Iran’s “satellites” 😀 fired\r\nthe missiles — the US said. Café 👩‍👩‍👧 ok."


def _corpus() -> Corpus:
    schema = Schema("s", "1", [LabelSpec("SCARE_QUOTE"), LabelSpec("ATTRIBUTION")])
    doc = Document("d1", TEXT, outlet="X")
    spans = [Span(7, 19, "SCARE_QUOTE", note="a note"), Span(52, 56, "ATTRIBUTION")]
    return Corpus([doc], schema, [AnnotationSet(doc, "gold", spans)])


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("seeds")
    biaskit.save_corpus(_corpus(), root / "native")
    biaskit.convert(root / "native", root / "brat", from_format="native", to_format="brat")
    biaskit.convert(
        root / "native", root / "ls.json", from_format="native", to_format="labelstudio"
    )
    biaskit.convert(root / "native", root / "doccano", from_format="native", to_format="doccano")
    ptc = root / "ptc" / "x-task-flc.labels"
    biaskit.write_ptc(_corpus(), ptc, annotator="gold", task="flc")
    return {
        "native": root / "native" / "spans" / "gold.jsonl",
        "native-documents": root / "native" / "documents.jsonl",
        "brat": next((root / "brat").rglob("*.ann")),
        "labelstudio": root / "ls.json",
        "doccano": next((root / "doccano").glob("*.jsonl")),
        "ptc": ptc,
    }


# (format, the file of the seed that is damaged, what the reader is given)
CASES: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "native": ("native", lambda f: f.parents[1]),
    "native-documents": ("native", lambda f: f.parent),
    "brat": ("brat", lambda f: f.parents[1]),
    "labelstudio": ("labelstudio", lambda f: f),
    "doccano": ("doccano", lambda f: f),
    "ptc": ("ptc", lambda f: f),
}


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    for kind, position, chunk in edits:
        at = position % (len(data) + 1)
        if kind == 0:  # overwrite
            data = data[:at] + chunk + data[at + len(chunk) :]
        elif kind == 1:  # insert
            data = data[:at] + chunk + data[at:]
        elif kind == 2:  # delete
            data = data[:at] + data[at + len(chunk) :]
        else:  # truncate
            data = data[:at]
    return data


edits = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.integers(0, 10_000),
        st.binary(min_size=1, max_size=8)
        | st.sampled_from([b'"', b"\n", b"\t", b"}", b"-1", b"\xff"]),
    ),
    min_size=1,
    max_size=4,
)


def _check(fmt: str, given_path: Path) -> None:
    if fmt == "native":
        problems = biaskit.validate(given_path)
        assert all(isinstance(p, biaskit.Problem) for p in problems)
        with contextlib.suppress(BiaskitError):
            biaskit.load_corpus(given_path)
        return
    with contextlib.suppress(BiaskitError):
        problems = validate_foreign(given_path, fmt)
        assert all(isinstance(p, biaskit.Problem) for p in problems)
    with contextlib.suppress(BiaskitError):
        load_foreign(given_path, fmt)


@pytest.mark.parametrize("case", sorted(CASES))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage=edits)
def test_damaged_files_give_biaskit_errors_only(
    case: str, damage: list[tuple[int, int, bytes]], seeds: dict[str, Path], tmp_path: Path
) -> None:
    fmt, given_of = CASES[case]
    seed = seeds[case]
    work = tmp_path / "work"
    if work.exists():
        shutil.rmtree(work)
    # Copy the seed's whole input (folder or file) and damage the one file.
    source_input = given_of(seed)
    target_input = work / source_input.name
    if source_input.is_dir():
        shutil.copytree(source_input, target_input)
    else:
        target_input.parent.mkdir(parents=True)
        shutil.copy2(source_input, target_input)
        if fmt == "ptc":
            shutil.copytree(seed.parent / "x-articles", work / "x-articles")
    damaged = (
        target_input / seed.relative_to(source_input) if source_input.is_dir() else target_input
    )
    damaged.write_bytes(_mutate(seed.read_bytes(), damage))
    _check(fmt, target_input)


@pytest.mark.parametrize("fmt", ["labelstudio", "doccano", "ptc"])
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_random_bytes_give_biaskit_errors_only(fmt: str, data: bytes, tmp_path: Path) -> None:
    path = tmp_path / (
        "in.json"
        if fmt == "labelstudio"
        else "in.jsonl"
        if fmt == "doccano"
        else "x-task-flc.labels"
    )
    path.write_bytes(data)
    _check(fmt, path)
