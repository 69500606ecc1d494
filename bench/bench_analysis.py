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
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _results import replace_section

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


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


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


def child_fdsa(scale: float, repeat: int) -> dict:
    import fdsa.analysis as fa
    from fdsa.analysis import _cache, channels, niches, pricing, reputation, workload  # noqa: F401

    db = scale_dir(scale) / "fdsa.duckdb"
    t0 = time.perf_counter()
    con = fa.open_warehouse(db)
    results = fdsa_suite(con)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(repeat):
        _cache.clear()  # warm = DuckDB's caches hot, no remembered results
        t0 = time.perf_counter()
        fdsa_suite(con)
        warm.append(time.perf_counter() - t0)
    with open(scale_dir(scale) / "results_fdsa.pkl", "wb") as fh:
        pickle.dump(results, fh)
    return {"cold_s": cold, "warm_s": warm, "peak_rss_mb": peak_rss_mb()}


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


def ensure_data(scale: float) -> None:
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
    import pandas_baseline as pb

    if not pb.exported(d / "csv"):
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
    return json.loads(proc.stdout.strip().splitlines()[-1])


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
    return ", ".join(parts) + f"; warehouse {db_mb:,.0f} MB, CSV files {csv_mb:,.0f} MB"


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages, e.g. ``1.9 / 2.3 / 2.8``."""
    return " / ".join(f"{v:.1f}" for v in os.getloadavg())


def render(
    runs: dict,
    funcs: dict | None,
    func_scale: float | None,
    checks: dict,
    repeat: int,
    loads: tuple[str, str] = ("?", "?"),
) -> tuple[str, bool]:
    med = statistics.median
    lines = [SECTION, ""]
    lines.append(
        f"`.venv/bin/python bench/bench_analysis.py --scales {' '.join(f'{s:g}' for s in runs)}"
        f" --repeat {repeat}` on {machine()}. Each side in its own subprocess (peak RSS ="
        " `ru_maxrss` of that process), warm page cache, other jobs sharing the machine."
        " Suite = the 7 analyses both sides implement, default arguments: niche_summary,"
        " niche_growth, hire_model, rate_drivers, channel_mix (tenure), rating_inflation,"
        " concurrent_clients. fdsa cold = open the warehouse + suite; pandas cold ="
        " `pd.read_csv` (pyarrow engine, `usecols`, parsed dates, categoricals) + compute;"
        f" warm = median of {repeat} further runs in the same process"
        " (fdsa: same connection; pandas: frames already loaded). Baseline:"
        " `bench/pandas_baseline.py` (groupby, `merge_asof`, statsmodels Logit/GLM/OLS with"
        " cluster-robust errors).",
    )
    lines.append("")
    lines.append(
        f"Load average (1 / 5 / 15 min, {os.cpu_count()} CPUs) when the run started:"
        f" {loads[0]}; when it ended: {loads[1]}."
    )
    lines.append("")
    for s in runs:
        lines.append(f"- scale {s:g}: {runs[s]['sizes']}")
    lines += [
        "",
        "| scale | side | cold s | warm s | peak RSS MB | pandas/fdsa cold | warm | memory |",
        "|---|---|---|---|---|---|---|---|",
    ]
    goals_ok = True
    goal_lines = []
    for s, r in runs.items():
        f, p = r["fdsa"], r["pandas"]
        fw, pw = med(f["warm_s"]), med(p["warm_s"])
        rc, rw, rm = p["cold_s"] / f["cold_s"], pw / fw, p["peak_rss_mb"] / f["peak_rss_mb"]
        lines.append(
            f"| {s:g} | fdsa | {f['cold_s']:.2f} | {fw:.2f} | {f['peak_rss_mb']:,.0f} |"
            f" {rc:.1f}× | {rw:.1f}× | {rm:.1f}× |"
        )
        lines.append(
            f"| {s:g} | pandas | {p['cold_s']:.2f} (read {p['read_s']:.2f}) | {pw:.2f} |"
            f" {p['peak_rss_mb']:,.0f} | | | |"
        )
        if s == max(runs):
            g1 = rc >= 5
            g2 = rw >= 2 and rm >= 3
            goal_lines.append(
                f"- suite cold (counting loads) ≥ 5× faster than pandas reading its"
                f" files, scale {s:g}: {rc:.1f}× — **{'met' if g1 else 'MISSED'}**"
            )
            goal_lines.append(
                f"- warm ≥ 2× faster with ≥ 3× less peak memory, scale {s:g}:"
                f" {rw:.1f}× faster, {rm:.1f}× less memory —"
                f" **{'met' if g2 else 'MISSED'}**"
            )
            goals_ok &= g1 and g2
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
        f"Equality check (fdsa vs pandas, relative {RTOL:g} / absolute {ATOL:g}, NaN = NaN):",
        "",
    ]
    all_equal = True
    for s, (ok, details) in checks.items():
        all_equal &= ok
        lines.append(f"- scale {s:g}: **{'all equal' if ok else 'FAILED'}**")
        lines += [f"  - {d}" for d in details]
    return "\n".join(lines) + "\n", all_equal


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scales", nargs="+", type=float, default=[1, 20])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", choices=["fdsa", "pandas", "functions"])
    ap.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    args = ap.parse_args()
    if args.child:
        fn = {"fdsa": child_fdsa, "pandas": child_pandas, "functions": child_functions}
        print(json.dumps(fn[args.child](args.scales[0], args.repeat)))
        return

    runs, checks = {}, {}
    funcs, func_scale = None, None
    load_at_start = load_average()
    for scale in args.scales:
        ensure_data(scale)
        r = {"sizes": table_sizes(scale)}
        for side in ("fdsa", "pandas"):
            print(f"scale {scale:g}: {side} …", flush=True)
            r[side] = run_child(side, scale, args.repeat)
            print(f"  {r[side]}", flush=True)
        with open(scale_dir(scale) / "results_fdsa.pkl", "rb") as fh:
            a = pickle.load(fh)  # noqa: S301 - written by this run's own child
        with open(scale_dir(scale) / "results_pandas.pkl", "rb") as fh:
            b = pickle.load(fh)  # noqa: S301 - written by this run's own child
        checks[scale] = compare(a, b)
        print("\n".join(("  " + line) for line in checks[scale][1]), flush=True)
        runs[scale] = r
    func_scale = max(args.scales)
    print(f"scale {func_scale:g}: per-function timings …", flush=True)
    funcs = run_child("functions", func_scale, args.repeat)
    print(json.dumps(funcs, indent=1), flush=True)
    text, all_equal = render(
        runs, funcs, func_scale, checks, args.repeat, (load_at_start, load_average())
    )
    print(text)
    if not args.no_write:
        replace_section(SECTION, text)
    if not all_equal:
        raise SystemExit("FAILED: fdsa and pandas results differ (see above)")


if __name__ == "__main__":
    main()
