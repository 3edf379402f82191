"""biaskit: source-bias annotation of news.

Documents, framing spans and labels; annotation files that are read and
validated; a hand-annotated corpus; agreement measures and a baseline
classifier trained on hand-annotated spans.
"""

from importlib.metadata import PackageNotFoundError, version

from biaskit.corpus import Corpus
from biaskit.errors import AnnotationError, BiaskitError, Problem
from biaskit.model import AnnotationSet, Document, FrozenMap, Span, text_sha256
from biaskit.schema import AttributeSpec, LabelSpec, Schema

try:
    __version__ = version("biaskit")
except PackageNotFoundError:  # pragma: no cover - only when run from an uninstalled tree
    __version__ = "0+unknown"

__all__ = [
    "AnnotationError",
    "AnnotationSet",
    "AttributeSpec",
    "BiaskitError",
    "Corpus",
    "Document",
    "FrozenMap",
    "LabelSpec",
    "Problem",
    "Schema",
    "Span",
    "__version__",
    "text_sha256",
]
