"""What a warehouse holds, and which facts the analyses and reports can draw from it.

A warehouse may hold the simulated market (every table), real postings only (jobs,
from dumps that carry no proposals, contracts or reviews), real salaries only, or a mix.
:func:`holdings` counts what is there and where it came from; :data:`FACTS` names each
fact a report section may need, with the sentence that says how to get it when it is
missing. Nothing here guesses: a fact is available when the rows that carry it exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd

from fdsa.warehouse import db

SIMULATED = "synthetic"
"""``jobs.source`` and ``ingest_runs.format`` of rows the simulated market wrote."""

_MARKET_HOW = (
    "only platform records carry them, and no public dump does: build the simulated "
    "market with `fdsa synth` to study them on a test bench with known truth"
)


@dataclass(frozen=True)
class Fact:
    """A fact a report section may need: what it is, and how a user gets it."""

    name: str
    label: str
    how_to_get: str


FACTS: dict[str, Fact] = {
    f.name: f
    for f in (
        Fact(
            "postings",
            "job postings",
            "load a postings dump (`fdsa ingest FILE --format postings-csv`, or feed-json, "
            "mapped) or build the simulated market (`fdsa synth`)",
        ),
        Fact(
            "posted_hourly",
            "postings with a posted hourly range",
            "load postings whose dump gives hourly ranges (`fdsa ingest FILE --format "
            "postings-csv` with hourly_low/hourly_high, or feed-json with 'Hourly Range')",
        ),
        Fact(
            "posted_fixed",
            "postings with a fixed-price budget",
            "load postings whose dump gives fixed budgets (`fdsa ingest FILE --format "
            "postings-csv` with a budget column, or feed-json with 'Budget')",
        ),
        Fact(
            "skills",
            "postings with skill tags",
            "load a feed or mapped file with a skills column (`fdsa ingest FILE --format "
            "feed-json` or `--format mapped`; postings-csv dumps carry none)",
        ),
        Fact(
            "client_region",
            "postings with a client country",
            "load postings whose dump names the client's country (`fdsa ingest FILE` with a "
            "country column)",
        ),
        Fact(
            "demand_history",
            "12 or more months of postings",
            "load postings covering a longer period: `fdsa ingest` older or newer dumps into the "
            "same warehouse",
        ),
        Fact("proposals", "decided proposals (hired or not)", _MARKET_HOW),
        Fact("contracts", "agreed hourly contracts (50 or more)", _MARKET_HOW),
        Fact("profiles", "freelancer profiles", _MARKET_HOW),
        Fact("reviews", "client reviews (20 or more)", _MARKET_HOW),
        Fact(
            "salaries",
            "salary survey records",
            "load the shipped aijobs.net salary index: `fdsa ingest "
            "data/raw/aijobs_salaries/salaries.csv --format aijobs-salaries`",
        ),
        Fact("truth", "planted truth of the simulated market", "build it with `fdsa synth`"),
    )
}
"""Every fact a report section can declare it needs, by name."""

MIN_HOURLY_CONTRACTS = 50  # the rate model refuses fewer
MIN_DECIDED_PROPOSALS = 50  # the hiring model refuses fewer
MIN_CLIENT_REVIEWS = 20  # rating inflation refuses fewer
MIN_DEMAND_MONTHS = 12.0  # a trend over less than a year is mostly season


@dataclass(frozen=True)
class PostingSource:
    """Postings of one ``jobs.source``: how many, when, and what they carry."""

    source: str
    n_jobs: int
    first_posted: date
    last_posted: date
    n_hourly_range: int
    n_fixed_budget: int
    n_placeholder_budget: int
    n_with_skills: int
    n_with_client_country: int


@dataclass(frozen=True)
class SalarySnapshot:
    """One load of a salary dataset (a snapshot of a survey that is republished)."""

    ingest_run_id: int
    dataset: str
    file: str
    loaded_at: datetime
    n_rows: int
    first_year: int | None  # None when the survey gives neither a work year nor a period
    last_year: int | None
    n_freelance: int
    is_latest: bool  # the newest snapshot of its dataset: the one reports read by default

    @property
    def years(self) -> str:
        """``work years 2020 to 2025``, or that the survey gives no year."""
        if self.first_year is None:
            return "no work year or period given"
        return f"work years {self.first_year} to {self.last_year}"


@dataclass(frozen=True)
class Load:
    """A finished load recorded in ``ingest_runs``."""

    ingest_run_id: int
    source: str
    format: str
    started_at: datetime
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_duplicate: int


@dataclass(frozen=True)
class Holdings:
    """What one warehouse holds: counts, spans, sources, and the facts they make available."""

    postings: tuple[PostingSource, ...]
    n_profiles: int
    n_clients: int
    n_decided_proposals: int
    n_contracts: int
    n_hourly_contracts: int
    n_client_reviews: int
    n_rate_history: int
    n_truth: int
    salaries: tuple[SalarySnapshot, ...]
    loads: tuple[Load, ...]
    build: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------ postings, all sources

    @property
    def n_jobs(self) -> int:
        """Postings of every source."""
        return sum(p.n_jobs for p in self.postings)

    @property
    def first_posted(self) -> date | None:
        """Day of the first posting, or None without postings."""
        return min((p.first_posted for p in self.postings), default=None)

    @property
    def last_posted(self) -> date | None:
        """Day of the last posting, or None without postings."""
        return max((p.last_posted for p in self.postings), default=None)

    @property
    def span_months(self) -> float:
        """Length of the postings' span in months of 30.4375 days (0 without postings)."""
        if self.first_posted is None or self.last_posted is None:
            return 0.0
        return ((self.last_posted - self.first_posted).days + 1) / 30.4375

    def count(self, attribute: str) -> int:
        """Sum of one ``PostingSource`` count over every source (e.g. ``n_hourly_range``)."""
        return sum(int(getattr(p, attribute)) for p in self.postings)

    def share(self, attribute: str) -> float:
        """``count(attribute)`` as a share of all postings (0 without postings)."""
        return self.count(attribute) / self.n_jobs if self.n_jobs else 0.0

    # ------------------------------------------------------------ where rows came from

    @property
    def is_simulated(self) -> bool:
        """True when any row comes from the simulated market."""
        return any(load.format == SIMULATED for load in self.loads)

    @property
    def real_posting_sources(self) -> tuple[PostingSource, ...]:
        """Posting sources that are real files (not the simulated market)."""
        return tuple(p for p in self.postings if p.source != SIMULATED)

    @property
    def latest_salaries(self) -> tuple[SalarySnapshot, ...]:
        """The newest snapshot of each salary dataset (what reports use by default)."""
        return tuple(s for s in self.salaries if s.is_latest)

    # ------------------------------------------------------------ facts

    @property
    def available(self) -> frozenset[str]:
        """Names of the :data:`FACTS` this warehouse can serve."""
        have = {
            "postings": self.n_jobs > 0,
            "posted_hourly": self.count("n_hourly_range") > 0,
            "posted_fixed": self.count("n_fixed_budget") > 0,
            "skills": self.count("n_with_skills") > 0,
            "client_region": self.count("n_with_client_country") > 0,
            "demand_history": self.span_months >= MIN_DEMAND_MONTHS,
            "proposals": self.n_decided_proposals >= MIN_DECIDED_PROPOSALS,
            "contracts": self.n_hourly_contracts >= MIN_HOURLY_CONTRACTS,
            "profiles": self.n_profiles > 0,
            "reviews": self.n_client_reviews >= MIN_CLIENT_REVIEWS,
            "salaries": bool(self.salaries),
            "truth": self.n_truth > 0,
        }
        return frozenset(name for name, ok in have.items() if ok)

    def missing(self, needs: tuple[str | tuple[str, ...], ...]) -> list[tuple[str, ...]]:
        """The needs this warehouse cannot serve; each is one fact or a tuple of alternatives."""
        have = self.available
        out = []
        for need in needs:
            options = (need,) if isinstance(need, str) else tuple(need)
            unknown = [o for o in options if o not in FACTS]
            if unknown:
                raise ValueError(f"unknown fact {unknown[0]!r}; facts are {', '.join(FACTS)}")
            if not any(o in have for o in options):
                out.append(options)
        return out


def _rows(con: duckdb.DuckDBPyConnection, name: str) -> list[tuple]:
    return con.execute(db.read_sql("fdsa.warehouse.sql", name)).fetchall()


def _day(value: datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


_MARKET_COUNTS = (
    "n_profiles",
    "n_clients",
    "n_decided_proposals",
    "n_contracts",
    "n_hourly_contracts",
    "n_client_reviews",
    "n_rate_history",
    "n_truth",
)
"""The :class:`Holdings` counts, in the column order of ``holdings_market.sql``."""


def holdings(con: duckdb.DuckDBPyConnection) -> Holdings:
    """Count what the warehouse behind ``con`` holds and where each part came from.

    Parameters
    ----------
    con
        A warehouse connection (read-only is enough).

    Returns
    -------
    Holdings
        Posting counts per source (with the share carrying hourly ranges, budgets,
        skills and a client country), market-table counts, salary snapshots (the
        newest per dataset flagged), the finished loads, ``build_info``, and through
        :attr:`Holdings.available` the facts those rows make available.
    """
    postings = tuple(
        PostingSource(r[0], int(r[1]), _day(r[2]), _day(r[3]), *map(int, r[4:]))
        for r in _rows(con, "holdings_postings")
    )
    market = _rows(con, "holdings_market")[0]
    seen: set[str] = set()
    salaries = []
    for run_id, dataset, file, loaded_at, n, first, last, n_fl in _rows(con, "holdings_salaries"):
        salaries.append(
            SalarySnapshot(
                int(run_id),
                dataset,
                file,
                loaded_at,
                int(n),
                first,
                last,
                int(n_fl),
                is_latest=dataset not in seen,
            )
        )
        seen.add(dataset)
    loads = tuple(Load(*r) for r in _rows(con, "holdings_runs"))
    counts = dict(zip(_MARKET_COUNTS, map(int, market), strict=True))
    return Holdings(
        postings,
        **counts,
        salaries=tuple(salaries),
        loads=loads,
        build=db.build_info(con),
    )


def holdings_table(held: Holdings) -> pd.DataFrame:
    """What the warehouse holds as a small table for people: ``what``, ``n``, ``detail``."""
    import pandas as pd

    span = f"{held.first_posted} to {held.last_posted}" if held.n_jobs else ""
    rows = [("job postings", held.n_jobs, span)]
    for attribute, what in (
        ("n_hourly_range", "postings with a posted hourly range"),
        ("n_fixed_budget", "postings with a fixed budget (placeholders of $5 or less apart)"),
        ("n_placeholder_budget", "postings with a placeholder budget of $5 or less"),
        ("n_with_skills", "postings with skill tags"),
        ("n_with_client_country", "postings with a client country"),
    ):
        share = f"{held.share(attribute):.0%} of postings" if held.n_jobs else ""
        rows.append((what, held.count(attribute), share))
    rows += [
        ("freelancer profiles", held.n_profiles, ""),
        ("decided proposals (hired or not)", held.n_decided_proposals, ""),
        (
            "contracts",
            held.n_contracts,
            f"{held.n_hourly_contracts:,} hourly" if held.n_contracts else "",
        ),
        ("client reviews", held.n_client_reviews, ""),
        ("weekly profile-rate snapshots", held.n_rate_history, ""),
    ]
    for s in held.salaries:
        default = "; read by default" if s.is_latest else ""
        rows.append(
            (
                f"salary records: {s.dataset}, ingest run {s.ingest_run_id}",
                s.n_rows,
                f"{s.years}, {s.n_freelance} freelance{default}",
            )
        )
    return pd.DataFrame(rows, columns=["what", "n", "detail"])


def holdings_in_words(held: Holdings) -> str:
    """What the warehouse holds in a sentence or two, and how to get what it lacks.

    >>> empty = Holdings((), 0, 0, 0, 0, 0, 0, 0, 0, (), ())
    >>> holdings_in_words(empty).split(":")[0]
    'This warehouse holds nothing yet'
    """
    n_salaries = sum(s.n_rows for s in held.latest_salaries)
    salaries = (
        f"{n_salaries:,} salary records ({', '.join(s.dataset for s in held.latest_salaries)})"
    )
    if not held.n_jobs and not held.latest_salaries:
        return (
            f"This warehouse holds nothing yet: {FACTS['postings'].how_to_get}; "
            f"{FACTS['salaries'].how_to_get}."
        )
    if not held.n_jobs:
        return (
            f"This warehouse holds {salaries} and no job postings: the salary benchmarks "
            "read them. Niches, posted pay and titles need postings: "
            f"{FACTS['postings'].how_to_get}."
        )
    span = f"from {held.first_posted} to {held.last_posted}"
    text = f"This warehouse holds {held.n_jobs:,} postings {span}"
    if held.n_contracts:
        text += f", {held.n_contracts:,} contracts"
    else:
        text += ", no contracts (agreed rates are not measured)"
    if held.latest_salaries:
        return f"{text} and {salaries}."
    return f"{text} and no salary records ({FACTS['salaries'].how_to_get})."
