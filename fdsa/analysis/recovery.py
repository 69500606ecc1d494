"""Planted truth beside its estimate: every effect of the synthetic market's ``truth`` table.

The synthetic market (:mod:`fdsa.synth`) writes the effects it planted to the
``truth`` table. :func:`planted_vs_estimated` lists every row with the analysis that
estimates it, the estimate and its 95% interval, so a reader (and the tests) can see
what fdsa recovers. :func:`market_shares` measures the few planted shares no other
analysis reports (hourly postings, reviewed contracts, re-scraped postings).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from fdsa import taxonomy
from fdsa.analysis import _params, _sql, channels, niches, pricing, reputation, workload
from fdsa.analysis._frames import analysis
from fdsa.analysis._stats import cluster_bootstrap_ratio

SETTLE_DAYS = 30
"""Postings first seen and contracts ended this close to the end of the data are left
out of :func:`market_shares`: their re-scrape or review may fall after the data end."""

SHARES = {
    "hourly_job_share": ("n_hourly", "n_typed"),
    "review_share": ("n_reviewed", "n_ended"),
    "rescraped_share": ("n_rescraped", "n_jobs"),
}
LATENT = ("dissatisfied_logodds_intercept", "dissatisfied_logodds_per_quality_sd")
"""Planted effects of latent freelancer quality: no analysis can see quality."""

EARLY_GROWTH = ("2021-01-01", "2023-01-01")  # before the flattening (24 months: seasonality)
PLANTED_SHOCK_DATE = "2022-12-01"


@analysis
def market_shares(con: duckdb.DuckDBPyConnection, *, min_n: int = 30) -> pd.DataFrame:
    """Share of postings that are hourly, of ended contracts the client reviewed, and of
    postings the scraper saw again.

    Intervals are a seeded client-cluster bootstrap (95%): one client's postings and
    contracts share the client's habits. Postings first seen and contracts ended in
    the last 30 days of data are left out (their re-scrape or review could come after
    the data end).

    Returns
    -------
    pandas.DataFrame
        Rows ``hourly_job_share`` (postings with a job type), ``review_share`` (ended
        contracts), ``rescraped_share`` (postings): ``term``, ``n``, ``count``,
        ``estimate``, ``lo``, ``hi``, ``low_n``.
    """
    settled = _sql.last_posted_at(con) - timedelta(days=SETTLE_DAYS)
    per_client = _sql.arrays(con, "market_shares", settled=settled)
    rows = []
    for term, (part, whole) in SHARES.items():
        k = np.asarray(per_client[part], dtype=float)
        n = np.asarray(per_client[whole], dtype=float)
        est, lo, hi = cluster_bootstrap_ratio(k, n, per_client["cluster_id"])
        rows.append((term, int(n.sum()), int(k.sum()), est[0], lo[0], hi[0]))
    out = pd.DataFrame(rows, columns=["term", "n", "count", "estimate", "lo", "hi"])
    out["low_n"] = out.n < min_n
    return out


def _terms(table: pd.DataFrame, name: str, interval: str, column: str = "term") -> pd.DataFrame:
    out = table.rename(columns={column: "effect"})[["effect", "estimate", "lo", "hi"]]
    return out.assign(analysis=name, interval=interval)


def _demand(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    growth = niches.niche_growth(con)
    parts = [
        _terms(
            growth.assign(term="demand_growth_rel_log_per_year__" + growth.niche).rename(
                columns={"growth_rel": "estimate"}
            ),
            "niches.niche_growth",
            "Wald, quasi-Poisson",
        )
    ]
    for suffix, since, until in (
        ("2021_2022", *EARLY_GROWTH),
        ("2023_2025", None, None),
    ):
        row = niches.market_growth(con, since=since, until=until)
        parts.append(
            _terms(
                row.assign(term=f"market_growth_log_per_year__{suffix}"),
                "niches.market_growth",
                "Wald, pooled steady niches (Birge-scaled)",
            )
        )
    return pd.concat(parts, ignore_index=True)


def _shocks(con: duckdb.DuckDBPyConnection, truth: dict[str, float]) -> pd.DataFrame:
    prefix = "demand_shock_log_step__"
    parts = []
    for effect in truth:
        if effect.startswith(prefix) and effect[len(prefix) :] in taxonomy.NICHES:
            step = niches.demand_shock(
                con, niche=effect[len(prefix) :], event_date=PLANTED_SHOCK_DATE
            )
            parts.append(
                _terms(step.assign(term=effect), "niches.demand_shock", "Wald, quasi-Poisson")
            )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _skill_pairs(con: duckdb.DuckDBPyConnection, truth: dict[str, float]) -> pd.DataFrame:
    from fdsa.synth.params import pair_effect_name

    wanted = {e.split("__")[1] for e in truth if e.startswith("skill_pair_")}
    rows = []
    for niche in sorted(wanted & set(taxonomy.NICHES)):
        table = niches.skill_pair_effects(con, niche=niche)
        for r in table.itertuples():
            for kind, column in (
                ("skill_pair_lift", "lift"),
                ("skill_pair_rate_log_premium", "rate_premium"),
            ):
                effect = pair_effect_name(kind, niche, r.skill_a, r.skill_b)
                if effect in truth:
                    lo, hi = getattr(r, f"{column}_lo"), getattr(r, f"{column}_hi")
                    rows.append((effect, getattr(r, column), lo, hi))
    out = pd.DataFrame(rows, columns=["effect", "estimate", "lo", "hi"])
    return out.assign(analysis="niches.skill_pair_effects", interval="delta method / Welch")


def _workload(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    summary = workload.concurrent_clients(con)[1]
    row = summary[summary.measure == "median_hours_per_week_per_hourly_contract"]
    return _terms(
        row.assign(term="hours_per_week_median"),
        "workload.concurrent_clients",
        "Woodruff, clustered by freelancer",
    )


COLLECTORS: tuple[tuple[str, Callable[..., pd.DataFrame]], ...] = (
    (
        "hire choice",
        # model-based: the simulated market draws hires from this very model (the
        # clustered default covers 0.988 over 24 markets: conservative here)
        lambda con, truth: _terms(
            reputation.hire_model(con, errors="model"),
            "reputation.hire_model",
            "Wald, model-based (errors='model')",
        ),
    ),
    (
        "bids",
        lambda con, truth: _terms(
            pricing.rate_drivers(con),
            "pricing.rate_drivers",
            "Wald, two-way clustered (freelancer, posting)",
        ),
    ),
    (
        "posted pay",
        lambda con, truth: _terms(
            pricing.posted_rate_premiums(con),
            "pricing.posted_rate_premiums",
            "Wald, clustered by client",
        ),
    ),
    (
        "fill",
        lambda con, truth: _terms(
            channels.declined_invites(con)[1], "channels.declined_invites", "Wald, binomial"
        ),
    ),
    (
        "rehire",
        lambda con, truth: _terms(
            reputation.rehire_after_dissatisfaction(con)[1],
            "reputation.rehire_after_dissatisfaction",
            "Wald, binomial",
        ),
    ),
    (
        "ratings",
        lambda con, truth: pd.concat(
            [
                _terms(
                    reputation.rating_inflation(con)[1],
                    "reputation.rating_inflation",
                    "Wald, logit",
                ),
                _terms(
                    reputation.top_rating_start(con),
                    "reputation.top_rating_start",
                    "Wald, logit (transformed)",
                ),
                _terms(
                    reputation.hidden_dissatisfaction(con),
                    "reputation.hidden_dissatisfaction",
                    "Wilson",
                    column="measure",
                ),
            ],
            ignore_index=True,
        ),
    ),
    ("skill pairs", _skill_pairs),
    ("demand", lambda con, truth: pd.concat([_demand(con), _shocks(con, truth)])),
    ("workload", lambda con, truth: _workload(con)),
    (
        "market shares",
        lambda con, truth: _terms(
            market_shares(con), "recovery.market_shares", "cluster bootstrap by client"
        ),
    ),
)
"""Family name and collector (``f(con, truth)``: effect, estimate, lo, hi, analysis,
interval) of every analysis that estimates planted effects."""

_REFERENCE_LEVELS = (
    f"rate_log_premium_niche__{taxonomy.REFERENCE_NICHE}",
    f"rate_log_premium_region__{taxonomy.REFERENCE_REGION}",
    f"posted_rate_log_premium_client_region__{taxonomy.REFERENCE_REGION}",
    "rate_log_premium_experience_level__intermediate",
    "rate_log_premium_channel__application",
    "hire_logodds_channel__application",
)


@analysis
def planted_vs_estimated(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every planted effect of the synthetic market beside its estimate and 95% interval.

    Each row of the ``truth`` table is matched with the analysis that estimates it
    (default windows, except where the truth names a period: market growth before
    2023 is read over 2021-01 to 2022-12). Reference levels
    (0 by definition) and the latent-quality effects no analysis can see are listed
    with their status and no estimate.

    Returns
    -------
    pandas.DataFrame
        One row per truth row, by family then effect: ``effect``, ``family``,
        ``truth``, ``unit``, ``estimate``, ``lo``, ``hi``, ``covered`` (truth inside the
        interval; null without one), ``analysis``, ``interval`` (its kind), ``status``
        (estimated, reference level, latent, not estimated).

    Raises
    ------
    ValueError
        When the warehouse has no ``truth`` table rows (only the synthetic market does).
    """
    truth = con.execute("select effect, value, unit from truth order by effect").fetchall()
    if not truth:
        raise ValueError("no planted truth in this warehouse (only the synthetic market has it)")
    values = {e: v for e, v, _ in truth}
    parts = []
    for family, collect in COLLECTORS:
        rows = collect(con, values)
        parts.append(rows[rows.effect.isin(values)].assign(family=family))
    found = pd.concat(parts, ignore_index=True).drop_duplicates("effect")
    out = pd.DataFrame(truth, columns=["effect", "truth", "unit"]).merge(
        found, on="effect", how="left", validate="one_to_one"
    )
    has = out.lo.notna() & out.hi.notna()
    out["covered"] = pd.array(
        np.where(has, (out.lo <= out.truth) & (out.truth <= out.hi), False), dtype="boolean"
    )
    out.loc[~has, "covered"] = pd.NA
    out["status"] = np.select(
        [has, out.effect.isin(_REFERENCE_LEVELS), out.effect.isin(LATENT)],
        ["estimated", "reference level", "latent"],
        "not estimated",
    )
    out["family"] = out.family.fillna(
        out.status.map({"reference level": "reference", "latent": "latent"})
    ).fillna("none")
    columns = ["effect", "family", "truth", "unit", "estimate", "lo", "hi", "covered"]
    return out[[*columns, "analysis", "interval", "status"]]


@analysis
def study_sample(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
) -> pd.DataFrame:
    """The sample a study of the window reads, for a paper's sample table.

    Postings posted in the window (default: the span of the postings; of one niche,
    or all of them with ``niche`` None or ``"all"``) and what hangs
    on them: their clients, the proposals sent to them (all, and decided: hired or
    not hired; withdrawn and declined ones are left out of the models), the
    freelancers who sent them, the contracts and the client reviews of those
    contracts. A postings-only warehouse has zeros below the clients.

    Returns
    -------
    pandas.DataFrame
        ``measure`` (postings, clients, proposals, decided proposals, freelancers who
        proposed, contracts, client reviews), ``n``; then ``first_posted`` and
        ``last_posted`` on every row (dates of the window's first and last posting).
    """
    lo, hi = _sql.data_window(con, since, until)
    niche = _params.niche_or_all(niche)
    out = _sql.run(con, "study_sample", since=lo, until=hi, niche=niche)
    first, last = con.execute(
        "select min(posted_at)::date, max(posted_at)::date from jobs"
        " where posted_at >= $since and posted_at < $until"
        " and ($niche is null or niche = $niche)",
        {"since": lo, "until": hi, "niche": niche},
    ).fetchall()[0]
    return out.assign(first_posted=first, last_posted=last)
