"""Seed sweeps: does each family of analyses cover its planted truth ~95% of the time?

One seeded market shows one draw: a single 95% interval misses its truth one time in
twenty, and a test that passes at its own seed may fail at others. Here each family of
planted effects is estimated on many markets (seeds) and the share of 95% intervals
that hold their truth must fall inside a binomial band around 95%.

Used by ``test_analysis_truth.py`` (a fast subset by default, the full sweep under
``-m slow``). Run as a script to print the sweep's table for ``docs/analyses.md``::

    .venv/bin/python tests/integration/truth_sweep.py --scale 1 --seeds 24
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from scipy import stats

from fdsa.analysis import open_warehouse, recovery
from fdsa.synth import build_warehouse

FAMILIES = tuple(family for family, _ in recovery.COLLECTORS)


def market_rows(path: Path) -> pd.DataFrame:
    """Every estimated planted effect with its interval and truth, for one market.

    The rows of :func:`fdsa.analysis.recovery.planted_vs_estimated` that have an
    interval (reference levels and latent effects have none).
    """
    with open_warehouse(path) as con:
        table = recovery.planted_vs_estimated(con)
    out = table[table.status == "estimated"].rename(columns={"effect": "term"})
    out = out[["family", "term", "estimate", "lo", "hi", "truth"]].copy()
    out["covered"] = (out.lo <= out.truth) & (out.truth <= out.hi)
    return out.reset_index(drop=True)


def sweep(folder: Path, *, scale: float, seeds: list[int]) -> pd.DataFrame:
    """Build a market per seed (one at a time, deleted after use) and collect its rows."""
    parts = []
    for seed in seeds:
        path = folder / f"sweep_{seed}.duckdb"
        build_warehouse(path, scale=scale, seed=seed)
        parts.append(market_rows(path).assign(seed=seed))
        path.unlink()
    return pd.concat(parts, ignore_index=True)


def band(n: int, p: float = 0.95, level: float = 0.999) -> tuple[float, float]:
    """Central ``level`` range of the covered share of ``n`` independent 95% intervals."""
    lo = stats.binom.ppf((1 - level) / 2, n, p) / n
    hi = stats.binom.ppf(1 - (1 - level) / 2, n, p) / n
    return float(lo), float(hi)


def coverage(rows: pd.DataFrame) -> pd.DataFrame:
    """Per family: intervals, covered, share covered and its binomial band."""
    out = rows.groupby("family", sort=False).covered.agg(["size", "sum"])
    out = out.rename(columns={"size": "n", "sum": "covered"}).reindex(list(FAMILIES))
    out["share"] = out.covered / out.n
    bands = [band(int(n)) for n in out.n]
    out["band_lo"] = [b[0] for b in bands]
    out["band_hi"] = [b[1] for b in bands]
    return out.reset_index()


def by_effect(rows: pd.DataFrame) -> pd.DataFrame:
    """Per planted effect: truth, mean estimate over seeds, intervals and share covered."""
    g = rows.groupby(["family", "term"], sort=False)
    out = g.agg(
        truth=("truth", "first"),
        mean_estimate=("estimate", "mean"),
        sd_estimate=("estimate", "std"),
        n=("covered", "size"),
        covered=("covered", "sum"),
    ).reset_index()
    out["share"] = out.covered / out.n
    excludes = (rows.lo > 0) | (rows.hi < 0)
    out["detected"] = excludes.groupby([rows.family, rows.term], sort=False).sum().to_numpy()
    return out


def markdown(rows: pd.DataFrame, *, scale: float, seeds: list[int], seconds: float) -> str:
    """The sweep's tables for docs/analyses.md."""
    lines = [
        f"Sweep: {len(seeds)} markets at scale {scale:g} (seeds {seeds[0]}–{seeds[-1]}), "
        f"{seconds / 60:.1f} min.",
        "",
        "| family | intervals | covered | share | 99.9% binomial band |",
        "|---|---|---|---|---|",
    ]
    for r in coverage(rows).itertuples():
        lines.append(
            f"| {r.family} | {r.n} | {r.covered} | {r.share:.3f} | "
            f"{r.band_lo:.3f}–{r.band_hi:.3f} |"
        )
    lines += [
        "",
        "| effect | truth | mean estimate (sd over seeds) | covered | interval excludes 0 |",
        "|---|---|---|---|---|",
    ]
    for r in by_effect(rows).itertuples():
        lines.append(
            f"| `{r.term}` | {r.truth:.3f} | {r.mean_estimate:.3f} ({r.sd_estimate:.3f}) | "
            f"{r.covered}/{r.n} | {r.detected}/{r.n} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seeds", type=int, default=24)
    parser.add_argument("--first-seed", type=int, default=3001)
    args = parser.parse_args()
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        rows = sweep(Path(folder), scale=args.scale, seeds=seeds)
    sys.stdout.write(
        markdown(rows, scale=args.scale, seeds=seeds, seconds=time.perf_counter() - start)
    )


if __name__ == "__main__":
    main()
