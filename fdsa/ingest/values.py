"""Values of real files, one text at a time: amounts, pay bands, codes, countries, years.

Pure functions. The ``mapped`` importer applies them once per distinct text of a
column (:func:`convert`), so a survey of 100k rows parses a few hundred texts. Each
returns the value or raises :class:`Refused` with the reason a row is rejected; nothing
is guessed: a text that could mean two things (``50.000`` with undeclared separators,
a currency sign nobody declared, scientific notation) is refused, never bent.

Amounts (``docs/ingest.md``, "Bring your own file"): an optional currency sign before
or after the number (``$``, ``US$``, declared signs, or an ISO 4217 code such as
``EUR``), digits with the file's thousands and decimal separators, an optional ``k``
(thousand) or ``m`` (million). With ``bands`` declared, ``a - b`` / ``a to b`` is a
band with low ``a``, high ``b`` and midpoint ``(a + b) / 2``; ``<b`` (``under b``, ``up
to b``) is the band ``0 - b`` (pay is not negative); ``>a`` (``a+``, ``over a``) has
low ``a``, no high and no midpoint, unless the mapping says ``open_top: bound``, which
takes ``a`` as the figure (an underestimate).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from fdsa import taxonomy

BLANKS = frozenset({"", "nan", "null", "none", "n/a", "na", "-"})
"""Texts that mean "not given" (any case), as in ``fdsa_unblank``; ``NA`` in a country
column is Namibia (map it to null with ``values`` when the file means "not applicable")."""

SUFFIXES: dict[str, int] = {"k": 1_000, "m": 1_000_000}
"""Amount suffixes (any case): thousand and million."""

DEFAULT_SYMBOLS: dict[str, str] = {"$": "USD", "US$": "USD"}
"""Currency signs understood when a mapping declares none (ISO codes always are)."""

PLAUSIBLE: dict[str, tuple[Decimal, Decimal]] = {
    "hourly_low": (Decimal(0), Decimal(1_000)),
    "hourly_high": (Decimal(0), Decimal(1_000)),
    "budget": (Decimal(0), Decimal(1_000_000)),
    "salary": (Decimal(1), Decimal(10**12)),
    "salary_in_usd": (Decimal(100), Decimal(5_000_000)),
}
"""Plausible range of each amount field; outside it a row is rejected with the range.

Hourly rates in USD an hour, budgets in USD, yearly pay in its currency (``salary``: wide
enough for any currency; in USD the ``salary_in_usd`` range applies too). A mapping can
set its own under ``ranges:``.
"""


class Refused(ValueError):
    """A text a field cannot take; ``str()`` is the reason stored in ``rejects``."""


def shown(text: str) -> str:
    """A text as quoted in a reason: at most 80 characters, in quotes."""
    text = text if len(text) <= 80 else text[:77] + "..."
    return repr(text)


_EXCEL_DATE = re.compile(
    r"(?i)(\d{1,2}-(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)-\d{2,4}"
    r"|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}( 00:00(:00)?)?)"
)


def excel_hint(text: str) -> str:
    """A hint for texts like ``2-Jan``: a spreadsheet made a date of a code; else ''."""
    return (
        " (looks like a date a spreadsheet made of a code)" if _EXCEL_DATE.fullmatch(text) else ""
    )


def is_blank(text: str | None) -> bool:
    """Whether ``text`` means "not given" (:data:`BLANKS`, surrounding spaces ignored)."""
    return text is None or text.strip().lower() in BLANKS


# ---------------------------------------------------------------- amounts


@dataclass(frozen=True)
class AmountFormat:
    """How a file writes amounts (declared in its mapping).

    Attributes
    ----------
    decimal
        Decimal separator: ``.`` or ``,``.
    thousands
        Thousands separator (``,``, ``.``, ``' '``, ``'``, or ``''`` for none); None when
        not declared: then ``,`` groups are read as thousands and ``1.000`` (one to three
        digits, a dot, three digits) is refused as ambiguous.
    suffixes
        Whether ``k`` and ``m`` suffixes are read.
    symbols
        Currency sign → ISO 4217 code.
    bands
        Whether pay bands are read (else a band is refused).
    open_top
        ``none``: an open top band (``>a``) has no figure; ``bound``: its figure is ``a``.
    """

    decimal: str = "."
    thousands: str | None = None
    suffixes: bool = True
    symbols: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_SYMBOLS))
    bands: bool = False
    open_top: str = "none"


@dataclass(frozen=True)
class Amount:
    """A parsed amount or band: ``lo`` and ``hi`` bounds, ``point`` figure, ``currency``.

    An exact amount has ``lo == hi == point``; an open top band has ``hi`` None.
    """

    lo: Decimal
    hi: Decimal | None
    point: Decimal | None
    currency: str | None


_SCIENTIFIC = re.compile(r"\d[eE][+-]?\d")
_CORE = re.compile(r"\d[\d.,' \u00a0\u202f]*")


def _digits(core: str, fmt: AmountFormat, text: str) -> Decimal:
    """Value of the numeric ``core`` under the file's separators."""
    core = core.replace("\u00a0", " ").replace("\u202f", " ").strip()
    decimal = re.escape(fmt.decimal)
    if fmt.thousands is None:
        if re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", core):
            raise Refused(
                f"ambiguous amount: {shown(text)} is {core.replace('.', '')} with '.' as "
                f"thousands separator, {core} as decimal point; declare the file's decimal "
                "and thousands separators in the mapping"
            )
        groups = r"\d{1,3}(,\d{3})+"
    elif fmt.thousands == "":
        groups = r"\d+"
    else:
        groups = r"\d{1,3}(" + re.escape(fmt.thousands) + r"\d{3})+"
    if re.fullmatch(rf"(\d+|{groups})({decimal}\d+)?", core):
        plain = core if fmt.thousands in (None, "") else core.replace(fmt.thousands, "")
        plain = plain.replace(",", "") if fmt.thousands is None else plain
        return Decimal(plain.replace(fmt.decimal, "."))
    hint = ""
    if fmt.thousands is None and re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d{1,2}", core):
        hint = " (European separators? declare decimal: ',' and thousands: '.')"
    raise Refused(f"not a number: {shown(text)}{hint}")


def _sign(token: str, fmt: AmountFormat, text: str) -> str | None:
    """ISO 4217 code of a currency sign written before or after a number (None if none)."""
    token = token.strip()
    if not token:
        return None
    if token in fmt.symbols:
        return fmt.symbols[token]
    if token.upper() in taxonomy.CURRENCY_CODES:
        return token.upper()
    if re.search(r"[/%]|\bper\b|\b(hour|hr|year|yr|month|mo|week|day)s?\b", token, re.I):
        raise Refused(f"not a plain amount: {shown(text)} (a unit or rate; give yearly figures)")
    raise Refused(
        f"unknown currency sign: {token!r} in {shown(text)} (declare it under currency_symbols)"
    )


def parse_number(text: str, fmt: AmountFormat) -> tuple[Decimal, str | None]:
    """One amount: ``$50,000``, ``50k``, ``EUR 1.200,50`` (declared) → value and currency.

    Raises
    ------
    Refused
        Not a number, ambiguous separators, scientific notation, an undeclared sign.
    """
    raw = text.strip()
    if _SCIENTIFIC.search(raw):
        raise Refused(
            f"not a plain number: {shown(text)} (scientific notation, as spreadsheets write "
            "long numbers: digits may be lost)"
        )
    negative = False
    body = raw
    match = _CORE.search(body)
    if match is None:
        raise Refused(f"not a number: {shown(text)}")
    prefix, core, rest = body[: match.start()], match.group(), body[match.end() :]
    if prefix.rstrip().endswith("-") or prefix.lstrip().startswith("-"):
        negative = True
        prefix = prefix.replace("-", "", 1)
    if core.rstrip(" ',.") != core.rstrip():
        # a separator right before the suffix or sign belongs to neither: "50.k", "50,"
        raise Refused(f"not a number: {shown(text)}")
    multiplier = 1
    suffix = re.match(r"\s*([kKmM])(?![A-Za-z])", rest)
    if suffix:
        if not fmt.suffixes:
            raise Refused(f"not a number: {shown(text)} (k/m suffixes not declared)")
        multiplier = SUFFIXES[suffix.group(1).lower()]
        rest = rest[suffix.end() :]
    with localcontext() as exact:  # suffixes and midpoints must not round long numbers
        exact.prec = 1000
        value = _digits(core, fmt, text) * multiplier
    before, after = _sign(prefix, fmt, text), _sign(rest, fmt, text)
    if before and after and before != after:
        raise Refused(f"two currencies: {before} and {after} in {shown(text)}")
    return (-value if negative else value), before or after


_OPEN_LOW = re.compile(r"(?i)\s*(<=?|≤|under|below|less than|up to)\s*(?P<x>.+?)\s*")
_OPEN_HIGH = re.compile(
    r"(?i)\s*(>=?|≥|over|above|more than)\s*(?P<x>.+?)\s*|\s*(?P<y>.+?)\s*"
    r"(\+|or more|and (above|over|up))\s*"
)
_BAND = re.compile(
    r"(?i)\s*(?P<a>.+?)(\s+-\s+|\s*[–—]\s*|\s+to\s+|(?<=[\dkKmM])-(?=\D*\d))(?P<b>.+)"
)


def _band_parts(raw: str) -> tuple[str | None, str | None] | None:
    """``(low text, high text)`` of a band written as text (None when it is not one)."""
    if m := _OPEN_LOW.fullmatch(raw):
        return None, m.group("x")
    if m := _OPEN_HIGH.fullmatch(raw):
        return m.group("x") or m.group("y"), None
    if (m := _BAND.fullmatch(raw)) and re.search(r"\d", m.group("a")):
        return m.group("a"), m.group("b")
    return None


def parse_amount(text: str, fmt: AmountFormat) -> Amount:
    """An amount or, when ``fmt.bands``, a pay band; see the module docstring for the rules.

    Examples
    --------
    >>> parse_amount("$40,000 - $60,000", AmountFormat(bands=True)).point
    Decimal('50000')
    >>> parse_amount("50.000", AmountFormat(decimal=",", thousands=".")).point
    Decimal('50000')
    """
    raw = text.strip()
    parts = _band_parts(raw) if not re.fullmatch(r"-\s*\S+", raw) else None
    if parts is None:
        value, currency = parse_number(raw, fmt)
        return Amount(value, value, value, currency)
    if not fmt.bands:
        raise Refused(f"a pay band: {shown(text)} (declare bands: true for this column)")
    low_text, high_text = parts
    low, low_currency = parse_number(low_text, fmt) if low_text else (Decimal(0), None)
    high, high_currency = parse_number(high_text, fmt) if high_text else (None, None)
    if low_currency and high_currency and low_currency != high_currency:
        raise Refused(f"two currencies: {low_currency} and {high_currency} in {shown(text)}")
    if low < 0 or (high is not None and high < 0):
        raise Refused(f"negative amount: {shown(text)}")
    if high is not None and low > high:
        raise Refused(f"band low above its high: {shown(text)}")
    point: Decimal | None
    if high is not None:
        with localcontext() as exact:
            exact.prec = 1000
            point = (low + high) / 2
    else:
        point = low if fmt.open_top == "bound" else None
    return Amount(low, high, point, low_currency or high_currency)


def check_range(amount: Amount, text: str, bounds: tuple[Decimal, Decimal]) -> None:
    """Refuse an amount whose figure is below ``bounds`` or whose any end is above it."""
    low, high = bounds
    ends = [v for v in (amount.lo, amount.hi, amount.point) if v is not None]
    if (amount.point is not None and amount.point < low) or any(v > high for v in ends):
        raise Refused(
            f"implausible amount: {shown(text)} (plausible: {plain_decimal(low)} to "
            f"{plain_decimal(high)})"
        )


def plain_decimal(value: Decimal | None) -> str | None:
    """``value`` as plain digits (no exponent), for SQL to cast: ``Decimal('5E+4')`` → ``50000``."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------- codes, countries, dates


def parse_code(text: str, allowed: tuple[str, ...]) -> str:
    """``text`` (trimmed) when it is one of ``allowed``, as written; else :class:`Refused`."""
    value = text.strip()
    if value in allowed:
        return value
    raise Refused(f"not one of {', '.join(allowed)}: {shown(value)}{excel_hint(value)}")


def parse_year(text: str) -> int:
    """A year between 1990 and 2100 written as four digits."""
    value = text.strip()
    if re.fullmatch(r"\d{4}", value) and 1990 <= int(value) <= 2100:
        return int(value)
    raise Refused(f"not a year: {shown(value)}")


def parse_date(text: str) -> str:
    """An ISO date ``YYYY-MM-DD`` (returned as written)."""
    from datetime import date

    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            date.fromisoformat(value)
            return value
    except ValueError:
        pass
    raise Refused(f"not a date (YYYY-MM-DD): {shown(value)}")


def parse_currency(text: str) -> str:
    """An ISO 4217 currency code (any case) → the code."""
    value = text.strip()
    if value.upper() in taxonomy.CURRENCY_CODES:
        return value.upper()
    raise Refused(f"not an ISO 4217 currency code: {shown(value)}")


@dataclass(frozen=True)
class Place:
    """Where a survey answer puts someone: an ISO-2 ``country`` or only a ``region``.

    ``region`` is a slug of ``taxonomy.REGIONS``; ``area`` the answer as given when it
    names a region and no country.
    """

    country: str | None
    region: str
    area: str | None


def parse_place(text: str, regions: Mapping[str, str] | None = None) -> Place:
    """A country name or code (:func:`fdsa.taxonomy.country_code`), or a declared region.

    ``regions`` maps answers that name a region, not a country (``Other Europe``), to a
    slug of ``taxonomy.REGIONS``.
    """
    value = " ".join(text.split())
    code = taxonomy.country_code(value)
    if code is not None:
        return Place(code, taxonomy.region_of(code), None)
    if regions and value in regions:
        return Place(None, regions[value], value)
    hint = " (an answer naming a region: declare it under regions)" if regions is None else ""
    raise Refused(f"not a country: {shown(value)}{hint}{excel_hint(value)}")


def apply_values(text: str, values: Mapping[str, str | None]) -> str | None:
    """The mapping's value for ``text`` (trimmed, exact) when listed, else ``text`` itself.

    A map need not list every text: what it does not list goes on to the field's own
    check (a code field then refuses anything but its codes).
    """
    value = text.strip()
    return values[value] if value in values else value


def declared(values: Mapping[str, str | None]) -> str:
    """`` (declared values: 'a', 'b', ...)`` for reasons."""
    listed = ", ".join(repr(k) for k in list(values)[:8]) + (", ..." if len(values) > 8 else "")
    return f" (declared values: {listed})"
