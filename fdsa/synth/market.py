"""The seeded, vectorized market simulation: who is in the market, what is posted.

Freelancers, clients and jobs are drawn up front (this module); the market then
advances in weekly steps (:mod:`fdsa.synth.week`). Within a step every operation is
a numpy array operation over all jobs, proposals or freelancers of that step;
nothing loops per row.

:func:`simulate` yields ``(table_name, pyarrow.Table)`` chunks in an order that
respects the warehouse's references; ``fdsa.synth.build`` writes them to DuckDB.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from fdsa import taxonomy
from fdsa.synth import text
from fdsa.synth._arrays import (
    DATA_END,
    DATA_START,
    DAY,
    WEEK,
    YEAR,
    masked,
    pick_per_row,
    string_lists,
    strings,
    ts,
)
from fdsa.synth.params import (
    DEMAND_REGIONS,
    EXPERIENCE_RATE_PREMIUM,
    EXPERIENCE_SHARE,
    FLATTEN_AT,
    JOB_SKILLS_PER_POSTING,
    MONTH_SEASONALITY,
    NICHE_BASE_SHARE,
    PROFILE_SKILLS_PER_FREELANCER,
    SHOCK_AT,
    SKILL_ALLIANCES,
    SUPPLY_REGIONS,
    MarketParams,
    skill_pair_share,
)

NICHES = taxonomy.NICHES
NICHE_INDEX = {n: i for i, n in enumerate(NICHES)}
LEVELS = taxonomy.EXPERIENCE_LEVELS
DURATIONS = taxonomy.DURATIONS
LOWER_INCOME = frozenset(taxonomy.LOWER_INCOME_REGIONS)

# operating modes (taxonomy order): share of freelancers and weekly capacity in hours
MODE_SHARE = (0.35, 0.15, 0.30, 0.12, 0.08)
MODE_CAPACITY_HOURS = (40.0, 25.0, 12.0, 40.0, 20.0)
CLIENT_SEGMENT_SHARE = (0.45, 0.35, 0.15, 0.05)
FULL_TIME_HOURS = 40.0  # application activity is capacity / this
EARLY_JOINER_SHARE = 0.20  # freelancers already there in the first eight weeks
STAY_YEARS_MEAN = 3.5
# duration buckets (taxonomy order): shares for hourly and fixed postings
HOURLY_DURATION_SHARE = (0.15, 0.30, 0.30, 0.25)
FIXED_DURATION_SHARE = (0.70, 0.25, 0.05, 0.00)
POSTED_MID_SD_LOG = 0.3  # spread of posted hourly midpoints around the formula
POSTED_BOUND_SD_LOG = 0.08  # spread of each bound around its ratio
FIXED_BUDGET_SD_LOG = 1.2
PLACEHOLDER_BUDGETS = (0.0, 1.0, 5.0)


def _month_starts() -> np.ndarray:
    months = np.arange("2021-01", "2026-02", dtype="datetime64[M]")
    return months.astype("datetime64[s]").astype(np.int64)


# ---------------------------------------------------------------- skills


class SkillSampler:
    """Skill sets of postings or profiles, with each niche's planted alliances.

    A row's K skills (uniform on a range, at most the niche's list) are the first K
    of a random order of its niche's list. With probability ``alliance_share`` the
    row is built around one of the niche's alliances (drawn uniformly): both of its
    skills are put first. ``fdsa.synth.params.skill_pair_probabilities`` gives the
    exact chance of every pair under this scheme.
    """

    def __init__(self) -> None:
        lists = [text.NICHE_SKILLS[n] for n in NICHES]
        self.vocabulary = sorted({s for skills in lists for s in skills})
        lookup = {s: i for i, s in enumerate(self.vocabulary)}
        self.width = max(map(len, lists))
        self.table = np.full((len(NICHES), self.width), -1, dtype=np.int64)
        self.sizes = np.array([len(skills) for skills in lists])
        most = max(len(a) for a in SKILL_ALLIANCES.values())
        self.alliances = np.zeros((len(NICHES), most, 2), dtype=np.int64)
        self.n_alliances = np.zeros(len(NICHES), dtype=np.int64)
        for n, skills in enumerate(lists):
            self.table[n, : len(skills)] = [lookup[s] for s in skills]
            pairs = SKILL_ALLIANCES.get(NICHES[n], ())
            self.n_alliances[n] = len(pairs)
            for i, (a, b) in enumerate(pairs):
                self.alliances[n, i] = (skills.index(a), skills.index(b))

    def sample(
        self,
        rng: np.random.Generator,
        niche: np.ndarray,
        k_range: tuple[int, int],
        alliance_share: float,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Draw each row's skills.

        Returns
        -------
        (offsets, values, chosen)
            List offsets and vocabulary codes for an Arrow list column, and a
            rows × width boolean matrix: position i of the niche's list was chosen.
        """
        n = len(niche)
        rows = np.arange(n)
        k = np.minimum(rng.integers(k_range[0], k_range[1] + 1, size=n), self.sizes[niche])
        keys = rng.random((n, self.width))
        keys[np.arange(self.width)[None, :] >= self.sizes[niche][:, None]] = 2.0  # never chosen
        allied = (self.n_alliances[niche] > 0) & (rng.random(n) < alliance_share)
        which = pick_per_row(rng, np.maximum(self.n_alliances[niche], 1))
        pair = self.alliances[niche, which]
        keys[rows[allied], pair[allied, 0]] = -1.0
        keys[rows[allied], pair[allied, 1]] = -1.0
        order = np.argsort(keys, axis=1, kind="stable")
        # flat positions of each row's order: one scatter and one gather (*_along_axis
        # build index arrays per axis)
        rank = np.empty_like(order)
        rank.reshape(-1)[rows[:, None] * self.width + order] = np.arange(self.width)
        chosen = rank < k[:, None]
        codes = self.table.reshape(-1)[niche[:, None] * self.width + order]
        values = codes[np.arange(self.width)[None, :] < k[:, None]]
        return np.concatenate([[0], np.cumsum(k)]), values, chosen

    def pair_premium(self, p: MarketParams, niche: np.ndarray, chosen: np.ndarray) -> np.ndarray:
        """Log-rate premium of each posting from its premium skill pair, centred within
        the niche (so the niche's mean premium is unchanged).
        """
        premium = np.zeros(len(niche))
        for (name, a, b), size in p.skill_pair_rate_premium.items():
            n = NICHE_INDEX[name]
            skills = text.NICHE_SKILLS[name]
            mine = niche == n
            both = chosen[:, skills.index(a)] & chosen[:, skills.index(b)]
            centre = size * skill_pair_share(p, name, a, b)
            premium[mine] += size * both[mine] - centre
        return premium


# ---------------------------------------------------------------- people


def _draw_countries(
    rng: np.random.Generator,
    regions: dict[str, tuple[float, float, tuple[str, ...]]],
    region_of_row: np.ndarray,
) -> tuple[np.ndarray, list[str]]:
    """A country per row, uniform over its region's (weighted) country list."""
    country_lists = [countries for _, _, countries in regions.values()]
    vocabulary = sorted({c for cs in country_lists for c in cs})
    table = np.full((len(country_lists), max(map(len, country_lists))), -1, dtype=np.int64)
    for i, cs in enumerate(country_lists):
        table[i, : len(cs)] = [vocabulary.index(c) for c in cs]
    sizes = np.array([len(cs) for cs in country_lists])
    return table[region_of_row, pick_per_row(rng, sizes[region_of_row])], vocabulary


@dataclass
class Freelancers:
    """When each freelancer joins and leaves the market (weeks as instants)."""

    joined: np.ndarray
    left: np.ndarray  # DATA_END + a year when still active at the end
    region: np.ndarray  # index into taxonomy.REGIONS
    niche: np.ndarray
    capacity: np.ndarray
    exp_years: np.ndarray
    ability: np.ndarray  # personal log-rate level (unobserved)
    quality: np.ndarray  # latent quality: private satisfaction of clients (unobserved)
    small_and_wide: np.ndarray
    activity: np.ndarray  # how often they apply: dormant profiles rarely do
    lower_income: np.ndarray
    rate_region: np.ndarray

    def active_at(self, at: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Whether freelancers ``idx`` had joined and not left at times ``at``."""
        return (self.joined[idx] <= at) & (self.left[idx] > at)


def make_freelancers(
    rng: np.random.Generator, p: MarketParams, n: int, skills: SkillSampler
) -> tuple[Freelancers, pa.Table]:
    """Draw ``n`` freelancers: their arrays for the weekly loop and the ``profiles`` rows."""
    span = DATA_END - DATA_START
    early = rng.random(n) < EARLY_JOINER_SHARE
    joined = np.where(
        early, DATA_START + rng.random(n) * 8 * WEEK, DATA_START + rng.random(n) * 0.95 * span
    ).astype(np.int64)
    stay = rng.exponential(STAY_YEARS_MEAN * YEAR, size=n).astype(np.int64) + 4 * WEEK
    left = joined + stay
    has_left = left < DATA_END

    names = list(SUPPLY_REGIONS)
    shares = np.array([SUPPLY_REGIONS[r][0] for r in names])
    supply = rng.choice(len(names), size=n, p=shares / shares.sum())
    region = np.array([taxonomy.REGIONS.index(r) for r in names])[supply]
    country, countries = _draw_countries(rng, SUPPLY_REGIONS, supply)

    modes = taxonomy.OPERATING_MODES
    mode = rng.choice(len(modes), size=n, p=list(MODE_SHARE))
    capacity = np.round(np.array(MODE_CAPACITY_HOURS)[mode] * rng.uniform(0.8, 1.2, n))
    background = rng.choice(len(taxonomy.BACKGROUNDS), size=n)
    exp_years = np.round(np.clip(rng.gamma(2.0, 2.5, size=n), 0, 40), 1)
    share = np.array([NICHE_BASE_SHARE[x] for x in NICHES])
    niche = rng.choice(len(NICHES), size=n, p=share / share.sum())
    ability = rng.normal(0.0, p.rate_freelancer_sd, size=n)
    small_and_wide = rng.random(n) < p.small_and_wide_share
    # how often they apply: in proportion to the hours they offer (a side gig applies
    # less than a full-time freelancer); dormant profiles hardly at all
    dormant = rng.random(n) < p.dormant_share
    activity = np.where(dormant, p.dormant_activity, 1.0) * capacity / FULL_TIME_HOURS
    sk_off, sk_val, _ = skills.sample(
        rng, niche, PROFILE_SKILLS_PER_FREELANCER, p.skill_alliance_share
    )
    quality = rng.normal(0.0, p.quality_sd, size=n)
    profile_titles = [text.PROFILE_TITLES[x] for x in NICHES]

    table = pa.table(
        {
            "freelancer_id": np.arange(1, n + 1, dtype=np.int64),
            "joined_at": ts(joined),
            "left_at": ts(left, has_left),
            "country": strings(country, countries),
            "region": strings(region, taxonomy.REGIONS),
            "background": strings(background, taxonomy.BACKGROUNDS),
            "operating_mode": strings(mode, modes),
            "capacity_hours_per_week": capacity,
            "experience_years_at_join": exp_years,
            "primary_niche": strings(niche, NICHES),
            "skills": string_lists(sk_off, sk_val, skills.vocabulary),
            "title": strings(niche, profile_titles),
        }
    )
    people = Freelancers(
        joined=joined,
        left=np.where(has_left, left, DATA_END + 52 * WEEK),
        region=region,
        niche=niche,
        capacity=capacity,
        exp_years=exp_years,
        ability=ability,
        quality=quality,
        small_and_wide=small_and_wide,
        activity=activity,
        lower_income=np.isin(region, [taxonomy.REGIONS.index(r) for r in LOWER_INCOME]),
        rate_region=np.array([SUPPLY_REGIONS[r][1] for r in names])[supply],
    )
    return people, table


@dataclass
class Clients:
    """Clients: posting weight, region and the ``clients`` table's columns."""

    weight: np.ndarray
    region_name: list[str]
    demand: np.ndarray  # index into DEMAND_REGIONS
    table_parts: dict[str, object]


def make_clients(rng: np.random.Generator, n: int) -> Clients:
    """Draw ``n`` clients spread over regions by their share of demand."""
    names = list(DEMAND_REGIONS)
    shares = np.array([DEMAND_REGIONS[r][0] for r in names])
    demand = rng.choice(len(names), size=n, p=shares / shares.sum())
    country, countries = _draw_countries(rng, DEMAND_REGIONS, demand)
    segment = rng.choice(len(taxonomy.CLIENT_SEGMENTS), size=n, p=list(CLIENT_SEGMENT_SHARE))
    weight = (1.0 - rng.random(n)) ** (-1.0 / 2.0)  # Pareto(2): a few clients post a lot
    region = np.array([taxonomy.REGIONS.index(r) for r in names])[demand]
    return Clients(
        weight=weight / weight.sum(),
        region_name=names,
        demand=demand,
        table_parts={
            "client_id": np.arange(1, n + 1, dtype=np.int64),
            "country": strings(country, countries),
            "region": strings(region, taxonomy.REGIONS),
            "segment": strings(segment, taxonomy.CLIENT_SEGMENTS),
        },
    )


# ---------------------------------------------------------------- jobs


@dataclass
class Jobs:
    """When each job is posted and by which client."""

    posted: np.ndarray
    client: np.ndarray  # 0-based client index
    niche: np.ndarray
    hourly: np.ndarray
    level: np.ndarray
    duration: np.ndarray
    hours_per_week: np.ndarray
    budget_anchor: np.ndarray  # the budget fixed bids are made around (placeholders too)
    pair_premium: np.ndarray  # log-rate premium from a premium skill pair (centred)
    openings: np.ndarray  # freelancers the client wants: 1, or 2+ for multi-hire postings


def market_log_level(p: MarketParams, t_years: np.ndarray) -> np.ndarray:
    """Log market level at ``t_years`` since 2021-01-01: grows, then flattens."""
    knot = (FLATTEN_AT.timestamp() - DATA_START) / YEAR
    early = np.minimum(t_years, knot)
    late = np.maximum(t_years - knot, 0.0)
    return p.market_growth_log_per_year_early * early + p.market_growth_log_per_year_late * late


def expected_monthly_jobs(p: MarketParams, scale: float) -> np.ndarray:
    """Expected postings per (month, niche): market × niche trend × season × shock."""
    starts = _month_starts()
    mid = (starts[:-1] + starts[1:]) / 2
    t_years = (mid - DATA_START) / YEAR
    month_of_year = np.arange(len(mid)) % 12
    share = np.array([NICHE_BASE_SHARE[n] for n in NICHES])
    growth = np.array([p.niche_growth_rel_log_per_year.get(n, 0.0) for n in NICHES])
    log_rel = market_log_level(p, t_years)[:, None] + np.outer(t_years, growth)
    shock = np.ones_like(log_rel)
    shock[starts[:-1] >= int(SHOCK_AT.timestamp()), NICHE_INDEX[p.shock_niche]] = math.exp(
        p.shock_log_step
    )
    raw = share[None, :] * np.exp(log_rel) * np.array(MONTH_SEASONALITY)[month_of_year][:, None]
    raw = raw * shock
    return raw * (p.jobs_per_scale * scale / raw.sum())


def _scrape_times(
    rng: np.random.Generator, p: MarketParams, posted: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """When a scraper first and last saw each posting (last = first unless re-scraped)."""
    n = len(posted)
    first = posted + (rng.random(n) * p.first_seen_delay_hours_max * 3600).astype(np.int64)
    again = rng.random(n) < p.rescraped_share
    gap_days = 0.5 + rng.exponential(p.rescrape_days_mean - 0.5, n)
    last = np.where(again, first + (gap_days * DAY).astype(np.int64), first)
    return np.minimum(first, DATA_END - 1), np.minimum(last, DATA_END - 1)


def make_jobs(
    rng: np.random.Generator,
    p: MarketParams,
    scale: float,
    clients: Clients,
    skills: SkillSampler,
) -> tuple[Jobs, dict[str, object]]:
    """Post the market's jobs month by month: arrays for the loop and the ``jobs`` columns."""
    lam = expected_monthly_jobs(p, scale)
    counts = rng.poisson(lam)
    starts = _month_starts()
    month = np.repeat(np.arange(lam.shape[0]), counts.sum(axis=1))
    niche = np.concatenate([np.repeat(np.arange(len(NICHES)), row) for row in counts])
    length = starts[month + 1] - starts[month]
    posted = starts[month] + (rng.random(len(month)) * length).astype(np.int64)
    order = np.lexsort((niche, posted))
    posted, niche = posted[order], niche[order]
    n = len(posted)

    client = rng.choice(len(clients.weight), size=n, p=clients.weight)
    hourly = rng.random(n) < p.hourly_share
    level = rng.choice(3, size=n, p=[EXPERIENCE_SHARE[x] for x in LEVELS])
    duration = np.where(
        hourly,
        rng.choice(4, size=n, p=list(HOURLY_DURATION_SHARE)),
        rng.choice(4, size=n, p=list(FIXED_DURATION_SHARE)),
    )
    hours_pw = np.clip(
        np.round(p.hours_per_week_median * np.exp(rng.normal(0, p.hours_per_week_sd_log, n))), 5, 20
    )
    multi = rng.random(n) < p.multi_hire_share  # posted as multi-hire
    openings = np.where(multi, 2 + rng.poisson(p.multi_hire_extra_mean, n), 1)
    sk_off, sk_val, chosen = skills.sample(
        rng, niche, JOB_SKILLS_PER_POSTING, p.skill_alliance_share
    )
    pair_premium = skills.pair_premium(p, niche, chosen)

    niche_prem = np.array([p.niche_rate_premium[x] for x in NICHES])[niche] + pair_premium
    region_prem = np.array([DEMAND_REGIONS[r][1] for r in clients.region_name])[
        clients.demand[client]
    ]
    level_prem = np.array([EXPERIENCE_RATE_PREMIUM[x] for x in LEVELS])[level]
    mid = p.posted_hourly_mid_usd * np.exp(
        niche_prem + region_prem + level_prem + rng.normal(0, POSTED_MID_SD_LOG, n)
    )
    low = np.round(mid * p.posted_low_ratio * np.exp(rng.normal(0, POSTED_BOUND_SD_LOG, n)))
    low = np.maximum(low, 3.0)
    high = np.round(mid * p.posted_high_ratio * np.exp(rng.normal(0, POSTED_BOUND_SD_LOG, n)))
    high = np.maximum(high, low)
    anchor = np.clip(
        np.round(
            p.fixed_budget_median_usd * np.exp(niche_prem + rng.normal(0, FIXED_BUDGET_SD_LOG, n))
        ),
        10,
        50_000,
    )
    placeholder = (~hourly) & (rng.random(n) < p.placeholder_budget_share)
    budget = np.where(placeholder, rng.choice(PLACEHOLDER_BUDGETS, size=n), anchor)
    first_seen, last_seen = _scrape_times(rng, p, posted)

    title_offsets = np.cumsum([0] + [len(text.JOB_TITLES[x]) for x in NICHES])
    title_counts = np.diff(title_offsets)
    title = title_offsets[niche] + pick_per_row(rng, title_counts[niche])
    all_titles = [t for x in NICHES for t in text.JOB_TITLES[x]]

    jobs = Jobs(
        posted=posted,
        client=client,
        niche=niche,
        hourly=hourly,
        level=level,
        duration=duration,
        hours_per_week=np.where(hourly, hours_pw, np.nan),
        budget_anchor=anchor,
        pair_premium=pair_premium,
        openings=openings,
    )
    parts = {
        "job_id": np.arange(1, n + 1, dtype=np.int64),
        "client_id": client.astype(np.int64) + 1,
        "posted_at": ts(posted),
        "title": strings(title, all_titles),
        "niche": strings(niche, NICHES),
        "skills": string_lists(sk_off, sk_val, skills.vocabulary),
        "job_type": strings(np.where(hourly, 0, 1), taxonomy.JOB_TYPES),
        "hourly_low": masked(low, hourly),
        "hourly_high": masked(high, hourly),
        "budget": masked(budget, ~hourly),
        "is_placeholder_budget": placeholder,
        "experience_level": strings(level, LEVELS),
        "duration": strings(duration, DURATIONS),
        "hours_per_week": masked(hours_pw, hourly),
        "n_openings": openings.astype(np.int32),
        "first_seen_at": ts(first_seen),
        "last_seen_at": ts(last_seen),
    }
    return jobs, parts


# ---------------------------------------------------------------- the whole market


def simulate(p: MarketParams, scale: float, seed: int) -> Iterator[tuple[str, pa.Table]]:
    """Run the market; yield ``(table, chunk)`` pairs in foreign-key order."""
    from fdsa.synth.week import run_weeks

    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)]
    rng_people, rng_jobs, rng_market, _unused = streams
    n_f = max(60, round(p.freelancers_per_scale * scale))
    n_c = max(60, round(p.clients_per_scale * scale))
    skills = SkillSampler()

    people, profiles = make_freelancers(rng_people, p, n_f, skills)
    clients = make_clients(rng_people, n_c)
    jobs, job_parts = make_jobs(rng_jobs, p, scale, clients, skills)

    first_post = np.full(n_c, DATA_END, dtype=np.int64)
    np.minimum.at(first_post, jobs.client, jobs.posted)
    never = first_post == DATA_END
    client_joined = np.where(
        never,
        DATA_START + (rng_people.random(n_c) * (DATA_END - DATA_START)).astype(np.int64),
        first_post - (rng_people.random(n_c) * 60 * DAY).astype(np.int64),
    )
    yield "profiles", profiles
    yield "clients", pa.table({**clients.table_parts, "joined_at": ts(client_joined)})
    yield "jobs", pa.table(job_parts)

    yield from run_weeks(rng_market, p, people, len(clients.weight), jobs)
