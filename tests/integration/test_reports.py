"""Reports run with a real kernel and publish offline HTML; failures publish nothing."""

from __future__ import annotations

import json
import re
import sys

import pytest

from fdsa.reporting.display import headline, show_table
from fdsa.reporting.runner import run_report

# the module fixture runs reports once: one worker runs the module (make test: --dist loadgroup)
pytestmark = pytest.mark.xdist_group("reports")

CLI = [sys.executable, "-m", "fdsa.cli"]
HOSTILE = (
    "<script>document.body.setAttribute('data-pwned','1')</script><img src=x onerror=alert(1)>"
)


@pytest.fixture(scope="module")
def published(market, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    result = run_report("market_overview", {"since": "2022-01-01"}, warehouse=market, out_dir=out)
    return out, result


def test_report_publishes_offline_html_with_headlines(published):
    out, result = published
    assert result.status == "ok", result.error
    page = (out / result.html).read_text()
    assert result.html == "market_overview/since-2022-01-01.html"
    assert '<script src="../assets/plotly.min.js"></script>' in page
    assert (out / "assets" / "plotly.min.js").stat().st_size > 1_000_000
    external = re.findall(r"""<(?:script|link|img)\b[^>]*(?:src|href)=["']?(?:https?:)?//""", page)
    assert external == []
    assert "cdnjs" not in page  # nbconvert's mermaid loader is stripped
    assert "Reproducibility" in page and "Warehouse SHA-256" in page
    assert len(result.headlines) == 6 and "LLM applications" in result.headlines[0]  # by name
    assert "Simulated market: not observed data" in page  # the provenance banner
    assert "data:text/csv;base64," in page  # CSV downloads of the data behind figures


def test_index_and_manifest_list_the_run(published):
    out, result = published
    manifest = json.loads((out / "manifest.json").read_text())
    (run,) = [r for r in manifest["runs"] if r["slug"] == result.slug]
    assert run["status"] == "ok" and run["headlines"] == result.headlines
    index = (out / "index.html").read_text()
    assert result.html in index and "1 runs: 1 published, 0 skipped, 0 failed" in index


def test_data_text_is_escaped_in_tables_and_headlines(capsys):
    import pandas as pd
    from IPython.core.formatters import DisplayFormatter  # noqa: F401 - IPython is present

    table_html, headline_html = [], []
    import fdsa.reporting.display as display_module

    def grab(obj, raw=False):
        if isinstance(obj, dict):
            headline_html.append(obj["text/html"])
        else:
            table_html.append(obj.data)

    original = display_module.display
    display_module.display = grab
    try:
        show_table(pd.DataFrame({"title": [HOSTILE]}), "jobs")
        headline(f"Top job: {HOSTILE}")
    finally:
        display_module.display = original
    for html_text in (*table_html, *headline_html):
        assert "<script>" not in html_text and "<img" not in html_text
        assert "&lt;script&gt;" in html_text


def test_niche_explorer_runs_for_a_niche_and_region(market, tmp_path):
    out = tmp_path / "reports"
    result = run_report(
        "niche_explorer", {"niche": "nlp", "region": "north_america"}, warehouse=market, out_dir=out
    )
    assert result.status == "ok", result.error
    assert result.html == "niche_explorer/niche-nlp_region-north-america.html"
    assert result.headlines[0].startswith("NLP:")  # niches by their names
