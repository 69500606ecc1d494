"""Per-connection memo of intermediate results that several analyses share.

A report runs several analyses on one connection, and some of them need the same
expensive intermediate (the rate model's fit, the niche summary). Results are
kept only for read-only connections to a warehouse file: such a connection can
never see the file change (writers publish a new file by rename), so a result
stays true for as long as the connection lives. The memo is keyed weakly by the
connection, so closing and dropping the connection frees it. Callers must not
modify what they get back.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

import duckdb

T = TypeVar("T")

_MEMO: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[Hashable, object]] = (
    weakref.WeakKeyDictionary()
)


def _read_only(con: duckdb.DuckDBPyConnection) -> bool:
    from fdsa.warehouse.lake import is_lake_connection

    if is_lake_connection(con):  # views over a lake's files, which never change in place
        return True
    rows = con.execute(
        "select readonly from duckdb_databases() where database_name = current_database()"
    ).fetchall()
    return bool(rows and rows[0][0])


def shared(con: duckdb.DuckDBPyConnection, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, remembered per read-only connection under ``key``."""
    if not _read_only(con):
        return compute()
    memo = _MEMO.setdefault(con, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[return-value]


def clear(con: duckdb.DuckDBPyConnection | None = None) -> None:
    """Forget remembered results (of one connection, or of all)."""
    if con is None:
        _MEMO.clear()
    else:
        _MEMO.pop(con, None)
