r"""Save and load a fitted :class:`~biaskit.baseline.SpanClassifier`.

A model file is a small JSON manifest followed by the model, serialised by
joblib (a pickle, the default) or by skops (``serializer="skops"``, the
optional extra ``biaskit[skops]``)::

    biaskit-model\\n
    {"format_version": 1, "biaskit": "0.1.0", "sklearn": "1.5.2", ...}\\n
    <joblib pickle bytes>

The manifest records the format version, the biaskit, scikit-learn, NumPy
and Python versions that wrote the file, the label set, the SHA-256 of the
training data (:func:`biaskit.baseline.training_sha256`), the creation time,
and SHA-256 hashes of the pickle and of the manifest itself.
:func:`load_model` reads and checks the manifest *before anything is
unpickled*: a file that is not a biaskit model, has an unknown format version,
or whose manifest or pickle does not match its recorded hash is refused with
a :class:`ModelFileError` saying what differs. Library versions that differ
from the running ones give a :class:`ModelVersionWarning` (a model pickled by
another scikit-learn may load but behave differently).

With skops the model is stored in skops's format, which does not run code
when loaded: :func:`load_model` lets skops build only scikit-learn, NumPy and
SciPy types and biaskit's own two classes (:class:`biaskit.baseline.SpanClassifier`,
:class:`biaskit.features.CodeEncoder`), and refuses a file asking for any other
type. Prefer it for models you share or receive.

.. warning::

   Loading a pickle runs code. The hashes catch a damaged or carelessly edited
   file, not a deliberate forgery: anyone can write a file with matching
   hashes. Load only model files you made or trust, as you would only run
   scripts you trust.

Examples
--------
>>> import tempfile, pathlib
>>> from biaskit.baseline import SpanClassifier
>>> from biaskit.model import Document, Span
>>> docs = [Document(f"d{i}", "They are traitors. It rained.") for i in range(4)]
>>> model = SpanClassifier(cv=2, random_state=0).fit(docs, [[Span(9, 17, "X")]] * 4)
>>> path = pathlib.Path(tempfile.mkdtemp()) / "model.biaskit"
>>> save_model(model, path)
>>> read_manifest(path)["labels"]
['X']
>>> load_model(path).labels_
('X',)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import platform
import tempfile
import warnings
from pathlib import Path
from typing import Any, Literal

import joblib  # type: ignore[import-untyped, unused-ignore]

from biaskit.errors import BiaskitError

__all__ = [
    "FORMAT_VERSION",
    "MAGIC",
    "ModelFileError",
    "ModelVersionWarning",
    "Serializer",
    "load_model",
    "read_manifest",
    "save_model",
]

MAGIC = b"biaskit-model\n"
"""The first line of every model file."""

FORMAT_VERSION = 1
"""The model file format this biaskit reads and writes."""

_MAX_MANIFEST = 64 * 1024

Serializer = Literal["joblib", "skops"]
"""How the model is stored: a joblib pickle, or skops's code-free format."""

_TRUSTED = ("biaskit.baseline.SpanClassifier", "biaskit.features.CodeEncoder")


def _skops() -> Any:
    try:
        import skops.io as sio  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        raise BiaskitError(
            'the skops serializer needs skops: pip install "biaskit[skops]"'
        ) from None
    return sio


class ModelFileError(BiaskitError, ValueError):
    """A model file that is refused: not a biaskit model, an unknown format, or altered."""


class ModelVersionWarning(UserWarning):
    """A model file written by other library versions than those running."""


def _versions() -> dict[str, str]:
    import numpy
    import sklearn  # type: ignore[import-untyped, unused-ignore]

    from biaskit import __version__

    return {
        "biaskit": __version__,
        "sklearn": sklearn.__version__,
        "numpy": numpy.__version__,
        "python": platform.python_version(),
    }


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest_digest(manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return _digest(json.dumps(body, sort_keys=True, ensure_ascii=True).encode("ascii"))


def save_model(
    model: Any,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    serializer: Serializer = "joblib",
) -> None:
    """Write a fitted classifier and its manifest to ``path``, atomically.

    Parameters
    ----------
    model : SpanClassifier
        A fitted classifier.
    path : path-like
        The file to write (conventionally ``*.biaskit``).
    overwrite : bool
        Replace an existing file.
    serializer : {"joblib", "skops"}
        ``joblib`` writes a pickle (loading it runs code); ``skops`` writes
        skops's format, loaded without running code (needs the extra
        ``biaskit[skops]``).

    Raises
    ------
    ModelFileError
        If the model is not a fitted :class:`~biaskit.baseline.SpanClassifier`.
    biaskit.io.native.OutputExistsError
        If the file exists and ``overwrite`` is false.
    """
    from biaskit.baseline import SpanClassifier
    from biaskit.errors import OutputExistsError

    if not isinstance(model, SpanClassifier):
        raise ModelFileError(
            f"save_model expects a fitted SpanClassifier, not {type(model).__name__}"
        )
    if not hasattr(model, "labels_"):
        raise ModelFileError(
            "save_model expects a fitted SpanClassifier; this one is not fitted (call fit first)"
        )
    target = Path(path)
    if target.exists() and not overwrite:
        raise OutputExistsError(f"{target} exists; pass overwrite=True (--overwrite) to replace it")
    if serializer == "skops":
        payload = _skops().dumps(model)
    elif serializer == "joblib":
        buffer = io.BytesIO()
        joblib.dump(model, buffer)
        payload = buffer.getvalue()
    else:
        raise ModelFileError(f"serializer must be 'joblib' or 'skops', not {serializer!r}")
    manifest: dict[str, Any] = {
        "format": "biaskit-model",
        "format_version": FORMAT_VERSION,
        "serializer": serializer,
        "estimator": type(model).__name__,
        **_versions(),
        "labels": list(model.labels_),
        "training_sha256": model.training_sha256_,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "payload_bytes": len(payload),
        "payload_sha256": _digest(payload),
    }
    manifest["manifest_sha256"] = _manifest_digest(manifest)
    header = MAGIC + json.dumps(manifest, sort_keys=True, ensure_ascii=True).encode() + b"\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(header)
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _read(path: Path) -> tuple[dict[str, Any], bytes]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot read the model file: {exc.strerror}") from None
    if not data.startswith(MAGIC):
        raise ModelFileError(
            f"{path}: not a biaskit model file (it does not start with {MAGIC[:-1].decode()!r}); "
            "refusing to unpickle it"
        )
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + _MAX_MANIFEST)
    if end < 0:
        raise ModelFileError(f"{path}: the manifest line is missing or too long; refusing the file")
    try:
        manifest = json.loads(data[len(MAGIC) : end].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(
            f"{path}: the manifest is not valid JSON ({exc}); refusing the file"
        ) from None
    if not isinstance(manifest, dict):
        raise ModelFileError(f"{path}: the manifest is not a JSON object; refusing the file")
    return manifest, data[end + 1 :]


def _check(path: Path, manifest: dict[str, Any], payload: bytes) -> None:
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelFileError(
            f"{path}: model format version {version!r} is not supported; this biaskit reads "
            f"version {FORMAT_VERSION}. Retrain the model with this biaskit (biaskit train)."
        )
    if manifest.get("manifest_sha256") != _manifest_digest(manifest):
        raise ModelFileError(
            f"{path}: the manifest does not match its recorded SHA-256; it was edited or "
            "damaged. Refusing to unpickle the file."
        )
    recorded = manifest.get("payload_sha256")
    actual = _digest(payload)
    if recorded != actual or manifest.get("payload_bytes") != len(payload):
        raise ModelFileError(
            f"{path}: the pickled model does not match the manifest (SHA-256 {actual[:12]}..., "
            f"recorded {str(recorded)[:12]}...); it was altered or damaged. Refusing to "
            "unpickle it."
        )


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Return a model file's checked manifest, without unpickling anything.

    Raises
    ------
    ModelFileError
        If the file is not a biaskit model, has an unsupported format version,
        or its manifest or pickle does not match the recorded hashes.
    """
    target = Path(path)
    manifest, payload = _read(target)
    _check(target, manifest, payload)
    return manifest


def load_model(path: str | os.PathLike[str]) -> Any:
    """Load a classifier written by :func:`save_model`, after checking its manifest.

    Loading a pickle runs code: load only files you trust.

    Returns
    -------
    SpanClassifier

    Raises
    ------
    ModelFileError
        If the file is refused (see :func:`read_manifest`; nothing is unpickled
        then), or if what it holds is not the classifier the manifest describes.

    Warns
    -----
    ModelVersionWarning
        If it was written by other biaskit, scikit-learn, NumPy or Python
        versions than those running, naming each difference.
    """
    from biaskit.baseline import SpanClassifier

    target = Path(path)
    manifest, payload = _read(target)
    _check(target, manifest, payload)
    running = _versions()
    differences = [
        f"{name} {manifest.get(name)} (now {now})"
        for name, now in running.items()
        if manifest.get(name) != now
    ]
    if differences:
        warnings.warn(
            f"{target} was written with {', '.join(differences)}; it may behave differently "
            "or fail. Retrain it with the running versions to be sure.",
            ModelVersionWarning,
            stacklevel=2,
        )
    serializer = manifest.get("serializer", "joblib")
    if serializer == "skops":
        sio = _skops()
        untrusted = set(sio.get_untrusted_types(data=payload)) - set(_TRUSTED)
        if untrusted:
            raise ModelFileError(
                f"{target}: the skops file asks for types biaskit does not trust: "
                f"{', '.join(sorted(untrusted))}; refusing to load it"
            )
        try:
            model = sio.loads(payload, trusted=list(_TRUSTED))
        except Exception as exc:
            raise ModelFileError(f"{target}: the skops model could not be loaded: {exc}") from exc
    elif serializer == "joblib":
        try:
            model = joblib.load(io.BytesIO(payload))
        except Exception as exc:
            raise ModelFileError(f"{target}: the model could not be unpickled: {exc}") from exc
    else:
        raise ModelFileError(f"{target}: unknown serializer {serializer!r}; refusing the file")
    if not isinstance(model, SpanClassifier):
        raise ModelFileError(
            f"{target}: expected a SpanClassifier inside, found {type(model).__name__}"
        )
    if list(getattr(model, "labels_", ())) != manifest.get("labels"):
        raise ModelFileError(
            f"{target}: the model's labels {list(getattr(model, 'labels_', ()))} differ from "
            f"the manifest's {manifest.get('labels')}"
        )
    return model
