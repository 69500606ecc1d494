"""Shared fixtures: small seeded synthetic warehouses built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TZ", "UTC")


@pytest.fixture(scope="session")
def small_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published synthetic warehouse at scale 0.05 (about 2.5k jobs), seed 7."""
    from fdsa.synth import build_warehouse

    path = tmp_path_factory.mktemp("wh") / "small.duckdb"
    build_warehouse(path, scale=0.05, seed=7)
    return path
