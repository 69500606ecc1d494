"""What a process that runs reports imports: not the analysis stack, not Lark's grammars.

``fdsa report`` and ``fdsa batch`` run each notebook in its own kernel; the process that
drives them needs papermill and nbconvert, not pandas, plotly or SciPy (2 s of imports),
and not the IRI grammars jsonschema compiles when rfc3987-syntax is installed (2-4 s).
Each check runs in a fresh interpreter.
"""

from __future__ import annotations

import subprocess
import sys

import pytest


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_the_batch_driver_imports_no_analysis_stack():
    loaded = _modules_after("import fdsa.cli, fdsa.reporting.batch, fdsa.reporting.runner")
    assert {"pandas", "plotly", "scipy", "IPython"} & loaded == set()


def test_a_notebook_still_finds_every_name_it_imports():
    loaded = _modules_after(
        "from fdsa.reporting import (Page, charts, count, csv_download_link, headline,"
        " interval, labels, note, number, pct, plan, show_figure, show_table, usd, words)"
    )
    assert {"pandas", "plotly", "fdsa.reporting.page", "fdsa.reporting.plan"} <= loaded


def test_jupyter_stack_loads_without_compiling_iri_grammars():
    pytest.importorskip("rfc3987_syntax")
    loaded = _modules_after(
        "from fdsa.reporting import export, runner\n"
        "export._exporter()\nrunner._register_engine()\nimport nbformat, papermill"
    )
    assert "jsonschema" in loaded and "nbformat" in loaded
    assert "rfc3987_syntax" not in loaded and "lark" not in loaded
    # refused for jsonschema only: importing it afterwards works as usual
    later = _modules_after(
        "from fdsa.reporting import fast_imports\nfast_imports.import_jsonschema()\n"
        "import rfc3987_syntax\nassert rfc3987_syntax.is_valid_syntax('iri', 'https://x.org/a')"
    )
    assert "rfc3987_syntax" in later


def test_notebooks_validate_after_the_fast_import():
    out = subprocess.run(
        [sys.executable, "-c",
         "from fdsa.reporting import fast_imports\nfast_imports.import_jsonschema()\n"
         "import nbformat\nnb = nbformat.v4.new_notebook()\n"
         "nb.cells.append(nbformat.from_dict({'cell_type': 'markdown', 'metadata': {}}))\n"
         "try:\n    nbformat.validate(nb)\nexcept nbformat.ValidationError:\n"
         "    print('refused')"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert out.strip() == "refused"


def test_warm_kernels_import_every_module_behind_the_notebook_names():
    from fdsa.reporting import _HOMES
    from fdsa.reporting.kernels import WARM_MODULES

    homes = {f"fdsa.reporting{home or '.' + name}" for name, home in _HOMES.items()}
    assert homes <= set(WARM_MODULES)
    loaded = _modules_after(
        f"import importlib\nfor m in {WARM_MODULES!r}: importlib.import_module(m)"
    )
    assert {"pandas", "plotly", "scipy", "IPython"} <= loaded
