"""Line location: the physical start line of every row DuckDB read, in one place.

DuckDB numbers the rows it refuses but not the rows it keeps. The row at overall
position ``q`` (rows kept and refused, in file order) starts on line ``2 + q`` plus
the extra lines of the rows before it; only rows with line breaks inside their
fields, and refused rows spanning several lines, have extra lines. :func:`locate`
builds a :class:`GoodRowLines` from those few rows (the fast path) and checks it
against the line count of the whole file; when the count disagrees (blank lines),
every start line comes from a streaming pass with Python's ``csv`` module instead.

Both CSV reads use it: the typed read (:func:`fdsa.ingest.csv_read.read_csv_typed`)
asks for the lines of rejected rows only, the staged read for every row.
:class:`RowOrder` carries the locator and the order key of rows to the postings load.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from fdsa.ingest.errors import IngestError
from fdsa.ingest.scan import FileScan
from fdsa.ingest.temp_tables import BREAKS


def breaks_sql(columns: Sequence[str]) -> str:
    r"""SQL counting the line breaks inside the fields ``columns`` (``\\r\\n`` counts once).

    Only fields that hold a break pay for the count; the others cost two ``contains``.
    """
    counts = []
    for c in columns:
        quoted = f'"{c}"'
        counts.append(
            f"case when contains({quoted}, chr(10)) or contains({quoted}, chr(13)) then "
            f"length({quoted}) * 2 - length(replace({quoted}, chr(10), '')) "
            f"- length(replace({quoted}, chr(13), '')) "
            f"- (length({quoted}) - length(replace({quoted}, chr(13) || chr(10), ''))) // 2 "
            "else 0 end"
        )
    return " + ".join(counts)


@dataclass
class GoodRowLines:
    """Start lines of the rows DuckDB read, from the few rows that are not one line each.

    The row at overall position ``q`` (rows read and refused, in file order) starts on
    line ``2 + q + (extra lines of the rows before it)``; only rows with line breaks
    inside their fields, and refused rows, have extra lines. When the line count of
    the file disagrees (blank lines), every start line comes from a pass with Python's
    ``csv`` module instead (:attr:`all_lines`).

    Attributes
    ----------
    n_good
        Rows read.
    reject_shift
        Sorted overall positions of refused rows minus their rank: rows read before each.
    extra_at
        Sorted overall positions of rows with extra lines.
    extra_through
        Cumulative extra lines through each entry of :attr:`extra_at`.
    all_lines
        Start line of every row read (slow path only).
    """

    n_good: int
    reject_shift: np.ndarray
    extra_at: np.ndarray
    extra_through: np.ndarray
    all_lines: np.ndarray | None = None

    def lines_of(self, rowids: np.ndarray) -> np.ndarray:
        """Start lines of the rows read with these rowids."""
        rowids = np.asarray(rowids, dtype=np.int64)
        if self.all_lines is not None:
            return self.all_lines[rowids]
        at = rowids + np.searchsorted(self.reject_shift, rowids, side="right")
        before = np.searchsorted(self.extra_at, at, side="left")
        through = np.concatenate([np.zeros(1, dtype=np.int64), self.extra_through])
        return 2 + at + through[before]

    def rows_before(self, lines: np.ndarray) -> np.ndarray:
        """How many rows read start before each of ``lines``."""
        lines = np.asarray(lines, dtype=np.int64)
        if self.all_lines is not None:
            return np.searchsorted(self.all_lines, lines)
        low = np.zeros(len(lines), dtype=np.int64)
        high = np.full(len(lines), self.n_good, dtype=np.int64)
        while (active := low < high).any():  # start lines grow with the rowid: bisect all
            middle = (low + high) // 2
            below = self.lines_of(middle) < lines
            low = np.where(active & below, middle + 1, low)
            high = np.where(active & ~below, middle, high)
        return low


def _python_start_lines(path: Path, n_good: int, reject_rows: list[int]) -> np.ndarray:
    """Start lines of the rows DuckDB kept, from a streaming pass with Python's csv module."""
    with Path(path).open(encoding="latin-1", newline="") as handle:
        reader = csv.reader(handle)
        starts: list[int] = []
        next_start = 1
        for record in reader:
            if record:
                starts.append(next_start)
            next_start = reader.line_num + 1
    data_starts = np.asarray(starts[1:], dtype=np.int64)
    reject_positions = np.asarray(reject_rows, dtype=np.int64)
    # DuckDB counts blank lines but not quoted line breaks: its reject numbers are
    # positions among (records + blank lines); map them through the same count here.
    keep = np.ones(len(data_starts), dtype=bool)
    if len(reject_positions):
        records_and_blanks = _duckdb_row_numbers(path)
        lookup = {n: i for i, n in enumerate(records_and_blanks)}
        for number in reject_positions:
            index = lookup.get(int(number))
            if index is not None and index < len(keep):
                keep[index] = False
    result = data_starts[keep]
    if len(result) != n_good:
        raise IngestError(
            f"{path}: could not tell the line numbers of its rows (DuckDB read {n_good} good "
            f"rows, Python's csv module {len(result)}); nothing was published"
        )
    return result


def _duckdb_row_numbers(path: Path) -> list[int]:
    """DuckDB's row number (records and blank lines, header = 1) of every data record."""
    with Path(path).open(encoding="latin-1", newline="") as handle:
        reader = csv.reader(handle)
        numbers: list[int] = []
        counter = 0
        for record in reader:
            counter += 1
            if record:
                numbers.append(counter)
    return numbers[1:]


def locate(
    con: duckdb.DuckDBPyConnection,
    table: str,
    *,
    path: Path,
    n_good: int,
    reject_rows: list[int],
    reject_spans: list[int],
    n_breaks: int,
    scan: FileScan,
    recount: Callable[[], tuple[str, int]] | None = None,
) -> GoodRowLines:
    """The start lines of the rows DuckDB read into ``table`` (rowid = position among them).

    ``reject_rows`` are DuckDB's row numbers of the refused records (header = 1),
    ``reject_spans`` their physical lines, ``n_breaks`` the line breaks counted in
    the ``breaks`` column of ``table``. When the counts disagree with the file,
    ``recount`` (if given) names a table with every break counted, then the slow
    pass takes over.
    """
    empty = np.zeros(0, dtype=np.int64)
    total = n_good + len(reject_rows)
    positions = np.asarray(reject_rows, dtype=np.int64) - 2  # 0-based among data rows
    order = np.argsort(positions, kind="stable")
    positions = positions[order]
    spans = np.asarray(reject_spans, dtype=np.int64)[order]
    well_placed = bool(np.all((positions >= 0) & (positions < total))) and len(
        np.unique(positions)
    ) == len(positions)
    lines_without_breaks = 1 + total + int((spans - 1).sum())
    consistent = well_placed and (total == 0 or lines_without_breaks + n_breaks == scan.n_lines)
    if not consistent and well_placed and recount is not None:
        table, n_breaks = recount()
        consistent = lines_without_breaks + n_breaks == scan.n_lines
    if not consistent:
        slow = _python_start_lines(path, n_good, reject_rows)
        return GoodRowLines(n_good, empty, empty, empty, slow)
    shift = positions - np.arange(len(positions), dtype=np.int64)
    extra_at, extra = positions, spans - 1
    if n_breaks:
        found = con.execute(
            f"select rowid, breaks from {table} where breaks > 0"  # noqa: S608
        ).fetchnumpy()
        rows = np.asarray(found["rowid"], dtype=np.int64)
        at = rows + np.searchsorted(shift, rows, side="right")
        extra_at = np.concatenate([extra_at, at])
        extra = np.concatenate([extra, np.asarray(found["breaks"], dtype=np.int64)])
    order = np.argsort(extra_at, kind="stable")
    return GoodRowLines(n_good, shift, extra_at[order], np.cumsum(extra[order]))


def count_breaks(
    con: duckdb.DuckDBPyConnection,
    source: str,
    columns: Sequence[str],
    params: Mapping[str, object] | None = None,
) -> tuple[int, int]:
    """Temp table :data:`~fdsa.ingest.temp_tables.BREAKS`: the line breaks in ``columns``
    of each row of ``source`` (a relation of caller code), by rowid.

    Returns
    -------
    tuple
        Rows and line breaks counted.
    """
    con.execute(
        f"create or replace temp table {BREAKS} as "  # noqa: S608 - pinned names
        f"select {breaks_sql(columns)} as breaks from {source}",
        params,
    )
    n_rows, n_breaks = con.execute(
        f"select count(*), coalesce(sum(breaks), 0) from {BREAKS}"  # noqa: S608
    ).fetchall()[0]
    return n_rows, n_breaks


@dataclass(frozen=True)
class RowOrder:
    """How rows of a typed table map to the file: line and order key of each row.

    Rows DuckDB read have a null ``ordinal`` and ``line``: their order key is
    ``ordinal_scale * rowid`` and :attr:`lines` gives their line from the rowid. Rows
    with both set (re-read as Latin-1, staged by Python) need neither.

    Attributes
    ----------
    lines
        The locator of the rows DuckDB read; None when every row has its line.
    ordinal_scale
        Multiplier of the rowid for rows whose ``ordinal`` is null.
    """

    lines: GoodRowLines | None = None
    ordinal_scale: int = 1

    def lines_of(self, rowids: np.ndarray) -> np.ndarray:
        """Start lines of the rows read with these rowids."""
        if self.lines is None:
            raise ValueError("every row has its line: nothing to locate")
        return self.lines.lines_of(rowids)

    def ordinal_sql(self, alias: str = "") -> str:
        """Order key of a row: ``ordinal`` when set, else ``$ordinal_scale * rowid``.

        Bind :attr:`params`; ``alias`` is a table alias of caller code.
        """
        prefix = f"{alias}." if alias else ""
        return f"coalesce({prefix}ordinal, $ordinal_scale * {prefix}rowid)"

    @property
    def params(self) -> dict[str, object]:
        """The bound parameter of :meth:`ordinal_sql`."""
        return {"ordinal_scale": self.ordinal_scale}


__all__ = ["GoodRowLines", "RowOrder", "breaks_sql", "count_breaks", "locate"]
