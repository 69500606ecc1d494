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
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import fdsa
from fdsa.config import PROJECT_ROOT
from fdsa.reporting import params as report_params
from fdsa.reporting.display import HEADLINE_MIME
from fdsa.warehouse import db

NOTEBOOKS = PROJECT_ROOT / "notebooks"
PACKAGES = ("duckdb", "pandas", "numpy", "plotly", "papermill", "nbconvert", "scipy")
_SLUG_PART = re.compile(r"[^a-z0-9]+")


@dataclass
class RunResult:
    """One report run, as recorded in ``manifest.json``."""

    report: str
    slug: str
    status: str  # "ok" or "failed"
    parameters: dict[str, object]
    html: str | None = None  # path relative to the output folder
    failed_notebook: str | None = None
    log: str | None = None
    error: str | None = None
    headlines: list[str] = field(default_factory=list)
    seconds: float = 0.0
    finished_at: str = ""


def slug_of(values: dict[str, object]) -> str:
    """A file-name-safe slug from parameter values (``default`` when there are none)."""
    parts = [_SLUG_PART.sub("-", f"{k}-{v}".lower()).strip("-") for k, v in sorted(values.items())]
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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def ensure_assets(out_dir: Path) -> Path:
    """Copy plotly.min.js once into ``out_dir/assets`` (reports load it from there)."""
    import plotly

    target = confined(out_dir, "assets", "plotly.min.js")
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target.with_suffix(".tmp"))
        os.replace(target.with_suffix(".tmp"), target)
    return target


def _headlines(notebook) -> list[str]:
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if HEADLINE_MIME in data:
                found.append(str(data[HEADLINE_MIME]["text"]))
    return found


_EXTERNAL = re.compile(
    r"""<(script|link)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?//[^>]*>(\s*</script>)?""", re.I
)


_CDN_MODULE = re.compile(
    r"<script type=\"module\">(?:(?!</script>).)*?https?://cdn(?:(?!</script>).)*</script>", re.S
)


def _to_html(notebook, title: str, repro: dict[str, object]) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.mathjax_url = ""
    exporter.require_js_url = ""
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    body = _EXTERNAL.sub("", body)  # nothing may reach the network
    body = _CDN_MODULE.sub("", body)  # nbconvert's mermaid loader imports from a CDN
    body = re.sub(r'<script[^>]*src=""[^>]*>\s*</script>', "", body)
    head = (
        '<script src="../assets/plotly.min.js"></script>\n'
        "<style>.fdsa-headline{font-size:1.1em;margin:.2em 0}"
        "table.fdsa-table td,table.fdsa-table th{padding:2px 8px}"
        ".fdsa-repro{font-size:.85em;color:#444;border-top:1px solid #ccc;margin-top:2em}</style>\n"
        f"<script>{_SORTER}</script>\n"
    )
    body = body.replace("</head>", head + "</head>", 1)
    rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(json.dumps(v, default=str))}</td></tr>"
        for k, v in repro.items()
    )
    block = f'<section class="fdsa-repro"><h2>Reproducibility</h2><table>{rows}</table></section>'
    return body.replace("</body>", block + "</body>", 1)


# Sort a table by a clicked header (numbers numerically); no data is interpreted as HTML.
_SORTER = (
    "document.addEventListener('click',function(e){var th=e.target.closest('table.sortable th');"
    "if(!th)return;var t=th.closest('table'),"
    "i=Array.prototype.indexOf.call(th.parentNode.children,th),"
    "b=t.tBodies[0],r=Array.from(b.rows),d=th.dataset.dir==='asc'?-1:1;th.dataset.dir=d>0?'asc':'desc';"
    "r.sort(function(x,y){var a=x.cells[i].textContent,c=y.cells[i].textContent,"
    "na=parseFloat(a),nc=parseFloat(c);return(isNaN(na)||isNaN(nc)?a.localeCompare(c):na-nc)*d;});"
    "r.forEach(function(x){b.appendChild(x);});});"
)


def run_report(
    report: str,
    parameters: dict[str, object] | None = None,
    *,
    warehouse: Path,
    out_dir: Path,
    notebook: Path | None = None,
    timeout: int = 600,
) -> RunResult:
    """Run ``report`` with checked parameters and publish ``out_dir/<report>/<slug>.html``.

    Parameters are validated before any kernel starts (ValueError). Only papermill's
    outcome counts: a run that raises or times out publishes no HTML; its executed
    notebook and log go to ``out_dir/_failed/<report>/``. The index and manifest are
    updated either way.
    """
    values = report_params.validate(report, parameters or {})
    title = report_params.REPORTS[report][0]
    slug = slug_of(values)
    html_path = confined(out_dir, report, f"{slug}.html")
    warehouse = Path(warehouse)
    with db.connect(warehouse) as con:  # a clear error now rather than inside the kernel
        build = db.build_info(con)
    source = notebook or NOTEBOOKS / f"{report}.ipynb"
    ensure_assets(out_dir)
    started = time.perf_counter()
    result = RunResult(report=report, slug=slug, status="failed", parameters=values)

    import papermill as pm

    with tempfile.TemporaryDirectory(prefix="fdsa-report-") as tmp:
        executed = Path(tmp) / f"{slug}.ipynb"
        try:
            nb = pm.execute_notebook(
                str(source),
                str(executed),
                parameters={**values, "warehouse": str(warehouse.resolve())},
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
                execution_timeout=timeout,
                cwd=str(PROJECT_ROOT),
            )
        except Exception as exc:  # noqa: BLE001 - any failure of the run is recorded, not raised
            failed_dir = confined(out_dir, "_failed", report)
            failed_dir.mkdir(parents=True, exist_ok=True)
            kept = confined(out_dir, "_failed", report, f"{slug}.ipynb")
            log = confined(out_dir, "_failed", report, f"{slug}.log")
            if executed.exists():
                shutil.copyfile(executed, kept)
                result.failed_notebook = str(kept.relative_to(out_dir))
            _atomic_write(log, "".join(traceback.format_exception(exc)))
            result.log = str(log.relative_to(out_dir))
            last_line = (str(exc).strip().splitlines() or [""])[-1][:300]
            result.error = f"{type(exc).__name__}: {last_line}"
        else:
            result.headlines = _headlines(nb)
            repro = {
                "report": report,
                "parameters": values,
                "warehouse": str(warehouse),
                "warehouse_sha256": _sha256(warehouse),
                "build_info": build,
                "seed": build.get("seed"),
                "fdsa_version": fdsa.__version__,
                "git_commit": _git_commit(),
                "packages": _versions(),
                "run_seconds": round(time.perf_counter() - started, 1),
                "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            _atomic_write(html_path, _to_html(nb, title, repro))
            result.status = "ok"
            result.html = str(html_path.relative_to(out_dir))
    result.seconds = round(time.perf_counter() - started, 2)
    result.finished_at = datetime.now(UTC).isoformat(timespec="seconds")
    from fdsa.reporting.index import record

    record(out_dir, result)
    return result


def result_dict(result: RunResult) -> dict[str, object]:
    """The manifest form of a result."""
    return asdict(result)
