"""Run a matrix of reports in parallel; skip the work when nothing changed since last time.

Runs go to a local process pool (default) or a Dask distributed cluster; either
way every run is one :func:`fdsa.reporting.runner.run_report` call, a failed run
never stops the others, and the index and manifest are updated after each run.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path

import yaml

import fdsa
from fdsa.reporting import kernels, zygote
from fdsa.reporting import params as report_params
from fdsa.reporting.files import atomic_write, confined, sha256_file
from fdsa.reporting.index import record
from fdsa.reporting.results import RunResult, slug_of
from fdsa.reporting.runner import NOTEBOOKS, run_report
from fdsa.warehouse import db

STATE_FILE = ".last_batch.json"
EXECUTORS = ("process", "dask")

Run = tuple[str, dict[str, object]]
Job = tuple[str, dict[str, object], str, str, int]


def expand(spec_path: Path) -> list[Run]:
    """The (report, parameters) runs of a batch file, every one validated up front.

    The YAML holds ``runs:``, a list of ``{report: NAME, matrix: {param: [values...]}}``
    (and/or ``params: {param: value}``); the matrix expands to every combination.
    Duplicate runs (same report and parameters) are run once.
    """
    try:
        spec = yaml.safe_load(Path(spec_path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read batch file {spec_path}: {exc}") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("runs"), list):
        raise ValueError(f"{spec_path}: expected a mapping with a 'runs' list")
    runs: list[Run] = []
    seen: set[tuple[str, str]] = set()
    for i, entry in enumerate(spec["runs"], start=1):
        if not isinstance(entry, dict) or "report" not in entry:
            raise ValueError(f"{spec_path}: run {i} needs a 'report' name")
        extra = set(entry) - {"report", "params", "matrix"}
        if extra:
            raise ValueError(f"{spec_path}: run {i}: unknown keys {sorted(map(str, extra))}")
        fixed = entry.get("params") or {}
        matrix = entry.get("matrix") or {}
        if not isinstance(fixed, dict) or not isinstance(matrix, dict):
            raise ValueError(f"{spec_path}: run {i}: params and matrix must be mappings")
        if not all(isinstance(v, list) and v for v in matrix.values()):
            raise ValueError(f"{spec_path}: run {i}: every matrix entry must be a non-empty list")
        keys = list(matrix)
        report = str(entry["report"])
        for combo in itertools.product(*(matrix[k] for k in keys)):
            raw = {**fixed, **dict(zip(keys, combo, strict=True))}
            try:
                values = report_params.validate(report, raw)
            except ValueError as exc:
                raise ValueError(f"{spec_path}: run {i}: {exc}") from None
            key = (report, slug_of(values))
            if key not in seen:
                seen.add(key)
                runs.append((report, values))
    return runs


def run_line(result: RunResult, out_dir: Path) -> str:
    """One line for a finished run, for logs: status, seconds, the page (or why not).

    ``ok        12.3s  reports/market_overview/default.html``
    """
    if result.status == "ok" and result.html:
        where = str(Path(out_dir) / result.html)
    elif result.status == "skipped":
        where = f"{result.report}/{result.slug}: {result.skipped_reason or 'skipped'}"
    else:
        kept = result.log or result.failed_notebook
        where = f"{result.report}/{result.slug}: {result.error or 'failed'}"
        where += f" (log: {Path(out_dir) / kept})" if kept else ""
    return f"{result.status:<8} {result.seconds:7.1f}s  {where}"


def fingerprint(warehouse: Path, runs: list[Run]) -> str:
    """SHA-256 of what a batch's output depends on: warehouse file, runs, notebooks, fdsa."""
    notebooks = {
        report: sha256_file(NOTEBOOKS / f"{report}.ipynb")
        for report in sorted({r for r, _ in runs})
        if (NOTEBOOKS / f"{report}.ipynb").is_file()
    }
    payload = json.dumps(
        {
            "warehouse": sha256_file(warehouse),
            "runs": runs,
            "notebooks": notebooks,
            "fdsa": fdsa.__version__,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def run_job(job: Job) -> RunResult:
    """Run one batch job (picklable: what a pool or Dask worker executes)."""
    report, values, warehouse, out_dir, timeout = job
    return run_report(
        report, values, warehouse=Path(warehouse), out_dir=Path(out_dir), timeout=timeout
    )


def _crashed(job: Job, exc: BaseException) -> RunResult:
    """A result for a run whose worker died or raised before the runner could record it."""
    report, values, _, out_dir, _ = job
    result = RunResult(
        report=report,
        slug=slug_of(values),
        status="failed",
        parameters=values,
        error=f"{type(exc).__name__}: {str(exc).strip()[:300]}",
        finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    with contextlib.suppress(OSError, ValueError):
        record(Path(out_dir), result)  # the index shows it like any failed run
    return result


def _on_process_pool(jobs: list[Job], workers: int, *, warm: bool) -> Iterator[RunResult]:
    start = kernels.ahead_of_need if warm else None
    with ProcessPoolExecutor(max_workers=workers, initializer=start) as pool:
        futures = {pool.submit(run_job, job): job for job in jobs}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001 - a dead worker fails its run only
                yield _crashed(futures[future], exc)


def _on_dask(jobs: list[Job], address: str | None, workers: int) -> Iterator[RunResult]:
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise ValueError(
            "--executor dask needs dask[distributed]: pip install -e '.[dask]'"
        ) from None
    cluster = None
    if address is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
    client = Client(address or cluster)
    try:
        futures = {
            client.submit(run_job, job, pure=False, key=f"fdsa-report-{i}"): job
            for i, job in enumerate(jobs)
        }
        for future in dask_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker fails its run only
                yield _crashed(futures[future], exc)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _serially(jobs: list[Job], *, warm: bool) -> Iterator[RunResult]:
    if warm:
        kernels.ahead_of_need()
    try:
        for job in jobs:
            try:
                yield run_job(job)
            except Exception as exc:  # noqa: BLE001 - e.g. the warehouse vanished mid-batch
                yield _crashed(job, exc)
    finally:
        kernels.SPARES.stop()


def is_unchanged(out_dir: Path, current: str) -> bool:
    """True when the last batch in ``out_dir`` that fully succeeded had this fingerprint."""
    state = confined(out_dir, STATE_FILE)
    if not state.exists():
        return False
    try:
        return json.loads(state.read_text(encoding="utf-8")).get("fingerprint") == current
    except (json.JSONDecodeError, AttributeError, OSError):
        return False


def run_batch(
    spec_path: Path,
    *,
    warehouse: Path,
    out_dir: Path,
    workers: int = 2,
    force: bool = False,
    executor: str = "process",
    address: str | None = None,
    timeout: int = 600,
    on_done: Callable[[RunResult], None] | None = None,
    share: bool = True,
    warm: bool = True,
) -> tuple[list[RunResult], bool]:
    """Run every report of ``spec_path``; return (results, skipped).

    Parameters
    ----------
    spec_path
        The batch YAML (see :func:`expand`); every run is validated before any starts.
    warehouse
        The warehouse file every run reads (its SHA-256 is part of the fingerprint).
    out_dir
        The reports folder (shared by all workers; on a remote Dask cluster it must
        be the same path on every worker).
    workers
        Parallel runs (process pool size, or LocalCluster workers for Dask).
    force
        Run even if nothing changed since the last batch without a failure (a run
        skipped because the warehouse lacks its facts is not a failure).
    executor
        ``"process"`` (local process pool; 1 worker runs in this process) or ``"dask"``.
    address
        Dask scheduler address (``tcp://host:8786``); without it a LocalCluster
        of ``workers`` processes is started for the batch.
    timeout
        Seconds any one notebook cell may run.
    on_done
        Called with each result as it finishes (progress bars).
    share
        Let reports of the batch share analysis results: a public analysis called
        with the same arguments by two reports is computed once (results are the
        same either way; each report still runs in its own fresh kernel).
    warm
        Start each worker's next kernel while its current report runs, with the heavy
        imports done (:mod:`fdsa.reporting.kernels`); never one kernel for two reports.

    Returns
    -------
    tuple
        The results in completion order, and True when the work was skipped
        because the warehouse, runs, notebooks and fdsa version are unchanged.
    """
    if executor not in EXECUTORS:
        raise ValueError(f"--executor must be one of {', '.join(EXECUTORS)}; got {executor!r}")
    if address is not None and executor != "dask":
        raise ValueError("--address only applies with --executor dask")
    if not 1 <= workers <= 64:
        raise ValueError(f"--workers must be between 1 and 64; got {workers}")
    runs = expand(spec_path)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    state = confined(out_dir, STATE_FILE)
    current = fingerprint(Path(warehouse), runs)
    if not force and is_unchanged(out_dir, current):
        return [], True
    jobs: list[Job] = [(r, v, str(warehouse), str(out_dir), timeout) for r, v in runs]
    results: list[RunResult] = []
    # a remote Dask cluster has neither this machine's temp folder nor its warehouse path
    parallel = executor == "process" and workers > 1 and len(jobs) > 1
    threads = {db.THREADS_ENV: str(max(1, (os.cpu_count() or 1) // workers))} if parallel else {}
    # the kernels of a local batch fork from one zygote that imported the heavy modules
    python = kernels.kernel_python(kernels.kernel_name()) if warm and executor != "dask" else None
    with (
        _environment(threads),
        _shared_results(Path(warehouse), enabled=share and address is None),
        zygote.for_batch(python, kernels.WARM_MODULES),
    ):
        if executor == "dask":
            stream = _on_dask(jobs, address, workers)
        elif workers == 1 or len(jobs) == 1:
            stream = _serially(jobs, warm=warm)
        else:
            stream = _on_process_pool(jobs, min(workers, len(jobs)), warm=warm)
        for result in stream:
            results.append(result)
            if on_done:
                on_done(result)
    if results and all(r.status in ("ok", "skipped") for r in results):
        atomic_write(state, json.dumps({"fingerprint": current, "runs": len(results)}))
    else:
        state.unlink(missing_ok=True)
    return results, False


@contextlib.contextmanager
def _shared_results(warehouse: Path, *, enabled: bool) -> Iterator[None]:
    """Within the block, kernels started by this process share analysis results.

    A private temporary folder holds them (:func:`fdsa.analysis._cache.share_results`);
    it and the environment variable naming it are gone when the block ends.
    """
    if not enabled:
        yield
        return
    from fdsa.analysis import _cache

    folder = Path(tempfile.mkdtemp(prefix="fdsa-shared-"))
    try:
        with _environment(_cache.share_results(folder, warehouse)):
            yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Within the block, ``values`` are set in this process's environment (and so in the
    workers and kernels it starts); a variable the user set already is left as it is.
    """
    mine = {k: v for k, v in values.items() if k not in os.environ}
    os.environ.update(mine)
    try:
        yield
    finally:
        for key in mine:
            os.environ.pop(key, None)
