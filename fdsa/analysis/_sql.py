"""Compose the analysis queries from the files in ``fdsa/analysis/sql``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from fdsa.analysis import _frames, _params
from fdsa.warehouse.db import read_sql

_PACKAGE = "fdsa.analysis.sql"
_CONTEXTS = ("proposal_context", "hired_context", "contract_context", "channel_contracts")
# Which proposals each context reads; fixed relations, never user input.
_PROPOSAL_SOURCES = {
    "proposal_context": "proposals",
    "hired_context": "(select * from proposals where outcome = 'hired')",
}


@cache
def _text(name: str) -> str:
    if name in _PROPOSAL_SOURCES:
        body = read_sql(_PACKAGE, "proposal_context")
        return body.replace("{{PROPOSALS}}", _PROPOSAL_SOURCES[name])
    return read_sql(_PACKAGE, name)


def compose(name: str) -> str:
    """Query ``name`` preceded by the context views it reads from, as CTEs."""
    body = _text(name)
    code = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("--"))
    needed = [c for c in _CONTEXTS if c != name and c in code]
    if "contract_context" in needed and "hired_context" not in needed:
        needed.insert(0, "hired_context")
    if not needed:
        return body
    ctes = ",\n".join(f"{c} as (\n{_text(c)}\n)" for c in needed)
    stripped = code.lstrip()
    if stripped[:5].lower() == "with ":
        return f"with {ctes},\n{stripped[5:]}"
    return f"with {ctes}\n{stripped}"


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    """``table.to_pandas()``, then hand Arrow's freed buffers back to the system.

    Arrow's allocator otherwise keeps them cached (tens of MB per large result),
    which raises the process's memory floor for every later query. Inside an
    analysis asked for polars, the table is kept until the frame goes
    (:func:`fdsa.analysis._frames.note_arrow`), so a frame returned as it came
    becomes polars without pandas.
    """
    df = table.to_pandas()
    _frames.note_arrow(df, table)
    del table
    pa.default_memory_pool().release_unused()
    return df


def run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """Run query ``name`` with bound ``$params``; return a DataFrame."""
    return _to_pandas(con.sql(compose(name), params=params or None).to_arrow_table())


def run_categorical(
    con: duckdb.DuckDBPyConnection, name: str, columns: tuple[str, ...], **params: object
) -> pd.DataFrame:
    """Like :func:`run`, with the text ``columns`` as pandas categoricals.

    The strings are dictionary-encoded in Arrow before pandas sees them, which is
    much faster than converting millions of strings and factorising them again.
    """
    table = con.sql(compose(name), params=params or None).to_arrow_table()
    for column in columns:
        i = table.schema.get_field_index(column)
        table = table.set_column(i, column, pc.dictionary_encode(table.column(i)))
    return _to_pandas(table)


def arrays(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> dict[str, np.ndarray]:
    """Run query ``name``; return its columns as numpy arrays (for numeric columns)."""
    return con.sql(compose(name), params=params or None).fetchnumpy()


def as_float(values: np.ndarray) -> np.ndarray:
    """A fetched numeric column as float64, SQL NULLs (masked entries) as NaN."""
    return np.ma.filled(np.ma.asarray(values, dtype=float), np.nan)


def last_posted_at(con: duckdb.DuckDBPyConnection) -> datetime:
    """Time of the latest posting in the warehouse (UTC); a clear error when there is none."""
    last = con.execute("select max(posted_at) from jobs").fetchall()[0][0]
    if last is None:
        raise ValueError("the warehouse holds no job postings")
    return last.astimezone(UTC)


def data_span(con: duckdb.DuckDBPyConnection) -> tuple[datetime, datetime]:
    """``[first posting day, day after the last posting)`` in UTC, at midnight.

    Windows that default to "all the data" are this span; a ValueError says so when
    the warehouse holds no postings.
    """
    first, last = con.execute(
        "select min(posted_at)::date, max(posted_at)::date from jobs"
    ).fetchall()[0]
    if first is None:
        raise ValueError("the warehouse holds no job postings")
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)
    return start, end


def data_window(
    con: duckdb.DuckDBPyConnection,
    since: date | datetime | str | None,
    until: date | datetime | str | None,
) -> tuple[datetime, datetime]:
    """``[since, until)`` clamped to the postings' span; open ends are the span's ends.

    A window that holds no day of the data is refused, naming the data's span.
    """
    lo, hi = _params.window(since, until)
    start, end = data_span(con)
    lo, hi = max(lo, start), min(hi, end)
    if hi <= lo:
        raise ValueError(
            f"the window {since or 'start'} to {until or 'end'} holds no postings: "
            f"the data span {start.date()} to {(end - timedelta(days=1)).date()}"
        )
    return lo, hi


def data_months(con: duckdb.DuckDBPyConnection, lo: datetime, hi: datetime) -> pd.DataFrame:
    """Months of ``[lo, hi)`` holding postings: ``month``, ``n_jobs``, ``coverage`` (0-1]."""
    return run(con, "data_months", since=lo, until=hi)


def exposure_months(con: duckdb.DuckDBPyConnection, lo: datetime, hi: datetime) -> float:
    """Months of data in ``[lo, hi)``: the coverage of every month that holds postings.

    Per-month rates divide by this, so a dump that starts in 2023 is not spread over
    a window that starts in 2021, and a month the scrape missed does not count.
    """
    return float(data_months(con, lo, hi).coverage.sum())


HASH_RANGE = 4_294_967_296
"""Postings are sampled by ``(job_id * 2654435761) % 2^32 < threshold`` (Knuth's
multiplicative hash): the same postings on every run, spread over time and niches."""


def sample_below(n_rows: int, cap: int) -> int:
    """Hash threshold keeping about ``cap`` of ``n_rows`` rows (all when they fit)."""
    if n_rows <= cap:
        return HASH_RANGE
    return int(HASH_RANGE * cap / n_rows)
