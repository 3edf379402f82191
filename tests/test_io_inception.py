"""INCEpTION via dkpro-cassis (the inception extra): UTF-16 files, code-point spans."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import attrs
import pytest

from biaskit import AnnotationError, load_corpus

cassis = pytest.importorskip(
    "cassis", reason='needs the inception extra: pip install "biaskit[inception]"'
)

from biaskit.io.inception import check_inception, load_inception, save_inception  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "interop"
FIXTURE = FIXTURES / "inception"
CODEPOINT_SPANS = {
    (0, 4, "ACTOR_LABEL"),
    (7, 15, "SCARE_QUOTE"),
    (18, 24, "EVENT_TERM"),
    (18, 28, "ATTRIBUTION"),
    (35, 47, "ACTOR_LABEL"),
    (41, 52, "EPITHET"),
    (49, 57, "INFORMATIONAL"),
}


def test_a_project_export_with_utf16_offsets_reads_to_code_points() -> None:
    corpus = load_inception(FIXTURE)
    assert corpus.annotators == ("alice",)
    assert {(s.start, s.end, s.label) for _, s in corpus.spans()} == CODEPOINT_SPANS
    doc = corpus.document("news1")
    assert doc.text.count("\r\n") == 3  # kept verbatim, not normalised
    by_range = {(s.start, s.end): s for _, s in corpus.spans()}
    assert by_range[(0, 4)].attributes == {"target": "Café owner"}
    assert by_range[(7, 15)].note == "distancing quotes"


def test_an_xmi_written_by_biaskit_is_read_by_cassis_with_the_right_covered_text(
    tmp_path: Path,
) -> None:
    corpus = load_inception(FIXTURE)
    assert save_inception(corpus, tmp_path / "out") == []
    folder = tmp_path / "out" / "alice"
    typesystem = cassis.load_typesystem(folder / "TypeSystem.xml")
    cas = cassis.load_cas_from_xmi(folder / "news1.xmi", typesystem=typesystem)
    doc = corpus.document("news1")
    found = {(a.get_covered_text(), a.label) for a in cas.select("webanno.custom.Framing")}
    assert found == {(doc.text[s:e], label) for s, e, label in CODEPOINT_SPANS}
    # The file itself counts UTF-16 code units: "killed" follows 😀, two units.
    xmi = (folder / "news1.xmi").read_text("utf-8")
    assert re.search(r'begin="19" end="25" label="EVENT_TERM"', xmi)


def test_gold_round_trips_through_inception(repo_root: Path, tmp_path: Path) -> None:
    corpus = load_corpus(repo_root / "annotations")
    gold = attrs.evolve(corpus, annotations=corpus.annotation_sets(annotator="gold"))
    save_inception(gold, tmp_path / "xmi")
    back = load_inception(tmp_path / "xmi", schema=gold.schema)

    def spans(c: object) -> set[tuple[object, ...]]:
        return {
            (a.document.id, a.annotator, s.start, s.end, s.label, s.attributes, s.note)
            for a in c.annotations  # type: ignore[attr-defined]
            for s in a.spans
        }

    assert spans(back) == spans(gold)
    assert [d.text for d in back.documents] == [d.text for d in gold.documents]


def test_a_zipped_project_export_with_zipped_user_files_is_read(tmp_path: Path) -> None:
    xmi = (FIXTURE / "annotation" / "news1.txt" / "alice.xmi").read_bytes()
    typesystem = (FIXTURE / "TypeSystem.xml").read_bytes()
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("bob.xmi", xmi)
        archive.writestr("TypeSystem.xml", typesystem)
    project = tmp_path / "project.zip"
    with zipfile.ZipFile(project, "w") as archive:
        archive.writestr("exportedproject.json", "{}")
        archive.writestr("source/news1.txt", "ignored")
        archive.writestr("annotation/news1.txt/bob.zip", inner.getvalue())
        archive.writestr("annotation/news1.txt/INITIAL_CAS.zip", inner.getvalue())
    corpus = load_inception(project)
    assert corpus.annotators == ("bob",)
    assert {(s.start, s.end, s.label) for _, s in corpus.spans()} == CODEPOINT_SPANS


def test_another_layer_name_is_a_parameter(tmp_path: Path) -> None:
    checked = check_inception(FIXTURE, layer="webanno.custom.Other")
    assert [p.code for p in checked.problems if p.code == "no-layer"] == ["no-layer"]
    checked = check_inception(FIXTURE, label_feature="category")
    assert [p.code for p in checked.errors] == ["missing-field"]


def test_damaged_files_are_located_biaskit_errors(tmp_path: Path) -> None:
    user = tmp_path / "alice"
    user.mkdir()
    xmi = (FIXTURE / "annotation" / "news1.txt" / "alice.xmi").read_bytes()
    (user / "news1.xmi").write_bytes(xmi[: len(xmi) // 2])  # truncated
    (user / "news2.xmi").write_bytes(xmi)  # no type system anywhere
    (user / "news3.zip").write_bytes(b"not a zip")
    errors = check_inception(tmp_path).errors
    assert {(Path(p.path or "").name, p.code) for p in errors} == {
        ("news1.xmi", "missing-file"),
        ("news2.xmi", "missing-file"),
        ("news3.zip", "not-a-cas"),
    }
    (user / "TypeSystem.xml").write_bytes((FIXTURE / "TypeSystem.xml").read_bytes())
    errors = check_inception(tmp_path).errors
    assert {(Path(p.path or "").name, p.code) for p in errors} == {
        ("news1.xmi", "not-a-cas"),
        ("news3.zip", "not-a-cas"),
    }
    with pytest.raises(AnnotationError):
        load_inception(tmp_path)
    assert [p.code for p in check_inception(tmp_path / "nowhere").errors] == ["not-found"]
