"""Format ``postings-csv``: Upwork job-posting dumps (Kaggle "Upwork Job Postings" layout).

Columns: ``title, link, description, published_date, is_hourly, hourly_low,
hourly_high, budget, country``, in any order and any case; ``title``, ``link`` and
``published_date`` are required, the others may be absent (null), and other columns
are ignored (named in the run's note). ``link`` is the posting's identity
(``jobs.source_key``); ``published_date`` like ``2024-02-17 09:09:54+00:00`` (a
timestamp without zone is taken as UTC); ``is_hourly`` true/false; amounts may carry
``$`` and thousands separators; ``country`` is a country name (or ISO-2 code).
"""

from __future__ import annotations

from dataclasses import dataclass
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
REQUIRED: tuple[str, ...] = ("title", "link", "published_date")
FIELD_NAMES = {"source_key": "link", "published": "published_date"}


@dataclass(frozen=True)
class Layout:
    """The columns of one dump: ``names`` (staged name of each column, in file order:
    the column of :data:`COLUMNS` or ``__extra_<i>``) and the ``ignored`` header names."""

    names: tuple[str, ...]
    ignored: tuple[str, ...]

    @property
    def pinned(self) -> bool:
        """Whether the file has exactly :data:`COLUMNS` in order (the common, fast case)."""
        return self.names == COLUMNS


def layout(path: Path) -> Layout:
    """Match the header to :data:`COLUMNS` (case and order ignored); refuse what cannot be."""
    header = core.read_header(path)
    what = f"{path} is not a {NAME} (Upwork postings dump) file"
    names, ignored, seen = [], [], {}
    for i, name in enumerate(header):
        key = name.lower()
        if key in COLUMNS:
            if key in seen:
                raise core.IngestError(
                    f"{what}: column {key!r} appears twice (columns {seen[key] + 1} and {i + 1})"
                )
            seen[key] = i
            names.append(key)
        else:
            names.append(f"__extra_{i}")
            ignored.append(name)
    missing = [c for c in REQUIRED if c not in seen]
    if missing:
        parts = [f"missing columns {', '.join(missing)}"]
        if ignored:
            parts.append("unexpected columns " + ", ".join(ignored[:12]))
        hints = "".join(core.suggest(m, ignored) for m in missing)
        raise core.IngestError(f"{what}: " + "; ".join(parts) + hints)
    return Layout(tuple(names), tuple(ignored))


def check(path: Path) -> None:
    """Refuse a file that is not a postings dump (see :func:`layout`)."""
    layout(path)


def raw_text_sql(columns: tuple[str, ...]) -> str:
    """SQL that re-serialises staged text columns as one CSV row (for ``rejects.raw_text``)."""
    return "concat_ws(',', " + ", ".join(f'fdsa_csv_field("{c}")' for c in columns) + ")"


def _typed_select(src: str, columns: tuple[str, ...] = COLUMNS) -> str:
    """SELECT typing the rows of ``src`` (its ``columns``, ``ordinal``, ``line``, ``breaks``).

    Columns of :data:`COLUMNS` the file lacks are null.
    """
    absent = "".join(f", null::varchar as {c}" for c in COLUMNS if c not in columns)
    staged = f"""(
        select *, link as source_key, published_date as published, null::varchar as job_type,
               null::varchar[] as skills, null::varchar as category {absent}
        from {src})"""  # noqa: S608 - src is core's code, names from COLUMNS
    return reconcile.typed_sql(
        staged, raw_text_sql=raw_text_sql(columns), extra={"breaks": "breaks"}
    )


def load(
    con: duckdb.DuckDBPyConnection, path: Path, *, run_id: int, scan: core.FileScan, file: str
) -> core.LoadCounts:
    """Load a postings dump into ``jobs``: one typed read, then one load of the typed rows.

    DuckDB parses and checks every row in one pass (:func:`fdsa.ingest.core.read_csv_typed`
    with :func:`fdsa.ingest.reconcile.typed_sql`); :func:`fdsa.ingest.reconcile.load_typed`
    writes the rejects, merges duplicates and inserts the new postings.
    """
    found = layout(path)
    reconcile.install_macros(con)
    read = core.read_csv_typed(
        con,
        path,
        columns=found.names,
        table=reconcile.TYPED,
        select=lambda src: _typed_select(src, found.names),
        params=reconcile.typed_params(FIELD_NAMES),
        scan=scan,
        # where dumps have line breaks; others recounted
        break_columns=("description",) if "description" in found.names else None,
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
    notes = list(read.notes)
    if found.ignored:
        notes.append(f"columns ignored: {', '.join(found.ignored)}")
    if not found.pinned:
        absent = [c for c in COLUMNS if c not in found.names]
        notes.append(
            "columns matched by name" + (f"; absent (null): {', '.join(absent)}" if absent else "")
        )
    counts.notes = notes + counts.notes
    if counts.read != read.rows_read:
        raise core.IngestError(
            f"{path}: {read.rows_read} rows read but {counts.read} accounted for; "
            "nothing was published"
        )
    return counts
