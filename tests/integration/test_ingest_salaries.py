"""aijobs-salaries: the real CC0 files from data/raw, duplicates kept, reloads are no-ops."""

from __future__ import annotations

from pathlib import Path

import pytest

from fdsa.ingest import IngestError, ingest_file
from fdsa.warehouse import db

RAW = Path(__file__).resolve().parents[2] / "data/raw/aijobs_salaries"


def test_csv_and_json_snapshots_load_every_row(tmp_path):
    wh = tmp_path / "wh.duckdb"
    csv_run = ingest_file(RAW / "salaries.csv", format_name="aijobs-salaries", warehouse=wh)
    assert (csv_run.counts.read, csv_run.counts.loaded, csv_run.counts.rejected) == (
        74301,
        74301,
        0,
    )
    assert any("39304 loaded rows are exact copies" in n for n in csv_run.counts.notes)
    json_run = ingest_file(
        RAW / "salaries_2024-03-31.json", format_name="aijobs-salaries", warehouse=wh
    )
    assert (json_run.counts.read, json_run.counts.loaded) == (15203, 15203)
    assert any("5874 loaded rows" in n for n in json_run.counts.notes)
    with db.connect(wh) as con:
        got = con.execute(
            """select ingest_run_id, count(*), count(*) filter (employment_type = 'FL'),
                      min(source_line), max(source_line)
               from salary_reports group by 1 order by 1"""
        ).fetchall()
        assert got == [(1, 74301, 16, 2, 74302), (2, 15203, 14, 1, 1)]
        median_fl = con.execute(
            "select median(salary_in_usd) from salary_reports "
            "where ingest_run_id = 1 and employment_type = 'FL'"
        ).fetchall()[0][0]
        assert median_fl == 50000
        before = db.content_hash(con, "salary_reports")
    again = ingest_file(RAW / "salaries.csv", format_name="aijobs-salaries", warehouse=wh)
    assert (again.counts.read, again.counts.duplicate, again.counts.loaded) == (74301, 74301, 0)
    with db.connect(wh) as con:
        assert db.content_hash(con, "salary_reports") == before


def test_bad_rows_are_rejected_with_line_and_field(tmp_path):
    header = (RAW / "salaries.csv").read_text().splitlines()[0]
    src = tmp_path / "s.csv"
    src.write_text(
        "\r\n".join(
            [
                header,
                "2024,SE,FT,Data Scientist,150000,USD,150000,US,0,US,M",
                "2024,XX,FT,Data Scientist,150000,USD,150000,US,0,US,M",
                "2024,SE,FT,Data Scientist,-1,USD,150000,US,0,US,M",
                "2024,SE,FT,Data Scientist,150000,USD,150000,US,30,US,M",
                "2024,SE,FT,Data Scientist,150000,USD,150000,US,0,US",
            ]
        )
        + "\r\n"
    )
    wh = tmp_path / "wh.duckdb"
    c = ingest_file(src, format_name="aijobs-salaries", warehouse=wh).counts
    assert (c.read, c.loaded, c.rejected) == (5, 1, 4)
    with db.connect(wh) as con:
        got = con.execute("select line, field, reason from rejects order by line").fetchall()
    assert got == [
        (3, "experience_level", "not one of EN, MI, SE, EX: XX"),
        (4, "salary", "negative amount"),
        (5, "remote_ratio", "not 0, 50 or 100: 30"),
        (6, None, "wrong number of fields: expected 11, found 10"),
    ]


def test_postings_file_given_as_salaries_is_refused(tmp_path):
    src = tmp_path / "p.csv"
    src.write_text("title,link\nx,y\n")
    with pytest.raises(IngestError, match="p.csv is not a aijobs-salaries"):
        ingest_file(src, format_name="aijobs-salaries", warehouse=tmp_path / "wh.duckdb")
    assert not (tmp_path / "wh.duckdb").exists()
