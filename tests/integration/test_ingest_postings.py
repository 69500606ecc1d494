"""postings-csv, feed-json and mapped imports: hostile fixtures, every row accounted for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from fdsa.cli import app
from fdsa.ingest import IngestError, ingest_file
from fdsa.warehouse import db

HEADER = "title,link,description,published_date,is_hourly,hourly_low,hourly_high,budget,country"
ROWS = [
    # line 2
    "Build a RAG chatbot with LangChain,https://u/1,"
    '"plain",2024-02-17 09:09:54+00:00,True,15,35,,United States',
    # line 3, spans 3-4 (quoted newline)
    "<script>alert(1)</script> Power BI dashboard,https://u/2,"
    '"two\nlines 😀",2024-02-18 10:00:00+00:00,False,,,"$2,500",India',
    # line 5: placeholder budget
    "Data entry,https://u/3,x,2024-02-19 08:00:00+00:00,False,,,$0,Narnia",
    # line 6: too many columns
    "Extra,https://u/4,x,2024-02-19,False,,,10,India,EXTRA",
    # line 7: unparseable date
    "Bad date,https://u/5,x,next tuesday,False,,,10,India",
    # line 8: negative amount
    "Negative,https://u/6,x,2024-02-19,False,,,-5,India",
    # line 9: low > high
    "Inverted,https://u/7,x,2024-02-19,True,50,20,,India",
    # line 10: same link as line 2, later scrape
    "Build a RAG chatbot with LangChain,https://u/1,"
    '"plain",2024-03-01 00:00:00+00:00,True,15,35,,United States',
    # line 11: not a flag
    "Flag,https://u/8,x,2024-02-19,maybe,,,10,India",
]


def write_fixture(path: Path, *, newline: str = "\n", bom: bool = False) -> Path:
    text = "\n".join([HEADER, *ROWS]).replace("\n", newline) + newline
    data = text.encode("utf-8")
    # A stray Latin-1 byte (é) in one row: line 12.
    data += (
        "Fran\xe7ais analyst,https://u/9,caf\xe9,2024-02-20,False,,,100,France".encode("latin-1")
        + newline.encode()
    )
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


EXPECTED_REJECTS = [
    (6, None, "wrong number of fields: expected 9, found 10"),
    (7, "published_date", "not a timestamp: next tuesday"),
    (8, "budget", "negative amount"),
    (9, "hourly_low", "hourly_low is above hourly_high"),
    (11, "is_hourly", "not true/false: maybe"),
]


def state(path: Path) -> dict[str, str]:
    with db.connect(path) as con:
        return {t: db.content_hash(con, t) for t in ("jobs", "rejects", "salary_reports")}


@pytest.mark.parametrize(
    ("newline", "bom"), [("\n", False), ("\r\n", True), ("\r", False), ("\r", True)]
)
def test_hostile_dump_reconciles_with_exact_rejects(tmp_path, newline, bom):
    src = write_fixture(tmp_path / "dump.csv", newline=newline, bom=bom)
    wh = tmp_path / "wh.duckdb"
    result = ingest_file(src, format_name="postings-csv", warehouse=wh)
    c = result.counts
    assert c.read == c.loaded + c.rejected + c.duplicate
    assert (c.read, c.loaded, c.rejected, c.duplicate) == (10, 4, 5, 1)
    with db.connect(wh) as con:
        rejects = con.execute("select line, field, reason from rejects order by line").fetchall()
        assert rejects == EXPECTED_REJECTS
        run = con.execute(
            "select rows_read, rows_loaded, rows_rejected, rows_duplicate, note from ingest_runs"
        ).fetchall()[0]
        assert run[:4] == (10, 4, 5, 1)
        assert "Latin-1" in run[4] and "niche other" in run[4]
        jobs = {
            r[0]: r[1:]
            for r in con.execute(
                """select source_key, title, description, niche, job_type, budget,
                          is_placeholder_budget, country, region, first_seen_at::varchar,
                          last_seen_at::varchar, source
                   from jobs"""
            ).fetchall()
        }
    assert jobs["https://u/1"][2:4] == ("llm_applications", "hourly")
    assert jobs["https://u/1"][8:10] == ("2024-02-17 09:09:54+00", "2024-03-01 00:00:00+00")
    assert jobs["https://u/2"][0].startswith("<script>alert(1)</script>")  # stored as text
    assert jobs["https://u/2"][1] == "two" + newline + "lines 😀"
    assert jobs["https://u/2"][4] == 2500.0
    assert jobs["https://u/3"][4:8] == (0.0, True, "Narnia", "unknown")
    assert jobs["https://u/9"][1] == "café" and jobs["https://u/9"][7] == "europe_west"
    assert {j[-1] for j in jobs.values()} == {"postings-csv"}


def test_doubled_carriage_returns_fall_back_to_python_csv(tmp_path):
    # "\r\r\n" line ends (a CRLF file converted twice) make DuckDB's strict parser stop.
    src = tmp_path / "dump.csv"
    src.write_bytes(
        "\r\r\n".join([HEADER, ROWS[0], ROWS[3], "caf\xe9,https://u/x,d,2024-01-01,,,,,"]).encode(
            "latin-1"
        )
    )
    wh = tmp_path / "wh.duckdb"
    c = ingest_file(src, format_name="postings-csv", warehouse=wh).counts
    assert (c.read, c.loaded, c.rejected, c.duplicate) == (3, 2, 1, 0)
    with db.connect(wh) as con:
        assert con.execute("select line, field from rejects").fetchall() == [(5, None)]
        assert con.execute("select title from jobs order by job_id").fetchall()[1] == ("café",)


def test_reload_is_idempotent(tmp_path):
    src = write_fixture(tmp_path / "dump.csv")
    wh = tmp_path / "wh.duckdb"
    ingest_file(src, format_name="postings-csv", warehouse=wh)
    before = state(wh)
    again = ingest_file(src, format_name="postings-csv", warehouse=wh)
    assert (again.counts.read, again.counts.duplicate, again.counts.loaded) == (10, 10, 0)
    assert state(wh) == before
    with db.connect(wh) as con:
        assert con.execute("select count(*) from ingest_runs").fetchall()[0][0] == 2
        assert db.run_checks(con)["ingest_runs_reconcile"] == 0


def test_rescrape_merges_seen_dates(tmp_path):
    wh = tmp_path / "wh.duckdb"
    first = tmp_path / "a.csv"
    first.write_text(f"{HEADER}\n{ROWS[0]}\n", encoding="utf-8")
    later = tmp_path / "b.csv"
    later.write_text(
        f"{HEADER}\n{ROWS[0].replace('2024-02-17 09:09:54', '2024-04-01 12:00:00')}\n"
        f"{ROWS[0].replace('2024-02-17 09:09:54', '2024-01-01 00:00:00')}\n",
        encoding="utf-8",
    )
    ingest_file(first, format_name="postings-csv", warehouse=wh)
    c = ingest_file(later, format_name="postings-csv", warehouse=wh).counts
    assert (c.read, c.loaded, c.duplicate) == (2, 0, 2)
    with db.connect(wh) as con:
        got = con.execute(
            "select count(*), min(first_seen_at)::varchar, max(last_seen_at)::varchar from jobs"
        ).fetchall()[0]
    assert got == (1, "2024-01-01 00:00:00+00", "2024-04-01 12:00:00+00")


def test_results_do_not_depend_on_tz(tmp_path):
    src = write_fixture(tmp_path / "dump.csv")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps(
            {
                "title": "t",
                "link": "k",
                "pubDate": "Sat, 17 Feb 2024 09:09:54 -0800",
                "description": "Budget: $70",
            }
        )
        + "\n"
        + json.dumps({"title": "t2", "link": "k2", "published": "2024-02-17 09:09:54"})
        + "\n",
        encoding="utf-8",
    )
    script = (
        "import sys, duckdb\n"
        "from fdsa.ingest import ingest_file\n"
        "ingest_file(sys.argv[1], format_name='postings-csv', warehouse=sys.argv[3])\n"
        "ingest_file(sys.argv[2], format_name='feed-json', warehouse=sys.argv[3])\n"
        "con = duckdb.connect(sys.argv[3], read_only=True)\n"
        'print(con.execute("select list(epoch(first_seen_at)::bigint order by source_key) '
        'from jobs").fetchall())\n'
    )
    outputs = set()
    for tz in ("UTC", "America/Los_Angeles", "Asia/Kolkata"):
        wh = tmp_path / f"wh-{tz.replace('/', '_')}.duckdb"
        out = subprocess.run(
            [sys.executable, "-c", script, str(src), str(feed), str(wh)],
            env={**os.environ, "TZ": tz},
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(out.stdout)
    assert len(outputs) == 1
    assert "1708189794" in outputs.pop()  # 2024-02-17 09:09:54 -08:00 = 17:09:54 UTC


def test_wrong_kind_of_file_is_refused_and_nothing_published(tmp_path):
    salaries = Path(__file__).resolve().parents[2] / "data/raw/aijobs_salaries/salaries.csv"
    wh = tmp_path / "wh.duckdb"
    with pytest.raises(IngestError, match="salaries.csv is not a postings-csv.*missing columns"):
        ingest_file(salaries, format_name="postings-csv", warehouse=wh)
    assert not wh.exists()
    result = CliRunner().invoke(
        app, ["ingest", str(salaries), "--format", "postings-csv", "--warehouse", str(wh)]
    )
    assert result.exit_code == 1 and "missing columns" in result.output
    assert not wh.exists()


def test_failed_load_leaves_previous_warehouse(tmp_path, monkeypatch):
    src = write_fixture(tmp_path / "dump.csv")
    wh = tmp_path / "wh.duckdb"
    ingest_file(src, format_name="postings-csv", warehouse=wh)
    before = state(wh)
    other = tmp_path / "other.csv"
    other.write_text(f"{HEADER}\n{ROWS[0].replace('u/1', 'u/new')}\n", encoding="utf-8")

    from fdsa.ingest import reconcile

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    # after the rejects are written into the staging copy, before the postings
    monkeypatch.setattr(reconcile, "_insert_jobs", explode)
    with pytest.raises(RuntimeError, match="disk on fire"):
        ingest_file(other, format_name="postings-csv", warehouse=wh)
    assert state(wh) == before
    with db.connect(wh) as con:
        assert con.execute("select count(*) from ingest_runs").fetchall()[0][0] == 1


def test_cli_prints_reconciliation_and_lists_formats(tmp_path):
    src = write_fixture(tmp_path / "dump.csv")
    runner = CliRunner()
    listed = runner.invoke(app, ["ingest", "--list-formats"])
    assert listed.exit_code == 0
    assert all(name in listed.output for name in ("postings-csv", "feed-json", "mapped"))
    result = runner.invoke(
        app,
        ["ingest", str(src), "--format", "postings-csv", "--warehouse", str(tmp_path / "w.duckdb")],
    )
    assert result.exit_code == 0, result.output
    assert "read 10 = loaded 4 + rejected 5 + duplicate 1" in result.output


def test_feed_json_array_and_lines(tmp_path):
    items = [
        {
            "title": "Build a RAG chatbot with LangChain",
            "link": "https://u/f1",
            "pubDate": "Sat, 17 Feb 2024 09:09:54 +0000",
            "description": "Need help<br /><b>Hourly Range</b>: $15.00-$35.00<br /><b>Category</b>:"
            " AI<br /><b>Skills</b>: LangChain, Python<br /><b>Country</b>: United Kingdom",
        },
        {
            "title": "Dashboard",
            "link": "https://u/f2",
            "published": "2024-02-18T10:00:00Z",
            "summary": "<b>Budget</b>: $1,200\n<b>Country</b>: Canada",
        },
        {"title": "Broken", "link": "https://u/f3", "pubDate": "yesterday-ish"},
        "not an object",
    ]
    array = tmp_path / "feed.json"
    array.write_text(json.dumps(items, indent=1), encoding="utf-8")
    wh = tmp_path / "wh.duckdb"
    c = ingest_file(array, format_name="feed-json", warehouse=wh).counts
    assert (c.read, c.loaded, c.rejected, c.duplicate) == (4, 2, 2, 0)
    with db.connect(wh) as con:
        jobs = con.execute(
            """select source_key, niche, skills, job_type, hourly_low, hourly_high, budget,
                      country from jobs order by source_key"""
        ).fetchall()
        rejects = con.execute("select line, field, reason from rejects order by line").fetchall()
    assert jobs == [
        (
            "https://u/f1",
            "llm_applications",
            ["LangChain", "Python"],
            "hourly",
            15.0,
            35.0,
            None,
            "GB",
        ),
        ("https://u/f2", "bi_dashboards", [], "fixed", None, None, 1200.0, "CA"),
    ]
    assert [r[1:] for r in rejects] == [
        ("published", "not a timestamp: yesterday-ish"),
        (None, "not a JSON object"),
    ]
    lines = tmp_path / "feed.jsonl"
    lines.write_text("\n".join(json.dumps(i) for i in items[:2]) + "\n{broken\n", encoding="utf-8")
    c = ingest_file(lines, format_name="feed-json", warehouse=wh).counts
    assert (c.read, c.loaded, c.rejected, c.duplicate) == (3, 0, 1, 2)


def test_mapped_csv_and_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "crawl.csv"
    src.write_text(
        "url,job_title,posted,kind,rate_min,rate_max,price,client_country,tags\n"
        "m1,Fraud detection model for a fintech,2024-03-01T10:00:00Z,hourly,20,40,,Germany,"
        '"Python, SQL"\n'
        'm2,Something,2024-03-01,fixed,,,"$1,200",DE,\n'
        "m3,Bad,notadate,fixed,,,5,DE,\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "source: my-crawl\ncolumns:\n  source_key: url\n  title: job_title\n  posted_at: posted\n"
        "  job_type: kind\n  hourly_low: rate_min\n  hourly_high: rate_max\n  budget: price\n"
        "  country: client_country\n  skills: tags\n",
        encoding="utf-8",
    )
    wh = tmp_path / "wh.duckdb"
    c = ingest_file(src, format_name="mapped", warehouse=wh, mapping=mapping).counts
    assert (c.read, c.loaded, c.rejected, c.duplicate) == (3, 2, 1, 0)
    parquet = tmp_path / "crawl.parquet"
    pq.write_table(
        pa.table(
            {
                "url": ["p1"],
                "job_title": ["OCR of scanned invoices"],
                "posted": ["2024-01-01"],
                "tags": [["OCR", "Python"]],
            }
        ),
        parquet,
    )
    small = tmp_path / "small.yaml"
    small.write_text(
        "columns:\n  source_key: url\n  title: job_title\n  posted_at: posted\n  skills: tags\n",
        encoding="utf-8",
    )
    c = ingest_file(parquet, format_name="mapped", warehouse=wh, mapping=small).counts
    assert (c.read, c.loaded) == (1, 1)
    with db.connect(wh) as con:
        got = con.execute(
            "select source, source_key, niche, skills, country from jobs order by job_id"
        ).fetchall()
        reject = con.execute("select line, field, reason from rejects").fetchall()
    assert got == [
        ("my-crawl", "m1", "finance_fintech", ["Python", "SQL"], "DE"),
        ("my-crawl", "m2", "other", [], "DE"),
        ("mapped", "p1", "ocr_document_ai", ["OCR", "Python"], None),
    ]
    assert reject == [(4, "posted", "not a timestamp: notadate")]
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns:\n  source_key: nope\n  title: job_title\n  posted_at: posted\n")
    with pytest.raises(IngestError, match="missing columns nope"):
        ingest_file(src, format_name="mapped", warehouse=wh, mapping=bad)


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(IngestError, match="unknown format"):
        ingest_file(write_fixture(tmp_path / "d.csv"), format_name="xml", warehouse=tmp_path / "w")
    assert duckdb  # imported for type completeness


def test_unique_keys_of_jobs_hold_without_indexes(tmp_path, monkeypatch):
    """jobs has no key indexes; a load that would repeat a job id or a link fails whole."""
    from fdsa.ingest import reconcile
    from fdsa.ingest.temp_tables import KEYS, NEW

    wh = tmp_path / "wh.duckdb"
    first = tmp_path / "a.csv"
    first.write_text(f"{HEADER}\n{ROWS[0]}\n", encoding="utf-8")
    ingest_file(first, format_name="postings-csv", warehouse=wh)
    before = state(wh)
    with db.connect(wh) as con:
        assert con.execute("select count(*) from duckdb_indexes()").fetchall()[0][0] == 0

    second = tmp_path / "b.csv"
    second.write_text(f"{HEADER}\n{ROWS[0]}\n{ROWS[0].replace('u/1', 'u/new')}\n", encoding="utf-8")

    # A bug that numbers keys already in the warehouse as new must fail the load ...
    def number_every_key(con, source):
        con.execute(
            f"""
            create or replace temp table {NEW} as
            select first_ordinal, first_seen, last_seen,
                   100 + row_number() over (order by first_ordinal) as job_id
            from {KEYS}
            """  # noqa: S608 - fixed names
        )

    monkeypatch.setattr(reconcile, "_number_new_postings", number_every_key)
    with pytest.raises(db.WarehouseError, match=r"duplicate keys of jobs.*link https://u/1\b"):
        ingest_file(second, format_name="postings-csv", warehouse=wh)
    assert state(wh) == before

    # ... and so must one that gives a new posting a job id already taken.
    def reuse_job_ids(con, source):
        con.execute(
            f"""
            create or replace temp table {NEW} as
            select first_ordinal, first_seen, last_seen,
                   row_number() over (order by first_ordinal) as job_id
            from {KEYS} as k
            where not exists (select 1 from jobs as j where j.source_key = k.key_v)
            """  # noqa: S608 - fixed names
        )

    monkeypatch.setattr(reconcile, "_number_new_postings", reuse_job_ids)
    with pytest.raises(db.WarehouseError, match="duplicate keys of jobs.*job_id 1"):
        ingest_file(second, format_name="postings-csv", warehouse=wh)
    assert state(wh) == before

    monkeypatch.undo()
    c = ingest_file(second, format_name="postings-csv", warehouse=wh).counts
    assert (c.loaded, c.duplicate) == (1, 1)
    with db.connect(wh) as con:
        assert not any(db.run_checks(con).values())
