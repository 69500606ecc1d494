"""The same warehouse gives the same digits: every analysis, run on two connections.

Floating-point sums in SQL depend on the order in which threads add them; the
analyses keep such sums exact (DECIMAL) or do them in numpy, so a report rerun on
an unchanged warehouse reproduces every number, not just the rounded ones.
"""

from __future__ import annotations

import pandas as pd
import pytest

from fdsa.analysis import (
    channels,
    niches,
    open_warehouse,
    pricing,
    recovery,
    reputation,
    workload,
)

CALLS = {
    "niche_summary": lambda con: niches.niche_summary(con),
    "niche_growth": lambda con: niches.niche_growth(con),
    "opportunity_scores": lambda con: niches.opportunity_scores(con),
    "skill_pairs": lambda con: niches.skill_pairs(con, niche="llm_applications"),
    "skill_pair_effects": lambda con: niches.skill_pair_effects(con, niche="llm_applications"),
    "rate_drivers": lambda con: pricing.rate_drivers(con),
    "rate_band": lambda con: pricing.rate_band(
        con, niche="finance_fintech", region="europe_east", experience_years=4, n_reviews=12
    ),
    "rate_trajectory": lambda con: pricing.rate_trajectory(con),
    "channel_mix": lambda con: channels.channel_mix(con, by="reputation"),
    "channel_performance": lambda con: channels.channel_performance(con),
    "time_to_first_contract": lambda con: channels.time_to_first_contract(con),
    "declined_invites": lambda con: channels.declined_invites(con),
    "client_regions": lambda con: channels.client_regions(con),
    "hire_model": lambda con: reputation.hire_model(con),
    "price_effect": lambda con: reputation.price_effect(con),
    "win_rate_by_relative_bid": lambda con: reputation.win_rate_by_relative_bid(con),
    "rehire_after_dissatisfaction": lambda con: reputation.rehire_after_dissatisfaction(con),
    "hidden_dissatisfaction": lambda con: reputation.hidden_dissatisfaction(con),
    "hire_rate_by_reviews": lambda con: reputation.hire_rate_by_reviews(con),
    "rating_inflation": lambda con: reputation.rating_inflation(con),
    "starter_styles": lambda con: reputation.starter_styles(con),
    "concurrent_clients": lambda con: workload.concurrent_clients(con),
    "profile_mix": lambda con: workload.profile_mix(con),
    "posted_rate_premiums": lambda con: pricing.posted_rate_premiums(con),
    "market_growth": lambda con: niches.market_growth(con),
    "event_study": lambda con: niches.event_study(con, niche="nlp"),
    "channel_win_odds": lambda con: channels.channel_win_odds(con),
    "top_rating_start": lambda con: reputation.top_rating_start(con),
    "market_shares": lambda con: recovery.market_shares(con),
    "planted_vs_estimated": lambda con: recovery.planted_vs_estimated(con),
}


def _frames(result) -> list[pd.DataFrame]:
    return list(result) if isinstance(result, tuple) else [result]


@pytest.mark.parametrize("name", sorted(CALLS))
def test_an_analysis_gives_the_same_digits_twice(market, name):
    runs = []
    for _ in range(2):
        with open_warehouse(market) as con:
            runs.append(_frames(CALLS[name](con)))
    for first, second in zip(*runs, strict=True):
        pd.testing.assert_frame_equal(first, second, check_exact=True)
