"""Niches: demand, competition, pay, growth, shocks, opportunity and skill alliances."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import numpy as np
import pandas as pd
from scipy import stats

from fdsa import taxonomy
from fdsa.analysis import _cache, _params, _sql
from fdsa.analysis._frames import analysis
from fdsa.analysis._stats import (
    Z95,
    benjamini_hochberg,
    cluster_quantile_interval,
    glm,
    poisson_rate_interval,
    wilson,
)

GROWTH_MONTHS = 36
"""Default window of :func:`niche_growth` and :func:`market_growth`: the last months of data.

Chosen for power (docs/analyses.md, "Defaults chosen for power"): over 20 demo-size
markets, 36 months flag the planted emerging and declining niches in every market with
no false flag among the 13 null niches; 24 months found the declining niche in about
half the markets, and 48 or more reach back over the 2022-12 shock."""
SHOCK_MONTHS = 36
"""Default months on each side of :func:`demand_shock`'s event (about 90% power at 18–24
months, 100% at 36, on demo-size markets; false flags about 5% at any window of 18 or
more, 11% at 12)."""

PAY_MEASURES = ("posted_hourly_mid", "fixed_budget", "agreed_hourly_rate")
SKILL_PAIR_COLUMNS = (
    "skill_a",
    "skill_b",
    "n",
    "lift",
    "lift_lo",
    "lift_hi",
    "n_rated",
    "rate_premium",
    "rate_premium_lo",
    "rate_premium_hi",
    "low_n",
)


def _data_end(con: duckdb.DuckDBPyConnection) -> datetime:
    """First instant of the month after the latest posting."""
    last = _sql.last_posted_at(con)
    return datetime(last.year + (last.month == 12), last.month % 12 + 1, 1, tzinfo=UTC)


def _months_back(end: datetime, months: int) -> datetime:
    total = end.year * 12 + end.month - 1 - months
    return datetime(total // 12, total % 12 + 1, 1, tzinfo=UTC)


def _pay_medians(pay: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
    """Per pay measure and niche (taxonomy order): n, median and its 95% interval.

    Cluster-robust (Woodruff) intervals: posted pay clustered by client, agreed
    rates by freelancer (:func:`fdsa.analysis._stats.cluster_quantile_interval`).
    """
    k = len(taxonomy.NICHES)
    measure = np.asarray(pay["measure"], dtype=np.int16)
    niche = np.asarray(pay["niche_code"], dtype=np.int16)
    values = np.asarray(pay["value"], dtype=float)
    clusters = np.asarray(pay["cluster_id"], dtype=np.int64)
    out = {}
    for m, name in enumerate(PAY_MEASURES):
        mine = measure == m
        n, est, lo, hi = cluster_quantile_interval(values[mine], clusters[mine], niche[mine], k)
        out[name] = {"_n": n.astype(int), "_median": est, "_lo": lo, "_hi": hi}
    return out


def _pay_values(
    con: duckdb.DuckDBPyConnection, region: str | None, lo: datetime, hi: datetime
) -> dict[str, np.ndarray]:
    """Every pay value of the window (``niche_pay.sql``), shared per read-only connection."""
    return _cache.shared(
        con,
        ("niche_pay", region, lo, hi),
        lambda: _sql.arrays(
            con, "niche_pay", since=lo, until=hi, region=region, niches=list(taxonomy.NICHES)
        ),
    )


@analysis
def pay_by_niche(
    con: duckdb.DuckDBPyConnection,
    *,
    region: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Posted and agreed pay per niche and for all niches together, in one long table.

    Three measures, never mixed: ``posted_hourly_mid`` (midpoint of the hourly range a
    client posts: asking pay), ``fixed_budget`` (posted fixed-price budgets, placeholders
    of $5 or less left out) and ``agreed_hourly_rate`` (hourly contracts: what was
    agreed). Real postings dumps carry only the first two. The window defaults to the
    span of the postings; ``region`` is the client's.

    Returns
    -------
    pandas.DataFrame
        One row per measure and niche (``all`` first, then taxonomy order) with data:
        ``measure``, ``niche``, ``n``, ``median_usd``, ``median_usd_lo``,
        ``median_usd_hi`` (cluster-robust 95%, Woodruff: posted pay clustered by client,
        agreed rates by freelancer), ``low_n``.
    """
    region = _params.region_or_all(region)
    lo, hi = _sql.data_window(con, since, until)
    values = _pay_values(con, region, lo, hi)
    measure = np.asarray(values["measure"], dtype=int)
    niche = np.asarray(values["niche_code"], dtype=int)
    amount = np.asarray(values["value"], dtype=float)
    clusters = np.asarray(values["cluster_id"], dtype=np.int64)
    rows = []
    for m, name in enumerate(PAY_MEASURES):
        mine = measure == m
        k = len(taxonomy.NICHES)
        whole = cluster_quantile_interval(amount[mine], clusters[mine])
        parts = cluster_quantile_interval(amount[mine], clusters[mine], niche[mine], k)
        for i, label in enumerate(("all", *taxonomy.NICHES)):
            n, est, q_lo, q_hi = (
                (float(a[0]) for a in whole) if i == 0 else (a[i - 1] for a in parts)
            )
            if n:
                rows.append((name, label, int(n), est, q_lo, q_hi))
    out = pd.DataFrame(
        rows, columns=["measure", "niche", "n", "median_usd", "median_usd_lo", "median_usd_hi"]
    )
    out["low_n"] = out.n < min_n
    return out


@analysis
def niche_summary(
    con: duckdb.DuckDBPyConnection,
    *,
    region: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Demand, competition and pay per niche.

    The window defaults to the span of the postings and is clamped to it; per-month
    rates divide by the months of data inside it (:func:`fdsa.analysis._sql.exposure_months`:
    partly covered edge months count in part, months without a posting not at all).
    A warehouse without any proposal (real postings dumps carry none) has competition
    unmeasured: ``n_proposals``, ``n_active_freelancers``, ``proposals_per_job`` and
    ``active_freelancers_per_job`` are null.

    Returns
    -------
    pandas.DataFrame
        One row per niche: ``niche``, ``n_jobs``, ``months`` (of data), ``jobs_per_month``
        (+ ``_lo``/``_hi``, exact Poisson), ``proposals_per_job`` (+ ``_lo``/``_hi``,
        normal approximation), ``active_freelancers_per_job``, and for each pay
        measure (``posted_hourly_mid``, ``fixed_budget``, ``agreed_hourly_rate``)
        ``<measure>_n``, ``<measure>_median`` and its ``_lo``/``_hi`` (cluster-robust
        95%, Woodruff: posted pay clustered by client, agreed rates by freelancer,
        whose contracts share the freelancer's price level); ``low_n`` when fewer
        than ``min_n`` jobs.
    """
    region = _params.region_or_all(region)
    lo, hi = _sql.data_window(con, since, until)
    key = ("niche_summary", region, lo, hi, min_n)
    return _cache.shared(con, key, lambda: _niche_summary(con, region, lo, hi, min_n)).copy()


def _niche_summary(
    con: duckdb.DuckDBPyConnection, region: str | None, lo: datetime, hi: datetime, min_n: int
) -> pd.DataFrame:
    months = _sql.exposure_months(con, lo, hi)
    demand = _sql.run(
        con, "niche_summary", since=lo, until=hi, region=region, niches=list(taxonomy.NICHES)
    )
    demand = demand.set_index("niche").reindex(list(taxonomy.NICHES)).reset_index()
    demand[["n_jobs", "n_proposals", "n_active_freelancers"]] = (
        demand[["n_jobs", "n_proposals", "n_active_freelancers"]].fillna(0).astype(int)
    )
    demand["months"] = round(months, 2)
    demand["jobs_per_month"] = demand.n_jobs / months
    demand["jobs_per_month_lo"], demand["jobs_per_month_hi"] = poisson_rate_interval(
        demand.n_jobs.to_numpy(), months
    )
    n = demand.n_jobs.where(demand.n_jobs > 0)
    demand["proposals_per_job"] = demand.n_proposals / n
    half = Z95 * np.sqrt(demand.var_proposals.fillna(0) / n)
    demand["proposals_per_job_lo"] = demand.proposals_per_job - half
    demand["proposals_per_job_hi"] = demand.proposals_per_job + half
    demand["active_freelancers_per_job"] = demand.n_active_freelancers / n
    demand = demand.drop(columns=["var_proposals"])
    if not con.execute("select exists (select 1 from proposals)").fetchall()[0][0]:
        # real postings carry no proposals: competition is unmeasured, not zero
        competition = [c for c in demand.columns if c.startswith("proposals_per_job")]
        competition += ["n_proposals", "n_active_freelancers", "active_freelancers_per_job"]
        demand[competition] = np.nan

    for measure, columns in _pay_medians(_pay_values(con, region, lo, hi)).items():
        for suffix, values in columns.items():
            demand[measure + suffix] = values
    demand["low_n"] = demand.n_jobs < min_n
    return demand


@analysis
def monthly_jobs(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """Postings per niche and month of data, zero-filled across niches.

    Only months that hold postings (in any niche) are listed; ``coverage`` is the
    share of the month the data cover (a dump that starts on the 15th covers half
    its first month), so a count can be read as ``n_jobs / coverage`` a month.

    Returns
    -------
    pandas.DataFrame
        ``niche``, ``month``, ``n_jobs``, ``coverage``; by niche, then month.
    """
    lo, hi = _sql.data_window(con, since, until)
    counts = _sql.run(
        con,
        "niche_monthly_jobs",
        since=lo,
        until=hi,
        region=_params.region_or_all(region),
        niches=list(taxonomy.NICHES),
    )
    months = _sql.data_months(con, lo, hi)[["month", "coverage"]]
    months["month"] = pd.to_datetime(months.month).dt.tz_localize(UTC)
    return counts.merge(months, on="month", how="inner", validate="many_to_one")


def _trend(counts: pd.DataFrame) -> tuple[float, float]:
    """Log-linear Poisson trend per year with month-of-year effects when ≥ 24 months.

    Each month's exposure is its ``coverage`` (a log offset), so partly covered
    edge months of a dump do not read as a dip.
    """
    t = (counts.month.dt.year + (counts.month.dt.month - 1) / 12).to_numpy(float)
    t = t - t.mean()
    columns = [np.ones(len(t)), t]
    if len(t) >= 24:
        moy = counts.month.dt.month.to_numpy()
        columns += [(moy == m).astype(float) for m in range(2, 13)]
    x = np.column_stack(columns)
    y = counts.n_jobs.to_numpy(float)
    if y.sum() == 0 or len(t) < 3:
        return np.nan, np.nan
    fit = glm(
        x,
        y,
        [str(i) for i in range(x.shape[1])],
        "poisson",
        scale_by_dispersion=True,
        offset=np.log(counts.coverage.to_numpy(float)),
    )
    return float(fit.coef[1]), float(np.sqrt(fit.cov[1, 1]))


@analysis
def niche_growth(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    region: str | None = None,
    fdr: float = 0.05,
    min_n: int = 100,
) -> pd.DataFrame:
    """Demand trend per niche, relative to the typical niche, with emerging/declining flags.

    Each niche's monthly postings get a Poisson log-linear trend (month-of-year
    effects, dispersion-scaled errors). ``growth_rel`` is that trend minus the
    median trend across niches, so market-wide growth cancels out. Emerging and
    declining niches are those whose z-test survives Benjamini–Hochberg at ``fdr``
    across all niches. Default window: the last 36 months of data (fewer when the
    data are shorter; months without data are left out and partly covered ones
    weighted by their coverage), chosen for power: see :data:`GROWTH_MONTHS`.

    Returns
    -------
    pandas.DataFrame
        One row per niche: ``niche``, ``n`` (jobs), ``growth_log_per_year``,
        ``growth_rel``, ``se``, ``lo``, ``hi``, ``p_value``, ``q_value``,
        ``status`` (emerging / declining / steady), ``low_n``.
    """
    end = _params.instant(until, "until") or _data_end(con)
    start = _params.instant(since, "since") or _months_back(end, GROWTH_MONTHS)
    key = ("niche_growth", start, end, region, fdr, min_n)  # opportunity_scores reuses it
    return _cache.shared(
        con, key, lambda: _niche_growth(con, start, end, region, fdr, min_n), batch=True
    ).copy()


def _niche_growth(
    con: duckdb.DuckDBPyConnection,
    start: datetime,
    end: datetime,
    region: str | None,
    fdr: float,
    min_n: int,
) -> pd.DataFrame:
    counts = monthly_jobs(con, since=start, until=end, region=region)
    rows = []
    for niche, part in counts.groupby("niche", sort=False):
        slope, se = _trend(part)
        rows.append((niche, int(part.n_jobs.sum()), slope, se))
    out = pd.DataFrame(rows, columns=["niche", "n", "growth_log_per_year", "se"])
    typical = float(np.nanmedian(out.growth_log_per_year))
    out["growth_rel"] = out.growth_log_per_year - typical
    out["lo"] = out.growth_rel - Z95 * out.se
    out["hi"] = out.growth_rel + Z95 * out.se
    z = out.growth_rel / out.se
    out["p_value"] = 2 * stats.norm.sf(np.abs(z.fillna(0)))
    rejected, out["q_value"] = benjamini_hochberg(out.p_value.to_numpy(), fdr)
    out["status"] = np.where(
        rejected & (out.growth_rel > 0),
        "emerging",
        np.where(rejected & (out.growth_rel < 0), "declining", "steady"),
    )
    out["low_n"] = out.n < min_n
    return out[
        [
            "niche",
            "n",
            "growth_log_per_year",
            "growth_rel",
            "se",
            "lo",
            "hi",
            "p_value",
            "q_value",
            "status",
            "low_n",
        ]
    ]


@analysis
def demand_shock(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str,
    event_date: date | str = "2022-12-01",
    months_before: int = SHOCK_MONTHS,
    months_after: int = SHOCK_MONTHS,
) -> pd.DataFrame:
    """The step in a niche's postings at ``event_date`` (difference in differences).

    Poisson regression of monthly postings of every niche on month effects (which
    absorb market-wide swings), niche effects and niche-specific linear trends, plus
    a post-event step for the treated niche. The step is in log points; ``exp``
    of it is the ratio of postings after versus before, other things equal. The
    window (36 months each side by default, :data:`SHOCK_MONTHS`) is cut to the data.
    Month-by-month leads and lags with placebo dates are :func:`event_study`.

    Returns
    -------
    pandas.DataFrame
        One row: ``niche``, ``event_date``, ``estimate`` (log step), ``se``,
        ``lo``, ``hi``, ``ratio``, ``n_before``, ``n_after``, ``low_n``.
    """
    niche = _params.choice(niche, taxonomy.NICHES, "niche")
    event = _params.required_instant(event_date, "event_date")
    _params.positive_int(months_before, "months_before", maximum=120)
    _params.positive_int(months_after, "months_after", maximum=120)
    counts = monthly_jobs(
        con, since=_months_back(event, months_before), until=_months_back(event, -months_after)
    )
    counts = counts[counts.groupby("niche").n_jobs.transform("sum") > 0]
    months = sorted(counts.month.unique())
    niches = sorted(counts.niche.unique())
    if niche not in niches or len(niches) < 2:
        raise ValueError(
            f"no postings in niche {niche!r} (or no other niche) around {event.date()}"
        )
    niches = [k for k in niches if k != niche] + [niche]  # the reference is an untreated niche
    t = (counts.month.dt.year + (counts.month.dt.month - 1) / 12).to_numpy(float)
    t = t - t.mean()
    treated = (counts.niche == niche).to_numpy()
    post = (counts.month >= pd.Timestamp(event)).to_numpy()
    columns = [(treated & post).astype(float)]
    columns += [(counts.month == m).to_numpy(float) for m in months]
    columns += [(counts.niche == k).to_numpy(float) for k in niches[1:]]
    columns += [(counts.niche == k).to_numpy(float) * t for k in niches[1:]]
    x = np.column_stack(columns)
    fit = glm(
        x,
        counts.n_jobs.to_numpy(float),
        [str(i) for i in range(x.shape[1])],
        "poisson",
        scale_by_dispersion=True,
    )
    est, se = float(fit.coef[0]), float(np.sqrt(fit.cov[0, 0]))
    own = counts[treated]
    n_before = int(own.n_jobs[~post[treated]].sum())
    n_after = int(own.n_jobs[post[treated]].sum())
    return pd.DataFrame(
        [
            {
                "niche": niche,
                "event_date": event.date(),
                "estimate": est,
                "se": se,
                "lo": est - Z95 * se,
                "hi": est + Z95 * se,
                "ratio": float(np.exp(est)),
                "n_before": n_before,
                "n_after": n_after,
                "low_n": min(n_before, n_after) < 100,
            }
        ]
    )


@analysis
def market_growth(
    con: duckdb.DuckDBPyConnection,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """Growth of postings common to the niches: the market's own trend.

    Each niche's trend comes from :func:`niche_growth` (same window and defaults);
    niches flagged emerging or declining are left out, and the steady niches' trends
    are pooled by inverse-variance weights. The standard error is scaled up by the
    Birge ratio (√(Q / (k − 1)) when above 1), so trends that still differ between
    the pooled niches widen the interval instead of hiding in it. A niche with a dated
    step (a shock) inside the window can still bias it; pick windows around shocks.

    Returns
    -------
    pandas.DataFrame
        One row: ``term`` (``market_growth_log_per_year``), ``estimate`` (log jobs per
        year), ``se``, ``lo``, ``hi``, ``growth_pct`` (100·(e^estimate − 1)),
        ``n_niches`` (pooled), ``n`` (their jobs), ``since``, ``until``.
    """
    end = _params.instant(until, "until") or _data_end(con)
    start = _params.instant(since, "since") or _months_back(end, GROWTH_MONTHS)
    growth = niche_growth(con, since=start, until=end, region=region)
    steady = growth[(growth.status == "steady") & growth.se.gt(0)]
    w = 1 / steady.se.to_numpy(float) ** 2
    slopes = steady.growth_log_per_year.to_numpy(float)
    k = len(steady)
    est = float(w @ slopes / w.sum()) if k else np.nan
    se = float(np.sqrt(1 / w.sum())) if k else np.nan
    if k > 1:
        q = float(w @ (slopes - est) ** 2)
        se *= max(1.0, np.sqrt(q / (k - 1)))
    return pd.DataFrame(
        [
            {
                "term": "market_growth_log_per_year",
                "estimate": est,
                "se": se,
                "lo": est - Z95 * se,
                "hi": est + Z95 * se,
                "growth_pct": 100 * np.expm1(est),
                "n_niches": k,
                "n": int(steady.n.sum()),
                "since": start.date(),
                "until": end.date(),
            }
        ]
    )


OPPORTUNITY_COMPONENTS = (
    "demand_log_ratio",
    "competition_log_ratio",
    "pay_log_ratio",
    "growth_log_ratio",
)
OPPORTUNITY_WEIGHTS = {c: 0.25 for c in OPPORTUNITY_COMPONENTS}
"""Weight of each component in the score (renormalised over the components measured)."""
MIN_AGREED_RATES = 50  # fewer agreed hourly rates in the window: rank on posted pay


def _log_ratio(value: pd.Series, lo: pd.Series, hi: pd.Series) -> tuple[pd.Series, pd.Series]:
    """log(value / the median niche's value), and its standard error from the 95% bounds."""
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(value.where(value > 0))
        se = (np.log(hi.where(hi > 0)) - np.log(lo.where(lo > 0))) / (2 * Z95)
    return logs - logs.median(), se


@analysis
def opportunity_scores(
    con: duckdb.DuckDBPyConnection,
    *,
    region: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Rank niches by opportunity, on the components this warehouse can measure.

    Every component is a log ratio to the typical (median) niche, so a 10% gap moves
    it by about 0.1 whatever the spread across niches: demand ``log(jobs_per_month /
    median)``; competition ``−log(proposals_per_job / median)`` (only when the
    warehouse holds proposals; real postings dumps do not); pay ``log(median pay /
    median)`` of agreed hourly rates when there are at least 50 in the window, else of
    posted hourly midpoints (``pay_measure`` says which); growth ``growth_rel`` (log
    points a year against the typical niche) when the growth window holds 12 or more
    months of data. ``score`` is their weighted mean (weights
    :data:`OPPORTUNITY_WEIGHTS`, a quarter each, renormalised over the components
    measured; ``weights`` states them): +0.10 is about 10% better than the typical
    niche on average. ``score_lo``/``score_hi``: 95% interval from the components'
    standard errors (the median niche taken as fixed). ``components`` names what
    went into the score; missing components are all null. ``low_n`` flags a niche
    whose score rests on a small sample: fewer than ``min_n`` postings or pay records,
    or a growth trend flagged small by :func:`niche_growth`; do not rank on those.
    ``other`` (postings no niche rule recognises) keeps its score but is ranked last:
    it is not a niche anyone can choose.

    Returns
    -------
    pandas.DataFrame
        One row per niche, best first: ``rank``, ``niche``, ``score``, ``score_lo``,
        ``score_hi``, ``components``, ``weights``, ``jobs_per_month``,
        ``proposals_per_job``, ``pay_median_usd``, ``pay_measure``, ``growth_rel``,
        ``growth_status``, ``demand_log_ratio``, ``competition_log_ratio``,
        ``pay_log_ratio``, ``growth_log_ratio``, ``n_jobs``, ``low_n``.
    """
    summary = niche_summary(con, region=region, since=since, until=until, min_n=min_n)
    df = summary.copy()
    has_proposals = int(df.n_proposals.sum()) > 0
    agreed = int(df.agreed_hourly_rate_n.sum()) >= MIN_AGREED_RATES
    measure = "agreed_hourly_rate" if agreed else "posted_hourly_mid"
    df["pay_median_usd"] = df[f"{measure}_median"]
    df["pay_measure"] = measure
    end = _params.instant(until, "until") or _data_end(con)
    growth_lo, growth_hi = _sql.data_window(con, _months_back(end, GROWTH_MONTHS), end)
    if _sql.exposure_months(con, growth_lo, growth_hi) >= 12:
        growth = niche_growth(con, region=region, until=until)[
            ["niche", "growth_rel", "se", "status", "low_n"]
        ]
    else:
        growth = pd.DataFrame(
            {
                "niche": df.niche,
                "growth_rel": np.nan,
                "se": np.nan,
                "status": "not measured",
                "low_n": False,
            }
        )
    df = df.merge(growth, on="niche", validate="one_to_one", suffixes=("", "_growth")).rename(
        columns={"status": "growth_status", "se": "growth_se"}
    )
    se = {}
    df["demand_log_ratio"], se["demand_log_ratio"] = _log_ratio(
        df.jobs_per_month, df.jobs_per_month_lo, df.jobs_per_month_hi
    )
    if has_proposals:
        ratio, se["competition_log_ratio"] = _log_ratio(
            df.proposals_per_job, df.proposals_per_job_lo, df.proposals_per_job_hi
        )
        df["competition_log_ratio"] = -ratio
    else:
        df["competition_log_ratio"] = se["competition_log_ratio"] = np.nan
    df["pay_log_ratio"], se["pay_log_ratio"] = _log_ratio(
        df.pay_median_usd, df[f"{measure}_lo"], df[f"{measure}_hi"]
    )
    df["growth_log_ratio"] = df.growth_rel
    se["growth_log_ratio"] = df.growth_se
    used = [c for c in OPPORTUNITY_COMPONENTS if df[c].notna().any()]
    names = {
        "demand_log_ratio": "demand",
        "competition_log_ratio": "competition",
        "pay_log_ratio": "pay (agreed rates)" if agreed else "pay (posted hourly ranges)",
        "growth_log_ratio": "growth",
    }
    total = sum(OPPORTUNITY_WEIGHTS[c] for c in used)
    weights = {c: OPPORTUNITY_WEIGHTS[c] / total for c in used} if used else {}
    df["components"] = ", ".join(names[c] for c in used)
    df["weights"] = ", ".join(f"{names[c]} {weights[c]:.0%}" for c in used)
    if used:
        df["score"] = sum(weights[c] * df[c] for c in used)
        score_se = np.sqrt(sum((weights[c] * se[c]) ** 2 for c in used))
    else:
        df["score"] = score_se = np.nan
    df["score_lo"] = df.score - Z95 * score_se
    df["score_hi"] = df.score + Z95 * score_se
    # small when any measured component is: few postings, few pay records, a flagged trend
    few_pay = df.pay_log_ratio.notna() & (df[f"{measure}_n"] < min_n)
    df["low_n"] = df.low_n | few_pay | df.low_n_growth.astype(bool)
    df = (
        df.assign(_other=df.niche.eq("other"))
        .sort_values(["_other", "score"], ascending=[True, False], na_position="last")
        .drop(columns="_other")
        .reset_index(drop=True)
    )
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    return df[
        [
            "rank",
            "niche",
            "score",
            "score_lo",
            "score_hi",
            "components",
            "weights",
            "jobs_per_month",
            "proposals_per_job",
            "pay_median_usd",
            "pay_measure",
            "growth_rel",
            "growth_status",
            *OPPORTUNITY_COMPONENTS,
            "n_jobs",
            "low_n",
        ]
    ]


@analysis
def skill_pairs(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
    top: int = 30,
) -> pd.DataFrame:
    """Skill alliances: pairs of skills that co-occur more than chance, and what they pay.

    ``lift = P(a and b) / (P(a) P(b))`` over postings, with a 95% interval from the
    delta method on log lift. ``rate_premium`` is the mean log agreed hourly rate of
    hired jobs asking for both skills minus that of all hired jobs (Welch interval).

    Returns
    -------
    pandas.DataFrame
        Up to ``top`` pairs by lift: ``skill_a``, ``skill_b``, ``n`` (jobs with both),
        ``lift``, ``lift_lo``, ``lift_hi``, ``n_rated``, ``rate_premium``,
        ``rate_premium_lo``, ``rate_premium_hi``, ``low_n``.
    """
    lo, hi = _params.window(since, until)
    _params.positive_int(top, "top", maximum=1000)
    counts = _sql.run(
        con, "skill_pairs", since=lo, until=hi, niche=_params.niche_or_all(niche), bids=False
    )
    everything = counts[counts.skill_a.isna()]
    if everything.empty:
        return pd.DataFrame(columns=list(SKILL_PAIR_COLUMNS))
    n_jobs = int(everything.n.iloc[0])
    single = counts[counts.skill_a.notna() & counts.skill_b.isna()].set_index("skill_a").n
    out = counts[counts.skill_b.notna()].reset_index(drop=True)
    n_a, n_b = single[out.skill_a].to_numpy(), single[out.skill_b].to_numpy()
    out["lift"] = (out.n / n_jobs) / ((n_a / n_jobs) * (n_b / n_jobs))
    # delta method on log lift, treating the three log proportions as independent
    se_log = np.sqrt(np.clip(1 / out.n + 1 / n_a + 1 / n_b - 3 / n_jobs, 0, None))
    out["lift_lo"] = out.lift * np.exp(-Z95 * se_log)
    out["lift_hi"] = out.lift * np.exp(Z95 * se_log)
    base = everything.iloc[0]
    out["rate_premium"] = out.mean_log_rate - base.mean_log_rate
    se_p = np.sqrt(out.var_log_rate / out.n_rated + base.var_log_rate / max(base.n_rated, 1))
    out["rate_premium_lo"] = out.rate_premium - Z95 * se_p
    out["rate_premium_hi"] = out.rate_premium + Z95 * se_p
    out["low_n"] = out.n < min_n
    out = (
        out.sort_values(["low_n", "lift"], ascending=[True, False]).head(top).reset_index(drop=True)
    )
    return out[list(SKILL_PAIR_COLUMNS)]


@analysis
def top_titles(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    limit: int = 10,
) -> pd.DataFrame:
    """The job titles posted most often (raw scraped text: escape before display).

    Returns
    -------
    pandas.DataFrame
        ``title``, ``n_jobs``, ``niche`` (alphabetically first niche of the title),
        ``first_posted_date``; most frequent first, at most ``limit`` (1–100) rows.
    """
    _params.positive_int(limit, "limit", maximum=100)
    lo, hi = _sql.data_window(con, since, until)
    return _sql.run(
        con, "top_titles", since=lo, until=hi, niche=_params.niche_or_all(niche), limit=limit
    )


@analysis
def skill_demand(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
    top: int = 15,
) -> pd.DataFrame:
    """Which skills a niche's postings ask for, and how many postings each has per freelancer.

    ``share`` is the share of the niche's postings (with skills, in the window) that ask
    for the skill (Wilson 95%). ``jobs_per_freelancer`` — the "opportunity index" of
    community dashboards — is those postings per active freelancer listing the skill
    on their profile (active: sent a proposal in the window, in any niche), with a
    Poisson 95% interval on the postings; null when the warehouse holds no proposals
    or profiles (a postings dump).

    Returns
    -------
    pandas.DataFrame
        Up to ``top`` skills, most asked first: ``niche``, ``skill``, ``n`` (postings of
        the niche), ``n_jobs_with_skill``, ``share``, ``share_lo``, ``share_hi``,
        ``n_freelancers``, ``jobs_per_freelancer``, ``jobs_per_freelancer_lo``,
        ``jobs_per_freelancer_hi``, ``low_n``.
    """
    niche = _params.choice(niche, taxonomy.NICHES, "niche")
    _params.positive_int(top, "top", maximum=1000)
    lo, hi = _params.window(since, until)
    df = _sql.run(con, "skill_demand", niche=niche, since=lo, until=hi).head(top)
    out = pd.DataFrame({"niche": niche, "skill": df.skill.astype(str)})
    out["n"] = df.n_jobs.astype(int)
    out["n_jobs_with_skill"] = df.n_jobs_with_skill.astype(int)
    out["share"] = out.n_jobs_with_skill / out.n.where(out.n > 0)
    out["share_lo"], out["share_hi"] = wilson(out.n_jobs_with_skill, out.n.where(out.n > 0))
    out["n_freelancers"] = df.n_freelancers.astype(int)
    supply = out.n_freelancers.where(out.n_freelancers > 0).astype(float)
    out["jobs_per_freelancer"] = out.n_jobs_with_skill / supply
    j_lo, j_hi = poisson_rate_interval(out.n_jobs_with_skill.to_numpy(float), supply.to_numpy())
    out["jobs_per_freelancer_lo"] = j_lo
    out["jobs_per_freelancer_hi"] = j_hi
    out["low_n"] = out.n < min_n
    return out.reset_index(drop=True)


SKILL_PAIR_EFFECT_COLUMNS = ("niche", *SKILL_PAIR_COLUMNS[:3], "n_jobs", *SKILL_PAIR_COLUMNS[3:])


@analysis
def skill_pair_effects(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str,
    since: date | str | None = None,
    until: date | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Skill alliances within one niche: how often two skills are asked together, and
    what postings asking for both pay, against the niche's other postings.

    ``lift = P(a and b) / (P(a) P(b))`` over the niche's postings (1 = no alliance;
    a random skill list of fixed length gives slightly below 1). Its 95% interval is
    the delta method on log lift with the multinomial covariances of the three
    counts. ``rate_premium`` is the mean, over hourly postings asking for both
    skills, of each posting's mean log bid (all its bids, hired or not: who applies
    does not depend on the skills asked) minus the same mean over the niche's other
    hourly postings; Welch 95% interval.

    Returns
    -------
    pandas.DataFrame
        One row per pair asked together at least once, by lift: ``niche``,
        ``skill_a``, ``skill_b`` (alphabetical), ``n`` (postings with both),
        ``n_jobs`` (postings of the niche with skills), ``lift``, ``lift_lo``,
        ``lift_hi``, ``n_rated`` (hourly postings with both and bids),
        ``rate_premium``, ``rate_premium_lo``, ``rate_premium_hi``, ``low_n``.
    """
    niche = _params.choice(niche, taxonomy.NICHES, "niche")
    lo, hi = _params.window(since, until)
    counts = _sql.run(con, "skill_pairs", niche=niche, since=lo, until=hi, bids=True)
    everything = counts[counts.skill_a.isna()]
    if everything.empty or everything.n.iloc[0] == 0:
        return pd.DataFrame(columns=list(SKILL_PAIR_EFFECT_COLUMNS))
    total = everything.iloc[0]
    n_jobs = int(total.n)
    single = counts[counts.skill_a.notna() & counts.skill_b.isna()].set_index("skill_a").n
    out = counts[counts.skill_b.notna()].reset_index(drop=True)
    n_a, n_b = single[out.skill_a].to_numpy(float), single[out.skill_b].to_numpy(float)
    n_ab = out.n.to_numpy(float)
    lift = n_ab * n_jobs / (n_a * n_b)
    # Var(log lift) from the multinomial covariances of n_ab, n_a, n_b
    var_log = np.clip(1 / n_ab - 1 / n_a - 1 / n_b + (2 * lift - 1) / n_jobs, 0, None)
    out["niche"] = niche
    out["n_jobs"] = n_jobs
    out["lift"] = lift
    out["lift_lo"] = lift * np.exp(-Z95 * np.sqrt(var_log))
    out["lift_hi"] = lift * np.exp(Z95 * np.sqrt(var_log))
    # the niche's other postings: the totals minus the pair's (sums from means, variances)
    r_in = out.n_rated.to_numpy(float)
    r_all = float(total.n_rated)
    r_out = r_all - r_in
    s1_in = out.mean_log_rate.to_numpy(float) * r_in
    s2_in = out.var_log_rate.to_numpy(float) * (r_in - 1) + s1_in**2 / r_in
    s1_all = float(total.mean_log_rate) * r_all
    s2_all = float(total.var_log_rate) * (r_all - 1) + s1_all**2 / r_all
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_in = s1_in / r_in
        mean_out = (s1_all - s1_in) / r_out
        var_in = out.var_log_rate.to_numpy(float)
        var_out = (s2_all - s2_in - r_out * mean_out**2) / (r_out - 1)
        se = np.sqrt(np.clip(var_in, 0, None) / r_in + np.clip(var_out, 0, None) / r_out)
    out["rate_premium"] = mean_in - mean_out
    out["rate_premium_lo"] = out.rate_premium - Z95 * se
    out["rate_premium_hi"] = out.rate_premium + Z95 * se
    out["low_n"] = out.n < min_n
    out = out.sort_values(["lift", "skill_a", "skill_b"], ascending=[False, True, True])
    return out.reset_index(drop=True)[list(SKILL_PAIR_EFFECT_COLUMNS)]


@analysis
def skill_alliances(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str,
    since: date | str | None = None,
    until: date | str | None = None,
    fdr: float = 0.05,
    min_n: int = 30,
) -> pd.DataFrame:
    """The skill alliances of a niche: pairs asked for together more often than chance.

    The rows of :func:`skill_pair_effects` whose lift is above 1 with the whole 95%
    interval above 1, and that survive a Benjamini–Hochberg test at ``fdr`` across
    the niche's pairs (one-sided z-test of log lift > 0), so that a niche with many
    pairs does not show chance ones; empty when none does — a page then says "none".

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`skill_pair_effects` and ``q_value``, strongest lift first.
    """
    table = skill_pair_effects(con, niche=niche, since=since, until=until, min_n=min_n)
    if table.empty:
        return table.assign(q_value=pd.Series(dtype=float))
    lift = table.lift.to_numpy(float)
    se = (np.log(table.lift_hi.to_numpy(float)) - np.log(lift)) / Z95
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, np.log(lift) / se, 0.0)
    rejected, q = benjamini_hochberg(stats.norm.sf(z), fdr)
    table["q_value"] = q
    keep = rejected & (table.lift_lo > 1).to_numpy()
    return table[keep].reset_index(drop=True)


def _event_dates_words(con: duckdb.DuckDBPyConnection, region: str | None) -> str:
    """``: this warehouse's postings run from 2023-01 to 2024-04, so a date between
    2023-02-01 and 2024-04-01`` (the event dates it can study), or '' without two months.
    """
    months = sorted(monthly_jobs(con, region=region).month.unique())
    if len(months) < 2:
        return ""
    first, last = (pd.Timestamp(m) for m in (months[0], months[-1]))
    earliest = first + pd.DateOffset(months=1)
    return (
        f": this warehouse's postings run from {first:%Y-%m} to {last:%Y-%m}, so a date "
        f"between {earliest:%Y-%m-%d} and {last:%Y-%m-%d}"
    )


@analysis
def event_study(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str,
    event_date: date | str = "2022-12-01",
    months: int = 12,
    placebo_months: tuple[int, ...] = (-12, 12),
    region: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Leads and lags of a niche's postings around a date, with placebo tests.

    Poisson regression of every niche's monthly postings (``months`` each side of
    the event) on month effects (market-wide swings), niche effects and, for the
    treated niche, one term per month relative to the event (``relative_month`` −m
    … m, month −1 the reference). A real shock shows lags away from 0 and leads
    near 0; leads away from 0 mean the niche was already moving (pre-trend).
    Dispersion-scaled (quasi-Poisson) Wald intervals. ``placebo``: the step of
    :func:`demand_shock` (treated niche; same window as the study) at the event date
    and at dates shifted by ``placebo_months`` (where the data reach), and at the
    event date for every other niche: if placebo steps are as large as the real one,
    the step is not the event's. Observational: a step at a date is not proof that
    the event caused it.

    Returns
    -------
    (leads_lags, placebo)
        ``leads_lags``: ``relative_month``, ``month``, ``estimate`` (log ratio to
        month −1), ``se``, ``lo``, ``hi``, ``n_jobs`` (treated niche), ``period``
        (lead / reference / lag). ``placebo``: ``kind`` (event, placebo date, placebo
        niche), ``niche``, ``event_date``, ``estimate``, ``se``, ``lo``, ``hi``,
        ``n_before``, ``n_after`` (the niche's postings each side), ``excludes_zero``.

    Raises
    ------
    ValueError
        When the data do not hold the niche's postings in the month before the event
        and in a month after it.
    """
    niche = _params.choice(niche, taxonomy.NICHES, "niche")
    event = _params.required_instant(event_date, "event_date")
    _params.positive_int(months, "months", maximum=60)
    counts = monthly_jobs(
        con, since=_months_back(event, months), until=_months_back(event, -months), region=region
    )
    counts = counts[counts.groupby("niche").n_jobs.transform("sum") > 0]
    niches_present = sorted(counts.niche.unique())
    if niche not in niches_present or len(niches_present) < 2:
        raise ValueError(
            f"no postings in niche {niche!r} (or no other niche) around {event.date()}"
            + _event_dates_words(con, region)
        )
    month_index = counts.month.dt.year * 12 + counts.month.dt.month - 1
    relative = (month_index - (event.year * 12 + event.month - 1)).to_numpy()
    treated = (counts.niche == niche).to_numpy()
    seen = set(relative[treated].tolist())
    if -1 not in seen or not any(k >= 0 for k in seen):
        raise ValueError(
            f"the event date {event.date()} must fall inside the data, with postings of "
            f"{niche!r} in the month before it and after it" + _event_dates_words(con, region)
        )
    rel_values = [k for k in sorted(seen) if k != -1]
    months_present = sorted(counts.month.unique())
    others = [k for k in niches_present if k != niche]
    columns = [(treated & (relative == k)).astype(float) for k in rel_values]
    columns += [(counts.month == m).to_numpy(float) for m in months_present]
    columns += [(counts.niche == k).to_numpy(float) for k in others[1:] + [niche]]
    x = np.column_stack(columns)
    fit = glm(
        x,
        counts.n_jobs.to_numpy(float),
        [str(i) for i in range(x.shape[1])],
        "poisson",
        scale_by_dispersion=True,
        offset=np.log(counts.coverage.to_numpy(float)),
    )
    se = np.sqrt(np.diag(fit.cov))[: len(rel_values)]
    est = fit.coef[: len(rel_values)]
    own = counts[treated].assign(relative_month=relative[treated])
    leads_lags = pd.DataFrame({"relative_month": rel_values, "estimate": est, "se": se})
    leads_lags = pd.concat(
        [leads_lags, pd.DataFrame({"relative_month": [-1], "estimate": [0.0], "se": [0.0]})]
    ).sort_values("relative_month")
    leads_lags = leads_lags.merge(
        own[["relative_month", "month", "n_jobs"]], on="relative_month", how="left"
    )
    leads_lags["lo"] = leads_lags.estimate - Z95 * leads_lags.se
    leads_lags["hi"] = leads_lags.estimate + Z95 * leads_lags.se
    leads_lags["period"] = np.select(
        [leads_lags.relative_month < -1, leads_lags.relative_month == -1],
        ["lead", "reference"],
        "lag",
    )
    leads_lags = leads_lags[
        ["relative_month", "month", "estimate", "se", "lo", "hi", "n_jobs", "period"]
    ].reset_index(drop=True)
    return leads_lags, _placebo_steps(con, niche, event, months, placebo_months, others)


def _placebo_steps(
    con: duckdb.DuckDBPyConnection,
    niche: str,
    event: datetime,
    months: int,
    shifts: tuple[int, ...],
    others: list[str],
) -> pd.DataFrame:
    """The step at the event, at shifted dates (treated niche) and in the other niches."""
    first, last = _sql.data_window(con, None, None)
    runs = [("event", niche, event)]
    for shift in shifts:
        when = _months_back(event, -shift)
        if first < _months_back(when, 3) and _months_back(when, -3) < last:
            runs.append(("placebo date", niche, when))
    runs += [("placebo niche", other, event) for other in others]
    rows = []
    for kind, which, when in runs:
        step = demand_shock(
            con, niche=which, event_date=when.date(), months_before=months, months_after=months
        ).iloc[0]
        rows.append(
            (kind, which, when.date(), step.estimate, step.se, step.lo, step.hi)
            + (int(step.n_before), int(step.n_after))
        )
    columns = ["kind", "niche", "event_date", "estimate", "se", "lo", "hi", "n_before", "n_after"]
    out = pd.DataFrame(rows, columns=columns)
    out["excludes_zero"] = (out.lo > 0) | (out.hi < 0)
    return out
