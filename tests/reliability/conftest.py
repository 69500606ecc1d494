"""Helpers for fault-injection tests."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

FDSA = [sys.executable, "-m", "fdsa.cli"]


@contextlib.contextmanager
def build_in_background(path: Path, *args: str) -> Iterator[None]:
    """Run `fdsa synth ... --out path` in a subprocess until it holds the lock; kill it after."""
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
        finally:
            builder.kill()


@pytest.fixture
def tiny_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A 16 MiB tmpfs (root only); skipped where mounting is not allowed."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        with contextlib.suppress(Exception):
            subprocess.run(["umount", "-l", str(mount_point)], check=False)
