"""Descriptive intervals are as wide as the spread of their statistic across markets.

Medians and shares computed from rows that share a freelancer (contracts, proposals,
snapshots) have no planted truth, but they have a population value: the mean of the
statistic over many markets built the same way. Each market's 95% interval must hold
that mean about 95% of the time (inside a binomial band), which intervals that treat
the rows as independent do not (docs/analyses.md, "Which interval each statistic
shows": 64–92% before issue 15). Slow: twenty markets.
"""

from __future__ import annotations

import pandas as pd
import pytest
import truth_sweep

from fdsa.analysis import channels, open_warehouse, pricing, workload
from fdsa.synth import build_warehouse

SCALE, SEEDS = 0.5, list(range(5001, 5021))


def _rows(path) -> pd.DataFrame:
    out = []
    with open_warehouse(path) as con:
        t = pricing.rate_trajectory(con)
        out += [
            ("rate_trajectory", r.tenure_years, r.median_rate_usd, r.lo, r.hi)
            for r in t.itertuples()
        ]
        dist, _ = workload.concurrent_clients(con)
        out += [("concurrent shares", r.n_clients, r.share, r.lo, r.hi) for r in dist.itertuples()]
        perf = channels.channel_performance(con)
        out += [
            ("win rate", r.channel, r.win_rate, r.win_rate_lo, r.win_rate_hi)
            for r in perf.itertuples()
        ]
        mix = channels.channel_mix(con, by="tenure")
        out += [
            ("channel mix", f"{r.bucket}/{r.channel}", r.share, r.lo, r.hi)
            for r in mix.itertuples()
        ]
    return pd.DataFrame(out, columns=["family", "term", "estimate", "lo", "hi"])


@pytest.mark.slow
def test_descriptive_intervals_hold_the_mean_over_markets(tmp_path, record_property):
    parts = []
    for seed in SEEDS:
        path = tmp_path / f"m{seed}.duckdb"
        build_warehouse(path, scale=SCALE, seed=seed)
        parts.append(_rows(path).assign(seed=seed))
        path.unlink()
    rows = pd.concat(parts, ignore_index=True)
    centre = rows.groupby(["family", "term"]).estimate.transform("mean")
    rows["covered"] = (rows.lo <= centre) & (centre <= rows.hi)
    table = rows.groupby("family").covered.agg(["size", "sum"])
    for family, r in table.iterrows():
        lo, hi = truth_sweep.band(int(r["size"]))
        share = r["sum"] / r["size"]
        record_property(f"figure: coverage {family}", f"{r['sum']}/{r['size']} = {share:.3f}")
        assert lo <= share <= hi, (family, share, lo, hi)
