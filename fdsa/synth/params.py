"""Parameters of the synthetic market and the planted effects they imply.

Every number an analysis is expected to recover lives here, once, and is written
to the warehouse's ``truth`` table by :func:`truth_rows`. Sources and reasoning:
``docs/synthetic_market.md``. Numbers that shape the market but are not a target
of any analysis are in :class:`MarketParams` too, or in the documented module-level
tables below.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from fdsa.taxonomy import NICHES

MARKET_START = datetime(2021, 1, 4, tzinfo=UTC)  # a Monday: weekly steps start here
MARKET_END = datetime(2025, 12, 29, tzinfo=UTC)  # exclusive; 260 weeks
SHOCK_AT = datetime(2022, 12, 1, tzinfo=UTC)  # general-purpose chatbots arrive
FLATTEN_AT = datetime(2023, 1, 1, tzinfo=UTC)  # market growth slows to a crawl (OLI)

# Base share of postings per niche at the market start (sums to 1).
NICHE_BASE_SHARE: dict[str, float] = {
    "finance_fintech": 0.06,
    "crypto_web3": 0.04,
    "energy": 0.025,
    "healthcare_biostatistics": 0.05,
    "marketing_analytics": 0.08,
    "ecommerce": 0.07,
    "ocr_document_ai": 0.03,
    "llm_applications": 0.02,
    "computer_vision": 0.06,
    "nlp": 0.06,
    "mlops_data_engineering": 0.10,
    "bi_dashboards": 0.16,
    "data_strategy_consulting": 0.04,
    "academic_research_statistics": 0.07,
    "scraping_data_collection": 0.095,
    "other": 0.04,
}

# Log hourly-rate premium of a niche over bi_dashboards (the reference niche).
NICHE_RATE_PREMIUM: dict[str, float] = {
    "finance_fintech": 0.25,
    "crypto_web3": 0.30,
    "energy": 0.20,
    "healthcare_biostatistics": 0.10,
    "marketing_analytics": 0.00,
    "ecommerce": -0.05,
    "ocr_document_ai": 0.15,
    "llm_applications": 0.30,
    "computer_vision": 0.10,
    "nlp": 0.05,
    "mlops_data_engineering": 0.15,
    "bi_dashboards": 0.00,
    "data_strategy_consulting": 0.35,
    "academic_research_statistics": -0.05,
    "scraping_data_collection": -0.30,
    "other": -0.15,
}

# Freelancer (supply) regions: share of freelancers and log agreed-rate premium vs north_america.
SUPPLY_REGIONS: dict[str, tuple[float, float, tuple[str, ...]]] = {
    # region: (share, log rate premium, countries)
    "north_america": (0.12, 0.00, ("US", "US", "US", "CA")),
    "europe_west": (0.10, -0.10, ("GB", "DE", "FR", "NL", "ES")),
    "europe_east": (0.12, -0.30, ("UA", "PL", "RO", "RS")),
    "latin_america": (0.08, -0.35, ("BR", "AR", "MX", "CO")),
    "south_asia": (0.36, -0.60, ("IN", "IN", "IN", "PK", "BD")),
    "southeast_asia": (0.08, -0.55, ("PH", "ID", "VN")),
    "africa": (0.09, -0.55, ("NG", "KE", "EG", "GH")),
    "oceania": (0.05, 0.00, ("AU", "NZ")),
}

# Client (demand) regions: share of clients and log posted-rate premium vs north_america.
DEMAND_REGIONS: dict[str, tuple[float, float, tuple[str, ...]]] = {
    "north_america": (0.41, 0.00, ("US",) * 36 + ("CA",) * 5),
    "europe_west": (0.20, -0.05, ("GB",) * 4 + ("DE", "FR", "NL", "IE", "CH", "SE")),
    "south_asia": (0.13, -0.55, ("IN",) * 12 + ("PK",)),
    "oceania": (0.06, 0.15, ("AU",) * 5 + ("NZ",)),
    "middle_east": (0.05, -0.10, ("AE", "IL", "SA")),
    "europe_east": (0.04, -0.25, ("PL", "UA", "RO")),
    "latin_america": (0.03, -0.30, ("BR", "MX")),
    "africa": (0.02, -0.40, ("NG", "ZA", "KE")),
    "east_asia": (0.03, 0.00, ("JP", "KR", "HK")),
}

EXPERIENCE_SHARE = {"entry": 0.30, "intermediate": 0.50, "expert": 0.20}
EXPERIENCE_RATE_PREMIUM = {"entry": -0.15, "intermediate": 0.00, "expert": 0.20}
# Bids by channel, over applications. Repeat work is cheaper through the new-client
# premium (MarketParams.rate_log_premium_new_client), not through the channel.
CHANNEL_RATE_PREMIUM = {"application": 0.00, "invite": 0.05, "referral": 0.15, "repeat": 0.00}
# Client's choice among a job's proposals (conditional logit): utility by channel.
CHANNEL_HIRE_LOGODDS = {"application": 0.00, "invite": 1.50, "referral": 2.30, "repeat": 3.20}

MONTH_SEASONALITY = (0.88, 0.97, 1.04, 1.04, 1.03, 1.00, 0.93, 0.92, 1.05, 1.07, 1.04, 0.85)

# Skill alliances: pairs of a niche's skills that postings ask for together. A share
# ``MarketParams.skill_alliance_share`` of a niche's postings is built around one of
# its alliances (both skills, the rest drawn at random); the others draw their
# skills at random. Pairs within a niche are disjoint.
SKILL_ALLIANCES: dict[str, tuple[tuple[str, str], ...]] = {
    "finance_fintech": (("Python", "Pandas"), ("Financial Modeling", "Excel")),
    "crypto_web3": (("Solidity", "Web3.js"), ("Dune Analytics", "SQL")),
    "energy": (("Time Series Forecasting", "Machine Learning"),),
    "healthcare_biostatistics": (("SAS", "Clinical Trials"), ("R", "Survival Analysis")),
    "marketing_analytics": (("Google Analytics", "Looker Studio"), ("A/B Testing", "Python")),
    "ecommerce": (("Demand Forecasting", "Python"),),
    "llm_applications": (("LangChain", "RAG"), ("OpenAI API", "FastAPI")),
    "computer_vision": (("PyTorch", "YOLO"),),
    "nlp": (("Transformers", "Hugging Face"),),
    "mlops_data_engineering": (("Airflow", "dbt"), ("Spark", "AWS")),
    "bi_dashboards": (("Power BI", "DAX"), ("Tableau", "SQL")),
    "scraping_data_collection": (("Scrapy", "Python"), ("Selenium", "Beautiful Soup")),
}

# Log hourly-rate premium of postings that ask for both skills of a pair, over the
# niche's other postings (at most one premium pair per niche). The premium is centred
# within the niche, so a niche's average premium stays NICHE_RATE_PREMIUM.
SKILL_PAIR_RATE_PREMIUM: dict[tuple[str, str, str], float] = {
    ("llm_applications", "LangChain", "RAG"): 0.15,
    ("mlops_data_engineering", "Spark", "AWS"): 0.12,
    ("healthcare_biostatistics", "SAS", "Clinical Trials"): 0.10,
}

JOB_SKILLS_PER_POSTING = (2, 4)  # uniform number of skills a posting asks for
PROFILE_SKILLS_PER_FREELANCER = (3, 5)


@dataclass(frozen=True)
class MarketParams:
    """Everything that shapes the synthetic market. Defaults are the demo market."""

    # size (per unit of scale)
    jobs_per_scale: int = 50_000
    freelancers_per_scale: int = 5_000
    clients_per_scale: int = 9_000

    # demand: log market level grows early_ a year until FLATTEN_AT, late_ after
    market_growth_log_per_year_early: float = 0.15
    market_growth_log_per_year_late: float = 0.02
    niche_growth_rel_log_per_year: dict[str, float] = field(
        default_factory=lambda: {"llm_applications": 0.45, "scraping_data_collection": -0.25}
    )
    shock_niche: str = "nlp"
    shock_log_step: float = math.log(0.70)
    hourly_share: float = 0.468
    multi_hire_share: float = 0.06  # postings that want several freelancers
    multi_hire_extra_mean: float = 1.0  # openings of a multi-hire posting: 2 + Poisson(this)

    # postings as scraped: seen a first time shortly after posting, some seen again later
    rescraped_share: float = 0.35
    first_seen_delay_hours_max: float = 12.0
    rescrape_days_mean: float = 6.0

    # posted pay
    posted_hourly_mid_usd: float = 27.0  # median midpoint of posted hourly ranges
    posted_low_ratio: float = 0.59
    posted_high_ratio: float = 1.42
    fixed_budget_median_usd: float = 70.0
    placeholder_budget_share: float = 0.03

    # skills
    skill_alliance_share: float = 0.5

    # bids (hourly rate or fixed amount): log bid = base + niche + region + ...
    rate_base_usd: float = 24.0
    rate_log_per_experience_year: float = 0.025
    rate_log_per_log1p_review: float = 0.06
    rate_log_per_star: float = 0.08
    rate_log_small_and_wide_after_5: float = 0.12
    rate_log_premium_new_client: float = math.log(1.10)  # Stanton & Thomas: ~10% more
    rate_freelancer_sd: float = 0.25
    rate_noise_sd: float = 0.15
    fixed_bid_noise_sd: float = 0.20
    niche_rate_premium: dict[str, float] = field(default_factory=lambda: dict(NICHE_RATE_PREMIUM))
    skill_pair_rate_premium: dict[tuple[str, str, str], float] = field(
        default_factory=lambda: dict(SKILL_PAIR_RATE_PREMIUM)
    )

    # competition: proposals per posting by channel
    applications_per_job_mean: float = 36.0  # negative binomial: Poisson(Gamma)
    applications_per_job_shape: float = 1.3  # gamma shape: a long right tail
    invites_per_job: float = 0.8
    referrals_per_job: float = 0.25
    niche_match_share: float = 0.75
    invite_niche_share: float = 0.85
    referral_niche_share: float = 0.60
    small_and_wide_share: float = 0.45
    dormant_share: float = 0.40  # listed profiles that rarely apply
    dormant_activity: float = 0.05
    invite_decline_share_free: float = 0.15  # invited and referred freelancers decline...
    invite_decline_share_busy: float = 0.70  # ...more often when their week is full
    withdraw_share: float = 0.04

    # filling a posting: logit P(anyone hired | some proposal to choose from)
    fill_logodds_intercept: float = math.log(0.75 / 0.25)
    fill_logodds_declined_invite: float = -0.90

    # the client's choice among a posting's proposals (conditional logit utility)
    hire_logodds_first_review: float = 1.00
    hire_logodds_per_log1p_review: float = 0.30
    hire_logodds_per_star: float = 0.60
    hire_region_penalty_at_zero_reviews: float = -1.00
    hire_region_recovery_per_log1p_review: float = 0.35
    hire_logodds_per_log_bid_ratio_no_reviews: float = -1.50
    hire_logodds_per_log_bid_ratio_reviewed: float = -0.50

    # latent quality: private satisfaction, rehiring and public ratings
    quality_sd: float = 1.0
    dissatisfied_logodds_intercept: float = math.log(0.10 / 0.90)  # at mean quality
    dissatisfied_logodds_per_quality_sd: float = -0.90
    dissatisfied_rating_4plus_share: float = 0.24  # Filippas, Horton & Golden
    rehire_offer_logodds_intercept: float = math.log(0.45 / 0.55)  # after a satisfying job
    rehire_offer_logodds_dissatisfied: float = -1.60

    # workload
    hours_per_week_median: float = 10.0
    hours_per_week_sd_log: float = 0.35

    # reviews
    review_share: float = 0.82
    freelancer_review_share: float = 0.70
    top_rating_share_at_start: float = 0.60  # among privately satisfied clients
    top_rating_logodds_per_year: float = 0.35
    freelancer_top_rating_share_at_start: float = 0.55  # clients rated by freelancers

    def null(self) -> MarketParams:
        """The same market with no niche growth, shock or niche premium planted."""
        return replace(
            self,
            niche_growth_rel_log_per_year={},
            shock_log_step=0.0,
            niche_rate_premium=dict.fromkeys(NICHES, 0.0),
        )


# ---------------------------------------------------------------- skill structure


def skill_slug(skill: str) -> str:
    """A skill as an identifier: lower case, runs of other characters as ``_``."""
    return re.sub(r"[^a-z0-9]+", "_", skill.lower()).strip("_")


def pair_effect_name(kind: str, niche: str, a: str, b: str) -> str:
    """``<kind>__<niche>__<a>__<b>`` with the two skills as slugs in sorted order."""
    first, second = sorted((skill_slug(a), skill_slug(b)))
    return f"{kind}__{niche}__{first}__{second}"


def skill_pair_probabilities(
    skills: tuple[str, ...],
    alliances: tuple[tuple[str, str], ...],
    alliance_share: float,
    k_range: tuple[int, int] = JOB_SKILLS_PER_POSTING,
) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """Exact P(skill) and P(both skills) of one posting of a niche.

    A posting asks for K skills, K uniform on ``k_range`` (at most the niche's
    list). With probability ``alliance_share`` (when the niche has alliances) it is
    built around one alliance drawn uniformly: both skills, plus K - 2 drawn at
    random from the others; otherwise K drawn at random from the list.

    Returns
    -------
    (single, pair)
        ``single[s]`` = P(s asked); ``pair[(a, b)]`` = P(a and b asked), for every
        unordered pair of the list (keys in list order).
    """
    m = len(skills)
    ks = [min(k, m) for k in range(k_range[0], k_range[1] + 1)]

    def mean(f) -> float:
        return sum(f(k) for k in ks) / len(ks)

    uni_one = mean(lambda k: k / m)
    uni_two = mean(lambda k: k * (k - 1) / (m * (m - 1)))
    rest_one = mean(lambda k: (k - 2) / (m - 2)) if m > 2 else 0.0
    rest_two = mean(lambda k: (k - 2) * (k - 3) / ((m - 2) * (m - 3))) if m > 3 else 0.0
    share = alliance_share if alliances else 0.0
    single = {s: (1 - share) * uni_one for s in skills}
    pair = {
        (skills[i], skills[j]): (1 - share) * uni_two for i in range(m) for j in range(i + 1, m)
    }
    for c, d in alliances:
        weight = share / len(alliances)
        for s in skills:
            single[s] += weight * (1.0 if s in (c, d) else rest_one)
        for a, b in pair:
            inside = (a in (c, d)) + (b in (c, d))
            pair[a, b] += weight * (1.0 if inside == 2 else rest_one if inside == 1 else rest_two)
    return single, pair


def skill_pair_lift(p: MarketParams, niche: str, a: str, b: str) -> float:
    """Planted lift P(a and b) / (P(a) P(b)) among the postings of ``niche``."""
    from fdsa.synth.text import NICHE_SKILLS

    skills = NICHE_SKILLS[niche]
    single, pair = skill_pair_probabilities(
        skills, SKILL_ALLIANCES.get(niche, ()), p.skill_alliance_share
    )
    return _pair_share(pair, a, b) / (single[a] * single[b])


def skill_pair_share(p: MarketParams, niche: str, a: str, b: str) -> float:
    """Planted share of the niche's postings asking for both ``a`` and ``b``."""
    from fdsa.synth.text import NICHE_SKILLS

    _, pair = skill_pair_probabilities(
        NICHE_SKILLS[niche], SKILL_ALLIANCES.get(niche, ()), p.skill_alliance_share
    )
    return _pair_share(pair, a, b)


def _pair_share(pair: dict[tuple[str, str], float], a: str, b: str) -> float:
    """The share of postings asking for both skills of an unordered pair."""
    return pair.get((a, b), pair.get((b, a), 0.0))


# ---------------------------------------------------------------- truth


def truth_rows(p: MarketParams) -> list[tuple[str, float, str, str, str]]:
    """Rows of the ``truth`` table: (effect, value, unit, description, source)."""
    rows: list[tuple[str, float, str, str, str]] = []

    def add(effect: str, value: float, unit: str, description: str, source: str) -> None:
        rows.append((effect, float(value), unit, description, source))

    add(
        "market_growth_log_per_year__2021_2022",
        p.market_growth_log_per_year_early,
        "log jobs per year",
        "Growth of job postings common to every niche before 2023-01-01 (seasonality on top).",
        "Online Labour Index: fast growth early (~25%/yr), +51% May 2016 - June 2021",
    )
    add(
        "market_growth_log_per_year__2023_2025",
        p.market_growth_log_per_year_late,
        "log jobs per year",
        "Growth of job postings common to every niche from 2023-01-01 on: the market flattens.",
        "Online Labour Index: flattening after 2021",
    )
    for niche in NICHES:
        add(
            f"demand_growth_rel_log_per_year__{niche}",
            p.niche_growth_rel_log_per_year.get(niche, 0.0),
            "log jobs per year, relative to the typical niche",
            "Planted trend of the niche's postings over and above the market trend.",
            "LLM applications emerging and scraping declining after late 2022 (Demirci et al.)",
        )
        add(
            f"rate_log_premium_niche__{niche}",
            p.niche_rate_premium[niche],
            "log hourly rate vs bi_dashboards",
            "Bid (and agreed-rate) premium of jobs in the niche, other drivers held fixed.",
            "Seed articles: finance, crypto, energy, OCR, LLM, data strategy pay best",
        )
    add(
        f"demand_shock_log_step__{p.shock_niche}",
        p.shock_log_step,
        "log jobs, step at 2022-12-01",
        "Permanent drop in the niche's postings from the shock date on.",
        "Demirci et al.: automation-prone work fell 17-30% after late 2022",
    )
    for region, (_, premium, _) in SUPPLY_REGIONS.items():
        add(
            f"rate_log_premium_region__{region}",
            premium,
            "log hourly rate vs north_america",
            "Bid premium by freelancer region.",
            "Platform rate gaps by worker country (OLI worker supply; Upwork rate data)",
        )
    for region, (_, premium, _) in DEMAND_REGIONS.items():
        add(
            f"posted_rate_log_premium_client_region__{region}",
            premium,
            "log posted hourly midpoint vs north_america",
            "Posted hourly range premium by client region.",
            "LougSE/upwork-market-analysis: AU $22-49, US $19-42, IN $11-25",
        )
    for level, premium in EXPERIENCE_RATE_PREMIUM.items():
        add(
            f"rate_log_premium_experience_level__{level}",
            premium,
            "log hourly rate vs intermediate",
            "Bid and posted rate premium by the experience level the job asks for.",
            "chosen; direction from platform postings",
        )
    for channel, premium in CHANNEL_RATE_PREMIUM.items():
        add(
            f"rate_log_premium_channel__{channel}",
            premium,
            "log hourly rate vs application",
            "Bid premium by acquisition channel (the referral premium; repeat work is "
            "cheaper through rate_log_premium_new_client, not the channel).",
            "Seed articles: referrals - demand outruns supply, rates rise",
        )
    add(
        "rate_log_premium_new_client",
        p.rate_log_premium_new_client,
        "log hourly rate vs a client the freelancer has worked for",
        "Bid premium to a client the freelancer has no contract with (started before "
        "the proposal).",
        "Stanton & Thomas: workers bid about 10% more to new clients",
    )
    for channel, lo in CHANNEL_HIRE_LOGODDS.items():
        add(
            f"hire_logodds_channel__{channel}",
            lo,
            "conditional-logit utility vs application",
            "Client's preference among a job's proposals, by channel.",
            "Seed articles: referrals are the most successful channel",
        )
    add(
        "rate_log_per_experience_year",
        p.rate_log_per_experience_year,
        "log hourly rate per year",
        "Bid gain per year of experience (years before joining + tenure).",
        "chosen",
    )
    add(
        "rate_log_per_log1p_review",
        p.rate_log_per_log1p_review,
        "log hourly rate per log(1+reviews)",
        "Bid gain with the number of reviews received before the proposal.",
        "chosen",
    )
    add(
        "rate_log_per_star",
        p.rate_log_per_star,
        "log hourly rate per star (reviewed only)",
        "Bid gain per star of mean rating (centred at 4.5) once reviewed.",
        "chosen",
    )
    add(
        "rate_log_premium_small_and_wide_after_5",
        p.rate_log_small_and_wide_after_5,
        "log hourly rate",
        "Bid premium once five contracts have started, when at least three of the "
        "first five were small (under one month) jobs.",
        "Seed articles: start small and wide",
    )
    add(
        "hire_logodds_first_review",
        p.hire_logodds_first_review,
        "conditional-logit utility",
        "Jump in the client's preference from having at least one review.",
        "Pallais 2014: a first job and public evaluation raise later hiring",
    )
    add(
        "hire_logodds_per_log1p_review",
        p.hire_logodds_per_log1p_review,
        "conditional-logit utility per log(1+reviews)",
        "Further gain with the number of reviews.",
        "chosen",
    )
    add(
        "hire_logodds_per_star",
        p.hire_logodds_per_star,
        "conditional-logit utility per star (reviewed only)",
        "Gain per star of mean rating (centred at 4.5).",
        "Job Success Score findings",
    )
    add(
        "hire_logodds_region_penalty_at_zero_reviews",
        p.hire_region_penalty_at_zero_reviews,
        "conditional-logit utility",
        "Penalty of freelancers from south_asia, southeast_asia and africa before any review.",
        "Agrawal, Lacetera & Lyons",
    )
    add(
        "hire_logodds_region_recovery_per_log1p_review",
        p.hire_region_recovery_per_log1p_review,
        "conditional-logit utility per log(1+reviews)",
        "How fast that penalty shrinks as reviews accumulate.",
        "Agrawal, Lacetera & Lyons: verified work history helps them most",
    )
    add(
        "hire_logodds_per_log_bid_ratio__no_reviews",
        p.hire_logodds_per_log_bid_ratio_no_reviews,
        "conditional-logit utility per log point of bid over the job's going rate",
        "Price effect for freelancers without reviews: bid relative to the mean log bid "
        "of the job's decided proposals.",
        "Wu et al.: novices who bid low are hired more often",
    )
    add(
        "hire_logodds_per_log_bid_ratio__reviewed",
        p.hire_logodds_per_log_bid_ratio_reviewed,
        "conditional-logit utility per log point of bid over the job's going rate",
        "Price effect for freelancers with at least one review (veterans gain less from "
        "a low bid).",
        "Wu et al.: veterans gain less from low bids",
    )
    add(
        "fill_logodds_intercept",
        p.fill_logodds_intercept,
        "log-odds that a job with proposals hires anyone",
        "Chance that a posting with at least one decided proposal is filled, when no "
        "invited freelancer declined.",
        "assumption: many vacancies go unfilled (Horton)",
    )
    add(
        "fill_logodds_declined_invite",
        p.fill_logodds_declined_invite,
        "log-odds vs no declined invite",
        "Drop in the chance that the posting is filled once an invited (or referred, or "
        "re-invited) freelancer declined.",
        "Horton: a declined invitation sharply lowers the chance the job is filled",
    )
    add(
        "rehire_offer_logodds_intercept",
        p.rehire_offer_logodds_intercept,
        "log-odds",
        "Chance that a client's next posting goes as a repeat offer to the freelancer of "
        "its last ended contract, when that contract left the client satisfied (private "
        "feedback) and the freelancer is still active.",
        "assumption: repeat work from satisfied clients (seed articles)",
    )
    add(
        "rehire_offer_logodds_dissatisfied",
        p.rehire_offer_logodds_dissatisfied,
        "log-odds vs a satisfied client",
        "Drop in that chance when the client was privately dissatisfied.",
        "assumption: latent quality moves rehiring",
    )
    add(
        "dissatisfied_logodds_intercept",
        p.dissatisfied_logodds_intercept,
        "log-odds",
        "Chance that a contract leaves the client privately dissatisfied, for a "
        "freelancer of mean latent quality (latent: no analysis sees quality).",
        "assumption",
    )
    add(
        "dissatisfied_logodds_per_quality_sd",
        p.dissatisfied_logodds_per_quality_sd,
        "log-odds per SD of latent quality",
        "How latent freelancer quality lowers private dissatisfaction (latent).",
        "assumption",
    )
    add(
        "dissatisfied_rating_4plus_share",
        p.dissatisfied_rating_4plus_share,
        "share",
        "Share of privately dissatisfied clients who still give 4 stars or more publicly.",
        "Filippas, Horton & Golden: 24%",
    )
    for (niche, a, b), premium in p.skill_pair_rate_premium.items():
        add(
            pair_effect_name("skill_pair_rate_log_premium", niche, a, b),
            premium,
            "log hourly rate vs the niche's other postings",
            f"Bid premium of {niche} postings asking for both {a} and {b}.",
            "chosen; seed articles: skill combinations pay",
        )
    for niche, alliances in SKILL_ALLIANCES.items():
        for a, b in alliances:
            add(
                pair_effect_name("skill_pair_lift", niche, a, b),
                skill_pair_lift(p, niche, a, b),
                "P(both) / (P(a) P(b)) among the niche's postings",
                f"Planted alliance of {a} and {b} in {niche} postings.",
                "chosen; niche pages' skill alliances",
            )
    add(
        "top_rating_logodds_per_year",
        p.top_rating_logodds_per_year,
        "log-odds per year",
        "Drift up of the chance that a privately satisfied client gives 5 stars (rating "
        "inflation: public stars rise while private satisfaction does not).",
        "Filippas, Horton & Golden: mean rating 3.7 -> 4.8 over a decade",
    )
    add(
        "top_rating_share_at_start",
        p.top_rating_share_at_start,
        "share",
        "Share of 5-star reviews from privately satisfied clients at the market start.",
        "chosen",
    )
    add(
        "review_share",
        p.review_share,
        "share",
        "Share of ended contracts the client reviews.",
        "Filippas, Horton & Golden: about 82% of clients leave a review",
    )
    add(
        "rescraped_share",
        p.rescraped_share,
        "share",
        "Share of postings a scraper saw again after its first visit (last_seen_at > "
        "first_seen_at).",
        "assumption; LougSE: the same job is scraped several times",
    )
    add(
        "hours_per_week_median",
        p.hours_per_week_median,
        "hours per week",
        "Median hours a week per contract (clipped to 5-20).",
        "Seed articles: ~10 h/week per client",
    )
    add(
        "hourly_job_share",
        p.hourly_share,
        "share",
        "Share of postings that are hourly.",
        "LougSE/upwork-market-analysis: 46.8%",
    )
    return rows
