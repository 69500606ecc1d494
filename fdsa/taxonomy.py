"""Controlled vocabularies shared by the synthetic market, the importers and the analyses.

Every categorical value stored in the warehouse comes from one of these tuples; the
schema's CHECK constraints and the analyses' allowlists are built from them, so a
value that is not listed here cannot reach SQL as an identifier or a category.
"""

from __future__ import annotations

ALL = "all"
"""The parameter value that means every niche, region, role or level (None in analyses)."""

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


COUNTRY_ALIASES: dict[str, str] = {
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "russia": "RU",
    "turkey": "TR",
    "macedonia": "MK",
    "ivory coast": "CI",
    "the netherlands": "NL",
    "holland": "NL",
    "uae": "AE",
    "republic of korea": "KR",
    "brunei": "BN",
    "palestine": "PS",
    "vatican": "VA",
    "vatican city": "VA",
    "swaziland": "SZ",
    "cape verde": "CV",
    "burma": "MM",
    "east timor": "TL",
    "dr congo": "CD",
    "democratic republic of the congo": "CD",
    "micronesia": "FM",
}
"""Spellings in common use that ISO 3166 does not carry (lower case, accents removed).

Everything else comes from ISO 3166-1 through ``pycountry``: names, common and
official names, alpha-2 and alpha-3 codes. Ambiguous names (``korea``) are left out.
"""


def _fold(text: str) -> str:
    """Lower case, accents removed, runs of spaces as one: how names are compared."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.split()).lower()


def _iso_countries() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """Folded name or code → ISO-2 from ``pycountry``; the assigned alpha-2 and alpha-3 codes."""
    import pycountry

    names: dict[str, str] = {}
    alpha2, alpha3 = set(), set()
    for country in pycountry.countries:
        code = country.alpha_2
        alpha2.add(code)
        alpha3.add(country.alpha_3)
        for attribute in ("common_name", "name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                names.setdefault(_fold(name), code)
    for alias, code in COUNTRY_ALIASES.items():
        names.setdefault(alias, code)
    return names, frozenset(alpha2), frozenset(alpha3)


COUNTRY_NAMES, ISO_COUNTRY_CODES, _ALPHA3 = _iso_countries()
"""``COUNTRY_NAMES``: country name (lower case, accents removed) → ISO 3166-1 alpha-2, from
``pycountry`` plus :data:`COUNTRY_ALIASES`; the first name of each code is its common
name. ``ISO_COUNTRY_CODES``: every assigned alpha-2 code (``UK``, ``XX`` are not).

Used by the importers to turn ``country`` columns into codes; look names up with
:func:`country_code`, which also accepts alpha-2 and alpha-3 codes.
"""

_NOT_MONEY = frozenset(
    ("XAG", "XAU", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XUA", "XTS", "XXX")
)
"""ISO 4217 codes that are no one's pay: precious metals, bond-market units, the SDR, the
Sucre and ADB units of account, the testing code and "no currency"."""


def _iso_currencies() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies) - _NOT_MONEY


CURRENCY_CODES: frozenset[str] = _iso_currencies()
"""ISO 4217 alphabetic codes of currencies (from ``pycountry``), without :data:`_NOT_MONEY`."""


def country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code for a country name or code; None when unknown or empty.

    Names compare without case, accents or extra spaces (:data:`COUNTRY_NAMES`); codes
    are the assigned alpha-2 and alpha-3 codes in any case (``UK`` is not one: it is a
    name, see :data:`COUNTRY_ALIASES`).

    Examples
    --------
    >>> country_code("Côte d'Ivoire"), country_code("cote d'ivoire"), country_code("IND")
    ('CI', 'CI', 'IN')
    """
    if not name or not name.strip():
        return None
    text = _fold(name)
    upper = text.upper()
    if len(upper) == 2 and upper in ISO_COUNTRY_CODES:
        return upper
    if len(upper) == 3 and upper in _ALPHA3:
        import pycountry

        country = pycountry.countries.get(alpha_3=upper)
        return country.alpha_2 if country is not None else None
    return COUNTRY_NAMES.get(text)


def is_country_code(code: str | None) -> bool:
    """Whether ``code`` is an assigned ISO 3166-1 alpha-2 code, as written (upper case)."""
    return code is not None and code in ISO_COUNTRY_CODES


def is_currency_code(code: str | None) -> bool:
    """Whether ``code`` is an ISO 4217 currency code, as written (upper case)."""
    return code is not None and code in CURRENCY_CODES


# ---------------------------------------------------------------- buckets the analyses report by

TENURE_BUCKETS: tuple[str, ...] = ("first year", "second year", "third year+")
"""Career stage: years since the freelancer joined (``channels``, reports' ``tenure``)."""
TENURE_YEARS: tuple[str, ...] = ("0", "1", "2", "3", "4+")
"""Whole years since joining (``pricing.rate_trajectory``)."""
REPUTATION_BUCKETS: tuple[str, ...] = ("0 reviews", "1-4 reviews", "5-19 reviews", "20+ reviews")
"""Client reviews on the profile when a contract started (``channels.channel_mix``)."""
REVIEW_BUCKETS: tuple[str, ...] = ("0", "1", "2-4", "5-9", "10+")
"""Reviews on the profile when a proposal was sent (``reputation.hire_rate_by_reviews``)."""
# Coarse role families from free-text titles; first match wins, order matters.
SALARY_ROLE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("manager_or_lead", ("manager", "head of", "director", "lead", "principal")),
    ("data_scientist", ("data scien",)),  # before research: "scientist" would take it
    ("research", ("research", "scientist", "phd")),
    (
        "ml_engineer",
        (
            "machine learning",
            "ml ",
            "ml engineer",
            "ai engineer",
            "deep learning",
            "mlops",
            "computer vision",
            "nlp",
        ),
    ),
    (
        "data_engineer",
        ("data engineer", "etl", "pipeline", "big data", "data architect", "database"),
    ),
    ("analyst", ("analyst", "analytics", "business intelligence", "bi ")),
)


SALARY_ROLES: tuple[str, ...] = (*(family for family, _ in SALARY_ROLE_RULES), "other")
"""Role families of salary records (the first matching rule of :data:`SALARY_ROLE_RULES`)."""

SALARY_EMPLOYMENT_TYPES: dict[str, str] = {
    "FL": "freelance",
    "CT": "contract",
    "PT": "part_time",
    "FT": "full_time",
}
"""Salary surveys' employment codes → names."""
SALARY_EXPERIENCE_LEVELS: dict[str, str] = {
    "EN": "entry",
    "MI": "mid",
    "SE": "senior",
    "EX": "executive",
}
"""Salary surveys' experience codes → names (postings use :data:`EXPERIENCE_LEVELS`)."""
