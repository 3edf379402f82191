r"""doccano JSONL: one document per line, one file per annotator.

doccano writes the spans of a sequence-labelling project in one of these
shapes, all read (and the first written)::

    {"id": 7, "text": "...", "label": [[7, 13, "EVENT_TERM"]], ...extra keys}
    {"id": 7, "text": "...", "entities": [{"id": 1, "label": "EVENT_TERM",
      "start_offset": 7, "end_offset": 13}], "relations": [...]}
    {"text": "...", "labels": [[7, 13, "EVENT_TERM"]]}                    (1.x import)
    {"id": 7, "text": "...", "annotations": [{"label": 2, "start_offset": 7,
      "end_offset": 13, "user": 1}]}                                      (1.x export)

doccano stores no covered text, so the offset unit cannot be checked from the
file: it is an explicit argument. doccano counts UTF-16 code units (the
browser's string indices) by default, and grapheme clusters (user-perceived
characters) when the project turned that option on. :class:`GraphemeConverter`
counts clusters with the approximation of :func:`biaskit.checks.splits_cluster`
(``\r\n``, combining marks, ZWJ sequences, variation selectors, skin tones,
tag sequences and flag pairs) plus Hangul syllable sequences, with no
third-party package; it agrees with Unicode's extended grapheme clusters on
emoji, accents, flags, Hangul and CRLF, the cases that shift offsets in practice.

A file is one annotator's (named after the file, or ``annotator=``); the
1.x ``annotations`` shape names each span's ``user`` (``user-N`` unless
``annotator_names`` maps it). doccano's collaborative ``all.jsonl`` merges
every annotator with no attribution: reading it warns. A file with no
record at all is read as no documents, with a warning (``empty-file``), as an
empty Label Studio export (``[]``) is; a line longer than
``limits.max_line_bytes`` is reported (``line-too-long``) and never read into
memory, as in the native format. Keys other than those
above become document metadata; ``outlet``, ``title``, ``url``, ``date`` and
``language`` become the document's fields. Relations are reported and not read.

doccano holds no attributes, notes or discontinuous spans: writing reports
every span whose attributes or note are left out, and a discontinuous span
follows ``on_discontinuous``. The file can hold overlapping spans, but a
project without "allow overlapping spans" drops them on import: pass
``overlap=False`` to have ``on_overlap`` decide instead.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> path = Path(tempfile.mkdtemp()) / "alice.jsonl"
>>> line = '{"id": 1, "text": "😀 killed", "label": [[3, 9, "EVENT_TERM"]]}\n'
>>> _ = path.write_text(line, encoding="utf-8")
>>> corpus = load_doccano(path)                   # UTF-16 offsets by default
>>> [(d.id, s.start, s.end, s.annotator) for d, s in corpus.spans()]
[('1', 2, 8, 'alice')]
>>> GraphemeConverter("👩‍👩‍👧 killed").to_codepoint(2)
6
"""

from __future__ import annotations

import bisect
import json
import os
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

import attrs

from biaskit._atomic import atomic_group
from biaskit.checks import splits_cluster
from biaskit.corpus import Corpus
from biaskit.errors import AnnotationError, BiaskitError, Problem
from biaskit.io._foreign import (
    Found,
    Policy,
    Reading,
    bounded_lines,
    check_targets,
    fit_spans,
    loaded,
    raise_if_errors,
    undecodable,
)
from biaskit.io._json import loads_json
from biaskit.io._names import decode_file_stem, safe_file_stem
from biaskit.io.native import DEFAULT_LIMITS, CheckedCorpus, ReadLimits
from biaskit.io.offsets import OffsetConverter
from biaskit.model import AnnotationSet, Document, FrozenMap, JsonValue, Span
from biaskit.schema import Schema

__all__ = [
    "GraphemeConverter",
    "check_doccano",
    "iter_doccano",
    "load_doccano",
    "save_doccano",
    "write_doccano_lines",
]

DoccanoUnit = Literal["utf16", "codepoint", "grapheme"]

_SPAN_KEYS = ("label", "labels", "entities", "annotations")
_DOC_KEYS = ("outlet", "title", "url", "date", "language")


# ---------------------------------------------------------------------------
# Grapheme clusters.


def _hangul(char: str) -> str | None:
    code = ord(char)
    if 0x1100 <= code <= 0x115F or 0xA960 <= code <= 0xA97C:
        return "L"
    if 0x1160 <= code <= 0x11A7 or 0xD7B0 <= code <= 0xD7C6:
        return "V"
    if 0x11A8 <= code <= 0x11FF or 0xD7CB <= code <= 0xD7FB:
        return "T"
    if 0xAC00 <= code <= 0xD7A3:
        return "LV" if (code - 0xAC00) % 28 == 0 else "LVT"
    return None


# Viramas that link two consonants into one cluster (Unicode 15.1 rule GB9c).
_LINKERS = {0x094D, 0x09CD, 0x0ACD, 0x0B4D, 0x0C4D, 0x0D4D}


def _joins(text: str, offset: int) -> bool:
    """Whether code point ``offset`` continues the cluster of the one before it."""
    if splits_cluster(text, offset):
        return True
    linker = ord(text[offset - 1])
    if (
        linker in _LINKERS
        and ord(text[offset]) >> 7 == linker >> 7
        and unicodedata.category(text[offset]) == "Lo"
    ):
        return True
    before, after = _hangul(text[offset - 1]), _hangul(text[offset])
    if before is None or after is None:
        return unicodedata.category(text[offset]) == "Mc"
    return (
        (before == "L" and after in ("L", "V", "LV", "LVT"))
        or (before in ("LV", "V") and after in ("V", "T"))
        or (before in ("LVT", "T") and after == "T")
    )


class _Converter(Protocol):
    @property
    def unit(self) -> str: ...

    def to_codepoint(self, offset: int) -> int: ...

    def from_codepoint(self, offset: int) -> int: ...


class GraphemeConverter:
    r"""Convert offsets counted in grapheme clusters to and from code points.

    The same interface as :class:`biaskit.io.offsets.OffsetConverter`: a
    cluster offset is the number of whole clusters before it, and a
    code-point offset inside a cluster has no cluster offset.

    Examples
    --------
    >>> c = GraphemeConverter("e\u0301 a\r\nb")   # é as e + combining acute; CRLF is one cluster
    >>> [c.from_codepoint(i) for i in (0, 2, 3, 4, 6, 7)]
    [0, 1, 2, 3, 4, 5]
    >>> c.from_codepoint(1)
    Traceback (most recent call last):
    ...
    ValueError: code-point offset 1 falls inside the grapheme cluster 'e\u0301'
    """

    __slots__ = ("_starts", "_text", "unit")

    def __init__(self, text: str) -> None:
        self._text = text
        self.unit = "grapheme"
        # _starts[k] is the code point where cluster k starts; the last entry is len(text).
        starts = [i for i in range(len(text)) if i == 0 or not _joins(text, i)]
        starts.append(len(text))
        self._starts = starts

    @property
    def length(self) -> int:
        """Number of clusters in the text."""
        return len(self._starts) - 1

    def to_codepoint(self, offset: int) -> int:
        """Return the code-point offset of cluster offset ``offset``."""
        if not 0 <= offset <= self.length:
            raise ValueError(f"grapheme offset {offset} is outside the text (0 to {self.length})")
        return self._starts[offset]

    def from_codepoint(self, offset: int) -> int:
        """Return the cluster offset of code-point ``offset``."""
        if not 0 <= offset <= len(self._text):
            raise ValueError(
                f"code-point offset {offset} is outside the text (0 to {len(self._text)})"
            )
        index = bisect.bisect_left(self._starts, offset)
        if self._starts[index] != offset:
            cluster = self._text[self._starts[index - 1] : self._starts[index]]
            raise ValueError(
                f"code-point offset {offset} falls inside the grapheme cluster {cluster!a}"
            )
        return index


def _converter(text: str, unit: DoccanoUnit) -> _Converter:
    if unit == "grapheme":
        return GraphemeConverter(text)
    return OffsetConverter(text, unit)


# ---------------------------------------------------------------------------
# Reading.


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return {
        str: "a string",
        int: "an integer",
        float: "a number",
        list: "an array",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _lines(
    path: Path, shown: str, reading: Reading, limits: ReadLimits
) -> Iterator[tuple[int, Any]]:
    records = 0
    before = len(reading.problems)
    try:
        for number, offset, raw in bounded_lines(path, shown, reading.problems, limits):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                reading.warn("file starts with a UTF-8 byte-order mark", "bom", shown, 1)
                raw = raw[3:]
                offset += 3
            if not raw.strip():
                continue
            records += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                reading.error(undecodable(raw, exc, offset), "encoding", shown, number)
                continue
            try:
                yield number, loads_json(text)
            except json.JSONDecodeError as exc:
                reading.problems.append(
                    Problem(
                        f"invalid JSON: {exc.msg}", "json-syntax", "error", shown, number, exc.colno
                    )
                )
    except OSError as exc:
        reading.error(f"cannot read {shown}: {exc.strerror or exc}", "unreadable", shown)
        return
    if not records and not any(p.is_error for p in reading.problems[before:]):
        reading.warn(
            "no records; expected one JSON object per line (read as no documents)",
            "empty-file",
            shown,
        )


def _files(root: Path) -> list[Path]:
    if root.is_dir():
        return sorted(root.glob("*.jsonl"))
    return [root]


def _records(
    path: str | os.PathLike[str],
    unit: DoccanoUnit,
    annotator: str | None,
    reading: Reading,
    limits: ReadLimits,
) -> Iterator[tuple[str, int, str, Any]]:
    """Yield ``(file shown, line, annotator, parsed JSON)`` for each record, in file order.

    The reading of files and lines that :func:`check_doccano` and
    :func:`iter_doccano` share: file-level problems (a bad unit, a missing
    path, no ``.jsonl`` file, a line that is not JSON...) go to ``reading``.
    """
    root = Path(path)
    shown_root = os.fspath(path)
    if unit not in ("utf16", "codepoint", "grapheme"):
        reading.error(
            f"unknown offset unit {unit!r}; expected utf16, codepoint or grapheme",
            "usage",
            shown_root,
        )
        return
    if not root.exists():
        reading.error(f"no such file or folder: {shown_root}", "not-found", shown_root)
        return
    files = _files(root)
    if not files:
        reading.error("expected .jsonl files in the folder, found none", "not-a-corpus", shown_root)
    for file in files:
        shown = shown_root if file == root else str(Path(shown_root) / file.name)
        name = annotator if annotator is not None and file == root else decode_file_stem(file.stem)
        if file.name == "all.jsonl":
            reading.warn(
                "doccano's all.jsonl merges every annotator's spans without saying whose they "
                "are; export one file per user to keep attribution",
                "no-attribution",
                shown,
            )
        for number, record in _lines(file, shown, reading, limits):
            yield shown, number, name, record


def check_doccano(
    path: str | os.PathLike[str],
    *,
    unit: DoccanoUnit = "utf16",
    schema: Schema | None = None,
    annotator: str | None = None,
    annotator_names: Mapping[str, str] | None = None,
    label_names: Mapping[str, str] | None = None,
    label_map: Mapping[str, str] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> CheckedCorpus:
    """Read doccano JSONL, checking everything; return every problem and the corpus.

    Parameters
    ----------
    path : path-like
        A ``.jsonl`` file, or a folder of them (one per annotator).
    unit : {"utf16", "codepoint", "grapheme"}
        How the file counts offsets: ``utf16`` (doccano's default),
        ``grapheme`` (a project with grapheme-cluster offsets), ``codepoint``.
    schema : Schema, optional
        Check labels against it; by default a schema is inferred.
    annotator : str, optional
        The annotator of a single file (default: its name without ``.jsonl``).
    annotator_names : mapping, optional
        Names for the ``user`` ids of the 1.x ``annotations`` shape.
    label_names : mapping, optional
        Names for integer label ids (1.x exports store ids): ``{"2": "EVENT_TERM"}``.
    label_map : mapping, optional
        Rename labels as they are read.
    limits : ReadLimits
        A longer line than ``limits.max_line_bytes`` is reported
        (``line-too-long``) and skipped unread.
    """
    reading = Reading()
    users = {str(k): v for k, v in (annotator_names or {}).items()}
    labels = {str(k): v for k, v in (label_names or {}).items()}
    for shown, number, name, record in _records(path, unit, annotator, reading, limits):
        _read_record(reading, record, number, shown, name, unit, users, labels)
    return reading.finish(schema, label_map)


def load_doccano(
    path: str | os.PathLike[str],
    *,
    unit: DoccanoUnit = "utf16",
    schema: Schema | None = None,
    annotator: str | None = None,
    annotator_names: Mapping[str, str] | None = None,
    label_names: Mapping[str, str] | None = None,
    label_map: Mapping[str, str] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Corpus:
    """Read doccano JSONL into a corpus (parameters as :func:`check_doccano`).

    Raises
    ------
    AnnotationError
        Holding every problem, if any error was found.
    """
    checked = check_doccano(
        path,
        unit=unit,
        schema=schema,
        annotator=annotator,
        annotator_names=annotator_names,
        label_names=label_names,
        label_map=label_map,
        limits=limits,
    )
    return loaded(checked, path)


def _text_key(text: str) -> int:
    """Pack a text's length and 64-bit hash into one int (the length for messages)."""
    return (len(text) << 64) | (hash(text) & 0xFFFF_FFFF_FFFF_FFFF)


@attrs.define
class _RecordReading(Reading):
    """The reading of one record, which knows, as hashes, every document read before it.

    ``texts`` maps the hash of each document id read so far to
    :func:`_text_key` of its text: about 100 bytes per document, never the
    texts, so that a repeated id with a different text is still an error.
    (Two ids with one 64-bit hash would be taken for one: a chance of about
    one in 10^7 for a million documents.)
    """

    texts: dict[int, int] = attrs.field(factory=dict)

    def add_document(
        self, doc: Document, path: str, line: int | None = None, *, record: str = ""
    ) -> bool:
        """Add the record's document; one read before under its id must have had its text."""
        key, value = hash(doc.id), _text_key(doc.text)
        known = self.texts.setdefault(key, value)
        if known != value:
            # The message of Reading.add_document, which compares the texts themselves.
            self.error(
                f"document {doc.id!r} has a different text here than where it was first "
                f"read ({len(doc.text)} vs {known >> 64} code points); expected one text "
                "per document",
                "text-differs",
                path,
                line,
            )
            return False
        return super().add_document(doc, path, line, record=record)


def _raise_errors(problems: Sequence[Problem], where: str) -> None:
    errors = [p for p in problems if p.is_error]
    if errors:
        raise AnnotationError(errors, summary=f"{where}: {len(errors)} error(s); reading stopped")


def iter_doccano(
    path: str | os.PathLike[str],
    *,
    unit: DoccanoUnit = "utf16",
    annotator: str | None = None,
    annotator_names: Mapping[str, str] | None = None,
    label_names: Mapping[str, str] | None = None,
    label_map: Mapping[str, str] | None = None,
    schema: Schema | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Iterator[AnnotationSet]:
    r"""Stream doccano JSONL as annotation sets, one record at a time, in file order.

    Each record is read and checked as :func:`check_doccano` reads and checks
    it (the same problems, codes and messages), holding only that record in
    memory, plus a hash of each document id and text read: memory does not
    grow with the file beyond that, about 100 bytes per document. A record
    yields one set per annotator it holds (the file's annotator, or each
    ``user`` of the 1.x ``annotations`` shape, in name order), empty when it
    has no span. A document id read before with a different text is an
    error (``text-differs``); with the same text, its record yields sets of
    its own (:func:`load_doccano` merges them into one set per annotator).

    What needs the whole file is not checked: overlaps between spans of
    different records of one document and annotator, and, without
    ``schema``, that every label could go into one schema (no schema is
    inferred; each record's labels are checked to be valid label names).
    Warnings are not reported: :func:`check_doccano` gives them.

    Parameters
    ----------
    path, unit, annotator, annotator_names, label_names, label_map, limits
        As in :func:`check_doccano`.
    schema : Schema, optional
        Check each span's label and attributes against it.

    Yields
    ------
    AnnotationSet
        A document (its id, text and fields as in the record) and one
        annotator's spans over it, in code points.

    Raises
    ------
    AnnotationError
        At the first record (or line) with an error, holding its errors with
        their file and line; the sets of the records before it have been
        yielded.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "alice.jsonl"
    >>> lines = ['{"id": 1, "text": "😀 killed", "label": [[3, 9, "EVENT_TERM"]]}',
    ...          '{"id": 2, "text": "no spans"}', '{"id": 3, "text": "x", "label": [[0, 5, "X"]]}']
    >>> _ = path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    >>> sets = iter_doccano(path)
    >>> first, second = next(sets), next(sets)
    >>> [(s.start, s.end, s.label) for s in first.spans], second.document.id, second.spans
    ([(2, 8, 'EVENT_TERM')], '2', ())
    >>> try:
    ...     next(sets)
    ... except AnnotationError as exc:
    ...     print([(p.line, p.code) for p in exc.problems])
    [(3, 'offset-range')]
    """
    files = Reading()  # problems of files and lines, outside any record
    users = {str(k): v for k, v in (annotator_names or {}).items()}
    labels = {str(k): v for k, v in (label_names or {}).items()}
    texts: dict[int, int] = {}
    for shown, number, name, record in _records(path, unit, annotator, files, limits):
        _raise_errors(files.problems, os.fspath(path))  # a line before this one was unreadable
        files.problems.clear()
        reading = _RecordReading(texts=texts)
        _read_record(reading, record, number, shown, name, unit, users, labels)
        checked = reading.finish(schema, label_map)
        _raise_errors(checked.problems, os.fspath(path))
        assert checked.corpus is not None  # no error: finish built it
        yield from checked.corpus.annotations
    _raise_errors(files.problems, os.fspath(path))


def _document(reading: Reading, record: dict[str, Any], number: int, shown: str) -> Document | None:
    text = record.get("text", record.get("data"))
    if not isinstance(text, str):
        where = "'text'" if "text" in record or "data" not in record else "'data'"
        found = "nothing" if where == "'text'" and "text" not in record else _kind(text)
        reading.error(
            f"expected the document text as a string in {where}, found {found}",
            "missing-field" if found == "nothing" else "wrong-type",
            shown,
            number,
        )
        return None
    raw_id = record.get("id")
    if _is_int(raw_id) or (isinstance(raw_id, str) and raw_id.strip()):
        doc_id = str(raw_id).strip()
    else:
        doc_id = f"line-{number}"
    fields: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    for key, value in record.items():
        if key in ("id", "text", "data", "relations", *_SPAN_KEYS):
            continue
        if key in _DOC_KEYS and isinstance(value, str):
            fields[key] = value
        elif key in ("metadata", "meta") and isinstance(value, dict):
            metadata.update(value)
        elif key == "Comments" and value == []:
            continue
        else:
            metadata[key] = value
    if (
        isinstance(record.get("label"), list)
        and all(isinstance(x, str) for x in record["label"])
        and record["label"]
    ):
        metadata["categories"] = record["label"]
    try:
        return Document(doc_id, text, metadata=metadata, **fields)
    except (TypeError, ValueError) as exc:
        reading.error(f"invalid document: {exc}", "invalid-value", shown, number)
        return None


def _raw_spans(
    reading: Reading, record: dict[str, Any], number: int, shown: str, users: Mapping[str, str]
) -> list[tuple[object, object, object, str | None, str]] | None:
    """Return (start, end, label, user, where) for each span of the record, in any shape."""
    keys = [k for k in _SPAN_KEYS if k in record]
    if len(keys) > 1:
        reading.error(
            f"spans given under several keys ({', '.join(keys)}); expected one",
            "ambiguous",
            shown,
            number,
        )
        return None
    if not keys:
        return []
    key = keys[0]
    items = record[key]
    if not isinstance(items, list):
        reading.error(f"{key!r} must be an array, not {_kind(items)}", "wrong-type", shown, number)
        return None
    found: list[tuple[object, object, object, str | None, str]] = []
    for index, item in enumerate(items, 1):
        where = f"{key}[{index}]"
        if key == "label" and isinstance(item, str):
            continue  # a document category (text classification), kept as metadata
        if isinstance(item, list):
            if len(item) != 3:
                reading.error(
                    f"{where}: expected [start, end, label], found an array of {len(item)}",
                    "wrong-type",
                    shown,
                    number,
                )
                continue
            found.append((item[0], item[1], item[2], None, where))
        elif isinstance(item, dict):
            user: str | None = None
            if "user" in item:
                raw_user = item["user"]
                if _is_int(raw_user) or isinstance(raw_user, str):
                    user = users.get(str(raw_user), f"user-{raw_user}")
                else:
                    reading.error(
                        f"{where}: 'user' must be an id, not {_kind(raw_user)}",
                        "wrong-type",
                        shown,
                        number,
                    )
                    continue
            missing = [k for k in ("start_offset", "end_offset", "label") if k not in item]
            if missing:
                reading.error(
                    f"{where}: expected {', '.join(missing)} in the span object",
                    "missing-field",
                    shown,
                    number,
                )
                continue
            found.append((item["start_offset"], item["end_offset"], item["label"], user, where))
        else:
            reading.error(
                f"{where}: expected [start, end, label] or an object, found {_kind(item)}",
                "wrong-type",
                shown,
                number,
            )
    return found


def _read_record(
    reading: Reading,
    record: object,
    number: int,
    shown: str,
    annotator: str,
    unit: DoccanoUnit,
    users: Mapping[str, str],
    labels: Mapping[str, str],
) -> None:
    if not isinstance(record, dict):
        reading.error(f"expected a JSON object, found {_kind(record)}", "wrong-type", shown, number)
        return
    doc = _document(reading, record, number, shown)
    if doc is None or not reading.add_document(doc, shown, number):
        return
    spans = _raw_spans(reading, record, number, shown, users)
    if spans is None:
        return
    relations = record.get("relations")
    if isinstance(relations, list) and relations:
        reading.warn(
            f"{len(relations)} relation(s) not read: biaskit holds spans only",
            "not-read",
            shown,
            number,
        )
    has_users = any(user is not None for *_, user, _ in spans)
    if not has_users:
        reading.mark(doc.id, annotator, shown, number)
    converter = _converter(doc.text, unit)
    for start, end, label, user, where in spans:
        who = user or annotator
        if has_users and user is None:
            reading.error(
                f"{where}: no 'user' while other spans of the line have one",
                "missing-annotator",
                shown,
                number,
            )
            continue
        if not _is_int(start) or not _is_int(end):
            reading.error(
                f"{where}: offsets must be integers, found {_kind(start)} and {_kind(end)}",
                "wrong-type",
                shown,
                number,
            )
            continue
        if _is_int(label):
            name = labels.get(str(label))
            if name is None:
                reading.error(
                    f"{where}: label id {label} has no name; pass label_names (--label-name "
                    f"{label}=NAME)",
                    "unknown-label",
                    shown,
                    number,
                )
                continue
            label = name
        if not isinstance(label, str):
            reading.error(
                f"{where}: label must be a string, not {_kind(label)}", "wrong-type", shown, number
            )
            continue
        assert isinstance(start, int)
        assert isinstance(end, int)
        try:
            s, e = converter.to_codepoint(start), converter.to_codepoint(end)
            span = Span(s, e, label, annotator=who)
        except (TypeError, ValueError) as exc:
            reading.error(f"{where}: {exc} (offsets read as {unit})", "offset-range", shown, number)
            continue
        reading.mark(doc.id, who, shown, number)
        reading.found.append(Found(doc.id, who, span, shown, number))


# ---------------------------------------------------------------------------
# Writing.


def _thaw(value: JsonValue) -> Any:
    if isinstance(value, FrozenMap):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


def _record_line(
    aset: AnnotationSet,
    unit: DoccanoUnit,
    overlap: bool,
    on_overlap: Policy,
    on_discontinuous: Policy,
    problems: list[Problem],
) -> tuple[str, int]:
    r"""Render one annotation set as a doccano line (with its ``\n``).

    Problems go to ``problems``; also returns how many spans lost their
    attributes or note (doccano holds neither).
    """
    doc, annotator = aset.document, aset.annotator
    entries, found = fit_spans(
        aset,
        overlap=overlap,
        discontinuous=False,
        on_overlap=on_overlap,
        on_discontinuous=on_discontinuous,
        target="doccano",
    )
    problems += found
    converter = _converter(doc.text, unit)
    labels = []
    dropped = 0
    for (span,) in entries:
        dropped += bool(span.attributes) or span.note is not None
        try:
            labels.append(
                [
                    converter.from_codepoint(span.start),
                    converter.from_codepoint(span.end),
                    span.label,
                ]
            )
        except ValueError as exc:
            problems.append(
                Problem(
                    f"document {doc.id!r}, annotator {annotator!r}: span {span.label} "
                    f"[{span.start}, {span.end}) cannot be counted in {unit}: {exc}",
                    "unwritable",
                )
            )
    record: dict[str, Any] = {"id": doc.id, "text": doc.text, "label": labels}
    record["outlet"] = doc.outlet
    for key in ("title", "url", "date"):
        if getattr(doc, key) is not None:
            record[key] = getattr(doc, key)
    record["language"] = doc.language
    if doc.metadata:
        record["metadata"] = _thaw(doc.metadata)
    return json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n", dropped


def _dropped(annotator: str, dropped: int) -> list[Problem]:
    if not dropped:
        return []
    return [
        Problem(
            f"annotator {annotator!r}: {dropped} span(s) carry attributes or a note, "
            "which doccano cannot hold; they are written without them",
            "not-written",
            "warning",
        )
    ]


def save_doccano(
    corpus: Corpus,
    path: str | os.PathLike[str],
    *,
    annotators: Sequence[str] | None = None,
    unit: DoccanoUnit = "utf16",
    overlap: bool = True,
    on_overlap: Policy = "report",
    on_discontinuous: Policy = "report",
    overwrite: bool = False,
) -> list[Problem]:
    """Write one doccano JSONL file per annotator, ``<path>/<annotator>.jsonl``.

    Each line is ``{"id", "text", "label": [[start, end, label], ...]}`` plus
    the document's ``outlet``, ``title``, ``url``, ``date``, ``language`` and
    ``metadata`` as extra keys (doccano keeps them as metadata and exports
    them back). Every document is written for every annotator, with no spans
    where they marked none. To write a stream of annotation sets without
    building a corpus, see :func:`write_doccano_lines`.

    Parameters
    ----------
    corpus : Corpus
        What to write.
    path : path-like
        The output folder; created if missing.
    annotators : sequence of str, optional
        Only these annotators (default: all).
    unit : {"utf16", "codepoint", "grapheme"}
        The project's offset unit.
    overlap : bool
        Whether the project allows overlapping spans; when not, ``on_overlap``
        decides what happens to them.
    on_overlap, on_discontinuous : {"report", "split", "hull", "skip"}
        What to do with overlapping and discontinuous spans.
    overwrite : bool
        Replace existing files.

    Returns
    -------
    list of Problem
        Warnings: spans changed to fit, attributes and notes doccano cannot hold.
    """
    root = Path(path)
    chosen = list(annotators) if annotators is not None else list(corpus.annotators)
    problems: list[Problem] = []
    files: dict[Path, str] = {}
    for annotator in chosen:
        lines = []
        dropped = 0
        for doc in corpus.documents:
            aset = corpus.annotation_set(doc.id, annotator)
            line, lost = _record_line(aset, unit, overlap, on_overlap, on_discontinuous, problems)
            lines.append(line)
            dropped += lost
        problems += _dropped(annotator, dropped)
        files[root / f"{safe_file_stem(annotator)}.jsonl"] = "".join(lines)
    raise_if_errors(problems, f"{os.fspath(path)}: spans doccano cannot hold")
    check_targets(files, overwrite)
    root.mkdir(parents=True, exist_ok=True)
    with atomic_group() as group:
        for target, content in files.items():
            with group.open(target) as out:
                out.write(content)
    return problems


def write_doccano_lines(
    sets: Iterable[AnnotationSet],
    path: str | os.PathLike[str],
    *,
    unit: DoccanoUnit = "utf16",
    overlap: bool = True,
    on_overlap: Policy = "report",
    on_discontinuous: Policy = "report",
    overwrite: bool = False,
) -> list[Problem]:
    """Write a stream of one annotator's annotation sets as one doccano JSONL file.

    Each set becomes one line, as :func:`save_doccano` writes it, in the
    order given; ``sets`` is consumed once, one set at a time, so memory does
    not grow with the stream. The file is written atomically: if a set
    cannot be written (a span under a ``report`` policy, an offset that
    cannot be counted in ``unit``) or the iterable raises, nothing is written
    and an existing file is left as it was.

    Parameters
    ----------
    sets : iterable of AnnotationSet
        The records, all by one annotator (a doccano file is one annotator's).
    path : path-like
        The ``.jsonl`` file to write; its folder is created if missing.
    unit, overlap, on_overlap, on_discontinuous, overwrite
        As in :func:`save_doccano`.

    Returns
    -------
    list of Problem
        Warnings: spans changed to fit (one per span), and one for the spans
        whose attributes or notes doccano cannot hold.

    Raises
    ------
    AnnotationError
        Holding every problem, if a span cannot be written.
    BiaskitError
        If the sets are by more than one annotator.
    OutputExistsError
        If ``path`` exists and ``overwrite`` is false.

    Examples
    --------
    >>> import tempfile
    >>> doc = Document("d1", "😀 killed")
    >>> sets = (AnnotationSet(doc, "alice", [Span(2, 8, "EVENT_TERM")]) for _ in range(1))
    >>> path = Path(tempfile.mkdtemp()) / "alice.jsonl"
    >>> write_doccano_lines(sets, path)
    []
    >>> json.loads(path.read_text(encoding="utf-8"))["label"]       # UTF-16 offsets by default
    [[3, 9, 'EVENT_TERM']]
    """
    target = Path(path)
    check_targets([target], overwrite)
    target.parent.mkdir(parents=True, exist_ok=True)
    problems: list[Problem] = []
    annotator: str | None = None
    dropped = 0
    with atomic_group() as group, group.open(target) as out:
        for aset in sets:
            if annotator is None:
                annotator = aset.annotator
            elif aset.annotator != annotator:
                raise BiaskitError(
                    f"document {aset.document.id!r}: a set by {aset.annotator!r} after sets by "
                    f"{annotator!r}; expected one annotator per doccano file"
                )
            line, lost = _record_line(aset, unit, overlap, on_overlap, on_discontinuous, problems)
            out.write(line)
            dropped += lost
        if annotator is not None:
            problems += _dropped(annotator, dropped)
        raise_if_errors(problems, f"{os.fspath(path)}: spans doccano cannot hold")
    return problems
