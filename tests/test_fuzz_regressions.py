"""Inputs that once made a reader raise something other than a biaskit error.

Each test is a reduced reproducer of a finding of the atheris harnesses in
``fuzz/`` (see ``docs/fuzzing.md``), or of one found by review in the same
class; the reader must now report a located problem instead. The ones marked
"review" were found while fixing an atheris finding of the same kind.
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from biaskit import BiaskitError
from biaskit.io.formats import load_foreign, validate_foreign

LONG_NUMBER = "7" * 5000  # more digits than Python 3.11+ turns into an int (4300)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def codes(path: Path, fmt: str) -> list[tuple[str, int | None]]:
    """The (code, line) of every problem, after checking that loading raises a biaskit error."""
    problems = validate_foreign(path, fmt)
    if any(p.is_error for p in problems):
        with pytest.raises(BiaskitError):
            load_foreign(path, fmt)
    return [(p.code, p.line) for p in problems]


def test_labelstudio_result_whose_type_is_an_object_is_reported_not_a_type_error(
    tmp_path: Path,
) -> None:
    # atheris (fuzz_labelstudio): `kind in _ATTRIBUTE_TYPES` raised TypeError: unhashable 'dict'.
    path = tmp_path / "export.json"
    result = [{"id": "r1", "type": {"labels": 1}, "value": {}}]
    path.write_text(
        dumps(
            [
                {
                    "id": 1,
                    "data": {"text": "x"},
                    "annotations": [{"completed_by": 1, "result": result}],
                }
            ]
        ),
        encoding="utf-8",
    )
    problems = validate_foreign(path, "labelstudio")
    assert [(p.code, p.severity) for p in problems] == [("not-read", "warning")]
    assert "1 result(s) of type 'an object' not read" in problems[0].message


def test_labelstudio_model_version_with_a_trailing_space_is_a_located_name_error(
    tmp_path: Path,
) -> None:
    # atheris (fuzz_labelstudio): a prediction by "alice " with no region made
    # AnnotationSet raise ValueError while the corpus was assembled.
    path = tmp_path / "export.json"
    task = {
        "id": 1,
        "data": {"text": "x"},
        "predictions": [{"model_version": "alice ", "result": []}],
    }
    path.write_text(dumps([task]), encoding="utf-8")
    problems = validate_foreign(path, "labelstudio")
    assert [(p.code, p.path) for p in problems] == [("name", str(path))]
    assert "annotator name 'alice ' is empty or has whitespace at an edge" in problems[0].message
    with pytest.raises(BiaskitError):
        load_foreign(path, "labelstudio")


def test_doccano_file_named_with_a_leading_space_is_a_located_name_error(tmp_path: Path) -> None:
    # review, same class: the annotator of a file is its name, " alice".
    path = tmp_path / " alice.jsonl"
    path.write_text(dumps({"id": 1, "text": "x", "label": []}) + "\n", encoding="utf-8")
    assert codes(tmp_path, "doccano") == [("name", 1)]


def test_spacy_doc_naming_a_string_its_store_lacks_is_unreadable_not_a_key_error(
    tmp_path: Path,
) -> None:
    # atheris (fuzz_spacy, payload target): span labels are hashes into the DocBin's
    # string table; one missing from it made `span.label_` raise KeyError E018.
    spacy = pytest.importorskip("spacy", reason="needs the 'spacy' extra")
    import srsly
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    doc = nlp("The US killed him.")
    doc.spans["alice"] = [doc.char_span(7, 13, "EVENT_TERM")]
    path = tmp_path / "docs.spacy"
    DocBin(docs=[doc]).to_disk(path)
    payload = srsly.msgpack_loads(zlib.decompress(path.read_bytes()))
    payload["strings"] = [t for t in payload["strings"] if t != "EVENT_TERM"]
    path.write_bytes(zlib.compress(srsly.msgpack_dumps(payload)))
    problems = validate_foreign(path, "spacy")
    assert [(p.code, p.line) for p in problems] == [("unreadable", 1)]
    assert "found data spaCy cannot read (KeyError" in problems[0].message


@pytest.mark.parametrize("fmt", ["labelstudio", "doccano", "basil"])
def test_a_json_number_too_long_for_python_is_a_located_syntax_error(
    tmp_path: Path, fmt: str
) -> None:
    # review: json.loads raises a plain ValueError (not JSONDecodeError) for such a number.
    if fmt == "labelstudio":
        path = tmp_path / "export.json"
        path.write_text(f'[{{"id": {LONG_NUMBER}, "data": {{"text": "x"}}}}]', encoding="utf-8")
        expected = [("json-syntax", 1)]
    elif fmt == "doccano":
        path = tmp_path / "alice.jsonl"
        good = dumps({"id": 1, "text": "x", "label": []})
        path.write_text(f'{good}\n{{"id": 2, "text": "x", "n": {LONG_NUMBER}}}\n', encoding="utf-8")
        expected = [("json-syntax", 2)]
    else:
        path = _basil(tmp_path, annotations=f'{{"phrase-level-annotations": [{LONG_NUMBER}]}}')
        expected = [("json-syntax", 1)]
    assert codes(path, fmt) == expected
    message = validate_foreign(path, fmt)[0].message
    assert message == "invalid JSON: a number of 5000 digits, more than can be read"


# -- BASIL (review, after the Label Studio finding: JSON values of the wrong kind)

ARTICLE = {
    "title": "T",
    "source": "fox",
    "triplet-uuid": "ev",
    "body-paragraphs": [["A radical plan.", "It passed."]],
}
SPAN = {"id": "p0", "start": 2, "end": 9, "txt": "radical", "bias": "lex"}


def _basil(base: Path, article: Any = ARTICLE, annotations: Any = None) -> Path:
    root = base / "basil"
    (root / "articles/2019").mkdir(parents=True)
    (root / "annotations/2019").mkdir(parents=True)
    (root / "articles/2019/ev_1.json").write_text(dumps(article), encoding="utf-8")
    ann = {"phrase-level-annotations": [SPAN]} if annotations is None else annotations
    (root / "annotations/2019/ev_1_ann.json").write_text(
        ann if isinstance(ann, str) else dumps(ann), encoding="utf-8"
    )
    return root


@pytest.mark.parametrize(
    ("annotations", "code", "message"),
    [
        # `bias not in _LABELS` raised TypeError: unhashable type: 'list'.
        (
            {"phrase-level-annotations": [{**SPAN, "bias": ["lex"]}]},
            "unknown-label",
            "expected 'bias' to be 'lex' or 'inf', found ['lex']",
        ),
        # "p²"[1:].isdigit() is true, and int("²") raised ValueError.
        (
            {"phrase-level-annotations": [{**SPAN, "id": "p²"}]},
            "basil-span",
            "expected 'id' to be 'title' or 'p<k>', found 'p²'",
        ),
        # A list where the object should be: `.get` raised AttributeError.
        ([SPAN], "basil-field", "expected a JSON object, found list"),
        # true is an int to Python: no longer taken for an offset.
        (
            {"phrase-level-annotations": [{**SPAN, "start": True}]},
            "basil-span",
            "expected integer 'start' and 'end' and a string 'txt'",
        ),
    ],
)
def test_basil_values_of_the_wrong_kind_are_reported(
    tmp_path: Path, annotations: Any, code: str, message: str
) -> None:
    path = _basil(tmp_path, annotations=annotations)
    problems = validate_foreign(path, "basil")
    assert [p.code for p in problems] == [code]
    assert message in problems[0].message


def test_basil_article_with_a_number_for_its_url_is_read_without_it(tmp_path: Path) -> None:
    # Document(url=5) raised TypeError.
    path = _basil(tmp_path, article={**ARTICLE, "url": 5})
    corpus = load_foreign(path, "basil")
    assert corpus.documents[0].url is None


def test_basil_article_with_nan_in_its_metadata_is_reported(tmp_path: Path) -> None:
    # json.loads reads NaN; Document refused it with a ValueError that escaped.
    path = _basil(tmp_path)
    article = path / "articles/2019/ev_1.json"
    article.write_text(article.read_text(encoding="utf-8")[:-1] + ', "main-event": NaN}')
    problems = validate_foreign(path, "basil")
    assert [(p.code, Path(str(p.path)).name) for p in problems] == [("basil-field", "ev_1.json")]
    assert "metadata.main_event must be a finite number, not nan" in problems[0].message


def test_spacy_schema_stored_as_json_nested_too_deeply_is_a_located_problem(
    tmp_path: Path,
) -> None:
    # review: the stored schema is parsed by loads_schema, which let RecursionError out.
    spacy = pytest.importorskip("spacy", reason="needs the 'spacy' extra")
    from spacy.tokens import DocBin

    from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
    from biaskit.io.spacy import write_docbin

    doc = Document("d1", "The US killed him.")
    corpus = Corpus(
        [doc], Schema("s", "1", [LabelSpec("X")]), [AnnotationSet(doc, "a", [Span(7, 13, "X")])]
    )
    path = tmp_path / "docs.spacy"
    write_docbin(corpus, path)
    docs = list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))
    docs[0].user_data["biaskit"]["schema"] = "[" * 100_000 + "]" * 100_000
    DocBin(docs=docs, store_user_data=True).to_disk(path)
    problems = validate_foreign(path, "spacy")
    assert [(p.code, p.line) for p in problems] == [("schema", 1)]
    assert "the schema stored in the first Doc cannot be read" in problems[0].message


def _export_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("annotation/d1.txt/alice.json", '{"x": "' + "a" * 2000 + '"}')
    return buffer.getvalue()


@pytest.mark.parametrize("damage", ["deflate", "encrypted"])
def test_inception_zip_that_zipfile_cannot_open_is_unreadable(tmp_path: Path, damage: str) -> None:
    # review: only BadZipFile was caught; damaged deflate data raised zlib.error,
    # and a member flagged as encrypted raised RuntimeError.
    pytest.importorskip("cassis", reason="needs the 'inception' extra")
    data = bytearray(_export_zip())
    if damage == "deflate":
        start = 30 + len("annotation/d1.txt/alice.json")
        for i in range(start + 2, start + 12):
            data[i] ^= 0xFF
    else:
        for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            at = data.index(signature) + flags_at
            data[at] |= 0x01
    path = tmp_path / "export.zip"
    path.write_bytes(bytes(data))
    problems = validate_foreign(path, "inception")
    assert [(p.code, p.path) for p in problems] == [("unreadable", str(path))]
