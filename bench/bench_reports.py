"""Time report rendering: a batch of 16 reports serially and on 2 workers, against bare papermill.

1. **serial** — ``fdsa.reporting.batch.run_batch`` of 16 runs of the six reports
   (:data:`BATCH`) with ``workers=1`` (one process, one run after another), cold
   (``warm=False, share=False``: each kernel started when its report begins, every
   analysis computed by each report) and warm + shared (the defaults).
2. **2 workers** — the same two batches on the default process pool with ``workers=2``.
3. **bare papermill** — ``papermill.execute_notebook`` of a notebook holding one
   parameters cell and ``x = 1``, same kernel, same process, 3 times: the floor of
   starting a kernel and executing anything at all.

The per-report overhead is (serial seconds per report − bare papermill seconds):
querying the warehouse, plotting, HTML export, publish and index. Every timed batch
runs with ``force=True`` into a fresh folder under bench/_work/ (gitignored).

The printed table is written as the "## Reports" section of bench/RESULTS.md (other
sections are kept).

Usage: .venv/bin/python bench/bench_reports.py [--warehouse PATH] [--no-write]
Without --warehouse it builds the demo warehouse with fdsa.synth (scale 1) under
bench/_work/, else falls back to the tiny hand-built warehouse of fdsa.reporting.sample.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import yaml
from _results import replace_section

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work" / "reports"
SECTION = "## Reports"
BATCH = {
    "runs": [
        {"report": "market_overview"},
        {
            "report": "niche_explorer",
            "matrix": {"niche": ["llm_applications", "finance_fintech", "nlp", "energy"]},
        },
        {
            "report": "rate_advisor",
            "matrix": {
                "niche": ["llm_applications", "finance_fintech"],
                "region": ["north_america", "south_asia"],
            },
        },
        {
            "report": "channel_strategy",
            "matrix": {"tenure": ["first year", "second year", "third year+"]},
        },
        {"report": "research_reputation", "matrix": {"niche": ["all", "llm_applications"]}},
        {"report": "warehouse_overview", "matrix": {"niche": ["all", "nlp"]}},
    ]
}
"""16 runs of all six reports, as a nightly batch would mix them."""
SCALE, SEED = 1.0, 20240517


def _warehouse(path: str | None) -> tuple[Path, str]:
    """The warehouse to report on and a short description of where it came from."""
    if path:
        return Path(path), f"`{path}`"
    WORK.mkdir(parents=True, exist_ok=True)
    target = WORK / "bench.duckdb"
    try:
        from fdsa.synth import build_warehouse

        build_warehouse(target, scale=SCALE, seed=SEED)
        return target, f"the demo warehouse (fdsa.synth scale {SCALE:g}, seed {SEED})"
    except Exception as exc:  # noqa: BLE001 - synth is optional here
        from fdsa.reporting.sample import build_sample_warehouse

        print(f"fdsa.synth unavailable ({type(exc).__name__}); using the sample warehouse")
        return build_sample_warehouse(target), "fdsa.reporting.sample (64 jobs)"


def _batch_file() -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    spec = WORK / "bench_runs.yaml"
    spec.write_text(yaml.safe_dump(BATCH, sort_keys=False), encoding="utf-8")
    return spec


PHASES = (
    ("kernel", "waiting for the report's kernel (a spare, or the first one of the batch)"),
    ("execute", "papermill: parameters, cells (queries, models, figures), notebook written"),
    ("export", "the executed notebook to one HTML page (nbconvert, header, checks)"),
    ("publish", "atomic write of the page, manifest and index"),
)


@contextlib.contextmanager
def _phase_timer() -> Iterator[dict[str, list[float]]]:
    """Seconds of each of :data:`PHASES` per report run in this process (serial batch).

    The runner's own functions are wrapped for the block (measurement only: they run
    unchanged) and restored after it.
    """
    from fdsa.reporting import kernels, runner

    spent: dict[str, list[float]] = {name: [] for name, _ in PHASES}
    targets = [
        (kernels.SPARES, "take", "kernel"),
        (runner, "_execute", "execute"),
        (runner, "to_html", "export"),
        (runner, "atomic_write", "publish"),
        (runner, "_finish", "publish"),
    ]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in targets]

    def timed(function, phase):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[phase].append(time.perf_counter() - started)

        return wrapper

    for owner, name, phase in targets:
        setattr(owner, name, timed(getattr(owner, name), phase))
    try:
        yield spent
    finally:
        for owner, name, function in saved:
            setattr(owner, name, function)


def _kernel_start(repeat: int) -> tuple[float, float]:
    """Median seconds until a kernel with the heavy imports done is ready: started the
    usual way, and forked from a zygote (whose own start is not counted).
    """
    from fdsa.reporting import kernels

    name = kernels.kernel_name()
    spares = kernels.Spares()
    spares.enabled = True
    usual, forked = [], []
    try:
        kernels.start_kernel(name, zygote_for=spares._zygote_for).shutdown()  # zygote up
        for _ in range(repeat):
            for times, zygote_for in ((usual, None), (forked, spares._zygote_for)):
                started = time.perf_counter()
                kernel = kernels.start_kernel(name, zygote_for=zygote_for)
                times.append(time.perf_counter() - started)
                kernel.shutdown()
    finally:
        spares.stop()
    return statistics.median(usual), statistics.median(forked)


def _time_batch(spec: Path, warehouse: Path, workers: int, *, fast: bool) -> tuple[float, list]:
    """Seconds for one forced batch into a fresh folder, and its run results.

    ``fast``: spare kernels started ahead of need and analysis results shared across
    the batch (the defaults of ``fdsa batch``); otherwise each report starts its own
    kernel when it begins and computes everything itself (the earlier behaviour).
    """
    from fdsa.reporting.batch import run_batch

    out = WORK / f"out_w{workers}_{'fast' if fast else 'cold'}"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    results, _ = run_batch(
        spec,
        warehouse=warehouse,
        out_dir=out,
        workers=workers,
        force=True,
        warm=fast,
        share=fast,
    )
    return time.perf_counter() - started, results


def _headlines(results: list) -> dict:
    return {(r.report, r.slug): r.headline_numbers for r in results}


def _bare_papermill(repeat: int) -> float:
    """Median seconds of papermill running a one-cell notebook (kernel start included)."""
    import nbformat
    import papermill as pm

    from fdsa.reporting.kernels import kernel_name

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "empty.ipynb"
        nbformat.write(nb, source)
        for i in range(repeat):
            started = time.perf_counter()
            pm.execute_notebook(
                str(source),
                str(Path(tmp) / f"out{i}.ipynb"),
                parameters={"x": 2},
                kernel_name=kernel_name(),
                progress_bar=False,
                cwd=tmp,
            )
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def _per_report(results: list) -> list[str]:
    """Table rows: median seconds of one run of each report (serial batch, kernel included)."""
    by_report: dict[str, list[float]] = {}
    for r in results:
        by_report.setdefault(r.report, []).append(r.seconds)
    return [
        f"| `{name}` | {len(times)} | {statistics.median(times):.2f} |"
        for name, times in sorted(by_report.items())
    ]


def _breakdown(spent: dict[str, list[float]], n_runs: int, serial: float) -> list[str]:
    """Table rows: seconds per report of each phase of the serial warm + shared batch."""
    totals = {name: sum(spent[name]) for name, _ in PHASES}
    totals["execute"] -= totals["kernel"]  # papermill's run includes taking the kernel
    rows = []
    for name, what in PHASES:
        total = totals[name]
        rows.append(f"| {name} | {what} | {total / n_runs:.3f} | {total / serial:.0%} |")
    other = serial - sum(totals.values())
    rows.append(
        f"| other | validation, holdings, slug, index of skipped runs | "
        f"{other / n_runs:.3f} | {other / serial:.0%} |"
    )
    return rows


def _report(
    figures: dict[str, float],
    source: str,
    serial_results: list,
    same: bool,
    spent: dict[str, list[float]],
) -> str:
    cold, serial = figures["serial_cold"], figures["serial"]
    cold2, parallel, bare = figures["parallel_cold"], figures["parallel"], figures["bare"]
    n_runs = len(serial_results)
    per_report = serial / n_runs
    return "\n".join(
        [
            SECTION,
            "",
            f"{n_runs} runs of the six reports (the batch in `bench/bench_reports.py`) on "
            f"{source}; "
            f"{datetime.now(UTC):%Y-%m-%d}, {platform.processor() or platform.machine()}, "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}. "
            "*Cold*: each report starts its kernel when it begins and computes every "
            "analysis itself. *Warm + shared* (the default of `fdsa batch`): each worker "
            "starts its next kernel, heavy imports done, while the current report runs "
            "(one fresh kernel per report all the same), and a public analysis asked the "
            "same question by two reports of the batch is computed once.",
            "",
            "| run | seconds | per report | ratio |",
            "|---|---:|---:|---:|",
            f"| batch, serial, cold | {cold:.1f} | {cold / n_runs:.2f} | 1.00 |",
            f"| batch, serial, warm + shared | {serial:.1f} | {per_report:.2f} | "
            f"{cold / serial:.2f}× faster |",
            f"| batch, 2 workers, cold | {cold2:.1f} | {cold2 / n_runs:.2f} | "
            f"{cold / cold2:.2f}× faster |",
            f"| batch, 2 workers, warm + shared | {parallel:.1f} | {parallel / n_runs:.2f} | "
            f"{cold / parallel:.2f}× faster |",
            f"| bare papermill, one-cell notebook | — | {bare:.2f} | "
            f"report / bare = {per_report / bare:.2f} |",
            "",
            "Headline numbers of every run equal between cold and warm + shared: "
            f"**{'yes' if same else 'NO'}**.",
            "",
            "Seconds per run of each report in the serial batch (median; kernel start, "
            "analyses, figures, export and publish):",
            "",
            "| report | runs | seconds |",
            "|---|---:|---:|",
            *_per_report(serial_results),
            "",
            "Where a report's time goes in the serial warm + shared batch (seconds per "
            "report, share of the batch's wall time):",
            "",
            "| phase | what | s / report | share |",
            "|---|---|---:|---:|",
            *_breakdown(spent, n_runs, serial),
            "",
            "A kernel with the heavy imports done is ready in "
            f"{figures['kernel_usual']:.2f} s when started the usual way (a new Python, "
            f"ipykernel, then pandas, SciPy, plotly, DuckDB and fdsa imported) and in "
            f"{figures['kernel_forked']:.2f} s when forked from the batch's zygote "
            "(`fdsa/reporting/zygote.py`; median of "
            f"{figures['kernel_repeat']:.0f} each, same run).",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table and (unless --no-write) update RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", help="warehouse file to report on")
    parser.add_argument("--repeat", type=int, default=3, help="bare papermill repetitions")
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    warehouse, source = _warehouse(args.warehouse)
    spec = _batch_file()
    bare = _bare_papermill(args.repeat)
    figures = {"bare": bare}
    runs: dict[str, list] = {}
    figures["kernel_usual"], figures["kernel_forked"] = _kernel_start(args.repeat)
    figures["kernel_repeat"] = args.repeat
    spent: dict[str, list[float]] = {}
    for name, workers, fast in (
        ("serial_cold", 1, False),
        ("serial", 1, True),
        ("parallel_cold", 2, False),
        ("parallel", 2, True),
    ):
        if name == "serial":
            with _phase_timer() as spent:
                figures[name], runs[name] = _time_batch(spec, warehouse, workers, fast=fast)
        else:
            figures[name], runs[name] = _time_batch(spec, warehouse, workers, fast=fast)
    failed = [r for results in runs.values() for r in results if r.status != "ok"]
    for r in failed:
        print(f"failed: {r.report} {r.parameters}: {r.error}")
    same = (
        _headlines(runs["serial_cold"])
        == _headlines(runs["serial"])
        == _headlines(runs["parallel"])
    )
    text = _report(figures, source, runs["serial"], same, spent)
    print(text)
    if not args.no_write:
        replace_section(SECTION, text)
        print(f"wrote the {SECTION!r} section of {HERE / 'RESULTS.md'}")
    return 1 if failed or not same else 0


if __name__ == "__main__":
    sys.exit(main())
