"""The biaskit command line, run as a user runs it and in-process through ``main``."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import biaskit
from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span, save_corpus
from biaskit.cli import main

PROBLEM_LINE = re.compile(r"^[^:]+:\d+:\d+: (error|warning): .+ \[[a-z0-9-]+\]$")

SCHEMA = Schema("demo", "1.0", [LabelSpec("EVENT_TERM"), LabelSpec("EPITHET")])
D1 = Document("d1", "The US killed Soleimani.", outlet="RT")
D2 = Document("d2", "😀 The killing of a legendary general.", outlet="Fox News")
CORPUS = Corpus(
    [D1, D2],
    SCHEMA,
    [
        AnnotationSet(D1, "alice", [Span(7, 13, "EVENT_TERM", id="a1")]),
        AnnotationSet(D2, "alice", [Span(6, 13, "EVENT_TERM", id="a2")]),
        AnnotationSet(D2, "bob", [Span(19, 28, "EPITHET", id="b1")]),
    ],
)


def executable() -> str:
    found = shutil.which("biaskit") or str(Path(sys.executable).parent / "biaskit")
    assert Path(found).exists(), "the biaskit command is not installed"
    return found


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [executable(), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    save_corpus(CORPUS, root)
    return root


def add_line(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.write(line + "\n")


def warn_only(root: Path) -> None:
    """A blank line: a warning, nothing worse."""
    add_line(root / "spans" / "bob.jsonl", "")


def break_alice(root: Path) -> None:
    """An unknown label on line 2 of alice's file: an error."""
    path = root / "spans" / "alice.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace("EVENT_TERM", "FRAME", 1), "utf-8")


# ---------------------------------------------------------------------------
# validate, as a user runs it


def test_a_clean_corpus_exits_0_and_says_so(corpus: Path) -> None:
    result = run("validate", corpus)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "no problems found\n")


def test_problems_exit_1_one_gnu_line_each(corpus: Path) -> None:
    break_alice(corpus)
    warn_only(corpus)
    result = run("validate", corpus)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert all(PROBLEM_LINE.match(line) for line in lines), lines
    assert lines[0].startswith(f"{corpus / 'spans' / 'alice.jsonl'}:2:")
    assert lines[0].endswith("[unknown-label]")
    assert lines[1] == f"{corpus / 'spans' / 'bob.jsonl'}:3:1: warning: blank line; " + (
        "expected one JSON object per line [blank-line]"
    )
    assert result.stderr == "1 error(s), 1 warning(s) in 2 file(s)\n"


def test_warnings_alone_exit_0_unless_strict(corpus: Path) -> None:
    warn_only(corpus)
    relaxed = run("validate", corpus)
    strict = run("validate", "--strict", corpus)
    assert relaxed.returncode == 0
    assert strict.returncode == 1
    assert relaxed.stdout == strict.stdout
    assert relaxed.stdout.endswith("[blank-line]\n")


def test_quiet_drops_the_summary(corpus: Path) -> None:
    warn_only(corpus)
    result = run("validate", "-q", corpus)
    assert result.stderr == ""
    assert result.stdout.count("\n") == 1


def test_json_output_has_a_stable_shape(corpus: Path) -> None:
    break_alice(corpus)
    warn_only(corpus)
    result = run("validate", "--format", "json", corpus)
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["biaskit"] == biaskit.__version__
    assert payload["paths"] == [str(corpus)]
    assert (payload["errors"], payload["warnings"], payload["exit_code"]) == (1, 1, 1)
    assert [(p["path"], p["line"], p["severity"], p["code"]) for p in payload["problems"]] == [
        (str(corpus / "spans" / "alice.jsonl"), 2, "error", "unknown-label"),
        (str(corpus / "spans" / "bob.jsonl"), 3, "warning", "blank-line"),
    ]
    for problem in payload["problems"]:
        assert set(problem) == {"path", "line", "col", "severity", "code", "message"}
        assert isinstance(problem["col"], int)
        assert problem["message"] == problem["message"].strip()


def test_json_output_of_a_clean_corpus(corpus: Path) -> None:
    result = run("validate", "--format", "json", corpus)
    assert result.returncode == 0
    payload = json.loads(result.stdout)
    assert (payload["errors"], payload["warnings"], payload["problems"]) == (0, 0, [])


def test_validating_one_file_reports_only_that_file(corpus: Path) -> None:
    break_alice(corpus)
    bob = run("validate", corpus / "spans" / "bob.jsonl")
    assert (bob.returncode, bob.stdout) == (0, "")
    docs = run("validate", corpus / "documents.jsonl", corpus / "schema.json")
    assert (docs.returncode, docs.stdout) == (0, "")
    alice = run("validate", corpus / "spans" / "alice.jsonl")
    assert alice.returncode == 1
    assert [line.split(":")[0] for line in alice.stdout.splitlines()] == [
        str(corpus / "spans" / "alice.jsonl")
    ]


def test_the_spans_folder_stands_for_its_corpus(corpus: Path) -> None:
    break_alice(corpus)
    result = run("validate", corpus / "spans")
    assert result.returncode == 1
    assert "[unknown-label]" in result.stdout


@pytest.mark.parametrize(
    ("make", "args", "code"),
    [
        (lambda p: None, ["validate", "{p}/nowhere"], "not-found"),
        (
            lambda p: (p / "notes.txt").write_text("x"),
            ["validate", "{p}/notes.txt"],
            "not-a-corpus",
        ),
        (lambda p: (p / "notes.txt").write_text("x"), ["validate", "{p}"], "not-a-corpus"),
    ],
    ids=["missing path", "a file outside any corpus", "a folder without corpus files"],
)
def test_unusable_input_exits_2_with_a_located_message(
    tmp_path: Path, make: object, args: list[str], code: str
) -> None:
    make(tmp_path)  # type: ignore[operator]
    result = run(*(a.format(p=tmp_path) for a in args))
    assert result.returncode == 2
    assert result.stdout.rstrip().endswith(f"[{code}]")
    assert result.stdout.startswith(args[-1].format(p=tmp_path) + ": error: ")
    assert "Traceback" not in result.stderr


def test_unusable_input_wins_over_problems_elsewhere(corpus: Path) -> None:
    break_alice(corpus)
    result = run("validate", corpus, corpus.parent / "nowhere")
    assert result.returncode == 2
    assert "[unknown-label]" in result.stdout
    assert "[not-found]" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["validate"],
        ["frobnicate"],
        ["validate", "--format", "xml", "x"],
        ["stats"],
        ["validate", "--no-such-flag", "x"],
    ],
)
def test_usage_errors_exit_2_with_usage_text(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "usage: biaskit" in result.stderr
    assert "Traceback" not in result.stderr


def test_version(corpus: Path) -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout == f"biaskit {biaskit.__version__}\n"


@pytest.mark.parametrize(
    "damage",
    [
        lambda r: (r / "documents.jsonl").write_bytes(b"\xff\xfe\x00garbage"),
        lambda r: (r / "schema.json").write_text("[", encoding="utf-8"),
        lambda r: (r / "schema.json").write_text('{"biaskit": "schema"}', encoding="utf-8"),
        lambda r: (r / "spans" / "alice.jsonl").write_text("{" * 100_000, encoding="utf-8"),
        lambda r: (r / "spans" / "alice.jsonl").write_text('{"a": 1e999999}', encoding="utf-8"),
        lambda r: (r / "documents.jsonl").write_text(
            '{"biaskit": "documents", "format_version": 1}\n'
            '{"id": "d1", "sha256": "x", "text": "a", "metadata": {"x": NaN}}\n',
            encoding="utf-8",
        ),
        lambda r: (r / "spans" / "alice.jsonl").write_text(
            '{"biaskit": "spans", "format_version": 1, "annotator": " "}\n', encoding="utf-8"
        ),
        lambda r: ((r / "spans" / "alice.jsonl").unlink(), (r / "spans" / "alice.jsonl").mkdir()),
        lambda r: (r / "documents.jsonl").unlink(),
    ],
    ids=[
        "binary documents",
        "truncated schema",
        "empty schema",
        "deeply nested line",
        "huge number",
        "NaN in metadata",
        "blank annotator",
        "folder as spans file",
        "no documents file",
    ],
)
def test_no_bad_input_shows_a_traceback(corpus: Path, damage: object) -> None:
    damage(corpus)  # type: ignore[operator]
    for args in (["validate", corpus], ["validate", "--format", "json", corpus], ["stats", corpus]):
        result = run(*args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert "Traceback" not in result.stdout
    lines = run("validate", corpus).stdout.splitlines()
    assert lines
    assert all(
        PROBLEM_LINE.match(line) or re.match(r"^[^:]+: error: .+ \[[a-z0-9-]+\]$", line)
        for line in lines
    ), lines


# ---------------------------------------------------------------------------
# stats


def test_stats_text(corpus: Path) -> None:
    result = run("stats", corpus)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "2 documents, 2 outlets, 2 annotators; schema demo 1.0"
    assert "spans by alice, per outlet and label" in lines
    assert "spans by bob, per outlet and label" in lines
    assert re.search(r"^Fox News\s+1\s+37\s+6$", result.stdout, re.MULTILINE)


def test_stats_json(corpus: Path) -> None:
    result = run("stats", "--format", "json", corpus)
    assert result.returncode == 0
    payload = json.loads(result.stdout)
    assert payload["documents"] == 2
    assert payload["schema"] == "demo 1.0"
    assert payload["annotators"] == ["alice", "bob"]
    assert payload["labels"] == ["EVENT_TERM", "EPITHET"]
    assert payload["outlets"] == [
        {"outlet": "Fox News", "documents": 1, "characters": 37, "words": 6},
        {"outlet": "RT", "documents": 1, "characters": 24, "words": 4},
    ]
    assert payload["spans"] == [
        {"annotator": "alice", "outlet": "Fox News", "label": "EVENT_TERM", "count": 1},
        {"annotator": "alice", "outlet": "RT", "label": "EVENT_TERM", "count": 1},
        {"annotator": "bob", "outlet": "Fox News", "label": "EPITHET", "count": 1},
    ]


def test_stats_of_a_broken_corpus_exits_1_and_points_to_validate(corpus: Path) -> None:
    break_alice(corpus)
    result = run("stats", corpus)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "[unknown-label]" in result.stderr
    assert f"run 'biaskit validate {corpus}'" in result.stderr


@pytest.mark.parametrize("target", ["nowhere", "file"])
def test_stats_of_no_corpus_exits_2(tmp_path: Path, target: str) -> None:
    (tmp_path / "file").write_text("x")
    result = run("stats", tmp_path / target)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------------------
# main(), in-process


def test_main_returns_exit_codes(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(corpus)]) == 0
    warn_only(corpus)
    assert main(["validate", str(corpus)]) == 0
    assert main(["validate", "--strict", str(corpus)]) == 1
    break_alice(corpus)
    assert main(["validate", str(corpus)]) == 1
    assert main(["validate", str(corpus / "nowhere")]) == 2
    out = capsys.readouterr().out
    assert "[unknown-label]" in out
    assert "[not-found]" in out


def test_main_turns_usage_errors_into_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["validate", "--format", "xml", "x"]) == 2
    assert "usage: biaskit" in capsys.readouterr().err


def test_main_version_and_help_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"biaskit {biaskit.__version__}\n"
    assert main(["validate", "--help"]) == 0
    assert "--strict" in capsys.readouterr().out


def test_main_json_is_parseable(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    break_alice(corpus)
    assert main(["validate", "--format", "json", str(corpus)]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert [p["code"] for p in payload["problems"]] == ["unknown-label"]


def test_main_stats(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--format", "json", str(corpus)]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 2
