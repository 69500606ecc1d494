"""Warehouse connections, atomic publish, locking and the data dictionary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from fdsa.warehouse import db

ROOT = Path(__file__).resolve().parents[2]


def _publish_empty(path: Path) -> None:
    with db.building(path) as con:
        con.execute("insert into build_info values ('marker', 'first')")


def test_schema_comments_every_table_and_column():
    con = duckdb.connect()
    db.create_schema(con)
    dd = db.data_dictionary(con)
    assert set(dd.table_name) == set(db.TABLES)
    assert dd.table_comment.notna().all()
    missing = dd[dd.column_comment.isna()]
    assert missing.empty, f"columns without a comment: {missing[['table_name', 'column_name']]}"


def test_schema_check_constraints_refuse_unknown_categories():
    con = duckdb.connect()
    db.create_schema(con)
    con.execute("insert into ingest_runs values (1, 's', 'f', 'h', now(), now(), 0, 0, 0, 0, null)")
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            """insert into jobs (job_id, posted_at, title, niche, skills, region, source,
                                 source_key, first_seen_at, last_seen_at, ingest_run_id)
               values (1, now(), 't', 'astrology', [], 'unknown', 's', 'k', now(), now(), 1)"""
        )
    with pytest.raises(duckdb.ConstraintException):  # the reconciliation identity
        con.execute(
            "insert into ingest_runs values (2, 's', 'f', 'h', now(), now(), 5, 1, 1, 1, null)"
        )


def test_data_dictionary_is_in_sync():
    committed = (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    assert committed == db.render_data_dictionary(), "run `fdsa warehouse dictionary`"


def test_failed_build_publishes_nothing_and_keeps_previous(tmp_path):
    path = tmp_path / "w.duckdb"
    _publish_empty(path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="boom"), db.building(path) as con:
        con.execute("insert into build_info values ('marker', 'second')")
        raise RuntimeError("boom")
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".*staging*")), "staging file left behind"
    with db.connect(path) as con:
        assert db.build_info(con)["marker"] == "first"


def test_read_only_connection_cannot_write_or_touch_files(tmp_path):
    path = tmp_path / "w.duckdb"
    _publish_empty(path)
    secret = tmp_path / "outside.csv"
    secret.write_text("a\n1\n")
    with db.connect(path) as con:
        with pytest.raises(duckdb.Error):
            con.execute("insert into build_info values ('x', 'y')")
        with pytest.raises(duckdb.Error):
            con.execute("select * from read_csv($path)", {"path": str(secret)})
        with pytest.raises(duckdb.Error):
            con.execute(f"copy build_info to '{tmp_path / 'leak.csv'}'")
        with pytest.raises(duckdb.Error):
            con.execute("set enable_external_access = true")
    assert not (tmp_path / "leak.csv").exists()


def test_missing_warehouse_is_a_clear_error(tmp_path):
    with pytest.raises(db.WarehouseError, match="no warehouse at"):
        db.connect(tmp_path / "nope.duckdb")


def test_stale_wal_beside_warehouse_is_reported(tmp_path):
    path = tmp_path / "w.duckdb"
    _publish_empty(path)
    (tmp_path / "w.duckdb.wal").write_bytes(b"not a wal from this file")
    with pytest.raises(db.WarehouseError, match="write-ahead log"):
        db.connect(path)
    _publish_empty(path)  # a new publish clears the foreign WAL
    assert not (tmp_path / "w.duckdb.wal").exists()
    with db.connect(path) as con:
        assert db.build_info(con) == {"marker": "first"}


def test_second_writer_is_refused_while_a_build_holds_the_lock(tmp_path):
    path = tmp_path / "w.duckdb"
    code = (
        "import time\nfrom fdsa.warehouse import db\n"
        f"with db.building({str(path)!r}) as con:\n"
        "    print('ready', flush=True)\n    time.sleep(30)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout.readline().strip() == "ready"
            with pytest.raises(db.WarehouseBusyError, match="already being written"):
                with db.building(path):
                    pass
            with pytest.raises(db.WarehouseBusyError, match="being built"):
                db.connect(path)
        finally:
            holder.kill()
    _publish_empty(path)  # the lock died with its holder
    assert path.exists()


def test_readers_take_the_thread_count_a_batch_asks_for(tmp_path, monkeypatch):
    path = tmp_path / "w.duckdb"
    _publish_empty(path)
    monkeypatch.setenv(db.THREADS_ENV, "1")
    with db.connect(path) as con:
        assert con.execute("select current_setting('threads')").fetchall()[0][0] == 1
    monkeypatch.setenv(db.THREADS_ENV, "many")
    with pytest.raises(db.WarehouseError, match=db.THREADS_ENV):
        db.connect(path)
    monkeypatch.delenv(db.THREADS_ENV)
    assert db.reader_threads() is None
