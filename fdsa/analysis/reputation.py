"""Reputation: how reviews and ratings change the chance of being hired, and how ratings inflate."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from fdsa import taxonomy
from fdsa.analysis import _cache, _params, _sql
from fdsa.analysis._frames import analysis
from fdsa.analysis._stats import Fit, conditional_logit, dummies, glm, two_group_logit, wilson
from fdsa.taxonomy import REVIEW_BUCKETS

REPUTATIONS = ("no reviews", "reviewed")
BID_BANDS = ("30%+ below", "10-30% below", "within 10%", "10-30% above", "30%+ above")
_BID_BAND_EDGES = (-np.inf, np.log(0.7), np.log(0.9), np.log(1.1), np.log(1.3), np.inf)
PRICE_TERMS = {
    "no reviews": "hire_logodds_per_log_bid_ratio__no_reviews",
    "reviewed": "hire_logodds_per_log_bid_ratio__reviewed",
}
CHOICE_ROWS_MAX = 3_000_000
"""Largest number of proposals the choice model reads; above it, a deterministic
sample of postings (whole choice sets) is used."""


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


def _choice_sets(con: duckdb.DuckDBPyConnection, lo, hi, niche: str | None) -> pd.DataFrame:
    """Decided proposals of postings that hired exactly one (``choice_sets.sql``), with
    each proposal's log bid relative to its posting's going rate (the mean log bid of
    the posting's decided proposals). Shared per read-only connection.
    """

    def compute() -> pd.DataFrame:
        n = con.execute(
            """select count(*) from proposals as p join jobs as j using (job_id)
               where p.outcome in ('hired', 'not_hired')
                 and j.posted_at >= $since and j.posted_at < $until""",
            {"since": lo, "until": hi},
        ).fetchall()[0][0]
        df = _sql.run_categorical(
            con,
            "choice_sets",
            ("channel",),
            since=lo,
            until=hi,
            niche=niche,
            lower_regions=list(taxonomy.LOWER_INCOME_REGIONS),
            sample_below=_sql.sample_below(n, CHOICE_ROWS_MAX),
        )
        job = df.job_id.to_numpy()
        starts = np.flatnonzero(np.r_[True, job[1:] != job[:-1]]) if len(df) else np.zeros(0, int)
        index = np.cumsum(np.r_[True, job[1:] != job[:-1]]) - 1 if len(df) else np.zeros(0, int)
        log_bid = df.log_bid.to_numpy(float)
        if len(df):
            going = np.add.reduceat(log_bid, starts) / np.diff(np.r_[starts, len(df)])
            df["log_bid_ratio"] = log_bid - going[index]
        else:
            df["log_bid_ratio"] = log_bid
        df["reputation"] = pd.Categorical.from_codes(
            (df.n_reviews.to_numpy() > 0).astype(np.int8), categories=list(REPUTATIONS)
        )
        df["rating_percentile"] = rating_percentile(df.rating, df.year, df.n_reviews > 0)
        return df

    return _cache.shared(con, ("choice_sets", lo, hi, niche), compute)


RATING_SCALES = ("stars", "percentile")
HIRE_ERRORS = ("freelancer", "model")


def rating_percentile(rating: pd.Series, period: pd.Series, reviewed: pd.Series) -> np.ndarray:
    """Each rating read against its period: its mid-rank percentile (0–1) among the
    reviewed rows of the same period; NaN for rows without reviews.

    Ratings inflate (a 4.8 is common in 2025 and rare in 2021), so a rating means more
    next to its period's distribution: 0.5 is the period's middle, whatever the stars.
    """
    mine = reviewed.to_numpy(bool) & rating.notna().to_numpy()
    out = np.full(len(rating), np.nan)
    ranks = rating[mine].groupby(period[mine].to_numpy()).rank(method="average")
    sizes = rating[mine].groupby(period[mine].to_numpy()).transform("size")
    out[mine] = ((ranks - 0.5) / sizes).to_numpy(float)
    return out


def _choice_design(df: pd.DataFrame, rating: str = "stars") -> tuple[np.ndarray, list[str]]:
    """Design of the choice model for rows of :func:`_choice_sets`.

    ``rating="stars"``: mean stars centred at 4.5 (``hire_logodds_per_star``);
    ``"percentile"``: the rating's percentile within its year, centred at 0.5
    (``hire_logodds_per_rating_percentile``: from the bottom to the top of the year).
    """
    reviewed = (df.n_reviews > 0).to_numpy(float)
    log_reviews = np.log1p(df.n_reviews.to_numpy(float))
    if rating == "percentile":
        rating_term = "hire_logodds_per_rating_percentile"
        centred = df.rating_percentile.fillna(0.5).to_numpy(float) - 0.5
    else:
        rating_term = "hire_logodds_per_star"
        centred = df.rating.fillna(4.5).to_numpy(float) - 4.5
    centred_rating = np.where(reviewed > 0, centred, 0.0)
    lower = df.is_lower_income.to_numpy(float)
    ratio = df.log_bid_ratio.to_numpy(float)
    channels = dummies(df.channel, taxonomy.CHANNELS, "application", "hire_logodds_channel__")
    columns = {
        **{c: channels[c].to_numpy() for c in channels},
        "hire_logodds_first_review": reviewed,
        "hire_logodds_per_log1p_review": log_reviews,
        rating_term: centred_rating,
        "hire_logodds_region_penalty_at_zero_reviews": lower,
        "hire_logodds_region_recovery_per_log1p_review": lower * log_reviews,
        PRICE_TERMS["no reviews"]: ratio * (1 - reviewed),
        PRICE_TERMS["reviewed"]: ratio * reviewed,
    }
    return _stack(list(columns.values())), list(columns)


def _stack(columns: list[np.ndarray], rows: int = 1 << 14) -> np.ndarray:
    """``np.column_stack(columns)`` of float columns, filled a block of rows at a time
    (one strided write per column and block stays in cache; about 3× faster than
    ``column_stack`` on millions of rows).
    """
    n = len(columns[0]) if columns else 0
    out = np.empty((n, len(columns)))
    for lo in range(0, n, rows):
        block = out[lo : lo + rows]
        for j, column in enumerate(columns):
            block[:, j] = column[lo : lo + rows]
    return out


@analysis
def hire_model(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    niche: str | None = None,
    errors: str = "freelancer",
    rating: str = "stars",
) -> pd.DataFrame:
    """How clients choose among a posting's proposals: a conditional logit.

    Each posting that hired exactly one freelancer is a choice among its decided
    proposals (hired or not hired; withdrawn and declined ones were not on offer).
    P(proposal i is picked) = exp(u_i) / Σ exp(u_j) over the posting's proposals,
    with u = channel + [≥ 1 review] + log(1 + reviews) + mean rating (centred at 4.5,
    reviewed only) + lower-income region penalty and its recovery per log(1 + reviews)
    + the bid's log ratio to the posting's going rate (mean log bid of its decided
    proposals), separately for freelancers without and with reviews. Reputation is as
    of the proposal. Whatever is common to a posting (its client, pay, competition)
    cancels, so there is no intercept; the chance that a posting is filled at all is
    :func:`fdsa.analysis.channels.declined_invites`. Estimates are utilities
    (log-odds between two proposals of one posting): ``odds_ratio = exp(estimate)``.
    Above 3M proposals a deterministic sample of postings is used (``n`` says how
    many proposals).

    ``errors="freelancer"`` (the default) gives two-way cluster-robust intervals
    (by freelancer and by posting): on real data one freelancer's proposals share
    what the model does not see (profile, skill), and model-based errors would be too
    narrow. ``errors="model"`` gives the model-based (inverse Hessian) intervals,
    right when the model is true (the synthetic market). ``rating="percentile"``
    reads each rating against its year (:func:`rating_percentile`) instead of in
    stars, so that inflation of ratings over the years does not move the term.
    These are associations in observational data, not effects of changing a profile.

    Returns
    -------
    pandas.DataFrame
        One row per term: ``term``, ``estimate``, ``se``, ``lo``, ``hi``, ``n``
        (proposals), ``odds_ratio`` with ``odds_ratio_lo`` and ``odds_ratio_hi`` (e to
        the interval's ends), ``n_hired`` (postings, one hire each), ``low_n``.
    """
    lo, hi = _params.window(since, until)
    niche = _params.niche_or_all(niche)
    errors = _params.choice(errors, HIRE_ERRORS, "errors")
    rating = _params.choice(rating, RATING_SCALES, "rating")
    key = ("hire_model", lo, hi, niche, errors, rating)
    return _cache.shared(
        con, key, lambda: _hire_model(con, lo, hi, niche, errors, rating), batch=True
    ).copy()


def _hire_model(
    con: duckdb.DuckDBPyConnection, lo, hi, niche: str | None, errors: str, rating: str
) -> pd.DataFrame:
    df = _choice_sets(con, lo, hi, niche)
    n_hired = int(df.is_hired.sum())
    if n_hired < 30:
        raise ValueError(f"too few filled postings to fit the choice model (n={n_hired})")
    x, names = _choice_design(df, rating)
    chosen, groups = df.is_hired.to_numpy(), df.job_id.to_numpy()

    def optimum() -> tuple[np.ndarray, np.ndarray]:
        fit = conditional_logit(x, chosen, groups, names)
        return fit.coef, fit.cov

    # one set of iterations for both kinds of intervals (same coefficients)
    found = _cache.shared(con, ("choice_optimum", lo, hi, niche, rating), optimum)
    fit = conditional_logit(
        x,
        chosen,
        groups,
        names,
        clusters=df.freelancer_id.to_numpy() if errors == "freelancer" else None,
        optimum=found,
    )
    table = fit.table()
    table["odds_ratio"] = np.exp(table.estimate)
    table["odds_ratio_lo"] = np.exp(table.lo)
    table["odds_ratio_hi"] = np.exp(table.hi)
    table["n_hired"] = n_hired
    table["low_n"] = table.n_hired < 100
    return table


@analysis
def price_effect(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    niche: str | None = None,
    min_n: int = 100,
) -> pd.DataFrame:
    """How much a lower bid raises the chance of being picked, without and with reviews.

    The price terms of :func:`hire_model`: the change in the log-odds of being picked
    over a rival proposal of the same posting per log point of bid relative to the
    posting's going rate, estimated separately for freelancers without reviews
    (novices) and with at least one (veterans), other terms held fixed.
    ``odds_ratio_10pct_lower`` is the odds of being picked after bidding 10% lower,
    relative to before (with its interval).

    Returns
    -------
    pandas.DataFrame
        One row per reputation (``no reviews``, ``reviewed``): ``reputation``,
        ``term``, ``estimate``, ``se``, ``lo``, ``hi``, ``odds_ratio_10pct_lower``
        (+ ``_lo``, ``_hi``), ``n`` (their proposals in the fit), ``n_hired``
        (their hires), ``low_n`` (fewer than ``min_n`` hires).
    """
    lo, hi = _params.window(since, until)
    niche = _params.niche_or_all(niche)
    model = hire_model(con, since=since, until=until, niche=niche).set_index("term")
    df = _choice_sets(con, lo, hi, niche)
    rows = []
    shift = np.log(0.9)
    for reputation, term in PRICE_TERMS.items():
        mine = df.reputation == reputation
        fit = model.loc[term]
        rows.append(
            {
                "reputation": reputation,
                "term": term,
                "estimate": fit.estimate,
                "se": fit.se,
                "lo": fit.lo,
                "hi": fit.hi,
                "odds_ratio_10pct_lower": float(np.exp(shift * fit.estimate)),
                "odds_ratio_10pct_lower_lo": float(np.exp(shift * fit.hi)),
                "odds_ratio_10pct_lower_hi": float(np.exp(shift * fit.lo)),
                "n": int(mine.sum()),
                "n_hired": int(df.is_hired[mine].sum()),
            }
        )
    out = pd.DataFrame(rows)
    out["low_n"] = out.n_hired < min_n
    return out


@analysis
def win_rate_by_relative_bid(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    niche: str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Share of proposals picked, by bid relative to the posting's going rate.

    Among postings that hired exactly one of their decided proposals; the going
    rate is the mean log bid of those proposals. Bands of the bid / going-rate
    ratio: 30%+ below (< 0.7), 10-30% below, within 10%, 10-30% above, 30%+ above
    (> 1.3), separately for freelancers without and with reviews. Descriptive: other
    differences between the bands are not held fixed (see :func:`price_effect`).

    Returns
    -------
    pandas.DataFrame
        One row per reputation and band: ``reputation``, ``bid_band``, ``n``,
        ``n_hired``, ``win_rate``, ``lo``, ``hi`` (Wilson 95%), ``low_n``.
    """
    lo, hi = _params.window(since, until)
    df = _choice_sets(con, lo, hi, _params.niche_or_all(niche))
    band = pd.cut(df.log_bid_ratio, list(_BID_BAND_EDGES), labels=list(BID_BANDS), right=False)
    g = df.assign(bid_band=band).groupby(["reputation", "bid_band"], observed=False)
    out = g.is_hired.agg(["size", "sum"]).rename(columns={"size": "n", "sum": "n_hired"})
    full = pd.MultiIndex.from_product([REPUTATIONS, BID_BANDS], names=["reputation", "bid_band"])
    out = out.reindex(full, fill_value=0).reset_index()
    out["bid_band"] = out.bid_band.astype(str)
    out["n"] = out.n.astype(int)
    out["n_hired"] = out.n_hired.astype(int)
    n = out.n.where(out.n > 0)
    out["win_rate"] = out.n_hired / n
    out["lo"], out["hi"] = wilson(out.n_hired, n)
    out["low_n"] = out.n < min_n
    return out


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
    2021-01-01: the slope is the drift in log-odds per year. Where the source has the
    clients' private feedback, the trend is fitted on the reviews of privately
    satisfied clients only: that is inflation proper — public stars drifting up
    while private satisfaction does not (Filippas, Horton & Golden). The by-year
    table covers every review.

    Returns
    -------
    (by_year, trend)
        ``by_year``: ``year``, ``n``, ``n_top``, ``top_share``, ``lo``, ``hi``,
        ``mean_stars``, ``low_n``. ``trend``: one row, ``term``
        (``top_rating_logodds_per_year``), ``estimate``, ``se``, ``lo``, ``hi``, ``n``.
    """
    df, fit = _top_rating_fit(con, niche, since, until)
    by_year = (
        df.groupby("year")
        .agg(n=("stars", "size"), n_top=("is_top", "sum"), mean_stars=("stars", "mean"))
        .reset_index()
    )
    by_year["top_share"] = by_year.n_top / by_year.n
    by_year["lo"], by_year["hi"] = wilson(by_year.n_top, by_year.n)
    by_year["low_n"] = by_year.n < min_n
    trend = fit.table().iloc[[1]].reset_index(drop=True)
    return by_year[["year", "n", "n_top", "top_share", "lo", "hi", "mean_stars", "low_n"]], trend


def _top_rating_fit(
    con: duckdb.DuckDBPyConnection,
    niche: str | None,
    since: date | str | None,
    until: date | str | None,
) -> tuple[pd.DataFrame, Fit]:
    """Client reviews of the window and the logit of "5 stars" on years since 2021
    (on privately satisfied clients' reviews where the source has private feedback).
    """
    lo, hi = _params.window(since, until)
    df = _sql.run(con, "client_reviews", niche=_params.niche_or_all(niche), since=lo, until=hi)
    if len(df) < 20:
        raise ValueError(f"too few reviews to measure rating inflation (n={len(df)})")
    df["is_top"] = df.stars >= 5.0
    rows = df
    if df.is_privately_dissatisfied.notna().any():
        rows = df[df.is_privately_dissatisfied.eq(False)]
    x = np.column_stack([np.ones(len(rows)), rows.years_since_2021.to_numpy(float)])
    names = ["top_rating_logodds_at_2021", "top_rating_logodds_per_year"]
    return df, glm(x, rows.is_top.to_numpy(float), names, "logit")


@analysis
def top_rating_start(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
) -> pd.DataFrame:
    """Share of 5-star reviews at 2021-01-01, from the trend of :func:`rating_inflation`.

    The intercept of that logistic trend (privately satisfied clients where the
    source says so), turned into a share; the interval is the logistic of the
    intercept's 95% Wald interval (model-based). The baseline against which later
    ratings inflate.

    Returns
    -------
    pandas.DataFrame
        One row: ``term`` (``top_rating_share_at_start``), ``estimate``, ``lo``,
        ``hi``, ``n`` (reviews in the fit).
    """
    _, fit = _top_rating_fit(con, niche, since, until)
    row = fit.table().iloc[0]

    def expit(v: float) -> float:
        return float(1 / (1 + np.exp(-v)))

    return pd.DataFrame(
        [
            {
                "term": "top_rating_share_at_start",
                "estimate": expit(row.estimate),
                "lo": expit(row.lo),
                "hi": expit(row.hi),
                "n": int(fit.n),
            }
        ]
    )


@analysis
def starter_styles(
    con: duckdb.DuckDBPyConnection, *, niche: str | None = None, min_n: int = 30
) -> pd.DataFrame:
    """Starters "small and wide" versus "big first": later rates and earnings.

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


@analysis
def hidden_dissatisfaction(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """How often clients are privately dissatisfied, and how many of them still rate high.

    Needs the clients' private feedback (``reviews.is_privately_dissatisfied``): the
    synthetic market has it; public dumps do not.

    Returns
    -------
    pandas.DataFrame
        Rows ``private_dissatisfied_share`` (of client reviews),
        ``dissatisfied_rating_4plus_share`` (of dissatisfied clients' public stars,
        the share ≥ 4) and ``satisfied_rating_4plus_share``: ``measure``, ``n``,
        ``count``, ``estimate``, ``lo``, ``hi`` (Wilson 95%), ``low_n``.
    """
    lo, hi = _params.window(since, until)
    df = _sql.run(con, "client_reviews", niche=_params.niche_or_all(niche), since=lo, until=hi)
    df = df[df.is_privately_dissatisfied.notna()]
    if df.empty:
        raise ValueError("no private feedback in this warehouse (public dumps do not have it)")
    dissatisfied = df.is_privately_dissatisfied.astype(bool).to_numpy()
    high = (df.stars >= 4).to_numpy()
    parts = [
        ("private_dissatisfied_share", len(df), int(dissatisfied.sum())),
        ("dissatisfied_rating_4plus_share", int(dissatisfied.sum()), int(high[dissatisfied].sum())),
        (
            "satisfied_rating_4plus_share",
            int((~dissatisfied).sum()),
            int(high[~dissatisfied].sum()),
        ),
    ]
    out = pd.DataFrame(parts, columns=["measure", "n", "count"])
    n = out.n.where(out.n > 0)
    out["estimate"] = out["count"] / n
    out["lo"], out["hi"] = wilson(out["count"], n)
    out["low_n"] = out.n < min_n
    return out


@analysis
def rehire_after_dissatisfaction(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Whether clients come back to a freelancer who left them dissatisfied.

    For each posting of a client whose last ended contract (before the posting) has
    the client's private verdict, and whose freelancer is still active: was the
    posting offered to that freelancer as repeat work (a repeat-channel proposal)?
    Latent quality moves the verdict, and the verdict moves rehiring. A logistic
    regression of "offered" on "dissatisfied" gives the effect in log-odds.

    Returns
    -------
    (by_verdict, model)
        ``by_verdict``: ``verdict`` (satisfied, dissatisfied), ``n`` (postings),
        ``n_offered``, ``offer_rate``, ``lo``, ``hi`` (Wilson 95%), ``low_n``.
        ``model``: ``term`` (``rehire_offer_logodds_intercept``,
        ``rehire_offer_logodds_dissatisfied``), ``estimate``, ``se``, ``lo``,
        ``hi``, ``n``.
    """
    lo, hi = _params.window(since, until)
    df = _sql.run(con, "rehire_offers", niche=_params.niche_or_all(niche), since=lo, until=hi)
    if len(df) < 50 or df.is_dissatisfied.nunique() < 2 or df.is_offered.nunique() < 2:
        raise ValueError(f"too few returning clients to study rehiring (n={len(df)})")
    counts = df.groupby("is_dissatisfied").is_offered.agg(["size", "sum"]).reindex([False, True])
    rates, model = two_group_logit(
        counts["size"].fillna(0).to_numpy(),
        counts["sum"].fillna(0).to_numpy(),
        ["rehire_offer_logodds_intercept", "rehire_offer_logodds_dissatisfied"],
        min_n=min_n,
    )
    rates = rates.rename(columns={"count": "n_offered", "rate": "offer_rate"})
    return rates.assign(verdict=["satisfied", "dissatisfied"])[
        ["verdict", "n", "n_offered", "offer_rate", "lo", "hi", "low_n"]
    ], model
