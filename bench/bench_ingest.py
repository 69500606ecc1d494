"""Benchmark: ``fdsa ingest --format postings-csv`` on a 1M-row Upwork dump of the synthetic market.

The file is drawn from the jobs of a scale-1 synthetic market (:func:`generate`), with
varied titles, re-scrapes and ~1% hostile rows. Each contender runs in its own
subprocess (peak RSS per contender), in interleaved rounds:

* the floor — plain DuckDB ``read_csv`` of the file into a table of a fresh file;
* the same with fdsa's pinned dialect, checking nothing;
* DuckDB alone into fdsa's ``jobs``: a lower bound without dedupe, and the same
  keeping the first row of each link (:func:`_keyed_load`);
* pandas ``read_csv`` + insert into DuckDB (what users do today);
* the fdsa importer (parse, check, reconcile every row, classify niches, publish) into
  a fresh warehouse, timed stage by stage.

Writes the section "## Ingest (postings-csv, 1M rows)" of bench/RESULTS.md.

Run: ``.venv/bin/python bench/bench_ingest.py [--rows N] [--repeat K] [--no-write]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from _results import peak_rss_mb, replace_section

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
SECTION = "## Ingest (postings-csv, 1M rows)"

MARKET_SCALE = 1
MARKET_SEED = 20240517
"""The synthetic market the postings are drawn from (about 50k jobs)."""

_TAILS = (
    "needed",
    "wanted",
    "for a small team",
    "for our startup",
    "for an ongoing project",
    "ASAP",
    "part time",
    "long term",
    "short project",
    "with Python",
    "in SQL",
    "for a US client",
    "remote",
    "next week",
    "quick turnaround",
    "phase 2",
)
"""Niche-neutral words appended to market titles, as real titles vary."""


def _market_jobs(path: Path):
    """Jobs of the synthetic market at ``path`` (built when absent) as a polars frame."""
    import duckdb
    import polars as pl

    from fdsa.synth import build_warehouse

    if not path.exists():
        build_warehouse(path, scale=MARKET_SCALE, seed=MARKET_SEED)
    con = duckdb.connect(str(path), read_only=True)
    table = con.sql(
        """
        select title, description, strftime(posted_at at time zone 'UTC',
                                            '%Y-%m-%d %H:%M:%S+00:00') as published_date,
               job_type = 'hourly' as hourly, hourly_low, hourly_high, budget, country
        from jobs order by job_id
        """
    ).to_arrow_table()
    con.close()
    return pl.from_arrow(table)


def generate(path: Path, rows: int, market: Path, seed: int = 7) -> None:
    """Write an Upwork-layout CSV of ``rows`` postings drawn from the synthetic market.

    Each row is a job of the market (title, description, date, pay, country; codes
    written as country names) under a link of its own; ~65% of titles get a
    niche-neutral tail and ~50% a reference number, so most titles differ, as in real
    dumps. ~2% of rows are re-scrapes of an earlier row (same link and text, the date
    up to two weeks later), ~1% hostile (bad dates, low > high, negative or
    "$2,500" budgets, HTML and quoted newlines, extra fields).
    """
    import numpy as np
    import polars as pl

    from fdsa import taxonomy

    rng = np.random.default_rng(seed)
    jobs = _market_jobs(market)
    names = {}
    for name, code in taxonomy.COUNTRY_NAMES.items():
        names.setdefault(code, name.title())
    frame = jobs[rng.integers(0, len(jobs), rows)]
    tail = np.where(rng.random(rows) < 0.65, " " + np.array(_TAILS)[rng.integers(0, 16, rows)], "")
    ref = np.where(
        rng.random(rows) < 0.5, np.char.add(" (ref ", rng.integers(0, 10**6, rows).astype(str)), ""
    )
    ref = np.where(ref == "", "", np.char.add(ref, ")"))
    hourly = frame["hourly"].to_numpy()
    frame = frame.with_columns(
        pl.Series(
            "title", np.char.add(np.char.add(frame["title"].to_numpy().astype(str), tail), ref)
        ),
        pl.Series("link", [f"https://www.upwork.com/jobs/~0{i:012d}" for i in range(rows)]),
        pl.col("country").replace_strict(names, default=pl.col("country")).fill_null(""),
        pl.Series("is_hourly", np.where(hourly, "True", "False")),
    )
    # Re-scrapes: a row repeats an earlier one (same link and text), seen up to 14 days later.
    again = np.flatnonzero(rng.random(rows) < 0.02)
    again = again[again > 0]
    take = np.arange(rows)
    take[again] = (rng.random(len(again)) * again).astype(np.int64)
    delay = np.zeros(rows, dtype=np.int64)
    delay[again] = rng.integers(1, 14 * 86400, len(again))
    frame = frame[take].with_columns(
        pl.when(pl.Series(delay) > 0)
        .then(
            (
                pl.col("published_date").str.to_datetime("%Y-%m-%d %H:%M:%S%:z")
                + pl.duration(seconds=pl.Series(delay))
            ).dt.strftime("%Y-%m-%d %H:%M:%S+00:00")
        )
        .otherwise("published_date")
        .alias("published_date")
    )
    amount = lambda c: pl.col(c).cast(pl.Utf8).fill_null("")  # noqa: E731
    frame = frame.select(
        "title",
        "link",
        "description",
        "published_date",
        "is_hourly",
        amount("hourly_low").alias("hourly_low"),
        amount("hourly_high").alias("hourly_high"),
        amount("budget").alias("budget"),
        "country",
    )
    hostile = rng.random(rows) < 0.01
    kind = rng.integers(0, 6, rows)
    pick = lambda k: pl.Series(hostile & (kind == k))  # noqa: E731
    frame = frame.with_columns(
        pl.when(pick(0))
        .then(pl.lit("not a date"))
        .otherwise("published_date")
        .alias("published_date"),
        pl.when(pick(1) & pl.col("is_hourly").eq("True"))
        .then(pl.lit("900"))
        .otherwise("hourly_low")
        .alias("hourly_low"),
        pl.when(pick(2) & pl.col("is_hourly").eq("False"))
        .then(pl.lit("-5"))
        .when(pick(4) & pl.col("is_hourly").eq("False"))
        .then(pl.lit("$2,500"))
        .otherwise("budget")
        .alias("budget"),
        pl.when(pick(3))
        .then(pl.lit("<script>alert(1)</script> line one\nline two 😀"))
        .otherwise("description")
        .alias("description"),
    )
    frame.write_csv(path)
    # Rows with too many fields: append an extra field to a few lines (kind 5).
    extra = set(np.flatnonzero(hostile & (kind == 5)).tolist())
    if extra:
        text = path.read_text(encoding="utf-8").split("\n")
        # The CSV writer quotes the multi-line description, so map records to lines.
        out, record = [], 0
        inside = False
        for line in text:
            if not inside and record - 1 in extra and line:
                line = line + ",EXTRA"
            out.append(line)
            if line.count('"') % 2 == 1:
                inside = not inside
            if not inside:
                record += 1
        path.write_text("\n".join(out), encoding="utf-8")


CONTENDERS = ("floor", "pinned", "keyed", "keyed_dedupe", "pandas", "fdsa")
"""Run in this order in every round."""


def _file_facts(csv_path: Path) -> dict[str, object]:
    """The dialect DuckDB's sniffer picks for the floor, and distinct titles (untimed)."""
    import duckdb

    from fdsa.ingest import postings_csv

    row = duckdb.sql("select Delimiter, Quote from sniff_csv($p)", params={"p": str(csv_path)})
    delimiter, quote = row.fetchall()[0]
    titles = duckdb.execute(
        """
        select count(distinct title) from read_csv($p, columns = $columns, header = true,
            delim = ',', quote = '"', escape = '"', auto_detect = false, ignore_errors = true)
        """,
        {"p": str(csv_path), "columns": dict.fromkeys(postings_csv.COLUMNS, "VARCHAR")},
    ).fetchall()[0][0]
    return {"sniffed": f"delimiter `{delimiter}`, quote `{quote}`", "titles": titles}


def _run_child(kind: str, csv_path: Path, db_path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(csv_path), str(db_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _child(kind: str, csv_path: Path, db_path: Path) -> None:
    import duckdb

    for p in db_path.parent.glob(db_path.name + "*"):
        p.unlink()
    started, cpu_started = time.perf_counter(), time.process_time()
    extra: dict[str, object] = {}
    if kind == "floor":
        con = duckdb.connect(str(db_path))
        con.execute("create table t as select * from read_csv($p)", {"p": str(csv_path)})
        extra["rows"] = con.execute("select count(*) from t").fetchall()[0][0]
        con.close()
    elif kind == "pinned":
        from fdsa.ingest import postings_csv
        from fdsa.ingest.csv_read import READ_CSV

        columns = dict.fromkeys(postings_csv.COLUMNS, "VARCHAR")
        con = duckdb.connect(str(db_path))
        con.execute(
            f"create table t as select * from {READ_CSV}",  # noqa: S608 - fixed SQL
            {"path": str(csv_path), "columns": columns},
        )
        extra["rows"] = con.execute("select count(*) from t").fetchall()[0][0]
        con.close()
    elif kind in ("keyed", "keyed_dedupe"):
        extra["rows"] = _keyed_load(csv_path, db_path, dedupe=kind == "keyed_dedupe")
    elif kind == "pandas":
        import pandas as pd

        df = pd.read_csv(csv_path, dtype=str, keep_default_na=False, on_bad_lines="skip")
        con = duckdb.connect(str(db_path))
        con.execute("create table t as select * from df")
        extra["rows"] = len(df)
        con.close()
    else:
        wall, cpu = time.perf_counter(), time.process_time()
        from fdsa.ingest import ingest_file, stages

        imported = [time.perf_counter() - wall, time.process_time() - cpu]
        with stages.recording() as timings:
            result = ingest_file(csv_path, format_name="postings-csv", warehouse=db_path)
        extra["stages"] = {"import fdsa": imported} | {
            label: timings[label] for label in stages.ORDER if label in timings
        }
        c = result.counts
        extra.update(
            rows=c.read,
            loaded=c.loaded,
            rejected=c.rejected,
            duplicate=c.duplicate,
            other_share=c.other_share,
        )
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    rss_mb = peak_rss_mb()
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mb": rss_mb, **extra}))


_KEYED_INSERT = """
    insert into jobs
    select r + 1, null, posted, title, description, 'other', []::varchar[], job_type, low_v,
           high_v, budget_v, 'USD', false, null, null, null, country, 'unknown',
           'postings-csv', link, posted, posted, 1
    from (
        select rowid as r, *, try_cast(published_date as timestamptz) as posted,
               case is_hourly when 'True' then 'hourly' when 'False' then 'fixed' end
                   as job_type,
               try_cast(hourly_low as double) as low_v,
               try_cast(hourly_high as double) as high_v,
               try_cast(budget as double) as budget_v
        from t
    )
    where title is not null and link is not null and posted is not null
      and job_type is not null and (hourly_low is null) = (low_v is null)
      and (hourly_high is null) = (high_v is null) and (budget is null) = (budget_v is null)
      and coalesce(low_v >= 0 and high_v >= 0 and low_v <= high_v, true)
      and coalesce(budget_v >= 0, true) and (job_type = 'hourly') = (budget_v is null)
      and (job_type = 'fixed') = (low_v is null and high_v is null)
"""
"""The rows of the pinned read that fit ``jobs`` as they are (plain casts, no cleaning)."""

_FIRST_OF_LINK = "qualify row_number() over (partition by link order by r) = 1"


def _keyed_load(csv_path: Path, db_path: Path, *, dedupe: bool) -> int:
    """DuckDB alone into fdsa's ``jobs``: what any loader into the schema pays.

    The pinned read into a temp table, then one ``INSERT`` of the rows that satisfy
    the table's types and checks as they stand into a fresh warehouse (CHECK and
    NOT NULL; ``jobs`` has no key indexes). Without ``dedupe`` every such row goes in
    (a lower bound: the result repeats links); with it, the first row of each link (a
    window) and a set-based check that the links are unique, as fdsa checks the keys
    a load adds. Neither writes rejects, line numbers, reconciliation, merges or niches.
    """
    import duckdb

    from fdsa.ingest import postings_csv
    from fdsa.ingest.csv_read import READ_CSV
    from fdsa.warehouse.db import create_schema

    con = duckdb.connect(str(db_path))
    if not dedupe:  # nothing here needs file order: let DuckDB write in any order
        con.execute("set preserve_insertion_order = false")
    create_schema(con)
    con.execute(
        "insert into ingest_runs "
        "values (1, 'bench', 'postings-csv', '', now(), null, 0, 0, 0, 0, null)"
    )
    columns = dict.fromkeys(postings_csv.COLUMNS, "VARCHAR")
    con.execute(
        f"create temp table t as select * from {READ_CSV}",  # noqa: S608 - fixed SQL
        {"path": str(csv_path), "columns": columns},
    )
    con.execute(_KEYED_INSERT + (_FIRST_OF_LINK if dedupe else ""))
    if dedupe:
        repeated = con.execute(
            "select count(*) from (select 1 from jobs group by source, source_key "
            "having count(*) > 1)"
        ).fetchall()[0][0]
        assert repeated == 0, f"{repeated} links repeated"
    rows = con.execute("select count(*) from jobs").fetchall()[0][0]
    con.close()
    return rows


def _labels() -> dict[str, str]:
    """The stage labels the analysis names (:mod:`fdsa.ingest.stages`, timed by the
    ingest code's own hooks: nothing is monkeypatched).
    """
    from fdsa.ingest import stages

    return {
        "niches": stages.NICHES,
        "scan": stages.SCAN,
        "parse": stages.PARSE,
        "dedupe": stages.DEDUPE,
        "ids": stages.NUMBER,
        "insert": stages.INSERT,
        "keys": stages.KEYS_CHECK,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the three contenders")
    parser.add_argument("--no-write", action="store_true", help="print, leave RESULTS.md alone")
    parser.add_argument("--work", type=Path, default=WORK, help="folder for the file and DBs")
    parser.add_argument(
        "--market",
        type=Path,
        help="synthetic warehouse to draw the postings from (default: a scale-1 market "
        "built once in the work folder)",
    )
    parser.add_argument("--child", nargs=3, metavar=("KIND", "CSV", "DB"))
    args = parser.parse_args()
    if args.child:
        kind, csv_path, db_path = args.child
        _child(kind, Path(csv_path), Path(db_path))
        return
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / f"postings_{args.rows}_market{MARKET_SCALE}.csv"
    if not csv_path.exists():
        t = time.perf_counter()
        market = args.market or work / f"market_scale{MARKET_SCALE}_seed{MARKET_SEED}.duckdb"
        generate(csv_path, args.rows, market)
        print(f"generated {csv_path} in {time.perf_counter() - t:.1f}s", flush=True)
    rounds = []
    for _ in range(args.repeat):
        # Interleaved rounds: a burst of load from other processes hits every contender.
        results = {}
        for kind in CONTENDERS:
            results[kind] = _run_child(kind, csv_path, work / f"{kind}.duckdb")
            print(kind, {k: v for k, v in results[kind].items() if k != "stages"}, flush=True)
        rounds.append(results)
    text = _report(rounds, args.rows, csv_path.stat().st_size / 1e6, _file_facts(csv_path))
    if not args.no_write:
        replace_section(SECTION, text)
    print(text)


def _median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


def _report(
    rounds: list[dict[str, dict]], rows: int, size_mb: float, facts: dict[str, object]
) -> str:
    """The RESULTS.md section: medians over rounds, ratios taken within each round."""
    names = {
        "floor": "DuckDB `read_csv` into a table (floor)",
        "pinned": "DuckDB `read_csv`, fdsa's pinned dialect, into a table (no checks)",
        "keyed": "DuckDB alone: pinned `read_csv`, then one unordered `INSERT` of the rows that "
        "fit into "
        "fdsa's `jobs` (no dedupe: a lower bound)",
        "keyed_dedupe": "the same, first row of each link (window) and a set-based check "
        "that links are unique",
        "pandas": "pandas `read_csv` + insert into DuckDB",
        "fdsa": "`fdsa ingest --format postings-csv` (fresh warehouse)",
    }
    lines = [
        SECTION,
        "",
        f"`.venv/bin/python bench/bench_ingest.py --rows {rows} --repeat {len(rounds)}` on "
        f"{platform.machine()}, {_cpus()} CPUs, Python {platform.python_version()}; file "
        f"{size_mb:.0f} MB drawn from the jobs of a scale-{MARKET_SCALE} synthetic market (seed "
        f"{MARKET_SEED}; {facts['titles']:,} distinct titles), ~1% hostile rows, ~2% "
        "re-scrapes. Each contender in its own "
        f"process, warm page cache, {len(rounds)} interleaved rounds; medians, and the median "
        "of the ratios taken within each round (the machine is shared, so absolute seconds "
        "drift between runs; CPU seconds are user + system of all threads).",
        "",
        "| contender | seconds | CPU s | × floor | × pandas | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for kind, label in names.items():
        seconds = _median([r[kind]["seconds"] for r in rounds])
        cpu = _median([r[kind]["cpu"] for r in rounds])
        to_floor = _median([r[kind]["seconds"] / r["floor"]["seconds"] for r in rounds])
        to_pandas = _median([r[kind]["seconds"] / r["pandas"]["seconds"] for r in rounds])
        rss = max(r[kind]["rss_mb"] for r in rounds)
        lines.append(
            f"| {label} | {seconds:.2f} | {cpu:.2f} | {to_floor:.2f} | {to_pandas:.2f} "
            f"| {rss:.0f} |"
        )
    f = rounds[0]["fdsa"]
    lines += [
        "",
        f"fdsa reconciled every row: read {f['rows']:,} = loaded {f['loaded']:,} + rejected "
        f"{f['rejected']:,} + duplicate {f['duplicate']:,}; niche `other` "
        f"{(f['other_share'] or 0):.1%} of loaded. The DuckDB-alone rows keep what fits "
        "`jobs` as it stands and report nothing else; the others check nothing. On this "
        f"file DuckDB's sniffer picks {facts['sniffed']} for the floor"
        + (
            ", so the floor stores each physical line as one text value "
            f"({rounds[0]['floor']['rows']:,} rows): it splits no field and handles no quote."
            if "`|`" in str(facts["sniffed"])
            else f" ({rounds[0]['floor']['rows']:,} rows)."
        )
        + " The pinned read splits the 9 fields with fdsa's dialect "
        f"({rounds[0]['pinned']['rows']:,} rows; the refused ones land in DuckDB's reject "
        "table); pandas silently skips malformed rows "
        f"({rounds[0]['pandas']['rows']:,} rows).",
        "",
        "Where the fdsa time goes (median round by total; every stage is inside the timed region):",
        "",
        "| stage | seconds | CPU s | share |",
        "|---|---|---|---|",
    ]
    middle = sorted(rounds, key=lambda r: r["fdsa"]["seconds"])[len(rounds) // 2]["fdsa"]
    stages = {label: list(spent) for label, spent in middle["stages"].items()}
    accounted = sum(v[0] for v in stages.values())
    stages["the rest: runs row, reconciliation, top reasons, interpreter exit"] = [
        middle["seconds"] - accounted,
        middle["cpu"] - sum(v[1] for v in stages.values()),
    ]
    for label, (seconds, cpu) in stages.items():
        lines.append(f"| {label} | {seconds:.2f} | {cpu:.2f} | {seconds / middle['seconds']:.0%} |")
    ratios = {
        kind: _median([r[kind]["seconds"] / r["floor"]["seconds"] for r in rounds])
        for kind in CONTENDERS
    }
    floor = _median([r["floor"]["seconds"] for r in rounds])
    to_floor = {label: spent[0] / floor for label, spent in stages.items()}
    floors = [[r["floor"]["seconds"], r["floor"]["cpu"]] for r in rounds]
    to_pandas = {
        kind: _median([r[kind]["seconds"] / r["pandas"]["seconds"] for r in rounds])
        for kind in CONTENDERS
    }
    lines += ["", *_analysis(ratios, to_floor, int(facts["titles"]), floors, to_pandas), ""]
    return "\n".join(lines)


def _analysis(
    ratios: dict[str, float],
    to_floor: dict[str, float],
    titles: int,
    floors: list[list[float]],
    to_pandas: dict[str, float],
) -> list[str]:
    """Why the importer stays above 1.3× the floor: live ratios plus component figures.

    ``to_floor`` is each fdsa stage's wall time over the floor's, ``to_pandas`` each
    contender's over pandas' (medians of the ratios within rounds), from the same run.
    """
    label = _labels()
    parse_x = to_floor.get(label["parse"], 0.0)
    insert_x = to_floor.get(label["insert"], 0.0)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    keyed, dedupe, fdsa = ratios["keyed"], ratios["keyed_dedupe"], ratios["fdsa"]
    pandas_x, keyed_pandas = 1 / to_pandas["fdsa"], to_pandas["keyed"]
    required = {
        f"the niche of every posting (the rules once per distinct text, {titles:,} here)": (
            to_floor.get(label["niches"], 0.0)
        ),
        "a unique identity per link (set-based check of the keys the load added)": to_floor.get(
            label["keys"], 0.0
        ),
        "the first row and dates of each link, job ids in file order": (
            to_floor.get(label["dedupe"], 0.0) + to_floor.get(label["ids"], 0.0)
        ),
        "SHA-256 and line count of the file (idempotent reloads, reject lines)": (
            to_floor.get(label["scan"], 0.0)
        ),
    }
    return [
        f"Load average at the end of this run: {load} on 2 cores shared with other jobs. "
        "The floor by round (wall / CPU s): "
        + ", ".join(f"{wall:.2f} / {cpu:.2f}" for wall, cpu in floors)
        + (
            " — DuckDB read the file on both cores in some rounds and on about one in "
            "others, for the same CPU time, so the ratios move with it (the table gives "
            "medians of the ratios within each round)."
            if max(c / w for w, c in floors) - min(c / w for w, c in floors) > 0.3
            else "."
        ),
        "",
        "History, on the earlier bench file (343 MB of its own random postings with 14 "
        "distinct titles): 18.55 s = 6.74× the floor with 2.5 GB peak RSS (the text "
        "staged three times, the niche rules run per row) → 6.36 s = 3.85× (one typed "
        "pass) → 4.63 s = 2.70× (the link index built after the rows, refused rows located "
        "with numpy) → 4.33 s = 3.13× of a faster floor (1.38 s; same pipeline). The file "
        "is now drawn from the synthetic market, as the issue asks, with varied titles; on "
        "it the same pipeline took 4.94 s (2.12× a 2.33 s floor in its slow mode), before "
        "the niche rules were grouped and the scan kept its line-break offsets.",
        "",
        f"Goal of issue 19, fdsa ≥ 2× faster than pandas `read_csv` + insert: "
        f"{pandas_x:.2f}× — " + ("met." if pandas_x >= 2 else "**MISSED**.") + " "
        "pandas checks nothing and drops malformed rows without a word; the bare DuckDB "
        f"load into `jobs` is {1 / keyed_pandas:.2f}× faster than pandas, and what the "
        "issue set before (a reason, file and line for every reject, one row per link, "
        "a niche for every posting, reloads recognised by the file's hash) is the "
        "difference, itemised below (the niche stage now includes the model of issue 18 "
        "that decides the texts the rules leave `other`).",
        "",
        "Why fdsa is not within 1.3× of the floor:",
        "",
        (
            "* **A bare load fits; the work the issue asks for does not.** "
            if keyed < 1.3
            else "* **Not even a bare load fits.** "
        )
        + "The *DuckDB alone* "
        "row is the cheapest load of this file into the `jobs` table found: the "
        "pinned read into a temp table, then one unordered `INSERT` of every row that fits "
        "the table as it stands — no dedupe, key check, rejects, line numbers, "
        f"reconciliation, merges or niches. It takes {keyed:.2f}× the floor. What the "
        "issue requires on top, as timed inside fdsa in this run (× the floor):",
        *(f"    * {what}: {ratio:.2f}" for what, ratio in required.items()),
        "",
        f"  These add {sum(required.values()):.2f}× to the bare load's {keyed:.2f}×, "
        f"where the goal leaves {max(1.3 - keyed, 0):.2f}×; and that is before the typed "
        f"pass ({parse_x:.2f}× here: each field parsed explicitly, a reason "
        "for the first that fails, line breaks counted for line numbers, where the bare "
        "load only casts) and before any reject is written. Keeping links unique the "
        "plain way, with a window over whole rows and a set-based check of the links "
        f"(still no rejects or niches), takes {dedupe:.2f}×; fdsa, with everything, {fdsa:.2f}×.",
        "* **The floor** splits no field on this file: DuckDB's sniffer picks delimiter `|` "
        "and no quote, so it stores each physical line as one value, here on one thread "
        "(CPU s ≈ wall s). The pinned dialect (9 fields, quotes, strict, reject tables) "
        "into a table, checking nothing, takes "
        f"{ratios['pinned']:.2f}× the floor.",
        f"* **Insert into `jobs`** ({insert_x:.2f}× the floor by itself). `jobs` has no "
        "key indexes since schema 7: the load checks, set-based, the job ids and links it "
        "added (the stage *check the keys this load added*), where the last run with "
        "indexes paid 1.91 s for the insert (primary key 0.24, foreign keys 0.33) and "
        "0.42 s to build the unique link index after the rows: the insert plus the keys "
        "went from 2.33 to about 1.7 s. What is left of the insert is the write itself "
        "(compression, the `description` text about half), the joins that pick each "
        "link's first row, niche and country, and CHECK and NOT NULL. A repeated key "
        "fails the load and nothing is published.",
        "* **Parse + type + check** (one pass): reading the pinned dialect into memory "
        "costs 1.24 CPU s (parsing alone 0.32); trimming and blank-testing each field, "
        "parsing timestamps, flags and amounts, the reject reasons and the line-break "
        "count of descriptions add ~0.7; storing the typed rows in the temp table ~0.9 "
        "of the ~1.9 CPU s (reading the file a second time instead would cost the parse "
        "again). The stage also locates the rows DuckDB refused: their lines by binary "
        "search in the line-break offsets the file scan keeps (it was a second numpy pass "
        "over the file, 0.22 s), and their raw text. It must keep file order: the row "
        "order is what line numbers and job ids in file order rest on.",
        "* **Kept as they are**: compression of the written columns costs ~0.55 s of an "
        "ordered insert into `jobs` (forced off in a test run: 1.85 instead of 2.4 s), "
        "but the file grows from 102 to 435 MB.",
        "* **Niches**: the 15 ordered rules, tried in groups of four behind one alternation "
        "per group (0.46 → 0.23 s for these titles alone: a title matching a late rule no "
        "longer pays a pass per earlier rule). One alternation of all rules as a "
        "prefilter, or the patterns inlined instead of bound, changed nothing. Run per "
        "row, the rules took ~1.4 s on the earlier file.",
        "",
        "Tried and dropped (A/B, interleaved): hashing and counting the file in a thread "
        "beside the parse (no gain, ±0.05 s: DuckDB already keeps both cores busy); one "
        "`INSERT` straight from `read_csv` (ids in file order need a window, which runs "
        "the whole pass on one thread: 4.4 s on the earlier file; ids hashed from the row "
        "feed the primary key in random order: 3.5 s, before any dedupe); "
        "`preserve_insertion_order = false` for fdsa's insert (no gain: the joins feeding "
        "it already drop the order; it takes the *DuckDB alone* insert from 2.5 to 1.95 s).",
    ]


def _cpus() -> int:
    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    main()
