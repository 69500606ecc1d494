"""Helpers for fault-injection tests."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

FDSA = [sys.executable, "-m", "fdsa.cli"]


@contextlib.contextmanager
def build_in_background(path: Path, *args: str) -> Iterator[None]:
    """Run `fdsa synth ... --out path` in a subprocess until it holds the lock; kill it after.

    The body must finish while the build still runs (checked): a build that publishes
    first would make the test read the new warehouse. Scale 8 takes ~15 s here.
    """
    from fdsa.warehouse import db

    with subprocess.Popen(
        [*FDSA, "synth", *args, "--out", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as builder:
        try:
            deadline = time.time() + 30
            while db.lock_holder(path) is None and time.time() < deadline:
                time.sleep(0.05)
            yield
            assert builder.poll() is None, "the background build ended first: use a larger scale"
        finally:
            builder.kill()


def run_and_kill(command: list[str], delay: float) -> float | None:
    """Start ``command``, SIGKILL it after ``delay`` seconds; None if killed, else its run time.

    Polls instead of sleeping once, so a run that ends before the kill reports how long
    it really took — the caller uses that to aim the next kill points.
    """
    start = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as proc:
        while proc.poll() is None and time.perf_counter() - start < delay:
            time.sleep(min(0.005, delay / 50))
        ended = proc.poll() is not None
        elapsed = time.perf_counter() - start
        if not ended:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
    if ended:
        assert proc.returncode == 0, f"{command} failed on its own (exit {proc.returncode})"
        return elapsed
    return None


class KillSchedule:
    """Kill points spread evenly over a run's duration, re-aimed when a run ends early.

    On a shared machine the measured duration can be inflated by other work; when a
    run finishes before its kill point the schedule shrinks to that run's real length,
    so the remaining points still land inside the run.
    """

    def __init__(self, duration: float, points: int) -> None:
        self.duration = duration
        self.points = points

    def delay(self, i: int) -> float:
        return self.duration * (i + 0.5) / self.points

    def ran_to_end(self, seconds: float) -> None:
        self.duration = min(self.duration, seconds)


@pytest.fixture
def mount_tmpfs(tmp_path: Path) -> Iterator:
    """Mount small tmpfs folders (root only; skipped where mounting is not allowed)."""
    mounted: list[Path] = []

    def mount(name: str, size: str = "16m", *, read_only: bool = False) -> Path:
        point = tmp_path / name
        point.mkdir()
        options = f"size={size}" + (",ro" if read_only else "")
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
        mounted.append(point)
        return point

    try:
        yield mount
    finally:
        for point in mounted:
            with contextlib.suppress(Exception):
                subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.fixture
def tiny_filesystem(mount_tmpfs) -> Path:
    """A 16 MiB tmpfs."""
    return mount_tmpfs("tiny")
