"""Format ``postings-csv``: Upwork job-posting dumps (Kaggle "Upwork Job Postings" layout).

Pinned columns, in this order: ``title, link, description, published_date, is_hourly,
hourly_low, hourly_high, budget, country``. ``link`` is the posting's identity
(``jobs.source_key``); ``published_date`` like ``2024-02-17 09:09:54+00:00`` (a
timestamp without zone is taken as UTC); ``is_hourly`` true/false; amounts may carry
``$`` and thousands separators; ``country`` is a country name (or ISO-2 code).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from fdsa.ingest import core, reconcile

NAME = "postings-csv"
DESCRIPTION = (
    "Upwork postings CSV dump: title, link, description, published_date, is_hourly, "
    "hourly_low, hourly_high, budget, country"
)
COLUMNS: tuple[str, ...] = (
    "title",
    "link",
    "description",
    "published_date",
    "is_hourly",
    "hourly_low",
    "hourly_high",
    "budget",
    "country",
)
FIELD_NAMES = {"source_key": "link", "published": "published_date"}


def check(path: Path) -> None:
    """Refuse a file that is not a postings dump (header must be exactly :data:`COLUMNS`)."""
    core.check_columns(path, core.read_header(path), COLUMNS, f"{NAME} (Upwork postings dump)")


def raw_text_sql(columns: tuple[str, ...]) -> str:
    """SQL that re-serialises staged text columns as one CSV row (for ``rejects.raw_text``)."""
    return "concat_ws(',', " + ", ".join(f'fdsa_csv_field("{c}")' for c in columns) + ")"


def _typed_select(src: str) -> str:
    """SELECT typing the rows of ``src`` (the pinned columns, ``ordinal``, ``line``, ``breaks``)."""
    staged = f"""(
        select *, link as source_key, published_date as published, null::varchar as job_type,
               null::varchar[] as skills, null::varchar as category
        from {src})"""  # noqa: S608 - src is core's code
    return reconcile.typed_sql(
        staged, raw_text_sql=raw_text_sql(COLUMNS), extra={"breaks": "breaks"}
    )


def load(
    con: duckdb.DuckDBPyConnection, path: Path, *, run_id: int, scan: core.FileScan, file: str
) -> core.LoadCounts:
    """Load a postings dump into ``jobs``: one typed read, then one load of the typed rows.

    DuckDB parses and checks every row in one pass (:func:`fdsa.ingest.core.read_csv_typed`
    with :func:`fdsa.ingest.reconcile.typed_sql`); :func:`fdsa.ingest.reconcile.load_typed`
    writes the rejects, merges duplicates and inserts the new postings.
    """
    reconcile.install_macros(con)
    read = core.read_csv_typed(
        con,
        path,
        columns=COLUMNS,
        table=reconcile.TYPED,
        select=_typed_select,
        params=reconcile.typed_params(FIELD_NAMES),
        scan=scan,
        break_columns=("description",),  # where dumps have line breaks; others recounted
    )
    core.insert_rejects(con, run_id, file, read.rejects)
    counts = reconcile.load_typed(
        con,
        run_id=run_id,
        source=NAME,
        file=file,
        lines_of=read.lines.lines_of if read.lines is not None else None,
        ordinal_scale=read.ordinal_scale,
    )
    counts.read += len(read.rejects)
    counts.rejected += len(read.rejects)
    counts.notes = read.notes + counts.notes
    if counts.read != read.rows_read:
        raise core.IngestError(
            f"{path}: {read.rows_read} rows read but {counts.read} accounted for; "
            "nothing was published"
        )
    return counts
