"""A report page as a notebook draws it: the warehouse's facts and the sections they serve.

A notebook opens the warehouse, makes one :class:`Page` and opens each section with
``if page.section("id"):``. A section whose facts the warehouse lacks shows a note
(what is missing, how to get it) instead of raising or drawing NaN::

    con = open_warehouse(warehouse)
    page = Page(con, "niche_explorer")
    if page.section("competition"):
        ...  # only runs when the warehouse holds proposals
"""

from __future__ import annotations

import duckdb

from fdsa.reporting.display import meaning, note
from fdsa.reporting.params import REPORTS, Report
from fdsa.reporting.provenance import missing_sentence, resolve_window
from fdsa.warehouse.facts import FACTS, Holdings, holdings


class Page:
    """The facts of one warehouse, read once, and the declared sections of one report."""

    def __init__(self, con: duckdb.DuckDBPyConnection, report: str) -> None:
        if report not in REPORTS:
            raise ValueError(f"unknown report {report!r}")
        self.con = con
        self.report: Report = REPORTS[report]
        self.held: Holdings = holdings(con)

    def has(self, *facts: str) -> bool:
        """True when the warehouse holds every one of ``facts``."""
        return not self.held.missing(facts)

    def section(self, section_id: str) -> bool:
        """True when the section can be drawn; otherwise show why not and return False."""
        section = self.report.section(section_id)
        missing = self.held.missing(section.needs)
        if missing:
            note(f"Not shown: this section {missing_sentence(missing)}.")
            return False
        return True

    def without(self, fact: str, what: str) -> bool:
        """True (after a note saying so) when ``fact`` is missing: ``what`` is left out."""
        if fact not in FACTS:
            raise ValueError(f"unknown fact {fact!r}")
        if self.has(fact):
            return False
        note(f"{what} not shown: this warehouse {missing_sentence([(fact,)])}.")
        return True

    def means(self, *sentences: str) -> None:
        """Add sentences to the page's "What this means for these parameters" paragraph.

        Call from a section, after its numbers, with sentences that read them (see
        :mod:`fdsa.reporting.words`); empty sentences are left out.
        """
        text = " ".join(s.strip() for s in sentences if s and s.strip())
        if text:
            meaning(text)

    def window(self, since: str | None, until: str | None = None) -> str:
        """The window of the postings read, in words: ``2023-01-03 to 2024-04-28``."""
        values = {"since": since, "until": until}
        span = resolve_window(self.report, values, self.held)
        return f"{span['first']} to {span['last']}" if span else "all the data"
