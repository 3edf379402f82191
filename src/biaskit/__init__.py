"""biaskit: source-bias annotation of news.

Documents, framing spans and labels; annotation files that are read and
validated; a hand-annotated corpus; agreement measures and a baseline
classifier trained on hand-annotated spans.
"""

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from biaskit.adjudicate import (
    Adjudication,
    Conflict,
    adjudicate,
    conflicts_to_dicts,
    render_conflicts,
)
from biaskit.agreement import (
    AgreementReport,
    agreement_report,
    agreement_to_dict,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    layer_agreement,
    render_agreement,
    span_f1,
    unitizing_alpha,
)
from biaskit.analysis import (
    AnalysisError,
    AttributionCount,
    Attributions,
    EventComparison,
    EventDocument,
    LabelRate,
    LabelRates,
    LexicalChoice,
    ReadabilityTable,
    TextReadability,
    VariantShare,
    article_text,
    attributions,
    compare_events,
    content_words,
    label_rates,
    lexical_choice,
    readability_table,
)
from biaskit.clean import BOILERPLATE_KINDS, find_boilerplate, mark_boilerplate
from biaskit.corpus import Corpus
from biaskit.display import Highlighted, highlight, render_html
from biaskit.errors import AnnotationError, BiaskitError, OutputExistsError, Problem
from biaskit.io.basil import load_basil
from biaskit.io.brat import load_brat, save_brat, write_brat_sets
from biaskit.io.csv import save_csv, write_csv_lines
from biaskit.io.doccano import iter_doccano, load_doccano, save_doccano, write_doccano_lines
from biaskit.io.formats import FORMATS, convert, load_foreign, validate_foreign
from biaskit.io.labelstudio import load_labelstudio, save_labelstudio
from biaskit.io.native import (
    CheckedCorpus,
    ReadLimits,
    check_corpus,
    iter_documents,
    iter_spans,
    load_corpus,
    save_corpus,
    save_spans,
)
from biaskit.io.ptc import PTC_TECHNIQUES, iter_ptc, load_ptc, write_ptc, write_ptc_lines
from biaskit.io.spacy import from_spacy, read_docbin, to_spacy, write_docbin
from biaskit.metrics import (
    PRF,
    SpanReport,
    bio_chunk_scores,
    bootstrap_ci,
    exact_match,
    ptc_scores,
    ptc_tc_scores,
    render_scores,
    schema_scores,
    scores_to_dict,
    token_scores,
)
from biaskit.model import AnnotationSet, Document, FrozenMap, Span, text_sha256
from biaskit.plots import plot_attributions, plot_rates, plot_readability, plot_variant_shares
from biaskit.prediction import PredictionSummary, iter_predictions, predict_corpus
from biaskit.readability import Readability, readability
from biaskit.report import render_report, write_report
from biaskit.rules import (
    hedges_and_boosters,
    reporting_verbs,
    rule_spans,
    scare_quotes,
    variant_terms,
)
from biaskit.schema import AttributeSpec, LabelSpec, Schema
from biaskit.stats import CorpusStatistics, corpus_statistics, render_statistics
from biaskit.tokens import tokenize
from biaskit.validate import validate
from biaskit.variants import (
    Concept,
    Variant,
    VariantMatch,
    VariantRegistry,
    count_variants,
    find_variants,
    load_variants,
    loads_variants,
)

# The classifier, its evaluation and persistence need scikit-learn, whose
# import takes about a second; they load on first use so that `import biaskit`
# (and `biaskit validate` in a pre-commit hook) stays fast.
_LAZY = {
    "CrossValidation": "biaskit.evaluation",
    "EvaluationError": "biaskit.evaluation",
    "ModelFileError": "biaskit.persistence",
    "ModelVersionWarning": "biaskit.persistence",
    "SpanClassifier": "biaskit.baseline",
    "TrainingDataError": "biaskit.baseline",
    "cross_validate": "biaskit.evaluation",
    "evaluation_to_dict": "biaskit.evaluation",
    "load_model": "biaskit.persistence",
    "read_manifest": "biaskit.persistence",
    "render_evaluation": "biaskit.evaluation",
    "save_model": "biaskit.persistence",
    "training_data": "biaskit.evaluation",
}

if TYPE_CHECKING:
    from biaskit.baseline import SpanClassifier, TrainingDataError
    from biaskit.evaluation import (
        CrossValidation,
        EvaluationError,
        cross_validate,
        evaluation_to_dict,
        render_evaluation,
        training_data,
    )
    from biaskit.persistence import (
        ModelFileError,
        ModelVersionWarning,
        load_model,
        read_manifest,
        save_model,
    )


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'biaskit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


try:
    __version__ = version("biaskit")
except PackageNotFoundError:  # pragma: no cover - only when run from an uninstalled tree
    __version__ = "0+unknown"

__all__ = [
    "BOILERPLATE_KINDS",
    "FORMATS",
    "PRF",
    "PTC_TECHNIQUES",
    "Adjudication",
    "AgreementReport",
    "AnalysisError",
    "AnnotationError",
    "AnnotationSet",
    "AttributeSpec",
    "AttributionCount",
    "Attributions",
    "BiaskitError",
    "CheckedCorpus",
    "Concept",
    "Conflict",
    "Corpus",
    "CorpusStatistics",
    "CrossValidation",
    "Document",
    "EvaluationError",
    "EventComparison",
    "EventDocument",
    "FrozenMap",
    "Highlighted",
    "LabelRate",
    "LabelRates",
    "LabelSpec",
    "LexicalChoice",
    "ModelFileError",
    "ModelVersionWarning",
    "OutputExistsError",
    "PredictionSummary",
    "Problem",
    "ReadLimits",
    "Readability",
    "ReadabilityTable",
    "Schema",
    "Span",
    "SpanClassifier",
    "SpanReport",
    "TextReadability",
    "TrainingDataError",
    "Variant",
    "VariantMatch",
    "VariantRegistry",
    "VariantShare",
    "__version__",
    "adjudicate",
    "agreement_report",
    "agreement_to_dict",
    "article_text",
    "attributions",
    "bio_chunk_scores",
    "bootstrap_ci",
    "check_corpus",
    "cohen_kappa",
    "compare_events",
    "conflicts_to_dicts",
    "content_words",
    "convert",
    "corpus_statistics",
    "count_variants",
    "cross_validate",
    "evaluation_to_dict",
    "exact_match",
    "find_boilerplate",
    "find_variants",
    "fleiss_kappa",
    "from_spacy",
    "hedges_and_boosters",
    "highlight",
    "iter_doccano",
    "iter_documents",
    "iter_predictions",
    "iter_ptc",
    "iter_spans",
    "krippendorff_alpha",
    "label_rates",
    "layer_agreement",
    "lexical_choice",
    "load_basil",
    "load_brat",
    "load_corpus",
    "load_doccano",
    "load_foreign",
    "load_labelstudio",
    "load_model",
    "load_ptc",
    "load_variants",
    "loads_variants",
    "mark_boilerplate",
    "plot_attributions",
    "plot_rates",
    "plot_readability",
    "plot_variant_shares",
    "predict_corpus",
    "ptc_scores",
    "ptc_tc_scores",
    "read_docbin",
    "read_manifest",
    "readability",
    "readability_table",
    "render_agreement",
    "render_conflicts",
    "render_evaluation",
    "render_html",
    "render_report",
    "render_scores",
    "render_statistics",
    "reporting_verbs",
    "rule_spans",
    "save_brat",
    "save_corpus",
    "save_csv",
    "save_doccano",
    "save_labelstudio",
    "save_model",
    "save_spans",
    "scare_quotes",
    "schema_scores",
    "scores_to_dict",
    "span_f1",
    "text_sha256",
    "to_spacy",
    "token_scores",
    "tokenize",
    "training_data",
    "unitizing_alpha",
    "validate",
    "validate_foreign",
    "variant_terms",
    "write_brat_sets",
    "write_csv_lines",
    "write_docbin",
    "write_doccano_lines",
    "write_ptc",
    "write_ptc_lines",
    "write_report",
]
