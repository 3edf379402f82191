"""Saving and loading a fitted classifier: the manifest is checked before unpickling."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from biaskit import Document, Span
from biaskit.baseline import SpanClassifier
from biaskit.io.native import OutputExistsError
from biaskit.persistence import (
    MAGIC,
    ModelFileError,
    ModelVersionWarning,
    load_model,
    read_manifest,
    save_model,
)

from ._synthetic_spans import synthetic


@pytest.fixture(scope="module")
def model() -> SpanClassifier:
    docs, gold = synthetic(8, seed=1)
    return SpanClassifier(cv=2, random_state=0).fit(docs, gold)


@pytest.fixture
def saved(tmp_path: Path, model: SpanClassifier) -> Path:
    path = tmp_path / "model.biaskit"
    save_model(model, path)
    return path


def _rewrite_manifest(path: Path, change: dict[str, object], *, rehash: bool) -> None:
    from biaskit.persistence import _manifest_digest

    data = path.read_bytes()
    end = data.index(b"\n", len(MAGIC))
    manifest = json.loads(data[len(MAGIC) : end])
    manifest.update(change)
    if rehash:
        manifest["manifest_sha256"] = _manifest_digest(manifest)
    path.write_bytes(MAGIC + json.dumps(manifest).encode() + b"\n" + data[end + 1 :])


def test_round_trip_predicts_the_same_and_records_the_manifest(
    saved: Path, model: SpanClassifier
) -> None:
    manifest = read_manifest(saved)
    assert manifest["labels"] == ["LOADED", "QUOTE"]
    assert manifest["training_sha256"] == model.training_sha256_
    assert {"biaskit", "sklearn", "numpy", "python", "created"} <= set(manifest)
    again = load_model(saved)
    doc = synthetic(10, seed=2)[0][9]
    assert again.predict([doc]) == model.predict([doc])


def test_saving_refuses_to_overwrite_and_unfitted_models(tmp_path: Path, saved: Path) -> None:
    with pytest.raises(OutputExistsError):
        save_model(load_model(saved), saved)
    with pytest.raises(ModelFileError, match=r"is not fitted \(call fit first\)"):
        save_model(SpanClassifier(), tmp_path / "x.biaskit")


def _boom() -> None:  # never called: a pickle that would run it must be refused first
    raise AssertionError("the pickle was unpickled")


def test_a_foreign_pickle_is_refused_before_unpickling(tmp_path: Path) -> None:
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps(_boom))
    with pytest.raises(ModelFileError, match=r"not a biaskit model file .*refusing to unpickle"):
        load_model(path)


def test_a_tampered_pickle_is_refused(saved: Path) -> None:
    data = bytearray(saved.read_bytes())
    data[-10] ^= 0xFF
    saved.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="pickled model does not match the manifest"):
        load_model(saved)


def test_an_appended_payload_is_refused(saved: Path) -> None:
    saved.write_bytes(saved.read_bytes() + pickle.dumps(_boom))
    with pytest.raises(ModelFileError, match="does not match the manifest"):
        load_model(saved)


def test_an_edited_manifest_is_refused(saved: Path) -> None:
    _rewrite_manifest(saved, {"labels": ["OTHER"]}, rehash=False)
    with pytest.raises(ModelFileError, match="manifest does not match its recorded SHA-256"):
        load_model(saved)


def test_a_consistently_edited_label_set_is_caught_after_loading(saved: Path) -> None:
    _rewrite_manifest(saved, {"labels": ["OTHER"]}, rehash=True)
    with pytest.raises(ModelFileError, match=r"labels .* differ from the manifest"):
        load_model(saved)


def test_an_unknown_format_version_is_refused(saved: Path) -> None:
    _rewrite_manifest(saved, {"format_version": 99}, rehash=True)
    with pytest.raises(ModelFileError, match="format version 99 is not supported"):
        load_model(saved)


def test_a_broken_manifest_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.biaskit"
    path.write_bytes(MAGIC + b"{not json\n" + b"payload")
    with pytest.raises(ModelFileError, match="manifest is not valid JSON"):
        load_model(path)


def test_other_library_versions_warn_naming_the_difference(saved: Path) -> None:
    _rewrite_manifest(saved, {"sklearn": "0.0.1"}, rehash=True)
    with pytest.warns(ModelVersionWarning, match=r"sklearn 0\.0\.1 \(now "):
        load_model(saved)


def test_missing_file_is_a_model_file_error(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="cannot read the model file"):
        load_model(tmp_path / "absent.biaskit")


def test_training_hash_changes_with_the_training_spans() -> None:
    doc = Document("d", "They are traitors.")
    a = SpanClassifier(cv=2).fit([doc, doc.__class__("e", doc.text)], [[Span(9, 17, "X")], []])
    b = SpanClassifier(cv=2).fit([doc, doc.__class__("e", doc.text)], [[Span(9, 18, "X")], []])
    assert a.training_sha256_ != b.training_sha256_


def test_skops_files_load_without_pickle_and_refuse_foreign_types(
    tmp_path: Path, model: SpanClassifier
) -> None:
    sio = pytest.importorskip("skops.io", reason="the skops extra is not installed")
    path = tmp_path / "model.biaskit"
    save_model(model, path, serializer="skops")
    assert read_manifest(path)["serializer"] == "skops"
    doc = synthetic(10, seed=2)[0][9]
    assert load_model(path).predict([doc]) == model.predict([doc])
    # A skops payload holding another type is refused, even with matching hashes.
    from biaskit.persistence import _manifest_digest

    data = path.read_bytes()
    end = data.index(b"\n", len(MAGIC))
    manifest = json.loads(data[len(MAGIC) : end])
    from fractions import Fraction

    payload = sio.dumps(Fraction(1, 3))
    import hashlib

    manifest.update(payload_sha256=hashlib.sha256(payload).hexdigest(), payload_bytes=len(payload))
    manifest["manifest_sha256"] = _manifest_digest(manifest)
    path.write_bytes(MAGIC + json.dumps(manifest).encode() + b"\n" + payload)
    with pytest.raises(ModelFileError, match=r"types biaskit does not trust: fractions\.Fraction"):
        load_model(path)
