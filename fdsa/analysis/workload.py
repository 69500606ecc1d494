"""Workload and people: concurrent clients, hours, operating modes and backgrounds."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from fdsa.analysis import _params, _sql
from fdsa.analysis._frames import analysis
from fdsa.analysis._stats import cluster_bootstrap_shares, cluster_quantile_interval, wilson
from fdsa.warehouse.db import frame

CLIENT_COUNTS = ("1", "2", "3", "4+")
PROFILE_COLUMNS = ("operating_mode", "background", "region", "primary_niche")


@analysis
def concurrent_clients(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str = "2023-01-01",
    until: date | str = "2025-12-01",
    min_n: int = 30,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How many clients working freelancers hold at once, and hours per client.

    Snapshots every 28 days in the window; a freelancer counts on a snapshot when at
    least one contract is running. One freelancer is seen on many snapshots, so the
    intervals are cluster-robust by freelancer: shares by a freelancer-cluster
    bootstrap (seeded), medians by Woodruff's method
    (:mod:`fdsa.analysis._stats`); hours per hourly contract are clustered by
    freelancer too.

    Returns
    -------
    (distribution, summary)
        ``distribution``: ``n_clients`` (1, 2, 3, 4+), ``n`` (freelancer-snapshots),
        ``count``, ``share``, ``lo``, ``hi`` (cluster bootstrap 95%). ``summary``:
        ``measure`` (median_concurrent_clients, median_hours_per_week_total,
        median_hours_per_week_per_hourly_contract), ``n``, ``estimate``, ``lo``, ``hi``
        (cluster-robust 95%), ``low_n``.
    """
    lo, hi = _params.window(since, until)
    load = _sql.arrays(con, "concurrent_load", since=lo, until=hi)
    n_clients = np.asarray(load["n_clients"], dtype=np.int64)
    who = np.asarray(load["freelancer_id"], dtype=np.int64)
    bucket = np.clip(n_clients, 1, 4) - 1
    counts = np.bincount(bucket, minlength=4)
    n = int(counts.sum())
    dist = pd.DataFrame({"n_clients": list(CLIENT_COUNTS), "n": n, "count": counts})
    share, s_lo, s_hi = cluster_bootstrap_shares(bucket, who, len(CLIENT_COUNTS))
    dist["share"] = share[0] if n else np.nan
    dist["lo"], dist["hi"] = s_lo[0], s_hi[0]
    per_contract = con.execute(
        "select freelancer_id, hours_per_week from contracts where contract_type = 'hourly'"
        " and started_at >= $since and started_at < $until",
        {"since": lo, "until": hi},
    ).fetchnumpy()
    rows = [
        ("median_concurrent_clients", n_clients.astype(float), who),
        ("median_hours_per_week_total", _sql.as_float(load["hours_per_week"]), who),
        (
            "median_hours_per_week_per_hourly_contract",
            _sql.as_float(per_contract["hours_per_week"]),
            np.asarray(per_contract["freelancer_id"], dtype=np.int64),
        ),
    ]
    summary = pd.DataFrame(
        [(name, *(float(a[0]) for a in cluster_quantile_interval(v, c))) for name, v, c in rows],
        columns=["measure", "n", "estimate", "lo", "hi"],
    )
    summary["n"] = summary.n.astype(int)
    summary["low_n"] = summary.n < min_n
    return dist, summary


@analysis
def profile_mix(
    con: duckdb.DuckDBPyConnection, *, column: str = "operating_mode", min_n: int = 30
) -> pd.DataFrame:
    """Distribution of freelancers over an allowlisted profile column.

    Returns
    -------
    pandas.DataFrame
        One row per value: ``value``, ``n`` (all freelancers), ``count``, ``share``,
        ``lo``, ``hi`` (Wilson 95%), ``median_capacity_hours``, ``low_n``.
    """
    column = _params.choice(column, PROFILE_COLUMNS, "column")
    df = frame(con, f"select {column} as value, capacity_hours_per_week from profiles")  # noqa: S608 - allowlisted
    out = (
        df.groupby("value")
        .agg(count=("value", "size"), median_capacity_hours=("capacity_hours_per_week", "median"))
        .reset_index()
    )
    out.insert(1, "n", len(df))
    out["share"] = out["count"] / max(len(df), 1)
    out["lo"], out["hi"] = wilson(out["count"], len(df))
    out["low_n"] = out["count"] < min_n
    return out.sort_values("count", ascending=False).reset_index(drop=True)[
        ["value", "n", "count", "share", "lo", "hi", "median_capacity_hours", "low_n"]
    ]
