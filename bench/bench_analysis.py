"""Benchmark: the fdsa analysis suite against an idiomatic pandas implementation.

For each scale: builds the synthetic warehouse if missing (``bench/_work/scale<S>/``),
exports its tables to CSV once (setup, untimed), then measures in SEPARATE
subprocesses, so peak RSS is per side:

- fdsa: cold = open the warehouse + run the suite; warm = further runs in the same
  process (the connection open, DuckDB's caches hot);
- pandas (``bench/pandas_baseline.py``): cold = ``pd.read_csv`` of the files + compute;
  warm = compute again on the frames already loaded;
- fdsa per function: every public analysis warm, grouped by report (module), and the
  model fits alone (design matrix in memory → coefficients with intervals).

The suite is the seven analyses both sides implement (niche_summary, niche_growth,
hire_model, rate_drivers, channel_mix by tenure, rating_inflation,
concurrent_clients) with default arguments. Results are checked equal (relative
1e-6, absolute 1e-9, NaN = NaN) and the run FAILS (exit 1) when they are not.
Writes the section "## Analyses" of bench/RESULTS.md.

Run: ``.venv/bin/python bench/bench_analysis.py [--scales 1 20] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _results import peak_rss_mb, replace_section

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
RESULTS = HERE / "RESULTS.md"
SECTION = "## Analyses"
SEED = 42
RTOL, ATOL = 1e-6, 1e-9
ROWS_FOR_FIT_GOAL = 1_700_000

sys.path.insert(0, str(HERE))


def scale_dir(scale: float) -> Path:
    return WORK / f"scale{scale:g}"


# ------------------------------------------------------------------ the fdsa side


def fdsa_suite(con) -> dict[str, object]:
    from fdsa.analysis import channels, niches, pricing, reputation, workload

    return {
        "niche_summary": niches.niche_summary(con),
        "niche_growth": niches.niche_growth(con),
        "hire_model": reputation.hire_model(con),
        "rate_drivers": pricing.rate_drivers(con),
        "channel_mix": channels.channel_mix(con, by="tenure"),
        "rating_inflation": reputation.rating_inflation(con),
        "concurrent_clients": workload.concurrent_clients(con),
    }


def report_functions():
    """Every public analysis with representative arguments, grouped by report (module)."""
    from fdsa.analysis import channels, niches, pricing, reputation, workload

    return {
        "niches": {
            "niche_summary": lambda c: niches.niche_summary(c),
            "niche_growth": lambda c: niches.niche_growth(c),
            "demand_shock": lambda c: niches.demand_shock(c, niche="nlp"),
            "opportunity_scores": lambda c: niches.opportunity_scores(c),
            "skill_pairs": lambda c: niches.skill_pairs(c),
        },
        "pricing": {
            "rate_drivers": lambda c: pricing.rate_drivers(c),
            "referral_premium": lambda c: pricing.referral_premium(c),
            "rate_band": lambda c: pricing.rate_band(
                c, niche="llm_applications", region="europe_west", experience_years=5, n_reviews=10
            ),
            "rate_trajectory": lambda c: pricing.rate_trajectory(c),
        },
        "channels": {
            "channel_mix(tenure)": lambda c: channels.channel_mix(c, by="tenure"),
            "channel_mix(reputation)": lambda c: channels.channel_mix(c, by="reputation"),
            "channel_performance": lambda c: channels.channel_performance(c),
            "time_to_first_contract": lambda c: channels.time_to_first_contract(c),
        },
        "reputation": {
            "hire_model": lambda c: reputation.hire_model(c),
            "hire_rate_by_reviews": lambda c: reputation.hire_rate_by_reviews(c),
            "rating_inflation": lambda c: reputation.rating_inflation(c),
            "starter_styles": lambda c: reputation.starter_styles(c),
        },
        "workload": {
            "concurrent_clients": lambda c: workload.concurrent_clients(c),
            "profile_mix": lambda c: workload.profile_mix(c),
        },
    }


def duckdb_settings(con) -> dict:
    """The DuckDB settings a connection runs with (threads, memory limit, temp directory)."""
    names = ("threads", "memory_limit", "temp_directory", "preserve_insertion_order")
    return {n: str(con.execute(f"select current_setting('{n}')").fetchall()[0][0]) for n in names}


def child_fdsa(scale: float, repeat: int, lake: bool = False) -> dict:
    """The fdsa side on the warehouse file (or, with ``lake``, on its Parquet export)."""
    import fdsa.analysis as fa
    from fdsa.analysis import _cache, channels, niches, pricing, reputation, workload  # noqa: F401

    source = scale_dir(scale) / ("lake" if lake else "fdsa.duckdb")
    t0 = time.perf_counter()
    con = fa.open_warehouse(source)
    results = fdsa_suite(con)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(repeat):
        _cache.clear()  # warm = DuckDB's caches hot, no remembered results
        t0 = time.perf_counter()
        fdsa_suite(con)
        warm.append(time.perf_counter() - t0)
    name = "results_fdsa_lake.pkl" if lake else "results_fdsa.pkl"
    with open(scale_dir(scale) / name, "wb") as fh:
        pickle.dump(results, fh)
    return {
        "cold_s": cold,
        "warm_s": warm,
        "peak_rss_mb": peak_rss_mb(),
        "settings": duckdb_settings(con),
    }


def child_pandas(scale: float, repeat: int) -> dict:
    import pandas_baseline as pb
    import statsmodels.api  # noqa: F401  (imports are not timed on either side)
    import statsmodels.stats.multitest  # noqa: F401
    import statsmodels.stats.proportion  # noqa: F401

    t0 = time.perf_counter()
    frames = pb.load(scale_dir(scale) / "csv")
    read = time.perf_counter() - t0
    results = pb.compute(frames)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        pb.compute(frames)
        warm.append(time.perf_counter() - t0)
    with open(scale_dir(scale) / "results_pandas.pkl", "wb") as fh:
        pickle.dump(results, fh)
    return {"cold_s": cold, "read_s": read, "warm_s": warm, "peak_rss_mb": peak_rss_mb()}


def child_polars(scale: float, repeat: int, asof: str = "stored") -> dict:
    """polars: cold = lazy scans of the lake + the suite; warm = on collected frames."""
    import polars as pl
    import polars_baseline as plb
    import statsmodels.api  # noqa: F401  (imports are not timed on either side)
    import statsmodels.stats.multitest  # noqa: F401

    lake = scale_dir(scale) / "lake"
    t0 = time.perf_counter()
    results = plb.compute(plb.scan(lake), asof=asof)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    frames = plb.load(lake)
    load = time.perf_counter() - t0
    warm = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        plb.compute(frames, asof=asof)
        warm.append(time.perf_counter() - t0)
    name = "results_polars.pkl" if asof == "stored" else f"results_polars_{asof}.pkl"
    with open(scale_dir(scale) / name, "wb") as fh:
        pickle.dump(results, fh)
    return {
        "cold_s": cold,
        "load_s": load,
        "warm_s": warm,
        "peak_rss_mb": peak_rss_mb(),
        "threads": pl.thread_pool_size(),
        "version": pl.__version__,
    }


def child_functions(scale: float, repeat: int) -> dict:
    import numpy as np

    import fdsa.analysis as fa
    from fdsa.analysis import _cache, _sql, _stats, pricing, reputation

    con = fa.open_warehouse(scale_dir(scale) / "fdsa.duckdb")
    out: dict = {"functions": {}, "fits": {}}
    out["reports"] = {}
    for report, funcs in report_functions().items():
        for name, fn in funcs.items():
            _cache.clear()
            fn(con)  # warm-up
            times = []
            for _ in range(repeat):
                _cache.clear()  # each call alone: nothing remembered from other calls
                t0 = time.perf_counter()
                fn(con)
                times.append(time.perf_counter() - t0)
            out["functions"][f"{report}.{name}"] = statistics.median(times)
        times = []
        for _ in range(repeat):
            _cache.clear()  # the report's analyses in order on one connection
            t0 = time.perf_counter()
            for fn in funcs.values():
                fn(con)
            times.append(time.perf_counter() - t0)
        out["reports"][report] = statistics.median(times)

    def timed(fn, n=repeat):
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            value = fn()
            times.append(time.perf_counter() - t0)
        return statistics.median(times), value

    lo, hi = fa._params.window(None, None)
    # choice model: choice-set SQL vs design vs conditional logit (what hire_model does)
    sql_s, df = timed(lambda: (_cache.clear(), reputation._choice_sets(con, lo, hi, None))[1])
    design_s, (x, names) = timed(lambda: reputation._choice_design(df))
    chosen, jobs = df.is_hired.to_numpy(), df.job_id.to_numpy()
    fit_s, _ = timed(lambda a=x, b=chosen, c=jobs: _stats.conditional_logit(a, b, c, names).table())
    # the same fit on (up to) 1.7M rows: whole choice sets from the start
    cut = min(len(df), ROWS_FOR_FIT_GOAL)
    while 0 < cut < len(df) and jobs[cut] == jobs[cut - 1]:
        cut += 1
    xs, cs, js = np.ascontiguousarray(x[:cut]), chosen[:cut], jobs[:cut]
    fit17_s, _ = timed(lambda a=xs, b=cs, c=js: _stats.conditional_logit(a, b, c, names).table())
    out["fits"]["hire_model"] = {
        "rows": len(df),
        "jobs": int(chosen.sum()),
        "cols": x.shape[1],
        "sql_s": sql_s,
        "design_s": design_s,
        "fit_s": fit_s,
        "rows_sub": cut,
        "fit_sub_s": fit17_s,
    }
    del df, x, xs
    # bid model: SQL features vs the two-step fit (freelancer effects, then region)
    sql_s, df = timed(lambda: (_cache.clear(), pricing._bid_rows(con, lo, hi))[1])
    design_s, (x, names) = timed(lambda: pricing._rate_design(df))
    fit_s, _ = timed(lambda: pricing._compute_rates(con, lo, hi))  # rows remembered
    y = np.log(df.hourly_rate.to_numpy(float))
    cl = df.freelancer_id.to_numpy()
    out["fits"]["rate_drivers"] = {
        "rows": len(y),
        "cols": x.shape[1],
        "sql_s": sql_s,
        "design_s": design_s,
        "fit_s": fit_s,
    }
    # a 1.7M-row clustered OLS with the same columns (rows resampled from the real ones)
    rng = np.random.default_rng(0)
    idx = rng.integers(0, len(y), ROWS_FOR_FIT_GOAL)
    xb, yb, cb = x[idx], y[idx] + rng.normal(0, 0.1, len(idx)), cl[idx]
    fitb_s, _ = timed(lambda a=xb, b=yb, c=cb: _stats.ols(a, b, names, clusters=c).table())
    out["fits"]["rate_drivers"]["fit_1p7M_s"] = fitb_s
    del xb, yb, cb
    # the proposal context now reads stored as-of facts; the as-of join itself runs
    # once per build (view proposal_reputation_asof, used by fdsa.warehouse.derive)
    sql_pc, _ = timed(lambda: _sql.run(con, "proposal_context"), n=1)
    out["fits"]["proposal_context_s"] = sql_pc
    asof_s, _ = timed(
        lambda: con.execute(
            "select count(*), sum(n_reviews_before) from proposal_reputation_asof"
        ).fetchall(),
        n=1,
    )
    out["fits"]["asof_recompute_s"] = asof_s
    out["peak_rss_mb"] = peak_rss_mb()
    return out


# ------------------------------------------------------------------ equality check


def _pairs(name: str, fd, pd_):
    """(label, fdsa frame, pandas frame, key columns) for each table of a result."""
    keys = {
        "niche_summary": ["niche"],
        "niche_growth": ["niche"],
        "hire_model": ["term"],
        "rate_drivers": ["term"],
        "channel_mix": ["bucket", "channel"],
    }
    if name in keys:
        return [(name, fd, pd_, keys[name])]
    if name == "rating_inflation":
        return [
            (f"{name}.by_year", fd[0], pd_[0], ["year"]),
            (f"{name}.trend", fd[1], pd_[1], ["term"]),
        ]
    if name == "concurrent_clients":
        return [
            (f"{name}.distribution", fd[0], pd_[0], ["n_clients"]),
            (f"{name}.summary", fd[1], pd_[1], ["measure"]),
        ]
    raise KeyError(name)


def compare(
    fdsa_results: dict, pandas_results: dict, peer: str = "pandas"
) -> tuple[bool, list[str]]:
    import numpy as np
    import pandas as pd

    ok, lines = True, []
    for name in fdsa_results:
        for label, a, b, key in _pairs(name, fdsa_results[name], pandas_results[name]):
            a = a.copy()
            b = b.copy()
            for col in key:
                a[col] = a[col].astype(str)
                b[col] = b[col].astype(str)
            a, b = a.set_index(key).sort_index(), b.set_index(key).sort_index()
            problems = []
            if list(a.index) != list(b.index):
                problems.append(f"rows differ: {sorted(set(a.index) ^ set(b.index))[:5]}")
            missing = [c for c in a.columns if c not in b.columns]
            if missing:
                problems.append(f"{peer} lacks columns {missing}")
            worst = 0.0
            cols = [c for c in a.columns if c in b.columns]
            if not problems:
                for col in cols:
                    x, y = a[col], b[col]
                    if pd.api.types.is_bool_dtype(x) or not pd.api.types.is_numeric_dtype(x):
                        if not (x.astype(str).to_numpy() == y.astype(str).to_numpy()).all():
                            problems.append(f"{col} differs")
                        continue
                    xv, yv = x.to_numpy(float), y.to_numpy(float)
                    close = np.isclose(xv, yv, rtol=RTOL, atol=ATOL, equal_nan=True)
                    if not close.all():
                        i = int(np.argmin(close))
                        problems.append(f"{col}[{a.index[i]}]: fdsa {xv[i]!r} {peer} {yv[i]!r}")
                    finite = np.isfinite(xv) & np.isfinite(yv) & (xv != yv)
                    if finite.any():
                        scale = np.maximum(np.abs(xv[finite]), np.abs(yv[finite]))
                        worst = max(worst, float((np.abs(xv - yv)[finite] / scale).max()))
            status = "equal" if not problems else "MISMATCH: " + "; ".join(problems[:4])
            ok &= not problems
            lines.append(
                f"{label}: {len(a)} rows × {len(cols)} columns, {status}"
                f" (largest relative difference {worst:.1e})"
            )
    return ok, lines


# ------------------------------------------------------------------ orchestration


def ensure_data(scale: float, csv: bool = True) -> None:
    d = scale_dir(scale)
    d.mkdir(parents=True, exist_ok=True)
    db = d / "fdsa.duckdb"
    if not db.exists():
        print(f"building the scale-{scale:g} warehouse …", flush=True)
        subprocess.run(
            [
                str(ROOT / ".venv/bin/fdsa"),
                "synth",
                "--scale",
                f"{scale:g}",
                "--seed",
                str(SEED),
                "--out",
                str(db),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if not (d / "lake" / "fdsa_lake.json").exists():
        print(f"exporting the scale-{scale:g} warehouse as a Parquet lake …", flush=True)
        subprocess.run(
            [
                str(ROOT / ".venv/bin/fdsa"),
                "warehouse",
                "export",
                str(d / "lake"),
                "--format",
                "parquet",
                "--warehouse",
                str(db),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    import pandas_baseline as pb

    if csv and not pb.exported(d / "csv"):
        print(f"exporting the scale-{scale:g} tables to CSV …", flush=True)
        pb.export(db, d / "csv")


def run_child(kind: str, scale: float, repeat: int) -> dict:
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            kind,
            "--scales",
            f"{scale:g}",
            "--repeat",
            str(repeat),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"{kind} child failed at scale {scale:g}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"  scale {scale:g} {kind}: {out}", flush=True)
    return out


def machine() -> str:
    import duckdb
    import pandas as pd
    import psutil

    ram = psutil.virtual_memory().total / 2**30
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs (nproc), {ram:.1f} GiB RAM, "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
        f"pandas {pd.__version__}"
    )


def table_sizes(scale: float) -> str:
    import duckdb

    con = duckdb.connect(str(scale_dir(scale) / "fdsa.duckdb"), read_only=True)
    parts = []
    for t in ("jobs", "proposals", "contracts", "reviews", "rate_history"):
        parts.append(f"{con.execute(f'select count(*) from {t}').fetchone()[0]:,} {t}")  # noqa: S608
    con.close()
    csv_mb = sum(p.stat().st_size for p in (scale_dir(scale) / "csv").glob("*.csv")) / 2**20
    db_mb = (scale_dir(scale) / "fdsa.duckdb").stat().st_size / 2**20
    lake_mb = sum(p.stat().st_size for p in (scale_dir(scale) / "lake").rglob("*.parquet")) / 2**20
    files = f"warehouse {db_mb:,.0f} MB, lake {lake_mb:,.0f} MB" + (
        f", CSV files {csv_mb:,.0f} MB" if csv_mb else ""
    )
    return ", ".join(parts) + "; " + files


def table_rows(scale: float) -> int:
    """Rows of the tables the suite reads (profiles, jobs, proposals, contracts, reviews)."""
    import duckdb

    con = duckdb.connect(str(scale_dir(scale) / "fdsa.duckdb"), read_only=True)
    tables = ("profiles", "jobs", "proposals", "contracts", "reviews")
    total = sum(con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables)  # noqa: S608
    con.close()
    return int(total)


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages, e.g. ``1.9 / 2.3 / 2.8``."""
    return " / ".join(f"{v:.1f}" for v in os.getloadavg())


SIDES = {
    "fdsa": "fdsa (DuckDB file)",
    "fdsa_lake": "fdsa on the lake",
    "polars": "polars (lazy, lake)",
    "polars_join_asof": "polars, as-of by `join_asof`",
    "pandas": "pandas (CSV)",
}


def _spread(values: list[float], fmt: str = "{:.2f}") -> str:
    """``median (min–max)`` of a few runs, or the one value."""
    med = statistics.median(values)
    if len(values) == 1:
        return fmt.format(med)
    return f"{fmt.format(med)} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def _cold(run: list[dict]) -> list[float]:
    return [r["cold_s"] for r in run]


def _warm(run: list[dict]) -> list[float]:
    return [statistics.median(r["warm_s"]) for r in run]


def _rss(run: list[dict]) -> list[float]:
    return [r["peak_rss_mb"] for r in run]


def _mark(ok: bool) -> str:
    return "**met**" if ok else "**MISSED**"


def render_runs(runs: dict, repeat: int, procs: int, loads: tuple[str, str]) -> list[str]:
    """The suite table, memory by round, file vs lake and growth, with their goal lines."""
    from fdsa.warehouse.db import THREADS_ENV

    med = statistics.median
    scales = list(runs)
    settings = next(r["sides"]["fdsa"][0]["settings"] for r in runs.values())
    pol = next(r["sides"]["polars"][0] for r in runs.values())
    lines = [
        SECTION,
        "",
        f"`.venv/bin/python bench/bench_analysis.py {runs_command(runs, repeat, procs)}` on"
        f" {machine()}. Suite = the 7 analyses all sides implement, default arguments:"
        " niche_summary, niche_growth, hire_model, rate_drivers, channel_mix (tenure),"
        " rating_inflation, concurrent_clients. Every run is a fresh subprocess (peak RSS ="
        " its own `VmHWM`: `ru_maxrss` carries the parent's peak across exec); each side"
        f" ran in {procs} such processes per scale, the sides"
        " interleaved (the order rotating by round), warm page cache, other engineers' jobs"
        " sharing the 2 cores. **cold** = everything a fresh process must do: fdsa opens the"
        " warehouse (file, or the lake with `open_warehouse(DIR)`) and runs the suite; polars"
        " scans the Parquet lake lazily and runs the suite; pandas `pd.read_csv` + compute."
        f" **warm** = median of {repeat} further runs in the same process (fdsa: same"
        " connection, per-connection memo cleared; polars: on the lake's tables collected"
        " into memory, projected to the columns the suite reads; pandas: frames loaded)."
        " Cells give the median over processes and (min–max).",
        "",
        "Peers: `bench/polars_baseline.py` (polars, lazy frames over the lake written by"
        " `fdsa warehouse export DIR --format parquet`: projection and predicate pushdown,"
        " `group_by`/`over`/`join`, each analysis a lazy plan and all plans collected by one"
        " `pl.collect_all`; the as-of reputation read from the lake's stored"
        " `n_reviews_before`/`rating_before` as fdsa reads it, or recomputed with"
        " `join_asof` in the variant row) and `bench/pandas_baseline.py` (groupby,"
        " `merge_asof`). Model fits and intervals are the same numpy/statsmodels code on"
        " every peer (statsmodels, and fdsa's numpy for the two-way clustered conditional"
        " logit, Woodruff medians and the seeded cluster bootstrap), fed from each side's"
        " frames: the race is the data work.",
        "",
        "DuckDB settings (fdsa's read-only connections, as measured in the runs): "
        + ", ".join(f"`{k}` = {v}" for k, v in settings.items())
        + f" — DuckDB's defaults (one thread per core; `{THREADS_ENV}` unset, which a"
        " parallel batch sets to cores / workers; memory limit 80% of RAM, spilling to the"
        f" temp directory above it). polars {pol['version']}: {pol['threads']} threads.",
        "",
        f"Load average (1 / 5 / 15 min, {os.cpu_count()} CPUs) when the run started:"
        f" {loads[0]}; when it ended: {loads[1]}. Per scale, when measured and the load"
        " average before and after:",
        "",
    ]
    for sc in scales:
        r = runs[sc]
        when = f" — measured {r['when']}, load {r['loads'][0]} → {r['loads'][1]}"
        lines.append(f"- scale {sc:g}: {r['sizes']}{when}")
    lines += [
        "",
        "| scale | side | runs | cold s | warm s | peak RSS MB | side/fdsa cold | warm |"
        " peak RSS |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for sc in scales:
        sides = runs[sc]["sides"]
        f = sides["fdsa"]
        for side, run in sides.items():
            extra = ""
            if side == "pandas":
                extra = f" (read {med([r['read_s'] for r in run]):.2f})"
            elif side.startswith("polars"):
                extra = f" (collect for warm {med([r['load_s'] for r in run]):.2f})"
            ratios = ""
            if side != "fdsa":
                rc = med(_cold(run)) / med(_cold(f))
                rw = med(_warm(run)) / med(_warm(f))
                ratios = f"{rc:.2f}× | {rw:.2f}× | {med(_rss(run)) / med(_rss(f)):.2f}×"
            else:
                ratios = "1 | 1 | 1"
            lines.append(
                f"| {sc:g} | {SIDES[side]} | {len(run)} | {_spread(_cold(run))}{extra} |"
                f" {_spread(_warm(run))} | {_spread(_rss(run), '{:,.0f}')} | {ratios} |"
            )
    lines += [
        "",
        "Peak RSS (MB) by round — each cell a fresh process; the goal asks fdsa ≤ ⅓ of"
        " pandas and ≤ polars in every round:",
        "",
        "| scale | round | fdsa | fdsa on the lake | polars | pandas | pandas / fdsa |"
        " polars / fdsa |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for sc in scales:
        sides = runs[sc]["sides"]
        for i in range(max(len(v) for v in sides.values())):

            def mb(side: str, i: int = i, sides: dict = sides) -> float | None:
                run = sides.get(side, [])
                return run[i]["peak_rss_mb"] if i < len(run) else None

            f, fl, pl_, pd_ = mb("fdsa"), mb("fdsa_lake"), mb("polars"), mb("pandas")
            cell = [f"{v:,.0f}" if v else "" for v in (f, fl, pl_, pd_)]
            r_pd = f"{pd_ / f:.2f}×" if (pd_ and f) else ""
            r_pl = f"{pl_ / f:.2f}×" if (pl_ and f) else ""
            lines.append(f"| {sc:g} | {i + 1} | {' | '.join(cell)} | {r_pd} | {r_pl} |")
    return lines


def runs_command(runs: dict, repeat: int, procs: int) -> str:
    main_scales = [s for s, r in runs.items() if not r.get("growth")]
    growth = [s for s, r in runs.items() if r.get("growth")]
    cmd = f"--scales {' '.join(f'{s:g}' for s in main_scales)} --repeat {repeat} --procs {procs}"
    pandas = [
        len(r["sides"]["pandas"][0]["warm_s"]) for r in runs.values() if "pandas" in r["sides"]
    ]
    if pandas and min(pandas) != repeat:
        cmd += f" --pandas-repeat {min(pandas)}"
    if growth:
        cmd += f" --growth {growth[0]:g}"
    return cmd


def goal_lines_19(runs: dict) -> tuple[list[str], list[str]]:
    """Issue 19's goal lines (peer, memory, scale-20 time, growth) and the file-vs-lake lines."""
    med = statistics.median
    main_scales = [s for s, r in runs.items() if not r.get("growth")]
    at = 20 if 20 in main_scales else max(main_scales)
    sides = runs[at]["sides"]
    f, p = sides["fdsa"], sides["polars"]
    goals = []
    rc = med(_cold(p)) / med(_cold(f))
    goals.append(
        f"- fdsa ≥ 3× faster than polars cold, counting what each loads, scale {at:g}:"
        f" {rc:.2f}× (fdsa {med(_cold(f)):.2f} s, polars {med(_cold(p)):.2f} s) — {_mark(rc >= 3)}"
    )
    rw = med(_warm(p)) / med(_warm(f))
    goals.append(
        f"- fdsa at least as fast as polars warm, scale {at:g}: {rw:.2f}×"
        f" (fdsa {med(_warm(f)):.2f} s, polars {med(_warm(p)):.2f} s) — {_mark(rw >= 1)}"
    )
    rounds = list(zip(_rss(f), _rss(p), strict=False))
    ok = all(a <= b for a, b in rounds)
    goals.append(
        f"- fdsa no more peak memory than polars, every round, scale {at:g}: fdsa "
        + ", ".join(f"{a:,.0f}" for a, _ in rounds)
        + " MB vs polars "
        + ", ".join(f"{b:,.0f}" for _, b in rounds)
        + f" MB — {_mark(ok)}"
    )
    if "pandas" in sides:
        rounds = list(zip(_rss(f), _rss(sides["pandas"]), strict=False))
        ok = all(a * 3 <= b for a, b in rounds)
        goals.append(
            f"- peak RSS ≤ ⅓ of pandas in every run, scale {at:g}: pandas/fdsa "
            + ", ".join(f"{b / a:.2f}×" for a, b in rounds)
            + f" (fdsa min/median/max {min(_rss(f)):,.0f} / {med(_rss(f)):,.0f} /"
            f" {max(_rss(f)):,.0f} MB) — {_mark(ok)}"
        )
    if 20 in runs:
        c20 = med(_cold(runs[20]["sides"]["fdsa"]))
        goals.append(
            f"- suite cold at scale 20 ≤ 1.5 s: {c20:.2f} s (median of"
            f" {len(runs[20]['sides']['fdsa'])} fresh processes) — {_mark(c20 <= 1.5)}"
        )
    growth = [s for s, r in runs.items() if r.get("growth")]
    base = 20 if 20 in main_scales else max(main_scales)
    if growth:
        g = growth[0]
        data = runs[g]["rows"] / runs[base]["rows"]
        for side in ("fdsa", "fdsa_lake"):
            if side not in runs[g]["sides"]:
                continue
            t = med(_cold(runs[g]["sides"][side])) / med(_cold(runs[base]["sides"][side]))
            w = med(_warm(runs[g]["sides"][side])) / med(_warm(runs[base]["sides"][side]))
            m = med(_rss(runs[g]["sides"][side]))
            goals.append(
                f"- growth, {SIDES[side]}, scale {g:g} vs {base:g} ({data:.2f}× the rows):"
                f" cold time {t:.2f}×, warm {w:.2f}×, time/data {t / data:.2f};"
                f" peak RSS {m:,.0f} MB — {_mark(t <= data)}"
            )
    else:
        goals.append("- growth at 5× the scale-20 data: **not measured in this run**")
    lake = []
    for sc in runs:
        sides = runs[sc]["sides"]
        if "fdsa_lake" in sides:
            f, fl = sides["fdsa"], sides["fdsa_lake"]
            lake.append(
                f"- scale {sc:g}: suite cold on the file {med(_cold(f)):.2f} s, on the lake"
                f" {med(_cold(fl)):.2f} s ({med(_cold(fl)) / med(_cold(f)):.2f}×); warm"
                f" {med(_warm(f)):.2f} s vs {med(_warm(fl)):.2f} s"
                f" ({med(_warm(fl)) / med(_warm(f)):.2f}×); peak RSS {med(_rss(f)):,.0f} vs"
                f" {med(_rss(fl)):,.0f} MB"
            )
    return goals, lake


def render(
    runs: dict,
    funcs: dict | None,
    func_scale: float | None,
    checks: dict,
    repeat: int,
    loads: tuple[str, str] = ("?", "?"),
    procs: int = 1,
) -> tuple[str, bool]:
    med = statistics.median
    lines = render_runs(runs, repeat, procs, loads)
    goal_lines, lake_lines = goal_lines_19(runs)
    if lake_lines:
        lines += [
            "",
            "File vs lake (fdsa, same run; results checked equal below):",
            "",
            *lake_lines,
        ]
    goals_ok = True
    main_scales = [s for s, r in runs.items() if not r.get("growth")]
    top = max(main_scales)
    sides = runs[top]["sides"]
    if "pandas" in sides:
        f, p = sides["fdsa"], sides["pandas"]
        rc = med(_cold(p)) / med(_cold(f))
        rw, rm = med(_warm(p)) / med(_warm(f)), med(_rss(p)) / med(_rss(f))
        goal_lines.append(
            f"- suite cold (counting loads) ≥ 5× faster than pandas reading its"
            f" files, scale {top:g}: {rc:.1f}× — {_mark(rc >= 5)}"
        )
        goal_lines.append(
            f"- warm ≥ 2× faster with ≥ 3× less peak memory, scale {top:g}:"
            f" {rw:.1f}× faster, {rm:.1f}× less memory — {_mark(rw >= 2 and rm >= 3)}"
        )
    if funcs:
        lines += [
            "",
            f"Per-function warm time at scale {func_scale:g} (median of {repeat}, after one"
            " warm-up run). Each call alone has the per-connection memo"
            " (`fdsa.analysis._cache`) cleared first, so nothing is reused from another call;"
            " **as a report** = the module's analyses in order on one connection, memo"
            " cleared once at the start (how a report notebook runs them):",
            "",
            "| report | analysis | warm s |",
            "|---|---|---|",
        ]
        totals: dict[str, float] = {}
        for key, sec in funcs["functions"].items():
            report, name = key.split(".", 1)
            totals[report] = totals.get(report, 0.0) + sec
            lines.append(f"| {report} | {name} | {sec:.3f} |")
        reports = funcs["reports"]
        for report, tot in totals.items():
            lines.append(f"| {report} | sum of the calls alone | {tot:.2f} |")
            lines.append(f"| {report} | **as a report** | **{reports[report]:.2f}** |")
        slow = [k for k, v in funcs["functions"].items() if v > 1]
        over = [r for r, t in reports.items() if t > 1]
        g3 = not over
        goal_lines.append(
            f"- each report's analyses ≤ 1 s warm (as a report), scale {func_scale:g}: "
            + ("**met** — " if g3 else "**MISSED** — ")
            + (
                "reports over 1 s: " + ", ".join(f"{r} {reports[r]:.2f} s" for r in over) + "; "
                if over
                else ""
            )
            + (f"single calls over 1 s: {', '.join(slow)}" if slow else "no single call over 1 s")
        )
        h, rd = funcs["fits"]["hire_model"], funcs["fits"]["rate_drivers"]
        lines += [
            "",
            f"Model fits alone at scale {func_scale:g} (design matrix in memory → coefficients,"
            " covariance and 95% intervals; `fdsa.analysis._stats`):",
            "",
            "| model | rows × columns | fit + intervals s | feature SQL s | design s |",
            "|---|---|---|---|---|",
            f"| hire_model as run: conditional logit over {h['jobs']:,} postings' choice sets"
            f" | {h['rows']:,} × {h['cols']} | {h['fit_s']:.2f} | {h['sql_s']:.2f} |"
            f" {h['design_s']:.3f} |",
            f"| hire_model's logit on the first {h['rows_sub']:,} rows (whole choice sets) |"
            f" {h['rows_sub']:,} × {h['cols']} | {h['fit_sub_s']:.2f} | | |",
            f"| rate_drivers as run: freelancer effects (within, clustered) + region step |"
            f" {rd['rows']:,} × {rd['cols']} | {rd['fit_s']:.2f} | {rd['sql_s']:.2f} |"
            f" {rd['design_s']:.2f} |",
            f"| rate_drivers design resampled to {ROWS_FOR_FIT_GOAL:,} rows (clustered OLS) |"
            f" {ROWS_FOR_FIT_GOAL:,} × {rd['cols']} | {rd['fit_1p7M_s']:.2f} | | |",
            "",
            "`proposal_context` query (every proposal with its stored as-of reviews, profile and"
            f" job): {funcs['fits']['proposal_context_s']:.2f} s. Recomputing the as-of join"
            " (view `proposal_reputation_asof`, run once per build by `fdsa.warehouse.derive`):"
            f" {funcs['fits']['asof_recompute_s']:.2f} s.",
        ]
        g4 = h["fit_sub_s"] <= 1 and rd["fit_1p7M_s"] <= 1
        goal_lines.append(
            f"- model fits with intervals ≤ 1 s at 1.7M rows: conditional logit"
            f" {h['fit_sub_s']:.2f} s ({h['rows_sub']:,} rows), clustered OLS"
            f" {rd['fit_1p7M_s']:.2f} s — **{'met' if g4 else 'MISSED'}** (as run: the choice"
            f" model {h['fit_s']:.2f} s on {h['rows']:,} rows, the bid model {rd['fit_s']:.2f} s"
            f" on {rd['rows']:,} bids)"
        )
        goals_ok &= g3 and g4
    lines += [
        "",
        "Goals:",
        "",
        *goal_lines,
        "",
        f"Equality check (fdsa against each peer and against itself on the lake, relative"
        f" {RTOL:g} / absolute {ATOL:g}, NaN = NaN; the run fails when any differs):",
        "",
    ]
    all_equal = True
    for sc, per_peer in checks.items():
        for peer, (ok, details) in per_peer.items():
            all_equal &= ok
            lines.append(f"- scale {sc:g}, fdsa vs {peer}: **{'all equal' if ok else 'FAILED'}**")
            if not ok or sc == max(checks):
                lines += [f"  - {d}" for d in details]
    return "\n".join(lines) + "\n", all_equal


CHILDREN = ("fdsa", "fdsa_lake", "pandas", "polars", "polars_join_asof", "functions")


def run_child_kind(kind: str, scale: float, repeat: int) -> dict:
    fn = {
        "fdsa": child_fdsa,
        "fdsa_lake": lambda s, r: child_fdsa(s, r, lake=True),
        "pandas": child_pandas,
        "polars": child_polars,
        "polars_join_asof": lambda s, r: child_polars(s, r, asof="join_asof"),
        "functions": child_functions,
    }
    return fn[kind](scale, repeat)


def measure_scale(
    scale: float,
    sides: list[str],
    procs: int,
    repeat: int,
    extra: list[str],
    pandas_repeat: int | None = None,
) -> dict:
    """Every side in ``procs`` fresh processes, interleaved (order rotating by round)."""
    ensure_data(scale, csv="pandas" in sides)
    start = load_average()
    r: dict = {"sizes": table_sizes(scale), "rows": table_rows(scale), "sides": {}}
    for i in range(procs):
        order = sides[i % len(sides) :] + sides[: i % len(sides)]
        for side in order:
            print(f"scale {scale:g} round {i + 1}: {side} …", flush=True)
            n = pandas_repeat if (side == "pandas" and pandas_repeat) else repeat
            r["sides"].setdefault(side, []).append(run_child(side, scale, n))
    for side in extra:  # one process each (variants)
        r["sides"][side] = [run_child(side, scale, repeat)]
    r["loads"] = [start, load_average()]
    r["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return r


def saved(scale: float) -> Path:
    """Where a scale's measurements are kept, so a later run can render them again."""
    return WORK / f"analysis_scale{scale:g}.json"


def check_scale(scale: float, sides: dict) -> dict:
    """The fdsa results (file) against every other side's, as the children wrote them."""
    files = {
        "fdsa on the lake": "results_fdsa_lake.pkl",
        "polars": "results_polars.pkl",
        "polars (join_asof)": "results_polars_join_asof.pkl",
        "pandas": "results_pandas.pkl",
    }
    kinds = {
        "fdsa on the lake": "fdsa_lake",
        "polars": "polars",
        "polars (join_asof)": "polars_join_asof",
        "pandas": "pandas",
    }
    with open(scale_dir(scale) / "results_fdsa.pkl", "rb") as fh:
        a = pickle.load(fh)  # noqa: S301 - written by this run's own child
    out = {}
    for peer, name in files.items():
        if kinds[peer] not in sides:
            continue
        with open(scale_dir(scale) / name, "rb") as fh:
            b = pickle.load(fh)  # noqa: S301 - written by this run's own child
        out[peer] = compare(a, b, peer.split()[0])
        print(f"  scale {scale:g} fdsa vs {peer}: {'equal' if out[peer][0] else 'DIFFERENT'}")
        print("\n".join(("    " + line) for line in out[peer][1]), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scales", nargs="+", type=float, default=[1, 20])
    ap.add_argument("--repeat", type=int, default=3, help="warm runs in each process")
    ap.add_argument("--procs", type=int, default=3, help="fresh processes per side and scale")
    ap.add_argument(
        "--growth",
        type=float,
        help="a larger scale for the growth goal: fdsa (file and lake) and polars, no pandas",
    )
    ap.add_argument("--growth-procs", type=int, default=2)
    ap.add_argument("--no-functions", action="store_true", help="skip the per-function table")
    ap.add_argument("--functions-scale", type=float, help="scale of the per-function table")
    ap.add_argument("--pandas-repeat", type=int, help="warm runs of pandas (default --repeat)")
    ap.add_argument(
        "--reuse",
        nargs="*",
        type=float,
        default=[],
        help="scales (main or growth) rendered from an earlier run's saved measurements",
    )
    ap.add_argument(
        "--notes", type=Path, help="a Markdown file appended to the section (the run's reading)"
    )
    ap.add_argument("--child", choices=CHILDREN)
    ap.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_child_kind(args.child, args.scales[0], args.repeat)))
        return

    runs, checks = {}, {}
    funcs, func_scale = None, None
    load_at_start = load_average()
    main_sides = ["fdsa", "fdsa_lake", "polars", "pandas"]
    todo = [(s, False) for s in args.scales] + ([(args.growth, True)] if args.growth else [])
    for scale, growth in todo:
        if scale in args.reuse:
            kept = json.loads(saved(scale).read_text())
            runs[scale], checks[scale] = kept["run"], kept["checks"]
            continue
        if growth:
            r = measure_scale(scale, ["fdsa", "fdsa_lake"], args.growth_procs, args.repeat, [])
            r["growth"] = True
        else:
            r = measure_scale(
                scale,
                main_sides,
                args.procs,
                args.repeat,
                ["polars_join_asof"],
                args.pandas_repeat,
            )
        runs[scale], checks[scale] = r, check_scale(scale, r["sides"])
        saved(scale).write_text(json.dumps({"run": r, "checks": checks[scale]}))
    if not args.no_functions:
        func_scale = args.functions_scale or max(args.scales)
        print(f"scale {func_scale:g}: per-function timings …", flush=True)
        funcs = run_child("functions", func_scale, args.repeat)
        print(json.dumps(funcs, indent=1), flush=True)
    text, all_equal = render(
        runs,
        funcs,
        func_scale,
        checks,
        args.repeat,
        (load_at_start, load_average()),
        args.procs,
    )
    if args.notes:
        text += "\n" + args.notes.read_text(encoding="utf-8").rstrip("\n") + "\n"
    print(text)
    if not args.no_write:
        replace_section(SECTION, text)
    if not all_equal:
        raise SystemExit("FAILED: fdsa and a peer's results differ (see above)")


if __name__ == "__main__":
    main()
