"""The biaskit corpus folder: schema, documents and one spans file per annotator.

A corpus folder holds::

    schema.json          the label schema (the codebook as data)
    documents.jsonl      one document per line, each with its text and its SHA-256
    spans/<name>.jsonl   one annotator's spans, one per line, each repeating its text

Every JSON Lines file starts with a header record naming what it holds and the
format version. The full specification is in ``docs/format.md``.

Reading streams line by line and reports every problem with its file, line and
column; writing is atomic and deterministic, so that loading and saving a
corpus that biaskit wrote reproduces its files byte for byte.

Examples
--------
>>> import tempfile
>>> from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
>>> doc = Document("d1", "The US killed Soleimani.", outlet="Example")
>>> schema = Schema("demo", "1.0", [LabelSpec("EVENT_TERM")])
>>> corpus = Corpus([doc], schema, [AnnotationSet(doc, "alice", [Span(7, 13, "EVENT_TERM")])])
>>> folder = tempfile.mkdtemp()
>>> save_corpus(corpus, folder, overwrite=True)
>>> loaded = load_corpus(folder)
>>> [loaded.document(d.id).covered_text(s) for d, s in loaded.spans()]
['killed']
>>> print(Path(folder, "spans", "alice.jsonl").read_text(encoding="utf-8"), end="")
{"biaskit": "spans", "format_version": 1, "annotator": "alice"}
{"id": "d1-1", "doc": "d1", "start": 7, "end": 13, "label": "EVENT_TERM", "text": "killed"}
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import json.scanner
import math
import os
import re
import sys
from array import array
from collections import OrderedDict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Final, NamedTuple

import attrs

from biaskit._atomic import TEMPORARY_NAME, atomic_group
from biaskit.checks import _quiet_edges, check_overlaps, check_span_text, check_text
from biaskit.corpus import Corpus
from biaskit.errors import AnnotationError, BiaskitError, OutputExistsError, Problem, Severity
from biaskit.io._json import loads_json
from biaskit.io._names import safe_file_stem
from biaskit.io.offsets import units_matching
from biaskit.model import AnnotationSet, AttributeValue, Document, FrozenMap, JsonValue, Span
from biaskit.schema import AttributeSpec, LabelSpec, Schema

__all__ = [
    "DOCUMENTS_FILE",
    "FORMAT_VERSION",
    "SCHEMA_FILE",
    "SPANS_DIR",
    "CheckedCorpus",
    "OutputExistsError",
    "ReadLimits",
    "check_corpus",
    "dumps_schema",
    "iter_documents",
    "iter_spans",
    "load_corpus",
    "loads_schema",
    "save_corpus",
    "save_spans",
]

FORMAT_VERSION: Final = 1
"""The version of the corpus folder format this biaskit reads and writes."""
SCHEMA_FILE: Final = "schema.json"
DOCUMENTS_FILE: Final = "documents.jsonl"
SPANS_DIR: Final = "spans"

_BOM = b"\xef\xbb\xbf"


@attrs.frozen
class ReadLimits:
    """Bounds that keep reading a hostile or broken file from exhausting memory.

    Parameters
    ----------
    max_line_bytes : int
        A longer line of a ``.jsonl`` file is reported (``line-too-long``) and
        skipped without being held in memory.
    max_spans : int
        A spans file with more span lines is reported (``too-many-spans``) and
        the rest of it is not read.
    """

    max_line_bytes: int = attrs.field(default=64 * 1024 * 1024, kw_only=True)
    max_spans: int = attrs.field(default=10_000_000, kw_only=True)

    @max_line_bytes.validator
    @max_spans.validator
    def _positive(self, attribute: attrs.Attribute[int], value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{attribute.name} must be a positive integer, not {value!r}")


DEFAULT_LIMITS: Final = ReadLimits()


# ---------------------------------------------------------------------------
# Records: the fields of each kind of line, in the order they are written.

_DOC_FIELDS: Final[dict[str, tuple[type, ...]]] = {
    "id": (str,),
    "outlet": (str,),
    "title": (str, type(None)),
    "url": (str, type(None)),
    "date": (str, type(None)),
    "language": (str,),
    "metadata": (dict,),
    "sha256": (str,),
    "text": (str,),
}
_DOC_REQUIRED: Final = ("id", "sha256", "text")

_SPAN_FIELDS: Final[dict[str, tuple[type, ...]]] = {
    "id": (str,),
    "doc": (str,),
    "start": (int,),
    "end": (int,),
    "label": (str,),
    "text": (str,),
    "attributes": (dict,),
    "note": (str,),
    "group": (str,),
}
_SPAN_REQUIRED: Final = ("id", "doc", "start", "end", "label", "text")

_HEADER_FIELDS: Final[dict[str, dict[str, tuple[type, ...]]]] = {
    "documents": {"biaskit": (str,), "format_version": (int,)},
    "spans": {"biaskit": (str,), "format_version": (int,), "annotator": (str,)},
}

_TYPE_NAMES: Final = {
    str: "a string",
    int: "an integer",
    dict: "an object",
    list: "an array",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def _json_type(value: object) -> str:
    for kind in (bool, type(None), str, int, float, dict, list):
        if isinstance(value, kind):
            return _TYPE_NAMES[kind]
    return type(value).__name__


def _dumps(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, allow_nan=False)


def _thaw(value: JsonValue) -> Any:
    if isinstance(value, FrozenMap):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


def _document_record(doc: Document) -> dict[str, Any]:
    record: dict[str, Any] = {"id": doc.id, "outlet": doc.outlet}
    for key in ("title", "url", "date"):
        value = getattr(doc, key)
        if value is not None:
            record[key] = value
    record["language"] = doc.language
    if doc.metadata:
        record["metadata"] = _thaw(doc.metadata)
    record["sha256"] = doc.sha256
    record["text"] = doc.text
    return record


def _span_record(span: Span, span_id: str, document: Document) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": span_id,
        "doc": document.id,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": document.covered_text(span),
    }
    if span.attributes:
        record["attributes"] = dict(span.attributes)
    if span.note is not None:
        record["note"] = span.note
    if span.group is not None:
        record["group"] = span.group
    return record


# ---------------------------------------------------------------------------
# Schema file.


def _attribute_dict(spec: AttributeSpec) -> dict[str, Any]:
    record: dict[str, Any] = {"name": spec.name, "type": spec.type}
    if spec.values is not None:
        record["values"] = list(spec.values)
    if spec.required:
        record["required"] = True
    if spec.description:
        record["description"] = spec.description
    return record


def dumps_schema(schema: Schema) -> str:
    """Return the ``schema.json`` text of a schema (deterministic, ends in a newline)."""
    record: dict[str, Any] = {
        "biaskit": "schema",
        "format_version": FORMAT_VERSION,
        "name": schema.name,
        "version": schema.version,
    }
    if schema.description:
        record["description"] = schema.description
    record["common_attributes"] = [_attribute_dict(a) for a in schema.common_attributes]
    record["labels"] = [
        {
            "name": label.name,
            "description": label.description,
            "color": label.color,
            "attributes": [_attribute_dict(a) for a in label.attributes],
        }
        for label in schema.labels
    ]
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


class _SchemaFormatError(ValueError):
    def __init__(self, message: str, needle: str | None = None) -> None:
        super().__init__(message)
        self.needle = needle


def _expect(mapping: Mapping[str, Any], key: str, kinds: tuple[type, ...], where: str) -> Any:
    if key not in mapping:
        raise _SchemaFormatError(f"{where} has no {key!r}")
    value = mapping[key]
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        expected = " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)
        raise _SchemaFormatError(
            f"{where}: {key!r} must be {expected}, not {_json_type(value)}", f'"{key}"'
        )
    return value


def _optional(
    mapping: Mapping[str, Any], key: str, kinds: tuple[type, ...], default: Any, where: str
) -> Any:
    """Return an optional field's value (``default`` when absent), checking its type."""
    return _expect(mapping, key, kinds, where) if key in mapping else default


def _attribute_spec(raw: object, where: str) -> AttributeSpec:
    if not isinstance(raw, dict):
        raise _SchemaFormatError(f"{where} must be an object, not {_json_type(raw)}")
    name = _expect(raw, "name", (str,), where)
    where = f"attribute {name!r} of {where}"
    unknown = set(raw) - {"name", "type", "values", "required", "description"}
    if unknown:
        raise _SchemaFormatError(f"{where} has unknown field(s) {sorted(unknown)}", f'"{name}"')
    values = raw.get("values")
    if values is not None and not isinstance(values, list):
        raise _SchemaFormatError(f"{where}: 'values' must be an array or null", f'"{name}"')
    required = _optional(raw, "required", (bool,), False, where)
    description = _optional(raw, "description", (str,), "", where)
    try:
        return AttributeSpec(
            name,
            type=raw.get("type", "string"),
            values=values,
            required=required,
            description=description,
        )
    except (TypeError, ValueError) as exc:
        raise _SchemaFormatError(f"{where}: {exc}", f'"{name}"') from None


def _schema_from_record(record: object) -> Schema:
    if not isinstance(record, dict):
        raise _SchemaFormatError(f"the schema must be a JSON object, not {_json_type(record)}")
    kind = record.get("biaskit")
    if kind != "schema":
        raise _SchemaFormatError(f'expected "biaskit": "schema" in the schema file, found {kind!r}')
    version = _expect(record, "format_version", (int,), "the schema")
    if version > FORMAT_VERSION:
        raise _SchemaFormatError(
            f"the schema is in corpus format {version}, newer than this biaskit reads "
            f"({FORMAT_VERSION}); upgrade biaskit",
            '"format_version"',
        )
    known = {"biaskit", "format_version", "name", "version", "description"}
    known |= {"common_attributes", "labels"}
    unknown = set(record) - known
    if unknown:
        raise _SchemaFormatError(f"the schema has unknown field(s) {sorted(unknown)}")
    labels_raw = _expect(record, "labels", (list,), "the schema")
    common_raw = record.get("common_attributes", [])
    if not isinstance(common_raw, list):
        raise _SchemaFormatError("'common_attributes' must be an array", '"common_attributes"')
    labels = []
    for raw in labels_raw:
        if not isinstance(raw, dict):
            raise _SchemaFormatError(f"each label must be an object, not {_json_type(raw)}")
        name = _expect(raw, "name", (str,), "a label")
        unknown = set(raw) - {"name", "description", "color", "attributes"}
        if unknown:
            raise _SchemaFormatError(
                f"label {name!r} has unknown field(s) {sorted(unknown)}", f'"{name}"'
            )
        attrs_raw = raw.get("attributes", [])
        if not isinstance(attrs_raw, list):
            raise _SchemaFormatError(f"attributes of label {name!r} must be an array", f'"{name}"')
        try:
            labels.append(
                LabelSpec(
                    name,
                    description=_optional(raw, "description", (str,), "", f"label {name!r}"),
                    color=raw.get("color", "#999999"),
                    attributes=[_attribute_spec(a, f"label {name!r}") for a in attrs_raw],
                )
            )
        except (TypeError, ValueError) as exc:
            if isinstance(exc, _SchemaFormatError):
                raise
            raise _SchemaFormatError(f"label {name!r}: {exc}", f'"{name}"') from None
    try:
        return Schema(
            _expect(record, "name", (str,), "the schema"),
            _expect(record, "version", (str,), "the schema"),
            labels,
            common_attributes=[_attribute_spec(a, "common attributes") for a in common_raw],
            description=_optional(record, "description", (str,), "", "the schema"),
        )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, _SchemaFormatError):
            raise
        raise _SchemaFormatError(f"the schema: {exc}") from None


def loads_schema(text: str) -> Schema:
    """Parse ``schema.json`` text.

    Raises
    ------
    AnnotationError
        With the problem located, if the text is not a valid schema.
    """
    sink: list[Problem] = []
    schema = _parse_schema(text, SCHEMA_FILE, sink)
    if schema is None:
        raise AnnotationError(sink)
    return schema


def _parse_schema(text: str, shown: str, sink: list[Problem]) -> Schema | None:
    try:
        record = loads_json(text)
    except json.JSONDecodeError as exc:
        sink.append(
            Problem(
                f"invalid JSON: {exc.msg}", "json-syntax", "error", shown, exc.lineno, exc.colno
            )
        )
        return None
    try:
        return _schema_from_record(record)
    except _SchemaFormatError as exc:
        line, col = _find(text, exc.needle)
        sink.append(Problem(str(exc), "schema", "error", shown, line, col))
        return None


def _find(text: str, needle: str | None) -> tuple[int, int]:
    index = text.find(needle) if needle else -1
    if index < 0:
        return 1, 1
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# ---------------------------------------------------------------------------
# Reading JSON Lines with locations.
#
# A file is read in blocks of whole lines (:func:`_chunks`). Each line is read
# in one of two ways: a fast path that takes a well-formed span line as it
# comes, and the careful path (:class:`_LineReader`, :meth:`_SpansReader.check`)
# that finds and reports whatever is wrong with any other line. The fast path
# only decides that a line needs no report; every problem comes from the
# careful path, so there is one source of messages.

_BLOCK_BYTES = 256 * 1024
"""How much of a file is read, decoded and split into lines at once (a few times
this is held while reading; larger blocks are no faster)."""


class _Line(NamedTuple):
    number: int
    text: str
    record: dict[str, Any]
    duplicates: tuple[str, ...] = ()
    """Keys given more than once (the record holds the last value of each)."""
    offset: int = 0
    """Byte offset of the line's text in the file."""

    def col(self, key: str, *, repeat: bool = False) -> int:
        """Column of ``"key"`` on the line (1 when it is not there).

        With ``repeat``, the column of its second occurrence (a key given twice).
        """
        index = self.text.find(f'"{key}"')
        if repeat and index >= 0:
            index = self.text.find(f'"{key}"', index + 1)
        return index + 1 if index >= 0 else 1


def _decoder(duplicates: list[str]) -> json.JSONDecoder:
    """Return a JSON decoder that records keys given twice in an object into ``duplicates``."""

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):  # rare: only then look for which key repeats
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    duplicates.append(key)
                seen.add(key)
        return result

    return json.JSONDecoder(object_pairs_hook=hook)


def _skip_line(stream: IO[bytes]) -> int:
    """Read through the rest of a line in bounded pieces; return how many bytes it had."""
    size = 0
    while True:
        piece = stream.readline(1 << 20)
        size += len(piece)
        if not piece or piece.endswith(b"\n"):
            return size


def _chunks(stream: IO[bytes], limit: int) -> Iterator[bytes | int]:
    """Yield a file as blocks of whole lines, and the size of each line over ``limit`` bytes.

    A block ends with an LF, except the file's last line when it has none. A
    line whose text (without its LF) is over ``limit`` bytes is given as its
    size, LF included, and never held in memory whole: at most ``limit`` bytes
    of a line are kept while looking for its end.
    """
    read_size = min(_BLOCK_BYTES, limit + 1)
    parts: list[bytes] = []  # the start of a line whose end is not read yet
    pending = 0
    while True:
        data = stream.read(read_size)
        if not data:
            if parts:
                yield b"".join(parts)
            return
        end = data.find(b"\n")
        if end < 0:
            pending += len(data)
            if pending > limit:
                yield pending + _skip_line(stream)
                parts, pending = [], 0
            else:
                parts.append(data)
            continue
        if pending + end > limit:
            yield pending + end + 1
            data = data[end + 1 :]
        elif parts:
            parts.append(data)
            data = b"".join(parts)
        # Every line now in ``data`` is at most ``read_size`` - 1 <= ``limit`` bytes.
        cut = data.rfind(b"\n") + 1
        if cut == len(data):
            parts, pending = [], 0
            if data:
                yield data
            continue
        if cut:
            yield data[:cut]
        parts, pending = [data[cut:]], len(data) - cut


class _RawLine(NamedTuple):
    """One line as read from a file, not yet decoded."""

    number: int
    data: bytes | None
    """The line without its LF; None for a line over the length limit, skipped unread."""
    size: int
    """Its length in bytes, LF included."""
    offset: int
    """Its byte offset in the file (-1 when not known: only a line already decoded)."""
    ended: bool
    """Whether an LF ends it (every line but perhaps the file's last)."""


class _TextBlock(NamedTuple):
    """Consecutive whole lines, each ended by an LF, that decoded together as UTF-8."""

    first: int
    """The number of the first line."""
    lines: list[str]
    """The lines, without their LF."""


def _line_items(stream: IO[bytes], limit: int, *, decode: bool) -> Iterator[_RawLine | _TextBlock]:
    """Yield the lines of a file, as raw lines or, with ``decode``, blocks of decoded lines.

    Decoding a block at once is much faster than decoding each line. A block
    that does not decode, the file's last line when no LF ends it, and a line
    over the length limit are still given as raw lines, for the careful path.
    """
    number = 0
    offset = 0
    for chunk in _chunks(stream, limit):
        if isinstance(chunk, int):
            number += 1
            yield _RawLine(number, None, chunk, offset, True)
            offset += chunk
            continue
        cut = chunk.rfind(b"\n") + 1  # where the file's last line starts, if it has no LF
        if decode:
            try:
                lines = chunk.decode("utf-8").split("\n")
            except UnicodeDecodeError:
                pass
            else:
                lines.pop()  # "" after the last LF, or the last line without one
                if lines:
                    yield _TextBlock(number + 1, lines)
                    number += len(lines)
                    # Asking for more means the block was read: free its lines now,
                    # before the next block is decoded beside them.
                    lines.clear()
                if cut < len(chunk):
                    number += 1
                    yield _RawLine(number, chunk[cut:], len(chunk) - cut, offset + cut, False)
                offset += len(chunk)
                continue
        start = 0
        while start < len(chunk):
            end = chunk.find(b"\n", start)
            ended = end >= 0
            if not ended:
                end = len(chunk)
            number += 1
            yield _RawLine(number, chunk[start:end], end + ended - start, offset + start, ended)
            start = end + 1
        offset += len(chunk)


class _LineReader:
    """The careful reading of the lines of one JSON Lines file.

    Turns a line into a :class:`_Line` holding its JSON object, or puts the
    problem that makes it unreadable into ``sink``; counts CRLF line ends for
    one warning at the end of the file (:meth:`finish`).
    """

    def __init__(self, shown: str, sink: list[Problem], limits: ReadLimits) -> None:
        self.shown = shown
        self.sink = sink
        self.limits = limits
        self.crlf_lines = 0
        self.first_crlf = 0
        self.finished = False
        self._duplicates: list[str] = []
        self._decoder = _decoder(self._duplicates)

    def _add(self, message: str, code: str, severity: Severity, number: int, col: int) -> None:
        self.sink.append(Problem(message, code, severity, self.shown, number, col))

    def parse(self, item: _RawLine) -> _Line | None:
        """Return the line's JSON object, or None after reporting why it cannot be read."""
        number, raw, line_start = item.number, item.data, item.offset
        if raw is None:
            self._add(
                f"line is {item.size} bytes, over the limit of {self.limits.max_line_bytes}; "
                "it was skipped unread (raise the limit with --max-line-bytes)",
                "line-too-long",
                "error",
                number,
                1,
            )
            return None
        if number == 1 and raw.startswith(_BOM):
            self._add(
                "file starts with a UTF-8 byte-order mark; expected plain UTF-8",
                "bom",
                "warning",
                1,
                1,
            )
            raw = raw[len(_BOM) :]
            line_start += len(_BOM)
        if item.ended and raw.endswith(b"\r"):
            self.crlf_lines += 1
            self.first_crlf = self.first_crlf or number
            raw = raw[:-1]
        if not raw.strip():
            self._add(
                "blank line; expected one JSON object per line", "blank-line", "warning", number, 1
            )
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            col = len(raw[: exc.start].decode("utf-8", "replace")) + 1
            self._add(
                f"invalid UTF-8 byte 0x{raw[exc.start]:02x} at byte offset "
                f"{line_start + exc.start} of the file; expected UTF-8 text",
                "encoding",
                "error",
                number,
                col,
            )
            return None
        duplicates = self._duplicates
        duplicates.clear()
        try:
            record = loads_json(text, self._decoder)
        except json.JSONDecodeError as exc:
            self._add(f"invalid JSON: {exc.msg}", "json-syntax", "error", number, exc.colno)
            return None
        if not isinstance(record, dict):
            self._add(
                f"expected a JSON object, found {_json_type(record)}",
                "wrong-type",
                "error",
                number,
                1,
            )
            return None
        found = tuple(dict.fromkeys(duplicates)) if duplicates else ()
        return _Line(number, text, record, found, line_start)

    def parse_text(self, number: int, text: str) -> _Line | None:
        """:meth:`parse` a line of a :class:`_TextBlock` (it decoded: no offset is needed)."""
        data = text.encode("utf-8")
        return self.parse(_RawLine(number, data, len(data) + 1, -1, True))

    def lines(self, items: Iterable[_RawLine | _TextBlock]) -> Iterator[_Line]:
        """Yield each readable line of ``items``, then :meth:`finish`."""
        for item in items:
            if isinstance(item, _TextBlock):
                for number, text in enumerate(item.lines, item.first):
                    line = self.parse_text(number, text)
                    if line is not None:
                        yield line
            else:
                line = self.parse(item)
                if line is not None:
                    yield line
        self.finish()

    def finish(self) -> None:
        """Report CRLF line ends, once, after the last line was read."""
        if self.finished:
            return
        self.finished = True
        if self.crlf_lines:
            self._add(
                f"{self.crlf_lines} line(s) end in CRLF; biaskit writes LF line ends",
                "newline-style",
                "warning",
                self.first_crlf,
                1,
            )


def _first_line(
    reader: _LineReader, items: Iterator[_RawLine | _TextBlock]
) -> tuple[_Line | None, Iterator[_RawLine | _TextBlock]]:
    """Read up to the first readable line; return it and the lines after it."""
    for item in items:
        if isinstance(item, _TextBlock):
            for index, text in enumerate(item.lines):
                line = reader.parse_text(item.first + index, text)
                if line is not None:
                    rest = _TextBlock(line.number + 1, item.lines[index + 1 :])
                    return line, itertools.chain((rest,), items)
        else:
            line = reader.parse(item)
            if line is not None:
                return line, items
    reader.finish()
    return None, items


def _check_fields(
    line: _Line,
    fields: Mapping[str, tuple[type, ...]],
    required: Iterable[str],
    what: str,
    shown: str,
    sink: list[Problem],
) -> bool:
    """Check repeated, required, unknown and mistyped fields; return whether the record is usable.

    A record with a repeated key is not usable: JSON parsers disagree on which
    value wins, so the record means nothing certain.
    """
    ok = not line.duplicates
    record = line.record
    for key in line.duplicates:
        sink.append(
            Problem(
                f"field {key!r} appears more than once in the record",
                "duplicate-field",
                "error",
                shown,
                line.number,
                line.col(key, repeat=True),
            )
        )
    for key in required:
        if key not in record:
            sink.append(
                Problem(
                    f"{what} has no {key!r} field", "missing-field", "error", shown, line.number, 1
                )
            )
            ok = False
    for key, value in record.items():
        kinds = fields.get(key)
        if kinds is None:
            sink.append(
                Problem(
                    f"unknown field {key!r} in {what}; expected fields: {', '.join(fields)}",
                    "unknown-field",
                    "error",
                    shown,
                    line.number,
                    line.col(key),
                )
            )
            continue
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            expected = " or ".join(_TYPE_NAMES[k] for k in kinds)
            sink.append(
                Problem(
                    f"field {key!r} of {what} must be {expected}, not {_json_type(value)}",
                    "wrong-type",
                    "error",
                    shown,
                    line.number,
                    line.col(key),
                )
            )
            ok = False
    return ok


def _check_header(line: _Line, kind: str, shown: str, sink: list[Problem]) -> bool:
    """Check a header line of a ``kind`` file; return whether the rest of the file can be read.

    A header of another kind of file, or of a format version this biaskit does
    not read, makes every later line meaningless: reading stops there rather
    than reporting each of them.
    """
    record = line.record
    if record.get("biaskit") != kind:
        sink.append(
            Problem(
                f'expected a {kind} file ("biaskit": "{kind}"), found {record.get("biaskit")!r}',
                "wrong-file",
                "error",
                shown,
                line.number,
                line.col("biaskit"),
            )
        )
        return False
    fields = _HEADER_FIELDS[kind]
    required = [k for k in fields if k != "annotator"]
    version = record.get("format_version")
    if (
        isinstance(version, int)
        and not isinstance(version, bool)
        and not 1 <= version <= FORMAT_VERSION
    ):
        sink.append(
            Problem(
                f"file is in corpus format {version}; this biaskit reads format {FORMAT_VERSION}"
                + ("; upgrade biaskit" if version > FORMAT_VERSION else ""),
                "format-version",
                "error",
                shown,
                line.number,
                line.col("format_version"),
            )
        )
        return False
    _check_fields(line, fields, required, "the header", shown, sink)
    return True


class _Records(NamedTuple):
    """The lines of a JSON Lines file after its header (see :func:`_open_records`)."""

    reader: _LineReader
    header: _Line | None
    """The header line; None when the first readable line is not a header."""
    first: _Line | None
    """That first readable line when it is not a header: a record line."""
    items: Iterator[_RawLine | _TextBlock]
    """The lines after the first readable one, not yet read."""

    def lines(self) -> Iterator[_Line]:
        """Yield every readable record line, carefully read."""
        if self.first is not None:
            yield self.first
        yield from self.reader.lines(self.items)


def _open_records(
    stream: IO[bytes],
    kind: str,
    shown: str,
    sink: list[Problem],
    limits: ReadLimits = DEFAULT_LIMITS,
    *,
    decode: bool = False,
) -> _Records | None:
    """Read the header of a JSON Lines file of ``kind``; return it and the record lines.

    Returns None when the file cannot be read as ``kind`` at all (see
    :func:`_check_header`). With ``decode``, the lines after the first
    readable one come in decoded blocks where they can (see :func:`_line_items`).
    """
    reader = _LineReader(shown, sink, limits)
    before = len(sink)
    first, items = _first_line(reader, _line_items(stream, limits.max_line_bytes, decode=decode))
    if first is not None and "biaskit" in first.record:
        if _check_header(first, kind, shown, sink):
            return _Records(reader, first, None, items)
        return None
    # An error while looking for the first readable line means the real first
    # line was unreadable (a truncated header, say): that error is the one to report.
    if not any(p.is_error for p in sink[before:]):
        example = f'{{"biaskit": "{kind}", "format_version": {FORMAT_VERSION}'
        example += ', "annotator": "NAME"}' if kind == "spans" else "}"
        sink.append(
            Problem(
                f"expected a header record {example} on the first line",
                "missing-header",
                "error",
                shown,
                first.number if first else 1,
                1,
            )
        )
    return _Records(reader, None, first, items)


def _problem(sink: list[Problem], shown: str, line: _Line, key: str | None) -> Callable[..., None]:
    def add(message: str, code: str, severity: Severity = "error") -> None:
        col = line.col(key) if key else 1
        sink.append(Problem(message, code, severity, shown, line.number, col))

    return add


@attrs.define
class _Edited:
    """A document whose text no longer matches its hash, and the spans that broke."""

    problem_index: int
    broken: dict[str, int] = attrs.field(factory=dict)

    def note(self, sink: list[Problem]) -> None:
        """Add the count of broken spans to the document's hash-mismatch problem."""
        if not self.broken:
            return
        counts = ", ".join(f"{n} in {where}" for where, n in self.broken.items())
        total = sum(self.broken.values())
        problem = sink[self.problem_index]
        message = (
            f"{problem.message}; {total} span(s) no longer match the text they were "
            f"made on ({counts})"
        )
        sink[self.problem_index] = attrs.evolve(problem, message=message)


def _read_documents(
    lines: Iterable[_Line],
    shown: str,
    sink: list[Problem],
    rejected: set[str] | None = None,
    edited: dict[str, _Edited] | None = None,
) -> Iterator[tuple[_Line, Document]]:
    """Yield ``(line, document)`` for each usable document line; record problems in ``sink``.

    ``lines`` are the record lines of a documents file (see :func:`_open_records`).
    The ids of document lines that could not be used go into ``rejected``, so
    that spans pointing at them are not reported a second time; documents whose
    text no longer matches its hash go into ``edited``, so that the spans this
    broke are counted in that one problem rather than reported one by one.
    """
    seen: dict[str, int] = {}
    for line in lines:
        if "biaskit" in line.record:
            _problem(sink, shown, line, "biaskit")(
                "header record found after the first line", "misplaced-header"
            )
            continue
        record = line.record
        if rejected is not None and isinstance(record.get("id"), str):
            rejected.add(record["id"])
        if not _check_fields(line, _DOC_FIELDS, _DOC_REQUIRED, "a document", shown, sink):
            continue
        try:
            doc = Document(
                record["id"],
                record["text"],
                outlet=record.get("outlet", "unknown"),
                title=record.get("title"),
                url=record.get("url"),
                date=record.get("date"),
                language=record.get("language", "en"),
                metadata=record.get("metadata"),
            )
        except (TypeError, ValueError) as exc:
            key = _field_in_message(str(exc), record)
            _problem(sink, shown, line, key)(f"invalid document: {exc}", "invalid-value")
            continue
        if doc.id in seen:
            _problem(sink, shown, line, "id")(
                f"duplicate document id {doc.id!r}; first defined on line {seen[doc.id]}",
                "duplicate-id",
            )
            continue
        seen[doc.id] = line.number
        if rejected is not None:
            rejected.discard(doc.id)
        if record["sha256"] != doc.sha256:
            if edited is not None:
                edited[doc.id] = _Edited(len(sink))
            _problem(sink, shown, line, "sha256")(
                f"text hash does not match: the record says {record['sha256'][:12]}…, the text "
                f"hashes to {doc.sha256[:12]}…; the text was edited after annotation or the "
                "hash is stale",
                "hash-mismatch",
            )
        for problem in check_text(doc.text):
            sink.append(problem.located(shown, line.number, line.col("text")))
        yield line, doc


def _field_in_message(message: str, record: Mapping[str, Any]) -> str | None:
    """Return the field of ``record`` a model error message is about, if it names one."""
    for key in record:
        if re.match(rf"(span )?{re.escape(key)}\b", message):
            return key
    return None


def _is_name(value: str) -> bool:
    return bool(value) and value == value.strip()


_NO_ATTRIBUTES: Final[Mapping[str, AttributeValue]] = FrozenMap()

_UNREADABLE_LINE: Final = frozenset({"json-syntax", "encoding", "line-too-long", "wrong-type"})


class _AnyId:
    """A container holding every document id (see ``rejected`` in :func:`_read_spans`)."""

    def __contains__(self, item: object) -> bool:
        return True


_ANY_ID: Final = _AnyId()


class _SpanRecord(NamedTuple):
    """A span line as read: what the checks need, and the record to build a Span from."""

    start: int
    end: int
    label: str
    attributes: Mapping[str, AttributeValue]
    line: int
    doc: str
    record: dict[str, Any]

    def to_span(self, annotator: str) -> Span:
        """Build the model's span (only when a corpus is loaded, not to validate)."""
        return Span(
            self.start,
            self.end,
            self.label,
            attributes=self.attributes,
            annotator=annotator,
            note=self.record.get("note"),
            id=self.record["id"],
            group=self.record.get("group"),
        )


_SPAN_KEYS: Final = frozenset(_SPAN_FIELDS)
_SPAN_REQUIRED_KEYS: Final = frozenset(_SPAN_REQUIRED)


def _span_fields_ok(line: _Line) -> bool:
    """Whether a span record has exactly the right fields and types (the common case).

    A fast filter; when it says no, :func:`_check_fields` finds and reports what is wrong.
    """
    record = line.record
    keys = record.keys()
    if line.duplicates or not (_SPAN_REQUIRED_KEYS <= keys <= _SPAN_KEYS):
        return False
    get = record.get
    return (
        type(record["id"]) is str
        and type(record["doc"]) is str
        and type(record["start"]) is int
        and type(record["end"]) is int
        and type(record["label"]) is str
        and type(record["text"]) is str
        and type(get("attributes", _EMPTY)) is dict
        and type(get("note", "")) is str
        and type(get("group", "")) is str
    )


_EMPTY: Final[dict[str, Any]] = {}


def _plausible_span(start: int, end: int, label: str, attributes: Mapping[str, Any]) -> bool:
    """Whether :class:`Span` would accept these values (fields already type-checked).

    A fast filter: validating a large file must not build a model object per
    line. When it says no, the model itself is asked, for the message.
    """
    if not (0 <= start < end) or not label or label != label.strip():
        return False
    for key, value in attributes.items():
        kind = type(value)
        scalar = kind is str or kind is int or kind is bool
        if not key or not (scalar or (kind is float and math.isfinite(value))):
            return False
    return True


def _schema_problems(
    schema: Schema,
    label: str,
    attributes: Mapping[str, AttributeValue],
    cache: dict[tuple[str, tuple[Any, ...]], list[Problem]],
) -> list[Problem]:
    """Return ``schema.check_span`` for a span's label and attributes, memoised."""
    key = (label, tuple(attributes.items()))
    problems = cache.get(key)
    if problems is None:
        probe = Span(0, 1, label, attributes=attributes)
        problems = cache[key] = schema.check_span(probe)
    return problems


_TEXT_CACHE_BYTES: Final = 32 * 1024 * 1024
"""Bytes of document text held at once while validating (see :class:`_TextCache`)."""


class _TextCache:
    """Document texts by id, holding at most about ``budget`` bytes of them.

    Validation keeps, per document, only its id and the byte offset of its
    line in ``documents.jsonl`` (a few hundred bytes with the rest of the
    bookkeeping), not its text, so that its memory grows with the number of
    documents, not with the size of their texts. A
    text not held is read again from its line when spans need it: spans files
    list documents in the order of the documents file, so that is at most one
    more reading of each document, and none when all texts fit the budget.

    Parameters
    ----------
    path : Path
        The documents file.
    limit : int
        The longest line it may have (``ReadLimits.max_line_bytes``).
    budget : int
        Bytes of text to hold (as ``sys.getsizeof`` counts them).
    """

    def __init__(self, path: Path, limit: int, budget: int = _TEXT_CACHE_BYTES) -> None:
        self._path = path
        self._limit = limit
        self._budget = budget
        self._offsets: dict[str, int] = {}
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._size = 0
        self._stream: IO[bytes] | None = None

    def add(self, doc_id: str, offset: int, text: str) -> None:
        """Note where a document's line starts; hold its text while the budget allows.

        While the documents file is first read, the earliest texts are held, not
        the latest: spans files list documents in the same order, so these are
        the first wanted.
        """
        self._offsets[doc_id] = offset
        size = sys.getsizeof(text)
        if self._size + size <= self._budget:
            self._texts[doc_id] = text
            self._size += size

    def get(self, doc_id: str) -> str | None:
        """Return a document's text; None if no usable document has that id."""
        text = self._texts.get(doc_id)
        if text is not None:
            self._texts.move_to_end(doc_id)
            return text
        offset = self._offsets.get(doc_id)
        if offset is None:
            return None
        text = self._read(offset)
        self._texts[doc_id] = text
        self._size += sys.getsizeof(text)
        while self._size > self._budget and len(self._texts) > 1:
            _, dropped = self._texts.popitem(last=False)
            self._size -= sys.getsizeof(dropped)
        return text

    def _read(self, offset: int) -> str:
        if self._stream is None:
            self._stream = self._path.open("rb")
        self._stream.seek(offset)
        line = self._stream.readline(self._limit + 2)
        try:
            text = json.loads(line)["text"]
        except (ValueError, LookupError, TypeError, RecursionError):
            text = None
        if not isinstance(text, str):
            raise OSError(
                errno.EIO, "the file changed while it was being read", os.fspath(self._path)
            )
        return text

    def close(self) -> None:
        """Close the documents file, if it was opened again."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None


_RunItem = tuple[str, int, int, int, Mapping[str, AttributeValue]]
"""A usable span as held for the overlap check: ``(label, start, end, line, attributes)``."""


class _RunSpan(NamedTuple):
    """A usable span as :func:`~biaskit.checks.check_overlaps` reads it."""

    start: int
    end: int
    label: str
    attributes: Mapping[str, AttributeValue]
    line: int


def _may_overlap(run: list[_RunItem]) -> bool:
    """Whether two spans of one label in ``run`` overlap: a cheap test before the full check."""
    label = None
    reach = 0  # the furthest end of the spans of ``label`` so far
    for this_label, start, end, _, _ in sorted(run):  # lines differ: attributes never compared
        if this_label != label:
            label, reach = this_label, end
        elif start < reach:
            return True
        elif end > reach:
            reach = end
    return False


def _overlap_problems(run: list[_RunItem], shown: str) -> list[Problem]:
    """Return, located, the same-label overlaps and exact duplicates among one document's spans."""
    if len(run) < 2 or not _may_overlap(run):
        return []
    spans = [
        _RunSpan(start, end, label, attributes, line) for label, start, end, line, attributes in run
    ]
    problems = []
    for i, j, problem in check_overlaps(spans):
        message = f"{problem.message} (other span on line {spans[i].line})"
        problems.append(attrs.evolve(problem, message=message).located(shown, spans[j].line, 1))
    return problems


def _no_repeated_key(text: str, record: dict[str, Any], attributes: Mapping[str, Any]) -> bool:
    r"""Whether a span line surely gives no key twice, found by counting its colons.

    Each key written on the line is followed by one colon; every other colon
    is inside a string. Unless a colon is written as the escape ``\u003a``,
    the colons inside strings are those of the keys and string values parsed,
    so the line holds exactly the keys parsed (none twice) when the numbers
    agree. ``record`` holds strings, integers and ``attributes``, whose values
    must be scalars.
    """
    keys = len(record) + len(attributes)
    colons = text.count(":")
    if "\\u003a" in text or "\\u003A" in text:
        return False
    for mapping in (record, attributes):
        for key, value in mapping.items():
            colons -= key.count(":")
            if type(value) is str:
                colons -= value.count(":")
            elif type(value) not in (int, float, bool, dict) or (
                type(value) is dict and value is not attributes
            ):
                return False
    return colons == keys


_id_hash: Callable[[str], int] = hash
"""The 64-bit hash under which span ids are kept (a module name, so tests can replace it)."""


def _colliding_lines(hashes: array[int], lines: array[int]) -> set[int]:
    """Return the lines whose id hash another line shares: every repeated id, and collisions."""
    if len(hashes) < 2:
        return set()
    import numpy as np  # a dependency anyway; imported here, as only validation needs it

    values = np.frombuffer(hashes, dtype=np.int64)
    ordered = np.sort(values)
    if not (ordered[1:] == ordered[:-1]).any():  # the common case, in half the memory
        return set()
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    same = ordered[1:] == ordered[:-1]
    shared = np.zeros(len(ordered), dtype=bool)
    shared[1:] |= same
    shared[:-1] |= same
    return set(np.frombuffer(lines, dtype=np.int64)[order[shared]].tolist())


def _ids_on_lines(path: Path, wanted: set[int], limit: int) -> dict[int, tuple[str, int]]:
    """Read the span id, and its column, on each ``wanted`` line of a spans file."""
    found: dict[int, tuple[str, int]] = {}
    last = max(wanted)
    before = 0  # lines before the chunk
    with path.open("rb") as stream:
        for chunk in _chunks(stream, limit):
            if isinstance(chunk, int):
                before += 1
                continue
            pieces = chunk.split(b"\n")
            if not pieces[-1]:
                pieces.pop()
            for number, raw in enumerate(pieces, before + 1):
                if number in wanted:
                    try:
                        text = raw.decode("utf-8").removeprefix("\ufeff" if number == 1 else "")
                        line = _Line(number, text, json.loads(text))
                        found[number] = (line.record["id"], line.col("id"))
                    except (ValueError, LookupError, TypeError, RecursionError):
                        raise OSError(
                            errno.EIO, "the file changed while it was being read", os.fspath(path)
                        ) from None
            before += len(pieces)
            if before >= last:
                break
    return found


class _SpansReader:
    """Reads and checks one annotator's spans file, holding one document's spans at a time.

    A spans file lists each document's spans together (biaskit writes them
    so): only the current document's are held, for the overlap check, which
    runs when the next document's begin. A document whose spans come back
    after others is checked at the end, from a second reading of just its
    spans. Span ids are held as 64-bit hashes with their lines (16 bytes a
    span); only lines whose hashes coincide are read again, to compare the
    ids themselves, so a hash collision is never reported as a repeated id.

    Parameters
    ----------
    shown : str
        The file's name in problems.
    text_of : callable or None
        The text of a usable document by id, None for any other id; None when
        the documents file could not be read (spans are then checked on their own).
    rejected : container of str
        Ids of document lines with their own error: spans pointing at them are
        not reported missing their document.
    schema : Schema or None
        The schema spans must fit, if it could be read.
    sink : list of Problem
        Where problems go.
    edited : mapping or None
        Documents whose text no longer matches its hash: the spans this broke
        are counted in that one problem, not reported one by one.
    limits : ReadLimits
        Bounds on line length and number of spans.
    keep : bool
        Keep every usable span in :attr:`found` (to build the corpus).
    collect : set of str or None
        Only gather the usable spans of these documents into :attr:`collected`,
        checking nothing across lines (the second reading).
    """

    def __init__(
        self,
        shown: str,
        text_of: Callable[[str], str | None] | None,
        rejected: Container[str],
        schema: Schema | None,
        sink: list[Problem],
        edited: Mapping[str, _Edited] | None,
        limits: ReadLimits,
        *,
        keep: bool = False,
        collect: set[str] | None = None,
    ) -> None:
        self.shown = shown
        self.text_of = text_of
        self.rejected = rejected
        self.schema = schema
        self.sink = sink
        self.edited: Mapping[str, _Edited] = edited if edited is not None else {}
        self.limits = limits
        self.keep = keep
        self.collect = collect
        self.found: list[_SpanRecord] = []
        self.collected: dict[str, list[_RunItem]] = {}
        self.count = 0
        self.id_hashes: array[int] = array("q")
        self.id_lines: array[int] = array("q")
        self.run_doc: str | None = None
        self.run: list[_RunItem] = []
        self.finished: set[str] = set()  # documents whose run of spans has ended
        self.revisited: set[str] = set()  # documents whose spans came back after their run
        self.overlaps: dict[str, list[Problem]] = {}
        self._hash = _id_hash
        # json's scanner parses one value at an index, without json.loads's checks
        # around it (the fast path asks for the whole line); typeshed mistypes its argument.
        self._scan = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
        self._schema_cache: dict[tuple[str, tuple[Any, ...]], list[Problem]] = {}
        self._clean: dict[tuple[str, tuple[Any, ...]], bool] = {}
        self._text_doc: str | None = None  # the document whose text the fast path holds
        self._doc_text: str | None = None

    def read(self, path: Path) -> str | None:
        """Read the file; return its annotator, or None if it is not a spans file."""
        with path.open("rb") as stream:
            records = _open_records(
                stream, "spans", self.shown, self.sink, self.limits, decode=True
            )
            if records is None:
                return None
            annotator = self._annotator(records.header, path)
            if self._read_records(records):
                records.reader.finish()
        self._end_run()
        if self.collect is None:
            self._check_revisited(path)
            for problems in self.overlaps.values():
                self.sink.extend(problems)
            self._check_ids(path)
        return annotator

    def _annotator(self, header: _Line | None, path: Path) -> str:
        annotator = header.record.get("annotator") if header is not None else None
        if header is not None and "annotator" not in header.record:
            self.sink.append(
                Problem(
                    f"the header names no annotator; using the file name {path.stem!r}",
                    "missing-annotator",
                    "warning",
                    self.shown,
                    header.number,
                    1,
                )
            )
        elif isinstance(annotator, str) and not _is_name(annotator):
            assert header is not None
            _problem(self.sink, self.shown, header, "annotator")(
                "annotator must be a non-empty name without surrounding whitespace, "
                f"not {annotator!r}",
                "invalid-value",
            )
        if not isinstance(annotator, str) or not _is_name(annotator):
            # A file name can hold what a name may not (surrounding spaces).
            annotator = path.stem.strip() or "unnamed"
        return annotator

    def _read_records(self, records: _Records) -> bool:
        """Read every record line; return False when the span limit stopped reading."""
        if records.first is not None and not self.take(records.first):
            return False
        for item in records.items:
            if isinstance(item, _TextBlock):
                if not self._read_block(item, records.reader):
                    return False
            else:
                line = records.reader.parse(item)
                if line is not None and not self.take(line):
                    return False
        return True

    def take(self, line: _Line) -> bool:
        """Count, check and keep a record line; return False past the span limit."""
        self.count += 1
        if self.count > self.limits.max_spans:
            self._too_many(line.number)
            return False
        self._keep(self.check(line))
        return True

    def _too_many(self, number: int) -> None:
        self.sink.append(
            Problem(
                f"more than {self.limits.max_spans} span lines; the rest of the file was not "
                "read (raise the limit with --max-spans)",
                "too-many-spans",
                "error",
                self.shown,
                number,
                1,
            )
        )

    def _read_block(self, block: _TextBlock, reader: _LineReader) -> bool:
        """Read a block of lines, each by the fast path if it can; False past the span limit.

        A line takes the fast path when it is exactly one JSON object with the
        span fields and types, no key twice, valid offsets that cover the text
        it repeats in a usable document, a label and attributes that fit the
        schema, and edges that need no warning: such a line has nothing to
        report, and is kept as :meth:`check` would keep it. Any other line is
        read and checked carefully, which finds and reports what is wrong.
        """
        scan = self._scan
        id_hash, add_hash, add_line = self._hash, self.id_hashes.append, self.id_lines.append
        clean = self._clean
        keep, found = self.keep, self.found
        max_spans, count = self.limits.max_spans, self.count
        text_doc, doc_text = self._text_doc, self._doc_text
        run_doc, run = self.run_doc, self.run
        number = block.first - 1
        record: Any
        for text in block.lines:
            number += 1
            try:
                record, stop = scan(text, 0)
            except (ValueError, StopIteration, RecursionError):
                record, stop = None, -1
            if stop != len(text) or type(record) is not dict:
                # Not exactly one JSON object: a blank line, a CRLF line end, bad JSON...
                line = reader.parse_text(number, text)
                if line is not None:
                    self.count = count
                    if not self.take(line):
                        return False
                    count, run_doc, run = self.count, self.run_doc, self.run
                continue
            count += 1
            if count > max_spans:
                self.count = count
                self._too_many(number)
                return False
            get: Callable[..., Any] = record.get
            span_id, doc, label, covered = get("id"), get("doc"), get("label"), get("text")
            start, end = get("start"), get("end")
            attributes = get("attributes", _NO_ATTRIBUTES)
            if doc != text_doc and type(doc) is str:
                text_doc, doc_text = doc, self._plain_text(doc)
            try:
                plain = (
                    doc == text_doc
                    and doc_text is not None
                    and type(start) is int
                    and type(end) is int
                    and 0 <= start < end <= len(doc_text)
                    and type(covered) is str
                    and doc_text[start:end] == covered
                    and type(span_id) is str
                    and type(label) is str
                    and record.keys() <= _SPAN_KEYS
                    and type(get("note", "")) is str
                    and type(get("group", "")) is str
                    and (type(attributes) is dict or attributes is _NO_ATTRIBUTES)
                    and (
                        text.count(":") == len(record) + len(attributes)  # the common case
                        or _no_repeated_key(text, record, attributes)
                    )
                    and (
                        clean.get((label, tuple(attributes.items())))
                        or self._is_clean(label, attributes)
                    )
                    and _quiet_edges(doc_text, start, end)
                )
            except TypeError:  # an attribute value that cannot be hashed (so not valid)
                plain = False
            if plain:
                add_hash(id_hash(span_id))
                add_line(number)
                if doc != run_doc:
                    self._start_run(doc)
                    run_doc, run = doc, self.run
                run.append((label, start, end, number, attributes))
                if keep:
                    found.append(_SpanRecord(start, end, label, attributes, number, doc, record))
                continue
            line = reader.parse_text(number, text)
            if line is not None:  # always: the line is a JSON object
                self._keep(self.check(line))
                run_doc, run = self.run_doc, self.run
        self.count = count
        self._text_doc, self._doc_text = text_doc, doc_text
        return True

    def _plain_text(self, doc: str) -> str | None:
        """Return a document's text for the fast path; None when its spans need the careful one."""
        if self.text_of is None or doc in self.edited:
            return None
        return self.text_of(doc)

    def _is_clean(self, label: str, attributes: Mapping[str, AttributeValue]) -> bool:
        """Whether a span with this label and attributes is valid and fits the schema (memoised)."""
        key = (label, tuple(attributes.items()))
        clean = self._clean.get(key)
        if clean is None:
            clean = _plausible_span(0, 1, label, attributes) and not (
                self.schema is not None
                and _schema_problems(self.schema, label, attributes, self._schema_cache)
            )
            self._clean[key] = clean
        return clean

    def check(self, line: _Line) -> _SpanRecord | None:
        """Check one span line carefully, reporting every problem; return it if it is usable."""
        sink, shown = self.sink, self.shown
        if "biaskit" in line.record:
            _problem(sink, shown, line, "biaskit")(
                "header record found after the first line", "misplaced-header"
            )
            return None
        record = line.record
        if not _span_fields_ok(line) and not _check_fields(
            line, _SPAN_FIELDS, _SPAN_REQUIRED, "a span", shown, sink
        ):
            return None
        self.id_hashes.append(self._hash(record["id"]))
        self.id_lines.append(line.number)
        start, end, label = record["start"], record["end"], record["label"]
        attributes = record.get("attributes", _NO_ATTRIBUTES)
        if not _plausible_span(start, end, label, attributes):
            # Let the model say what is wrong, so messages have one source.
            try:
                Span(start, end, label, attributes=attributes)
            except (TypeError, ValueError) as exc:
                message = str(exc)
                key = _field_in_message(message, record)
                if key is None and message.startswith("attribute"):
                    key = "attributes"
                code = "offset-range" if key in ("start", "end") else "invalid-value"
                _problem(sink, shown, line, key)(f"invalid span: {message}", code)
                return None
        item = _SpanRecord(start, end, label, attributes, line.number, record["doc"], record)
        if self.schema is not None:
            for problem in _schema_problems(self.schema, label, attributes, self._schema_cache):
                key = "label" if problem.code == "unknown-label" else "attributes"
                sink.append(problem.located(shown, line.number, line.col(key)))
        if self.text_of is None:
            return None
        text = self.text_of(item.doc)
        if text is None:
            if item.doc not in self.rejected:
                _problem(sink, shown, line, "doc")(
                    f"span points at document {item.doc!r}, which is not in {DOCUMENTS_FILE}",
                    "missing-document",
                )
            return None
        damage = self.edited.get(item.doc)
        n = len(text)
        if end > n and damage is not None:
            # One cause, one problem: counted in the document's hash mismatch.
            damage.broken[shown] = damage.broken.get(shown, 0) + 1
            return None
        if end > n:
            _problem(sink, shown, line, "end")(
                f"span end {end} is past the end of document {item.doc!r} ({n} code points)",
                "offset-range",
            )
            return None
        covered = text[start:end]
        if covered != record["text"]:
            if damage is not None:
                damage.broken[shown] = damage.broken.get(shown, 0) + 1
                return None
            hint = _unit_hint(text, start, end, record["text"])
            expected, found_text = _contrast(record["text"], covered)
            _problem(sink, shown, line, "text")(
                f"span text {expected} does not match the document text at "
                f"[{start}, {end}), which is {found_text}{hint}",
                "text-mismatch",
            )
            return None
        for problem in check_span_text(text, item):
            sink.append(problem.located(shown, line.number, line.col("start")))
        return item

    def _keep(self, item: _SpanRecord | None) -> None:
        if item is None:
            return
        if item.doc != self.run_doc:
            self._start_run(item.doc)
        self.run.append((item.label, item.start, item.end, item.line, item.attributes))
        if self.keep:
            self.found.append(item)

    def _start_run(self, doc: str) -> None:
        """Begin holding the spans of ``doc``, after checking those of the document before."""
        self._end_run()
        if doc in self.finished:
            self.revisited.add(doc)
            self.overlaps.pop(doc, None)  # checked again, over all its spans, at the end
        self.run_doc = doc
        if self.collect is not None and doc in self.collect:
            self.run = self.collected.setdefault(doc, [])
        else:
            self.run = []

    def _end_run(self) -> None:
        doc = self.run_doc
        if doc is None:
            return
        self.finished.add(doc)
        if self.collect is None and doc not in self.revisited:
            problems = _overlap_problems(self.run, self.shown)
            if problems:
                self.overlaps[doc] = problems

    def _check_revisited(self, path: Path) -> None:
        """Check the overlaps of documents whose spans are not all together, reading them again."""
        if not self.revisited:
            return
        again = _SpansReader(
            self.shown,
            self.text_of,
            self.rejected,
            self.schema,
            [],
            None,
            self.limits,
            collect=self.revisited,
        )
        again.read(path)
        for doc, run in again.collected.items():
            problems = _overlap_problems(run, self.shown)
            if problems:
                self.overlaps[doc] = problems

    def _check_ids(self, path: Path) -> None:
        """Report each span id used again, on the lines after its first use."""
        wanted = _colliding_lines(self.id_hashes, self.id_lines)
        if not wanted:
            return
        ids = _ids_on_lines(path, wanted, self.limits.max_line_bytes)
        first_use: dict[str, int] = {}
        for number in sorted(ids):
            span_id, col = ids[number]
            if span_id not in first_use:
                first_use[span_id] = number
                continue
            self.sink.append(
                Problem(
                    f"duplicate span id {span_id!r}; first used on line {first_use[span_id]}",
                    "duplicate-id",
                    "error",
                    self.shown,
                    number,
                    col,
                )
            )


def _read_spans(
    path: Path,
    shown: str,
    text_of: Callable[[str], str | None] | None,
    rejected: Container[str],
    schema: Schema | None,
    sink: list[Problem],
    edited: Mapping[str, _Edited] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    *,
    keep: bool = False,
) -> tuple[str, list[_SpanRecord]] | None:
    """Read one annotator's spans file; return (annotator, usable spans if ``keep``).

    Returns None when the file cannot be read as a spans file at all. See
    :class:`_SpansReader` for the parameters.
    """
    reader = _SpansReader(shown, text_of, rejected, schema, sink, edited, limits, keep=keep)
    annotator = reader.read(path)
    return None if annotator is None else (annotator, reader.found)


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _contrast(a: str, b: str, limit: int = 40) -> tuple[str, str]:
    """Show two texts cut to the same window around where they first differ."""
    if len(a) <= limit and len(b) <= limit:
        return repr(a), repr(b)
    first = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    start = max(0, first - limit // 3)
    lead = "…" if start else ""
    return _short(lead + a[start:], limit), _short(lead + b[start:], limit)


def _unit_hint(text: str, start: int, end: int, covered: str) -> str:
    units = [u for u in units_matching(text, start, end, covered) if u != "codepoint"]
    if units:
        return f"; the offsets fit {' and '.join(units)} offsets, not code points"
    found = text.find(covered) if covered else -1
    return f"; the text {_short(covered)} occurs at {found}" if found >= 0 else ""


# ---------------------------------------------------------------------------
# The corpus folder.


@attrs.frozen
class CheckedCorpus:
    """The outcome of reading a corpus folder: every problem, and the corpus if usable.

    Attributes
    ----------
    problems : tuple of Problem
        Errors and warnings, in file and line order.
    corpus : Corpus or None
        The corpus, when no error was found.
    """

    problems: tuple[Problem, ...]
    corpus: Corpus | None

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems of severity ``error``."""
        return tuple(p for p in self.problems if p.is_error)


def _shown(display_root: str, name: str) -> str:
    return str(Path(display_root) / name)


def check_corpus(
    path: str | os.PathLike[str], *, build: bool = True, limits: ReadLimits = DEFAULT_LIMITS
) -> CheckedCorpus:
    """Read a corpus folder, checking everything, and return problems and corpus.

    Never raises for bad content: every problem found is returned with its
    file, line and column. Use :func:`load_corpus` to get a corpus or an error.

    Parameters
    ----------
    path : path-like
        The corpus folder.
    build : bool
        Build the :class:`Corpus` when there is no error. Without it, only the
        problems are found, faster and in memory that does not grow with the
        corpus's text: per document its id and where its line starts, per span
        16 bytes, and at most 32 MB of document texts, read again when needed.
        This holds when each spans file lists a document's spans together, as
        biaskit writes them; the spans of a document that come back after
        others are held together, to check them.
    limits : ReadLimits
        Bounds on line length and spans per file.
    """
    display = os.fspath(path)
    sink: list[Problem] = []
    try:
        corpus = _check_corpus(Path(path), display, sink, build=build, limits=limits)
    except OSError as exc:
        where = exc.filename if exc.filename is not None else display
        reason = exc.strerror or str(exc)
        sink.append(Problem(f"cannot read {where}: {reason}", "unreadable", path=str(where)))
        corpus = None
    return CheckedCorpus(_in_reading_order(sink), corpus)


def _in_reading_order(problems: list[Problem]) -> tuple[Problem, ...]:
    """Sort problems by line and column within each file, files in the order read."""
    files: dict[str | None, int] = {}
    for p in problems:
        files.setdefault(p.path, len(files))
    return tuple(sorted(problems, key=lambda p: (files[p.path], p.line or 0, p.col or 0)))


def _check_corpus(
    root: Path,
    display: str,
    sink: list[Problem],
    *,
    build: bool,
    limits: ReadLimits,
    text_budget: int = _TEXT_CACHE_BYTES,
) -> Corpus | None:
    """Check a corpus folder into ``sink``; return the corpus if ``build`` and it is usable.

    Without ``build``, memory does not grow with the corpus's text: per
    document only its id and where its line starts are held, with at most
    ``text_budget`` bytes of texts (see :class:`_TextCache`), and per span its
    id's hash and line (see :class:`_SpansReader`).
    """
    with contextlib.ExitStack() as open_files:
        return _check_open_corpus(
            root, display, sink, open_files, build=build, limits=limits, text_budget=text_budget
        )


def _check_open_corpus(
    root: Path,
    display: str,
    sink: list[Problem],
    open_files: contextlib.ExitStack,
    *,
    build: bool,
    limits: ReadLimits,
    text_budget: int,
) -> Corpus | None:
    if not root.exists():
        sink.append(Problem(f"no such corpus folder: {display}", "not-found", path=display))
        return None
    if not root.is_dir():
        sink.append(
            Problem(
                f"expected a corpus folder holding {SCHEMA_FILE} and {DOCUMENTS_FILE}, "
                "found a file",
                "not-a-corpus",
                path=display,
            )
        )
        return None
    if not any((root / name).exists() for name in (SCHEMA_FILE, DOCUMENTS_FILE)):
        sink.append(
            Problem(
                f"expected a corpus folder holding {SCHEMA_FILE} and {DOCUMENTS_FILE}, "
                "found neither",
                "not-a-corpus",
                path=display,
            )
        )
        return None

    schema: Schema | None = None
    schema_path = root / SCHEMA_FILE
    shown_schema = _shown(display, SCHEMA_FILE)
    text = _read_text(schema_path, shown_schema, sink)
    if text is not None:
        schema = _parse_schema(text, shown_schema, sink)

    documents: dict[str, Document] | None = None
    text_of: Callable[[str], str | None] | None = None
    rejected_lines: set[str] = set()
    rejected: Container[str] = rejected_lines
    edited: dict[str, _Edited] = {}
    docs_path = root / DOCUMENTS_FILE
    shown_docs = _shown(display, DOCUMENTS_FILE)
    if _is_readable_file(docs_path, shown_docs, sink):
        before = len(sink)
        with docs_path.open("rb") as stream:
            records = _open_records(stream, "documents", shown_docs, sink, limits)
            if records is not None:
                read = _read_documents(records.lines(), shown_docs, sink, rejected_lines, edited)
                if build:
                    documents = {doc.id: doc for _, doc in read}
                    text_of = {doc_id: doc.text for doc_id, doc in documents.items()}.get
                else:
                    cache = _TextCache(docs_path, limits.max_line_bytes, text_budget)
                    open_files.callback(cache.close)
                    for line, doc in read:
                        cache.add(doc.id, line.offset, doc.text)
                    text_of = cache.get
        if any(p.code in _UNREADABLE_LINE for p in sink[before:]):
            # A line that could not be read may hold any id: no span can be
            # called missing its document without repeating that one error.
            rejected = _ANY_ID

    by_annotator: dict[str, list[_SpanRecord]] = {}
    spans_dir = root / SPANS_DIR
    annotators: dict[str, str] = {}
    if spans_dir.exists():
        if not spans_dir.is_dir():
            sink.append(
                Problem(
                    f"expected {SPANS_DIR}/ to be a folder of spans files, found a file",
                    "not-a-folder",
                    path=_shown(display, SPANS_DIR),
                )
            )
        else:
            for spans_path in sorted(spans_dir.glob("*.jsonl")):
                shown_spans = _shown(display, f"{SPANS_DIR}/{spans_path.name}")
                if not _is_readable_file(spans_path, shown_spans, sink):
                    continue
                spans = _read_spans(
                    spans_path,
                    shown_spans,
                    text_of,
                    rejected,
                    schema,
                    sink,
                    edited,
                    limits,
                    keep=build,
                )
                if spans is None:
                    continue
                annotator, found = spans
                if annotator in annotators:
                    sink.append(
                        Problem(
                            f"annotator {annotator!r} already has spans file "
                            f"{annotators[annotator]}; expected one file per annotator",
                            "duplicate-annotator",
                            path=shown_spans,
                            line=1,
                            col=1,
                        )
                    )
                    continue
                annotators[annotator] = shown_spans
                by_annotator[annotator] = found

    for damage in edited.values():
        damage.note(sink)
    for folder, shown_folder in ((root, display), (spans_dir, _shown(display, SPANS_DIR))):
        for leftover in sorted(folder.glob(".*.tmp")) if folder.is_dir() else ():
            match = TEMPORARY_NAME.fullmatch(leftover.name)
            if match is not None:
                sink.append(
                    Problem(
                        f"temporary file left by an interrupted save of {match['target']}; "
                        "the file it was to replace is intact: delete it",
                        "stale-temporary",
                        "warning",
                        str(Path(shown_folder) / leftover.name),
                    )
                )
    if not build or schema is None or documents is None or any(p.is_error for p in sink):
        return None
    sets: list[AnnotationSet] = []
    for annotator, found in by_annotator.items():
        by_doc: dict[str, list[Span]] = {}
        for item in found:
            by_doc.setdefault(item.doc, []).append(item.to_span(annotator))
        sets += [AnnotationSet(documents[d], annotator, spans) for d, spans in by_doc.items()]
    return Corpus(list(documents.values()), schema, sets)


def _is_readable_file(path: Path, shown: str, sink: list[Problem]) -> bool:
    if not path.exists():
        sink.append(
            Problem(
                f"missing file: expected {path.name} in the corpus folder",
                "missing-file",
                path=shown,
            )
        )
        return False
    if not path.is_file():
        sink.append(
            Problem(f"expected {path.name} to be a file, found a folder", "not-a-file", path=shown)
        )
        return False
    return True


def _read_text(path: Path, shown: str, sink: list[Problem]) -> str | None:
    if not _is_readable_file(path, shown, sink):
        return None
    data = path.read_bytes()
    if data.startswith(_BOM):
        sink.append(
            Problem("file starts with a UTF-8 byte-order mark", "bom", "warning", shown, 1, 1)
        )
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        sink.append(
            Problem(
                f"invalid UTF-8 byte 0x{data[exc.start]:02x} at byte offset {exc.start}; "
                "expected UTF-8 text",
                "encoding",
                "error",
                shown,
                line,
                1,
            )
        )
        return None


def load_corpus(path: str | os.PathLike[str], *, limits: ReadLimits = DEFAULT_LIMITS) -> Corpus:
    """Load a corpus folder.

    Raises
    ------
    AnnotationError
        Holding every problem found, if any error was found (warnings alone
        do not stop loading; :func:`biaskit.validate` reports them).
    """
    checked = check_corpus(path, limits=limits)
    if checked.corpus is None:
        errors = checked.errors
        raise AnnotationError(
            checked.problems,
            summary=f"{os.fspath(path)}: {len(errors)} error(s); the corpus cannot be loaded",
        )
    return checked.corpus


def iter_documents(path: str | os.PathLike[str]) -> Iterator[Document]:
    """Stream the documents of a corpus folder (or of a ``documents.jsonl`` file).

    Memory stays constant whatever the corpus size.

    Raises
    ------
    AnnotationError
        At the first line with an error.
    """
    file = Path(path)
    if file.is_dir():
        file = file / DOCUMENTS_FILE
    shown = os.fspath(file)
    sink: list[Problem] = []
    if not _is_readable_file(file, shown, sink):
        raise AnnotationError(sink)
    with file.open("rb") as stream:
        records = _open_records(stream, "documents", shown, sink)
        for _, doc in _read_documents(records.lines() if records else (), shown, sink):
            if any(p.is_error for p in sink):
                break
            yield doc
    errors = [p for p in sink if p.is_error]
    if errors:
        raise AnnotationError(errors)


def iter_spans(path: str | os.PathLike[str]) -> Iterator[tuple[str, Span]]:
    """Stream one annotator's spans file as ``(document id, span)`` pairs, in file order.

    Each line is checked on its own (fields, types, offsets, annotator from
    the header); spans are not checked against their documents, which this
    does not read: :func:`biaskit.validate` does the whole check. Memory
    stays constant whatever the file size.

    Parameters
    ----------
    path : path-like
        A ``spans/<annotator>.jsonl`` file.

    Raises
    ------
    AnnotationError
        At the first line with an error.

    Examples
    --------
    >>> import tempfile
    >>> from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
    >>> doc = Document("d1", "The US killed Soleimani.")
    >>> corpus = Corpus([doc], Schema("s", "1", [LabelSpec("EVENT_TERM")]),
    ...                 [AnnotationSet(doc, "gold", [Span(7, 13, "EVENT_TERM")])])
    >>> folder = Path(tempfile.mkdtemp()) / "c"
    >>> save_corpus(corpus, folder)
    >>> [(d, s.label, s.start, s.annotator) for d, s in iter_spans(folder / "spans" / "gold.jsonl")]
    [('d1', 'EVENT_TERM', 7, 'gold')]
    """
    file = Path(path)
    shown = os.fspath(file)
    sink: list[Problem] = []
    if not _is_readable_file(file, shown, sink):
        raise AnnotationError(sink)
    with file.open("rb") as stream:
        records = _open_records(stream, "spans", shown, sink)
        if records is None or any(p.is_error for p in sink):
            raise AnnotationError([p for p in sink if p.is_error])
        named = records.header.record.get("annotator") if records.header else None
        annotator = named if isinstance(named, str) and _is_name(named) else file.stem
        for line in records.lines():
            if any(p.is_error for p in sink):
                break
            if "biaskit" in line.record:
                _problem(sink, shown, line, "biaskit")(
                    "header record found after the first line", "misplaced-header"
                )
                break
            if not _check_fields(line, _SPAN_FIELDS, _SPAN_REQUIRED, "a span", shown, sink):
                break
            record = line.record
            try:
                span = Span(
                    record["start"],
                    record["end"],
                    record["label"],
                    attributes=record.get("attributes"),
                    annotator=annotator,
                    note=record.get("note"),
                    id=record["id"],
                    group=record.get("group"),
                )
            except (TypeError, ValueError) as exc:
                key = _field_in_message(str(exc), record)
                _problem(sink, shown, line, key)(f"invalid span: {exc}", "invalid-value")
                break
            yield record["doc"], span
    errors = [p for p in sink if p.is_error]
    if errors:
        raise AnnotationError(errors)


# ---------------------------------------------------------------------------
# Writing.


def _span_ids(sets: Iterable[AnnotationSet]) -> Iterator[tuple[AnnotationSet, Span, str]]:
    """Pair each span with its id, making ``<doc>-<n>`` ids for spans that have none."""
    sets = list(sets)
    taken = {span.id for aset in sets for span in aset.spans if span.id is not None}
    for aset in sets:
        counter = 0
        for span in aset.spans:
            span_id = span.id
            while span_id is None or (span.id is None and span_id in taken):
                counter += 1
                span_id = f"{aset.document.id}-{counter}"
            taken.add(span_id)
            yield aset, span, span_id


def save_corpus(corpus: Corpus, path: str | os.PathLike[str], *, overwrite: bool = False) -> None:
    """Write a corpus folder: ``schema.json``, ``documents.jsonl`` and ``spans/*.jsonl``.

    Every file is first written in full to a temporary file beside it and
    synced; only then are they renamed over their targets, so a save that fails
    part-way leaves the folder as it was. Output is deterministic: documents in
    corpus order; spans by document, then start, end, label and id. Spans
    without an id get ``<document id>-<n>``, skipping ids already used in the
    annotator's file.

    Parameters
    ----------
    corpus : Corpus
        What to write.
    path : path-like
        The corpus folder; created if missing.
    overwrite : bool
        Replace existing corpus files. Without it, nothing is written if any
        of the files exists.

    Raises
    ------
    OutputExistsError
        If a file exists and ``overwrite`` is false, or if the folder holds a
        spans file of an annotator this corpus does not have (it would no
        longer match the folder; remove it or write elsewhere).
    """
    root = Path(path)
    order = {doc.id: i for i, doc in enumerate(corpus.documents)}
    by_annotator: dict[str, list[AnnotationSet]] = {}
    for aset in corpus.annotations:
        by_annotator.setdefault(aset.annotator, []).append(aset)
    stems: dict[str, str] = {}
    for annotator in sorted(by_annotator):
        stem = safe_file_stem(annotator)
        if stem in stems.values():
            raise BiaskitError(
                f"annotators {annotator!r} and another map to one file name {stem!r}"
            )
        stems[annotator] = stem
    targets = [root / SCHEMA_FILE, root / DOCUMENTS_FILE]
    targets += [root / SPANS_DIR / f"{stem}.jsonl" for stem in stems.values()]
    if not overwrite:
        existing = [t for t in targets if t.exists()]
        if existing:
            raise OutputExistsError(
                f"{existing[0]} exists; pass overwrite=True (--overwrite) to replace it"
            )
    spans_dir = root / SPANS_DIR
    if spans_dir.is_dir():
        stale = sorted(p for p in spans_dir.glob("*.jsonl") if p not in targets)
        if stale:
            raise OutputExistsError(
                f"{stale[0]} holds spans of an annotator this corpus does not have; "
                "remove it or save to another folder"
            )
    spans_dir.mkdir(parents=True, exist_ok=True)

    # All files are written and synced before any replaces its target, so a
    # failure part-way (an unencodable character, a full disk) changes nothing.
    with atomic_group() as group:
        with group.open(root / SCHEMA_FILE) as out:
            out.write(dumps_schema(corpus.schema))
        with group.open(root / DOCUMENTS_FILE) as out:
            out.write(_dumps({"biaskit": "documents", "format_version": FORMAT_VERSION}) + "\n")
            for doc in corpus.documents:
                out.write(_dumps(_document_record(doc)) + "\n")
        for annotator, stem in stems.items():
            with group.open(spans_dir / f"{stem}.jsonl") as out:
                _write_spans(out, annotator, by_annotator[annotator], order)


def _write_spans(
    out: IO[str], annotator: str, sets: Iterable[AnnotationSet], order: Mapping[str, int]
) -> None:
    """Write one annotator's spans file: header, then spans in document and span order."""
    header = {"biaskit": "spans", "format_version": FORMAT_VERSION, "annotator": annotator}
    out.write(_dumps(header) + "\n")
    ordered = sorted(sets, key=lambda a: order[a.document.id])
    for aset, span, span_id in _span_ids(ordered):
        out.write(_dumps(_span_record(span, span_id, aset.document)) + "\n")


def save_spans(
    corpus: Corpus, path: str | os.PathLike[str], annotator: str, *, overwrite: bool = False
) -> Path:
    """Write only ``annotator``'s spans file of ``corpus`` into the corpus folder ``path``.

    Use it to add one annotator's work (a gold set, a model's predictions) to
    a corpus folder without rewriting anyone else's files. The folder must
    already hold the corpus's documents. The write is atomic.

    Returns
    -------
    Path
        The file written, ``spans/<annotator>.jsonl``.

    Raises
    ------
    OutputExistsError
        If the file exists and ``overwrite`` is false.
    BiaskitError
        If the folder's ``documents.jsonl`` is missing, or its ``schema.json``
        is missing, unreadable or cannot hold the spans (an unknown label or
        attribute): nothing is written then, so the folder stays valid.
    """
    root = Path(path)
    if not (root / DOCUMENTS_FILE).is_file():
        raise BiaskitError(f"{root} holds no {DOCUMENTS_FILE}; save the corpus there first")
    target = root / SPANS_DIR / f"{safe_file_stem(annotator)}.jsonl"
    if target.exists() and not overwrite:
        raise OutputExistsError(f"{target} exists; pass overwrite=True (--overwrite) to replace it")
    sets = corpus.annotation_sets(annotator=annotator)
    _check_spans_fit(root, target, sets)
    target.parent.mkdir(parents=True, exist_ok=True)
    order = {doc.id: i for i, doc in enumerate(corpus.documents)}
    with atomic_group() as group, group.open(target) as out:
        _write_spans(out, annotator, sets, order)
    return target


def _check_spans_fit(root: Path, target: Path, sets: Iterable[AnnotationSet]) -> None:
    """Refuse spans that the folder's own schema would reject once written."""
    schema_path = root / SCHEMA_FILE
    try:
        schema = loads_schema(schema_path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BiaskitError(f"cannot read {schema_path}: {exc}") from None
    except AnnotationError as exc:
        raise BiaskitError(f"{schema_path} is not a valid schema: {exc}") from None
    counts: dict[str, int] = {}
    for aset in sets:
        for span in aset.spans:
            for problem in schema.check_span(span):
                if problem.is_error:
                    counts[problem.message] = counts.get(problem.message, 0) + 1
    if counts:
        found = "; ".join(f"{message} ({n} span{'s' * (n != 1)})" for message, n in counts.items())
        raise BiaskitError(
            f"{target} was not written: {schema_path} cannot hold its spans: {found}; "
            "add them to the schema, or write into a corpus whose schema has them"
        )
