"""Declared parameters of every report, checked before any kernel starts.

Each report declares its parameters here (name, type, allowed values or range,
default). :func:`validate` refuses undeclared names, wrong types, values outside
the allowed set or range, dates that are not ISO dates and free text that looks
like a path or code, with a message saying what is wrong. Only declared names
ever reach papermill, and the runner adds ``warehouse`` itself.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from fdsa import taxonomy
from fdsa.taxonomy import ALL, TENURE_BUCKETS
from fdsa.taxonomy import SALARY_EXPERIENCE_LEVELS as EXPERIENCE_LEVELS
from fdsa.taxonomy import SALARY_ROLES as ROLES

_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,40}")
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9 _.:+-]{0,80}")
_EARLIEST, _LATEST = date(1990, 1, 1), date(2100, 12, 31)


@dataclass(frozen=True)
class Param:
    """One notebook parameter: its type, allowed values or range, and default.

    ``is_date`` marks a ``str`` holding an ISO date (``YYYY-MM-DD``); a ``str``
    with neither ``choices`` nor ``is_date`` accepts plain text only (letters,
    digits, space and ``_.:+-``; never ``/`` or ``..``). A ``default`` of None means
    "from the data" (e.g. the span of the postings); None is then also accepted as
    a value. ``many`` (``str`` only) takes one or more values separated by commas
    (or a YAML list), each checked as above, and passes them on joined by commas.
    """

    name: str
    type: type
    default: object
    choices: tuple[str, ...] | None = None
    lo: float | None = None
    hi: float | None = None
    help: str = ""
    is_date: bool = False
    many: bool = False

    def __post_init__(self) -> None:
        """Refuse names and types a notebook could not take."""
        if not _IDENTIFIER.fullmatch(self.name) or self.name == "warehouse":
            raise ValueError(f"not a declarable parameter name: {self.name!r}")
        if self.type not in (str, int, float):
            raise ValueError(f"parameter {self.name}: type must be str, int or float")
        if self.many and self.type is not str:
            raise ValueError(f"parameter {self.name}: only str parameters take many values")

    def coerce(self, raw: object) -> Any:
        """The value as the declared type, or ValueError saying what is wrong."""
        if raw is None and self.default is None:
            return None
        if self.many:
            return self._many(raw)
        value = self._typed(raw)
        if self.choices is not None:
            value = self._choice(value, raw)
        if self.lo is not None and value < self.lo or self.hi is not None and value > self.hi:
            raise ValueError(
                f"parameter {self.name} must be in [{self.lo}, {self.hi}]; got {raw!r}"
            )
        if self.is_date:
            _check_iso_date(self.name, value)
        elif self.type is str and self.choices is None:
            _check_plain_text(self.name, value)
        return value

    def _many(self, raw: object) -> str:
        """Comma-separated values (or a list), each checked, without repeats, joined by commas."""
        items = (
            raw
            if isinstance(raw, list | tuple)
            else str(raw).split(",")
            if isinstance(raw, str)
            else [raw]
        )
        single = Param(self.name, str, "", self.choices, help=self.help)
        out: list[str] = []
        for item in items:
            if isinstance(item, str) and not item.strip():
                continue
            value = str(single.coerce(item.strip() if isinstance(item, str) else item))
            if value not in out:
                out.append(value)
        if not out:
            raise ValueError(f"parameter {self.name} needs at least one value; got {raw!r}")
        return ",".join(out)

    def _choice(self, value: object, raw: object) -> object:
        """The declared choice ``value`` names, in any case or slug form (``first_year``)."""
        if value in self.choices:  # type: ignore[operator]
            return value
        folded = {fold(c): c for c in self.choices or ()}
        if isinstance(value, str) and fold(value) in folded:
            return folded[fold(value)]
        raise ValueError(
            f"parameter {self.name} must be one of {', '.join(self.choices or ())}; "
            f"got {raw!r}{did_you_mean(str(value), self.choices or ())}"
        )

    def _typed(self, raw: object) -> Any:
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


def fold(text: str) -> str:
    """How choices compare: case, and runs of spaces, ``_`` and ``-``, do not matter.

    ``First_Year``, ``first-year`` and ``first year`` are one value; ``../nlp`` is not
    ``nlp`` (only those separators fold).
    """
    return re.sub(r"[\s_-]+", " ", text.strip().lower())


def did_you_mean(value: str, choices: tuple[str, ...] | list[str]) -> str:
    """``. Did you mean llm_applications?`` for a near miss ('' when nothing is close)."""
    by_fold = {fold(c): c for c in choices}
    close = difflib.get_close_matches(fold(value), list(by_fold), n=3, cutoff=0.6)
    if not close:
        return ""
    return f". Did you mean {' or '.join(by_fold[c] for c in close)}?"


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
SINCE = Param("since", str, None, help="ISO date; default: the first posting", is_date=True)
UNTIL = Param(
    "until", str, None, help="ISO date, exclusive; default: after the last posting", is_date=True
)

Need = str | tuple[str, ...]
"""A fact of ``fdsa.warehouse.facts.FACTS``, or a tuple of facts of which any one will do."""


@dataclass(frozen=True)
class Section:
    """A part of a report page and the warehouse facts it needs to say anything true.

    A notebook opens each section with ``page.section(id)``; when the warehouse lacks
    a fact the section needs, the page shows what is missing and how to get it
    instead of the section's numbers.
    """

    id: str
    title: str
    needs: tuple[Need, ...] = ()


@dataclass(frozen=True)
class Report:
    """A declared report: its notebook, purpose, parameters and sections."""

    name: str
    title: str
    purpose: str
    params: tuple[Param, ...]
    sections: tuple[Section, ...]
    unused_when: tuple[tuple[str, str, object], ...] = ()
    """``(param, other, value)``: ``param`` cannot matter when ``other`` is ``value``, so it
    is set to its default (one page, not one per value that changes nothing)."""

    def section(self, section_id: str) -> Section:
        """The declared section ``section_id`` (ValueError naming the declared ones)."""
        for s in self.sections:
            if s.id == section_id:
                return s
        raise ValueError(
            f"report {self.name} declares no section {section_id!r}; "
            f"it has {', '.join(s.id for s in self.sections)}"
        )


_MARKET = ("proposals", "contracts", "profiles")
_ANY_PAY = ("posted_hourly", "posted_fixed", "contracts")

REPORTS: dict[str, Report] = {
    r.name: r
    for r in (
        Report(
            "market_overview",
            "Market overview",
            "Which niches offer the most demand, pay and growth, and how the market moves.",
            (SINCE, UNTIL),
            (
                Section("ranking", "Niches ranked by opportunity", ("postings",)),
                Section("pay", "Pay by niche", ("postings", _ANY_PAY)),
                Section("growth", "Growth over the last three years", ("demand_history",)),
                Section("channels", "Where clients come from", ("contracts", "profiles")),
                Section("clients", "Where the clients are", ("client_region",)),
                Section("ratings", "Rating inflation", ("reviews",)),
            ),
        ),
        Report(
            "niche_explorer",
            "Niche explorer",
            "One niche against the market: demand, pay, competition, growth and skills.",
            (
                Param("niche", str, "llm_applications", taxonomy.NICHES, help="niche"),
                REGION,
                SINCE,
                UNTIL,
            ),
            (
                Section("demand", "Demand over time", ("postings",)),
                Section("pay", "Pay", ("postings", _ANY_PAY)),
                Section("competition", "Competition", ("proposals",)),
                Section("compare", "Compared with every niche", ("postings",)),
                Section("growth", "Growth", ("demand_history",)),
                Section("skills", "Skills asked for, and skill alliances", ("skills",)),
            ),
        ),
        Report(
            "rate_advisor",
            "Rate advisor",
            "What to charge for a described profile, what clients post, and what moves rates.",
            (
                Param("niche", str, "finance_fintech", taxonomy.NICHES, help="niche"),
                Param("region", str, "north_america", taxonomy.REGIONS, help="freelancer region"),
                Param("experience_years", float, 5.0, lo=0, hi=60, help="years of experience"),
                Param("n_reviews", int, 10, lo=0, hi=10_000, help="client reviews on the profile"),
                Param("rating", float, 4.8, lo=1, hi=5, help="mean stars of those reviews"),
            ),
            (
                # the band and the drivers are the bid model's: every hourly bid
                Section("band", "The rate band for this profile", ("proposals", "profiles")),
                Section("posted", "What clients post in this niche", ("posted_hourly",)),
                Section("drivers", "What moves rates", ("proposals", "profiles")),
                Section(
                    "trajectory",
                    "Rates over tenure (all freelancers in the niche)",
                    ("contracts", "profiles"),
                ),
            ),
            unused_when=(("rating", "n_reviews", 0),),
        ),
        Report(
            "channel_strategy",
            "Channel strategy",
            "Where clients come from at one career stage, and what each channel is worth.",
            (Param("tenure", str, TENURE_BUCKETS[0], TENURE_BUCKETS, help="career stage"), NICHE),
            (
                Section("performance", "How each channel performs at this stage", _MARKET),
                Section("mix", "How the mix shifts with tenure and reputation", _MARKET),
                Section("styles", "Small and wide, or big first?", _MARKET),
            ),
        ),
        # research page (issue 15)
        Report(
            "newcomer_plan",
            "A newcomer's plan",
            "For a described profile: proposals per hire, time to a first contract, what to bid "
            "and which niche and skills.",
            (
                Param(
                    "niches",
                    str,
                    "llm_applications,finance_fintech",
                    taxonomy.NICHES,
                    help="one or more niches, separated by commas",
                    many=True,
                ),
                Param("region", str, "south_asia", taxonomy.REGIONS, help="freelancer region"),
                Param("experience_years", float, 3.0, lo=0, hi=60, help="years of experience"),
                Param("n_reviews", int, 0, lo=0, hi=10_000, help="client reviews on the profile"),
                Param("skills", str, "Python,SQL", help="skills, separated by commas", many=True),
                Param("hours_per_week", float, 20.0, lo=1, hi=80, help="hours a week to offer"),
            ),
            (
                Section("per_hire", "Proposals per hire for this profile", _MARKET),
                Section("first_contract", "Time to a first contract", _MARKET),
                Section("bid", "What to bid", _MARKET),
                Section("niches", "The niches side by side", ("postings",)),
                Section("skills", "What these niches ask for", ("skills",)),
                Section("plan", "The plan", ("postings",)),
            ),
        ),
        Report(
            "research_reputation",
            "Research: reputation, rating inflation and a dated shock",
            "Reviews and hiring with clustered intervals, rating inflation, an event study and"
            " planted truth beside the estimates.",
            (
                NICHE,
                SINCE,
                UNTIL,
                Param(
                    "event_niche",
                    str,
                    "nlp",
                    taxonomy.NICHES,
                    help="niche of the event study",
                ),
                Param("event_date", str, "2022-12-01", help="date of the event", is_date=True),
            ),
            (
                Section("sample", "The sample", ("postings",)),
                Section("hiring", "Who gets hired", ("proposals", "reviews")),
                Section("by_reviews", "Hire rate by reviews on the profile", ("proposals",)),
                Section("channels", "Channels: raw and adjusted", ("proposals", "reviews")),
                Section(
                    "inflation",
                    "Rating inflation, and ratings read against their year",
                    ("reviews",),
                ),
                Section("shock", "Event study around a date", ("postings",)),
                Section("recovery", "Planted truth beside the estimates", ("truth",)),
            ),
        ),
        Report(
            "warehouse_overview",
            "Warehouse overview",
            "What the warehouse holds and where it came from; postings, pay and titles.",
            (NICHE, SINCE, UNTIL),
            (
                Section("holdings", "What this warehouse holds"),
                Section("monthly", "Postings per month", ("postings",)),
                Section("pay", "Pay by niche", ("postings", _ANY_PAY)),
                Section("titles", "Most frequent job titles", ("postings",)),
            ),
        ),
        Report(
            "salary_benchmarks",
            "Salary benchmarks",
            "Real salaries: freelance against contract, part-time and full-time pay.",
            (
                Param("role", str, ALL, (ALL, *ROLES), help="role family, or all"),
                Param(
                    "experience", str, ALL, (ALL, *EXPERIENCE_LEVELS.values()), help="level, or all"
                ),
                Param("region", str, ALL, (ALL, *taxonomy.REGIONS), help="worker region, or all"),
                Param("year", int, None, lo=1990, hi=2100, help="work year; default: all years"),
                Param(
                    "snapshot",
                    str,
                    "latest",
                    help="latest, or the ingest run id of a salary load",
                ),
            ),
            (
                Section(
                    "employment", "Freelance, contract, part-time and full-time pay", ("salaries",)
                ),
                Section("experience", "By experience level", ("salaries",)),
                Section("region", "By region of residence", ("salaries",)),
                Section("years", "Over the years", ("salaries",)),
                Section("data", "The data", ("salaries",)),
            ),
        ),
    )
}
"""Report name → its declaration. The notebook is notebooks/<name>.ipynb."""


def title_of(report: str) -> str:
    """The human title of a declared report."""
    return REPORTS[report].title


def validate(report: str, raw: Mapping[str, object]) -> dict[str, object]:
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
        Every declared parameter, in declaration order, typed and checked (None for
        a parameter left to the data).
    """
    if not isinstance(report, str) or not _IDENTIFIER.fullmatch(report) or report not in REPORTS:
        hint = did_you_mean(report, tuple(REPORTS)) if isinstance(report, str) else ""
        raise ValueError(f"unknown report {report!r}; choose one of {', '.join(REPORTS)}{hint}")
    if not isinstance(raw, Mapping):
        raise ValueError(f"parameters of {report} must be a mapping; got {raw!r}")
    declared = {p.name: p for p in REPORTS[report].params}
    unknown = [k for k in raw if k not in declared]
    if unknown:
        shown = ", ".join(repr(k) for k in unknown)
        hint = did_you_mean(str(unknown[0]), tuple(declared)) if len(unknown) == 1 else ""
        raise ValueError(
            f"unknown parameter {shown} for report {report}; it takes "
            f"{', '.join(declared) or 'no parameters'}{hint}"
        )
    values = {
        name: p.coerce(raw[name]) if name in raw else p.default for name, p in declared.items()
    }
    for name, other, value in REPORTS[report].unused_when:
        if values[other] == value:
            values[name] = declared[name].default
    return values


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
