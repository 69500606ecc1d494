"""Pricing: what drives agreed hourly rates, and what a described profile can charge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import duckdb
import numpy as np
import pandas as pd

from fdsa import taxonomy
from fdsa.analysis import _cache, _params, _sql
from fdsa.analysis._frames import analysis
from fdsa.analysis._stats import (
    Fit,
    dummy_levels,
    ols_by_blocks,
    quantile_interval,
    quantiles_by_group,
)

NICHE_PREFIX = "rate_log_premium_niche__"
REGION_PREFIX = "rate_log_premium_region__"
CHANNEL_PREFIX = "rate_log_premium_channel__"
LEVEL_PREFIX = "rate_log_premium_experience_level__"
TENURE_YEARS = ("0", "1", "2", "3", "4+")
_CATEGORIES = ("niche", "freelancer_region", "channel", "experience_level")


_DUMMIES = (
    ("niche", taxonomy.NICHES, taxonomy.REFERENCE_NICHE, NICHE_PREFIX),
    ("freelancer_region", taxonomy.REGIONS, taxonomy.REFERENCE_REGION, REGION_PREFIX),
    ("channel", taxonomy.CHANNELS, "application", CHANNEL_PREFIX),
    ("experience_level", taxonomy.EXPERIENCE_LEVELS, "intermediate", LEVEL_PREFIX),
)


def _rate_levels(df: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Levels of each dummy block present in ``df`` (all but the reference), by prefix."""
    return {
        prefix: tuple(lv for _, lv in dummy_levels(df[col], vocab, ref)[1])
        for col, vocab, ref, prefix in _DUMMIES
    }


def _rate_design_rows(
    df: pd.DataFrame, levels: dict[str, tuple[str, ...]] | None = None
) -> tuple[Callable[[int, int], np.ndarray], list[str]]:
    """Column names of the rate design and a function building its rows ``start:stop``.

    The columns are prepared once as numpy arrays (numeric drivers, category
    codes); each call fills one column-major block from slices of them, so the
    model can be fitted block by block without ever holding the whole design. A
    block is overwritten by the next call.
    """
    levels = _rate_levels(df) if levels is None else levels
    reviewed = (df.n_reviews > 0).to_numpy()
    numeric = {
        "intercept": None,
        "rate_log_per_experience_year": df.experience_years.to_numpy(float),
        "rate_log_per_log1p_review": np.log1p(df.n_reviews.to_numpy(float)),
        "rate_log_per_star": np.where(reviewed, df.rating.fillna(4.5).to_numpy(float) - 4.5, 0.0),
        "rate_log_premium_small_and_wide_after_5": df.is_small_and_wide_after_5.to_numpy(float),
    }
    dummy_columns = []
    for col, vocab, _, prefix in _DUMMIES:
        codes = pd.Categorical(df[col], categories=list(vocab)).codes
        dummy_columns += [(codes, vocab.index(lv), prefix + lv) for lv in levels[prefix]]
    names = list(numeric) + [name for _, _, name in dummy_columns]

    buffer = [np.empty(0)]  # reused between calls: fresh pages cost more than filling

    def rows(start: int, stop: int) -> np.ndarray:
        n = max(0, min(stop, len(df)) - start)
        if buffer[0].size < n * len(names):
            buffer[0] = np.empty(n * len(names))
        x = buffer[0][: n * len(names)].reshape((n, len(names)), order="F")
        for j, values in enumerate(numeric.values()):
            x[:, j] = 1.0 if values is None else values[start:stop]
        for j, (codes, i, _) in enumerate(dummy_columns, start=len(numeric)):
            np.equal(codes[start:stop], i, out=x[:, j], casting="unsafe")
        return x

    return rows, names


def _rate_design(
    df: pd.DataFrame, levels: dict[str, tuple[str, ...]] | None = None
) -> tuple[np.ndarray, list[str]]:
    """Design matrix of the rate model; ``levels`` fixes the dummy columns (for prediction)."""
    rows, names = _rate_design_rows(df, levels)
    return rows(0, len(df)), names


def _levels(names: list[str]) -> dict[str, tuple[str, ...]]:
    prefixes = (NICHE_PREFIX, REGION_PREFIX, CHANNEL_PREFIX, LEVEL_PREFIX)
    return {p: tuple(n[len(p) :] for n in names if n.startswith(p)) for p in prefixes}


def _fit_rates(
    con: duckdb.DuckDBPyConnection, since: date | str | None, until: date | str | None
) -> tuple[Fit, pd.DataFrame, np.ndarray]:
    """The rate model's fit, its rows and the row count of each design column.

    Shared per read-only connection (rate_drivers, referral_premium and rate_band
    of one report fit the same model).
    """
    lo, hi = _params.window(since, until)
    return _cache.shared(con, ("rate_model", lo, hi), lambda: _compute_rates(con, lo, hi))


def _rate_rows(
    con: duckdb.DuckDBPyConnection,
    lo: datetime,
    hi: datetime,
    niche: str | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """Hourly contracts with the rate drivers (``rate_features.sql``).

    Shared per read-only connection: the rate model and ``rate_trajectory`` of one
    report read the same rows. Callers must not modify the frame.
    """
    return _cache.shared(
        con,
        ("rate_features", lo, hi, niche, region),
        lambda: _sql.run_categorical(
            con, "rate_features", _CATEGORIES, since=lo, until=hi, niche=niche, region=region
        ),
    )


def _compute_rates(
    con: duckdb.DuckDBPyConnection, lo: datetime, hi: datetime
) -> tuple[Fit, pd.DataFrame, np.ndarray]:
    df = _rate_rows(con, lo, hi)
    if len(df) < 50:
        raise ValueError(f"too few hourly contracts to model rates (n={len(df)})")
    fit, column_sums = _fit_rate_model(df)
    return fit, df, column_sums


def _fit_rate_model(df: pd.DataFrame) -> tuple[Fit, np.ndarray]:
    """OLS of log rate on the drivers of rows of ``rate_features.sql``, clustered by freelancer.

    Returns the fit and the design's column sums (``bench/bench_rate_model.py`` fits
    it on training folds).
    """
    rows, names = _rate_design_rows(df)
    return ols_by_blocks(
        rows,
        len(df),
        np.log(df.hourly_rate.to_numpy(float)),
        names,
        df.freelancer_id.to_numpy(),
    )


@analysis
def rate_drivers(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Drivers of agreed hourly rates: a log-linear regression with clustered intervals.

    log(rate) on niche, freelancer region, experience years, log(1 + reviews), mean
    rating (centred at 4.5, reviewed only), channel, the job's experience level and
    the small-and-wide start (after the fifth contract). Least squares on the log
    because premiums compound; standard errors are clustered by freelancer because
    each freelancer's contracts share their personal rate level.

    Returns
    -------
    pandas.DataFrame
        One row per term: ``term`` (named like the ``truth`` effects, e.g.
        ``rate_log_premium_niche__crypto_web3``), ``estimate`` (log points),
        ``se``, ``lo``, ``hi``, ``premium_pct`` (100·(e^estimate − 1)), ``n``
        (contracts), ``n_level`` (contracts at that level, for dummies), ``low_n``.
    """
    fit, df, column_sums = _fit_rates(con, since, until)
    table = fit.table()
    table["premium_pct"] = 100 * np.expm1(table.estimate)
    table["premium_pct_lo"] = 100 * np.expm1(table.lo)
    table["premium_pct_hi"] = 100 * np.expm1(table.hi)
    table["n_level"] = column_sums.round().astype(int)
    is_dummy = table.term.str.contains("__")
    table.loc[~is_dummy, "n_level"] = len(df)
    table["low_n"] = table.n_level < min_n
    return table


@analysis
def referral_premium(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
) -> pd.DataFrame:
    """Rate premium of each channel over applications, other drivers held fixed.

    Returns
    -------
    pandas.DataFrame
        One row per channel: ``channel``, ``estimate``, ``se``, ``lo``, ``hi``,
        ``premium_pct``, ``premium_pct_lo``, ``premium_pct_hi``, ``n_level``, ``low_n``
        (application is the reference, 0).
    """
    drivers = rate_drivers(con, since=since, until=until)
    rows = drivers[drivers.term.str.startswith(CHANNEL_PREFIX)].copy()
    rows.insert(0, "channel", rows.term.str[len(CHANNEL_PREFIX) :])
    return rows.drop(columns=["term"]).reset_index(drop=True)


@analysis
def rate_band(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str,
    region: str,
    experience_years: float,
    n_reviews: int,
    rating: float = 4.8,
    channel: str = "application",
    experience_level: str = "intermediate",
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """25th/50th/75th percentile hourly rate for a described profile.

    A location quantile model: quantile q of log(rate) = x·β + (q-quantile of the
    residuals), with β from :func:`rate_drivers`. It borrows strength across
    niches and regions, so thin cells still get an answer; ``n_comparable`` says
    how many contracts of the same niche and region, within ±3 years of
    experience, back it directly (and their own empirical quartiles are shown).

    Returns
    -------
    pandas.DataFrame
        One row per quantile (0.25, 0.5, 0.75): ``quantile``, ``rate_usd``,
        ``lo``, ``hi`` (95%, from the model's standard error), ``n_model``,
        ``n_comparable``, ``comparable_rate_usd``, ``low_n``.
    """
    niche = _params.choice(niche, taxonomy.NICHES, "niche")
    region = _params.choice(region, taxonomy.REGIONS, "region")
    channel = _params.choice(channel, taxonomy.CHANNELS, "channel")
    experience_level = _params.choice(
        experience_level, taxonomy.EXPERIENCE_LEVELS, "experience_level"
    )
    experience_years = _params.number(experience_years, "experience_years", 0, 60)
    rating = _params.number(rating, "rating", 1, 5)
    if isinstance(n_reviews, bool) or not isinstance(n_reviews, int) or n_reviews < 0:
        raise ValueError(f"n_reviews must be a non-negative integer; got {n_reviews!r}")

    fit, df, _ = _fit_rates(con, since, until)
    profile = pd.DataFrame(
        {
            "niche": [niche],
            "freelancer_region": [region],
            "channel": [channel],
            "experience_level": [experience_level],
            "experience_years": [experience_years],
            "n_reviews": [n_reviews],
            "rating": [rating],
            "is_small_and_wide_after_5": [False],
        }
    )
    x, _ = _rate_design(profile, _levels(fit.names))
    centre, se = fit.predict(x)
    comparable = df[
        (df.niche == niche)
        & (df.freelancer_region == region)
        & ((df.experience_years - experience_years).abs() <= 3)
    ]
    rows = []
    for q in (0.25, 0.5, 0.75):
        shift = float(np.quantile(fit.residuals, q))
        comp = (
            quantile_interval(comparable.hourly_rate.to_numpy(), q)[0]
            if len(comparable)
            else np.nan
        )
        rows.append(
            {
                "quantile": q,
                "rate_usd": float(np.exp(centre[0] + shift)),
                "lo": float(np.exp(centre[0] + shift - 1.96 * se[0])),
                "hi": float(np.exp(centre[0] + shift + 1.96 * se[0])),
                "n_model": fit.n,
                "n_comparable": len(comparable),
                "comparable_rate_usd": comp,
            }
        )
    out = pd.DataFrame(rows)
    out["low_n"] = out.n_comparable < min_n
    return out


@analysis
def rate_trajectory(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str | None = None,
    region: str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Median agreed hourly rate by years since the freelancer joined.

    Returns
    -------
    pandas.DataFrame
        One row per tenure year (0, 1, 2, 3, 4+): ``tenure_years``, ``n``,
        ``median_rate_usd``, ``lo``, ``hi`` (order-statistic 95%), ``low_n``.
    """
    lo, hi = _params.window(None, None)
    rows = _rate_rows(con, lo, hi, _params.niche_or_all(niche), _params.region_or_all(region))
    year = np.minimum(np.floor(rows.tenure_years.to_numpy(float)), 4).astype(int)
    df = pd.DataFrame(
        {
            "tenure_years": np.asarray(TENURE_YEARS)[year],
            "hourly_rate": rows.hourly_rate.to_numpy(float),
        }
    )
    out = quantiles_by_group(df, "tenure_years", "hourly_rate")
    out = out.rename(columns={"estimate": "median_rate_usd"})
    out = out.set_index("tenure_years").reindex(list(TENURE_YEARS)).reset_index()
    out["n"] = out.n.fillna(0).astype(int)
    out["low_n"] = out.n < min_n
    return out


POSTED_MEASURES = ("posted_hourly_low", "posted_hourly_mid", "posted_hourly_high", "fixed_budget")


@analysis
def posted_pay(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str | None = None,
    region: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """What clients post: hourly ranges and fixed budgets of the postings asked about.

    This is asking pay, not agreed pay: the range a client posts before any proposal.
    It is what real postings dumps hold; agreed rates need contracts
    (:func:`rate_band`). Placeholder budgets ($5 or less) are left out. ``region`` is
    the client's region. The window defaults to the span of the postings.

    Returns
    -------
    pandas.DataFrame
        One row per measure (``posted_hourly_low``, ``posted_hourly_mid``,
        ``posted_hourly_high``, ``fixed_budget``): ``measure``, ``n`` (postings),
        ``p25_usd``, ``median_usd``, ``median_usd_lo``, ``median_usd_hi``
        (order-statistic 95%), ``p75_usd``, ``low_n``. Quantiles are null when ``n``
        is 0.
    """
    lo, hi = _sql.data_window(con, since, until)
    values = _sql.arrays(
        con,
        "posted_pay",
        since=lo,
        until=hi,
        niche=_params.niche_or_all(niche),
        region=_params.region_or_all(region),
    )
    measure = np.asarray(values["measure"], dtype=int)
    amount = _sql.as_float(values["value_usd"])
    rows = []
    for code, name in enumerate(POSTED_MEASURES):
        x = amount[measure == code]
        est, m_lo, m_hi = quantile_interval(x)
        rows.append(
            {
                "measure": name,
                "n": len(x),
                "p25_usd": float(np.quantile(x, 0.25)) if len(x) else np.nan,
                "median_usd": est,
                "median_usd_lo": m_lo,
                "median_usd_hi": m_hi,
                "p75_usd": float(np.quantile(x, 0.75)) if len(x) else np.nan,
            }
        )
    out = pd.DataFrame(rows)
    out["low_n"] = out.n < min_n
    return out
