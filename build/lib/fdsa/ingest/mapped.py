"""Format ``mapped``: any CSV or Parquet file plus a YAML mapping onto ``jobs`` columns.

The mapping names, for each ``jobs`` field, the source column that feeds it::

    source: my-crawl          # jobs.source (default "mapped"); a slug
    columns:                  # jobs field: source column
      source_key: url         # required: the posting's identity in the source
      title: job_title        # required
      posted_at: posted       # required: ISO 8601 timestamp (no zone = UTC)
      description: body
      job_type: kind          # hourly / fixed
      is_hourly: hourly       # true / false (alternative to job_type)
      hourly_low: rate_min
      hourly_high: rate_max
      budget: price
      country: client_country # name or ISO-2 code
      skills: tags            # one text, split on skills_separator
      category: category
    skills_separator: ","

Source columns are read as text and parsed like ``postings-csv``. The CSV is read
with pinned positional names, so source column names never reach SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

from fdsa.ingest import core, reconcile

NAME = "mapped"
TARGETS: dict[str, str] = {
    "source_key": "source_key",
    "title": "title",
    "posted_at": "published",
    "description": "description",
    "job_type": "job_type",
    "is_hourly": "is_hourly",
    "hourly_low": "hourly_low",
    "hourly_high": "hourly_high",
    "budget": "budget",
    "country": "country",
    "skills": "skills",
    "category": "category",
}
"""Mapping keys (jobs fields) → staged text column."""
REQUIRED = ("source_key", "title", "posted_at")


@dataclass(frozen=True)
class MappingSpec:
    """A checked mapping: ``source``, ``columns`` (jobs field → source column), separator."""

    source: str
    columns: dict[str, str]
    skills_separator: str
    header: tuple[str, ...]
    is_parquet: bool


def _read_mapping(path: Path) -> dict:
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise core.IngestError(f"cannot read mapping {path}: {exc}") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("columns"), dict):
        raise core.IngestError(f"mapping {path} needs a 'columns:' table (see docs/ingest.md)")
    unknown = sorted(set(spec) - {"source", "columns", "skills_separator"})
    if unknown:
        raise core.IngestError(f"mapping {path}: unknown keys {', '.join(unknown)}")
    return spec


def check(path: Path, mapping: Path) -> MappingSpec:
    """Validate the mapping against the file's columns; refuse with a clear message."""
    spec = _read_mapping(mapping)
    columns = {str(k): str(v) for k, v in spec["columns"].items()}
    unknown = sorted(set(columns) - set(TARGETS))
    if unknown:
        raise core.IngestError(
            f"mapping {mapping}: {', '.join(unknown)} not jobs fields; use {', '.join(TARGETS)}"
        )
    missing = [k for k in REQUIRED if k not in columns]
    if missing:
        raise core.IngestError(
            f"mapping {mapping}: required fields {', '.join(missing)} not mapped"
        )
    source = str(spec.get("source", NAME))
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,63}", source) or source == "synthetic":
        raise core.IngestError(f"mapping {mapping}: source {source!r} must be a lower-case slug")
    is_parquet = path.suffix.lower() in (".parquet", ".pq")
    if is_parquet:
        try:
            header = tuple(pq.read_schema(path).names)
        except (OSError, pa.ArrowInvalid) as exc:
            raise core.IngestError(f"{path} is not a Parquet file: {exc}") from None
    else:
        header = tuple(core.read_header(path))
    absent = [f"{v} (for {k})" for k, v in columns.items() if v not in header]
    if absent:
        raise core.IngestError(
            f"{path} does not match mapping {mapping}: missing columns {', '.join(absent)}"
        )
    return MappingSpec(source, columns, str(spec.get("skills_separator", ",")), header, is_parquet)


def _stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, spec: MappingSpec) -> int:
    table = pq.read_table(path, columns=sorted(set(spec.columns.values())))
    columns = {}
    for name in table.column_names:
        column = table[name]
        if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
            column = pc.binary_join(pc.cast(column, pa.list_(pa.string())), spec.skills_separator)
        columns[f"c{spec.header.index(name)}"] = pc.cast(column, pa.string())
    n = table.num_rows
    staged = pa.table({"line": pa.array(range(1, n + 1), pa.int64())} | columns)
    con.register("__fdsa_parquet_rows", staged)
    con.execute(
        "create or replace temp table __fdsa_stg_mapped as select * from __fdsa_parquet_rows"
    )
    con.unregister("__fdsa_parquet_rows")
    return n


def load(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    run_id: int,
    scan: core.FileScan,
    file: str,
    spec: MappingSpec,
) -> core.LoadCounts:
    """Load the mapped columns into ``jobs`` (see :func:`fdsa.ingest.reconcile.load_jobs`)."""
    positional = tuple(f"c{i}" for i in range(len(spec.header)))
    if spec.is_parquet:
        rows_read = _stage_parquet(con, path, spec)
        staged = core.StagedRead(rows_read=rows_read)
    else:
        staged = core.read_csv_staged(
            con, path, columns=positional, table="__fdsa_stg_mapped", scan=scan
        )
    core.insert_rejects(con, run_id, file, staged.rejects)
    select = []
    for target, text_column in TARGETS.items():
        source_column = spec.columns.get(target)
        if source_column is None:
            expr = "null::varchar[]" if target == "skills" else "null::varchar"
        else:
            expr = f"c{spec.header.index(source_column)}"
            if target == "skills":
                expr = (
                    f"list_filter(list_transform(string_split({expr}, $sep), lambda s: trim(s)),"
                    " lambda s: s <> '')"
                )
        select.append(f"{expr} as {text_column}")
    used = sorted({spec.header.index(c) for c in spec.columns.values()})
    raw = "concat_ws(',', " + ", ".join(f"fdsa_csv_field(c{i})" for i in used) + ")"
    reconcile.install_macros(con)
    con.execute(
        f"""create or replace temp table __fdsa_stg_jobs as
        select line as ordinal, line, {", ".join(select)}, {raw} as raw_text
        from __fdsa_stg_mapped""",  # noqa: S608 - positional identifiers only
        {"sep": spec.skills_separator} if "skills" in spec.columns else None,
    )
    field_names = {TARGETS[k]: v for k, v in spec.columns.items()}
    counts = reconcile.load_jobs(
        con,
        stg="__fdsa_stg_jobs",
        run_id=run_id,
        source=spec.source,
        file=file,
        field_names=field_names,
        raw_text_sql="raw_text",
    )
    con.execute("drop table __fdsa_stg_jobs; drop table __fdsa_stg_mapped")
    counts.read += len(staged.rejects)
    counts.rejected += len(staged.rejects)
    counts.notes = staged.notes + counts.notes
    if counts.read != staged.rows_read:
        raise core.IngestError(f"{path}: {staged.rows_read} rows read, {counts.read} accounted for")
    return counts
