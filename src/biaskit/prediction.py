"""Prediction over a corpus of any size: in batches, in order, on every core or on Dask.

:func:`iter_predictions` streams ``(document, spans)`` pairs from any iterable of
documents, holding only a few batches in memory; :func:`predict_corpus` reads a
corpus folder lazily and writes the predicted spans as it goes. Work is spread
with joblib: ``n_jobs`` worker processes on this machine, or the workers of a
``dask.distributed`` cluster when a ``client`` is given (the ``dask`` extra).
The output is the same for any ``n_jobs``, batch size or backend: each
document's prediction depends on that document alone, and results come back in
input order.

Examples
--------
>>> from biaskit import Document, Span
>>> from biaskit.baseline import SpanClassifier
>>> text = "Officials said the US killed him. Tehran vowed revenge."
>>> docs = [Document(f"d{i}", text) for i in range(6)]
>>> model = SpanClassifier(random_state=0).fit(docs, [[Span(22, 28, "EVENT_TERM")]] * 6)
>>> pairs = list(iter_predictions(model, docs, batch_chars=100))
>>> [doc.id for doc, _ in pairs]
['d0', 'd1', 'd2', 'd3', 'd4', 'd5']
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import pickle
import warnings
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar

import attrs

from biaskit._atomic import atomic_group
from biaskit.errors import AnnotationError, BiaskitError, OutputExistsError, Problem
from biaskit.io._names import safe_file_stem
from biaskit.io.native import (
    DOCUMENTS_FILE,
    FORMAT_VERSION,
    SCHEMA_FILE,
    SPANS_DIR,
    check_corpus,
    dumps_schema,
    iter_documents,
    loads_schema,
)
from biaskit.model import AnnotationSet, AttributeValue, Document, Span
from biaskit.schema import AttributeSpec, LabelSpec, Schema

if TYPE_CHECKING:
    from biaskit.baseline import SpanClassifier

__all__ = ["PredictionSummary", "iter_predictions", "predict_corpus"]

BOILERPLATE: Final = "BOILERPLATE"
DEFAULT_BATCH_CHARS: Final = 200_000
"""Characters of text per batch: large enough that process start-up and the
model's transfer are small beside the work, small enough to keep every core busy."""

_T = TypeVar("_T")

Progress = Callable[[int, int | None], None]
"""Called as ``progress(documents_done, documents_total)``; the total may be unknown."""


def _batches(documents: Iterable[Document], batch_chars: int) -> Iterator[list[Document]]:
    """Group documents into consecutive batches of about ``batch_chars`` characters."""
    batch: list[Document] = []
    size = 0
    for doc in documents:
        batch.append(doc)
        size += len(doc.text)
        if size >= batch_chars:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _predict_batch(
    model: SpanClassifier, documents: list[Document], boilerplate: list[list[Span]]
) -> list[list[Span]]:
    """Predict one batch (run in a worker)."""
    return model.predict(documents, boilerplate=boilerplate)


_WORKER_MODEL: dict[str, Any] = {}
"""In a worker process, the last model unpacked from a :class:`_Shipped` (by its key)."""


@attrs.frozen(eq=False)
class _Shipped:
    """A model pickled once, to send to worker processes with every batch cheaply.

    joblib pickles a task's arguments for every task: a model passed as is
    is pickled again for each batch (about a megabyte a second of the
    parent's time per megabyte of model) and unpickled again in the worker.
    Its bytes in a NumPy array instead cost a copy per batch (and over a
    megabyte, joblib memory-maps them to the workers once, its ``max_nbytes``
    rule; Dask scatters the object once), and each worker unpickles them
    once (:func:`_unship`).
    """

    key: str
    blob: Any  # numpy.ndarray of uint8


def _ship(model: SpanClassifier) -> _Shipped:
    import numpy as np

    data = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
    return _Shipped(hashlib.sha256(data).hexdigest(), np.frombuffer(data, dtype=np.uint8))


def _unship(shipped: _Shipped) -> SpanClassifier:
    model = _WORKER_MODEL.get(shipped.key)
    if model is None:
        # The bytes are this process's own pickle of the caller's model object.
        model = pickle.loads(memoryview(shipped.blob))
        _WORKER_MODEL.clear()
        _WORKER_MODEL[shipped.key] = model
    return model  # type: ignore[no-any-return]


def _shipped_work(
    work: Callable[[SpanClassifier, list[Document], list[list[Span]]], _T],
    shipped: _Shipped,
    batch: list[Document],
    marks: list[list[Span]],
) -> _T:
    """Run ``work`` in a worker on the model that ``shipped`` carries."""
    return work(_unship(shipped), batch, marks)


def _warn_of_message_log(client: Any) -> None:
    """Warn when the client's scheduler runs in this process and keeps a message log.

    A Dask scheduler keeps its last messages to each worker for debugging
    (``distributed.admin.low-level-log-length``, 1,000 by default), and
    with them the batches of documents they carry: in this process (a
    ``LocalCluster``, e.g. ``Client()``), up to 1,000 batches per worker of
    this process's memory. A remote scheduler's own configuration is not
    visible from here (docs/scaling.md says how to set it there).
    """
    import dask
    from distributed import Scheduler

    if not isinstance(getattr(getattr(client, "cluster", None), "scheduler", None), Scheduler):
        return

    length = dask.config.get("distributed.admin.low-level-log-length", None)
    if length is None or length > 0:
        warnings.warn(
            "the Dask scheduler in this process keeps "
            f"{'all its' if length is None else f'its last {length}'} messages to each "
            "worker, and with them the batches of documents: memory grows by up to that "
            "many batches per worker. Before creating the cluster, set "
            'dask.config.set({"distributed.admin.low-level-log-length": 0}) '
            "(docs/scaling.md)",
            UserWarning,
            stacklevel=4,
        )


def _dask_backend(client: Any) -> contextlib.AbstractContextManager[Any]:
    """Route joblib's work to the workers of a ``dask.distributed`` client."""
    try:
        import distributed  # noqa: F401  (joblib's dask backend needs it)
    except ImportError as exc:  # pragma: no cover - the dask extra is installed in CI
        raise BiaskitError(
            'prediction on a Dask cluster needs dask.distributed: pip install "biaskit[dask]"'
        ) from exc
    import joblib  # type: ignore[import-untyped, unused-ignore]

    _warn_of_message_log(client)
    stack = contextlib.ExitStack()
    stack.enter_context(client.as_current())
    stack.enter_context(joblib.parallel_config(backend="dask"))
    return stack


def iter_predictions(
    model: SpanClassifier,
    documents: Iterable[Document],
    *,
    boilerplate: Mapping[str, Sequence[Span]] | None = None,
    batch_chars: int = DEFAULT_BATCH_CHARS,
    n_jobs: int | None = 1,
    client: Any = None,
    progress: Progress | None = None,
    total: int | None = None,
) -> Iterator[tuple[Document, list[Span]]]:
    """Predict spans for a stream of documents, in batches, in the order given.

    Parameters
    ----------
    model : SpanClassifier
        A fitted classifier (see :func:`biaskit.load_model`).
    documents : iterable of Document
        Read lazily; at most a few batches are held at once.
    boilerplate : mapping of str to sequence of Span, optional
        Per document id, spans; those labelled ``BOILERPLATE`` are not predicted into.
    batch_chars : int
        Characters of text per batch (a batch holds at least one document).
    n_jobs : int or None
        Worker processes on this machine (joblib semantics: ``-1`` all cores).
        With a ``client``, ``-1`` (or None) means every worker of the cluster.
    client : dask.distributed.Client, optional
        Run the batches on this Dask cluster (needs the ``dask`` extra).
    progress : callable, optional
        Called as ``progress(done, total)`` after each batch.
    total : int, optional
        The number of documents, if known, passed on to ``progress``.

    Yields
    ------
    (Document, list of Span)
        Each document with its predicted spans, in input order.

    Raises
    ------
    BiaskitError
        If ``batch_chars`` is not positive, or a client is given without the
        ``dask`` extra installed.

    Warns
    -----
    UserWarning
        If the client's scheduler runs in this process (a ``LocalCluster``)
        with its debugging log of messages on: it would keep up to that many
        batches per worker in memory (see the scaling guide).
    """
    done = 0
    for batch, predicted in _run_batches(
        _predict_batch, model, documents, boilerplate, batch_chars, n_jobs, client
    ):
        yield from zip(batch, predicted, strict=True)
        done += len(batch)
        if progress is not None:
            progress(done, total)


def _run_batches(
    work: Callable[[SpanClassifier, list[Document], list[list[Span]]], _T],
    model: SpanClassifier,
    documents: Iterable[Document],
    boilerplate: Mapping[str, Sequence[Span]] | None,
    batch_chars: int,
    n_jobs: int | None,
    client: Any,
) -> Iterator[tuple[list[Document], _T]]:
    """Apply ``work(model, batch, boilerplate)`` to each batch; yield results in input order.

    In this process when ``n_jobs`` is 1 and there is no client; otherwise on
    joblib's workers, a few batches ahead of the consumer (``pre_dispatch``),
    so memory holds a few batches whatever the corpus size.
    """
    if batch_chars < 1:
        raise BiaskitError(f"batch_chars must be a positive number, not {batch_chars}")
    given = boilerplate or {}

    def marks(batch: list[Document]) -> list[list[Span]]:
        return [[s for s in given.get(d.id, ()) if s.label == BOILERPLATE] for d in batch]

    if client is None and n_jobs == 1:
        for batch in _batches(documents, batch_chars):
            yield batch, work(model, batch, marks(batch))
        return

    import joblib  # type: ignore[import-untyped, unused-ignore]

    context = _dask_backend(client) if client is not None else contextlib.nullcontext()
    with context:
        pending: list[list[Document]] = []
        shipped = _ship(model)

        def tasks() -> Iterator[Any]:
            for batch in _batches(documents, batch_chars):
                pending.append(batch)
                yield joblib.delayed(_shipped_work)(work, shipped, batch, marks(batch))

        jobs = -1 if client is not None and n_jobs in (None, 1) else n_jobs
        # Batches are already sized for the work: joblib must not group them further.
        parallel = joblib.Parallel(
            n_jobs=jobs, return_as="generator", pre_dispatch="2*n_jobs", batch_size=1
        )
        for result in parallel(tasks()):
            yield pending.pop(0), result


@attrs.frozen
class PredictionSummary:
    """What :func:`predict_corpus` wrote.

    Attributes
    ----------
    documents : int
        Documents predicted.
    spans : int
        Spans written.
    written : Path
        The file or folder written.
    problems : tuple of Problem
        What the writer of a foreign format could not represent (see
        :func:`biaskit.write_ptc`, :func:`biaskit.save_brat`); empty for ``native``.
    """

    documents: int
    spans: int
    written: Path
    problems: tuple[Problem, ...] = ()


class _Boilerplate(Mapping[str, Sequence[Span]]):
    """``BOILERPLATE`` spans by document id, stored compactly as offsets.

    Spans are made when a document's entry is asked for, so a corpus with
    boilerplate marked in every document costs a few dozen bytes per span,
    not a model object each.
    """

    def __init__(self) -> None:
        self._offsets: dict[str, array[int]] = {}

    def add(self, doc: str, start: int, end: int) -> None:
        self._offsets.setdefault(doc, array("q")).extend((start, end))

    def __getitem__(self, doc: str) -> Sequence[Span]:
        flat = self._offsets[doc]
        return [Span(flat[i], flat[i + 1], BOILERPLATE) for i in range(0, len(flat), 2)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._offsets)

    def __len__(self) -> int:
        return len(self._offsets)


def _boilerplate_spans(root: Path) -> _Boilerplate:
    """Read the ``BOILERPLATE`` spans of every annotator of a (valid) corpus folder.

    Only those spans are kept, as offsets, so memory grows with the
    boilerplate marked, by a few dozen bytes per span.
    """
    found = _Boilerplate()
    for path in sorted((root / SPANS_DIR).glob("*.jsonl")):
        with path.open("rb") as stream:
            next(stream, None)  # the header
            for raw in stream:
                if b'"BOILERPLATE"' not in raw:
                    continue
                record = json.loads(raw)
                if record.get("label") == BOILERPLATE:
                    found.add(record["doc"], record["start"], record["end"])
    return found


def _count_documents(path: Path) -> int:
    """Count the document lines of a valid ``documents.jsonl`` (header excluded)."""
    lines = 0
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            lines += block.count(b"\n")
    return max(lines - 1, 0)


def _dumps(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def predict_corpus(
    model: SpanClassifier,
    corpus: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    annotator: str = "biaskit-baseline",
    to: Literal["native", "ptc", "brat"] = "native",
    n_jobs: int | None = 1,
    client: Any = None,
    batch_chars: int = DEFAULT_BATCH_CHARS,
    overwrite: bool = False,
    progress: Progress | None = None,
    check: bool = True,
) -> PredictionSummary:
    """Predict spans for every document of a corpus folder and write them.

    The corpus is validated first (in bounded memory), then read one batch at a
    time. ``to="native"`` streams: when ``out`` is a corpus folder (it holds a
    ``documents.jsonl``), ``spans/<annotator>.jsonl`` is written into it;
    otherwise ``out`` becomes a new corpus folder with the schema, the
    documents and the predicted spans. Memory does not grow with the corpus.
    ``to="ptc"`` (a labels file, with an ``article<ID>.txt`` per document, see
    :func:`biaskit.write_ptc_lines`) and ``to="brat"`` (a folder of
    ``.txt``/``.ann`` pairs, see :func:`biaskit.write_brat_sets`) stream
    too, one document at a time; they keep a hash per document and, for
    brat, the distinct labels and attribute values for ``annotation.conf``.
    Every write is atomic: an interrupted one leaves no output behind.

    Parameters
    ----------
    model : SpanClassifier
        A fitted classifier.
    corpus : path-like
        The corpus folder to predict on. Text marked ``BOILERPLATE`` by any
        annotator is skipped.
    out : path-like
        Where to write (see above).
    annotator : str
        The annotator name the predicted spans are written under.
    to : {"native", "ptc", "brat"}
        The output format.
    n_jobs, client, batch_chars, progress
        As in :func:`iter_predictions`.
    overwrite : bool
        Replace existing output files.
    check : bool
        Validate the corpus first. Pass False only when it was just validated
        (the command line does, to print every problem); predicting on a
        corpus with errors gives wrong or no output.

    Returns
    -------
    PredictionSummary

    Raises
    ------
    AnnotationError
        If the corpus has errors (see :func:`biaskit.validate`).
    OutputExistsError
        If an output file exists and ``overwrite`` is false.
    """
    if to not in ("native", "ptc", "brat"):
        raise BiaskitError(f"unknown output format {to!r}; expected native, ptc or brat")
    root = Path(corpus)
    if check:
        checked = check_corpus(root, build=False)
        if checked.errors:
            raise AnnotationError(
                checked.problems,
                summary=f"{os.fspath(root)}: {len(checked.errors)} error(s); cannot predict on it",
            )
    if not (root / DOCUMENTS_FILE).is_file():
        raise BiaskitError(f"{root} holds no {DOCUMENTS_FILE}: not a corpus folder")
    target = Path(out)
    boilerplate = _boilerplate_spans(root)
    total = _count_documents(root / DOCUMENTS_FILE)
    if to == "native":

        def run(work: Callable[..., _T]) -> Iterator[tuple[list[Document], _T]]:
            return _run_batches(
                work, model, iter_documents(root), boilerplate, batch_chars, n_jobs, client
            )

        return _write_native(
            root,
            target,
            annotator,
            tuple(model.labels_),
            run,
            overwrite=overwrite,
            progress=progress,
            total=total,
        )
    pairs = iter_predictions(
        model,
        iter_documents(root),
        boilerplate=boilerplate,
        batch_chars=batch_chars,
        n_jobs=n_jobs,
        client=client,
        progress=progress,
        total=total,
    )
    return _write_foreign(pairs, root, target, annotator, to, overwrite=overwrite)


def _predict_lines(
    model: SpanClassifier,
    documents: list[Document],
    boilerplate: list[list[Span]],
    annotator: str,
    with_documents: bool,
) -> tuple[list[str], list[str]]:
    """Predict one batch and render it as corpus-format lines (run in a worker).

    Rendering in the worker keeps the main process, which only writes, from
    becoming the bottleneck when many workers feed it.
    """
    from biaskit.io.native import _document_record, _span_ids, _span_record

    doc_lines = [_dumps(_document_record(d)) + "\n" for d in documents] if with_documents else []
    span_lines: list[str] = []
    for doc, predicted in zip(
        documents, model.predict(documents, boilerplate=boilerplate), strict=True
    ):
        if predicted:
            aset = AnnotationSet(doc, annotator, predicted)
            span_lines += [
                _dumps(_span_record(span, span_id, doc)) + "\n"
                for _, span, span_id in _span_ids([aset])
            ]
    return doc_lines, span_lines


_PREDICTION_ATTRIBUTES: Final = (
    AttributeSpec(
        "confidence",
        type="number",
        description="The model's probability for the span (written by biaskit predict).",
    ),
    AttributeSpec("origin", description="What proposed the span, e.g. biaskit.baseline or a rule."),
)
_PROBE: Final[Mapping[str, AttributeValue]] = {"confidence": 0.5, "origin": "biaskit.baseline"}


def _schema_gaps(schema: Schema, labels: Iterable[str]) -> list[str]:
    """List what ``schema`` lacks to hold predicted spans of ``labels`` (empty: nothing)."""
    gaps: list[str] = []
    for label in labels:
        gaps += [p.message for p in schema.check_span(Span(0, 1, label, attributes=_PROBE))]
    return list(dict.fromkeys(gaps))


def _extended(schema: Schema, labels: Iterable[str]) -> Schema:
    """Return ``schema`` with the labels and attributes that predicted spans carry added."""
    known = set(schema.label_names)
    added = [LabelSpec(label) for label in labels if label not in known]
    common = {a.name for a in schema.common_attributes}
    extra = [a for a in _PREDICTION_ATTRIBUTES if a.name not in common]
    extended = attrs.evolve(
        schema,
        labels=(*schema.labels, *added),
        common_attributes=(*schema.common_attributes, *extra),
    )
    if _schema_gaps(extended, labels):
        # A label's own spec restricts these attributes; say so rather than write a bad corpus.
        raise BiaskitError(
            f"the schema cannot hold the predictions: {'; '.join(_schema_gaps(extended, labels))}"
        )
    return extended


def _write_native(
    root: Path,
    target: Path,
    annotator: str,
    labels: Sequence[str],
    run: Callable[..., Iterator[tuple[list[Document], tuple[list[str], list[str]]]]],
    *,
    overwrite: bool,
    progress: Progress | None,
    total: int,
) -> PredictionSummary:
    spans_file = target / SPANS_DIR / f"{safe_file_stem(annotator)}.jsonl"
    into_corpus = (target / DOCUMENTS_FILE).is_file()
    source_schema = loads_schema((root / SCHEMA_FILE).read_text("utf-8"))
    if into_corpus:
        target_schema = loads_schema((target / SCHEMA_FILE).read_text("utf-8"))
        missing = _schema_gaps(target_schema, labels)
        if missing:
            raise BiaskitError(
                f"{target / SCHEMA_FILE} cannot hold the predictions: {'; '.join(missing)}; "
                "add them to the schema, or predict into a new folder (its schema is extended)"
            )
    outputs = [spans_file] if into_corpus else [target / SCHEMA_FILE, target / DOCUMENTS_FILE]
    outputs += [] if into_corpus else [spans_file]
    if not overwrite:
        existing = [p for p in outputs if p.exists()]
        if existing:
            raise OutputExistsError(
                f"{existing[0]} exists; pass overwrite=True (--overwrite) to replace it"
            )
    spans_file.parent.mkdir(parents=True, exist_ok=True)
    header = {"biaskit": "spans", "format_version": FORMAT_VERSION, "annotator": annotator}
    documents = spans = 0
    work = functools.partial(_predict_lines, annotator=annotator, with_documents=not into_corpus)
    with atomic_group() as group, contextlib.ExitStack() as files:
        docs_out = None
        if not into_corpus:
            with group.open(target / SCHEMA_FILE) as schema_out:
                if _schema_gaps(source_schema, labels):
                    schema_out.write(dumps_schema(_extended(source_schema, labels)))
                else:
                    schema_out.write((root / SCHEMA_FILE).read_text("utf-8"))
            docs_out = files.enter_context(group.open(target / DOCUMENTS_FILE))
            docs_out.write(_dumps({"biaskit": "documents", "format_version": FORMAT_VERSION}))
            docs_out.write("\n")
        spans_out = files.enter_context(group.open(spans_file))
        spans_out.write(_dumps(header) + "\n")
        for batch, (doc_lines, span_lines) in run(work):
            if docs_out is not None:
                docs_out.writelines(doc_lines)
            spans_out.writelines(span_lines)
            documents += len(batch)
            spans += len(span_lines)
            if progress is not None:
                progress(documents, total)
        files.close()  # flush and sync every file before the group renames them
    return PredictionSummary(documents, spans, spans_file if into_corpus else target)


def _write_foreign(
    pairs: Iterator[tuple[Document, list[Span]]],
    root: Path,
    target: Path,
    annotator: str,
    to: str,
    *,
    overwrite: bool,
) -> PredictionSummary:
    """Write predictions to PTC or brat as they come, holding one document at a time."""
    counts = {"documents": 0, "spans": 0}

    def sets() -> Iterator[AnnotationSet]:
        for doc, predicted in pairs:
            counts["documents"] += 1
            counts["spans"] += len(predicted)
            yield AnnotationSet(doc, annotator, predicted)

    if to == "ptc":
        from biaskit.io.ptc import write_ptc_lines

        problems = write_ptc_lines(sets(), target, task="flc", overwrite=overwrite)
    else:
        from biaskit.io.brat import write_brat_sets

        schema = loads_schema((root / SCHEMA_FILE).read_text("utf-8"))
        problems = write_brat_sets(sets(), target, schema=schema, overwrite=overwrite)
    return PredictionSummary(counts["documents"], counts["spans"], target, tuple(problems))
