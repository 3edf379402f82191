r"""brat standoff: a ``.txt`` and an ``.ann`` file per document, a folder per annotator.

brat counts offsets in code points over the exact ``.txt`` (its server is
Python), end exclusive. A text-bound annotation is one line::

    T3<TAB>EVENT_TERM 38 51;52 60<TAB>covered text of the fragments joined by one space

and may have several fragments: biaskit reads them as spans sharing a
``group`` (the ``T`` id) and writes spans sharing a group as one annotation.
brat cannot put a line break inside a fragment, so it splits a span that
crosses one; fragments separated only by line breaks are read back as one
span, and a span with line breaks is written as such fragments.

Attributes (``A3<TAB>register T3 loaded``) become span attributes; values
holding whitespace or ``%`` are written percent-encoded (``US%20Army``) since
brat values are single words, and decoded on reading. A binary attribute
(``A4<TAB>negated T3``) is ``True``. ``AnnotatorNotes`` become the span's
note (several notes, or a note of several lines, join with newlines).
Relations, events and normalisations are reported and not read. Type names
cannot hold spaces: writing such a label is refused.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> root = Path(tempfile.mkdtemp())
>>> _ = (root / "d1.txt").write_text("Iran's top general was assassinated.", encoding="utf-8")
>>> ann = "T1\tEVENT_TERM 23 35\tassassinated\n#1\tAnnotatorNotes T1\tvs. killed\n"
>>> _ = (root / "d1.ann").write_text(ann, encoding="utf-8")
>>> corpus = load_brat(root, annotator="alice")
>>> [(s.start, s.end, s.label, s.note) for d, s in corpus.spans()]
[(23, 35, 'EVENT_TERM', 'vs. killed')]
>>> out = Path(tempfile.mkdtemp()) / "brat"
>>> save_brat(corpus, out)
[]
>>> (out / "alice" / "d1.ann").read_text(encoding="utf-8").splitlines()
['T1\tEVENT_TERM 23 35\tassassinated', '#1\tAnnotatorNotes T1\tvs. killed']
"""

from __future__ import annotations

import itertools
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal

from biaskit._atomic import atomic_group
from biaskit.corpus import Corpus
from biaskit.errors import BiaskitError, Problem
from biaskit.io._foreign import (
    Found,
    Policy,
    Reading,
    bounded_lines,
    check_targets,
    coerce_attribute,
    fit_spans,
    loaded,
    raise_if_errors,
    undecodable,
)
from biaskit.io._names import decode_file_stem, safe_file_stem
from biaskit.io.native import DEFAULT_LIMITS, CheckedCorpus, ReadLimits
from biaskit.io.offsets import OffsetConverter, units_matching
from biaskit.model import AnnotationSet, AttributeValue, Document, Span
from biaskit.schema import Schema

__all__ = ["check_brat", "load_brat", "save_brat", "write_brat_sets"]

BratUnit = Literal["codepoint", "crlf-as-one"]

_TEXTBOUND = re.compile(r"(\S+) ([0-9]+ [0-9]+(?:;[0-9]+ [0-9]+)*)")
_LINE_BREAKS = "\r\n"
_CONFIG_FILES = {"annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf"}


def _decode_value(value: str) -> str:
    return re.sub(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*", _unquote_match, value)


def _unquote_match(match: re.Match[str]) -> str:
    raw = bytes(int(h, 16) for h in match.group(0)[1:].split("%"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return match.group(0)


def _encode_value(value: str) -> str:
    return "".join(
        "".join(f"%{b:02X}" for b in c.encode("utf-8")) if c.isspace() or c == "%" else c
        for c in value
    )


def _annotator_folders(root: Path, annotator: str | None) -> list[tuple[str, Path]]:
    if any(root.glob("*.ann")) or annotator is not None:
        return [(annotator or "brat", root)]
    return [
        (decode_file_stem(sub.name), sub)
        for sub in sorted(root.iterdir())
        if sub.is_dir() and (any(sub.glob("*.ann")) or any(sub.glob("*.txt")))
    ]


def check_brat(
    path: str | os.PathLike[str],
    *,
    schema: Schema | None = None,
    annotator: str | None = None,
    unit: BratUnit = "codepoint",
    label_map: Mapping[str, str] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> CheckedCorpus:
    r"""Read a brat folder, checking everything, and return every problem and the corpus.

    Parameters
    ----------
    path : path-like
        A folder of ``.txt`` + ``.ann`` files (one annotator, named by
        ``annotator``, default ``"brat"``), or a folder of such folders, one
        per annotator, named after the folder.
    schema : Schema, optional
        Check labels and attributes against it (and type attribute values by
        it); by default a schema is inferred from what was read.
    annotator : str, optional
        The annotator of a folder holding ``.ann`` files directly.
    unit : {"codepoint", "crlf-as-one"}
        ``crlf-as-one`` for files of old brat versions that counted each
        ``\r\n`` as one character.
    label_map : mapping, optional
        Rename labels as they are read.
    limits : ReadLimits
        A line of an ``.ann`` file longer than ``limits.max_line_bytes`` is
        reported (``line-too-long``) and never read into memory.

    Returns
    -------
    CheckedCorpus
        The problems (never raised) and, when there is no error, the corpus.
        An ``.ann`` file with a line that cannot be read (not UTF-8, or too
        long) has those lines reported and the rest of it is not parsed, so
        that references to the lost lines do not cascade into more errors.
    """
    root = Path(path)
    shown_root = os.fspath(path)
    reading = Reading()
    if not root.is_dir():
        what = "nothing" if not root.exists() else "a file"
        reading.error(
            f"expected a brat folder of .txt and .ann files, found {what}", "not-found", shown_root
        )
        return reading.finish(schema)
    folders = _annotator_folders(root, annotator)
    if not folders:
        reading.error(
            "expected .txt and .ann files, or one folder of them per annotator; found none",
            "not-a-corpus",
            shown_root,
        )
    for name, folder in folders:
        if not name.strip() or name != name.strip():
            reading.error(
                f"annotator folder {folder.name!r} is not a usable name", "name", str(folder)
            )
            continue
        reading.annotators.append(name)
        stems = sorted(
            {p.stem for p in folder.glob("*.ann")} | {p.stem for p in folder.glob("*.txt")}
        )
        for stem in stems:
            _read_document(reading, folder, stem, name, schema, unit, limits)
    return reading.finish(schema, label_map)


def load_brat(
    path: str | os.PathLike[str],
    *,
    schema: Schema | None = None,
    annotator: str | None = None,
    unit: BratUnit = "codepoint",
    label_map: Mapping[str, str] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Corpus:
    """Read a brat folder into a corpus (see :func:`check_brat` for the parameters).

    Raises
    ------
    AnnotationError
        Holding every problem, if any error was found.
    """
    checked = check_brat(
        path, schema=schema, annotator=annotator, unit=unit, label_map=label_map, limits=limits
    )
    return loaded(checked, path)


def _read_text(path: Path, reading: Reading) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        reading.error(f"cannot read {path.name}: {exc.strerror or exc}", "unreadable", str(path))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        reading.error(undecodable(data, exc), "encoding", str(path), line)
        return None


def _read_ann(path: Path, reading: Reading, limits: ReadLimits) -> list[tuple[int, str]] | None:
    """Return the numbered lines of an ``.ann`` file, or None if one cannot be read."""
    shown = str(path)
    lines: list[tuple[int, str]] = []
    complete = True
    before = len(reading.problems)
    try:
        for number, offset, raw in bounded_lines(path, shown, reading.problems, limits):
            try:
                lines.append((number, raw.decode("utf-8")))
            except UnicodeDecodeError as exc:
                reading.error(undecodable(raw, exc, offset), "encoding", shown, number)
                complete = False
    except OSError as exc:
        reading.error(f"cannot read {path.name}: {exc.strerror or exc}", "unreadable", shown)
        return None
    return lines if complete and len(reading.problems) == before else None


def _exists(path: Path) -> bool:
    """Whether there is anything at ``path``, even a broken symbolic link or a link loop."""
    return path.is_symlink() or path.exists()


def _read_document(
    reading: Reading,
    folder: Path,
    stem: str,
    annotator: str,
    schema: Schema | None,
    unit: BratUnit,
    limits: ReadLimits,
) -> None:
    txt, ann = folder / f"{stem}.txt", folder / f"{stem}.ann"
    if not _exists(txt):
        reading.error(
            f"{ann.name} has no {txt.name} beside it; expected both", "missing-file", str(ann)
        )
        return
    text = _read_text(txt, reading)
    if text is None:
        return
    try:
        doc_id = decode_file_stem(stem)
        doc = Document(doc_id, text)
    except (TypeError, ValueError) as exc:
        reading.error(f"invalid document {stem!r}: {exc}", "invalid-value", str(txt))
        return
    if not reading.add_document(doc, str(txt)):
        return
    reading.mark(doc_id, annotator, str(txt))
    if not _exists(ann):
        return
    lines = _read_ann(ann, reading, limits)
    if lines is not None:
        _parse_ann(reading, lines, str(ann), doc, annotator, schema, unit)


class _Entry:
    __slots__ = ("attributes", "fragments", "label", "line", "notes")

    def __init__(self, label: str, fragments: list[tuple[int, int]], line: int) -> None:
        self.label = label
        self.fragments = fragments
        self.line = line
        self.attributes: dict[str, AttributeValue] = {}
        self.notes: list[str] = []


def _parse_ann(
    reading: Reading,
    lines: Iterable[tuple[int, str]],
    shown: str,
    doc: Document,
    annotator: str,
    schema: Schema | None,
    unit: BratUnit,
) -> None:
    converter = OffsetConverter(doc.text, unit)
    entries: dict[str, _Entry] = {}
    ids: dict[str, int] = {}
    pending: list[tuple[int, str, str]] = []  # attributes and notes, resolved after all T lines
    skipped: dict[str, int] = {}
    for number, raw in lines:
        line = raw[:-1] if raw.endswith("\r") else raw
        if not line.strip():
            continue
        parts = line.split("\t", 2)
        ann_id = parts[0]
        if ann_id in ids:
            reading.error(
                f"duplicate annotation id {ann_id!r}; first used on line {ids[ann_id]}",
                "duplicate-id",
                shown,
                number,
            )
            continue
        ids[ann_id] = number
        kind = ann_id[:1]
        if kind == "T":
            _parse_textbound(reading, parts, shown, number, doc, converter, entries)
        elif kind in ("A", "M", "#"):
            if len(parts) < 2 or (kind == "#" and len(parts) < 3):
                expected = (
                    "#N<TAB>AnnotatorNotes T<n><TAB>note"
                    if kind == "#"
                    else (f"{kind}N<TAB>Name T<n> [Value]")
                )
                reading.error(
                    f"expected {expected}, found {line[:60]!r}", "malformed-line", shown, number
                )
                continue
            pending.append((number, kind, line))
        elif kind in ("R", "E", "*", "N"):
            skipped[kind] = skipped.get(kind, 0) + 1
        else:
            reading.error(
                f"expected an annotation id starting with T, A, M, #, R, E, * or N, "
                f"found {ann_id[:20]!r}",
                "malformed-line",
                shown,
                number,
            )
    names = {"R": "relation", "E": "event", "*": "equivalence", "N": "normalisation"}
    for kind, count in skipped.items():
        reading.warn(
            f"{count} {names[kind]} line(s) not read: biaskit holds spans only",
            "not-read",
            shown,
        )
    for number, kind, line in pending:
        _parse_attached(reading, line, kind, shown, number, entries, schema)
    for ann_id, entry in entries.items():
        _add_entry(reading, ann_id, entry, doc, annotator, shown)


def _parse_textbound(
    reading: Reading,
    parts: list[str],
    shown: str,
    number: int,
    doc: Document,
    converter: OffsetConverter,
    entries: dict[str, _Entry],
) -> None:
    match = _TEXTBOUND.fullmatch(parts[1]) if len(parts) == 3 else None
    if match is None:
        found = "\t".join(parts[1:])[:60]
        reading.error(
            f"expected T<n><TAB>Type START END[;START END...]<TAB>covered text, found {found!r}",
            "malformed-line",
            shown,
            number,
        )
        return
    label, offsets = match.group(1), match.group(2)
    fragments: list[tuple[int, int]] = []
    for pair in offsets.split(";"):
        start_s, end_s = pair.split(" ")
        try:
            start = converter.to_codepoint(int(start_s))
            end = converter.to_codepoint(int(end_s))
        except ValueError as exc:
            reading.error(f"{parts[0]}: {exc}", "offset-range", shown, number)
            return
        if end <= start:
            reading.error(
                f"{parts[0]}: fragment end {end_s} is not after its start {start_s}",
                "offset-range",
                shown,
                number,
            )
            return
        fragments.append((start, end))
    fragments.sort()
    if any(a[1] > b[0] for a, b in itertools.pairwise(fragments)):
        reading.error(f"{parts[0]}: its fragments overlap", "offset-range", shown, number)
        return
    covered = " ".join(doc.text[s:e] for s, e in fragments)
    if not _same_text(covered, parts[2]):
        hint = ""
        if len(fragments) == 1:
            raw = [int(x) for x in offsets.split(" ")]
            units = [
                u for u in units_matching(doc.text, raw[0], raw[1], parts[2]) if u != converter.unit
            ]
            if units:
                hint = f"; the offsets fit {' and '.join(units)} offsets (unit=...)"
        reading.error(
            f"{parts[0]}: covered text {parts[2][:40]!r} does not match the text at "
            f"{_spans(fragments)}, which is {covered[:40]!r}{hint}",
            "text-mismatch",
            shown,
            number,
        )
        return
    entries[parts[0]] = _Entry(label, fragments, number)


def _spans(fragments: Sequence[tuple[int, int]]) -> str:
    return ";".join(f"[{s}, {e})" for s, e in fragments)


def _same_text(expected: str, written: str) -> bool:
    # brat writes the exact text; other tools write line breaks as spaces.
    return expected == written or re.sub(r"[\r\n]+", " ", expected) == re.sub(
        r"[\r\n]+", " ", written
    )


def _parse_attached(
    reading: Reading,
    line: str,
    kind: str,
    shown: str,
    number: int,
    entries: dict[str, _Entry],
    schema: Schema | None,
) -> None:
    parts = line.split("\t", 2)
    words = parts[1].split(" ")
    if kind == "#":
        target = words[1] if len(words) == 2 else None
        entry = entries.get(target or "")
        if entry is None:
            reading.error(
                f"note {parts[0]} is about {target!r}, which is no text-bound annotation here",
                "missing-reference",
                shown,
                number,
            )
            return
        entry.notes.append(parts[2])
        return
    if len(words) not in (2, 3) or not words[0]:
        reading.error(
            f"expected {parts[0]}<TAB>Name T<n> [Value], found {parts[1][:60]!r}",
            "malformed-line",
            shown,
            number,
        )
        return
    entry = entries.get(words[1])
    if entry is None:
        reading.error(
            f"attribute {parts[0]} is about {words[1]!r}, which is no text-bound annotation here",
            "missing-reference",
            shown,
            number,
        )
        return
    name = words[0]
    if name in entry.attributes:
        reading.error(
            f"attribute {name!r} given twice for {words[1]}", "duplicate-attribute", shown, number
        )
        return
    if len(words) == 2:
        entry.attributes[name] = True
        return
    value, message = coerce_attribute(_decode_value(words[2]), name, entry.label, schema)
    if message is not None:
        reading.error(message, "attribute-value", shown, number)
        return
    entry.attributes[name] = value


def _add_entry(
    reading: Reading, ann_id: str, entry: _Entry, doc: Document, annotator: str, shown: str
) -> None:
    # Fragments apart only by line breaks are one span that brat split at the line break.
    joined: list[tuple[int, int]] = []
    for start, end in entry.fragments:
        if (
            joined
            and doc.text[joined[-1][1] : start].strip(_LINE_BREAKS) == ""
            and (joined[-1][1] < start)
        ):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    group = ann_id if len(joined) > 1 else None
    note = "\n".join(entry.notes) if entry.notes else None
    for start, end in joined:
        try:
            span = Span(
                start,
                end,
                entry.label,
                attributes=entry.attributes,
                annotator=annotator,
                note=note,
                group=group,
            )
        except (TypeError, ValueError) as exc:
            reading.error(f"{ann_id}: invalid span: {exc}", "invalid-value", shown, entry.line)
            return
        reading.found.append(Found(doc.id, annotator, span, shown, entry.line))


# ---------------------------------------------------------------------------
# Writing.


def _fragments(text: str, span: Span) -> list[tuple[int, int]]:
    """Split a span at line breaks, as brat does; the pieces hold no line break."""
    pieces = []
    start = None
    for i in range(span.start, span.end):
        if text[i] in _LINE_BREAKS:
            if start is not None:
                pieces.append((start, i))
                start = None
        elif start is None:
            start = i
    if start is not None:
        pieces.append((start, span.end))
    return pieces


def _ann_lines(
    doc: Document, entries: Sequence[tuple[Span, ...]], problems: list[Problem], where: str
) -> list[str]:
    lines: list[str] = []
    t = a = n = 0
    for entry in entries:
        head = entry[0]
        if any(c.isspace() for c in head.label):
            problems.append(
                Problem(
                    f"{where}: label {head.label!r} holds whitespace, which a brat type cannot; "
                    "rename it with label_map (--label-map)",
                    "label-name",
                )
            )
            continue
        fragments = [f for span in entry for f in _fragments(doc.text, span)]
        if not fragments:
            problems.append(
                Problem(
                    f"{where}: {head.label} [{head.start}, {head.end}) covers only line breaks, "
                    "which brat cannot mark",
                    "unwritable",
                )
            )
            continue
        if (fragments[0][0], fragments[-1][1]) != (entry[0].start, entry[-1].end):
            problems.append(
                Problem(
                    f"{where}: {head.label} [{head.start}, {entry[-1].end}) starts or ends with "
                    f"a line break, which brat cannot hold; written as "
                    f"[{fragments[0][0]}, {fragments[-1][1]})",
                    "fit-trim",
                    "warning",
                )
            )
        t += 1
        offsets = ";".join(f"{s} {e}" for s, e in fragments)
        covered = " ".join(doc.text[s:e] for s, e in fragments)
        lines.append(f"T{t}\t{head.label} {offsets}\t{covered}")
        for name, value in head.attributes.items():
            if any(c.isspace() for c in name):
                problems.append(
                    Problem(
                        f"{where}: attribute name {name!r} holds whitespace, which brat cannot",
                        "attribute-name",
                    )
                )
                continue
            a += 1
            if value is True:
                lines.append(f"A{a}\t{name} T{t}")
            else:
                shown = str(value).lower() if isinstance(value, bool) else str(value)
                lines.append(f"A{a}\t{name} T{t} {_encode_value(shown)}")
        if head.note is not None:
            for note_line in head.note.split("\n"):
                n += 1
                lines.append(f"#{n}\tAnnotatorNotes T{t}\t{note_line.rstrip(chr(13))}")
    return lines


def _set_files(
    aset: AnnotationSet,
    root: Path,
    on_overlap: Policy,
    on_discontinuous: Policy,
    problems: list[Problem],
) -> tuple[Path, Path, str]:
    """Return one set's ``.txt`` and ``.ann`` paths under ``root`` and the ``.ann`` text.

    What the set's spans lose to fit brat is added to ``problems``.
    """
    doc, annotator = aset.document, aset.annotator
    entries, found = fit_spans(
        aset,
        overlap=True,
        discontinuous=True,
        on_overlap=on_overlap,
        on_discontinuous=on_discontinuous,
        target="brat",
    )
    problems += found
    folder = root / safe_file_stem(annotator)
    stem = safe_file_stem(doc.id)
    where = f"document {doc.id!r}, annotator {annotator!r}"
    lines = _ann_lines(doc, entries, problems, where)
    content = "".join(f"{line}\n" for line in lines)
    return folder / f"{stem}.txt", folder / f"{stem}.ann", content


class _ConfFacts:
    """What brat's ``annotation.conf`` says of the spans: their labels and attribute values.

    Gathered span by span, so that a stream of documents can be written
    without keeping its spans; memory grows with the distinct labels and
    values only.
    """

    def __init__(self, schema: Schema) -> None:
        self.labels: set[str] = set(schema.label_names)
        self.values: dict[str, set[str]] = {}
        self.binary: set[str] = set()

    def add(self, spans: Iterable[Span]) -> None:
        for span in spans:
            self.labels.add(span.label)
            for name, value in span.attributes.items():
                if value is True:
                    self.binary.add(name)
                else:
                    shown = str(value).lower() if isinstance(value, bool) else str(value)
                    self.values.setdefault(name, set()).add(_encode_value(shown))

    def text(self) -> str:
        lines = [
            "# Written by biaskit: the labels and attributes of the exported spans.",
            "[entities]",
        ]
        lines += [label for label in sorted(self.labels) if not any(c.isspace() for c in label)]
        lines += ["", "[relations]", "", "[events]", "", "[attributes]"]
        for name in sorted(set(self.values) | self.binary):
            if any(c.isspace() for c in name):
                continue
            values = sorted(
                self.values.get(name, set()) | ({"true"} if name in self.binary else set())
            )
            if name in self.binary and len(values) == 1:
                lines.append(f"{name}\tArg:<ENTITY>")
            else:
                lines.append(f"{name}\tArg:<ENTITY>, Value:{'|'.join(values)}")
        return "\n".join(lines) + "\n"


def _conf(corpus: Corpus, annotators: Sequence[str]) -> str:
    facts = _ConfFacts(corpus.schema)
    for annotator in annotators:
        for aset in corpus.annotation_sets(annotator=annotator):
            facts.add(aset.spans)
    return facts.text()


def save_brat(
    corpus: Corpus,
    path: str | os.PathLike[str],
    *,
    annotators: Sequence[str] | None = None,
    on_overlap: Policy = "report",
    on_discontinuous: Policy = "report",
    overwrite: bool = False,
) -> list[Problem]:
    """Write a folder per annotator of ``<document>.txt`` + ``<document>.ann``.

    The ``.txt`` files hold each document's exact text (line breaks kept as
    they are); an ``annotation.conf`` at the top declares the labels and
    attributes so brat displays them. Folder and file names come from
    :func:`biaskit.io._names.safe_file_stem` and cannot leave ``path``.

    Parameters
    ----------
    corpus : Corpus
        What to write.
    path : path-like
        The output folder; created if missing.
    annotators : sequence of str, optional
        Only these annotators (default: all).
    on_overlap : policy
        Never needed: brat holds overlapping spans.
    on_discontinuous : {"report", "split", "hull", "skip"}
        For spans sharing a group that brat cannot hold as one annotation
        (fragments with different labels, attributes or notes).
    overwrite : bool
        Replace existing files.

    Returns
    -------
    list of Problem
        Warnings about spans changed to fit.

    Raises
    ------
    AnnotationError
        If a span cannot be written (a label with a space, a discontinuous
        span under ``report``); nothing is written.
    OutputExistsError
        If a file exists and ``overwrite`` is false.
    """
    root = Path(path)
    chosen = list(annotators) if annotators is not None else list(corpus.annotators)
    problems: list[Problem] = []
    files: dict[Path, str] = {root / "annotation.conf": _conf(corpus, chosen)}
    for annotator in chosen:
        for doc in corpus.documents:
            aset = corpus.annotation_set(doc.id, annotator)
            txt, ann, content = _set_files(aset, root, on_overlap, on_discontinuous, problems)
            files[txt] = doc.text
            files[ann] = content
    raise_if_errors(problems, f"{os.fspath(path)}: spans brat cannot hold")
    check_targets(files, overwrite)
    for folder in {p.parent for p in files}:
        folder.mkdir(parents=True, exist_ok=True)
    with atomic_group() as group:
        for target, content in files.items():
            with group.open(target) as out:
                out.write(content)
    return problems


def write_brat_sets(
    sets: Iterable[AnnotationSet],
    path: str | os.PathLike[str],
    *,
    schema: Schema,
    on_discontinuous: Policy = "report",
    overwrite: bool = False,
) -> list[Problem]:
    r"""Write a stream of annotation sets as :func:`save_brat` writes a corpus.

    Each set becomes ``<annotator>/<document>.txt`` and ``.ann`` as it comes,
    and ``annotation.conf`` (the schema's labels and the spans' labels and
    attribute values) is written last; ``sets`` is consumed once, so memory
    does not grow with the stream beyond the distinct labels and attribute
    values, a hash per file name and the atomic write's temporary names.
    Every file is written atomically, together: if a set cannot be written
    or the iterable raises, nothing is written and existing files are left
    as they were.

    Parameters
    ----------
    sets : iterable of AnnotationSet
        The sets to write, one per document and annotator.
    path : path-like
        The output folder; created if missing.
    schema : Schema
        Its labels are declared in ``annotation.conf`` (as :func:`save_brat`
        declares the corpus schema's).
    on_discontinuous, overwrite
        As in :func:`save_brat`.

    Returns
    -------
    list of Problem
        Warnings about spans changed to fit.

    Raises
    ------
    AnnotationError
        If a span cannot be written; nothing is written.
    BiaskitError
        If two documents would get the same file on a case-insensitive file system.
    OutputExistsError
        If a file exists and ``overwrite`` is false.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> doc = Document("d1", "They are traitors.")
    >>> sets = (AnnotationSet(doc, "model", [Span(9, 17, "EPITHET")]) for _ in [1])
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "brat"
    >>> write_brat_sets(sets, out, schema=Schema("s", "1", []))
    []
    >>> (out / "model" / "d1.ann").read_text()
    'T1\tEPITHET 9 17\ttraitors\n'
    """
    root = Path(path)
    conf_file = root / "annotation.conf"
    check_targets([conf_file], overwrite)
    problems: list[Problem] = []
    facts = _ConfFacts(schema)
    names: set[int] = set()  # hashes of the case-folded file names written
    folders: set[Path] = set()
    with atomic_group() as group:
        for aset in sets:
            txt, ann, content = _set_files(aset, root, "report", on_discontinuous, problems)
            if txt.parent not in folders:
                txt.parent.mkdir(parents=True, exist_ok=True)
                folders.add(txt.parent)
            key = hash(unicodedata.normalize("NFC", str(txt)).casefold())
            if key in names:
                raise BiaskitError(
                    f"{txt} would be the same file as one written before it on a "
                    "case-insensitive file system; rename one of the ids"
                )
            names.add(key)
            check_targets([txt, ann], overwrite)
            with group.open(txt) as out:
                out.write(aset.document.text)
            with group.open(ann) as out:
                out.write(content)
            facts.add(aset.spans)
        raise_if_errors(problems, f"{os.fspath(path)}: spans brat cannot hold")
        root.mkdir(parents=True, exist_ok=True)
        with group.open(conf_file) as out:
            out.write(facts.text())
    return problems
