"""An idiomatic pandas/numpy/statsmodels implementation of the fdsa analysis suite.

What a careful analyst would write in a notebook against CSV exports of the
warehouse: ``pd.read_csv`` with ``usecols``, parsed dates and categorical dtypes,
then groupby / merge / ``merge_asof`` and statsmodels for the models. It follows
the definitions of ``fdsa/analysis/sql/*.sql`` exactly (as-of reviews strictly
before the proposal, ``nth_contract`` by ``contract_id``, small job =
``duration == 'less_than_1_month'``, ...), so results can be checked equal to the
fdsa functions with their default arguments.

The interval and choice-model numerics that have no statsmodels counterpart (the
two-way clustered conditional logit, Woodruff cluster-robust medians, the seeded
freelancer-cluster bootstrap of shares) are fdsa's own numpy functions from
``fdsa.analysis._stats``, fed with arrays from the frames, as the polars peer does: the
race is about the data work, and the results can be equal to the digit.

``export(warehouse, directory)`` writes the CSV files once (setup, not timed);
``load(directory)`` reads them; ``compute(frames)`` returns a dict of results
keyed like :data:`SUITE`.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

TABLES = ("profiles", "jobs", "proposals", "contracts", "reviews")
SUITE = (
    "niche_summary",
    "niche_growth",
    "hire_model",
    "rate_drivers",
    "channel_mix",
    "rating_inflation",
    "concurrent_clients",
)

# the controlled vocabularies (as in fdsa/taxonomy.py; copied so this file stands alone
# apart from the vocabularies, which an analyst would take from the data dictionary)
from fdsa import taxonomy  # noqa: E402
from fdsa.analysis._stats import (  # noqa: E402
    cluster_bootstrap_shares,
    cluster_quantile_interval,
    conditional_logit,
    ols_by_blocks,
)

NICHES = taxonomy.NICHES
Z95 = float(stats.norm.ppf(0.975))
YEAR_S = 365.25 * 86400


# ------------------------------------------------------------------ export / load


def export(warehouse: str | Path, directory: str | Path) -> None:
    """Write each table the analyses need to ``<directory>/<table>.csv`` (whole tables)."""
    import duckdb

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    con.execute("set enable_progress_bar = false")
    for table in TABLES:
        out = directory / f"{table}.csv"
        tmp = directory / f".{table}.csv.tmp"
        con.execute(f"copy {table} to '{tmp}' (header, delimiter ',')")  # noqa: S608 - constant
        tmp.replace(out)
    con.close()
    (directory / "EXPORTED").write_text("ok\n")


def exported(directory: str | Path) -> bool:
    return (Path(directory) / "EXPORTED").exists()


_CAT = "category"
_READ = {
    "profiles": dict(
        usecols=["freelancer_id", "joined_at", "region", "experience_years_at_join"],
        dtype={"freelancer_id": "int64", "region": _CAT, "experience_years_at_join": "float64"},
        parse_dates=["joined_at"],
    ),
    "jobs": dict(
        usecols=[
            "job_id",
            "client_id",
            "posted_at",
            "niche",
            "job_type",
            "hourly_low",
            "hourly_high",
            "budget",
            "is_placeholder_budget",
            "experience_level",
            "duration",
            "region",
        ],
        dtype={
            "job_id": "int64",
            "client_id": "Int64",
            "niche": _CAT,
            "job_type": _CAT,
            "hourly_low": "float64",
            "hourly_high": "float64",
            "budget": "float64",
            "is_placeholder_budget": "bool",
            "experience_level": _CAT,
            "duration": _CAT,
            "region": _CAT,
        },
        parse_dates=["posted_at"],
    ),
    "proposals": dict(
        usecols=[
            "proposal_id",
            "job_id",
            "freelancer_id",
            "submitted_at",
            "channel",
            "bid_amount",
            "outcome",
        ],
        dtype={
            "proposal_id": "int64",
            "job_id": "int64",
            "freelancer_id": "int64",
            "channel": _CAT,
            "bid_amount": "float64",
            "outcome": _CAT,
        },
        parse_dates=["submitted_at"],
    ),
    "contracts": dict(
        usecols=[
            "contract_id",
            "proposal_id",
            "job_id",
            "freelancer_id",
            "client_id",
            "channel",
            "contract_type",
            "started_at",
            "ended_at",
            "hourly_rate",
            "hours_per_week",
            "earnings",
        ],
        dtype={
            "contract_id": "int64",
            "proposal_id": "int64",
            "job_id": "int64",
            "freelancer_id": "int64",
            "client_id": "int64",
            "channel": _CAT,
            "contract_type": _CAT,
            "hourly_rate": "float64",
            "hours_per_week": "float64",
            "earnings": "float64",
        },
        parse_dates=["started_at", "ended_at"],
    ),
    "reviews": dict(
        usecols=["contract_id", "direction", "stars", "submitted_at", "is_privately_dissatisfied"],
        dtype={
            "contract_id": "int64",
            "direction": _CAT,
            "stars": "float64",
            "is_privately_dissatisfied": "boolean",
        },
        parse_dates=["submitted_at"],
    ),
}


def load(directory: str | Path, engine: str = "pyarrow") -> dict[str, pd.DataFrame]:
    """Read the exported CSVs (timestamps as UTC datetimes, vocabularies as categoricals)."""
    directory = Path(directory)
    frames = {}
    for table, kw in _READ.items():
        df = pd.read_csv(directory / f"{table}.csv", engine=engine, **kw)
        for col in kw["parse_dates"]:
            if df[col].dt.tz is None:  # pragma: no cover - depends on the parser
                df[col] = df[col].dt.tz_localize("UTC")
        frames[table] = df
    return frames


# ------------------------------------------------------------------ small helpers


def wilson(k, n):
    """95% Wilson score interval (statsmodels' ``proportion_confint(method='wilson')``)."""
    from statsmodels.stats.proportion import proportion_confint

    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    return np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)


def data_span(jobs: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """[first posting day, day after the last posting), at midnight UTC."""
    return jobs.posted_at.min().floor("D"), jobs.posted_at.max().floor("D") + pd.Timedelta(1, "D")


def data_months(jobs: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.DataFrame:
    """Months of [lo, hi) holding postings and the share of each the data cover."""
    first, end = data_span(jobs)
    posted = jobs.posted_at[(jobs.posted_at >= lo) & (jobs.posted_at < hi)]
    month = posted.dt.tz_localize(None).dt.to_period("M")
    out = pd.DataFrame({"month": np.sort(month.unique())})
    start = out.month.dt.start_time
    days = out.month.dt.days_in_month
    a = np.maximum(np.maximum(start, first.tz_localize(None)), lo.tz_localize(None).floor("D"))
    last_day = (hi - pd.Timedelta(1, "us")).tz_localize(None).floor("D")
    b = np.minimum(
        np.minimum(
            out.month.dt.end_time.dt.floor("D"), end.tz_localize(None) - pd.Timedelta(1, "D")
        ),
        last_day,
    )
    out["coverage"] = ((b - a).dt.days + 1) / days
    return out


def data_end(jobs: pd.DataFrame) -> pd.Timestamp:
    """First instant of the month after the latest posting."""
    last = jobs.posted_at.max()
    return (last.tz_localize(None).to_period("M") + 1).to_timestamp().tz_localize("UTC")


def _dummies(s: pd.Series, reference: str, prefix: str, order) -> pd.DataFrame:
    """0/1 columns for the levels present (in vocabulary order), reference dropped."""
    d = pd.get_dummies(s.astype(str), dtype=float)
    cols = [lv for lv in order if lv != reference and lv in d.columns]
    return d[cols].add_prefix(prefix)


# ------------------------------------------------------------------ shared views


def proposal_context(f: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Proposals with the freelancer's client reviews strictly before them (merge_asof)."""
    rv = f["reviews"]
    rv = rv[rv.direction == "client_to_freelancer"].merge(
        f["contracts"][["contract_id", "freelancer_id"]], on="contract_id"
    )
    rv = rv.assign(tenths=(rv.stars * 10).round().astype("int64"))  # stars are in tenths
    steps = (
        rv.groupby(["freelancer_id", "submitted_at"], sort=True)
        .tenths.agg(["size", "sum"])
        .reset_index()
    )
    running = steps.groupby("freelancer_id")[["size", "sum"]].cumsum()
    steps["n_reviews"] = running["size"]
    steps["sum_tenths"] = running["sum"]
    steps = steps.drop(columns=["size", "sum"]).sort_values("submitted_at", kind="stable")
    pc = pd.merge_asof(
        f["proposals"].sort_values("submitted_at", kind="stable"),
        steps,
        on="submitted_at",
        by="freelancer_id",
        allow_exact_matches=False,  # strictly before the proposal
        direction="backward",
    )
    pc["n_reviews"] = pc.n_reviews.fillna(0).astype("int64")
    # the mean as a profile shows it: rounded half up to hundredths (integer arithmetic)
    n = pc.n_reviews.where(pc.n_reviews > 0)
    pc["rating"] = ((20 * pc.sum_tenths + n) // (2 * n)) / 100
    pc = pc.drop(columns="sum_tenths")
    prof = f["profiles"].rename(columns={"region": "freelancer_region"})
    pc = pc.merge(prof, on="freelancer_id")
    pc["experience_years"] = (
        pc.experience_years_at_join + (pc.submitted_at - pc.joined_at).dt.total_seconds() / YEAR_S
    )
    jobs = f["jobs"][["job_id", "client_id", "niche", "experience_level", "job_type", "posted_at"]]
    return pc.merge(jobs, on="job_id")


# ------------------------------------------------------------------ result tables
# The small tables each analysis ends with, from per-group numbers: shared with the
# polars peer (bench/polars_baseline.py), whose data work ends in the same numbers.


def demand_table(out: pd.DataFrame, months: float) -> pd.DataFrame:
    """Demand per niche from rows in NICHES order (n_jobs, n_proposals, var, active)."""
    counts = ["n_jobs", "n_proposals", "n_active_freelancers"]
    out[counts] = out[counts].fillna(0).astype(int)
    out["months"] = round(months, 2)
    out["jobs_per_month"] = out.n_jobs / months
    k = out.n_jobs.to_numpy(float)
    out["jobs_per_month_lo"] = np.where(k > 0, stats.chi2.ppf(0.025, 2 * k) / 2, 0.0) / months
    out["jobs_per_month_hi"] = stats.chi2.ppf(0.975, 2 * k + 2) / 2 / months
    n = out.n_jobs.where(out.n_jobs > 0)
    out["proposals_per_job"] = out.n_proposals / n
    half = Z95 * np.sqrt(out["var"].fillna(0) / n)
    out["proposals_per_job_lo"] = out.proposals_per_job - half
    out["proposals_per_job_hi"] = out.proposals_per_job + half
    out["active_freelancers_per_job"] = out.n_active_freelancers / n
    return out.drop(columns="var")


def add_pay(out: pd.DataFrame, measure: str, values, clusters, codes) -> None:
    """Columns ``<measure>_n/_median/_lo/_hi`` per niche: Woodruff cluster-robust medians."""
    n, est, q_lo, q_hi = cluster_quantile_interval(
        np.asarray(values, float), np.asarray(clusters), np.asarray(codes), len(NICHES)
    )
    out[measure + "_n"] = n.astype(int)
    out[measure + "_median"] = est
    out[measure + "_lo"] = q_lo
    out[measure + "_hi"] = q_hi


def trend(years, months, y, coverage) -> tuple[float, float]:
    """Poisson log-linear trend per year (month-of-year effects from 24 months; coverage
    as exposure) and its dispersion-scaled standard error.
    """
    import statsmodels.api as sm

    y = np.asarray(y, float)
    if y.sum() == 0 or len(y) < 3:
        return np.nan, np.nan
    months = np.asarray(months)
    t = np.asarray(years, float) + (months - 1) / 12
    x = np.column_stack([np.ones(len(y)), t - t.mean()])
    if len(y) >= 24:
        x = np.column_stack([x, *[(months == m).astype(float) for m in range(2, 13)]])
    offset = np.log(np.asarray(coverage, float))
    res = sm.GLM(y, x, family=sm.families.Poisson(), offset=offset).fit(tol=1e-13, maxiter=100)
    dispersion = max(res.pearson_chi2 / max(res.df_resid, 1), 1.0)
    return res.params[1], res.bse[1] * np.sqrt(dispersion)


def growth_table(rows: list[tuple]) -> pd.DataFrame:
    """Growth relative to the typical niche, BH-adjusted flags, from (niche, n, slope, se)."""
    from statsmodels.stats.multitest import multipletests

    out = pd.DataFrame(rows, columns=["niche", "n", "growth_log_per_year", "se"])
    out["growth_rel"] = out.growth_log_per_year - out.growth_log_per_year.median()
    out["lo"] = out.growth_rel - Z95 * out.se
    out["hi"] = out.growth_rel + Z95 * out.se
    out["p_value"] = 2 * stats.norm.sf((out.growth_rel / out.se).fillna(0).abs())
    reject, out["q_value"], _, _ = multipletests(out.p_value, alpha=0.05, method="fdr_bh")
    out["status"] = np.select(
        [reject & (out.growth_rel > 0), reject & (out.growth_rel < 0)],
        ["emerging", "declining"],
        "steady",
    )
    out["low_n"] = out.n < 100
    return out


def hire_table(x: np.ndarray, names: list[str], chosen, jobs, freelancers) -> pd.DataFrame:
    """The conditional logit, errors clustered by freelancer and by posting (fdsa's default)."""
    chosen = np.asarray(chosen, bool)
    x = np.ascontiguousarray(x, dtype=float)
    fit = conditional_logit(x, chosen, np.asarray(jobs), names, clusters=np.asarray(freelancers))
    table = fit.table()
    table["odds_ratio"] = np.exp(table.estimate)
    table["odds_ratio_lo"] = np.exp(table.lo)
    table["odds_ratio_hi"] = np.exp(table.hi)
    table["n_hired"] = int(chosen.sum())
    table["low_n"] = table.n_hired < 100
    return table


def within_fit(x, y, names: list[str], groups, jobs) -> tuple[np.ndarray, np.ndarray]:
    """Demeaned bids: two-way clustered OLS (freelancer, posting) by fdsa's numpy."""
    x = np.ascontiguousarray(x, dtype=float)
    fit, _ = ols_by_blocks(
        lambda a, b: x[a:b], len(x), np.asarray(y, float), names, groups, second_clusters=jobs
    )
    return fit.coef, np.sqrt(np.diag(fit.cov))


def rate_table(w_table: pd.DataFrame, b_table: pd.DataFrame) -> pd.DataFrame:
    """Intercept, the within terms, then the regions; premiums in percent."""
    table = pd.concat([b_table.iloc[:1], w_table, b_table.iloc[1:]], ignore_index=True)
    table["premium_pct"] = 100 * np.expm1(table.estimate)
    table["premium_pct_lo"] = 100 * np.expm1(table.lo)
    table["premium_pct_hi"] = 100 * np.expm1(table.hi)
    table["low_n"] = table.n_level < 30
    return table


def channel_table(channel, bucket, freelancers, weights=None) -> pd.DataFrame:
    """Channel shares per tenure bucket (codes), freelancer-cluster bootstrap intervals."""
    buckets, channels = list(taxonomy.TENURE_BUCKETS), list(taxonomy.CHANNELS)
    channel, bucket = np.asarray(channel, np.int64), np.asarray(bucket, np.int64)
    share, lo, hi = cluster_bootstrap_shares(
        channel, np.asarray(freelancers), len(channels), bucket, len(buckets), weights=weights
    )
    cells = bucket * len(channels) + channel
    n_channel = np.bincount(cells, weights, minlength=len(buckets) * len(channels))
    out = pd.DataFrame(
        {
            "bucket": np.repeat(buckets, len(channels)),
            "channel": np.tile(channels, len(buckets)),
            "n_channel": n_channel.astype(int),
        }
    )
    out["n"] = out.groupby("bucket", sort=False).n_channel.transform("sum")
    out["share"], out["lo"], out["hi"] = share.ravel(), lo.ravel(), hi.ravel()
    out["low_n"] = out.n < 30
    return out[["bucket", "channel", "n", "n_channel", "share", "lo", "hi", "low_n"]]


def inflation_tables(by_year: pd.DataFrame, top, years) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Top-rating share per year (Wilson) and the logit trend of the top rating per year."""
    import statsmodels.api as sm

    by_year["top_share"] = by_year.n_top / by_year.n
    by_year["lo"], by_year["hi"] = wilson(by_year.n_top, by_year.n)
    by_year["low_n"] = by_year.n < 30
    x = np.column_stack([np.ones(len(top)), np.asarray(years, float)])
    res = sm.Logit(np.asarray(top, float), x).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
    trend = (
        coef_table(["intercept", "top_rating_logodds_per_year"], res.params, res.bse, len(top))
        .iloc[[1]]
        .reset_index(drop=True)
    )
    return by_year[["year", "n", "n_top", "top_share", "lo", "hi", "mean_stars", "low_n"]], trend


def concurrent_tables(n_clients, who, hours, hourly_hours, hourly_who):
    """Concurrent clients (1, 2, 3, 4+; freelancer bootstrap) and Woodruff medians."""
    n_clients = np.asarray(n_clients, np.int64)
    bucket = np.clip(n_clients, 1, 4) - 1
    counts = np.bincount(bucket, minlength=4)
    n = int(counts.sum())
    dist = pd.DataFrame({"n_clients": ["1", "2", "3", "4+"], "n": n, "count": counts})
    share, s_lo, s_hi = cluster_bootstrap_shares(bucket, np.asarray(who), 4)
    dist["share"] = share[0] if n else np.nan
    dist["lo"], dist["hi"] = s_lo[0], s_hi[0]
    rows = [
        ("median_concurrent_clients", n_clients, who),
        ("median_hours_per_week_total", hours, who),
        ("median_hours_per_week_per_hourly_contract", hourly_hours, hourly_who),
    ]
    summary = pd.DataFrame(
        [
            (name, *(float(a[0]) for a in cluster_quantile_interval(np.asarray(v, float), c)))
            for name, v, c in rows
        ],
        columns=["measure", "n", "estimate", "lo", "hi"],
    )
    summary["n"] = summary.n.astype(int)
    summary["low_n"] = summary.n < 30
    return dist, summary


# ------------------------------------------------------------------ metrics


def niche_summary(f) -> pd.DataFrame:
    jobs, props = f["jobs"], f["proposals"]
    lo, hi = data_span(jobs)
    months = float(data_months(jobs, lo, hi).coverage.sum())
    j = jobs[(jobs.posted_at >= lo) & (jobs.posted_at < hi)]
    per_job = props.job_id.value_counts().reindex(j.job_id, fill_value=0).to_numpy()
    g = pd.Series(per_job, index=j.index).groupby(j.niche, observed=True)
    out = pd.DataFrame({"n_jobs": g.size(), "n_proposals": g.sum(), "var": g.var()})
    jp = props.merge(j[["job_id", "niche"]], on="job_id")
    out["n_active_freelancers"] = jp.groupby("niche", observed=True).freelancer_id.nunique()
    out = demand_table(out.reindex(list(NICHES)), months)

    c = f["contracts"]
    c = c[(c.contract_type == "hourly") & (c.started_at >= lo) & (c.started_at < hi)]
    # cluster-robust (Woodruff) medians: posted pay clustered by client, agreed by freelancer
    pay = {
        "posted_hourly_mid": (
            (j.hourly_low + j.hourly_high) / 2,
            j.niche,
            j.client_id,
            (j.job_type == "hourly") & j.hourly_low.notna() & j.hourly_high.notna(),
        ),
        "fixed_budget": (
            j.budget,
            j.niche,
            j.client_id,
            (j.job_type == "fixed") & j.budget.notna() & ~j.is_placeholder_budget,
        ),
    }
    agreed = c[["job_id", "hourly_rate", "freelancer_id"]].merge(
        jobs[["job_id", "niche"]], on="job_id"
    )
    pay["agreed_hourly_rate"] = (agreed.hourly_rate, agreed.niche, agreed.freelancer_id, None)
    for measure, (values, niche, cluster, mask) in pay.items():
        if mask is not None:
            values, niche, cluster = values[mask], niche[mask], cluster[mask]
        code = pd.Categorical(niche.astype(str), categories=NICHES).codes
        add_pay(out, measure, values.to_numpy(float), cluster.to_numpy(np.int64), code)
    out["low_n"] = out.n_jobs < 30
    return out.rename_axis("niche").reset_index()


GROWTH_MONTHS = 36


def niche_growth(f) -> pd.DataFrame:
    """Poisson trend per niche over the last 36 months of data (coverage as exposure)."""
    jobs = f["jobs"]
    first, last = data_span(jobs)
    end = data_end(jobs)
    lo, hi = max(end - pd.DateOffset(months=GROWTH_MONTHS), first), min(end, last)
    j = jobs[(jobs.posted_at >= lo) & (jobs.posted_at < hi)]
    month = j.posted_at.dt.tz_localize(None).dt.to_period("M")
    months = data_months(jobs, lo, hi)
    counts = (
        j.groupby([j.niche.astype(str), month])
        .size()
        .reindex(pd.MultiIndex.from_product([list(NICHES), months.month]), fill_value=0)
        .rename("n_jobs")
        .rename_axis(["niche", "month"])
        .reset_index()
        .merge(months, on="month")
    )
    rows = []
    for niche, part in counts.groupby("niche", sort=False):
        slope, se = trend(part.month.dt.year, part.month.dt.month, part.n_jobs, part.coverage)
        rows.append((niche, int(part.n_jobs.sum()), slope, se))
    return growth_table(rows)


def coef_table(names, params, bse, n) -> pd.DataFrame:
    params, bse = np.asarray(params), np.asarray(bse)
    return pd.DataFrame(
        {
            "term": names,
            "estimate": params,
            "se": bse,
            "lo": params - Z95 * bse,
            "hi": params + Z95 * bse,
            "n": n,
        }
    )


HASH_RANGE = 2**32
CHOICE_ROWS_MAX = 3_000_000
BID_ROWS_MAX = 2_500_000


def _sampled(df: pd.DataFrame, cap: int) -> pd.DataFrame:
    """Whole postings whose hashed job_id falls below the threshold that keeps ~cap rows."""
    if len(df) <= cap:
        return df
    below = int(HASH_RANGE * cap / len(df))
    return df[(df.job_id * 2654435761) % HASH_RANGE < below]


def hire_model(f, pc: pd.DataFrame) -> pd.DataFrame:
    """Conditional logit over the decided proposals of postings that hired exactly one."""
    d = _sampled(pc[pc.outcome.isin(["hired", "not_hired"])], CHOICE_ROWS_MAX)
    hired = (d.outcome == "hired").astype(int)
    by_job = hired.groupby(d.job_id)
    keep = (by_job.transform("sum") == 1) & (by_job.transform("size") >= 2)
    d = d[keep].sort_values(["job_id", "proposal_id"], kind="stable")
    log_bid = np.log(d.bid_amount)
    ratio = log_bid - log_bid.groupby(d.job_id).transform("mean")
    reviewed = (d.n_reviews > 0).astype(float)
    log_reviews = np.log1p(d.n_reviews.astype(float))
    lower = d.freelancer_region.isin(taxonomy.LOWER_INCOME_REGIONS).astype(float)
    x = pd.concat(
        [
            _dummies(d.channel, "application", "hire_logodds_channel__", taxonomy.CHANNELS),
            reviewed.rename("hire_logodds_first_review"),
            log_reviews.rename("hire_logodds_per_log1p_review"),
            ((d.rating.fillna(4.5) - 4.5) * reviewed).rename("hire_logodds_per_star"),
            lower.rename("hire_logodds_region_penalty_at_zero_reviews"),
            (lower * log_reviews).rename("hire_logodds_region_recovery_per_log1p_review"),
            (ratio * (1 - reviewed)).rename("hire_logodds_per_log_bid_ratio__no_reviews"),
            (ratio * reviewed).rename("hire_logodds_per_log_bid_ratio__reviewed"),
        ],
        axis=1,
    )
    chosen = (d.outcome == "hired").to_numpy()
    return hire_table(
        x.to_numpy(float), list(x.columns), chosen, d.job_id.to_numpy(), d.freelancer_id
    )


def rate_drivers(f, pc: pd.DataFrame) -> pd.DataFrame:
    """Hourly bids: drivers within freelancers (fixed effects; errors clustered by
    freelancer and by posting), then region between them.
    """
    import statsmodels.api as sm

    bids = _sampled(pc[(pc.job_type == "hourly") & (pc.bid_amount > 0)], BID_ROWS_MAX)
    c = f["contracts"].merge(f["jobs"][["job_id", "duration"]], on="job_id")
    c = c.sort_values("contract_id", kind="stable")
    c["nth"] = c.groupby("freelancer_id").cumcount() + 1
    careers = pd.DataFrame(
        {
            "fifth_started_at": c[c.nth == 5].set_index("freelancer_id").started_at,
            "n_small_first5": ((c.nth <= 5) & (c.duration == "less_than_1_month"))
            .groupby(c.freelancer_id)
            .sum(),
        }
    ).reset_index(names="freelancer_id")
    pairs = (
        c.groupby(["freelancer_id", "client_id"]).started_at.min().rename("first_started_at")
    ).reset_index()
    df = bids.merge(careers, on="freelancer_id", how="left").merge(
        pairs, on=["freelancer_id", "client_id"], how="left"
    )
    df = df.sort_values("proposal_id", kind="stable").reset_index(drop=True)
    small_and_wide = (df.fifth_started_at < df.submitted_at) & (df.n_small_first5 >= 3)
    new_client = df.first_started_at.isna() | (df.first_started_at >= df.submitted_at)
    reviewed = (df.n_reviews > 0).astype(float)
    x = pd.concat(
        [
            df.experience_years.rename("rate_log_per_experience_year"),
            np.log1p(df.n_reviews.astype(float)).rename("rate_log_per_log1p_review"),
            ((df.rating.fillna(4.5) - 4.5) * reviewed).rename("rate_log_per_star"),
            small_and_wide.astype(float).rename("rate_log_premium_small_and_wide_after_5"),
            new_client.astype(float).rename("rate_log_premium_new_client"),
            _dummies(df.niche, taxonomy.REFERENCE_NICHE, "rate_log_premium_niche__", NICHES),
            _dummies(df.channel, "application", "rate_log_premium_channel__", taxonomy.CHANNELS),
            _dummies(
                df.experience_level,
                "intermediate",
                "rate_log_premium_experience_level__",
                taxonomy.EXPERIENCE_LEVELS,
            ),
        ],
        axis=1,
    )
    y = np.log(df.bid_amount)
    groups = pd.factorize(df.freelancer_id)[0]
    x_means = x.groupby(groups).transform("mean")
    y_means = y.groupby(groups).transform("mean")
    jobs = pd.factorize(df.job_id)[0]
    coef, w_se = within_fit(x - x_means, y - y_means, list(x.columns), groups, jobs)
    level = (y_means - x_means.to_numpy() @ coef).groupby(groups).first()
    region = df.freelancer_region.astype(str).groupby(groups).first()
    xb = pd.concat(
        [
            pd.Series(1.0, index=region.index, name="intercept"),
            _dummies(
                region, taxonomy.REFERENCE_REGION, "rate_log_premium_region__", taxonomy.REGIONS
            ),
        ],
        axis=1,
    )
    between = sm.OLS(level, xb).fit(cov_type="HC1")
    n_level = x.sum().round().astype(int).to_numpy()
    w_table = coef_table(list(x.columns), coef, w_se, len(df))
    w_table["n_level"] = np.where(w_table.term.str.contains("__"), n_level, len(df))
    b_table = coef_table(list(xb.columns), between.params, between.bse, len(xb))
    counts = df.freelancer_region.astype(str).value_counts()
    b_table["n_level"] = [
        len(df) if t == "intercept" else int(counts.get(t.split("__")[1], 0)) for t in b_table.term
    ]
    return rate_table(w_table, b_table)


def channel_mix(f, pc: pd.DataFrame) -> pd.DataFrame:
    """Contracts' channels by the freelancer's tenure at the start (freelancer bootstrap)."""
    cc = f["contracts"][["proposal_id", "channel", "started_at"]].merge(
        pc[["proposal_id", "freelancer_id", "joined_at"]], on="proposal_id"
    )
    tenure = (cc.started_at - cc.joined_at).dt.total_seconds() / YEAR_S
    bucket = np.select([tenure < 1, tenure < 2], [0, 1], 2)  # unknown tenure: third year+
    channel = pd.Categorical(cc.channel.astype(str), categories=taxonomy.CHANNELS).codes
    keep = channel >= 0
    return channel_table(channel[keep], bucket[keep], cc.freelancer_id.to_numpy()[keep])


def rating_inflation(f) -> tuple[pd.DataFrame, pd.DataFrame]:
    rv = f["reviews"]
    rv = rv[rv.direction == "client_to_freelancer"]
    # the SQL joins reviews → contracts → jobs (inner joins); keep that
    rv = rv.merge(f["contracts"][["contract_id", "job_id"]], on="contract_id")
    rv = rv[rv.job_id.isin(f["jobs"].job_id)]
    is_top = rv.stars >= 5.0
    by_year = (
        rv.assign(is_top=is_top, year=rv.submitted_at.dt.year)
        .groupby("year")
        .agg(n=("stars", "size"), n_top=("is_top", "sum"), mean_stars=("stars", "mean"))
        .reset_index()
    )
    # the trend on privately satisfied clients' reviews, where private feedback exists
    satisfied = rv.is_privately_dissatisfied.eq(False).to_numpy()
    fit = rv[satisfied] if rv.is_privately_dissatisfied.notna().any() else rv
    years = (fit.submitted_at - pd.Timestamp("2021-01-01", tz="UTC")).dt.total_seconds() / YEAR_S
    return inflation_tables(by_year, (fit.stars >= 5.0).to_numpy(float), years.to_numpy(float))


def concurrent_clients(f) -> tuple[pd.DataFrame, pd.DataFrame]:
    lo, hi = pd.Timestamp("2023-01-01", tz="UTC"), pd.Timestamp("2025-12-01", tz="UTC")
    snaps = pd.date_range(lo, hi, freq="28D")  # both ends included, like generate_series
    c = f["contracts"]
    # each contract runs on the contiguous block of snapshots in [started_at, ended_at)
    first = snaps.searchsorted(c.started_at, side="left")
    last = np.where(
        c.ended_at.isna(), len(snaps), snaps.searchsorted(c.ended_at.fillna(hi), side="left")
    )
    k = np.maximum(last - first, 0)
    rows = np.repeat(np.arange(len(c)), k)
    snap = np.repeat(first, k) + (np.arange(len(rows)) - np.repeat(np.cumsum(k) - k, k))
    running = pd.DataFrame(
        {
            "at": snap,
            "freelancer_id": c.freelancer_id.to_numpy()[rows],
            "client_id": c.client_id.to_numpy()[rows],
            "hours_per_week": c.hours_per_week.to_numpy()[rows],
        }
    )
    g = running.groupby(["at", "freelancer_id"])
    load = pd.DataFrame(
        {"n_clients": g.client_id.nunique(), "hours_per_week": g.hours_per_week.sum(min_count=1)}
    )
    who = load.index.get_level_values("freelancer_id").to_numpy()
    hourly = c[(c.contract_type == "hourly") & (c.started_at >= lo) & (c.started_at < hi)]
    return concurrent_tables(
        load.n_clients.to_numpy(),
        who,
        load.hours_per_week.to_numpy(float),
        hourly.hours_per_week.to_numpy(float),
        hourly.freelancer_id.to_numpy(),
    )


def compute(f: dict[str, pd.DataFrame]) -> dict[str, object]:
    """The whole suite on loaded frames."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        pc = proposal_context(f)
        return {
            "niche_summary": niche_summary(f),
            "niche_growth": niche_growth(f),
            "hire_model": hire_model(f, pc),
            "rate_drivers": rate_drivers(f, pc),
            "channel_mix": channel_mix(f, pc),
            "rating_inflation": rating_inflation(f),
            "concurrent_clients": concurrent_clients(f),
        }
