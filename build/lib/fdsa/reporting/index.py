"""``reports/manifest.json`` and ``reports/index.html``: every run, machine- and human-readable."""

from __future__ import annotations

import fcntl
import html
import json
import re
from pathlib import Path

from fdsa.reporting.runner import RunResult, _atomic_write, confined, result_dict

_RELATIVE_FILE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*")


def _load(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    try:
        runs = json.loads(path.read_text(encoding="utf-8")).get("runs", [])
    except (json.JSONDecodeError, AttributeError):
        return []
    return runs if isinstance(runs, list) else []


def record(out_dir: Path, result: RunResult) -> None:
    """Add or replace the run of (report, slug) in the manifest and rewrite the index."""
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = confined(out_dir, "manifest.json")
    with open(confined(out_dir, ".index.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # parallel runs update one manifest
        runs = [
            r
            for r in _load(manifest)
            if (r.get("report"), r.get("slug")) != (result.report, result.slug)
        ]
        runs.append(result_dict(result))
        runs.sort(key=lambda r: (str(r.get("report")), str(r.get("slug"))))
        _atomic_write(manifest, manifest_json(runs))
        _atomic_write(confined(out_dir, "index.html"), render_index(runs))


def manifest_json(runs: list[dict[str, object]]) -> str:
    """The manifest text: JSON with ``<``, ``>`` and ``&`` as ``\\uXXXX`` (safe to embed)."""
    text = json.dumps({"runs": runs}, indent=2, default=str, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _link(href: object, text: str) -> str:
    """A link to a file the runner wrote inside the reports folder; anything else is dropped."""
    if not isinstance(href, str) or not _RELATIVE_FILE.fullmatch(href) or ".." in href:
        return ""
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


def render_index(runs: list[dict[str, object]]) -> str:
    """The index page: status, parameters, headline numbers and links of every run (escaped)."""
    rows = []
    for r in runs:
        params = ", ".join(f"{k}={v}" for k, v in dict(r.get("parameters") or {}).items())
        heads = "".join(f"<li>{html.escape(str(h))}</li>" for h in r.get("headlines") or [])
        status = str(r.get("status"))
        links = " ".join(
            x
            for x in (
                _link(r.get("html"), "report"),
                _link(r.get("failed_notebook"), "failed notebook"),
                _link(r.get("log"), "log"),
            )
            if x
        )
        error = html.escape(str(r.get("error") or ""))
        css = "ok" if status == "ok" else "failed"
        report = html.escape(str(r.get("report")))
        finished = html.escape(str(r.get("finished_at")))
        rows.append(
            f'<tr class="{css}"><td>{report}</td>'
            f"<td>{html.escape(params)}</td><td>{html.escape(status)} {error}</td>"
            f"<td><ul>{heads}</ul></td><td>{links}</td><td>{finished}</td></tr>"
        )
    n_failed = sum(1 for r in runs if r.get("status") != "ok")
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>fdsa reports</title>"
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 8px;vertical-align:top;"
        "border-bottom:1px solid #ddd}tr.failed{background:#fde8e8}</style></head><body>"
        f"<h1>fdsa reports</h1><p>{len(runs)} runs, {n_failed} failed.</p>"
        "<table><tr><th>report</th><th>parameters</th><th>status</th><th>headlines</th>"
        "<th>links</th><th>finished</th></tr>" + "".join(rows) + "</table></body></html>"
    )
