"""biaskit convert and biaskit validate --from, as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import biaskit

EXE = str(Path(sys.executable).with_name("biaskit"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True, check=False)


def spans_of(corpus: biaskit.Corpus, annotator: str) -> list[tuple[str, int, int, str]]:
    return sorted((doc.id, s.start, s.end, s.label) for doc, s in corpus.spans(annotator=annotator))


@pytest.mark.parametrize("middle", ["brat", "labelstudio"])
def test_gold_survives_native_to_format_and_back(
    tmp_path: Path, repo_root: Path, middle: str
) -> None:
    suffix = ".json" if middle == "labelstudio" else ""
    there = tmp_path / f"there{suffix}"
    back = tmp_path / "back"
    first = run("convert", "--from", "native", "--to", middle, repo_root / "annotations", there)
    assert first.returncode == 0, first.stderr
    second = run("convert", "--from", middle, "--to", "native", there, back)
    assert second.returncode == 0, second.stderr
    assert run("validate", back).returncode == 0
    original = biaskit.load_corpus(repo_root / "annotations")
    assert spans_of(biaskit.load_corpus(back), "gold") == spans_of(original, "gold")


def test_convert_never_overwrites_without_being_asked(tmp_path: Path, repo_root: Path) -> None:
    out = tmp_path / "brat"
    assert (
        run(
            "convert", "--from", "native", "--to", "brat", repo_root / "annotations", out
        ).returncode
        == 0
    )
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    again = run("convert", "--from", "native", "--to", "brat", repo_root / "annotations", out)
    assert again.returncode == 2
    assert "Traceback" not in again.stderr
    assert before == {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    forced = run(
        "convert", "--from", "native", "--to", "brat", repo_root / "annotations", out, "--overwrite"
    )
    assert forced.returncode == 0


def test_an_option_a_format_does_not_take_is_a_usage_error(tmp_path: Path, repo_root: Path) -> None:
    result = run(
        "convert",
        "--from",
        "native",
        "--to",
        "brat",
        repo_root / "annotations",
        tmp_path / "o",
        "--task",
        "si",
    )
    assert result.returncode == 2
    assert "option --task does not apply" in result.stderr
    assert not (tmp_path / "o").exists()


def test_validate_from_reports_foreign_problems_with_locations(
    tmp_path: Path, repo_root: Path
) -> None:
    out = tmp_path / "brat"
    assert (
        run(
            "convert", "--from", "native", "--to", "brat", repo_root / "annotations", out
        ).returncode
        == 0
    )
    assert run("validate", "--from", "brat", out).returncode == 0
    ann = next((out / "gold").glob("*.ann"))
    lines = ann.read_text(encoding="utf-8").splitlines()
    first_t = next(i for i, line in enumerate(lines) if line.startswith("T"))
    tid, rest, text = lines[first_t].split("\t")
    label, start, end = rest.split(" ")[:3]
    lines[first_t] = f"{tid}\t{label} {int(start) + 1} {int(end) + 1}\t{text}"
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("validate", "--from", "brat", out, "--format", "json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)["problems"]
    assert any(
        p["code"] == "text-mismatch" and p["path"].endswith(ann.name) and p["line"] == first_t + 1
        for p in problems
    )


def test_validate_from_on_a_missing_path_exits_2(tmp_path: Path) -> None:
    result = run("validate", "--from", "doccano", tmp_path / "nope.jsonl")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
