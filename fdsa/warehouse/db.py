"""Open, build and publish the warehouse file.

Writers never touch a published warehouse in place. ``building(path)`` takes an
exclusive lock beside the file, hands out a connection to a staging copy, and on
success checkpoints, closes and renames the staging file over the published one
(``os.replace`` is atomic on one filesystem). A crash at any point leaves the
previous warehouse as it was; a second writer is refused while the lock is held.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:  # pandas is imported by the first frame(), not by every writer
    import pandas as pd

from fdsa import taxonomy

SCHEMA_VERSION = "8"  # bump whenever schema.sql changes (tests/unit/test_schema_version.py)

TABLES: tuple[str, ...] = (
    "build_info",
    "profiles",
    "clients",
    "ingest_runs",
    "rejects",
    "jobs",
    "job_openings",
    "proposals",
    "contracts",
    "rate_history",
    "reviews",
    "truth",
    "salary_reports",
)
"""Tables in dependency order; the allowlist for every table name that reaches SQL."""

TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "build_info": ("key",),
    "profiles": ("freelancer_id",),
    "clients": ("client_id",),
    "ingest_runs": ("ingest_run_id",),
    "rejects": ("reject_id",),
    "jobs": ("job_id",),
    "job_openings": ("job_id",),
    "proposals": ("proposal_id",),
    "contracts": ("contract_id",),
    "rate_history": ("freelancer_id", "effective_at"),
    "reviews": ("review_id",),
    "truth": ("effect",),
    "salary_reports": ("salary_report_id",),
}

_VOCABULARIES = {
    "NICHES": taxonomy.NICHES,
    "REGIONS": taxonomy.REGIONS,
    "CHANNELS": taxonomy.CHANNELS,
    "OUTCOMES": taxonomy.OUTCOMES,
    "JOB_TYPES": taxonomy.JOB_TYPES,
    "EXPERIENCE_LEVELS": taxonomy.EXPERIENCE_LEVELS,
    "CLIENT_SEGMENTS": taxonomy.CLIENT_SEGMENTS,
    "REVIEW_DIRECTIONS": taxonomy.REVIEW_DIRECTIONS,
    "OPERATING_MODES": taxonomy.OPERATING_MODES,
    "BACKGROUNDS": taxonomy.BACKGROUNDS,
    "DURATIONS": taxonomy.DURATIONS,
}


class WarehouseError(RuntimeError):
    """A warehouse problem explained in words (shown to the user without a traceback)."""


class WarehouseBusyError(WarehouseError):
    """Another process is writing the warehouse."""


# ---------------------------------------------------------------- schema and SQL files


def schema_sql() -> str:
    """The DDL of ``schema.sql`` with the controlled vocabularies filled in."""
    text = files("fdsa.warehouse").joinpath("schema.sql").read_text(encoding="utf-8")

    def fill(match: re.Match[str]) -> str:
        return taxonomy.sql_in_list(_VOCABULARIES[match.group(1)])

    return re.sub(r"\{\{([A-Z_]+)\}\}", fill, text)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table of the warehouse on an empty database."""
    con.execute(schema_sql())


def read_sql(package: str, name: str) -> str:
    """Text of ``<package>/<name>.sql``; ``name`` must be a plain file stem."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"not a query name: {name!r}")
    return files(package).joinpath(f"{name}.sql").read_text(encoding="utf-8")


def frame(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object] | None = None
) -> pd.DataFrame:
    """Run ``sql`` with bound ``$params`` and return a DataFrame (through Arrow)."""
    return con.sql(sql, params=params or None).to_arrow_table().to_pandas()


def query(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """Run ``fdsa/warehouse/sql/<name>.sql`` with bound parameters; return a DataFrame."""
    return frame(con, read_sql("fdsa.warehouse.sql", name), params)


def run_checks(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Run every ``checks/*.sql`` query; each returns the rows that break a rule.

    Returns the number of offending rows per check (all zero on a sound warehouse).
    """
    results = {}
    for entry in sorted(files("fdsa.warehouse.checks").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".sql"):
            sql = entry.read_text(encoding="utf-8")
            results[entry.name[:-4]] = len(con.execute(sql).fetchall())
    return results


# ---------------------------------------------------------------- connections


def _configure(con: duckdb.DuckDBPyConnection) -> None:
    # Timestamps are stored as instants; show and convert them in UTC whatever TZ says.
    # A second connection to a file this process already has open shares its
    # (possibly locked) settings, which are then already ours.
    if con.execute("select current_setting('TimeZone')").fetchall()[0][0] != "UTC":
        con.execute("set global TimeZone = 'UTC'")


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _staging_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.staging-{os.getpid()}")


def lock_holder(path: Path) -> str | None:
    """Describe the process building ``path``, or None when no build holds the lock."""
    lock = _lock_path(path)
    if not lock.exists():
        return None
    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = lock.read_text(encoding="utf-8", errors="replace").strip() or "another process"
        return holder
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


THREADS_ENV = "FDSA_DUCKDB_THREADS"
"""DuckDB threads of each read-only connection (unset: DuckDB's default, one per core).
A batch on N workers sets it to cores / N for its report kernels, so parallel reports
do not each start a thread per core on the same cores."""


def reader_threads() -> int | None:
    """The thread count :data:`THREADS_ENV` asks for, or None (DuckDB decides)."""
    raw = os.environ.get(THREADS_ENV, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 256:
        raise WarehouseError(f"{THREADS_ENV} must be a number of threads from 1 to 256")
    return int(raw)


def connect(
    path: str | os.PathLike[str],
    *,
    read_only: bool = True,
    allow_external_access: bool = False,
) -> duckdb.DuckDBPyConnection:
    """Open a published warehouse.

    Read-only connections (the default, and the only kind analyses and reports get)
    also have external file access disabled and their configuration locked, so a
    query cannot read or write files outside the warehouse. ``path`` may also be a
    Parquet lake exported by ``fdsa warehouse export`` (:mod:`fdsa.warehouse.lake`). Raises
    ``WarehouseError`` with a plain explanation when the file is missing, being
    built, locked by a writer, or has a stray write-ahead log beside it.
    """
    path = Path(path)
    if path.is_dir():
        from fdsa.warehouse import lake

        if not lake.is_lake(path):
            raise WarehouseError(f"{path} is a folder but not an fdsa lake (no {lake.MANIFEST})")
        if not read_only:
            raise WarehouseError(f"lake {path} is read-only: export it again to change it")
        return lake.open_lake(path)
    if not path.exists():
        holder = lock_holder(path)
        if holder:
            raise WarehouseBusyError(
                f"warehouse {path} does not exist yet: it is being built by {holder}; "
                "try again when that build finishes"
            )
        raise WarehouseError(
            f"no warehouse at {path}: build one with `fdsa synth` or `fdsa ingest`"
        )
    wal = path.with_name(path.name + ".wal")
    if read_only and wal.exists():
        raise WarehouseError(
            f"found a write-ahead log {wal} beside the warehouse. fdsa publishes fully "
            "checkpointed files and never leaves one, so it is stale or belongs to another "
            "file; move it away (the warehouse itself is intact) and retry"
        )
    config: dict[str, str | bool | int | float | list[str]] = {}
    if read_only and not allow_external_access:
        config = {
            "enable_external_access": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
    threads = reader_threads()
    if read_only and threads:
        config["threads"] = threads
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusyError(
                f"warehouse {path} is open for writing by another process; "
                "try again when it finishes"
            ) from exc
        raise WarehouseError(f"cannot open warehouse {path}: {exc}") from exc
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open warehouse {path}: {exc}") from exc
    _configure(con)
    if read_only and not allow_external_access:
        locked = con.execute("select current_setting('lock_configuration')").fetchall()[0][0]
        if not locked:
            con.execute("set lock_configuration = true")
    _check_schema_version(con, path)
    return con


def _check_schema_version(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Close ``con`` and raise when the warehouse at ``path`` has another schema version.

    Every open goes through here: :func:`connect` (read-only or not) and
    :func:`building` when it adds to the published warehouse (``fdsa ingest``).
    """
    try:
        found = dict(con.execute("select key, value from build_info").fetchall())
    except duckdb.CatalogException:
        con.close()
        raise WarehouseError(f"{path} is not an fdsa warehouse (no build_info table)") from None
    version = found.get("schema_version")
    if version is not None and version != SCHEMA_VERSION:
        con.close()
        raise WarehouseError(
            f"warehouse {path} has schema version {version}, this fdsa expects "
            f"{SCHEMA_VERSION}: rebuild it with `fdsa synth`, or ingest its files into a new "
            "warehouse"
        )


@contextlib.contextmanager
def _exclusive_lock(path: Path) -> Iterator[None]:
    lock = _lock_path(path)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WarehouseError(f"cannot write in {path.parent}: {exc.strerror}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = lock.read_text(encoding="utf-8", errors="replace").strip()
            raise WarehouseBusyError(
                f"warehouse {path} is already being written by {holder or 'another process'}; "
                "only one load at a time — try again when it finishes"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"fdsa process {os.getpid()}".encode())
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def building(
    path: str | os.PathLike[str], *, start_from_current: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a writable connection to a staging copy of ``path``; publish it on success.

    With ``start_from_current`` the staging file starts as a copy of the published
    warehouse (for imports that add to it); otherwise it starts empty with the
    schema created. On any exception, or if the process dies, nothing is published
    and the staging file is removed (or left as an orphan that the next build
    clears). Only one build per warehouse runs at a time.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"cannot create folder {path.parent}: {exc.strerror}") from exc
    if not os.access(path.parent, os.W_OK):
        raise WarehouseError(f"cannot write in {path.parent}: permission denied")
    with _exclusive_lock(path):
        _remove_orphan_staging(path)
        staging = _staging_path(path)
        try:
            if start_from_current and path.exists():
                shutil.copyfile(path, staging)
                con = duckdb.connect(str(staging))
                _configure(con)
                _check_schema_version(con, path)  # adding to a warehouse of another schema
            else:
                con = duckdb.connect(str(staging))
                _configure(con)
                create_schema(con)
            try:
                yield con
                from fdsa.warehouse.derive import derive_if_missing

                derive_if_missing(con)  # derived columns of rows the writer added
                con.execute("checkpoint")
            finally:
                con.close()
            _publish(staging, path)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise WarehouseError(
                    f"disk full while writing {path}; nothing was published"
                ) from exc
            raise WarehouseError(f"could not write {path}: {exc}; nothing was published") from exc
        except duckdb.Error as exc:
            if "no space left" in str(exc).lower():
                raise WarehouseError(
                    f"disk full while writing {path}; nothing was published"
                ) from exc
            raise WarehouseError(f"could not write {path}: {exc}; nothing was published") from exc
        finally:
            for leftover in (staging, staging.with_name(staging.name + ".wal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()


def _publish(staging: Path, path: Path) -> None:
    """Atomically put the checkpointed staging file in place of ``path``."""
    staging_wal = staging.with_name(staging.name + ".wal")
    if staging_wal.exists():  # checkpoint + close leaves none; refuse to publish half a file
        raise WarehouseError(f"staging file {staging} was not fully checkpointed")
    fd = os.open(staging, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    # A WAL beside the target can only be stale or foreign: it must not be replayed
    # into the new file.
    with contextlib.suppress(FileNotFoundError):
        path.with_name(path.name + ".wal").unlink()
    Path(staging).replace(path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _remove_orphan_staging(path: Path) -> None:
    """Delete staging files left by builds that died (we hold the lock, so none is live)."""
    for orphan in path.parent.glob(f".{path.name}.staging-*"):
        with contextlib.suppress(FileNotFoundError):
            orphan.unlink()


# ---------------------------------------------------------------- inspection


def content_hash(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """Order-independent hash of a table's full contents (row count + sum of row hashes)."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    n, h = con.execute(
        f"select count(*), coalesce(sum(hash(t)::hugeint), 0) from {table} as t"  # noqa: S608 - allowlisted
    ).fetchall()[0]
    return f"{n}:{h}"


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every warehouse table."""
    return {
        t: con.execute(f"select count(*) from {t}").fetchall()[0][0]  # noqa: S608 - allowlisted
        for t in TABLES
    }


def build_info(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The ``build_info`` table as a dict."""
    return dict(con.execute("select key, value from build_info order by key").fetchall())


def data_dictionary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Tables and columns with their types and comments, in schema order."""
    return frame(
        con,
        """
        select t.table_name, t.comment as table_comment, c.column_index, c.column_name,
               c.data_type, c.is_nullable, c.comment as column_comment
        from duckdb_tables() as t
        join duckdb_columns() as c using (database_name, schema_name, table_name)
        where t.database_name = current_database() and t.schema_name = 'main'
        order by t.table_name, c.column_index
        """,
    )


def render_data_dictionary() -> str:
    """Markdown data dictionary generated from the schema's comments."""
    con = duckdb.connect()
    create_schema(con)
    dd = data_dictionary(con)
    con.close()
    out = [
        "# Data dictionary",
        "",
        "Generated from `fdsa/warehouse/schema.sql` by `fdsa warehouse dictionary`;"
        " a test keeps it in sync. Do not edit by hand.",
        "",
    ]
    for table in TABLES:
        rows = dd[dd.table_name == table]
        out += [f"## `{table}`", "", rows.table_comment.iloc[0], ""]
        out += ["| column | type | nullable | meaning |", "|---|---|---|---|"]
        for r in rows.itertuples():
            nullable = "yes" if r.is_nullable else "no"
            out.append(f"| `{r.column_name}` | {r.data_type} | {nullable} | {r.column_comment} |")
        out.append("")
    return "\n".join(out)
