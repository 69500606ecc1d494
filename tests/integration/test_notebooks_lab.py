"""Every notebook runs top to bottom as JupyterLab runs it: the project's kernel, in notebooks/.

No parameters are injected: the notebooks find the warehouse themselves
(``$FDSA_WAREHOUSE`` here; the project's ``data/warehouse/fdsa.duckdb`` otherwise).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from fdsa.config import PROJECT_ROOT, find_warehouse
from fdsa.ingest import ingest_file
from fdsa.reporting.kernels import kernel_name
from fdsa.reporting.runner import NOTEBOOKS

PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.fixture(scope="module")
def warehouse(small_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small simulated market plus a few salary records: every section can be drawn."""
    root = tmp_path_factory.mktemp("lab")
    path = root / "w.duckdb"
    shutil.copyfile(small_warehouse, path)
    rows = [
        f"2024,{('MI', 'SE')[i % 2]},{('FT', 'FL', 'CT', 'PT')[i % 4]},Data Scientist,"
        f"{80000 + 997 * i},USD,{80000 + 997 * i},US,100,US,M"
        for i in range(160)
    ]
    csv = root / "salaries.csv"
    csv.write_text(
        "work_year,experience_level,employment_type,job_title,salary,salary_currency,"
        "salary_in_usd,employee_residence,remote_ratio,company_location,company_size\n"
        + "\n".join(rows)
        + "\n"
    )
    ingest_file(csv, format_name="aijobs-salaries", warehouse=path)
    return path


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_runs_in_the_notebooks_folder(path, warehouse, monkeypatch, tmp_path):
    import papermill as pm

    monkeypatch.setenv("FDSA_WAREHOUSE", str(warehouse))
    executed = tmp_path / path.name
    pm.execute_notebook(
        str(path),
        str(executed),
        kernel_name=kernel_name(),
        cwd=str(NOTEBOOKS),
        progress_bar=False,
        log_output=False,
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
    )
    nb = nbformat.read(executed, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"], "a warning shows in Lab"
    figures = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert figures, "Lab draws no figure"  # Lab renders the plotly MIME type, not the page's JS


def test_a_relative_warehouse_is_found_from_the_notebooks_folder(monkeypatch):
    monkeypatch.chdir(NOTEBOOKS)
    assert find_warehouse("pyproject.toml") == PROJECT_ROOT / "pyproject.toml"
    monkeypatch.setenv("FDSA_WAREHOUSE", "/elsewhere/w.duckdb")
    assert find_warehouse(None) == Path("/elsewhere/w.duckdb")
    monkeypatch.delenv("FDSA_WAREHOUSE")
    assert find_warehouse(None) in (
        Path("data/warehouse/fdsa.duckdb"),
        PROJECT_ROOT / "data/warehouse/fdsa.duckdb",
    )
