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
