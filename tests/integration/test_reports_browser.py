"""Real headless Chromium opens reports from files with the network blocked."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from fdsa.reporting.index import record
from fdsa.reporting.runner import RunResult, run_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
    ),
]
PAYLOAD = "document.body.setAttribute('data-pwned','1')"
HOSTILE = f'<script>{PAYLOAD}</script><img src=x onerror="{PAYLOAD}">'


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
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
            "--virtual-time-budget=8000",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _non_blank(png: Path) -> bool:
    data = png.read_bytes()
    return png.stat().st_size > 20_000 and data[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_renders_offline_with_its_plots(market, tmp_path):
    out = tmp_path / "reports"
    result = run_report("market_overview", {}, warehouse=market, out_dir=out)
    page = out / result.html
    shot = tmp_path / "shot.png"
    _chromium(tmp_path, "--window-size=1200,1600", f"--screenshot={shot}", page.as_uri())
    assert _non_blank(shot)
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert 'class="main-svg"' in dom  # plotly drew its SVG from the local asset


def test_hostile_text_in_the_index_does_not_execute(tmp_path):
    out = tmp_path / "reports"
    record(
        out,
        RunResult(
            report="market_overview",
            slug="x",
            status="failed",
            parameters={"since": HOSTILE},
            error=HOSTILE,
            headlines=[HOSTILE],
            log=f"_failed/{HOSTILE}.log",
        ),
    )
    dom = _chromium(tmp_path, "--dump-dom", (out / "index.html").as_uri()).stdout
    assert "<body" in dom
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]
    assert "&lt;script&gt;" in dom
