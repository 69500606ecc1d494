"""An idiomatic polars implementation of the fdsa analysis suite, over the Parquet lake.

What a polars user would write against ``fdsa warehouse export DIR --format parquet``:
lazy frames from ``pl.scan_parquet`` (projection and predicate pushdown; ``jobs`` is
hive-partitioned by niche), ``group_by`` / ``over`` / ``join`` / ``join_asof``, every
analysis's data step built as a lazy plan and all of them collected together with
``pl.collect_all`` (one pass, common sub-plans such as the proposal context shared).
The model fits, intervals and small result tables are the pandas baseline's
(``bench/pandas_baseline.py``: statsmodels, and fdsa's numpy for the two-way clustered
conditional logit, Woodruff medians and the seeded cluster bootstrap), fed with
``.to_numpy()`` from the collected frames: the race is about the data work.

It follows the same definitions as ``fdsa/analysis/sql/*.sql`` and the pandas baseline,
so results can be checked equal to the fdsa functions with their default arguments.
The lake stores the as-of reputation of each proposal (``n_reviews_before``,
``rating_before``) as fdsa's warehouse does; ``asof="stored"`` (the default) reads them
like fdsa does, ``asof="join_asof"`` recomputes them with ``join_asof`` from the reviews
as the pandas baseline does.

``scan(lake)`` returns the lazy frames; ``load(lake)`` collects them (for warm runs);
``compute(frames)`` returns a dict of pandas result tables keyed like :data:`SUITE`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pandas_baseline as pb  # the small result tables at the end of each analysis
import polars as pl

from fdsa import taxonomy  # the vocabularies, as an analyst takes them from the data dictionary

SUITE = pb.SUITE
NICHES = list(taxonomy.NICHES)
YEAR_S = pb.YEAR_S
HASH_RANGE = pb.HASH_RANGE
UTC = dt.UTC

COLUMNS = {
    table: [
        *kw["usecols"],
        *(["n_reviews_before", "rating_before"] if table == "proposals" else []),
    ]
    for table, kw in pb._READ.items()
}
"""The columns the suite reads: the pandas baseline's, and the stored as-of reputation."""


# ------------------------------------------------------------------ scan / load


def scan(lake: str | Path) -> dict[str, pl.LazyFrame]:
    """Lazy frames over the lake's tables, projected to the columns the suite reads."""
    lake = Path(lake)
    frames = {}
    for table, cols in COLUMNS.items():
        source = lake / table / "**" / "*.parquet"
        frames[table] = pl.scan_parquet(source, hive_partitioning=True).select(cols)
    return frames


def load(lake: str | Path) -> dict[str, pl.DataFrame]:
    """The projected tables collected into memory (the warm runs start from these)."""
    return dict(zip(COLUMNS, pl.collect_all(list(scan(lake).values())), strict=True))


# ------------------------------------------------------------------ small helpers


def dummies(col: str, levels, reference: str, prefix: str) -> list[pl.Expr]:
    """0/1 columns for every vocabulary level but the reference (absent ones dropped later)."""
    return [
        (pl.col(col) == lv).fill_null(False).cast(pl.Float64).alias(prefix + lv)
        for lv in levels
        if lv != reference
    ]


def present(x: pl.DataFrame, prefix: str) -> pl.DataFrame:
    """Drop the dummy columns (``prefix``…) of levels absent from the rows."""
    absent = [c for c in x.columns if c.startswith(prefix) and x[c].sum() == 0]
    return x.drop(absent)


def sampled(n_rows: int, cap: int) -> pl.Expr:
    """Whole postings whose hashed job_id falls below the threshold that keeps ~cap of
    ``n_rows`` rows: a predicate on the proposals, pushed down to their scan.
    """
    below = HASH_RANGE if n_rows <= cap else int(HASH_RANGE * cap / n_rows)
    return (pl.col("job_id") * 2654435761) % HASH_RANGE < below


DECIDED = pl.col("outcome").is_in(["hired", "not_hired"])
BID = pl.col("bid_amount") > 0


def month_start(t: dt.datetime | dt.date, months_ahead: int = 0) -> dt.datetime:
    k = t.year * 12 + t.month - 1 + months_ahead
    return dt.datetime(k // 12, k % 12 + 1, 1, tzinfo=UTC)


class Span:
    """The postings' span: first and last posting day, and the windows built on them."""

    def __init__(self, first: dt.datetime, last: dt.datetime):
        self.first_day, self.last_day = first.date(), last.date()
        self.start = dt.datetime.combine(self.first_day, dt.time(), UTC)
        self.end = dt.datetime.combine(self.last_day, dt.time(), UTC) + dt.timedelta(days=1)
        self.data_end = month_start(last, 1)  # first instant of the month after

    def coverage(self, months, lo: dt.datetime, hi: dt.datetime) -> np.ndarray:
        """Share of each month (a month start) inside [first, last day] and [lo, hi)."""
        out = []
        for m in months:
            nxt = month_start(m, 1).date()
            a = max(m.date() if isinstance(m, dt.datetime) else m, self.first_day, lo.date())
            b = min(
                nxt - dt.timedelta(days=1),
                self.last_day,
                (hi - dt.timedelta(microseconds=1)).date(),
            )
            days = (nxt - month_start(m).date()).days
            out.append(((b - a).days + 1) / days)
        return np.array(out, dtype=float)


# ------------------------------------------------------------------ shared views


def proposal_context(
    f: dict[str, pl.LazyFrame], asof: str = "stored", where: pl.Expr | None = None
) -> pl.LazyFrame:
    """Proposals (those ``where`` keeps) with the freelancer's client reviews strictly
    before them, profile and job.
    """
    props = f["proposals"] if where is None else f["proposals"].filter(where)
    if asof == "stored":
        props = props.rename({"n_reviews_before": "n_reviews", "rating_before": "rating"})
    else:
        steps = (
            f["reviews"]
            .filter(pl.col("direction") == "client_to_freelancer")
            .join(f["contracts"].select("contract_id", "freelancer_id"), on="contract_id")
            .group_by("freelancer_id", "submitted_at")
            .agg(n_new=pl.len(), tenths_new=(pl.col("stars") * 10).round().cast(pl.Int64).sum())
            .sort("freelancer_id", "submitted_at")
            .with_columns(
                n_reviews=pl.col("n_new").cum_sum().over("freelancer_id"),
                sum_tenths=pl.col("tenths_new").cum_sum().over("freelancer_id"),
            )
            .select("freelancer_id", "submitted_at", "n_reviews", "sum_tenths")
            .sort("submitted_at")
        )
        props = (
            props.drop("n_reviews_before", "rating_before")
            .sort("submitted_at")
            .join_asof(
                steps,
                on="submitted_at",
                by="freelancer_id",
                strategy="backward",
                allow_exact_matches=False,  # strictly before the proposal
                check_sortedness=False,  # both sides sorted by submitted_at just above
            )
            .with_columns(pl.col("n_reviews").fill_null(0))
            .with_columns(
                # the mean as a profile shows it: rounded half up to hundredths
                rating=pl.when(pl.col("n_reviews") > 0).then(
                    ((20 * pl.col("sum_tenths") + pl.col("n_reviews")) // (2 * pl.col("n_reviews")))
                    / 100
                )
            )
            .drop("sum_tenths")
        )
    prof = f["profiles"].rename({"region": "freelancer_region"})
    jobs = f["jobs"].select(
        "job_id", "client_id", "niche", "experience_level", "job_type", "posted_at"
    )
    years = (pl.col("submitted_at") - pl.col("joined_at")).dt.total_microseconds() / 1e6 / YEAR_S
    return (
        props.join(prof, on="freelancer_id")
        .with_columns(experience_years=pl.col("experience_years_at_join") + years)
        .join(jobs, on="job_id")
    )


# ------------------------------------------------------------------ plans and finishers
# Each analysis is (lazy plans, finisher): all plans of the suite are collected together,
# then each finisher turns its collected frames into the result tables.


def niche_summary(f, span: Span):
    lo, hi = span.start, span.end
    j = f["jobs"].filter(pl.col("posted_at").is_between(lo, hi, closed="left"))
    counts = f["proposals"].group_by("job_id").agg(n_props=pl.len())
    per_niche = (
        j.select("job_id", "niche")
        .join(counts, on="job_id", how="left")
        .with_columns(pl.col("n_props").fill_null(0))
        .group_by("niche")
        .agg(
            n_jobs=pl.len(),
            n_proposals=pl.col("n_props").sum(),
            var=pl.col("n_props").var(),
        )
    )
    active = (
        f["proposals"]
        .select("job_id", "freelancer_id")
        .join(j.select("job_id", "niche"), on="job_id")
        .group_by("niche")
        .agg(n_active_freelancers=pl.col("freelancer_id").n_unique())
    )
    months = j.select(month=pl.col("posted_at").dt.truncate("1mo").unique())
    code = pl.col("niche").replace_strict(NICHES, list(range(len(NICHES))), return_dtype=pl.Int16)
    # pay values with what they share: the client for posted pay, the freelancer for agreed
    posted = j.filter(
        (pl.col("job_type") == "hourly")
        & pl.col("hourly_low").is_not_null()
        & pl.col("hourly_high").is_not_null()
    ).select(
        code=code, value=(pl.col("hourly_low") + pl.col("hourly_high")) / 2, cluster="client_id"
    )
    fixed = j.filter(
        (pl.col("job_type") == "fixed")
        & pl.col("budget").is_not_null()
        & ~pl.col("is_placeholder_budget")
    ).select(code=code, value="budget", cluster="client_id")
    agreed = (
        f["contracts"]
        .filter(
            (pl.col("contract_type") == "hourly")
            & pl.col("started_at").is_between(lo, hi, closed="left")
        )
        .select("job_id", "hourly_rate", "freelancer_id")
        .join(f["jobs"].select("job_id", "niche"), on="job_id")
        .select(code=code, value="hourly_rate", cluster="freelancer_id")
    )

    def finish(per_niche, active, months, posted, fixed, agreed) -> pd.DataFrame:
        exposure = float(span.coverage(months["month"].to_list(), lo, hi).sum())
        out = (
            pl.DataFrame({"niche": NICHES})
            .join(per_niche, on="niche", how="left")
            .join(active, on="niche", how="left")
            .to_pandas()
        )
        out = pb.demand_table(out, exposure)
        for measure, frame in (
            ("posted_hourly_mid", posted),
            ("fixed_budget", fixed),
            ("agreed_hourly_rate", agreed),
        ):
            values, clusters = frame["value"].to_numpy(), frame["cluster"].to_numpy()
            pb.add_pay(out, measure, values, clusters, frame["code"].to_numpy())
        out["low_n"] = out.n_jobs < 30
        return out

    return [per_niche, active, months, posted, fixed, agreed], finish


def niche_growth(f, span: Span):
    """Poisson trend per niche over the last 36 months of data (coverage as exposure)."""
    lo = max(month_start(span.data_end, -pb.GROWTH_MONTHS), span.start)
    hi = min(span.data_end, span.end)
    counts = (
        f["jobs"]
        .filter(pl.col("posted_at").is_between(lo, hi, closed="left"))
        .group_by("niche", month=pl.col("posted_at").dt.truncate("1mo"))
        .agg(n_jobs=pl.len())
    )

    def finish(counts) -> pd.DataFrame:
        months = counts["month"].unique().sort()
        grid = (
            pl.DataFrame({"niche": NICHES})
            .join(pl.DataFrame({"month": months}), how="cross")
            .join(counts, on=["niche", "month"], how="left")
            .with_columns(pl.col("n_jobs").fill_null(0))
        )
        coverage = dict(zip(months.to_list(), span.coverage(months.to_list(), lo, hi), strict=True))
        rows = []
        for niche in NICHES:
            part = grid.filter(pl.col("niche") == niche)
            month = part["month"]
            cover = [coverage[m] for m in month.to_list()]
            y = part["n_jobs"].to_numpy()
            slope, se = pb.trend(month.dt.year().to_numpy(), month.dt.month().to_numpy(), y, cover)
            rows.append((niche, int(y.sum()), slope, se))
        return pb.growth_table(rows)

    return [counts], finish


def hire_model(f, asof: str, n_decided: int):
    """Conditional logit over the decided proposals of postings that hired exactly one."""
    prefix = "hire_logodds_channel__"
    hired = (pl.col("outcome") == "hired").cast(pl.Int32)
    reviewed = (pl.col("n_reviews") > 0).cast(pl.Float64)
    log_reviews = pl.col("n_reviews").cast(pl.Float64).log1p()
    lower = pl.col("freelancer_region").is_in(taxonomy.LOWER_INCOME_REGIONS).cast(pl.Float64)
    ratio = pl.col("bid_amount").log() - pl.col("bid_amount").log().mean().over("job_id")
    design = (
        proposal_context(f, asof, DECIDED & sampled(n_decided, pb.CHOICE_ROWS_MAX))
        .filter((hired.sum().over("job_id") == 1) & (pl.len().over("job_id") >= 2))
        .sort("job_id", "proposal_id")
        .select(
            "job_id",
            "freelancer_id",
            *dummies("channel", taxonomy.CHANNELS, "application", prefix),
            chosen=pl.col("outcome") == "hired",
            hire_logodds_first_review=reviewed,
            hire_logodds_per_log1p_review=log_reviews,
            hire_logodds_per_star=(pl.col("rating").fill_null(4.5) - 4.5) * reviewed,
            hire_logodds_region_penalty_at_zero_reviews=lower,
            hire_logodds_region_recovery_per_log1p_review=lower * log_reviews,
            hire_logodds_per_log_bid_ratio__no_reviews=ratio * (1 - reviewed),
            hire_logodds_per_log_bid_ratio__reviewed=ratio * reviewed,
        )
    )

    def finish(d: pl.DataFrame) -> pd.DataFrame:
        x = present(d.drop("job_id", "freelancer_id", "chosen"), prefix)
        chosen, jobs, who = d["chosen"].to_numpy(), d["job_id"], d["freelancer_id"]
        return pb.hire_table(x.to_numpy(), x.columns, chosen, jobs.to_numpy(), who.to_numpy())

    return [design], finish


def rate_drivers(f, asof: str, n_bids: int):
    """Hourly bids: drivers within freelancers (fixed effects; errors clustered by
    freelancer and by posting), then region between them.
    """
    bids = proposal_context(f, asof, BID & sampled(n_bids, pb.BID_ROWS_MAX)).filter(
        pl.col("job_type") == "hourly"
    )
    c = (
        f["contracts"]
        .select("contract_id", "freelancer_id", "client_id", "job_id", "started_at")
        .join(f["jobs"].select("job_id", "duration"), on="job_id")
        .sort("contract_id")
        .with_columns(nth=pl.int_range(1, pl.len() + 1).over("freelancer_id"))
    )
    careers = c.group_by("freelancer_id").agg(
        fifth_started_at=pl.col("started_at").filter(pl.col("nth") == 5).first(),
        n_small_first5=((pl.col("nth") <= 5) & (pl.col("duration") == "less_than_1_month")).sum(),
    )
    pairs = c.group_by("freelancer_id", "client_id").agg(
        first_started_at=pl.col("started_at").min()
    )
    reviewed = (pl.col("n_reviews") > 0).cast(pl.Float64)
    xcols = [
        pl.col("experience_years").alias("rate_log_per_experience_year"),
        pl.col("n_reviews").cast(pl.Float64).log1p().alias("rate_log_per_log1p_review"),
        ((pl.col("rating").fill_null(4.5) - 4.5) * reviewed).alias("rate_log_per_star"),
        ((pl.col("fifth_started_at") < pl.col("submitted_at")) & (pl.col("n_small_first5") >= 3))
        .fill_null(False)
        .cast(pl.Float64)
        .alias("rate_log_premium_small_and_wide_after_5"),
        (
            pl.col("first_started_at").is_null()
            | (pl.col("first_started_at") >= pl.col("submitted_at"))
        )
        .fill_null(True)
        .cast(pl.Float64)
        .alias("rate_log_premium_new_client"),
        *dummies("niche", NICHES, taxonomy.REFERENCE_NICHE, "rate_log_premium_niche__"),
        *dummies("channel", taxonomy.CHANNELS, "application", "rate_log_premium_channel__"),
        *dummies(
            "experience_level",
            taxonomy.EXPERIENCE_LEVELS,
            "intermediate",
            "rate_log_premium_experience_level__",
        ),
    ]
    names = [e.meta.output_name() for e in xcols]
    rows = (
        bids.join(careers, on="freelancer_id", how="left")
        .join(pairs, on=["freelancer_id", "client_id"], how="left")
        .sort("proposal_id")
        .select(
            "freelancer_id", "job_id", "freelancer_region", *xcols, y=pl.col("bid_amount").log()
        )
    )
    # within transform: demeaned by freelancer, and the freelancer means
    design = rows.select(
        "freelancer_id",
        "job_id",
        "freelancer_region",
        *[(pl.col(c) - pl.col(c).mean().over("freelancer_id")).alias(c) for c in names],
        y=pl.col("y") - pl.col("y").mean().over("freelancer_id"),
        y_mean=pl.col("y").mean().over("freelancer_id"),
        **{f"m__{c}": pl.col(c).mean().over("freelancer_id") for c in names},
        **{f"s__{c}": pl.col(c).sum() for c in names},
    )

    def finish(d: pl.DataFrame) -> pd.DataFrame:
        import statsmodels.api as sm

        level_n = {c: int(round(d[f"s__{c}"][0])) for c in names}
        keep = [
            c
            for c in names
            if not (c.startswith("rate_log_premium_") and "__" in c and level_n[c] == 0)
        ]
        groups = d["freelancer_id"].rank("dense").to_numpy().astype(np.int64)
        jobs = d["job_id"].rank("dense").to_numpy().astype(np.int64)
        coef, se = pb.within_fit(d.select(keep).to_numpy(), d["y"].to_numpy(), keep, groups, jobs)
        means = d.select([f"m__{c}" for c in keep]).to_numpy()
        level_rows = d.select("freelancer_id", "freelancer_region").with_columns(
            level=pl.Series(d["y_mean"].to_numpy() - means @ coef)
        )
        per = level_rows.group_by("freelancer_id", maintain_order=True).first()
        regions = [r for r in taxonomy.REGIONS if r != taxonomy.REFERENCE_REGION]
        counts = dict(d["freelancer_region"].value_counts().iter_rows())
        regions = [r for r in regions if counts.get(r, 0) > 0]
        xb = np.column_stack(
            [np.ones(per.height)] + [(per["freelancer_region"] == r).to_numpy() for r in regions]
        ).astype(float)
        between = sm.OLS(per["level"].to_numpy(), xb).fit(cov_type="HC1")
        bnames = ["intercept"] + [f"rate_log_premium_region__{r}" for r in regions]
        w_table = pb.coef_table(keep, coef, se, d.height)
        w_table["n_level"] = [level_n[c] if "__" in c else d.height for c in keep]
        b_table = pb.coef_table(bnames, between.params, between.bse, per.height)
        b_table["n_level"] = [d.height] + [int(counts[r]) for r in regions]
        return pb.rate_table(w_table, b_table)

    return [design], finish


def channel_mix(f):
    """Contracts' channels by the freelancer's tenure at the start (freelancer bootstrap)."""
    channels = list(taxonomy.CHANNELS)
    tenure = (pl.col("started_at") - pl.col("joined_at")).dt.total_microseconds() / 1e6 / YEAR_S
    cells = (
        f["contracts"]
        .select("proposal_id", "channel", "started_at")
        .join(f["proposals"].select("proposal_id", "freelancer_id", "job_id"), on="proposal_id")
        .join(f["profiles"].select("freelancer_id", "joined_at"), on="freelancer_id")
        .join(f["jobs"].select("job_id"), on="job_id", how="semi")
        .filter(pl.col("channel").is_in(channels))
        .group_by(
            "freelancer_id",
            bucket=pl.when(tenure < 1).then(0).when(tenure < 2).then(1).otherwise(2),
            channel=pl.col("channel").replace_strict(channels, list(range(len(channels)))),
        )
        .agg(n_channel=pl.len())
    )

    def finish(cells: pl.DataFrame) -> pd.DataFrame:
        weights = cells["n_channel"].to_numpy().astype(float)
        channel, bucket, who = cells["channel"], cells["bucket"], cells["freelancer_id"]
        return pb.channel_table(channel, bucket, who.to_numpy(), weights)

    return [cells], finish


def rating_inflation(f):
    rv = (
        f["reviews"]
        .filter(pl.col("direction") == "client_to_freelancer")
        .join(f["contracts"].select("contract_id", "job_id"), on="contract_id")
        .join(f["jobs"].select("job_id"), on="job_id", how="semi")
    )
    by_year = (
        rv.group_by(year=pl.col("submitted_at").dt.year())
        .agg(
            n=pl.len(),
            n_top=(pl.col("stars") >= 5.0).sum(),
            mean_stars=pl.col("stars").mean(),
        )
        .sort("year")
    )
    years = (
        (pl.col("submitted_at") - dt.datetime(2021, 1, 1, tzinfo=UTC)).dt.total_microseconds()
        / 1e6
        / YEAR_S
    )
    has_private = pl.col("is_privately_dissatisfied").is_not_null().any()
    fit = rv.filter(
        pl.when(has_private).then(pl.col("is_privately_dissatisfied").not_()).otherwise(True)
    ).select(top=(pl.col("stars") >= 5.0).cast(pl.Float64), years=years)

    def finish(by_year: pl.DataFrame, fit: pl.DataFrame):
        top, years = fit["top"].to_numpy(), fit["years"].to_numpy()
        return pb.inflation_tables(by_year.to_pandas(), top, years)

    return [by_year, fit], finish


def concurrent_clients(f):
    lo = dt.datetime(2023, 1, 1, tzinfo=UTC)
    hi = dt.datetime(2025, 12, 1, tzinfo=UTC)
    step = dt.timedelta(days=28)
    n_snaps = (hi - lo) // step + 1  # both ends included, like generate_series
    step_us = int(step.total_seconds() * 1e6)

    def first_snap(col: str) -> pl.Expr:
        """Index of the first snapshot at or after the column's instant (a searchsorted)."""
        us = (pl.col(col) - lo).dt.total_microseconds()
        return ((us + step_us - 1) // step_us).clip(0, n_snaps)

    c = f["contracts"]
    hours = pl.col("hours_per_week")
    load = (
        c.select(
            "freelancer_id",
            "client_id",
            "hours_per_week",
            first=first_snap("started_at"),
            last=first_snap("ended_at").fill_null(n_snaps),
        )
        .filter(pl.col("last") > pl.col("first"))
        .with_columns(at=pl.int_ranges("first", "last"))
        .explode("at")
        .group_by("at", "freelancer_id")
        .agg(
            n_clients=pl.col("client_id").n_unique(),
            hours_per_week=pl.when(hours.is_not_null().any()).then(hours.sum()),
        )
        .select("freelancer_id", "n_clients", "hours_per_week")
    )
    hourly = c.filter(
        (pl.col("contract_type") == "hourly")
        & pl.col("started_at").is_between(lo, hi, closed="left")
    ).select("freelancer_id", "hours_per_week")

    def finish(load: pl.DataFrame, hourly: pl.DataFrame):
        return pb.concurrent_tables(
            load["n_clients"].to_numpy(),
            load["freelancer_id"].to_numpy(),
            load["hours_per_week"].to_numpy(),
            hourly["hours_per_week"].to_numpy(),
            hourly["freelancer_id"].to_numpy(),
        )

    return [load, hourly], finish


# ------------------------------------------------------------------ the suite


def compute(
    frames: dict[str, pl.LazyFrame | pl.DataFrame], asof: str = "stored"
) -> dict[str, object]:
    """The whole suite: small queries for the data window and the sample sizes (the
    samples of postings are then predicates pushed down to the proposals' scans), then
    every plan collected at once.
    """
    f = {k: v.lazy() for k, v in frames.items()}
    hourly = f["jobs"].filter(pl.col("job_type") == "hourly").select("job_id")
    window, decided, bids = pl.collect_all(
        [
            f["jobs"].select(
                pl.col("posted_at").min().alias("first"), pl.col("posted_at").max().alias("last")
            ),
            f["proposals"].filter(DECIDED).select(pl.len()),
            f["proposals"].filter(BID).join(hourly, on="job_id", how="semi").select(pl.len()),
        ]
    )
    span = Span(*window.row(0))
    analyses = {
        "niche_summary": niche_summary(f, span),
        "niche_growth": niche_growth(f, span),
        "hire_model": hire_model(f, asof, decided.item()),
        "rate_drivers": rate_drivers(f, asof, bids.item()),
        "channel_mix": channel_mix(f),
        "rating_inflation": rating_inflation(f),
        "concurrent_clients": concurrent_clients(f),
    }
    plans = [plan for plans, _ in analyses.values() for plan in plans]
    collected = iter(pl.collect_all(plans))
    return {
        name: finish(*[next(collected) for _ in plans])
        for name, (plans, finish) in analyses.items()
    }
