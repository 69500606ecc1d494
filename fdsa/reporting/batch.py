"""Run a matrix of reports in parallel; skip the work when nothing changed since last time."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import yaml

from fdsa.reporting import params as report_params
from fdsa.reporting.runner import RunResult, _atomic_write, _sha256, confined, run_report

STATE_FILE = ".last_batch.json"


def expand(spec_path: Path) -> list[tuple[str, dict[str, object]]]:
    """The (report, parameters) runs of a batch file, every one validated up front.

    The YAML holds ``runs:``, a list of ``{report: NAME, matrix: {param: [values...]}}``
    (and/or ``params: {param: value}``); the matrix expands to every combination.
    """
    try:
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read batch file {spec_path}: {exc}") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("runs"), list):
        raise ValueError(f"{spec_path}: expected a mapping with a 'runs' list")
    runs = []
    for i, entry in enumerate(spec["runs"], start=1):
        if not isinstance(entry, dict) or "report" not in entry:
            raise ValueError(f"{spec_path}: run {i} needs a 'report' name")
        fixed = dict(entry.get("params") or {})
        matrix = dict(entry.get("matrix") or {})
        if not all(isinstance(v, list) and v for v in matrix.values()):
            raise ValueError(f"{spec_path}: run {i}: every matrix entry must be a non-empty list")
        keys = list(matrix)
        for combo in itertools.product(*(matrix[k] for k in keys)) if keys else [()]:
            raw = {**fixed, **dict(zip(keys, combo, strict=True))}
            report = str(entry["report"])
            runs.append((report, report_params.validate(report, raw)))
    return runs


def _fingerprint(warehouse: Path, runs: list[tuple[str, dict[str, object]]]) -> str:
    payload = json.dumps(
        {"warehouse": _sha256(warehouse), "runs": runs}, sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _run_one(args: tuple[str, dict[str, object], str, str]) -> RunResult:
    report, values, warehouse, out_dir = args
    return run_report(report, values, warehouse=Path(warehouse), out_dir=Path(out_dir))


def run_batch(
    spec_path: Path,
    *,
    warehouse: Path,
    out_dir: Path,
    workers: int = 2,
    force: bool = False,
    on_done: Callable[[RunResult], None] | None = None,
) -> tuple[list[RunResult], bool]:
    """Run every report of ``spec_path``; return (results, skipped).

    A failed run does not stop the others. When the warehouse file and the runs are
    unchanged since the last batch in which every run succeeded, nothing runs and
    ``skipped`` is True (unless ``force``).
    """
    runs = expand(spec_path)
    if not 1 <= workers <= 64:
        raise ValueError(f"--workers must be between 1 and 64; got {workers}")
    out_dir.mkdir(parents=True, exist_ok=True)
    state = confined(out_dir, STATE_FILE)
    fingerprint = _fingerprint(warehouse, runs)
    if not force and state.exists():
        try:
            if json.loads(state.read_text()).get("fingerprint") == fingerprint:
                return [], True
        except json.JSONDecodeError:
            pass
    jobs = [(r, v, str(warehouse), str(out_dir)) for r, v in runs]
    results: list[RunResult] = []
    if workers == 1:
        for job in jobs:
            results.append(_run_one(job))
            if on_done:
                on_done(results[-1])
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for future in as_completed([pool.submit(_run_one, job) for job in jobs]):
                results.append(future.result())
                if on_done:
                    on_done(results[-1])
    if all(r.status == "ok" for r in results):
        _atomic_write(state, json.dumps({"fingerprint": fingerprint}))
    else:
        state.unlink(missing_ok=True)
    return results, False
