"""Time `fdsa synth` at scale 1 and 20 against writing the same tables with plain DuckDB.

The baseline is the floor of just storing that much data: the tables of the built
warehouse are read back into Arrow (not timed) and written with ``CREATE TABLE AS``
into a fresh file, no constraints, no simulation. Each side runs in its own
subprocess so peak RSS is its own. Results go to the "Synthetic market build"
section of bench/RESULTS.md.

Usage: .venv/bin/python bench/bench_synth.py [--scales 1 20] [--seed N] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
SECTION = "## Synthetic market build"
TABLES = ("profiles", "clients", "jobs", "proposals", "contracts", "reviews", "rate_history")


def _child_synth(out: str, scale: float, seed: int) -> dict:
    from fdsa.synth import build_warehouse

    start = time.perf_counter()
    counts = build_warehouse(out, scale=scale, seed=seed)
    return {"seconds": time.perf_counter() - start, "counts": counts}


def _child_baseline(source: str, out: str) -> dict:
    import duckdb

    src = duckdb.connect(source, read_only=True)
    arrow = {t: src.sql(f"select * from {t}").to_arrow_table() for t in TABLES}  # noqa: S608
    src.close()
    if os.path.exists(out):
        os.unlink(out)
    start = time.perf_counter()
    con = duckdb.connect(out)
    for name, table in arrow.items():
        con.register("src_arrow", table)
        con.execute(f"create table {name} as select * from src_arrow")  # noqa: S608
        con.unregister("src_arrow")
    con.execute("checkpoint")
    con.close()
    return {"seconds": time.perf_counter() - start}


def _run_child(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _child_main(argv: list[str]) -> None:
    kind = argv[0]
    out = _child_synth(argv[1], float(argv[2]), int(argv[3])) if kind == "synth" else (
        _child_baseline(argv[1], argv[2])
    )
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def _write_section(text: str) -> None:
    path = HERE / "RESULTS.md"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if SECTION in current:
        before, rest = current.split(SECTION, 1)
        after = rest[rest.find("\n## ") + 1 :] if "\n## " in rest else ""
        current = before + text + ("\n" + after if after else "")
    else:
        current = current.rstrip() + "\n\n" + text
    path.write_text(current, encoding="utf-8")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", nargs="+", type=float, default=[1.0, 20.0])
    parser.add_argument("--seed", type=int, default=20240517)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    rows = []
    for scale in args.scales:
        built = WORK / f"synth_s{scale:g}.duckdb"
        plain = WORK / f"plain_s{scale:g}.duckdb"
        synth = _run_child("synth", str(built), str(scale), str(args.seed))
        base = _run_child("baseline", str(built), str(plain))
        total = sum(v for k, v in synth["counts"].items() if k in TABLES)
        rows.append((scale, synth, base, total))
        print(f"scale {scale:g}: fdsa {synth['seconds']:.1f}s {synth['peak_rss_mb']:.0f} MB | "
              f"plain CTAS {base['seconds']:.1f}s {base['peak_rss_mb']:.0f} MB | "
              f"ratio {synth['seconds'] / base['seconds']:.1f}x | rows {total:,}")
        for path in (built, plain):
            path.unlink(missing_ok=True)
    lines = [
        SECTION,
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"run {time.strftime('%Y-%m-%d')} with `python bench/bench_synth.py`.",
        "Baseline: the same tables (read back into Arrow first, untimed) written with plain "
        "DuckDB `CREATE TABLE AS` into a fresh file, no constraints — the floor of storing "
        "that much data. fdsa simulates the market and writes it with keys, CHECKs, foreign "
        "keys and an atomic publish.",
        "",
        "| scale | jobs | proposals | rate_history | all rows | fdsa synth s | fdsa peak RSS MB "
        "| plain CTAS s | CTAS peak RSS MB | fdsa / CTAS |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for scale, synth, base, total in rows:
        c = synth["counts"]
        lines.append(
            f"| {scale:g} | {c['jobs']:,} | {c['proposals']:,} | {c['rate_history']:,} | "
            f"{total:,} | {synth['seconds']:.1f} | {synth['peak_rss_mb']:.0f} | "
            f"{base['seconds']:.1f} | {base['peak_rss_mb']:.0f} | "
            f"{synth['seconds'] / base['seconds']:.1f}× |"
        )
    lines.append("")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        _write_section(text)


if __name__ == "__main__":
    main()
