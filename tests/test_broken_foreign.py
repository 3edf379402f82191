"""Broken input for the foreign readers: what each one reports, where, and how the CLI exits.

Every case writes one small malformed input of its own (never third-party
data) and pins what :func:`biaskit.io.formats.validate_foreign` does with it:
either the exact problems (file, code, line) with the first one's message,
or, for input that cannot be used at all, a :class:`biaskit.BiaskitError`
naming the path. ``biaskit validate --from FMT PATH`` must then exit 1
(problems found) or 2 (unusable input) and never print a Python traceback;
rows the readers accept (an empty ``.ann``, an empty export, a 2 MB line)
pin exit 0.

Every reader has rows for the kinds of damage that apply to it: truncated
lines, wrong types, wrong units, inconsistent ids, wrong encodings, huge lines
(over the default 64 MiB of ``ReadLimits.max_line_bytes``; marked slow), empty
files, folders where files are expected and symbolic-link loops. The rows of
the INCEpTION and spaCy readers skip without their extras.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from biaskit import AnnotationError, BiaskitError
from biaskit.io.formats import validate_foreign

# ---------------------------------------------------------------------------
# Writing inputs.


def put(path: Path, content: str | bytes) -> Path:
    """Write ``content`` (text as UTF-8) at ``path``, creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# -- brat: a folder of d1.txt + d1.ann

BRAT_TEXT = "The US killed Soleimani."  # "killed" is [7, 13), "Soleimani" [14, 23)


def brat(ann: str | bytes, text: str | bytes = BRAT_TEXT) -> Callable[[Path], Path]:
    def build(base: Path) -> Path:
        put(base / "brat" / "d1.txt", text)
        put(base / "brat" / "d1.ann", ann)
        return base / "brat"

    return build


# -- Label Studio: one JSON export

LS_TEXT = "😀 Iran's general was killed."  # "killed": code points [21, 27), UTF-16 [22, 28)


def ls_region(start: Any = 21, end: Any = 27, text: Any = "killed", **extra: Any) -> dict[str, Any]:
    region: dict[str, Any] = {
        "id": "r1",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": text, "labels": ["EVENT_TERM"]},
    }
    region.update(extra)
    return region


def ls_task(*regions: dict[str, Any], text: Any = LS_TEXT, task_id: int = 1) -> dict[str, Any]:
    return {
        "id": task_id,
        "data": {"text": text},
        "annotations": [{"completed_by": 1, "result": list(regions)}],
    }


def labelstudio(content: str | bytes | list[Any]) -> Callable[[Path], Path]:
    def build(base: Path) -> Path:
        data = content if isinstance(content, str | bytes) else dumps(content)
        return put(base / "export.json", data)

    return build


# -- doccano: one JSONL file per annotator, UTF-16 offsets by default

DC_TEXT = "😀killed him."  # UTF-16: "killed" is [2, 8); code points: [1, 7)


def dc_line(label: Any = ((2, 8, "EVENT_TERM"),), text: Any = DC_TEXT, doc_id: Any = 1) -> str:
    return dumps({"id": doc_id, "text": text, "label": label})


def doccano(*lines: str | bytes, name: str = "alice.jsonl") -> Callable[[Path], Path]:
    def build(base: Path) -> Path:
        encoded = [line.encode("utf-8") if isinstance(line, str) else line for line in lines]
        return put(base / "doccano" / name, b"\n".join(encoded) + b"\n" if lines else b"")

    return build


# -- PTC: a labels file beside article<ID>.txt files

PTC_ARTICLE = "Title\n\nThey are traitors.\n"  # "traitors" is [16, 24)


def ptc(
    labels: str | bytes, articles: dict[str, str | bytes] | None = None
) -> Callable[[Path], Path]:
    def build(base: Path) -> Path:
        for doc_id, text in (articles if articles is not None else {"1": PTC_ARTICLE}).items():
            put(base / "ptc" / f"article{doc_id}.txt", text)
        return put(base / "ptc" / "task-flc-tc.labels", labels)

    return build


# -- BASIL: articles/<year>/<id>.json and annotations/<year>/<id>_ann.json

BASIL_ARTICLE = {
    "title": "T",
    "date": "2019-01-02",
    "uuid": "u",
    "url": "",
    "source": "fox",
    "main-event": "E",
    "main-entities": [],
    "triplet-uuid": "ev",
    "body-paragraphs": [["A radical plan.", "It passed."]],
}
BASIL_SPAN = {
    "id": "p0",
    "start": 2,
    "end": 9,
    "txt": "radical",
    "bias": "lex",
    "polarity": "neg",
    "aim": "dir",
    "quote": "no",
    "speaker": "",
    "target": "plan",
    "notes": "",
}


def basil(
    article: Any = BASIL_ARTICLE, spans: Any = (BASIL_SPAN,), *, annotations: Any = None
) -> Callable[[Path], Path]:
    def build(base: Path) -> Path:
        root = base / "basil"
        put(
            root / "articles/2019/ev_1.json",
            article if isinstance(article, bytes) else dumps(article),
        )
        ann = annotations if annotations is not None else {"phrase-level-annotations": list(spans)}
        put(
            root / "annotations/2019/ev_1_ann.json",
            ann if isinstance(ann, str | bytes) else dumps(ann),
        )
        return root

    return build


def basil_span(**changes: Any) -> dict[str, Any]:
    return {**BASIL_SPAN, **changes}


def basil_article(**changes: Any) -> dict[str, Any]:
    return {**BASIL_ARTICLE, **changes}


# -- spaCy DocBin (built only when spaCy is importable)


def docbin(make: Callable[[Any], list[Any]]) -> Callable[[Path], Path]:
    def build(base: Path) -> Path:
        spacy = pytest.importorskip("spacy", reason="spaCy rows need the 'spacy' extra")
        from spacy.tokens import DocBin

        nlp = spacy.blank("en")
        path = base / "docs.spacy"
        DocBin(docs=make(nlp), store_user_data=True).to_disk(path)
        return path

    return build


def spacy_bytes(content: bytes) -> Callable[[Path], Path]:
    def build(base: Path) -> Path:
        pytest.importorskip("spacy", reason="spaCy rows need the 'spacy' extra")
        return put(base / "docs.spacy", content)

    return build


# ---------------------------------------------------------------------------
# The table.

Where = tuple[str, str, int | None]  # (file relative to the case folder, code, line)


@dataclass(frozen=True)
class Raises:
    """The reader refuses the input with a BiaskitError whose message names ``names``."""

    names: str


@dataclass(frozen=True)
class Case:
    id: str
    fmt: str
    build: Callable[[Path], Path]
    expected: list[Where] | Raises
    message: str
    exit_code: int
    options: dict[str, str] = field(default_factory=dict)


def slow(case: Case) -> Any:
    """A row that writes a file over the default line limit (64 MiB)."""
    return pytest.param(case, id=case.id, marks=pytest.mark.slow)


def loop(path: Path) -> Path:
    """Make ``path`` a symbolic link to itself (opening it fails with ELOOP)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(path.name)
    return path


HUGE = 64 * 1024 * 1024 + 10  # bytes: over ReadLimits' default max_line_bytes


def huge_line(path: Path, head: bytes, tail: bytes = b"\n", before: bytes = b"") -> Path:
    """Write ``before``, then a line of ``HUGE`` bytes (``head``, padding, ``tail``), in chunks."""
    path.parent.mkdir(parents=True, exist_ok=True)
    chunk = b"x" * (1 << 20)
    with path.open("wb") as out:
        out.write(before + head)
        left = HUGE - len(head) - len(tail)
        while left > 0:
            out.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
        out.write(tail)
    return path


def _brat_file_for_folder(base: Path) -> Path:
    return put(base / "brat", "T1\tEVENT_TERM 7 13\tkilled\n")


def _brat_empty_folder(base: Path) -> Path:
    (base / "brat").mkdir()
    return base / "brat"


def _brat_ann_is_a_folder(base: Path) -> Path:
    put(base / "brat" / "d1.txt", BRAT_TEXT)
    (base / "brat" / "d1.ann").mkdir()
    return base / "brat"


def _brat_ann_without_txt(base: Path) -> Path:
    put(base / "brat" / "d1.txt", BRAT_TEXT)
    put(base / "brat" / "d1.ann", "")
    put(base / "brat" / "d2.ann", "T1\tEVENT_TERM 0 3\tThe\n")
    return base / "brat"


def _ls_folder(base: Path) -> Path:
    put(base / "export" / "tasks.json", dumps([ls_task(ls_region())]))
    return base / "export"


def _doccano_folder_without_jsonl(base: Path) -> Path:
    put(base / "doccano" / "alice.json", dc_line())
    return base / "doccano"


def _doccano_jsonl_folder(base: Path) -> Path:
    put(base / "doccano" / "alice.jsonl", dc_line() + "\n")
    (base / "doccano" / "bob.jsonl").mkdir()
    return base / "doccano"


def _doccano_huge_line(base: Path) -> Path:
    text = "killed " + "x" * (2 * 1024 * 1024)
    return put(base / "doccano" / "alice.jsonl", dc_line([[0, 6, "EVENT_TERM"]], text=text) + "\n")


def _ptc_labels_is_a_folder(base: Path) -> Path:
    put(base / "ptc" / "article1.txt", PTC_ARTICLE)
    (base / "ptc" / "task-flc-tc.labels").mkdir()
    return base / "ptc" / "task-flc-tc.labels"


def _basil_is_a_file(base: Path) -> Path:
    return put(base / "basil", dumps(BASIL_ARTICLE))


def _basil_without_annotation_file(base: Path) -> Path:
    put(base / "basil" / "articles/2019/ev_1.json", dumps(BASIL_ARTICLE))
    (base / "basil" / "annotations/2019").mkdir(parents=True)
    return base / "basil"


def _basil_article_is_a_folder(base: Path) -> Path:
    basil()(base)
    path = base / "basil" / "articles/2019/ev_1.json"
    path.unlink()
    path.mkdir()
    return base / "basil"


def _spacy_two_docs_one_id(nlp: Any) -> list[Any]:
    from biaskit import AnnotationSet, Document, Span
    from biaskit.io.spacy import to_spacy

    doc = Document("d1", BRAT_TEXT)
    sdoc = to_spacy(doc, [AnnotationSet(doc, "alice", [Span(7, 13, "EVENT_TERM")])], nlp=nlp)
    return [sdoc, sdoc.copy()]


def _spacy_broken_mapping(nlp: Any) -> list[Any]:
    sdoc = nlp(BRAT_TEXT)
    sdoc.user_data["biaskit"] = {"format_version": 1, "document": "d1", "spans": {}}
    return [sdoc]


def _spacy_edited_text(nlp: Any) -> list[Any]:
    from biaskit import AnnotationSet, Document, Span
    from biaskit.io.spacy import to_spacy

    doc = Document("d1", BRAT_TEXT)
    sdoc = to_spacy(doc, [AnnotationSet(doc, "alice", [Span(7, 13, "EVENT_TERM")])], nlp=nlp)
    edited = nlp("The US killed Soleimani!")
    edited.user_data.update(sdoc.user_data)
    return [edited]


def _spacy_folder(base: Path) -> Path:
    pytest.importorskip("spacy", reason="spaCy rows need the 'spacy' extra")
    (base / "docs.spacy").mkdir()
    return base / "docs.spacy"


def _spacy_missing(base: Path) -> Path:
    pytest.importorskip("spacy", reason="spaCy rows need the 'spacy' extra")
    return base / "docs.spacy"


def _brat_ann_loop(base: Path) -> Path:
    put(base / "brat" / "d1.txt", BRAT_TEXT)
    loop(base / "brat" / "d1.ann")
    return base / "brat"


def _brat_txt_is_a_folder(base: Path) -> Path:
    (base / "brat" / "d1.txt").mkdir(parents=True)
    put(base / "brat" / "d1.ann", "T1\tEVENT_TERM 7 13\tkilled\n")
    return base / "brat"


def _brat_huge_line(base: Path) -> Path:
    put(base / "brat" / "d1.txt", BRAT_TEXT)
    huge_line(
        base / "brat" / "d1.ann",
        b"#1\tAnnotatorNotes T1\t",
        before=b"T1\tEVENT_TERM 7 13\tkilled\n",
    )
    return base / "brat"


def _ls_loop(base: Path) -> Path:
    return loop(base / "export.json")


def _doccano_loop(base: Path) -> Path:
    put(base / "doccano" / "alice.jsonl", dc_line() + "\n")
    loop(base / "doccano" / "bob.jsonl")
    return base / "doccano"


def _doccano_over_the_limit(base: Path) -> Path:
    huge_line(
        base / "doccano" / "alice.jsonl",
        b'{"id": 2, "text": "',
        b'"}\n',
        (dc_line() + "\n").encode(),
    )
    return base / "doccano"


def _ptc_labels_loop(base: Path) -> Path:
    put(base / "ptc" / "article1.txt", PTC_ARTICLE)
    return loop(base / "ptc" / "task-flc-tc.labels")


def _ptc_article_is_a_folder(base: Path) -> Path:
    (base / "ptc" / "article2.txt").mkdir(parents=True)
    return ptc("1\tLoaded_Language\t16\t24\n")(base)


def _ptc_huge_line(base: Path) -> Path:
    put(base / "ptc" / "article1.txt", PTC_ARTICLE)
    return huge_line(base / "ptc" / "task-flc-tc.labels", b"1\tLoaded_Language\t16\t24 ")


def _basil_article_loop(base: Path) -> Path:
    basil()(base)
    path = base / "basil" / "articles/2019/ev_1.json"
    path.unlink()
    loop(path)
    return base / "basil"


def _spacy_loop(base: Path) -> Path:
    pytest.importorskip("spacy", reason="spaCy rows need the 'spacy' extra")
    return loop(base / "docs.spacy")


def _spacy_truncated(base: Path) -> Path:
    path = docbin(_spacy_two_docs_one_id)(base)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


# -- INCEpTION: a folder per annotator of <document>.xmi beside a TypeSystem.xml


def inception(
    damage: Callable[[Path], object] | None = None, *, second_text: str | None = None
) -> Callable[[Path], Path]:
    """Write alice's d1.xmi (and bob's, over ``second_text``) with save_inception; damage it."""

    def build(base: Path) -> Path:
        pytest.importorskip("cassis", reason="INCEpTION rows need the 'inception' extra")
        from biaskit import AnnotationSet, Corpus, Document, LabelSpec, Schema, Span
        from biaskit.io.inception import save_inception

        schema = Schema("s", "1", [LabelSpec("EVENT_TERM")])
        doc = Document("d1", BRAT_TEXT)
        save_inception(
            Corpus([doc], schema, [AnnotationSet(doc, "alice", [Span(7, 13, "EVENT_TERM")])]),
            base / "inception",
        )
        if second_text is not None:
            other = Document("d1", second_text)
            save_inception(
                Corpus([other], schema, [AnnotationSet(other, "bob", [])]), base / "bob-only"
            )
            (base / "bob-only" / "bob").rename(base / "inception" / "bob")
        if damage is not None:
            damage(base / "inception")
        return base / "inception"

    return build


def _xmi(change: Callable[[bytes], bytes]) -> Callable[[Path], object]:
    def damage(root: Path) -> None:
        path = root / "alice" / "d1.xmi"
        path.write_bytes(change(path.read_bytes()))

    return damage


def _xmi_is_a_folder(root: Path) -> None:
    (root / "alice" / "d1.xmi").unlink()
    (root / "alice" / "d1.xmi").mkdir()


def _xmi_loop(root: Path) -> None:
    (root / "alice" / "d1.xmi").unlink()
    loop(root / "alice" / "d1.xmi")


def _inception_empty_folder(base: Path) -> Path:
    pytest.importorskip("cassis", reason="INCEpTION rows need the 'inception' extra")
    (base / "inception").mkdir()
    return base / "inception"


def _inception_file_for_folder(base: Path) -> Path:
    pytest.importorskip("cassis", reason="INCEpTION rows need the 'inception' extra")
    return put(base / "inception", "<xmi/>")


LATIN1_TEXT = "The caf\xe9 killed him.".encode("latin-1")
ANN = "brat/d1.ann"
EXPORT = "export.json"
ALICE = "doccano/alice.jsonl"
LABELS = "ptc/task-flc-tc.labels"
B_ARTICLE = "basil/articles/2019/ev_1.json"
B_ANN = "basil/annotations/2019/ev_1_ann.json"
REGION = "task 1 ('task-1'), annotation 1 by 'user-1', region 'r1'"
SPAN0 = "phrase-level-annotations[0]"

BRAT_CASES = [
    Case(
        "brat: truncated T line",
        "brat",
        brat("T1\tEVENT_TERM 7\n"),
        [(ANN, "malformed-line", 1)],
        "expected T<n><TAB>Type START END[;START END...]<TAB>covered text, found 'EVENT_TERM 7'",
        1,
    ),
    Case(
        "brat: string offsets",
        "brat",
        brat("T1\tEVENT_TERM seven 13\tkilled\n"),
        [(ANN, "malformed-line", 1)],
        "found 'EVENT_TERM seven 13\\tkilled'",
        1,
    ),
    Case(
        "brat: offset past the end",
        "brat",
        brat("T1\tEVENT_TERM 14 99\tSoleimani\n"),
        [(ANN, "offset-range", 1)],
        "T1: codepoint offset 99 is outside the text (0 to 24)",
        1,
    ),
    Case(
        "brat: UTF-16 offsets after an emoji",
        "brat",
        brat("T1\tEVENT_TERM 3 9\tkilled\n", text="😀 killed him."),
        [(ANN, "text-mismatch", 1)],
        "T1: covered text 'killed' does not match the text at [3, 9), which is 'illed '; "
        "the offsets fit utf16 offsets",
        1,
    ),
    Case(
        "brat: attribute on a missing T id",
        "brat",
        brat("T1\tEVENT_TERM 7 13\tkilled\nA1\tregister T9 loaded\n"),
        [(ANN, "missing-reference", 2)],
        "attribute A1 is about 'T9', which is no text-bound annotation here",
        1,
    ),
    Case(
        "brat: note on a missing T id",
        "brat",
        brat("T1\tEVENT_TERM 7 13\tkilled\n#1\tAnnotatorNotes T5\tvs. died\n"),
        [(ANN, "missing-reference", 2)],
        "note #1 is about 'T5', which is no text-bound annotation here",
        1,
    ),
    Case(
        "brat: duplicate T id",
        "brat",
        brat("T1\tEVENT_TERM 7 13\tkilled\nT1\tEPITHET 14 23\tSoleimani\n"),
        [(ANN, "duplicate-id", 2)],
        "duplicate annotation id 'T1'; first used on line 1",
        1,
    ),
    Case(
        "brat: attribute given twice",
        "brat",
        brat("T1\tEVENT_TERM 7 13\tkilled\nA1\tregister T1 loaded\nA2\tregister T1 neutral\n"),
        [(ANN, "duplicate-attribute", 3)],
        "attribute 'register' given twice for T1",
        1,
    ),
    Case(
        "brat: overlapping fragments",
        "brat",
        brat("T1\tEVENT_TERM 7 13;10 20\tkilled led Solei\n"),
        [(ANN, "offset-range", 1)],
        "T1: its fragments overlap",
        1,
    ),
    Case(
        "brat: unknown annotation kind",
        "brat",
        brat("X1\tEVENT_TERM 7 13\tkilled\n"),
        [(ANN, "malformed-line", 1)],
        "expected an annotation id starting with T, A, M, #, R, E, * or N, found 'X1'",
        1,
    ),
    Case(
        "brat: Latin-1 text file",
        "brat",
        brat("", text=LATIN1_TEXT),
        [("brat/d1.txt", "encoding", 1)],
        "invalid UTF-8 byte 0xe9 at byte offset 7; expected UTF-8 text",
        1,
    ),
    Case(
        "brat: Latin-1 annotation file",
        "brat",
        brat("T1\tEVENT_TERM 7 13\tkilled\n#1\tAnnotatorNotes T1\tcaf\xe9\n".encode("latin-1")),
        [(ANN, "encoding", 2)],
        "invalid UTF-8 byte 0xe9 at byte offset 50",
        1,
    ),
    Case(
        "brat: empty text file under a span",
        "brat",
        brat("T1\tEVENT_TERM 7 13\tkilled\n", text=""),
        [(ANN, "offset-range", 1)],
        "T1: codepoint offset 7 is outside the text (0 to 0)",
        1,
    ),
    Case(
        "brat: .ann without its .txt",
        "brat",
        _brat_ann_without_txt,
        [("brat/d2.ann", "missing-file", None)],
        "d2.ann has no d2.txt beside it; expected both",
        1,
    ),
    Case(
        "brat: .ann is a folder",
        "brat",
        _brat_ann_is_a_folder,
        [(ANN, "unreadable", None)],
        "cannot read d1.ann: Is a directory",
        2,
    ),
    Case(
        "brat: empty folder",
        "brat",
        _brat_empty_folder,
        [("brat", "not-a-corpus", None)],
        "expected .txt and .ann files, or one folder of them per annotator; found none",
        2,
    ),
    Case(
        "brat: a file where the folder should be",
        "brat",
        _brat_file_for_folder,
        [("brat", "not-found", None)],
        "expected a brat folder of .txt and .ann files, found a file",
        2,
    ),
    Case(
        "brat: .ann is a symbolic-link loop",
        "brat",
        _brat_ann_loop,
        [(ANN, "unreadable", None)],
        "cannot read d1.ann: Too many levels of symbolic links",
        2,
    ),
    Case(
        "brat: .txt is a folder",
        "brat",
        _brat_txt_is_a_folder,
        [("brat/d1.txt", "unreadable", None)],
        "cannot read d1.txt: Is a directory",
        2,
    ),
    Case(
        # A document its annotator marked nothing in.
        "brat: empty .ann",
        "brat",
        brat(""),
        [],
        "",
        0,
    ),
    slow(
        Case(
            "brat: note line over the line limit",
            "brat",
            _brat_huge_line,
            [(ANN, "line-too-long", 2)],
            f"line is {HUGE} bytes, over the limit of 67108864; it was skipped unread",
            1,
        )
    ),
]

LABELSTUDIO_CASES = [
    Case(
        "labelstudio: truncated JSON",
        "labelstudio",
        labelstudio(dumps([ls_task(ls_region())])[:80]),
        [(EXPORT, "json-syntax", 1)],
        "invalid JSON: Unterminated string",
        1,
    ),
    Case(
        "labelstudio: empty file",
        "labelstudio",
        labelstudio(""),
        [(EXPORT, "json-syntax", 1)],
        "invalid JSON: Expecting value",
        1,
    ),
    Case(
        "labelstudio: a string instead of a list of tasks",
        "labelstudio",
        labelstudio('"tasks"'),
        [(EXPORT, "wrong-type", 1)],
        "expected a JSON list of tasks, found a string",
        1,
    ),
    Case(
        "labelstudio: null text",
        "labelstudio",
        labelstudio([ls_task(text=None)]),
        [(EXPORT, "wrong-type", None)],
        "task 1: expected the text as a string in data.text, found null",
        1,
    ),
    Case(
        "labelstudio: string offsets",
        "labelstudio",
        labelstudio([ls_task(ls_region(start="21", end="27"))]),
        [(EXPORT, "wrong-type", None)],
        f"{REGION}: value.start must be an integer, not a string",
        1,
    ),
    Case(
        "labelstudio: region id collision",
        "labelstudio",
        labelstudio([ls_task(ls_region(), ls_region(0, 1, "😀"))]),
        [(EXPORT, "duplicate-id", None)],
        f"{REGION}: region id used twice in one result",
        1,
    ),
    Case(
        "labelstudio: code-point and UTF-16 regions in one file",
        "labelstudio",
        labelstudio([ls_task(ls_region()), ls_task(ls_region(22, 28), task_id=2)]),
        [(EXPORT, "mixed-units", None)],
        f"the regions' offsets fit no single unit: {REGION} counts code points, "
        "task 2 ('task-2'), annotation 1 by 'user-1', region 'r1' counts UTF-16 code units",
        1,
    ),
    Case(
        "labelstudio: UTF-16 offsets read as code points",
        "labelstudio",
        labelstudio([ls_task(ls_region(22, 28))]),
        [(EXPORT, "text-mismatch", None)],
        f"{REGION}: value.text 'killed' does not match the text at codepoint offsets "
        "[22, 28), which is 'illed.'; the offsets fit utf16 offsets",
        1,
        {"unit": "codepoint"},
    ),
    Case(
        "labelstudio: code-point offsets read as UTF-16",
        "labelstudio",
        labelstudio([ls_task(ls_region(0, 1, "😀"))]),
        [(EXPORT, "offset-range", None)],
        f"{REGION}: utf16 offset 1 falls inside the character U+1F600",
        1,
        {"unit": "utf16"},
    ),
    Case(
        "labelstudio: offsets past the end",
        "labelstudio",
        labelstudio([ls_task(ls_region(21, 99))]),
        [(EXPORT, "offset-range", None)],
        f"{REGION}: codepoint offset 99 is outside the text (0 to 28)",
        1,
    ),
    Case(
        "labelstudio: annotations not a list",
        "labelstudio",
        labelstudio([{"id": 1, "data": {"text": LS_TEXT}, "annotations": {"result": []}}]),
        [(EXPORT, "wrong-type", None)],
        "task 1 ('task-1'): 'annotations' must be an array, not an object",
        1,
    ),
    Case(
        "labelstudio: two tasks with one id and different texts",
        "labelstudio",
        labelstudio([ls_task(ls_region()), ls_task(text=LS_TEXT + " Later.")]),
        [(EXPORT, "text-differs", None)],
        "task 2: document 'task-1' has a different text here than where it was first read",
        1,
    ),
    Case(
        "labelstudio: Latin-1 bytes",
        "labelstudio",
        labelstudio('[{"id": 1, "data": {"text": "caf\xe9"}}]'.encode("latin-1")),
        [(EXPORT, "encoding", 1)],
        "invalid UTF-8 byte 0xe9 at byte offset 32; expected UTF-8 text",
        1,
    ),
    Case(
        "labelstudio: a folder where the file should be",
        "labelstudio",
        _ls_folder,
        [("export", "unreadable", None)],
        "Is a directory",
        2,
    ),
    Case(
        "labelstudio: export is a symbolic-link loop",
        "labelstudio",
        _ls_loop,
        [(EXPORT, "unreadable", None)],
        "Too many levels of symbolic links",
        2,
    ),
    Case(
        # Read as no documents, with a warning, like an empty doccano file.
        "labelstudio: empty list of tasks",
        "labelstudio",
        labelstudio("[]"),
        [(EXPORT, "empty-file", 1)],
        "no tasks; expected a JSON list of tasks",
        0,
    ),
    Case(
        "labelstudio: text mismatch under UTF-16 offsets",
        "labelstudio",
        labelstudio([ls_task(ls_region(22, 28, "killer"))]),
        [(EXPORT, "text-mismatch", None)],
        f"{REGION}: value.text 'killer' does not match the text at utf16 offsets [22, 28) "
        "(code points [21, 27)), which is 'killed'",
        1,
        {"unit": "utf16"},
    ),
    Case(
        "labelstudio: JSON nested too deeply",
        "labelstudio",
        labelstudio("[" * 100_000 + "]" * 100_000),
        [(EXPORT, "json-syntax", 1)],
        "invalid JSON: nested too deeply",
        1,
    ),
]

DOCCANO_CASES = [
    Case(
        "doccano: truncated line",
        "doccano",
        doccano(dc_line(doc_id=1), dc_line(doc_id=2)[:30]),
        [(ALICE, "json-syntax", 2)],
        "invalid JSON: Unterminated string",
        1,
    ),
    Case(
        # Read as an annotator with no documents, with a warning, like a Label Studio `[]`.
        "doccano: empty file",
        "doccano",
        doccano(),
        [(ALICE, "empty-file", None)],
        "no records; expected one JSON object per line",
        0,
    ),
    Case(
        "doccano: null text",
        "doccano",
        doccano(dc_line(text=None)),
        [(ALICE, "wrong-type", 1)],
        "expected the document text as a string in 'text', found null",
        1,
    ),
    Case(
        "doccano: string offsets",
        "doccano",
        doccano(dc_line([["2", "8", "EVENT_TERM"]])),
        [(ALICE, "wrong-type", 1)],
        "label[1]: offsets must be integers, found a string and a string",
        1,
    ),
    Case(
        "doccano: code-point offsets after an emoji",
        "doccano",
        doccano(dc_line([[1, 7, "EVENT_TERM"]])),
        [(ALICE, "offset-range", 1)],
        "label[1]: utf16 offset 1 falls inside the character U+1F600 at code point 0 "
        "(offsets read as utf16)",
        1,
    ),
    Case(
        "doccano: UTF-16 offsets read as code points",
        "doccano",
        doccano(dc_line([[2, 13, "EVENT_TERM"]])),
        [(ALICE, "offset-range", 1)],
        "label[1]: codepoint offset 13 is outside the text (0 to 12) (offsets read as codepoint)",
        1,
        {"unit": "codepoint"},
    ),
    Case(
        "doccano: line holding an array",
        "doccano",
        doccano("[1, 2]"),
        [(ALICE, "wrong-type", 1)],
        "expected a JSON object, found an array",
        1,
    ),
    Case(
        "doccano: one id for two texts",
        "doccano",
        doccano(dc_line(), dc_line(text=DC_TEXT + " Later.")),
        [(ALICE, "text-differs", 2)],
        "document '1' has a different text here than where it was first read",
        1,
    ),
    Case(
        "doccano: Latin-1 line",
        "doccano",
        doccano(dc_line(), '{"id": 2, "text": "caf\xe9", "label": []}'.encode("latin-1")),
        [(ALICE, "encoding", 2)],
        "invalid UTF-8 byte 0xe9 at byte offset 92; expected UTF-8 text",
        1,
    ),
    Case(
        # Handled, whatever the size: a 2 MB line is read like any other.
        "doccano: 2 MB line",
        "doccano",
        _doccano_huge_line,
        [],
        "",
        0,
    ),
    Case(
        "doccano: folder without .jsonl files",
        "doccano",
        _doccano_folder_without_jsonl,
        [("doccano", "not-a-corpus", None)],
        "expected .jsonl files in the folder, found none",
        2,
    ),
    Case(
        "doccano: a .jsonl that is a folder",
        "doccano",
        _doccano_jsonl_folder,
        [("doccano/bob.jsonl", "unreadable", None)],
        "Is a directory",
        2,
    ),
    Case(
        "doccano: a .jsonl that is a symbolic-link loop",
        "doccano",
        _doccano_loop,
        [("doccano/bob.jsonl", "unreadable", None)],
        "Too many levels of symbolic links",
        2,
    ),
    slow(
        Case(
            "doccano: line over the line limit",
            "doccano",
            _doccano_over_the_limit,
            [(ALICE, "line-too-long", 2)],
            f"line is {HUGE} bytes, over the limit of 67108864; it was skipped unread",
            1,
        )
    ),
]

PTC_CASES = [
    Case(
        "ptc: row of two fields",
        "ptc",
        ptc("1\t16\n"),
        [(LABELS, "ptc-row", 1)],
        "expected 3 tab-separated fields (id, start, end) or 4 (id, technique, start, end), "
        "found 2",
        1,
    ),
    Case(
        "ptc: string offsets",
        "ptc",
        ptc("1\tLoaded_Language\tsixteen\t24\n"),
        [(LABELS, "offset-type", 1)],
        "expected integer offsets, found 'sixteen' and '24'",
        1,
    ),
    Case(
        "ptc: start after end",
        "ptc",
        ptc("1\tLoaded_Language\t16\t24\n1\tLoaded_Language\t24\t16\n"),
        [(LABELS, "offset-range", 2)],
        "expected 0 <= start < end, found start 24 and end 16",
        1,
    ),
    Case(
        "ptc: row for a missing article",
        "ptc",
        ptc("1\tLoaded_Language\t16\t24\n7\tLoaded_Language\t16\t24\n"),
        [(LABELS, "unknown-document", 2)],
        "article '7' is not in",
        1,
    ),
    Case(
        "ptc: unknown technique",
        "ptc",
        ptc("1\tSpin\t16\t24\n"),
        [(LABELS, "unknown-label", 1)],
        "unknown technique 'Spin'; expected one of Appeal_to_Authority",
        1,
    ),
    Case(
        "ptc: SI row after an FLC row",
        "ptc",
        ptc("1\tLoaded_Language\t16\t24\n1\t16\t24\n"),
        [(LABELS, "ptc-row", 2)],
        "expected a flc row like the first row, found a si row",
        1,
    ),
    Case(
        # "Title 😀\n\nThey are traitors.": 27 code points, 28 UTF-16 units.
        "ptc: UTF-16 offsets after an emoji",
        "ptc",
        ptc("1\tLoaded_Language\t19\t28\n", {"1": "Title 😀\n\nThey are traitors."}),
        [(LABELS, "offset-range", 1)],
        "span [19, 28) ends past the end of article '1' (27 code points)",
        1,
    ),
    Case(
        "ptc: Latin-1 labels file",
        "ptc",
        ptc("1\tLoaded_Language\t16\t24\n1\tcaf\xe9\t16\t24\n".encode("latin-1")),
        [(LABELS, "encoding", 2)],
        "invalid UTF-8 byte 0xe9 at byte offset 29; expected UTF-8 text",
        1,
    ),
    Case(
        "ptc: Latin-1 article",
        "ptc",
        ptc("1\tLoaded_Language\t16\t24\n", {"1": b"Title\n\n" + LATIN1_TEXT}),
        [("ptc/article1.txt", "encoding", 3)],
        "invalid UTF-8 byte 0xe9 at byte offset 14; expected UTF-8 text",
        1,
    ),
    Case(
        "ptc: empty labels file and no article",
        "ptc",
        ptc("", {}),
        Raises("ptc"),
        "expected article<ID>.txt files, found none",
        2,
    ),
    Case(
        "ptc: labels path is a folder",
        "ptc",
        _ptc_labels_is_a_folder,
        Raises(LABELS),
        "cannot read the labels file: Is a directory",
        2,
    ),
    Case(
        "ptc: labels file is a symbolic-link loop",
        "ptc",
        _ptc_labels_loop,
        Raises(LABELS),
        "cannot read the labels file: Too many levels of symbolic links",
        2,
    ),
    Case(
        "ptc: an article that is a folder",
        "ptc",
        _ptc_article_is_a_folder,
        Raises("ptc/article2.txt"),
        "cannot read the article: Is a directory",
        2,
    ),
    Case(
        # Articles with no spans: what a model predicts on.
        "ptc: empty labels file beside an article",
        "ptc",
        ptc(""),
        [],
        "",
        0,
    ),
    slow(
        Case(
            "ptc: row over the line limit",
            "ptc",
            _ptc_huge_line,
            [(LABELS, "line-too-long", 1)],
            f"line is {HUGE} bytes, over the limit of 67108864; it was skipped unread",
            1,
        )
    ),
]

BASIL_CASES = [
    Case(
        "basil: a file where the folder should be",
        "basil",
        _basil_is_a_file,
        Raises("basil"),
        "expected the BASIL folders articles/ and annotations/",
        2,
    ),
    Case(
        "basil: truncated article JSON",
        "basil",
        basil(dumps(BASIL_ARTICLE)[:40].encode()),
        [(B_ARTICLE, "json-syntax", 1)],
        "invalid JSON: Unterminated string",
        1,
    ),
    Case(
        "basil: article is a list",
        "basil",
        basil(b"[]"),
        [(B_ARTICLE, "basil-field", None)],
        "expected a JSON object",
        1,
    ),
    Case(
        "basil: null title",
        "basil",
        basil(basil_article(title=None)),
        [(B_ARTICLE, "basil-field", None)],
        "expected 'title' to be a JSON str, found NoneType",
        1,
    ),
    Case(
        "basil: string offsets",
        "basil",
        basil(spans=[basil_span(start="2")]),
        [(B_ANN, "basil-span", None)],
        f"{SPAN0}: expected integer 'start' and 'end' and a string 'txt'",
        1,
    ),
    Case(
        "basil: span text mismatch",
        "basil",
        basil(spans=[basil_span(txt="radial")]),
        [(B_ANN, "text-mismatch", None)],
        f"{SPAN0}: [2, 9) of sentence p0 covers 'radical', not the recorded text 'radial'",
        1,
    ),
    Case(
        "basil: span in a missing sentence",
        "basil",
        basil(spans=[basil_span(id="p9")]),
        [(B_ANN, "basil-span", None)],
        f"{SPAN0}: sentence p9 does not exist; the body has 2 sentences",
        1,
    ),
    Case(
        "basil: unknown bias",
        "basil",
        basil(spans=[basil_span(bias="spin")]),
        [(B_ANN, "unknown-label", None)],
        f"{SPAN0}: expected 'bias' to be 'lex' or 'inf', found 'spin'",
        1,
    ),
    Case(
        "basil: empty annotation file",
        "basil",
        basil(annotations=""),
        [(B_ANN, "json-syntax", 1)],
        "invalid JSON: Expecting value",
        1,
    ),
    Case(
        "basil: Latin-1 article",
        "basil",
        basil(dumps(basil_article(title="caf\xe9")).encode("latin-1")),
        [(B_ARTICLE, "encoding", 1)],
        "invalid UTF-8 byte 0xe9 at byte offset 14; expected UTF-8 text",
        1,
    ),
    Case(
        "basil: annotation file missing",
        "basil",
        _basil_without_annotation_file,
        Raises(B_ANN),
        "missing; every BASIL article has an annotation file",
        2,
    ),
    Case(
        "basil: article file is a folder",
        "basil",
        _basil_article_is_a_folder,
        Raises(B_ARTICLE),
        "cannot read: Is a directory",
        2,
    ),
    Case(
        "basil: article is a symbolic-link loop",
        "basil",
        _basil_article_loop,
        Raises(B_ARTICLE),
        "cannot read: Too many levels of symbolic links",
        2,
    ),
    Case(
        "basil: annotation JSON nested too deeply",
        "basil",
        basil(annotations="[" * 100_000 + "]" * 100_000),
        [(B_ANN, "json-syntax", 1)],
        "invalid JSON: nested too deeply",
        1,
    ),
]

SPACY_CASES = [
    Case(
        "spacy: random bytes",
        "spacy",
        spacy_bytes(b"\x00\x01not a docbin"),
        [("docs.spacy", "unreadable", None)],
        "expected a spaCy DocBin (.spacy) file, found data spaCy cannot read",
        2,
    ),
    Case(
        "spacy: empty file",
        "spacy",
        spacy_bytes(b""),
        [("docs.spacy", "unreadable", None)],
        "expected a spaCy DocBin (.spacy) file, found data spaCy cannot read",
        2,
    ),
    Case(
        "spacy: a folder where the file should be",
        "spacy",
        _spacy_folder,
        [("docs.spacy", "not-found", None)],
        "expected a spaCy DocBin (.spacy) file, found a folder",
        2,
    ),
    Case(
        "spacy: no such file",
        "spacy",
        _spacy_missing,
        [("docs.spacy", "not-found", None)],
        "expected a spaCy DocBin (.spacy) file, found nothing",
        2,
    ),
    Case(
        "spacy: two Docs with one id",
        "spacy",
        docbin(_spacy_two_docs_one_id),
        [("docs.spacy", "duplicate-id", 2)],
        "document id 'd1' appears twice (first in Doc 1)",
        1,
    ),
    Case(
        "spacy: biaskit mapping of the wrong type",
        "spacy",
        docbin(_spacy_broken_mapping),
        [("docs.spacy", "spacy-user-data", 1)],
        "the biaskit mapping's 'document' must be a mapping",
        1,
    ),
    Case(
        "spacy: text edited after writing",
        "spacy",
        docbin(_spacy_edited_text),
        [("docs.spacy", "text-hash", 1)],
        "the text of document 'd1' is not the text its spans were written over",
        1,
    ),
    Case(
        "spacy: truncated file",
        "spacy",
        _spacy_truncated,
        [("docs.spacy", "unreadable", None)],
        "expected a spaCy DocBin (.spacy) file, found data spaCy cannot read",
        2,
    ),
    Case(
        "spacy: a symbolic-link loop",
        "spacy",
        _spacy_loop,
        [("docs.spacy", "not-found", None)],
        "expected a spaCy DocBin (.spacy) file, found a broken symbolic link or a link loop",
        2,
    ),
]

XMI = "inception/alice/d1.xmi"

INCEPTION_CASES = [
    Case(
        "inception: truncated XMI",
        "inception",
        inception(_xmi(lambda data: data[: len(data) // 2])),
        [(XMI, "not-a-cas", None)],
        "cannot read the CAS: Couldn't find end of Start Tag",
        1,
    ),
    Case(
        "inception: string offset",
        "inception",
        inception(_xmi(lambda data: data.replace(b'begin="7"', b'begin="seven"'))),
        [(XMI, "not-a-cas", None)],
        "cannot read the CAS: invalid literal for int() with base 10: 'seven'",
        1,
    ),
    Case(
        "inception: offset past the end",
        "inception",
        inception(_xmi(lambda data: data.replace(b'end="13"', b'end="99"'))),
        [(XMI, "offset-range", None)],
        "UTF-16 offset(s) 99 fall inside a character or outside the text",
        1,
    ),
    Case(
        # "😀killed": written as UTF-16 [2, 8); code points [1, 7) would split the emoji.
        "inception: code-point offsets after an emoji",
        "inception",
        inception(
            _xmi(
                lambda data: data.replace(b'begin="7" end="13"', b'begin="1" end="7"').replace(
                    BRAT_TEXT.encode(), "😀killed him.".encode()
                )
            )
        ),
        [(XMI, "offset-range", None)],
        "UTF-16 offset(s) 1 fall inside a character or outside the text",
        1,
    ),
    Case(
        "inception: one document, two texts",
        "inception",
        inception(second_text="The US killed him."),
        [("inception/bob/d1.xmi", "text-differs", None)],
        "document 'd1' has a different text here than where it was first read",
        1,
    ),
    Case(
        "inception: Latin-1 bytes in a UTF-8 XMI",
        "inception",
        inception(_xmi(lambda data: data.replace(b"killed", "kill\xe9".encode("latin-1")))),
        [(XMI, "not-a-cas", None)],
        "cannot read the CAS: Invalid bytes in character encoding",
        1,
    ),
    Case(
        "inception: empty XMI",
        "inception",
        inception(_xmi(lambda data: b"")),
        [(XMI, "not-a-cas", None)],
        "cannot read the CAS: no element found",
        1,
    ),
    Case(
        "inception: XMI without its type system",
        "inception",
        inception(lambda root: (root / "alice" / "TypeSystem.xml").unlink()),
        [(XMI, "missing-file", None)],
        "no TypeSystem.xml found for this XMI",
        1,
    ),
    Case(
        "inception: XMI is a folder",
        "inception",
        inception(_xmi_is_a_folder),
        [(XMI, "unreadable", None)],
        "cannot read alice/d1.xmi: Is a directory",
        2,
    ),
    Case(
        "inception: XMI is a symbolic-link loop",
        "inception",
        inception(_xmi_loop),
        [(XMI, "unreadable", None)],
        "cannot read alice/d1.xmi: Too many levels of symbolic links",
        2,
    ),
    Case(
        "inception: empty folder",
        "inception",
        _inception_empty_folder,
        [("inception", "not-a-corpus", None)],
        "expected annotation/<document>/<user>.xmi files (a project export) or a folder",
        2,
    ),
    Case(
        "inception: a file that is neither a folder nor a zip",
        "inception",
        _inception_file_for_folder,
        [("inception", "unreadable", None)],
        "File is not a zip file",
        2,
    ),
]

TABLE = [
    *BRAT_CASES,
    *LABELSTUDIO_CASES,
    *DOCCANO_CASES,
    *PTC_CASES,
    *BASIL_CASES,
    *SPACY_CASES,
    *INCEPTION_CASES,
]
ROWS = [row if not isinstance(row, Case) else pytest.param(row, id=row.id) for row in TABLE]


def _case(row: Any) -> Case:
    return row if isinstance(row, Case) else row.values[0]


# ---------------------------------------------------------------------------
# The tests.


def relative(path: str | None, base: Path) -> str | None:
    if path is None:
        return None
    return Path(path).relative_to(base).as_posix()


def run_cli(case: Case, path: Path) -> subprocess.CompletedProcess[str]:
    options = [arg for key, value in case.options.items() for arg in (f"--{key}", value)]
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from biaskit.cli import main; sys.exit(main())",
            "validate",
            "--from",
            case.fmt,
            *options,
            str(path),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )


def test_the_table_holds_at_least_sixty_distinct_cases_over_every_reader() -> None:
    from biaskit.io.formats import FORMATS

    cases = [_case(row) for row in TABLE]
    assert len(cases) >= 60
    assert len({case.id for case in cases}) == len(cases)
    readers = {name for name, info in FORMATS.items() if info.reads and name != "native"}
    assert {case.fmt for case in cases} == readers


@pytest.mark.parametrize("case", ROWS)
def test_each_broken_input_gives_its_problems_and_exit_code(tmp_path: Path, case: Case) -> None:
    path = case.build(tmp_path)
    if isinstance(case.expected, Raises):
        with pytest.raises(BiaskitError) as raised:
            validate_foreign(path, case.fmt, **case.options)
        assert not isinstance(raised.value, AnnotationError)
        assert case.message in str(raised.value)
        assert str(tmp_path / case.expected.names) in str(raised.value)
    else:
        problems = validate_foreign(path, case.fmt, **case.options)
        found = [(relative(p.path, tmp_path), p.code, p.line) for p in problems]
        assert found == case.expected
        if problems:
            assert case.message in problems[0].message

    result = run_cli(case, path)
    assert "Traceback" not in result.stderr
    assert result.returncode == case.exit_code, result.stdout + result.stderr
    if isinstance(case.expected, Raises):
        assert str(tmp_path / case.expected.names) in result.stderr
    else:
        for _, code, _ in case.expected:
            assert f"[{code}]" in result.stdout
