"""Prediction over a corpus: streamed in batches, the same output for any n_jobs or backend."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Literal

import pytest

import biaskit
from biaskit import AnnotationError, BiaskitError, Corpus, OutputExistsError
from biaskit.baseline import SpanClassifier
from biaskit.prediction import iter_predictions, predict_corpus

EXE = str(Path(sys.executable).with_name("biaskit"))


@pytest.fixture(scope="module")
def corpus(repo_root: Path) -> Corpus:
    return biaskit.load_corpus(repo_root / "annotations")


@pytest.fixture(scope="module")
def model(corpus: Corpus) -> SpanClassifier:
    documents, rows = biaskit.training_data(corpus, "gold")
    return SpanClassifier(random_state=0).fit(documents, rows)


@pytest.fixture(scope="module")
def model_file(model: SpanClassifier, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("model") / "seed.joblib"
    biaskit.save_model(model, path)
    return path


def boilerplate_of(corpus: Corpus) -> dict[str, list[biaskit.Span]]:
    return {
        doc.id: [
            s
            for a in corpus.annotation_sets(document_id=doc.id)
            for s in a.spans
            if s.label == "BOILERPLATE"
        ]
        for doc in corpus.documents
    }


def files_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_streamed_predictions_equal_one_predict_call_for_any_batch_size(
    model: SpanClassifier, corpus: Corpus
) -> None:
    documents = list(corpus.documents)
    marks = boilerplate_of(corpus)
    expected = model.predict(documents, boilerplate=[marks[d.id] for d in documents])
    assert any(expected), "the seed model must predict something for the test to mean anything"
    for batch_chars in (1, 10_000, 10**9):
        pairs = list(
            iter_predictions(model, iter(documents), boilerplate=marks, batch_chars=batch_chars)
        )
        assert [d.id for d, _ in pairs] == [d.id for d in documents]
        assert [spans for _, spans in pairs] == expected


def test_two_processes_give_the_same_output_in_the_same_order(
    model: SpanClassifier, corpus: Corpus
) -> None:
    documents = list(corpus.documents) * 3  # more batches than workers
    one = list(iter_predictions(model, documents, batch_chars=1))
    two = list(iter_predictions(model, documents, batch_chars=1, n_jobs=2))
    assert two == one


def test_a_worker_unpickles_the_shipped_model_once_and_keeps_only_the_latest(
    model: SpanClassifier, corpus: Corpus
) -> None:
    from biaskit import prediction

    shipped = prediction._ship(model)
    first = prediction._unship(shipped)
    assert first is not model  # a copy, as a worker process gets it
    assert prediction._unship(shipped) is first  # not unpickled again for the next batch
    assert first.predict(list(corpus.documents)) == model.predict(list(corpus.documents))
    other = SpanClassifier(random_state=1).fit(*biaskit.training_data(corpus, "gold"))
    replaced = prediction._unship(prediction._ship(other))
    assert replaced.random_state == 1
    assert list(prediction._WORKER_MODEL.values()) == [replaced]


def test_progress_counts_documents_as_batches_finish(model: SpanClassifier, corpus: Corpus) -> None:
    seen: list[tuple[int, int | None]] = []
    documents = list(corpus.documents)
    list(
        iter_predictions(
            model,
            documents,
            batch_chars=1,
            total=len(documents),
            progress=lambda *a: seen.append(a),
        )
    )
    assert seen == [(i, len(documents)) for i in range(1, len(documents) + 1)]


def test_a_non_positive_batch_size_is_refused(model: SpanClassifier) -> None:
    with pytest.raises(BiaskitError, match="batch_chars"):
        list(iter_predictions(model, [], batch_chars=0))


def test_predict_corpus_streams_the_same_files_as_saving_the_whole_prediction(
    model: SpanClassifier, corpus: Corpus, repo_root: Path, tmp_path: Path
) -> None:
    documents = list(corpus.documents)
    marks = boilerplate_of(corpus)
    predicted = model.predict(documents, boilerplate=[marks[d.id] for d in documents])
    sets = [
        biaskit.AnnotationSet(d, "biaskit-baseline", s)
        for d, s in zip(documents, predicted, strict=True)
        if s
    ]
    biaskit.save_corpus(Corpus(documents, corpus.schema, sets), tmp_path / "whole")

    summary = predict_corpus(model, repo_root / "annotations", tmp_path / "streamed")
    assert files_digest(tmp_path / "streamed") == files_digest(tmp_path / "whole")
    assert summary.documents == len(documents)
    assert summary.spans == sum(len(s) for s in predicted)
    assert biaskit.validate(tmp_path / "streamed") == []


def test_predict_corpus_into_a_corpus_folder_adds_one_spans_file(
    model: SpanClassifier, repo_root: Path, tmp_path: Path
) -> None:
    import shutil

    target = tmp_path / "copy"
    shutil.copytree(repo_root / "annotations", target)
    before = files_digest(target)
    summary = predict_corpus(model, target, target, annotator="model-1")
    after = files_digest(target)
    assert summary.written == target / "spans" / "model-1.jsonl"
    assert set(after) - set(before) == {"spans/model-1.jsonl"}
    assert all(after[name] == digest for name, digest in before.items())
    assert biaskit.validate(target) == []


def test_existing_output_is_refused_and_left_untouched(
    model: SpanClassifier, repo_root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    predict_corpus(model, repo_root / "annotations", out)
    before = files_digest(out)
    with pytest.raises(OutputExistsError):
        predict_corpus(model, repo_root / "annotations", out)
    assert files_digest(out) == before
    predict_corpus(model, repo_root / "annotations", out, overwrite=True)
    assert files_digest(out) == before


def test_a_corpus_with_errors_is_not_predicted_on(
    model: SpanClassifier, repo_root: Path, tmp_path: Path
) -> None:
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(repo_root / "annotations", broken)
    with (broken / "documents.jsonl").open("a", encoding="utf-8") as stream:
        stream.write('{"id": "truncated\n')
    with pytest.raises(AnnotationError) as caught:
        predict_corpus(model, broken, tmp_path / "out")
    assert any(p.line is not None and p.code == "json-syntax" for p in caught.value.problems)
    assert not (tmp_path / "out").exists()


def test_ptc_output_holds_every_predicted_span(
    model: SpanClassifier, repo_root: Path, tmp_path: Path
) -> None:
    summary = predict_corpus(model, repo_root / "annotations", tmp_path / "p.labels", to="ptc")
    rows = (tmp_path / "p.labels").read_text("utf-8").splitlines()
    assert len(rows) == summary.spans > 0


# ------------------------------------------------------------------- Dask


@pytest.fixture(scope="module")
def cluster() -> object:
    distributed = pytest.importorskip(
        "distributed", reason='the Dask tests need the dask extra: pip install "biaskit[dask]"'
    )
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


@pytest.mark.dask
@pytest.mark.filterwarnings("ignore:the Dask scheduler in this process:UserWarning")
def test_a_dask_local_cluster_gives_the_single_process_output(
    model: SpanClassifier, corpus: Corpus, cluster: object
) -> None:
    from distributed import Client

    documents = list(corpus.documents) * 2
    expected = list(iter_predictions(model, documents, batch_chars=1))
    with Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        got = list(iter_predictions(model, documents, batch_chars=1, client=client))
    assert got == expected


@pytest.mark.dask
def test_a_scheduler_in_this_process_that_logs_its_messages_gets_a_warning(
    model: SpanClassifier, corpus: Corpus, cluster: object
) -> None:
    # The fixture's cluster was made with Dask's default log of 1,000 messages.
    import dask
    from distributed import Client

    documents = list(corpus.documents)
    with (
        Client(cluster) as client,
        dask.config.set({"distributed.admin.low-level-log-length": 1000}),
        pytest.warns(UserWarning, match="low-level-log-length") as caught,
    ):
        list(iter_predictions(model, documents, client=client))
    assert "its last 1000 messages" in str(caught[0].message)


@pytest.mark.dask
def test_a_scheduler_with_its_message_log_off_gets_no_warning(
    model: SpanClassifier, corpus: Corpus, recwarn: pytest.WarningsRecorder
) -> None:
    import dask
    import distributed

    documents = list(corpus.documents)
    with (
        dask.config.set({"distributed.admin.low-level-log-length": 0}),
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as local,
        distributed.Client(local) as client,
    ):
        list(iter_predictions(model, documents, client=client))
        logs = [comm.recent_message_log.maxlen for comm in local.scheduler.stream_comms.values()]
    assert logs == [0]  # the scheduler did take the setting
    assert not [w for w in recwarn if "low-level-log-length" in str(w.message)]


@pytest.mark.dask
def test_the_cli_predicts_on_a_dask_scheduler_like_on_one_process(
    model_file: Path, repo_root: Path, tmp_path: Path, cluster: object
) -> None:
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    common = [EXE, "predict", str(repo_root / "annotations"), "--model", str(model_file)]
    local = subprocess.run([*common, "--out", str(tmp_path / "a")], capture_output=True, text=True)
    assert local.returncode == 0, local.stderr
    remote = subprocess.run(
        [*common, "--out", str(tmp_path / "b"), "--scheduler", address, "--batch-chars", "1"],
        capture_output=True,
        text=True,
    )
    assert remote.returncode == 0, remote.stderr
    assert files_digest(tmp_path / "b") == files_digest(tmp_path / "a")


@pytest.mark.slow
def test_the_cli_gives_the_same_files_for_one_and_two_processes(
    model_file: Path, repo_root: Path, tmp_path: Path
) -> None:
    common = [EXE, "predict", str(repo_root / "annotations"), "--model", str(model_file)]
    one = subprocess.run([*common, "--out", str(tmp_path / "one")], capture_output=True, text=True)
    two = subprocess.run(
        [*common, "--out", str(tmp_path / "two"), "--n-jobs", "2", "--batch-chars", "1"],
        capture_output=True,
        text=True,
    )
    assert one.returncode == two.returncode == 0, (one.stderr, two.stderr)
    assert files_digest(tmp_path / "two") == files_digest(tmp_path / "one")
    assert "documents 5/5" in two.stderr
    assert "predicted spans for 5 documents" in two.stdout


@pytest.mark.slow
def test_an_unreachable_scheduler_is_a_clear_error_not_a_traceback(
    model_file: Path, repo_root: Path, tmp_path: Path
) -> None:
    pytest.importorskip("distributed", reason='needs the dask extra: pip install "biaskit[dask]"')
    result = subprocess.run(
        [
            EXE,
            "predict",
            str(repo_root / "annotations"),
            "--model",
            str(model_file),
            "--out",
            str(tmp_path / "o"),
            "--scheduler",
            "tcp://127.0.0.1:9",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "cannot connect to the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("value", ["0", "-2", "two"])
def test_a_bad_n_jobs_is_a_usage_error(value: str, model_file: Path, repo_root: Path) -> None:
    result = subprocess.run(
        [
            EXE,
            "predict",
            str(repo_root / "annotations"),
            "--model",
            str(model_file),
            "--out",
            "x",
            "--n-jobs",
            value,
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "--n-jobs" in result.stderr


def test_json_lines_of_streamed_output_are_one_record_each(
    model: SpanClassifier, repo_root: Path, tmp_path: Path
) -> None:
    predict_corpus(model, repo_root / "annotations", tmp_path / "o")
    for line in (
        (tmp_path / "o" / "spans" / "biaskit-baseline.jsonl").read_text("utf-8").splitlines()
    ):
        assert isinstance(json.loads(line), dict)


def _tiny(tmp_path: Path) -> tuple[SpanClassifier, Path]:
    from biaskit import Document, LabelSpec, Schema, Span

    text = "Officials said the US killed him. Tehran vowed revenge."
    docs = [Document(f"d{i}", text) for i in range(4)]
    model = SpanClassifier(random_state=0).fit(docs, [[Span(22, 28, "KILL")]] * 4)
    source = tmp_path / "source"
    biaskit.save_corpus(Corpus(docs, Schema("plain", "1", [LabelSpec("OTHER")]), []), source)
    return model, source


def test_a_new_folder_gets_a_schema_extended_to_hold_the_predictions(tmp_path: Path) -> None:
    model, source = _tiny(tmp_path)
    predict_corpus(model, source, tmp_path / "out")
    loaded = biaskit.load_corpus(tmp_path / "out")  # valid: no unknown label or attribute
    assert set(loaded.schema.label_names) == {"OTHER", "KILL"}
    assert {"confidence", "origin"} <= {a.name for a in loaded.schema.common_attributes}
    assert len(list(loaded.spans())) == 4


def test_predicting_into_a_corpus_whose_schema_cannot_hold_them_is_refused(
    tmp_path: Path,
) -> None:
    model, source = _tiny(tmp_path)
    before = files_digest(source)
    with pytest.raises(BiaskitError, match=r"schema.json cannot hold the predictions.*KILL"):
        predict_corpus(model, source, source)
    assert files_digest(source) == before


# ------------------------------------------------------------ PTC and brat, streamed

Foreign = Literal["ptc", "brat"]


def _whole_prediction(model: SpanClassifier, corpus: Corpus) -> Corpus:
    """The predictions of every document at once, as the corpus the old path built."""
    documents = list(corpus.documents)
    marks = boilerplate_of(corpus)
    predicted = model.predict(documents, boilerplate=[marks[d.id] for d in documents])
    sets = [
        biaskit.AnnotationSet(d, "biaskit-baseline", s)
        for d, s in zip(documents, predicted, strict=True)
        if s
    ]
    return Corpus(documents, corpus.schema, sets)


def test_ptc_predictions_stream_the_files_write_ptc_writes_for_the_whole_prediction(
    model: SpanClassifier, corpus: Corpus, repo_root: Path, tmp_path: Path
) -> None:
    whole = _whole_prediction(model, corpus)
    problems = biaskit.write_ptc(
        whole, tmp_path / "whole" / "p.labels", annotator="biaskit-baseline", task="flc"
    )
    out = tmp_path / "streamed" / "p.labels"
    summary = predict_corpus(model, repo_root / "annotations", out, to="ptc", batch_chars=1)
    assert files_digest(tmp_path / "streamed") == files_digest(tmp_path / "whole")
    assert len(files_digest(tmp_path / "whole")) == len(corpus.documents) + 1  # rows + articles
    assert (summary.documents, summary.spans) == (len(corpus.documents), len(list(whole.spans())))
    assert [(p.code, p.message) for p in summary.problems] == [
        (p.code, p.message) for p in problems
    ]


def test_brat_predictions_stream_the_files_save_brat_writes_for_the_whole_prediction(
    model: SpanClassifier, corpus: Corpus, repo_root: Path, tmp_path: Path
) -> None:
    whole = _whole_prediction(model, corpus)
    problems = biaskit.save_brat(whole, tmp_path / "whole", annotators=["biaskit-baseline"])
    summary = predict_corpus(
        model, repo_root / "annotations", tmp_path / "streamed", to="brat", batch_chars=1
    )
    assert files_digest(tmp_path / "streamed") == files_digest(tmp_path / "whole")
    conf = (tmp_path / "streamed" / "annotation.conf").read_text("utf-8")
    assert "confidence\tArg:<ENTITY>, Value:" in conf  # every predicted value is listed
    assert (summary.documents, summary.spans) == (len(corpus.documents), len(list(whole.spans())))
    assert [(p.code, p.message) for p in summary.problems] == [
        (p.code, p.message) for p in problems
    ]


@pytest.mark.parametrize(("to", "out", "per_document"), [("ptc", "p.labels", 1), ("brat", "b", 2)])
def test_foreign_predictions_are_written_as_each_batch_comes(
    model: SpanClassifier, repo_root: Path, tmp_path: Path, to: Foreign, out: str, per_document: int
) -> None:
    pending: list[tuple[int, int]] = []

    def progress(done: int, total: int | None) -> None:
        # Called before the next batch is predicted: this batch is already on disk.
        pending.append((done, len(list(tmp_path.rglob("*.tmp")))))

    predict_corpus(
        model, repo_root / "annotations", tmp_path / out, to=to, batch_chars=1, progress=progress
    )
    assert [files for _, files in pending] == [
        per_document * done + (to == "ptc") for done, _ in pending
    ]
    assert not list(tmp_path.rglob("*.tmp"))


@pytest.mark.parametrize(("to", "out"), [("ptc", "p.labels"), ("brat", "b")])
def test_an_interrupted_foreign_prediction_leaves_no_file_and_the_old_output_intact(
    model: SpanClassifier, repo_root: Path, tmp_path: Path, to: Foreign, out: str
) -> None:
    def interrupt(done: int, total: int | None) -> None:
        if done == 2:
            raise KeyboardInterrupt

    target = tmp_path / "new" / out
    with pytest.raises(KeyboardInterrupt):
        predict_corpus(
            model, repo_root / "annotations", target, to=to, batch_chars=1, progress=interrupt
        )
    assert files_digest(tmp_path / "new") == {}
    old = tmp_path / "old" / out
    predict_corpus(model, repo_root / "annotations", old, to=to)
    before = files_digest(tmp_path / "old")
    with pytest.raises(KeyboardInterrupt):
        predict_corpus(
            model,
            repo_root / "annotations",
            old,
            to=to,
            batch_chars=1,
            progress=interrupt,
            overwrite=True,
        )
    assert files_digest(tmp_path / "old") == before


def test_brat_predictions_refuse_ids_that_are_one_file_on_a_case_insensitive_disk(
    tmp_path: Path,
) -> None:
    from biaskit import Document, LabelSpec, Schema, Span

    text = "Officials said the US killed him. Tehran vowed revenge."
    docs = [Document(doc_id, text) for doc_id in ("Doc", "other", "doc")]
    model = SpanClassifier(random_state=0).fit(docs, [[Span(22, 28, "KILL")]] * 3)
    source = tmp_path / "source"
    biaskit.save_corpus(Corpus(docs, Schema("plain", "1", [LabelSpec("KILL")]), []), source)
    with pytest.raises(BiaskitError, match="case-insensitive"):
        predict_corpus(model, source, tmp_path / "b", to="brat")
    assert files_digest(tmp_path / "b") == {}
    with pytest.raises(BiaskitError, match="case-insensitive"):
        biaskit.save_brat(
            _whole_prediction(model, biaskit.load_corpus(source)), tmp_path / "whole"
        )  # the writer of a whole corpus refuses them too
