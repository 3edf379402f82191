"""biaskit: source-bias annotation of news.

Documents, framing spans and labels; annotation files that are read and
validated; a hand-annotated corpus; agreement measures and a baseline
classifier trained on hand-annotated spans.
"""

from importlib.metadata import PackageNotFoundError, version

from biaskit.clean import BOILERPLATE_KINDS, find_boilerplate, mark_boilerplate
from biaskit.corpus import Corpus
from biaskit.errors import AnnotationError, BiaskitError, Problem
from biaskit.io.native import (
    CheckedCorpus,
    OutputExistsError,
    check_corpus,
    iter_documents,
    load_corpus,
    save_corpus,
)
from biaskit.model import AnnotationSet, Document, FrozenMap, Span, text_sha256
from biaskit.schema import AttributeSpec, LabelSpec, Schema
from biaskit.stats import CorpusStatistics, corpus_statistics, render_statistics
from biaskit.tokens import tokenize
from biaskit.validate import validate

try:
    __version__ = version("biaskit")
except PackageNotFoundError:  # pragma: no cover - only when run from an uninstalled tree
    __version__ = "0+unknown"

__all__ = [
    "BOILERPLATE_KINDS",
    "AnnotationError",
    "AnnotationSet",
    "AttributeSpec",
    "BiaskitError",
    "CheckedCorpus",
    "Corpus",
    "CorpusStatistics",
    "Document",
    "FrozenMap",
    "LabelSpec",
    "OutputExistsError",
    "Problem",
    "Schema",
    "Span",
    "__version__",
    "check_corpus",
    "corpus_statistics",
    "find_boilerplate",
    "iter_documents",
    "load_corpus",
    "mark_boilerplate",
    "render_statistics",
    "save_corpus",
    "text_sha256",
    "tokenize",
    "validate",
]
