"""What a report notebook shows: headline numbers, notes, escaped tables, offline figures.

Numbers reach the reader through the formatters here (:func:`usd`, :func:`pct`,
:func:`count`, :func:`interval`), which write a missing or unbounded value in words
instead of ``nan`` or ``inf``; tables show a dash for a missing cell; a figure with
nothing to draw becomes a sentence saying so.
"""

from __future__ import annotations

import base64
import html
import math
import re

import numpy as np
import pandas as pd
from IPython.display import HTML, display

HEADLINE_MIME = "application/vnd.fdsa.headline+json"
"""MIME type of the machine-readable copy of a headline; the runner collects these."""

MISSING = "–"
"""How a table shows a missing value."""

_FILE_STEM = re.compile(r"[^A-Za-z0-9_.-]+")


def _finite(value: object) -> bool:
    try:
        return value is not None and math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def usd(value: object, *, per: str = "", digits: int = 0) -> str:
    """``$1,234`` (``per="h"`` gives ``$19/h``); ``not measured`` when missing."""
    if not _finite(value):
        return "not measured"
    return f"${float(value):,.{digits}f}{'/' + per if per else ''}"  # type: ignore[arg-type]


def pct(value: object, *, digits: int = 0, signed: bool = False) -> str:
    """``12%`` from a share 0.12 (``signed`` gives ``+12%``); ``not measured`` when missing."""
    if not _finite(value):
        return "not measured"
    return f"{float(value):{'+' if signed else ''}.{digits}%}"  # type: ignore[arg-type]


def count(value: object) -> str:
    """``1,234``; ``0`` when missing (a count of nothing)."""
    return f"{int(value):,}" if _finite(value) else "0"  # type: ignore[arg-type]


def number(value: object, *, digits: int = 1, signed: bool = False) -> str:
    """A plain number with ``digits`` decimals; ``not measured`` when missing."""
    if not _finite(value):
        return "not measured"
    return f"{float(value):{'+' if signed else ''},.{digits}f}"  # type: ignore[arg-type]


def interval(lo: object, hi: object, fmt=usd, **kwargs: object) -> str:
    """``95% interval $18–$20``; says so when the sample is too small to bound it."""
    if not (_finite(lo) and _finite(hi)):
        return "too few observations for a 95% interval"
    return f"95% interval {fmt(lo, **kwargs)} to {fmt(hi, **kwargs)}"


def note(text: str) -> None:
    """Show a short note in words (escaped), e.g. why a section shows nothing."""
    display(HTML(f'<p class="fdsa-note">{html.escape(str(text))}</p>'))


def headline_bundle(
    text: str, *, value: float | int | str | None = None, label: str | None = None
) -> dict[str, object]:
    """The display bundle of a headline: escaped HTML plus a machine-readable copy.

    Parameters
    ----------
    text
        The headline sentence, with its number written in words and digits.
    value
        The number itself, for the index and manifest (optional; a missing or
        infinite number is left out rather than recorded as NaN).
    label
        A short stable key for ``value``, e.g. ``"jobs_per_month"`` (optional).
    """
    record: dict[str, object] = {"text": str(text)}
    if isinstance(value, str) or _finite(value):
        record["value"] = value.item() if isinstance(value, np.generic) else value
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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP: CSV Injection)."""

CSV_NOTE = (
    "CSV downloads: text cells that begin with =, +, -, @, a tab or a carriage return start "
    "with an apostrophe (') so that a spreadsheet shows them as text and never runs them."
)
"""The sentence a page with CSV downloads carries about :func:`safe_csv`."""


def _neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv(df: pd.DataFrame) -> str:
    """``df`` as CSV text that a spreadsheet cannot run: the one writer of every CSV fdsa writes.

    Text cells beginning with one of :data:`FORMULA_STARTS` get a leading ``'``
    (OWASP's advice against CSV injection: scraped job titles are controlled by whoever
    posts a job). Numeric columns are written as numbers, untouched: ``-12.5`` stays
    ``-12.5``. Quotes inside cells are escaped by the CSV quoting as usual, and rows end
    in CRLF (RFC 4180), so a line break inside a cell is quoted rather than splitting
    the row.
    """
    out = df.copy()
    for column in out.columns:
        values = out[column]
        if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
            out[column] = values.astype(object).map(_neutralise)
    return out.to_csv(index=False, lineterminator="\r\n")  # RFC 4180: a cell's \r is quoted


def csv_download_link(df: pd.DataFrame, name: str) -> str:
    """An ``<a download>`` link carrying ``df`` as a CSV ``data:`` URI (no network, no file).

    The CSV comes from :func:`safe_csv`, so no cell can run as a spreadsheet formula.
    """
    data = base64.b64encode(safe_csv(df).encode()).decode()
    stem = _FILE_STEM.sub("_", str(name)).strip("._") or "data"
    return (
        f'<a class="fdsa-csv" download="{stem}.csv" href="data:text/csv;base64,{data}">'
        f"download {stem}.csv</a>"
    )


def _for_reading(df: pd.DataFrame, digits: int) -> pd.DataFrame:
    """Numbers rounded, infinities and NaN as missing (shown as :data:`MISSING`).

    A column without a single value (a measure the warehouse does not hold) is left
    out of the table; the CSV download keeps it.
    """
    out = df.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].replace([np.inf, -np.inf], np.nan).round(digits)
    out = out.loc[:, out.notna().any()]
    return out.astype(object).where(out.notna(), MISSING)


def show_table(df: pd.DataFrame, name: str, *, digits: int = 3, max_rows: int = 200) -> None:
    """Show a DataFrame as an escaped, sortable table with a CSV download of all rows.

    Missing values show as a dash; columns with no value at all are left out of the
    table (not of the CSV).
    """
    if df.empty:
        note(f"No rows to show for {name}.")
        return
    shown = _for_reading(df.head(max_rows), digits)
    table = shown.to_html(index=False, escape=True, classes="fdsa-table sortable", border=0)
    display(HTML(f"{table}<p>{csv_download_link(df, name)} ({len(df)} rows)</p>"))


def show_figure(fig, data: pd.DataFrame | None = None, name: str = "figure") -> None:
    """Show a plotly figure drawn by the page's shared plotly.js; see ``fdsa.reporting.plots``."""
    from fdsa.reporting.plots import show_figure as show

    show(fig, data, name)
