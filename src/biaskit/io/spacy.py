r"""Convert between biaskit and spaCy: ``Doc`` objects and ``DocBin`` files.

A document becomes one spaCy ``Doc`` (tokenized by a blank pipeline of the
document's language unless an ``nlp`` is given) and each annotator's spans one
span group ``doc.spans[<prefix><annotator>]``, with the label as
``span.label_``. spaCy counts code points, as biaskit does, so offsets carry
over unchanged; overlapping and nested spans are kept (span groups hold them;
``doc.ents`` would not).

What spaCy spans cannot hold goes into ``doc.user_data["biaskit"]``, a plain
mapping that ``DocBin`` stores (the *biaskit mapping*)::

    {"format_version": 1,
     "document": {"id", "outlet", "title", "url", "date", "language",
                  "metadata", "sha256"},
     "spans": {<span key>: [{"start", "end", "label",          # to match the span
                             "attributes", "note", "id",       # when present
                             "group", "annotator"}, ...]},
     "schema": <schema.json text>}                             # first Doc of a DocBin

Span-level ``Span._`` extensions are not used: spaCy keys their values by the
span's character offsets alone, so two annotators' spans over the same words
(or two labels on one stretch) would share them.

Token alignment
---------------
A spaCy span is made of whole tokens; a biaskit span need not be (a span
with a trailing space, half a word, part of a ZWJ emoji). Such a span is
never expanded silently. Each is reported as a :class:`~biaskit.errors.Problem`
(code ``spacy-misaligned``) naming its two alternatives -- ``contract``, the
tokens wholly inside it, and ``expand``, every token it touches -- and
``alignment_mode`` chooses what happens:

``strict`` (default)
    raise an :class:`~biaskit.errors.AnnotationError` listing every misaligned
    span with its alternatives; nothing is written.
``contract``
    keep the tokens wholly inside the span; a span with no whole token inside
    is left out. Each change is reported as a warning.
``expand``
    grow the span to every token it touches. Each change is reported as a
    warning.
``skip``
    leave misaligned spans out. Each is reported as a warning.

Examples
--------
>>> from biaskit import AnnotationError, AnnotationSet, Document, Span
>>> doc = Document("d1", "The US killed Soleimani.")
>>> gold = AnnotationSet(doc, "gold", [Span(7, 13, "EVENT_TERM")])
>>> sdoc = to_spacy(doc, [gold])  # doctest: +SKIP
>>> [(s.text, s.label_) for s in sdoc.spans["gold"]]  # doctest: +SKIP
[('killed', 'EVENT_TERM')]
>>> document, sets = from_spacy(sdoc)  # doctest: +SKIP
>>> document == doc, sets == [gold]  # doctest: +SKIP
(True, True)

A span with a trailing space does not align; its alternatives are reported:

>>> loose = AnnotationSet(doc, "gold", [Span(7, 14, "EVENT_TERM")])
>>> try:  # doctest: +SKIP
...     to_spacy(doc, [loose])
... except AnnotationError as err:
...     print(*err.problems[0].message.split("; "), sep="\n")
span [7, 14) EVENT_TERM 'killed ' by 'gold' in document 'd1' does not align to spaCy tokens
contract: [7, 13) 'killed'
expand: [7, 13) 'killed'
>>> found = []
>>> contracted = to_spacy(doc, [loose], alignment_mode="contract", problems=found)  # doctest: +SKIP
>>> [s.text for s in contracted.spans["gold"]]  # doctest: +SKIP
['killed']
>>> found[0].severity, found[0].message.endswith("contraction [7, 13)")  # doctest: +SKIP
('warning', True)
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import tempfile
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

from biaskit.corpus import Corpus
from biaskit.errors import AnnotationError, BiaskitError, OutputExistsError, Problem
from biaskit.io.native import dumps_schema, loads_schema
from biaskit.io.offsets import OffsetConverter
from biaskit.model import AnnotationSet, Document, JsonValue, Span
from biaskit.schema import LabelSpec, Schema

if TYPE_CHECKING:
    from spacy.language import Language  # type: ignore[import-not-found, unused-ignore]
    from spacy.tokens import Doc  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "USER_DATA_KEY",
    "AlignmentMode",
    "SpacyAlignmentWarning",
    "from_spacy",
    "read_docbin",
    "to_spacy",
    "write_docbin",
]

AlignmentMode = Literal["strict", "contract", "expand", "skip"]
"""What to do with a span that does not align to spaCy tokens (see the module notes)."""

USER_DATA_KEY: Final = "biaskit"
"""The key of the biaskit mapping in ``Doc.user_data``."""

_MODES: tuple[str, ...] = get_args(AlignmentMode)
_MAPPING_VERSION: Final = 1
_EXTRA_HINT: Final = 'pip install "biaskit[spacy]"'


class SpacyAlignmentWarning(UserWarning):
    """A span was contracted, expanded or left out to fit spaCy tokens."""


# ---------------------------------------------------------------------------
# spaCy, imported on first use.


def _spacy() -> ModuleType:
    try:
        return importlib.import_module("spacy")
    except ImportError as exc:
        raise BiaskitError(
            f"spaCy interop needs spaCy, which is not installed: {_EXTRA_HINT}"
        ) from exc


@functools.lru_cache(maxsize=8)
def _blank_pipeline(code: str) -> Language:
    # spacy.blank takes about half a second; documents of one language share one.
    spacy = _spacy()
    try:
        pipeline: Language = spacy.blank(code)
    except ImportError as exc:
        raise BiaskitError(
            f"spaCy has no tokenizer for language {code!r}; pass nlp=spacy.blank(...) "
            "for a language it has"
        ) from exc
    return pipeline


def _blank(language: str) -> Language:
    """Return a blank pipeline (tokenizer only) for a BCP 47 language tag."""
    return _blank_pipeline(language.split("-")[0].lower())


def _check_mode(alignment_mode: str) -> None:
    if alignment_mode not in _MODES:
        raise BiaskitError(
            f"alignment_mode must be one of {', '.join(_MODES)}, not {alignment_mode!r}"
        )


# ---------------------------------------------------------------------------
# biaskit -> spaCy


def _quote(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _bounds(found: Any) -> tuple[int, int] | None:
    return None if found is None else (found.start_char, found.end_char)


def _describe(bounds: tuple[int, int] | None, text: str) -> str:
    if bounds is None:
        return "none (no whole token inside)"
    start, end = bounds
    return f"[{start}, {end}) {_quote(text[start:end])}"


def _misaligned(
    span: Span, annotator: str, document: Document, doc: Doc, mode: str
) -> tuple[Any, Problem]:
    """Return the spaCy span to keep (or None) for a misaligned span, and its report."""
    contract = doc.char_span(span.start, span.end, span.label, alignment_mode="contract")
    expand = doc.char_span(span.start, span.end, span.label, alignment_mode="expand")
    name = f"span {span.id} " if span.id else "span "
    message = (
        f"{name}[{span.start}, {span.end}) {span.label} {_quote(document.covered_text(span))} "
        f"by {annotator!r} in document {document.id!r} does not align to spaCy tokens; "
        f"contract: {_describe(_bounds(contract), document.text)}; "
        f"expand: {_describe(_bounds(expand), document.text)}"
    )
    kept: Any = None
    if mode == "contract" and contract is not None:
        kept = contract
        message += f"; kept as its contraction [{contract.start_char}, {contract.end_char})"
    elif mode == "expand" and expand is not None:
        kept = expand
        message += f"; kept as its expansion [{expand.start_char}, {expand.end_char})"
    elif mode != "strict":
        message += "; left out"
    severity: Literal["error", "warning"] = "error" if mode == "strict" else "warning"
    return kept, Problem(message, "spacy-misaligned", severity=severity)


def _thaw(value: JsonValue) -> Any:
    """Return metadata as plain lists and dicts (what msgpack stores)."""
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    return value


def _document_record(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "outlet": document.outlet,
        "title": document.title,
        "url": document.url,
        "date": document.date,
        "language": document.language,
        "metadata": _thaw(document.metadata),
        "sha256": document.sha256,
    }


def _span_record(span: Span, start: int, end: int) -> dict[str, Any]:
    record: dict[str, Any] = {"start": start, "end": end, "label": span.label}
    if span.attributes:
        record["attributes"] = dict(span.attributes)
    for name in ("note", "id", "group", "annotator"):
        value = getattr(span, name)
        if value is not None:
            record[name] = value
    return record


def _make_doc(
    document: Document,
    sets: Sequence[AnnotationSet],
    nlp: Language | None,
    span_key_prefix: str,
    mode: str,
    sink: list[Problem],
) -> Doc:
    """Build the Doc; report misaligned spans into ``sink`` and never raise for them."""
    pipeline = nlp if nlp is not None else _blank(document.language)
    doc = pipeline.make_doc(document.text)
    if doc.text != document.text:
        raise BiaskitError(
            f"the tokenizer changed the text of document {document.id!r}; "
            "expected a tokenizer that keeps every character (as spaCy's own do)"
        )
    records: dict[str, list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for aset in sets:
        if not isinstance(aset, AnnotationSet):
            raise BiaskitError(f"expected AnnotationSet objects, found a {type(aset).__name__}")
        if aset.document != document:
            raise BiaskitError(
                f"the spans by {aset.annotator!r} are over document {aset.document.id!r}, "
                f"not over {document.id!r} as given"
            )
        key = span_key_prefix + aset.annotator
        if key in seen:
            raise BiaskitError(
                f"two annotation sets by {aset.annotator!r} for document {document.id!r}"
            )
        seen.add(key)
        kept: list[Any] = []
        entries: list[dict[str, Any]] = []
        for span in aset.spans:
            found = doc.char_span(span.start, span.end, span.label, alignment_mode="strict")
            if found is None:
                found, problem = _misaligned(span, aset.annotator, document, doc, mode)
                sink.append(problem)
                if found is None:
                    continue
            kept.append(found)
            entries.append(_span_record(span, found.start_char, found.end_char))
        doc.spans[key] = kept
        records[key] = entries
    doc.user_data[USER_DATA_KEY] = {
        "format_version": _MAPPING_VERSION,
        "document": _document_record(document),
        "spans": records,
    }
    return doc


def _alignment_error(problems: Sequence[Problem]) -> AnnotationError:
    errors = sum(p.is_error for p in problems)
    return AnnotationError(
        problems,
        summary=f"{errors} span(s) do not align to spaCy tokens; "
        "choose alignment_mode='contract', 'expand' or 'skip'",
    )


def _report(found: list[Problem], problems: list[Problem] | None) -> None:
    if problems is not None:
        problems.extend(found)
        return
    for problem in found:
        warnings.warn(str(problem), SpacyAlignmentWarning, stacklevel=3)


def to_spacy(
    document: Document,
    sets: Iterable[AnnotationSet],
    *,
    nlp: Language | None = None,
    span_key_prefix: str = "",
    alignment_mode: AlignmentMode = "strict",
    problems: list[Problem] | None = None,
) -> Doc:
    """Return a spaCy ``Doc`` of ``document`` with one span group per annotator.

    Parameters
    ----------
    document : Document
        The document; its text is tokenized as it is, never normalised.
    sets : iterable of AnnotationSet
        Annotation sets over ``document``, at most one per annotator. Each
        becomes ``doc.spans[span_key_prefix + annotator]``, in span order.
    nlp : spacy.language.Language, optional
        The pipeline whose tokenizer makes the ``Doc`` (only ``make_doc`` is
        run). By default ``spacy.blank`` of the document's language.
    span_key_prefix : str
        Put before each annotator's name to make its span key.
    alignment_mode : {"strict", "contract", "expand", "skip"}
        What to do with spans that do not align to tokens (module notes).
    problems : list of Problem, optional
        Where to add the warnings of ``contract``, ``expand`` and ``skip``; if
        not given, each is issued as a :class:`SpacyAlignmentWarning`.

    Returns
    -------
    spacy.tokens.Doc
        With the biaskit mapping in ``doc.user_data["biaskit"]``.

    Raises
    ------
    AnnotationError
        In ``strict`` mode, listing every misaligned span with its alternatives.
    BiaskitError
        If spaCy is not installed, has no tokenizer for the language, or a set
        is over another document.

    Examples
    --------
    >>> from biaskit import AnnotationSet, Document, Span
    >>> doc = Document("d1", "Tehran’s ‘martyr’ 😀 returned.")
    >>> a = AnnotationSet(doc, "a", [Span(10, 16, "SCARE_QUOTE"), Span(9, 17, "EPITHET")])
    >>> sdoc = to_spacy(doc, [a], span_key_prefix="bk_")  # doctest: +SKIP
    >>> [(s.start_char, s.end_char, s.text, s.label_) for s in sdoc.spans["bk_a"]]  # doctest: +SKIP
    [(9, 17, '‘martyr’', 'EPITHET'), (10, 16, 'martyr', 'SCARE_QUOTE')]
    """
    _check_mode(alignment_mode)
    _spacy()
    found: list[Problem] = []
    doc = _make_doc(document, list(sets), nlp, span_key_prefix, alignment_mode, found)
    if alignment_mode == "strict" and found:
        raise _alignment_error(found)
    _report(found, problems)
    return doc


# ---------------------------------------------------------------------------
# spaCy -> biaskit


class _Sink:
    """Problems of one Doc, located at a DocBin record when read from a file."""

    def __init__(self, problems: list[Problem], path: str | None, record: int | None) -> None:
        self.problems = problems
        self.path = path
        self.record = record

    def error(self, message: str, code: str) -> None:
        self.problems.append(Problem(message, code, path=self.path, line=self.record))

    def warn(self, message: str, code: str) -> None:
        self.problems.append(
            Problem(message, code, severity="warning", path=self.path, line=self.record)
        )


def _plain(value: Any) -> Any:
    # msgpack gives arrays back as tuples; the model wants JSON-like data.
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _mapping(doc: Doc, sink: _Sink) -> dict[str, Any]:
    stored = doc.user_data.get(USER_DATA_KEY)
    if stored is None:
        return {}
    if not isinstance(stored, Mapping):
        sink.error(
            f"doc.user_data[{USER_DATA_KEY!r}] must be a mapping written by biaskit, "
            f"found {type(stored).__name__}",
            "spacy-user-data",
        )
        return {}
    version = stored.get("format_version")
    if version != _MAPPING_VERSION:
        sink.error(
            f"doc.user_data[{USER_DATA_KEY!r}] has format_version {version!r}; "
            f"this biaskit reads version {_MAPPING_VERSION}",
            "spacy-user-data",
        )
        return {}
    return dict(stored)


def _document(
    doc: Doc, stored: Mapping[str, Any], document_id: str | None, sink: _Sink
) -> Document | None:
    record = stored.get("document", {})
    if not isinstance(record, Mapping):
        sink.error("the biaskit mapping's 'document' must be a mapping", "spacy-user-data")
        return None
    record = _plain(record)
    doc_id = document_id if document_id is not None else record.get("id")
    if doc_id is None:
        sink.error(
            "the Doc has no biaskit document id; expected document_id=... or a Doc "
            "written by biaskit",
            "missing-field",
        )
        return None
    fields = ("outlet", "title", "url", "date", "language", "metadata")
    options = {name: record[name] for name in fields if record.get(name) is not None}
    try:
        document = Document(doc_id, doc.text, **options)
    except (TypeError, ValueError) as exc:
        sink.error(f"document {doc_id!r}: {exc}", "document")
        return None
    stored_hash = record.get("sha256")
    if stored_hash is not None and stored_hash != document.sha256:
        sink.error(
            f"the text of document {doc_id!r} is not the text its spans were written over "
            f"(SHA-256 {str(stored_hash)[:12]}…, found {document.sha256[:12]}…)",
            "text-hash",
        )
        return None
    return document


def _entries(stored: Mapping[str, Any], key: str) -> dict[tuple[int, int, str], list[Any]]:
    """Return the biaskit records of one span key by (start, end, label), in order."""
    spans = stored.get("spans", {})
    found = spans.get(key, ()) if isinstance(spans, Mapping) else ()
    by_bounds: dict[tuple[int, int, str], list[Any]] = {}
    for entry in found if isinstance(found, (list, tuple)) else ():
        if isinstance(entry, Mapping):
            bounds = (entry.get("start"), entry.get("end"), entry.get("label"))
            by_bounds.setdefault(bounds, []).append(entry)  # type: ignore[arg-type]
    return by_bounds


def _span(start: int, end: int, label: str, entry: Any, where: str, sink: _Sink) -> Span | None:
    options: dict[str, Any] = {}
    if isinstance(entry, Mapping):
        attributes = entry.get("attributes")
        if attributes is not None:
            options["attributes"] = _plain(attributes)
        for name in ("note", "id", "group", "annotator"):
            if entry.get(name) is not None:
                options[name] = entry[name]
    try:
        return Span(start, end, label, **options)
    except (TypeError, ValueError) as exc:
        sink.error(f"{where} [{start}, {end}) {label!r}: {exc}", "span")
        return None


def _group_spans(
    spans: Iterable[Any],
    converter: OffsetConverter,
    stored: Mapping[str, Any],
    key: str,
    where: str,
    sink: _Sink,
) -> list[Span]:
    entries = _entries(stored, key)
    result: list[Span] = []
    for item in spans:
        # spaCy counts code points: the conversion only checks the range.
        start = converter.to_codepoint(item.start_char)
        end = converter.to_codepoint(item.end_char)
        label = item.label_
        queue = entries.get((start, end, label))
        entry = queue.pop(0) if queue else None
        span = _span(start, end, label, entry, where, sink)
        if span is not None:
            result.append(span)
    return result


def _read_doc(
    doc: Doc,
    document_id: str | None,
    span_key_prefix: str,
    span_keys: Sequence[str] | None,
    ents_annotator: str | None,
    sink: _Sink,
) -> tuple[Document, list[AnnotationSet]] | None:
    stored = _mapping(doc, sink)
    document = _document(doc, stored, document_id, sink)
    if document is None:
        return None
    converter = OffsetConverter(document.text, "codepoint")
    groups: list[tuple[str, str, list[Span]]] = []
    keys = sorted(doc.spans) if span_keys is None else list(span_keys)
    for key in keys:
        if span_keys is not None and key not in doc.spans:
            sink.error(f"document {document.id!r} has no span key {key!r}", "spacy-span-key")
            continue
        if not key.startswith(span_key_prefix):
            continue
        annotator = key[len(span_key_prefix) :]
        where = f"doc.spans[{key!r}] of document {document.id!r}"
        if not annotator or annotator != annotator.strip():
            sink.error(
                f"{where}: span key {key!r} does not give an annotator name "
                f"(after the prefix {span_key_prefix!r}); expected a non-empty name "
                "without surrounding whitespace",
                "spacy-span-key",
            )
            continue
        spans = _group_spans(doc.spans[key], converter, stored, key, where, sink)
        groups.append((annotator, where, spans))
    if ents_annotator is not None:
        where = f"doc.ents of document {document.id!r}"
        groups.append(
            (ents_annotator, where, _group_spans(doc.ents, converter, {}, "", where, sink))
        )
    sets: list[AnnotationSet] = []
    taken: set[str] = set()
    for annotator, where, spans in groups:
        if annotator in taken:
            sink.error(f"{where}: annotator {annotator!r} has two span groups", "spacy-span-key")
            continue
        taken.add(annotator)
        try:
            sets.append(AnnotationSet(document, annotator, spans))
        except (TypeError, ValueError) as exc:
            sink.error(f"{where}: {exc}", "span")
    return document, sets


def from_spacy(
    doc: Doc,
    *,
    document_id: str | None = None,
    span_key_prefix: str = "",
    span_keys: Sequence[str] | None = None,
    ents_annotator: str | None = None,
) -> tuple[Document, list[AnnotationSet]]:
    """Return the document and the annotation sets held by a spaCy ``Doc``.

    Offsets are spaCy's character offsets (code points). Document fields and
    span attributes, notes, ids and groups come from the biaskit mapping in
    ``doc.user_data`` when the ``Doc`` was made by :func:`to_spacy`; a span
    without a record there (added in spaCy) gets none.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The document.
    document_id : str, optional
        The document's id; by default the one in the biaskit mapping.
    span_key_prefix : str
        Read only span keys starting with it; the rest of the key is the annotator.
    span_keys : sequence of str, optional
        Read only these span keys (default: every key, sorted).
    ents_annotator : str, optional
        Also read ``doc.ents`` as this annotator's spans.

    Returns
    -------
    tuple of (Document, list of AnnotationSet)
        One set per span key read, in key order (an empty group gives an empty set).

    Raises
    ------
    AnnotationError
        Holding every problem: no document id, a text that is not the one the
        spans were written over, an empty label, a key that names no annotator.

    Examples
    --------
    >>> import spacy  # doctest: +SKIP
    >>> sdoc = spacy.blank("en")("Protesters stormed the embassy.")  # doctest: +SKIP
    >>> sdoc.spans["coder-a"] = [sdoc.char_span(0, 10, "ACTOR_LABEL")]  # doctest: +SKIP
    >>> document, sets = from_spacy(sdoc, document_id="d7")  # doctest: +SKIP
    >>> [(s.start, s.end, s.label) for s in sets[0]], sets[0].annotator  # doctest: +SKIP
    ([(0, 10, 'ACTOR_LABEL')], 'coder-a')
    """
    _spacy()
    problems: list[Problem] = []
    read = _read_doc(
        doc, document_id, span_key_prefix, span_keys, ents_annotator, _Sink(problems, None, None)
    )
    if read is None or any(p.is_error for p in problems):
        raise AnnotationError(problems, summary="the spaCy Doc cannot be read")
    return read


# ---------------------------------------------------------------------------
# DocBin files


def _write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (temporary file beside it, synced, renamed)."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def write_docbin(
    corpus: Corpus,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    annotators: Sequence[str] | None = None,
    nlp: Language | None = None,
    span_key_prefix: str = "",
    alignment_mode: AlignmentMode = "strict",
) -> list[Problem]:
    """Write a corpus as a spaCy ``DocBin`` file (``.spacy``), one ``Doc`` per document.

    Each annotator's spans are ``doc.spans[span_key_prefix + annotator]``;
    the biaskit mapping (document fields, span attributes, the schema in the
    first ``Doc``) is stored as user data, so :func:`read_docbin` gives the
    corpus back. spaCy reads the file with ``DocBin().from_disk(path)`` and
    ``spacy train`` takes it as training data. The write is atomic.

    Parameters
    ----------
    corpus : Corpus
        What to write, documents in corpus order.
    path : path-like
        The file to write; its folder is created if missing.
    overwrite : bool
        Replace an existing file.
    annotators : sequence of str, optional
        Write only these annotators' spans (default: all).
    nlp : spacy.language.Language, optional
        The tokenizer; by default ``spacy.blank`` of each document's language.
    span_key_prefix : str
        Put before each annotator's name to make its span key.
    alignment_mode : {"strict", "contract", "expand", "skip"}
        What to do with spans that do not align to tokens (module notes).

    Returns
    -------
    list of Problem
        A warning for each span contracted, expanded or left out.

    Raises
    ------
    AnnotationError
        In ``strict`` mode, listing every misaligned span; nothing is written.
    OutputExistsError
        If the file exists and ``overwrite`` is false.
    BiaskitError
        If spaCy is not installed or an annotator is not in the corpus.

    Examples
    --------
    >>> import tempfile
    >>> from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
    >>> doc = Document("d1", "Hardliners  cheered.")
    >>> spans = [Span(0, 10, "ACTOR_LABEL"), Span(0, 11, "ACTOR_LABEL", note="one space too many")]
    >>> corpus = Corpus([doc], Schema("demo", "1", [LabelSpec("ACTOR_LABEL")]),
    ...                 [AnnotationSet(doc, "alice", spans)])
    >>> out = Path(tempfile.mkdtemp()) / "corpus.spacy"  # doctest: +SKIP
    >>> [p.code for p in write_docbin(corpus, out, alignment_mode="skip")]  # doctest: +SKIP
    ['spacy-misaligned']
    >>> [d.covered_text(s) for d, s in read_docbin(out).spans()]  # doctest: +SKIP
    ['Hardliners']
    """
    _check_mode(alignment_mode)
    spacy = _spacy()
    target = Path(path)
    if target.is_dir():
        raise BiaskitError(f"{target} is a folder; expected the path of a .spacy file")
    if target.exists() and not overwrite:
        raise OutputExistsError(f"{target} exists; pass overwrite=True (--overwrite) to replace it")
    if annotators is not None:
        missing = sorted(set(annotators) - set(corpus.annotators))
        if missing:
            raise BiaskitError(
                f"no spans by {', '.join(map(repr, missing))} in the corpus; "
                f"its annotators are {', '.join(corpus.annotators) or 'none'}"
            )
    found: list[Problem] = []
    docs = []
    for document in corpus.documents:
        sets = [
            aset
            for aset in corpus.annotation_sets(document_id=document.id)
            if annotators is None or aset.annotator in annotators
        ]
        docs.append(_make_doc(document, sets, nlp, span_key_prefix, alignment_mode, found))
    if alignment_mode == "strict" and found:
        raise _alignment_error(found)
    if docs:
        docs[0].user_data[USER_DATA_KEY]["schema"] = dumps_schema(corpus.schema)
    data = spacy.tokens.DocBin(docs=docs, store_user_data=True).to_bytes()
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_bytes(target, data)
    return found


def _stored_schema(docs: Sequence[Doc], shown: str, problems: list[Problem]) -> Schema | None:
    stored = docs[0].user_data.get(USER_DATA_KEY) if docs else None
    text = stored.get("schema") if isinstance(stored, Mapping) else None
    if not isinstance(text, str):
        return None
    try:
        return loads_schema(text)
    except AnnotationError as exc:
        for problem in exc.problems:
            problems.append(
                Problem(
                    f"the schema stored in the first Doc cannot be read ({problem.message}); "
                    "pass schema=...",
                    "schema",
                    path=shown,
                    line=1,
                )
            )
        return None
    except (ValueError, RecursionError) as exc:  # JSON too deep, or a number too long
        problems.append(
            Problem(
                f"the schema stored in the first Doc cannot be read ({type(exc).__name__}); "
                "pass schema=...",
                "schema",
                path=shown,
                line=1,
            )
        )
        return None


def _inferred_schema(
    sets: Sequence[AnnotationSet], shown: str, problems: list[Problem]
) -> Schema | None:
    specs: list[LabelSpec] = []
    for label in sorted({span.label for aset in sets for span in aset.spans}):
        try:
            specs.append(LabelSpec(label))
        except ValueError:
            problems.append(
                Problem(
                    f"label {label!r} cannot be a schema label (letters, digits, '_', '.' or "
                    "'-', starting with a letter or '_'); pass schema=...",
                    "label-name",
                    path=shown,
                )
            )
    if len(specs) < len({span.label for aset in sets for span in aset.spans}):
        return None
    return Schema(
        "imported",
        "0",
        specs,
        description="Inferred from the span labels of a spaCy DocBin.",
    )


def _docbin_docs(target: Path, shown: str, problems: list[Problem]) -> list[Doc] | None:
    spacy = _spacy()
    if not target.is_file():
        what = (
            "a folder"
            if target.is_dir()
            else "a broken symbolic link or a link loop"
            if target.is_symlink()
            else "nothing"
        )
        problems.append(
            Problem(f"expected a spaCy DocBin (.spacy) file, found {what}", "not-found", path=shown)
        )
        return None
    try:
        data = target.read_bytes()
    except OSError as exc:
        problems.append(
            Problem(f"cannot read the file: {exc.strerror or exc}", "unreadable", path=shown)
        )
        return None
    vocab = spacy.vocab.Vocab()
    try:
        docbin = spacy.tokens.DocBin().from_bytes(data)
        return list(docbin.get_docs(vocab))
    except Exception as exc:
        problems.append(
            Problem(
                f"expected a spaCy DocBin (.spacy) file, found data spaCy cannot read "
                f"({type(exc).__name__}: {str(exc)[:120]})",
                "unreadable",
                path=shown,
            )
        )
        return None


def read_docbin(
    path: str | os.PathLike[str],
    *,
    schema: Schema | None = None,
    span_key_prefix: str = "",
    span_keys: Sequence[str] | None = None,
    ents_annotator: str | None = None,
) -> Corpus:
    """Read a spaCy ``DocBin`` file (``.spacy``) as a corpus.

    Every ``Doc`` becomes a document and every span key (starting with
    ``span_key_prefix``) an annotator. A file written by :func:`write_docbin`
    gives back its corpus exactly; a ``Doc`` without biaskit user data gets the
    id ``<file stem>-<n>`` (its 1-based position in the file).

    Parameters
    ----------
    path : path-like
        The ``.spacy`` file.
    schema : Schema, optional
        The label schema. By default the one stored by :func:`write_docbin`,
        else one listing the labels found.
    span_key_prefix, span_keys, ents_annotator
        As in :func:`from_spacy`.

    Returns
    -------
    Corpus

    Raises
    ------
    AnnotationError
        Holding every problem, each located at the file and, as its line
        number, the 1-based position of the ``Doc`` in the file.

    Examples
    --------
    >>> import spacy, tempfile  # doctest: +SKIP
    >>> from spacy.tokens import DocBin  # doctest: +SKIP
    >>> sdoc = spacy.blank("en")("Hardliners cheered.")  # doctest: +SKIP
    >>> sdoc.spans["alice"] = [sdoc.char_span(0, 10, "ACTOR_LABEL")]  # doctest: +SKIP
    >>> out = Path(tempfile.mkdtemp()) / "mine.spacy"  # doctest: +SKIP
    >>> DocBin(docs=[sdoc]).to_disk(out)  # doctest: +SKIP
    >>> corpus = read_docbin(out)  # doctest: +SKIP
    >>> [(d.id, s.label, d.covered_text(s)) for d, s in corpus.spans()]  # doctest: +SKIP
    [('mine-1', 'ACTOR_LABEL', 'Hardliners')]
    """
    target = Path(path)
    shown = os.fspath(path)
    problems: list[Problem] = []
    docs = _docbin_docs(target, shown, problems)
    if docs is None:
        raise AnnotationError(problems, summary=f"{shown}: cannot be read")
    documents: list[Document] = []
    sets: list[AnnotationSet] = []
    seen: dict[str, int] = {}
    for index, doc in enumerate(docs, start=1):
        sink = _Sink(problems, shown, index)
        stored = doc.user_data.get(USER_DATA_KEY)
        has_id = isinstance(stored, Mapping) and isinstance(stored.get("document"), Mapping)
        fallback = None if has_id else f"{target.stem}-{index}"
        try:
            read = _read_doc(doc, fallback, span_key_prefix, span_keys, ents_annotator, sink)
        # A Doc rebuilt from damaged DocBin data can name strings missing from its
        # string store (spaCy's KeyError E018) or spans past its text.
        except (KeyError, IndexError, ValueError) as exc:
            sink.error(
                f"expected a spaCy Doc, found data spaCy cannot read "
                f"({type(exc).__name__}: {str(exc)[:120]})",
                "unreadable",
            )
            continue
        if read is None:
            continue
        document, doc_sets = read
        if document.id in seen:
            sink.error(
                f"document id {document.id!r} appears twice (first in Doc {seen[document.id]})",
                "duplicate-id",
            )
            continue
        seen[document.id] = index
        documents.append(document)
        sets.extend(doc_sets)
    if schema is None:
        schema = _stored_schema(docs, shown, problems) or _inferred_schema(sets, shown, problems)
    if schema is not None:
        for aset in sets:
            for span in aset.spans:
                for problem in schema.check_span(span):
                    record = seen.get(aset.document.id)
                    problems.append(problem.located(shown, record))
    errors = sum(p.is_error for p in problems)
    if errors or schema is None:
        raise AnnotationError(problems, summary=f"{shown}: {errors} error(s); it cannot be read")
    return Corpus(documents, schema, sets)
