"""The annotate → agree → adjudicate workflow from the command line."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import biaskit
from biaskit import (
    AnnotationSet,
    Corpus,
    Document,
    LabelSpec,
    Schema,
    Span,
    save_corpus,
    save_spans,
)

EXE = str(Path(sys.executable).with_name("biaskit"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, check=False)


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    schema = Schema("s", "1", [LabelSpec("EVENT_TERM"), LabelSpec("EPITHET")])
    doc = Document("d", "The US assassinated the legendary general.")
    sets = [
        AnnotationSet(doc, "a", [Span(7, 19, "EVENT_TERM"), Span(24, 41, "EPITHET")]),
        AnnotationSet(doc, "b", [Span(7, 19, "EVENT_TERM"), Span(24, 33, "EPITHET")]),
    ]
    save_corpus(Corpus([doc], schema, sets), tmp_path / "c")
    return tmp_path / "c"


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_adjudicate_writes_only_the_gold_file(corpus_dir: Path) -> None:
    before = snapshot(corpus_dir)
    result = run("adjudicate", str(corpus_dir))
    assert result.returncode == 0, result.stderr
    assert "wrote 2 spans to" in result.stdout
    assert "1 conflict(s) resolved by token-majority between a, b" in result.stdout
    after = snapshot(corpus_dir)
    assert set(after) - set(before) == {corpus_dir / "spans" / "gold.jsonl"}
    assert all(after[p] == before[p] for p in before)
    gold = biaskit.load_corpus(corpus_dir).annotation_set("d", "gold")
    assert [(s.start, s.end, s.label) for s in gold] == [(7, 19, "EVENT_TERM"), (24, 33, "EPITHET")]
    assert run("validate", "--strict", str(corpus_dir)).returncode == 0


def test_adjudicate_refuses_to_replace_gold_without_overwrite(corpus_dir: Path) -> None:
    assert run("adjudicate", str(corpus_dir)).returncode == 0
    gold = (corpus_dir / "spans" / "gold.jsonl").read_bytes()
    again = run("adjudicate", str(corpus_dir), "--method", "union")
    assert again.returncode == 2
    assert "exists; pass overwrite=True (--overwrite)" in again.stderr
    assert "Traceback" not in again.stderr
    assert (corpus_dir / "spans" / "gold.jsonl").read_bytes() == gold
    union = run("adjudicate", str(corpus_dir), "--method", "union", "--overwrite")
    assert union.returncode == 0
    spans = biaskit.load_corpus(corpus_dir).annotation_set("d", "gold").spans
    assert (24, 41) in [(s.start, s.end) for s in spans]


def test_adjudicate_writes_a_json_conflict_report(corpus_dir: Path, tmp_path: Path) -> None:
    report = tmp_path / "conflicts.json"
    assert run("adjudicate", str(corpus_dir), "--report", str(report)).returncode == 0
    (conflict,) = json.loads(report.read_text(encoding="utf-8"))
    assert conflict["kind"] == "boundary"
    assert conflict["versions"]["a"][0]["end"] == 41
    assert conflict["gold"][0]["end"] == 33


def test_agree_reports_json_and_text(corpus_dir: Path) -> None:
    text = run("agree", str(corpus_dir))
    assert text.returncode == 0
    assert "Agreement of 2 annotators (a, b) on 1 document, 2 labels." in text.stdout
    data = json.loads(run("agree", str(corpus_dir), "--format", "json").stdout)
    assert data["annotators"] == ["a", "b"]
    assert data["mean_exact_f1"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["agree", "{c}", "--annotators", "a"], "agreement needs two annotators"),
        (["agree", "{c}", "--annotators", "a", "zed"], "no spans by 'zed' in the corpus"),
        (["adjudicate", "{c}", "--threshold", "1.5"], "threshold must be in [0, 1)"),
        (["agree", "{c}/nowhere"], "no such corpus folder"),
    ],
)
def test_workflow_mistakes_exit_2_with_a_message(corpus_dir: Path, args, message: str) -> None:
    result = run(*[a.format(c=corpus_dir) for a in args])
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_save_spans_needs_the_documents_and_keeps_other_files(
    corpus_dir: Path, tmp_path: Path
) -> None:
    corpus = biaskit.load_corpus(corpus_dir)
    with pytest.raises(biaskit.BiaskitError, match=r"holds no documents\.jsonl"):
        save_spans(corpus, tmp_path / "empty", "a")
    copy = tmp_path / "copy"
    shutil.copytree(corpus_dir, copy)
    before = snapshot(copy)
    new = AnnotationSet(corpus.document("d"), "c", [Span(0, 3, "EPITHET")])
    target = save_spans(corpus.with_annotations([new]), copy, "c")
    assert target == copy / "spans" / "c.jsonl"
    assert {p: b for p, b in snapshot(copy).items() if p != target} == before
    with pytest.raises(biaskit.OutputExistsError):
        save_spans(corpus.with_annotations([new]), copy, "c")


def test_save_spans_refuses_spans_the_folder_schema_cannot_hold(corpus_dir: Path) -> None:
    corpus = biaskit.load_corpus(corpus_dir)
    before = snapshot(corpus_dir)
    doc = corpus.document("d")
    unknown = AnnotationSet(doc, "c", [Span(0, 3, "ATTRIBUTION"), Span(4, 6, "ATTRIBUTION")])
    with pytest.raises(biaskit.BiaskitError, match=r"unknown label 'ATTRIBUTION'.*\(2 spans\)"):
        save_spans(corpus.with_annotations([unknown]), corpus_dir, "c")
    attribute = AnnotationSet(doc, "a", [Span(0, 3, "EPITHET", attributes={"origin": "x"})])
    with pytest.raises(biaskit.BiaskitError, match="origin"):
        save_spans(
            corpus.with_annotations([attribute], replace=True), corpus_dir, "a", overwrite=True
        )
    assert snapshot(corpus_dir) == before


def test_annotate_refuses_a_corpus_whose_schema_lacks_the_rule_labels(tmp_path: Path) -> None:
    schema = Schema("s", "1", [LabelSpec("EPITHET")])
    doc = Document("d", "Reuters reported that the US assassinated the “legendary” general.")
    corpus_dir = tmp_path / "c"
    save_corpus(
        Corpus([doc], schema, [AnnotationSet(doc, "a", [Span(46, 57, "EPITHET")])]), corpus_dir
    )
    before = snapshot(corpus_dir)
    result = run("annotate", "--rules", str(corpus_dir))
    assert result.returncode == 2
    assert "cannot hold its spans" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(corpus_dir) == before
    assert run("validate", "--strict", str(corpus_dir)).returncode == 0


def test_annotate_with_rules_writes_a_valid_spans_file(tmp_path: Path, repo_root: Path) -> None:
    copy = tmp_path / "annotations"
    shutil.copytree(repo_root / "annotations", copy)
    before = snapshot(copy)
    result = run("annotate", "--rules", str(copy), "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    target = copy / "spans" / "biaskit-rules.jsonl"
    assert payload["spans_file"] == str(target)
    assert payload["labels"]["ATTRIBUTION"] > 0
    assert payload["labels"]["SCARE_QUOTE"] > 0
    assert {p: b for p, b in snapshot(copy).items() if p != target} == before
    assert run("validate", "--strict", str(copy)).returncode == 0
    again = run("annotate", "--rules", str(copy))
    assert again.returncode == 2
    assert "--overwrite" in again.stderr
