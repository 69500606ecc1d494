"""The frame of every report page: header, "what this means", contents, styles for screen and print.

The runner wraps the exported notebook in this frame. Everything here is built from
declarations, so a new report or section gets it by declaring itself in
``fdsa.reporting.params``:

- the header: provenance banner, title, purpose, parameters, headlines;
- "What this means for these parameters": the sentences the sections added with
  ``page.means(...)``, after a line saying in words what the parameters select;
- the table of contents: one link per declared section to its heading (the
  notebook's ``## <section title>``, re-anchored as ``#section-<id>``), sections
  the warehouse cannot serve marked as such;
- styles: a readable column on wide screens, tables that scroll inside their box
  on a phone (the page itself never scrolls sideways), and print rules (no plotly
  toolbar, no download links, tables wrapped to the paper, figures scaled to it).
"""

from __future__ import annotations

import html
import re

from fdsa.reporting import labels
from fdsa.reporting.params import Report

PARAM_KINDS: dict[str, str] = {
    "niche": "niche",
    "region": "region",
    "tenure": "tenure",
    "role": "role",
    "experience": "experience",
}
"""Parameters whose values are categories of a vocabulary (shown by name)."""

PARAM_WORDS: dict[str, str] = {
    "experience_years": "{v:g} years of experience",
    "n_reviews": "{v:,} client reviews",
    "rating": "a {v:g}-star rating",
    "year": "work year {v}",
    "snapshot": "snapshot: {v}",
}
"""How other parameters read in the sentence that says what the parameters select."""

_PARAM_SUBJECTS = {
    "niche": "niche",
    "region": "region",
    "tenure": "career stage",
    "role": "role",
    "experience": "experience level",
}


def parameters_in_words(report: Report, values: dict[str, object], window: dict[str, str]) -> str:
    """``For LLM applications, all regions, postings 2021-01-01 to 2025-12-31.``."""
    parts = []
    for param in report.params:
        value = values.get(param.name)
        if value is None or param.name in ("since", "until"):
            continue
        if param.name in PARAM_KINDS:
            parts.append(labels.name(PARAM_KINDS[param.name], value))
        elif param.name in PARAM_WORDS:
            try:
                parts.append(PARAM_WORDS[param.name].format(v=value))
            except (ValueError, TypeError):
                parts.append(f"{param.name.replace('_', ' ')} {value}")
        else:
            parts.append(f"{param.name.replace('_', ' ')} {value}")
    if window:
        parts.append(f"postings from {window['first']} to {window['last']}")
    return f"For {', '.join(parts)}." if parts else "For all the data this warehouse holds."


def section_anchor(section_id: str) -> str:
    """The fragment id of a section's heading: ``section-<id>``."""
    return f"section-{re.sub(r'[^a-z0-9_-]+', '-', section_id.lower())}"


_H2 = re.compile(r'<h2 id="([^"]*)">(.*?)<a class="anchor-link" href="#[^"]*">', re.S)


def anchor_sections(body: str, report: Report) -> tuple[str, set[str]]:
    """``body`` with each declared section's ``<h2>`` given the id ``section-<id>``.

    The heading is the first ``<h2>`` whose text is the section's declared title, after
    the previous section's. Returns the page and the ids of the sections anchored.
    """
    anchored: set[str] = set()
    at = 0
    for section in report.sections:
        for match in _H2.finditer(body, at):
            text = html.unescape(re.sub(r"<[^>]+>", "", match.group(2))).strip()
            if text == section.title:
                anchor = section_anchor(section.id)
                tag = f'<h2 id="{anchor}">{match.group(2)}<a class="anchor-link" href="#{anchor}">'
                body = body[: match.start()] + tag + body[match.end() :]
                at = match.start() + len(tag)
                anchored.add(section.id)
                break
    return body, anchored


def toc_html(report: Report, not_shown: dict[str, str]) -> str:
    """The table of contents: a link per declared section; unservable ones marked."""
    items = []
    for section in report.sections:
        why = not_shown.get(section.id)
        mark = ' <span class="fdsa-toc-note">(not shown: data missing)</span>' if why else ""
        items.append(
            f'<li><a href="#{section_anchor(section.id)}">{html.escape(section.title)}</a>'
            f"{mark}</li>"
        )
    return (
        '<nav class="fdsa-toc" aria-label="Contents"><h2>Contents</h2>'
        f"<ol>{''.join(items)}</ol></nav>"
    )


def meaning_html(lead: str, sentences: list[str]) -> str:
    """The block "What this means for these parameters": parameters in words, then sentences."""
    if not sentences:
        return ""
    body = " ".join(html.escape(s) for s in sentences)
    return (
        '<section class="fdsa-meaning"><h2>What this means for these parameters</h2>'
        f"<p><strong>{html.escape(lead)}</strong> {body}</p></section>"
    )


def header_html(
    report: Report,
    values: dict[str, object],
    *,
    warehouse_name: str,
    headlines: list[str],
    banner: str,
    meaning: str,
    toc: str,
) -> str:
    """The top of a page: banner, title, purpose, parameters, headlines, meaning, contents."""
    shown = " &middot; ".join(
        f"<code>{html.escape(str(k))}</code> = "
        f"<code>{html.escape('from the data' if v is None else str(v))}</code>"
        for k, v in values.items()
    )
    items = "".join(f"<li>{html.escape(h)}</li>" for h in headlines)
    return (
        f'<header class="fdsa-header">{banner}<h1>{html.escape(report.title)}</h1>'
        f'<p class="fdsa-purpose">{html.escape(report.purpose)}</p>'
        f'<p class="fdsa-params">Parameters: {shown or "none"} &middot; warehouse '
        f"<code>{html.escape(warehouse_name)}</code></p>"
        f'<ul class="fdsa-headlines">{items}</ul>{meaning}{toc}</header>'
    )


STYLE = (
    "<style>"
    ":root{--fdsa-ink:#1f2933;--fdsa-muted:#52606d}"
    "body{color:var(--fdsa-ink)}"
    "main,.jp-Notebook{max-width:1120px;margin-left:auto!important;margin-right:auto!important;"
    "box-sizing:border-box}"
    ".fdsa-header,.fdsa-repro,.fdsa-meaning,.fdsa-toc{font-family:var(--jp-content-font-family,"
    "system-ui,sans-serif)}"
    ".fdsa-header{margin:1em 0 1.5em;padding:0 16px}.fdsa-header h1{margin-bottom:.2em}"
    ".fdsa-purpose{font-size:1.1em;color:var(--fdsa-muted);margin:.2em 0 .6em}"
    ".fdsa-params{color:#444;overflow-wrap:anywhere}"
    ".fdsa-headlines li{font-size:1.1em;margin:.25em 0}"
    ".fdsa-meaning{background:#f3f6f9;border-radius:4px;padding:.4em 1em;margin:1em 0}"
    ".fdsa-meaning h2,.fdsa-toc h2{font-size:1.05em;margin:.5em 0 .3em}"
    ".fdsa-meaning p{line-height:1.5;margin:.3em 0 .6em}"
    ".fdsa-toc ol{columns:2;column-gap:2em;margin:.2em 0;padding-left:1.4em}"
    ".fdsa-toc li{break-inside:avoid;margin:.15em 0}.fdsa-toc-note{color:#777;font-size:.9em}"
    ".fdsa-table-wrap{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}"
    "table.fdsa-table{border-collapse:collapse;table-layout:auto!important;margin:0!important;"
    "font-size:.9em}"
    "table.fdsa-table td,table.fdsa-table th{padding:3px 8px;text-align:right}"
    "table.fdsa-table th{vertical-align:bottom;border-bottom:1px solid #9aa3ad;"
    "min-width:4em;max-width:12em;white-space:normal}"
    "table.fdsa-table td{white-space:nowrap}"
    "table.fdsa-table td:first-child,table.fdsa-table th:first-child{text-align:left}"
    "table.sortable th{cursor:pointer}"
    ".fdsa-figure{width:100%;max-width:100%;overflow:hidden}"
    ".fdsa-download{font-size:.9em;margin:.3em 0 1.2em}"
    ".fdsa-provenance{margin:0 0 1em;font-size:.95em}"
    ".fdsa-source{padding:.6em .9em;margin:.3em 0;border-left:6px solid;border-radius:3px}"
    ".fdsa-simulated{background:#fff4e0;border-color:#d97706}"
    ".fdsa-real{background:#e8f1fb;border-color:#2563eb}"
    ".fdsa-period{margin:.3em 0;color:#444}.fdsa-note{color:#555;font-style:italic}"
    ".fdsa-csv-note{font-size:.85em;color:#444;margin-top:2em}"
    ".fdsa-repro{font-size:.85em;color:#444;border-top:1px solid #ccc;margin-top:2em;"
    "padding:0 16px}"
    ".fdsa-repro table{table-layout:fixed;width:100%}"
    ".fdsa-repro th{width:9em;text-align:left;vertical-align:top}"
    ".fdsa-repro code{white-space:pre-wrap;word-break:break-all}"
    ".jp-OutputArea-child{display:block!important;width:100%}"
    ".jp-OutputArea-output{display:block!important;width:100%;min-width:0;max-width:100%;box-sizing:border-box;"
    "overflow-x:visible}"
    ".fdsa-figure .js-plotly-plot{width:100%!important}"
    "@media (max-width:640px){"
    ".fdsa-header,.fdsa-repro{padding:0 4px}.fdsa-header h1{font-size:1.6em}"
    ".fdsa-toc ol{columns:1}"
    ".jp-Cell{padding:2px 0!important}.jp-OutputArea-output{padding:0!important}"
    ".jp-RenderedHTMLCommon{padding-right:4px!important}"
    "table.fdsa-table{font-size:.8em}}"
    "@media print{"
    ".modebar,.modebar-container,.fdsa-download,.fdsa-csv-note,a.anchor-link{display:none!important}"
    ".fdsa-figure{zoom:var(--fdsa-print-zoom,1);break-inside:avoid}"
    ".fdsa-table-wrap,.jp-OutputArea-output{overflow:visible!important}"
    "table.fdsa-table{width:100%!important;font-size:7pt}"
    "table.fdsa-table th,table.fdsa-table td{white-space:normal!important;"
    "overflow-wrap:break-word;padding:1px 3px;max-width:none;min-width:0}"
    ".fdsa-meaning{background:none;border:1px solid #ccc}"
    ".fdsa-repro code{font-size:7pt}}"
    "</style>\n"
)
"""The page's own styles, after nbconvert's (screen, narrow screens, print)."""

PRINT_WIDTH_PX = 680
"""Widest figure, in CSS pixels, that fits the printable width of A4 and Letter paper."""

SCRIPT = (
    # sort a table by a clicked header (numbers numerically); no data is interpreted as HTML
    "document.addEventListener('click',function(e){var th=e.target.closest('table.sortable th');"
    "if(!th)return;var t=th.closest('table'),"
    "i=Array.prototype.indexOf.call(th.parentNode.children,th),"
    "b=t.tBodies[0],r=Array.from(b.rows),d=th.dataset.dir==='asc'?-1:1;"
    "th.dataset.dir=d>0?'asc':'desc';"
    "var num=function(s){s=s.trim();return /^[-+\\u2212]?[0-9,]*[.]?[0-9]+%?$/.test(s)?"
    "parseFloat(s.replace(/[,%]/g,'').replace('\\u2212','-')):NaN;};"
    "r.sort(function(x,y){var a=x.cells[i].textContent,c=y.cells[i].textContent,"
    "na=num(a),nc=num(c);return(isNaN(na)||isNaN(nc)?a.localeCompare(c):na-nc)*d;});"
    "r.forEach(function(x){b.appendChild(x);});});"
    # on paper a figure is scaled to the printable width (plotly drew it for the screen)
    "function fdsaPrintZoom(){document.querySelectorAll('.fdsa-figure').forEach(function(f){"
    "var w=f.scrollWidth||1;"
    f"f.style.setProperty('--fdsa-print-zoom',Math.min(1,{PRINT_WIDTH_PX}/w));"
    "});}"
    "window.addEventListener('load',fdsaPrintZoom);window.addEventListener('resize',fdsaPrintZoom);"
    "window.addEventListener('beforeprint',fdsaPrintZoom);"
)
"""The page's own script: sortable tables and print scaling of figures."""

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
