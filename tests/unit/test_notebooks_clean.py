"""Notebooks stay thin: a parameters cell, no outputs, no definitions, and declared parameters."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from fdsa.reporting.params import REPORTS

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_thin_and_declared(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "commit without outputs"
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged parameters"
    names = {
        t.id
        for node in ast.parse(tagged[0].source).body
        for t in getattr(node, "targets", [getattr(node, "target", None)])
        if isinstance(t, ast.Name)
    }
    declared = {p.name for p in REPORTS[path.stem].params} | {"warehouse"}
    assert names == declared, f"parameters cell {names} != declared {declared}"
    for cell in code:
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef), "logic belongs in fdsa/"


def test_every_report_has_a_notebook():
    assert {p.stem for p in NOTEBOOKS} == set(REPORTS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_opens_exactly_its_declared_sections(path):
    """Each declared section is opened once with ``page.section``, in declaration order."""
    nb = nbformat.read(path, as_version=4)
    opened = [
        node.args[0].value
        for cell in nb.cells
        if cell.cell_type == "code"
        for node in ast.walk(ast.parse(cell.source))
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", None) == "section"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]
    assert opened == [s.id for s in REPORTS[path.stem].sections]
