"""A newcomer's plan: proposals per hire, time to a first contract, what to bid, which niche.

Every analysis here answers for a described profile (niches, region, reviews on the
profile), not for the market average: the win chance of a proposal is read from a
model of who gets hired, adjusted for the profile's reputation, region group and
niche; the time to a first contract follows from that chance and the proposals sent
a week, checked against the newcomers the warehouse followed; the bid curve shifts
the chance by the hiring model's price effect for the profile's reputation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb
import numpy as np
import pandas as pd
from scipy.special import expit, logit

from fdsa import taxonomy
from fdsa.analysis import _cache, _params, _sql, pricing, reputation
from fdsa.analysis import niches as niche_analyses
from fdsa.analysis._frames import analysis
from fdsa.analysis._stats import Z95, dummies, glm, wilson

MIN_HIRES = 10
"""Fewest hires among a niche's decided proposals for its win model to be fitted."""
NEIGHBOURHOOD = 0.25
"""Newcomers who sent within ±25% of a weekly count are its observed comparison group."""
MIN_COHORT = 200
"""Fewest followed newcomers of a region before the region group is used instead."""
BID_GRID_POINTS = 21


def niche_list(niches_: str | Sequence[str]) -> list[str]:
    """Niches from the taxonomy, in the order given, without repeats (a string may list
    several, separated by commas or spaces).
    """
    items = niches_.replace(",", " ").split() if isinstance(niches_, str) else list(niches_)
    out: list[str] = []
    for item in items:
        niche = _params.choice(str(item), taxonomy.NICHES, "niche")
        if niche not in out:
            out.append(niche)
    if not out:
        raise ValueError("name at least one niche")
    return out


def _reviews(n_reviews: int) -> int:
    if isinstance(n_reviews, bool) or not isinstance(n_reviews, int | np.integer) or n_reviews < 0:
        raise ValueError(f"n_reviews must be a non-negative integer; got {n_reviews!r}")
    return int(n_reviews)


def _win_design(df: pd.DataFrame, rating_fill: float = 4.5) -> tuple[np.ndarray, list[str]]:
    """Design of the win model: channel, reputation and region-group terms."""
    reviews = df.n_reviews.to_numpy(float)
    reviewed = (reviews > 0).astype(float)
    log_reviews = np.log1p(reviews)
    rating = np.where(reviewed > 0, df.rating.fillna(rating_fill).to_numpy(float) - 4.5, 0.0)
    lower = df.region.isin(taxonomy.LOWER_INCOME_REGIONS).to_numpy(float)
    columns = {"intercept": np.ones(len(df))}
    cd = dummies(df.channel, taxonomy.CHANNELS, "application", "win_logodds_channel__")
    columns.update({c: cd[c].to_numpy() for c in cd})
    columns.update(
        {
            "win_logodds_first_review": reviewed,
            "win_logodds_per_log1p_review": log_reviews,
            "win_logodds_per_star": rating,
            "win_logodds_lower_income_region": lower,
            "win_logodds_lower_income_per_log1p_review": lower * log_reviews,
        }
    )
    return np.column_stack(list(columns.values())), list(columns)


def _win_fit(con: duckdb.DuckDBPyConnection, niche: str, lo, hi):
    """The win model of one niche's decided proposals (None with too few hires), and the
    grouped rows it was fitted on.
    """

    def compute():
        df = _sql.run(con, "newcomer_proposals", niches=[niche], since=lo, until=hi)
        if int(df.n_hired.sum()) < MIN_HIRES:
            return None, df
        x, names = _win_design(df)
        keep = x.any(axis=0) & (x != x[:1]).any(axis=0) | (np.arange(x.shape[1]) == 0)
        x, names = x[:, keep], [n for n, k in zip(names, keep, strict=True) if k]
        fit = glm(x, df.n_hired.to_numpy(float), names, "logit", trials=df.n.to_numpy(float))
        return fit, df

    return _cache.shared(con, ("newcomer_win_fit", niche, lo, hi), compute)


@analysis
def proposals_per_hire(
    con: duckdb.DuckDBPyConnection,
    *,
    niches: str | Sequence[str],
    region: str,
    n_reviews: int = 0,
    rating: float = 4.8,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Chance that one proposal wins, and proposals per hire, by channel for a profile.

    For each niche, a logistic regression of "hired" over the decided proposals
    (hired or not hired) to its postings, on channel, [≥ 1 review], log(1 + reviews),
    rating (reviewed only, centred at 4.5), lower-income region and its recovery per
    log(1 + reviews), gives the profile's win chance per channel with a 95% interval
    (delta method on the log-odds), at the bids such profiles usually make.
    ``proposals_per_hire`` is its inverse (interval inverted). Experience does not
    enter: clients see it only through the bid. A niche with fewer than 10 hires has
    no estimate (null). ``comparable_*`` is the plain share among proposals of the
    same niche, channel and region with the same number of reviews (0, or within a
    factor 2), for comparison.

    Returns
    -------
    pandas.DataFrame
        One row per niche and channel: ``niche``, ``channel``, ``n`` (decided
        proposals in the niche's fit), ``win_rate``, ``win_rate_lo``, ``win_rate_hi``,
        ``proposals_per_hire``, ``proposals_per_hire_lo``, ``proposals_per_hire_hi``,
        ``n_comparable``, ``n_comparable_hired``, ``comparable_win_rate``,
        ``comparable_win_rate_lo``, ``comparable_win_rate_hi``, ``low_n`` (fewer than
        ``min_n`` comparable proposals).
    """
    wanted = niche_list(niches)
    region = _params.choice(region, taxonomy.REGIONS, "region")
    n_reviews = _reviews(n_reviews)
    rating = _params.number(rating, "rating", 1, 5)
    lo, hi = _params.window(since, until)
    parts = []
    for niche in wanted:
        fit, df = _win_fit(con, niche, lo, hi)
        grid = pd.DataFrame({"niche": niche, "channel": list(taxonomy.CHANNELS)})
        grid["region"] = region
        grid["n_reviews"] = n_reviews
        grid["rating"] = rating if n_reviews > 0 else np.nan
        if fit is None:
            grid["n"] = int(df.n.sum())
            grid["win_rate"] = grid["win_rate_lo"] = grid["win_rate_hi"] = np.nan
        else:
            x, names = _win_design(grid)
            full = dict(zip(names, x.T, strict=True))
            eta, se = fit.predict(np.column_stack([full[n] for n in fit.names]))
            grid["n"] = fit.n
            grid["win_rate"] = expit(eta)
            grid["win_rate_lo"] = expit(eta - Z95 * se)
            grid["win_rate_hi"] = expit(eta + Z95 * se)
            absent = ~grid.channel.isin(df.channel.unique())  # no proposals to read it from
            grid.loc[absent, ["win_rate", "win_rate_lo", "win_rate_hi"]] = np.nan
        near = (
            (df.n_reviews == 0)
            if n_reviews == 0
            else df.n_reviews.between(max(1, n_reviews // 2), 2 * n_reviews)
        )
        comparable = df[near & (df.region == region)].groupby("channel")[["n", "n_hired"]].sum()
        comparable = comparable.reindex(list(taxonomy.CHANNELS))
        grid["n_comparable"] = comparable.n.fillna(0).astype(int).to_numpy()
        grid["n_comparable_hired"] = comparable.n_hired.fillna(0).astype(int).to_numpy()
        parts.append(grid)
    out = pd.concat(parts, ignore_index=True)
    if out.win_rate.isna().all():
        raise ValueError(f"too few hires to model the win chance in {', '.join(wanted)}")
    out["proposals_per_hire"] = 1 / out.win_rate
    out["proposals_per_hire_lo"] = 1 / out.win_rate_hi
    out["proposals_per_hire_hi"] = 1 / out.win_rate_lo
    n = out.n_comparable.where(out.n_comparable > 0)
    out["comparable_win_rate"] = out.n_comparable_hired / n
    out["comparable_win_rate_lo"], out["comparable_win_rate_hi"] = wilson(out.n_comparable_hired, n)
    out["low_n"] = out.n_comparable < min_n
    return out[
        [
            "niche",
            "channel",
            "n",
            "win_rate",
            "win_rate_lo",
            "win_rate_hi",
            "proposals_per_hire",
            "proposals_per_hire_lo",
            "proposals_per_hire_hi",
            "n_comparable",
            "n_comparable_hired",
            "comparable_win_rate",
            "comparable_win_rate_lo",
            "comparable_win_rate_hi",
            "low_n",
        ]
    ]


def pooled_application_rate(apps: pd.DataFrame) -> tuple[float, float, float]:
    """Win rate (and bounds) of applications pooled over niches: the mean log-odds.

    ``apps``: rows of :func:`proposals_per_hire` for the application channel.
    """
    apps = apps[apps.win_rate.notna()]
    if apps.empty:
        raise ValueError("no application win rate for these niches")
    return tuple(  # type: ignore[return-value]
        float(expit(logit(apps[c].to_numpy(float)).mean()))
        for c in ("win_rate", "win_rate_lo", "win_rate_hi")
    )


def _share_by(days: np.ndarray, p: float, per_week: float) -> np.ndarray:
    """Chance of at least one win among the proposals sent in ``days`` at ``per_week``."""
    return 1 - (1 - p) ** (per_week * days / 7)


@analysis
def first_contract_curve(
    con: duckdb.DuckDBPyConnection,
    *,
    niches: str | Sequence[str],
    region: str,
    proposals_per_week: Sequence[float] = (5, 10, 20),
    horizon_days: int = 180,
    since: date | str | None = None,
    until: date | str | None = None,
) -> pd.DataFrame:
    """Chance of a first contract within each number of days, by applications sent a week.

    A newcomer without reviews wins each application with the profile's chance ``p``
    (:func:`proposals_per_hire`, application channel, 0 reviews, pooled over the
    niches: the model's rate for the first niche shifted to the mean log-odds of the
    niches asked about), independently: the chance of a first contract within ``d``
    days at ``k`` applications a week is ``1 − (1 − p)^(k·d/7)``, with the interval of
    ``p`` carried through. A hire starts within days of the decision, which this
    leaves out. :func:`first_contract_observed` is the check against the newcomers
    the warehouse followed.

    Returns
    -------
    pandas.DataFrame
        One row per weekly count and day (every 7 days to ``horizon_days``):
        ``proposals_per_week``, ``day``, ``n`` (decided proposals behind ``p``),
        ``share_hired``, ``share_hired_lo``, ``share_hired_hi``, ``proposals_sent``,
        ``low_n``.
    """
    _params.positive_int(horizon_days, "horizon_days", maximum=3650)
    per_week = [_params.number(k, "proposals_per_week", 0.1, 500) for k in proposals_per_week]
    table = proposals_per_hire(
        con, niches=niches, region=region, n_reviews=0, since=since, until=until
    )
    apps = table[(table.channel == "application") & table.win_rate.notna()]
    p, p_lo, p_hi = pooled_application_rate(apps)
    days = np.arange(0, horizon_days + 1, 7, dtype=float)
    if days[-1] != horizon_days:
        days = np.r_[days, horizon_days]
    rows = [
        pd.DataFrame(
            {
                "proposals_per_week": k,
                "day": days.astype(int),
                "n": int(apps.n.iloc[0]),
                "share_hired": _share_by(days, p, k),
                "share_hired_lo": _share_by(days, p_lo, k),
                "share_hired_hi": _share_by(days, p_hi, k),
                "proposals_sent": k * days / 7,
            }
        )
        for k in per_week
    ]
    out = pd.concat(rows, ignore_index=True)
    out["low_n"] = bool(apps.low_n.all())
    return out


def _kaplan_meier(time: np.ndarray, event: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, ...]:
    """Kaplan–Meier share with an event by each of ``days``, log-log Greenwood 95% bounds,
    and the number still at risk.
    """
    order = np.argsort(time, kind="stable")
    time, event = time[order], event[order]
    event_times = np.unique(time[event])
    at_risk = len(time) - np.searchsorted(time, event_times, side="left")
    deaths = np.array([np.sum(event & (time == t)) for t in event_times])
    surv = np.cumprod(1 - deaths / at_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        green = np.cumsum(deaths / (at_risk * (at_risk - deaths)))
    idx = np.searchsorted(event_times, days, side="right") - 1
    s = np.where(idx >= 0, surv[np.clip(idx, 0, None)], 1.0)
    g = np.where(idx >= 0, green[np.clip(idx, 0, None)], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_s = np.log(s)
        v = np.sqrt(g) / np.abs(log_s)
        s_lo = np.where((s > 0) & (s < 1), s ** np.exp(Z95 * v), s)
        s_hi = np.where((s > 0) & (s < 1), s ** np.exp(-Z95 * v), s)
    risk = len(time) - np.searchsorted(time, days, side="left")
    return 1 - s, 1 - s_hi, 1 - s_lo, risk


@analysis
def first_contract_observed(
    con: duckdb.DuckDBPyConnection,
    *,
    region: str,
    proposals_per_week: Sequence[float] = (5, 10, 20),
    horizon_days: int = 180,
    min_n: int = 30,
) -> pd.DataFrame:
    """Time to a first contract of the newcomers the warehouse followed (Kaplan–Meier).

    Freelancers are followed from joining until their first contract, leaving or the
    end of the data (censored). For each weekly count ``k``, the group is the
    newcomers of ``region`` who sent between ``0.75·k`` and ``1.25·k`` proposals a week
    in their first 90 days (the region's income group when the region has fewer
    than 200 followed newcomers; ``population`` says which). Log-log Greenwood 95%
    intervals. Observational: who sends more proposals differs in other ways too,
    and a hired newcomer may send fewer afterwards.

    Returns
    -------
    pandas.DataFrame
        One row per weekly count and day: ``proposals_per_week``, ``population``,
        ``day``, ``n`` (newcomers in the group), ``n_at_risk``, ``share_hired``,
        ``share_hired_lo``, ``share_hired_hi``, ``low_n``.
    """
    region = _params.choice(region, taxonomy.REGIONS, "region")
    _params.positive_int(horizon_days, "horizon_days", maximum=3650)
    per_week = [_params.number(k, "proposals_per_week", 0.1, 500) for k in proposals_per_week]
    df = _sql.run(con, "first_contracts", data_end=_sql.last_posted_at(con))
    if df.empty:
        raise ValueError("no newcomers followed for 180 days in this warehouse")
    mine = df[df.region == region]
    population = region
    if len(mine) < MIN_COHORT:
        group = (
            taxonomy.LOWER_INCOME_REGIONS
            if region in taxonomy.LOWER_INCOME_REGIONS
            else tuple(r for r in taxonomy.REGIONS if r not in taxonomy.LOWER_INCOME_REGIONS)
        )
        mine = df[df.region.isin(group)]
        population = "lower-income regions" if region in group[:3] else "other regions"
    rate = mine.n_proposals_first_90d.to_numpy(float) / (90 / 7)
    observed = mine.days_observed.to_numpy(float)
    first = mine.days_to_first_contract.to_numpy(float)
    event = np.isfinite(first) & (first <= observed)
    time = np.where(event, first, observed)
    days = np.arange(0, horizon_days + 1, 7, dtype=float)
    if days[-1] != horizon_days:
        days = np.r_[days, horizon_days]
    parts = []
    for k in per_week:
        near = (rate >= (1 - NEIGHBOURHOOD) * k) & (rate < (1 + NEIGHBOURHOOD) * k)
        if near.sum() == 0:
            share = lo_ = hi_ = np.full(len(days), np.nan)
            risk = np.zeros(len(days), int)
        else:
            share, lo_, hi_, risk = _kaplan_meier(time[near], event[near], days)
        parts.append(
            pd.DataFrame(
                {
                    "proposals_per_week": k,
                    "population": population,
                    "day": days.astype(int),
                    "n": int(near.sum()),
                    "n_at_risk": risk.astype(int),
                    "share_hired": share,
                    "share_hired_lo": lo_,
                    "share_hired_hi": hi_,
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    out["low_n"] = out.n < min_n
    return out


def _going_rate(con: duckdb.DuckDBPyConnection, niche: str, lo, hi) -> pd.Series:
    return _sql.run(con, "newcomer_going_rate", niche=niche, since=lo, until=hi).iloc[0]


def _best(grid: np.ndarray, eta0: float, beta: float, usual: float, pay: pd.Series) -> int:
    """Index of the earnings-maximising log bid ratio under price effect ``beta``."""
    earnings = expit(eta0 + beta * (grid - usual)) * pay.to_numpy(float)
    return int(np.nanargmax(earnings)) if np.isfinite(earnings).any() else 0


@analysis
def bid_curve(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str,
    region: str,
    n_reviews: int = 0,
    rating: float = 4.8,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Win chance and expected earnings per proposal against the bid, for a profile.

    The bid is relative to the posting's going rate (the mean log bid of its decided
    proposals). At the profile's usual ratio (the mean log ratio of proposals from the
    same region group and reputation in the niche) the win chance is that of
    :func:`proposals_per_hire` (application); other bids shift its log-odds by the
    hiring model's price effect for the profile's reputation
    (:func:`fdsa.analysis.reputation.price_effect`). Expected earnings per proposal =
    win chance × bid × going hourly rate of the niche's hourly postings × median hours
    billed by its hourly contracts; who the client is (fill chance, pay) is in the win
    chance and the going rate. The curve spans the 5th to 95th percentile of the ratios
    such profiles bid (outside it the model would extrapolate); ``is_best`` marks the
    earnings-maximising bid and ``in_best_band`` the bids between the maximising bids
    under the two ends of the price effect's 95% interval (the first-bid band).
    Intervals: the delta method with the win chance's and the price effect's
    standard errors.

    Returns
    -------
    pandas.DataFrame
        One row per bid ratio (21, ascending): ``bid_ratio``, ``bid_usd``,
        ``win_rate``, ``win_rate_lo``, ``win_rate_hi``, ``expected_earnings_usd``,
        ``expected_earnings_usd_lo``, ``expected_earnings_usd_hi``, ``is_best``,
        ``in_best_band``, ``going_rate_usd``, ``hours_per_contract``,
        ``contract_hours_per_week``, ``n`` (the
        profile-like proposals behind the usual ratio), ``low_n``.
    """
    niche = _params.choice(niche, taxonomy.NICHES, "niche")
    region = _params.choice(region, taxonomy.REGIONS, "region")
    n_reviews = _reviews(n_reviews)
    lo, hi = _params.window(since, until)
    table = proposals_per_hire(
        con,
        niches=[niche],
        region=region,
        n_reviews=n_reviews,
        rating=rating,
        since=since,
        until=until,
    ).set_index("channel")
    app = table.loc["application"]
    if not np.isfinite(app.win_rate):
        raise ValueError(f"no application win rate in {niche}")
    reputation_ = reputation.REPUTATIONS[int(n_reviews > 0)]
    price = reputation.price_effect(con, since=since, until=until).set_index("reputation")
    beta, beta_se = float(price.estimate[reputation_]), float(price.se[reputation_])
    sets = reputation._choice_sets(con, lo, hi, niche)
    lower = region in taxonomy.LOWER_INCOME_REGIONS
    like = sets[(sets.is_lower_income == lower) & (sets.reputation == reputation_)]
    if len(like) < 2:
        raise ValueError(f"too few proposals like this profile's in {niche} (n={len(like)})")
    ratios = like.log_bid_ratio.to_numpy(float)
    usual = float(ratios.mean())
    low, high = np.quantile(ratios, [0.05, 0.95])
    grid = np.linspace(float(low), float(high), BID_GRID_POINTS)
    eta0 = float(logit(app.win_rate))
    se0 = (float(logit(app.win_rate_hi)) - float(logit(app.win_rate_lo))) / (2 * Z95)
    eta = eta0 + beta * (grid - usual)
    se = np.sqrt(se0**2 + ((grid - usual) * beta_se) ** 2)
    going = _going_rate(con, niche, lo, hi)
    rate_usd = float(going.going_rate_usd) if going.n_jobs else np.nan
    hours = float(going.hours_per_contract) if going.n_contracts else np.nan
    out = pd.DataFrame({"bid_ratio": np.exp(grid)})
    out["bid_usd"] = out.bid_ratio * rate_usd
    out["win_rate"] = expit(eta)
    out["win_rate_lo"] = expit(eta - Z95 * se)
    out["win_rate_hi"] = expit(eta + Z95 * se)
    pay = out.bid_usd * hours
    out["expected_earnings_usd"] = out.win_rate * pay
    out["expected_earnings_usd_lo"] = out.win_rate_lo * pay
    out["expected_earnings_usd_hi"] = out.win_rate_hi * pay
    best = _best(grid, eta0, beta, usual, pay)
    low, high = sorted(
        _best(grid, eta0, b, usual, pay) for b in (beta - Z95 * beta_se, beta + Z95 * beta_se)
    )
    out["is_best"] = np.arange(len(out)) == best
    out["in_best_band"] = (np.arange(len(out)) >= min(low, best)) & (
        np.arange(len(out)) <= max(high, best)
    )
    out["going_rate_usd"] = rate_usd
    out["hours_per_contract"] = hours
    out["contract_hours_per_week"] = (
        float(going.contract_hours_per_week) if going.n_contracts else np.nan
    )
    out["n"] = len(like)
    out["low_n"] = len(like) < min_n or bool(app.low_n)
    return out


@analysis
def niche_comparison(
    con: duckdb.DuckDBPyConnection,
    *,
    niches: str | Sequence[str],
    region: str,
    experience_years: float = 3.0,
    n_reviews: int = 0,
    rating: float = 4.8,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """The niches asked about side by side for a profile: demand, competition, pay, growth.

    Demand, competition and posted pay from :func:`fdsa.analysis.niches.niche_summary`;
    growth (relative to the typical niche, log points a year) from
    :func:`fdsa.analysis.niches.niche_growth` when 12 months of history exist; the
    profile's proposals per hire (applications) from :func:`proposals_per_hire` when
    the warehouse holds proposals; the profile's median rate from
    :func:`fdsa.analysis.pricing.rate_band` when it holds contracts. What the
    warehouse cannot measure is null.

    Returns
    -------
    pandas.DataFrame
        One row per niche, in the order asked: ``niche``, ``n_jobs``,
        ``jobs_per_month`` (+ ``_lo``, ``_hi``), ``proposals_per_job`` (+ ``_lo``,
        ``_hi``), ``posted_hourly_mid_usd`` (+ ``_lo``, ``_hi``), ``growth_rel`` (+
        ``_lo``, ``_hi``), ``proposals_per_hire`` (+ ``_lo``, ``_hi``), ``rate_usd``
        (+ ``_lo``, ``_hi``), ``low_n``.
    """
    wanted = niche_list(niches)
    region = _params.choice(region, taxonomy.REGIONS, "region")
    n_reviews = _reviews(n_reviews)
    summary = niche_analyses.niche_summary(con, since=since, until=until).set_index("niche")
    summary = summary.reindex(wanted)
    out = pd.DataFrame({"niche": wanted})
    out["n_jobs"] = summary.n_jobs.fillna(0).astype(int).to_numpy()
    for col in ("jobs_per_month", "proposals_per_job"):
        for suffix in ("", "_lo", "_hi"):
            out[col + suffix] = summary[col + suffix].to_numpy(float)
    for suffix, source in (("", "_median"), ("_lo", "_lo"), ("_hi", "_hi")):
        out["posted_hourly_mid_usd" + suffix] = summary["posted_hourly_mid" + source].to_numpy(
            float
        )
    out["growth_rel"] = out["growth_rel_lo"] = out["growth_rel_hi"] = np.nan
    end = _params.instant(until, "until") or niche_analyses._data_end(con)
    growth_lo, growth_hi = _sql.data_window(con, niche_analyses._months_back(end, 24), end)
    if _sql.exposure_months(con, growth_lo, growth_hi) >= 12:
        growth = niche_analyses.niche_growth(con, until=until).set_index("niche").reindex(wanted)
        for suffix, source in (("", "growth_rel"), ("_lo", "lo"), ("_hi", "hi")):
            out["growth_rel" + suffix] = growth[source].to_numpy(float)
    for col in ("proposals_per_hire", "rate_usd"):
        out[col] = out[col + "_lo"] = out[col + "_hi"] = np.nan
    has = dict(
        con.execute(
            "select 'proposals', count(*) from proposals union all "
            "select 'contracts', count(*) from contracts"
        ).fetchall()
    )
    if has["proposals"]:
        try:
            pph = proposals_per_hire(
                con,
                niches=wanted,
                region=region,
                n_reviews=n_reviews,
                rating=rating,
                since=since,
                until=until,
            )
        except ValueError:
            pph = None
        if pph is not None:
            apps = pph[pph.channel == "application"].set_index("niche").reindex(wanted)
            for suffix in ("", "_lo", "_hi"):
                out["proposals_per_hire" + suffix] = apps["proposals_per_hire" + suffix].to_numpy()
    if has["contracts"]:
        for i, niche in enumerate(wanted):
            try:
                band = (
                    pricing.rate_band(
                        con,
                        niche=niche,
                        region=region,
                        experience_years=experience_years,
                        n_reviews=n_reviews,
                        rating=rating,
                        since=since,
                        until=until,
                    )
                    .set_index("quantile")
                    .loc[0.5]
                )
            except ValueError:
                continue
            out.loc[i, ["rate_usd", "rate_usd_lo", "rate_usd_hi"]] = [
                band.rate_usd,
                band.lo,
                band.hi,
            ]
    out["low_n"] = out.n_jobs < min_n
    return out
