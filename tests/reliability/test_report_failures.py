"""Promise: a report that fails publishes nothing, is recorded, and never stops the others.

And a report never reads a half-written warehouse: during a load it reads the
previous version; before the first load finishes it says so.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import yaml

from fdsa.reporting import batch, files, runner
from fdsa.synth import build_warehouse

from .conftest import FDSA, build_in_background

FAULTS = {
    "market_overview": "raise RuntimeError('boom in the notebook')",
    "niche_explorer": "import time\ntime.sleep(120)",
    "rate_advisor": "import os\nos._exit(3)",  # the kernel process dies mid-run
}
"""Report → the cell that replaces its body; ``warehouse_overview`` runs for real."""


def _faulty_notebooks(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(runner.NOTEBOOKS / "warehouse_overview.ipynb", folder)
    for report, body in FAULTS.items():
        real = nbformat.read(runner.NOTEBOOKS / f"{report}.ipynb", as_version=4)
        (parameters,) = [c for c in real.cells if "parameters" in c.metadata.get("tags", [])]
        real.cells = [parameters, nbformat.v4.new_code_cell(body)]
        nbformat.write(real, folder / f"{report}.ipynb")
    return folder


def test_batch_survives_a_raising_a_hanging_and_a_dying_notebook(
    small_warehouse, tmp_path, monkeypatch
):
    notebooks = _faulty_notebooks(tmp_path / "notebooks")
    monkeypatch.setattr(runner, "NOTEBOOKS", notebooks)
    monkeypatch.setattr(batch, "NOTEBOOKS", notebooks)
    spec = tmp_path / "runs.yaml"
    spec.write_text(
        yaml.safe_dump({"runs": [{"report": r} for r in (*FAULTS, "warehouse_overview")]})
    )
    out = tmp_path / "reports"
    results, _ = batch.run_batch(spec, warehouse=small_warehouse, out_dir=out, workers=1, timeout=5)

    status = {r.report: r for r in results}
    assert status["warehouse_overview"].status == "ok"
    assert "boom in the notebook" in status["market_overview"].error
    assert "timed out" in status["niche_explorer"].error
    assert "DeadKernelError" in status["rate_advisor"].error
    for report in FAULTS:
        assert status[report].status == "failed"
        assert not (out / report).exists(), "a failed run published HTML"
        assert (out / status[report].log).read_text()
    assert (out / status["market_overview"].failed_notebook).exists()
    manifest = json.loads((out / "manifest.json").read_text())["runs"]
    assert sorted(r["status"] for r in manifest) == ["failed", "failed", "failed", "ok"]
    assert "4 runs: 1 published, 0 skipped, 3 failed" in (out / "index.html").read_text()
    assert not (out / batch.STATE_FILE).exists(), "a failed batch must not be skipped next time"


def _report(warehouse: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*FDSA, "report", "warehouse_overview", "-w", str(warehouse), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_report_during_a_load_reads_the_previous_warehouse(tmp_path):
    path, out = tmp_path / "w.duckdb", tmp_path / "reports"
    build_warehouse(path, scale=0.02, seed=1)
    published = files.sha256_file(path)
    with build_in_background(path, "--scale", "8", "--seed", "9"):
        during = _report(path, out)
    assert during.returncode == 0, during.stderr
    (run,) = json.loads((out / "manifest.json").read_text())["runs"]
    assert published in (out / run["html"]).read_text()  # reproducibility block: file hash


def test_a_report_before_the_first_load_finishes_is_refused_clearly(tmp_path):
    path, out = tmp_path / "w.duckdb", tmp_path / "reports"
    with build_in_background(path, "--scale", "8"):
        refused = _report(path, out)
    assert refused.returncode == 1
    assert "being built" in refused.stderr and "Traceback" not in refused.stderr
    assert not out.exists() or not list(out.rglob("*.html"))


def test_a_full_or_read_only_reports_folder_is_a_clear_error(small_warehouse, mount_tmpfs):
    for folder in (mount_tmpfs("full", "1m"), mount_tmpfs("read-only", "1m", read_only=True)):
        refused = _report(small_warehouse, folder / "reports")
        assert refused.returncode == 1
        assert "nothing was published" in refused.stderr and "Traceback" not in refused.stderr
        assert not [p for p in folder.rglob("*") if p.is_file()], "a partial file was left"
