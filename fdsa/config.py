"""Paths and defaults. No work happens at import."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout root (for the default data/ and reports/ folders of a source install)."""


def default_warehouse() -> Path:
    """``$FDSA_WAREHOUSE`` or ``data/warehouse/fdsa.duckdb`` under the current directory."""
    return Path(os.environ.get("FDSA_WAREHOUSE", "data/warehouse/fdsa.duckdb"))


def find_warehouse(path: str | os.PathLike[str] | None = None) -> Path:
    """The warehouse file a notebook opens, wherever its kernel runs.

    ``None`` (a notebook's default) means ``$FDSA_WAREHOUSE``, else
    ``data/warehouse/fdsa.duckdb``. A relative path is read from the current directory
    when it is there, else from the project root: a kernel that JupyterLab starts runs
    in ``notebooks/``, where ``data/warehouse/fdsa.duckdb`` is not.
    """
    if path is None or str(path) == "":
        path = default_warehouse()
    path = Path(path).expanduser()
    if path.is_absolute() or path.exists():
        return path
    rooted = PROJECT_ROOT / path
    return rooted if rooted.exists() else path


def default_reports_dir() -> Path:
    """``$FDSA_REPORTS`` or ``reports/`` under the current directory."""
    return Path(os.environ.get("FDSA_REPORTS", "reports"))


DEFAULT_SEED = 20240517
DEFAULT_SCALE = 1.0
