"""The written codebook, the schema that implements it, and the seed texts agree.

Conventions of docs/codebook.md that these tests rely on (its section 1):

- the version is on a line ``Codebook version: **X.Y**``;
- each label has a heading ``## Label: NAME``;
- attributes are table rows ``| `name` | `v1` · `v2` | … |`` (or *free text*, or
  *number*: any value of the type),
  inside a label's section or the "Shared attributes" section;
- examples are list items starting ``in:``, ``out:`` or ``text:``; every
  backticked string on such a line is a verbatim quotation from a seed text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import biaskit

REPO = Path(__file__).resolve().parents[1]
CODEBOOK = REPO / "docs" / "codebook.md"

_EXAMPLE_LINE = re.compile(r"^\s*- (?:in|out|text): ")
_BACKTICKED = re.compile(r"`([^`]+)`")
_LABEL_HEADING = re.compile(r"^## Label: ([A-Z_]+)\s*$")
_ATTRIBUTE_ROW = re.compile(r"^\| `([A-Za-z_][\w.-]*)` \| ([^|]*) \|")


@pytest.fixture(scope="module")
def codebook() -> str:
    return CODEBOOK.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def corpus() -> biaskit.Corpus:
    return biaskit.load_corpus(REPO / "annotations")


def examples(text: str) -> list[tuple[int, str]]:
    """Return (line number, quotation) for every example quoted in the codebook."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if _EXAMPLE_LINE.match(line):
            found += [(number, quote) for quote in _BACKTICKED.findall(line)]
    return found


def sections(text: str) -> dict[str, list[str]]:
    """Return the lines of each ``## `` section, keyed by its heading."""
    result: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            result[current] = []
        elif current is not None:
            result[current].append(line)
    return result


def attribute_table(lines: list[str]) -> dict[str, tuple[str, ...] | None]:
    """Return attribute name -> allowed values (None for free text) from table rows."""
    table: dict[str, tuple[str, ...] | None] = {}
    for line in lines:
        row = _ATTRIBUTE_ROW.match(line)
        if row:
            name, values = row.groups()
            unrestricted = "free text" in values or values.strip() == "number"
            table[name] = None if unrestricted else tuple(_BACKTICKED.findall(values))
    return table


def test_the_codebook_quotes_many_examples(codebook: str) -> None:
    quoted = examples(codebook)
    assert len(quoted) >= 100
    # Curly quotes and a no-break space survive in the examples, as in the texts.
    joined = "".join(q for _, q in quoted)
    assert "’" in joined
    assert "“" in joined
    assert "\u00a0" in joined


def test_every_quoted_example_occurs_verbatim_in_a_seed_text(
    codebook: str, corpus: biaskit.Corpus
) -> None:
    texts = [doc.text for doc in corpus]
    missing = [
        f"docs/codebook.md:{number}: {quote!r}"
        for number, quote in examples(codebook)
        if not any(quote in text for text in texts)
    ]
    assert missing == []


def test_the_schema_implements_this_codebook_version(codebook: str, corpus: biaskit.Corpus) -> None:
    version = re.search(r"^Codebook version: \*\*([^*]+)\*\*$", codebook, re.MULTILINE)
    assert version is not None
    assert corpus.schema.version == version.group(1) == "1.1"
    # The change log has an entry for this version.
    assert re.search(rf"^### {re.escape(version.group(1))}\s*$", codebook, re.MULTILINE)


def test_the_codebook_and_the_schema_have_the_same_labels(
    codebook: str, corpus: biaskit.Corpus
) -> None:
    labels = [m.group(1) for m in map(_LABEL_HEADING.match, codebook.splitlines()) if m]
    assert len(labels) == len(set(labels))
    assert labels == list(corpus.schema.label_names)


def test_each_label_has_the_attributes_and_values_of_the_codebook(
    codebook: str, corpus: biaskit.Corpus
) -> None:
    by_heading = sections(codebook)
    for label in corpus.schema:
        written = attribute_table(by_heading[f"Label: {label.name}"])
        in_schema = {spec.name: spec.values for spec in label.attributes}
        assert written == in_schema, label.name


def test_the_shared_attributes_are_those_of_the_codebook(
    codebook: str, corpus: biaskit.Corpus
) -> None:
    (heading,) = [h for h in sections(codebook) if h.endswith("Shared attributes")]
    written = attribute_table(sections(codebook)[heading])
    assert written == {spec.name: spec.values for spec in corpus.schema.common_attributes}


def test_boilerplate_kinds_are_the_librarys(corpus: biaskit.Corpus) -> None:
    kinds = {spec.name: spec.values for spec in corpus.schema.label("BOILERPLATE").attributes}
    assert set(kinds["kind"] or ()) == set(biaskit.BOILERPLATE_KINDS)


def test_every_label_section_has_positive_and_negative_examples(codebook: str) -> None:
    for heading, lines in sections(codebook).items():
        if not heading.startswith("Label: ") or heading == "Label: INFORMATIONAL":
            continue
        assert any(line.startswith("- in: ") for line in lines), heading
        assert any(line.startswith("- out: ") for line in lines), heading


def test_the_codebook_has_at_least_eight_hard_cases(codebook: str) -> None:
    cases = re.findall(r"^### H\d+\. ", codebook, re.MULTILINE)
    assert len(cases) >= 8


def test_the_codebook_says_boilerplate_is_never_annotated(codebook: str) -> None:
    assert "inside a BOILERPLATE span is never annotated" in " ".join(codebook.split())
