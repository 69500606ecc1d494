"""What changed since the last run: two batches on two warehouses that differ in a known way."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import yaml

from fdsa.reporting.batch import run_batch
from fdsa.reporting.index import compare_headlines, is_change
from fdsa.reporting.sample import build_sample_warehouse


def test_the_index_marks_exactly_the_headlines_that_changed(tmp_path: Path):
    before = build_sample_warehouse(tmp_path / "before.duckdb")
    after = tmp_path / "after.duckdb"
    shutil.copyfile(before, after)
    with duckdb.connect(str(after)) as con:  # clients post $100 more; nothing else moves
        con.execute(
            "update jobs set hourly_low = hourly_low + 100, hourly_high = hourly_high + 100"
        )
    spec = tmp_path / "runs.yaml"
    spec.write_text(yaml.safe_dump({"runs": [{"report": "warehouse_overview"}]}))
    out = tmp_path / "reports"
    for warehouse in (before, after):
        results, skipped = run_batch(spec, warehouse=warehouse, out_dir=out, workers=1)
        assert not skipped and [r.status for r in results] == ["ok"], results[0].error

    (run,) = json.loads((out / "manifest.json").read_text())["runs"]
    marks = {h["label"]: h["changed"] for h in run["headline_numbers"]}
    assert marks == {
        "n_jobs": False,  # an exact count, unchanged
        "jobs_per_month": False,
        "posted_hourly_mid_median_usd": True,  # the one that moved, far beyond its interval
        "agreed_hourly_rate_median_usd": False,  # has an interval; the same value
        "top_title_n_jobs": False,
    }
    posted = next(h for h in run["headline_numbers"] if h["label"].startswith("posted"))
    assert posted["value"] - posted["previous_value"] == 100
    assert run["previous"]["finished_at"] and len(run["previous"]["headline_numbers"]) == 5
    index = (out / "index.html").read_text()
    assert index.count('class="fdsa-changed"') == 2  # the run's flag and the headline's mark
    assert "1 headline changed" in index and "last run: 64" in index


def test_a_change_counts_when_it_leaves_the_interval():
    now = {"label": "x", "value": 10.0, "lo": 9.0, "hi": 11.5}
    assert not is_change(now, {"value": 11.0}) and is_change(now, {"value": 12.0})
    assert is_change({"value": 64}, {"value": 63}) and not is_change({"value": 64}, {"value": 64})
    assert is_change({"value": "a"}, {"value": "b"})
    marked = compare_headlines([now, {"label": "new", "value": 1}], [{"label": "x", "value": 8}])
    assert marked[0]["changed"] and marked[0]["previous_value"] == 8
    assert "changed" not in marked[1]  # nothing to compare with
