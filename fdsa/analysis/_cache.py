"""Per-connection memo of intermediate results that several analyses share.

A report runs several analyses on one connection, and some of them need the same
expensive intermediate (the rate model's fit, the niche summary). Results are
kept only for read-only connections to a warehouse file: such a connection can
never see the file change (writers publish a new file by rename), so a result
stays true for as long as the connection lives. The memo is keyed weakly by the
connection, so closing and dropping the connection frees it. Callers must not
modify what they get back.

Across the reports of one batch, :func:`across_batch` keeps public analysis
results in a folder the batch names, so a question asked by two reports of the
same warehouse file is answered once.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import pickle
import weakref
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

import duckdb

import fdsa
from fdsa import locks

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


def shared(
    con: duckdb.DuckDBPyConnection,
    key: Hashable,
    compute: Callable[[], T],
    *,
    batch: bool = False,
) -> T:
    """``compute()``, remembered per read-only connection under ``key``.

    With ``batch=True`` (for small results of costly fits) the result is also kept
    for the other reports of a batch (:func:`across_batch`).
    """
    if not _read_only(con):
        return compute()
    memo = _MEMO.setdefault(con, {})
    if key not in memo:
        memo[key] = across_batch(con, ("shared", key), compute) if batch else compute()
    return memo[key]  # type: ignore[return-value]


def clear(con: duckdb.DuckDBPyConnection | None = None) -> None:
    """Forget remembered results (of one connection, or of all)."""
    if con is None:
        _MEMO.clear()
    else:
        _MEMO.pop(con, None)


# ---------------------------------------------------------------- across a batch

SHARED_RESULTS_ENV = "FDSA_SHARED_RESULTS"
"""Environment variable naming a batch's folder of shared analysis results."""

_STAMP = "warehouse.json"
_SIMPLE = (type(None), bool, int, float, str, datetime.date, datetime.datetime)


def share_results(folder: Path, warehouse: Path) -> dict[str, str]:
    """Prepare ``folder`` for the results of one batch on ``warehouse``; the env to set.

    Report kernels started with the returned environment store every public
    analysis result they compute in ``folder`` and read it back when another
    report of the batch asks the same question of the same warehouse file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / _STAMP).write_text(json.dumps(_file_stamp(warehouse)), encoding="utf-8")
    return {SHARED_RESULTS_ENV: str(folder)}


def _file_stamp(path: Path) -> dict[str, object]:
    stat = Path(path).stat()
    return {"path": str(Path(path).resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _simple(value: object) -> bool:
    if isinstance(value, tuple | list | frozenset):
        return all(_simple(v) for v in value)
    return isinstance(value, _SIMPLE)


_STORES: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, tuple[str, Path | None]] = (
    weakref.WeakKeyDictionary()
)


def _store_for(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The batch's results folder when ``con`` reads the very file the batch is about.

    Decided once per connection (and folder): a read-only connection never sees its
    file change, so every analysis call need not read the stamp and stat the file.
    """
    folder = os.environ.get(SHARED_RESULTS_ENV)
    if not folder or not isinstance(con, duckdb.DuckDBPyConnection):
        return None
    known = _STORES.get(con)
    if known is not None and known[0] == folder:
        return known[1]
    store = _matching_store(con, folder)
    _STORES[con] = (folder, store)
    return store


def _matching_store(con: duckdb.DuckDBPyConnection, folder: str) -> Path | None:
    if not _read_only(con):
        return None
    try:
        stamp = json.loads((Path(folder) / _STAMP).read_text(encoding="utf-8"))
        rows = con.execute(
            "select path from duckdb_databases() where database_name = current_database()"
        ).fetchall()
        if not rows or not rows[0][0] or _file_stamp(Path(rows[0][0])) != stamp:
            return None
    except (OSError, ValueError, duckdb.Error):
        return None
    return Path(folder)


def across_batch(
    con: duckdb.DuckDBPyConnection, key: tuple[object, ...], compute: Callable[[], T]
) -> T:
    """``compute()``, stored for the other reports of a batch (see :func:`share_results`).

    Outside a batch, on a writable or different warehouse, or for a key that is not
    made of plain values, this is just ``compute()``. Each caller gets its own copy.
    """
    store = _store_for(con) if _simple(key) else None
    if store is None:
        return compute()
    digest = hashlib.sha256(repr((fdsa.__version__, key)).encode()).hexdigest()
    path = store / f"{digest}.pickle"
    # two reports of a parallel batch asking at once: the second waits, then reads the
    # first one's result
    with locks.exclusive(store / f".{digest}.lock"):
        if path.is_file():
            with path.open("rb") as handle:
                return pickle.load(handle)  # noqa: S301 - written by this batch into its own folder
        value = compute()
        staging = path.with_name(f".{path.name}.{os.getpid()}")
        with staging.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        staging.replace(path)
    return value
