"""Fingerprint what ``fdsa ingest`` produces, to show a refactoring changed no result.

Writes a fixed set of input files (the test corpora of ``tests/``: hostile inputs, mixed
line ends, mapped surveys and boards, a feed; the shipped salary index), runs
``fdsa ingest`` on each through the real CLI, and records for every warehouse the
md5 of every table (rows in a fixed order; ``ingest_runs.started_at/finished_at`` and
the clock entries of ``build_info`` left out) and the CLI's output (counts, notes,
reject reasons; temp paths and seconds blanked). Also fingerprints the
``fdsa synth --scale 0.3 --seed 7`` warehouse.

Run ``.venv/bin/python tools/ingest_fingerprint.py OUT.json`` before and after a
change, then ``.venv/bin/python tools/ingest_fingerprint.py --compare A.json B.json``.
``--quick`` leaves out the synthetic market and the full salary index. The files are
written to a fixed folder (``--work``, emptied first) so the paths stored in
``ingest_runs.source`` and ``rejects.file`` are the same in every run; the hostile
case made of ``os.urandom`` bytes is left out (its bytes differ each run).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
FDSA = [str(Path(sys.executable).parent / "fdsa")]
SALARIES = ROOT / "data" / "raw" / "aijobs_salaries"

RANDOM_CASES = {"salaries: binary garbage"}
"""Hostile inputs drawn from ``os.urandom``: not the same bytes twice."""

POSTINGS_MAPPING = """\
target: jobs
source: mixed
columns:
  source_key: link
  title: title
  posted_at: published_date
  description: description
  is_hourly: is_hourly
  hourly_low: hourly_low
  hourly_high: hourly_high
  budget: budget
  country: country
"""
"""The postings files read through ``mapped``: the staged CSV read and its line location."""

WORK = Path(tempfile.gettempdir()) / "fdsa-ingest-fingerprint"

CLOCK_COLUMNS = {"started_at", "finished_at"}
CLOCK_INFO_KEYS = ("built_at", "build_seconds", "schema_version")
"""Left out of the hash of ``build_info`` (``schema_version`` is recorded beside it)."""


def _test_module(relative: str):
    """Import a test module by path (the corpora live there), from the checkout of the
    ``fdsa`` under test (its tests import its modules).
    """
    import importlib.util

    import fdsa

    path = Path(fdsa.__file__).resolve().parents[1] / "tests" / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_inputs(folder: Path) -> list[tuple[str, str, list[tuple[str, Path, Path | None]]]]:
    """Write the inputs; return the cases: (name, warehouse name, [(format, file, mapping)])."""
    hostile = _test_module("reliability/test_hostile_inputs.py")
    lines = _test_module("integration/test_ingest_lines.py")
    mapped = _test_module("integration/test_ingest_mapped.py")
    cases = []
    for i, (name, (fmt, data)) in enumerate(hostile.CORPUS.items()):
        if name in RANDOM_CASES:
            continue
        src = folder / f"hostile_{i:02d}.dat"
        src.write_bytes(data)
        mapping = None
        if fmt == "mapped":
            mapping = folder / f"hostile_{i:02d}.yaml"
            mapping.write_text(hostile.MAPPING, encoding="utf-8")
        cases.append((f"hostile: {name}", f"hostile_{i:02d}", [(fmt, src, mapping)]))
    chain = []
    for j, (newline, blank, titles) in enumerate(
        [("\n", False, False), ("\r\n", False, True), ("\r", True, False), ("\n", True, True)]
    ):
        src = folder / f"mixed_{j}.csv"
        lines._fixture(src, 3000, newline, seed=11 + j, blank_line=blank, titles=titles)
        cases.append((f"mixed lines {j}", f"mixed_{j}", [("postings-csv", src, None)]))
        chain.append(("postings-csv", src, None))
    postings_map = folder / "postings.yaml"
    postings_map.write_text(POSTINGS_MAPPING, encoding="utf-8")
    for j in range(4):  # the staged read (mapped) of the same mixed files
        src = folder / f"mixed_{j}.csv"
        cases.append((f"mapped mixed lines {j}", f"mapped_{j}", [("mapped", src, postings_map)]))
    survey, survey_map = mapped.write_survey(folder)
    board, board_map = mapped.write_board(folder, mapped.BOARD_MAPPING)
    eu = folder / "eu.csv"
    eu.write_bytes("\r\n".join(mapped.EU_ROWS).encode() + b"\r\n")
    eu_map = folder / "eu.yaml"
    eu_map.write_text(mapped.EU_MAPPING, encoding="utf-8")
    cases.append(("mapped survey", "survey", [("mapped", survey, survey_map)]))
    cases.append(("mapped board", "board", [("mapped", board, board_map)]))
    cases.append(("mapped eu", "eu", [("mapped", eu, eu_map)]))
    feed = folder / "feed.jsonl"
    items = [
        {
            "title": f"RAG chatbot {i}" if i % 3 else "Power BI dashboard",
            "link": f"https://u/{i % 40:06d}",
            "published": f"Sat, {10 + i % 9} Feb 2024 09:09:54 +0000",
            "description": (
                f"<b>Hourly Range</b>: ${10 + i % 7}.00-${40 + i % 5}.00<br/>Country: India"
                if i % 2
                else f"<b>Budget</b>: ${70 + i}<br/>Skills: Python, SQL<br/>Country: Germany"
            ),
        }
        for i in range(60)
    ]
    text = "\n".join(json.dumps(item) for item in items) + "\n{broken\n[1, 2]\n"
    feed.write_text(text, encoding="utf-8")
    cases.append(("feed", "feed", [("feed-json", feed, None)]))
    chain += [
        ("feed-json", feed, None),
        ("mapped", board, board_map),
        ("postings-csv", folder / "mixed_0.csv", None),  # identical bytes: all duplicate
    ]
    cases.append(("chain: mixed x4, feed, board, mixed again", "chain", chain))
    salaries_json = SALARIES / "salaries_2024-03-31.json"
    cases.append(("salaries json", "salaries_json", [("aijobs-salaries", salaries_json, None)]))
    head = folder / "salaries_head.csv"
    rows = (SALARIES / "salaries.csv").read_text(encoding="utf-8").splitlines()[:400]
    rows += [rows[5].replace(",USD,", ",XXX,", 1), "2024,MI,FL", rows[7]]
    head.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cases.append(("salaries head + bad rows", "salaries_head", [("aijobs-salaries", head, None)]))
    return cases


def _normalise(text: str, folder: Path) -> str:
    text = text.replace(str(folder), "<work>")
    text = re.sub(r" in [0-9.]+s\b", " in <s>", text)
    return "\n".join(line.rstrip() for line in text.splitlines())


def ingest(fmt: str, src: Path, mapping: Path | None, warehouse: Path, folder: Path) -> dict:
    """Run ``fdsa ingest`` through the CLI; its exit code and output, normalised."""
    command = [*FDSA, "ingest", str(src), "--format", fmt, "--warehouse", str(warehouse)]
    if mapping is not None:
        command += ["--mapping", str(mapping)]
    done = subprocess.run(  # noqa: S603 - our own CLI, arguments built here
        command, capture_output=True, text=True, cwd=ROOT, env=_env(), check=False
    )
    output = done.stdout + done.stderr
    return {
        "file": src.name,
        "file_sha256": hashlib.sha256(src.read_bytes()).hexdigest(),
        "exit": done.returncode,
        "output": _normalise(output, folder),
    }


def _env() -> dict[str, str]:
    import os

    return os.environ | {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}


def table_hashes(warehouse: Path) -> dict[str, dict[str, object]]:
    """Rows and md5 of every table of ``warehouse`` (clock columns left out)."""
    if not warehouse.exists():
        return {}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'main' "
                "and database_name = current_database() order by table_name"
            ).fetchall()
        ]
        found = {}
        for table in tables:
            columns = [
                r[0]
                for r in con.execute(
                    "select column_name from duckdb_columns() where table_name = $t "
                    "and schema_name = 'main' and database_name = current_database() "
                    "order by column_index",
                    {"t": table},
                ).fetchall()
                if r[0] not in CLOCK_COLUMNS
            ]
            where = ""
            if table == "build_info":
                where = "where key not in (" + ", ".join(f"'{k}'" for k in CLOCK_INFO_KEYS) + ")"
            listed = ", ".join(f'"{c}"' for c in columns)
            n, digest = con.execute(
                f"select count(*), md5(coalesce(string_agg(r::varchar, '|' order by r::varchar), ''))"  # noqa: S608, E501 - names from the catalog
                f' from (select row({listed}) as r from "{table}" {where})'
            ).fetchall()[0]
            found[table] = {"rows": n, "md5": digest}
        info = dict(con.execute("select key, value from build_info").fetchall())
        found["build_info"]["schema_version"] = info.get("schema_version")
        return found
    finally:
        con.close()


def fingerprint(quick: bool, folder: Path) -> dict:
    """Every case ingested into fresh warehouses: CLI outputs and table hashes."""
    result: dict[str, dict] = {}
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    cases = write_inputs(folder)
    if not quick:
        cases.append(
            (
                "salaries.csv (full)",
                "salaries_full",
                [("aijobs-salaries", SALARIES / "salaries.csv", None)],
            )
        )
    for name, wh_name, steps in cases:
        warehouse = folder / f"{wh_name}.duckdb"
        runs = [ingest(fmt, src, mapping, warehouse, folder) for fmt, src, mapping in steps]
        result[name] = {"runs": runs, "tables": table_hashes(warehouse)}
        print(f"{name}: exit {[r['exit'] for r in runs]}", file=sys.stderr)
    if not quick:
        warehouse = folder / "synth.duckdb"
        subprocess.run(  # noqa: S603 - our own CLI
            [*FDSA, "synth", "--scale", "0.3", "--seed", "7", "--warehouse", str(warehouse)],
            capture_output=True,
            cwd=ROOT,
            env=_env(),
            check=True,
        )
        result["synth --scale 0.3 --seed 7"] = {"runs": [], "tables": table_hashes(warehouse)}
    return result


def compare(a: dict, b: dict, *, ignore_schema_version: bool = False) -> list[str]:
    """Differences between two fingerprints, in words."""
    differences = []
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            differences.append(f"{name}: only in {'second' if name not in a else 'first'}")
            continue
        for i, (ra, rb) in enumerate(zip(a[name]["runs"], b[name]["runs"], strict=False)):
            if ra != rb:
                differences.append(f"{name}: run {i + 1} differs:\n{ra}\n---\n{rb}")
        ta, tb = a[name]["tables"], b[name]["tables"]
        for table in sorted(set(ta) | set(tb)):
            x, y = dict(ta.get(table, {})), dict(tb.get(table, {}))
            if ignore_schema_version and table == "build_info":
                x.pop("schema_version", None), y.pop("schema_version", None)
            if x != y:
                differences.append(f"{name}: table {table}: {x} != {y}")
    return differences


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, help="fingerprint file to write")
    parser.add_argument("--quick", action="store_true", help="leave out synth and full salaries")
    parser.add_argument("--work", type=Path, default=WORK, help="folder for inputs and warehouses")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    parser.add_argument(
        "--ignore-schema-version",
        action="store_true",
        help="with --compare: build_info may differ in schema_version only",
    )
    args = parser.parse_args()
    if args.compare:
        a, b = (json.loads(p.read_text(encoding="utf-8")) for p in args.compare)
        differences = compare(a, b, ignore_schema_version=args.ignore_schema_version)
        for line in differences:
            print(line)
        n_tables = sum(len(case["tables"]) for case in a.values())
        print(f"{len(a)} cases, {n_tables} table hashes: {len(differences)} differences")
        return 1 if differences else 0
    if args.out is None:
        parser.error("give OUT.json or --compare A B")
    found = fingerprint(args.quick, args.work)
    args.out.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(found)} cases", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
