"""fdsa batch on the tiny warehouse: process pool and Dask, failures isolated, skips and --force."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fdsa.cli import app
from fdsa.reporting.batch import expand, run_batch
from fdsa.reporting.sample import build_sample_warehouse

REPORT = "warehouse_overview"


def _spec(tmp_path: Path, sinces: list[str], niches: list[str]) -> Path:
    spec = tmp_path / "runs.yaml"
    spec.write_text(
        f"runs:\n  - report: {REPORT}\n    matrix:\n"
        f"      niche: {json.dumps(niches)}\n      since: {json.dumps(sinces)}\n"
    )
    return spec


def _batch(spec: Path, warehouse: Path, out: Path, *extra: str):
    args = ["batch", str(spec), "-w", str(warehouse), "-o", str(out), "--workers", "2", *extra]
    return CliRunner().invoke(app, args)


def test_matrix_is_validated_before_anything_runs(tmp_path):
    assert len(expand(_spec(tmp_path, ["2023-01-01"], ["all", "nlp", "nlp"]))) == 2  # deduped
    for niches, sinces, message in (
        (["astrology"], ["2023-01-01"], "must be one of"),
        (["all"], ["../../etc"], "ISO date"),
    ):
        with pytest.raises(ValueError, match=message):
            expand(_spec(tmp_path, sinces, niches))
    (tmp_path / "bad.yaml").write_text("runs:\n  - report: x\n    evil: 1\n")
    with pytest.raises(ValueError, match="unknown keys"):
        expand(tmp_path / "bad.yaml")


def test_process_pool_isolates_a_failure_then_skips_and_forces(tiny_warehouse, tmp_path):
    out = tmp_path / "reports"
    # since 2031 leaves the window empty: that run is refused before its kernel, the other
    # two publish
    spec = _spec(tmp_path, ["2023-01-01", "2031-01-01"], ["all", "nlp"])
    spec.write_text(spec.read_text().replace('["all", "nlp"]', '["all"]'))
    spec.write_text(spec.read_text() + f"  - report: {REPORT}\n    params: {{niche: nlp}}\n")
    failed = _batch(spec, tiny_warehouse, out)
    assert failed.exit_code == 1
    assert "published 2, skipped 0, failed 1" in failed.output
    assert "holds no postings" in failed.output
    assert "failed: warehouse_overview" in failed.output and "2031-01-01" in failed.output
    assert len(list((out / REPORT).glob("*.html"))) == 2
    assert not (out / "_failed").exists()  # refused before a kernel: no notebook to keep
    runs = json.loads((out / "manifest.json").read_text())["runs"]
    assert sorted(r["status"] for r in runs) == ["failed", "ok", "ok"]
    assert not (out / ".last_batch.json").exists()  # a failed batch never counts as done

    good = _spec(tmp_path, ["2023-01-01"], ["all", "nlp"])
    first = _batch(good, tiny_warehouse, out)
    assert first.exit_code == 0, first.output
    assert "published 2, skipped 0, failed 0" in first.output
    # not on a terminal (cron, CI): one line per finished run with status, seconds and page
    lines = [x for x in first.output.splitlines() if x.startswith("ok ")]
    assert len(lines) == 2 and all(re.search(r"^ok +\d+\.\d+s  .+\.html$", x) for x in lines)
    assert {x.rsplit("/", 1)[-1] for x in lines} == {
        "niche-all_since-2023-01-01.html",
        "niche-nlp_since-2023-01-01.html",
    }
    assert re.search(
        r"^failed +\d+\.\d+s  warehouse_overview/.*holds no postings", failed.output, re.M
    )
    again = _batch(good, tiny_warehouse, out)
    assert again.exit_code == 0 and "nothing to do" in again.output
    forced = _batch(good, tiny_warehouse, out, "--force")
    assert forced.exit_code == 0 and "published 2, skipped 0, failed 0" in forced.output


def test_a_changed_warehouse_is_not_skipped(tiny_warehouse, tmp_path):
    warehouse = build_sample_warehouse(tmp_path / "w.duckdb", n_jobs=40)
    spec = _spec(tmp_path, ["2023-01-01"], ["energy"])
    out = tmp_path / "reports"
    assert run_batch(spec, warehouse=warehouse, out_dir=out, workers=1)[1] is False
    assert run_batch(spec, warehouse=warehouse, out_dir=out, workers=1)[1] is True
    build_sample_warehouse(warehouse, n_jobs=48)
    results, skipped = run_batch(spec, warehouse=warehouse, out_dir=out, workers=1)
    assert not skipped and [r.status for r in results] == ["ok"]


def test_dask_local_cluster_runs_the_same_batch(tiny_warehouse, tmp_path):
    from dask.distributed import LocalCluster

    spec = _spec(tmp_path, ["2023-01-01", "2031-01-01"], ["nlp"])
    out = tmp_path / "reports"
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        done = []
        results, skipped = run_batch(
            spec,
            warehouse=tiny_warehouse,
            out_dir=out,
            executor="dask",
            address=cluster.scheduler_address,
            on_done=done.append,
        )
    assert not skipped and len(done) == 2
    assert sorted(r.status for r in results) == ["failed", "ok"]
    assert len(list((out / REPORT).glob("*.html"))) == 1
    assert "1 failed" in (out / "index.html").read_text()


def test_executor_options_are_checked(tiny_warehouse, tmp_path):
    spec = _spec(tmp_path, ["2023-01-01"], ["nlp"])
    for extra, message in (
        (["--executor", "threads"], "--executor must be one of"),
        (["--address", "tcp://127.0.0.1:1"], "only applies with --executor dask"),
        (["--workers", "0"], "--workers must be between"),
    ):
        outcome = _batch(spec, tiny_warehouse, tmp_path / "r", *extra)
        assert outcome.exit_code == 1 and message in outcome.output
