"""What a report notebook shows: headline numbers, escaped tables, offline plotly figures."""

from __future__ import annotations

import base64
import html
import re

import pandas as pd
from IPython.display import HTML, display

HEADLINE_MIME = "application/vnd.fdsa.headline+json"
"""MIME type of the machine-readable copy of a headline; the runner collects these."""

_FILE_STEM = re.compile(r"[^A-Za-z0-9_.-]+")


def headline_bundle(
    text: str, *, value: float | int | str | None = None, label: str | None = None
) -> dict[str, object]:
    """The display bundle of a headline: escaped HTML plus a machine-readable copy.

    Parameters
    ----------
    text
        The headline sentence, with its number written in words and digits.
    value
        The number itself, for the index and manifest (optional).
    label
        A short stable key for ``value``, e.g. ``"jobs_per_month"`` (optional).
    """
    record: dict[str, object] = {"text": str(text)}
    if value is not None:
        record["value"] = value
    if label is not None:
        record["label"] = str(label)
    return {
        HEADLINE_MIME: record,
        "text/html": f'<p class="fdsa-headline">{html.escape(str(text))}</p>',
        "text/plain": str(text),
    }


def headline(
    text: str, *, value: float | int | str | None = None, label: str | None = None
) -> None:
    """Show one headline sentence and record it for the report index (escaped).

    Reports open with 3–5 of these; the runner lifts them to the top of the page and
    copies them into ``reports/index.html`` and ``reports/manifest.json``.
    """
    display(headline_bundle(text, value=value, label=label), raw=True)


def csv_download_link(df: pd.DataFrame, name: str) -> str:
    """An ``<a download>`` link carrying ``df`` as a CSV ``data:`` URI (no network, no file)."""
    data = base64.b64encode(df.to_csv(index=False).encode()).decode()
    stem = _FILE_STEM.sub("_", str(name)).strip("._") or "data"
    return (
        f'<a class="fdsa-csv" download="{stem}.csv" href="data:text/csv;base64,{data}">'
        f"download {stem}.csv</a>"
    )


def show_table(df: pd.DataFrame, name: str, *, digits: int = 3, max_rows: int = 200) -> None:
    """Show a DataFrame as an escaped, sortable HTML table with a CSV download of all rows."""
    shown = df.head(max_rows).round(digits)
    table = shown.to_html(index=False, escape=True, classes="fdsa-table sortable", border=0)
    display(HTML(f"{table}<p>{csv_download_link(df, name)} ({len(df)} rows)</p>"))


def show_figure(fig, data: pd.DataFrame | None = None, name: str = "figure") -> None:
    """Show a plotly figure drawn by the page's shared plotly.js; see ``fdsa.reporting.plots``."""
    from fdsa.reporting.plots import show_figure as show

    show(fig, data, name)
