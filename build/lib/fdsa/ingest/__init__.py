"""Importers: raw files → ``jobs`` / ``salary_reports`` rows, ``rejects`` and ``ingest_runs``.

One module per named format, each with pinned columns; :func:`ingest_file` runs one
load inside :func:`fdsa.warehouse.db.building`, so a load that fails part-way
publishes nothing. Every row read ends in exactly one place: loaded, rejected (with
line, field and reason) or duplicate; ``ingest_runs`` keeps the counts. See
``docs/ingest.md``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fdsa.ingest.core import IngestError, LoadCounts


@dataclass(frozen=True)
class Format:
    """A named input format: a one-line description and how to check and load a file."""

    name: str
    description: str
    module: str
    needs_mapping: bool = False


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "postings-csv",
            "Upwork postings CSV dump (title, link, description, published_date, is_hourly, "
            "hourly_low, hourly_high, budget, country) → jobs",
            "fdsa.ingest.postings_csv",
        ),
        Format(
            "feed-json",
            "Job feed items as JSON lines or a JSON array (title, link, published/pubDate, "
            "description/summary with 'Budget: $70', 'Hourly Range: ...', 'Country: ...') → jobs",
            "fdsa.ingest.feed_json",
        ),
        Format(
            "aijobs-salaries",
            "aijobs.net salary index, CSV or JSON (work_year ... company_size) → salary_reports",
            "fdsa.ingest.aijobs_salaries",
        ),
        Format(
            "mapped",
            "Any CSV or Parquet file plus a YAML mapping of its columns onto jobs columns → jobs",
            "fdsa.ingest.mapped",
            needs_mapping=True,
        ),
    )
}
"""The importable formats, by name."""


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
    """

    ingest_run_id: int
    counts: LoadCounts
    seconds: float


def _module(fmt: Format) -> Callable[..., object]:
    import importlib

    return importlib.import_module(fmt.module)


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
        Unknown format, a file that is not of the format's kind, or a load that cannot
        account for every row; nothing is published then.
    """
    from fdsa.ingest import core
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
    module = _module(fmt)
    spec = module.check(path, Path(mapping)) if fmt.needs_mapping else module.check(path)
    scan = core.scan_file(path)
    identity = scan.sha256
    if fmt.needs_mapping:
        identity = core.sha256_of(scan.sha256.encode(), Path(mapping).read_bytes())
    file = core.file_label(path)
    with db.building(warehouse, start_from_current=True) as con:
        con.execute(
            "insert or ignore into build_info values ('schema_version', $v), ('source', 'ingest')",
            {"v": db.SCHEMA_VERSION},
        )
        previous = core.previous_identical_run(con, format_name=fmt.name, sha256=identity)
        run_id = core.start_run(con, source=file, format_name=fmt.name, sha256=identity)
        if previous is not None:
            counts = LoadCounts(read=previous[1], duplicate=previous[1])
            counts.notes.append(
                f"identical to ingest run {previous[0]} (same format and sha256): "
                "every row counted as duplicate, nothing changed"
            )
        elif fmt.needs_mapping:
            counts = module.load(con, path, run_id=run_id, scan=scan, file=file, spec=spec)
        else:
            counts = module.load(con, path, run_id=run_id, scan=scan, file=file)
        core.finish_run(con, run_id, counts)
    return IngestResult(ingest_run_id=run_id, counts=counts, seconds=time.perf_counter() - started)


__all__ = ["FORMATS", "Format", "IngestError", "IngestResult", "ingest_file"]
