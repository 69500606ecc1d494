"""Promise: text from the command line, batch files, mappings and data is never SQL.

Injection strings go through every door a user has — report names, parameter names
and values, batch files, ingest formats, mapping files, the cells of a CSV — and
each is refused with a one-line message or stored as plain text. Afterwards the
warehouse is intact, nothing was written where the strings point, and no outside
file was read into any output.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
import yaml
from typer.testing import CliRunner

from fdsa.cli import app
from fdsa.reporting.runner import run_report
from fdsa.warehouse import db

PASSWD_MARKER = "root:x:0:0"  # noqa: S105 - a line of /etc/passwd, not a password


def injections(trap: Path) -> list[str]:
    """Strings that would do harm if they ever reached SQL or a shell unbound."""
    return [
        "'; DROP TABLE jobs; --",
        "read_text('/etc/passwd')",
        "x' or '1'='1",
        f"COPY jobs TO '{trap}/leak.csv'",
        f"'); ATTACH '{trap}/evil.duckdb' AS evil; --",
        f"$(touch {trap}/pwned)",
        f"__import__('os').system('touch {trap}/pwned')",
        "llm_applications' UNION SELECT content FROM read_text('/etc/passwd') --",
    ]


@pytest.fixture
def warehouse(small_warehouse: Path, tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    shutil.copyfile(small_warehouse, path)
    return path


def _fdsa(*args: str) -> Outcome:
    """Run the CLI in this process (as ``fdsa ...`` would) and capture what it printed."""
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr)


def _fingerprint(path: Path) -> dict[str, str]:
    with db.connect(path) as con:
        return {t: db.content_hash(con, t) for t in db.TABLES}


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def _assert_refused(outcome: Outcome) -> None:
    assert outcome.returncode == 1, outcome.stdout
    assert "Traceback" not in outcome.stderr and outcome.stderr.strip()
    assert PASSWD_MARKER not in outcome.stdout + outcome.stderr


def test_report_and_batch_doors_refuse_every_injection(warehouse, tmp_path, record_property):
    trap, out = tmp_path / "trap", tmp_path / "reports"
    trap.mkdir()
    before = _fingerprint(warehouse)
    tried = 0
    for bad in injections(trap):
        for args in (
            ["report", bad],
            ["report", "niche_explorer", "-p", f"niche={bad}"],
            ["report", "niche_explorer", "-p", f"region={bad}"],
            ["report", "market_overview", "-p", f"since={bad}"],
            ["report", "rate_advisor", "-p", f"experience_years={bad}"],
            ["report", "market_overview", "-p", f"{bad}=1"],
        ):
            _assert_refused(_fdsa(*args, "-w", str(warehouse), "-o", str(out)))
            tried += 1
        spec = tmp_path / "runs.yaml"
        for run in ({"report": bad}, {"report": "channel_strategy", "params": {"niche": bad}}):
            spec.write_text(yaml.safe_dump({"runs": [run]}))
            _assert_refused(_fdsa("batch", str(spec), "-w", str(warehouse), "-o", str(out)))
            tried += 1
    assert tried >= 60
    record_property("figure: injections tried through report and batch", tried)
    assert not out.exists() or not list(out.rglob("*.html")), "no kernel may run"
    assert list(trap.iterdir()) == []
    assert _fingerprint(warehouse) == before


def test_ingest_doors_store_injections_as_plain_text(warehouse, tmp_path, record_property):
    trap = tmp_path / "trap"
    trap.mkdir()
    bad = injections(trap)
    csv = tmp_path / "crawl.csv"
    rows = [
        f'"inj-{i}","{text.replace(chr(34), chr(34) * 2)}","2024-03-01T10:00:00Z","{text}"'
        for i, text in enumerate(s.replace('"', "'") for s in bad)
    ]
    csv.write_text("url,job_title,posted,tags\n" + "\n".join(rows) + "\n", encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "columns:\n  source_key: url\n  title: job_title\n  posted_at: posted\n  skills: tags\n"
    )
    for fmt in bad:
        _assert_refused(_fdsa("ingest", str(csv), "--format", fmt, "--warehouse", str(warehouse)))
    for source, target in ((bad[0], "title"), ("job_title", bad[1]), ("url", bad[3])):
        evil = tmp_path / "evil.yaml"
        evil.write_text(
            yaml.safe_dump(
                {"columns": {"source_key": "url", "posted_at": "posted", target: source}}
            )
        )
        _assert_refused(
            _fdsa("ingest", str(csv), "--format", "mapped", "--mapping", str(evil),
                  "--warehouse", str(warehouse))
        )  # fmt: skip
    evil.write_text(yaml.safe_dump({"source": bad[0], "columns": {"source_key": "url"}}))
    _assert_refused(
        _fdsa("ingest", str(csv), "--format", "mapped", "--mapping", str(evil),
              "--warehouse", str(warehouse))
    )  # fmt: skip

    loaded = _fdsa(
        "ingest", str(csv), "--format", "mapped", "--mapping", str(mapping),
        "--warehouse", str(warehouse),
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    with db.connect(warehouse) as con:
        titles = [
            t for (t,) in con.execute("select title from jobs where source = 'mapped'").fetchall()
        ]
        assert con.execute("select count(*) from jobs").fetchall()[0][0] > len(bad)
    assert sorted(titles) == sorted(s.replace('"', "'") for s in bad)
    record_property(
        "figure: injections tried through ingest (formats, mappings, cells)", 2 * len(bad) + 4
    )
    assert list(trap.iterdir()) == []


def test_a_report_connection_cannot_touch_outside_files_even_if_asked(
    warehouse, tmp_path, record_property
):
    trap = tmp_path / "trap"
    trap.mkdir()
    (trap / "secret.csv").write_text("secret\n42\n")
    attempts = [
        f"copy jobs to '{trap}/leak.csv'",
        f"select * from read_csv('{trap}/secret.csv')",  # noqa: S608 - the attack under test
        "select content from read_text('/etc/passwd')",
        f"attach '{trap}/evil.duckdb' as evil",
        "set enable_external_access = true",
        "set lock_configuration = false",
        "create table stolen as select 1",
        "drop table truth",
        "install httpfs",
    ]
    nb = nbformat.read(Path(__file__).parents[2] / "notebooks" / "market_overview.ipynb", 4)
    (parameters,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    nb.cells = [
        parameters,
        nbformat.v4.new_code_cell(
            "from fdsa.analysis import open_warehouse\n"
            "con = open_warehouse(warehouse)\n"
            f"attempts = {attempts!r}\n"
            "allowed = []\n"
            "for sql in attempts:\n"
            "    try:\n"
            "        con.execute(sql).fetchall()\n"
            "        allowed.append(sql)\n"
            "    except Exception:\n"
            "        pass\n"
            "assert allowed == [], allowed\n"
        ),
    ]
    probe = tmp_path / "probe.ipynb"
    nbformat.write(nb, probe)
    before = _fingerprint(warehouse)
    result = run_report(
        "market_overview", {}, warehouse=warehouse, out_dir=tmp_path / "r", notebook=probe
    )
    assert result.status == "ok", result.error  # every attempt raised inside the kernel
    record_property("figure: escapes tried from a report's connection", len(attempts))
    assert sorted(p.name for p in trap.iterdir()) == ["secret.csv"]
    assert _fingerprint(warehouse) == before
