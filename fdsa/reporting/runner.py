"""Run one report: validate, execute with papermill, export offline HTML, publish atomically."""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from importlib.resources import files
from pathlib import Path

import fdsa
from fdsa.config import PROJECT_ROOT
from fdsa.reporting import kernels, layout
from fdsa.reporting import params as report_params
from fdsa.reporting.clean import page_problems
from fdsa.reporting.display import CSV_NOTE, HEADLINE_MIME, MEANING_MIME
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
from fdsa.warehouse import db
from fdsa.warehouse.facts import holdings

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
_SLUG_PART = re.compile(r"[^a-z0-9]+")


@dataclass
class RunResult:
    """One report run, as recorded in ``manifest.json``."""

    report: str
    slug: str
    status: str  # "ok", "skipped" (the warehouse serves none of its sections) or "failed"
    parameters: dict[str, object]
    html: str | None = None  # path relative to the output folder
    failed_notebook: str | None = None
    log: str | None = None
    error: str | None = None
    headlines: list[str] = field(default_factory=list)
    headline_numbers: list[dict[str, object]] = field(default_factory=list)  # text, value, label
    seconds: float = 0.0
    finished_at: str = ""
    skipped_reason: str | None = None
    missing_facts: list[str] = field(default_factory=list)  # what a skipped run lacks (FACTS)
    provenance: list[dict[str, object]] = field(default_factory=list)
    window: dict[str, str] = field(default_factory=dict)  # first/last day of postings read
    sections_not_shown: dict[str, str] = field(default_factory=dict)  # section id -> why


def slug_of(values: dict[str, object]) -> str:
    """A file-name-safe slug from parameter values (``default`` when there are none).

    Parameters left to the data (None) are not part of the slug.
    """
    parts = [
        _SLUG_PART.sub("-", f"{k}-{v}".lower()).strip("-")
        for k, v in sorted(values.items())
        if v is not None
    ]
    return "_".join(p for p in parts if p)[:120] or "default"


def confined(out_dir: Path, *parts: str) -> Path:
    """``out_dir/parts``, refused if it would land outside ``out_dir`` (``..``, ``/``, links)."""
    root = out_dir.resolve()
    for part in parts:
        if not part or part in (".", "..") or "/" in part or "\\" in part or "\x00" in part:
            raise ValueError(f"refusing output name {part!r}: not a plain file name")
    target = out_dir.joinpath(*parts)
    resolved = target.resolve()
    if root != resolved and root not in resolved.parents:
        raise ValueError(f"refusing output path {target}: it resolves outside {out_dir}")
    return target


def _sha256(path: Path) -> str:
    """SHA-256 of a file, hashed once per version of it in this process.

    A batch names the same warehouse in every run (and in its fingerprint); a 2 GB
    warehouse takes seconds to hash. A published warehouse is replaced by rename, so
    (path, inode, size, mtime) identifies a version.
    """
    from fdsa.warehouse.lake import MANIFEST, is_lake

    if is_lake(path):  # a lake's manifest holds the hash of every data file
        path = Path(path) / MANIFEST
    stat = os.stat(path)
    return _sha256_of_version(
        str(Path(path).resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns
    )


@cache
def _sha256_of_version(path: str, inode: int, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short", "HEAD"],
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


def _atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it into place."""
    _atomic_publish(path, lambda handle: handle.write(text.encode("utf-8")))


def _atomic_copy(source: Path, path: Path) -> None:
    """Copy ``source`` to a temporary file beside ``path`` and rename it into place."""

    def copy(handle) -> None:
        with open(source, "rb") as src:
            shutil.copyfileobj(src, handle)

    _atomic_publish(path, copy)


def _atomic_publish(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide reports from a web server
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.filename is None:  # name what could not be written
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def ensure_assets(out_dir: Path) -> Path:
    """Copy plotly.min.js once into ``out_dir/assets`` (reports load it from there)."""
    import plotly

    out_dir.mkdir(parents=True, exist_ok=True)
    confined(out_dir, "assets")
    target = confined(out_dir, "assets", "plotly.min.js")
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        _atomic_copy(source, target)
    return target


def _headline_records(notebook) -> list[dict[str, object]]:
    """Every ``headline(...)`` the executed notebook displayed, in order."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            record = output.get("data", {}).get(HEADLINE_MIME)
            if isinstance(record, dict) and "text" in record:
                found.append(
                    {k: record[k] for k in ("text", "value", "label", "lo", "hi") if k in record}
                )
    return found


def _meaning_records(notebook) -> list[str]:
    """Every ``page.means(...)`` sentence the executed notebook displayed, in order."""
    return [
        str(record["text"])
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if isinstance(record := output.get("data", {}).get(MEANING_MIME), dict) and "text" in record
    ]


def _is_shown(output) -> bool:
    """Outputs a reader sees in the body: not headlines and meanings (the header shows
    them) nor the kernel's stderr."""
    data = output.get("data", {})
    if HEADLINE_MIME in data or MEANING_MIME in data:
        return False
    return not (output.get("output_type") == "stream" and output.get("name") == "stderr")


def kernel_messages(notebook) -> list[str]:
    """What the kernel wrote to stderr (warnings): kept in the manifest, not on the page."""
    return [
        "".join(o.get("text", "")).strip()
        for cell in notebook.cells
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stderr"
    ]


def _body_notebook(notebook):
    """A copy for export: headlines (shown in the header), stderr and a leading H1 out."""
    import copy

    nb = copy.deepcopy(notebook)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if _is_shown(o)]
    first = nb.cells[0] if nb.cells else None
    if first is not None and first.cell_type == "markdown" and first.source.startswith("# "):
        first.source = first.source.partition("\n")[2]
    return nb


_NETWORK_ATTR = re.compile(
    r"""<(script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?"""
    r"""\b(src|href|data)\s*=\s*["']?\s*(https?:)?//[^>]*>(\s*</\1>)?""",
    re.I,
)
_CDN_MODULE = re.compile(
    r"<script type=\"module\">(?:(?!</script>).)*?https?://(?:(?!</script>).)*</script>", re.S
)
_CSS_IMPORT = re.compile(r"@import\s+url\(\s*['\"]?(https?:)?//[^)]*\)\s*;?", re.I)


def strip_network(page: str) -> str:
    """``page`` without any element or CSS import that would fetch from the network.

    nbconvert's templates reference require.js, MathJax and a mermaid module on
    CDNs; the blanked URLs and those elements go.
    """
    page = _NETWORK_ATTR.sub("", page)
    page = _CDN_MODULE.sub("", page)
    page = _CSS_IMPORT.sub("", page)
    return re.sub(r'<script[^>]*\bsrc=""[^>]*>\s*</script>', "", page)


def network_references(page: str) -> list[str]:
    """Elements or CSS imports of ``page`` that would make a network request (should be [])."""
    return [m.group(0)[:120] for m in _NETWORK_ATTR.finditer(page)] + [
        m.group(0) for m in _CSS_IMPORT.finditer(page)
    ]


def _csv_note_html(body: str) -> str:
    """One line on how CSV downloads are made safe, on pages that offer any."""
    if 'class="fdsa-csv"' not in body:
        return ""
    return f'<p class="fdsa-csv-note">{html.escape(CSV_NOTE)}</p>'


REPRO_LABELS: dict[str, str] = {
    "report": "Report",
    "parameters": "Parameters",
    "warehouse": "Warehouse file",
    "warehouse_sha256": "Warehouse SHA-256",
    "build_info": "Warehouse build",
    "seed": "Seed",
    "fdsa_version": "fdsa version",
    "git_commit": "Git commit",
    "python": "Python",
    "kernel": "Kernel",
    "packages": "Packages",
    "run_seconds": "Run time (s)",
    "run_at": "Run at (UTC)",
    "provenance": "Provenance",
    "kernel_messages": "Kernel messages",
}
"""How the reproducibility block names its entries (the manifest keeps the keys)."""


def _repro_html(repro: dict[str, object]) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(REPRO_LABELS.get(str(k), str(k).replace('_', ' ')))}</th>"
        f"<td><code>{html.escape(json.dumps(v, default=str, sort_keys=True))}</code></td></tr>"
        for k, v in repro.items()
        if v is not None
    )
    return f'<section class="fdsa-repro"><h2>Reproducibility</h2><table>{rows}</table></section>'


def _to_html(notebook, spec, header: str, repro: dict[str, object]) -> str:
    """The executed notebook as one offline HTML page: header, outputs, reproducibility.

    Each declared section's heading is anchored for the table of contents in the header.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.mathjax_url = ""
    exporter.require_js_url = ""
    body, _ = exporter.from_notebook_node(
        _body_notebook(notebook), resources={"metadata": {"name": spec.title}}
    )
    body = strip_network(body)
    body, _ = layout.anchor_sections(body, spec)
    head = (
        f"{layout.VIEWPORT}\n"
        f'<script src="../assets/plotly.min.js"></script>\n{layout.STYLE}'
        f"<script>{layout.SCRIPT}</script>\n"
    )
    body = body.replace("</head>", head + "</head>", 1)
    opening = re.search(r"<main[^>]*>", body) or re.search(r"<body[^>]*>", body)
    at = opening.end() if opening else 0
    body = body[:at] + header + body[at:]
    return body.replace("</body>", _csv_note_html(body) + _repro_html(repro) + "</body>", 1)


def _keep_failure(out_dir: Path, result: RunResult, executed: Path, exc: BaseException) -> None:
    """Keep the executed notebook and a log under ``_failed/<report>/``; fill in the error."""
    kept = confined(out_dir, "_failed", result.report, f"{result.slug}.ipynb")
    log = confined(out_dir, "_failed", result.report, f"{result.slug}.log")
    if executed.exists():
        _atomic_copy(executed, kept)
        result.failed_notebook = str(kept.relative_to(out_dir))
    _atomic_write(log, "".join(traceback.format_exception(exc)))
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
        "warehouse_sha256": _sha256(warehouse),
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
    with db.connect(warehouse) as con:  # a clear error now rather than inside the kernel
        build = db.build_info(con)
        held = holdings(con)
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
            records = _headline_records(nb)
            result.headlines = [str(r["text"]) for r in records]
            result.headline_numbers = records
            try:
                repro = _reproducibility(report, values, warehouse, build, kernel, started)
                repro["provenance"] = result.provenance
                repro["kernel_messages"] = kernel_messages(nb) or None
                meaning = layout.meaning_html(
                    layout.parameters_in_words(spec, values, window), _meaning_records(nb)
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
                page = _to_html(nb, spec, header, repro)
                leaks = network_references(page)
                if leaks:
                    raise RuntimeError(f"the page would load from the network: {leaks[:3]}")
                problems = page_problems(page)
                if problems:
                    raise RuntimeError(
                        f"the page would show {len(problems)} unreadable value(s): "
                        + "; ".join(problems[:3])
                    )
                _atomic_write(html_path, page)
            except Exception as exc:  # noqa: BLE001 - an export failure publishes nothing too
                _keep_failure(out_dir, result, executed, exc)
            else:
                result.status = "ok"
                result.html = str(html_path.relative_to(out_dir))
    return _finish(out_dir, result, started)


def _execute(
    source: Path, executed: Path, parameters: dict[str, object], *, kernel: str, timeout: int
):
    """Run the notebook with papermill in a fresh kernel; the executed notebook.

    In a batch the kernel is the spare started ahead of need (:mod:`.kernels`);
    otherwise papermill starts one. Either way it serves this run only.
    """
    import papermill as pm

    spare = kernels.SPARES.take(kernel)
    try:
        return pm.execute_notebook(
            str(source),
            str(executed),
            parameters=parameters,
            kernel_name=kernel,
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
            spare.shutdown()


def _finish(out_dir: Path, result: RunResult, started: float) -> RunResult:
    """Stamp the run's time and record it in the manifest and index."""
    result.seconds = round(time.perf_counter() - started, 2)
    result.finished_at = datetime.now(UTC).isoformat(timespec="seconds")
    from fdsa.reporting.index import record

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


def result_dict(result: RunResult) -> dict[str, object]:
    """The manifest form of a result."""
    return asdict(result)
