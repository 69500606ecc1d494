#!/usr/bin/env bash
# The wheel works without the checkout: build it, install it into a scratch venv outside the
# checkout, and run one analysis and one report there (SQL files and notebooks are package data).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-.venv/bin/python}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$python" -m pip wheel --quiet --no-deps --wheel-dir "$scratch/dist" . 2>&1 | grep -v WheelFile || true
"$python" -m venv "$scratch/venv"
"$scratch/venv/bin/python" -m pip install --quiet "$scratch"/dist/fdsa-*.whl
cd "$scratch"
venv/bin/fdsa synth --scale 0.02 --seed 3 --out w.duckdb >/dev/null
venv/bin/python - <<'PY'
from fdsa.analysis import niches, open_warehouse
rows = niches.niche_summary(open_warehouse("w.duckdb"))
assert len(rows) == 16 and rows.n_jobs.sum() > 0, rows
print(f"wheel: niche_summary from the installed package: {int(rows.n_jobs.sum())} jobs")
PY
venv/bin/fdsa report warehouse_overview --warehouse w.duckdb --out reports
test -s reports/warehouse_overview/niche-all.html
echo "wheel: report published from the installed package"
