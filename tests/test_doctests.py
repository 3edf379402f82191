"""The examples in the installed package's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import biaskit

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(biaskit.__path__, prefix=f"{biaskit.__name__}.")
)


def test_the_walk_finds_the_foundation_modules() -> None:
    assert {"biaskit.model", "biaskit.io.native", "biaskit.io.offsets", "biaskit.cli"} <= set(
        MODULES
    )


# Modules whose examples need an optional extra: skipped, visibly, without it.
NEEDS = {
    "biaskit.io.spacy": "spacy",
    "biaskit.io.inception": "cassis",
    "biaskit.plots": "matplotlib",
}


@pytest.mark.parametrize("name", MODULES)
def test_module_examples(name: str) -> None:
    if name in NEEDS:
        pytest.importorskip(NEEDS[name], reason=f"the examples of {name} need {NEEDS[name]}")
    module = importlib.import_module(name)
    result = doctest.testmod(module, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_model_and_format_carry_examples() -> None:
    attempted = {
        name: doctest.testmod(importlib.import_module(name), report=False).attempted
        for name in ("biaskit.model", "biaskit.io.native", "biaskit.schema", "biaskit.errors")
    }
    assert all(count > 0 for count in attempted.values()), attempted
