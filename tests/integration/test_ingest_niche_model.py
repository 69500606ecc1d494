"""Ingest: the niche model decides the distinct texts the rules leave in ``other``."""

from __future__ import annotations

import csv
import io

from fdsa.ingest import ingest_file, niches
from fdsa.warehouse import db

HEADER = "title,link,description,published_date,is_hourly,hourly_low,hourly_high,budget,country"
TITLES = (
    "Power BI dashboard for sales KPIs",  # a rule
    "Kubeflow pipelines for model training",  # no rule; the model
    "Satellite imagery land-use classification",  # no rule; the model
    "Data entry into Google Sheets",  # no rule; other
)


def test_jobs_get_the_niche_of_rules_then_model(tmp_path) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for i in range(12):  # each title three times: one model call per distinct text
        title = TITLES[i % len(TITLES)]
        writer.writerow([title, f"https://u/{i}", "d", "2024-02-17", "True", 15, 35, "", "India"])
    src = tmp_path / "postings.csv"
    src.write_text(HEADER + "\n" + out.getvalue(), encoding="utf-8")
    wh = tmp_path / "wh.duckdb"
    result = ingest_file(src, format_name="postings-csv", warehouse=wh)
    with db.connect(wh) as con:
        got = dict(con.execute("select distinct title, niche from jobs").fetchall())
    assert got == {title: niches.classify(title) for title in TITLES}
    assert got["Kubeflow pipelines for model training"] == "mlops_data_engineering"
    assert niches.classify("Kubeflow pipelines for model training", model=False) == "other"
    assert got["Data entry into Google Sheets"] == "other"
    assert result.counts.other_share == 0.25
