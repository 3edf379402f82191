"""The corpus folder format: what the reader reports for each kind of damage, and the writer.

Every malformed-file case starts from the same valid corpus, written by
``save_corpus``, and damages one file in one place. Each must produce exactly
the problems listed (file, code, line, column) and nothing else: one mistake,
one report, at the place an editor can jump to.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from biaskit import (
    AnnotationError,
    AnnotationSet,
    AttributeSpec,
    Corpus,
    Document,
    LabelSpec,
    OutputExistsError,
    Schema,
    Span,
    check_corpus,
    iter_documents,
    load_corpus,
    save_corpus,
    text_sha256,
    validate,
)

# ---------------------------------------------------------------------------
# The valid corpus every case starts from.

SCHEMA = Schema(
    "demo",
    "1.0",
    [
        LabelSpec(
            "EVENT_TERM",
            color="#d95f02",
            attributes=[AttributeSpec("register", values=("loaded", "euphemism"))],
        ),
        LabelSpec("EPITHET", attributes=[AttributeSpec("weight", type="integer")]),
    ],
    common_attributes=[AttributeSpec("voice", values=("journalist", "source"))],
)
D1 = Document("d1", "The US killed Soleimani.", outlet="A", date="2020-01-03")
D2 = Document("d2", "😀 Iran’s so-called ‘satellites’ fired.", outlet="B")
D3 = Document("d3", "A family 👩\u200d👩\u200d👧 met the cafe\u0301 owner.", outlet="B")
D4 = Document("d4", "No spans here.\nSecond line.", outlet="C")
CAFE = D3.text.index("cafe")
FAMILY = D3.text.index("👩")

CORPUS = Corpus(
    [D1, D2, D3, D4],
    SCHEMA,
    [
        AnnotationSet(
            D1, "alice", [Span(7, 13, "EVENT_TERM", attributes={"register": "loaded"}, id="a1")]
        ),
        AnnotationSet(
            D2,
            "alice",
            [Span(2, 8, "EPITHET", id="a2"), Span(9, 18, "EPITHET", note="x\ny", id="a3")],
        ),
        AnnotationSet(D3, "alice", [Span(CAFE, CAFE + 5, "EPITHET", id="a4")]),
        AnnotationSet(D1, "bob", [Span(14, 23, "EPITHET", attributes={"weight": 2}, id="b1")]),
    ],
)
# Lines of the files save_corpus writes for CORPUS:
#   documents.jsonl    1 header, 2 d1, 3 d2, 4 d3, 5 d4
#   spans/alice.jsonl  1 header, 2 a1 (d1 "killed"), 3 a2 (d2 "Iran’s"),
#                      4 a3 (d2 "so-called"), 5 a4 (d3 "café")
#   spans/bob.jsonl    1 header, 2 b1 (d1 "Soleimani")
DOCS = "documents.jsonl"
ALICE = "spans/alice.jsonl"
BOB = "spans/bob.jsonl"
SCHEMA_JSON = "schema.json"


def write_corpus(root: Path) -> Path:
    save_corpus(CORPUS, root)
    return root


def content(corpus: Corpus | None) -> tuple[Any, ...]:
    """What a corpus holds, independent of set order and of spans' own annotator field."""
    assert corpus is not None
    spans = sorted(
        (aset.annotator, doc.id, span.sort_key(), span.attributes, span.note, span.group)
        for aset in corpus.annotations
        for doc, span in [(aset.document, s) for s in aset.spans]
    )
    return corpus.documents, corpus.schema, spans


# ---------------------------------------------------------------------------
# Ways of damaging one file.


def read_lines(path: Path) -> list[str]:
    # Bytes, not read_text: universal newlines would hide a CRLF.
    return path.read_bytes().decode("utf-8").split("\n")


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_bytes("\n".join(lines).encode("utf-8"))


def set_line(path: Path, number: int, text: str) -> None:
    lines = read_lines(path)
    lines[number - 1] = text
    write_lines(path, lines)


def insert_line(path: Path, number: int, text: str) -> None:
    lines = read_lines(path)
    lines.insert(number - 1, text)
    write_lines(path, lines)


def append_line(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8", newline="") as out:
        out.write(text + "\n")


def delete_line(path: Path, number: int) -> None:
    lines = read_lines(path)
    del lines[number - 1]
    write_lines(path, lines)


DROP = object()


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def edit_record(path: Path, number: int, **changes: Any) -> None:
    """Change fields of the JSON record on a line (``DROP`` removes one)."""
    record = json.loads(read_lines(path)[number - 1])
    for key, value in changes.items():
        if value is DROP:
            del record[key]
        else:
            record[key] = value
    set_line(path, number, dumps(record))


def replace_in_line(path: Path, number: int, old: str, new: str) -> None:
    line = read_lines(path)[number - 1]
    assert old in line
    set_line(path, number, line.replace(old, new, 1))


def set_document_text(root: Path, number: int, text: str) -> None:
    """Give a document new text and the matching hash (a consistent edit)."""
    edit_record(root / DOCS, number, text=text, sha256=text_sha256(text))


def span_line(doc: Document, start: int, end: int, label: str, span_id: str) -> str:
    return dumps(
        {
            "id": span_id,
            "doc": doc.id,
            "start": start,
            "end": end,
            "label": label,
            "text": doc.text[start:end],
        }
    )


# ---------------------------------------------------------------------------
# The table.


@dataclass(frozen=True)
class At:
    """The column of a field's key on the problem's line (its ``nth`` occurrence)."""

    key: str
    nth: int = 1


Col = int | At | None


@dataclass(frozen=True)
class Case:
    id: str
    corrupt: Callable[[Path], None]
    expected: list[tuple[str, str, int | None, Col]]
    message: str


def _bad_utf8(root: Path) -> None:
    path = root / ALICE
    path.write_bytes(path.read_bytes().replace(b"killed", b"ki\xffled", 1))


def _crlf(root: Path) -> None:
    path = root / ALICE
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


def _bom(root: Path) -> None:
    path = root / ALICE
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def _schema_text(root: Path, old: str, new: str) -> None:
    path = root / SCHEMA_JSON
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _into_folder(relative: str) -> Callable[[Path], None]:
    def corrupt(root: Path) -> None:
        (root / relative).unlink()
        (root / relative).mkdir()

    return corrupt


def _crlf_document(root: Path) -> None:
    text = "Line one\r\nline two."
    set_document_text(root, 5, text)
    doc = Document("d4", text)
    # [5, 9) is "one\r": its end falls between \r and \n.
    append_line(root / ALICE, span_line(doc, 5, 9, "EVENT_TERM", "a9"))


CASES = [
    # -- lines that are not JSON objects
    Case(
        "truncated line",
        lambda r: set_line(r / ALICE, 2, read_lines(r / ALICE)[1][:62]),
        [(ALICE, "json-syntax", 2, 59)],  # the string cut short starts at column 59
        "invalid JSON: Unterminated string",
    ),
    Case(
        "text after the object",
        lambda r: replace_in_line(r / ALICE, 3, '"Iran’s"}', '"Iran’s"} x'),
        [(ALICE, "json-syntax", 3, 87)],  # at the "x"
        "invalid JSON: Extra data",
    ),
    Case(
        "line holding an array",
        lambda r: set_line(r / ALICE, 3, '["d2", 2, 8, "EPITHET"]'),
        [(ALICE, "wrong-type", 3, 1)],
        "expected a JSON object, found an array",
    ),
    Case(
        "line holding a string",
        lambda r: set_line(r / ALICE, 3, '"Iran’s"'),
        [(ALICE, "wrong-type", 3, 1)],
        "expected a JSON object, found a string",
    ),
    Case(
        "blank line",
        lambda r: insert_line(r / ALICE, 3, ""),
        [(ALICE, "blank-line", 3, 1)],
        "blank line",
    ),
    Case(
        "line of spaces",
        lambda r: insert_line(r / DOCS, 2, "   "),
        [(DOCS, "blank-line", 2, 1)],
        "blank line",
    ),
    Case(
        "duplicate JSON key",
        lambda r: replace_in_line(r / ALICE, 2, '"text"', '"label": "EPITHET", "text"'),
        [(ALICE, "duplicate-field", 2, At("label", 2))],
        "field 'label' appears more than once",
    ),
    Case(
        "duplicate JSON key in a document",
        lambda r: replace_in_line(r / DOCS, 2, '"sha256"', '"outlet": "B", "sha256"'),
        [(DOCS, "duplicate-field", 2, At("outlet", 2))],
        "field 'outlet' appears more than once",
    ),
    Case(
        "invalid UTF-8 byte",
        _bad_utf8,
        [(ALICE, "encoding", 2, 84)],  # the 0xff stands where the first "l" of "killed" was
        "invalid UTF-8 byte 0xff at byte offset",
    ),
    Case(
        "byte-order mark",
        _bom,
        [(ALICE, "bom", 1, 1)],
        "file starts with a UTF-8 byte-order mark",
    ),
    Case(
        "CRLF line ends",
        _crlf,
        [(ALICE, "newline-style", 1, 1)],
        "5 line(s) end in CRLF",
    ),
    # -- headers
    Case(
        "missing header",
        lambda r: delete_line(r / ALICE, 1),
        [(ALICE, "missing-header", 1, 1)],
        'expected a header record {"biaskit": "spans"',
    ),
    Case(
        "empty file",
        lambda r: (r / ALICE).write_bytes(b""),
        [(ALICE, "missing-header", 1, 1)],
        "expected a header record",
    ),
    Case(
        "truncated header",
        lambda r: set_line(r / ALICE, 1, '{"biaskit": "spans", "format_vers'),
        [(ALICE, "json-syntax", 1, 22)],
        "invalid JSON: Unterminated string",
    ),
    Case(
        "header of another kind of file",
        lambda r: edit_record(r / ALICE, 1, biaskit="documents"),
        [(ALICE, "wrong-file", 1, At("biaskit"))],
        """expected a spans file ("biaskit": "spans"), found 'documents'""",
    ),
    Case(
        "documents file among the spans files",
        lambda r: shutil.copy(r / DOCS, r / "spans" / "carol.jsonl"),
        [("spans/carol.jsonl", "wrong-file", 1, At("biaskit"))],
        "expected a spans file",
    ),
    Case(
        "spans file of a newer format",
        lambda r: edit_record(r / ALICE, 1, format_version=2),
        [(ALICE, "format-version", 1, At("format_version"))],
        "file is in corpus format 2; this biaskit reads format 1; upgrade biaskit",
    ),
    Case(
        "documents file of a newer format",
        lambda r: edit_record(r / DOCS, 1, format_version=2),
        [(DOCS, "format-version", 1, At("format_version"))],
        "upgrade biaskit",
    ),
    Case(
        "format version 0",
        lambda r: edit_record(r / DOCS, 1, format_version=0),
        [(DOCS, "format-version", 1, At("format_version"))],
        "file is in corpus format 0; this biaskit reads format 1",
    ),
    Case(
        "format version as a string",
        lambda r: edit_record(r / DOCS, 1, format_version="1"),
        [(DOCS, "wrong-type", 1, At("format_version"))],
        "field 'format_version' of the header must be an integer, not a string",
    ),
    Case(
        "second header",
        lambda r: append_line(r / ALICE, read_lines(r / ALICE)[0]),
        [(ALICE, "misplaced-header", 6, At("biaskit"))],
        "header record found after the first line",
    ),
    Case(
        "header without annotator",
        lambda r: edit_record(r / ALICE, 1, annotator=DROP),
        [(ALICE, "missing-annotator", 1, 1)],
        "the header names no annotator; using the file name 'alice'",
    ),
    Case(
        "annotator with surrounding space",
        lambda r: edit_record(r / ALICE, 1, annotator="alice "),
        [(ALICE, "invalid-value", 1, At("annotator"))],
        "annotator must be a non-empty name without surrounding whitespace, not 'alice '",
    ),
    Case(
        "two spans files for one annotator",
        lambda r: edit_record(r / BOB, 1, annotator="alice"),
        [(BOB, "duplicate-annotator", 1, 1)],
        "annotator 'alice' already has spans file",
    ),
    # -- fields
    *(
        Case(
            f"span without {key}",
            lambda r, key=key: edit_record(r / ALICE, 2, **{key: DROP}),
            [(ALICE, "missing-field", 2, 1)],
            f"a span has no {key!r} field",
        )
        for key in ("id", "doc", "start", "end", "label", "text")
    ),
    Case(
        "document without sha256",
        lambda r: edit_record(r / DOCS, 2, sha256=DROP),
        [(DOCS, "missing-field", 2, 1)],
        "a document has no 'sha256' field",
    ),
    Case(
        "unknown span field",
        lambda r: edit_record(r / ALICE, 2, colour="red"),
        [(ALICE, "unknown-field", 2, At("colour"))],
        "unknown field 'colour' in a span; expected fields: id, doc, start",
    ),
    Case(
        "unknown document field",
        lambda r: edit_record(r / DOCS, 3, author="X"),
        [(DOCS, "unknown-field", 3, At("author"))],
        "unknown field 'author' in a document",
    ),
    Case(
        "offset as a string",
        lambda r: edit_record(r / ALICE, 2, start="7"),
        [(ALICE, "wrong-type", 2, At("start"))],
        "field 'start' of a span must be an integer, not a string",
    ),
    Case(
        "offset as a float",
        lambda r: edit_record(r / ALICE, 2, end=13.0),
        [(ALICE, "wrong-type", 2, At("end"))],
        "field 'end' of a span must be an integer, not a number",
    ),
    Case(
        "offset as a boolean",
        lambda r: edit_record(r / ALICE, 2, start=True),
        [(ALICE, "wrong-type", 2, At("start"))],
        "field 'start' of a span must be an integer, not a boolean",
    ),
    Case(
        "document text as null",
        lambda r: edit_record(r / DOCS, 2, text=None),
        [(DOCS, "wrong-type", 2, At("text"))],
        "field 'text' of a document must be a string, not null",
    ),
    # -- values the model rejects
    Case(
        "negative offset",
        lambda r: edit_record(r / ALICE, 2, start=-1),
        [(ALICE, "offset-range", 2, At("start"))],
        "span start must be >= 0, not -1",
    ),
    Case(
        "start equal to end",
        lambda r: edit_record(r / ALICE, 2, start=13),
        [(ALICE, "offset-range", 2, At("end"))],
        "span end must be greater than start, got [13, 13)",
    ),
    Case(
        "end past the text",
        lambda r: edit_record(r / ALICE, 2, end=99),
        [(ALICE, "offset-range", 2, At("end"))],
        "span end 99 is past the end of document 'd1' (24 code points)",
    ),
    Case(
        "label with surrounding space",
        lambda r: edit_record(r / ALICE, 2, label=" legend"),
        [(ALICE, "invalid-value", 2, At("label"))],
        "label must be a non-empty string without surrounding whitespace, not ' legend'",
    ),
    Case(
        "attribute value that is a list",
        lambda r: edit_record(r / ALICE, 2, attributes={"register": ["loaded"]}),
        [(ALICE, "invalid-value", 2, At("attributes"))],
        "attribute 'register' must be a string, a finite number or a boolean, not list",
    ),
    Case(
        "document date not ISO 8601",
        lambda r: edit_record(r / DOCS, 2, date="3 Jan 2020"),
        [(DOCS, "invalid-value", 2, At("date"))],
        "date must be ISO 8601",
    ),
    Case(
        "document date with a zone only newer Pythons parse",
        lambda r: edit_record(r / DOCS, 2, date="2020-01-03T16:12Z"),
        [(DOCS, "invalid-value", 2, At("date"))],
        "not '2020-01-03T16:12Z'",
    ),
    Case(
        "document text with a lone surrogate",
        lambda r: replace_in_line(r / DOCS, 2, "The US", "The \\ud800S"),
        [(DOCS, "invalid-value", 2, At("text"))],
        "text holds a lone surrogate at code point 4",
    ),
    # -- offsets against the text
    Case(
        "offsets shifted by one",
        lambda r: edit_record(r / ALICE, 2, start=8, end=14),
        [(ALICE, "text-mismatch", 2, At("text"))],
        "span text 'killed' does not match the document text at [8, 14), which is 'illed '; "
        "the text 'killed' occurs at 7",
    ),
    Case(
        "UTF-16 offsets after an emoji",
        lambda r: edit_record(r / ALICE, 3, start=3, end=9),
        [(ALICE, "text-mismatch", 3, At("text"))],
        "the offsets fit utf16 offsets, not code points",
    ),
    Case(
        "document text edited after annotation",
        lambda r: edit_record(r / DOCS, 2, text="The UK killed Soleimani."),
        [(DOCS, "hash-mismatch", 2, At("sha256"))],
        "text hash does not match",
    ),
    # -- ids and references
    Case(
        "duplicate document id",
        lambda r: append_line(r / DOCS, read_lines(r / DOCS)[1]),
        [(DOCS, "duplicate-id", 6, At("id"))],
        "duplicate document id 'd1'; first defined on line 2",
    ),
    Case(
        "duplicate span id",
        lambda r: edit_record(r / ALICE, 3, id="a1"),
        [(ALICE, "duplicate-id", 3, At("id"))],
        "duplicate span id 'a1'; first used on line 2",
    ),
    Case(
        "span pointing at a missing document",
        lambda r: edit_record(r / ALICE, 2, doc="d9"),
        [(ALICE, "missing-document", 2, At("doc"))],
        "span points at document 'd9', which is not in documents.jsonl",
    ),
    # -- the schema
    Case(
        "unknown label",
        lambda r: edit_record(r / ALICE, 2, label="FRAME"),
        [(ALICE, "unknown-label", 2, At("label"))],
        "unknown label 'FRAME'; expected one of EVENT_TERM, EPITHET",
    ),
    Case(
        "attribute value not allowed",
        lambda r: edit_record(r / ALICE, 2, attributes={"register": "odd"}),
        [(ALICE, "attribute-value", 2, At("attributes"))],
        "attribute 'register' of EVENT_TERM must be one of 'loaded', 'euphemism', not 'odd'",
    ),
    Case(
        "attribute of the wrong type",
        lambda r: edit_record(r / BOB, 2, attributes={"weight": "2"}),
        [(BOB, "attribute-value", 2, At("attributes"))],
        "attribute 'weight' of EPITHET must be of type integer, not str '2'",
    ),
    Case(
        "unknown attribute",
        lambda r: edit_record(r / ALICE, 2, attributes={"colour": "red"}),
        [(ALICE, "unknown-attribute", 2, At("attributes"))],
        "unknown attribute 'colour' for EVENT_TERM; allowed: register, voice",
    ),
    # -- spans among themselves
    Case(
        "same-label overlap",
        lambda r: append_line(r / ALICE, span_line(D2, 2, 5, "EPITHET", "a9")),
        [(ALICE, "overlap", 6, 1)],
        "span EPITHET [2, 5) overlaps span EPITHET [2, 8) by the same annotator; "
        "spans of one label must not overlap (merge them or change one label) "
        "(other span on line 3)",
    ),
    Case(
        "exact duplicate",
        lambda r: append_line(r / ALICE, span_line(D2, 2, 8, "EPITHET", "a9")),
        [(ALICE, "exact-duplicate", 6, 1)],
        "span EPITHET [2, 8) is an exact duplicate (other span on line 3)",
    ),
    Case(
        "whitespace at a span edge",
        lambda r: edit_record(r / ALICE, 2, end=14, text="killed "),
        [(ALICE, "span-edge", 2, At("start"))],
        "span EVENT_TERM [7, 14) has U+0020 SPACE at its end",
    ),
    Case(
        "span splitting a ZWJ emoji",
        lambda r: append_line(r / ALICE, span_line(D3, FAMILY, FAMILY + 1, "EVENT_TERM", "a9")),
        [(ALICE, "split-cluster", 6, At("start"))],
        "ends inside a character cluster ('👩' + U+200D ZERO WIDTH JOINER)",
    ),
    Case(
        "span splitting a combining mark",
        lambda r: append_line(r / ALICE, span_line(D3, CAFE, CAFE + 4, "EVENT_TERM", "a9")),
        [(ALICE, "split-cluster", 6, At("start"))],
        "ends inside a character cluster ('e' + U+0301 COMBINING ACUTE ACCENT)",
    ),
    Case(
        "span splitting a CRLF",
        _crlf_document,
        [
            # The CRLF text itself is worth a warning, and a span ending in \r
            # ends in whitespace; the split is the finding under test.
            (DOCS, "newline-style", 5, At("text")),
            (ALICE, "span-edge", 6, At("start")),
            (ALICE, "split-cluster", 6, At("start")),
        ],
        "span EVENT_TERM [5, 9) ends inside a character cluster (U+000D + U+000A)",
    ),
    # -- files and the schema
    Case(
        "missing schema.json",
        lambda r: (r / SCHEMA_JSON).unlink(),
        [(SCHEMA_JSON, "missing-file", None, None)],
        "missing file: expected schema.json in the corpus folder",
    ),
    Case(
        "missing documents.jsonl",
        lambda r: (r / DOCS).unlink(),
        [(DOCS, "missing-file", None, None)],
        "missing file: expected documents.jsonl in the corpus folder",
    ),
    Case(
        "schema.json with a JSON syntax error",
        lambda r: _schema_text(r, '"name": "demo",', '"name": "demo"'),
        [(SCHEMA_JSON, "json-syntax", 5, 3)],
        "invalid JSON: Expecting ',' delimiter",
    ),
    Case(
        "schema with an invalid colour",
        lambda r: _schema_text(r, '"#d95f02"', '"orange"'),
        [(SCHEMA_JSON, "schema", 18, 15)],  # the "EVENT_TERM" of its "name"
        "label 'EVENT_TERM': color of EVENT_TERM must be '#rrggbb', not 'orange'",
    ),
    Case(
        "schema of a newer format",
        lambda r: _schema_text(r, '"format_version": 1', '"format_version": 2'),
        [(SCHEMA_JSON, "schema", 3, 3)],
        "the schema is in corpus format 2, newer than this biaskit reads (1); upgrade biaskit",
    ),
    Case(
        "schema attribute 'required' that is not a boolean",
        lambda r: _schema_text(r, '"type": "integer"', '"type": "integer", "required": "no"'),
        [(SCHEMA_JSON, "schema", 39, 30)],  # its "required" key
        "attribute 'weight' of label 'EPITHET': 'required' must be a boolean, not a string",
    ),
    Case(
        "folder where a spans file is expected",
        _into_folder(ALICE),
        [(ALICE, "not-a-file", None, None)],
        "expected alice.jsonl to be a file, found a folder",
    ),
    Case(
        "folder where documents.jsonl is expected",
        _into_folder(DOCS),
        [(DOCS, "not-a-file", None, None)],
        "expected documents.jsonl to be a file, found a folder",
    ),
    Case(
        "file where the spans folder is expected",
        lambda r: (shutil.rmtree(r / "spans"), (r / "spans").write_text("x\n")),
        [("spans", "not-a-folder", None, None)],
        "expected spans/ to be a folder of spans files, found a file",
    ),
]


def snapshot(root: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every path under ``root`` with its bytes (None for folders) and mtime."""
    return {
        p.relative_to(root).as_posix(): (
            p.read_bytes() if p.is_file() else None,
            p.stat().st_mtime_ns,
        )
        for p in sorted(root.rglob("*"))
    }


def located(root: Path, problems: Any) -> list[tuple[str, str, int | None, int | None]]:
    result = []
    for p in problems:
        assert p.path is not None
        result.append((Path(p.path).relative_to(root).as_posix(), p.code, p.line, p.col))
    return result


def resolve(root: Path, expected: tuple[str, str, int | None, Col]) -> tuple[Any, ...]:
    file, code, line, col = expected
    if isinstance(col, At):
        assert line is not None
        text = read_lines(root / file)[line - 1]
        index = -1
        for _ in range(col.nth):
            index = text.index(f'"{col.key}"', index + 1)
        col = index + 1
    return (file, code, line, col)


def test_the_base_corpus_is_clean(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus")
    checked = check_corpus(root)
    assert checked.problems == ()
    assert content(checked.corpus) == content(CORPUS)


def test_the_table_holds_at_least_thirty_distinct_cases() -> None:
    assert len(CASES) >= 30
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_corruption_is_reported_once_where_it_is(tmp_path: Path, case: Case) -> None:
    root = write_corpus(tmp_path / "corpus")
    case.corrupt(root)
    before = snapshot(root)

    checked = check_corpus(root)

    assert located(root, checked.problems) == [resolve(root, e) for e in case.expected]
    assert any(case.message in p.message for p in checked.problems), [
        p.message for p in checked.problems
    ]
    if any(p.is_error for p in checked.problems):
        assert checked.corpus is None
    assert snapshot(root) == before, "checking must not touch the files"


def test_an_invalid_byte_is_reported_with_its_offset_in_the_file(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus")
    _bad_utf8(root)
    offset = (root / ALICE).read_bytes().index(b"\xff")
    [problem] = check_corpus(root).problems
    assert f"invalid UTF-8 byte 0xff at byte offset {offset} of the file" in problem.message


def test_a_bom_does_not_shift_the_reported_byte_offset(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus")
    _bad_utf8(root)
    _bom(root)
    offset = (root / ALICE).read_bytes().index(b"\xff")
    problems = check_corpus(root).problems
    assert [p.code for p in problems] == ["bom", "encoding"]
    assert f"at byte offset {offset} of the file" in problems[1].message


def test_warnings_alone_still_load(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus")
    _crlf(root)
    edit_record(root / ALICE, 1, annotator=DROP)
    checked = check_corpus(root)
    assert {p.code for p in checked.problems} == {"newline-style", "missing-annotator"}
    assert content(load_corpus(root)) == content(CORPUS)


def test_a_folder_with_no_corpus_files_is_not_a_corpus(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello\n")
    [problem] = check_corpus(tmp_path).problems
    assert (problem.code, problem.path) == ("not-a-corpus", str(tmp_path))
    assert "found neither" in problem.message


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda p: None, "not-found"),
        (lambda p: p.write_text("{}\n"), "not-a-corpus"),
    ],
    ids=["missing path", "a file"],
)
def test_a_path_that_is_no_folder_is_reported_not_raised(
    tmp_path: Path, make: Callable[[Path], None], code: str
) -> None:
    target = tmp_path / "corpus"
    make(target)
    checked = check_corpus(target)
    assert [p.code for p in checked.problems] == [code]
    assert checked.corpus is None


# ---------------------------------------------------------------------------
# Loading and saving.


def test_load_then_save_reproduces_every_file_byte_for_byte(tmp_path: Path) -> None:
    first = write_corpus(tmp_path / "first")
    second = tmp_path / "second"
    save_corpus(load_corpus(first), second)
    files = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert files == [DOCS, SCHEMA_JSON, ALICE, BOB]
    assert sorted(p.relative_to(second).as_posix() for p in second.rglob("*")) == sorted(
        [*files, "spans"]
    )
    for name in files:
        assert (second / name).read_bytes() == (first / name).read_bytes(), name
    assert content(load_corpus(second)) == content(CORPUS)


def test_saving_in_place_with_overwrite_changes_nothing(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus")
    before = {k: v[0] for k, v in snapshot(root).items()}
    save_corpus(load_corpus(root), root, overwrite=True)
    assert {k: v[0] for k, v in snapshot(root).items()} == before


def test_spans_without_ids_get_document_numbered_ids(tmp_path: Path) -> None:
    doc = Document("d1", "one two three")
    corpus = Corpus(
        [doc],
        SCHEMA,
        [AnnotationSet(doc, "ann", [Span(8, 13, "EPITHET"), Span(0, 3, "EPITHET", id="d1-1")])],
    )
    save_corpus(corpus, tmp_path)
    ids = [json.loads(line)["id"] for line in read_lines(tmp_path / "spans" / "ann.jsonl")[1:-1]]
    assert ids == ["d1-1", "d1-2"]  # the given id kept, the new one skips it


def test_load_raises_one_error_holding_every_problem(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus")
    edit_record(root / ALICE, 2, label="FRAME")
    edit_record(root / BOB, 2, end=99)
    insert_line(root / DOCS, 3, "")
    with pytest.raises(AnnotationError) as raised:
        load_corpus(root)
    err = raised.value
    assert isinstance(err, ValueError)
    assert [(p.code, p.severity) for p in err.problems] == [
        ("blank-line", "warning"),
        ("unknown-label", "error"),
        ("offset-range", "error"),
    ]
    assert [p.code for p in err.errors] == ["unknown-label", "offset-range"]
    text = str(err)
    assert text.splitlines()[0] == f"{root}: 2 error(s); the corpus cannot be loaded"
    assert all(str(p) in text for p in err.problems)


def test_save_refuses_to_overwrite_and_leaves_files_untouched(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus")
    before = snapshot(root)
    other = Corpus([D1], SCHEMA)
    with pytest.raises(OutputExistsError, match="pass overwrite=True") as raised:
        save_corpus(other, root)
    assert isinstance(raised.value, FileExistsError)
    assert snapshot(root) == before


def test_save_refuses_a_folder_holding_a_stale_spans_file(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus")
    before = snapshot(root)
    without_bob = Corpus(
        CORPUS.documents, SCHEMA, [a for a in CORPUS.annotations if a.annotator != "bob"]
    )
    with pytest.raises(OutputExistsError, match=r"bob\.jsonl holds spans of an annotator"):
        save_corpus(without_bob, root, overwrite=True)
    assert snapshot(root) == before


def test_iter_documents_streams_in_file_order(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus")
    assert [d.id for d in iter_documents(root)] == ["d1", "d2", "d3", "d4"]
    assert list(iter_documents(root / DOCS)) == [D1, D2, D3, D4]


def test_iter_documents_stops_at_the_first_error(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus")
    set_line(root / DOCS, 3, "{")
    seen = []
    with pytest.raises(AnnotationError) as raised:
        seen.extend(d.id for d in iter_documents(root))
    assert seen == ["d1"]
    assert [(p.code, p.line) for p in raised.value.problems] == [("json-syntax", 3)]


# ---------------------------------------------------------------------------
# Validation never touches its input.


def test_validate_leaves_files_bytes_and_times_alone(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus")
    edit_record(root / ALICE, 2, start=8, end=14)
    _crlf(root)
    before = snapshot(root)
    problems = validate(root, root / ALICE, root / DOCS)
    assert {p.code for p in problems} == {"text-mismatch", "newline-style"}
    with pytest.raises(AnnotationError):
        load_corpus(root)
    assert snapshot(root) == before


# ---------------------------------------------------------------------------
# Acceptance: five corruptions at once, through the command line.


def biaskit_executable() -> str:
    found = shutil.which("biaskit") or str(Path(sys.executable).parent / "biaskit")
    assert Path(found).exists(), "the biaskit command is not installed"
    return found


def test_five_corruptions_give_five_located_errors(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus")
    # 1. a truncated line
    set_line(root / BOB, 2, read_lines(root / BOB)[1][:40])
    # 2. a shifted offset
    edit_record(root / ALICE, 2, start=8, end=14)
    # 3. an unknown label
    edit_record(root / ALICE, 5, label="FRAME")
    # 4. a document text edited after annotation (no span covers "spans")
    edit_record(root / DOCS, 5, text=D4.text.replace("spans", "Spans"))
    # 5. a duplicated span id
    edit_record(root / ALICE, 4, id="a2")
    before = snapshot(root)

    result = subprocess.run(
        [biaskit_executable(), "validate", str(root)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    expected = [
        (DOCS, 5, "hash-mismatch"),
        (ALICE, 2, "text-mismatch"),
        (ALICE, 4, "duplicate-id"),
        (ALICE, 5, "unknown-label"),
        (BOB, 2, "json-syntax"),
    ]
    assert len(lines) == len(expected), result.stdout
    for line, (file, number, code) in zip(lines, expected, strict=True):
        assert line.startswith(f"{root / file}:{number}:"), line
        assert ": error: " in line
        assert line.endswith(f"[{code}]"), line
    assert result.stderr.strip() == "5 error(s), 0 warning(s) in 3 file(s)"
    assert snapshot(root) == before


def test_modification_times_survive_a_cli_run_on_a_clean_corpus(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus")
    os.utime(root / DOCS, ns=(1_000_000_000, 1_000_000_000))
    before = snapshot(root)
    result = subprocess.run(
        [biaskit_executable(), "validate", str(root)], capture_output=True, check=False
    )
    assert result.returncode == 0
    assert snapshot(root) == before


def test_a_save_that_fails_part_way_leaves_every_file_as_it_was(tmp_path: Path) -> None:
    from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span, save_corpus

    schema = Schema("s", "1", [LabelSpec("X")])
    doc = Document("d", "some text")
    good = Corpus([doc], schema, [AnnotationSet(doc, "a", [Span(0, 4, "X")])])
    save_corpus(good, tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    # A lone surrogate in a note cannot be written as UTF-8; it is met only
    # after schema.json and documents.jsonl have been produced.
    bad_span = Span(0, 4, "X", note="broken \ud800")
    bad = Corpus([doc], schema, [AnnotationSet(doc, "a", [bad_span])])
    with pytest.raises(UnicodeEncodeError):
        save_corpus(bad, tmp_path, overwrite=True)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before  # same files, same bytes, no temporary file left


def test_an_edited_text_is_one_problem_that_counts_the_spans_it_broke(tmp_path: Path) -> None:
    from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span, save_corpus
    from biaskit import validate as validate_folder

    schema = Schema("s", "1", [LabelSpec("X")])
    doc = Document("d", "The US killed the general.")
    sets = [
        AnnotationSet(doc, "a", [Span(7, 13, "X"), Span(18, 25, "X")]),
        AnnotationSet(doc, "b", [Span(7, 13, "X")]),
    ]
    save_corpus(Corpus([doc], schema, sets), tmp_path)
    docs = tmp_path / "documents.jsonl"
    docs.write_text(docs.read_text(encoding="utf-8").replace("killed", "slew"), encoding="utf-8")
    problems = validate_folder(tmp_path)
    assert [(p.code, p.path, p.line) for p in problems] == [
        ("hash-mismatch", str(tmp_path / "documents.jsonl"), 2)
    ]
    # a's first span now covers other text, its second runs past the shorter text.
    assert problems[0].message.endswith(
        "3 span(s) no longer match the text they were made on "
        f"(2 in {tmp_path / 'spans' / 'a.jsonl'}, 1 in {tmp_path / 'spans' / 'b.jsonl'})"
    )


def test_a_long_text_mismatch_shows_where_the_texts_differ(tmp_path: Path) -> None:
    from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span, save_corpus
    from biaskit import validate as validate_folder

    text = "At the same time, we should expect a suspension of talks on withdrawing troops."
    doc = Document("d", text)
    schema = Schema("s", "1", [LabelSpec("X")])
    save_corpus(Corpus([doc], schema, [AnnotationSet(doc, "a", [Span(0, 78, "X")])]), tmp_path)
    spans = tmp_path / "spans" / "a.jsonl"
    spans.write_text(
        spans.read_text(encoding="utf-8").replace("talks on", "talks in"), encoding="utf-8"
    )
    (problem,) = validate_folder(tmp_path)
    assert problem.code == "text-mismatch"
    # Both texts are cut to the same window, just before where they differ.
    assert "span text '…ion of talks in withdrawing troops' does not match" in problem.message
    assert "which is '…ion of talks on withdrawing troops'" in problem.message


def test_saved_files_get_the_usual_mode_and_replaced_files_keep_theirs(tmp_path: Path) -> None:
    import os
    import stat

    from biaskit import Corpus, Document, LabelSpec, Schema, save_corpus

    corpus = Corpus([Document("d", "text")], Schema("s", "1", [LabelSpec("X")]))
    umask = os.umask(0o022)
    try:
        save_corpus(corpus, tmp_path)
        docs = tmp_path / "documents.jsonl"
        assert stat.S_IMODE(docs.stat().st_mode) == 0o644  # not mkstemp's 0600
        docs.chmod(0o640)
        save_corpus(corpus, tmp_path, overwrite=True)
        assert stat.S_IMODE(docs.stat().st_mode) == 0o640
    finally:
        os.umask(umask)


def test_annotator_file_names_cannot_escape_and_are_never_truncated(tmp_path: Path) -> None:
    from biaskit import (
        AnnotationSet,
        BiaskitError,
        Corpus,
        Document,
        LabelSpec,
        Schema,
        Span,
        load_corpus,
        save_corpus,
    )

    schema = Schema("s", "1", [LabelSpec("X")])
    doc = Document("d", "some text")
    names = ["../../etc/passwd", "Jane Doe", "CON", "a/b"]
    sets = [AnnotationSet(doc, name, [Span(0, 4, "X")]) for name in names]
    save_corpus(Corpus([doc], schema, sets), tmp_path / "c")
    files = sorted(p.name for p in (tmp_path / "c" / "spans").iterdir())
    assert all(p.parent == tmp_path / "c" / "spans" for p in (tmp_path / "c" / "spans").iterdir())
    assert files == [
        "%%2E%2E%2F%2E%2E%2Fetc%2Fpasswd.jsonl",
        "%CON.jsonl",
        "%Jane%20Doe.jsonl",
        "%a%2Fb.jsonl",
    ]
    assert load_corpus(tmp_path / "c").annotators == tuple(sorted(names))
    # Two long names would collide if cut short: too long is refused, nothing written.
    long_sets = [AnnotationSet(doc, "é" * 100 + tail, [Span(0, 4, "X")]) for tail in "ab"]
    with pytest.raises(BiaskitError, match="too long to be a file name"):
        save_corpus(Corpus([doc], schema, long_sets), tmp_path / "long")
    assert not (tmp_path / "long" / "spans").exists() or not any(
        (tmp_path / "long" / "spans").iterdir()
    )
