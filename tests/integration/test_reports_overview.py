"""warehouse_overview on a tiny hand-built warehouse with hostile job titles.

A real kernel runs the notebook; the page must be offline, escaped, confined and
published only when papermill succeeded.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from fdsa.cli import app
from fdsa.reporting.export import network_references
from fdsa.reporting.files import confined
from fdsa.reporting.runner import run_report
from fdsa.reporting.sample import HOSTILE_TITLES

# the module fixture runs reports once: one worker runs the module (make test: --dist loadgroup)
pytestmark = pytest.mark.xdist_group("reports_overview")

REPORT = "warehouse_overview"
RAW_MARKUP = re.compile(
    r"<script>window.__pwned|<script>document.body.setAttribute|<img src=x", re.I
)


@pytest.fixture(scope="module")
def published(tiny_warehouse: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("reports")
    result = run_report(
        REPORT, {"niche": "all", "since": "2023-01-01"}, warehouse=tiny_warehouse, out_dir=out
    )
    assert result.status == "ok", result.error
    return out, result, (out / result.html).read_text(encoding="utf-8")


def _broken_notebook(path: Path, body: str) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('warehouse = ""\nniche = "all"\nsince = "2021-01-01"')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def test_report_is_published_offline_with_shared_plotly(published):
    out, result, page = published
    assert result.html == "warehouse_overview/niche-all_since-2023-01-01.html"
    assert '<script src="../assets/plotly.min.js"></script>' in page
    assert (out / "assets" / "plotly.min.js").stat().st_size > 1_000_000
    assert network_references(page) == []
    remote = re.findall(
        r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//""", page
    )
    assert remote == []
    assert "plotly-graph-div" in page and "cdn.plot.ly" not in page
    assert page.count("Plotly.newPlot") == 3
    assert oct((out / result.html).stat().st_mode & 0o777) == "0o644"


def test_page_opens_with_title_parameters_and_headlines(published):
    _, result, page = published
    header = page.index('<header class="fdsa-header">')
    assert header < page.index("plotly-graph-div")
    assert "<h1>Warehouse overview</h1>" in page
    assert "<code>niche</code> = <code>all</code>" in page
    assert len(result.headlines) == 5
    assert result.headlines[0].startswith("64 job postings")
    labels = [h["label"] for h in result.headline_numbers]
    assert labels == [
        "n_jobs",
        "jobs_per_month",
        "posted_hourly_mid_median_usd",
        "agreed_hourly_rate_median_usd",
        "top_title_n_jobs",
    ]
    assert result.headline_numbers[0]["value"] == 64
    assert page.count('class="fdsa-headline"') == 0  # lifted into the header, not shown twice


def test_tables_are_sortable_and_every_figure_has_a_csv(published):
    _, _, page = published
    assert 'class="dataframe fdsa-table sortable"' in page
    for name in ("jobs_per_month", "pay_by_niche", "top_job_titles"):
        assert f'download="{name}.csv" href="data:text/csv;base64,' in page


def test_reproducibility_block(published, tiny_warehouse):
    _, _, page = published
    block = page[page.index('<section class="fdsa-repro">') :]
    sha = hashlib.sha256(tiny_warehouse.read_bytes()).hexdigest()
    for needle in (
        sha,
        "Warehouse SHA-256",  # the manifest's warehouse_sha256, named for readers
        "Warehouse build",
        "fdsa version",
        "Git commit",
        "papermill",
    ):
        assert needle in block
    assert "Run time (s)" in block and "Seed" in block


def test_hostile_titles_are_text_everywhere(published):
    out, result, page = published
    index = (out / "index.html").read_text(encoding="utf-8")
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    for text in (page, index, manifest):
        assert not RAW_MARKUP.search(text)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page  # table cell, as text
    assert "&lt;img src=x onerror=" in index  # headline in the index
    runs = json.loads(manifest)["runs"]
    assert any(t in h for t in HOSTILE_TITLES for r in runs for h in r["headlines"])


def test_failing_notebook_publishes_nothing_and_is_kept(tiny_warehouse, tmp_path):
    broken = _broken_notebook(tmp_path / "broken.ipynb", "raise RuntimeError('boom in cell 2')")
    out = tmp_path / "reports"
    result = run_report(REPORT, {}, warehouse=tiny_warehouse, out_dir=out, notebook=broken)
    assert result.status == "failed" and result.html is None
    assert "boom in cell 2" in result.error
    assert not list(out.glob("warehouse_overview/*.html"))
    assert result.failed_notebook == "_failed/warehouse_overview/niche-all.ipynb"
    kept = nbformat.read(out / result.failed_notebook, as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in kept.cells for o in c.get("outputs", []))
    assert "boom in cell 2" in (out / result.log).read_text()
    index = (out / "index.html").read_text()
    assert f'href="{result.failed_notebook}"' in index and f'href="{result.log}"' in index
    assert "1 runs: 0 published, 0 skipped, 1 failed" in index


def test_timeout_publishes_nothing(tiny_warehouse, tmp_path):
    slow = _broken_notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(60)")
    out = tmp_path / "reports"
    result = run_report(REPORT, {}, warehouse=tiny_warehouse, out_dir=out, notebook=slow, timeout=2)
    assert result.status == "failed" and "timed out" in result.error.lower()
    assert not list(out.glob("warehouse_overview/*.html"))
    assert (out / result.log).exists()


def test_a_window_outside_the_data_is_refused_before_any_kernel(tiny_warehouse, tmp_path):
    out = tmp_path / "reports"
    args = ["report", REPORT, "-p", "since=2031-01-01", "-w", str(tiny_warehouse), "-o", str(out)]
    outcome = CliRunner().invoke(app, args)
    assert outcome.exit_code == 1
    assert "holds no postings" in outcome.output
    assert "the data span 2023-01-05 to 2024-11-28" in outcome.output
    assert not (out / REPORT).exists() and not (out / "_failed").exists()


def test_cli_publishes_and_prints_the_index(tiny_warehouse, tmp_path):
    out = tmp_path / "reports"
    args = ["report", REPORT, "-p", "niche=nlp", "-w", str(tiny_warehouse), "-o", str(out)]
    outcome = CliRunner().invoke(app, args)
    assert outcome.exit_code == 0, outcome.output
    assert (out / REPORT / "niche-nlp.html").exists()
    assert f"index: {out / 'index.html'}" in outcome.output


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["__import__('os')=1"], "unknown parameter"),
        (["a;b=1"], "unknown parameter"),
        (["warehouse=/etc/passwd"], "unknown parameter"),
        (["niche=astrology"], "must be one of"),
        (["niche=../../etc"], "must be one of"),
        (["since=/etc/passwd"], "ISO date"),
        (["since=2024-13-01"], "ISO date"),
        (["since"], "key=value"),
    ],
)
def test_cli_refuses_bad_parameters_before_any_kernel(
    pairs, message, tiny_warehouse, tmp_path, monkeypatch
):
    import papermill

    def no_kernel(*args, **kwargs):
        raise AssertionError("papermill was reached")

    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    out = tmp_path / "reports"
    args = ["report", REPORT, *[x for p in pairs for x in ("-p", p)]]
    outcome = CliRunner().invoke(app, [*args, "-w", str(tiny_warehouse), "-o", str(out)])
    assert outcome.exit_code == 1
    assert message in outcome.output and "Traceback" not in outcome.output
    assert not out.exists()


def test_output_paths_are_confined(tiny_warehouse, tmp_path, monkeypatch):
    import papermill

    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: pytest.fail("ran"))
    out = tmp_path / "reports"
    out.mkdir()
    for bad in ("../x", "/etc/passwd", "..", "a/../../b", "x\x00y"):
        with pytest.raises(ValueError, match="refusing"):
            confined(out, bad)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (out / REPORT).symlink_to(outside)  # a report folder that leaves the output folder
    with pytest.raises(ValueError, match="outside"):
        run_report(REPORT, {}, warehouse=tiny_warehouse, out_dir=out)
    assert list(outside.iterdir()) == []


def test_figures_escape_text_from_data_but_keep_their_own_markup():
    import pandas as pd
    import plotly.express as px

    from fdsa.reporting.plots import escape_figure, figure_html

    data = pd.DataFrame({"title": [HOSTILE_TITLES[1], "Fraud & risk"], "n_jobs": [3, 2]})
    fig = px.bar(data, x="n_jobs", y="title", orientation="h", title=f"Top: {HOSTILE_TITLES[0]}")
    escaped = escape_figure(fig)
    assert list(escaped["data"][0]["y"]) == [
        '&lt;img src=x onerror="window.__pwned=1"&gt;',
        "Fraud &amp; risk",
    ]
    assert escaped["layout"]["title"]["text"].startswith("Top: &lt;script&gt;")
    assert "<br>" in escaped["data"][0]["hovertemplate"]  # plotly's own markup survives
    fragment = figure_html(fig)
    assert "<img" not in fragment and "<script>window" not in fragment
    assert "plotly.min.js" not in fragment and "cdn" not in fragment.lower()


def test_the_kernelruns_this_interpreter():
    import sys

    from jupyter_client.kernelspec import KernelSpecManager

    from fdsa.reporting.kernels import kernel_name, runs_this_interpreter

    argv = KernelSpecManager().get_kernel_spec(kernel_name()).argv
    assert runs_this_interpreter(argv)
    assert runs_this_interpreter([sys.executable, "-m", "ipykernel_launcher"])
    assert not runs_this_interpreter(["/opt/other/bin/python3.9", "-m", "ipykernel_launcher"])
    assert not runs_this_interpreter([])
