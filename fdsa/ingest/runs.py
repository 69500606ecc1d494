"""Runs and rejects: the ``ingest_runs`` row of a load, its rejects, and the shared close-out.

Every load goes the same way (:func:`fdsa.ingest.ingest_file`): :func:`start_run`,
the format's load, :meth:`LoadJob.close` (rows refused while reading added to the
counts, their notes first, the raw text of CSV rejects filled in, every row read
accounted for), :func:`top_reasons`, :func:`finish_run`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from fdsa.ingest import stages
from fdsa.ingest.errors import IngestError
from fdsa.ingest.scan import FileScan, decode_bytes, record_in
from fdsa.ingest.temp_tables import NEW_REJECTS, RAW_LINES, rows_table


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
    con: duckdb.DuckDBPyConnection, run_id: int, file: str, rejects: list[dict[str, Any]]
) -> None:
    """Add rejects gathered in Python (few rows) to the ``rejects`` table."""
    if not rejects:
        return
    first = next_id(con, "rejects", "reject_id")
    ordered = sorted(rejects, key=lambda r: (int(r["line"]), str(r["field"] or "")))
    rows_table(
        con,
        NEW_REJECTS,
        {
            "reject_id": ("bigint", list(range(first, first + len(ordered)))),
            "line": ("bigint", [int(r["line"]) for r in ordered]),
            "field": ("varchar", [r["field"] for r in ordered]),
            "reason": ("varchar", [str(r["reason"]) for r in ordered]),
            "raw_text": ("varchar", [r["raw_text"] for r in ordered]),
        },
    )
    con.execute(
        f"""
        insert into rejects
        select reject_id, $run, $file, line, field, reason, raw_text from {NEW_REJECTS}
        """,  # noqa: S608 - fixed name
        {"run": run_id, "file": file},
    )
    con.execute(f"drop table {NEW_REJECTS}")


def insert_rejects_from(con: duckdb.DuckDBPyConnection, table: str, run_id: int, file: str) -> None:
    """Add the rows of ``table`` whose ``reject`` (``[field, reason]``) is set to ``rejects``.

    ``table`` (caller's code) has ``ordinal`` (file order), ``line``, ``reject`` and
    ``raw_text`` (null: :func:`fill_raw_text` fills it from the file).
    """
    con.execute(
        f"""
        insert into rejects
        select $first + row_number() over (order by ordinal) - 1, $run, $file, line,
               reject[1], reject[2], raw_text
        from {table} where reject is not null
        """,  # noqa: S608 - table name from caller code
        {"first": next_id(con, "rejects", "reject_id"), "run": run_id, "file": file},
    )


def raw_records(path: Path, scan: FileScan, lines: Sequence[int]) -> dict[int, str]:
    """The whole raw CSV record that starts on each of ``lines``, as text.

    The record's bytes from its first line through its last (quoted line breaks
    included, the final line end dropped), decoded as UTF-8 or else Latin-1.
    """
    wanted = sorted(set(int(line) for line in lines))
    found: dict[int, str] = {}
    with Path(path).open("rb") as handle:
        for line in wanted:
            if line == 1:
                start = 0
            else:
                at = int(scan.breaks[line - 2])
                handle.seek(at)
                start = at + (2 if handle.read(2) == b"\r\n" else 1)
            raw, _, _ = record_in(handle, start)
            if start == 0 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            found[line] = decode_bytes(raw)[0].rstrip("\r\n")
    return found


def fill_raw_text(con: duckdb.DuckDBPyConnection, run_id: int, path: Path, scan: FileScan) -> None:
    """Set ``rejects.raw_text`` of the run's rejects that have none to the whole raw line."""
    lines = [
        r[0]
        for r in con.execute(
            "select distinct line from rejects where ingest_run_id = $run and raw_text is null",
            {"run": run_id},
        ).fetchall()
    ]
    if not lines:
        return
    texts = raw_records(path, scan, lines)
    rows_table(
        con,
        RAW_LINES,
        {"line": ("bigint", list(texts)), "raw_text": ("varchar", list(texts.values()))},
    )
    con.execute(
        f"""
        update rejects set raw_text = r.raw_text from {RAW_LINES} as r
        where rejects.ingest_run_id = $run and rejects.line = r.line and rejects.raw_text is null
        """,  # noqa: S608 - fixed name
        {"run": run_id},
    )
    con.execute(f"drop table {RAW_LINES}")


@dataclass(frozen=True)
class RejectReason:
    """A kind of reject in one load: ``field``, ``reason`` (without the value), ``n`` rows,
    and the first ``line`` with its full ``example`` reason.
    """

    field: str | None
    reason: str
    n: int
    line: int
    example: str

    def __str__(self) -> str:
        """``line N, field: example`` as the CLI prints it."""
        where = f"{self.field}: " if self.field else ""
        detail = self.example.removeprefix(self.reason).removeprefix(": ")
        detail = f": {detail}" if detail else ""
        return f"{self.n:,} × {where}{self.reason} (first at line {self.line}{detail})"


def top_reasons(con: duckdb.DuckDBPyConnection, run_id: int, n: int = 5) -> list[RejectReason]:
    """The ``n`` most frequent kinds of reject of a load (reason up to its first ``: ``)."""
    rows = con.execute(
        """
        select field, split_part(reason, ': ', 1) as kind, count(*) as n,
               arg_min(line, line) as first_line, arg_min(reason, line) as example
        from rejects where ingest_run_id = $run
        group by all order by n desc, first_line limit $n
        """,
        {"run": run_id, "n": n},
    ).fetchall()
    return [RejectReason(*row) for row in rows]


@dataclass
class LoadJob:
    """One load of one file: what a format's ``load`` gets, and the close-out they share.

    A format stages or reads the file, hands what the read itself refused to
    :meth:`read`, loads the rest and returns its counts; :func:`fdsa.ingest.ingest_file`
    then calls :meth:`close`.

    Attributes
    ----------
    con
        Writable connection to the staging warehouse.
    path
        The input file.
    run_id
        The ``ingest_runs`` row of this load.
    scan
        :func:`fdsa.ingest.scan.scan_file` of :attr:`path`.
    file
        How the file is named in ``rejects.file``.
    spec
        What the format's ``check`` returned (a parsed mapping), or None.
    """

    con: duckdb.DuckDBPyConnection
    path: Path
    run_id: int
    scan: FileScan
    file: str
    spec: object = None
    rows_read: int | None = None
    read_rejected: int = 0
    read_notes: list[str] = field(default_factory=list)
    raw_text_from_file: bool = False

    def read(
        self,
        rows_read: int,
        rejects: list[dict[str, Any]],
        notes: Sequence[str] = (),
        *,
        raw_text_from_file: bool = False,
    ) -> None:
        """Record what reading the file gave: rows read, rows refused (to ``rejects`` now,
        so they take the first reject ids), notes; ``raw_text_from_file`` when rejects
        written later leave ``raw_text`` null for :meth:`close` to fill from the file.
        """
        with stages.stage(stages.PARSER_REJECTS):
            insert_rejects(self.con, self.run_id, self.file, rejects)
        self.rows_read = rows_read
        self.read_rejected = len(rejects)
        self.read_notes = list(notes)
        self.raw_text_from_file = raw_text_from_file

    def close(self, counts: LoadCounts) -> LoadCounts:
        """The shared close-out: read rejects and notes into ``counts``, raw text filled,
        every row read accounted for (else :class:`IngestError`, nothing published).
        """
        if self.raw_text_from_file:
            fill_raw_text(self.con, self.run_id, self.path, self.scan)
        counts.read += self.read_rejected
        counts.rejected += self.read_rejected
        counts.notes = self.read_notes + counts.notes
        if self.rows_read is not None and counts.read != self.rows_read:
            raise IngestError(
                f"{self.path}: {self.rows_read} rows read but {counts.read} accounted for; "
                "nothing was published"
            )
        return counts


__all__ = [
    "LoadCounts",
    "LoadJob",
    "RejectReason",
    "fill_raw_text",
    "finish_run",
    "insert_rejects",
    "insert_rejects_from",
    "next_id",
    "previous_identical_run",
    "raw_records",
    "start_run",
    "top_reasons",
]
