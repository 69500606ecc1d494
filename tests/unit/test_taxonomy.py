"""The controlled vocabularies are plain slugs and consistent with the synthetic market."""

from __future__ import annotations

import pytest

from fdsa import taxonomy
from fdsa.synth import params, text


def test_every_niche_has_titles_skills_share_and_premium():
    for niche in taxonomy.NICHES:
        assert text.JOB_TITLES[niche]
        assert text.NICHE_SKILLS[niche]
        assert niche in params.NICHE_BASE_SHARE
        assert niche in params.NICHE_RATE_PREMIUM
    assert sum(params.NICHE_BASE_SHARE.values()) == pytest.approx(1.0)


def test_market_regions_are_known_regions():
    for region in (*params.SUPPLY_REGIONS, *params.DEMAND_REGIONS):
        assert region in taxonomy.REGIONS
    for region, (_, _, countries) in (
        *params.SUPPLY_REGIONS.items(),
        *params.DEMAND_REGIONS.items(),
    ):
        assert {taxonomy.region_of(c) for c in countries} == {region}


def test_region_of_unknown_country_is_unknown():
    assert taxonomy.region_of("us") == "north_america"
    assert taxonomy.region_of("ZZ") == "unknown"
    assert taxonomy.region_of(None) == "unknown"


def test_sql_in_list_refuses_anything_but_slugs():
    assert taxonomy.sql_in_list(("a_b", "c")) == "('a_b', 'c')"
    with pytest.raises(ValueError):
        taxonomy.sql_in_list(("ok", "x'); drop table jobs; --"))
