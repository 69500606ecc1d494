"""Paths and defaults. No work happens at import."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout root (for the default data/ and reports/ folders of a source install)."""


def default_warehouse() -> Path:
    """``$FDSA_WAREHOUSE`` or ``data/warehouse/fdsa.duckdb`` under the current directory."""
    return Path(os.environ.get("FDSA_WAREHOUSE", "data/warehouse/fdsa.duckdb"))


def default_reports_dir() -> Path:
    """``$FDSA_REPORTS`` or ``reports/`` under the current directory."""
    return Path(os.environ.get("FDSA_REPORTS", "reports"))


DEFAULT_SEED = 20240517
DEFAULT_SCALE = 1.0
