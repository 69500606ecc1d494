"""The rate-model benchmark runs end to end on a small warehouse and reaches a verdict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_rate_model.py"


def test_bench_rate_model_scores_every_contender(small_warehouse: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(BENCH), "--no-write", "--folds", "2"]
        + ["--warehouse", str(small_warehouse)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    rows = [line for line in out.splitlines() if line.startswith("| 0.")]
    assert len(rows) == 3 * 4  # three quantiles, four contenders
    assert (
        out.count("**location better**") + out.count("**tie**") + out.count("**gbm better**") == 3
    )
    assert "**Kept:" in out or "beats the location model" in out
