r"""What the foreign-format modules share (private: use them through their modules).

The reading of line-based files within the size limits of
:class:`biaskit.io.native.ReadLimits`, the assembly of what a reader found
into a checked corpus and the fitting of spans to what a writer's format can
hold (the ``report`` / ``split`` / ``hull`` / ``skip`` policies described in
:mod:`biaskit.io.formats`). Like
:mod:`biaskit.io.offsets` and :mod:`biaskit.io._names` (safe file names), it
is shared by the format modules, which never import each other.
"""

from __future__ import annotations

import itertools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal, get_args

import attrs

from biaskit.checks import check_overlaps, check_span_text, check_text
from biaskit.corpus import Corpus
from biaskit.errors import AnnotationError, BiaskitError, OutputExistsError, Problem
from biaskit.io.native import CheckedCorpus, ReadLimits
from biaskit.model import AnnotationSet, AttributeValue, Document, Span
from biaskit.schema import AttributeSpec, AttributeType, LabelSpec, Schema

Policy = Literal["report", "split", "hull", "skip"]
"""What to do with a span the target format cannot hold (see :mod:`biaskit.io.formats`)."""

_POLICIES: tuple[str, ...] = get_args(Policy)


def fitted_corpus(
    corpus: Corpus,
    *,
    overlap: bool,
    discontinuous: bool,
    on_overlap: Policy = "report",
    on_discontinuous: Policy = "report",
    target: str = "the target format",
) -> tuple[Corpus, list[Problem]]:
    """Return ``corpus`` with every span fitted to what a format holds (see :func:`fit_spans`).

    Raises
    ------
    AnnotationError
        If a span cannot be fitted under the policies (a ``report`` policy).
    """
    problems: list[Problem] = []
    sets = []
    for aset in corpus.annotations:
        entries, found = fit_spans(
            aset,
            overlap=overlap,
            discontinuous=discontinuous,
            on_overlap=on_overlap,
            on_discontinuous=on_discontinuous,
            target=target,
        )
        problems += found
        sets.append(attrs.evolve(aset, spans=[f for entry in entries for f in entry]))
    raise_if_errors(problems, f"the corpus holds spans {target} cannot hold")
    return attrs.evolve(corpus, annotations=sets), problems


# ---------------------------------------------------------------------------
# Shared by the format modules: what a reader found, assembled and checked.


@attrs.frozen
class Found:
    """One span a reader found, with where it was found.

    Attributes
    ----------
    doc : str
        The document id.
    annotator : str
        Who made it.
    span : Span
        The span, in code points.
    path : str
        The file, as shown to the user.
    line : int or None
        Its line in the file, when the format has lines.
    record : str
        Where in the file, when the format has no lines (``task 3, region 'r1'``).
    """

    doc: str
    annotator: str
    span: Span
    path: str
    line: int | None = None
    record: str = ""

    def problem(self, problem: Problem) -> Problem:
        """Return ``problem`` placed at this span's location."""
        if self.record:
            problem = attrs.evolve(problem, message=f"{self.record}: {problem.message}")
        return problem.located(self.path, self.line)


@attrs.define
class Reading:
    """What a reader has found so far: documents, spans and problems."""

    documents: dict[str, Document] = attrs.field(factory=dict)
    found: list[Found] = attrs.field(factory=list)
    problems: list[Problem] = attrs.field(factory=list)
    annotators: list[str] = attrs.field(factory=list)
    """Annotators with a (possibly empty) annotation set on every document they saw."""
    seen: set[tuple[str, str]] = attrs.field(factory=set)
    """(document, annotator) pairs read, including those without spans."""
    where: dict[str, tuple[str, int | None]] = attrs.field(factory=dict)
    """The file (and line) where each annotator was first seen."""

    def error(self, message: str, code: str, path: str, line: int | None = None) -> None:
        """Record an error."""
        self.problems.append(Problem(message, code, "error", path, line, 1 if line else None))

    def warn(self, message: str, code: str, path: str, line: int | None = None) -> None:
        """Record a warning."""
        self.problems.append(Problem(message, code, "warning", path, line, 1 if line else None))

    def add_document(
        self, doc: Document, path: str, line: int | None = None, *, record: str = ""
    ) -> bool:
        """Add a document; a second one with the same id must have the same text.

        ``record`` says where in the file the document is when the format has
        no lines (``task 2``); it starts the message of a problem.
        """
        where = f"{record}: " if record else ""
        known = self.documents.get(doc.id)
        if known is None:
            self.documents[doc.id] = doc
            for problem in check_text(doc.text):
                if record:
                    problem = attrs.evolve(problem, message=where + problem.message)
                self.problems.append(problem.located(path, line))
            return True
        if known.text != doc.text:
            self.error(
                f"{where}document {doc.id!r} has a different text here than where it was first "
                f"read ({len(doc.text)} vs {len(known.text)} code points); expected one text "
                "per document",
                "text-differs",
                path,
                line,
            )
            return False
        return True

    def mark(self, doc: str, annotator: str, path: str, line: int | None = None) -> None:
        """Note that ``annotator`` saw document ``doc`` (even if they marked nothing).

        ``path`` and ``line`` say where, for a problem with the annotator's name.
        """
        self.seen.add((doc, annotator))
        self.where.setdefault(annotator, (path, line))

    def finish(
        self, schema: Schema | None, label_map: Mapping[str, str] | None = None
    ) -> CheckedCorpus:
        """Check every span against its document and the schema, and build the corpus."""
        return _assemble(self, schema, dict(label_map or {}))


def bounded_lines(
    path: Path, shown: str, sink: list[Problem], limits: ReadLimits
) -> Iterator[tuple[int, int, bytes]]:
    r"""Yield ``(line number, byte offset, bytes)`` for each line of a file, without its ``\n``.

    A line of more than ``limits.max_line_bytes`` bytes (not counting its
    ``\n``; the size reported counts it) is reported in ``sink`` as
    ``line-too-long`` at its file and line, and skipped: it is read through
    in chunks, never held in memory whole, as the native reader does. A
    ``\r`` before the ``\n`` is kept (readers decide).

    Raises
    ------
    OSError
        If the file cannot be opened or read (each reader reports it its way).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "f.jsonl"
    >>> _ = path.write_bytes(b"ok\n" + b"x" * 50 + b"\nlast")
    >>> sink: list[Problem] = []
    >>> list(bounded_lines(path, "f.jsonl", sink, ReadLimits(max_line_bytes=10)))
    [(1, 0, b'ok'), (3, 54, b'last')]
    >>> [(p.code, p.line) for p in sink]
    [('line-too-long', 2)]
    """
    limit = limits.max_line_bytes
    offset = 0
    with path.open("rb") as stream:
        number = 0
        while True:
            raw = stream.readline(limit + 1)
            if not raw:
                return
            number += 1
            start = offset
            if len(raw) <= limit or raw.endswith(b"\n"):
                offset += len(raw)
                yield number, start, raw[:-1] if raw.endswith(b"\n") else raw
                continue
            size = len(raw)
            while True:
                chunk = stream.readline(1 << 20)
                size += len(chunk)
                if not chunk or chunk.endswith(b"\n"):
                    break
            offset += size
            sink.append(
                Problem(
                    f"line is {size} bytes, over the limit of {limit}; it was skipped unread "
                    "(raise the limit with --max-line-bytes)",
                    "line-too-long",
                    "error",
                    shown,
                    number,
                    1,
                )
            )


def undecodable(data: bytes, error: UnicodeDecodeError, base: int = 0) -> str:
    """Describe the first byte of ``data`` that is not UTF-8 (``base``: its line's file offset).

    >>> data = "café".encode("latin-1")
    >>> try:
    ...     data.decode("utf-8")
    ... except UnicodeDecodeError as exc:
    ...     print(undecodable(data, exc))
    invalid UTF-8 byte 0xe9 at byte offset 3; expected UTF-8 text
    """
    return (
        f"invalid UTF-8 byte 0x{data[error.start]:02x} at byte offset {base + error.start}; "
        "expected UTF-8 text"
    )


def relabel(span: Span, label_map: Mapping[str, str]) -> Span:
    """Return ``span`` with its label renamed by ``label_map`` (unchanged if not in it)."""
    new = label_map.get(span.label)
    return span if new is None else attrs.evolve(span, label=new)


def _assemble(reading: Reading, schema: Schema | None, label_map: dict[str, str]) -> CheckedCorpus:
    problems = reading.problems
    kept: list[Found] = []
    for found in reading.found:
        span = relabel(found.span, label_map)
        found = attrs.evolve(found, span=span)
        doc = reading.documents.get(found.doc)
        if doc is None:  # the reader reported it
            continue
        if span.end > len(doc.text):
            problems.append(
                found.problem(
                    Problem(
                        f"span end {span.end} is past the end of document {doc.id!r} "
                        f"({len(doc.text)} code points)",
                        "offset-range",
                    )
                )
            )
            continue
        for problem in check_span_text(doc.text, span):
            problems.append(found.problem(problem))
        kept.append(found)
    if schema is None:
        schema = _infer_schema(kept, problems)
    if schema is not None:
        for found in kept:
            for problem in schema.check_span(found.span):
                problems.append(found.problem(problem))
    by_set: dict[tuple[str, str], list[Found]] = {}
    for found in kept:
        by_set.setdefault((found.doc, found.annotator), []).append(found)
        reading.where.setdefault(found.annotator, (found.path, found.line))
    for name in sorted({annotator for _, annotator in reading.seen | set(by_set)}):
        if not name or name != name.strip():
            path, line = reading.where.get(name, (None, None))
            problems.append(
                Problem(
                    f"annotator name {name!r} is empty or has whitespace at an edge; "
                    "expected a name such as 'alice' (rename it in the file, or map it with "
                    "the reader's annotator options)",
                    "name",
                    "error",
                    path,
                    line,
                    1 if line else None,
                )
            )
    for items in by_set.values():
        for i, j, problem in check_overlaps([f.span for f in items]):
            other = items[i]
            where = f"line {other.line}" if other.line else other.record or "this file"
            message = f"{problem.message} (other span at {where})"
            problems.append(items[j].problem(attrs.evolve(problem, message=message)))
    ordered = _ordered(problems)
    if schema is None or any(p.is_error for p in ordered):
        return CheckedCorpus(ordered, None)
    keys = sorted(reading.seen | set(by_set))
    order = {doc_id: n for n, doc_id in enumerate(reading.documents)}
    keys.sort(key=lambda k: (order.get(k[0], 0), k[1]))
    sets = [
        AnnotationSet(
            reading.documents[doc_id],
            annotator,
            [f.span for f in by_set.get((doc_id, annotator), [])],
        )
        for doc_id, annotator in keys
        if doc_id in reading.documents
    ]
    try:
        corpus = Corpus(list(reading.documents.values()), schema, sets)
    except ValueError as exc:  # a reader let an inconsistency through: still located
        return CheckedCorpus((*ordered, Problem(str(exc), "inconsistent")), None)
    return CheckedCorpus(ordered, corpus)


def _ordered(problems: list[Problem]) -> tuple[Problem, ...]:
    files: dict[str | None, int] = {}
    for p in problems:
        files.setdefault(p.path, len(files))
    return tuple(sorted(problems, key=lambda p: (files[p.path], p.line or 0)))


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def _attribute_type(values: Iterable[AttributeValue]) -> AttributeType | None:
    kinds = {type(v) for v in values}
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "integer"
    if kinds <= {int, float}:
        return "number"
    if kinds == {str}:
        return "string"
    return None


def _infer_schema(found: Sequence[Found], problems: list[Problem]) -> Schema | None:
    """Return a schema holding every label and attribute found (no value restrictions)."""
    labels: dict[str, dict[str, list[AttributeValue]]] = {}
    first: dict[str, Found] = {}
    for item in found:
        attributes = labels.setdefault(item.span.label, {})
        first.setdefault(item.span.label, item)
        for name, value in item.span.attributes.items():
            attributes.setdefault(name, []).append(value)
            first.setdefault(f"{item.span.label}\0{name}", item)
    specs: list[LabelSpec] = []
    ok = True
    for label in sorted(labels):
        if not _NAME.fullmatch(label):
            problems.append(
                first[label].problem(
                    Problem(
                        f"label {label!r} cannot be a schema label (letters, digits, '_', '.' "
                        "or '-', starting with a letter or '_'); rename it with label_map "
                        "(--label-map OLD=NEW) or pass a schema",
                        "label-name",
                    )
                )
            )
            ok = False
            continue
        specs_of_label: list[AttributeSpec] = []
        for name in sorted(labels[label]):
            kind = _attribute_type(labels[label][name])
            where = first[f"{label}\0{name}"]
            if not _NAME.fullmatch(name) or kind is None:
                why = (
                    "its values mix types (text, numbers, true/false)"
                    if kind is None
                    else "it is not a name of letters, digits, '_', '.' or '-'"
                )
                problems.append(
                    where.problem(
                        Problem(
                            f"attribute {name!r} of {label} cannot go into a schema: {why}; "
                            "pass a schema",
                            "attribute-name",
                        )
                    )
                )
                ok = False
                continue
            specs_of_label.append(AttributeSpec(name, type=kind))
        specs.append(LabelSpec(label, attributes=specs_of_label))
    if not ok:
        return None
    return Schema(
        "imported",
        "0",
        specs,
        description="Inferred from the labels and attributes of an imported file.",
    )


def coerce_attribute(
    value: str, name: str, label: str, schema: Schema | None
) -> tuple[AttributeValue, str | None]:
    """Turn an attribute value read as text into the schema's type for it.

    Returns the value and, when it does not fit the type, a message saying so
    (the value is then kept as text, and the schema check reports it).

    >>> from biaskit.schema import AttributeSpec, LabelSpec, Schema
    >>> schema = Schema("s", "1", [LabelSpec("A", attributes=[AttributeSpec("n", type="integer")])])
    >>> coerce_attribute("3", "n", "A", schema), coerce_attribute("3", "n", "A", None)
    ((3, None), ('3', None))
    """
    if schema is None or label not in schema:
        return value, None
    spec = schema.attribute_specs(label).get(name)
    if spec is None or spec.type == "string":
        return value, None
    try:
        if spec.type == "boolean":
            if value.lower() not in ("true", "false"):
                raise ValueError(value)
            return value.lower() == "true", None
        if spec.type == "integer":
            return int(value), None
        return float(value) if not re.fullmatch(r"-?[0-9]+", value) else int(value), None
    except ValueError:
        return value, f"attribute {name!r} of {label} should be {spec.type}, found {value!r}"


# ---------------------------------------------------------------------------
# Shared by the format modules: fitting spans to what a format holds.


def _groups(spans: Sequence[Span]) -> tuple[list[tuple[Span, ...]], list[str]]:
    """Group the fragments of discontinuous spans; return entries and the group names."""
    entries: list[tuple[Span, ...]] = []
    by_group: dict[str, list[Span]] = {}
    for span in spans:
        if span.group is None:
            entries.append((span,))
        else:
            by_group.setdefault(span.group, []).append(span)
    names: list[str] = []
    for name, members in by_group.items():
        entries.append(tuple(sorted(members)))
        names.append(name)
    entries.sort(key=lambda e: e[0].sort_key())
    return entries, names


def _one_annotation(fragments: tuple[Span, ...]) -> bool:
    """Whether fragments can be one annotation: same label, attributes and note, apart."""
    head = fragments[0]
    same = all(
        f.label == head.label and f.attributes == head.attributes and f.note == head.note
        for f in fragments
    )
    apart = all(a.end <= b.start for a, b in itertools.pairwise(fragments))
    return same and apart


def _show(span: Span) -> str:
    return f"span {span.label} [{span.start}, {span.end})"


def fit_spans(
    aset: AnnotationSet,
    *,
    overlap: bool,
    discontinuous: bool,
    on_overlap: Policy = "report",
    on_discontinuous: Policy = "report",
    target: str = "the target format",
) -> tuple[list[tuple[Span, ...]], list[Problem]]:
    """Fit one annotator's spans of one document to what a format can hold.

    Returns the entries to write, each a tuple of fragments (one span unless
    the format holds discontinuous spans and the span had fragments), and a
    problem for every span changed or left out (a warning) or that could not
    be fitted (an error, when the policy is ``report``).

    Examples
    --------
    >>> doc = Document("d", "a b c d e")
    >>> aset = AnnotationSet(doc, "x", [Span(0, 5, "A"), Span(2, 9, "B")])
    >>> entries, problems = fit_spans(aset, overlap=False, discontinuous=False, on_overlap="split")
    >>> [(e[0].start, e[0].end, e[0].label) for e in entries]
    [(0, 5, 'A'), (5, 9, 'B')]
    >>> [p.severity for p in problems]
    ['warning']
    """
    where = f"document {aset.document.id!r}, annotator {aset.annotator!r}"
    problems: list[Problem] = []

    def report(message: str, code: str, severity: Literal["error", "warning"]) -> None:
        problems.append(Problem(f"{where}: {message}", code, severity))

    entries, _ = _groups(aset.spans)
    fitted: list[tuple[Span, ...]] = []
    for entry in entries:
        if len(entry) == 1 and entry[0].group is None:
            fitted.append(entry)
            continue
        if len(entry) == 1:
            fitted.append((attrs.evolve(entry[0], group=None),))
            continue
        if discontinuous and _one_annotation(entry):
            fitted.append(entry)
            continue
        shown = ", ".join(f"[{f.start}, {f.end})" for f in entry)
        why = (
            f"{target} holds no discontinuous spans"
            if not discontinuous
            else f"its fragments differ in label, attributes or note, or overlap, so {target} "
            "cannot hold them as one annotation"
        )
        head = entry[0]
        if on_discontinuous == "report":
            report(
                f"discontinuous span {head.label} (group {head.group!r}: {shown}): {why}; "
                "choose on_discontinuous (--on-discontinuous) split, hull or skip",
                "discontinuous",
                "error",
            )
        elif on_discontinuous == "split":
            report(
                f"discontinuous span {head.label} (group {head.group!r}: {shown}) written as "
                f"{len(entry)} separate spans: {why}",
                "fit-split",
                "warning",
            )
            fitted += [(attrs.evolve(f, group=None),) for f in entry]
        elif on_discontinuous == "hull":
            if len({f.label for f in entry}) > 1:
                report(
                    f"discontinuous span (group {head.group!r}: {shown}) has fragments of "
                    "several labels; they cannot be joined into one span",
                    "discontinuous",
                    "error",
                )
                continue
            hull = attrs.evolve(head, end=max(f.end for f in entry), group=None)
            report(
                f"discontinuous span {head.label} (group {head.group!r}: {shown}) written as one "
                f"span [{hull.start}, {hull.end}) covering the text between its fragments",
                "fit-hull",
                "warning",
            )
            fitted.append((hull,))
        else:
            report(
                f"discontinuous span {head.label} (group {head.group!r}: {shown}) left out: {why}",
                "fit-skip",
                "warning",
            )
    if overlap:
        return sorted(fitted, key=lambda e: e[0].sort_key()), problems
    return _fit_overlaps(fitted, on_overlap, target, report), problems


def _fit_overlaps(
    entries: list[tuple[Span, ...]],
    policy: Policy,
    target: str,
    report: Callable[[str, str, Literal["error", "warning"]], None],
) -> list[tuple[Span, ...]]:
    # Entries are single spans here (a format without overlaps holds no fragments either).
    spans = sorted((e[0] for e in entries), key=lambda s: (s.start, -s.end, s.label))
    clusters: list[list[Span]] = []
    for span in spans:
        if clusters and span.start < max(s.end for s in clusters[-1]):
            clusters[-1].append(span)
        else:
            clusters.append([span])
    result: list[Span] = []
    for cluster in clusters:
        if len(cluster) == 1:
            result += cluster
            continue
        shown = ", ".join(_show(s) for s in cluster)
        if policy == "report":
            report(
                f"overlapping spans {shown}: {target} holds no overlapping spans; choose "
                "on_overlap (--on-overlap) split, hull or skip",
                "overlap",
                "error",
            )
        elif policy == "hull":
            if len({s.label for s in cluster}) > 1:
                report(
                    f"overlapping spans {shown} have different labels and cannot be merged "
                    "into one span; choose split or skip",
                    "overlap",
                    "error",
                )
                continue
            hull = attrs.evolve(cluster[0], end=max(s.end for s in cluster))
            report(
                f"overlapping spans {shown} merged into one span [{hull.start}, {hull.end})",
                "fit-hull",
                "warning",
            )
            result.append(hull)
        else:
            covered: list[tuple[int, int]] = []
            for span in cluster:
                pieces = _uncovered(span.start, span.end, covered)
                covered.append((span.start, span.end))
                if pieces == [(span.start, span.end)]:
                    result.append(span)
                    continue
                if policy == "skip" or not pieces:
                    report(
                        f"{_show(span)} left out: it overlaps a span before it ({shown})",
                        "fit-skip",
                        "warning",
                    )
                    continue
                parts = ", ".join(f"[{a}, {b})" for a, b in pieces)
                report(
                    f"{_show(span)} cut to {parts}: it overlaps a span before it ({shown})",
                    "fit-split",
                    "warning",
                )
                result += [attrs.evolve(span, start=a, end=b) for a, b in pieces]
    return [(s,) for s in sorted(result, key=Span.sort_key)]


def _uncovered(start: int, end: int, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces = [(start, end)]
    for a, b in covered:
        nxt = []
        for s, e in pieces:
            if b <= s or e <= a:
                nxt.append((s, e))
                continue
            if s < a:
                nxt.append((s, a))
            if b < e:
                nxt.append((b, e))
        pieces = nxt
    return pieces


def loaded(checked: CheckedCorpus, path: str | os.PathLike[str]) -> Corpus:
    """Return the corpus of ``checked``, or raise an :class:`AnnotationError` with its problems."""
    if checked.corpus is None:
        raise AnnotationError(
            checked.problems,
            summary=f"{os.fspath(path)}: {len(checked.errors)} error(s); it cannot be read",
        )
    return checked.corpus


def raise_if_errors(problems: Sequence[Problem], summary: str) -> None:
    """Raise an :class:`AnnotationError` holding ``problems`` if any is an error."""
    if any(p.is_error for p in problems):
        errors = sum(p.is_error for p in problems)
        raise AnnotationError(problems, summary=f"{summary}: {errors} error(s); nothing written")


# ---------------------------------------------------------------------------
# Shared by the format modules: file names from ids.


def check_targets(targets: Iterable[Path], overwrite: bool) -> None:
    """Refuse to write when a target exists and ``overwrite`` is false, or two names collide.

    Names that differ only in case are one file on Windows and macOS, so they
    collide too.
    """
    seen: dict[str, Path] = {}
    for target in targets:
        key = unicodedata.normalize("NFC", str(target)).casefold()
        if key in seen:
            raise BiaskitError(
                f"{seen[key]} and {target} would be the same file on a case-insensitive "
                "file system; rename one of the ids"
            )
        seen[key] = target
        if not overwrite and target.exists():
            raise OutputExistsError(
                f"{target} exists; pass overwrite=True (--overwrite) to replace it"
            )
