"""Write the simulated market into a warehouse file, published atomically."""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime

import duckdb
import pyarrow as pa
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

import fdsa
from fdsa.synth.market import simulate
from fdsa.synth.params import MarketParams, truth_rows
from fdsa.synth.week import CHUNK_STEPS, N_STEPS
from fdsa.warehouse import db

SYNTH_RUN_ID = 1
BUILD_MEMORY_LIMIT = "1GB"
"""DuckDB's memory during a build: its large sorts and joins (the checks over tens of
millions of proposals at scale 20) spill to disk beyond it, which keeps the whole
build within 2 GiB with the simulation's own arrays."""

# How each chunk becomes rows of its table. Text that depends only on other columns
# (descriptions, source keys) is composed here, in SQL, not in Python loops.
_INSERT_SQL = {
    "profiles": "insert into profiles by name select * from chunk",
    "clients": "insert into clients by name select * from chunk",
    "jobs": """
        insert into jobs by name
        select chunk.* exclude (n_openings),
               'We are looking for a freelancer to help with: ' || title
                   || '. Please describe similar work you have done. Skills: '
                   || array_to_string(skills, ', ') || '.' as description,
               'USD' as currency,
               (select country from clients as c where c.client_id = chunk.client_id) as country,
               (select region from clients as c where c.client_id = chunk.client_id) as region,
               'synthetic' as source,
               'synthetic:job:' || job_id as source_key,
               $run as ingest_run_id
        from chunk
    """,
    "job_openings": "insert into job_openings select job_id, n_openings from chunk",
    "proposals": "insert into proposals by name select * from chunk",
    "contracts": "insert into contracts by name select *, 'USD' as currency from chunk",
    "reviews": "insert into reviews by name select * from chunk",
    "rate_history": "insert into rate_history by name select *, 'USD' as currency from chunk",
}


ROW_GROUP_ROWS = 122_880
"""Rows of a DuckDB row group (its default ``ROW_GROUP_SIZE``)."""
_ALIGNED = ("jobs", "job_openings", "proposals", "contracts", "reviews", "rate_history")
"""Tables whose chunks the writer inserts in whole row groups (see _whole_row_groups)."""
QUEUED_TABLES = 4
"""Tables a chunk of weeks hands over at once (``week.run_weeks``; the start hands over
profiles, clients, jobs and job_openings): the writer's queue holds one chunk."""


def configure_build(con: duckdb.DuckDBPyConnection) -> None:
    """DuckDB settings of a build (and of bench/bench_synth.py's phases): bounded memory.

    How the file stays compact is the writer's part (:func:`_writer`): one DuckDB
    thread per insert and whole row groups per insert.
    """
    con.execute(f"set memory_limit = '{BUILD_MEMORY_LIMIT}'")


def _validate(scale: float, seed: int) -> None:
    if not (isinstance(scale, int | float) and math.isfinite(scale) and 0 < scale <= 200):
        raise ValueError(f"--scale must be a number in (0, 200], got {scale!r}")
    if not (isinstance(seed, int) and 0 <= seed < 2**63):
        raise ValueError(f"--seed must be a non-negative integer, got {seed!r}")


def build_warehouse(
    path: str | os.PathLike[str],
    *,
    scale: float = 1.0,
    seed: int = 20240517,
    null_market: bool = False,
    params: MarketParams | None = None,
    progress: bool = False,
) -> dict[str, int]:
    """Simulate the market and publish it as the warehouse at ``path``.

    Parameters
    ----------
    path
        Warehouse file to create or replace (atomically).
    scale
        Market size; 1 gives about 50k jobs and 1.4M proposals, 20 about 1M jobs.
    seed
        Random seed: the same seed and scale give identical table contents.
    null_market
        Plant no niche growth, demand shock or niche premium.
    params
        Market parameters (defaults to :class:`MarketParams`).
    progress
        Show a progress bar.

    Returns
    -------
    dict
        Rows written per table.
    """
    _validate(scale, seed)
    p = params or MarketParams()
    if null_market:
        p = p.null()
    started = datetime.now(UTC)
    clock = time.perf_counter()
    fingerprint = json.dumps(
        {"params": _jsonable(asdict(p)), "scale": scale, "seed": seed},
        sort_keys=True,
        default=str,
    )
    counts: dict[str, int] = {}
    with db.building(path) as con:
        configure_build(con)
        con.execute(
            "insert into ingest_runs values (?, ?, 'synthetic', ?, ?, null, 0, 0, 0, 0, null)",
            [
                SYNTH_RUN_ID,
                f"synth:seed={seed},scale={scale}",
                hashlib.sha256(fingerprint.encode()).hexdigest(),
                started,
            ],
        )
        with _progress(progress) as bar, _writer(con) as write:
            task = bar.add_task("simulating the market", total=N_STEPS // CHUNK_STEPS + 4)
            for table, chunk in simulate(p, scale, seed):
                write(table, chunk)
                if table == "jobs":
                    write("job_openings", chunk)
                    counts["job_openings"] = chunk.num_rows
                counts[table] = counts.get(table, 0) + chunk.num_rows
                bar.update(
                    task,
                    advance=1 if table in ("profiles", "clients", "jobs", "rate_history") else 0,
                )
        con.executemany("insert into truth values (?, ?, ?, ?, ?)", truth_rows(p))
        counts["truth"] = len(truth_rows(p))
        total = sum(counts.values())
        con.execute(
            """update ingest_runs set finished_at = ?, rows_read = ?, rows_loaded = ?,
               note = 'synthetic market: every generated row is loaded'
               where ingest_run_id = ?""",
            [datetime.now(UTC), total, total, SYNTH_RUN_ID],
        )
        info = {
            "schema_version": db.SCHEMA_VERSION,
            "fdsa_version": fdsa.__version__,
            "duckdb_version": duckdb.__version__,
            "source": "synthetic",
            "seed": str(seed),
            "scale": str(scale),
            "null_market": str(null_market).lower(),
            "built_at": started.isoformat(timespec="seconds"),
            "build_seconds": f"{time.perf_counter() - clock:.1f}",
        }
        con.executemany("insert into build_info values (?, ?)", list(info.items()))
        # the simulation writes the derived facts (n_reviews_before, nth_contract, ...)
        # itself, exactly; derived_facts_match below recomputes and compares them
        failed = {name: n for name, n in db.run_checks(con).items() if n}
        if failed:
            raise db.WarehouseError(f"synthetic warehouse failed its checks: {failed}")
        con.execute(  # the checks included (only publishing comes after)
            "update build_info set value = ? where key = 'build_seconds'",
            [f"{time.perf_counter() - clock:.1f}"],
        )
    return counts


def _jsonable(value: object) -> object:
    """``value`` with tuple dict keys joined by ``|`` (JSON keys must be strings)."""
    if isinstance(value, dict):
        return {"|".join(k) if isinstance(k, tuple) else k: _jsonable(v) for k, v in value.items()}
    return value


@contextlib.contextmanager
def _writer(
    con: duckdb.DuckDBPyConnection,
) -> Iterator[Callable[[str, pa.Table], None]]:
    """Insert chunks on a second thread while the simulation computes the next ones.

    DuckDB releases the GIL while it inserts, so on two cores the write of one chunk
    overlaps the simulation of the next. Chunks are inserted one at a time in the
    order given (the tables' rows are in the same order as a serial build). The
    simulation hands over a chunk's tables at once, so the queue holds one chunk's
    worth (``QUEUED_TABLES``): with room for one table only, the simulation waited for
    each chunk's proposals to be inserted before it could go on, and nothing
    overlapped. At most one chunk waits, which bounds the memory. An insert that
    fails stops the build: the error is raised in the caller at its next chunk or
    at the end.
    """
    pending: queue.Queue[tuple[str, pa.Table] | None] = queue.Queue(maxsize=QUEUED_TABLES)
    failure: list[BaseException] = []
    cursor = con.cursor()
    held: dict[str, pa.Table] = {}  # each large table's rows after its last whole row group
    # One DuckDB thread per insert: the simulation has the other core, and a parallel
    # insert splits each chunk into batches that end as part-filled row groups (at
    # scale 20 a third of the proposals' row groups, and 45 MB more file).
    threads = con.execute("select current_setting('threads')").fetchall()[0][0]
    con.execute("set threads = 1")

    def run() -> None:
        while (item := pending.get()) is not None:
            if not failure:
                try:
                    for table, rows in _whole_row_groups(held, *item):
                        _insert(cursor, table, rows)
                except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
                    failure.append(exc)
        if not failure:
            try:
                for table, rows in _rest(held):
                    _insert(cursor, table, rows)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
                failure.append(exc)

    def write(table: str, chunk: pa.Table) -> None:
        if failure:
            raise failure[0]
        pending.put((table, chunk))

    thread = threading.Thread(target=run, name="fdsa-synth-writer", daemon=True)
    thread.start()
    try:
        yield write
    finally:
        pending.put(None)
        thread.join()
        cursor.close()
        con.execute(f"set threads = {int(threads)}")
    if failure:
        raise failure[0]


def _whole_row_groups(
    held: dict[str, pa.Table], table: str, chunk: pa.Table
) -> Iterator[tuple[str, pa.Table]]:
    """The rows of ``table`` to insert now: whole row groups, the rest held back.

    Each insert then ends on a row-group boundary, so no checkpoint writes a half
    row group that the next chunk's rows make it rewrite (the rewrites leave free
    blocks and half-used blocks in the file). Tables read by other tables' inserts
    (profiles, clients) and small ones go in at once; rows keep their order.
    """
    if table not in _ALIGNED:
        yield table, chunk
        return
    rows = pa.concat_tables([held.pop(table), chunk]) if table in held else chunk
    whole = rows.num_rows - rows.num_rows % ROW_GROUP_ROWS
    if whole:
        yield table, rows.slice(0, whole)
    if whole < rows.num_rows:
        held[table] = rows.slice(whole)


def _rest(held: dict[str, pa.Table]) -> Iterator[tuple[str, pa.Table]]:
    """The rows held back: each table's last rows, after those already inserted."""
    yield from held.items()
    held.clear()


def _insert(con: duckdb.DuckDBPyConnection, table: str, chunk: pa.Table) -> None:
    con.register("chunk", chunk)
    try:
        sql = _INSERT_SQL[table]
        con.execute(sql, {"run": SYNTH_RUN_ID} if "$run" in sql else None)
    finally:
        con.unregister("chunk")


def _progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        disable=not enabled,
        transient=True,
    )
