"""Reports: thin notebooks run by papermill into self-contained, offline HTML.

Notebooks open a :class:`Page` (the warehouse's facts and the report's sections),
open each section with ``if page.section(id):`` and call the helpers here to show
numbers, tables and figures; everything they show from data is escaped, and missing
values are written in words. Figures come from :mod:`~fdsa.reporting.charts` (one
template, sorted and highlighted shapes), names and units from
:mod:`~fdsa.reporting.labels`, and the page's "what this means" sentences from
:mod:`~fdsa.reporting.words` through ``page.means``. ``runner.run_report`` validates
parameters and checks the warehouse before any kernel starts, executes the notebook
and publishes the HTML atomically inside the frame of :mod:`~fdsa.reporting.layout`.
"""

from fdsa.reporting import charts, labels, words
from fdsa.reporting.display import (
    count,
    csv_download_link,
    headline,
    interval,
    note,
    number,
    pct,
    show_table,
    usd,
)
from fdsa.reporting.page import Page
from fdsa.reporting.plots import show_figure

__all__ = [
    "Page",
    "charts",
    "labels",
    "words",
    "count",
    "csv_download_link",
    "headline",
    "interval",
    "note",
    "number",
    "pct",
    "show_figure",
    "show_table",
    "usd",
]
