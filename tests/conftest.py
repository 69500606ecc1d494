"""Shared fixtures: small seeded synthetic warehouses built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TZ", "UTC")


@pytest.fixture(scope="session")
def small_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published synthetic warehouse at scale 0.05 (about 2.5k jobs), seed 7."""
    from fdsa.synth import build_warehouse

    path = tmp_path_factory.mktemp("wh") / "small.duckdb"
    build_warehouse(path, scale=0.05, seed=7)
    return path


@pytest.fixture(scope="session")
def tiny_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """64 jobs in four niches, hostile titles planted (fdsa.reporting.sample)."""
    from fdsa.reporting.sample import build_sample_warehouse

    return build_sample_warehouse(tmp_path_factory.mktemp("tiny") / "tiny.duckdb")


@pytest.fixture(scope="session")
def market(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo-sized synthetic market (scale 1, about 50k jobs), seed 11."""
    from fdsa.synth import build_warehouse

    path = tmp_path_factory.mktemp("market") / "market.duckdb"
    build_warehouse(path, scale=1.0, seed=11)
    return path


@pytest.fixture(scope="session")
def market_con(market: Path):
    """Read-only connection to :func:`market`."""
    from fdsa.analysis import open_warehouse

    con = open_warehouse(market)
    yield con
    con.close()


@pytest.fixture(scope="session")
def truth(market_con) -> dict[str, float]:
    """The planted effects of :func:`market`."""
    return dict(market_con.execute("select effect, value from truth").fetchall())


CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=127.0.0.1:9",  # nothing listens: any network request fails
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--virtual-time-budget=8000",
)


def chromium_runner(profiles_dir: Path):
    """A function that runs Debian's headless chromium with ``args``, network blocked,
    each run in a fresh profile under ``profiles_dir``; skips when it is not installed."""
    import shutil
    import subprocess

    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip(
            "Debian's chromium is not installed: apt-get install -y chromium (.ci/run does)"
        )
    profiles = iter(range(1_000))

    def run(*args: str) -> subprocess.CompletedProcess:
        profile = profiles_dir / f"chromium-profile-{next(profiles)}"
        return subprocess.run(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


@pytest.fixture
def chromium(tmp_path: Path):
    """Run Debian's headless chromium, network blocked; skip when it is not installed."""
    return chromium_runner(tmp_path)


@pytest.fixture(scope="module")
def module_chromium(tmp_path_factory: pytest.TempPathFactory):
    """:func:`chromium` for module-scoped fixtures (pages opened once, checked by many tests)."""
    return chromium_runner(tmp_path_factory.mktemp("chromium"))


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the figures tests recorded with ``record_property("figure: …", value)``.

    docs/reliability.md quotes them (kill points survived, hostile files, injections).
    """
    figures = [
        (name.removeprefix("figure: "), value)
        for report in terminalreporter.stats.get("passed", [])
        for name, value in getattr(report, "user_properties", [])
        if name.startswith("figure: ")
    ]
    if figures:
        terminalreporter.section("figures")
        for name, value in sorted(figures):
            terminalreporter.write_line(f"{name}: {value}")
