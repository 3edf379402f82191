r"""INCEpTION (UIMA CAS XMI and JSON) through dkpro-cassis: the ``inception`` extra.

INCEpTION stores one CAS per document and user. A project export (a ``.zip``
or its unpacked folder) holds them as ``annotation/<document>/<user>.<ext>``,
where ``<ext>`` is the export format (``.xmi``, ``.json``, or a ``.zip``
holding the XMI and its ``TypeSystem.xml``); ``curation/`` holds the curated
CAS (read as the annotator ``CURATION_USER``) and each document's
``INITIAL_CAS`` is skipped. biaskit's own layout, which :func:`save_inception`
writes, is a folder per annotator of ``<document>.xmi`` with a
``TypeSystem.xml`` beside them.

The spans are the annotations of one custom span layer (``layer``, by
default ``webanno.custom.Framing``): the label is its ``label_feature``
(``label``), the note its ``note_feature`` (``note``), and every other
primitive feature of the layer an attribute. UIMA counts offsets in UTF-16
code units; dkpro-cassis converts them to code points when it loads a CAS and
back when it writes one, so biaskit sees code points only.

To import what :func:`save_inception` writes, create the layer in the
INCEpTION project first (Settings → Layers: a span layer named ``Framing``,
which INCEpTION calls ``webanno.custom.Framing``, with String features
``label`` and ``note`` and one feature per attribute, overlap allowed), then
import each ``.xmi`` with the format "UIMA CAS XMI (XML 1.0)" (zip it with
``TypeSystem.xml`` if INCEpTION asks for the type system).

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
>>> doc = Document("d1", "😀 The US killed him.")
>>> schema = Schema("demo", "1.0", [LabelSpec("EVENT_TERM")])
>>> corpus = Corpus([doc], schema, [AnnotationSet(doc, "alice", [Span(9, 15, "EVENT_TERM")])])
>>> out = Path(tempfile.mkdtemp()) / "xmi"
>>> save_inception(corpus, out)  # doctest: +SKIP
[]
>>> [(s.start, s.end) for _, s in load_inception(out).spans()]  # doctest: +SKIP
[(9, 15)]
"""

from __future__ import annotations

import io
import os
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from biaskit._atomic import atomic_group
from biaskit.corpus import Corpus
from biaskit.errors import BiaskitError, Problem
from biaskit.io._foreign import (
    Found,
    Policy,
    Reading,
    check_targets,
    coerce_attribute,
    fit_spans,
    loaded,
    raise_if_errors,
)
from biaskit.io._names import decode_file_stem, safe_file_stem
from biaskit.io.native import CheckedCorpus
from biaskit.model import AttributeValue, Document, Span
from biaskit.schema import Schema

__all__ = ["DEFAULT_LAYER", "check_inception", "load_inception", "save_inception"]

DEFAULT_LAYER = "webanno.custom.Framing"
"""The span layer read and written unless another is named."""

_TYPESYSTEM = "TypeSystem.xml"
_BUILT_IN = {"sofa", "begin", "end"}
_RANGES = {
    "string": "uima.cas.String",
    "integer": "uima.cas.Integer",
    "number": "uima.cas.Double",
    "boolean": "uima.cas.Boolean",
}
_FEATURE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _cassis() -> Any:
    try:
        import cassis  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError as exc:
        raise BiaskitError(
            'the INCEpTION format needs dkpro-cassis: pip install "biaskit[inception]"'
        ) from exc
    return cassis


class _Source:
    """One CAS file: where it is, whose, which document, and how to get its bytes."""

    __slots__ = ("annotator", "data", "doc", "kind", "shown", "typesystem")

    def __init__(
        self,
        shown: str,
        doc: str,
        annotator: str,
        kind: str,
        data: bytes,
        typesystem: bytes | None,
    ) -> None:
        self.shown = shown
        self.doc = doc
        self.annotator = annotator
        self.kind = kind
        self.data = data
        self.typesystem = typesystem


def _doc_name(folder: str) -> str:
    for ext in (".xmi", ".json", ".txt"):
        if folder.endswith(ext):
            return folder[: -len(ext)]
    return folder


_CAS_SUFFIXES = (".xmi", ".json", ".zip")
_UNMAPPED = re.compile(r"Not mapping external offset \[(-?[0-9]+)\]")
# What zipfile raises for a damaged, encrypted or unsupported archive.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)
# Top-level folders of a project export that are not an annotator's folder.
_EXPORT_FOLDERS = ("annotation", "curation", "source", "annotation_ser", "log")


def _listed(root: Path, path: Path) -> bool:
    """Whether ``path`` (under ``root``) is read as a file: a file, or a CAS name that is not one.

    A broken symbolic link or a link loop, and a folder named like a CAS file
    in an annotator's folder (``alice/d1.xmi/``), are listed so that reading
    them reports them instead of skipping them in silence.
    """
    if path.is_file():
        return True
    if path.is_symlink() and not path.exists():
        return True
    parts = path.relative_to(root).parts
    return (
        path.is_dir()
        and path.suffix in _CAS_SUFFIXES
        and len(parts) == 2
        and parts[0] not in _EXPORT_FOLDERS
    )


def _tree(root: Path) -> dict[str, bytes | Path]:
    """Every file under ``root`` (a folder or a zip), by its POSIX path inside it."""
    if root.is_dir():
        return {
            p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if _listed(root, p)
        }
    with zipfile.ZipFile(root) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}


def _bytes(item: bytes | Path) -> bytes:
    return item if isinstance(item, bytes) else item.read_bytes()


def _typesystem_for(files: Mapping[str, bytes | Path], name: str) -> bytes | None:
    folder = PurePosixPath(name).parent
    while True:
        candidate = (folder / _TYPESYSTEM).as_posix().lstrip("./") or _TYPESYSTEM
        if candidate in files:
            return _bytes(files[candidate])
        if folder == folder.parent:
            return None
        folder = folder.parent


def _sources(root: Path, shown_root: str, reading: Reading) -> Iterator[_Source]:
    files = _tree(root)
    for name in sorted(files):
        path = PurePosixPath(name)
        ext = path.suffix
        if ext not in _CAS_SUFFIXES or path.name == _TYPESYSTEM:
            continue
        parts = path.parts
        shown = f"{shown_root}/{name}" if root.is_dir() else f"{shown_root}:{name}"
        if parts[0] in ("annotation", "curation") and len(parts) == 3:
            doc, user = _doc_name(parts[1]), path.stem
        elif len(parts) == 2 and parts[0] not in ("source", "annotation_ser", "log"):
            doc, user = decode_file_stem(path.stem), decode_file_stem(parts[0])
        else:
            continue
        if user == "INITIAL_CAS":
            continue
        try:
            data = _bytes(files[name])
        except OSError as exc:
            reading.error(f"cannot read {name}: {exc.strerror or exc}", "unreadable", shown)
            continue
        if ext != ".zip":
            yield _Source(shown, doc, user, ext, data, _typesystem_for(files, name))
            continue
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                names = inner.namelist()
                cas = [n for n in names if n.endswith((".xmi", ".json"))]
                if len(cas) != 1:
                    reading.error(
                        f"expected one .xmi or .json CAS in the zip, found {len(cas)}",
                        "not-a-cas",
                        shown,
                    )
                    continue
                ts = next((inner.read(n) for n in names if n.endswith(_TYPESYSTEM)), None)
                kind = PurePosixPath(cas[0]).suffix
                yield _Source(f"{shown}:{cas[0]}", doc, user, kind, inner.read(cas[0]), ts)
        except _ZIP_ERRORS as exc:
            reading.error(
                f"expected a zip holding a CAS, found an unreadable zip ({exc})", "not-a-cas", shown
            )


def check_inception(
    path: str | os.PathLike[str],
    *,
    layer: str = DEFAULT_LAYER,
    label_feature: str = "label",
    note_feature: str = "note",
    schema: Schema | None = None,
    label_map: Mapping[str, str] | None = None,
) -> CheckedCorpus:
    """Read INCEpTION CAS files, checking everything; return every problem and the corpus.

    Parameters
    ----------
    path : path-like
        A project export (``.zip`` or folder) or a folder per annotator of
        ``.xmi`` / ``.json`` CAS files.
    layer : str
        The span layer's UIMA type name.
    label_feature, note_feature : str
        The features holding the label and the note.
    schema : Schema, optional
        Check labels and attributes against it; by default one is inferred.
    label_map : mapping, optional
        Rename labels as they are read.

    Raises
    ------
    BiaskitError
        If dkpro-cassis is not installed.
    """
    cassis = _cassis()
    root = Path(path)
    shown_root = os.fspath(path)
    reading = Reading()
    if not root.exists():
        reading.error(f"no such file or folder: {shown_root}", "not-found", shown_root)
        return reading.finish(schema)
    try:
        sources = list(_sources(root, shown_root, reading))
    except (*_ZIP_ERRORS, OSError) as exc:
        reading.error(f"cannot read {shown_root}: {exc}", "unreadable", shown_root)
        return reading.finish(schema)
    if not sources and not reading.problems:
        reading.error(
            "expected annotation/<document>/<user>.xmi files (a project export) or a folder "
            "per annotator of .xmi or .json files; found none",
            "not-a-corpus",
            shown_root,
        )
    for source in sources:
        _read_cas(cassis, reading, source, layer, label_feature, note_feature, schema)
    return reading.finish(schema, label_map)


def load_inception(
    path: str | os.PathLike[str],
    *,
    layer: str = DEFAULT_LAYER,
    label_feature: str = "label",
    note_feature: str = "note",
    schema: Schema | None = None,
    label_map: Mapping[str, str] | None = None,
) -> Corpus:
    """Read INCEpTION CAS files into a corpus (parameters as :func:`check_inception`).

    Raises
    ------
    AnnotationError
        Holding every problem, if any error was found.
    """
    checked = check_inception(
        path,
        layer=layer,
        label_feature=label_feature,
        note_feature=note_feature,
        schema=schema,
        label_map=label_map,
    )
    return loaded(checked, path)


def _load(cassis: Any, source: _Source, reading: Reading) -> Any:
    typesystem_xml = source.typesystem
    if source.kind != ".json" and typesystem_xml is None:
        reading.error(
            f"no {_TYPESYSTEM} found for this XMI (beside it or in a folder above)",
            "missing-file",
            source.shown,
        )
        return None
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if typesystem_xml is None or source.kind == ".json":
                cas = cassis.load_cas_from_json(io.BytesIO(source.data))
            else:
                typesystem = cassis.load_typesystem(io.BytesIO(typesystem_xml))
                cas = cassis.load_cas_from_xmi(
                    io.BytesIO(source.data), typesystem=typesystem, lenient=True
                )
    # dkpro-cassis and lxml raise many kinds of exceptions for a damaged file;
    # every one of them means this file cannot be read, which is reported here.
    except Exception as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        reading.error(f"cannot read the CAS: {reason}", "not-a-cas", source.shown)
        return None
    # dkpro-cassis maps UTF-16 offsets to code points and only warns (keeping the
    # number as it is) for one that falls inside a character or past the text.
    unmapped = sorted({int(m.group(1)) for w in caught if (m := _UNMAPPED.search(str(w.message)))})
    if unmapped:
        shown = ", ".join(map(str, unmapped[:5])) + (", ..." if len(unmapped) > 5 else "")
        reading.error(
            f"UTF-16 offset(s) {shown} fall inside a character or outside the text, so they "
            "name no code point; expected UTF-16 offsets at character boundaries (were they "
            "counted in another unit?)",
            "offset-range",
            source.shown,
        )
        return None
    return cas


def _read_cas(
    cassis: Any,
    reading: Reading,
    source: _Source,
    layer: str,
    label_feature: str,
    note_feature: str,
    schema: Schema | None,
) -> None:
    cas = _load(cassis, source, reading)
    if cas is None:
        return
    text = cas.sofa_string
    if not isinstance(text, str):
        reading.error("the CAS holds no document text", "missing-field", source.shown)
        return
    try:
        doc = Document(source.doc, text)
    except (TypeError, ValueError) as exc:
        reading.error(f"invalid document {source.doc!r}: {exc}", "invalid-value", source.shown)
        return
    if not reading.add_document(doc, source.shown):
        return
    reading.mark(doc.id, source.annotator, source.shown)
    if not cas.typesystem.contains_type(layer):
        reading.warn(
            f"the type system has no layer {layer!r}; no spans read (name the layer with "
            "layer=... / --layer)",
            "no-layer",
            source.shown,
        )
        return
    features = [f for f in cas.typesystem.get_type(layer).all_features if f.name not in _BUILT_IN]
    names = {f.name for f in features}
    if label_feature not in names:
        reading.error(
            f"layer {layer!r} has no feature {label_feature!r}; its features are "
            f"{', '.join(sorted(names)) or 'none'}",
            "missing-field",
            source.shown,
        )
        return
    for fs in cas.select(layer):
        record = f"{layer} annotation xmi:id {fs.xmiID}"
        label = fs.get(label_feature)
        if not isinstance(label, str) or not label.strip():
            reading.error(
                f"{record}: no label in feature {label_feature!r}", "missing-field", source.shown
            )
            continue
        attributes: dict[str, AttributeValue] = {}
        for feature in features:
            if feature.name in (label_feature, note_feature):
                continue
            value = fs.get(feature.name)
            if value is None:
                continue
            if isinstance(value, str):
                value, message = coerce_attribute(value, feature.name, label, schema)
                if message is not None:
                    reading.error(f"{record}: {message}", "attribute-value", source.shown)
                    continue
            if not isinstance(value, (str, int, float, bool)):
                reading.warn(
                    f"{record}: feature {feature.name!r} is not text, a number or a boolean; "
                    "not read",
                    "not-read",
                    source.shown,
                )
                continue
            attributes[feature.name] = value
        note = fs.get(note_feature) if note_feature in names else None
        try:
            span = Span(
                fs.begin,
                fs.end,
                label,
                attributes=attributes,
                annotator=source.annotator,
                note=note if isinstance(note, str) else None,
            )
        except (TypeError, ValueError) as exc:
            reading.error(f"{record}: invalid span: {exc}", "offset-range", source.shown)
            continue
        reading.found.append(Found(doc.id, source.annotator, span, source.shown, None, record))


# ---------------------------------------------------------------------------
# Writing.


def _features(corpus: Corpus, label_feature: str, note_feature: str) -> dict[str, str]:
    """Return the attribute features of the layer: name to UIMA range type."""
    found: dict[str, str] = {}
    for spec in corpus.schema.common_attributes:
        found[spec.name] = _RANGES[spec.type]
    for label in corpus.schema.labels:
        for spec in label.attributes:
            found.setdefault(spec.name, _RANGES[spec.type])
    for _, span in corpus.spans():
        for name, value in span.attributes.items():
            if name not in found:
                kind = (
                    "boolean" if isinstance(value, bool)
                    else "integer" if isinstance(value, int)
                    else "number" if isinstance(value, float)
                    else "string"
                )  # fmt: skip
                found[name] = _RANGES[kind]
    bad = [
        n
        for n in found
        if not _FEATURE.fullmatch(n) or n in _BUILT_IN or n in (label_feature, note_feature)
    ]
    if bad:
        raise BiaskitError(
            f"attribute name(s) {', '.join(map(repr, sorted(bad)))} cannot be UIMA feature names "
            "(letters, digits and '_', not begin, end, sofa or the label and note features)"
        )
    return dict(sorted(found.items()))


def save_inception(
    corpus: Corpus,
    path: str | os.PathLike[str],
    *,
    layer: str = DEFAULT_LAYER,
    label_feature: str = "label",
    note_feature: str = "note",
    annotators: Sequence[str] | None = None,
    overlap: bool = True,
    on_overlap: Policy = "report",
    on_discontinuous: Policy = "report",
    overwrite: bool = False,
) -> list[Problem]:
    """Write a folder per annotator of ``<document>.xmi`` and one ``TypeSystem.xml``.

    Parameters
    ----------
    corpus : Corpus
        What to write.
    path : path-like
        The output folder; created if missing.
    layer, label_feature, note_feature : str
        The span layer and its label and note features.
    annotators : sequence of str, optional
        Only these annotators (default: all).
    overlap : bool
        Whether the project's layer allows overlapping spans; when not,
        ``on_overlap`` decides.
    on_overlap, on_discontinuous : {"report", "split", "hull", "skip"}
        What to do with spans the layer cannot hold (UIMA spans have no fragments).
    overwrite : bool
        Replace existing files.

    Returns
    -------
    list of Problem
        Warnings about spans changed to fit.

    Raises
    ------
    BiaskitError
        If dkpro-cassis is not installed, or an attribute name is no feature name.
    """
    cassis = _cassis()
    root = Path(path)
    features = _features(corpus, label_feature, note_feature)
    typesystem = cassis.TypeSystem()
    span_type = typesystem.create_type(layer, supertypeName="uima.tcas.Annotation")
    typesystem.create_feature(span_type, label_feature, "uima.cas.String")
    typesystem.create_feature(span_type, note_feature, "uima.cas.String")
    for name, range_type in features.items():
        typesystem.create_feature(span_type, name, range_type)
    chosen = list(annotators) if annotators is not None else list(corpus.annotators)
    problems: list[Problem] = []
    files: dict[Path, str] = {}
    for annotator in chosen:
        folder = root / safe_file_stem(annotator)
        files[folder / _TYPESYSTEM] = typesystem.to_xml()
        for doc in corpus.documents:
            entries, found = fit_spans(
                corpus.annotation_set(doc.id, annotator),
                overlap=overlap,
                discontinuous=False,
                on_overlap=on_overlap,
                on_discontinuous=on_discontinuous,
                target="INCEpTION",
            )
            problems += found
            cas = cassis.Cas(typesystem=typesystem, sofa_string=doc.text)
            for (span,) in entries:
                values: dict[str, Any] = {"begin": span.start, "end": span.end}
                values[label_feature] = span.label
                if span.note is not None:
                    values[note_feature] = span.note
                values.update(span.attributes)
                cas.add(span_type(**values))
            files[folder / f"{safe_file_stem(doc.id)}.xmi"] = cas.to_xmi()
    raise_if_errors(problems, f"{os.fspath(path)}: spans INCEpTION cannot hold")
    check_targets(files, overwrite)
    for folder in {p.parent for p in files}:
        folder.mkdir(parents=True, exist_ok=True)
    with atomic_group() as group:
        for target, content in files.items():
            with group.open(target) as out:
                out.write(content)
    return problems
