"""Importers: raw files → ``jobs`` / ``salary_reports`` rows, ``rejects`` and ``ingest_runs``.

One module per named format, each with pinned columns and a ``FORMAT`` object
(:class:`fdsa.ingest.formats.IngestFormat`: ``check`` and ``load``); :func:`ingest_file`
runs one load inside :func:`fdsa.warehouse.db.building`, so a load that fails part-way
publishes nothing, and closes every load the same way (:class:`fdsa.ingest.runs.LoadJob`).

Modules by job: :mod:`~fdsa.ingest.scan` (the raw file), :mod:`~fdsa.ingest.csv_read`
(DuckDB's pinned CSV read, staged or typed), :mod:`~fdsa.ingest.lines` (the line of
every row), :mod:`~fdsa.ingest.json_read`, :mod:`~fdsa.ingest.runs` (runs, rejects,
close-out), :mod:`~fdsa.ingest.postings_sql` and :mod:`~fdsa.ingest.reconcile` (the
postings load), :mod:`~fdsa.ingest.temp_tables` (every temp table by name).

Every row read ends in exactly one place: loaded, rejected (with
line, field and reason) or duplicate; ``ingest_runs`` keeps the counts. See
``docs/ingest.md``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from fdsa.ingest import aijobs_salaries, feed_json, mapped, postings_csv, runs, scan, stages
from fdsa.ingest.errors import IngestError
from fdsa.ingest.formats import IngestFormat
from fdsa.ingest.runs import LoadCounts, LoadJob, RejectReason

FORMATS: dict[str, IngestFormat] = {
    f.name: f
    for f in (postings_csv.FORMAT, feed_json.FORMAT, aijobs_salaries.FORMAT, mapped.FORMAT)
}
"""The importable formats, by name (:class:`fdsa.ingest.formats.IngestFormat`)."""


@dataclass
class IngestResult:
    """What one call of :func:`ingest_file` did.

    Attributes
    ----------
    ingest_run_id
        The ``ingest_runs`` row written.
    counts
        Rows read, loaded, rejected and duplicate, the notes and the ``other`` share.
    seconds
        Wall time of the load, publish included.
    top_reasons
        The five most frequent kinds of reject, with counts.
    """

    ingest_run_id: int
    counts: LoadCounts
    seconds: float
    top_reasons: list[RejectReason] = field(default_factory=list)


def ingest_file(
    path: str | os.PathLike[str],
    *,
    format_name: str,
    warehouse: str | os.PathLike[str],
    mapping: str | os.PathLike[str] | None = None,
) -> IngestResult:
    """Import one file into the warehouse and publish it atomically.

    Parameters
    ----------
    path
        Input file.
    format_name
        One of :data:`FORMATS`.
    warehouse
        Warehouse file; created with the schema when absent.
    mapping
        YAML mapping file (format ``mapped`` only).

    Returns
    -------
    IngestResult
        Run id, counts (``read == loaded + rejected + duplicate``) and time.

    Raises
    ------
    IngestError
        Unknown format, a file that is not of the format's kind, a load that cannot
        account for every row, or a load that lands nothing (rows read, none loaded or
        merged: the message gives the top reasons); nothing is published then.
    """
    from fdsa.warehouse import db

    started = time.perf_counter()
    path = Path(path)
    if format_name not in FORMATS:
        raise IngestError(
            f"unknown format {format_name!r}: choose one of {', '.join(FORMATS)} "
            "(`fdsa ingest --list-formats`)"
        )
    fmt = FORMATS[format_name]
    if not path.is_file():
        raise IngestError(f"no file at {path}")
    if fmt.needs_mapping and mapping is None:
        raise IngestError(f"format {fmt.name} needs --mapping FILE (see docs/ingest.md)")
    if not fmt.needs_mapping and mapping is not None:
        raise IngestError(f"format {fmt.name} takes no --mapping")
    mapping = None if mapping is None else Path(mapping)
    with stages.stage(stages.CHECK):
        spec = fmt.check(path, mapping)
    with stages.stage(stages.SCAN):
        file_scan = scan.scan_file(path)
    identity = file_scan.sha256
    if mapping is not None:
        identity = scan.sha256_of(file_scan.sha256.encode(), mapping.read_bytes())
    file = scan.file_label(path)
    opened = stages.begin(stages.OPEN)
    with db.building(warehouse, start_from_current=True) as con:
        opened()
        con.execute(
            "insert or ignore into build_info values ('schema_version', $v), ('source', 'ingest')",
            {"v": db.SCHEMA_VERSION},
        )
        previous = runs.previous_identical_run(con, format_name=fmt.name, sha256=identity)
        run_id = runs.start_run(con, source=file, format_name=fmt.name, sha256=identity)
        if previous is not None:
            counts = LoadCounts(read=previous[1], duplicate=previous[1])
            counts.notes.append(
                f"identical to ingest run {previous[0]} (same format and sha256): "
                "every row counted as duplicate, nothing changed"
            )
        else:
            job = LoadJob(con, path, run_id=run_id, scan=file_scan, file=file, spec=spec)
            counts = job.close(fmt.load(job))
        top = runs.top_reasons(con, run_id)
        if counts.read and not counts.loaded and not counts.duplicate:
            raise IngestError(_nothing_landed(path, counts, top))
        runs.finish_run(con, run_id, counts)
        published = stages.begin(stages.PUBLISH)
    published()
    return IngestResult(
        ingest_run_id=run_id,
        counts=counts,
        seconds=time.perf_counter() - started,
        top_reasons=top,
    )


def _nothing_landed(path: Path, counts: LoadCounts, top: list[RejectReason]) -> str:
    """The error of a load where rows were read and none was loaded or merged."""
    reasons = "".join(f"\n  {reason}" for reason in top)
    return (
        f"{path}: nothing loaded: 0 of {counts.read:,} rows read were loaded or merged "
        f"({counts.rejected:,} rejected); nothing was published. Top reasons:{reasons}"
    )


__all__ = ["FORMATS", "IngestError", "IngestFormat", "IngestResult", "ingest_file"]
