"""docs/corpus.md states the pass-1 agreement figures: they must be what biaskit computes."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from biaskit import agreement_report, load_corpus


def _doc_table(repo_root: Path) -> dict[str, list[str]]:
    text = (repo_root / "docs" / "corpus.md").read_text(encoding="utf-8")
    section = text.split("## Agreement of pass 1", 1)[1]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and re.fullmatch(r"[A-Z_]+|all labels", cells[0]):
            rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture(scope="module")
def report(repo_root: Path):
    corpus = load_corpus(repo_root / "annotations")
    sets = [corpus.annotation_set(d.id, a) for d in corpus for a in ("coder-a", "coder-b")]
    return agreement_report(sets)


def test_every_label_row_matches_the_computed_agreement(repo_root: Path, report) -> None:
    rows = _doc_table(repo_root)
    assert set(rows) == {entry.label for entry in report.labels} | {"all labels"}
    for label, (n_a, n_b, exact, partial, kappa, alpha) in rows.items():
        if label == "all labels":
            pair = report.span_f1[0]
            assert (n_a, n_b) == (str(pair.exact.n_a), str(pair.exact.n_b))
            assert exact == f"{report.mean_exact_f1:.3f}"
            assert partial == f"{report.mean_partial_f1:.3f}"
            assert alpha == f"{report.unitizing.alpha:.3f}"
            continue
        entry = report.label(label)
        pair = entry.span_f1[0]
        assert (n_a, n_b) == (str(pair.exact.n_a), str(pair.exact.n_b)), label
        assert exact == f"{entry.mean_exact_f1:.3f}", label
        assert partial == f"{entry.mean_partial_f1:.3f}", label
        assert kappa == f"{entry.token.cohen_kappa[0].coefficient.value:.3f}", label
        assert alpha == f"{entry.unitizing.alpha:.3f}", label


def test_biaskit_agree_prints_the_documented_unitizing_alpha_and_f1(repo_root: Path) -> None:
    rows = _doc_table(repo_root)
    exe = Path(sys.executable).with_name("biaskit")
    out = subprocess.run(
        [str(exe), "agree", str(repo_root / "annotations")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for label, (_, _, exact, partial, _, alpha) in rows.items():
        name = "(all labels)" if label == "all labels" else label
        assert re.search(rf"^\s+{re.escape(name)}\s+{exact}\s+{partial}$", out, re.M), label
        name = "(overall)" if label == "all labels" else label
        assert re.search(rf"^\s+{re.escape(name)}\s+{alpha}\s", out, re.M), label
