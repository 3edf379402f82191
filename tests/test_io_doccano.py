"""doccano JSONL: every shape, an explicit offset unit, grapheme clusters, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biaskit import AnnotationError
from biaskit.io.doccano import GraphemeConverter, check_doccano, load_doccano, save_doccano

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "interop"
TEXT = "😀 He was killed.\r\nThe end"


def jsonl(tmp_path: Path, *records: object, name: str = "alice.jsonl") -> Path:
    path = tmp_path / name
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "record",
    [
        {"id": 1, "text": TEXT, "label": [[11, 17, "X"]]},
        {"id": 1, "text": TEXT, "labels": [[11, 17, "X"]]},
        {
            "id": 1,
            "text": TEXT,
            "entities": [{"id": 9, "label": "X", "start_offset": 11, "end_offset": 17}],
        },
        {
            "id": 1,
            "data": TEXT,
            "annotations": [{"label": "X", "start_offset": 11, "end_offset": 17}],
        },
    ],
)
def test_every_shape_reads_to_the_same_span(tmp_path: Path, record: dict[str, object]) -> None:
    corpus = load_doccano(jsonl(tmp_path, record))
    assert [(d.id, s.start, s.end, s.label, s.annotator) for d, s in corpus.spans()] == [
        ("1", 10, 16, "X", "alice")
    ]


def test_the_unit_is_explicit(tmp_path: Path) -> None:
    path = jsonl(tmp_path, {"id": 1, "text": TEXT, "label": [[10, 16, "X"]]})
    assert [(s.start, s.end) for _, s in load_doccano(path, unit="codepoint").spans()] == [(10, 16)]
    assert [(s.start, s.end) for _, s in load_doccano(path, unit="grapheme").spans()] == [(10, 16)]
    # As UTF-16 (the default) the same numbers cover other text; nothing says so in the file.
    assert [(s.start, s.end) for _, s in load_doccano(path).spans()] == [(9, 15)]


def test_grapheme_offsets_count_zwj_emoji_and_crlf_as_one() -> None:
    corpus = load_doccano(FIXTURES / "doccano-grapheme", unit="grapheme")
    doc = corpus.document("news1")
    assert {doc.covered_text(s) for _, s in corpus.spans()} >= {
        "👩\u200d👩\u200d👧 family",
        "saw it. ",
    }


def test_grapheme_clusters_agree_with_the_regex_module_oracle() -> None:
    regex = pytest.importorskip("regex", reason="the regex module is the \\X oracle")
    samples = [
        "Café – “quoted” 😀 killed.\r\n",
        "👩\u200d👩\u200d👧 e\u0301 🇫🇷🇩🇪 👍🏽 ❤\ufe0f",
        "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f flag",
        "\u1100\u1161\u11a8 \uac00\u11a8 한국어 नमस्ते",
    ]
    for text in samples:
        clusters = regex.findall(r"\X", text)
        converter = GraphemeConverter(text)
        assert converter.length == len(clusters), text
        boundary = 0
        for k, cluster in enumerate(clusters):
            assert converter.to_codepoint(k) == boundary
            boundary += len(cluster)


@given(st.text(st.sampled_from(list("ab \r\n😀\u200d👩é\u0301🇫🇷")), max_size=20))
def test_grapheme_conversion_round_trips_at_cluster_starts(text: str) -> None:
    converter = GraphemeConverter(text)
    for k in range(converter.length + 1):
        assert converter.from_codepoint(converter.to_codepoint(k)) == k


def test_one_file_per_annotator_and_all_jsonl_warns(tmp_path: Path) -> None:
    record = {"id": 1, "text": TEXT, "label": [[11, 17, "X"]]}
    jsonl(tmp_path, record, name="alice.jsonl")
    jsonl(tmp_path, record, name="all.jsonl")
    checked = check_doccano(tmp_path)
    assert checked.corpus is not None
    assert checked.corpus.annotators == ("alice", "all")
    assert [p.code for p in checked.problems if p.code == "no-attribution"] == ["no-attribution"]


def test_relations_are_reported_and_metadata_kept() -> None:
    checked = check_doccano(FIXTURES / "doccano-entities.jsonl")
    assert [p.code for p in checked.problems if p.code == "not-read"] == ["not-read"]
    corpus = load_doccano(FIXTURES / "doccano")
    assert corpus.document("news1").outlet == "Example Outlet"


def test_written_lines_hold_utf16_offsets_and_document_fields(tmp_path: Path) -> None:
    corpus = load_doccano(FIXTURES / "doccano")
    save_doccano(corpus, tmp_path / "out")
    written = json.loads((tmp_path / "out" / "alice.jsonl").read_text("utf-8"))
    original = json.loads((FIXTURES / "doccano" / "alice.jsonl").read_text("utf-8"))
    assert written["label"] == original["label"]
    assert written["outlet"] == "Example Outlet"


BAD = [
    (
        '{"id": 1, "text": "abc", "label": [[0, 2, "X"]]',
        1,
        "json-syntax",
        "invalid JSON",
    ),  # truncated
    ("[1, 2]", 1, "wrong-type", "expected a JSON object"),
    ({"id": 1, "label": [[0, 2, "X"]]}, 1, "missing-field", "'text'"),
    ({"id": 1, "text": 5}, 1, "wrong-type", "'text'"),
    ({"text": TEXT, "label": "X"}, 1, "wrong-type", "'label' must be an array"),
    ({"text": TEXT, "label": [[0, 2]]}, 1, "wrong-type", "expected [start, end, label]"),
    ({"text": TEXT, "label": [["0", 2, "X"]]}, 1, "wrong-type", "offsets must be integers"),
    ({"text": TEXT, "label": [[0, 2, 7]]}, 1, "unknown-label", "label_names"),
    ({"text": TEXT, "label": [[0, 2, None]]}, 1, "wrong-type", "label must be a string"),
    ({"text": TEXT, "label": [[0, 99, "X"]]}, 1, "offset-range", "outside the text"),
    ({"text": TEXT, "label": [[1, 4, "X"]]}, 1, "offset-range", "inside the character U+1F600"),
    ({"text": TEXT, "label": [[5, 4, "X"]]}, 1, "offset-range", "greater than start"),
    ({"text": TEXT, "label": [[3, 9, "X"]], "labels": []}, 1, "ambiguous", "several keys"),
    (
        {"text": TEXT, "entities": [{"label": "X", "start_offset": 3}]},
        1,
        "missing-field",
        "end_offset",
    ),
    ({"text": TEXT, "label": [[3, 9, "X"], [5, 12, "X"]]}, 1, "overlap", "must not overlap"),
    (
        {
            "text": TEXT,
            "annotations": [{"label": "X", "start_offset": 3, "end_offset": 5, "user": [1]}],
        },
        1,
        "wrong-type",
        "'user'",
    ),
]


@pytest.mark.parametrize(("record", "line", "code", "message"), BAD)
def test_bad_lines_are_located_biaskit_errors(
    tmp_path: Path, record: object, line: int, code: str, message: str
) -> None:
    path = jsonl(tmp_path, record)
    errors = [p for p in check_doccano(path).problems if p.is_error]
    assert [(p.line, p.code) for p in errors] == [(line, code)]
    assert errors[0].path == str(path)
    assert message in errors[0].message
    with pytest.raises(AnnotationError):
        load_doccano(path)


def test_a_second_line_for_one_document_must_repeat_its_text(tmp_path: Path) -> None:
    path = jsonl(tmp_path, {"id": 1, "text": "abc"}, {"id": 1, "text": "abd"})
    errors = check_doccano(path).errors
    assert [(p.line, p.code) for p in errors] == [(2, "text-differs")]


def test_a_line_that_is_not_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "\xff"}\n')
    assert [(p.line, p.code) for p in check_doccano(path).errors] == [(2, "encoding")]


# ---------------------------------------------------------------------------
# Limits: a line over ReadLimits.max_line_bytes is reported, never held whole.


def test_a_line_over_the_configured_limit_is_reported_and_the_others_read(
    tmp_path: Path,
) -> None:
    from biaskit.io.native import ReadLimits

    short = {"id": 1, "text": "He was killed.", "label": [[7, 13, "X"]]}
    long = {"id": 2, "text": "x" * 5000, "label": []}
    path = jsonl(tmp_path, short, long, {**short, "id": 3})
    problems = check_doccano(path, limits=ReadLimits(max_line_bytes=200)).problems
    assert [(p.code, p.line, p.severity) for p in problems] == [("line-too-long", 2, "error")]
    size = len(json.dumps(long)) + 1
    assert f"line is {size} bytes, over the limit of 200" in problems[0].message
    # Under the default limit the same file is clean.
    assert check_doccano(path).problems == ()


def test_an_over_long_line_is_read_through_in_chunks_not_into_memory(tmp_path: Path) -> None:
    import tracemalloc

    from biaskit.io.native import ReadLimits

    path = tmp_path / "alice.jsonl"
    with path.open("w", encoding="utf-8") as out:
        out.write('{"id": 1, "text": "' + "x" * (20 * 1024 * 1024) + '", "label": []}\n')
    tracemalloc.start()
    try:
        problems = check_doccano(path, limits=ReadLimits(max_line_bytes=64 * 1024)).problems
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(p.code, p.line) for p in problems] == [("line-too-long", 1)]
    assert peak < 4 * 1024 * 1024  # a chunk or two, not the 20 MB line


def test_an_empty_file_is_read_as_no_documents_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "alice.jsonl"
    path.write_bytes(b"\n\n")
    checked = check_doccano(path)
    assert [(p.code, p.severity) for p in checked.problems] == [("empty-file", "warning")]
    assert checked.corpus is not None
    assert checked.corpus.documents == ()
