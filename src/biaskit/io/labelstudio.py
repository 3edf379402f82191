r"""Label Studio JSON: read exports, write tasks with predictions for pre-annotation.

An export is a JSON list of tasks::

    {"id": 7, "data": {"text": "..."},
     "annotations": [{"completed_by": 1, "result": [
         {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
          "value": {"start": 7, "end": 13, "text": "killed", "labels": ["EVENT_TERM"]}},
         {"id": "r1", "from_name": "concept", "to_name": "text", "type": "choices",
          "value": {"start": 7, "end": 13, "choices": ["soleimani_killing"]}}]}],
     "predictions": [{"model_version": "baseline", "result": [...]}]}

Every annotation becomes one annotator's spans (``completed_by``: a user id
``N`` is named ``user-N`` unless ``annotator_names`` maps it; an object gives
its e-mail); every prediction becomes the spans of its ``model_version``.
Results sharing a region's ``id`` (``choices``, ``textarea``, ``number``,
``rating``) become that span's attributes, named by their ``from_name``; the
region's ``meta.text`` is its note.

Offsets are code points in current Label Studio; exports from about 2022 and
earlier counted UTF-16 code units. With ``unit="auto"`` (the default) the
reader tells them apart by the ``value.text`` each region stores, compared
loosely (Label Studio may collapse whitespace in it): the unit under which
every region's offsets cover its text is the file's unit; a file where some
regions fit one unit and some the other is an error.

An export holding no task (``[]``) is read as an empty corpus, with a warning
(``empty-file``), as an empty doccano file is; an empty or truncated file is
not JSON, an error.

Examples
--------
>>> import json, tempfile
>>> from pathlib import Path
>>> region = {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
...           "value": {"start": 2, "end": 8, "text": "killed", "labels": ["EVENT_TERM"]}}
>>> task = {"id": 1, "data": {"text": "😀 killed"},
...         "annotations": [{"completed_by": 3, "result": [region]}]}
>>> path = Path(tempfile.mkdtemp()) / "export.json"
>>> _ = path.write_text(json.dumps([task]), encoding="utf-8")
>>> corpus = load_labelstudio(path)
>>> [(d.id, s.start, s.end, s.annotator) for d, s in corpus.spans()]
[('task-1', 2, 8, 'user-3')]
>>> region["value"].update(start=3, end=9)          # an older export: UTF-16 units
>>> _ = path.write_text(json.dumps([task]), encoding="utf-8")
>>> [(s.start, s.end) for d, s in load_labelstudio(path).spans()]
[(2, 8)]
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from biaskit._atomic import atomic_group
from biaskit.corpus import Corpus
from biaskit.errors import Problem
from biaskit.io._foreign import (
    Found,
    Policy,
    Reading,
    check_targets,
    coerce_attribute,
    fit_spans,
    loaded,
    raise_if_errors,
    undecodable,
)
from biaskit.io._json import loads_json
from biaskit.io.native import CheckedCorpus
from biaskit.io.offsets import OffsetConverter, units_matching
from biaskit.model import AttributeValue, Document, FrozenMap, JsonValue, Span
from biaskit.schema import Schema

__all__ = ["check_labelstudio", "labelstudio_config", "load_labelstudio", "save_labelstudio"]

LabelStudioUnit = Literal["auto", "codepoint", "utf16"]

_DOC_KEYS = ("outlet", "title", "url", "date", "language")
_ATTRIBUTE_TYPES = {"choices", "textarea", "number", "rating"}


def _loose(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


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


class _Region:
    """A ``labels`` result as read, before its offsets are converted."""

    __slots__ = (
        "annotator",
        "attributes",
        "doc",
        "end",
        "labels",
        "note",
        "record",
        "start",
        "text",
    )

    def __init__(
        self,
        doc: Document,
        annotator: str,
        record: str,
        start: int,
        end: int,
        labels: list[str],
        text: str | None,
    ) -> None:
        self.doc = doc
        self.annotator = annotator
        self.record = record
        self.start = start
        self.end = end
        self.labels = labels
        self.text = text
        self.attributes: dict[str, AttributeValue] = {}
        self.note: str | None = None


def check_labelstudio(
    path: str | os.PathLike[str],
    *,
    schema: Schema | None = None,
    unit: LabelStudioUnit = "auto",
    text_key: str = "text",
    annotator_names: Mapping[str, str] | None = None,
    predictions: bool = True,
    label_map: Mapping[str, str] | None = None,
) -> CheckedCorpus:
    """Read a Label Studio JSON export, checking everything; return problems and corpus.

    Parameters
    ----------
    path : path-like
        The JSON file: a list of tasks (or one task).
    schema : Schema, optional
        Check labels and attributes against it, and type attribute values by
        it; by default a schema is inferred.
    unit : {"auto", "codepoint", "utf16"}
        The offset unit; ``auto`` decides from the regions' ``value.text``.
    text_key : str
        The key of the text in each task's ``data``.
    annotator_names : mapping, optional
        Names for ``completed_by`` user ids (keys as strings: ``{"3": "alice"}``).
    predictions : bool
        Read ``predictions[]`` too, as the annotator named by ``model_version``.
    label_map : mapping, optional
        Rename labels as they are read.
    """
    shown = os.fspath(path)
    reading = Reading()
    tasks = _read_json(Path(path), shown, reading)
    regions: list[_Region] = []
    if tasks is not None:
        names = {str(k): v for k, v in (annotator_names or {}).items()}
        for index, task in enumerate(tasks, 1):
            _read_task(reading, task, index, shown, text_key, names, predictions, regions, schema)
    chosen = _decide_unit(regions, unit, reading, shown)
    if chosen is not None:
        for region in regions:
            _add_region(reading, region, chosen, shown)
    return reading.finish(schema, label_map)


def load_labelstudio(
    path: str | os.PathLike[str],
    *,
    schema: Schema | None = None,
    unit: LabelStudioUnit = "auto",
    text_key: str = "text",
    annotator_names: Mapping[str, str] | None = None,
    predictions: bool = True,
    label_map: Mapping[str, str] | None = None,
) -> Corpus:
    """Read a Label Studio JSON export into a corpus (parameters as :func:`check_labelstudio`).

    Raises
    ------
    AnnotationError
        Holding every problem, if any error was found.
    """
    checked = check_labelstudio(
        path,
        schema=schema,
        unit=unit,
        text_key=text_key,
        annotator_names=annotator_names,
        predictions=predictions,
        label_map=label_map,
    )
    return loaded(checked, path)


def _read_json(path: Path, shown: str, reading: Reading) -> list[Any] | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        reading.error(f"cannot read {shown}: {exc.strerror or exc}", "unreadable", shown)
        return None
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if bom:
        reading.warn("file starts with a UTF-8 byte-order mark", "bom", shown, 1)
        data = data[bom:]
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        reading.error(undecodable(data, exc, bom), "encoding", shown, line)
        return None
    try:
        tasks = loads_json(content)
    except json.JSONDecodeError as exc:
        reading.problems.append(
            Problem(
                f"invalid JSON: {exc.msg}", "json-syntax", "error", shown, exc.lineno, exc.colno
            )
        )
        return None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        reading.error(
            f"expected a JSON list of tasks, found {_kind(tasks)}", "wrong-type", shown, 1
        )
        return None
    if not tasks:
        reading.warn(
            "no tasks; expected a JSON list of tasks (read as no documents)", "empty-file", shown, 1
        )
    return tasks


def _document(
    reading: Reading, task: dict[str, Any], index: int, shown: str, text_key: str
) -> Document | None:
    record = f"task {index}"
    data = task.get("data")
    if not isinstance(data, dict):
        reading.error(f"{record}: 'data' must be an object, not {_kind(data)}", "wrong-type", shown)
        return None
    text = data.get(text_key)
    if not isinstance(text, str):
        found = "nothing" if text_key not in data else _kind(text)
        reading.error(
            f"{record}: expected the text as a string in data.{text_key}, found {found}",
            "missing-field" if text_key not in data else "wrong-type",
            shown,
        )
        return None
    doc_id = data.get("doc_id")
    if isinstance(doc_id, (str, int)) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    elif isinstance(task.get("id"), int):
        doc_id = f"task-{task['id']}"
    else:
        doc_id = f"task-{index}"
    fields: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    for key, value in data.items():
        if key in (text_key, "doc_id"):
            continue
        if key in _DOC_KEYS and isinstance(value, str):
            fields[key] = value
        elif key == "metadata" and isinstance(value, dict):
            metadata.update(value)
        else:
            metadata[key] = value
    try:
        return Document(doc_id, text, metadata=metadata, **fields)
    except (TypeError, ValueError) as exc:
        reading.error(f"{record}: invalid document: {exc}", "invalid-value", shown)
        return None


def _annotator_of(
    item: dict[str, Any], is_prediction: bool, names: Mapping[str, str]
) -> str | None:
    if is_prediction:
        version = item.get("model_version")
        return version if isinstance(version, str) and version.strip() else "prediction"
    who = item.get("completed_by")
    if isinstance(who, dict):
        key = who.get("email") or who.get("id")
        if isinstance(key, int) and not isinstance(key, bool):
            return names.get(str(key), f"user-{key}")
        return names.get(str(key), str(key)) if isinstance(key, str) and key.strip() else None
    if isinstance(who, int) and not isinstance(who, bool):
        return names.get(str(who), f"user-{who}")
    if isinstance(who, str) and who.strip():
        return names.get(who, who.strip())
    return None


def _read_task(
    reading: Reading,
    task: object,
    index: int,
    shown: str,
    text_key: str,
    names: Mapping[str, str],
    predictions: bool,
    regions: list[_Region],
    schema: Schema | None,
) -> None:
    if not isinstance(task, dict):
        reading.error(f"task {index}: expected an object, found {_kind(task)}", "wrong-type", shown)
        return
    doc = _document(reading, task, index, shown, text_key)
    if doc is None or not reading.add_document(doc, shown, record=f"task {index}"):
        return
    record = f"task {index} ({doc.id!r})"
    seen: dict[str, str] = {}
    for key, is_prediction in (("annotations", False), ("predictions", True)):
        items = task.get(key, [])
        if key == "predictions" and not predictions:
            continue
        if not isinstance(items, list):
            reading.error(
                f"{record}: {key!r} must be an array, not {_kind(items)}", "wrong-type", shown
            )
            continue
        for number, item in enumerate(items, 1):
            where = f"{record}, {key[:-1]} {number}"
            if not isinstance(item, dict):
                reading.error(
                    f"{where}: expected an object, found {_kind(item)}", "wrong-type", shown
                )
                continue
            if item.get("was_cancelled") is True:
                reading.warn(
                    f"{where}: skipped by its annotator (was_cancelled); not read",
                    "not-read",
                    shown,
                )
                continue
            annotator = _annotator_of(item, is_prediction, names)
            if annotator is None:
                reading.error(
                    f"{where}: expected 'completed_by' as a user id, e-mail or object, "
                    f"found {_kind(item.get('completed_by'))}",
                    "missing-annotator",
                    shown,
                )
                continue
            if annotator in seen:
                reading.error(
                    f"{where}: a second set of spans by {annotator!r} on this task (first: "
                    f"{seen[annotator]}); expected one per annotator",
                    "duplicate-annotator",
                    shown,
                )
                continue
            seen[annotator] = where
            reading.mark(doc.id, annotator, shown)
            _read_result(
                reading,
                item.get("result"),
                f"{where} by {annotator!r}",
                shown,
                doc,
                annotator,
                regions,
                schema,
            )


def _read_result(
    reading: Reading,
    result: object,
    where: str,
    shown: str,
    doc: Document,
    annotator: str,
    regions: list[_Region],
    schema: Schema | None,
) -> None:
    if not isinstance(result, list):
        reading.error(
            f"{where}: 'result' must be an array, not {_kind(result)}", "wrong-type", shown
        )
        return
    by_id: dict[str, _Region] = {}
    extras: list[tuple[str, dict[str, Any]]] = []
    skipped: dict[str, int] = {}
    for number, item in enumerate(result, 1):
        record = f"{where}, result {number}"
        if not isinstance(item, dict):
            reading.error(f"{record}: expected an object, found {_kind(item)}", "wrong-type", shown)
            continue
        kind = item.get("type")
        if not isinstance(kind, str):
            kind = _kind(kind)
        region_id = item.get("id")
        if isinstance(region_id, str | int) and not isinstance(region_id, bool):
            record = f"{where}, region {str(region_id)!r}"
        if kind == "labels":
            region = _parse_region(reading, item, record, shown, doc, annotator)
            if region is None:
                continue
            key = str(region_id)
            if region_id is not None and key in by_id:
                reading.error(
                    f"{record}: region id used twice in one result", "duplicate-id", shown
                )
                continue
            by_id[key] = region
            regions.append(region)
        elif kind in _ATTRIBUTE_TYPES and region_id is not None:
            extras.append((record, item))
        else:
            skipped[str(kind)] = skipped.get(str(kind), 0) + 1
    for kind, count in skipped.items():
        reading.warn(
            f"{where}: {count} result(s) of type {kind!r} not read: biaskit reads 'labels' regions "
            "and per-region choices, textarea, number and rating",
            "not-read",
            shown,
        )
    for record, item in extras:
        region = by_id.get(str(item.get("id")))
        if region is None:
            reading.warn(
                f"{record}: a {item.get('type')} result with no labels region; not read",
                "not-read",
                shown,
            )
            continue
        _attach(reading, region, item, record, shown, schema)


def _parse_region(
    reading: Reading, item: dict[str, Any], record: str, shown: str, doc: Document, annotator: str
) -> _Region | None:
    value = item.get("value")
    if not isinstance(value, dict):
        reading.error(
            f"{record}: 'value' must be an object, not {_kind(value)}", "wrong-type", shown
        )
        return None
    start, end, labels, text = (
        value.get("start"),
        value.get("end"),
        value.get("labels"),
        value.get("text"),
    )
    for name, offset in (("start", start), ("end", end)):
        if not isinstance(offset, int) or isinstance(offset, bool):
            reading.error(
                f"{record}: value.{name} must be an integer, not {_kind(offset)}",
                "wrong-type" if name in value else "missing-field",
                shown,
            )
            return None
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        reading.error(
            f"{record}: value.labels must be a non-empty array of strings, found {_kind(labels)}",
            "wrong-type",
            shown,
        )
        return None
    if text is not None and not isinstance(text, str):
        reading.error(
            f"{record}: value.text must be a string, not {_kind(text)}", "wrong-type", shown
        )
        return None
    assert isinstance(start, int)
    assert isinstance(end, int)
    region = _Region(doc, annotator, record, start, end, labels, text)
    meta = item.get("meta")
    if isinstance(meta, dict) and isinstance(meta.get("text"), list):
        notes = [t for t in meta["text"] if isinstance(t, str)]
        region.note = "\n".join(notes) if notes else None
    return region


def _attach(
    reading: Reading,
    region: _Region,
    item: dict[str, Any],
    record: str,
    shown: str,
    schema: Schema | None,
) -> None:
    name = item.get("from_name")
    value = item.get("value")
    kind = item.get("type")
    if not isinstance(name, str) or not name or not isinstance(value, dict):
        reading.error(
            f"{record}: a {kind} result needs 'from_name' and a 'value' object", "wrong-type", shown
        )
        return
    raw: object
    if kind == "choices":
        raw = value.get("choices")
        if isinstance(raw, list) and len(raw) > 1 and all(isinstance(c, str) for c in raw):
            reading.warn(
                f"{record}: attribute {name!r} has {len(raw)} choices; biaskit holds one value, "
                "so they are joined with '; '",
                "joined-choices",
                shown,
            )
            raw = ["; ".join(raw)]
    elif kind == "textarea":
        raw = value.get("text")
        if isinstance(raw, list) and all(isinstance(t, str) for t in raw):
            raw = ["\n".join(raw)]
    else:
        raw = [value.get(kind)]
    if not isinstance(raw, list) or len(raw) != 1:
        reading.error(
            f"{record}: expected one value for attribute {name!r}, found {_kind(raw)}",
            "wrong-type",
            shown,
        )
        return
    found = raw[0]
    label = region.labels[0]
    if isinstance(found, str):
        coerced, message = coerce_attribute(found, name, label, schema)
        if message is not None:
            reading.error(f"{record}: {message}", "attribute-value", shown)
            return
        region.attributes[name] = coerced
    elif isinstance(found, (int, float)) and not isinstance(found, bool):
        region.attributes[name] = found
    else:
        reading.error(
            f"{record}: attribute {name!r} must be text or a number, not {_kind(found)}",
            "wrong-type",
            shown,
        )


def _convert(region: _Region, unit: str) -> tuple[int, int] | str:
    converter = OffsetConverter(region.doc.text, "utf16" if unit == "utf16" else "codepoint")
    try:
        return converter.to_codepoint(region.start), converter.to_codepoint(region.end)
    except ValueError as exc:
        return str(exc)


def _fits(region: _Region, unit: str, *, exact: bool) -> bool:
    converted = _convert(region, unit)
    if isinstance(converted, str) or region.text is None:
        return False
    start, end = converted
    if exact:
        return region.doc.text[start:end] == region.text
    return _loose(region.doc.text[start:end]) == _loose(region.text)


def _decide_unit(
    regions: Sequence[_Region], unit: LabelStudioUnit, reading: Reading, shown: str
) -> str | None:
    if unit != "auto":
        return unit
    votes: dict[str, list[_Region]] = {"codepoint": [], "utf16": []}
    for region in regions:
        # An exact match decides first; the loose one (whitespace collapsed) otherwise.
        for exact in (True, False):
            cp = _fits(region, "codepoint", exact=exact)
            u16 = _fits(region, "utf16", exact=exact)
            if cp != u16:
                votes["codepoint" if cp else "utf16"].append(region)
                break
    if votes["codepoint"] and votes["utf16"]:
        a, b = votes["codepoint"][0], votes["utf16"][0]
        reading.error(
            f"the regions' offsets fit no single unit: {a.record} counts code points, "
            f"{b.record} counts UTF-16 code units; expected one unit per file",
            "mixed-units",
            shown,
        )
        return None
    return "utf16" if votes["utf16"] else "codepoint"


def _add_region(reading: Reading, region: _Region, unit: str, shown: str) -> None:
    converted = _convert(region, unit)
    if isinstance(converted, str):
        reading.error(f"{region.record}: {converted}", "offset-range", shown)
        return
    start, end = converted
    if region.text is not None and _loose(region.doc.text[start:end]) != _loose(region.text):
        units = [
            u
            for u in units_matching(region.doc.text, region.start, region.end, region.text)
            if u != unit
        ]
        hint = f"; the offsets fit {' and '.join(units)} offsets" if units else ""
        at = f"{unit} offsets [{region.start}, {region.end})"
        if (start, end) != (region.start, region.end):
            at += f" (code points [{start}, {end}))"
        reading.error(
            f"{region.record}: value.text {region.text[:40]!r} does not match the text at "
            f"{at}, which is {region.doc.text[start:end][:40]!r}{hint}",
            "text-mismatch",
            shown,
        )
        return
    for label in region.labels:
        try:
            span = Span(
                start,
                end,
                label,
                attributes=region.attributes,
                annotator=region.annotator,
                note=region.note,
            )
        except (TypeError, ValueError) as exc:
            reading.error(f"{region.record}: invalid span: {exc}", "invalid-value", shown)
            return
        reading.found.append(
            Found(region.doc.id, region.annotator, span, shown, None, region.record)
        )


# ---------------------------------------------------------------------------
# Writing.


def _thaw(value: JsonValue) -> Any:
    if isinstance(value, FrozenMap):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


def _data(doc: Document, text_key: str) -> dict[str, Any]:
    data: dict[str, Any] = {text_key: doc.text, "doc_id": doc.id, "outlet": doc.outlet}
    for key in ("title", "url", "date"):
        if getattr(doc, key) is not None:
            data[key] = getattr(doc, key)
    data["language"] = doc.language
    if doc.metadata:
        data["metadata"] = _thaw(doc.metadata)
    return data


def _results(
    doc: Document,
    spans: Sequence[Span],
    schema: Schema,
    converter: OffsetConverter,
    label_name: str,
    text_key: str,
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for number, span in enumerate(spans, 1):
        region_id = f"r{number}"
        place = {
            "start": converter.from_codepoint(span.start),
            "end": converter.from_codepoint(span.end),
        }
        region: dict[str, Any] = {
            "id": region_id,
            "from_name": label_name,
            "to_name": text_key,
            "type": "labels",
            "value": {**place, "text": doc.covered_text(span), "labels": [span.label]},
        }
        if span.note is not None:
            region["meta"] = {"text": [span.note]}
        results.append(region)
        specs = schema.attribute_specs(span.label) if span.label in schema else {}
        for name, value in span.attributes.items():
            spec = specs.get(name)
            item: dict[str, Any] = {"id": region_id, "from_name": name, "to_name": text_key}
            if isinstance(value, bool):
                item.update(type="choices", value={**place, "choices": [str(value).lower()]})
            elif isinstance(value, (int, float)):
                item.update(type="number", value={**place, "number": value})
            elif spec is not None and spec.values is not None:
                item.update(type="choices", value={**place, "choices": [value]})
            else:
                item.update(type="textarea", value={**place, "text": [value]})
            results.append(item)
    return results


def save_labelstudio(
    corpus: Corpus,
    path: str | os.PathLike[str],
    *,
    annotators: Sequence[str] | None = None,
    unit: Literal["codepoint", "utf16"] = "codepoint",
    text_key: str = "text",
    label_name: str = "label",
    on_overlap: Policy = "report",
    on_discontinuous: Policy = "report",
    overwrite: bool = False,
) -> list[Problem]:
    """Write Label Studio tasks, each annotator's spans as one of ``predictions[]``.

    Import the file into a project whose labeling config has a ``<Labels
    name="label" toName="text">`` (see :func:`labelstudio_config`): the spans
    appear as pre-annotations, one prediction per annotator, its
    ``model_version`` the annotator's name. Attributes are written as
    per-region ``choices``, ``textarea`` or ``number`` results and notes as the
    region's ``meta.text``; the document's fields go into ``data`` (``doc_id``,
    ``outlet``...), so reading the file back restores them.

    Parameters
    ----------
    corpus : Corpus
        What to write.
    path : path-like
        The JSON file to write.
    annotators : sequence of str, optional
        Only these annotators (default: all).
    unit : {"codepoint", "utf16"}
        ``utf16`` for Label Studio versions from about 2022 and earlier.
    text_key, label_name : str
        The names of the ``<Text>`` and ``<Labels>`` tags in the labeling config.
    on_overlap : policy
        Never needed: Label Studio holds overlapping spans.
    on_discontinuous : {"report", "split", "hull", "skip"}
        For spans sharing a group: Label Studio has no discontinuous regions.
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    list of Problem
        Warnings about spans changed to fit.
    """
    target = Path(path)
    chosen = list(annotators) if annotators is not None else list(corpus.annotators)
    problems: list[Problem] = []
    tasks = []
    for doc in corpus.documents:
        converter = OffsetConverter(doc.text, unit)
        predictions = []
        for annotator in chosen:
            if (doc.id, annotator) not in {
                (a.document.id, a.annotator) for a in corpus.annotation_sets(document_id=doc.id)
            }:
                continue
            entries, found = fit_spans(
                corpus.annotation_set(doc.id, annotator),
                overlap=True,
                discontinuous=False,
                on_overlap=on_overlap,
                on_discontinuous=on_discontinuous,
                target="Label Studio",
            )
            problems += found
            spans = [entry[0] for entry in entries]
            predictions.append(
                {
                    "model_version": annotator,
                    "result": _results(doc, spans, corpus.schema, converter, label_name, text_key),
                }
            )
        tasks.append({"data": _data(doc, text_key), "predictions": predictions})
    raise_if_errors(problems, f"{os.fspath(path)}: spans Label Studio cannot hold")
    check_targets([target], overwrite)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_group() as group, group.open(target) as out:
        out.write(json.dumps(tasks, ensure_ascii=False, indent=1, allow_nan=False) + "\n")
    return problems


def _xml(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def labelstudio_config(schema: Schema, *, text_key: str = "text", label_name: str = "label") -> str:
    """Return a Label Studio labeling config for ``schema``: its labels and per-region attributes.

    Attributes with listed values become ``<Choices perRegion="true">``, numbers
    ``<Number perRegion="true">`` and other text ``<TextArea perRegion="true">``;
    :func:`save_labelstudio` writes results that fit it.

    >>> from biaskit.schema import AttributeSpec, LabelSpec, Schema
    >>> schema = Schema("s", "1", [LabelSpec("EPITHET", attributes=[AttributeSpec("target")])])
    >>> print(labelstudio_config(schema))
    <View>
      <Labels name="label" toName="text">
        <Label value="EPITHET" background="#999999"/>
      </Labels>
      <Text name="text" value="$text"/>
      <View visibleWhen="region-selected">
        <TextArea name="target" toName="text" perRegion="true" maxSubmissions="1"/>
      </View>
    </View>
    """
    lines = ["<View>", f'  <Labels name="{_xml(label_name)}" toName="{_xml(text_key)}">']
    for label in schema.labels:
        lines.append(f'    <Label value="{_xml(label.name)}" background="{label.color}"/>')
    lines += ["  </Labels>", f'  <Text name="{_xml(text_key)}" value="${_xml(text_key)}"/>']
    specs = {a.name: a for a in schema.common_attributes}
    for label in schema.labels:
        specs.update({a.name: a for a in label.attributes})
    if specs:
        lines.append('  <View visibleWhen="region-selected">')
    for name in sorted(specs):
        spec = specs[name]
        attrs_ = f'name="{_xml(name)}" toName="{_xml(text_key)}" perRegion="true"'
        if spec.values is not None or spec.type == "boolean":
            values = spec.values if spec.values is not None else ("true", "false")
            lines.append(f"    <Choices {attrs_}>")
            shown = [str(v).lower() if isinstance(v, bool) else str(v) for v in values]
            lines += [f'      <Choice value="{_xml(v)}"/>' for v in shown]
            lines.append("    </Choices>")
        elif spec.type in ("integer", "number"):
            lines.append(f"    <Number {attrs_}/>")
        else:
            lines.append(f'    <TextArea {attrs_} maxSubmissions="1"/>')
    if specs:
        lines.append("  </View>")
    lines.append("</View>")
    return "\n".join(lines)
