"""Workload and people: concurrent clients, hours, operating modes and backgrounds."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from fdsa.analysis import _params, _sql
from fdsa.analysis._frames import analysis
from fdsa.analysis._stats import quantile_interval, wilson
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
    least one contract is running. Intervals treat snapshots as independent, so
    they are somewhat too narrow for freelancers seen on many snapshots.

    Returns
    -------
    (distribution, summary)
        ``distribution``: ``n_clients`` (1, 2, 3, 4+), ``n`` (freelancer-snapshots),
        ``count``, ``share``, ``lo``, ``hi``. ``summary``: ``measure``
        (median_concurrent_clients, median_hours_per_week_total,
        median_hours_per_week_per_hourly_contract), ``n``, ``estimate``, ``lo``, ``hi``,
        ``low_n``.
    """
    lo, hi = _params.window(since, until)
    load = _sql.arrays(con, "concurrent_load", since=lo, until=hi)
    n_clients = np.asarray(load["n_clients"], dtype=np.int64)
    counts = np.bincount(np.clip(n_clients, 1, 4) - 1, minlength=4)
    n = int(counts.sum())
    dist = pd.DataFrame({"n_clients": list(CLIENT_COUNTS), "n": n, "count": counts})
    dist["share"] = dist["count"] / max(n, 1)
    dist["lo"], dist["hi"] = wilson(dist["count"], n if n else np.nan)
    per_contract = con.sql(
        "select hours_per_week from contracts where contract_type = 'hourly'"
        " and started_at >= $since and started_at < $until",
        params={"since": lo, "until": hi},
    ).fetchnumpy()["hours_per_week"]
    per_contract = _sql.as_float(per_contract)
    rows = [
        ("median_concurrent_clients", n_clients),
        ("median_hours_per_week_total", _sql.as_float(load["hours_per_week"])),
        ("median_hours_per_week_per_hourly_contract", per_contract),
    ]
    summary = pd.DataFrame(
        [(name, len(v), *quantile_interval(v)) for name, v in rows],
        columns=["measure", "n", "estimate", "lo", "hi"],
    )
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
