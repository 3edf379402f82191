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

import json
import math
import os
import re
from collections.abc import Callable, Container, Generator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Final, NamedTuple

import attrs

from biaskit._atomic import TEMPORARY_NAME, atomic_group
from biaskit.checks import check_overlaps, check_span_text, check_text
from biaskit.corpus import Corpus
from biaskit.errors import AnnotationError, BiaskitError, OutputExistsError, Problem, Severity
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
        record = json.loads(text)
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


class _Line(NamedTuple):
    number: int
    text: str
    record: dict[str, Any]
    duplicates: tuple[str, ...] = ()
    """Keys given more than once (the record holds the last value of each)."""

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


def _bounded_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[bytes | None, int]]:
    """Yield ``(line, size)`` for each line, or ``(None, size)`` for one over ``limit`` bytes.

    An over-long line is read through in chunks and never held in memory whole.
    """
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield raw, len(raw)
            continue
        size = len(raw)
        while True:
            chunk = stream.readline(1 << 20)
            size += len(chunk)
            if not chunk or chunk.endswith(b"\n"):
                break
        yield None, size


def _read_jsonl(
    path: Path, shown: str, sink: list[Problem], limits: ReadLimits = DEFAULT_LIMITS
) -> Generator[_Line, None, None]:
    """Yield each JSON object line of a file; put every unreadable line's problem in ``sink``."""
    offset = 0
    crlf_lines = 0
    first_crlf = 0
    duplicates: list[str] = []
    decoder = _decoder(duplicates)
    with path.open("rb") as stream:
        for number, (read, size) in enumerate(_bounded_lines(stream, limits.max_line_bytes), 1):
            line_start = offset
            offset += size
            if read is None:
                sink.append(
                    Problem(
                        f"line is {size} bytes, over the limit of {limits.max_line_bytes}; "
                        "it was skipped unread (raise the limit with --max-line-bytes)",
                        "line-too-long",
                        "error",
                        shown,
                        number,
                        1,
                    )
                )
                continue
            raw = read
            if number == 1 and raw.startswith(_BOM):
                sink.append(
                    Problem(
                        "file starts with a UTF-8 byte-order mark; expected plain UTF-8",
                        "bom",
                        "warning",
                        shown,
                        1,
                        1,
                    )
                )
                raw = raw[len(_BOM) :]
                line_start += len(_BOM)
            if raw.endswith(b"\r\n"):
                crlf_lines += 1
                first_crlf = first_crlf or number
                raw = raw[:-2]
            elif raw.endswith(b"\n"):
                raw = raw[:-1]
            if not raw.strip():
                sink.append(
                    Problem(
                        "blank line; expected one JSON object per line",
                        "blank-line",
                        "warning",
                        shown,
                        number,
                        1,
                    )
                )
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                col = len(raw[: exc.start].decode("utf-8", "replace")) + 1
                sink.append(
                    Problem(
                        f"invalid UTF-8 byte 0x{raw[exc.start]:02x} at byte offset "
                        f"{line_start + exc.start} of the file; expected UTF-8 text",
                        "encoding",
                        "error",
                        shown,
                        number,
                        col,
                    )
                )
                continue
            duplicates.clear()
            try:
                record = decoder.decode(text)
            except json.JSONDecodeError as exc:
                sink.append(
                    Problem(
                        f"invalid JSON: {exc.msg}", "json-syntax", "error", shown, number, exc.colno
                    )
                )
                continue
            except RecursionError:
                sink.append(
                    Problem(
                        "invalid JSON: nested too deeply", "json-syntax", "error", shown, number, 1
                    )
                )
                continue
            if not isinstance(record, dict):
                sink.append(
                    Problem(
                        f"expected a JSON object, found {_json_type(record)}",
                        "wrong-type",
                        "error",
                        shown,
                        number,
                        1,
                    )
                )
                continue
            yield _Line(
                number, text, record, tuple(dict.fromkeys(duplicates)) if duplicates else ()
            )
    if crlf_lines:
        sink.append(
            Problem(
                f"{crlf_lines} line(s) end in CRLF; biaskit writes LF line ends",
                "newline-style",
                "warning",
                shown,
                first_crlf,
                1,
            )
        )


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


def _open_records(
    path: Path, kind: str, shown: str, sink: list[Problem], limits: ReadLimits = DEFAULT_LIMITS
) -> tuple[_Line | None, Iterator[_Line] | None]:
    """Read the header of a JSON Lines file of ``kind``; return it and the record lines.

    The header is None when the first readable line is not a header (that line
    is then a record). The record lines are None when the file cannot be read
    as ``kind`` at all (see :func:`_check_header`).
    """
    lines = _read_jsonl(path, shown, sink, limits)
    before = len(sink)
    first = next(lines, None)
    if first is not None and "biaskit" in first.record:
        if _check_header(first, kind, shown, sink):
            return first, lines
        lines.close()
        return None, None
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
    return None, lines if first is None else _chain(first, lines)


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
) -> Iterator[tuple[int, Document]]:
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
        yield line.number, doc


def _chain(first: _Line, rest: Iterator[_Line]) -> Iterator[_Line]:
    yield first
    yield from rest


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
    schema: Schema, item: _SpanRecord, cache: dict[tuple[str, tuple[Any, ...]], list[Problem]]
) -> list[Problem]:
    """Return ``schema.check_span`` for the span's label and attributes, memoised."""
    key = (item.label, tuple(item.attributes.items()))
    problems = cache.get(key)
    if problems is None:
        probe = Span(0, 1, item.label, attributes=item.attributes)
        problems = cache[key] = schema.check_span(probe)
    return problems


def _read_spans(
    path: Path,
    shown: str,
    documents: Mapping[str, Document] | None,
    rejected: Container[str],
    schema: Schema | None,
    sink: list[Problem],
    edited: Mapping[str, _Edited] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> tuple[str, list[_SpanRecord]] | None:
    """Read one annotator's spans file; return (annotator, spans with their lines).

    Returns None when the file cannot be read as a spans file at all.

    ``documents`` is None when the documents file could not be read; spans are
    then checked on their own, not against their documents. Spans pointing at
    a ``rejected`` document (one whose line has its own error) are not checked
    against it either.
    """
    header, lines = _open_records(path, "spans", shown, sink, limits)
    if lines is None:
        return None
    annotator = header.record.get("annotator") if header is not None else None
    if header is not None and "annotator" not in header.record:
        sink.append(
            Problem(
                f"the header names no annotator; using the file name {path.stem!r}",
                "missing-annotator",
                "warning",
                shown,
                header.number,
                1,
            )
        )
    elif isinstance(annotator, str) and not _is_name(annotator):
        assert header is not None
        _problem(sink, shown, header, "annotator")(
            f"annotator must be a non-empty name without surrounding whitespace, not {annotator!r}",
            "invalid-value",
        )
    if not isinstance(annotator, str) or not _is_name(annotator):
        # A file name can hold what a name may not (surrounding spaces).
        annotator = path.stem.strip() or "unnamed"
    ids: dict[str, int] = {}
    found: list[_SpanRecord] = []
    schema_cache: dict[tuple[str, tuple[Any, ...]], list[Problem]] = {}
    count = 0
    for line in lines:
        count += 1
        if count > limits.max_spans:
            _problem(sink, shown, line, None)(
                f"more than {limits.max_spans} span lines; the rest of the file was not "
                "read (raise the limit with --max-spans)",
                "too-many-spans",
            )
            break  # the line generator is dropped here, closing the file
        if "biaskit" in line.record:
            _problem(sink, shown, line, "biaskit")(
                "header record found after the first line", "misplaced-header"
            )
            continue
        record = line.record
        if not _span_fields_ok(line) and not _check_fields(
            line, _SPAN_FIELDS, _SPAN_REQUIRED, "a span", shown, sink
        ):
            continue
        span_id = record["id"]
        if span_id in ids:
            _problem(sink, shown, line, "id")(
                f"duplicate span id {span_id!r}; first used on line {ids[span_id]}", "duplicate-id"
            )
        else:
            ids[span_id] = line.number
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
                continue
        item = _SpanRecord(start, end, label, attributes, line.number, record["doc"], record)
        if schema is not None:
            for problem in _schema_problems(schema, item, schema_cache):
                key = "label" if problem.code == "unknown-label" else "attributes"
                sink.append(problem.located(shown, line.number, line.col(key)))
        if documents is None:
            continue
        document = documents.get(item.doc)
        if document is None:
            if item.doc not in rejected:
                _problem(sink, shown, line, "doc")(
                    f"span points at document {item.doc!r}, which is not in {DOCUMENTS_FILE}",
                    "missing-document",
                )
            continue
        damage = edited.get(document.id) if edited is not None else None
        text = document.text
        n = len(text)
        if end > n and damage is not None:
            # One cause, one problem: counted in the document's hash mismatch.
            damage.broken[shown] = damage.broken.get(shown, 0) + 1
            continue
        if end > n:
            _problem(sink, shown, line, "end")(
                f"span end {end} is past the end of document {document.id!r} ({n} code points)",
                "offset-range",
            )
            continue
        covered = text[start:end]
        if covered != record["text"]:
            if damage is not None:
                damage.broken[shown] = damage.broken.get(shown, 0) + 1
                continue
            hint = _unit_hint(text, start, end, record["text"])
            expected, found_text = _contrast(record["text"], covered)
            _problem(sink, shown, line, "text")(
                f"span text {expected} does not match the document text at "
                f"[{start}, {end}), which is {found_text}{hint}",
                "text-mismatch",
            )
            continue
        for problem in check_span_text(text, item):
            sink.append(problem.located(shown, line.number, line.col("start")))
        found.append(item)
    by_doc: dict[str, list[_SpanRecord]] = {}
    for item in found:
        by_doc.setdefault(item.doc, []).append(item)
    for items in by_doc.values():
        for i, j, problem in check_overlaps(items):
            message = f"{problem.message} (other span on line {items[i].line})"
            sink.append(attrs.evolve(problem, message=message).located(shown, items[j].line, 1))
    return annotator, found


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
        problems are found (faster: no model object is made per span).
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
    root: Path, display: str, sink: list[Problem], *, build: bool, limits: ReadLimits
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
    rejected_lines: set[str] = set()
    rejected: Container[str] = rejected_lines
    edited: dict[str, _Edited] = {}
    docs_path = root / DOCUMENTS_FILE
    shown_docs = _shown(display, DOCUMENTS_FILE)
    if _is_readable_file(docs_path, shown_docs, sink):
        before = len(sink)
        _, lines = _open_records(docs_path, "documents", shown_docs, sink, limits)
        if lines is not None:
            read = _read_documents(lines, shown_docs, sink, rejected_lines, edited)
            documents = {doc.id: doc for _, doc in read}
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
                    spans_path, shown_spans, documents, rejected, schema, sink, edited, limits
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
    _, lines = _open_records(file, "documents", shown, sink)
    for _, doc in _read_documents(lines or (), shown, sink):
        if any(p.is_error for p in sink):
            break
        yield doc
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
        If the folder's ``documents.jsonl`` is missing.
    """
    root = Path(path)
    if not (root / DOCUMENTS_FILE).is_file():
        raise BiaskitError(f"{root} holds no {DOCUMENTS_FILE}; save the corpus there first")
    target = root / SPANS_DIR / f"{safe_file_stem(annotator)}.jsonl"
    if target.exists() and not overwrite:
        raise OutputExistsError(f"{target} exists; pass overwrite=True (--overwrite) to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    order = {doc.id: i for i, doc in enumerate(corpus.documents)}
    with atomic_group() as group, group.open(target) as out:
        _write_spans(out, annotator, corpus.annotation_sets(annotator=annotator), order)
    return target
