"""Promise: a real-file import killed at any moment publishes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from fdsa.ingest import ingest_file
from fdsa.warehouse import db

from .conftest import FDSA, KillSchedule, run_and_kill

KILL_POINTS = int(os.environ.get("FDSA_KILL_POINTS", "20"))
HEADER = "title,link,description,published_date,is_hourly,hourly_low,hourly_high,budget,country"


def _postings(path: Path, n: int, offset: int) -> Path:
    lines = [HEADER] + [
        f'Power BI dashboard {i},https://u/{i + offset},"desc, {i}",2024-02-17 09:09:54+00:00,'
        f"{'True,15,35,' if i % 2 else 'False,,,100'},India"
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def _fingerprint(path: Path) -> dict[str, str]:
    with db.connect(path) as con:
        assert not any(db.run_checks(con).values())
        return {t: db.content_hash(con, t) for t in db.TABLES}


def test_sigkill_during_ingest_leaves_the_previous_warehouse(tmp_path, record_property):
    warehouse = tmp_path / "w.duckdb"
    ingest_file(
        _postings(tmp_path / "first.csv", 1_000, 0), format_name="postings-csv", warehouse=warehouse
    )
    before = _fingerprint(warehouse)
    second = _postings(tmp_path / "second.csv", 150_000, 10**6)
    command = [
        *FDSA,
        "ingest",
        str(second),
        "--format",
        "postings-csv",
        "--warehouse",
        str(warehouse),
    ]
    saved = tmp_path / "saved.duckdb"
    shutil.copyfile(warehouse, saved)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)  # how long a whole run takes
    duration = time.perf_counter() - start
    assert _fingerprint(warehouse) != before
    shutil.copyfile(saved, warehouse)

    killed = 0
    schedule = KillSchedule(duration, KILL_POINTS)
    for i in range(KILL_POINTS):
        ran = run_and_kill(command, schedule.delay(i))
        if ran is not None:
            schedule.ran_to_end(ran)
        now = _fingerprint(warehouse)
        if now == before:
            killed += 1
            continue
        # the kill landed after the publish: the whole second file must be there
        with db.connect(warehouse) as con:
            assert con.execute("select count(*) from jobs").fetchall()[0][0] == 151_000
        shutil.copyfile(saved, warehouse)
    assert killed >= KILL_POINTS // 2, f"only {killed} kills landed mid-load"
    subprocess.run(command, check=True, capture_output=True)  # a rerun completes
    assert _fingerprint(warehouse) != before
    assert not list(tmp_path.glob(".w.duckdb.staging-*"))
    record_property("figure: fdsa ingest kill points tried", KILL_POINTS)
    record_property("figure: fdsa ingest kills that landed mid-load", killed)
