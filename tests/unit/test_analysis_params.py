"""Analysis parameters are validated before anything reaches SQL."""

from __future__ import annotations

import pytest

from fdsa.analysis import _params, channels, niches, pricing, workload

HOSTILE = [
    "'; DROP TABLE jobs; --",
    "read_text('/etc/passwd')",
    "x' or '1'='1",
    "COPY jobs TO '/tmp/leak.csv'",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_categories_are_refused(value):
    with pytest.raises(ValueError, match="unknown niche"):
        _params.niche_or_all(value)
    with pytest.raises(ValueError, match="unknown region"):
        _params.region_or_all(value)


@pytest.mark.parametrize("value", ["2024-13-01", "yesterday", "2024-01-01'; drop table jobs"])
def test_bad_dates_are_refused(value):
    with pytest.raises(ValueError, match="ISO date"):
        _params.instant(value, "since")


def test_window_must_be_ordered():
    with pytest.raises(ValueError, match="must be after"):
        _params.window("2024-01-01", "2023-01-01")


def test_functions_refuse_bad_parameters_before_querying(small_warehouse):
    from fdsa.analysis import open_warehouse

    with open_warehouse(small_warehouse) as con:
        with pytest.raises(ValueError, match="niche"):
            niches.demand_shock(con, niche=HOSTILE[0])
        with pytest.raises(ValueError, match="by must be one of"):
            channels.channel_mix(con, by="tenure; drop table jobs")
        with pytest.raises(ValueError, match="column must be one of"):
            workload.profile_mix(con, column="title) from profiles; --")
        with pytest.raises(ValueError, match="niche must be one of"):
            niches.skill_pair_effects(con, niche=HOSTILE[1])
        with pytest.raises(ValueError, match="unknown niche"):
            channels.declined_invites(con, niche=HOSTILE[2])
        with pytest.raises(ValueError, match="experience_years"):
            pricing.rate_band(
                con, niche="nlp", region="europe_west", experience_years=-3, n_reviews=1
            )
        # a hostile value that is a valid type is bound, never spliced: it just matches nothing
        assert niches.monthly_jobs(con, since="2024-01-01", until="2024-03-01").n_jobs.sum() > 0
        assert con.execute("select count(*) from jobs").fetchall()[0][0] > 0


def test_small_samples_are_flagged_not_dropped(small_warehouse):
    from fdsa.analysis import open_warehouse

    with open_warehouse(small_warehouse) as con:
        summary = niches.niche_summary(con, min_n=10_000)
    assert len(summary) == 16 and summary.low_n.all()
