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
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from scipy import stats

from fdsa.analysis import channels, niches, open_warehouse, pricing, reputation
from fdsa.synth import build_warehouse
from fdsa.synth.params import SKILL_ALLIANCES, pair_effect_name

FAMILIES = ("hire choice", "bids", "fill", "rehire", "ratings", "skill pairs", "demand")
GROWING = ("llm_applications", "scraping_data_collection")


def _rows(table: pd.DataFrame, truth: dict[str, float], term: str = "term") -> pd.DataFrame:
    out = table[table[term].isin(truth)][[term, "estimate", "lo", "hi"]].copy()
    out = out.rename(columns={term: "term"})
    out["truth"] = out.term.map(truth)
    return out


def _demand(con, truth: dict[str, float]) -> pd.DataFrame:
    late = niches.niche_growth(con)  # the last 24 months: 2024-2025, after flattening
    early = niches.niche_growth(con, since="2021-01-01", until="2023-01-01")
    parts = []
    rel = late[late.niche.isin(GROWING)]
    parts.append(
        pd.DataFrame(
            {
                "term": "demand_growth_rel_log_per_year__" + rel.niche,
                "estimate": rel.growth_rel,
                "lo": rel.lo,
                "hi": rel.hi,
            }
        )
    )
    for window, table, skip in (
        ("2023_2025", late, GROWING),
        ("2021_2022", early, (*GROWING, "nlp")),  # nlp's step falls in the early window
    ):
        null = table[~table.niche.isin(skip)]
        half = 1.959964 * null.se
        parts.append(
            pd.DataFrame(
                {
                    "term": f"market_growth_log_per_year__{window}",
                    "estimate": null.growth_log_per_year,
                    "lo": null.growth_log_per_year - half,
                    "hi": null.growth_log_per_year + half,
                }
            )
        )
    shock = niches.demand_shock(con, niche="nlp")
    parts.append(shock.assign(term="demand_shock_log_step__nlp")[["term", "estimate", "lo", "hi"]])
    out = pd.concat(parts, ignore_index=True)
    out["truth"] = out.term.map(truth)
    return out


def _skill_pairs(con, truth: dict[str, float]) -> pd.DataFrame:
    rows = []
    for niche in SKILL_ALLIANCES:
        table = niches.skill_pair_effects(con, niche=niche)
        for r in table.itertuples():
            for kind, column in (
                ("skill_pair_lift", "lift"),
                ("skill_pair_rate_log_premium", "rate_premium"),
            ):
                effect = pair_effect_name(kind, niche, r.skill_a, r.skill_b)
                if effect in truth:
                    rows.append(
                        (
                            effect,
                            getattr(r, column),
                            getattr(r, f"{column}_lo"),
                            getattr(r, f"{column}_hi"),
                            truth[effect],
                        )
                    )
    return pd.DataFrame(rows, columns=["term", "estimate", "lo", "hi", "truth"])


def _ratings(con, truth: dict[str, float]) -> pd.DataFrame:
    trend = reputation.rating_inflation(con)[1]
    hidden = reputation.hidden_dissatisfaction(con).rename(columns={"measure": "term"})
    return pd.concat([_rows(trend, truth), _rows(hidden, truth)], ignore_index=True)


COLLECT: dict[str, Callable] = {
    "hire choice": lambda con, truth: _rows(reputation.hire_model(con), truth),
    "bids": lambda con, truth: _rows(pricing.rate_drivers(con), truth),
    "fill": lambda con, truth: _rows(channels.declined_invites(con)[1], truth),
    "rehire": lambda con, truth: _rows(reputation.rehire_after_dissatisfaction(con)[1], truth),
    "ratings": _ratings,
    "skill pairs": _skill_pairs,
    "demand": _demand,
}


def market_rows(path: Path) -> pd.DataFrame:
    """Every family's estimates with their intervals and truths, for one market."""
    with open_warehouse(path) as con:
        truth = dict(con.execute("select effect, value from truth").fetchall())
        parts = [COLLECT[f](con, truth).assign(family=f) for f in FAMILIES]
    out = pd.concat(parts, ignore_index=True)
    out["covered"] = (out.lo <= out.truth) & (out.truth <= out.hi)
    return out


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
