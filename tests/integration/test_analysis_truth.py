"""Every analysis recovers the effects planted in the synthetic market.

Two kinds of test. On the demo market (seed 11) each planted effect must lie within
3.3 standard errors of its estimate (the 99.9% interval) and signs and rankings must
be right. Across many markets (``truth_sweep``), each family's 95% intervals must
hold their truth about 95% of the time: inside a binomial band, not one seed's luck.
A fast subset of the sweep runs by default; the full sweep is marked ``slow``.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import truth_sweep

from fdsa.analysis import (
    channels,
    niches,
    open_warehouse,
    pricing,
    recovery,
    reputation,
    workload,
)
from fdsa.synth import MarketParams, build_warehouse
from fdsa.synth.params import DEMAND_REGIONS, SKILL_ALLIANCES, SUPPLY_REGIONS, pair_effect_name


def _with_truth(table: pd.DataFrame, truth: dict[str, float]) -> pd.DataFrame:
    out = table[table.term.isin(truth)].copy()
    out["truth"] = out.term.map(truth)
    out["covered"] = (out.lo <= out.truth) & (out.truth <= out.hi)
    out["z"] = (out.estimate - out.truth) / out.se
    return out


# ---------------------------------------------------------------- hiring


def test_hire_model_recovers_choice_effects(market_con, truth):
    fit = _with_truth(reputation.hire_model(market_con), truth)
    assert len(fit) == 10 and "hire_logodds_intercept" not in set(fit.term)
    assert (fit.z.abs() < 3.3).all(), fit
    assert fit.covered.mean() >= 8 / 10
    terms = fit.set_index("term")
    assert terms.loc["hire_logodds_first_review", "lo"] > 0.5  # a strong first-review jump
    assert terms.loc["hire_logodds_region_penalty_at_zero_reviews", "hi"] < 0


def test_price_effect_is_stronger_without_reviews(market_con, truth):
    table = reputation.price_effect(market_con).set_index("reputation")
    novice, veteran = table.loc["no reviews"], table.loc["reviewed"]
    assert novice.hi < veteran.lo < veteran.hi < 0  # both negative, novices' clearly more
    for row in (novice, veteran):
        assert abs(row.estimate - truth[row.term]) < 3.3 * row.se
        assert row.odds_ratio_10pct_lower_lo > 1
    assert novice.odds_ratio_10pct_lower > veteran.odds_ratio_10pct_lower
    curve = reputation.win_rate_by_relative_bid(market_con)
    cheap = curve.set_index(["reputation", "bid_band"]).win_rate
    assert cheap["no reviews", "30%+ below"] > cheap["no reviews", "30%+ above"]
    assert (curve.n > 0).all()


def test_hire_rate_climbs_with_reviews(market_con):
    table = reputation.hire_rate_by_reviews(market_con)
    rates = table[table.channel == "application"].hire_rate.to_numpy()
    assert (np.diff(rates) > 0).all()
    zero, one = table[table.channel == "application"].iloc[:2].itertuples()
    assert one.lo > 2 * zero.hi  # the entry-level problem: the first review more than doubles it


def test_declined_invitations_lower_the_fill_rate(market_con, truth):
    groups, model = channels.declined_invites(market_con)
    fit = _with_truth(model, truth)
    assert len(fit) == 2 and (fit.z.abs() < 3.3).all(), fit
    rates = groups.set_index("declined_invite")
    assert rates.loc[True, "hi"] < rates.loc[False, "lo"]
    assert 0.2 < 1 - groups.n_filled.sum() / groups.n.sum() < 0.5  # a share hires no one


def test_dissatisfied_clients_rehire_less(market_con, truth):
    verdicts, model = reputation.rehire_after_dissatisfaction(market_con)
    fit = _with_truth(model, truth)
    assert len(fit) == 2 and (fit.z.abs() < 3.3).all(), fit
    rates = verdicts.set_index("verdict")
    assert rates.loc["dissatisfied", "hi"] < rates.loc["satisfied", "lo"]


def test_ratings_inflate_yet_hide_dissatisfaction(market_con, truth):
    by_year, trend = reputation.rating_inflation(market_con)
    row = trend.iloc[0]
    assert abs(row.estimate - truth["top_rating_logodds_per_year"]) < 3.3 * row.se
    assert by_year.top_share.is_monotonic_increasing
    hidden = reputation.hidden_dissatisfaction(market_con).set_index("measure")
    share = hidden.loc["dissatisfied_rating_4plus_share"]
    assert share.lo - 0.02 < truth["dissatisfied_rating_4plus_share"] < share.hi + 0.02
    assert 0.05 < hidden.loc["private_dissatisfied_share", "estimate"] < 0.25


# ---------------------------------------------------------------- pay


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
        "rate_log_premium_new_client",
    ):
        assert abs(terms.loc[term, "z"]) < 3.3, terms.loc[term]
    assert terms.loc["rate_log_premium_channel__referral", "lo"] > 0
    assert terms.loc["rate_log_premium_new_client", "lo"] > 0  # new clients are bid higher
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
        + p.rate_log_premium_new_client
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


def test_small_and_wide_starters_earn_more_per_hour_later(market_con, truth):
    fit = _with_truth(pricing.rate_drivers(market_con), truth).set_index("term")
    row = fit.loc["rate_log_premium_small_and_wide_after_5"]
    assert abs(row.z) < 3.3 and row.lo > 0
    styles = reputation.starter_styles(market_con).set_index(["style", "measure"])
    assert (
        styles.loc[("small_and_wide", "later_median_rate"), "estimate"]
        > styles.loc[("big_first", "later_median_rate"), "estimate"]
    )


# ---------------------------------------------------------------- niches


def test_skill_alliances_and_premiums(market_con, truth):
    found = []
    for niche, pairs in SKILL_ALLIANCES.items():
        table = niches.skill_pair_effects(market_con, niche=niche)
        assert ((table.lift_lo <= table.lift) & (table.lift <= table.lift_hi)).all()
        top = table.head(len(pairs))
        assert {frozenset(p) for p in zip(top.skill_a, top.skill_b, strict=True)} == {
            frozenset(p) for p in pairs
        }  # the alliances have the highest lifts
        for r in table.itertuples():
            lift = pair_effect_name("skill_pair_lift", niche, r.skill_a, r.skill_b)
            if lift in truth:
                found.append(r.lift_lo <= truth[lift] <= r.lift_hi)
                assert r.lift_lo > 1
            premium = pair_effect_name("skill_pair_rate_log_premium", niche, r.skill_a, r.skill_b)
            if premium in truth:
                se = (r.rate_premium_hi - r.rate_premium) / 1.96
                assert abs(r.rate_premium - truth[premium]) < 3.3 * se
                assert r.rate_premium_lo > 0
    assert len(found) == sum(len(p) for p in SKILL_ALLIANCES.values())
    assert np.mean(found) >= 0.8


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


def test_demand_grows_then_flattens(market_con, truth):
    early = niches.niche_growth(market_con, since="2021-01-01", until="2023-01-01")
    late = niches.niche_growth(market_con)
    skip = ["llm_applications", "scraping_data_collection", "nlp"]
    early_typical = early[~early.niche.isin(skip)].growth_log_per_year.median()
    late_typical = late[~late.niche.isin(skip)].growth_log_per_year.median()
    assert early_typical > late_typical
    assert abs(early_typical - truth["market_growth_log_per_year__2021_2022"]) < 0.1
    assert abs(late_typical - truth["market_growth_log_per_year__2023_2025"]) < 0.1


def test_demand_shock_is_found_at_its_date(market_con, truth):
    shock = niches.demand_shock(market_con, niche="nlp", event_date="2022-12-01").iloc[0]
    assert abs(shock.estimate - truth["demand_shock_log_step__nlp"]) < 3.3 * shock.se
    assert shock.estimate < 0  # "significantly below 0" holds in ~80% of markets (power)
    placebo = niches.demand_shock(market_con, niche="bi_dashboards", event_date="2022-12-01")
    assert placebo.iloc[0].lo <= 0 <= placebo.iloc[0].hi


def test_opportunity_score_formula_and_ranking(market_con):
    scores = niches.opportunity_scores(market_con)
    parts = scores[list(niches.OPPORTUNITY_COMPONENTS)].mean(axis=1)  # a quarter each
    np.testing.assert_allclose(scores.score, parts)
    assert (scores.score_lo < scores.score).all() and (scores.score < scores.score_hi).all()
    assert scores.iloc[0].niche == "llm_applications"
    assert scores.set_index("niche").loc["scraping_data_collection", "rank"] > 8
    assert scores.iloc[-1].niche == "other"  # the catch-all is no niche to choose


def test_niche_summary_has_intervals_and_counts(market_con):
    summary = niches.niche_summary(market_con)
    assert len(summary) == 16 and summary.n_jobs.sum() > 40_000
    for col in ("jobs_per_month", "proposals_per_job"):
        assert (summary[f"{col}_lo"] <= summary[col]).all()
        assert (summary[col] <= summary[f"{col}_hi"]).all()
    assert (summary.agreed_hourly_rate_lo <= summary.agreed_hourly_rate_median).all()
    assert summary.agreed_hourly_rate_n.sum() > 10_000
    assert (summary.proposals_per_job > 10).all()  # real competition in every niche


# ---------------------------------------------------------------- channels and workload


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
    assert 0.01 < perf.loc["application", "win_rate"] < 0.06  # a few percent


def test_time_to_first_contract_penalises_lower_income_regions(market_con):
    by_region, predictors = channels.time_to_first_contract(market_con)
    row = predictors.set_index("term").loc["lower_income_region"]
    assert row.hi < 0
    assert by_region.n.sum() > 1000


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
    build_warehouse(path, scale=0.5, seed=5, null_market=True)
    with open_warehouse(path) as con:
        growth = niches.niche_growth(con, since="2023-01-01")
        shock = niches.demand_shock(con, niche="nlp").iloc[0]
    assert (growth.status != "steady").sum() <= 1
    assert shock.lo <= 0 <= shock.hi


# ---------------------------------------------------------------- every planted effect


def test_every_planted_effect_has_an_estimate_with_an_interval(market_con):
    table = recovery.planted_vs_estimated(market_con)
    assert len(table) == market_con.execute("select count(*) from truth").fetchall()[0][0]
    assert set(table.status) <= {"estimated", "reference level", "latent"}, table[
        table.status == "not estimated"
    ]
    assert set(table[table.status == "latent"].effect) == set(recovery.LATENT)
    estimated = table[table.status == "estimated"]
    assert (estimated.lo <= estimated.hi).all()
    assert estimated.covered.astype(bool).mean() >= 0.9
    assert (table[table.status == "reference level"].truth == 0).all()


def test_posted_client_region_premiums_recovered(market_con, truth):
    table = pricing.posted_rate_premiums(market_con)
    fit = _with_truth(table, truth)
    assert len(fit) == 8
    assert (fit.z.abs() < 4).all(), fit
    assert fit.set_index("term").loc["posted_rate_log_premium_client_region__south_asia", "hi"] < 0


def test_client_regions_recover_the_planted_client_mix_and_posted_pay(market_con):
    """Clients post at one rate whatever their region, so each region's share of the
    postings is its planted share of clients; its median posted hourly midpoint sits
    at the planted premium over north_america (a shift of the whole distribution).
    """
    where = channels.client_regions(market_con).set_index("region")
    planted = pd.Series({r: share for r, (share, _, _) in DEMAND_REGIONS.items()})
    planted /= planted.sum()
    named = where.loc[planted.index]
    assert named.share.sum() == pytest.approx(1.0)
    z = (named.share - planted) / ((named.share_hi - named.share_lo) / (2 * 1.96))
    assert (z.abs() < 3.3).all(), z
    median = named.posted_hourly_mid_median
    premium = np.log(median / median["north_america"])
    for region, (_, truth, _) in DEMAND_REGIONS.items():
        assert premium[region] == pytest.approx(truth, abs=0.12), region
    assert np.isnan(where.share.get("unknown", np.nan))


def test_market_shares_and_start_of_ratings(market_con, truth):
    shares = recovery.market_shares(market_con).set_index("term")
    for term in ("hourly_job_share", "review_share", "rescraped_share"):
        row = shares.loc[term]
        assert row.lo - 0.01 <= truth[term] <= row.hi + 0.01, row
    start = reputation.top_rating_start(market_con).iloc[0]
    assert start.lo - 0.02 <= truth["top_rating_share_at_start"] <= start.hi + 0.02


def test_market_growth_early_and_late(market_con, truth):
    early = niches.market_growth(market_con, since="2021-01-01", until="2023-01-01").iloc[0]
    late = niches.market_growth(market_con).iloc[0]
    for row, term in ((early, "2021_2022"), (late, "2023_2025")):
        assert abs(row.estimate - truth[f"market_growth_log_per_year__{term}"]) < 3.3 * row.se
    assert early.lo > late.hi


def test_event_study_shows_the_shock_after_not_before(market_con, truth):
    leads_lags, placebo = niches.event_study(market_con, niche="nlp", event_date="2022-12-01")
    assert set(leads_lags.period) == {"lead", "reference", "lag"}
    lags = leads_lags[leads_lags.period == "lag"].estimate.mean()
    leads = leads_lags[leads_lags.period == "lead"].estimate.mean()
    assert lags < leads - 0.2  # postings fall after the date, not before
    event = placebo[placebo.kind == "event"].iloc[0]
    assert event.hi < 0
    niches_placebo = placebo[placebo.kind == "placebo niche"]
    assert len(niches_placebo) == 15 and niches_placebo.excludes_zero.sum() <= 3
    assert (placebo.kind == "placebo date").sum() == 2


def test_channel_win_odds_adjusted_below_raw_for_invites(market_con, truth):
    odds = channels.channel_win_odds(market_con).set_index("channel")
    invite = odds.loc["invite"]
    assert invite.adjusted_logodds < invite.raw_logodds  # raw is confounded by reputation
    for channel in ("invite", "referral", "repeat"):
        row = odds.loc[channel]
        assert row.raw_logodds_lo <= row.raw_logodds <= row.raw_logodds_hi
        t = truth[f"hire_logodds_channel__{channel}"]
        assert row.adjusted_logodds_lo - 0.1 <= t <= row.adjusted_logodds_hi + 0.1


def test_hire_model_errors_and_rating_scale(market_con):
    robust = reputation.hire_model(market_con).set_index("term")
    model = reputation.hire_model(market_con, errors="model").set_index("term")
    np.testing.assert_allclose(robust.estimate, model.estimate)
    assert (robust.se >= 0.9 * model.se).all()
    pct = reputation.hire_model(market_con, rating="percentile").set_index("term")
    assert "hire_logodds_per_rating_percentile" in pct.index
    assert pct.loc["hire_logodds_per_rating_percentile", "lo"] > 0
    with pytest.raises(ValueError, match="errors"):
        reputation.hire_model(market_con, errors="robust")


# ---------------------------------------------------------------- coverage over seeds

FAST_SCALE, FAST_SEEDS = 0.2, [2001, 2002, 2003]
SLOW_SCALE, SLOW_SEEDS = 1.0, list(range(3001, 3025))


def _assert_coverage(rows: pd.DataFrame, record) -> None:
    table = truth_sweep.coverage(rows)
    for r in table.itertuples():
        record(f"figure: coverage {r.family}", f"{r.covered}/{r.n} = {r.share:.3f}")
    inside = (table.share >= table.band_lo) & (table.share <= table.band_hi)
    assert inside.all(), table[~inside]


def test_intervals_cover_the_truth_across_seeds_fast(tmp_path, record_property):
    """A fast subset of the sweep: three small markets (scale 0.2), every family in its band."""
    rows = truth_sweep.sweep(tmp_path, scale=FAST_SCALE, seeds=FAST_SEEDS)
    assert set(rows.family) == set(truth_sweep.FAMILIES)
    assert rows.groupby("family").size().min() >= 3
    _assert_coverage(rows, record_property)


@pytest.mark.slow
def test_intervals_cover_the_truth_across_seeds(tmp_path, record_property):
    """The full sweep: 24 demo-size markets; figures in docs/analyses.md.

    Set FDSA_SWEEP_REPORT=path to write the sweep's markdown tables there.
    """
    import time

    start = time.perf_counter()
    rows = truth_sweep.sweep(tmp_path, scale=SLOW_SCALE, seeds=SLOW_SEEDS)
    report = os.environ.get("FDSA_SWEEP_REPORT")
    if report:
        text = truth_sweep.markdown(
            rows, scale=SLOW_SCALE, seeds=SLOW_SEEDS, seconds=time.perf_counter() - start
        )
        Path(report).write_text(text, encoding="utf-8")
    assert rows.seed.nunique() >= 20
    _assert_coverage(rows, record_property)
