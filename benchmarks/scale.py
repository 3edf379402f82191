"""Scale benchmark: validation and prediction on synthetic corpora of 10 MB, 100 MB and 1 GB.

Usage::

    python benchmarks/scale.py --work DIR [--sizes 10MB,100MB,1GB] [--out results.json]
        [--predict-sizes SIZES] [--predict-repeats N] [--backends n_jobs=1,n_jobs=2,dask]
        [--no-validate]

For each size, a corpus folder ``DIR/syn-<size>`` is made from the shipped seed
corpus (``benchmarks/_synthetic.py``: seed articles with fresh ids and lightly
shuffled words, their gold spans carried over) unless it is already there.
Then, each measurement in a fresh Python process:

- **validation**: CPU time of ``biaskit.validate`` and of bare JSON parsing of
  the same files (``json.loads`` of every line of ``documents.jsonl`` and each
  spans file), interleaved, best of ``--repeats``; throughput in MB/s and the
  ratio of the two. Peak memory: the resident set peak (``VmHWM``) of a
  process that only imports biaskit and validates.
- **prediction**: ``biaskit.predict_corpus`` with the baseline trained on the
  seed corpus's gold spans, with ``n_jobs=1``, ``n_jobs=2`` and on a Dask
  ``LocalCluster`` of two single-threaded worker processes (``--no-dask`` to
  skip), the corpus's validation left out (it has its own figures): wall
  time, document characters per second, and the speed-up over one
  process. Worker start-up is included for ``n_jobs=2`` (joblib starts its
  processes on first use); the cluster is started before the clock. The three
  outputs are compared byte for byte. ``--predict-repeats N`` runs the backends
  N times, interleaved, and reports the run of median wall time (every wall
  time is in the record: single-process runs on this VM vary by ±15%). Each
  run also records the CPU time of the main process and of the worker
  processes, and the machine's steal time (``/proc/stat``) during the run, so
  that a slow run can be told apart from a loaded host. Peak
  memory is the resident set peak of the ``n_jobs=1`` process (the streaming
  path; with more jobs each worker holds one batch and a copy of the model).

Prints one JSON record per measurement as it goes and a Markdown table at the
end; ``--out`` saves all records as JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SIZES = {"10MB": 10 * 10**6, "100MB": 100 * 10**6, "1GB": 10**9}


def _peak_mb() -> float:
    """Peak resident set of this process, in MB (MiB).

    On Linux, ``VmHWM`` of ``/proc/self/status``: ``ru_maxrss`` would also
    count the parent's memory at the fork that started this process.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _steal_s() -> float | None:
    """CPU time the hypervisor gave to other guests so far (``/proc/stat``), in seconds."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _corpus_files(path: Path) -> list[Path]:
    return [path / "documents.jsonl", *sorted((path / "spans").glob("*.jsonl"))]


# --------------------------------------------------------------- child processes


def _child_validate_time(path: Path, repeats: int) -> dict[str, Any]:
    import json as json_module

    import biaskit

    files = _corpus_files(path)

    def bare() -> None:
        for file in files:
            with file.open("rb") as stream:
                for line in stream:
                    json_module.loads(line)

    def validate() -> None:
        problems = biaskit.validate(path)
        if any(p.is_error for p in problems):
            raise SystemExit(f"{path} has errors: {problems[:3]}")

    bare_times, validate_times = [], []
    for _ in range(repeats):
        for run, times in ((bare, bare_times), (validate, validate_times)):
            start = time.process_time()
            run()
            times.append(time.process_time() - start)
    size = sum(f.stat().st_size for f in files)
    return {
        "bytes": size,
        "bare_json_cpu_s": min(bare_times),
        "validate_cpu_s": min(validate_times),
        "validate_mb_per_s": size / 1e6 / min(validate_times),
        "ratio": min(validate_times) / min(bare_times),
        "all_bare": bare_times,
        "all_validate": validate_times,
    }


def _child_validate_memory(path: Path) -> dict[str, Any]:
    import biaskit

    baseline = _peak_mb()
    start = time.perf_counter()
    problems = biaskit.validate(path)
    return {
        "errors": sum(p.is_error for p in problems),
        "wall_s": time.perf_counter() - start,
        "peak_rss_mb": _peak_mb(),
        "rss_after_import_mb": baseline,
    }


def _digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for file in sorted(folder.rglob("*.jsonl")):
        sha.update(file.relative_to(folder).as_posix().encode())
        sha.update(file.read_bytes())
    return sha.hexdigest()


def _child_predict(path: Path, model_path: Path, backend: str) -> dict[str, Any]:
    import biaskit

    model = biaskit.load_model(model_path)
    chars = 0
    for doc in biaskit.iter_documents(path):
        chars += len(doc.text)
    out = Path(tempfile.mkdtemp(prefix="scale-predict-"))
    cluster = client = None
    try:
        if backend == "dask":
            import dask
            from distributed import Client, LocalCluster

            # The scheduler (in this process for a LocalCluster) keeps the last
            # 1,000 messages to each worker for debugging, and with them the
            # batches they carry: without this, its memory grows to about
            # 1,000 batches (docs/scaling.md).
            dask.config.set({"distributed.admin.low-level-log-length": 0})
            cluster = LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = Client(cluster)
        steal = _steal_s()
        start, cpu = time.perf_counter(), time.process_time()
        summary = biaskit.predict_corpus(
            model,
            path,
            out / "pred",
            n_jobs=2 if backend == "n_jobs=2" else 1,
            client=client,
            check=False,  # validation is measured on its own above
        )
        wall = time.perf_counter() - start
        cpu_main = time.process_time() - cpu
        stolen = _steal_s()
        if backend == "n_jobs=2":
            # Join joblib's worker processes, so that their CPU time is counted below.
            from joblib.externals.loky import get_reusable_executor

            get_reusable_executor().shutdown(wait=True)
        if client is not None and cluster is not None:  # the same for Dask's workers
            client.close()
            cluster.close()
            client = cluster = None
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "documents": summary.documents,
            "spans": summary.spans,
            "chars": chars,
            "wall_s": wall,
            "cpu_s_main_process": cpu_main,
            # Worker processes' CPU (joblib's for n_jobs=2; Dask's including the
            # cluster's start-up and shut-down), and the machine's steal time
            # during the run (both cores).
            "cpu_s_workers": children.ru_utime + children.ru_stime,
            "steal_s": None if steal is None or stolen is None else stolen - steal,
            "chars_per_s": chars / wall,
            "peak_rss_mb": _peak_mb(),
            "output_sha256": _digest(out / "pred"),
        }
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        shutil.rmtree(out, ignore_errors=True)


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median wall time (the lower middle one of an even count), with every wall time."""
    ordered = sorted(runs, key=lambda r: r["wall_s"])
    return {**ordered[(len(ordered) - 1) // 2], "wall_s_runs": [r["wall_s"] for r in runs]}


def _child(argv: list[str]) -> None:
    kind, path = argv[0], Path(argv[1])
    if kind == "validate-time":
        result = _child_validate_time(path, int(argv[2]))
    elif kind == "validate-memory":
        result = _child_validate_memory(path)
    else:
        result = _child_predict(path, Path(argv[2]), argv[3])
    print(json.dumps(result))


def _run_child(*args: object) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --------------------------------------------------------------- driver


def _ensure_corpus(work: Path, name: str, size: int) -> Path:
    sys.path.insert(0, str(HERE))
    from _synthetic import make_corpus

    path = work / f"syn-{name}"
    if not (path / "documents.jsonl").is_file():
        start = time.perf_counter()
        counts = make_corpus(REPO / "annotations", path, size)
        print(
            json.dumps({"made": str(path), **counts, "seconds": time.perf_counter() - start}),
            flush=True,
        )
    return path


def _ensure_model(work: Path) -> Path:
    model = work / "seed-model.joblib"
    if not model.is_file():
        import biaskit
        from biaskit.baseline import SpanClassifier

        corpus = biaskit.load_corpus(REPO / "annotations")
        documents, rows = biaskit.training_data(corpus, "gold")
        fitted = SpanClassifier(random_state=0).fit(documents, rows)
        biaskit.save_model(fitted, model)
    return model


def _table(records: list[dict[str, Any]]) -> str:
    lines = [
        "| corpus | validate MB/s | bare JSON s | validate s | ratio | validate peak MB "
        "| predict chars/s n_jobs=1 | n_jobs=2 (speed-up) | Dask 2 workers (speed-up) "
        "| predict peak MB | identical |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in records:
        if "validate" not in r:
            continue
        v, m, p = r["validate"], r["validate_memory"], r.get("predict", {})
        one, two, dask = p.get("n_jobs=1"), p.get("n_jobs=2"), p.get("dask")

        def speed(x: dict[str, Any] | None, one: dict[str, Any] | None = one) -> str:
            if x is None:
                return "–"
            text = f"{x['chars_per_s']:,.0f}"
            if one is not None and x is not one:
                text += f" ({one['wall_s'] / x['wall_s']:.2f}×)"
            return text

        outputs = {x["output_sha256"] for x in (one, two, dask) if x is not None}
        lines.append(
            f"| {r['size']} ({v['bytes'] / 1e6:,.0f} MB) | {v['validate_mb_per_s']:.1f} "
            f"| {v['bare_json_cpu_s']:.2f} | {v['validate_cpu_s']:.2f} | {v['ratio']:.2f} "
            f"| {m['peak_rss_mb']:.0f} | {speed(one)} | {speed(two)} | {speed(dask)} "
            f"| {one['peak_rss_mb']:.0f} | {'yes' if len(outputs) == 1 else 'NO'} |"
            if one is not None
            else f"| {r['size']} ({v['bytes'] / 1e6:,.0f} MB) | {v['validate_mb_per_s']:.1f} "
            f"| {v['bare_json_cpu_s']:.2f} | {v['validate_cpu_s']:.2f} | {v['ratio']:.2f} "
            f"| {m['peak_rss_mb']:.0f} | – | – | – | – | – |"
        )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="folder for corpora and model")
    parser.add_argument("--sizes", default="10MB,100MB,1GB")
    parser.add_argument(
        "--predict-sizes", default=None, help="sizes to predict on (default: all --sizes)"
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--predict-repeats",
        type=int,
        default=1,
        help="interleaved prediction runs per backend; the median one is reported (default 1)",
    )
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument(
        "--backends",
        default="n_jobs=1,n_jobs=2,dask",
        help="prediction backends to measure (default: n_jobs=1,n_jobs=2,dask)",
    )
    parser.add_argument(
        "--no-validate", action="store_true", help="measure prediction only (corpora must exist)"
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [s.strip() for s in args.sizes.split(",")]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}; expected some of {', '.join(SIZES)}")
    predict_sizes = set(sizes if args.predict_sizes is None else args.predict_sizes.split(","))
    model = _ensure_model(args.work)
    records: list[dict[str, Any]] = []
    for name in sizes:
        path = _ensure_corpus(args.work, name, SIZES[name])
        record: dict[str, Any] = {"size": name, "path": str(path)}
        if not args.no_validate:
            record["validate"] = _run_child("validate-time", path, args.repeats)
            print(json.dumps({"size": name, "validate": record["validate"]}), flush=True)
            record["validate_memory"] = _run_child("validate-memory", path)
            memory = record["validate_memory"]
            print(json.dumps({"size": name, "validate_memory": memory}), flush=True)
        if name in predict_sizes:
            backends = [b for b in args.backends.split(",") if not (args.no_dask and b == "dask")]
            runs: dict[str, list[dict[str, Any]]] = {backend: [] for backend in backends}
            for _ in range(args.predict_repeats):  # interleaved, so drifts hit every backend
                for backend in backends:
                    result = _run_child("predict", path, model, backend)
                    runs[backend].append(result)
                    print(json.dumps({"size": name, "predict": backend, **result}), flush=True)
            record["predict"] = {backend: _median_run(found) for backend, found in runs.items()}
        records.append(record)
    summary = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "records": records,
    }
    if args.out is not None:
        args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(_table(records))


if __name__ == "__main__":
    main()
