"""``reports/manifest.json`` and ``reports/index.html``: every run, machine- and human-readable.

The index is grouped by report, each with its one-line purpose, and says what data the
runs read and over which period. A filter box narrows it to the runs whose text
matches. Each headline number stands beside its value in the previous published run
of the same report and parameters, and is marked as changed when the change is larger
than its 95% interval (:func:`compare_headlines`); the manifest keeps the same.
"""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path
from typing import Any

from fdsa import locks
from fdsa.reporting.files import atomic_write, confined
from fdsa.reporting.results import RunResult, result_dict

_RELATIVE_FILE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*")

Record = dict[str, Any]
"""One run of the manifest, as JSON gives it."""


def _load(path: Path) -> list[Record]:
    if not path.exists():
        return []
    try:
        runs = json.loads(path.read_text(encoding="utf-8")).get("runs", [])
    except (json.JSONDecodeError, AttributeError):
        return []
    return runs if isinstance(runs, list) else []


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(float(value)) else None


def is_change(current: Record, previous: Record) -> bool:
    """Whether a headline number moved more than its 95% interval since ``previous``.

    With an interval (``lo``/``hi`` of the current run), the change counts when the
    previous value lies outside it; without one (an exact count, or text), any
    difference counts.
    """
    now, before = _number(current.get("value")), _number(previous.get("value"))
    if now is None or before is None:
        return current.get("value") != previous.get("value")
    lo, hi = _number(current.get("lo")), _number(current.get("hi"))
    if lo is not None and hi is not None:
        return not lo <= before <= hi
    return now != before


def compare_headlines(current: list[Record], previous: list[Record]) -> list[Record]:
    """``current`` headline numbers, each with ``previous_value`` and ``changed`` when the
    previous run had a number of the same label.
    """
    before = {str(p["label"]): p for p in previous if isinstance(p, dict) and "label" in p}
    out = []
    for record in current:
        entry = {k: v for k, v in record.items() if k not in ("previous_value", "changed")}
        old = before.get(str(record.get("label"))) if "label" in record else None
        if old is not None and "value" in old and "value" in record:
            entry["previous_value"] = old["value"]
            entry["changed"] = is_change(record, old)
        out.append(entry)
    return out


def _previous_of(old: Record | None) -> Record | None:
    """The last published run before ``old`` replaced it: ``old`` itself if it was published."""
    if old is None:
        return None
    if old.get("status") == "ok":
        numbers = [
            {k: v for k, v in h.items() if k not in ("previous_value", "changed")}
            for h in old.get("headline_numbers") or []
            if isinstance(h, dict)
        ]
        return {"finished_at": old.get("finished_at"), "headline_numbers": numbers}
    previous = old.get("previous")
    return previous if isinstance(previous, dict) else None


def record(out_dir: Path, result: RunResult) -> None:
    """Add or replace the run of (report, slug) in the manifest and rewrite the index.

    The replaced run's headline numbers (or, if it was not published, those of the
    last published run before it) are kept as ``previous``, and the new run's
    headline numbers are compared with them.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = confined(out_dir, "manifest.json")
    with locks.exclusive(confined(out_dir, ".index.lock")):  # parallel runs, one manifest
        key = (result.report, result.slug)
        runs, old = [], None
        for r in _load(manifest):
            if (r.get("report"), r.get("slug")) == key:
                old = r
            else:
                runs.append(r)
        new = result_dict(result)
        previous = _previous_of(old)
        if previous is not None:
            new["previous"] = previous
            if result.status == "ok":
                headlines: list[Record] = new["headline_numbers"]  # type: ignore[assignment]
                new["headline_numbers"] = compare_headlines(
                    headlines, list(previous.get("headline_numbers") or [])
                )
        runs.append(new)
        runs.sort(key=lambda r: (str(r.get("report")), str(r.get("slug"))))
        atomic_write(manifest, manifest_json(runs))
        atomic_write(confined(out_dir, "index.html"), render_index(runs))


def manifest_json(runs: list[Record]) -> str:
    r"""The manifest text: JSON with ``<``, ``>`` and ``&`` as ``\\uXXXX`` (safe to embed)."""
    text = json.dumps({"runs": runs}, indent=2, default=str, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _link(href: object, text: str) -> str:
    """A link to a file the runner wrote inside the reports folder; anything else is dropped."""
    if not isinstance(href, str) or not _RELATIVE_FILE.fullmatch(href) or ".." in href:
        return ""
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


def _records(r: Record) -> list[Record]:
    return [p for p in r.get("provenance") or [] if isinstance(p, dict)]


def _window(r: Record) -> Record:
    window = r.get("window")
    return window if isinstance(window, dict) else {}


def _sources(r: Record) -> str:
    """The run's data sources and window, in a few words (escaped)."""
    records = _records(r)
    names = "; ".join(html.escape(str(p.get("title", ""))) for p in records)
    window = _window(r)
    period = (
        f"<br>{html.escape(str(window.get('first')))} to {html.escape(str(window.get('last')))}"
        if window
        else ""
    )
    css = "simulated" if any(p.get("kind") == "simulated" for p in records) else "real"
    return f'<span class="src-{css}">{names}</span>{period}' if names else period


def _shown(value: object) -> str:
    number = _number(value)
    if number is None:
        return str(value)
    return f"{number:,.0f}" if abs(number) >= 1000 else f"{number:,.4g}"


def _headline_items(r: Record) -> str:
    """Each headline, and beside its number the previous run's value (changes marked)."""
    numbers = {
        str(h.get("text")): h for h in r.get("headline_numbers") or [] if isinstance(h, dict)
    }
    items = []
    for text in r.get("headlines") or []:
        h = numbers.get(str(text), {})
        beside = ""
        if "previous_value" in h:
            before = html.escape(_shown(h["previous_value"]))
            if h.get("changed"):
                beside = (
                    f' <span class="fdsa-changed">changed: {html.escape(_shown(h.get("value")))}, '
                    f"was {before}</span>"
                )
            else:
                beside = f' <span class="fdsa-same">last run: {before}</span>'
        items.append(f"<li>{html.escape(str(text))}{beside}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _params_text(r: Record) -> str:
    return ", ".join(
        f"{k}={'from the data' if v is None else v}"
        for k, v in dict(r.get("parameters") or {}).items()
    )


def _row(r: Record) -> str:
    status = str(r.get("status"))
    links = " ".join(
        x
        for x in (
            _link(r.get("html"), "open the page"),
            _link(r.get("failed_notebook"), "failed notebook"),
            _link(r.get("log"), "log"),
        )
        if x
    )
    why = r.get("error") or r.get("skipped_reason") or ""
    css = status if status in ("ok", "skipped") else "failed"
    word = {"ok": "published", "skipped": "skipped", "failed": "failed"}.get(status, status)
    changed = sum(
        1 for h in r.get("headline_numbers") or [] if isinstance(h, dict) and h.get("changed")
    )
    flag = (
        f' <span class="fdsa-changed">{changed} headline{"s" if changed != 1 else ""} changed'
        "</span>"
        if changed
        else ""
    )
    return (
        f'<tr class="{css}">'
        f'<td data-label="Parameters">{html.escape(_params_text(r)) or "defaults"}</td>'
        f'<td data-label="Status">{html.escape(word)}{flag} {html.escape(str(why))}</td>'
        f'<td data-label="Data and period">{_sources(r)}</td>'
        f'<td data-label="Headlines">{_headline_items(r)}</td>'
        f'<td data-label="Page">{links}</td>'
        f'<td data-label="Finished">{html.escape(str(r.get("finished_at")))}</td></tr>'
    )


def _data_summary(runs: list[Record]) -> str:
    """What the runs read and over which period, in one line (escaped)."""
    titles = list(dict.fromkeys(str(p.get("title", "")) for r in runs for p in _records(r)))
    firsts = [str(_window(r)["first"]) for r in runs if _window(r).get("first")]
    lasts = [str(_window(r)["last"]) for r in runs if _window(r).get("last")]
    period = f"; postings from {min(firsts)} to {max(lasts)}" if firsts and lasts else ""
    if not titles:
        return ""
    return f'<p class="fdsa-data">Data: {html.escape("; ".join(titles))}{html.escape(period)}.</p>'


_STYLE = (
    "<style>body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:1280px;"
    "padding:0 16px;color:#1f2933}"
    "table{border-collapse:collapse;width:100%}"
    "td,th{padding:4px 8px;vertical-align:top;border-bottom:1px solid #ddd;text-align:left}"
    "td ul{margin:0;padding-left:1.1em}"
    "tr.failed{background:#fde8e8}tr.skipped{color:#666}"
    ".fdsa-report{margin:1.5em 0}.fdsa-report h2{margin:.2em 0}"
    ".fdsa-report h2 small{font-weight:normal;color:#666;font-size:.6em}"
    ".fdsa-purpose{margin:.2em 0 .6em;color:#52606d}"
    ".fdsa-changed{color:#b42318;font-weight:600}.fdsa-same{color:#667}"
    ".fdsa-source{padding:.6em .9em;margin:.3em 0;border-left:6px solid;border-radius:3px}"
    ".fdsa-simulated{background:#fff4e0;border-color:#d97706}"
    ".src-simulated{color:#9a5b00}.src-real{color:#1d4ed8}"
    "#fdsa-filter{width:100%;max-width:32em;padding:.4em;font-size:1em;box-sizing:border-box}"
    "@media (max-width:700px){table,tbody,tr,td,th{display:block;width:auto}"
    "tr.fdsa-head{display:none}tr{border-bottom:2px solid #bbb;padding:.4em 0}"
    "td{border:0;padding:2px 0;overflow-wrap:anywhere}"
    "td::before{content:attr(data-label) ': ';font-weight:600}}</style>"
)

_FILTER = (
    "<script>document.addEventListener('input',function(e){if(e.target.id!=='fdsa-filter')return;"
    "var q=e.target.value.toLowerCase();"
    "document.querySelectorAll('.fdsa-report').forEach(function(s){var any=false;"
    "var head=s.querySelector('h2').textContent+' '+s.querySelector('.fdsa-purpose').textContent;"
    "s.querySelectorAll('tr.ok,tr.skipped,tr.failed').forEach(function(tr){"
    "var hit=!q||(head+' '+tr.textContent).toLowerCase().indexOf(q)>=0;"
    "tr.style.display=hit?'':'none';any=any||hit;});s.style.display=any?'':'none';});});"
    "</script>"
)


def render_index(runs: list[Record]) -> str:
    """The index page: runs grouped by report, with purpose, data, changes and links (escaped)."""
    from fdsa.reporting.params import REPORTS

    n_failed = sum(1 for r in runs if r.get("status") not in ("ok", "skipped"))
    n_skipped = sum(1 for r in runs if r.get("status") == "skipped")
    simulated = any(p.get("kind") == "simulated" for r in runs for p in _records(r))
    banner = (
        '<aside class="fdsa-provenance"><div class="fdsa-source fdsa-simulated"><strong>'
        "Simulated market: not observed data.</strong> Pages marked as simulated read the "
        "synthetic market of `fdsa synth`, a test bench with known truth, not the real "
        "market; the data column says what each page read.</div></aside>"
        if simulated
        else ""
    )
    by_report: dict[str, list[Record]] = {}
    for r in runs:
        by_report.setdefault(str(r.get("report")), []).append(r)
    order = [n for n in REPORTS if n in by_report] + sorted(set(by_report) - set(REPORTS))
    sections = []
    for name in order:
        spec = REPORTS.get(name)
        title = spec.title if spec else name
        purpose = spec.purpose if spec else ""
        rows = "".join(_row(r) for r in by_report[name])
        sections.append(
            f'<section class="fdsa-report" id="report-{html.escape(name, quote=True)}">'
            f"<h2>{html.escape(title)} <small>{html.escape(name)}</small></h2>"
            f'<p class="fdsa-purpose">{html.escape(purpose)}</p>'
            '<table><tr class="fdsa-head"><th>Parameters</th><th>Status</th>'
            "<th>Data and period</th><th>Headlines (beside the last run)</th><th>Page</th>"
            f"<th>Finished</th></tr>{rows}</table></section>"
        )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>fdsa reports</title>{_STYLE}</head><body>"
        f"{banner}<h1>fdsa reports</h1><p>{len(runs)} runs: "
        f"{len(runs) - n_failed - n_skipped} published, {n_skipped} skipped, "
        f"{n_failed} failed.</p>{_data_summary(runs)}"
        '<p><label for="fdsa-filter">Filter: </label><input id="fdsa-filter" type="search" '
        'placeholder="report, parameter, niche, headline…" autocomplete="off"></p>'
        "<p class=\"fdsa-legend\">A headline marked <span class='fdsa-changed'>changed</span> "
        "moved more than its 95% interval since the last run of the same report and "
        "parameters.</p>" + "".join(sections) + _FILTER + "</body></html>"
    )
