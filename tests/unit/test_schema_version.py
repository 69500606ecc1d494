"""The schema version is honest: schema.sql is pinned to it, and every open checks it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from fdsa.ingest import ingest_file
from fdsa.warehouse import db

SCHEMA_SHA256 = {"8": "5f15f7faf03e7218e830260b580865bf761a65145ffb03ca82b3de57224c9aab"}
"""sha256 of ``fdsa/warehouse/schema.sql`` at each :data:`fdsa.warehouse.db.SCHEMA_VERSION`."""

REFUSED = rf"schema version 5, this fdsa expects {db.SCHEMA_VERSION}:"

POSTINGS = (
    "title,link,description,published_date,is_hourly,hourly_low,hourly_high,budget,country\n"
    "Power BI dashboard,https://u/1,d,2024-02-17 09:09:54+00:00,True,15,35,,India\n"
)


def test_schema_sql_is_pinned_beside_the_schema_version():
    schema = Path(db.__file__).with_name("schema.sql")
    digest = hashlib.sha256(schema.read_bytes()).hexdigest()
    assert SCHEMA_SHA256.get(db.SCHEMA_VERSION) == digest, (
        f"fdsa/warehouse/schema.sql (sha256 {digest}) is not the schema of SCHEMA_VERSION "
        f"{db.SCHEMA_VERSION!r}: bump SCHEMA_VERSION in fdsa/warehouse/db.py and pin the new "
        "hash in SCHEMA_SHA256 here (warehouses of the old version are then refused)"
    )


def _warehouse_of_version(tmp_path: Path, version: str) -> Path:
    src = tmp_path / "p.csv"
    src.write_text(POSTINGS, encoding="utf-8")
    wh = tmp_path / "wh.duckdb"
    ingest_file(src, format_name="postings-csv", warehouse=wh)
    with db.building(wh, start_from_current=True) as con:  # same version: allowed
        con.execute("update build_info set value = $v where key = 'schema_version'", {"v": version})
    return wh


@pytest.mark.parametrize("read_only", [True, False])
def test_connect_refuses_another_schema_version(tmp_path, read_only):
    wh = _warehouse_of_version(tmp_path, "5")
    with pytest.raises(db.WarehouseError, match=REFUSED):
        db.connect(wh, read_only=read_only)


def test_ingest_into_a_warehouse_of_another_schema_version_is_refused(tmp_path):
    wh = _warehouse_of_version(tmp_path, "5")
    before = wh.read_bytes()
    other = tmp_path / "q.csv"
    other.write_text(POSTINGS.replace("https://u/1", "https://u/2"), encoding="utf-8")
    with pytest.raises(db.WarehouseError, match=REFUSED):
        ingest_file(other, format_name="postings-csv", warehouse=wh)
    assert wh.read_bytes() == before  # nothing published
    left = {p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")}
    assert left == {"p.csv", "q.csv", "wh.duckdb"}  # no staging file left behind
