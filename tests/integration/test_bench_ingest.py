"""The ingest benchmark runs end to end on a small file, and its contenders load what they claim."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_ingest.py"


def test_bench_ingest_runs_every_contender(tmp_path: Path, market: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(BENCH), "--rows", "3000", "--repeat", "1", "--no-write"]
        + ["--work", str(tmp_path), "--market", str(market)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    results = {
        kind: ast.literal_eval(rest)
        for kind, _, rest in (line.partition(" ") for line in out.splitlines())
        if rest.startswith("{")
    }
    assert len(results) == 6
    fdsa = results["fdsa"]
    assert fdsa["rows"] == 3000 == fdsa["loaded"] + fdsa["rejected"] + fdsa["duplicate"]
    assert fdsa["rejected"] > 0 and fdsa["duplicate"] > 0
    # The lower bound keeps repeated links; keeping the first of each drops them, and
    # plain casts load no more than fdsa, which also reads "$2,500".
    assert results["keyed_dedupe"]["rows"] < results["keyed"]["rows"] <= results["pinned"]["rows"]
    assert results["keyed_dedupe"]["rows"] <= fdsa["loaded"]
    assert "| `fdsa ingest --format postings-csv` (fresh warehouse) |" in out
    assert "lower bound" in out
    # every stage of the load is timed by the ingest code's own hooks (nothing patched)
    from fdsa.ingest import stages

    missing = [label for label in stages.ORDER if f"| {label} |" not in out]
    assert not missing
