"""Promise: the machine's time zone changes no number in any report.

The same warehouse is reported under three ``TZ`` settings; the headlines and the
data behind every table and figure (the CSV downloads embedded in the page) must
be byte-identical. Loads under other zones are covered in the synth and ingest tests.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from .conftest import FDSA

ZONES = ("UTC", "America/Los_Angeles", "Asia/Kolkata")
CSV_DATA = re.compile(r'download="([^"]+)" href="data:text/csv;base64,([A-Za-z0-9+/=]+)"')


def _report_under(tz: str, warehouse: Path, out: Path) -> tuple[list[str], dict[str, str]]:
    subprocess.run(
        [*FDSA, "report", "niche_explorer", "-p", "since=2022-03-01", "-w", str(warehouse),
         "-o", str(out)],
        check=True, capture_output=True, env={**os.environ, "TZ": tz},
    )  # fmt: skip
    (run,) = json.loads((out / "manifest.json").read_text())["runs"]
    page = (out / run["html"]).read_text()
    return run["headlines"], dict(CSV_DATA.findall(page))


def test_report_numbers_do_not_depend_on_the_time_zone(small_warehouse, tmp_path):
    results = {tz: _report_under(tz, small_warehouse, tmp_path / tz) for tz in ZONES}
    headlines, data = results["UTC"]
    assert len(headlines) >= 3 and "monthly_jobs.csv" in data
    for tz in ZONES[1:]:
        assert results[tz] == (headlines, data), f"{tz} differs from UTC"
