"""The warehouse as a Parquet lake: one folder per table, readable by DuckDB, Dask and Spark.

``fdsa warehouse export DIR --format parquet`` writes every table of a warehouse file
as Parquet under ``DIR/<table>/`` (``jobs`` partitioned by niche, the filter most
analyses apply), each file carrying the table's and its columns' comments as key-value
metadata, and ``DIR/fdsa_lake.json``: the schema version, ``build_info``, and per table
its columns (name, type, comment), partitioning, row count and the SHA-256 of every
file. The export is written to a staging folder and renamed into place, like a build:
a lake is never half written.

:func:`open_lake` opens a lake for reading: an in-memory DuckDB whose views carry the
warehouse's table names, columns and types, so every analysis and report runs on it
unchanged (``fdsa.analysis.open_warehouse(DIR)``). The connection may read the lake's
files and nothing else (external access off outside them, configuration locked).
DuckDB cannot make a folder read-only, so a lake that reports read should also be
read-only on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import weakref
from pathlib import Path

import duckdb

from fdsa.warehouse import db

MANIFEST = "fdsa_lake.json"
"""The file that makes a folder a lake (and whose hash identifies its version)."""

PARTITION_BY = {"jobs": "niche"}
"""Tables written in hive partitions, and the column (only where it helps readers)."""

_LAKE_CONNECTIONS: weakref.WeakSet[duckdb.DuckDBPyConnection] = weakref.WeakSet()


def is_lake(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a folder holding an fdsa lake."""
    return (Path(path) / MANIFEST).is_file()


def is_lake_connection(con: duckdb.DuckDBPyConnection) -> bool:
    """True for connections made by :func:`open_lake` (read-only by construction)."""
    return con in _LAKE_CONNECTIONS


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[dict[str, str]]:
    rows = con.execute(
        """select column_name, data_type, coalesce(comment, '')
           from duckdb_columns()
           where database_name = current_database() and schema_name = 'main'
             and table_name = $table
           order by column_index""",
        {"table": table},
    ).fetchall()
    return [{"name": n, "type": t, "comment": c} for n, t, c in rows]


def _table_comment(con: duckdb.DuckDBPyConnection, table: str) -> str:
    return con.execute(
        """select coalesce(comment, '') from duckdb_tables()
           where database_name = current_database() and table_name = $table""",
        {"table": table},
    ).fetchall()[0][0]


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def export_lake(warehouse: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> dict:
    """Write the warehouse file at ``warehouse`` as a Parquet lake in ``out_dir``.

    Parameters
    ----------
    warehouse
        A published warehouse file.
    out_dir
        The lake's folder: created, or replaced when it holds a lake already (a
        folder with other content is refused).

    Returns
    -------
    dict
        The manifest written to ``out_dir/fdsa_lake.json``.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not is_lake(out_dir) and any(out_dir.iterdir()):
        raise ValueError(
            f"{out_dir} is not empty and holds no fdsa lake: refusing to write into it"
        )
    staging = out_dir.with_name(f".{out_dir.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with db.connect(warehouse, allow_external_access=True) as con:
            tables: dict[str, object] = {}
            manifest = {
                "format": "fdsa parquet lake",
                "schema_version": db.SCHEMA_VERSION,
                "build_info": db.build_info(con),
                "source_sha256": file_sha256(Path(warehouse)),
                "tables": tables,
            }
            for table in db.TABLES:
                tables[table] = _export_table(con, table, staging / table)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str))
        _replace_dir(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _export_table(con: duckdb.DuckDBPyConnection, table: str, folder: Path) -> dict:
    """COPY one table (in key order) to Parquet; its description for the manifest."""
    columns = _columns(con, table)
    comment = _table_comment(con, table)
    metadata = {
        "fdsa_table": table,
        "fdsa_comment": comment,
        "fdsa_columns": json.dumps({c["name"]: c["comment"] for c in columns}),
    }
    kv = ", ".join(f"{k}: {_quote_literal(v)}" for k, v in metadata.items())
    keys = ", ".join(db.TABLE_KEYS[table])
    partition = PARTITION_BY.get(table)
    options = f"FORMAT parquet, KV_METADATA {{{kv}}}"
    if partition:
        options += f", PARTITION_BY ({partition})"
        target = folder
    else:
        folder.mkdir()
        target = folder / "data.parquet"
    con.execute(
        f"copy (select * from {table} order by {keys}) to {_quote_literal(str(target))} ({options})"  # noqa: S608 - table and keys allowlisted
    )
    files = sorted(p for p in folder.rglob("*.parquet"))
    return {
        "comment": comment,
        "columns": columns,
        "partition_by": partition,
        "rows": con.execute(f"select count(*) from {table}").fetchall()[0][0],  # noqa: S608
        "files": {str(p.relative_to(folder)): file_sha256(p) for p in files},
    }


def _replace_dir(staging: Path, target: Path) -> None:
    """Put ``staging`` in place of ``target`` (a previous lake goes only once the new is in)."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.replace(old)
    staging.replace(target)
    shutil.rmtree(old, ignore_errors=True)


def read_manifest(path: str | os.PathLike[str]) -> dict:
    """The lake's manifest, checked: an fdsa lake of this schema version."""
    path = Path(path)
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise db.WarehouseError(f"{path} is not an fdsa lake ({MANIFEST}: {exc})") from None
    version = manifest.get("schema_version")
    if version != db.SCHEMA_VERSION:
        raise db.WarehouseError(
            f"lake {path} has schema version {version}, this fdsa expects {db.SCHEMA_VERSION}: "
            "export it again from a current warehouse"
        )
    return manifest


def open_lake(path: str | os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB over the lake at ``path``: one view per table, schema order and types.

    The connection may read the lake's folder only (external access off elsewhere,
    configuration locked). Queries larger than memory spill to a private temporary
    folder, removed with the connection (an in-memory DuckDB would otherwise spill to
    ``.tmp`` in whatever folder the process runs in).
    """
    root = Path(path).resolve()
    read_manifest(root)  # a lake, of this schema version
    schema = _schema_columns()  # names and types from our schema, never from the folder
    con = duckdb.connect()
    spill = tempfile.mkdtemp(prefix="fdsa-lake-spill-")
    weakref.finalize(con, shutil.rmtree, spill, ignore_errors=True)
    con.execute(f"set temp_directory = {_quote_literal(spill)}")
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"set allowed_directories = [{_quote_literal(str(root) + '/')}]")
    con.execute("set enable_external_access = false")
    con.execute("set autoinstall_known_extensions = false")
    con.execute("set autoload_known_extensions = false")
    con.execute("set lock_configuration = true")
    for table in db.TABLES:
        partitioned = table in PARTITION_BY
        glob = root / table / ("**/*.parquet" if partitioned else "*.parquet")
        select = ", ".join(
            f'cast("{c["name"]}" as {c["type"]}) as "{c["name"]}"' for c in schema[table]
        )
        hive = ", hive_partitioning = true" if partitioned else ""
        con.execute(
            f"create view {table} as select {select} "  # noqa: S608 - names and types from schema.sql
            f"from read_parquet({_quote_literal(str(glob))}{hive})"
        )
    _LAKE_CONNECTIONS.add(con)
    return con


def _schema_columns() -> dict[str, list[dict[str, str]]]:
    """Every table's columns (name, type, comment) as ``schema.sql`` creates them."""
    with duckdb.connect() as scratch:
        db.create_schema(scratch)
        return {table: _columns(scratch, table) for table in db.TABLES}


def lake_fingerprint(path: str | os.PathLike[str]) -> str:
    """SHA-256 of the lake's manifest, which holds the hash of every data file."""
    return file_sha256(Path(path) / MANIFEST)
