"""Parameters of the synthetic market and the planted effects they imply.

Every number an analysis is expected to recover lives here, once, and is written
to the warehouse's ``truth`` table by :func:`truth_rows`. Sources and reasoning:
``docs/synthetic_market.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from fdsa.taxonomy import NICHES

MARKET_START = datetime(2021, 1, 4, tzinfo=UTC)  # a Monday: weekly steps start here
MARKET_END = datetime(2025, 12, 29, tzinfo=UTC)  # exclusive; 260 weeks
SHOCK_AT = datetime(2022, 12, 1, tzinfo=UTC)  # general-purpose chatbots arrive

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
CHANNEL_RATE_PREMIUM = {"application": 0.00, "invite": 0.05, "referral": 0.15, "repeat": -0.10}
CHANNEL_HIRE_LOGODDS = {"application": 0.00, "invite": 1.20, "referral": 2.00, "repeat": 2.40}

MONTH_SEASONALITY = (0.88, 0.97, 1.04, 1.04, 1.03, 1.00, 0.93, 0.92, 1.05, 1.07, 1.04, 0.85)


@dataclass(frozen=True)
class MarketParams:
    """Everything that shapes the synthetic market. Defaults are the demo market."""

    # size (per unit of scale)
    jobs_per_scale: int = 50_000
    freelancers_per_scale: int = 5_000
    clients_per_scale: int = 9_000

    # demand
    market_growth_log_per_year: float = 0.10
    niche_growth_rel_log_per_year: dict[str, float] = field(
        default_factory=lambda: {"llm_applications": 0.45, "scraping_data_collection": -0.25}
    )
    shock_niche: str = "nlp"
    shock_log_step: float = math.log(0.70)
    hourly_share: float = 0.468

    # posted pay
    posted_hourly_mid_usd: float = 27.0  # median midpoint of posted hourly ranges
    posted_low_ratio: float = 0.59
    posted_high_ratio: float = 1.42
    fixed_budget_median_usd: float = 70.0
    placeholder_budget_share: float = 0.03

    # agreed hourly rates: log r = base + niche + region + experience + reviews + ...
    rate_base_usd: float = 24.0
    rate_log_per_experience_year: float = 0.025
    rate_log_per_log1p_review: float = 0.06
    rate_log_per_star: float = 0.08
    rate_log_small_and_wide_after_5: float = 0.12
    rate_freelancer_sd: float = 0.25
    rate_noise_sd: float = 0.15
    niche_rate_premium: dict[str, float] = field(default_factory=lambda: dict(NICHE_RATE_PREMIUM))

    # hiring: logit P(hired | proposal) = intercept + channel + reputation + region terms
    hire_intercept: float = -2.5
    hire_logodds_first_review: float = 1.00
    hire_logodds_per_log1p_review: float = 0.30
    hire_logodds_per_star: float = 0.60
    hire_region_penalty_at_zero_reviews: float = -0.70
    hire_region_recovery_per_log1p_review: float = 0.25
    withdraw_share: float = 0.04

    # proposals per job by channel
    applications_per_job: float = 2.4
    invites_per_job: float = 0.45
    referrals_per_job: float = 0.18
    repeat_offer_share: float = 0.40
    niche_match_share: float = 0.75
    small_and_wide_share: float = 0.45
    dormant_share: float = 0.40  # listed profiles that rarely apply

    # workload
    hours_per_week_median: float = 10.0
    hours_per_week_sd_log: float = 0.35

    # reviews
    review_share: float = 0.82
    freelancer_review_share: float = 0.70
    top_rating_share_at_start: float = 0.55
    top_rating_logodds_per_year: float = 0.35

    def null(self) -> MarketParams:
        """The same market with no niche growth, shock or premium planted."""
        return replace(
            self,
            niche_growth_rel_log_per_year={},
            shock_log_step=0.0,
            niche_rate_premium=dict.fromkeys(NICHES, 0.0),
        )


def truth_rows(p: MarketParams) -> list[tuple[str, float, str, str, str]]:
    """Rows of the ``truth`` table: (effect, value, unit, description, source)."""
    rows: list[tuple[str, float, str, str, str]] = []

    def add(effect: str, value: float, unit: str, description: str, source: str) -> None:
        rows.append((effect, float(value), unit, description, source))

    add(
        "market_growth_log_per_year",
        p.market_growth_log_per_year,
        "log jobs per year",
        "Growth of job postings common to every niche (seasonality on top).",
        "Online Labour Index: fast growth early, then flattening",
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
            "Agreed-rate premium of contracts in the niche, other drivers held fixed.",
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
            "Agreed-rate premium by freelancer region.",
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
            "Agreed and posted rate premium by the experience level the job asks for.",
            "chosen; direction from platform postings",
        )
    for channel, premium in CHANNEL_RATE_PREMIUM.items():
        add(
            f"rate_log_premium_channel__{channel}",
            premium,
            "log hourly rate vs application",
            "Agreed-rate premium by acquisition channel (referral premium; repeat clients get "
            "about 10% less).",
            "Seed articles (referrals: demand outruns supply); Stanton & Thomas (repeat -10%)",
        )
    for channel, lo in CHANNEL_HIRE_LOGODDS.items():
        add(
            f"hire_logodds_channel__{channel}",
            lo,
            "log-odds of hire vs application",
            "Chance that a proposal is hired, by channel.",
            "Seed articles: referrals are the most successful channel",
        )
    add(
        "rate_log_per_experience_year",
        p.rate_log_per_experience_year,
        "log hourly rate per year",
        "Rate gain per year of experience (years before joining + tenure).",
        "chosen",
    )
    add(
        "rate_log_per_log1p_review",
        p.rate_log_per_log1p_review,
        "log hourly rate per log(1+reviews)",
        "Rate gain with the number of reviews received before the proposal.",
        "chosen",
    )
    add(
        "rate_log_per_star",
        p.rate_log_per_star,
        "log hourly rate per star (reviewed only)",
        "Rate gain per star of mean rating (centred at 4.5) once reviewed.",
        "chosen",
    )
    add(
        "rate_log_premium_small_and_wide_after_5",
        p.rate_log_small_and_wide_after_5,
        "log hourly rate",
        "Premium on contracts after the fifth for freelancers whose first five "
        "contracts held at least three small (under one month) jobs.",
        "Seed articles: start small and wide",
    )
    add(
        "hire_logodds_intercept",
        p.hire_intercept,
        "log-odds",
        "Log-odds of hire for an application by an unreviewed freelancer outside the "
        "penalised regions.",
        "chosen",
    )
    add(
        "hire_logodds_first_review",
        p.hire_logodds_first_review,
        "log-odds",
        "Jump in the log-odds of hire from having at least one review.",
        "Pallais 2014: a first job and public evaluation raise later hiring",
    )
    add(
        "hire_logodds_per_log1p_review",
        p.hire_logodds_per_log1p_review,
        "log-odds per log(1+reviews)",
        "Further gain with the number of reviews.",
        "chosen",
    )
    add(
        "hire_logodds_per_star",
        p.hire_logodds_per_star,
        "log-odds per star (reviewed only)",
        "Gain per star of mean rating (centred at 4.5).",
        "Job Success Score findings",
    )
    add(
        "hire_logodds_region_penalty_at_zero_reviews",
        p.hire_region_penalty_at_zero_reviews,
        "log-odds",
        "Hiring penalty of freelancers from south_asia, southeast_asia and africa "
        "before any review.",
        "Agrawal, Lacetera & Lyons",
    )
    add(
        "hire_logodds_region_recovery_per_log1p_review",
        p.hire_region_recovery_per_log1p_review,
        "log-odds per log(1+reviews)",
        "How fast that penalty shrinks as reviews accumulate.",
        "Agrawal, Lacetera & Lyons: verified work history helps them most",
    )
    add(
        "top_rating_logodds_per_year",
        p.top_rating_logodds_per_year,
        "log-odds per year",
        "Drift up of the chance that a client review gives 5 stars (rating inflation).",
        "Filippas, Horton & Golden: mean rating 3.7 -> 4.8 over a decade",
    )
    add(
        "top_rating_share_at_start",
        p.top_rating_share_at_start,
        "share",
        "Share of 5-star client reviews at the market start (2021-01).",
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
