"""Label Studio JSON: exports in either unit, attribution, per-region attributes, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from biaskit import AnnotationError, LabelSpec, Schema
from biaskit.io.labelstudio import (
    check_labelstudio,
    labelstudio_config,
    load_labelstudio,
    save_labelstudio,
)
from biaskit.schema import AttributeSpec

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "interop"
TEXT = "😀 He was killed.\r\nThe  end"


def region(
    start: int, end: int, label: str = "X", text: str | None = None, rid: str = "r1"
) -> dict[str, Any]:
    value: dict[str, Any] = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def export(tmp_path: Path, tasks: object) -> Path:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def task(*results: dict[str, Any], who: object = 1) -> dict[str, Any]:
    return {
        "id": 5,
        "data": {"text": TEXT},
        "annotations": [{"completed_by": who, "result": list(results)}],
    }


def test_the_fixture_keeps_annotator_attributes_note_and_document_fields() -> None:
    corpus = load_labelstudio(FIXTURES / "labelstudio.json", annotator_names={"1": "alice"})
    doc = corpus.document("news1")
    assert doc.outlet == "Example Outlet"
    by_range = {(s.start, s.end): s for _, s in corpus.spans(annotator="alice")}
    assert by_range[(18, 24)].attributes == {"concept": "soleimani_killing"}
    assert by_range[(0, 4)].attributes == {"target": "Café owner"}
    assert by_range[(7, 15)].note == "distancing quotes"


def test_code_point_and_utf16_exports_are_told_apart_by_value_text(tmp_path: Path) -> None:
    current = export(tmp_path, [task(region(9, 15, text="killed"))])
    assert [(s.start, s.end) for _, s in load_labelstudio(current).spans()] == [(9, 15)]
    older = export(tmp_path, [task(region(10, 16, text="killed"))])  # the emoji counted twice
    assert [(s.start, s.end) for _, s in load_labelstudio(older).spans()] == [(9, 15)]


def test_value_text_is_compared_loosely_for_collapsed_whitespace(tmp_path: Path) -> None:
    # "\r\nThe  end" as Label Studio may show it: whitespace collapsed.
    path = export(tmp_path, [task(region(15, 26, text=". The end"))])
    assert [(s.start, s.end) for _, s in load_labelstudio(path).spans()] == [(15, 26)]


def test_regions_fitting_different_units_in_one_file_are_an_error(tmp_path: Path) -> None:
    path = export(
        tmp_path, [task(region(9, 15, text="killed"), region(2, 5, text="He ", rid="r2"))]
    )
    assert not [p for p in check_labelstudio(path).problems if p.is_error]
    path = export(
        tmp_path, [task(region(9, 15, text="killed"), region(3, 6, text="He ", rid="r2"))]
    )
    errors = [p for p in check_labelstudio(path).problems if p.is_error]
    assert [p.code for p in errors] == ["mixed-units"]


def test_every_annotation_keeps_its_annotator(tmp_path: Path) -> None:
    tasks = [
        {
            "data": {"text": TEXT},
            "annotations": [
                {"completed_by": {"id": 2, "email": "ann@example.org"}, "result": [region(9, 15)]},
                {"completed_by": 3, "result": [region(2, 4)]},
                {"completed_by": 4, "result": [], "was_cancelled": True},
            ],
            "predictions": [{"model_version": "baseline-1", "result": [region(2, 15)]}],
        }
    ]
    checked = check_labelstudio(export(tmp_path, tasks))
    assert checked.corpus is not None
    assert checked.corpus.annotators == ("ann@example.org", "baseline-1", "user-3")
    not_read = [p for p in checked.problems if p.code == "not-read"]
    assert len(not_read) == 1
    assert "was_cancelled" in not_read[0].message


def test_written_tasks_carry_predictions_per_annotator_and_a_matching_config(
    tmp_path: Path,
) -> None:
    corpus = load_labelstudio(FIXTURES / "labelstudio.json", annotator_names={"1": "alice"})
    save_labelstudio(corpus, tmp_path / "tasks.json")
    [written] = json.loads((tmp_path / "tasks.json").read_text("utf-8"))
    assert [p["model_version"] for p in written["predictions"]] == ["alice"]
    assert written["data"]["doc_id"] == "news1"
    kinds = {r["type"] for r in written["predictions"][0]["result"]}
    assert kinds == {"labels", "textarea"}
    schema = Schema(
        "s", "1", [LabelSpec("X", attributes=[AttributeSpec("tone", values=("a", "b"))])]
    )
    config = labelstudio_config(schema)
    assert '<Choices name="tone" toName="text" perRegion="true">' in config


BAD = [
    ("not json", None, "json-syntax", "invalid JSON"),
    ('[{"data": {"text": "x"}', None, "json-syntax", "invalid JSON"),  # truncated
    ({"a": 1}, "task 1", "wrong-type", "'data' must be an object"),
    (["task"], "task 1", "wrong-type", "expected an object"),
    ([{"data": {"body": "x"}}], "task 1", "missing-field", "data.text"),
    ([{"data": {"text": 3}}], "task 1", "wrong-type", "data.text"),
    (
        [task(region(10, 16))] * 0 + [{**task(), "annotations": {}}],
        "task 1",
        "wrong-type",
        "'annotations' must be an array",
    ),
    ([task(who=None)], "annotation 1", "missing-annotator", "completed_by"),
    ([task(who=[1])], "annotation 1", "missing-annotator", "completed_by"),
    (
        [{**task(), "annotations": [{"completed_by": 1, "result": {}}]}],
        "annotation 1",
        "wrong-type",
        "'result' must be an array",
    ),
    ([task(region("9", 15))], "region 'r1'", "wrong-type", "value.start must be an integer"),
    (
        [task({"id": "r", "type": "labels", "value": {"start": 1, "end": 2}})],
        "region 'r'",
        "wrong-type",
        "value.labels",
    ),
    ([task(region(9, 99))], "region 'r1'", "offset-range", "outside the text"),
    ([task(region(9, 15, text="murdered"))], "region 'r1'", "text-mismatch", "does not match"),
    ([task(region(9, 15), region(2, 4))], "region 'r1'", "duplicate-id", "used twice"),
    ([task(region(2, 15), region(9, 15, rid="r2"))], "region 'r2'", "overlap", "must not overlap"),
    (
        [task(), {**task(), "data": {"text": "other", "doc_id": "task-5"}}],
        None,
        "text-differs",
        "different text",
    ),
    (
        [{**task(), "annotations": [{"completed_by": 1, "result": []}] * 2}],
        "annotation 2",
        "duplicate-annotator",
        "second set",
    ),
]


@pytest.mark.parametrize(("tasks", "record", "code", "message"), BAD)
def test_bad_exports_are_located_biaskit_errors(
    tmp_path: Path, tasks: object, record: str | None, code: str, message: str
) -> None:
    path = tmp_path / "export.json"
    if isinstance(tasks, str):
        path.write_text(tasks, encoding="utf-8")
    else:
        path = export(tmp_path, tasks)
    errors = [p for p in check_labelstudio(path).problems if p.is_error]
    assert [p.code for p in errors] == [code]
    assert errors[0].path == str(path)
    assert message in errors[0].message
    if record is not None:
        assert record in errors[0].message
    else:
        assert errors[0].line is not None or code == "text-differs"
    with pytest.raises(AnnotationError):
        load_labelstudio(path)
