"""Reputation: how reviews and ratings change the chance of being hired, and how ratings inflate."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from fdsa import taxonomy
from fdsa.analysis import _cache, _params, _sql
from fdsa.analysis._frames import analysis
from fdsa.analysis._stats import Fit, dummies, glm, wilson

REVIEW_BUCKETS = ("0", "1", "2-4", "5-9", "10+")


def _hire_design(df: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Design of the hiring model for rows of :func:`hire_patterns` (or single proposals)."""
    reviewed = (df.n_reviews > 0).to_numpy(float)
    log_reviews = np.log1p(df.n_reviews.to_numpy(float))
    centred_rating = np.where(reviewed > 0, df.rating.fillna(4.5).to_numpy(float) - 4.5, 0.0)
    lower = df.is_lower_income.to_numpy(float)
    channels = dummies(df.channel, taxonomy.CHANNELS, "application", "hire_logodds_channel__")
    columns = {
        "hire_logodds_intercept": np.ones(len(df)),
        **{c: channels[c].to_numpy() for c in channels},
        "hire_logodds_first_review": reviewed,
        "hire_logodds_per_log1p_review": log_reviews,
        "hire_logodds_per_star": centred_rating,
        "hire_logodds_region_penalty_at_zero_reviews": lower,
        "hire_logodds_region_recovery_per_log1p_review": lower * log_reviews,
    }
    return np.column_stack(list(columns.values())), list(columns)


@analysis
def hire_patterns(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    niche: str | None = None,
) -> pd.DataFrame:
    """Decided proposals grouped by what the hiring model sees.

    Returns
    -------
    pandas.DataFrame
        One row per distinct (``channel``, ``is_lower_income``, ``n_reviews``,
        ``rating``) as of the proposal: ``n`` decided proposals, ``n_hired``.
    """
    lo, hi = _params.window(since, until)
    niche = _params.niche_or_all(niche)
    key = ("hire_patterns", lo, hi, niche)
    return _cache.shared(
        con,
        key,
        lambda: _sql.run(
            con,
            "hire_patterns",
            since=lo,
            until=hi,
            niche=niche,
            lower_regions=list(taxonomy.LOWER_INCOME_REGIONS),
        ),
    ).copy()


@analysis
def hire_model(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    niche: str | None = None,
) -> pd.DataFrame:
    """Logistic model of the chance that a proposal is hired.

    Terms: channel, having a first review, log(1 + reviews), mean rating (centred
    at 4.5, reviewed only), and a lower-income-region penalty with its recovery per
    log(1 + reviews). Reputation is measured as of the proposal (stored as-of
    facts). Logistic regression because each decided proposal is a yes/no outcome;
    its coefficients are log-odds, so ``odds_ratio = exp(estimate)``. Fitted on
    the distinct covariate patterns with their counts, which gives exactly the
    estimates of the fit on every proposal.

    Returns
    -------
    pandas.DataFrame
        One row per term: ``term``, ``estimate`` (log-odds), ``se``, ``lo``, ``hi``,
        ``odds_ratio`` with ``odds_ratio_lo`` and ``odds_ratio_hi`` (e to the interval's
        ends), ``n`` (decided proposals), ``n_hired``, ``low_n``.
    """
    df = hire_patterns(con, since=since, until=until, niche=niche)
    n, n_hired = int(df.n.sum()), int(df.n_hired.sum())
    if n < 50 or n_hired in (0, n):
        raise ValueError(f"too few decided proposals to fit the hiring model (n={n})")
    x, names = _hire_design(df)
    fit = glm(x, df.n_hired.to_numpy(float), names, "logit", trials=df.n.to_numpy(float))
    table = fit.table()
    table["odds_ratio"] = np.exp(table.estimate)
    table["odds_ratio_lo"] = np.exp(table.lo)
    table["odds_ratio_hi"] = np.exp(table.hi)
    table["n_hired"] = n_hired
    table["low_n"] = table.n_hired < 100
    return table


@analysis
def hire_rate_by_reviews(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    niche: str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Share of decided proposals hired, by reviews on the profile at the time.

    Returns
    -------
    pandas.DataFrame
        One row per bucket (0, 1, 2-4, 5-9, 10+) and channel group (``all`` and
        ``application``): ``reviews``, ``channel``, ``n``, ``n_hired``,
        ``hire_rate``, ``lo``, ``hi`` (Wilson 95%), ``low_n``.
    """
    df = hire_patterns(con, since=since, until=until, niche=niche)
    df["reviews"] = pd.cut(
        df.n_reviews, [-1, 0, 1, 4, 9, np.inf], labels=list(REVIEW_BUCKETS)
    ).astype(str)
    parts = []
    for channel, part in (("all", df), ("application", df[df.channel == "application"])):
        g = part.groupby("reviews")[["n", "n_hired"]].sum().reindex(REVIEW_BUCKETS)
        g = g.fillna(0).reset_index()
        g.insert(1, "channel", channel)
        parts.append(g)
    out = pd.concat(parts, ignore_index=True)
    out["n"] = out.n.astype(int)
    out["n_hired"] = out.n_hired.astype(int)
    out["hire_rate"] = out.n_hired / out.n.where(out.n > 0)
    out["lo"], out["hi"] = wilson(out.n_hired, out.n.where(out.n > 0))
    out["low_n"] = out.n < min_n
    return out


@analysis
def rating_inflation(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Share of 5-star client reviews per year, and its trend.

    The trend is a logistic regression of "review is 5 stars" on years since
    2021-01-01: the slope is the drift in log-odds per year.

    Returns
    -------
    (by_year, trend)
        ``by_year``: ``year``, ``n``, ``n_top``, ``top_share``, ``lo``, ``hi``,
        ``mean_stars``, ``low_n``. ``trend``: one row, ``term``
        (``top_rating_logodds_per_year``), ``estimate``, ``se``, ``lo``, ``hi``, ``n``.
    """
    lo, hi = _params.window(since, until)
    df = _sql.run(con, "client_reviews", niche=_params.niche_or_all(niche), since=lo, until=hi)
    if len(df) < 20:
        raise ValueError(f"too few reviews to measure rating inflation (n={len(df)})")
    df["is_top"] = df.stars >= 5.0
    by_year = (
        df.groupby("year")
        .agg(n=("stars", "size"), n_top=("is_top", "sum"), mean_stars=("stars", "mean"))
        .reset_index()
    )
    by_year["top_share"] = by_year.n_top / by_year.n
    by_year["lo"], by_year["hi"] = wilson(by_year.n_top, by_year.n)
    by_year["low_n"] = by_year.n < min_n
    x = np.column_stack([np.ones(len(df)), df.years_since_2021.to_numpy(float)])
    fit: Fit = glm(
        x, df.is_top.to_numpy(float), ["intercept", "top_rating_logodds_per_year"], "logit"
    )
    trend = fit.table().iloc[[1]].reset_index(drop=True)
    return by_year[["year", "n", "n_top", "top_share", "lo", "hi", "mean_stars", "low_n"]], trend


@analysis
def starter_styles(
    con: duckdb.DuckDBPyConnection, *, niche: str | None = None, min_n: int = 30
) -> pd.DataFrame:
    """ "Small and wide" versus "big first" starters: later rates and earnings.

    Freelancers with six or more contracts are split by their first five: small and
    wide when at least three were under a month. The adjusted rate premium comes
    from :func:`fdsa.analysis.pricing.rate_drivers` (other drivers held fixed); the
    raw medians here are descriptive.

    Returns
    -------
    pandas.DataFrame
        One row per style and measure (``later_median_rate``, ``total_earnings``):
        ``style``, ``measure``, ``n`` (freelancers), ``estimate`` (median), ``lo``,
        ``hi`` (order-statistic 95%), ``low_n``.
    """
    from fdsa.analysis._stats import quantile_interval

    df = _sql.run(con, "starter_outcomes", niche=_params.niche_or_all(niche))
    df["style"] = np.where(df.is_small_and_wide, "small_and_wide", "big_first")
    rows = []
    for style in ("small_and_wide", "big_first"):
        part = df[df["style"] == style]
        for measure in ("later_median_rate", "total_earnings"):
            values = part[measure].dropna().to_numpy()
            rows.append((style, measure, len(values), *quantile_interval(values)))
    out = pd.DataFrame(rows, columns=["style", "measure", "n", "estimate", "lo", "hi"])
    out["low_n"] = out.n < min_n
    return out
