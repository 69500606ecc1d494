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

from fdsa.ingest import csv_read, postings_sql, reconcile, stages
from fdsa.ingest.errors import IngestError
from fdsa.ingest.formats import Format
from fdsa.ingest.runs import LoadCounts, LoadJob
from fdsa.ingest.scan import read_header, suggest
from fdsa.ingest.temp_tables import TYPED

NAME = "postings-csv"
DESCRIPTION = (
    "Upwork postings CSV dump: title, link, published_date required; description, "
    "is_hourly, hourly_low, hourly_high, budget, country optional; any order and "
    "case, other columns ignored → jobs"
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
    the column of :data:`COLUMNS` or ``__extra_<i>``) and the ``ignored`` header names.
    """

    names: tuple[str, ...]
    ignored: tuple[str, ...]

    @property
    def pinned(self) -> bool:
        """Whether the file has exactly :data:`COLUMNS` in order (the common, fast case)."""
        return self.names == COLUMNS


def layout(path: Path) -> Layout:
    """Match the header to :data:`COLUMNS` (case and order ignored); refuse what cannot be."""
    header = read_header(path)
    what = f"{path} is not a {NAME} (Upwork postings dump) file"
    names: list[str] = []
    ignored: list[str] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        key = name.lower()
        if key in COLUMNS:
            if key in seen:
                raise IngestError(
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
        hints = "".join(suggest(m, ignored) for m in missing)
        raise IngestError(f"{what}: " + "; ".join(parts) + hints)
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
        from {src})"""  # noqa: S608 - src is csv_read's code, names from COLUMNS
    return postings_sql.typed_sql(
        staged, raw_text_sql=raw_text_sql(columns), extra={"breaks": "breaks"}
    )


def load(job: LoadJob) -> LoadCounts:
    """Load a postings dump into ``jobs``: one typed read, then one load of the typed rows.

    DuckDB parses and checks every row in one pass (:func:`fdsa.ingest.csv_read.read_csv_typed`
    with :func:`fdsa.ingest.postings_sql.typed_sql`); :func:`fdsa.ingest.reconcile.load_typed`
    writes the rejects, merges duplicates and inserts the new postings.
    """
    found = layout(job.path)
    postings_sql.install_macros(job.con)
    with stages.stage(stages.PARSE):
        read = csv_read.read_csv_typed(
            job.con,
            job.path,
            columns=found.names,
            table=TYPED,
            select=lambda src: _typed_select(src, found.names),
            params=postings_sql.typed_params(FIELD_NAMES),
            scan=job.scan,
            # where dumps have line breaks; others recounted
            break_columns=("description",) if "description" in found.names else None,
        )
    job.read(read.rows_read, read.rejects, read.notes)
    counts = reconcile.load_typed(
        job.con, run_id=job.run_id, source=NAME, file=job.file, order=read.order
    )
    notes = []
    if found.ignored:
        notes.append(f"columns ignored: {', '.join(found.ignored)}")
    if not found.pinned:
        absent = [c for c in COLUMNS if c not in found.names]
        notes.append(
            "columns matched by name" + (f"; absent (null): {', '.join(absent)}" if absent else "")
        )
    counts.notes = notes + counts.notes
    return counts


FORMAT = Format(NAME, DESCRIPTION, check, load)
"""The ``postings-csv`` format (:class:`fdsa.ingest.formats.IngestFormat`)."""
