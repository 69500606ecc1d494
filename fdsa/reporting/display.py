"""What a report notebook shows: headline numbers, notes, escaped tables, offline figures.

Numbers reach the reader through the formatters here (:func:`usd`, :func:`pct`,
:func:`count`, :func:`interval`), which write a missing or unbounded value in words
instead of ``nan`` or ``inf``; tables show a dash for a missing cell; a figure with
nothing to draw becomes a sentence saying so.
"""

from __future__ import annotations

import base64
import html
import inspect
import math
import re
from typing import Any

import numpy as np
import pandas as pd
from IPython.display import HTML, display

from fdsa.reporting.outputs import HEADLINE_MIME, MEANING_MIME

MISSING = "–"
"""How a table shows a missing value."""

_FILE_STEM = re.compile(r"[^A-Za-z0-9_.-]+")


def _finite(value: object) -> bool:
    try:
        return value is not None and math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _shown(value: object, digits: int, scale: float = 1.0) -> float:
    """``value`` as a number to print with ``digits`` decimals (after ``scale``): 0.0
    when it rounds to zero, so a tiny negative reads ``0``, never ``-0``.
    """
    number_ = float(value)  # type: ignore[arg-type]
    return 0.0 if round(number_ * scale, digits) == 0 else number_


def usd(value: object, *, per: str = "", digits: int = 0) -> str:
    """``$1,234`` (``per="h"`` gives ``$19/h``); ``not measured`` when missing."""
    if not _finite(value):
        return "not measured"
    return f"${_shown(value, digits):,.{digits}f}{'/' + per if per else ''}"


def pct(value: object, *, digits: int = 0, signed: bool = False) -> str:
    """``12%`` from a share 0.12 (``signed`` gives ``+12%``); ``not measured`` when missing."""
    if not _finite(value):
        return "not measured"
    return f"{_shown(value, digits, 100):{'+' if signed else ''}.{digits}%}"


def count(value: Any) -> str:
    """``1,234``; ``0`` when missing (a count of nothing)."""
    return f"{int(value):,}" if _finite(value) else "0"


def number(value: object, *, digits: int = 1, signed: bool = False) -> str:
    """A plain number with ``digits`` decimals; ``not measured`` when missing."""
    if not _finite(value):
        return "not measured"
    return f"{_shown(value, digits):{'+' if signed else ''},.{digits}f}"


def interval(lo: object, hi: object, fmt=usd, **kwargs: object) -> str:
    """``95% interval $18–$20``; says so when the sample is too small to bound it.

    Bounds that differ but read the same at ``fmt``'s digits get up to two more
    (``$25.9 to $26.3``, not ``$26 to $26``); equal bounds (a median of many tied values,
    such as posted range midpoints) read ``$26 at both ends``.
    """
    if not (_finite(lo) and _finite(hi)):
        return "too few observations for a 95% interval"
    digits = kwargs.pop("digits", inspect.signature(fmt).parameters["digits"].default)
    for extra in range(3):
        low, high = (fmt(v, digits=digits + extra, **kwargs) for v in (lo, hi))  # type: ignore[operator]
        if low != high or float(lo) == float(hi):  # type: ignore[arg-type]
            break
    if low == high:
        return f"95% interval {low} at both ends"
    return f"95% interval {low} to {high}"


def note(text: str) -> None:
    """Show a short note in words (escaped), e.g. why a section shows nothing."""
    display(HTML(f'<p class="fdsa-note">{html.escape(str(text))}</p>'))


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def headline_bundle(
    text: str,
    *,
    value: float | int | str | None = None,
    label: str | None = None,
    lo: float | None = None,
    hi: float | None = None,
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
    lo, hi
        The 95% interval of ``value`` (optional, same units): the index marks a change
        since the previous run only when it is larger than the interval. A headline
        without one (an exact count) is marked on any change.
    """
    record: dict[str, object] = {"text": str(text)}
    if isinstance(value, str) or _finite(value):
        record["value"] = _plain(value)
    if label is not None:
        record["label"] = str(label)
    if _finite(lo) and _finite(hi) and _finite(value):
        record["lo"], record["hi"] = float(lo), float(hi)  # type: ignore[arg-type]
    return {
        HEADLINE_MIME: record,
        "text/html": f'<p class="fdsa-headline">{html.escape(str(text))}</p>',
        "text/plain": str(text),
    }


def headline(
    text: str,
    *,
    value: float | int | str | None = None,
    label: str | None = None,
    lo: float | None = None,
    hi: float | None = None,
) -> None:
    """Show one headline sentence and record it for the report index (escaped).

    Reports open with 3–5 of these; the runner lifts them to the top of the page and
    copies them into ``reports/index.html`` and ``reports/manifest.json``, where each
    is set beside its value in the previous run (see :func:`headline_bundle`).
    """
    display(headline_bundle(text, value=value, label=label, lo=lo, hi=hi), raw=True)


def meaning(text: str) -> None:
    """Add one sentence to the page's "What this means for these parameters" paragraph.

    A section calls this after computing its numbers, with a sentence that reads them
    for the reader (see :mod:`fdsa.reporting.meaning` for the comparisons in words).
    The runner shows the sentences together under the headlines; in JupyterLab each
    shows where it was made.
    """
    display(
        {
            MEANING_MIME: {"text": str(text)},
            "text/html": f'<p class="fdsa-meaning-line">{html.escape(str(text))}</p>',
            "text/plain": str(text),
        },
        raw=True,
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP: CSV Injection)."""


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


def _number(value: object, digits: int) -> str:
    """``1,234.5``: thousands separated, at most ``digits`` decimals, no trailing zeros."""
    text = f"{_shown(value, digits):,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def interval_columns(columns: list[str]) -> dict[str, tuple[str, str]]:
    """Estimate column → its (lo, hi) columns, by the project's naming.

    ``X_lo``/``X_hi`` bound ``X`` (or ``X_median``); bare ``lo``/``hi`` bound the
    nearest column before them other than a standard error.
    """
    found: dict[str, tuple[str, str]] = {}
    for i, col in enumerate(columns):
        if col.endswith("_lo") and f"{col[:-3]}_hi" in columns:
            stem = col[:-3]
            for estimate in (stem, f"{stem}_median"):
                if estimate in columns:
                    found[estimate] = (col, f"{stem}_hi")
                    break
        elif col == "lo" and "hi" in columns:
            before = [c for c in columns[:i] if c not in ("se", "n") and not c.startswith("n_")]
            if before:
                found[before[-1]] = ("lo", "hi")
    return found


def _formatter(column: str, values: pd.Series, digits: int):
    from fdsa.reporting.labels import PERCENT_COLUMNS, SHARE_COLUMNS

    if column in SHARE_COLUMNS:
        return lambda v: f"{_shown(v, 1, 100) * 100:.1f}%"
    if column in PERCENT_COLUMNS:
        return lambda v: f"{_shown(v, 1):+.1f}%"
    if column in YEAR_COLUMNS and pd.api.types.is_integer_dtype(values):
        return lambda v: str(int(v))  # 2021, not 2,021
    if pd.api.types.is_integer_dtype(values):
        return lambda v: f"{int(v):,}"
    return lambda v: _number(v, digits)


YEAR_COLUMNS = frozenset({"year", "work_year", "first_year", "last_year"})
"""Numeric columns that hold calendar years: written without a thousands separator."""


def reading_table(
    df: pd.DataFrame,
    *,
    digits: int = 3,
    headers: dict[str, str] | None = None,
    show: list[str] | None = None,
) -> pd.DataFrame:
    """``df`` as a reader sees it: every cell text, every header words with a unit.

    Categories by their names (:mod:`fdsa.reporting.labels`: ``llm_applications`` →
    ``LLM applications``, model terms with their baseline), each estimate's 95%
    interval in one column beside it, shares as percentages, flags as yes/no, missing
    values and infinities as :data:`MISSING`. A column without a single value (a
    measure the warehouse does not hold) is left out.

    Parameters
    ----------
    headers
        Header overrides for this table (analysis column → words), e.g. what ``n``
        counts here.
    show
        The analysis columns to show (their intervals come along); default all.
    """
    from fdsa.reporting import labels

    intervals = interval_columns(list(df.columns))
    bounds = {b for pair in intervals.values() for b in pair}
    wanted = list(df.columns) if show is None else list(show)
    out = pd.DataFrame(index=df.index)
    names: dict[str, str] = {}
    for col in wanted:
        if col in bounds:
            continue
        values = df[col]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(object)
        if pd.api.types.is_float_dtype(values):
            values = values.replace([np.inf, -np.inf], np.nan)
        kind = labels.COLUMN_KINDS.get(col)
        if col in ("bucket", "group"):
            kind = labels.bucket_kind(values.dropna().unique())
        present = values.notna()
        if col == "term":
            cells = values.map(lambda v: labels.term_name(str(v)))
        elif kind is not None:
            cells = values.map(lambda v, k=kind: labels.name(k, v))
        elif pd.api.types.is_bool_dtype(values) or (
            values.dropna().map(type).isin([bool, np.bool_]).all() and present.any()
        ):
            cells = values.map(lambda v: "yes" if bool(v) else "no")
        elif pd.api.types.is_numeric_dtype(values):
            fmt = _formatter(col, values, digits)
            cells = values.map(lambda v, f=fmt: f(v) if _finite(v) else MISSING)
            present = values.map(_finite)
        elif pd.api.types.is_datetime64_any_dtype(values):
            cells = values.map(lambda v: v.strftime("%Y-%m-%d") if pd.notna(v) else MISSING)
        else:
            cells = values.map(str)
        if not present.any():
            continue
        out[col] = cells.where(present, MISSING)
        names[col] = (headers or {}).get(col) or labels.column(col)
        if col in intervals:
            lo, hi = (df[b].replace([np.inf, -np.inf], np.nan) for b in intervals[col])
            fmt = _formatter(col, df[col], digits)
            both = lo.map(_finite) & hi.map(_finite)
            text = [
                f"{fmt(a)} to {fmt(b)}" if ok else MISSING
                for a, b, ok in zip(lo, hi, both, strict=True)
            ]
            if both.any():
                out[f"{col}__interval"] = text
                names[f"{col}__interval"] = "95% interval"
    out = out.rename(columns=names)
    return out.astype(object)


def show_table(
    df: pd.DataFrame,
    name: str,
    *,
    digits: int = 3,
    max_rows: int = 200,
    headers: dict[str, str] | None = None,
    show: list[str] | None = None,
) -> None:
    """Show a DataFrame as an escaped, sortable reading table with one CSV of all its rows.

    The table is :func:`reading_table` (names, units, intervals in words); the CSV
    download below it keeps the analysis columns and every row, for machines. Every
    table offers its CSV exactly once, so a figure drawn from the same rows offers none.
    """
    if df.empty:
        note(f"No rows to show for {name.replace('_', ' ')}.")
        return
    shown = reading_table(df.head(max_rows), digits=digits, headers=headers, show=show)
    table = shown.to_html(index=False, escape=True, classes="fdsa-table sortable", border=0)
    more = f"; the table shows the first {max_rows}" if len(df) > max_rows else ""
    rows = f"{len(df):,} row{'' if len(df) == 1 else 's'}{more}"
    display(
        HTML(
            f'<div class="fdsa-table-wrap">{table}</div>'
            f'<p class="fdsa-download">{csv_download_link(df, name)} ({rows})</p>'
        )
    )
