"""CSV reading: DuckDB's pinned, strict read, staged as text or typed in the same pass.

A load reads the file with DuckDB (every column as text, pinned names, strict
quoting, DuckDB's own reject tables switched on), so no row can vanish: a row is
either read or in DuckDB's rejects. :func:`read_csv_typed` types and checks the rows
in the same pass (no text copy of the file is kept); :func:`read_csv_staged` keeps
them as text with a line each. Refused rows are located in the file from DuckDB's
byte positions; the lines of the others come from :mod:`fdsa.ingest.lines`. Files
DuckDB's strict parser cannot get through are read with Python's ``csv`` module.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from fdsa.ingest import lines as line_location
from fdsa.ingest.errors import IngestError
from fdsa.ingest.lines import GoodRowLines, RowOrder
from fdsa.ingest.scan import FileScan, decode_bytes, record_at, record_start
from fdsa.ingest.temp_tables import (
    BREAKS,
    DUCK_REJECT_SCANS,
    DUCK_REJECTS,
    LINES,
    PYTHON_ROWS,
    PYTHON_STAGED,
    RECOVERED,
)


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
    rejects: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


READ_CSV = f"""
    read_csv($path, columns = $columns, header = true, delim = ',', quote = '"', escape = '"',
             auto_detect = false, strict_mode = true, store_rejects = true,
             rejects_table = '{DUCK_REJECTS}', rejects_scan = '{DUCK_REJECT_SCANS}',
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
    con.execute(f"drop table if exists {DUCK_REJECTS}; drop table if exists {DUCK_REJECT_SCANS}")


def _duckdb_rejects(
    con: duckdb.DuckDBPyConnection, path: Path, columns: Sequence[str], scan: FileScan
) -> _DuckRejects:
    """Read DuckDB's reject tables of the last read, locate each record, drop the tables."""
    duck_rejects = con.execute(
        f"""
        select distinct on (line) line, line_byte_position, error_type::varchar, column_name,
               error_message
        from {DUCK_REJECTS} order by line, byte_position
        """  # noqa: S608 - fixed name
    ).fetchall()
    _drop_reject_tables(con)
    starts = [record_start(path, r[1]) for r in duck_rejects]
    start_lines = scan.lines_of(starts)
    found = _DuckRejects(rows=[r[0] for r in duck_rejects])
    for (_, _, error_type, column_name, message), start in zip(duck_rejects, starts, strict=True):
        raw, fields, n_lines = record_at(path, start)
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
        :func:`fdsa.ingest.scan.scan_file` of ``path`` (the line count checks the line numbers).

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
    read_sql = f"create or replace temp table {table}_raw as select * from {READ_CSV}"  # noqa: S608 - table name from caller code
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

    lines = _staged_lines(con, f"{table}_raw", columns, path, n_good, found, scan)
    con.register(LINES, pa.table({"line": lines}))
    col_list = ", ".join(f'r."{c}"' for c in columns)
    con.execute(
        f"""create or replace temp table {table} as
        select l.line, {col_list} from {table}_raw as r positional join {LINES} as l"""  # noqa: S608
    )
    con.unregister(LINES)
    con.execute(f"drop table {table}_raw")
    recovered = found.recovered
    if recovered:
        frame = pa.table(
            {"line": [r[0] for r in recovered]}
            | {c: [r[1][i] or None for r in recovered] for i, c in enumerate(columns)}
        )
        con.register(RECOVERED, frame)
        con.execute(f"insert into {table} select * from {RECOVERED}")  # noqa: S608
        con.unregister(RECOVERED)
    return StagedRead(
        rows_read=n_good + len(found.rows), rejects=found.refused, notes=_latin1_note(recovered)
    )


@dataclass
class TypedRead(StagedRead):
    """Result of :func:`read_csv_typed`: a :class:`StagedRead` and the row order.

    Attributes
    ----------
    order
        Line and order key of the rows DuckDB read (by rowid).
    """

    order: RowOrder = field(default_factory=RowOrder)


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
    :attr:`TypedRead.order` gives the line of any row from its rowid.

    Parameters
    ----------
    con, path, columns, table, scan
        As :func:`read_csv_staged`.
    select
        Builds a SELECT over a relation with ``columns``, ``ordinal``, ``line`` and
        ``breaks`` (line breaks inside the row's fields); it must keep ``ordinal``,
        ``line`` and ``breaks`` (caller's code).
    params
        Bound parameters of ``select``.
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
    breaks = line_location.breaks_sql(columns if break_columns is None else break_columns)
    source = f"(select *, null::bigint as ordinal, null::bigint as line, {breaks} as breaks from {READ_CSV})"  # noqa: S608, E501 - pinned names and fixed SQL
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
        staged = _read_csv_python(con, path, columns=columns, table=PYTHON_STAGED)
        python_rows = f"(select *, line as ordinal, 0 as breaks from {PYTHON_STAGED})"  # noqa: S608
        con.execute(f"create or replace temp table {table} as {select(python_rows)}", params)
        con.execute(f"drop table {PYTHON_STAGED}")
        return TypedRead(rows_read=staged.rows_read, rejects=staged.rejects, notes=staged.notes)
    found = _duckdb_rejects(con, path, columns, scan)
    n_good, n_breaks = con.execute(
        f"select count(*), coalesce(sum(breaks), 0) from {table}"  # noqa: S608
    ).fetchall()[0]

    def recount() -> tuple[str, int]:
        return _count_breaks(con, path, read_params, columns=columns, n_good=n_good)

    lines = _locate(
        con, table, path, found, n_good, n_breaks, scan, None if break_columns is None else recount
    )
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
        con.register(RECOVERED, recovered)
        con.execute(f"insert into {table} {select(RECOVERED)}", params)  # noqa: S608
        con.unregister(RECOVERED)
    return TypedRead(
        rows_read=n_good + len(found.rows),
        rejects=found.refused,
        notes=_latin1_note(found.recovered),
        order=RowOrder(lines, scale),
    )


def _count_breaks(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    read_params: Mapping[str, object],
    *,
    columns: Sequence[str],
    n_good: int,
) -> tuple[str, int]:
    """Second read: :data:`~fdsa.ingest.temp_tables.BREAKS` of every column, by rowid."""
    _drop_reject_tables(con)
    n_rows, n_breaks = line_location.count_breaks(con, READ_CSV, columns, read_params)
    _drop_reject_tables(con)
    if n_rows != n_good:
        raise IngestError(
            f"{path} changed while it was read ({n_good} rows, then {n_rows}); "
            "nothing was published"
        )
    return BREAKS, n_breaks


def _staged_lines(
    con: duckdb.DuckDBPyConnection,
    raw: str,
    columns: Sequence[str],
    path: Path,
    n_good: int,
    found: _DuckRejects,
    scan: FileScan,
) -> np.ndarray:
    """Physical start line of every row of ``raw``, in staging order.

    When the file has as many lines as rows and every refused row is one line, no row
    holds a line break; otherwise the breaks inside every field are counted first.
    """
    one_line_each = scan.n_lines == 1 + n_good + len(found.rows) and all(
        s == 1 for s in found.spans
    )
    n_breaks = 0 if one_line_each else line_location.count_breaks(con, raw, columns)[1]
    located = _locate(con, BREAKS, path, found, n_good, n_breaks, scan)
    return located.lines_of(np.arange(n_good, dtype=np.int64))


def _locate(
    con: duckdb.DuckDBPyConnection,
    table: str,
    path: Path,
    found: _DuckRejects,
    n_good: int,
    n_breaks: int,
    scan: FileScan,
    recount: Callable[[], tuple[str, int]] | None = None,
) -> GoodRowLines:
    """:func:`fdsa.ingest.lines.locate` of the rows read into ``table`` around ``found``;
    drops the breaks table a count left.
    """
    located = line_location.locate(
        con,
        table,
        path=path,
        n_good=n_good,
        reject_rows=found.rows,
        reject_spans=found.spans,
        n_breaks=n_breaks,
        scan=scan,
        recount=recount,
    )
    con.execute(f"drop table if exists {BREAKS}")
    return located


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


def _read_csv_python(
    con: duckdb.DuckDBPyConnection, path: Path, *, columns: Sequence[str], table: str
) -> StagedRead:
    """Slow exact fallback of :func:`read_csv_staged`: Python's csv module, row by row."""
    rows: list[tuple[int, list[str]]] = []
    refused: list[dict[str, object]] = []
    n_latin1 = 0
    with Path(path).open(encoding="latin-1", newline="") as handle:  # bytes 1:1 as chars
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
    con.register(PYTHON_ROWS, frame)
    con.execute(f"create or replace temp table {table} as select * from {PYTHON_ROWS}")  # noqa: S608
    con.unregister(PYTHON_ROWS)
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


__all__ = ["READ_CSV", "StagedRead", "TypedRead", "read_csv_staged", "read_csv_typed"]
