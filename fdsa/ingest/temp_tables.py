"""Every temp table an import uses, by name, and how to make one from Python lists.

State passes between the steps of a load through temp tables of the staging
connection (they vanish with it). Their names are declared here, once: all start
with ``__fdsa_`` so they cannot meet a warehouse table, and all come from code, never
from user text, so SQL may interpolate them.
"""

from __future__ import annotations

import duckdb

# DuckDB's reject tables of a strict read (csv_read)
DUCK_REJECTS = "__fdsa_rejects"
DUCK_REJECT_SCANS = "__fdsa_reject_scans"

# CSV reading and line location (csv_read, lines)
LINES = "__fdsa_lines"
"""Start line of each staged row, in staging order (registered Arrow table)."""
RECOVERED = "__fdsa_recovered"
"""Rows re-read as Latin-1 (registered Arrow table)."""
PYTHON_ROWS = "__fdsa_python_rows"
"""Rows read by Python's csv module (registered Arrow table)."""
PYTHON_STAGED = "__fdsa_python_staged"
"""Rows read by Python's csv module, staged for the typed select."""
BREAKS = "__fdsa_breaks"
"""Line breaks in every field of each row, by rowid."""

# runs and rejects (runs)
NEW_REJECTS = "__fdsa_new_rejects"
RAW_LINES = "__fdsa_raw_lines"

# postings (postings_sql, reconcile)
TYPED = "__fdsa_typed"
"""Typed, checked rows of postings: ``postings_sql.typed_sql`` builds it, reconcile loads it."""
BAD = "__fdsa_bad"
FOUND_LINES = "__fdsa_found_lines"
KEYS = "__fdsa_keys"
"""Per key of the good rows: its first row and first/last date seen."""
NEW = "__fdsa_new"
"""Keys not yet in the warehouse, with their job ids."""
NICHES = "__fdsa_niches"
COUNTRIES = "__fdsa_countries"

# formats
FEED_ROWS = "__fdsa_feed_rows"
STG_FEED = "__fdsa_stg_feed"
JSON_ROWS = "__fdsa_json_rows"
STG_CSV = "__fdsa_stg_csv"
STG_SALARIES = "__fdsa_stg_salaries"
SALARIES_TYPED = "__fdsa_salaries_typed"
REGIONS = "__fdsa_regions"
PARQUET_ROWS = "__fdsa_parquet_rows"
STG_MAPPED = "__fdsa_stg_mapped"
STG_JOBS = "__fdsa_stg_jobs"
CONVERSION_PREFIX = "__fdsa_conv_"
"""Conversion tables of a mapping: ``CONVERSION_PREFIX`` + field number."""


def rows_table(
    con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, tuple[str, list]]
) -> None:
    """Temp table ``table`` from Python lists of equal length, bound as list parameters.

    ``columns`` maps each column name to its DuckDB type and values (names and types
    from the caller's code). Unlike registering an Arrow table, this does not make
    DuckDB import pandas (a quarter of a second).
    """
    select = ", ".join(
        f"unnest($c{i}::{sql_type}[]) as {name}"
        for i, (name, (sql_type, _)) in enumerate(columns.items())
    )
    params = {f"c{i}": values for i, (_, values) in enumerate(columns.values())}
    con.execute(f"create or replace temp table {table} as select {select}", params)  # noqa: S608
