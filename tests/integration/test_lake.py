"""The warehouse as a Parquet lake: every analysis and a report give what the file gives.

The small synthetic warehouse (with the real salaries) is exported with ``fdsa warehouse
export``; every public analysis (found as in ``test_analysis_frames``) runs on the file
and on the lake and must return equal frames; a report runs on the lake; Dask reads the
lake as the documented recipe does; the lake's connection reads nothing outside it.
"""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from test_analysis_frames import PUBLIC, SALARIES, _arguments
from typer.testing import CliRunner

from fdsa.analysis import open_warehouse
from fdsa.cli import app
from fdsa.ingest import ingest_file
from fdsa.reporting.runner import run_report
from fdsa.warehouse import db, lake


@pytest.fixture(scope="module")
def both(small_warehouse: Path, tmp_path_factory: pytest.TempPathFactory):
    """(warehouse file, lake folder) holding the same data."""
    root = tmp_path_factory.mktemp("lake")
    path = root / "w.duckdb"
    shutil.copy(small_warehouse, path)
    ingest_file(SALARIES, format_name="aijobs-salaries", warehouse=path)
    outcome = CliRunner().invoke(
        app, ["warehouse", "export", str(root / "lake"), "--warehouse", str(path)]
    )
    assert outcome.exit_code == 0, outcome.output
    return path, root / "lake"


def test_the_lake_holds_every_table_with_its_comments(both):
    path, folder = both
    manifest = json.loads((folder / lake.MANIFEST).read_text())
    assert set(manifest["tables"]) == set(db.TABLES)
    assert manifest["tables"]["jobs"]["partition_by"] == "niche"
    assert len(list((folder / "jobs").glob("niche=*"))) > 5
    with db.connect(path) as con:
        assert {t: manifest["tables"][t]["rows"] for t in db.TABLES} == db.table_counts(con)
    import pyarrow.parquet as pq

    metadata = pq.read_metadata(folder / "contracts" / "data.parquet").metadata
    comments = metadata[b"fdsa_columns"].decode()
    assert "Agreed hourly rate" in json.loads(comments)["hourly_rate"]
    with db.connect(path) as file_con, db.connect(folder) as lake_con:
        for table in db.TABLES:
            assert db.content_hash(lake_con, table) == db.content_hash(file_con, table), table


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_analysis_gives_the_same_result_on_the_lake(both, name):
    path, folder = both
    func = PUBLIC[name]
    arguments = _arguments(func)
    file_con, lake_con = open_warehouse(path), open_warehouse(folder)
    try:
        on_file, on_lake = func(file_con, **arguments), func(lake_con, **arguments)
    finally:
        file_con.close()
        lake_con.close()
    for a, b in zip(
        on_file if isinstance(on_file, tuple) else (on_file,),
        on_lake if isinstance(on_lake, tuple) else (on_lake,),
        strict=True,
    ):
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)


def test_a_report_runs_on_the_lake(both, tmp_path):
    path, folder = both
    result = run_report("market_overview", {}, warehouse=folder, out_dir=tmp_path)
    assert result.status == "ok", result.error
    on_file = run_report("market_overview", {}, warehouse=path, out_dir=tmp_path / "file")
    assert result.headline_numbers == on_file.headline_numbers
    assert "Simulated market" in (tmp_path / result.html).read_text()


def test_the_lake_connection_reads_nothing_outside_the_lake(both, tmp_path):
    _, folder = both
    outside = tmp_path / "secret.csv"
    outside.write_text("a\n1\n")
    con = open_warehouse(folder)
    for sql in (
        f"select * from read_csv('{outside}')",  # noqa: S608 - hostile SQL on purpose
        "set enable_external_access = true",
        f"copy (select 1) to '{tmp_path / 'x.parquet'}' (format parquet)",
    ):
        with pytest.raises(duckdb.Error):
            con.execute(sql)
    with pytest.raises(db.WarehouseError, match="read-only"):
        db.connect(folder, read_only=False)


def test_a_folder_that_is_not_a_lake_is_refused(tmp_path):
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(db.WarehouseError, match="not an fdsa lake"):
        db.connect(tmp_path)
    with pytest.raises(ValueError, match="not empty"):
        lake.export_lake(Path("unused.duckdb"), tmp_path)


@pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning")
@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")  # raised inside dask
def test_dask_reads_the_lake_as_the_recipe_says(both):
    dd = pytest.importorskip("dask.dataframe")
    path, folder = both
    jobs = dd.read_parquet(str(folder / "jobs"))  # hive partitions: niche comes back
    per_niche = jobs.groupby("niche").job_id.count().compute()
    with db.connect(path) as con:
        expected = dict(con.execute("select niche, count(*) from jobs group by niche").fetchall())
    assert {str(k): int(v) for k, v in per_niche.items()} == expected
    contracts = dd.read_parquet(str(folder / "contracts"))
    assert len(contracts) == expected_rows(path, "contracts")


def expected_rows(path: Path, table: str) -> int:
    with db.connect(path) as con:
        return db.table_counts(con)[table]


def test_spark_reads_the_lake_where_it_is_installed(both):
    """Runs where pyspark and a JVM are installed (not a dependency of fdsa: docs/lake.md)."""
    pyspark_sql = pytest.importorskip("pyspark.sql")
    path, folder = both
    spark = pyspark_sql.SparkSession.builder.master("local[1]").appName("fdsa-test").getOrCreate()
    try:
        jobs = spark.read.parquet(str(folder / "jobs"))
        counts = {r["niche"]: r["count"] for r in jobs.groupBy("niche").count().collect()}
    finally:
        spark.stop()
    with db.connect(path) as con:
        expected = dict(con.execute("select niche, count(*) from jobs group by niche").fetchall())
    assert counts == expected


def test_a_lake_connection_spills_to_its_own_temporary_folder(both):
    """Not to ``.tmp`` in the working folder; the folder goes with the connection."""
    con = open_warehouse(both[1])
    spill = Path(con.execute("select current_setting('temp_directory')").fetchall()[0][0])
    assert spill.is_absolute() and spill.is_dir() and spill.name.startswith("fdsa-lake-spill-")
    con.close()
    del con
    gc.collect()
    assert not spill.exists()
