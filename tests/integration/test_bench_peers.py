"""The analysis benchmark's peers (pandas, polars) still compute what fdsa computes.

``bench/bench_analysis.py`` fails a run when a peer's results differ from fdsa's; this
test catches the drift earlier, on the small warehouse: when an analysis changes its
definition, its peers must follow (the pandas baseline once lagged a whole merge).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from fdsa.analysis import open_warehouse
from fdsa.warehouse import lake

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def bench_modules():
    sys.path.insert(0, str(BENCH))
    try:
        import bench_analysis
        import pandas_baseline
        import polars_baseline

        yield bench_analysis, pandas_baseline, polars_baseline
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture(scope="module")
def exported(bench_modules, small_warehouse: Path, tmp_path_factory: pytest.TempPathFactory):
    """(warehouse file, Parquet lake, CSV folder) of the small warehouse."""
    root = tmp_path_factory.mktemp("peers")
    path = root / "w.duckdb"
    shutil.copy(small_warehouse, path)
    lake.export_lake(path, root / "lake")
    bench_modules[1].export(path, root / "csv")  # before any connection holds the file
    return path, root / "lake", root / "csv"


@pytest.fixture(scope="module")
def fdsa_results(bench_modules, exported):
    bench_analysis = bench_modules[0]
    con = open_warehouse(exported[0])
    try:
        yield bench_analysis.fdsa_suite(con)
    finally:
        con.close()


@pytest.mark.parametrize("asof", ["stored", "join_asof"])
def test_polars_peer_equals_fdsa(bench_modules, exported, fdsa_results, asof):
    bench_analysis, _, polars_baseline = bench_modules
    results = polars_baseline.compute(polars_baseline.scan(exported[1]), asof=asof)
    ok, lines = bench_analysis.compare(fdsa_results, results, "polars")
    assert ok, "\n".join(lines)
    warm = polars_baseline.compute(polars_baseline.load(exported[1]), asof=asof)
    assert bench_analysis.compare(fdsa_results, warm, "polars")[0]


def test_pandas_peer_equals_fdsa(bench_modules, exported, fdsa_results):
    bench_analysis, pandas_baseline, _ = bench_modules
    results = pandas_baseline.compute(pandas_baseline.load(exported[2]))
    ok, lines = bench_analysis.compare(fdsa_results, results, "pandas")
    assert ok, "\n".join(lines)
