"""Validation in bounded memory: the streaming checks report exactly what holding everything would.

``check_corpus(build=False)`` (what ``validate`` runs) holds no document text
beyond a small cache, one document's spans at a time, and span ids as hashes.
These tests pin that it still finds every problem, in the same words and
places: repeated ids far apart, hash collisions, documents whose spans come
back later, texts evicted from the cache, lines across read blocks, and the
fast path for well-formed lines.
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

import biaskit
from biaskit import (
    AnnotationSet,
    AttributeSpec,
    Corpus,
    Document,
    LabelSpec,
    Schema,
    Span,
    check_corpus,
    save_corpus,
    validate,
)
from biaskit.errors import Problem
from biaskit.io import native
from biaskit.io.native import DEFAULT_LIMITS

SCHEMA = Schema(
    "s",
    "1",
    [LabelSpec("X"), LabelSpec("Y", attributes=[AttributeSpec("kind", values=("a", "b"))])],
)
WORDS = [
    "the",
    "US",
    "said",
    "Iran’s",
    "so-called",
    "‘satellites’",
    "fired",
    "12:30",
    "café",
    "missiles",
    "at",
    "bases",
]


def _text(i: int, words: int) -> str:
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(words)) + "."


def _spans(text: str, count: int) -> list[Span]:
    """``count`` spans on whole words of ``text``, some with attributes, none overlapping."""
    spans: list[Span] = []
    start = 0
    while len(spans) < count:
        start = text.find(" ", start) + 1
        end = text.find(" ", start)
        if start == 0 or end < 0:
            break
        if len(spans) % 3:
            spans.append(Span(start, end, "X", note="n:1" if len(spans) % 5 == 0 else None))
        else:
            spans.append(Span(start, end, "Y", attributes={"kind": "ab"[len(spans) % 2]}))
        start = end
    return spans


def _corpus(root: Path, documents: int, *, words: int = 40, spans: int = 6) -> Path:
    docs = [Document(f"d{i:05d}", _text(i, words), outlet="O") for i in range(documents)]
    sets = [AnnotationSet(d, "a", _spans(d.text, spans)) for d in docs]
    save_corpus(Corpus(docs, SCHEMA, sets), root)
    return root


def _lines(root: Path) -> list[str]:
    return (root / "spans" / "a.jsonl").read_text(encoding="utf-8").splitlines()


def _write(root: Path, lines: list[str]) -> None:
    (root / "spans" / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _edit(line: str, **changes: Any) -> str:
    record = json.loads(line)
    record.update(changes)
    return json.dumps(record, ensure_ascii=False)


def _shown(problems: tuple[Problem, ...] | list[Problem]) -> list[tuple[Any, ...]]:
    return [(Path(str(p.path)).name, p.line, p.col, p.code, p.message) for p in problems]


def _bounded(root: Path, *, text_budget: int = native._TEXT_CACHE_BYTES) -> list[tuple[Any, ...]]:
    """Problems from the bounded path, with a chosen text cache size."""
    sink: list[Problem] = []
    native._check_corpus(
        root, str(root), sink, build=False, limits=DEFAULT_LIMITS, text_budget=text_budget
    )
    return _shown(native._in_reading_order(sink))


def _full(root: Path) -> list[tuple[Any, ...]]:
    """Problems from the path that holds the whole corpus (it builds the corpus)."""
    return _shown(check_corpus(root, build=True).problems)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return _corpus(tmp_path / "c", 40)


def test_the_sample_corpus_is_valid(corpus: Path) -> None:
    assert validate(corpus) == []
    assert _bounded(corpus, text_budget=1) == []


def test_a_span_id_used_again_far_away_is_reported_on_each_later_line(corpus: Path) -> None:
    lines = _lines(corpus)
    first_id = json.loads(lines[1])["id"]
    last = len(lines)
    lines[-2] = _edit(lines[-2], id=first_id)
    lines[-1] = _edit(lines[-1], id=first_id)
    _write(corpus, lines)
    expected = [
        ("a.jsonl", n, 2, "duplicate-id", f"duplicate span id {first_id!r}; first used on line 2")
        for n in (last - 1, last)
    ]
    assert _bounded(corpus) == expected
    assert _full(corpus) == expected


def test_hash_collisions_are_never_reported_as_repeated_ids(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(native, "_id_hash", lambda _: 42)  # every id collides with every other
    assert _bounded(corpus) == []
    lines = _lines(corpus)
    lines[-1] = _edit(lines[-1], id=json.loads(lines[5])["id"])
    _write(corpus, lines)
    assert [(p[1], p[3]) for p in _bounded(corpus)] == [(len(lines), "duplicate-id")]


def test_spans_of_a_document_that_come_back_later_are_checked_together(corpus: Path) -> None:
    lines = _lines(corpus)
    first = json.loads(lines[1])  # the first span of the first document
    shorter = _text(0, 40)[first["start"] : first["end"] - 1]
    overlapping = _edit(lines[1], id="late-1", end=first["end"] - 1, text=shorter)
    duplicate = _edit(lines[1], id="late-2")
    lines += [overlapping, duplicate]
    _write(corpus, lines)
    n = len(lines)
    label, start, end = first["label"], first["start"], first["end"]
    expected = [
        (
            "a.jsonl",
            n - 1,
            1,
            "overlap",
            f"span {label} [{start}, {end - 1}) overlaps span {label} [{start}, {end}) by the "
            "same annotator; spans of one label must not overlap (merge them or change one "
            "label) (other span on line 2)",
        ),
        (
            "a.jsonl",
            n,
            1,
            "exact-duplicate",
            f"span {label} [{start}, {end}) is an exact duplicate (other span on line 2)",
        ),
        (
            "a.jsonl",
            n,
            1,
            "overlap",
            f"span {label} [{start}, {end}) overlaps span {label} [{start}, {end - 1}) by the "
            "same annotator; spans of one label must not overlap (merge them or change one "
            f"label) (other span on line {n - 1})",
        ),
    ]
    assert _bounded(corpus) == expected
    assert _full(corpus) == expected


def test_an_overlap_inside_one_run_is_reported_once(corpus: Path) -> None:
    lines = _lines(corpus)
    lines.insert(2, _edit(lines[1], id="again"))
    _write(corpus, lines)
    assert [(p[1], p[3]) for p in _bounded(corpus)] == [(3, "exact-duplicate")]


def test_texts_evicted_from_a_tiny_cache_give_the_same_problems(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _lines(corpus)
    lines[3] = _edit(lines[3], text="wrong")  # text-mismatch
    lines[40] = _edit(lines[40], end=json.loads(lines[40])["end"] + 1)  # mismatch and edge
    lines.append(lines[7].replace('"id": "', '"id": "moved-'))  # a document coming back
    _write(corpus, lines)
    docs = (corpus / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    docs[5] = docs[5].replace('"text": "', '"text": "Edited. ')  # hash-mismatch
    (corpus / "documents.jsonl").write_text("\n".join(docs) + "\n", encoding="utf-8")
    reads: list[int] = []
    real_read = native._TextCache._read

    def counting_read(self: native._TextCache, offset: int) -> str:
        reads.append(offset)
        return real_read(self, offset)

    monkeypatch.setattr(native._TextCache, "_read", counting_read)
    expected = _full(corpus)
    assert {p[3] for p in expected} >= {"text-mismatch", "hash-mismatch", "exact-duplicate"}
    assert _bounded(corpus) == expected
    assert reads == []  # 40 short texts fit the default cache
    assert _bounded(corpus, text_budget=1) == expected
    assert len(reads) > 40  # every document read again, some twice


def test_lines_across_read_blocks_keep_their_numbers_and_offsets(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(native, "_BLOCK_BYTES", 97)  # many blocks, lines cut anywhere
    lines = _lines(corpus)
    lines[10] = lines[10][:-1]  # truncated
    lines[20] = ""  # blank
    lines[30] = lines[30].replace('"id"', '"id": "x", "id"')  # a key twice
    _write(corpus, lines)
    data = (corpus / "spans" / "a.jsonl").read_bytes()
    bad = data.index(b"\n", data.index(b'"d00009')) + 8  # inside a line further on
    data = data[:bad] + b"\xff" + data[bad:]
    (corpus / "spans" / "a.jsonl").write_bytes(data)
    bad_line = data[:bad].count(b"\n") + 1
    found = [(p[1], p[3]) for p in _bounded(corpus)]
    assert found == sorted(
        [(11, "json-syntax"), (21, "blank-line"), (31, "duplicate-field"), (bad_line, "encoding")]
    )
    encoding = next(p for p in _bounded(corpus) if p[3] == "encoding")
    assert f"at byte offset {bad} of the file" in encoding[4]


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        # Colons inside strings must not hide a key given twice, nor an escaped colon.
        (
            lambda line: line.replace('"doc"', '"note": "a:b:c", "note": "d", "doc"'),
            "duplicate-field",
        ),
        (
            lambda line: line.replace('"doc"', '"note": "a\\u003ab", "note": "d", "doc"'),
            "duplicate-field",
        ),
        (
            lambda line: line.replace('"doc"', '"attributes": {"kind": "a", "kind": "b"}, "doc"'),
            None,
        ),
        (lambda line: line.replace('"start"', '"start": 1, "start"'), "duplicate-field"),
        (lambda line: line + "\r", "newline-style"),
        (lambda line: " " + line, None),
        (lambda line: line.replace('"doc"', '"extra": 1, "doc"'), "unknown-field"),
        (lambda line: line.replace('"start": ', '"start": true, "x": '), "wrong-type"),
    ],
)
def test_a_line_with_any_defect_leaves_the_fast_path(
    corpus: Path, damage: Any, code: str | None
) -> None:
    lines = _lines(corpus)
    lines[4] = damage(lines[4])
    _write(corpus, lines)
    found = _bounded(corpus)
    assert found == _full(corpus)
    if code is not None:
        assert (5, code) in [(p[1], p[3]) for p in found]


def _careful_only(self: native._SpansReader, block: native._TextBlock, reader: Any) -> bool:
    """Read a block of span lines without the fast path: each line checked carefully."""
    for number, text in enumerate(block.lines, block.first):
        line = reader.parse_text(number, text)
        if line is not None and not self.take(line):
            return False
    return True


def test_the_fast_path_changes_no_result(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines(corpus)
    lines[2] = lines[2] + "\r"
    lines[3] = _edit(lines[3], start=json.loads(lines[3])["start"] - 1)  # mismatch
    lines[5] = lines[5].replace('"doc"', '"note": "x:y", "note": "z", "doc"')
    lines[6] = _edit(lines[6], label="UNKNOWN")
    lines[8] = _edit(lines[8], attributes={"kind": "zzz"})
    lines[9] = _edit(lines[9], doc="nowhere")
    lines[11] = _edit(lines[11], id=json.loads(lines[12])["id"])
    lines[14] = _edit(lines[14], start=0, end=1, text=_text(2, 40)[0])
    lines.insert(20, lines[15])
    lines.insert(30, "")
    lines.append(_edit(lines[25], id="back", start=0, end=3, text=_text(4, 40)[:3]))
    _write(corpus, lines)
    fast = _bounded(corpus)
    monkeypatch.setattr(native._SpansReader, "_read_block", _careful_only)
    careful = _bounded(corpus)
    assert fast == careful
    assert len({p[3] for p in fast}) >= 8


def test_the_span_limit_stops_reading_in_the_fast_path_too(corpus: Path) -> None:
    limits = native.ReadLimits(max_spans=100)
    assert [(p.line, p.code) for p in validate(corpus, limits=limits)] == [(102, "too-many-spans")]


@pytest.mark.slow
def test_validation_memory_does_not_grow_with_the_corpus(tmp_path: Path) -> None:
    def peak(root: Path) -> int:
        tracemalloc.start()
        try:
            problems = _bounded(root, text_budget=64 * 1024)
            _, top = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert problems == []
        return top

    # Both spans files are larger than a read block, so both hold blocks at their largest.
    small = _corpus(tmp_path / "small", 300, words=400, spans=20)
    large = _corpus(tmp_path / "large", 1200, words=400, spans=20)
    assert (small / "spans" / "a.jsonl").stat().st_size > 2 * native._BLOCK_BYTES
    assert peak(large) < 1.5 * peak(small)


# ---------------------------------------------------------------------------
# iter_spans: the public streaming reader of one spans file.


def test_iter_spans_streams_what_load_corpus_loads(repo_root: Path) -> None:
    corpus = biaskit.load_corpus(repo_root / "annotations")
    streamed = list(biaskit.iter_spans(repo_root / "annotations" / "spans" / "gold.jsonl"))
    loaded = [(doc.id, span) for doc, span in corpus.spans(annotator="gold")]
    assert sorted(streamed, key=lambda t: (t[0], t[1].sort_key())) == sorted(
        loaded, key=lambda t: (t[0], t[1].sort_key())
    )
    assert len(streamed) == len(loaded) > 200


def test_iter_spans_stops_at_the_first_bad_line_with_its_location(tmp_path: Path) -> None:
    doc = biaskit.Document("d1", "The US killed Soleimani.")
    schema = biaskit.Schema("s", "1", [biaskit.LabelSpec("A")])
    spans = [biaskit.Span(0, 3, "A"), biaskit.Span(7, 13, "A")]
    biaskit.save_corpus(
        biaskit.Corpus([doc], schema, [biaskit.AnnotationSet(doc, "x", spans)]), tmp_path / "c"
    )
    file = tmp_path / "c" / "spans" / "x.jsonl"
    lines = file.read_text("utf-8").splitlines()
    lines[2] = lines[2].replace('"start": 7', '"start": "7"')
    file.write_text("\n".join(lines) + "\n", "utf-8")
    stream = biaskit.iter_spans(file)
    assert next(stream)[1].start == 0
    with pytest.raises(biaskit.AnnotationError) as caught:
        next(stream)
    problem = caught.value.problems[0]
    assert (problem.path, problem.line) == (str(file), 3)
    assert "start" in problem.message
