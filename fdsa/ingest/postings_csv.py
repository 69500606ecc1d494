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


def load(
    con: duckdb.DuckDBPyConnection, path: Path, *, run_id: int, scan: core.FileScan, file: str
) -> core.LoadCounts:
    """Load a postings dump into ``jobs`` (see :func:`fdsa.ingest.reconcile.load_jobs`)."""
    staged = core.read_csv_staged(
        con, path, columns=COLUMNS, table="__fdsa_stg_postings", scan=scan
    )
    core.insert_rejects(con, run_id, file, staged.rejects)
    con.execute(
        """
        create or replace temp view __fdsa_stg_jobs as
        select line as ordinal, line, link as source_key, title, description,
               published_date as published, is_hourly, null::varchar as job_type,
               hourly_low, hourly_high, budget, country, null::varchar[] as skills,
               null::varchar as category, link, published_date
        from __fdsa_stg_postings
        """
    )
    counts = reconcile.load_jobs(
        con,
        stg="__fdsa_stg_jobs",
        run_id=run_id,
        source=NAME,
        file=file,
        field_names=FIELD_NAMES,
        raw_text_sql=raw_text_sql(COLUMNS),
    )
    con.execute("drop view __fdsa_stg_jobs; drop table __fdsa_stg_postings")
    counts.read += len(staged.rejects)
    counts.rejected += len(staged.rejects)
    counts.notes = staged.notes + counts.notes
    if counts.read != staged.rows_read:
        raise core.IngestError(
            f"{path}: {staged.rows_read} rows read but {counts.read} accounted for; "
            "nothing was published"
        )
    return counts
