"""`fdsa batch`: a matrix of reports in parallel, failures isolated, unchanged runs skipped."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from fdsa.reporting.batch import expand

CLI = [sys.executable, "-m", "fdsa.cli"]


def _batch(spec, market, out, *extra):
    return subprocess.run(
        [*CLI, "batch", str(spec), "-w", str(market), "-o", str(out), "--workers", "2", *extra],
        capture_output=True,
        text=True,
        check=False,
    )


def test_matrix_expands_and_is_validated_up_front(tmp_path):
    spec = tmp_path / "runs.yaml"
    spec.write_text(
        "runs:\n  - report: niche_explorer\n    matrix:\n"
        "      niche: [nlp, energy]\n      region: [all, oceania]\n"
    )
    assert len(expand(spec)) == 4
    spec.write_text(
        "runs:\n  - report: niche_explorer\n    matrix:\n      niche: [nlp, astrology]\n"
    )
    with pytest.raises(ValueError, match="astrology"):
        expand(spec)


def test_batch_runs_in_parallel_then_skips_when_nothing_changed(market, tmp_path):
    spec = tmp_path / "runs.yaml"
    spec.write_text("runs:\n  - report: niche_explorer\n    matrix:\n      niche: [nlp, energy]\n")
    out = tmp_path / "reports"
    first = _batch(spec, market, out)
    assert first.returncode == 0, first.stderr
    assert "2 of 2 reports published" in first.stdout
    assert len(list((out / "niche_explorer").glob("*.html"))) == 2
    again = _batch(spec, market, out)
    assert again.returncode == 0 and "nothing to do" in again.stdout
    forced = _batch(spec, market, out, "--force")
    assert "2 of 2 reports published" in forced.stdout


def test_a_failing_run_does_not_stop_the_others(market, tmp_path):
    spec = tmp_path / "runs.yaml"
    # since=2031 leaves no data in the window: that run fails inside its notebook
    spec.write_text(
        "runs:\n  - report: niche_explorer\n    matrix:\n"
        "      niche: [nlp]\n      since: ['2021-01-01', '2031-01-01']\n"
    )
    out = tmp_path / "reports"
    result = _batch(spec, market, out)
    assert result.returncode == 1
    assert "1 of 2 reports published" in result.stdout and "failed:" in result.stderr
    runs = json.loads((out / "manifest.json").read_text())["runs"]
    assert sorted(r["status"] for r in runs) == ["failed", "ok"]
    assert not (out / ".last_batch.json").exists()  # a failed batch is never skipped next time
