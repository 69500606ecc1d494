"""Every analysis recovers the effects planted in the synthetic market.

On one seeded market a single 95% interval misses its truth one time in twenty, so
here each planted effect must lie within 3.3 standard errors (the 99.9% interval),
most 95% intervals must hold their truth, and the last test checks that the 95%
intervals cover the truth about 95% of the time across several markets.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from fdsa.analysis import channels, niches, open_warehouse, pricing, reputation, workload
from fdsa.synth import MarketParams, build_warehouse
from fdsa.synth.params import SUPPLY_REGIONS


def _with_truth(table: pd.DataFrame, truth: dict[str, float]) -> pd.DataFrame:
    out = table[table.term.isin(truth)].copy()
    out["truth"] = out.term.map(truth)
    out["covered"] = (out.lo <= out.truth) & (out.truth <= out.hi)
    out["z"] = (out.estimate - out.truth) / out.se
    return out


def test_hire_model_recovers_reputation_channel_and_region_effects(market_con, truth):
    fit = _with_truth(reputation.hire_model(market_con), truth)
    assert len(fit) == 9
    key = [
        "hire_logodds_first_review",
        "hire_logodds_region_penalty_at_zero_reviews",
        "hire_logodds_region_recovery_per_log1p_review",
        "hire_logodds_channel__referral",
    ]
    assert (fit.set_index("term").loc[key, "z"].abs() < 3.3).all(), fit
    assert fit.covered.mean() >= 7 / 9
    assert (fit.z.abs() < 4).all(), fit
    first = fit.set_index("term").loc["hire_logodds_first_review"]
    assert first.lo > 0.5  # a strong first-review jump, clearly away from zero


def test_hire_rate_climbs_with_reviews(market_con):
    table = reputation.hire_rate_by_reviews(market_con)
    rates = table[table.channel == "application"].hire_rate.to_numpy()
    assert (np.diff(rates) > 0).all()
    zero, one = table[table.channel == "application"].iloc[:2].itertuples()
    assert one.lo > 2 * zero.hi  # the entry-level problem: the first review more than doubles it


def test_rate_drivers_recover_premiums(market_con, truth):
    fit = _with_truth(pricing.rate_drivers(market_con), truth)
    assert len(fit) >= 30
    assert fit.covered.mean() >= 0.85, fit[~fit.covered]
    assert (fit.z.abs() < 4).all(), fit
    terms = fit.set_index("term")
    for term in (
        "rate_log_premium_channel__referral",
        "rate_log_premium_small_and_wide_after_5",
        "rate_log_premium_region__south_asia",
    ):
        assert abs(terms.loc[term, "z"]) < 3.3, terms.loc[term]
    assert terms.loc["rate_log_premium_channel__referral", "lo"] > 0
    paying = ["finance_fintech", "crypto_web3", "llm_applications", "data_strategy_consulting"]
    for niche in paying:
        assert terms.loc[f"rate_log_premium_niche__{niche}", "lo"] > 0.1
    assert terms.loc["rate_log_premium_niche__scraping_data_collection", "hi"] < 0


def test_referral_premium_is_positive(market_con, truth):
    table = pricing.referral_premium(market_con).set_index("channel")
    assert table.loc["referral", "lo"] > 0
    row = table.loc["referral"]
    assert abs(row.estimate - truth["rate_log_premium_channel__referral"]) < 3.3 * row.se


def test_rate_band_brackets_the_true_median(market_con):
    p = MarketParams()
    band = pricing.rate_band(
        market_con,
        niche="llm_applications",
        region="europe_east",
        experience_years=6.0,
        n_reviews=10,
        rating=4.8,
    )
    true_log_median = (
        math.log(p.rate_base_usd)
        + p.niche_rate_premium["llm_applications"]
        + SUPPLY_REGIONS["europe_east"][1]
        + p.rate_log_per_experience_year * 6.0
        + p.rate_log_per_log1p_review * math.log1p(10)
        + p.rate_log_per_star * 0.3
    )
    median = band.set_index("quantile").loc[0.5]
    se = math.log(median.hi / median.rate_usd) / 1.96
    assert abs(true_log_median - math.log(median.rate_usd)) < 3.3 * se
    assert list(band.rate_usd) == sorted(band.rate_usd)
    assert band.n_comparable.iloc[0] > 0


def test_rates_rise_with_tenure(market_con):
    trajectory = pricing.rate_trajectory(market_con)
    assert trajectory.median_rate_usd.iloc[-1] > trajectory.median_rate_usd.iloc[0]
    assert trajectory.lo.iloc[-1] > trajectory.hi.iloc[0]


def test_emerging_niche_flagged_and_declining_not(market_con, truth):
    growth = niches.niche_growth(market_con, since="2023-01-01").set_index("niche")
    assert growth.loc["llm_applications", "status"] == "emerging"
    assert growth.loc["scraping_data_collection", "status"] != "emerging"
    assert growth.loc["scraping_data_collection", "growth_rel"] < 0
    for niche in ("llm_applications", "scraping_data_collection"):
        t = truth[f"demand_growth_rel_log_per_year__{niche}"]
        assert abs(growth.loc[niche, "growth_rel"] - t) < 3.3 * growth.loc[niche, "se"]
    nulls = growth.drop(index=["llm_applications", "scraping_data_collection", "nlp"])
    assert (nulls.status != "steady").sum() <= 2


def test_demand_shock_is_found_at_its_date(market_con, truth):
    shock = niches.demand_shock(market_con, niche="nlp", event_date="2022-12-01").iloc[0]
    assert abs(shock.estimate - truth["demand_shock_log_step__nlp"]) < 3.3 * shock.se
    assert shock.hi < 0
    placebo = niches.demand_shock(market_con, niche="bi_dashboards", event_date="2022-12-01").iloc[
        0
    ]
    assert placebo.lo <= 0 <= placebo.hi


def test_opportunity_score_formula_and_ranking(market_con):
    scores = niches.opportunity_scores(market_con)
    parts = scores[["z_demand", "z_competition", "z_pay", "z_growth"]].mean(axis=1)
    np.testing.assert_allclose(scores.score, parts)
    assert scores.iloc[0].niche == "llm_applications"
    assert scores.set_index("niche").loc["scraping_data_collection", "rank"] > 8


def test_niche_summary_has_intervals_and_counts(market_con):
    summary = niches.niche_summary(market_con)
    assert len(summary) == 16 and summary.n_jobs.sum() > 40_000
    for col in ("jobs_per_month", "proposals_per_job", "agreed_hourly_rate_median"):
        assert (
            summary[
                f"{col.removesuffix('_median')}_lo"
                if not col.endswith("median")
                else "agreed_hourly_rate_lo"
            ]
            <= summary[col]
        ).all()
    assert summary.agreed_hourly_rate_n.sum() > 10_000


def test_rating_inflation_recovers_the_drift(market_con, truth):
    by_year, trend = reputation.rating_inflation(market_con)
    row = trend.iloc[0]
    assert abs(row.estimate - truth["top_rating_logodds_per_year"]) < 3.3 * row.se
    assert by_year.top_share.is_monotonic_increasing


def test_channel_mix_shifts_with_tenure_and_reputation(market_con):
    tenure = channels.channel_mix(market_con, by="tenure").set_index(["bucket", "channel"]).share
    assert tenure["first year", "application"] > 0.5
    assert tenure["first year", "application"] > tenure["third year+", "application"]
    assert tenure["third year+", "referral"] > tenure["first year", "referral"]
    rep = channels.channel_mix(market_con, by="reputation").set_index(["bucket", "channel"]).share
    assert rep["20+ reviews", "invite"] > 3 * rep["0 reviews", "invite"]


def test_channel_performance_referrals_win_most(market_con):
    perf = channels.channel_performance(market_con).set_index("channel")
    assert perf.loc["referral", "win_rate_lo"] > perf.loc["application", "win_rate_hi"]
    assert perf.loc["repeat", "win_rate"] > perf.loc["invite", "win_rate"]


def test_time_to_first_contract_penalises_lower_income_regions(market_con):
    by_region, predictors = channels.time_to_first_contract(market_con)
    row = predictors.set_index("term").loc["lower_income_region"]
    assert row.hi < 0
    assert by_region.n.sum() > 1000


def test_small_and_wide_starters_earn_more_per_hour_later(market_con, truth):
    fit = _with_truth(pricing.rate_drivers(market_con), truth).set_index("term")
    row = fit.loc["rate_log_premium_small_and_wide_after_5"]
    assert abs(row.z) < 3.3 and row.lo > 0
    styles = reputation.starter_styles(market_con).set_index(["style", "measure"])
    assert (
        styles.loc[("small_and_wide", "later_median_rate"), "estimate"]
        > styles.loc[("big_first", "later_median_rate"), "estimate"]
    )


def test_workload_matches_the_planted_pattern(market_con, truth):
    dist, summary = workload.concurrent_clients(market_con)
    s = summary.set_index("measure")
    assert 2 <= s.loc["median_concurrent_clients", "estimate"] <= 3
    assert (
        s.loc["median_hours_per_week_per_hourly_contract", "lo"]
        <= truth["hours_per_week_median"]
        <= s.loc["median_hours_per_week_per_hourly_contract", "hi"] + 0.5
    )
    assert dist.share.sum() == pytest.approx(1.0)
    modes = workload.profile_mix(market_con, column="operating_mode")
    assert modes.iloc[0].value == "full_time_freelance"


def test_null_market_flags_almost_no_emerging_niches(tmp_path):
    path = tmp_path / "null.duckdb"
    build_warehouse(path, scale=1.0, seed=5, null_market=True)
    with open_warehouse(path) as con:
        growth = niches.niche_growth(con, since="2023-01-01")
        shock = niches.demand_shock(con, niche="nlp").iloc[0]
    assert (growth.status != "steady").sum() <= 1
    assert shock.lo <= 0 <= shock.hi


def test_intervals_cover_the_truth_about_95_percent_of_the_time(tmp_path):
    """Coverage over seeds: hiring, rate and inflation intervals hold the truth ~95% of runs."""
    covered, total = 0, 0
    for seed in range(6):
        path = tmp_path / f"cov{seed}.duckdb"
        build_warehouse(path, scale=0.3, seed=1000 + seed)
        with open_warehouse(path) as con:
            truth = dict(con.execute("select effect, value from truth").fetchall())
            tables = [
                reputation.hire_model(con),
                pricing.rate_drivers(con),
                reputation.rating_inflation(con)[1],
            ]
        for table in tables:
            fit = _with_truth(table, truth)
            covered += int(fit.covered.sum())
            total += len(fit)
        path.unlink()
    rate = covered / total
    assert total > 200
    assert 0.90 <= rate <= 0.99, f"coverage {rate:.3f} over {total} intervals"
