"""biaskit train, predict and evaluate, as a user runs them on the shipped corpus."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import biaskit

EXE = str(Path(sys.executable).with_name("biaskit"))


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    path = tmp_path_factory.mktemp("model") / "baseline.joblib"
    result = run("train", repo_root / "annotations", "--out", path, "--format", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert "ATTRIBUTION" in summary["labels"]
    return path


@pytest.mark.slow
def test_predict_writes_a_valid_corpus_of_predictions(
    model: Path, repo_root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "predicted"
    result = run("predict", repo_root / "annotations", "--model", model, "--out", out)
    assert result.returncode == 0, result.stderr
    assert run("validate", "--strict", out).returncode == 0
    corpus = biaskit.load_corpus(out)
    spans = [s for _, s in corpus.spans(annotator="biaskit-baseline")]
    assert spans
    assert all(0.0 <= s.attributes["confidence"] <= 1.0 for s in spans)
    assert all(s.attributes["origin"] == "biaskit.baseline" for s in spans)


@pytest.mark.slow
def test_a_tampered_model_is_refused_before_unpickling(
    model: Path, tmp_path: Path, repo_root: Path
) -> None:
    bad = tmp_path / "bad.joblib"
    data = bytearray(model.read_bytes())
    data[-10] ^= 0xFF
    bad.write_bytes(bytes(data))
    result = run("predict", repo_root / "annotations", "--model", bad, "--out", tmp_path / "o")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()


def test_train_refuses_to_replace_a_model(model: Path, repo_root: Path) -> None:
    before = model.read_bytes()
    result = run("train", repo_root / "annotations", "--out", model)
    assert result.returncode == 2
    assert "--overwrite" in result.stderr
    assert model.read_bytes() == before


@pytest.mark.slow
def test_evaluate_leaves_one_outlet_out_and_prints_per_label_scores(repo_root: Path) -> None:
    result = run("evaluate", repo_root / "annotations", "--group-by", "outlet", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["group_by"] == "outlet"
    assert sorted(data["groups"]) == ["BulgarianMilitary", "RT", "unknown"]
    assert "ATTRIBUTION" in json.dumps(data)
