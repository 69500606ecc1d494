"""From an executed notebook to one offline HTML page: records, cleaning and export.

The notebook's headline and "what this means" outputs are read back as records;
the body is exported with nbconvert (stderr and the headlines taken out, as they are
shown in the header), every reference to the network is removed, and the page is
framed by :mod:`~fdsa.reporting.layout`.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache

from fdsa.reporting import fast_imports, layout
from fdsa.reporting.outputs import CSV_NOTE, HEADLINE_MIME, MEANING_MIME

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


def headline_records(notebook) -> list[dict[str, object]]:
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


def meaning_records(notebook) -> list[str]:
    """Every ``page.means(...)`` sentence the executed notebook displayed, in order."""
    return [
        str(record["text"])
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if isinstance(record := output.get("data", {}).get(MEANING_MIME), dict) and "text" in record
    ]


def _is_shown(output) -> bool:
    """Outputs a reader sees in the body: not headlines and meanings (the header shows
    them) nor the kernel's stderr.
    """
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
    """A copy for export: headlines (shown in the header), stderr and a leading H1 out.

    Shallow: the notebook and its cells are new objects, outputs are shared (the
    exporter deep-copies what it is given before it changes anything).
    """
    import copy

    nb = copy.copy(notebook)
    nb.cells = [copy.copy(cell) for cell in notebook.cells]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if _is_shown(o)]
    first = nb.cells[0] if nb.cells else None
    if first is not None and first.cell_type == "markdown" and first.source.startswith("# "):
        first.source = first.source.partition("\n")[2]
    return nb


@cache
def _exporter():
    """The lab HTML exporter of nbconvert, made once per process (its compiled templates are
    reused by every page).
    """
    fast_imports.import_jsonschema()
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.mathjax_url = ""
    exporter.require_js_url = ""
    return exporter


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


def _repro_html(repro: dict[str, object]) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(REPRO_LABELS.get(str(k), str(k).replace('_', ' ')))}</th>"
        f"<td><code>{html.escape(json.dumps(v, default=str, sort_keys=True))}</code></td></tr>"
        for k, v in repro.items()
        if v is not None
    )
    return f'<section class="fdsa-repro"><h2>Reproducibility</h2><table>{rows}</table></section>'


def to_html(notebook, spec, header: str, repro: dict[str, object]) -> str:
    """The executed notebook as one offline HTML page: header, outputs, reproducibility.

    Each declared section's heading is anchored for the table of contents in the header.
    """
    body, _ = _exporter().from_notebook_node(
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
