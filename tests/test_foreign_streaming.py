"""Streaming readers and writers of the foreign formats (doccano, PTC, CSV, brat).

The oracle of every streaming reader is the whole-file reader of the same
format, and of every streaming writer the writer that takes a corpus: the
same sets, the same bytes. Laziness is checked by what has been pulled or
read when, memory by tracemalloc over 2,000 and 20,000 records.
"""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import attrs
import pytest

import biaskit.io.csv as csv_module
import biaskit.io.doccano as doccano
import biaskit.io.ptc as ptc
from biaskit import (
    AnnotationError,
    AnnotationSet,
    BiaskitError,
    Corpus,
    Document,
    LabelSpec,
    OutputExistsError,
    Schema,
    Span,
    load_corpus,
)
from biaskit.io._json import loads_json
from biaskit.io.brat import save_brat, write_brat_sets
from biaskit.io.csv import save_csv, write_csv_lines
from biaskit.io.doccano import (
    check_doccano,
    iter_doccano,
    load_doccano,
    save_doccano,
    write_doccano_lines,
)
from biaskit.io.ptc import PTC_TECHNIQUES, iter_ptc, load_ptc, write_ptc, write_ptc_lines

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "interop"
PTC_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ptc"


@pytest.fixture(scope="module")
def shipped(repo_root: Path) -> Corpus:
    """The shipped corpus, every annotator."""
    return load_corpus(repo_root / "annotations")


def jsonl(path: Path, *records: object) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, temporary files included (none may be left)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def sets_of(corpus: Corpus, annotator: str) -> list[AnnotationSet]:
    return [corpus.annotation_set(doc.id, annotator) for doc in corpus.documents]


def failing_after(items: Iterable[AnnotationSet], count: int) -> Iterator[AnnotationSet]:
    """Yield ``count`` items, then raise as an interrupted producer would."""
    for n, item in enumerate(items):
        if n == count:
            raise RuntimeError("producer interrupted")
        yield item


class Pulls:
    """An iterable that counts how many items the consumer has pulled."""

    def __init__(self, items: Iterable[AnnotationSet]) -> None:
        self.items = items
        self.pulled = 0

    def __iter__(self) -> Iterator[AnnotationSet]:
        for item in self.items:
            self.pulled += 1
            yield item


# ---------------------------------------------------------------------------
# doccano: iter_doccano yields what load_doccano loads.


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("doccano", {}),
        ("doccano-entities.jsonl", {}),
        ("doccano-grapheme", {"unit": "grapheme"}),
        (
            "doccano-v1.jsonl",
            {
                "label_names": {"1": "ACTOR_LABEL", "2": "SCARE_QUOTE", "3": "EVENT_TERM"},
                "annotator_names": {"2": "bob"},
            },
        ),
    ],
)
def test_iter_doccano_yields_the_sets_load_doccano_loads_from_the_fixtures(
    name: str, options: dict[str, object]
) -> None:
    loaded = load_doccano(FIXTURES / name, **options)  # type: ignore[arg-type]
    streamed = list(iter_doccano(FIXTURES / name, **options))  # type: ignore[arg-type]
    assert streamed == list(loaded.annotations)
    assert {s.annotator for s in streamed} == set(loaded.annotators)


@pytest.mark.parametrize("unit", ["utf16", "codepoint", "grapheme"])
def test_iter_doccano_reads_back_the_shipped_corpus_as_load_doccano_does(
    shipped: Corpus, tmp_path: Path, unit: doccano.DoccanoUnit
) -> None:
    save_doccano(shipped, tmp_path / "d", unit=unit)
    loaded = load_doccano(tmp_path / "d", unit=unit, schema=shipped.schema)
    streamed = list(iter_doccano(tmp_path / "d", unit=unit, schema=shipped.schema))
    assert sorted(streamed, key=lambda s: (s.annotator, s.document.id)) == sorted(
        loaded.annotations, key=lambda s: (s.annotator, s.document.id)
    )
    assert {(s.document.id, s.annotator) for s in streamed} == {
        (d.id, a) for d in shipped.documents for a in shipped.annotators
    }


def test_iter_doccano_renames_labels_and_checks_them_against_a_schema(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "a.jsonl", {"id": 1, "text": "He was killed.", "label": [[7, 13, "K"]]})
    [aset] = iter_doccano(path, label_map={"K": "EVENT_TERM"})
    assert [s.label for s in aset.spans] == ["EVENT_TERM"]
    schema = Schema("s", "1", [LabelSpec("ACTOR_LABEL")])
    with pytest.raises(AnnotationError) as caught:
        list(iter_doccano(path, schema=schema))
    expected = [p for p in check_doccano(path, schema=schema).problems if p.is_error]
    assert list(caught.value.problems) == expected


BAD_RECORDS: list[object] = [
    "[1, 2",
    [1, 2],
    {"id": 1},
    {"id": 1, "text": "abc", "label": [[0, 9, "X"]]},
    {"id": 1, "text": "abc", "label": [[0, 2, 7]]},
    {"id": 1, "text": "abc", "label": [[0, "2", "X"]]},
    {"id": 1, "text": "abc", "label": [[0, 2, "X"]], "entities": []},
    {"id": 1, "text": "abc", "label": [[0, 2, "bad label"]]},
    {"id": 1, "text": "abc", "annotations": [{"label": 5, "start_offset": 0, "end_offset": 1}]},
]


@pytest.mark.parametrize("bad", BAD_RECORDS)
def test_a_bad_record_stops_iter_doccano_with_the_errors_check_doccano_gives(
    tmp_path: Path, bad: object
) -> None:
    good = {"id": "g", "text": "He was killed.", "label": [[7, 13, "X"]]}
    path = jsonl(tmp_path / "alice.jsonl", good, {**good, "id": "h"}, bad, {**good, "id": "i"})
    sets = iter_doccano(path)
    assert [next(sets).document.id, next(sets).document.id] == ["g", "h"]  # before the error
    with pytest.raises(AnnotationError) as caught:
        next(sets)
    errors = [p for p in check_doccano(path).problems if p.is_error]
    assert errors
    assert list(caught.value.problems) == errors
    assert all((p.path, p.line) == (str(path), 3) for p in errors)


def test_an_id_read_again_with_another_text_is_an_error_with_check_doccanos_message(
    tmp_path: Path,
) -> None:
    path = jsonl(
        tmp_path / "a.jsonl",
        {"id": 1, "text": "first text"},
        {"id": 2, "text": "other"},
        {"id": 1, "text": "first text"},  # the same text again: fine
        {"id": 1, "text": "a changed text"},
    )
    sets = iter_doccano(path)
    assert [next(sets).document.id for _ in range(3)] == ["1", "2", "1"]
    with pytest.raises(AnnotationError) as caught:
        next(sets)
    assert list(caught.value.problems) == list(check_doccano(path).errors)
    assert [(p.line, p.code) for p in caught.value.problems] == [(4, "text-differs")]


def test_the_same_id_in_two_annotator_files_must_have_one_text(tmp_path: Path) -> None:
    jsonl(tmp_path / "alice.jsonl", {"id": 1, "text": "one text"})
    jsonl(tmp_path / "bob.jsonl", {"id": 1, "text": "another"})
    with pytest.raises(AnnotationError) as caught:
        list(iter_doccano(tmp_path))
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.code) == (
        str(tmp_path / "bob.jsonl"),
        1,
        "text-differs",
    )


def test_iter_doccano_reads_nothing_before_it_is_asked_and_one_line_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = jsonl(tmp_path / "a.jsonl", *({"id": n, "text": f"text {n}"} for n in range(5)))
    parsed: list[int] = []
    real = loads_json

    def counting(text: str) -> object:
        parsed.append(1)
        return real(text)

    monkeypatch.setattr(doccano, "loads_json", counting)
    sets = iter_doccano(path)
    assert parsed == []
    next(sets)
    next(sets)
    assert len(parsed) == 2


@pytest.mark.parametrize(
    ("content", "line", "code"),
    [
        (b'{"id": 1, "text": "a"}\n{"id": 2, "text": "b"}\n{"id": 3, "te\n', 3, "json-syntax"),
        (b'{"id": 1, "text": "a"}\n{"id": 2, "text": "b"}\n{"text": "\xff"}\n', 3, "encoding"),
    ],
)
def test_an_unreadable_later_line_is_raised_after_the_sets_before_it(
    tmp_path: Path, content: bytes, line: int, code: str
) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(content + b'{"id": 9, "text": "after"}\n')
    sets = iter_doccano(path)
    assert [next(sets).document.id, next(sets).document.id] == ["1", "2"]
    with pytest.raises(AnnotationError) as caught:
        next(sets)
    assert [(p.path, p.line, p.code) for p in caught.value.problems] == [(str(path), line, code)]


def test_an_empty_file_yields_nothing_and_a_missing_one_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"\n")
    assert list(iter_doccano(tmp_path / "empty.jsonl")) == []
    with pytest.raises(AnnotationError) as caught:
        list(iter_doccano(tmp_path / "missing.jsonl"))
    assert [p.code for p in caught.value.problems] == ["not-found"]
    with pytest.raises(AnnotationError, match="unknown offset unit"):
        list(iter_doccano(tmp_path / "empty.jsonl", unit="bytes"))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# doccano: write_doccano_lines writes what save_doccano writes.


@pytest.mark.parametrize("unit", ["utf16", "codepoint", "grapheme"])
def test_write_doccano_lines_writes_save_doccanos_bytes_for_each_annotator(
    shipped: Corpus, tmp_path: Path, unit: doccano.DoccanoUnit
) -> None:
    whole = save_doccano(shipped, tmp_path / "whole", unit=unit)
    for annotator in shipped.annotators:
        out = tmp_path / "streamed" / f"{annotator}.jsonl"
        problems = write_doccano_lines(sets_of(shipped, annotator), out, unit=unit)
        assert out.read_bytes() == (tmp_path / "whole" / f"{annotator}.jsonl").read_bytes()
        assert problems == [p for p in whole if f"{annotator!r}" in p.message]


def test_write_doccano_lines_renders_each_set_before_pulling_the_next(
    shipped: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = Pulls(sets_of(shipped, "gold"))
    seen: list[int] = []
    real = doccano._record_line

    def recording(aset: AnnotationSet, *args: object) -> tuple[str, int]:
        seen.append(source.pulled)
        return real(aset, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(doccano, "_record_line", recording)
    write_doccano_lines(source, tmp_path / "gold.jsonl")
    assert seen == list(range(1, len(shipped.documents) + 1))


def test_an_interrupted_doccano_stream_writes_nothing_and_keeps_the_old_file(
    shipped: Corpus, tmp_path: Path
) -> None:
    out = tmp_path / "gold.jsonl"
    with pytest.raises(RuntimeError, match="producer interrupted"):
        write_doccano_lines(failing_after(sets_of(shipped, "gold"), 3), out)
    assert snapshot(tmp_path) == {}
    out.write_bytes(b"old\n")
    with pytest.raises(RuntimeError, match="producer interrupted"):
        write_doccano_lines(failing_after(sets_of(shipped, "gold"), 3), out, overwrite=True)
    assert snapshot(tmp_path) == {"gold.jsonl": b"old\n"}
    with pytest.raises(OutputExistsError):
        write_doccano_lines(sets_of(shipped, "gold"), out)


def test_a_doccano_stream_that_cannot_be_written_writes_nothing(tmp_path: Path) -> None:
    doc = Document("d", "a b c d")
    overlapping = AnnotationSet(doc, "a", [Span(0, 3, "X"), Span(2, 5, "Y")])
    with pytest.raises(AnnotationError, match="overlapping spans"):
        write_doccano_lines(iter([overlapping]), tmp_path / "a.jsonl", overlap=False)
    two = [AnnotationSet(doc, "a"), AnnotationSet(doc, "b")]
    with pytest.raises(BiaskitError, match="expected one annotator per doccano file"):
        write_doccano_lines(iter(two), tmp_path / "a.jsonl")
    assert snapshot(tmp_path) == {}


# ---------------------------------------------------------------------------
# PTC: iter_ptc yields what load_ptc loads; write_ptc_lines writes write_ptc's files.

TEXT_1 = "\ufeffA title\n\nThey are “traitors”, he said.\nThe nation will rise!\n"
TEXT_2 = "Another article\n\nNothing here.\n"
TEXT_3 = "Third\n\nThey lie.\n"


def ptc_folder(tmp_path: Path, rows: str, name: str = "dev-task-flc-tc.labels") -> Path:
    articles = tmp_path / "dev-articles"
    articles.mkdir()
    for doc_id, text in (("11", TEXT_1), ("22", TEXT_2), ("33", TEXT_3)):
        (articles / f"article{doc_id}.txt").write_text(text, encoding="utf-8")
    path = tmp_path / name
    path.write_text(rows, encoding="utf-8")
    return path


def every_set(corpus: Corpus, annotator: str) -> list[AnnotationSet]:
    return [corpus.annotation_set(doc.id, annotator) for doc in corpus.documents]


@pytest.mark.parametrize(
    "rows",
    [
        "11\tDoubt\t20\t28\n11\tRepetition\t20\t28\n33\tLoaded_Language\t12\t15\n",
        "11\t20\t28\n33\t12\t15\n",
        "11\t?\t20\t28\n",
        "",
    ],
)
def test_iter_ptc_yields_every_article_as_load_ptc_loads_it(tmp_path: Path, rows: str) -> None:
    path = ptc_folder(tmp_path, rows)
    assert list(iter_ptc(path, annotator="x")) == every_set(load_ptc(path, annotator="x"), "x")


@pytest.mark.skipif(not PTC_DATA.is_dir(), reason="the PTC corpus is not in ../shared/data/ptc")
def test_iter_ptc_reads_the_real_dev_split_as_load_ptc_does() -> None:
    labels = PTC_DATA / "dev-task-flc-tc.labels"
    if not labels.is_file():
        pytest.skip(f"{labels} is not there")
    assert list(iter_ptc(labels)) == every_set(load_ptc(labels), "gold")


def test_iter_ptc_reads_one_article_per_set_and_stops_at_a_row_past_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ptc_folder(tmp_path, "11\tDoubt\t20\t28\n22\tDoubt\t0\t900\n33\tDoubt\t0\t5\n")
    read: list[str] = []
    real = ptc._read_article

    def counting(article: Path) -> str:
        read.append(article.name)
        return real(article)

    monkeypatch.setattr(ptc, "_read_article", counting)
    sets = iter_ptc(path)
    assert read == []
    assert next(sets).document.id == "11"
    assert read == ["article11.txt"]
    with pytest.raises(AnnotationError) as caught:
        next(sets)
    assert [(p.path, p.line, p.code) for p in caught.value.problems] == [
        (str(path), 2, "offset-range")
    ]
    with pytest.raises(AnnotationError) as whole:
        load_ptc(path)
    assert list(caught.value.problems) == list(whole.value.problems)


def test_rows_naming_a_missing_article_stop_iter_ptc_before_any_set(tmp_path: Path) -> None:
    path = ptc_folder(tmp_path, "11\tDoubt\t20\t28\n99\tDoubt\t0\t5\n")
    with pytest.raises(AnnotationError) as caught:
        next(iter_ptc(path))
    with pytest.raises(AnnotationError) as whole:
        load_ptc(path)
    assert list(caught.value.problems) == list(whole.value.problems)
    assert [p.code for p in caught.value.problems] == ["unknown-document"]


@pytest.fixture
def flc_corpus() -> Corpus:
    d1, d2, d3 = Document("11", TEXT_1), Document("22", TEXT_2), Document("33", TEXT_3)
    spans = [Span(20, 28, "Doubt"), Span(20, 28, "Repetition", attributes={"confidence": 0.5})]
    schema = Schema("t", "1", [LabelSpec(name) for name in PTC_TECHNIQUES])
    sets = [AnnotationSet(d1, "gold", spans), AnnotationSet(d3, "gold", [Span(12, 15, "Doubt")])]
    return Corpus([d1, d2, d3], schema, sets)


@pytest.mark.parametrize("task", ["si", "flc"])
@pytest.mark.parametrize("articles", [True, False])
def test_write_ptc_lines_writes_write_ptcs_files_byte_for_byte(
    flc_corpus: Corpus, tmp_path: Path, task: ptc.PtcTask, articles: bool
) -> None:
    whole = write_ptc(
        flc_corpus, tmp_path / "a" / "dev-x.labels", annotator="gold", task=task,
        write_articles=articles,
    )  # fmt: skip
    streamed = write_ptc_lines(
        iter(every_set(flc_corpus, "gold")), tmp_path / "b" / "dev-x.labels", task=task,
        write_articles=articles,
    )  # fmt: skip
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    assert len(snapshot(tmp_path / "a")) == (4 if articles else 1)
    assert [(p.code, p.message) for p in streamed] == [(p.code, p.message) for p in whole]


def test_write_ptc_lines_writes_each_set_before_pulling_the_next(
    flc_corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = Pulls(every_set(flc_corpus, "gold"))
    seen: list[int] = []
    real = ptc._set_rows

    def recording(aset: AnnotationSet, task: ptc.PtcTask) -> Iterator[str]:
        seen.append(source.pulled)
        return real(aset, task)

    monkeypatch.setattr(ptc, "_set_rows", recording)
    write_ptc_lines(source, tmp_path / "p.labels", task="flc")
    assert seen == [1, 2, 3]


def test_an_interrupted_ptc_stream_leaves_no_file_and_the_old_ones_intact(
    flc_corpus: Corpus, tmp_path: Path
) -> None:
    out = tmp_path / "dev-x.labels"
    with pytest.raises(RuntimeError, match="producer interrupted"):
        write_ptc_lines(failing_after(every_set(flc_corpus, "gold"), 2), out, task="flc")
    assert snapshot(tmp_path) == {}
    write_ptc(flc_corpus, out, annotator="gold", task="si")
    before = snapshot(tmp_path)
    with pytest.raises(RuntimeError, match="producer interrupted"):
        write_ptc_lines(
            failing_after(every_set(flc_corpus, "gold"), 2), out, task="flc", overwrite=True
        )
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        (
            [AnnotationSet(Document("1", "a"), "x"), AnnotationSet(Document("1", "a"), "x")],
            "comes twice",
        ),
        (
            [AnnotationSet(Document("1", "a"), "x"), AnnotationSet(Document("2", "a"), "y")],
            "expected one annotator's sets",
        ),
        (
            [AnnotationSet(Document("1", "a"), "x"), AnnotationSet(Document("../2", "a"), "x")],
            "file name",
        ),
    ],
)
def test_a_ptc_stream_that_cannot_be_written_writes_nothing(
    tmp_path: Path, sets: list[AnnotationSet], message: str
) -> None:
    with pytest.raises(BiaskitError, match=message):
        write_ptc_lines(iter(sets), tmp_path / "p.labels", task="flc")
    assert snapshot(tmp_path) == {}


def test_an_existing_article_is_refused_and_nothing_written(
    flc_corpus: Corpus, tmp_path: Path
) -> None:
    (tmp_path / "article33.txt").write_text("old", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        write_ptc_lines(iter(every_set(flc_corpus, "gold")), tmp_path / "p.labels", task="si")
    assert snapshot(tmp_path) == {"article33.txt": b"old"}


# ---------------------------------------------------------------------------
# CSV: write_csv_lines writes save_csv's bytes.


@pytest.mark.parametrize(("text", "bom"), [(True, False), (False, True)])
def test_write_csv_lines_writes_save_csvs_bytes(
    shipped: Corpus, tmp_path: Path, text: bool, bom: bool
) -> None:
    save_csv(shipped, tmp_path / "whole.csv", text=text, bom=bom)
    sets = (
        shipped.annotation_set(doc.id, annotator)
        for doc in shipped.documents
        for annotator in shipped.annotators
    )
    names = {n for _, span in shipped.spans() for n in span.attributes}
    rows = write_csv_lines(
        sets, tmp_path / "streamed.csv", schema=shipped.schema, attributes=names, text=text, bom=bom
    )
    assert (tmp_path / "streamed.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    assert rows == sum(1 for _ in shipped.spans()) > 0


def test_write_csv_lines_writes_each_set_before_pulling_the_next(
    shipped: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = Pulls(sets_of(shipped, "gold"))
    seen: list[int] = []
    real = csv_module._rows

    def recording(aset: AnnotationSet, *args: object) -> Iterator[list[str]]:
        seen.append(source.pulled)
        return real(aset, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(csv_module, "_rows", recording)
    write_csv_lines(source, tmp_path / "s.csv", schema=shipped.schema)
    assert seen == list(range(1, len(shipped.documents) + 1))


def test_a_span_attribute_without_a_column_is_refused_and_nothing_written(
    tmp_path: Path,
) -> None:
    doc = Document("d", "The US killed him.")
    aset = AnnotationSet(doc, "a", [Span(7, 13, "X", attributes={"voice": "author"})])
    with pytest.raises(BiaskitError, match="attribute 'voice', which has no column"):
        write_csv_lines([aset], tmp_path / "s.csv")
    assert snapshot(tmp_path) == {}
    assert write_csv_lines([aset], tmp_path / "s.csv", attributes=["voice"]) == 1


def test_an_interrupted_csv_stream_keeps_the_old_file(shipped: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    out.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="producer interrupted"):
        write_csv_lines(
            failing_after(sets_of(shipped, "gold"), 3), out, schema=shipped.schema, overwrite=True
        )
    assert snapshot(tmp_path) == {"s.csv": b"old"}


def test_write_brat_sets_writes_save_brats_files_byte_for_byte(
    shipped: Corpus, tmp_path: Path
) -> None:
    save_brat(shipped, tmp_path / "whole", annotators=["coder-a", "gold"])
    sets = [*sets_of(shipped, "coder-a"), *sets_of(shipped, "gold")]
    assert write_brat_sets(iter(sets), tmp_path / "stream", schema=shipped.schema) == []
    assert snapshot(tmp_path / "stream") == snapshot(tmp_path / "whole")


def test_an_interrupted_brat_stream_leaves_no_file_and_the_old_ones_intact(
    shipped: Corpus, tmp_path: Path
) -> None:
    out = tmp_path / "brat"
    with pytest.raises(RuntimeError, match="producer interrupted"):
        write_brat_sets(failing_after(sets_of(shipped, "gold"), 3), out, schema=shipped.schema)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    write_brat_sets(sets_of(shipped, "gold"), out, schema=shipped.schema)
    before = snapshot(out)
    with pytest.raises(RuntimeError, match="producer interrupted"):
        write_brat_sets(
            failing_after(sets_of(shipped, "coder-a"), 2),
            out,
            schema=shipped.schema,
            overwrite=True,
        )
    assert snapshot(out) == before
    with pytest.raises(OutputExistsError):
        write_brat_sets(sets_of(shipped, "gold"), out, schema=shipped.schema)


# ---------------------------------------------------------------------------
# Memory: the peak does not grow with the number of records.

RECORD_TEXT = "Officials said the US killed him in a strike; Tehran vowed revenge. " * 15


def generated_sets(count: int) -> Iterator[AnnotationSet]:
    for n in range(count):
        doc = Document(f"doc-{n}", f"{n} {RECORD_TEXT}")
        start = doc.text.index("killed")
        yield AnnotationSet(doc, "model", [Span(start, start + 6, "EVENT_TERM")])


def peak_bytes(run: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def drain(items: Iterable[object]) -> None:
    for _ in items:
        pass


def growth_per_record(run: Callable[[int], object]) -> float:
    """Extra peak bytes per record, from 2,000 to 20,000 records."""
    small, large = peak_bytes(lambda: run(2_000)), peak_bytes(lambda: run(20_000))
    return (large - small) / 18_000


# A record holds about 1 KB of text (and a model object several times that): a
# reader or writer that kept records would grow by more than 1,000 bytes per
# record. The bound leaves room for the hash of each document id that
# iter_doccano keeps (a few dozen bytes) and for the allocator's noise.
PER_RECORD = 250


@pytest.mark.slow
def test_iter_doccano_memory_does_not_grow_with_the_records(tmp_path: Path) -> None:
    def run(count: int) -> None:
        path = tmp_path / f"{count}.jsonl"
        if not path.exists():
            write_doccano_lines(generated_sets(count), path)
        drain(iter_doccano(path))

    run(2_000)  # writes the files outside the measurement
    run(20_000)
    assert sum(1 for _ in iter_doccano(tmp_path / "20000.jsonl")) == 20_000
    assert growth_per_record(run) < PER_RECORD


@pytest.mark.slow
@pytest.mark.parametrize(
    "write",
    [
        lambda sets, path: write_doccano_lines(sets, path / "d.jsonl", overwrite=True),
        lambda sets, path: write_ptc_lines(
            sets, path / "p.labels", task="flc", write_articles=False, overwrite=True
        ),
        lambda sets, path: write_csv_lines(sets, path / "s.csv", overwrite=True),
    ],
    ids=["doccano", "ptc", "csv"],
)
def test_streaming_writers_memory_does_not_grow_with_the_records(
    tmp_path: Path, write: Callable[[Iterator[AnnotationSet], Path], object]
) -> None:
    assert growth_per_record(lambda count: write(generated_sets(count), tmp_path)) < PER_RECORD


def test_round_trip_of_streams_doccano_to_doccano_keeps_every_set(
    shipped: Corpus, tmp_path: Path
) -> None:
    gold = sets_of(shipped, "gold")
    write_doccano_lines(gold, tmp_path / "gold.jsonl")
    back = list(iter_doccano(tmp_path / "gold.jsonl", schema=shipped.schema))
    assert [s.document for s in back] == [s.document for s in gold]
    bare = [attrs.evolve(s, attributes={}, note=None, id=None) for a in gold for s in a.spans]
    assert [s for a in back for s in a.spans] == bare
