"""Notebooks are stored clean, use only the public API, and run on the installed package."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import biaskit

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
IDS = [path.stem for path in NOTEBOOKS]


def _code(path: Path) -> list[str]:
    book = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in book["cells"] if c["cell_type"] == "code"]


def test_the_promised_notebooks_exist() -> None:
    assert {"quickstart", "annotate-and-agree", "train-and-evaluate", "compare-outlets"} <= set(IDS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebooks_are_stored_without_outputs(path: Path) -> None:
    book = json.loads(path.read_text(encoding="utf-8"))
    for cell in book["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == []
            assert cell["execution_count"] is None
    assert "widgets" not in book["metadata"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebooks_use_only_what_biaskit_exports(path: Path) -> None:
    used: set[str] = set()
    for source in _code(path):
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("biaskit"), f"from {node.module} import ..."
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name == "biaskit" or not alias.name.startswith("biaskit")
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "biaskit"
            ):
                used.add(node.attr)
    assert used, "a notebook that never uses biaskit"
    assert used - set(biaskit.__all__) == set()


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebooks_execute_cleanly(path: Path) -> None:
    nbformat = pytest.importorskip("nbformat", reason="running notebooks needs nbformat")
    nbclient = pytest.importorskip("nbclient", reason="running notebooks needs nbclient")
    pytest.importorskip("ipykernel", reason="running notebooks needs ipykernel")
    pytest.importorskip("pandas", reason="the notebooks need the pandas extra")
    pytest.importorskip("matplotlib", reason="the notebooks need the plots extra")
    book = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        book,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError, showing the cell, on any error
    errors = [
        output
        for cell in book.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []
