"""Run one report: validate, execute with papermill, export offline HTML, publish atomically."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from importlib.resources import files
from pathlib import Path

import fdsa
from fdsa.config import PROJECT_ROOT
from fdsa.reporting import fast_imports, kernels, layout
from fdsa.reporting import params as report_params
from fdsa.reporting.clean import page_problems
from fdsa.reporting.export import (
    headline_records,
    kernel_messages,
    meaning_records,
    network_references,
    to_html,
)
from fdsa.reporting.files import (
    atomic_copy,
    atomic_write,
    confined,
    ensure_assets,
    per_version,
    sha256_file,
)
from fdsa.reporting.index import record
from fdsa.reporting.kernels import kernel_name
from fdsa.reporting.provenance import (
    banner_html,
    least_missing,
    missing_sentence,
    provenance,
    resolve_window,
    servable,
    skip_reason,
)
from fdsa.reporting.results import RunResult, slug_of
from fdsa.warehouse import db
from fdsa.warehouse.facts import Holdings, holdings

NOTEBOOKS = Path(str(files("fdsa.notebooks")))
"""The report notebooks: ``notebooks/`` of the checkout, or the installed package data."""
PACKAGES = (
    "duckdb",
    "pandas",
    "numpy",
    "plotly",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "scipy",
)


def _git_commit() -> str:
    try:
        command = ["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short", "HEAD"]
        out = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            command,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def _versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[name] = metadata.version(name)
    return found


def _keep_failure(out_dir: Path, result: RunResult, executed: Path, exc: BaseException) -> None:
    """Keep the executed notebook and a log under ``_failed/<report>/``; fill in the error."""
    kept = confined(out_dir, "_failed", result.report, f"{result.slug}.ipynb")
    log = confined(out_dir, "_failed", result.report, f"{result.slug}.log")
    if executed.exists():
        atomic_copy(executed, kept)
        result.failed_notebook = str(kept.relative_to(out_dir))
    atomic_write(log, "".join(traceback.format_exception(exc)))
    result.log = str(log.relative_to(out_dir))
    result.error = error_summary(exc)


def error_summary(exc: BaseException) -> str:
    """One line saying why a run failed: the notebook's exception, a timeout or a dead kernel."""
    name = type(exc).__name__
    if hasattr(exc, "ename") and hasattr(exc, "evalue"):  # PapermillExecutionError
        return f"{exc.ename}: {exc.evalue}"[:300]
    if "Timeout" in name:
        return f"{name}: a cell timed out (--timeout); the kernel was stopped"
    lines = [x.strip() for x in str(exc).splitlines() if x.strip().strip("-")]
    return f"{name}: {lines[0] if lines else 'no message'}"[:300]


def _reproducibility(
    report: str,
    values: dict[str, object],
    warehouse: Path,
    build: dict[str, str],
    kernel: str,
    started: float,
) -> dict[str, object]:
    return {
        "report": report,
        "parameters": values,
        "warehouse": str(warehouse),
        "warehouse_sha256": sha256_file(warehouse),
        "build_info": build,
        "seed": build.get("seed"),
        "fdsa_version": fdsa.__version__,
        "git_commit": _git_commit(),
        "python": sys.version.split()[0],
        "kernel": kernel,
        "packages": _versions(),
        "run_seconds": round(time.perf_counter() - started, 1),
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def run_report(
    report: str,
    parameters: Mapping[str, object] | None = None,
    *,
    warehouse: Path,
    out_dir: Path,
    notebook: Path | None = None,
    timeout: int = 600,
) -> RunResult:
    """Run ``report`` with checked parameters and publish ``out_dir/<report>/<slug>.html``.

    Parameters
    ----------
    report
        A report declared in ``fdsa.reporting.params.REPORTS``.
    parameters
        Parameter name → value; validated (ValueError) before any kernel starts.
    warehouse
        The warehouse file; opened read-only here first so a missing or busy
        warehouse is a clear error rather than a kernel traceback.
    out_dir
        The reports folder; everything written stays inside it.
    notebook
        Run this notebook instead of ``notebooks/<report>.ipynb`` (tests).
    timeout
        Seconds any one cell may run before the run fails.

    Returns
    -------
    RunResult
        ``status`` is ``"ok"`` only when papermill finished without error and the
        page was published; ``"skipped"`` (no kernel started) when the warehouse
        holds the facts of none of the report's sections, with the reason;
        otherwise ``"failed"``: the executed notebook and log are kept under
        ``out_dir/_failed/<report>/`` and no HTML is published. The index and
        manifest are updated either way.

    Raises
    ------
    ValueError
        Before any kernel starts: undeclared or wrong parameters, a window that
        holds no postings (naming the data's span), an unknown salary snapshot.
    """
    values = report_params.validate(report, parameters or {})
    spec = report_params.REPORTS[report]
    slug = slug_of(values)
    if not 1 <= int(timeout) <= 86_400:
        raise ValueError(f"timeout must be between 1 and 86400 seconds; got {timeout}")
    warehouse = Path(warehouse)
    build, held = _warehouse_facts(warehouse)
    window = resolve_window(spec, values, held)
    _check_snapshot(values, held)
    source = Path(notebook) if notebook else NOTEBOOKS / f"{report}.ipynb"
    if not source.is_file():
        raise ValueError(f"report {report} has no notebook at {source}")
    html_path = confined(out_dir, report, f"{slug}.html")
    started = time.perf_counter()
    result = RunResult(report=report, slug=slug, status="failed", parameters=values)
    shown, blocked = servable(spec, held)
    result.window = window
    result.sections_not_shown = {k: missing_sentence(v) for k, v in blocked.items()}
    if not shown:
        result.status = "skipped"
        result.skipped_reason = skip_reason(spec, held)
        result.missing_facts = [f for need in least_missing(spec, held) for f in need]
        return _finish(out_dir, result, started)
    result.provenance = provenance(spec, values, held)
    ensure_assets(out_dir)
    kernel = kernel_name()
    with tempfile.TemporaryDirectory(prefix="fdsa-report-") as tmp:
        executed = Path(tmp) / f"{slug}.ipynb"
        try:
            nb = _execute(
                source,
                executed,
                {**values, "warehouse": str(warehouse.resolve())},
                kernel=kernel,
                timeout=int(timeout),
            )
        except Exception as exc:  # noqa: BLE001 - any failure of the run is recorded, not raised
            _keep_failure(out_dir, result, executed, exc)
        else:
            records = headline_records(nb)
            result.headlines = [str(r["text"]) for r in records]
            result.headline_numbers = records
            try:
                repro = _reproducibility(report, values, warehouse, build, kernel, started)
                repro["provenance"] = result.provenance
                repro["kernel_messages"] = kernel_messages(nb) or None
                meaning = layout.meaning_html(
                    layout.parameters_in_words(spec, values, window), meaning_records(nb)
                )
                header = layout.header_html(
                    spec,
                    values,
                    warehouse_name=warehouse.name,
                    headlines=result.headlines,
                    banner=banner_html(result.provenance, window),
                    meaning=meaning,
                    toc=layout.toc_html(spec, result.sections_not_shown),
                )
                page = to_html(nb, spec, header, repro)
                leaks = network_references(page)
                if leaks:
                    raise RuntimeError(f"the page would load from the network: {leaks[:3]}")
                problems = page_problems(page)
                if problems:
                    raise RuntimeError(
                        f"the page would show {len(problems)} unreadable value(s): "
                        + "; ".join(problems[:3])
                    )
                atomic_write(html_path, page)
            except Exception as exc:  # noqa: BLE001 - an export failure publishes nothing too
                _keep_failure(out_dir, result, executed, exc)
            else:
                result.status = "ok"
                result.html = str(html_path.relative_to(out_dir))
    return _finish(out_dir, result, started)


def _warehouse_facts(warehouse: Path) -> tuple[dict[str, str], Holdings]:
    """The warehouse's ``build_info`` and :func:`~fdsa.warehouse.facts.holdings`.

    Opening the warehouse here first makes a missing or busy warehouse a clear error
    rather than a kernel traceback. The reports of a batch count a warehouse file's
    holdings once per version of it (a lake, a folder, is read every time).
    """
    if not warehouse.is_file():
        return _read_facts(warehouse)
    build, held = _facts_of_version(warehouse)
    return dict(build), held


def _read_facts(warehouse: Path) -> tuple[dict[str, str], Holdings]:
    with db.connect(warehouse) as con:
        return db.build_info(con), holdings(con)


_facts_of_version = per_version(_read_facts)


def _execute(
    source: Path, executed: Path, parameters: dict[str, object], *, kernel: str, timeout: int
):
    """Run the notebook with papermill in a fresh kernel; the executed notebook.

    In a batch the kernel is the spare started ahead of need (:mod:`.kernels`);
    otherwise papermill starts one. Either way it serves this run only.
    """
    _register_engine()  # imports jsonschema the fast way before papermill does
    import papermill as pm

    spare = kernels.SPARES.take(kernel)
    try:
        return pm.execute_notebook(
            str(source),
            str(executed),
            parameters=parameters,
            kernel_name=kernel,
            engine_name=ENGINE,
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout,
            start_timeout=120,
            cwd=str(executed.parent),
            extra_arguments=list(kernels.KERNEL_ARGUMENTS),
            km=spare.manager if spare else None,
        )
    finally:
        if spare:
            kernels.shut_down_later(spare)


ENGINE = "fdsa"
"""The papermill engine of report runs: nbclient's, writing the executed notebook once
at the end (papermill's default rewrites it at the start and end of every cell)."""


@cache
def _register_engine() -> None:
    fast_imports.import_jsonschema()
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.iorw import write_ipynb

    class SaveOnce(NBClientEngine):
        """The executed notebook is written by papermill when the run ends, and here
        when it ends early (a timeout or a dead kernel), so a failed run keeps it.
        """

        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, **kwargs):
            try:
                return super().execute_notebook(nb, kernel_name, output_path=None, **kwargs)
            except BaseException:
                if output_path:
                    write_ipynb(nb, output_path)
                raise

    papermill_engines.register(ENGINE, SaveOnce)


def _finish(out_dir: Path, result: RunResult, started: float) -> RunResult:
    """Stamp the run's time and record it in the manifest and index."""
    result.seconds = round(time.perf_counter() - started, 2)
    result.finished_at = datetime.now(UTC).isoformat(timespec="seconds")
    record(out_dir, result)
    return result


def _check_snapshot(values: dict[str, object], held) -> None:
    """A ``snapshot`` parameter must be ``latest`` or the ingest run of a salary load."""
    snapshot = values.get("snapshot")
    if snapshot is None or snapshot == "latest":
        return
    runs = [str(s.ingest_run_id) for s in held.salaries]
    if str(snapshot) not in runs:
        raise ValueError(
            f"parameter snapshot must be latest or the ingest run of a salary load "
            f"({', '.join(runs) or 'none loaded'}); got {snapshot!r}"
        )
