"""Declared parameters of every report, checked before any kernel starts.

Each report declares its parameters here (name, type, allowed values or range,
default). :func:`validate` refuses undeclared names, wrong types, values outside
the allowed set or range, dates that are not ISO dates and free text that looks
like a path or code, with a message saying what is wrong. Only declared names
ever reach papermill, and the runner adds ``warehouse`` itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from fdsa import taxonomy
from fdsa.analysis.channels import TENURE_BUCKETS

ALL = "all"
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,40}")
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9 _.:+-]{0,80}")
_EARLIEST, _LATEST = date(1990, 1, 1), date(2100, 12, 31)


@dataclass(frozen=True)
class Param:
    """One notebook parameter: its type, allowed values or range, and default.

    ``is_date`` marks a ``str`` holding an ISO date (``YYYY-MM-DD``); a ``str``
    with neither ``choices`` nor ``is_date`` accepts plain text only (letters,
    digits, space and ``_.:+-``; never ``/`` or ``..``).
    """

    name: str
    type: type
    default: object
    choices: tuple[str, ...] | None = None
    lo: float | None = None
    hi: float | None = None
    help: str = ""
    is_date: bool = False

    def __post_init__(self) -> None:
        if not _IDENTIFIER.fullmatch(self.name) or self.name == "warehouse":
            raise ValueError(f"not a declarable parameter name: {self.name!r}")
        if self.type not in (str, int, float):
            raise ValueError(f"parameter {self.name}: type must be str, int or float")

    def coerce(self, raw: object) -> object:
        """The value as the declared type, or ValueError saying what is wrong."""
        value = self._typed(raw)
        if self.choices is not None and value not in self.choices:
            raise ValueError(
                f"parameter {self.name} must be one of {', '.join(self.choices)}; got {raw!r}"
            )
        if self.lo is not None and value < self.lo or self.hi is not None and value > self.hi:
            raise ValueError(
                f"parameter {self.name} must be in [{self.lo}, {self.hi}]; got {raw!r}"
            )
        if self.is_date:
            _check_iso_date(self.name, value)
        elif self.type is str and self.choices is None:
            _check_plain_text(self.name, value)
        return value

    def _typed(self, raw: object) -> object:
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise ValueError(f"parameter {self.name} must be {self.type.__name__}, got {raw!r}")
        if isinstance(raw, str) and self.type is not str:
            try:
                return self.type(raw.strip())
            except ValueError:
                raise ValueError(
                    f"parameter {self.name} must be {self.type.__name__}, got {raw!r}"
                ) from None
        if self.type is float and isinstance(raw, int):
            return float(raw)
        if not isinstance(raw, self.type):
            raise ValueError(f"parameter {self.name} must be {self.type.__name__}, got {raw!r}")
        return raw


def _check_iso_date(name: str, value: object) -> None:
    text = str(value)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or len(text) != 10 or not _EARLIEST <= day <= _LATEST:
        raise ValueError(f"parameter {name} must be an ISO date (YYYY-MM-DD); got {value!r}")


def _check_plain_text(name: str, value: object) -> None:
    text = str(value)
    if not _PLAIN_TEXT.fullmatch(text) or ".." in text:
        raise ValueError(
            f"parameter {name} must be plain text (letters, digits, space, _.:+-; "
            f"no paths); got {value!r}"
        )


NICHE = Param("niche", str, ALL, (ALL, *taxonomy.NICHES), help="niche, or all")
REGION = Param("region", str, ALL, (ALL, *taxonomy.REGIONS), help="client region, or all")
SINCE = Param("since", str, "2021-01-01", help="ISO date", is_date=True)

REPORTS: dict[str, tuple[str, tuple[Param, ...]]] = {
    "market_overview": ("Market overview", (SINCE,)),
    "niche_explorer": (
        "Niche explorer",
        (Param("niche", str, "llm_applications", taxonomy.NICHES, help="niche"), REGION, SINCE),
    ),
    "rate_advisor": (
        "Rate advisor",
        (
            Param("niche", str, "finance_fintech", taxonomy.NICHES, help="niche"),
            Param("region", str, "north_america", taxonomy.REGIONS, help="freelancer region"),
            Param("experience_years", float, 5.0, lo=0, hi=60, help="years of experience"),
            Param("n_reviews", int, 10, lo=0, hi=10_000, help="client reviews on the profile"),
            Param("rating", float, 4.8, lo=1, hi=5, help="mean stars of those reviews"),
        ),
    ),
    "channel_strategy": (
        "Channel strategy",
        (Param("tenure", str, TENURE_BUCKETS[0], TENURE_BUCKETS, help="career stage"), NICHE),
    ),
    "research_reputation": (
        "Research: reputation and rating inflation",
        (NICHE, SINCE, Param("until", str, "2100-01-01", help="ISO date, exclusive", is_date=True)),
    ),
    "warehouse_overview": ("Warehouse overview", (NICHE, SINCE)),
}
"""Report name → (title, declared parameters). The notebook is notebooks/<name>.ipynb."""


def title_of(report: str) -> str:
    """The human title of a declared report."""
    return REPORTS[report][0]


def validate(report: str, raw: dict[str, object]) -> dict[str, object]:
    """Checked parameters (defaults filled in); ValueError on anything undeclared or wrong.

    Parameters
    ----------
    report
        A name declared in :data:`REPORTS`.
    raw
        Parameter name → value (text from the command line, or YAML scalars).

    Returns
    -------
    dict
        Every declared parameter, in declaration order, typed and checked.
    """
    if not isinstance(report, str) or not _IDENTIFIER.fullmatch(report) or report not in REPORTS:
        raise ValueError(f"unknown report {report!r}; choose one of {', '.join(REPORTS)}")
    if not isinstance(raw, dict):
        raise ValueError(f"parameters of {report} must be a mapping; got {raw!r}")
    declared = {p.name: p for p in REPORTS[report][1]}
    unknown = [k for k in raw if k not in declared]
    if unknown:
        shown = ", ".join(repr(k) for k in unknown)
        raise ValueError(
            f"unknown parameter {shown} for report {report}; it takes "
            f"{', '.join(declared) or 'no parameters'}"
        )
    return {name: p.coerce(raw[name]) if name in raw else p.default for name, p in declared.items()}


def parse_pairs(pairs: list[str]) -> dict[str, str]:
    """``["key=value", ...]`` from the command line into a dict (values stay text)."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"parameters are key=value; got {pair!r}")
        if key.strip() in out:
            raise ValueError(f"parameter {key.strip()!r} given twice")
        out[key.strip()] = value
    return out
