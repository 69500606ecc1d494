"""postings-csv read in one typed pass: rejects keep their physical lines, rows keep file order.

The typed read never works out a line per row; these tests throw mixed files at it
(quoted line breaks, CRLF and CR line ends, rows DuckDB refuses, rows only invalid in
UTF-8, blank lines) and compare every reject's line and the order of the job ids
with what the generator knows.
"""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest

from fdsa.ingest import csv_read, ingest_file, postings_csv, postings_sql
from fdsa.warehouse import db

HEADER = "title,link,description,published_date,is_hourly,hourly_low,hourly_high,budget,country"


def _row(i: int, kind: str, newline: str) -> tuple[bytes, int]:
    """One record of kind ``kind`` and its number of physical lines."""
    description, lines = f"desc {i}", 1
    if kind == "multiline":
        description, lines = f'"first{newline}second{newline}third {i}"', 3
    date = "not a date" if kind == "bad date" else "2024-02-17 09:09:54+00:00"
    title = "Caf\xe9 analyst" if kind.startswith("latin1") else f"Power BI dashboard {i}"
    if kind == "multiline title":
        title, lines = f'"Power BI{newline}dashboard {i}"', 2
    if kind == "latin1 bad":
        date = "never"
    text = f"{title},https://u/{i:06d},{description},{date},True,15,35,,India"
    if kind == "extra":
        text += ",EXTRA"
    data = text.encode("latin-1" if kind.startswith("latin1") else "utf-8")
    return data, lines


def _fixture(
    path: Path, n: int, newline: str, seed: int, blank_line: bool = False, titles: bool = False
):
    """Write a mixed file; return (expected reject lines, keys loaded in file order)."""
    rng = random.Random(seed)
    kinds = ["plain"] * 12 + ["multiline", "bad date", "extra", "latin1", "latin1 bad"]
    kinds += ["multiline title"] if titles else []
    chunks = [HEADER.encode()]
    line = 2
    rejects, loaded = [], []
    for i in range(n):
        kind = rng.choice(kinds)
        data, span = _row(i, kind, newline)
        chunks.append(data)
        if kind in ("bad date", "extra", "latin1 bad"):
            rejects.append(line)
        else:
            loaded.append(f"https://u/{i:06d}")
        line += span
        if blank_line and i == n // 2:
            chunks.append(b"")
            line += 1
    path.write_bytes(newline.encode().join(chunks) + newline.encode())
    return rejects, loaded


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize(
    ("blank_line", "titles"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_reject_lines_and_file_order_survive_a_mixed_file(tmp_path, newline, blank_line, titles):
    # Line breaks in titles make the read recount breaks in every column; a blank line
    # makes every count disagree with the file, so the Python pass takes over.
    src = tmp_path / "mixed.csv"
    expected_lines, expected_keys = _fixture(
        src, 3000, newline, seed=11, blank_line=blank_line, titles=titles
    )
    wh = tmp_path / "wh.duckdb"
    counts = ingest_file(src, format_name="postings-csv", warehouse=wh).counts
    assert (counts.read, counts.rejected, counts.loaded) == (
        3000,
        len(expected_lines),
        len(expected_keys),
    )
    with db.connect(wh) as con:
        lines = [r[0] for r in con.execute("select line from rejects order by line").fetchall()]
        keys = [r[0] for r in con.execute("select source_key from jobs order by job_id").fetchall()]
        ids = con.execute("select min(reject_id), max(reject_id) from rejects").fetchall()[0]
    assert lines == expected_lines
    assert keys == expected_keys  # job ids follow the file, Latin-1 rows included
    assert ids == (1, len(expected_lines))


def test_typed_read_is_a_plain_pipeline_so_rowids_follow_the_file(tmp_path):
    # A join or an aggregate in the typed read would let DuckDB reorder rows; the
    # rowid of a typed row is its position in the file only for a scan + projections.
    con = duckdb.connect()
    postings_sql.install_macros(con)
    source = f"(select *, null::bigint as ordinal, null::bigint as line, 0 as breaks from {csv_read.READ_CSV})"  # noqa: E501, S608
    select = postings_csv._typed_select(source)
    src = tmp_path / "x.csv"
    src.write_text(HEADER + "\n", encoding="utf-8")
    params = {"path": str(src), "columns": dict.fromkeys(postings_csv.COLUMNS, "VARCHAR")}
    plan = con.execute(
        f"explain create temp table t as {select}",
        params | postings_sql.typed_params(postings_csv.FIELD_NAMES),
    ).fetchall()[0][1]
    operators = {line.split("─")[1].strip() for line in plan.splitlines() if "╭─" in line}
    assert operators <= {"Create Table As", "Batch Create Table As", "Projection", "Read Csv"}


@pytest.mark.parametrize(
    ("title", "skills"),
    [
        ("Build a RAG chatbot with LangChain", None),
        ("  build a rag CHATBOT with langchain ", None),
        ("Power BI dashboard for sales KPIs", None),
        ("Data entry into Google Sheets", None),
    ],
)
def test_niches_of_distinct_texts_agree_with_classify(tmp_path, title, skills):
    from fdsa.ingest import niches

    src = tmp_path / "n.csv"
    rows = [f'"{title}",https://u/{i},d,2024-02-17,True,15,35,,India' for i in range(3)]
    src.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    wh = tmp_path / "wh.duckdb"
    ingest_file(src, format_name="postings-csv", warehouse=wh)
    with db.connect(wh) as con:
        got = {r[0] for r in con.execute("select niche from jobs").fetchall()}
    assert got == {niches.classify(title.strip(), skills)}


def test_latin1_rows_at_the_edges_keep_their_place(tmp_path):
    # Re-read rows before the first row DuckDB read and several in a row at the end.
    kinds = ["latin1", "latin1", "plain", "multiline", "latin1", "latin1", "latin1"]
    chunks = [HEADER.encode()] + [_row(i, kind, "\n")[0] for i, kind in enumerate(kinds)]
    src = tmp_path / "edges.csv"
    src.write_bytes(b"\n".join(chunks) + b"\n")
    wh = tmp_path / "wh.duckdb"
    counts = ingest_file(src, format_name="postings-csv", warehouse=wh).counts
    assert (counts.read, counts.loaded) == (7, 7)
    with db.connect(wh) as con:
        keys = [r[0] for r in con.execute("select source_key from jobs order by job_id").fetchall()]
        note = con.execute("select note from ingest_runs").fetchall()[0][0]
    assert keys == [f"https://u/{i:06d}" for i in range(7)]
    assert "5 rows were not valid UTF-8" in note and "lines 2, 3, 8, 9, 10" in note
