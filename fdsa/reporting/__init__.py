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

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

_HOMES = {
    **dict.fromkeys(("charts", "labels", "words"), ""),
    **dict.fromkeys(
        ("count", "csv_download_link", "headline", "interval", "note", "number", "pct",
         "show_table", "usd"),
        ".display",
    ),
    "Page": ".page",
    "show_figure": ".plots",
}  # fmt: skip
"""Where each name of a notebook's ``from fdsa.reporting import ...`` lives. They are
imported on first use: running a report (``fdsa report``, ``fdsa batch``) needs none of
them, nor the pandas, plotly and SciPy behind them, outside the report's kernel."""


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    home = _HOMES[name]
    module = importlib.import_module(f"{__name__}{home or '.' + name}")
    value = module if not home else getattr(module, name)
    globals()[name] = value
    return value


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
