"""Controlled vocabularies shared by the synthetic market, the importers and the analyses.

Every categorical value stored in the warehouse comes from one of these tuples; the
schema's CHECK constraints and the analyses' allowlists are built from them, so a
value that is not listed here cannot reach SQL as an identifier or a category.
"""

from __future__ import annotations

NICHES: tuple[str, ...] = (
    "finance_fintech",
    "crypto_web3",
    "energy",
    "healthcare_biostatistics",
    "marketing_analytics",
    "ecommerce",
    "ocr_document_ai",
    "llm_applications",
    "computer_vision",
    "nlp",
    "mlops_data_engineering",
    "bi_dashboards",
    "data_strategy_consulting",
    "academic_research_statistics",
    "scraping_data_collection",
    "other",
)
"""Niche slugs. ``other`` is the bucket for postings no rule recognises."""

REFERENCE_NICHE = "bi_dashboards"
"""Baseline level for niche effects in regressions (the largest data-science niche)."""

REGIONS: tuple[str, ...] = (
    "north_america",
    "europe_west",
    "europe_east",
    "latin_america",
    "south_asia",
    "southeast_asia",
    "east_asia",
    "middle_east",
    "africa",
    "oceania",
    "unknown",
)
REFERENCE_REGION = "north_america"

LOWER_INCOME_REGIONS: tuple[str, ...] = ("south_asia", "southeast_asia", "africa")
"""Regions whose freelancers face the hiring penalty studied by Agrawal, Lacetera & Lyons."""

# ISO 3166-1 alpha-2 → region. Countries not listed map to "unknown".
COUNTRY_REGION: dict[str, str] = {
    **dict.fromkeys(["US", "CA"], "north_america"),
    **dict.fromkeys(
        [
            "GB",
            "IE",
            "DE",
            "FR",
            "NL",
            "BE",
            "ES",
            "PT",
            "IT",
            "CH",
            "AT",
            "SE",
            "NO",
            "DK",
            "FI",
            "IS",
            "LU",
        ],
        "europe_west",
    ),
    **dict.fromkeys(
        [
            "PL",
            "UA",
            "RO",
            "RS",
            "CZ",
            "SK",
            "HU",
            "BG",
            "HR",
            "LT",
            "LV",
            "EE",
            "SI",
            "BA",
            "MD",
            "BY",
            "RU",
            "GE",
            "AM",
            "AL",
            "MK",
            "ME",
            "GR",
            "CY",
            "MT",
        ],
        "europe_east",
    ),
    **dict.fromkeys(
        [
            "MX",
            "BR",
            "AR",
            "CO",
            "CL",
            "PE",
            "VE",
            "EC",
            "UY",
            "PY",
            "BO",
            "CR",
            "PA",
            "GT",
            "DO",
            "JM",
            "HN",
            "SV",
            "NI",
            "PR",
            "TT",
            "CU",
        ],
        "latin_america",
    ),
    **dict.fromkeys(["IN", "PK", "BD", "LK", "NP"], "south_asia"),
    **dict.fromkeys(["PH", "ID", "VN", "TH", "MY", "SG", "KH", "MM"], "southeast_asia"),
    **dict.fromkeys(["CN", "JP", "KR", "TW", "HK", "MN"], "east_asia"),
    **dict.fromkeys(
        ["AE", "SA", "IL", "TR", "QA", "KW", "BH", "OM", "JO", "LB", "IR", "IQ"], "middle_east"
    ),
    **dict.fromkeys(
        ["NG", "KE", "EG", "ZA", "GH", "MA", "TN", "ET", "UG", "TZ", "DZ", "CM", "RW", "SN"],
        "africa",
    ),
    **dict.fromkeys(["AU", "NZ"], "oceania"),
}

CHANNELS: tuple[str, ...] = ("application", "invite", "referral", "repeat")
"""How a proposal reached the client: applying to a posting, an inbound invite,
a referral from a past client's network, or repeat work for a past client."""

OUTCOMES: tuple[str, ...] = ("hired", "not_hired", "withdrawn", "declined")
JOB_TYPES: tuple[str, ...] = ("hourly", "fixed")
EXPERIENCE_LEVELS: tuple[str, ...] = ("entry", "intermediate", "expert")
CLIENT_SEGMENTS: tuple[str, ...] = ("individual", "small_business", "mid_market", "enterprise")
REVIEW_DIRECTIONS: tuple[str, ...] = ("client_to_freelancer", "freelancer_to_client")

OPERATING_MODES: tuple[str, ...] = (
    "full_time_freelance",
    "part_time_with_venture",
    "side_gig_with_job",
    "contract_1099",
    "transition_to_salaried",
)

BACKGROUNDS: tuple[str, ...] = (
    "computer_science",
    "biomedical_engineering",
    "industrial_engineering",
    "electrical_engineering",
    "biostatistics",
    "physics",
    "mathematics",
    "finance",
    "economics",
    "marketing",
    "mba",
    "data_science_degree",
    "bootcamp",
)

DURATIONS: tuple[str, ...] = (
    "less_than_1_month",
    "1_to_3_months",
    "3_to_6_months",
    "more_than_6_months",
)


def region_of(country: str | None) -> str:
    """Region for an ISO 3166-1 alpha-2 country code (``unknown`` when not listed)."""
    if not country:
        return "unknown"
    return COUNTRY_REGION.get(country.strip().upper(), "unknown")


def sql_in_list(values: tuple[str, ...]) -> str:
    """Render an allowlisted vocabulary as a SQL ``IN`` list for the schema's CHECKs.

    Only ever called on the constant tuples above, never on user input.
    """
    for value in values:
        if not value.replace("_", "").isalnum():
            raise ValueError(f"vocabulary value {value!r} is not a plain slug")
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


COUNTRY_NAMES: dict[str, str] = {
    # North America
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "canada": "CA",
    # Western Europe
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "ireland": "IE",
    "germany": "DE",
    "france": "FR",
    "netherlands": "NL",
    "the netherlands": "NL",
    "belgium": "BE",
    "spain": "ES",
    "portugal": "PT",
    "italy": "IT",
    "switzerland": "CH",
    "austria": "AT",
    "sweden": "SE",
    "norway": "NO",
    "denmark": "DK",
    "finland": "FI",
    "iceland": "IS",
    "luxembourg": "LU",
    # Eastern Europe
    "poland": "PL",
    "ukraine": "UA",
    "romania": "RO",
    "serbia": "RS",
    "czech republic": "CZ",
    "czechia": "CZ",
    "slovakia": "SK",
    "hungary": "HU",
    "bulgaria": "BG",
    "croatia": "HR",
    "lithuania": "LT",
    "latvia": "LV",
    "estonia": "EE",
    "slovenia": "SI",
    "bosnia and herzegovina": "BA",
    "moldova": "MD",
    "belarus": "BY",
    "russia": "RU",
    "russian federation": "RU",
    "georgia": "GE",
    "armenia": "AM",
    "albania": "AL",
    "north macedonia": "MK",
    "macedonia": "MK",
    "montenegro": "ME",
    "greece": "GR",
    "cyprus": "CY",
    "malta": "MT",
    # Latin America
    "mexico": "MX",
    "brazil": "BR",
    "argentina": "AR",
    "colombia": "CO",
    "chile": "CL",
    "peru": "PE",
    "venezuela": "VE",
    "ecuador": "EC",
    "uruguay": "UY",
    "paraguay": "PY",
    "bolivia": "BO",
    "costa rica": "CR",
    "panama": "PA",
    "guatemala": "GT",
    "dominican republic": "DO",
    "jamaica": "JM",
    "honduras": "HN",
    "el salvador": "SV",
    "nicaragua": "NI",
    "puerto rico": "PR",
    "trinidad and tobago": "TT",
    "cuba": "CU",
    # South Asia
    "india": "IN",
    "pakistan": "PK",
    "bangladesh": "BD",
    "sri lanka": "LK",
    "nepal": "NP",
    # South-east Asia
    "philippines": "PH",
    "indonesia": "ID",
    "vietnam": "VN",
    "viet nam": "VN",
    "thailand": "TH",
    "malaysia": "MY",
    "singapore": "SG",
    "cambodia": "KH",
    "myanmar": "MM",
    # East Asia
    "china": "CN",
    "japan": "JP",
    "south korea": "KR",
    "korea": "KR",
    "republic of korea": "KR",
    "taiwan": "TW",
    "hong kong": "HK",
    "mongolia": "MN",
    # Middle East
    "united arab emirates": "AE",
    "uae": "AE",
    "saudi arabia": "SA",
    "israel": "IL",
    "turkey": "TR",
    "türkiye": "TR",
    "turkiye": "TR",
    "qatar": "QA",
    "kuwait": "KW",
    "bahrain": "BH",
    "oman": "OM",
    "jordan": "JO",
    "lebanon": "LB",
    "iran": "IR",
    "iraq": "IQ",
    # Africa
    "nigeria": "NG",
    "kenya": "KE",
    "egypt": "EG",
    "south africa": "ZA",
    "ghana": "GH",
    "morocco": "MA",
    "tunisia": "TN",
    "ethiopia": "ET",
    "uganda": "UG",
    "tanzania": "TZ",
    "algeria": "DZ",
    "cameroon": "CM",
    "rwanda": "RW",
    "senegal": "SN",
    # Oceania
    "australia": "AU",
    "new zealand": "NZ",
    # Countries with an ISO code but no region in COUNTRY_REGION (region "unknown")
    "kazakhstan": "KZ",
    "uzbekistan": "UZ",
    "azerbaijan": "AZ",
    "afghanistan": "AF",
    "monaco": "MC",
    "liechtenstein": "LI",
    "andorra": "AD",
}
"""Lower-case country name (as scraped dumps spell it) → ISO 3166-1 alpha-2.

Used by the importers to turn ``country`` columns holding full names into codes;
look names up with :func:`country_code`, which also accepts ISO-2 codes.
"""


def country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code for a country name or code; None when unknown or empty."""
    if not name or not name.strip():
        return None
    text = " ".join(name.split()).lower()
    if text in COUNTRY_NAMES:
        return COUNTRY_NAMES[text]
    upper = text.upper()
    if len(upper) == 2 and (upper in COUNTRY_REGION or upper in COUNTRY_NAMES.values()):
        return upper
    return None
