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
