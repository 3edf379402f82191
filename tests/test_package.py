"""The public surface: explicit, complete, light to import."""

import subprocess
import sys

import pytest

import biaskit


def test_every_public_name_resolves() -> None:
    assert biaskit.__all__ == sorted(
        biaskit.__all__, key=lambda n: (0 if n.isupper() else 1 if n[0].isupper() else 2, n)
    )
    assert [name for name in biaskit.__all__ if not hasattr(biaskit, name)] == []


def test_importing_biaskit_does_not_load_scikit_learn() -> None:
    code = "import sys, biaskit; print('sklearn' in sys.modules, 'textstat' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_the_classifier_loads_on_first_use() -> None:
    code = "import biaskit, sys; biaskit.SpanClassifier; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'no_such_thing'"):
        biaskit.no_such_thing  # noqa: B018
