"""Pricing: what drives agreed hourly rates, and what a described profile can charge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import numpy as np
import pandas as pd

from fdsa import taxonomy
from fdsa.analysis import _cache, _params, _sql
from fdsa.analysis._frames import analysis
from fdsa.analysis._stats import (
    Fit,
    cluster_quantile_interval,
    dummy_levels,
    group_sums,
    ols,
    ols_by_blocks,
    quantile_interval,
)
from fdsa.taxonomy import TENURE_YEARS

NICHE_PREFIX = "rate_log_premium_niche__"
REGION_PREFIX = "rate_log_premium_region__"
CHANNEL_PREFIX = "rate_log_premium_channel__"
LEVEL_PREFIX = "rate_log_premium_experience_level__"

_CATEGORIES = ("niche", "freelancer_region", "channel", "experience_level")
BID_ROWS_MAX = 2_500_000
"""Largest number of hourly bids the rate model reads; above it, a deterministic
sample of postings (all their bids) is used."""

# dummy blocks of the within-freelancer step (region does not vary within a freelancer)
_DUMMIES = (
    ("niche", taxonomy.NICHES, taxonomy.REFERENCE_NICHE, NICHE_PREFIX),
    ("channel", taxonomy.CHANNELS, "application", CHANNEL_PREFIX),
    ("experience_level", taxonomy.EXPERIENCE_LEVELS, "intermediate", LEVEL_PREFIX),
)


@dataclass(frozen=True)
class RateModel:
    """The two steps of the bid model and the rows they were fitted on."""

    within: Fit  # drivers that vary within a freelancer (freelancer effects removed)
    between: Fit  # intercept and region premiums, one row per freelancer
    rows: pd.DataFrame
    column_sums: np.ndarray  # rows at each level of the within design's columns
    region_counts: dict[str, int]  # bids per region
    residuals: np.ndarray  # each bid's deviation from the model (freelancer level included)


def _rate_levels(df: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Levels of each dummy block present in ``df`` (all but the reference), by prefix."""
    return {
        prefix: tuple(lv for _, lv in dummy_levels(df[col], vocab, ref)[1])
        for col, vocab, ref, prefix in _DUMMIES
    }


def _rate_design_rows(
    df: pd.DataFrame, levels: dict[str, tuple[str, ...]] | None = None
) -> tuple[Callable[[int, int], np.ndarray], list[str]]:
    """Column names of the within design and a function building its rows ``start:stop``.

    The columns are prepared once as numpy arrays (numeric drivers, category
    codes); each call fills one column-major block from slices of them, so the
    model can be fitted block by block without ever holding the whole design. A
    block is overwritten by the next call.
    """
    levels = _rate_levels(df) if levels is None else levels
    reviewed = (df.n_reviews > 0).to_numpy()
    numeric = {
        "rate_log_per_experience_year": df.experience_years.to_numpy(float),
        "rate_log_per_log1p_review": np.log1p(df.n_reviews.to_numpy(float)),
        "rate_log_per_star": np.where(reviewed, df.rating.fillna(4.5).to_numpy(float) - 4.5, 0.0),
        "rate_log_premium_small_and_wide_after_5": df.is_small_and_wide_after_5.to_numpy(float),
        "rate_log_premium_new_client": df.is_new_client.to_numpy(float),
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
            x[:, j] = values[start:stop]
        for j, (codes, i, _) in enumerate(dummy_columns, start=len(numeric)):
            np.equal(codes[start:stop], i, out=x[:, j], casting="unsafe")
        return x

    return rows, names


def _rate_design(
    df: pd.DataFrame, levels: dict[str, tuple[str, ...]] | None = None
) -> tuple[np.ndarray, list[str]]:
    """Within design matrix of the bid model; ``levels`` fixes the dummy columns."""
    rows, names = _rate_design_rows(df, levels)
    return rows(0, len(df)), names


def _levels(names: list[str]) -> dict[str, tuple[str, ...]]:
    prefixes = (NICHE_PREFIX, CHANNEL_PREFIX, LEVEL_PREFIX)
    return {p: tuple(n[len(p) :] for n in names if n.startswith(p)) for p in prefixes}


def _bid_rows(
    con: duckdb.DuckDBPyConnection,
    lo: datetime,
    hi: datetime,
    niche: str | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """Hourly bids with their drivers (``bid_features.sql``), sampled above the cap.

    Shared per read-only connection. Callers must not modify the frame.
    """

    def compute() -> pd.DataFrame:
        n = con.execute(
            """select count(*) from proposals as p join jobs as j using (job_id)
               where j.job_type = 'hourly' and p.bid_amount > 0
                 and j.posted_at >= $since and j.posted_at < $until""",
            {"since": lo, "until": hi},
        ).fetchall()[0][0]
        return _sql.run_categorical(
            con,
            "bid_features",
            _CATEGORIES,
            since=lo,
            until=hi,
            niche=niche,
            region=region,
            sample_below=_sql.sample_below(n, BID_ROWS_MAX),
        )

    return _cache.shared(con, ("bid_features", lo, hi, niche, region), compute)


def _fit_rates(
    con: duckdb.DuckDBPyConnection, since: date | str | None, until: date | str | None
) -> RateModel:
    """The bid model; shared per read-only connection (rate_drivers, referral_premium
    and rate_band of one report fit the same model).
    """
    lo, hi = _params.window(since, until)
    return _cache.shared(
        con, ("rate_model", lo, hi), lambda: _compute_rates(con, lo, hi), batch=True
    )


def _compute_rates(con: duckdb.DuckDBPyConnection, lo: datetime, hi: datetime) -> RateModel:
    df = _bid_rows(con, lo, hi)
    if len(df) < 50:
        raise ValueError(f"too few hourly bids to model rates (n={len(df)})")
    return _fit_rate_model(df)


def _labels(values: pd.Series) -> np.ndarray:
    """``values.astype(str)`` as a numpy array; a categorical converts its few
    categories, not its millions of rows.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        names = np.append(values.cat.categories.astype(str).to_numpy(dtype=object), "nan")
        return names[values.cat.codes.to_numpy()]  # code -1 (missing) takes the last
    return values.astype(str).to_numpy(dtype=object)


def _fit_rate_model(df: pd.DataFrame) -> RateModel:
    """The two-step rate model on rows of ``rate_features.sql`` (see :func:`rate_drivers`).

    A pure function of the rows, so ``bench/bench_rate_model.py`` can fit it on
    training folds.
    """
    codes, freelancers = pd.factorize(df.freelancer_id, sort=False)
    g, n = len(freelancers), len(df)
    y = np.log(df.hourly_rate.to_numpy(float))
    rows, names = _rate_design_rows(df)
    k = len(names)
    per_freelancer = np.bincount(codes, minlength=g).astype(float)
    x_means = np.zeros((g, k))
    block = 1 << 17
    for start in range(0, n, block):
        x = rows(start, start + block)
        x_means += group_sums(codes[start : start + block], x, g)
    column_sums = x_means.sum(axis=0)  # rows at each level of the design's columns
    x_means /= per_freelancer[:, None]
    y_means = np.bincount(codes, weights=y, minlength=g) / per_freelancer

    buffer = [np.empty((0, k))]  # reused between calls, like the rows' own buffer

    def demeaned(start: int, stop: int) -> np.ndarray:
        """Rows ``start:stop`` less their freelancer's means, row-major (the sums
        by cluster read rows).
        """
        x = rows(start, stop)
        if len(buffer[0]) < len(x):
            buffer[0] = np.empty((len(x), k))
        out = buffer[0][: len(x)]
        np.take(x_means, codes[start:stop], axis=0, out=out)
        return np.subtract(x, out, out=out)

    within, _ = ols_by_blocks(
        demeaned,
        n,
        y - y_means[codes],
        names,
        df.freelancer_id.to_numpy(),
        second_clusters=df.job_id.to_numpy(),
    )
    level = y_means - x_means @ within.coef  # each freelancer's own level
    regions = _labels(df.freelancer_region)
    region_of = np.empty(g, dtype=object)
    region_of[codes] = regions
    region_codes, region_levels = dummy_levels(
        pd.Series(region_of), taxonomy.REGIONS, taxonomy.REFERENCE_REGION
    )
    between_names = ["intercept"] + [REGION_PREFIX + lv for _, lv in region_levels]
    xb = np.column_stack(
        [np.ones(g)] + [(region_codes == i).astype(float) for i, _ in region_levels]
    )
    between = ols(xb, level, between_names)
    if within.residuals is None or between.residuals is None:  # ols always returns them
        raise RuntimeError("the rate model's fits lost their residuals")
    residuals = within.residuals + between.residuals[codes]
    counts = pd.Series(regions).value_counts()
    return RateModel(
        within=within,
        between=between,
        rows=df,
        column_sums=column_sums,
        region_counts={str(r): int(c) for r, c in counts.items()},
        residuals=residuals,
    )


@analysis
def rate_drivers(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Drivers of hourly bids (the agreed rate is the hired bid), with clustered intervals.

    log(bid) on the posting's niche and level, the channel, experience years,
    log(1 + reviews), mean rating (centred at 4.5, reviewed only), the small-and-wide
    start (once the fifth contract has started) and a new client (no contract with
    this client started before), all as of the proposal, plus freelancer region.
    Fitted on every hourly bid, hired or not: clients pick low bids more often, so
    agreed rates alone are a selected sample. Two steps, because each freelancer's
    personal price level (unobserved) also moves how often they win and so how
    many reviews they have: (1) the drivers that vary within a freelancer, with
    freelancer fixed effects (within estimator; errors clustered two ways, by
    freelancer and by posting, since bids on one posting share what the posting
    asks for beyond the terms, e.g. a well-paid skill pair);
    (2) the freelancer levels left after step 1 (one row per freelancer) on region,
    which gives the ``intercept`` (bi_dashboards, intermediate level, application,
    repeat client, no experience or reviews, north_america) and the region
    premiums. Above 2.5M bids a deterministic sample of postings is used.

    Returns
    -------
    pandas.DataFrame
        One row per term: ``term`` (named like the ``truth`` effects, e.g.
        ``rate_log_premium_niche__crypto_web3``), ``estimate`` (log points),
        ``se``, ``lo``, ``hi``, ``premium_pct`` (100·(e^estimate − 1)), ``n``
        (bids for step-1 terms, freelancers for the intercept and regions),
        ``n_level`` (bids at that level, for dummies and regions), ``low_n``.
    """
    model = _fit_rates(con, since, until)
    within = model.within.table()
    within["n_level"] = model.column_sums.round().astype(int)
    is_dummy = within.term.str.contains("__")
    within.loc[~is_dummy, "n_level"] = len(model.rows)
    between = model.between.table()
    between["n_level"] = [
        len(model.rows) if t == "intercept" else model.region_counts.get(t[len(REGION_PREFIX) :], 0)
        for t in between.term
    ]
    table = pd.concat([between.iloc[:1], within, between.iloc[1:]], ignore_index=True)
    table["premium_pct"] = 100 * np.expm1(table.estimate)
    table["premium_pct_lo"] = 100 * np.expm1(table.lo)
    table["premium_pct_hi"] = 100 * np.expm1(table.hi)
    table["low_n"] = table.n_level < min_n
    columns = ["term", "estimate", "se", "lo", "hi", "premium_pct", "premium_pct_lo"]
    return table[[*columns, "premium_pct_hi", "n", "n_level", "low_n"]]


@analysis
def referral_premium(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
) -> pd.DataFrame:
    """Bid premium of each channel over applications, other drivers held fixed.

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


def _predict_log_rate(model: RateModel, rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Expected log bid of profiles ``rows`` (the columns of ``rate_features.sql``), and its se.

    Both steps of the model: the drivers that vary within a freelancer plus the
    level of the freelancer's region; a profile's own personal level is unknown, so
    its spread is in the residuals, not here.
    """
    x, _ = _rate_design(rows, _levels(model.within.names))
    within_centre, within_se = model.within.predict(x)
    regions = rows.freelancer_region.astype(str).to_numpy()
    xb = np.column_stack(
        [np.ones(len(rows))]
        + [(regions == t[len(REGION_PREFIX) :]).astype(float) for t in model.between.names[1:]]
    )
    between_centre, between_se = model.between.predict(xb)
    return within_centre + between_centre, np.sqrt(within_se**2 + between_se**2)


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
    new_client: bool = True,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """25th/50th/75th percentile hourly bid for a described profile.

    A location quantile model: quantile q of log(bid) = x·β + (q-quantile of the
    residuals), with β from :func:`rate_drivers` (both steps; the residuals include
    the spread of freelancers' personal levels). It borrows strength across niches
    and regions, so thin cells still get an answer; ``n_comparable`` says how many
    bids of the same niche and region, within ±3 years of experience, back it
    directly (and their own empirical quantiles are shown). A region with fewer than
    ``min_n`` bids in the model has no level of its own: the band is then not
    borrowed from the reference region but spans every measured region's (centre:
    their median; ``basis`` = ``every region`` instead of ``this profile``), and
    ``low_n`` is set. ``new_client``: bidding to a client the freelancer has not
    worked for (the usual case).

    Returns
    -------
    pandas.DataFrame
        One row per quantile (0.25, 0.5, 0.75): ``quantile``, ``rate_usd``,
        ``lo``, ``hi`` (95%, from the model's standard error), ``n_model``,
        ``n_region`` (bids from the region in the model), ``n_comparable``,
        ``comparable_rate_usd``, ``basis``, ``low_n``.
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

    model = _fit_rates(con, since, until)
    df = model.rows
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
            "is_new_client": [bool(new_client)],
        }
    )
    n_region = int((df.freelancer_region == region).sum())
    basis = "this profile"
    if n_region < min_n:
        # no level of its own for this region: every measured region's band, not the reference's
        measured = df.freelancer_region.value_counts()
        regions = [r for r in taxonomy.REGIONS if measured.get(r, 0) >= min_n]
        profile = pd.concat([profile] * len(regions), ignore_index=True)
        profile["freelancer_region"] = regions
        basis = "every region"
    centres, ses = _predict_log_rate(model, profile)
    comparable = df[
        (df.niche == niche)
        & (df.freelancer_region == region)
        & ((df.experience_years - experience_years).abs() <= 3)
    ]
    rows = []
    for q in (0.25, 0.5, 0.75):
        shift = float(np.quantile(model.residuals, q))
        comp = (
            quantile_interval(comparable.hourly_rate.to_numpy(), q)[0]
            if len(comparable)
            else np.nan
        )
        rows.append(
            {
                "quantile": q,
                "rate_usd": float(np.exp(np.median(centres) + shift)),
                "lo": float(np.exp(np.min(centres - 1.96 * ses) + shift)),
                "hi": float(np.exp(np.max(centres + 1.96 * ses) + shift)),
                "n_model": model.within.n,
                "n_region": n_region,
                "n_comparable": len(comparable),
                "comparable_rate_usd": comp,
                "basis": basis,
            }
        )
    out = pd.DataFrame(rows)
    out["low_n"] = (out.n_comparable < min_n) | (out.basis != "this profile")
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

    A freelancer's contracts share the freelancer's price level, so the interval is
    cluster-robust by freelancer (Woodruff, :func:`fdsa.analysis._stats.cluster_quantile_interval`);
    order statistics that treat contracts as independent are 1.2–2.4 times too narrow.

    Returns
    -------
    pandas.DataFrame
        One row per tenure year (0, 1, 2, 3, 4+): ``tenure_years``, ``n``,
        ``median_rate_usd``, ``lo``, ``hi`` (cluster-robust 95%), ``low_n``.
    """
    rows = _sql.arrays(
        con,
        "contract_rates",
        niche=_params.niche_or_all(niche),
        region=_params.region_or_all(region),
    )
    tenure = _sql.as_float(rows["tenure_years"])
    year = np.clip(np.floor(tenure), 0, 4).astype(int)
    n, est, lo, hi = cluster_quantile_interval(
        _sql.as_float(rows["hourly_rate"]),
        np.asarray(rows["freelancer_id"], dtype=np.int64),
        year,
        len(TENURE_YEARS),
    )
    out = pd.DataFrame(
        {"tenure_years": list(TENURE_YEARS), "n": n, "median_rate_usd": est, "lo": lo, "hi": hi}
    )
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


POSTED_REGION_PREFIX = "posted_rate_log_premium_client_region__"
POSTED_NICHE_PREFIX = "posted_rate_log_premium_niche__"
POSTED_LEVEL_PREFIX = "posted_rate_log_premium_experience_level__"


@analysis
def posted_rate_premiums(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """What clients of each region post for hourly work, other things equal.

    Least squares of the log midpoint of each hourly posting's range on the client's
    region, the niche and the experience level asked (postings without a level get a
    column of their own). Reference levels: clients in north_america, bi_dashboards,
    intermediate. Errors are clustered by client (one client's postings share its
    budget habits; CR1). Asking pay, not agreed pay; it works on postings-only
    warehouses. The window defaults to the span of the postings.

    Returns
    -------
    pandas.DataFrame
        One row per term (``intercept``, ``posted_rate_log_premium_client_region__<r>``,
        ``posted_rate_log_premium_niche__<n>``,
        ``posted_rate_log_premium_experience_level__<l>``): ``term``, ``estimate``
        (log points), ``se``, ``lo``, ``hi``, ``premium_pct`` (+ ``_lo``, ``_hi``),
        ``n`` (postings), ``n_level`` (postings at that level), ``low_n``.
    """
    lo, hi = _sql.data_window(con, since, until)
    df = _sql.run(con, "posted_rate_rows", since=lo, until=hi)
    if len(df) < 50:
        raise ValueError(f"too few hourly postings with a range (n={len(df)})")
    blocks = [
        ("region", taxonomy.REGIONS, taxonomy.REFERENCE_REGION, POSTED_REGION_PREFIX),
        ("niche", taxonomy.NICHES, taxonomy.REFERENCE_NICHE, POSTED_NICHE_PREFIX),
        ("experience_level", taxonomy.EXPERIENCE_LEVELS, "intermediate", POSTED_LEVEL_PREFIX),
    ]
    columns = {"intercept": np.ones(len(df))}
    for col, vocab, reference, prefix in blocks:
        codes, present = dummy_levels(df[col], vocab, reference)
        columns.update({prefix + lv: (codes == i).astype(float) for i, lv in present})
    unknown = df.experience_level.isna().to_numpy()
    if unknown.any() and not unknown.all():
        columns[POSTED_LEVEL_PREFIX + "unknown"] = unknown.astype(float)
    x = np.column_stack(list(columns.values()))
    fit = ols(x, df.log_mid.to_numpy(float), list(columns), df.cluster_id.to_numpy())
    table = fit.table()
    table["premium_pct"] = 100 * np.expm1(table.estimate)
    table["premium_pct_lo"] = 100 * np.expm1(table.lo)
    table["premium_pct_hi"] = 100 * np.expm1(table.hi)
    table["n_level"] = [int(v.sum()) for v in columns.values()]
    table["low_n"] = table.n_level < min_n
    return table
