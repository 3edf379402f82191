r"""Read the BASIL corpus (Fan et al., EMNLP 2019) as a biaskit corpus.

BASIL holds 300 news articles: 100 events, each covered by Fox News, The New
York Times and HuffPost. A folder ``articles/<year>/<triplet>_<n>.json`` holds
each article's metadata and its body as a list of paragraphs, each a list of
sentences; ``annotations/<year>/<triplet>_<n>_ann.json`` holds its bias spans,
each with offsets into *one* sentence (``id`` ``p<k>``: the k-th body sentence,
counting across paragraphs; ``title``: the title).

How the text is built
---------------------
A document's text is the title, a blank line, then the paragraphs separated by
a blank line (``"\n\n"``), the sentences of a paragraph separated by one space.
Sentences and title are kept exactly as stored (surrounding spaces included),
so a span's offsets are its sentence's start plus BASIL's offsets, and every
span covers exactly BASIL's ``txt`` (the reader checks each one).

Spans are labelled ``LEXICAL`` (``bias: lex``, word choice) or ``INFORMATIONAL``
(``bias: inf``, the selection of content), with BASIL's attributes
``polarity`` (``neg``/``pos``), ``aim`` (``dir``, ``ind_pro``, ``ind_anti``,
``ind_general``), ``quote`` (``yes``/``no``), ``target`` and ``speaker``
(names as BASIL spells them; an empty speaker is left out), and, when given,
``indirect_target`` and ``indirect_sentiment``. Notes become the span's note.

Documents have the outlet ``Fox News``, ``New York Times`` or ``HuffPost`` and
the metadata ``event`` (the triplet id: split by it, never by article),
``year``, ``main_event``, ``main_entities``, ``basil_uuid`` and ``basil_file``.

Examples
--------
>>> import json, tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> for sub in ("articles/2019", "annotations/2019"):
...     (root / sub).mkdir(parents=True)
>>> article = {"title": "T", "date": "2019-01-02", "uuid": "u", "url": "", "source": "fox",
...            "main-event": "E", "main-entities": [], "triplet-uuid": "ev",
...            "body-paragraphs": [["A radical plan.", "It passed."]]}
>>> span = {"id": "p0", "start": 2, "end": 9, "txt": "radical", "bias": "lex",
...         "polarity": "neg", "aim": "dir", "quote": "no", "speaker": "", "target": "plan",
...         "notes": ""}
>>> _ = (root / "articles/2019/ev_1.json").write_text(json.dumps(article))
>>> _ = (root / "annotations/2019/ev_1_ann.json").write_text(
...     json.dumps({"phrase-level-annotations": [span]}))
>>> corpus = load_basil(root)
>>> doc = corpus.document("ev_1")
>>> doc.text, doc.outlet
('T\n\nA radical plan. It passed.', 'Fox News')
>>> [(s.label, doc.covered_text(s)) for _, s in corpus.spans()]
[('LEXICAL', 'radical')]
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeGuard

from biaskit.corpus import Corpus
from biaskit.errors import AnnotationError, BiaskitError, Problem
from biaskit.io._foreign import undecodable
from biaskit.io._json import loads_json
from biaskit.io.offsets import OffsetConverter
from biaskit.model import AnnotationSet, AttributeValue, Document, Span
from biaskit.schema import AttributeSpec, LabelSpec, Schema

__all__ = ["BASIL_OUTLETS", "load_basil"]

BASIL_OUTLETS: Mapping[str, str] = {
    "fox": "Fox News",
    "nyt": "New York Times",
    "hpo": "HuffPost",
}
"""BASIL's source codes (matched case-insensitively) and the outlet names used."""

_LABELS = {"lex": "LEXICAL", "inf": "INFORMATIONAL"}
_SENTENCE_ID = re.compile(r"p([0-9]{1,9})")
_TITLE_SEP = "\n\n"
_PARAGRAPH_SEP = "\n\n"
_SENTENCE_SEP = " "


def _schema() -> Schema:
    common = [
        AttributeSpec("polarity", values=("neg", "pos"), description="Polarity toward the target."),
        AttributeSpec("target", description="The entity the bias is aimed at (BASIL's name)."),
        AttributeSpec(
            "aim",
            values=("dir", "ind_pro", "ind_anti", "ind_general"),
            description="Direct, or indirect through an ally/opponent of the target.",
        ),
        AttributeSpec("quote", values=("yes", "no"), description="Whether the span is a quote."),
        AttributeSpec("speaker", description="Who is quoted, when quote is 'yes'."),
        AttributeSpec("indirect_target", description="BASIL's indirect-target-name."),
        AttributeSpec(
            "indirect_sentiment", description="BASIL's indirect-ally-opponent-sentiment."
        ),
        AttributeSpec("origin", description="What made the span; absent on hand annotation."),
        AttributeSpec("confidence", type="number", description="A model's probability."),
    ]
    return Schema(
        "basil",
        "2",
        [
            LabelSpec(
                "LEXICAL",
                description="Lexical bias: word choice that carries the writer's stance.",
                color="#d95f02",
            ),
            LabelSpec(
                "INFORMATIONAL",
                description="Informational bias: content selected to sway the reader.",
                color="#7570b3",
            ),
        ],
        common_attributes=common,
        description="BASIL (Fan et al., EMNLP 2019, 'In Plain Sight'), second release.",
    )


def _load_json(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BiaskitError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return loads_json(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise AnnotationError(
            [Problem(undecodable(data, exc), "encoding", path=str(path), line=line, col=1)]
        ) from None
    except json.JSONDecodeError as exc:
        raise AnnotationError(
            [
                Problem(
                    f"invalid JSON: {exc.msg}",
                    "json-syntax",
                    path=str(path),
                    line=exc.lineno,
                    col=exc.colno,
                )
            ]
        ) from None


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _expect(record: object, key: str, kind: type, path: Path) -> Any:
    if not isinstance(record, dict):
        raise AnnotationError(
            [
                Problem(
                    f"expected a JSON object, found {type(record).__name__}",
                    "basil-field",
                    path=str(path),
                )
            ]
        )
    value = record.get(key)
    if not isinstance(value, kind):
        raise AnnotationError(
            [
                Problem(
                    f"expected {key!r} to be a JSON {kind.__name__}, found {type(value).__name__}",
                    "basil-field",
                    path=str(path),
                )
            ]
        )
    return value


def _build_text(
    title: str, paragraphs: Sequence[Any], path: Path
) -> tuple[str, list[tuple[int, str]]]:
    """Return the text and each body sentence's (start, sentence), in BASIL's order."""
    parts = [title]
    pos = len(title)
    sentences: list[tuple[int, str]] = []
    for i, paragraph in enumerate(paragraphs):
        if not isinstance(paragraph, list) or not all(isinstance(s, str) for s in paragraph):
            raise AnnotationError(
                [
                    Problem(
                        f"expected body-paragraphs[{i}] to be a list of sentence strings",
                        "basil-field",
                        path=str(path),
                    )
                ]
            )
        parts.append(_TITLE_SEP if i == 0 else _PARAGRAPH_SEP)
        pos += 2
        for j, sentence in enumerate(paragraph):
            if j:
                parts.append(_SENTENCE_SEP)
                pos += len(_SENTENCE_SEP)
            sentences.append((pos, sentence))
            parts.append(sentence)
            pos += len(sentence)
    return "".join(parts), sentences


def _attributes(raw: Mapping[str, Any]) -> dict[str, AttributeValue]:
    attributes: dict[str, AttributeValue] = {}
    for ours, theirs in (
        ("polarity", "polarity"),
        ("target", "target"),
        ("aim", "aim"),
        ("quote", "quote"),
        ("speaker", "speaker"),
        ("indirect_target", "indirect-target-name"),
        ("indirect_sentiment", "indirect-ally-opponent-sentiment"),
    ):
        value = raw.get(theirs)
        if isinstance(value, str) and value.strip():
            attributes[ours] = value.strip()
    return attributes


def _spans(
    annotations: Any, doc: Document, title: str, sentences: list[tuple[int, str]], path: Path
) -> list[Span]:
    records = _expect(annotations, "phrase-level-annotations", list, path)
    converter = OffsetConverter(doc.text, "codepoint")
    spans: list[Span] = []
    problems: list[Problem] = []
    for i, raw in enumerate(records):
        where = f"phrase-level-annotations[{i}]"

        def bad(message: str, code: str = "basil-span", where: str = where) -> None:
            problems.append(Problem(f"{where}: {message}", code, path=str(path)))

        if not isinstance(raw, dict):
            bad(f"expected an object, found {type(raw).__name__}")
            continue
        sid, start, end, txt = raw.get("id"), raw.get("start"), raw.get("end"), raw.get("txt")
        if not _is_int(start) or not _is_int(end) or not isinstance(txt, str):
            bad("expected integer 'start' and 'end' and a string 'txt'")
            continue
        bias = raw.get("bias")
        if not isinstance(bias, str) or bias not in _LABELS:
            bad(f"expected 'bias' to be 'lex' or 'inf', found {bias!r}", "unknown-label")
            continue
        sentence_number = _SENTENCE_ID.fullmatch(sid) if isinstance(sid, str) else None
        if sid == "title":
            base, sentence = 0, title
        elif sentence_number is not None:
            k = int(sentence_number.group(1))
            if k >= len(sentences):
                bad(f"sentence {sid} does not exist; the body has {len(sentences)} sentences")
                continue
            base, sentence = sentences[k]
        else:
            bad(f"expected 'id' to be 'title' or 'p<k>', found {sid!r}")
            continue
        if not 0 <= start < end <= len(sentence) or sentence[start:end] != txt:
            bad(
                f"[{start}, {end}) of sentence {sid} covers {sentence[start:end]!r}, "
                f"not the recorded text {txt!r}",
                "text-mismatch",
            )
            continue
        note = raw.get("notes")
        spans.append(
            Span(
                converter.to_codepoint(base + start),
                converter.to_codepoint(base + end),
                _LABELS[bias],
                attributes=_attributes(raw),
                note=note.strip() if isinstance(note, str) and note.strip() else None,
            )
        )
    if problems:
        raise AnnotationError(problems, f"{path}: {len(problems)} span(s) do not re-anchor")
    return spans


def load_basil(root: str | os.PathLike[str], *, annotator: str = "gold") -> Corpus:
    """Read the BASIL folder ``root`` (with ``articles/`` and ``annotations/``) as a corpus.

    Parameters
    ----------
    root : path-like
        The BASIL release folder.
    annotator : str
        The annotator the spans are recorded under.

    Returns
    -------
    Corpus
        One document per article (id: the file stem, ``<triplet>_<n>``), in
        year and file-name order, with ``LEXICAL`` and ``INFORMATIONAL`` spans.

    Raises
    ------
    AnnotationError
        If a file is not valid JSON, lacks a field, or a span does not cover
        its recorded text; problems name the file and the span's index.
    BiaskitError
        If the folders or an article's annotation file are missing.
    """
    base = Path(root)
    articles_dir, annotations_dir = base / "articles", base / "annotations"
    if not articles_dir.is_dir() or not annotations_dir.is_dir():
        raise BiaskitError(f"{base}: expected the BASIL folders articles/ and annotations/")
    paths = sorted(articles_dir.glob("*/*.json"))
    if not paths:
        raise BiaskitError(f"{articles_dir}: expected <year>/<triplet>_<n>.json files, found none")
    documents: list[Document] = []
    sets: list[AnnotationSet] = []
    for path in paths:
        record = _load_json(path)
        if not isinstance(record, dict):
            raise AnnotationError(
                [Problem("expected a JSON object", "basil-field", path=str(path))]
            )
        title = _expect(record, "title", str, path)
        paragraphs = _expect(record, "body-paragraphs", list, path)
        source = _expect(record, "source", str, path)
        outlet = BASIL_OUTLETS.get(source.lower())
        if outlet is None:
            raise AnnotationError(
                [
                    Problem(
                        f"expected 'source' to be one of {', '.join(BASIL_OUTLETS)}, "
                        f"found {source!r}",
                        "basil-field",
                        path=str(path),
                    )
                ]
            )
        event = _expect(record, "triplet-uuid", str, path)
        text, sentences = _build_text(title, paragraphs, path)
        date, url = record.get("date"), record.get("url")
        year = path.parent.name
        try:
            doc = Document(
                path.stem,
                text,
                outlet=outlet,
                title=title.strip() or None,
                url=url if isinstance(url, str) and url else None,
                date=date if isinstance(date, str) and len(date) == 10 else None,
                metadata={
                    "event": event,
                    "year": int(year) if year.isascii() and year.isdigit() else year,
                    "main_event": record.get("main-event"),
                    "main_entities": record.get("main-entities"),
                    "basil_uuid": record.get("uuid"),
                    "basil_file": f"{year}/{path.name}",
                },
            )
        except (TypeError, ValueError) as exc:
            raise AnnotationError(
                [Problem(f"cannot make a document of it: {exc}", "basil-field", path=str(path))]
            ) from None
        ann_path = annotations_dir / year / f"{path.stem}_ann.json"
        if not ann_path.is_file():
            raise BiaskitError(f"{ann_path}: missing; every BASIL article has an annotation file")
        spans = _spans(_load_json(ann_path), doc, title, sentences, ann_path)
        documents.append(doc)
        if spans:
            sets.append(AnnotationSet(doc, annotator, spans))
    return Corpus(documents, _schema(), sets)
