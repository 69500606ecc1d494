"""The weekly market: proposals, hires, contracts and reviews, one week at a time.

Each of the 262 weekly steps (Monday 2020-12-28 on) runs the same small functions
over whole arrays of that week's jobs and proposals:

1. :meth:`State.settle` — what is known at the week's start: reviews submitted,
   contracts started and ended, hours freed;
2. :func:`rate_snapshot` — a ``rate_history`` row per active freelancer;
3. :func:`draw_proposals` — applications, invites, referrals and repeat offers;
4. :func:`respond` — invited freelancers decline (more often when busy), a few
   proposals are withdrawn;
5. :func:`proposal_facts` — what the client sees at each proposal's time (reviews,
   rating, contracts started, whether the client is new to the freelancer);
6. :func:`price_bids` — the bid of each proposal;
7. :func:`decide_hires` — whether each posting is filled, and whom the client picks
   among its proposals (a conditional logit, by the Gumbel-max trick);
8. :func:`make_contracts` and :func:`draw_reviews` — the hires' contracts and their
   future-dated reviews;
9. :func:`update_state` — what the market remembers for later weeks.

Why the facts are exact as of each proposal: hires of a week start after that week
(within three days), a contract lasts at least a week, and reviews come after a
contract's end. So every contract or review a proposal could see is from an earlier
week and already in the state, settled or pending with its exact time; a sorted
search counts the pending ones strictly before the proposal's time — the same as-of
rule the analyses apply to the warehouse.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from fdsa import taxonomy
from fdsa.synth import text
from fdsa.synth._arrays import (
    DATA_END,
    DATA_START,
    DAY,
    STEP0,
    WEEK,
    YEAR,
    PairSet,
    asof_count_sum,
    asof_last,
    cumulative_within_group,
    lex_order,
    logistic,
    masked,
    query_order,
    run_starts,
    shown_rating,
    sorted_search,
    strings,
    ts,
    unique_ints,
    within_group_rank,
)
from fdsa.synth.market import NICHES, Freelancers, Jobs
from fdsa.synth.params import (
    CHANNEL_HIRE_LOGODDS,
    CHANNEL_RATE_PREMIUM,
    EXPERIENCE_RATE_PREMIUM,
    MarketParams,
)

N_STEPS = math.ceil((DATA_END - STEP0) / WEEK)
CHUNK_STEPS = 13  # weeks per chunk written to the warehouse (a quarter: bounded memory)

APPLICATION, INVITE, REFERRAL, REPEAT = (
    taxonomy.CHANNELS.index(c) for c in ("application", "invite", "referral", "repeat")
)
"""Channel codes; a larger code is a stronger channel (it wins a duplicate)."""
HIRED, NOT_HIRED, WITHDRAWN, DECLINED = (
    taxonomy.OUTCOMES.index(o) for o in ("hired", "not_hired", "withdrawn", "declined")
)

# how proposals arrive
PROPOSAL_WINDOW_DAYS = 2  # proposals come within two days of the posting (and the week)
CAPACITY_MARGIN_HOURS = 5  # applying needs this many free hours a week
NOVICE_CONTRACTS = 5  # start-up styles steer applications until this many contracts
STYLE_PREFERENCE = 2.0  # small-and-wide weight small jobs ×2, others ×1/2; big-first the reverse
INVITE_WEIGHT_FLOOR = 0.05  # invite weight: floor + [reviewed] (1 + reviews)^0.6 (rating/5)^4
INVITE_REVIEWS_POWER = 0.6
INVITE_RATING_POWER = 4.0
# contracts and reviews
HIRE_DELAY_DAYS_MAX = 3  # a hire starts within three days after its week
DURATION_WEEKS = ((1.0, 4.0), (4.0, 13.0), (13.0, 26.0), (26.0, 52.0))
HOURS_BILLED_SD_LOG = 0.1
FIXED_HOURS = (2.0, 400.0)  # hours worked on a fixed-price contract
FIXED_HOURS_PER_WEEK = (1.0, 40.0)
REVIEW_DELAY_DAYS_MAX = 5
# public stars below 5: satisfied (and generous dissatisfied) clients give 4.0-4.9,
# other dissatisfied ones 1.0-3.9, both as a gap below the band's top ~ Gamma
HIGH_STARS_GAP_GAMMA = (1.2, 0.25)
LOW_STARS_GAP_GAMMA = (1.5, 0.7)
FREELANCER_STARS_GAP_GAMMA = (1.2, 0.8)  # clients rated by freelancers: 4.9 - gap, 1-4.9
PROFILE_RATE_NOISE_SD = 0.03


# ---------------------------------------------------------------- state


@dataclass
class State:
    """What the market remembers between weeks, settled as of the current week's start.

    *Settled* arrays count events before the week's start; *pending* tuples hold
    later events with their exact times, for as-of lookups.
    """

    n_clients: int
    # client reviews of each freelancer
    n_rev: np.ndarray
    tenths: np.ndarray  # sum of their stars in tenths (integers: sums are exact)
    pending_rev: tuple[np.ndarray, ...]  # freelancer, at, tenths
    # contracts counted as of their start
    n_started: np.ndarray
    started_small5: np.ndarray  # small jobs among the first five started
    pending_starts: tuple[np.ndarray, ...]  # freelancer, client, at, small-in-first-five
    pairs: PairSet  # freelancer * n_clients + client, with a contract started
    # contracts counted when agreed
    n_hired: np.ndarray
    hired_small5: np.ndarray
    past_clients: np.ndarray  # contracts won outside repeat work
    committed: np.ndarray  # hours a week on running contracts
    running: tuple[np.ndarray, ...]  # freelancer, ends, hours a week
    # each client's last ended contract, for repeat offers
    last_end_at: np.ndarray
    last_end_fl: np.ndarray  # -1: none yet
    last_end_dissatisfied: np.ndarray
    ending: tuple[np.ndarray, ...]  # client, freelancer, ends, dissatisfied, contract id
    next_ids: dict[str, int]

    @classmethod
    def empty(cls, n_freelancers: int, n_clients: int) -> State:
        """The state before the first week: nobody hired, reviewed or committed."""

        def none(k: int) -> tuple[np.ndarray, ...]:
            return tuple(np.zeros(0, np.int64) for _ in range(k))

        return cls(
            n_clients=n_clients,
            n_rev=np.zeros(n_freelancers),
            tenths=np.zeros(n_freelancers),
            pending_rev=(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)),
            n_started=np.zeros(n_freelancers),
            started_small5=np.zeros(n_freelancers),
            pending_starts=none(4),
            pairs=PairSet(),
            n_hired=np.zeros(n_freelancers, dtype=np.int64),
            hired_small5=np.zeros(n_freelancers, dtype=np.int64),
            past_clients=np.zeros(n_freelancers),
            committed=np.zeros(n_freelancers),
            running=(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)),
            last_end_at=np.full(n_clients, -1, dtype=np.int64),
            last_end_fl=np.full(n_clients, -1, dtype=np.int64),
            last_end_dissatisfied=np.zeros(n_clients, dtype=bool),
            ending=none(5),
            next_ids={"proposal": 1, "contract": 1, "review": 1},
        )

    def settle(self, t0: int) -> None:
        """Fold in the reviews, contract starts and ends that happened before ``t0``."""
        fl, at, tenths = self.pending_rev
        done = at < t0
        np.add.at(self.n_rev, fl[done], 1.0)
        np.add.at(self.tenths, fl[done], tenths[done])
        self.pending_rev = (fl[~done], at[~done], tenths[~done])

        fl, client, at, small5 = self.pending_starts
        done = at < t0
        np.add.at(self.n_started, fl[done], 1.0)
        np.add.at(self.started_small5, fl[done], small5[done])
        self.pairs.add(fl[done] * self.n_clients + client[done])
        self.pending_starts = tuple(column[~done] for column in self.pending_starts)

        fl, ends, hours = self.running
        done = ends < t0
        np.subtract.at(self.committed, fl[done], hours[done])
        self.running = (fl[~done], ends[~done], hours[~done])

        client, fl, ends, dissatisfied, ids = self.ending
        done = ends < t0
        if done.any():
            order = np.lexsort((ids[done], ends[done], client[done]))
            last = np.r_[run_starts(client[done][order])[1:], True]  # last row per client
            pick = np.flatnonzero(done)[order[last]]
            self.last_end_at[client[pick]] = ends[pick]
            self.last_end_fl[client[pick]] = fl[pick]
            self.last_end_dissatisfied[client[pick]] = dissatisfied[pick]
        self.ending = tuple(column[~done] for column in self.ending)

    def take_ids(self, kind: str, n: int) -> np.ndarray:
        """The next ``n`` keys of ``kind`` (proposal, contract or review)."""
        start = self.next_ids[kind]
        self.next_ids[kind] = start + n
        return np.arange(start, start + n, dtype=np.int64)


@dataclass(frozen=True)
class Coefficients:
    """Premiums and utilities as arrays indexed like the taxonomy tuples."""

    niche_prem: np.ndarray
    level_prem: np.ndarray
    chan_prem: np.ndarray
    chan_hire: np.ndarray
    base: float

    @classmethod
    def of(cls, p: MarketParams) -> Coefficients:
        """The coefficients of ``p`` as arrays indexed like the simulation's codes."""
        return cls(
            niche_prem=np.array([p.niche_rate_premium[x] for x in NICHES]),
            level_prem=np.array([EXPERIENCE_RATE_PREMIUM[x] for x in taxonomy.EXPERIENCE_LEVELS]),
            chan_prem=np.array([CHANNEL_RATE_PREMIUM[c] for c in taxonomy.CHANNELS]),
            chan_hire=np.array([CHANNEL_HIRE_LOGODDS[c] for c in taxonomy.CHANNELS]),
            base=math.log(p.rate_base_usd),
        )


@dataclass
class Week:
    """One step's setting: its time span, jobs and who is available."""

    t0: int
    t1: int
    jobs: np.ndarray  # global indices of the jobs posted this week
    active: np.ndarray  # freelancers joined and not left at t0
    free: np.ndarray  # active with enough spare hours to apply


def _unset() -> np.ndarray:
    """An empty array for a column a later step fills in."""
    return np.empty(0)


@dataclass
class Proposals:
    """A week's proposals, one row per (job, freelancer), sorted by submission."""

    job: np.ndarray  # global job index
    local: np.ndarray  # index into Week.jobs
    fl: np.ndarray
    client: np.ndarray
    chan: np.ndarray
    submitted: np.ndarray
    declined: np.ndarray = field(default_factory=_unset)
    withdrawn: np.ndarray = field(default_factory=_unset)
    # as of submission
    n_reviews: np.ndarray = field(default_factory=_unset)
    rating: np.ndarray = field(default_factory=_unset)  # mean stars, 4.5 when unreviewed
    stars_tenths: np.ndarray = field(default_factory=_unset)  # sum of those stars, in tenths
    sw_known: np.ndarray = field(default_factory=_unset)
    repeat_client: np.ndarray = field(default_factory=_unset)
    log_rate_core: np.ndarray = field(default_factory=_unset)
    bid: np.ndarray = field(default_factory=_unset)  # NaN for declined invites
    outcome: np.ndarray = field(default_factory=_unset)
    ids: np.ndarray = field(default_factory=_unset)  # proposal keys

    @property
    def reviewed(self) -> np.ndarray:
        """Whether the freelancer had a review when the proposal was sent."""
        return self.n_reviews > 0


# ---------------------------------------------------------------- the steps


class _Sampler:
    """Weighted draws of a pool of freelancers, optionally within a niche, all at once."""

    def __init__(self, members: np.ndarray, niche_of: np.ndarray) -> None:
        order = np.argsort(niche_of[members].astype(np.int16), kind="stable")  # radix sort
        self.members = members[order]
        self.bounds = np.searchsorted(niche_of[self.members], np.arange(len(NICHES) + 1))

    def draw(
        self,
        rng: np.random.Generator,
        weights: np.ndarray,
        niche: np.ndarray,
        in_niche: np.ndarray,
        needed: np.ndarray | None = None,
    ) -> np.ndarray:
        """One freelancer per draw (``-1`` when no one has weight).

        With ``needed`` (a mask), only those draws are resolved (the others are -1),
        but the random numbers are drawn for all rows, as without it.
        """
        if len(self.members) == 0 or len(niche) == 0:
            return np.full(len(niche), -1, dtype=np.int64)
        cw = np.cumsum(weights[self.members])
        cw0 = np.concatenate([[0.0], cw])
        uniform = rng.random(len(niche))
        out = np.full(len(niche), -1, dtype=np.int64)
        rows = np.arange(len(niche)) if needed is None else np.flatnonzero(needed)
        niche, in_niche = niche[rows], in_niche[rows]
        lo, hi = self.bounds[niche], self.bounds[niche + 1]
        block = cw0[hi] - cw0[lo]
        use_block = in_niche & (block > 0)
        base = np.where(use_block, cw0[lo], 0.0)
        total = np.where(use_block, block, cw[-1])
        target = base + uniform[rows] * total
        pos = np.clip(sorted_search(cw, target, side="right"), 0, len(cw) - 1)
        out[rows] = np.where(total > 0, self.members[pos], -1)
        return out


def _per_job(counts: np.ndarray) -> np.ndarray:
    """Local job index repeated ``counts`` times."""
    return np.repeat(np.arange(len(counts)), counts)


def _repeat_offers(
    rng: np.random.Generator,
    p: MarketParams,
    people: Freelancers,
    jobs: Jobs,
    week: Week,
    state: State,
) -> tuple[np.ndarray, np.ndarray]:
    """Postings whose client re-invites the freelancer of its last ended contract.

    The last contract that ended strictly before the posting (ties: the later
    contract id); the offer needs that freelancer still active, and a dissatisfied
    client makes it much less likely.
    """
    client = jobs.client[week.jobs]
    posted = jobs.posted[week.jobs]
    e_client, e_fl, e_end, e_dissatisfied, e_id = state.ending
    fl = state.last_end_fl[client]
    dissatisfied = state.last_end_dissatisfied[client]
    recent = asof_last(e_client, e_end, e_id, client, posted)
    if len(e_client):
        pick = np.maximum(recent, 0)
        fl = np.where(recent >= 0, e_fl[pick], fl)
        dissatisfied = np.where(recent >= 0, e_dissatisfied[pick], dissatisfied)
    known = fl >= 0
    known[known] = people.active_at(posted[known], fl[known])
    chance = logistic(
        p.rehire_offer_logodds_intercept + p.rehire_offer_logodds_dissatisfied * dissatisfied
    )
    offer = known & (rng.random(len(client)) < chance)
    return np.flatnonzero(offer), fl[offer]


def draw_proposals(
    rng: np.random.Generator,
    p: MarketParams,
    people: Freelancers,
    jobs: Jobs,
    week: Week,
    state: State,
) -> Proposals:
    """Proposals through the four channels; one per (job, freelancer), strongest channel."""
    n_jobs = len(week.jobs)
    niche = jobs.niche[week.jobs]
    small_job = jobs.duration[week.jobs] == 0
    applicants = _Sampler(np.flatnonzero(week.free), people.niche)
    invitees = _Sampler(np.flatnonzero(week.active), people.niche)

    # applications: a negative-binomial number per job; start-up styles steer novices
    novice = state.n_hired < NOVICE_CONTRACTS
    likes_small = np.where(people.small_and_wide, STYLE_PREFERENCE, 1 / STYLE_PREFERENCE)
    w_small = people.activity * np.where(novice, likes_small, 1.0)
    w_big = people.activity * np.where(novice, 1 / likes_small, 1.0)
    shape = p.applications_per_job_shape
    expected = rng.gamma(shape, p.applications_per_job_mean / shape, n_jobs)
    a_job = _per_job(rng.poisson(expected))
    a_match = rng.random(len(a_job)) < p.niche_match_share
    a_small = small_job[a_job]
    a_fl = np.where(
        a_small,
        applicants.draw(rng, w_small, niche[a_job], a_match, needed=a_small),
        applicants.draw(rng, w_big, niche[a_job], a_match, needed=~a_small),
    )
    # invites go to well-reviewed freelancers, referrals to those with many past clients
    reviewed = state.n_rev > 0
    rating = np.where(reviewed, state.tenths / 10 / np.maximum(state.n_rev, 1), 0.0)
    w_invite = INVITE_WEIGHT_FLOOR + reviewed * (
        np.power(1 + state.n_rev, INVITE_REVIEWS_POWER) * (rating / 5.0) ** INVITE_RATING_POWER
    )
    i_job = _per_job(rng.poisson(p.invites_per_job, n_jobs))
    i_in = rng.random(len(i_job)) < p.invite_niche_share
    i_fl = invitees.draw(rng, w_invite, niche[i_job], i_in)
    r_job = _per_job(rng.poisson(p.referrals_per_job, n_jobs))
    r_in = rng.random(len(r_job)) < p.referral_niche_share
    r_fl = invitees.draw(rng, state.past_clients, niche[r_job], r_in)
    rp_job, rp_fl = _repeat_offers(rng, p, people, jobs, week, state)

    chan = np.concatenate(
        [
            np.full(len(a_job), APPLICATION),
            np.full(len(i_job), INVITE),
            np.full(len(r_job), REFERRAL),
            np.full(len(rp_job), REPEAT),
        ]
    )
    local = np.concatenate([a_job, i_job, r_job, rp_job])
    fl = np.concatenate([a_fl, i_fl, r_fl, rp_fl])
    keep = fl >= 0
    # sorted (job, freelancer, strongest channel first) codes; keep each pair's first
    n_people, n_chan = len(people.joined), len(taxonomy.CHANNELS)
    code = unique_ints((local[keep] * n_people + fl[keep]) * n_chan + (n_chan - 1 - chan[keep]))
    pair, weaker = np.divmod(code, n_chan)
    first = run_starts(pair)
    local, fl = np.divmod(pair[first], n_people)
    chan = n_chan - 1 - weaker[first]
    job = week.jobs[local]
    posted = jobs.posted[job]
    window = np.minimum(PROPOSAL_WINDOW_DAYS * DAY, week.t1 - 1 - posted)
    submitted = posted + (rng.random(len(job)) * window).astype(np.int64)
    order = lex_order(fl, job, submitted)
    return Proposals(
        job=job[order],
        local=local[order],
        fl=fl[order],
        client=jobs.client[job[order]],
        chan=chan[order],
        submitted=submitted[order],
    )


def respond(rng: np.random.Generator, p: MarketParams, week: Week, props: Proposals) -> None:
    """Invited freelancers decline (busy ones mostly do); a few withdraw before the decision."""
    n = len(props.job)
    invited = props.chan != APPLICATION
    busy = ~week.free[props.fl]
    chance = np.where(busy, p.invite_decline_share_busy, p.invite_decline_share_free)
    props.declined = invited & (rng.random(n) < chance)
    props.withdrawn = ~props.declined & (rng.random(n) < p.withdraw_share)


def proposal_facts(state: State, props: Proposals) -> None:
    """What the client sees at each proposal's submission time (exact as-of counts)."""
    by_fl = query_order(props.fl, props.submitted)  # shared by the lookups of props.fl
    rev_fl, rev_at, rev_tenths = state.pending_rev
    n_seen, tenths_seen = asof_count_sum(
        rev_fl, rev_at, rev_tenths, props.fl, props.submitted, by_fl
    )
    props.n_reviews = n_seen + state.n_rev[props.fl]
    props.stars_tenths = np.rint(tenths_seen + state.tenths[props.fl]).astype(np.int64)
    stars = props.stars_tenths / 10  # the sums are exact integers: the same floats
    props.rating = np.where(props.n_reviews > 0, stars / np.maximum(props.n_reviews, 1), 4.5)

    s_fl, s_client, s_at, s_small5 = state.pending_starts
    started, small5 = asof_count_sum(s_fl, s_at, s_small5, props.fl, props.submitted, by_fl)
    started += state.n_started[props.fl]
    small5 += state.started_small5[props.fl]
    props.sw_known = (started >= 5) & (small5 >= 3)

    pair = props.fl * state.n_clients + props.client  # in by_fl order nearly sorted too
    recent, _ = asof_count_sum(
        s_fl * state.n_clients + s_client, s_at, np.ones(len(s_fl)), pair, props.submitted, by_fl
    )
    props.repeat_client = state.pairs.contains(pair, by_fl) | (recent > 0)


def _experience_years(people: Freelancers, idx: np.ndarray, at: np.ndarray) -> np.ndarray:
    return people.exp_years[idx] + (at - people.joined[idx]) / YEAR


def price_bids(
    rng: np.random.Generator,
    p: MarketParams,
    coef: Coefficients,
    people: Freelancers,
    jobs: Jobs,
    props: Proposals,
) -> None:
    """Each proposal's bid: the hourly rate, or a fixed amount around the budget.

    log bid = job part (base, niche, skill pair, level) + freelancer part (region,
    experience, reviews, rating, channel, small-and-wide, new client, ability) +
    noise. A fixed bid is the budget times exp(freelancer part + noise).
    """
    fl, job = props.fl, props.job
    job_part = (
        coef.base
        + coef.niche_prem[jobs.niche[job]]
        + jobs.pair_premium[job]
        + coef.level_prem[jobs.level[job]]
    )
    reviewed = props.reviewed
    freelancer_part = (
        people.rate_region[fl]
        + p.rate_log_per_experience_year * _experience_years(people, fl, props.submitted)
        + p.rate_log_per_log1p_review * np.log1p(props.n_reviews)
        + p.rate_log_per_star * (props.rating - 4.5) * reviewed
        + coef.chan_prem[props.chan]
        + p.rate_log_small_and_wide_after_5 * props.sw_known
        + p.rate_log_premium_new_client * ~props.repeat_client
        + people.ability[fl]
    )
    n = len(job)
    hourly = np.maximum(
        np.round(np.exp(job_part + freelancer_part + rng.normal(0, p.rate_noise_sd, n)), 2), 1.0
    )
    fixed = jobs.budget_anchor[job] * np.exp(
        freelancer_part + rng.normal(0, p.fixed_bid_noise_sd, n)
    )
    bid = np.where(jobs.hourly[job], hourly, np.maximum(np.round(fixed), 5.0))
    props.log_rate_core = job_part + freelancer_part
    props.bid = np.where(props.declined, np.nan, bid)


def decide_hires(
    rng: np.random.Generator,
    p: MarketParams,
    coef: Coefficients,
    people: Freelancers,
    jobs: Jobs,
    week: Week,
    props: Proposals,
) -> np.ndarray:
    """Whether each posting is filled, and whom its client hires.

    A posting with at least one decided proposal is filled with probability
    logistic(fill intercept + declined-invite effect). A filled posting hires its
    openings (one, or several for multi-hire postings) by a conditional logit over
    its decided proposals: the top scores of utility + Gumbel noise, which is
    sampling without replacement with probabilities proportional to exp(utility).
    Returns the hired mask and sets ``props.outcome``.
    """
    n_jobs, n = len(week.jobs), len(props.job)
    decided = ~props.declined & ~props.withdrawn
    n_decided = np.bincount(props.local[decided], minlength=n_jobs)
    any_declined = np.bincount(props.local[props.declined], minlength=n_jobs) > 0
    log_bid = np.log(np.where(decided, props.bid, 1.0))
    log_bid_sum = np.bincount(props.local[decided], log_bid[decided], minlength=n_jobs)
    going = log_bid_sum / np.maximum(n_decided, 1)
    log_bid_ratio = log_bid - going[props.local]

    fill_chance = logistic(p.fill_logodds_intercept + p.fill_logodds_declined_invite * any_declined)
    filled = (n_decided > 0) & (rng.random(n_jobs) < fill_chance)

    reviewed = props.reviewed
    log_reviews = np.log1p(props.n_reviews)
    price = np.where(
        reviewed,
        p.hire_logodds_per_log_bid_ratio_reviewed,
        p.hire_logodds_per_log_bid_ratio_no_reviews,
    )
    utility = (
        coef.chan_hire[props.chan]
        + p.hire_logodds_first_review * reviewed
        + p.hire_logodds_per_log1p_review * log_reviews
        + p.hire_logodds_per_star * (props.rating - 4.5) * reviewed
        + people.lower_income[props.fl]
        * (
            p.hire_region_penalty_at_zero_reviews
            + p.hire_region_recovery_per_log1p_review * log_reviews
        )
        + price * log_bid_ratio
    )
    score = np.where(decided, utility + rng.gumbel(size=n), -np.inf)
    hired = decided & filled[props.local]
    rank = _rank_by_score(props.local, score, hired)
    hired[hired] = rank < jobs.openings[props.job[hired]]
    props.outcome = np.select(
        [hired, props.withdrawn, props.declined], [HIRED, WITHDRAWN, DECLINED], NOT_HIRED
    )
    return hired


def _rank_by_score(local: np.ndarray, score: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Rank of the ``rows`` (a mask) within their posting by descending score, ties
    to the earlier row: ``np.lexsort((-score, local))`` ranks, for those rows only.

    The other rows of a posting must score -inf (they rank after ``rows``). When the
    rows' scores are finite and distinct, one sort of the scores and one of packed
    (posting, score rank) keys give the only such order; otherwise lexsort.
    """
    idx = np.flatnonzero(rows)
    group, value = local[idx], score[idx]
    by_score = np.argsort(-value)
    ordered = value[by_score]
    if np.isfinite(ordered).all() and not (ordered[1:] == ordered[:-1]).any():
        place = np.empty(len(idx), dtype=np.int64)
        place[by_score] = np.arange(len(idx))
        order = np.argsort(group * len(idx) + place)
        rank = np.empty(len(idx), dtype=np.int64)
        rank[order] = within_group_rank(group[order])
        return rank
    order = np.lexsort((-score, local))
    rank = np.empty(len(local), dtype=np.int64)
    rank[order] = within_group_rank(local[order])
    return rank[idx]


@dataclass
class Hires:
    """A week's contracts, in start order (their contract ids)."""

    prop: np.ndarray  # index into the week's proposals
    fl: np.ndarray
    client: np.ndarray
    job: np.ndarray
    ids: np.ndarray
    started: np.ndarray
    ends: np.ndarray
    finished: np.ndarray
    hours_per_week: np.ndarray
    small5: np.ndarray  # a small job among the freelancer's first five contracts
    dissatisfied: np.ndarray  # the client's private verdict (revealed in its review)
    table: pa.Table


def make_contracts(
    rng: np.random.Generator,
    p: MarketParams,
    people: Freelancers,
    jobs: Jobs,
    week: Week,
    state: State,
    props: Proposals,
    hired: np.ndarray,
) -> Hires:
    """Contracts of the hires: start after the week, length from the job's bucket."""
    h = np.flatnonzero(hired)
    started = np.minimum(
        week.t1 + (rng.random(len(h)) * HIRE_DELAY_DAYS_MAX * DAY).astype(np.int64), DATA_END - 1
    )
    order = lex_order(h, started)
    h, started = h[order], started[order]
    fl, job = props.fl[h], props.job[h]
    ids = state.take_ids("contract", len(h))

    # place in the freelancer's career, in contract id (= start) order
    by_fl = lex_order(np.arange(len(h)), fl)
    rank = np.empty(len(h), dtype=np.int64)
    rank[by_fl] = within_group_rank(fl[by_fl])
    nth = state.n_hired[fl] + rank + 1
    is_small = jobs.duration[job] == 0
    small5 = is_small & (nth <= 5)
    small5_so_far = np.empty(len(h), dtype=np.int64)
    small5_so_far[by_fl] = cumulative_within_group(fl[by_fl], small5[by_fl].astype(np.int64))
    small5_so_far += state.hired_small5[fl]
    small_and_wide_after_5 = (nth >= 6) & (small5_so_far >= 3)

    hourly = jobs.hourly[job]
    lo, hi = np.array(DURATION_WEEKS).T
    duration = jobs.duration[job]
    weeks = lo[duration] + rng.random(len(h)) * (hi[duration] - lo[duration])
    ends = started + (weeks * WEEK).astype(np.int64)
    finished = ends < DATA_END
    worked_weeks = (np.minimum(ends, DATA_END) - started) / WEEK
    bid = props.bid[h]
    fixed_amount = np.where(hourly, np.nan, bid)
    fixed_hours = np.clip(fixed_amount / np.exp(props.log_rate_core[h]), *FIXED_HOURS)
    hours_per_week = np.where(
        hourly, jobs.hours_per_week[job], np.clip(fixed_hours / weeks, *FIXED_HOURS_PER_WEEK)
    )
    hours = np.round(
        np.where(
            hourly,
            hours_per_week * worked_weeks * np.exp(rng.normal(0, HOURS_BILLED_SD_LOG, len(h))),
            fixed_hours * np.minimum(worked_weeks / weeks, 1.0),
        ),
        1,
    )
    rate = np.where(hourly, bid, np.nan)
    earnings = np.round(np.where(hourly, rate * hours, np.where(finished, fixed_amount, 0.0)), 2)
    dissatisfied = rng.random(len(h)) < logistic(
        p.dissatisfied_logodds_intercept
        + p.dissatisfied_logodds_per_quality_sd * people.quality[fl] / p.quality_sd
    )
    client = jobs.client[job]
    table = pa.table(
        {
            "contract_id": ids,
            "proposal_id": props.ids[h],
            "job_id": job.astype(np.int64) + 1,
            "freelancer_id": fl.astype(np.int64) + 1,
            "client_id": client.astype(np.int64) + 1,
            "channel": strings(props.chan[h], taxonomy.CHANNELS),
            "contract_type": strings(np.where(hourly, 0, 1), taxonomy.JOB_TYPES),
            "started_at": ts(started),
            "ended_at": ts(ends, finished),
            "hourly_rate": masked(rate, hourly),
            "fixed_amount": masked(fixed_amount, ~hourly),
            "hours_per_week": np.round(hours_per_week, 1),
            "hours_billed": hours,
            "earnings": earnings,
            "nth_contract": nth.astype(np.int32),
            "is_small_and_wide_after_5": small_and_wide_after_5,
        }
    )
    return Hires(
        prop=h,
        fl=fl,
        client=client,
        job=job,
        ids=ids,
        started=started,
        ends=ends,
        finished=finished,
        hours_per_week=hours_per_week,
        small5=small5,
        dissatisfied=dissatisfied,
        table=table,
    )


def _client_stars(
    rng: np.random.Generator, p: MarketParams, at: np.ndarray, dissatisfied: np.ndarray
) -> np.ndarray:
    """Public stars of client reviews.

    Satisfied clients give 5 stars with probability logistic(logit(start share) +
    drift * years since 2021) — rating inflation — and 4.0-4.9 otherwise. Privately
    dissatisfied clients still give 4.0-4.9 with probability
    ``dissatisfied_rating_4plus_share``, and 1.0-3.9 otherwise.
    """
    n = len(at)
    years = (at - DATA_START) / YEAR
    start = math.log(p.top_rating_share_at_start / (1 - p.top_rating_share_at_start))
    top = rng.random(n) < logistic(start + p.top_rating_logodds_per_year * years)
    high = np.clip(np.round(4.9 - rng.gamma(*HIGH_STARS_GAP_GAMMA, n), 1), 4.0, 4.9)
    low = np.clip(np.round(3.9 - rng.gamma(*LOW_STARS_GAP_GAMMA, n), 1), 1.0, 3.9)
    generous = rng.random(n) < p.dissatisfied_rating_4plus_share
    return np.where(dissatisfied, np.where(generous, high, low), np.where(top, 5.0, high))


def _freelancer_stars(rng: np.random.Generator, p: MarketParams, at: np.ndarray) -> np.ndarray:
    """Public stars freelancers give clients: inflating like clients' 5-star share."""
    n = len(at)
    years = (at - DATA_START) / YEAR
    share = p.freelancer_top_rating_share_at_start
    start = math.log(share / (1 - share))
    top = rng.random(n) < logistic(start + p.top_rating_logodds_per_year * years)
    other = np.clip(np.round(4.9 - rng.gamma(*FREELANCER_STARS_GAP_GAMMA, n), 1), 1.0, 4.9)
    return np.where(top, 5.0, other)


@dataclass
class Reviews:
    """A week's reviews (both directions); the client ones feed the freelancers' reputation."""

    fl: np.ndarray
    at: np.ndarray
    stars: np.ndarray
    table: pa.Table


def draw_reviews(rng: np.random.Generator, p: MarketParams, state: State, hires: Hires) -> Reviews:
    """Reviews of the hires' contracts, 0-5 days after their end (if within the data)."""
    n = len(hires.ids)
    c_at = hires.ends + (rng.random(n) * REVIEW_DELAY_DAYS_MAX * DAY).astype(np.int64)
    c_ok = hires.finished & (c_at < DATA_END) & (rng.random(n) < p.review_share)
    f_at = hires.ends + (rng.random(n) * REVIEW_DELAY_DAYS_MAX * DAY).astype(np.int64)
    f_ok = hires.finished & (f_at < DATA_END) & (rng.random(n) < p.freelancer_review_share)
    c_stars = _client_stars(rng, p, c_at, hires.dissatisfied)
    f_stars = _freelancer_stars(rng, p, f_at)
    n_c, n_f = int(c_ok.sum()), int(f_ok.sum())
    stars = np.concatenate([c_stars[c_ok], f_stars[f_ok]])
    thresholds = np.array([t for t, _ in text.REVIEW_TEXTS])
    text_idx = np.argmax(stars[:, None] >= thresholds[None, :], axis=1) if len(stars) else stars
    private = np.concatenate([hires.dissatisfied[c_ok], np.zeros(n_f, dtype=bool)])
    table = pa.table(
        {
            "review_id": state.take_ids("review", n_c + n_f),
            "contract_id": np.concatenate([hires.ids[c_ok], hires.ids[f_ok]]),
            "direction": strings(
                np.r_[np.zeros(n_c, np.int64), np.ones(n_f, np.int64)],
                taxonomy.REVIEW_DIRECTIONS,
            ),
            "stars": stars,
            "submitted_at": ts(np.concatenate([c_at[c_ok], f_at[f_ok]])),
            "text": strings(
                np.asarray(text_idx, dtype=np.int64), [t for _, t in text.REVIEW_TEXTS]
            ),
            "is_privately_dissatisfied": pa.array(
                private, mask=np.r_[np.zeros(n_c, bool), np.ones(n_f, bool)]
            ),
        }
    )
    return Reviews(fl=hires.fl[c_ok], at=c_at[c_ok], stars=c_stars[c_ok], table=table)


def _append(columns: tuple[np.ndarray, ...], *more: np.ndarray) -> tuple[np.ndarray, ...]:
    return tuple(np.concatenate([a, b]) for a, b in zip(columns, more, strict=True))


def update_state(state: State, props: Proposals, hires: Hires, reviews: Reviews) -> None:
    """Remember the week's hires and reviews (visible from their own times on)."""
    fl = hires.fl
    np.add.at(state.n_hired, fl, 1)
    np.add.at(state.hired_small5, fl, hires.small5.astype(np.int64))
    np.add.at(state.past_clients, fl[props.chan[hires.prop] != REPEAT], 1.0)
    np.add.at(state.committed, fl, hires.hours_per_week)
    state.running = _append(state.running, fl, hires.ends, hires.hours_per_week)
    state.pending_starts = _append(
        state.pending_starts, fl, hires.client, hires.started, hires.small5.astype(np.int64)
    )
    done = hires.finished
    state.ending = _append(
        state.ending,
        hires.client[done],
        fl[done],
        hires.ends[done],
        hires.dissatisfied[done],
        hires.ids[done],
    )
    state.pending_rev = _append(
        state.pending_rev, reviews.fl, reviews.at, np.round(reviews.stars * 10)
    )


def proposals_table(props: Proposals) -> pa.Table:
    """The week's proposals as warehouse rows (bids null for declined invites)."""
    return pa.table(
        {
            "proposal_id": props.ids,
            "job_id": props.job.astype(np.int64) + 1,
            "freelancer_id": props.fl.astype(np.int64) + 1,
            "submitted_at": ts(props.submitted),
            "channel": strings(props.chan, taxonomy.CHANNELS),
            "bid_amount": masked(props.bid, ~props.declined),
            "outcome": strings(props.outcome, taxonomy.OUTCOMES),
            "n_reviews_before": props.n_reviews.astype(np.int32),
            "rating_before": masked(
                shown_rating(props.stars_tenths, props.n_reviews), props.reviewed
            ),
        }
    )


def rate_snapshot(
    rng: np.random.Generator,
    p: MarketParams,
    coef: Coefficients,
    people: Freelancers,
    active: np.ndarray,
    t0: int,
    n_rev: np.ndarray,
) -> pa.Table:
    """Profile rates of the active freelancers at ``t0`` (smoother than bids)."""
    idx = np.flatnonzero(active)
    at = np.full(len(idx), t0, dtype=np.int64)
    log_rate = (
        coef.base
        + coef.niche_prem[people.niche[idx]]
        + people.rate_region[idx]
        + p.rate_log_per_experience_year * _experience_years(people, idx, at)
        + p.rate_log_per_log1p_review * np.log1p(n_rev[idx])
        + people.ability[idx]
        + rng.normal(0, PROFILE_RATE_NOISE_SD, len(idx))
    )
    return pa.table(
        {
            "freelancer_id": idx.astype(np.int64) + 1,
            "effective_at": ts(at),
            "hourly_rate": np.maximum(np.round(np.exp(log_rate)), 3.0),
        }
    )


def run_week(
    rng: np.random.Generator,
    p: MarketParams,
    coef: Coefficients,
    people: Freelancers,
    jobs: Jobs,
    week: Week,
    state: State,
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Proposals, contracts and reviews of one week's jobs (updates ``state``)."""
    props = draw_proposals(rng, p, people, jobs, week, state)
    respond(rng, p, week, props)
    proposal_facts(state, props)
    price_bids(rng, p, coef, people, jobs, props)
    hired = decide_hires(rng, p, coef, people, jobs, week, props)
    props.ids = state.take_ids("proposal", len(props.job))
    hires = make_contracts(rng, p, people, jobs, week, state, props, hired)
    reviews = draw_reviews(rng, p, state, hires)
    update_state(state, props, hires, reviews)
    return proposals_table(props), hires.table, reviews.table


def run_weeks(
    rng: np.random.Generator,
    p: MarketParams,
    people: Freelancers,
    n_clients: int,
    jobs: Jobs,
) -> Iterator[tuple[str, pa.Table]]:
    """Advance the market week by week; yield its tables in chunks of CHUNK_STEPS weeks."""
    state = State.empty(len(people.joined), n_clients)
    coef = Coefficients.of(p)
    job_bounds = np.searchsorted(jobs.posted, STEP0 + WEEK * np.arange(N_STEPS + 1))
    names = ("proposals", "contracts", "reviews", "rate_history")
    out: dict[str, list[pa.Table]] = {k: [] for k in names}
    for step in range(N_STEPS):
        t0 = STEP0 + step * WEEK
        t1 = min(t0 + WEEK, DATA_END)
        state.settle(t0)
        active = (people.joined <= t0) & (people.left > t0)
        out["rate_history"].append(rate_snapshot(rng, p, coef, people, active, t0, state.n_rev))
        j0, j1 = job_bounds[step], job_bounds[step + 1]
        if j1 > j0:
            free = active & (state.committed + CAPACITY_MARGIN_HOURS <= people.capacity)
            week = Week(t0=t0, t1=t1, jobs=np.arange(j0, j1), active=active, free=free)
            tables = run_week(rng, p, coef, people, jobs, week, state)
            for name, table in zip(names[:3], tables, strict=True):
                out[name].append(table)
        if (step + 1) % CHUNK_STEPS == 0 or step == N_STEPS - 1:
            for name in names:
                if out[name]:
                    yield name, pa.concat_tables(out[name])
                    out[name] = []
