"""The examples in docstrings run and print what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import fdsa


def _modules() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.walk_packages(fdsa.__path__, prefix="fdsa.")
        if not m.name.startswith("fdsa.notebooks")
    )


def _with_examples() -> list[str]:
    found = []
    for name in _modules():
        module = importlib.import_module(name)
        finder = doctest.DocTestFinder(exclude_empty=True)
        if any(test.examples for test in finder.find(module)):
            found.append(name)
    return found


def test_some_docstrings_have_examples() -> None:
    assert len(_with_examples()) >= 5


@pytest.mark.parametrize("name", _with_examples())
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
