"""Shared machinery of the importers: file scans, pinned CSV reads, runs and rejects.

A load reads the file with DuckDB (every column as text, pinned names, strict
quoting, DuckDB's own reject tables switched on), so no row can vanish: a row is
either read or in DuckDB's rejects. :func:`read_csv_typed` types and checks the rows
in the same pass (no text copy of the file is kept); :func:`read_csv_staged` keeps
them as text with a line each. Line numbers are physical lines of the file (a row's
line is the line where it starts), recovered from DuckDB's byte positions for
refused rows and, for the others, from the line breaks inside earlier rows: the
typed read counts them per row and :class:`GoodRowLines` turns the few rows that
span several lines into the line of any row; a line-break count of the whole file
checks the result, and a streaming pass with Python's ``csv`` module takes over when
the check fails (blank lines).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from fdsa.warehouse.db import WarehouseError

CHUNK_BYTES = 8 << 20
csv.field_size_limit(1 << 30)


class IngestError(WarehouseError):
    """A file that cannot be imported, explained in words; nothing is published."""


@dataclass
class FileScan:
    """What one pass over the raw bytes of a file tells.

    Attributes
    ----------
    sha256
        Hex SHA-256 of the file.
    n_lines
        Physical lines (``\\r\\n``, ``\\r`` and ``\\n`` each end one; a last line
        without a terminator counts).
    size
        Bytes.
    breaks
        Sorted byte offsets of the line breaks (each ``\\r``, and each ``\\n`` not right
        after one): the line of the byte at offset ``x`` is one plus the breaks before
        ``x``. Eight bytes per line.
    """

    sha256: str
    n_lines: int
    size: int
    breaks: np.ndarray = field(repr=False)

    def lines_of(self, offsets: Sequence[int]) -> dict[int, int]:
        """Physical line (1-based) of the byte at each offset."""
        wanted = np.unique(np.asarray(offsets, dtype=np.int64))
        lines = 1 + np.searchsorted(self.breaks, wanted, side="left")
        return dict(zip(wanted.tolist(), lines.tolist(), strict=True))


@dataclass
class StagedRead:
    """Result of :func:`read_csv_staged`.

    Attributes
    ----------
    rows_read
        Data rows in the file (header excluded, blank lines not counted).
    rejects
        Rows refused while reading: dicts with ``line``, ``field``, ``reason``,
        ``raw_text``.
    notes
        Warnings for ``ingest_runs.note`` (e.g. the Latin-1 fallback).
    """

    rows_read: int
    rejects: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class LoadCounts:
    """Where the rows of one load went; ``read == loaded + rejected + duplicate``."""

    read: int = 0
    loaded: int = 0
    rejected: int = 0
    duplicate: int = 0
    notes: list[str] = field(default_factory=list)
    other_share: float | None = None

    def check(self) -> None:
        """Raise when the reconciliation identity does not hold (a bug, never data)."""
        if self.read != self.loaded + self.rejected + self.duplicate:
            raise IngestError(
                f"reconciliation failed: read {self.read} != loaded {self.loaded} + "
                f"rejected {self.rejected} + duplicate {self.duplicate}; nothing was published"
            )


# ---------------------------------------------------------------- raw file


def scan_file(path: Path) -> FileScan:
    """SHA-256, line count and line-break offsets of ``path`` in one streaming pass."""
    digest = hashlib.sha256()
    size = 0
    previous_cr = False
    last = b""
    breaks: list[np.ndarray] = []
    hashing: Future[None] | None = None
    # hashlib and numpy release the GIL: hash each chunk in a thread while scanning it.
    with open(path, "rb") as handle, ThreadPoolExecutor(max_workers=1) as pool:
        while chunk := handle.read(CHUNK_BYTES):
            if hashing is not None:
                hashing.result()
            hashing = pool.submit(digest.update, chunk)
            breaks.append(_break_offsets(chunk, previous_cr) + size)
            size += len(chunk)
            previous_cr = chunk[-1:] == b"\r"
            last = chunk[-1:]
        if hashing is not None:
            hashing.result()
    offsets = np.concatenate(breaks) if breaks else np.zeros(0, dtype=np.int64)
    n_lines = len(offsets) + (1 if size and last not in (b"\n", b"\r") else 0)
    return FileScan(sha256=digest.hexdigest(), n_lines=n_lines, size=size, breaks=offsets)


def _break_offsets(chunk: bytes, previous_cr: bool) -> np.ndarray:
    """Offsets in ``chunk`` of its line breaks: each ``\\r``, each ``\\n`` not after one.

    ``previous_cr`` says whether the byte before the chunk was a ``\\r``.
    """
    data = np.frombuffer(chunk, dtype=np.uint8)
    ends = data == 10
    if previous_cr or b"\r" in chunk:  # most files have no CR at all
        cr = data == 13
        after_cr = np.concatenate(([previous_cr], cr[:-1]))
        ends = (ends & ~after_cr) | cr
    return np.flatnonzero(ends).astype(np.int64, copy=False)


def decode_bytes(raw: bytes) -> tuple[str, bool]:
    """Text of ``raw`` as UTF-8 (BOM dropped), else Latin-1; also whether Latin-1 was used."""
    try:
        return raw.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return raw.decode("latin-1"), True


def read_header(path: Path) -> list[str]:
    """Column names of the first CSV record of ``path`` (BOM and surrounding spaces removed)."""
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    if not head.strip():
        raise IngestError(f"{path} is empty: expected a CSV file with a header line")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    text, _ = decode_bytes(head.splitlines()[0])
    first = next(csv.reader(io.StringIO(text, newline="")), [])
    return [name.strip() for name in first]


def check_columns(path: Path, found: Sequence[str], expected: Sequence[str], what: str) -> None:
    """Refuse a file whose header is not exactly ``expected`` (any order is not accepted)."""
    missing = [c for c in expected if c not in found]
    unexpected = [c for c in found if c not in expected]
    if missing or unexpected or list(found) != list(expected):
        parts = []
        if missing:
            parts.append("missing columns " + ", ".join(missing))
        if unexpected:
            parts.append("unexpected columns " + ", ".join(unexpected[:12]))
        if not parts:
            parts.append("columns in another order than " + ", ".join(expected))
        raise IngestError(f"{path} is not a {what} file: " + "; ".join(parts))


def _record_at(path: Path, offset: int) -> tuple[bytes, list[str] | None, int]:
    """Raw bytes, fields (or None) and number of lines of the CSV record at ``offset``.

    Reads a 4 KiB window, grown fourfold while the record runs past it. A record that
    does not parse is judged on a window of at least 64 KiB (a quoted field cut by a
    smaller window would look unterminated).
    """
    size = 1 << 12
    with open(path, "rb") as handle:
        while True:
            handle.seek(offset)
            raw = handle.read(size)
            text = raw.decode("latin-1")  # one char per byte: char offsets are byte offsets
            lines = text.splitlines(keepends=True)
            reader = csv.reader(iter(lines), strict=True)
            try:
                fields = next(reader)
                complete = reader.line_num < len(lines) or len(raw) < size
            except (csv.Error, StopIteration):
                fields, complete = None, len(raw) < size or size >= 1 << 16
            if complete or size >= 1 << 26:
                n_lines = max(reader.line_num, 1)
                consumed = sum(len(line) for line in lines[:n_lines])
                return raw[:consumed], fields, n_lines
            size *= 4


def _record_start(path: Path, position: int) -> int:
    """Byte offset where the record around DuckDB's ``line_byte_position`` starts.

    DuckDB reports the start of a refused row give or take a byte (the preceding line
    break, the first character, or one past it): the row starts after the last line
    break at or before ``position``.
    """
    window = 1 << 16
    low = max(0, position - window)
    with open(path, "rb") as handle:
        handle.seek(low)
        head = handle.read(position - low + 1)
    last_break = max(head.rfind(b"\n"), head.rfind(b"\r"))
    return low + last_break + 1 if last_break >= 0 else low


# ---------------------------------------------------------------- CSV into staging


_READ_CSV = """
    read_csv($path, columns = $columns, header = true, delim = ',', quote = '"', escape = '"',
             auto_detect = false, strict_mode = true, store_rejects = true,
             rejects_table = '__fdsa_rejects', rejects_scan = '__fdsa_reject_scans',
             max_line_size = 4194304)
"""
"""The pinned, strict DuckDB read of every CSV importer (bind ``$path`` and ``$columns``)."""


@dataclass
class _DuckRejects:
    """Records DuckDB refused, located in the file.

    Attributes
    ----------
    rows
        DuckDB's row number of each (header = 1).
    spans
        Physical lines of each.
    refused
        The ones that stay refused: dicts for ``rejects``.
    recovered
        ``(line, fields)`` of records that were only invalid UTF-8, re-read as Latin-1.
    """

    rows: list[int] = field(default_factory=list)
    spans: list[int] = field(default_factory=list)
    refused: list[dict[str, object]] = field(default_factory=list)
    recovered: list[tuple[int, list[str]]] = field(default_factory=list)


def _drop_reject_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("drop table if exists __fdsa_rejects; drop table if exists __fdsa_reject_scans")


def _duckdb_rejects(
    con: duckdb.DuckDBPyConnection, path: Path, columns: Sequence[str], scan: FileScan
) -> _DuckRejects:
    """Read DuckDB's reject tables of the last read, locate each record, drop the tables."""
    duck_rejects = con.execute(
        """
        select distinct on (line) line, line_byte_position, error_type::varchar, column_name,
               error_message
        from __fdsa_rejects order by line, byte_position
        """
    ).fetchall()
    _drop_reject_tables(con)
    starts = [_record_start(path, r[1]) for r in duck_rejects]
    start_lines = scan.lines_of(starts)
    found = _DuckRejects(rows=[r[0] for r in duck_rejects])
    for (_, _, error_type, column_name, message), start in zip(duck_rejects, starts, strict=True):
        raw, fields, n_lines = _record_at(path, start)
        found.spans.append(n_lines)
        line = start_lines[start]
        if error_type == "INVALID ENCODING" and fields is not None:
            text, _ = decode_bytes(raw)
            fields = next(csv.reader(io.StringIO(text, newline="")), [])
            if len(fields) == len(columns):
                found.recovered.append((line, fields))
                continue
        found.refused.append(
            {
                "line": line,
                "field": None,
                "reason": _read_reason(error_type, fields, len(columns), column_name, message),
                "raw_text": decode_bytes(raw)[0].rstrip("\r\n"),
            }
        )
    return found


def _latin1_note(recovered: list[tuple[int, list[str]]]) -> list[str]:
    if not recovered:
        return []
    shown = ", ".join(str(r[0]) for r in recovered[:10])
    return [
        f"{len(recovered)} rows were not valid UTF-8 and were read as Latin-1 "
        f"(lines {shown}{', ...' if len(recovered) > 10 else ''})"
    ]


def read_csv_staged(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    columns: Sequence[str],
    table: str,
    scan: FileScan,
) -> StagedRead:
    """Read a CSV with pinned text columns into temp table ``table`` with a ``line`` column.

    Parameters
    ----------
    con
        Connection (the staging warehouse).
    path
        CSV file with a header line naming exactly ``columns``.
    columns
        Pinned column names, all read as VARCHAR.
    table
        Name of the temp table to create (from the caller's code, never user text).
    scan
        :func:`scan_file` of ``path`` (the line count checks the line numbers).

    Returns
    -------
    StagedRead
        Row count and the rows refused while reading (wrong number of fields,
        unterminated quotes, over-long rows). Rows that are not valid UTF-8 are
        decoded as Latin-1 instead, parsed with Python's ``csv`` module and kept,
        with a note.
    """
    column_types = {name: "VARCHAR" for name in columns}
    _drop_reject_tables(con)
    read_sql = f"create or replace temp table {table}_raw as select * from {_READ_CSV}"  # noqa: S608 - table name from caller code
    try:
        con.execute(read_sql, {"path": str(path), "columns": column_types})
    except duckdb.InvalidInputException as exc:
        # DuckDB 2.0's strict parser can stop on CRLF files with invalid UTF-8 bytes;
        # its lenient mode would pad or cut rows, so read such files with Python instead.
        if "invalid state" not in str(exc):
            raise
        _drop_reject_tables(con)
        return _read_csv_python(con, path, columns=columns, table=table)
    found = _duckdb_rejects(con, path, columns, scan)
    n_good = con.execute(f"select count(*) from {table}_raw").fetchall()[0][0]  # noqa: S608

    lines = _good_row_lines(con, table, columns, path, n_good, found.rows, found.spans, scan)
    con.register("__fdsa_lines", pa.table({"line": lines}))
    col_list = ", ".join(f'r."{c}"' for c in columns)
    con.execute(
        f"""create or replace temp table {table} as
        select l.line, {col_list} from {table}_raw as r positional join __fdsa_lines as l"""  # noqa: S608
    )
    con.unregister("__fdsa_lines")
    con.execute(f"drop table {table}_raw")
    recovered = found.recovered
    if recovered:
        frame = pa.table(
            {"line": [r[0] for r in recovered]}
            | {c: [r[1][i] or None for r in recovered] for i, c in enumerate(columns)}
        )
        con.register("__fdsa_recovered", frame)
        con.execute(f"insert into {table} select * from __fdsa_recovered")  # noqa: S608
        con.unregister("__fdsa_recovered")
    return StagedRead(
        rows_read=n_good + len(found.rows), rejects=found.refused, notes=_latin1_note(recovered)
    )


# ---------------------------------------------------------------- CSV straight into typed rows


@dataclass
class TypedRead:
    """Result of :func:`read_csv_typed`.

    Attributes
    ----------
    rows_read
        Data rows in the file (header excluded, blank lines not counted).
    rejects
        Rows refused while reading (as :attr:`StagedRead.rejects`).
    notes
        Warnings for ``ingest_runs.note``.
    lines
        Lines of the rows DuckDB read, by rowid; None when every row has its line.
    ordinal_scale
        Order key of a row DuckDB read (null ``ordinal``): ``ordinal_scale * rowid``.
    """

    rows_read: int
    rejects: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lines: GoodRowLines | None = None
    ordinal_scale: int = 1


def breaks_sql(columns: Sequence[str]) -> str:
    """SQL counting the line breaks inside the fields ``columns`` (``\\r\\n`` counts once).

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


def read_csv_typed(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    columns: Sequence[str],
    table: str,
    select: Callable[[str], str],
    params: dict[str, object],
    scan: FileScan,
    break_columns: Sequence[str] | None = None,
) -> TypedRead:
    """Read a CSV with pinned text columns and type it into temp table ``table`` in one pass.

    Like :func:`read_csv_staged`, but the rows go through the caller's ``select``
    while DuckDB parses them, and no line number is worked out per row:
    :attr:`TypedRead.lines` gives the line of any row from its rowid.

    Parameters
    ----------
    con
        Connection (the staging warehouse).
    path
        CSV file with a header line naming exactly ``columns``.
    columns
        Pinned column names, all read as VARCHAR.
    table
        Name of the temp table to create (caller's code).
    select
        Builds a SELECT over a relation with ``columns``, ``ordinal``, ``line`` and
        ``breaks`` (line breaks inside the row's fields); it must keep ``ordinal``,
        ``line`` and ``breaks`` (caller's code).
    params
        Bound parameters of ``select``.
    scan
        :func:`scan_file` of ``path`` (the line count checks the line numbers).
    break_columns
        Columns whose line breaks are counted during the read (default: all). When the
        line count of the file shows breaks in other columns, a second read counts
        them in every column.

    Returns
    -------
    TypedRead
        Rows read, rows refused while reading, notes and the line locator. Rows DuckDB
        read have a null ``ordinal`` and ``line`` (their order key is
        ``ordinal_scale * rowid``); the ``k``-th row re-read as Latin-1 after ``g``
        rows read gets ``ordinal = ordinal_scale * g - ordinal_scale + k`` (``k`` from
        1, so they fall between their neighbours) and its line; with Python's ``csv``
        fallback every row has both.
    """
    breaks = breaks_sql(columns if break_columns is None else break_columns)
    source = f"(select *, null::bigint as ordinal, null::bigint as line, {breaks} as breaks from {_READ_CSV})"  # noqa: S608, E501 - pinned names and fixed SQL
    _drop_reject_tables(con)
    read_params = {"path": str(path), "columns": {name: "VARCHAR" for name in columns}}
    try:
        con.execute(
            f"create or replace temp table {table} as {select(source)}", params | read_params
        )
    except duckdb.InvalidInputException as exc:
        if "invalid state" not in str(exc):  # see read_csv_staged
            raise
        _drop_reject_tables(con)
        staged = _read_csv_python(con, path, columns=columns, table="__fdsa_python_staged")
        python_rows = "(select *, line as ordinal, 0 as breaks from __fdsa_python_staged)"
        con.execute(f"create or replace temp table {table} as {select(python_rows)}", params)
        con.execute("drop table __fdsa_python_staged")
        return TypedRead(rows_read=staged.rows_read, rejects=staged.rejects, notes=staged.notes)
    found = _duckdb_rejects(con, path, columns, scan)
    n_good, n_breaks = con.execute(
        f"select count(*), coalesce(sum(breaks), 0) from {table}"  # noqa: S608
    ).fetchall()[0]

    def recount() -> tuple[str, int]:
        return _count_breaks(con, path, read_params, columns=columns, n_good=n_good)

    lines = GoodRowLines.locate(
        con,
        table,
        path=path,
        n_good=n_good,
        reject_rows=found.rows,
        reject_spans=found.spans,
        n_breaks=n_breaks,
        scan=scan,
        recount=None if break_columns is None else recount,
    )
    con.execute("drop table if exists __fdsa_breaks")
    scale = len(found.recovered) + 1
    if found.recovered:
        recovered = pa.table(
            {
                "ordinal": _recovered_ordinals(lines, [r[0] for r in found.recovered], scale),
                "line": [r[0] for r in found.recovered],
                "breaks": [0] * len(found.recovered),
            }
            | {c: [r[1][i] or None for r in found.recovered] for i, c in enumerate(columns)}
        )
        con.register("__fdsa_recovered", recovered)
        con.execute(f"insert into {table} {select('__fdsa_recovered')}", params)  # noqa: S608
        con.unregister("__fdsa_recovered")
    return TypedRead(
        rows_read=n_good + len(found.rows),
        rejects=found.refused,
        notes=_latin1_note(found.recovered),
        lines=lines,
        ordinal_scale=scale,
    )


def _count_breaks(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    read_params: dict[str, object],
    *,
    columns: Sequence[str],
    n_good: int,
) -> tuple[str, int]:
    """Second read: temp table ``__fdsa_breaks`` of line breaks in every column, by rowid."""
    _drop_reject_tables(con)
    con.execute(
        f"create or replace temp table __fdsa_breaks as "  # noqa: S608 - pinned names
        f"select {breaks_sql(columns)} as breaks from {_READ_CSV}",
        read_params,
    )
    _drop_reject_tables(con)
    n_rows, n_breaks = con.execute(
        "select count(*), coalesce(sum(breaks), 0) from __fdsa_breaks"
    ).fetchall()[0]
    if n_rows != n_good:
        raise IngestError(
            f"{path} changed while it was read ({n_good} rows, then {n_rows}); "
            "nothing was published"
        )
    return "__fdsa_breaks", n_breaks


def _recovered_ordinals(lines: GoodRowLines, starts: list[int], scale: int) -> list[int]:
    """Order keys of re-read rows (start lines ``starts``) in the gaps between rows read.

    The ``k``-th re-read row (from 1, in file order) after ``g`` rows read gets
    ``scale * g - scale + k``: after row ``g - 1`` (key ``scale * (g - 1)``), before row
    ``g`` (key ``scale * g``), as ``k < scale``.
    """
    order = np.argsort(np.asarray(starts, dtype=np.int64), kind="stable")
    gaps = lines.rows_before(np.asarray(starts, dtype=np.int64)[order])
    new_gap = np.concatenate([[True], gaps[1:] != gaps[:-1]]) if len(gaps) else gaps
    run_start = np.maximum.accumulate(np.where(new_gap, np.arange(len(gaps)), 0))
    k = np.arange(len(gaps)) - run_start + 1
    ordinals = np.empty(len(gaps), dtype=np.int64)
    ordinals[order] = scale * gaps - scale + k
    return ordinals.tolist()


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

    @classmethod
    def locate(
        cls,
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
        """Build the locator of ``table`` (rowid = position among the rows read).

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
            slow = _good_row_lines_slow(path, n_good, reject_rows, scan)
            return cls(n_good, empty, empty, empty, slow)
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
        return cls(n_good, shift, extra_at[order], np.cumsum(extra[order]))

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


def _read_csv_python(
    con: duckdb.DuckDBPyConnection, path: Path, *, columns: Sequence[str], table: str
) -> StagedRead:
    """Slow exact fallback of :func:`read_csv_staged`: Python's csv module, row by row."""
    rows: list[tuple[int, list[str]]] = []
    refused: list[dict[str, object]] = []
    n_latin1 = 0
    with open(path, encoding="latin-1", newline="") as handle:  # bytes 1:1 as chars
        reader = csv.reader(handle, strict=False)
        start = 1
        header_seen = False
        for record in reader:
            line, start = start, reader.line_num + 1
            if not record:
                continue
            if not header_seen:
                header_seen = True
                continue
            fields = []
            for value in record:
                raw = value.encode("latin-1")
                text, latin1 = decode_bytes(raw)
                n_latin1 += latin1
                fields.append(text)
            if len(fields) != len(columns):
                refused.append(
                    {
                        "line": line,
                        "field": None,
                        "reason": f"wrong number of fields: expected {len(columns)}, "
                        f"found {len(fields)}",
                        "raw_text": ",".join(fields),
                    }
                )
                continue
            rows.append((line, fields))
    frame = pa.table(
        {"line": pa.array([r[0] for r in rows], pa.int64())}
        | {c: pa.array([r[1][i] or None for r in rows], pa.string()) for i, c in enumerate(columns)}
    )
    con.register("__fdsa_python_rows", frame)
    con.execute(f"create or replace temp table {table} as select * from __fdsa_python_rows")  # noqa: S608
    con.unregister("__fdsa_python_rows")
    notes = ["read with Python's csv module (DuckDB's strict parser stopped on this file)"]
    if n_latin1:
        notes.append(f"{n_latin1} fields were not valid UTF-8 and were read as Latin-1")
    return StagedRead(rows_read=len(rows) + len(refused), rejects=refused, notes=notes)


def _read_reason(
    error_type: str, fields: list[str] | None, expected: int, column: str | None, message: str
) -> str:
    if error_type in ("TOO MANY COLUMNS", "MISSING COLUMNS") and fields is not None:
        return f"wrong number of fields: expected {expected}, found {len(fields)}"
    if error_type == "LINE SIZE OVER MAXIMUM":
        return "row longer than 4 MiB"
    if error_type == "UNQUOTED VALUE" or fields is None:
        where = f" in {column}" if column else ""
        return f"malformed quoting{where} (unterminated or stray quote)"
    if error_type == "INVALID ENCODING":
        return "not valid UTF-8 and not a well-formed row in Latin-1"
    return f"unreadable row: {error_type.lower()}: {message.splitlines()[0][:200]}"


def _good_row_lines(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    path: Path,
    n_good: int,
    reject_rows: list[int],
    reject_spans: list[int],
    scan: FileScan,
) -> np.ndarray:
    """Physical start line of every staged row, in staging order."""
    n_rejected = len(reject_rows)
    header_lines = 1
    total_rows = n_good + n_rejected
    if scan.n_lines == header_lines + total_rows and all(s == 1 for s in reject_spans):
        spans = np.ones(n_good, dtype=np.int64)
    else:
        fields = " || chr(31) || ".join(f"coalesce(\"{c}\", '')" for c in columns)
        spans = con.execute(
            f"""
            select 1 + length(t) - length(replace(t, chr(10), ''))
                     + length(t) - length(replace(t, chr(13), ''))
                     - (length(t) - length(replace(t, chr(13) || chr(10), ''))) // 2
            from (select rowid as rid, {fields} as t from {table}_raw)
            order by rid
            """  # noqa: S608 - identifiers from caller code
        ).fetchnumpy()
        spans = np.asarray(next(iter(spans.values())), dtype=np.int64)
    # Order rows as in the file: DuckDB numbers a rejected row by its record position.
    reject_positions = np.asarray(reject_rows, dtype=np.int64) - 2  # 0-based among data rows
    is_rejected = np.zeros(total_rows, dtype=bool)
    valid = (reject_positions >= 0) & (reject_positions < total_rows)
    is_rejected[reject_positions[valid]] = True
    all_spans = np.empty(total_rows, dtype=np.int64)
    if valid.all() and is_rejected.sum() == n_rejected:
        all_spans[~is_rejected] = spans
        all_spans[is_rejected] = np.asarray(reject_spans, dtype=np.int64)[
            np.argsort(reject_positions, kind="stable")
        ]
        start_lines = header_lines + 1 + np.concatenate(([0], np.cumsum(all_spans)[:-1]))
        if total_rows == 0 or start_lines[-1] + all_spans[-1] - 1 == scan.n_lines:
            return start_lines[~is_rejected]
    return _good_row_lines_slow(path, n_good, reject_rows, scan)


def _good_row_lines_slow(
    path: Path, n_good: int, reject_rows: list[int], scan: FileScan
) -> np.ndarray:
    """Start lines of the rows DuckDB kept, from a streaming pass with Python's csv module."""
    with open(path, encoding="latin-1", newline="") as handle:
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
    with open(path, encoding="latin-1", newline="") as handle:
        reader = csv.reader(handle)
        numbers: list[int] = []
        counter = 0
        for record in reader:
            counter += 1
            if record:
                numbers.append(counter)
    return numbers[1:]


# ---------------------------------------------------------------- runs and rejects


def next_id(con: duckdb.DuckDBPyConnection, table: str, key: str) -> int:
    """``max(key) + 1`` of an allowlisted table (1 when empty)."""
    from fdsa.warehouse.db import TABLE_KEYS

    if TABLE_KEYS.get(table) != (key,):
        raise ValueError(f"not a single-column key: {table}.{key}")
    return con.execute(f"select coalesce(max({key}), 0) + 1 from {table}").fetchall()[0][0]  # noqa: S608


def previous_identical_run(
    con: duckdb.DuckDBPyConnection, *, format_name: str, sha256: str
) -> tuple[int, int] | None:
    """``(ingest_run_id, rows_read)`` of a finished earlier load of the same bytes, if any."""
    rows = con.execute(
        """
        select ingest_run_id, rows_read from ingest_runs
        where format = $format and file_sha256 = $sha and finished_at is not null
        order by ingest_run_id limit 1
        """,
        {"format": format_name, "sha": sha256},
    ).fetchall()
    return rows[0] if rows else None


def start_run(con: duckdb.DuckDBPyConnection, *, source: str, format_name: str, sha256: str) -> int:
    """Insert an unfinished ``ingest_runs`` row and return its id."""
    run_id = next_id(con, "ingest_runs", "ingest_run_id")
    con.execute(
        """
        insert into ingest_runs values ($id, $source, $format, $sha, now(), null, 0, 0, 0, 0, null)
        """,
        {"id": run_id, "source": source, "format": format_name, "sha": sha256},
    )
    return run_id


def finish_run(con: duckdb.DuckDBPyConnection, run_id: int, counts: LoadCounts) -> None:
    """Record the counts and notes of a load (the table's CHECK enforces the identity)."""
    counts.check()
    con.execute(
        """
        update ingest_runs
        set finished_at = greatest(now(), started_at), rows_read = $read, rows_loaded = $loaded,
            rows_rejected = $rejected, rows_duplicate = $duplicate, note = $note
        where ingest_run_id = $id
        """,
        {
            "id": run_id,
            "read": counts.read,
            "loaded": counts.loaded,
            "rejected": counts.rejected,
            "duplicate": counts.duplicate,
            "note": "; ".join(counts.notes) or None,
        },
    )


def insert_rejects(
    con: duckdb.DuckDBPyConnection, run_id: int, file: str, rejects: list[dict[str, object]]
) -> None:
    """Add rejects gathered in Python (few rows) to the ``rejects`` table."""
    if not rejects:
        return
    first = next_id(con, "rejects", "reject_id")
    ordered = sorted(rejects, key=lambda r: (int(r["line"]), str(r["field"] or "")))
    rows_table(
        con,
        "__fdsa_new_rejects",
        {
            "reject_id": ("bigint", list(range(first, first + len(ordered)))),
            "line": ("bigint", [int(r["line"]) for r in ordered]),
            "field": ("varchar", [r["field"] for r in ordered]),
            "reason": ("varchar", [str(r["reason"]) for r in ordered]),
            "raw_text": ("varchar", [r["raw_text"] for r in ordered]),
        },
    )
    con.execute(
        """
        insert into rejects
        select reject_id, $run, $file, line, field, reason, raw_text from __fdsa_new_rejects
        """,
        {"run": run_id, "file": file},
    )
    con.execute("drop table __fdsa_new_rejects")


def rows_table(
    con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, tuple[str, list]]
) -> None:
    """Temp table ``table`` from Python lists of equal length, bound as list parameters.

    ``columns`` maps each column name to its DuckDB type and values (names and types
    from the caller's code). Unlike registering an Arrow table, this does not make
    DuckDB import pandas (a quarter of a second).
    """
    select = ", ".join(
        f"unnest($c{i}::{sql_type}[]) as {name}"
        for i, (name, (sql_type, _)) in enumerate(columns.items())
    )
    params = {f"c{i}": values for i, (_, values) in enumerate(columns.values())}
    con.execute(f"create or replace temp table {table} as select {select}", params)  # noqa: S608


def sha256_of(*parts: bytes) -> str:
    """Hex SHA-256 of the concatenated ``parts``."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


def file_label(path: Path) -> str:
    """How a file is named in ``ingest_runs.source`` and ``rejects.file``."""
    return os.fspath(path)


__all__ = [
    "FileScan",
    "IngestError",
    "LoadCounts",
    "StagedRead",
    "check_columns",
    "decode_bytes",
    "file_label",
    "finish_run",
    "insert_rejects",
    "next_id",
    "previous_identical_run",
    "read_csv_staged",
    "read_header",
    "rows_table",
    "scan_file",
    "sha256_of",
    "start_run",
]


# ---------------------------------------------------------------- JSON


def json_items(path: Path) -> tuple[list[tuple[int, str, object]], list[str]]:
    """Items of a JSON array or of JSON lines, each with its start line and raw text.

    Returns
    -------
    tuple
        ``[(line, raw_text, value_or_None)]`` (``None`` when the text is not valid
        JSON: the caller rejects it) and notes (the Latin-1 fallback).
    """
    import json

    text, latin1 = decode_bytes(Path(path).read_bytes())
    notes = ["file is not valid UTF-8: read as Latin-1"] if latin1 else []
    decoder = json.JSONDecoder()
    stripped = text.lstrip()
    items: list[tuple[int, str, object]] = []
    if stripped.startswith("["):
        position = len(text) - len(stripped) + 1
        line = 1 + text.count("\n", 0, position)
        while True:
            while position < len(text) and text[position] in " \t\r\n,":
                line += text[position] == "\n"
                position += 1
            if position >= len(text) or text[position] == "]":
                break
            try:
                value, end = decoder.raw_decode(text, position)
            except json.JSONDecodeError as exc:
                raise IngestError(
                    f"{path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
                ) from None
            items.append((line, text[position:end], value))
            line += text.count("\n", position, end)
            position = end
        return items, notes
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = None
        items.append((number, raw, value))
    return items, notes
