"""Headless Chromium, network blocked, opens the overview report and the index from file://.

The tiny warehouse plants job titles whose payload would modify the DOM if it ran
(``document.body.setAttribute('data-pwned','1')``); the dumped DOM must show them
as text and carry no such attribute.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fdsa.reporting.runner import run_report
from fdsa.reporting.sample import build_sample_warehouse

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Debian's chromium is not installed: apt-get install -y chromium (.ci/run does)",
    ),
]
PWNED_ATTRIBUTE = re.compile(r"""data-pwned\s*=\s*["']?1""")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A reports folder holding one warehouse_overview page built from the hostile warehouse."""
    root = tmp_path_factory.mktemp("browser")
    warehouse = build_sample_warehouse(root / "tiny.duckdb")
    out = root / "reports"
    result = run_report("warehouse_overview", {"niche": "all"}, warehouse=warehouse, out_dir=out)
    assert result.status == "ok", result.error
    return out, out / result.html


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=5000",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_report_renders_offline_and_is_not_blank(site, tmp_path):
    from PIL import Image, ImageStat

    _, page = site
    shot = tmp_path / "report.png"
    _chromium(tmp_path / "p", "--window-size=1200,2000", f"--screenshot={shot}", page.as_uri())
    with Image.open(shot) as image:
        gray = image.convert("L")
        assert gray.size == (1200, 2000)
        assert ImageStat.Stat(gray).stddev[0] > 10  # text and plots, not a blank page
        assert len(gray.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 50


def test_plots_draw_and_hostile_titles_stay_text(site, tmp_path):
    _, page = site
    dom = _chromium(tmp_path / "p", "--dump-dom", page.as_uri()).stdout
    assert dom.count('class="main-svg"') >= 3  # plotly drew every figure from ../assets
    assert not PWNED_ATTRIBUTE.search(dom)
    assert "&lt;script&gt;document.body.setAttribute('data-pwned','1')&lt;/script&gt;" in dom
    assert '&lt;img src=x onerror="document.body.setAttribute' in dom
    assert '<img src="x"' not in dom and "<img src=x" not in dom


def test_index_with_hostile_headlines_does_not_execute(site, tmp_path):
    out, _ = site
    dom = _chromium(tmp_path / "p", "--dump-dom", (out / "index.html").as_uri()).stdout
    assert "warehouse_overview/niche-all_since-2021-01-01.html" in dom
    assert not PWNED_ATTRIBUTE.search(dom)
    assert "&lt;img src=x onerror=" in dom or "&lt;script&gt;" in dom
