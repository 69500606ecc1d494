"""Acquisition channels: where clients come from, and what each channel is worth."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from fdsa import taxonomy
from fdsa.analysis import _cache, _params, _sql
from fdsa.analysis._frames import analysis
from fdsa.analysis._stats import dummies, glm, quantile_interval, two_group_logit, wilson

TENURE_BUCKETS = ("first year", "second year", "third year+")
REPUTATION_BUCKETS = ("0 reviews", "1-4 reviews", "5-19 reviews", "20+ reviews")
BY = ("tenure", "reputation")


@analysis
def channel_mix(
    con: duckdb.DuckDBPyConnection,
    *,
    by: str = "tenure",
    niche: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Share of contracts won through each channel, by tenure or reputation bucket.

    Tenure is years since joining at the contract start; reputation is the client
    reviews on the profile when the hired proposal was sent.

    Returns
    -------
    pandas.DataFrame
        One row per (bucket, channel): ``bucket``, ``channel``, ``n`` (contracts
        in the bucket), ``n_channel``, ``share``, ``lo``, ``hi`` (Wilson 95%),
        ``low_n``.
    """
    by = _params.choice(by, BY, "by")
    lo, hi = _params.window(since, until)
    niche = _params.niche_or_all(niche)
    both = _cache.shared(
        con,
        ("channel_mix", niche, lo, hi),  # one query for both bucketings of a report
        lambda: _sql.run(con, "channel_mix", niche=niche, since=lo, until=hi),
    )
    counts = both.groupby([by, "channel"], as_index=False).n_channel.sum()
    counts = counts.rename(columns={by: "bucket"})
    buckets = list(TENURE_BUCKETS if by == "tenure" else REPUTATION_BUCKETS)
    full = pd.MultiIndex.from_product(
        [buckets, list(taxonomy.CHANNELS)], names=["bucket", "channel"]
    )
    out = (
        counts.set_index(["bucket", "channel"])
        .n_channel.reindex(full, fill_value=0)
        .astype(int)
        .reset_index()
    )
    out["n"] = out.groupby("bucket", sort=False).n_channel.transform("sum")
    out["share"] = out.n_channel / out.n.where(out.n > 0)
    out["lo"], out["hi"] = wilson(out.n_channel, out.n.where(out.n > 0))
    out["low_n"] = out.n < min_n
    return out[["bucket", "channel", "n", "n_channel", "share", "lo", "hi", "low_n"]]


def _contract_medians(contracts: dict[str, np.ndarray], channel: str) -> dict[str, float]:
    """Median earnings and days to hire (order-statistic 95%) of one channel's contracts."""
    mine = contracts["channel_code"] == taxonomy.CHANNELS.index(channel)
    e = quantile_interval(contracts["earnings"][mine])
    d = quantile_interval(contracts["days_to_hire"][mine])
    return {
        "n_contracts": int(mine.sum()),
        "median_earnings_usd": e[0],
        "median_earnings_usd_lo": e[1],
        "median_earnings_usd_hi": e[2],
        "median_days_to_hire": d[0],
        "median_days_to_hire_lo": d[1],
        "median_days_to_hire_hi": d[2],
    }


@analysis
def channel_performance(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str | None = None,
    tenure: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Win rate, contract value and time to hire per channel.

    ``tenure`` limits to one tenure bucket (first year, second year, third year+).

    Returns
    -------
    pandas.DataFrame
        One row per channel: ``channel``, ``n_proposals``, ``win_rate`` (+ ``_lo``,
        ``_hi``, Wilson), ``n_contracts``, ``median_earnings_usd`` (+ ``_lo``,
        ``_hi``, order statistics), ``median_days_to_hire`` (+ ``_lo``, ``_hi``),
        ``low_n``.
    """
    if tenure is not None:
        _params.choice(tenure, TENURE_BUCKETS, "tenure")
    lo, hi = _params.window(since, until)
    niche = _params.niche_or_all(niche)
    props = _sql.run(con, "channel_proposals", niche=niche, since=lo, until=hi)
    contracts = _sql.arrays(
        con,
        "channel_contract_values",
        niche=niche,
        since=lo,
        until=hi,
        tenure=tenure,
        channels=list(taxonomy.CHANNELS),
    )
    if tenure is not None:
        props = props[props.tenure == tenure]
    decided = props.groupby("channel")[["n", "n_hired"]].sum()
    rows = []
    for channel in taxonomy.CHANNELS:
        n = int(decided.n.get(channel, 0))
        k = int(decided.n_hired.get(channel, 0))
        w_lo, w_hi = wilson(k, n) if n else (np.nan, np.nan)
        rows.append(
            {
                "channel": channel,
                "n_proposals": n,
                "win_rate": k / n if n else np.nan,
                "win_rate_lo": float(w_lo),
                "win_rate_hi": float(w_hi),
                **_contract_medians(contracts, channel),
            }
        )
    out = pd.DataFrame(rows)
    out["low_n"] = out.n_contracts < min_n
    return out


@analysis
def time_to_first_contract(
    con: duckdb.DuckDBPyConnection, *, horizon_days: int = 180, min_n: int = 30
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How long new freelancers wait for a first contract, and what predicts it.

    Freelancers observed for at least 180 days are followed from joining. The
    predictors come from a logistic regression of "first contract within
    ``horizon_days``" on region group, operating mode, years of experience and
    proposals sent in the first 90 days (odds ratios).

    Returns
    -------
    (by_region, predictors)
        ``by_region``: ``region``, ``n``, ``n_hired``, ``share_hired`` (+ ``lo``,
        ``hi``), ``median_days`` (among those hired in the horizon, + ``_lo``,
        ``_hi``), ``low_n``. ``predictors``: ``term``, ``estimate`` (log-odds),
        ``se``, ``lo``, ``hi``, ``odds_ratio``, ``n``.
    """
    _params.positive_int(horizon_days, "horizon_days", maximum=3650)
    df = _sql.run(con, "first_contracts", data_end=_sql.last_posted_at(con))
    df = df[df.days_observed >= horizon_days].copy()
    df["hired"] = df.days_to_first_contract.le(horizon_days)
    rows = []
    for region, part in df.groupby("region"):
        s_lo, s_hi = wilson(part.hired.sum(), len(part))
        d = quantile_interval(part.days_to_first_contract[part.hired].to_numpy())
        rows.append(
            {
                "region": region,
                "n": len(part),
                "n_hired": int(part.hired.sum()),
                "share_hired": part.hired.mean(),
                "lo": float(s_lo),
                "hi": float(s_hi),
                "median_days": d[0],
                "median_days_lo": d[1],
                "median_days_hi": d[2],
            }
        )
    by_region = pd.DataFrame(rows)
    by_region["low_n"] = by_region.n < min_n
    if len(df) < 50 or df.hired.nunique() < 2:
        raise ValueError(f"too few freelancers to model time to first contract (n={len(df)})")
    modes = dummies(df.operating_mode, taxonomy.OPERATING_MODES, "full_time_freelance", "mode__")
    columns = {
        "intercept": np.ones(len(df)),
        "lower_income_region": df.region.isin(taxonomy.LOWER_INCOME_REGIONS).to_numpy(float),
        "experience_years_at_join": df.experience_years_at_join.to_numpy(float),
        "log1p_proposals_first_90d": np.log1p(df.n_proposals_first_90d.to_numpy(float)),
        **{c: modes[c].to_numpy() for c in modes},
    }
    fit = glm(
        np.column_stack(list(columns.values())), df.hired.to_numpy(float), list(columns), "logit"
    )
    predictors = fit.table()
    predictors["odds_ratio"] = np.exp(predictors.estimate)
    return by_region, predictors


@analysis
def declined_invites(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How often postings are filled, and how much less after an invited freelancer declines.

    Postings (by posted_at in the window) with at least one decided proposal, split
    by whether any invited, referred or re-invited freelancer declined. A logistic
    regression of "anyone hired" on "a declined invitation" gives the drop in
    log-odds (Horton: a declined invitation lowers the chance a job is filled).

    Returns
    -------
    (by_group, model)
        ``by_group``: ``declined_invite`` (False, True), ``n`` (postings),
        ``n_filled``, ``fill_rate``, ``lo``, ``hi`` (Wilson 95%), ``low_n``.
        ``model``: ``term`` (``fill_logodds_intercept``,
        ``fill_logodds_declined_invite``), ``estimate``, ``se``, ``lo``, ``hi``,
        ``n``.
    """
    lo, hi = _params.window(since, until)
    counts = _sql.run(con, "fill_outcomes", niche=_params.niche_or_all(niche), since=lo, until=hi)
    table = (
        counts.pivot_table(
            index="has_declined", columns="is_filled", values="n_jobs", aggfunc="sum"
        )
        .reindex(index=[False, True], columns=[False, True])
        .fillna(0)
        .astype(int)
    )
    rates, model = two_group_logit(
        table.sum(axis=1).to_numpy(),
        table[True].to_numpy(),
        ["fill_logodds_intercept", "fill_logodds_declined_invite"],
        min_n=min_n,
    )
    rates = rates.rename(columns={"count": "n_filled", "rate": "fill_rate"})
    return rates.assign(declined_invite=[False, True])[
        ["declined_invite", "n", "n_filled", "fill_rate", "lo", "hi", "low_n"]
    ], model
