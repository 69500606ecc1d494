"""The real aijobs.net salaries: freelance vs contract vs full-time, small samples flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from fdsa.analysis import open_warehouse, salaries
from fdsa.ingest import ingest_file

RAW = Path(__file__).resolve().parents[2] / "data" / "raw" / "aijobs_salaries" / "salaries.csv"


@pytest.fixture(scope="module")
def salary_con(tmp_path_factory):
    path = tmp_path_factory.mktemp("salaries") / "w.duckdb"
    ingest_file(RAW, format_name="aijobs-salaries", warehouse=path)
    con = open_warehouse(path)
    yield con
    con.close()


def test_freelance_rows_are_few_and_flagged(salary_con):
    table = salaries.salary_comparison(salary_con).set_index("employment_type")
    assert table.loc["freelance", "n"] == 16  # PROVENANCE.md: 16 FL rows in the CSV
    assert table.loc["freelance", "median_usd"] == pytest.approx(50_000)
    assert table.loc["freelance", "low_n"] and "small sample" in table.loc["freelance", "warning"]
    assert table.loc["full_time", "median_usd"] == pytest.approx(148_000)
    assert table.loc["full_time", "n"] == 73_951 and not table.loc["full_time", "low_n"]
    assert table.loc["freelance", "hi"] < table.loc["full_time", "lo"]


def test_by_role_and_region_keeps_every_row(salary_con):
    for by in ("role", "region"):
        table = salaries.salary_comparison(salary_con, by=by)
        assert table.n.sum() == 74_301
        assert (table.lo <= table.median_usd).all() or table.lo.isna().any()


def test_role_families():
    assert salaries.role_family("Machine Learning Engineer") == "ml_engineer"
    assert salaries.role_family("Data Analyst") == "analyst"
    assert salaries.role_family("Head of Data") == "manager_or_lead"
    assert salaries.role_family("Prompt Engineer") == "other"


def test_data_scientists_are_not_taken_for_researchers():
    assert salaries.role_family("Data Scientist") == "data_scientist"
    assert salaries.role_family("Research Scientist") == "research"


@pytest.fixture(scope="module")
def two_snapshots(tmp_path_factory):
    """The shipped snapshot loaded twice: as itself, and as an older one (work years <= 2023)."""
    import duckdb

    root = tmp_path_factory.mktemp("snapshots")
    older = root / "salaries_older.json"
    with duckdb.connect() as con:
        rows = con.execute(
            "select * from read_csv(?, all_varchar = true) where work_year <= '2023'", [str(RAW)]
        ).df()
    older.write_text(rows.to_json(orient="records"), encoding="utf-8")
    path = root / "w.duckdb"
    ingest_file(RAW, format_name="aijobs-salaries", warehouse=path)  # run 1, the newest
    ingest_file(older, format_name="aijobs-salaries", warehouse=path)  # run 2, loaded later
    con = open_warehouse(path)
    yield con, len(rows)
    con.close()


def test_overlapping_snapshots_are_never_pooled(two_snapshots):
    con, n_older = two_snapshots
    snaps = salaries.salary_snapshots(con)
    assert snaps.n.tolist() == [74_301, n_older]
    assert snaps.is_default.tolist() == [True, False]  # newest data, though loaded first
    default = salaries.salary_benchmarks(con)
    assert default.n.sum() == 74_301  # not 74,301 + the older snapshot
    older = salaries.salary_benchmarks(con, snapshot=2)
    assert older.n.sum() == n_older
    assert salaries.salary_comparison(con).n.sum() == 74_301
    with pytest.raises(ValueError, match="snapshot must be 'latest' or the ingest run"):
        salaries.salary_benchmarks(con, snapshot=7)


def test_benchmarks_filter_by_role_level_region_and_year(salary_con):
    table = salaries.salary_benchmarks(
        salary_con, role="data_scientist", experience="senior", region="north_america", year=2024
    )
    full_time = table.set_index("employment_type").loc["full_time"]
    assert full_time.n > 1_000 and full_time.median_usd_lo <= full_time.median_usd
    by_year = salaries.salary_benchmarks(salary_con, by="year")
    assert set(by_year.group) == {"2020", "2021", "2022", "2023", "2024", "2025"}
    assert by_year.n.sum() == 74_301
    empty = salaries.salary_benchmarks(salary_con, role="research", region="oceania", year=2020)
    assert empty.empty
    with pytest.raises(ValueError, match="role must be one of"):
        salaries.salary_benchmarks(salary_con, role="astronaut")
