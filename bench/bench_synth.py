"""Time `fdsa synth` against the floor of just writing the same tables with plain DuckDB.

For each scale:

1. **fdsa** — ``fdsa synth --scale S --seed N --out bench/_work/synth_sS.duckdb`` runs as
   its own process (the installed console script, exactly what a user types). Wall time
   is measured around the process (interpreter start and the printed summary included);
   peak RSS is the child's ``ru_maxrss`` from ``os.wait4``, cross-checked by polling the
   child's RSS with psutil every 20 ms.
2. **baseline** — a second process reads every table of the warehouse fdsa just built
   back into Arrow (same rows, same column types; *not* timed), then writes them with
   ``CREATE TABLE t AS SELECT * FROM arrow_table`` into a fresh DuckDB file with no keys
   or checks, and checkpoints. Only the writing is timed: the floor of storing that
   much data. Its peak RSS includes the Arrow copy it writes from; the RSS after the
   untimed read is reported too.

3. **phases** — a third process builds the same market step by step as
   ``build_warehouse`` does (simulate, insert each chunk, run each check, checkpoint)
   and times each stage, so the build's time can be attributed (not the published
   build: no lock, no atomic rename).

Results (rows per table, seconds, peak RSS, fdsa / baseline, stages) are printed and
written as the "## Synthetic market build" section of bench/RESULTS.md (other sections
are kept).
Scratch files live in bench/_work/ and are deleted afterwards unless ``--keep``.

Usage: .venv/bin/python bench/bench_synth.py [--scales 1 20] [--seed N] [--keep] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from _results import peak_rss_mb, replace_section

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
SECTION = "## Synthetic market build"
# Tables in the order the report lists them (all tables with rows are written by the baseline).
MAIN_TABLES = (
    "profiles",
    "clients",
    "jobs",
    "job_openings",
    "proposals",
    "contracts",
    "reviews",
    "rate_history",
)


# ------------------------------------------------------------------ child: the baseline


def _child_baseline(source: str, out: str) -> None:
    """Read ``source`` into Arrow (untimed), write it to ``out`` with plain CTAS (timed)."""
    import duckdb
    import psutil

    src = duckdb.connect(source, read_only=True)
    names = [
        r[0]
        for r in src.execute(
            "select table_name from duckdb_tables() where database_name = current_database() "
            "and schema_name = 'main' order by table_name"
        ).fetchall()
    ]
    arrow = {n: src.sql(f'select * from "{n}"').to_arrow_table() for n in names}  # noqa: S608 (table names from duckdb_tables)
    types = {n: src.sql(f'describe "{n}"').fetchall() for n in names}
    src.close()
    rss_after_read = psutil.Process().memory_info().rss
    Path(out).unlink(missing_ok=True)

    start = time.perf_counter()
    con = duckdb.connect(out)
    for name, table in arrow.items():
        con.register("arrow_table", table)
        con.execute(f'create table "{name}" as select * from arrow_table')  # noqa: S608 (table names from duckdb_tables)
        con.unregister("arrow_table")
    con.execute("checkpoint")
    con.close()
    seconds = time.perf_counter() - start

    # the copy must hold the same rows and column types as the fdsa warehouse
    con = duckdb.connect(out, read_only=True)
    for name, table in arrow.items():
        got_rows = con.execute(f'select count(*) from "{name}"').fetchall()[0][0]  # noqa: S608 (table names from duckdb_tables)
        got_types = [(c[0], c[1]) for c in con.sql(f'describe "{name}"').fetchall()]
        want_types = [(c[0], c[1]) for c in types[name]]
        if got_rows != table.num_rows or got_types != want_types:
            raise SystemExit(f"baseline copy of {name} differs: {got_rows} rows, {got_types}")
    con.close()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_rss_mb": peak_rss_mb(),
                "rss_after_read_mb": rss_after_read / 2**20,
                "rows": {n: t.num_rows for n, t in arrow.items()},
                "file_mb": os.path.getsize(out) / 2**20,
            }
        )
    )


def _child_phases(scale: float, seed: int, out: str) -> None:
    """Build the market stage by stage (as build_warehouse does); print seconds per stage."""
    from importlib.resources import files

    import duckdb

    from fdsa.synth import build as synth_build
    from fdsa.synth.market import simulate
    from fdsa.synth.params import MarketParams, truth_rows
    from fdsa.warehouse import db

    Path(out).unlink(missing_ok=True)
    start = time.perf_counter()
    con = duckdb.connect(out)
    con.execute("set TimeZone = 'UTC'")
    db.create_schema(con)
    synth_build.configure_build(con)
    con.execute(
        "insert into ingest_runs values "
        "(1, 'bench', 'synthetic', 'h', now(), null, 0, 0, 0, 0, null)"
    )
    stages: dict[str, float] = {"schema": time.perf_counter() - start}
    chunks = simulate(MarketParams(), scale, seed)
    held: dict = {}  # rows the build holds back to insert whole row groups
    threads = con.execute("select current_setting('threads')").fetchall()[0][0]
    con.execute("set threads = 1")  # as the build's writer
    while True:
        t0 = time.perf_counter()
        try:
            table, chunk = next(chunks)
        except StopIteration:
            stages["simulate"] = stages.get("simulate", 0.0) + time.perf_counter() - t0
            break
        stages["simulate"] = stages.get("simulate", 0.0) + time.perf_counter() - t0
        t0 = time.perf_counter()
        for name in (table, "job_openings") if table == "jobs" else (table,):
            for name_, rows in synth_build._whole_row_groups(held, name, chunk):
                synth_build._insert(con, name_, rows)
        stages[f"insert {table}"] = stages.get(f"insert {table}", 0.0) + time.perf_counter() - t0
    t0 = time.perf_counter()
    for name, rows in synth_build._rest(held):
        synth_build._insert(con, name, rows)
    stages["insert held rows"] = time.perf_counter() - t0
    con.execute(f"set threads = {int(threads)}")
    con.executemany("insert into truth values (?, ?, ?, ?, ?)", truth_rows(MarketParams()))
    for entry in sorted(files("fdsa.warehouse.checks").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".sql"):
            t0 = time.perf_counter()
            con.execute(entry.read_text(encoding="utf-8")).fetchall()
            stages[f"check {entry.name[:-4]}"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    con.execute("checkpoint")
    con.close()
    stages["checkpoint"] = time.perf_counter() - t0
    Path(out).unlink(missing_ok=True)
    print(
        json.dumps(
            {
                "stages": stages,
                "total": time.perf_counter() - start,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


# ------------------------------------------------------------------ parent


def _measure(cmd: list[str]) -> dict:
    """Run ``cmd``; wall seconds, peak RSS (wait4 and psutil polling), captured stdout."""
    import psutil

    out_path = WORK / "child.stdout"
    err_path = WORK / "child.stderr"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        polled = [0]
        done = threading.Event()

        def poll() -> None:
            try:
                ps = psutil.Process(proc.pid)
                while not done.is_set():
                    polled[0] = max(polled[0], ps.memory_info().rss)
                    time.sleep(0.02)
            except psutil.Error:
                pass

        watcher = threading.Thread(target=poll, daemon=True)
        watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        watcher.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        sys.stderr.write(err_path.read_text(encoding="utf-8", errors="replace"))
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {proc.returncode}")
    return {
        "seconds": seconds,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "polled_rss_mb": polled[0] / 2**20,
        "stdout": stdout,
    }


def _fdsa_command() -> list[str]:
    script = Path(sys.executable).with_name("fdsa")
    if script.exists():
        return [str(script)]
    found = shutil.which("fdsa")
    return [found] if found else [sys.executable, "-m", "fdsa.cli"]


def _build_seconds(path: Path) -> float | None:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        row = con.execute("select value from build_info where key = 'build_seconds'").fetchone()
    finally:
        con.close()
    return float(row[0]) if row else None


def _bytes_by_column(path: Path) -> dict[str, dict]:
    """Bytes each table and column of ``path`` takes in the file, and the table's rows.

    From ``pragma_storage_info``: a segment's bytes run from its offset to the next
    segment's offset in the same block (the end of the block for the last one, so a
    block's unused tail counts to its last segment); blocks a segment spills into count
    whole. Free blocks and the file's metadata are in no column.
    """
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        block = con.execute("select block_size from pragma_database_size()").fetchall()[0][0]
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where database_name = current_database()"
            ).fetchall()
        ]
        segments, rows = [], {}
        for t in tables:  # names from duckdb_tables()
            rows[t] = con.execute(f'select count(*) from "{t}"').fetchall()[0][0]  # noqa: S608
            segments += [
                (t, *r)
                for r in con.execute(
                    "select column_name, block_id, block_offset, len(additional_block_ids) "
                    "from pragma_storage_info(?) where block_id >= 0",
                    [t],
                ).fetchall()
            ]
    finally:
        con.close()
    mem = duckdb.connect()
    mem.execute("create table s (t varchar, col varchar, block bigint, off bigint, extra int)")
    mem.executemany("insert into s values (?, ?, ?, ?, ?)", segments)
    sized = mem.execute(
        """with sized as (
               select t, col,
                      coalesce(lead(off) over (partition by block order by off), $b)
                          - off + extra * $b as bytes
               from s)
           select t, col, sum(bytes) from sized group by all""",
        {"b": block},
    ).fetchall()
    mem.close()
    out: dict[str, dict] = {t: {"rows": rows[t], "columns": {}} for t in tables}
    for t, col, size in sized:
        out[t]["columns"][col] = int(size)
    return out


def _schema_version() -> str:
    from fdsa.warehouse import db

    return db.SCHEMA_VERSION


BEFORE = (
    "Before issue 19's file work (schema 7, same seed, recorded in this section on "
    "2026-12-03): scale 20 took 57.8 s (build 56.6 s) at 1,667 MB peak RSS for a "
    "849 MB file whose rows fill 723 MB when copied into a fresh file; "
    "proposals took 18.4 B/row stored one column per fresh file (rating_before 6.0, "
    "submitted_at 4.3, bid_amount 2.5, freelancer_id 2.1, job_id 1.2, n_reviews_before "
    "1.0, channel 0.6, outcome 0.6, proposal_id 0.2); in the 849 MB file itself, by the "
    "attribution below, 17.9 B/row (616 MiB) and 77 MiB of free blocks. The check "
    "derived_facts_match took 7.8 s at scale 20. After it, before the writer's queue "
    "held a whole chunk (schema 8, same seed, same machine, 2026-12-03): 49.6 s (build "
    "48.9 s) at 1,515 MB peak RSS for the same 561 MB file; proposals_keys 2.9 s."
)
"""The last run before the changes this section measures (kept as text: the old code is gone)."""


def _bytes_lines(results: list[dict]) -> list[str]:
    """Bytes per row by table and column in the fdsa file of the largest scale."""
    r = max(results, key=lambda r: r["scale"])
    tables = sorted(
        ((t, v) for t, v in r["bytes"].items() if v["rows"]),
        key=lambda tv: -sum(tv[1]["columns"].values()),
    )
    attributed = sum(sum(v["columns"].values()) for v in r["bytes"].values()) / 2**20
    lines = [
        f"Where the bytes of the scale-{r['scale']:g} file go ({r['fdsa_file_mb']:,.0f} MB; "
        f"{attributed:,.0f} MB in column segments, the rest metadata and free blocks). "
        "From `pragma_storage_info`: a segment runs from its offset to the next segment's "
        "offset in its block, the last one to the block's end.",
        "",
        "| table | rows | MB | B/row | columns, B/row |",
        "|---|---|---|---|---|",
    ]
    for t, v in tables:
        cols = sorted(v["columns"].items(), key=lambda kv: -kv[1])
        total = sum(v["columns"].values())
        detail = ", ".join(f"{c} {b / v['rows']:.2f}" for c, b in cols if b / v["rows"] >= 0.05)
        lines.append(
            f"| {t} | {v['rows']:,} | {total / 2**20:,.1f} | {total / v['rows']:.2f} | {detail} |"
        )
    return [*lines, "", BEFORE, ""]


def _report(results: list[dict], seed: int) -> str:
    import duckdb
    import psutil

    scales = " ".join(f"{r['scale']:g}" for r in results)
    lines = [
        SECTION,
        "",
        f"`.venv/bin/python bench/bench_synth.py --scales {scales}` on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {psutil.virtual_memory().total / 2**30:.1f} GiB RAM, "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}; seed {seed}; "
        f"run {time.strftime('%Y-%m-%d')}; one run per scale, each side in its own process, "
        "warm page cache.",
        "",
        "- **fdsa**: `fdsa synth --scale S --seed N --out …` as a subprocess — simulate the "
        "market, insert every chunk into the schema (CHECK and NOT NULL constraints; keys "
        f"of the large tables held by set-based checks, schema {_schema_version()}) on a "
        "second thread while "
        "the next chunk is simulated, run the warehouse checks, publish atomically, print "
        "the summary. Wall time "
        "includes interpreter start-up; peak RSS is the child's `ru_maxrss` (`os.wait4`), "
        "cross-checked by psutil polling every 20 ms.",
        "- **baseline (floor)**: a second process reads every table of that warehouse back "
        "into Arrow (same rows and column types; untimed), then times `CREATE TABLE t AS "
        "SELECT * FROM arrow_table` for each table into a fresh DuckDB file, no "
        "constraints, plus a checkpoint. Its peak RSS includes the Arrow copy it writes "
        "from (RSS after the untimed read in brackets).",
        "",
        "| scale | fdsa s | baseline s | fdsa / baseline time | fdsa peak RSS MB | "
        "baseline peak RSS MB | fdsa / baseline RSS | file MB fdsa / baseline |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        f, b = r["fdsa"], r["baseline"]
        lines.append(
            f"| {r['scale']:g} | {f['seconds']:.1f} (build {r['build_seconds']:.1f}) | "
            f"{b['seconds']:.1f} | {f['seconds'] / b['seconds']:.1f}× | "
            f"{f['peak_rss_mb']:,.0f} (polled {f['polled_rss_mb']:,.0f}) | "
            f"{b['peak_rss_mb']:,.0f} ({b['rss_after_read_mb']:,.0f}) | "
            f"{f['peak_rss_mb'] / b['peak_rss_mb']:.2f}× | "
            f"{r['fdsa_file_mb']:,.0f} / {b['file_mb']:,.0f} |"
        )
    lines += [
        "",
        "fdsa s in brackets: `build_seconds` the build records in `build_info` (simulate + "
        "insert + checks; without start-up, publishing and the printed summary).",
        "",
        "Reading the ratios: the baseline only stores finished columns, so fdsa / baseline "
        "time is the cost of simulating the market (numpy, 262 weekly steps with ~140k "
        "proposals a week at scale 20) plus checked inserts and the checks — not of "
        "writing bytes. fdsa streams 13-week chunks and caps DuckDB at "
        "`BUILD_MEMORY_LIMIT` (1 GB; its large sorts and joins spill), which keeps scale 20 "
        "within 2 GiB; the floor must hold the whole Arrow copy at once. Only the small "
        "tables (profiles, clients, ingest runs, rejects, truth, salary reports) keep "
        "primary-key indexes; `jobs`, `job_openings`, `proposals`, `contracts`, "
        "`reviews` and `rate_history` hold their keys with the set-based checks "
        "`checks/*_keys.sql`, run at every build (a broken key publishes nothing and the "
        "check names the rows). With key indexes, 30M proposals alone took 44 s and 1.4 GB "
        "of file in a test (5 s and 0.2 GB without). The phases child below runs the "
        "stages one after another; the build itself overlaps each chunk's insert with "
        "the simulation of the next, so its wall time is less than the phases' total. "
        "The simulation hands over a chunk's four tables at once and the writer's queue "
        "holds one chunk (`QUEUED_TABLES`); while it held one table, the simulation "
        "waited for each chunk's proposals to be inserted, and the build took as long "
        "as the phases one after another. The simulation's text columns leave it "
        "dictionary-encoded (codes and the shared vocabulary), not one string per row.",
        "",
        "The file: the build's writer inserts on one DuckDB thread (a parallel insert "
        "split each chunk into batches that ended as part-filled row groups) and inserts "
        "the large tables in whole row groups, holding each chunk's remainder for the "
        "next, so no chunk leaves a half row group that the next one rewrites (the "
        "rewrites left free blocks: 77 MB of the old 849 MB file). "
        "`proposals.rating_before` is the mean stars rounded half up to hundredths, as a "
        "profile shows it (ALP stores it in ~1.6 B instead of 6.0), and "
        "`jobs.description` is stored with zstd (15 B/row instead of FSST's 41). The "
        "baseline's CTAS uses DuckDB's default compression (FSST for the descriptions).",
        "",
        *_bytes_lines(results),
        "Load average (1/5/15 min) at the end of each scale: "
        + "; ".join(
            f"scale {r['scale']:g}: " + " / ".join(f"{v:.1f}" for v in r["load"]) for r in results
        )
        + " (2 CPUs shared with other jobs: absolute seconds drift between runs).",
        "",
        "Where the build's time goes (the phases child: same market, stage by stage):",
        "",
        "| stage | " + " | ".join(f"scale {r['scale']:g} s" for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]
    stage_names = list(dict.fromkeys(n for r in results for n in r["phases"]["stages"]))
    for name in stage_names:
        cells = [f"{r['phases']['stages'].get(name, 0.0):.1f}" for r in results]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    totals = [f"**{r['phases']['total']:.1f}**" for r in results]
    lines.append("| **total** | " + " | ".join(totals) + " |")
    lines += [
        "",
        "Rows per table:",
        "",
        "| table | " + " | ".join(f"scale {r['scale']:g}" for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]
    names = [t for t in MAIN_TABLES if any(t in r["baseline"]["rows"] for r in results)]
    extra = sorted(
        {t for r in results for t, n in r["baseline"]["rows"].items() if n and t not in names}
    )
    for name in [*names, *extra]:
        cells = [f"{r['baseline']['rows'].get(name, 0):,}" for r in results]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    totals = [f"**{sum(r['baseline']['rows'].values()):,}**" for r in results]
    lines.append("| **all tables** | " + " | ".join(totals) + " |")
    lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-baseline":
        _child_baseline(sys.argv[2], sys.argv[3])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--child-phases":
        _child_phases(float(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", nargs="+", type=float, default=[1.0, 20.0])
    parser.add_argument("--seed", type=int, default=20240517)
    parser.add_argument("--keep", action="store_true", help="keep the warehouse files")
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    results = []
    for scale in args.scales:
        built = WORK / f"synth_s{scale:g}.duckdb"
        plain = WORK / f"plain_s{scale:g}.duckdb"
        fdsa_run = _measure(
            [
                *_fdsa_command(),
                "synth",
                "--scale",
                f"{scale:g}",
                "--seed",
                str(args.seed),
                "--out",
                str(built),
            ]
        )
        fdsa_file_mb = built.stat().st_size / 2**20
        by_column = _bytes_by_column(built)
        build_seconds = _build_seconds(built) or float("nan")
        base_run = _measure([sys.executable, __file__, "--child-baseline", str(built), str(plain)])
        baseline = json.loads(base_run["stdout"].strip().splitlines()[-1])
        phase_run = _measure(
            [
                sys.executable,
                __file__,
                "--child-phases",
                f"{scale:g}",
                str(args.seed),
                str(WORK / f"phases_s{scale:g}.duckdb"),
            ]
        )
        phases = json.loads(phase_run["stdout"].strip().splitlines()[-1])
        results.append(
            {
                "scale": scale,
                "fdsa": fdsa_run,
                "build_seconds": build_seconds,
                "fdsa_file_mb": fdsa_file_mb,
                "bytes": by_column,
                "baseline": baseline,
                "phases": phases,
                "load": os.getloadavg(),
            }
        )
        total = sum(baseline["rows"].values())
        print(
            f"scale {scale:g}: fdsa {fdsa_run['seconds']:.1f} s, {fdsa_run['peak_rss_mb']:.0f} MB"
            f" | baseline {baseline['seconds']:.1f} s, {baseline['peak_rss_mb']:.0f} MB"
            f" | ratio {fdsa_run['seconds'] / baseline['seconds']:.1f}x | {total:,} rows",
            flush=True,
        )
        if not args.keep:
            for path in (built, plain):
                for p in (path, Path(f"{path}.wal"), Path(f"{path}.lock")):
                    p.unlink(missing_ok=True)
    for name in ("child.stdout", "child.stderr"):
        (WORK / name).unlink(missing_ok=True)
    text = _report(results, args.seed)
    print(text)
    if not args.no_write:
        replace_section(SECTION, text)


if __name__ == "__main__":
    main()
