"""Acquisition channels: where clients come from (the channel, and where in the world
the clients are), and what each channel is worth.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from fdsa import taxonomy
from fdsa.analysis import _cache, _params, _sql
from fdsa.analysis._frames import analysis
from fdsa.analysis._stats import (
    bootstrap_totals,
    cluster_bootstrap_ratio,
    cluster_bootstrap_shares,
    cluster_quantile_interval,
    dummies,
    glm,
    quantile_interval,
    two_group_logit,
    wilson,
)
from fdsa.taxonomy import REPUTATION_BUCKETS, TENURE_BUCKETS

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
        in the bucket), ``n_channel``, ``share``, ``lo``, ``hi`` (95%, a
        freelancer-cluster bootstrap: one freelancer's contracts share their
        channels), ``low_n``.
    """
    by = _params.choice(by, BY, "by")
    lo, hi = _params.window(since, until)
    niche = _params.niche_or_all(niche)
    both = _cache.shared(
        con,
        ("channel_mix", niche, lo, hi),  # one query for both bucketings of a report
        lambda: _sql.run(con, "channel_mix", niche=niche, since=lo, until=hi),
    )
    buckets = list(TENURE_BUCKETS if by == "tenure" else REPUTATION_BUCKETS)
    channels = list(taxonomy.CHANNELS)
    bucket = pd.Categorical(both[by], categories=buckets).codes
    channel = pd.Categorical(both.channel, categories=channels).codes
    keep = (bucket >= 0) & (channel >= 0)
    weights = both.n_channel.to_numpy(float)[keep]
    share, s_lo, s_hi = cluster_bootstrap_shares(
        channel[keep],
        both.freelancer_id.to_numpy()[keep],
        len(channels),
        bucket[keep],
        len(buckets),
        weights=weights,
    )
    cells = bucket[keep].astype(np.int64) * len(channels) + channel[keep]
    n_channel = np.bincount(cells, weights=weights, minlength=len(buckets) * len(channels))
    out = pd.DataFrame(
        {
            "bucket": np.repeat(buckets, len(channels)),
            "channel": np.tile(channels, len(buckets)),
            "n_channel": n_channel.astype(int),
        }
    )
    out["n"] = out.groupby("bucket", sort=False).n_channel.transform("sum")
    out["share"] = share.ravel()
    out["lo"], out["hi"] = s_lo.ravel(), s_hi.ravel()
    out["low_n"] = out.n < min_n
    return out[["bucket", "channel", "n", "n_channel", "share", "lo", "hi", "low_n"]]


def _contract_medians(contracts: dict[str, np.ndarray], channel: str) -> dict[str, float]:
    """Median earnings and days to hire of one channel's contracts (cluster-robust 95%)."""
    mine = contracts["channel_code"] == taxonomy.CHANNELS.index(channel)
    who = np.asarray(contracts["freelancer_id"], dtype=np.int64)[mine]
    e = [float(a[0]) for a in cluster_quantile_interval(contracts["earnings"][mine], who)]
    d = [float(a[0]) for a in cluster_quantile_interval(contracts["days_to_hire"][mine], who)]
    return {
        "n_contracts": int(mine.sum()),
        "median_earnings_usd": e[1],
        "median_earnings_usd_lo": e[2],
        "median_earnings_usd_hi": e[3],
        "median_days_to_hire": d[1],
        "median_days_to_hire_lo": d[2],
        "median_days_to_hire_hi": d[3],
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
    Raw win rates are descriptive: channels differ in who uses them (invited
    freelancers have more reviews), so they are confounded by reputation; the
    comparison with reputation and bids held fixed is :func:`channel_win_odds`.

    Returns
    -------
    pandas.DataFrame
        One row per channel: ``channel``, ``n_proposals``, ``win_rate`` (+ ``_lo``,
        ``_hi``), ``n_contracts``, ``median_earnings_usd`` (+ ``_lo``, ``_hi``),
        ``median_days_to_hire`` (+ ``_lo``, ``_hi``), ``low_n``. Intervals are 95%
        and cluster-robust by freelancer (a freelancer's proposals share their
        reputation and price): a seeded freelancer-cluster bootstrap for win rates,
        Woodruff's method for medians.
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
    codes = pd.Categorical(props.channel, categories=list(taxonomy.CHANNELS)).codes
    known = codes >= 0
    win, w_lo, w_hi = cluster_bootstrap_ratio(
        props.n_hired.to_numpy(float)[known],
        props.n.to_numpy(float)[known],
        props.freelancer_id.to_numpy()[known],
        codes[known],
        len(taxonomy.CHANNELS),
    )
    n_by = np.bincount(codes[known], weights=props.n.to_numpy(float)[known], minlength=len(win))
    rows = [
        {
            "channel": channel,
            "n_proposals": int(n_by[i]),
            "win_rate": float(win[i]),
            "win_rate_lo": float(w_lo[i]),
            "win_rate_hi": float(w_hi[i]),
            **_contract_medians(contracts, channel),
        }
        for i, channel in enumerate(taxonomy.CHANNELS)
    ]
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


@analysis
def channel_win_odds(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    niche: str | None = None,
) -> pd.DataFrame:
    """Each channel's edge over applications in winning, raw and adjusted.

    ``raw_logodds``: log odds ratio of the channels' win rates (decided proposals,
    as in :func:`channel_performance`), with a seeded freelancer-cluster bootstrap
    95% interval. ``adjusted_logodds``: the channel terms of
    :func:`fdsa.analysis.reputation.hire_model` — among the proposals of one
    posting, with reviews, rating, region and the bid held fixed. Invited and
    referred freelancers have more reviews, so the raw edge mixes the channel with
    reputation; the adjusted one removes what the model sees. Both are observational
    associations, not the effect of switching channel.

    Returns
    -------
    pandas.DataFrame
        One row per channel other than application: ``channel``, ``n_proposals``,
        ``raw_logodds``, ``raw_logodds_lo``, ``raw_logodds_hi``,
        ``adjusted_logodds``, ``adjusted_logodds_lo``, ``adjusted_logodds_hi``,
        ``n_adjusted`` (proposals in the choice model).
    """
    from fdsa.analysis.reputation import hire_model

    lo, hi = _params.window(since, until)
    niche = _params.niche_or_all(niche)
    props = _sql.run(con, "channel_proposals", niche=niche, since=lo, until=hi)
    k = len(taxonomy.CHANNELS)
    codes = pd.Categorical(props.channel, categories=list(taxonomy.CHANNELS)).codes
    known = codes >= 0
    who = pd.factorize(props.freelancer_id.to_numpy()[known], sort=True)[0]
    cells = who.astype(np.int64) * k + codes[known]
    size, g = (who.max() + 1) * k if len(who) else 0, (who.max() + 1 if len(who) else 0)
    wins = np.bincount(cells, props.n_hired.to_numpy(float)[known], size).reshape(g, k)
    tries = np.bincount(cells, props.n.to_numpy(float)[known], size).reshape(g, k)

    def logodds(w: np.ndarray, n: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            odds = w / (n - w)
            return np.log(odds[..., 1:] / odds[..., :1])

    raw = logodds(wins.sum(axis=0), tries.sum(axis=0))
    boot = logodds(*bootstrap_totals([wins, tries]))
    with np.errstate(invalid="ignore"):
        b_lo, b_hi = np.nanpercentile(np.where(np.isfinite(boot), boot, np.nan), [2.5, 97.5], 0)
    model = hire_model(con, since=since, until=until, niche=niche).set_index("term")
    rows = []
    for i, channel in enumerate(taxonomy.CHANNELS[1:]):
        term = f"hire_logodds_channel__{channel}"
        fit = model.loc[term] if term in model.index else None
        rows.append(
            {
                "channel": channel,
                "n_proposals": int(tries[:, i + 1].sum()),
                "raw_logodds": float(raw[i]),
                "raw_logodds_lo": float(b_lo[i]),
                "raw_logodds_hi": float(b_hi[i]),
                "adjusted_logodds": np.nan if fit is None else float(fit.estimate),
                "adjusted_logodds_lo": np.nan if fit is None else float(fit.lo),
                "adjusted_logodds_hi": np.nan if fit is None else float(fit.hi),
                "n_adjusted": 0 if fit is None else int(fit.n),
            }
        )
    return pd.DataFrame(rows)


CLIENT_PAY = ("posted_hourly_mid", "fixed_budget")
"""Posted pay measures of :func:`client_regions` (asking pay: postings carry no agreed rate)."""


@analysis
def client_regions(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Where the clients who post are: postings per client region, and the pay they post.

    The client's country, grouped into world regions (:data:`fdsa.taxonomy.REGIONS`),
    of every posting in the window (real dumps carry it on most postings). ``share``
    is of the postings that name a country, with a client-cluster bootstrap 95%
    interval (one client's postings share its region); posted pay medians have
    cluster-robust (Woodruff) intervals, clustered by client. A posting whose client
    is unknown counts as its own client. The window defaults to the span of the
    postings.

    Returns
    -------
    pandas.DataFrame
        One row per region with postings, taxonomy order (``unknown`` last):
        ``region``, ``n_jobs``, ``share``, ``share_lo``, ``share_hi`` (null for
        ``unknown``), then for each of :data:`CLIENT_PAY` (USD, as in
        :func:`fdsa.analysis.niches.niche_summary`) ``<measure>_n``,
        ``<measure>_median``, ``<measure>_lo``, ``<measure>_hi``; ``low_n`` (fewer
        than ``min_n`` postings, or fewer than ``min_n`` of either pay measure).
    """
    niche = _params.niche_or_all(niche)
    lo, hi = _sql.data_window(con, since, until)
    regions = list(taxonomy.REGIONS)
    rows = _sql.arrays(con, "client_postings", since=lo, until=hi, niche=niche, regions=regions)
    region = np.asarray(rows["region_code"], dtype=np.int64)
    clients = np.asarray(rows["cluster_id"], dtype=np.int64)
    measure = np.asarray(rows["measure"], dtype=np.int64)
    value = _sql.as_float(rows["value"])
    k = len(regions)
    out = pd.DataFrame({"region": regions, "n_jobs": np.bincount(region, minlength=k)})
    named = region != regions.index("unknown")
    share = np.full((3, k), np.nan)
    if named.any():
        share[:, :] = [a[0] for a in cluster_bootstrap_shares(region[named], clients[named], k)]
    share[:, regions.index("unknown")] = np.nan
    out["share"], out["share_lo"], out["share_hi"] = share
    for m, name in enumerate(CLIENT_PAY):
        mine = measure == m
        n, est, q_lo, q_hi = cluster_quantile_interval(value[mine], clients[mine], region[mine], k)
        out[f"{name}_n"] = n.astype(int)
        out[f"{name}_median"] = est
        out[f"{name}_lo"], out[f"{name}_hi"] = q_lo, q_hi
    pay_n = out[[f"{name}_n" for name in CLIENT_PAY]]
    out["low_n"] = (out.n_jobs < min_n) | (pay_n < min_n).any(axis=1)
    return out[out.n_jobs > 0].reset_index(drop=True)
