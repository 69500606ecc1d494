"""Promise: every hostile file is either refused clearly or loaded with every row accounted for.

For each ingest format a corpus of broken files is thrown at `fdsa ingest`. Each one
must end in exactly one of two ways: a clear refusal (IngestError naming the file,
nothing published) or a load whose ``ingest_runs`` row reconciles
(read = loaded + rejected + duplicate), with the warehouse passing its checks.
"""

from __future__ import annotations

import json
import os
import random

import pytest

from fdsa.ingest import IngestError, ingest_file
from fdsa.warehouse import db

HEADER = "title,link,description,published_date,is_hourly,hourly_low,hourly_high,budget,country"
GOOD = 'Power BI dashboard,https://u/{i},"desc {i}",2024-02-17 09:09:54+00:00,True,15,35,,India'
SALARY_HEADER = (
    "work_year,experience_level,employment_type,job_title,salary,salary_currency,"
    "salary_in_usd,employee_residence,remote_ratio,company_location,company_size"
)
SALARY_ROW = "2024,MI,FL,Data Scientist,50000,USD,50000,IN,100,IN,S"
MAPPED_HEADER = "url,job_title,posted,kind,rate_min,rate_max,price,client_country,tags"
MAPPING = (
    "columns:\n  source_key: url\n  title: job_title\n  posted_at: posted\n  job_type: kind\n"
    "  hourly_low: rate_min\n  hourly_high: rate_max\n  budget: price\n"
    "  country: client_country\n  skills: tags\n"
)


def _postings(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _corpus() -> dict[str, tuple[str, bytes]]:
    rng = random.Random(7)
    good = [GOOD.format(i=i) for i in range(5)]
    feed_item = {
        "title": "OCR pipeline <img src=x onerror=alert(1)>",
        "link": "https://f/1",
        "published": "Sat, 17 Feb 2024 09:09:54 +0000",
        "description": "<b>Budget</b>: $70 <br/><b>Country</b>: India",
    }
    return {
        "truncated mid-row": ("postings-csv", _postings(*good)[:-40]),
        "truncated mid-quote": ("postings-csv", _postings(*good, 'T,https://u/x,"never closed')),
        "wrong delimiter": ("postings-csv", _postings(*good).replace(b",", b";")),
        "binary garbage": ("postings-csv", bytes(rng.randrange(256) for _ in range(20_000))),
        "empty file": ("postings-csv", b""),
        "header only": ("postings-csv", _postings()),
        "wrong columns": ("postings-csv", b"a,b,c\n1,2,3\n"),
        "duplicate headers": ("postings-csv", (HEADER + ",title\n" + good[0] + ",x\n").encode()),
        "10 MB single field": (
            "postings-csv",
            _postings(f'Big,https://u/big,"{"x" * 10_000_000}",2024-02-17,False,,,10,India', *good),
        ),
        "nested quotes": (
            "postings-csv",
            _postings(
                '"He said ""hi"" <script>x</script>",https://u/q,"a ""b"" c",2024-02-17,'
                "False,,,10,India",
                *good,
            ),
        ),
        "mixed encodings": (
            "postings-csv",
            _postings(*good)
            + "Caf\xe9 analyst,https://u/l,x,2024-02-17,False,,,10,France\n".encode("latin-1")
            + "Ünïcode,https://u/u,ok,2024-02-17,False,,,10,Germany\n".encode(),
        ),
        "dates in several zones": (
            "postings-csv",
            _postings(
                *[
                    f"Zone {z},https://u/z{i},x,2024-02-17 09:00:00{z},False,,,10,India"
                    for i, z in enumerate(["+00:00", "+05:30", "-08:00", "Z", ""])
                ]
            ),
        ),
        "negative and absurd rates": (
            "postings-csv",
            _postings(
                "Neg,https://u/n,x,2024-02-17,True,-5,10,,India",
                "Absurd,https://u/a,x,2024-02-17,True,1e12,1e13,,India",
                "NaN,https://u/nan,x,2024-02-17,True,nan,inf,,India",
                *good,
            ),
        ),
        "feed: not json": ("feed-json", b"{this is not json"),
        "feed: truncated array": ("feed-json", json.dumps([feed_item] * 3).encode()[:-30]),
        "feed: hostile item": ("feed-json", json.dumps([feed_item, {"title": 5}]).encode()),
        "salaries: wrong columns": ("aijobs-salaries", _postings(*good)),
        "salaries: absurd values": (
            "aijobs-salaries",
            "\n".join(
                [
                    SALARY_HEADER,
                    SALARY_ROW,
                    SALARY_ROW.replace("50000", "-1"),
                    SALARY_ROW.replace(",2024,", ",twenty,", 1),
                    "2024,MI,FL",
                ]
            ).encode()
            + b"\n",
        ),
        "salaries: binary garbage": ("aijobs-salaries", os.urandom(5000)),
        "mapped: wrong columns": ("mapped", b"a,b,c\n1,2,3\n"),
        "mapped: binary garbage": ("mapped", bytes(rng.randrange(256) for _ in range(20_000))),
        "mapped: truncated and hostile": (
            "mapped",
            (
                MAPPED_HEADER
                + "\n"
                + "\n".join(
                    [
                        "m1,<script>alert(1)</script>,2024-02-17T09:00:00+05:30,hourly,-5,10,,FR,x",
                        "m2,Fine,not a date,fixed,,,$1e12,DE,",
                        "m1,Rescraped,2024-03-01,fixed,,,70,DE,",
                        'm3,"never closed',
                    ]
                )
            ).encode(),
        ),
    }


CORPUS = _corpus()


@pytest.mark.parametrize("name", list(CORPUS))
def test_hostile_file_is_refused_or_reconciled(tmp_path, name):
    fmt, data = CORPUS[name]
    source = tmp_path / ("input.json" if fmt == "feed-json" else "input.csv")
    source.write_bytes(data)
    warehouse = tmp_path / "w.duckdb"
    mapping = None
    if fmt == "mapped":
        mapping = tmp_path / "mapping.yaml"
        mapping.write_text(MAPPING, encoding="utf-8")
    try:
        result = ingest_file(source, format_name=fmt, warehouse=warehouse, mapping=mapping)
    except IngestError as exc:
        message = str(exc)
        assert str(source) in message or source.name in message, message
        assert "Traceback" not in message
        assert not warehouse.exists(), "a refused load published a warehouse"
        return
    counts = result.counts
    assert counts.read == counts.loaded + counts.rejected + counts.duplicate
    with db.connect(warehouse) as con:
        row = con.execute(
            "select rows_read, rows_loaded, rows_rejected, rows_duplicate from ingest_runs "
            "where ingest_run_id = ?",
            [result.ingest_run_id],
        ).fetchall()[0]
        assert row[0] == row[1] + row[2] + row[3] == counts.read
        n_rejects = con.execute(
            "select count(distinct line) from rejects where ingest_run_id = ?",
            [result.ingest_run_id],
        ).fetchall()[0][0]
        assert n_rejects == counts.rejected
        assert not any(db.run_checks(con).values())


def test_an_over_long_row_is_rejected_with_its_reason(tmp_path):
    fmt, data = CORPUS["10 MB single field"]
    source = tmp_path / "big.csv"
    source.write_bytes(data)
    result = ingest_file(source, format_name=fmt, warehouse=tmp_path / "w.duckdb")
    assert (result.counts.loaded, result.counts.rejected) == (5, 1)
    with db.connect(tmp_path / "w.duckdb") as con:
        assert con.execute("select line, reason from rejects").fetchall() == [
            (2, "row longer than 4 MiB")
        ]


def test_the_corpus_covers_every_format(record_property):
    from fdsa.ingest import FORMATS

    assert {fmt for fmt, _ in CORPUS.values()} == set(FORMATS)
    record_property("figure: hostile files tried", len(CORPUS))
