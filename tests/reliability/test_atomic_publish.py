"""Promise: a published warehouse is never half-written, whatever happens to a load."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from fdsa.synth import build_warehouse
from fdsa.warehouse import db

from .conftest import FDSA, KillSchedule, build_in_background, run_and_kill

KILL_POINTS = int(os.environ.get("FDSA_KILL_POINTS", "20"))


def _fingerprint(path: Path) -> dict[str, str]:
    with db.connect(path) as con:
        return {t: db.content_hash(con, t) for t in db.TABLES}


def _healthy(path: Path) -> bool:
    with db.connect(path) as con:
        return not any(db.run_checks(con).values())


def _timed_build(path: Path, scale: float, seed: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [*FDSA, "synth", "--scale", str(scale), "--seed", str(seed), "--out", str(path)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def _data(path: Path) -> dict[str, str]:
    """Fingerprint of the data tables (build_info and ingest_runs carry times)."""
    return {t: h for t, h in _fingerprint(path).items() if t not in ("build_info", "ingest_runs")}


def test_sigkill_at_many_points_never_publishes_a_partial_build(tmp_path, record_property):
    """Kill `fdsa synth` with SIGKILL at evenly spread moments of its run.

    After each kill the warehouse is either exactly the previous one, or — when the
    kill landed after the publish — the complete new market; never anything else.
    """
    killed_mid_build = _kill_synth(tmp_path, KILL_POINTS)
    record_property("figure: fdsa synth kill points tried", KILL_POINTS)
    record_property("figure: fdsa synth kills that landed mid-build", killed_mid_build)


def _kill_synth(tmp_path: Path, kill_points: int) -> int:
    """Kill `fdsa synth` at ``kill_points`` moments; the number of kills that landed mid-build."""
    path = tmp_path / "w.duckdb"
    probe = tmp_path / "probe.duckdb"
    # the faster of two runs: on a shared machine one run can be slowed by other work,
    # and kill points spread over an inflated duration would mostly land after the end
    duration = min(_timed_build(probe, 0.1, 2), _timed_build(probe, 0.1, 2))
    complete = _data(probe)
    build_warehouse(path, scale=0.02, seed=1)
    before = _fingerprint(path)
    killed_mid_build = 0
    schedule = KillSchedule(duration, kill_points)
    command = [*FDSA, "synth", "--scale", "0.1", "--seed", "2", "--out", str(path)]
    for i in range(kill_points):
        delay = schedule.delay(i)
        ran = run_and_kill(command, delay)
        if ran is not None:
            schedule.ran_to_end(ran)
        assert _healthy(path)
        if _fingerprint(path) == before:
            killed_mid_build += 1
            continue
        assert _data(path) == complete, f"kill at {delay:.2f}s left a partial warehouse"
        build_warehouse(path, scale=0.02, seed=1)  # back to the old one for the next point
        before = _fingerprint(path)
    assert killed_mid_build >= kill_points // 2, f"only {killed_mid_build} kills landed mid-build"
    build_warehouse(path, scale=0.02, seed=3)  # a rerun completes and clears orphans
    assert not list(tmp_path.glob(".w.duckdb.staging-*"))
    return killed_mid_build


def test_disk_full_is_a_clear_error_and_keeps_the_previous_warehouse(tiny_filesystem):
    path = tiny_filesystem / "w.duckdb"
    build_warehouse(path, scale=0.005, seed=1)
    before = _fingerprint(path)
    result = subprocess.run(
        [*FDSA, "synth", "--scale", "0.5", "--out", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "disk full" in result.stderr and "nothing was published" in result.stderr
    assert "Traceback" not in result.stderr
    assert _fingerprint(path) == before
    assert sorted(p.name for p in tiny_filesystem.iterdir()) == ["w.duckdb", "w.duckdb.lock"]


def _info(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*FDSA, "warehouse", "info", "--warehouse", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_warehouse_info_during_a_build_shows_the_previous_version(tmp_path):
    path = tmp_path / "w.duckdb"
    build_warehouse(path, scale=0.02, seed=1)
    with build_in_background(path, "--scale", "8", "--seed", "9"):
        info = _info(path)
        assert info.returncode == 0, info.stderr
        assert "seed 1," in info.stdout
        assert "in progress" in info.stdout
        second = subprocess.run(
            [*FDSA, "synth", "--scale", "0.01", "--out", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert second.returncode == 1
        assert "already being written" in second.stderr and "Traceback" not in second.stderr


def test_first_build_in_progress_is_reported_to_readers(tmp_path):
    path = tmp_path / "w.duckdb"
    with build_in_background(path, "--scale", "8"):
        info = _info(path)
        assert info.returncode == 1
        assert "being built" in info.stderr and "Traceback" not in info.stderr


def test_foreign_wal_is_never_replayed_into_the_warehouse(tmp_path):
    ours, other = tmp_path / "w.duckdb", tmp_path / "other.duckdb"
    build_warehouse(ours, scale=0.01, seed=1)
    before = _fingerprint(ours)
    import duckdb

    con = duckdb.connect(str(other))
    con.execute("create table jobs(x int); insert into jobs values (1)")
    con.execute("pragma disable_checkpoint_on_shutdown")
    wal = Path(str(other) + ".wal")
    if wal.exists():
        (tmp_path / "w.duckdb.wal").write_bytes(wal.read_bytes())
    else:
        (tmp_path / "w.duckdb.wal").write_bytes(os.urandom(4096))
    con.close()
    result = subprocess.run(
        [*FDSA, "warehouse", "info", "--warehouse", str(ours)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "write-ahead log" in result.stderr and "Traceback" not in result.stderr
    (tmp_path / "w.duckdb.wal").unlink()
    assert _fingerprint(ours) == before


@pytest.mark.slow
def test_soak_many_kill_points(tmp_path, record_property):
    """Longer variant: 100 kill points (run with `pytest -m slow`)."""
    killed_mid_build = _kill_synth(tmp_path, 100)
    record_property("figure: soak kills that landed mid-build (of 100)", killed_mid_build)
