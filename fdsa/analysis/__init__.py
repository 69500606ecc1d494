"""Analyses of the freelance data-science market.

One module per question: ``niches``, ``pricing``, ``channels``, ``reputation``,
``workload`` and ``salaries``. Every public function takes a read-only warehouse
connection (:func:`open_warehouse`) and keyword parameters, does its heavy lifting
in SQL with bound parameters, and returns a tidy DataFrame whose rows carry ``n``,
a 95% interval (``lo``/``hi``) and a ``low_n`` flag.
"""

from __future__ import annotations

import os

import duckdb

from fdsa import config
from fdsa.warehouse import db


def open_warehouse(path: str | os.PathLike[str] | None = None) -> duckdb.DuckDBPyConnection:
    """Read-only connection with external file access disabled and settings locked.

    ``path`` is resolved by :func:`fdsa.config.find_warehouse` (``None``:
    ``$FDSA_WAREHOUSE`` or the project's ``data/warehouse/fdsa.duckdb``).
    """
    return db.connect(config.find_warehouse(path), read_only=True)
