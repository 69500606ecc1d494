"""The newcomer's plan reads its numbers only as strongly as their intervals allow."""

from __future__ import annotations

import math

from fdsa.reporting import plan


def test_proposals_needed_inverts_the_first_contract_chance():
    k = plan.proposals_needed(0.01, 0.8, 90)
    assert math.isclose(1 - (1 - 0.01) ** (k * 90 / 7), 0.8)
    assert math.isnan(plan.proposals_needed(0.0, 0.8, 90))


def test_shortlist_says_when_niches_are_not_clearly_apart():
    rows = [
        {
            "name": "A",
            "proposals_per_hire": 130,
            "proposals_per_hire_lo": 120,
            "proposals_per_hire_hi": 150,
        },
        {
            "name": "B",
            "proposals_per_hire": 140,
            "proposals_per_hire_lo": 125,
            "proposals_per_hire_hi": 160,
        },
        {
            "name": "C",
            "proposals_per_hire": 300,
            "proposals_per_hire_lo": 250,
            "proposals_per_hire_hi": 350,
        },
    ]
    text = plan.shortlist(rows)
    assert text.startswith("Shortlist: A first") and "B (140, no clear difference)" in text
    assert "C (300)" in text


def test_shortlist_falls_back_to_demand_without_proposals():
    rows = [
        {"name": "A", "proposals_per_hire": float("nan"), "jobs_per_month": 5.0},
        {"name": "B", "proposals_per_hire": float("nan"), "jobs_per_month": 12.0},
    ]
    assert plan.shortlist(rows).startswith("Shortlist by demand alone")
    assert plan.shortlist(rows).index("B") < plan.shortlist(rows).index("A (")


def test_missing_numbers_give_no_sentence():
    assert plan.first_bid(float("nan"), 1, 2, 0.5) == ""
    assert plan.weekly_proposals(float("nan"), 0, 0, chance=0.8, days=90) == ""
    assert plan.next_channel(None, 0.1) == ""
    assert plan.hours(20, 0) == ""
