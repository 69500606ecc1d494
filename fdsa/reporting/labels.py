"""The display vocabulary: what a reader sees for every identifier the warehouse and analyses use.

The taxonomy (:mod:`fdsa.taxonomy`) holds the identifiers that reach SQL; this module
holds their names for people, in one place, so every page says "LLM applications"
and "vs North America" for the same slug, draws "Emerging" in the same colour, and
labels every axis and table column with its unit:

- :data:`VOCABULARIES` — one :class:`Vocabulary` per kind of category (niche, region,
  channel, tenure stage, pay measure, …): a human name and one colour per value, and
  the baseline each comparison is made against (``vs BI dashboards``).
- :func:`term_name` — model terms (``rate_log_premium_region__south_asia``) as a
  name with its baseline (``Region: South Asia (vs North America)``).
- :data:`COLUMNS` — table headers and axis titles with units (``median_usd`` →
  ``Median (USD)``).
- :func:`pct_a_year` — growth in log points a year as percent a year (what users
  read; log points stay in research tables).

Nothing here changes data: analyses keep their identifiers and CSV downloads keep
the analysis columns. A value or column not listed still gets a readable fallback
(underscores to spaces, first letter capitalised), never the raw identifier.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from fdsa import taxonomy
from fdsa.taxonomy import REPUTATION_BUCKETS, REVIEW_BUCKETS, TENURE_BUCKETS
from fdsa.taxonomy import SALARY_EMPLOYMENT_TYPES as EMPLOYMENT_TYPES
from fdsa.taxonomy import SALARY_EXPERIENCE_LEVELS as EXPERIENCE_LEVELS
from fdsa.taxonomy import SALARY_ROLES as ROLES

GREY = "#b8bec6"
"""Colour of the items that are not the one a page is about (see ``highlight``)."""

HIGHLIGHT = "#d1495b"
"""Colour of the item a page is about (the chosen niche, region, tenure stage)."""

NEUTRAL = "#3b6ea5"
"""Colour of a single series that is no category (e.g. postings per month)."""

_PALETTE_16 = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#ad494a",
    "#637939",
    "#7b4173",
    "#e7ba52",
    "#3182bd",
)


@dataclass(frozen=True)
class Vocabulary:
    """Human names and colours of one kind of category, and its comparisons' baseline.

    Parameters
    ----------
    kind
        What the values are (``niche``, ``region``…); also the axis title.
    names
        Identifier → name shown to readers, in display order.
    colours
        Identifier → colour, the same on every page.
    baseline
        The identifier comparisons are made against (a model's reference level), if any.
    baseline_words
        How the baseline reads after "vs" when its name does not (``applications``).
    """

    kind: str
    names: dict[str, str]
    colours: dict[str, str] = field(default_factory=dict)
    baseline: str | None = None
    baseline_words: str | None = None

    def name(self, value: object) -> str:
        """The reader's name of ``value`` (a readable fallback for unlisted values)."""
        text = str(value)
        return self.names.get(text) or _fallback(text)

    def colour(self, value: object) -> str:
        """The colour of ``value`` on every page (grey for unlisted values)."""
        return self.colours.get(str(value), GREY)

    def versus(self) -> str:
        """``vs North America``: the baseline of comparisons, in words ('' when none)."""
        if not self.baseline:
            return ""
        return f"vs {self.baseline_words or self.name(self.baseline)}"

    def colour_map(self) -> dict[str, str]:
        """Human name → colour, for figures whose categories are shown by name."""
        return {self.name(v): c for v, c in self.colours.items()}

    def order(self) -> list[str]:
        """Human names in display order."""
        return [self.name(v) for v in self.names]


def _coloured(names: dict[str, str], palette: tuple[str, ...]) -> dict[str, str]:
    return {value: palette[i % len(palette)] for i, value in enumerate(names)}


NICHE_NAMES: dict[str, str] = {
    "finance_fintech": "Finance & fintech",
    "crypto_web3": "Crypto & web3",
    "energy": "Energy",
    "healthcare_biostatistics": "Healthcare & biostatistics",
    "marketing_analytics": "Marketing analytics",
    "ecommerce": "E-commerce",
    "ocr_document_ai": "OCR & document AI",
    "llm_applications": "LLM applications",
    "computer_vision": "Computer vision",
    "nlp": "NLP",
    "mlops_data_engineering": "MLOps & data engineering",
    "bi_dashboards": "BI dashboards",
    "data_strategy_consulting": "Data strategy consulting",
    "academic_research_statistics": "Academic research & statistics",
    "scraping_data_collection": "Scraping & data collection",
    "other": "Other niches",
    "all": "All niches",
}
REGION_NAMES: dict[str, str] = {
    "north_america": "North America",
    "europe_west": "Western Europe",
    "europe_east": "Eastern Europe",
    "latin_america": "Latin America",
    "south_asia": "South Asia",
    "southeast_asia": "Southeast Asia",
    "east_asia": "East Asia",
    "middle_east": "Middle East",
    "africa": "Africa",
    "oceania": "Oceania",
    "unknown": "Region not known",
    "all": "All regions",
}
CHANNEL_NAMES: dict[str, str] = {
    "application": "Applications",
    "invite": "Invites",
    "referral": "Referrals",
    "repeat": "Repeat clients",
    "all": "All channels",
}

VOCABULARIES: dict[str, Vocabulary] = {
    v.kind: v
    for v in (
        Vocabulary(
            "niche",
            NICHE_NAMES,
            _coloured({k: "" for k in taxonomy.NICHES}, _PALETTE_16),
            taxonomy.REFERENCE_NICHE,
        ),
        Vocabulary(
            "region",
            REGION_NAMES,
            _coloured({k: "" for k in taxonomy.REGIONS if k != "unknown"}, _PALETTE_16[::-1]),
            taxonomy.REFERENCE_REGION,
        ),
        Vocabulary(
            "channel",
            CHANNEL_NAMES,
            {
                "application": "#4c78a8",
                "invite": "#f58518",
                "referral": "#54a24b",
                "repeat": "#b279a2",
                "all": "#555555",
            },
            "application",
            "applications",
        ),
        Vocabulary(
            "tenure",
            dict(
                zip(
                    TENURE_BUCKETS,
                    ("First year", "Second year", "Third year and later"),
                    strict=True,
                )
            ),
            dict(zip(TENURE_BUCKETS, ("#9ecae1", "#4292c6", "#08519c"), strict=True)),
        ),
        Vocabulary(
            "reputation",
            dict(
                zip(
                    REPUTATION_BUCKETS,
                    ("No reviews", "1 to 4 reviews", "5 to 19 reviews", "20 or more reviews"),
                    strict=True,
                )
            ),
        ),
        Vocabulary(
            "reviews",
            dict(
                zip(
                    REVIEW_BUCKETS,
                    ("No reviews", "1 review", "2 to 4 reviews", "5 to 9 reviews", "10+ reviews"),
                    strict=True,
                )
            ),
        ),
        Vocabulary(
            "pay_measure",
            {
                "posted_hourly_low": "Posted hourly, low end",
                "posted_hourly_mid": "Posted hourly (asking)",
                "posted_hourly_high": "Posted hourly, high end",
                "fixed_budget": "Fixed budget (posted)",
                "agreed_hourly_rate": "Agreed hourly rate",
            },
            {
                "posted_hourly_low": "#9ecae1",
                "posted_hourly_mid": "#3b6ea5",
                "posted_hourly_high": "#08306b",
                "fixed_budget": "#8c6bb1",
                "agreed_hourly_rate": "#e6862c",
            },
        ),
        Vocabulary(
            "growth_status",
            {
                "emerging": "Emerging",
                "steady": "Steady",
                "declining": "Declining",
                "not measured": "Not measured",
            },
            {
                "emerging": "#2a9d6f",
                "steady": "#8d99ae",
                "declining": "#d1495b",
                "not measured": "#d9d9d9",
            },
        ),
        Vocabulary(
            "employment",
            {
                **{v: v.replace("_", "-").capitalize() for v in EMPLOYMENT_TYPES.values()},
                "unknown": "Not given",
            },
            {
                "freelance": "#e6862c",
                "contract": "#8c6bb1",
                "part_time": "#54a24b",
                "full_time": "#3b6ea5",
                "unknown": "#b8bec6",
            },
            "full_time",
            "full-time pay",
        ),
        Vocabulary(
            "experience",
            {
                **{v: v.capitalize() for v in EXPERIENCE_LEVELS.values()},
                "mid": "Mid-level",
                "unknown": "Not given",
                "all": "All experience levels",
            },
        ),
        Vocabulary(
            "platform_experience",
            {"entry": "Entry level", "intermediate": "Intermediate", "expert": "Expert"},
            baseline="intermediate",
            baseline_words="intermediate level",
        ),
        Vocabulary(
            "role",
            {
                "manager_or_lead": "Managers and leads",
                "data_scientist": "Data scientists",
                "research": "Researchers",
                "ml_engineer": "ML engineers",
                "data_engineer": "Data engineers",
                "analyst": "Analysts",
                "other": "Other roles",
                "all": "All roles",
            },
        ),
        Vocabulary(
            "style",
            {"small_and_wide": "Small and wide", "big_first": "Big first"},
            {"small_and_wide": "#2a9d6f", "big_first": "#6c5b7b"},
            "big_first",
            "big-first starters",
        ),
        Vocabulary(
            "starter_measure",
            {
                "later_median_rate": "Later median rate (USD/h)",
                "total_earnings": "Total earnings (USD)",
            },
        ),
        Vocabulary(
            "on_profile",
            {"on_profile": "On your profile", "not_on_profile": "Not on your profile"},
            {"on_profile": HIGHLIGHT, "not_on_profile": NEUTRAL},
        ),
        Vocabulary("low_n", {"True": "yes", "False": "no"}),
    )
}
"""Kind → its vocabulary. Every categorical value a page shows is named through one."""

if not set(ROLES) <= set(VOCABULARIES["role"].names):
    raise ImportError("every salary role family needs a name in VOCABULARIES['role']")

COLUMN_KINDS: dict[str, str] = {
    "niche": "niche",
    "region": "region",
    "population": "region",  # newcomer_plan: a region or a group of regions
    "freelancer_region": "region",
    "client_region": "region",
    "channel": "channel",
    "measure": "pay_measure",
    "pay_measure": "pay_measure",
    "growth_status": "growth_status",
    "status": "growth_status",
    "employment_type": "employment",
    "experience": "experience",
    "experience_level": "platform_experience",
    "role": "role",
    "style": "style",
    "reviews": "reviews",
}
"""Analysis columns whose values are categories of a vocabulary (named when shown)."""


def name(kind: str, value: object) -> str:
    """The reader's name of ``value`` of vocabulary ``kind`` (``name("niche", "nlp")``)."""
    return VOCABULARIES[kind].name(value)


def colour(kind: str, value: object) -> str:
    """The colour of ``value`` of vocabulary ``kind``, the same on every page."""
    return VOCABULARIES[kind].colour(value)


def versus(kind: str) -> str:
    """``vs BI dashboards``: the baseline comparisons of ``kind`` are made against."""
    return VOCABULARIES[kind].versus()


def bucket_kind(values: Iterable[object]) -> str | None:
    """The vocabulary whose identifiers include every one of ``values`` (None if none does).

    Used for columns such as ``bucket`` or ``group`` whose kind depends on the table.
    """
    found = {str(v) for v in values}
    for kind in ("tenure", "reputation", "reviews", "experience", "region", "role", "niche"):
        if found and found <= set(VOCABULARIES[kind].names):
            return kind
    return None


def _fallback(text: str) -> str:
    """``growth_log_per_year`` → ``Growth log per year``: readable, never the identifier."""
    words = text.replace("__", ": ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else text


# ----------------------------------------------------------------- model terms

_REGRESSORS: dict[str, tuple[str, str]] = {
    "rate_log_per_experience_year": ("Each year of experience", ""),
    "rate_log_per_log1p_review": ("More reviews (per 2.7-fold of 1 + reviews)", ""),
    "rate_log_per_star": ("Each extra star of rating", ""),
    "rate_log_premium_small_and_wide_after_5": (
        "Started small and wide (from contract 6)",
        "vs big first",
    ),
    "hire_logodds_first_review": ("Has a first review", "vs no reviews"),
    "hire_logodds_per_log1p_review": ("More reviews (per 2.7-fold of 1 + reviews)", ""),
    "hire_logodds_per_star": ("Each extra star (reviewed profiles)", ""),
    "hire_logodds_region_penalty_at_zero_reviews": (
        "Lower-income region, no reviews",
        "vs other regions",
    ),
    "hire_logodds_region_recovery_per_log1p_review": (
        "Lower-income region: recovery per 2.7-fold of 1 + reviews",
        "",
    ),
    "rate_log_premium_new_client": ("Client new to the freelancer", "vs repeat clients"),
    "hire_logodds_per_log_bid_ratio__no_reviews": (
        "Bid above the going rate, no reviews (per log ratio)",
        "",
    ),
    "hire_logodds_per_log_bid_ratio__reviewed": (
        "Bid above the going rate, reviewed profiles (per log ratio)",
        "",
    ),
    "top_rating_logodds_per_year": ("Five-star share, per year", ""),
    "intercept": ("Baseline (intercept)", ""),
    "hire_logodds_intercept": ("Baseline (intercept)", ""),
}
_TERM_BLOCK = re.compile(r"^(?:rate_log_premium|hire_logodds)_(?P<block>[a-z_]+?)__(?P<level>\w+)$")
_BLOCK_KINDS = {
    "niche": ("niche", "Niche"),
    "region": ("region", "Region"),
    "freelancer_region": ("region", "Region"),
    "channel": ("channel", "Channel"),
    "experience_level": ("platform_experience", "Experience"),
}


def term_parts(term: str) -> tuple[str, str, str | None, str | None]:
    """A model term as ``(name, baseline, kind, level)``.

    ``rate_log_premium_region__south_asia`` → ``("Region: South Asia", "vs North
    America", "region", "south_asia")``; regressors without a category give
    ``kind`` and ``level`` None.
    """
    if term in _REGRESSORS:
        text, base = _REGRESSORS[term]
        return text, base, None, None
    block = _TERM_BLOCK.match(term)
    if block and block["block"] in _BLOCK_KINDS:
        kind, word = _BLOCK_KINDS[block["block"]]
        return f"{word}: {name(kind, block['level'])}", versus(kind), kind, block["level"]
    return (
        _fallback(re.sub(r"^(rate_log_premium_|rate_log_|hire_logodds_)", "", term)),
        "",
        None,
        None,
    )


def term_name(term: str) -> str:
    """A model term in words with its baseline: ``Region: South Asia (vs North America)``."""
    text, base, _, _ = term_parts(term)
    return f"{text} ({base})" if base else text


# ----------------------------------------------------------------- columns

COLUMNS: dict[str, str] = {
    # categories
    "niche": "Niche",
    "region": "Region",
    "channel": "Channel",
    "measure": "Measure",
    "pay_measure": "Pay measure",
    "bucket": "Group",
    "group": "Group",
    "term": "Term",
    "style": "Start-up style",
    "reviews": "Reviews at the time",
    "employment_type": "Employment",
    "experience": "Experience",
    "role": "Role family",
    "dataset": "Dataset",
    "title": "Job title",
    "skill_a": "Skill",
    "skill_b": "Asked with",
    "components": "Components scored",
    "what": "Records",
    "detail": "Detail",
    "file": "File",
    "file_name": "File",
    "licence": "Licence",
    # counts
    "n": "Sample (n)",
    "n_jobs": "Postings",
    "n_proposals": "Proposals",
    "n_contracts": "Contracts",
    "n_channel": "Contracts via the channel",
    "n_hired": "Hired",
    "n_top": "Five-star reviews",
    "n_level": "Bids at this level",
    "n_model": "Bids in the model",
    "n_comparable": "Comparable bids",
    "n_rated": "Postings with a rate",
    "n_no_usd": "Without USD amount",
    "n_freelance": "Freelance records",
    "n_active_freelancers": "Active freelancers",
    "ingest_run_id": "Ingest run",
    "rank": "Rank",
    # money
    "median_usd": "Median (USD)",
    "p25_usd": "25th percentile (USD)",
    "p75_usd": "75th percentile (USD)",
    "rate_usd": "Hourly rate (USD/h)",
    "comparable_rate_usd": "Comparable bids' rate (USD/h)",
    "median_rate_usd": "Median hourly rate (USD/h)",
    "pay_median_usd": "Median hourly pay (USD/h)",
    "median_earnings_usd": "Median earnings per contract (USD)",
    "posted_hourly_mid_median": "Posted hourly midpoint, median (USD/h)",
    "fixed_budget_median": "Fixed budget, median (USD)",
    "agreed_hourly_rate_median": "Agreed hourly rate, median (USD/h)",
    "posted_hourly_mid_n": "Postings with an hourly range",
    "fixed_budget_n": "Postings with a fixed budget",
    "agreed_hourly_rate_n": "Hourly contracts",
    # rates and shares
    "share": "Share (%)",
    "top_share": "Five-star share (%)",
    "win_rate": "Proposals hired (%)",
    "comparable_win_rate": "Comparable proposals hired (%)",
    "n_region": "Bids from the region in the model (n)",
    "basis": "Band from",
    "share_hired": "With a first contract (%)",
    "proposals_per_hire": "Proposals per hire",
    "jobs_per_freelancer": "Postings per active freelancer with the skill",
    "n_jobs_with_skill": "Postings asking for the skill (n)",
    "bid_ratio": "Bid / going rate",
    "bid_usd": "Bid (USD/h)",
    "expected_earnings_usd": "Expected earnings per proposal (USD)",
    "in_best_band": "In the first-bid band",
    "is_best": "Most expected earnings",
    "proposals_per_week": "Proposals a week",
    "posted_hourly_mid_usd": "Posted hourly midpoint (USD/h)",
    "hire_rate": "Proposals hired (%)",
    "jobs_per_month": "Postings a month",
    "proposals_per_job": "Proposals per posting",
    "active_freelancers_per_job": "Active freelancers per posting",
    "months": "Months of data",
    "median_days_to_hire": "Median days to hire",
    "mean_stars": "Mean stars",
    "lift": "Lift (× chance)",
    "rate_premium": "Rate premium (log points)",
    "premium_pct": "Effect on the rate (%)",
    "odds_ratio": "Odds ratio",
    "score": "Opportunity score (vs typical niche)",
    "demand_log_ratio": "Demand (log ratio to typical)",
    "competition_log_ratio": "Low competition (log ratio to typical)",
    "pay_log_ratio": "Pay (log ratio to typical)",
    "growth_log_ratio": "Growth (log points a year vs typical)",
    "growth_pct_a_year": "Growth vs typical niche (% a year)",
    "rate_premium_pct": "Rate premium when asked together (%)",
    "growth_rel": "Growth vs typical niche (log points a year)",
    "growth_log_per_year": "Growth (log points a year)",
    "estimate": "Estimate",
    "se": "Standard error",
    "p_value": "p-value",
    "q_value": "q-value (FDR)",
    "quantile": "Percentile",
    "percentile": "Percentile",
    "tenure_years": "Years since joining",
    "year": "Year",
    "month": "Month",
    "coverage": "Share of the month covered",
    # dates and flags
    "first_posted_date": "First posted",
    "loaded_at": "Loaded",
    "first_year": "First work year",
    "last_year": "Last work year",
    "low_n": "Small sample",
    "is_default": "Read by default",
}
"""Analysis column → table header / axis title, with its unit. Tables may override per page."""

SHARE_COLUMNS = frozenset(
    {
        "share",
        "top_share",
        "win_rate",
        "hire_rate",
        "coverage",
        "comparable_win_rate",
        "share_hired",
    }
)
"""Columns holding a share 0–1: shown as percentages."""

PERCENT_COLUMNS = frozenset({"premium_pct", "growth_pct_a_year", "rate_premium_pct"})
"""Columns already in percent."""


def column(name_: str) -> str:
    """The header or axis title of an analysis column (a readable fallback if unlisted)."""
    return COLUMNS.get(name_) or _fallback(name_)


# ----------------------------------------------------------------- units


def pct_a_year(log_points: float) -> float:
    """Growth of ``log_points`` a year (natural log) as percent a year: 0.10 → 10.5."""
    if log_points is None or not math.isfinite(float(log_points)):
        return math.nan
    return math.expm1(float(log_points)) * 100


def with_pct(df, column: str, new: str, *, lo: str | None = None, hi: str | None = None):
    """``df`` with ``new`` (+ ``new_lo``/``new_hi``): log points in ``column`` as percent.

    For growth a year (``growth_rel`` → ``growth_pct_a_year``) or a log premium: the
    percent users read, exp(x) − 1; the log columns stay for research tables and CSVs.
    """
    out = df.copy()
    for source, target in ((column, new), (lo, f"{new}_lo"), (hi, f"{new}_hi")):
        if source is not None:
            out[target] = out[source].map(pct_a_year)
    return out


def wrap(text: str, width: int = 26) -> str:
    r"""``text`` broken into lines of about ``width`` characters at word boundaries.

    Lines are joined with ``\\n``; :func:`fdsa.reporting.plots.escape_figure` turns a
    line break into plotly's ``<br>`` after escaping, so long category labels (model
    terms, job titles) wrap instead of squeezing the plot area.
    """
    words, lines, line = [], [], ""
    for word in str(text).split():  # a word longer than a line is cut (scraped titles)
        words += [word[i : i + width] for i in range(0, len(word), width)] or [word]
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "\n".join(lines)
