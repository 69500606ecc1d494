"""The seeded, vectorized market simulation.

Time advances in weekly steps. Within a step every operation is a numpy array
operation over all jobs, proposals or freelancers of that step; nothing loops per
row. The step structure makes reputation exact: a contract lasts at least one
week, so every review visible during step ``s`` comes from a hire in an earlier
step and is already known when step ``s`` starts. A proposal sees exactly the
client reviews submitted before its own timestamp, which is also how the analyses
measure it (an as-of join).

:func:`simulate` yields ``(table_name, pyarrow.Table)`` chunks in an order that
respects foreign keys; ``fdsa.synth.build`` writes them to DuckDB.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from fdsa import taxonomy
from fdsa.synth import text
from fdsa.synth.params import (
    CHANNEL_HIRE_LOGODDS,
    CHANNEL_RATE_PREMIUM,
    DEMAND_REGIONS,
    EXPERIENCE_RATE_PREMIUM,
    EXPERIENCE_SHARE,
    MONTH_SEASONALITY,
    NICHE_BASE_SHARE,
    SHOCK_AT,
    SUPPLY_REGIONS,
    MarketParams,
)

DAY = 86_400
WEEK = 7 * DAY
YEAR = 365.25 * DAY
DATA_START = 1_609_459_200  # 2021-01-01T00:00:00Z
DATA_END = 1_767_225_600  # 2026-01-01T00:00:00Z (exclusive)
STEP0 = DATA_START - 4 * DAY  # Monday 2020-12-28
N_STEPS = math.ceil((DATA_END - STEP0) / WEEK)
CHUNK_STEPS = 26

NICHES = taxonomy.NICHES
NICHE_INDEX = {n: i for i, n in enumerate(NICHES)}
CHANNEL_INDEX = {c: i for i, c in enumerate(taxonomy.CHANNELS)}
LEVELS = taxonomy.EXPERIENCE_LEVELS
DURATIONS = taxonomy.DURATIONS
DURATION_WEEKS = ((1.0, 4.0), (4.0, 13.0), (13.0, 26.0), (26.0, 52.0))
LOWER_INCOME = frozenset(taxonomy.LOWER_INCOME_REGIONS)


def _month_starts() -> np.ndarray:
    months = np.arange("2021-01", "2026-02", dtype="datetime64[M]")
    return months.astype("datetime64[s]").astype(np.int64)


def _ts(seconds: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Epoch seconds as a UTC timestamp array (null where ``valid`` is False)."""
    mask = None if valid is None else ~valid
    return pa.array(seconds.astype(np.int64), type=pa.timestamp("s", tz="UTC"), mask=mask)


def _strings(index: np.ndarray, vocabulary: tuple[str, ...] | list[str]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(
        pa.array(index.astype(np.int32)), pa.array(list(vocabulary), type=pa.string())
    ).cast(pa.string())


def _string_lists(
    offsets: np.ndarray, values: np.ndarray, vocabulary: tuple[str, ...] | list[str]
) -> pa.Array:
    return pa.ListArray.from_arrays(
        pa.array(offsets.astype(np.int32)), _strings(values, vocabulary)
    )


def _pick_per_row(rng: np.random.Generator, choices_per_row: np.ndarray) -> np.ndarray:
    """Uniform pick in ``[0, choices)`` for each row."""
    return np.minimum(
        (rng.random(len(choices_per_row)) * choices_per_row).astype(np.int64), choices_per_row - 1
    )


def _sample_skills(
    rng: np.random.Generator, niche: np.ndarray, k_min: int, k_max: int
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Draw k distinct skills of each row's niche; return (offsets, values, vocabulary)."""
    vocabulary = sorted({s for skills in text.NICHE_SKILLS.values() for s in skills})
    lookup = {s: i for i, s in enumerate(vocabulary)}
    width = max(len(v) for v in text.NICHE_SKILLS.values())
    table = np.full((len(NICHES), width), -1, dtype=np.int64)
    sizes = np.zeros(len(NICHES), dtype=np.int64)
    for n, name in enumerate(NICHES):
        skills = [lookup[s] for s in text.NICHE_SKILLS[name]]
        table[n, : len(skills)] = skills
        sizes[n] = len(skills)
    k = np.minimum(rng.integers(k_min, k_max + 1, size=len(niche)), sizes[niche])
    keys = rng.random((len(niche), width))
    keys[np.arange(width)[None, :] >= sizes[niche][:, None]] = 2.0  # past the list: never chosen
    order = np.argsort(keys, axis=1)
    chosen = np.take_along_axis(table[niche], order, axis=1)
    take = np.arange(width)[None, :] < k[:, None]
    offsets = np.concatenate([[0], np.cumsum(k)])
    return offsets, chosen[take], vocabulary


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
    return table[region_of_row, _pick_per_row(rng, sizes[region_of_row])], vocabulary


@dataclass
class Freelancers:
    joined: np.ndarray
    left: np.ndarray  # DATA_END + something when still active at the end
    region: np.ndarray  # index into taxonomy.REGIONS
    niche: np.ndarray
    capacity: np.ndarray
    exp_years: np.ndarray
    ability: np.ndarray
    small_and_wide: np.ndarray
    activity: np.ndarray  # how often they apply: dormant profiles rarely do
    lower_income: np.ndarray
    rate_region: np.ndarray


def make_freelancers(
    rng: np.random.Generator, p: MarketParams, n: int
) -> tuple[Freelancers, pa.Table]:
    span = DATA_END - DATA_START
    early = rng.random(n) < 0.20
    joined = np.where(
        early, DATA_START + rng.random(n) * 8 * WEEK, DATA_START + rng.random(n) * 0.95 * span
    ).astype(np.int64)
    stay = rng.exponential(3.5 * YEAR, size=n).astype(np.int64) + 4 * WEEK
    left = joined + stay
    has_left = left < DATA_END

    names = list(SUPPLY_REGIONS)
    shares = np.array([SUPPLY_REGIONS[r][0] for r in names])
    supply = rng.choice(len(names), size=n, p=shares / shares.sum())
    region = np.array([taxonomy.REGIONS.index(r) for r in names])[supply]
    country, countries = _draw_countries(rng, SUPPLY_REGIONS, supply)

    modes = taxonomy.OPERATING_MODES
    mode = rng.choice(len(modes), size=n, p=[0.35, 0.15, 0.30, 0.12, 0.08])
    capacity = np.round(np.array([40.0, 25.0, 12.0, 40.0, 20.0])[mode] * rng.uniform(0.8, 1.2, n))
    background = rng.choice(len(taxonomy.BACKGROUNDS), size=n)
    exp_years = np.round(np.clip(rng.gamma(2.0, 2.5, size=n), 0, 40), 1)
    share = np.array([NICHE_BASE_SHARE[x] for x in NICHES])
    niche = rng.choice(len(NICHES), size=n, p=share / share.sum())
    ability = rng.normal(0.0, p.rate_freelancer_sd, size=n)
    small_and_wide = rng.random(n) < p.small_and_wide_share
    activity = np.where(rng.random(n) < p.dormant_share, 0.05, 1.0)
    sk_off, sk_val, sk_vocab = _sample_skills(rng, niche, 3, 5)
    profile_titles = [text.PROFILE_TITLES[x] for x in NICHES]

    ids = np.arange(1, n + 1, dtype=np.int64)
    table = pa.table(
        {
            "freelancer_id": ids,
            "joined_at": _ts(joined),
            "left_at": _ts(left, has_left),
            "country": _strings(country, countries),
            "region": _strings(region, taxonomy.REGIONS),
            "background": _strings(background, taxonomy.BACKGROUNDS),
            "operating_mode": _strings(mode, modes),
            "capacity_hours_per_week": capacity,
            "experience_years_at_join": exp_years,
            "primary_niche": _strings(niche, NICHES),
            "skills": _string_lists(sk_off, sk_val, sk_vocab),
            "title": _strings(niche, profile_titles),
        }
    )
    rate_region = np.array([SUPPLY_REGIONS[r][1] for r in names])[supply]
    lower = np.isin(region, [taxonomy.REGIONS.index(r) for r in LOWER_INCOME])
    people = Freelancers(
        joined=joined,
        left=np.where(has_left, left, DATA_END + 52 * WEEK),
        region=region,
        niche=niche,
        capacity=capacity,
        exp_years=exp_years,
        ability=ability,
        small_and_wide=small_and_wide,
        activity=activity,
        lower_income=lower,
        rate_region=rate_region,
    )
    return people, table


@dataclass
class Clients:
    weight: np.ndarray
    region_name: list[str]
    demand: np.ndarray  # index into DEMAND_REGIONS
    table_parts: dict[str, object]


def make_clients(rng: np.random.Generator, n: int) -> Clients:
    names = list(DEMAND_REGIONS)
    shares = np.array([DEMAND_REGIONS[r][0] for r in names])
    demand = rng.choice(len(names), size=n, p=shares / shares.sum())
    country, countries = _draw_countries(rng, DEMAND_REGIONS, demand)
    segment = rng.choice(len(taxonomy.CLIENT_SEGMENTS), size=n, p=[0.45, 0.35, 0.15, 0.05])
    weight = (1.0 - rng.random(n)) ** (-1.0 / 2.0)  # Pareto: a few clients post a lot
    region = np.array([taxonomy.REGIONS.index(r) for r in names])[demand]
    return Clients(
        weight=weight / weight.sum(),
        region_name=names,
        demand=demand,
        table_parts={
            "client_id": np.arange(1, n + 1, dtype=np.int64),
            "country": _strings(country, countries),
            "region": _strings(region, taxonomy.REGIONS),
            "segment": _strings(segment, taxonomy.CLIENT_SEGMENTS),
        },
    )


# ---------------------------------------------------------------- jobs


@dataclass
class Jobs:
    posted: np.ndarray
    client: np.ndarray  # 0-based client index
    niche: np.ndarray
    hourly: np.ndarray
    level: np.ndarray
    duration: np.ndarray
    hours_per_week: np.ndarray
    budget: np.ndarray
    placeholder: np.ndarray


def expected_monthly_jobs(p: MarketParams, scale: float) -> np.ndarray:
    """Expected postings per (month, niche): market trend × niche trend × season × shock."""
    starts = _month_starts()
    mid = (starts[:-1] + starts[1:]) / 2
    t_years = (mid - DATA_START) / YEAR
    month_of_year = np.arange(len(mid)) % 12
    share = np.array([NICHE_BASE_SHARE[n] for n in NICHES])
    growth = np.array([p.niche_growth_rel_log_per_year.get(n, 0.0) for n in NICHES])
    rel = np.exp(np.outer(t_years, p.market_growth_log_per_year + growth))
    shock = np.ones_like(rel)
    shock[starts[:-1] >= int(SHOCK_AT.timestamp()), NICHE_INDEX[p.shock_niche]] = math.exp(
        p.shock_log_step
    )
    raw = share[None, :] * rel * np.array(MONTH_SEASONALITY)[month_of_year][:, None] * shock
    return raw * (p.jobs_per_scale * scale / raw.sum())


def make_jobs(
    rng: np.random.Generator, p: MarketParams, scale: float, clients: Clients
) -> tuple[Jobs, dict[str, object]]:
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
        rng.choice(4, size=n, p=[0.15, 0.30, 0.30, 0.25]),
        rng.choice(4, size=n, p=[0.70, 0.25, 0.05, 0.00]),
    )
    hours_pw = np.clip(
        np.round(p.hours_per_week_median * np.exp(rng.normal(0, p.hours_per_week_sd_log, n))), 5, 20
    )

    niche_prem = np.array([p.niche_rate_premium[x] for x in NICHES])[niche]
    region_prem = np.array([DEMAND_REGIONS[r][1] for r in clients.region_name])[
        clients.demand[client]
    ]
    level_prem = np.array([EXPERIENCE_RATE_PREMIUM[x] for x in LEVELS])[level]
    mid = p.posted_hourly_mid_usd * np.exp(
        niche_prem + region_prem + level_prem + rng.normal(0, 0.3, n)
    )
    low = np.maximum(np.round(mid * p.posted_low_ratio * np.exp(rng.normal(0, 0.08, n))), 3.0)
    high = np.maximum(np.round(mid * p.posted_high_ratio * np.exp(rng.normal(0, 0.08, n))), low)
    budget = np.clip(
        np.round(p.fixed_budget_median_usd * np.exp(niche_prem + rng.normal(0, 1.2, n))), 10, 50_000
    )
    placeholder = (~hourly) & (rng.random(n) < p.placeholder_budget_share)
    budget = np.where(placeholder, rng.choice([0.0, 1.0, 5.0], size=n), budget)

    title_offsets = np.cumsum([0] + [len(text.JOB_TITLES[x]) for x in NICHES])
    title_counts = np.diff(title_offsets)
    title = title_offsets[niche] + _pick_per_row(rng, title_counts[niche])
    all_titles = [t for x in NICHES for t in text.JOB_TITLES[x]]
    sk_off, sk_val, sk_vocab = _sample_skills(rng, niche, 2, 4)

    jobs = Jobs(
        posted=posted,
        client=client,
        niche=niche,
        hourly=hourly,
        level=level,
        duration=duration,
        hours_per_week=np.where(hourly, hours_pw, np.nan),
        budget=budget,
        placeholder=placeholder,
    )
    parts = {
        "job_id": np.arange(1, n + 1, dtype=np.int64),
        "client_id": client.astype(np.int64) + 1,
        "posted_at": _ts(posted),
        "title": _strings(title, all_titles),
        "niche": _strings(niche, NICHES),
        "skills": _string_lists(sk_off, sk_val, sk_vocab),
        "job_type": _strings(np.where(hourly, 0, 1), taxonomy.JOB_TYPES),
        "hourly_low": pa.array(low, mask=~hourly),
        "hourly_high": pa.array(high, mask=~hourly),
        "budget": pa.array(budget, mask=hourly),
        "is_placeholder_budget": placeholder,
        "experience_level": _strings(level, LEVELS),
        "duration": _strings(duration, DURATIONS),
        "hours_per_week": pa.array(hours_pw, mask=~hourly),
    }
    return jobs, parts


# ---------------------------------------------------------------- the weekly market


class _Sampler:
    """Weighted draws of eligible freelancers, optionally within a niche, all at once."""

    def __init__(self, eligible: np.ndarray, niche_of: np.ndarray) -> None:
        order = np.argsort(niche_of[eligible], kind="stable")
        self.members = eligible[order]
        self.bounds = np.searchsorted(niche_of[self.members], np.arange(len(NICHES) + 1))

    def draw(
        self, rng: np.random.Generator, weights: np.ndarray, niche: np.ndarray, in_niche: np.ndarray
    ) -> np.ndarray:
        """One freelancer per draw (``-1`` when no one has weight)."""
        if len(self.members) == 0 or len(niche) == 0:
            return np.full(len(niche), -1, dtype=np.int64)
        cw = np.cumsum(weights[self.members])
        cw0 = np.concatenate([[0.0], cw])
        lo, hi = self.bounds[niche], self.bounds[niche + 1]
        block = cw0[hi] - cw0[lo]
        use_block = in_niche & (block > 0)
        base = np.where(use_block, cw0[lo], 0.0)
        total = np.where(use_block, block, cw[-1])
        target = base + rng.random(len(niche)) * total
        pos = np.clip(np.searchsorted(cw, target, side="right"), 0, len(cw) - 1)
        chosen = self.members[pos]
        return np.where(total > 0, chosen, -1)


def _run_starts(sorted_values: np.ndarray) -> np.ndarray:
    """True where a run of equal values starts in a sorted array."""
    return np.r_[True, sorted_values[1:] != sorted_values[:-1]][: len(sorted_values)]


def _within_group_rank(groups: np.ndarray) -> np.ndarray:
    """0-based position of each row within its run of equal (sorted) group values."""
    starts = _run_starts(groups)
    idx = np.arange(len(groups))
    return idx - np.maximum.accumulate(np.where(starts, idx, 0))


def _stars(rng: np.random.Generator, p: MarketParams, at: np.ndarray) -> np.ndarray:
    years = (at - DATA_START) / YEAR
    logit0 = math.log(p.top_rating_share_at_start / (1 - p.top_rating_share_at_start))
    top = rng.random(len(at)) < 1 / (1 + np.exp(-(logit0 + p.top_rating_logodds_per_year * years)))
    other = np.clip(np.round(5.0 - 0.1 - rng.gamma(1.2, 0.8, len(at)), 1), 1.0, 4.9)
    return np.where(top, 5.0, other)


def simulate(p: MarketParams, scale: float, seed: int) -> Iterator[tuple[str, pa.Table]]:
    """Run the market; yield ``(table, chunk)`` pairs in foreign-key order."""
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)]
    rng_people, rng_jobs, rng_market, _unused = streams
    n_f = max(60, round(p.freelancers_per_scale * scale))
    n_c = max(60, round(p.clients_per_scale * scale))

    people, profiles = make_freelancers(rng_people, p, n_f)
    clients = make_clients(rng_people, n_c)
    jobs, job_parts = make_jobs(rng_jobs, p, scale, clients)

    first_post = np.full(n_c, DATA_END, dtype=np.int64)
    np.minimum.at(first_post, jobs.client, jobs.posted)
    never = first_post == DATA_END
    client_joined = np.where(
        never,
        DATA_START + (rng_people.random(n_c) * (DATA_END - DATA_START)).astype(np.int64),
        first_post - (rng_people.random(n_c) * 60 * DAY).astype(np.int64),
    )
    yield "profiles", profiles
    yield "clients", pa.table({**clients.table_parts, "joined_at": _ts(client_joined)})
    yield "jobs", pa.table(job_parts)

    yield from _run_market(rng_market, p, people, clients, jobs)


@dataclass
class _State:
    """What the market remembers between weeks, settled as of the current step start."""

    n_rev: np.ndarray  # client reviews received
    sum_stars: np.ndarray
    n_contracts: np.ndarray
    small_first5: np.ndarray  # small jobs among the first five contracts
    past_clients: np.ndarray  # contracts won outside repeat work
    committed: np.ndarray  # hours a week on running contracts
    last_freelancer: np.ndarray  # per client, the last freelancer hired (-1: none)
    next_ids: dict[str, int]
    pending_rev: tuple[np.ndarray, np.ndarray, np.ndarray]  # freelancer, at, stars
    running: tuple[np.ndarray, np.ndarray, np.ndarray]  # freelancer, ends, hours a week

    @classmethod
    def empty(cls, n_freelancers: int, n_clients: int) -> _State:
        none = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
        return cls(
            n_rev=np.zeros(n_freelancers),
            sum_stars=np.zeros(n_freelancers),
            n_contracts=np.zeros(n_freelancers, dtype=np.int64),
            small_first5=np.zeros(n_freelancers, dtype=np.int64),
            past_clients=np.zeros(n_freelancers),
            committed=np.zeros(n_freelancers),
            last_freelancer=np.full(n_clients, -1, dtype=np.int64),
            next_ids={"proposal": 1, "contract": 1, "review": 1},
            pending_rev=none,
            running=none,
        )

    def settle(self, t0: int) -> None:
        """Count reviews submitted and free hours of contracts ended before ``t0``."""
        fl, at, st = self.pending_rev
        done = at < t0
        np.add.at(self.n_rev, fl[done], 1.0)
        np.add.at(self.sum_stars, fl[done], st[done])
        self.pending_rev = (fl[~done], at[~done], st[~done])
        rf, rend, rh = self.running
        ended = rend < t0
        np.subtract.at(self.committed, rf[ended], rh[ended])
        self.running = (rf[~ended], rend[~ended], rh[~ended])

    def take_ids(self, kind: str, n: int) -> np.ndarray:
        """The next ``n`` keys of ``kind`` (proposal, contract or review)."""
        start = self.next_ids[kind]
        self.next_ids[kind] = start + n
        return np.arange(start, start + n, dtype=np.int64)


@dataclass(frozen=True)
class _Coefficients:
    """Premiums as arrays indexed like the taxonomy tuples."""

    niche_prem: np.ndarray
    level_prem: np.ndarray
    chan_prem: np.ndarray
    chan_hire: np.ndarray
    base: float

    @classmethod
    def of(cls, p: MarketParams) -> _Coefficients:
        return cls(
            niche_prem=np.array([p.niche_rate_premium[x] for x in NICHES]),
            level_prem=np.array([EXPERIENCE_RATE_PREMIUM[x] for x in LEVELS]),
            chan_prem=np.array([CHANNEL_RATE_PREMIUM[c] for c in taxonomy.CHANNELS]),
            chan_hire=np.array([CHANNEL_HIRE_LOGODDS[c] for c in taxonomy.CHANNELS]),
            base=math.log(p.rate_base_usd),
        )


def _run_market(
    rng: np.random.Generator,
    p: MarketParams,
    people: Freelancers,
    clients: Clients,
    jobs: Jobs,
) -> Iterator[tuple[str, pa.Table]]:
    state = _State.empty(len(people.joined), len(clients.weight))
    coef = _Coefficients.of(p)
    job_bounds = np.searchsorted(jobs.posted, STEP0 + WEEK * np.arange(N_STEPS + 1))
    out: dict[str, list[pa.Table]] = {
        k: [] for k in ("proposals", "contracts", "reviews", "rate_history")
    }

    for step in range(N_STEPS):
        t0 = STEP0 + step * WEEK
        t1 = min(t0 + WEEK, DATA_END)
        state.settle(t0)
        active = (people.joined <= t0) & (people.left > t0)
        out["rate_history"].append(_rate_snapshot(rng, p, people, active, t0, state.n_rev, coef))

        j0, j1 = job_bounds[step], job_bounds[step + 1]
        if j1 > j0:
            eligible = np.flatnonzero(active & (state.committed + 5 <= people.capacity))
            proposals, contracts, reviews = _step_hires(
                rng, p, people, jobs, np.arange(j0, j1), eligible, t1, state, coef
            )
            out["proposals"].append(proposals)
            out["contracts"].append(contracts)
            out["reviews"].append(reviews)

        if (step + 1) % CHUNK_STEPS == 0 or step == N_STEPS - 1:
            for name in ("proposals", "contracts", "reviews", "rate_history"):
                if out[name]:
                    yield name, pa.concat_tables(out[name])
                    out[name] = []


def _experience_years(people: Freelancers, idx: np.ndarray, at: np.ndarray) -> np.ndarray:
    return people.exp_years[idx] + (at - people.joined[idx]) / YEAR


def _rate_snapshot(
    rng: np.random.Generator,
    p: MarketParams,
    people: Freelancers,
    active: np.ndarray,
    t0: int,
    n_rev: np.ndarray,
    coef: _Coefficients,
) -> pa.Table:
    idx = np.flatnonzero(active)
    at = np.full(len(idx), t0, dtype=np.int64)
    log_rate = (
        coef.base
        + coef.niche_prem[people.niche[idx]]
        + people.rate_region[idx]
        + p.rate_log_per_experience_year * _experience_years(people, idx, at)
        + p.rate_log_per_log1p_review * np.log1p(n_rev[idx])
        + people.ability[idx]
        + rng.normal(0, 0.03, len(idx))
    )
    return pa.table(
        {
            "freelancer_id": idx.astype(np.int64) + 1,
            "effective_at": _ts(at),
            "hourly_rate": np.maximum(np.round(np.exp(log_rate)), 3.0),
        }
    )


def _step_hires(
    rng: np.random.Generator,
    p: MarketParams,
    people: Freelancers,
    jobs: Jobs,
    job_idx: np.ndarray,
    eligible: np.ndarray,
    t1: int,
    state: _State,
    coef: _Coefficients,
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Proposals, hires, contracts and reviews of one week (updates ``state``)."""
    sampler = _Sampler(eligible, people.niche)
    j_niche = jobs.niche[job_idx]
    small_job = jobs.duration[job_idx] == 0
    has_rev = state.n_rev > 0

    # applications: start-up styles pick small or big jobs while they have < 5 contracts
    novice = state.n_contracts < 5
    w_small = people.activity * np.where(novice, np.where(people.small_and_wide, 2.0, 0.5), 1.0)
    w_big = people.activity * np.where(novice, np.where(people.small_and_wide, 0.5, 2.0), 1.0)
    k = rng.poisson(p.applications_per_job, len(job_idx))
    a_job = np.repeat(np.arange(len(job_idx)), k)
    a_match = rng.random(len(a_job)) < p.niche_match_share
    a_fl = np.where(
        small_job[a_job],
        sampler.draw(rng, w_small, j_niche[a_job], a_match),
        sampler.draw(rng, w_big, j_niche[a_job], a_match),
    )
    # invites go to reviewed freelancers; referrals to those with many past clients
    rating = np.where(has_rev, state.sum_stars / np.maximum(state.n_rev, 1), 0.0)
    w_inv = 0.05 + has_rev * np.exp(0.6 * np.log1p(state.n_rev)) * (rating / 5.0) ** 4
    k = rng.poisson(p.invites_per_job, len(job_idx))
    i_job = np.repeat(np.arange(len(job_idx)), k)
    i_fl = sampler.draw(rng, w_inv, j_niche[i_job], rng.random(len(i_job)) < 0.85)
    k = rng.poisson(p.referrals_per_job, len(job_idx))
    r_job = np.repeat(np.arange(len(job_idx)), k)
    r_fl = sampler.draw(rng, state.past_clients, j_niche[r_job], rng.random(len(r_job)) < 0.6)
    prev = state.last_freelancer[jobs.client[job_idx]]
    is_elig = np.zeros(len(people.joined), dtype=bool)
    is_elig[eligible] = True
    offer = (prev >= 0) & (rng.random(len(job_idx)) < p.repeat_offer_share)
    offer[offer] = is_elig[prev[offer]]
    rp_job = np.flatnonzero(offer)
    rp_fl = prev[rp_job]

    chan = np.concatenate(
        [
            np.full(len(a_job), 0),
            np.full(len(i_job), 1),
            np.full(len(r_job), 2),
            np.full(len(rp_job), 3),
        ]
    )
    local_job = np.concatenate([a_job, i_job, r_job, rp_job])
    fl = np.concatenate([a_fl, i_fl, r_fl, rp_fl])
    keep = fl >= 0
    chan, local_job, fl = chan[keep], local_job[keep], fl[keep]
    # one proposal per (job, freelancer): the strongest channel wins
    key = local_job * len(people.joined) + fl
    order = np.lexsort((-chan, key))
    key, chan, local_job, fl = key[order], chan[order], local_job[order], fl[order]
    first = _run_starts(key)
    chan, local_job, fl = chan[first], local_job[first], fl[first]
    job = job_idx[local_job]
    posted = jobs.posted[job]
    submitted = posted + (rng.random(len(job)) * np.minimum(2 * DAY, t1 - 1 - posted)).astype(
        np.int64
    )
    order = np.lexsort((fl, job, submitted))
    chan, job, fl, submitted = chan[order], job[order], fl[order], submitted[order]
    n_prop = len(job)

    # reputation as of the exact submission time: settled + this week's earlier reviews
    n_seen, stars_seen = _asof_reviews(state.pending_rev, fl, submitted)
    n_seen = n_seen + state.n_rev[fl]
    stars_seen = stars_seen + state.sum_stars[fl]
    reviewed = n_seen > 0
    mean_rating = np.where(reviewed, stars_seen / np.maximum(n_seen, 1), 4.5)
    log_reviews = np.log1p(n_seen)
    lower = people.lower_income[fl]

    logit = (
        p.hire_intercept
        + coef.chan_hire[chan]
        + p.hire_logodds_first_review * reviewed
        + p.hire_logodds_per_log1p_review * log_reviews
        + p.hire_logodds_per_star * (mean_rating - 4.5) * reviewed
        + lower
        * (
            p.hire_region_penalty_at_zero_reviews
            + p.hire_region_recovery_per_log1p_review * log_reviews
        )
    )
    withdrawn = rng.random(n_prop) < p.withdraw_share
    hired = (~withdrawn) & (rng.random(n_prop) < 1 / (1 + np.exp(-logit)))
    outcome = np.where(withdrawn, 2, np.where(hired, 0, 1))

    hourly = jobs.hourly[job]
    sw_known = (state.n_contracts[fl] >= 5) & (state.small_first5[fl] >= 3)
    log_rate_core = (
        coef.base
        + coef.niche_prem[jobs.niche[job]]
        + people.rate_region[fl]
        + p.rate_log_per_experience_year * _experience_years(people, fl, submitted)
        + p.rate_log_per_log1p_review * log_reviews
        + p.rate_log_per_star * (mean_rating - 4.5) * reviewed
        + coef.chan_prem[chan]
        + coef.level_prem[jobs.level[job]]
        + people.ability[fl]
    )
    noise = rng.normal(0, p.rate_noise_sd, n_prop)
    budget = jobs.budget[job]
    fixed_bid = np.round(
        np.where(jobs.placeholder[job], rng.uniform(20, 100, n_prop), budget)
        * np.exp(rng.normal(0, 0.2, n_prop))
    )
    bid = np.where(
        hourly,
        np.round(np.exp(log_rate_core + noise + p.rate_log_small_and_wide_after_5 * sw_known), 2),
        np.maximum(fixed_bid, 5.0),
    )

    proposal_ids = state.take_ids("proposal", n_prop)
    proposals = pa.table(
        {
            "proposal_id": proposal_ids,
            "job_id": job.astype(np.int64) + 1,
            "freelancer_id": fl.astype(np.int64) + 1,
            "submitted_at": _ts(submitted),
            "channel": _strings(chan, taxonomy.CHANNELS),
            "bid_amount": bid,
            "outcome": _strings(outcome, taxonomy.OUTCOMES),
        }
    )

    # ---- hires → contracts
    h = np.flatnonzero(hired)
    started = np.minimum(
        submitted[h] + (DAY / 24 + rng.random(len(h)) * 3 * DAY).astype(np.int64), DATA_END - 1
    )
    order = np.lexsort((started, fl[h]))
    h, started = h[order], started[order]
    hf = fl[h]
    rank = _within_group_rank(hf)
    ordinal = state.n_contracts[hf] + rank + 1
    is_small = jobs.duration[job[h]] == 0
    counts_small = (is_small & (ordinal <= 5)).astype(np.int64)
    csum = np.cumsum(counts_small)
    starts = _run_starts(hf)
    before_group = np.r_[0, csum][np.flatnonzero(starts)][np.cumsum(starts) - 1]
    small5_now = state.small_first5[hf] + (csum - before_group)
    sw_after5 = (ordinal >= 6) & (small5_now >= 3)
    rate = np.where(
        hourly[h],
        np.round(
            bid[h]
            * np.exp(p.rate_log_small_and_wide_after_5 * (sw_after5.astype(float) - sw_known[h])),
            2,
        ),
        np.nan,
    )

    lo, hi = np.array(DURATION_WEEKS).T
    dur = jobs.duration[job[h]]
    weeks = lo[dur] + rng.random(len(h)) * (hi[dur] - lo[dur])
    ends = started + (weeks * WEEK).astype(np.int64)
    finished = ends < DATA_END
    worked_weeks = (np.minimum(ends, DATA_END) - started) / WEEK
    equivalent_rate = np.exp(log_rate_core[h])
    fixed_amount = np.where(hourly[h], np.nan, bid[h])
    fixed_hours = np.clip(fixed_amount / equivalent_rate, 2, 400)
    hpw = np.where(hourly[h], jobs.hours_per_week[job[h]], np.clip(fixed_hours / weeks, 1, 40))
    hours = np.round(
        np.where(
            hourly[h],
            hpw * worked_weeks * np.exp(rng.normal(0, 0.1, len(h))),
            fixed_hours * np.minimum(worked_weeks / weeks, 1.0),
        ),
        1,
    )
    earnings = np.round(np.where(hourly[h], rate * hours, np.where(finished, fixed_amount, 0.0)), 2)
    contract_ids = state.take_ids("contract", len(h))
    client = jobs.client[job[h]]
    contracts = pa.table(
        {
            "contract_id": contract_ids,
            "proposal_id": proposal_ids[h],
            "job_id": job[h].astype(np.int64) + 1,
            "freelancer_id": hf.astype(np.int64) + 1,
            "client_id": client.astype(np.int64) + 1,
            "channel": _strings(chan[h], taxonomy.CHANNELS),
            "contract_type": _strings(np.where(hourly[h], 0, 1), taxonomy.JOB_TYPES),
            "started_at": _ts(started),
            "ended_at": _ts(ends, finished),
            "hourly_rate": pa.array(rate, mask=~hourly[h]),
            "fixed_amount": pa.array(fixed_amount, mask=hourly[h]),
            "hours_per_week": np.round(hpw, 1),
            "hours_billed": hours,
            "earnings": earnings,
        }
    )

    # ---- state updates (visible from the next step on)
    np.add.at(state.n_contracts, hf, 1)
    np.add.at(state.small_first5, hf, counts_small)
    np.add.at(state.past_clients, hf[chan[h] != 3], 1.0)
    np.add.at(state.committed, hf, hpw)
    state.last_freelancer[client] = hf

    # ---- reviews, both directions, at the end of finished contracts
    c_at = ends + (rng.random(len(h)) * 5 * DAY).astype(np.int64)
    c_ok = finished & (c_at < DATA_END) & (rng.random(len(h)) < p.review_share)
    f_at = ends + (rng.random(len(h)) * 5 * DAY).astype(np.int64)
    f_ok = finished & (f_at < DATA_END) & (rng.random(len(h)) < p.freelancer_review_share)
    c_stars = _stars(rng, p, c_at)
    f_stars = _stars(rng, p, f_at)
    rev_contract = np.concatenate([contract_ids[c_ok], contract_ids[f_ok]])
    rev_dir = np.concatenate([np.zeros(c_ok.sum(), np.int64), np.ones(f_ok.sum(), np.int64)])
    rev_at = np.concatenate([c_at[c_ok], f_at[f_ok]])
    rev_stars = np.concatenate([c_stars[c_ok], f_stars[f_ok]])
    n_reviews = len(rev_contract)
    review_ids = state.take_ids("review", n_reviews)
    thresholds = np.array([t for t, _ in text.REVIEW_TEXTS])
    text_idx = (
        np.argmax(rev_stars[:, None] >= thresholds[None, :], axis=1)
        if n_reviews
        else np.zeros(0, np.int64)
    )
    reviews = pa.table(
        {
            "review_id": review_ids,
            "contract_id": rev_contract,
            "direction": _strings(rev_dir, taxonomy.REVIEW_DIRECTIONS),
            "stars": rev_stars,
            "submitted_at": _ts(rev_at),
            "text": _strings(text_idx, [t for _, t in text.REVIEW_TEXTS]),
        }
    )
    state.pending_rev = _append(state.pending_rev, (hf[c_ok], c_at[c_ok], c_stars[c_ok]))
    state.running = _append(state.running, (hf, ends, hpw))
    return proposals, contracts, reviews


def _append(
    columns: tuple[np.ndarray, ...], more: tuple[np.ndarray, ...]
) -> tuple[np.ndarray, ...]:
    return tuple(np.concatenate([a, b]) for a, b in zip(columns, more, strict=True))


def _asof_reviews(
    pending: tuple[np.ndarray, np.ndarray, np.ndarray], fl: np.ndarray, at: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Count and star sum of pending reviews of ``fl`` submitted strictly before ``at``."""
    p_fl, p_at, p_st = pending
    if len(p_fl) == 0 or len(fl) == 0:
        return np.zeros(len(fl)), np.zeros(len(fl))
    shift = np.int64(1) << np.int64(31)
    base_t = np.int64(STEP0)
    keys = p_fl.astype(np.int64) * shift + (p_at - base_t)
    order = np.argsort(keys, kind="stable")
    keys, stars = keys[order], p_st[order]
    cum = np.r_[0.0, np.cumsum(stars)]
    lo = np.searchsorted(keys, fl.astype(np.int64) * shift, side="left")
    hi = np.searchsorted(keys, fl.astype(np.int64) * shift + (at - base_t), side="left")
    return (hi - lo).astype(float), cum[hi] - cum[lo]
