"""Values of real files: every accepted form gives exactly the value meant; the rest is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fdsa import taxonomy
from fdsa.ingest import values
from fdsa.ingest.values import Amount, AmountFormat, Refused, parse_amount

PLAIN = AmountFormat()
EUROPEAN = AmountFormat(decimal=",", thousands=".")
BANDS = AmountFormat(bands=True)
D = Decimal


@pytest.mark.parametrize(
    ("text", "fmt", "value", "currency"),
    [
        ("50000", PLAIN, D(50000), None),
        ("50,000", PLAIN, D(50000), None),
        ("$50,000.50", PLAIN, D("50000.50"), "USD"),
        ("US$ 70", PLAIN, D(70), "USD"),
        ("50k", PLAIN, D(50000), None),
        ("1.2M", PLAIN, D(1200000), None),
        ("$ 45K", PLAIN, D(45000), "USD"),
        ("EUR 52,500", PLAIN, D(52500), "EUR"),
        ("52,500 gbp", PLAIN, D(52500), "GBP"),
        ("0.500", PLAIN, D("0.5"), None),  # a leading zero is no thousands group
        ("12.50", PLAIN, D("12.5"), None),
        ("1,234.567", PLAIN, D("1234.567"), None),  # both separators: unambiguous
        ("50.000", EUROPEAN, D(50000), None),
        ("1.500,50 $", EUROPEAN, D("1500.50"), "USD"),
        ("1,2m", EUROPEAN, D(1200000), None),
        ("50,000", EUROPEAN, D(50), None),  # as declared: a decimal comma
        ("50 000", AmountFormat(decimal=",", thousands=" "), D(50000), None),
        ("50\u202f000", AmountFormat(decimal=",", thousands=" "), D(50000), None),
        ("1'250.75", AmountFormat(thousands="'"), D("1250.75"), None),
        ("-5", PLAIN, D(-5), None),
        ("$-5", PLAIN, D(-5), "USD"),
        ("€300", AmountFormat(symbols={"€": "EUR"}), D(300), "EUR"),
        ("9" * 60, PLAIN, D("9" * 60), None),  # long numbers are not rounded
    ],
)
def test_amounts_mean_what_they_say(text, fmt, value, currency):
    assert parse_amount(text, fmt) == Amount(value, value, value, currency)


@pytest.mark.parametrize(
    ("text", "fmt", "reason"),
    [
        ("50.000", PLAIN, "ambiguous amount: '50.000' is 50000"),
        ("1.500k", PLAIN, "ambiguous amount"),
        ("1.234.567", PLAIN, "not a number: '1.234.567' (European separators?"),
        ("50,5", PLAIN, "(European separators? declare decimal: ','"),
        ("50.00", EUROPEAN, "not a number"),  # a dot in a European file groups thousands
        ("1e6", PLAIN, "not a plain number: '1e6' (scientific notation"),
        ("1.23457E+11", PLAIN, "scientific notation"),
        ("€300", PLAIN, "unknown currency sign: '€'"),
        ("$300 EUR", PLAIN, "two currencies: USD and EUR"),
        ("50k", AmountFormat(suffixes=False), "k/m suffixes not declared"),
        ("$25/hr", PLAIN, "not a plain amount: '$25/hr' (a unit or rate"),
        ("50000 per year", PLAIN, "a unit or rate"),
        ("Rather not say", PLAIN, "not a number: 'Rather not say'"),
        ("50.", PLAIN, "not a number"),
        ("$40,000 - $60,000", PLAIN, "a pay band: '$40,000 - $60,000' (declare bands: true"),
        ("<$20,000", PLAIN, "a pay band"),
    ],
)
def test_what_could_mean_two_things_is_refused(text, fmt, reason):
    with pytest.raises(Refused) as refused:
        parse_amount(text, fmt)
    assert reason in str(refused.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$40,000 - $60,000", Amount(D(40000), D(60000), D(50000), "USD")),
        ("40k-60k", Amount(D(40000), D(60000), D(50000), None)),
        ("$40,000-$60,000", Amount(D(40000), D(60000), D(50000), "USD")),
        ("40,000 to 60,001", Amount(D(40000), D(60001), D("50000.5"), None)),
        ("40,000 – 60,000 USD", Amount(D(40000), D(60000), D(50000), "USD")),
        ("<$20,000", Amount(D(0), D(20000), D(10000), "USD")),
        ("Under 20k", Amount(D(0), D(20000), D(10000), None)),
        ("up to 20,000", Amount(D(0), D(20000), D(10000), None)),
        (">$140,000", Amount(D(140000), None, None, "USD")),
        ("$140,000+", Amount(D(140000), None, None, "USD")),
        ("More than 140k", Amount(D(140000), None, None, None)),
        ("55,000", Amount(D(55000), D(55000), D(55000), None)),
    ],
)
def test_pay_bands_give_low_high_and_midpoint(text, expected):
    assert parse_amount(text, BANDS) == expected


def test_an_open_top_band_takes_its_bound_only_when_declared():
    bound = AmountFormat(bands=True, open_top="bound")
    assert parse_amount(">$140,000", bound) == Amount(D(140000), None, D(140000), "USD")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("$60,000 - $40,000", "band low above its high"),
        ("$40,000 - €60,000", "unknown currency sign: '€'"),
        ("40 USD - 60 EUR", "two currencies: USD and EUR"),
        ("-10 - 5", "negative amount"),
    ],
)
def test_bad_bands_are_refused(text, reason):
    with pytest.raises(Refused, match=reason):
        parse_amount(text, BANDS)


def test_plausible_ranges_check_the_figure_and_every_end():
    bounds = (D(0), D(1000))
    values.check_range(parse_amount("999", PLAIN), "999", bounds)
    for text in ("1001", "9" * 257, "500 - 5000"):
        with pytest.raises(Refused, match="implausible amount"):
            values.check_range(parse_amount(text, BANDS), text, bounds)


def test_plain_decimal_has_no_exponent():
    assert values.plain_decimal(D("5E+4")) == "50000"
    assert values.plain_decimal(D("1500.50")) == "1500.5"
    assert values.plain_decimal(D("0.10")) == "0.1"
    assert values.plain_decimal(None) is None


def test_codes_years_dates_and_currencies():
    assert values.parse_code(" SE ", ("EN", "SE")) == "SE"
    with pytest.raises(Refused, match=r"'2-Jan' \(looks like a date a spreadsheet made"):
        values.parse_code("2-Jan", ("EN", "SE"))
    assert values.parse_year("2011") == 2011
    for bad in ("11", "2011.0", "1850"):
        with pytest.raises(Refused, match="not a year"):
            values.parse_year(bad)
    assert values.parse_date("2011-02-28") == "2011-02-28"
    with pytest.raises(Refused, match="not a date"):
        values.parse_date("2011-02-30")
    assert values.parse_currency("eur") == "EUR"
    for bad in ("ZZZ", "XAU", "XXX", "EURO"):
        with pytest.raises(Refused, match="not an ISO 4217 currency code"):
            values.parse_currency(bad)


def test_places_are_countries_or_declared_regions():
    assert values.parse_place("NA") == values.Place("NA", "unknown", None)  # Namibia
    assert values.parse_place("United  Kingdom").country == "GB"
    assert values.parse_place("Other Europe", {"Other Europe": "unknown"}) == values.Place(
        None, "unknown", "Other Europe"
    )
    with pytest.raises(Refused, match="declare it under regions"):
        values.parse_place("Other Europe")


def test_value_maps_replace_what_they_list_and_pass_the_rest():
    declared = {"Senior": "SE", "Rather not say": None}
    assert values.apply_values(" Senior ", declared) == "SE"
    assert values.apply_values("Rather not say", declared) is None
    assert values.apply_values("EN", declared) == "EN"


def test_iso_lists_replace_the_hand_written_tables():
    assert not taxonomy.is_country_code("UK") and not taxonomy.is_country_code("XX")
    assert taxonomy.is_country_code("GB") and taxonomy.is_country_code("NA")
    assert not taxonomy.is_currency_code("ZZZ") and taxonomy.is_currency_code("CLP")
    assert set(taxonomy.COUNTRY_REGION) <= taxonomy.ISO_COUNTRY_CODES
    assert set(taxonomy.COUNTRY_NAMES.values()) <= taxonomy.ISO_COUNTRY_CODES
    assert len(taxonomy.ISO_COUNTRY_CODES) >= 249
    cases = {
        "UK": "GB",
        "Türkiye": "TR",
        "turkey": "TR",
        "Côte d'Ivoire": "CI",
        "ivory coast": "CI",
        "South Korea": "KR",
        "korea": None,  # ambiguous: not guessed
        "IND": "IN",
        "Russia": "RU",
        "Viet Nam": "VN",
        "XX": None,
    }
    assert {name: taxonomy.country_code(name) for name in cases} == cases


@pytest.mark.parametrize(
    "text",
    [
        "Need help. Budget: $207 Country: United States",  # a plain-text summary, one line
        "<b>Budget</b>: $207<br /><b>Country</b>: United States",  # the RSS layout
        "Budget: $207 Posted On: March 1, 2024 Skills: SQL, Python Country: United States",
    ],
)
def test_feed_fields_on_one_line_end_where_the_next_label_starts(text):
    from fdsa.ingest.feed_json import labelled_fields

    fields = labelled_fields(text)
    assert fields["budget"] == "$207"
    assert fields["country"] == "United States"
    if "Skills" in text:
        assert fields["skills"] == ["SQL", "Python"]
        assert fields["posted"] == "March 1, 2024"
