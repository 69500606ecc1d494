"""Files of the reports folder: confined paths, content hashes, atomic writes, shared assets.

Every file a report run writes goes through :func:`confined` (no name may leave the
output folder) and :func:`atomic_write` (a temporary file beside the target, renamed
into place), so a reader never sees half a page or half a manifest.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar


def confined(out_dir: Path, *parts: str) -> Path:
    """``out_dir/parts``, refused if it would land outside ``out_dir`` (``..``, ``/``, links)."""
    root = out_dir.resolve()
    for part in parts:
        if not part or part in (".", "..") or "/" in part or "\\" in part or "\x00" in part:
            raise ValueError(f"refusing output name {part!r}: not a plain file name")
    target = out_dir.joinpath(*parts)
    resolved = target.resolve()
    if root != resolved and root not in resolved.parents:
        raise ValueError(f"refusing output path {target}: it resolves outside {out_dir}")
    return target


T = TypeVar("T")


def per_version(compute: Callable[[Path], T]) -> Callable[[Path], T]:
    """``compute(path)`` once per version of the file at ``path`` in this process.

    A published file (a warehouse, a page) is replaced by rename, so (path, inode,
    size, mtime) identifies a version: a new one is computed again.
    """

    @cache
    def of_version(path: str, inode: int, size: int, mtime_ns: int) -> T:
        return compute(Path(path))

    def cached(path: Path) -> T:
        stat = Path(path).stat()
        return of_version(str(Path(path).resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns)

    return cached


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, hashed once per version of it in this process.

    A batch names the same warehouse in every run (and in its fingerprint); a 2 GB
    warehouse takes seconds to hash.
    """
    from fdsa.warehouse.lake import MANIFEST, is_lake

    if is_lake(path):  # a lake's manifest holds the hash of every data file
        path = Path(path) / MANIFEST
    return _sha256(path)


@per_version
def _sha256(path: Path) -> str:
    from fdsa.warehouse.lake import file_sha256

    return file_sha256(path)


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it into place."""
    _atomic_publish(path, lambda handle: handle.write(text.encode("utf-8")))


def atomic_copy(source: Path, path: Path) -> None:
    """Copy ``source`` to a temporary file beside ``path`` and rename it into place."""

    def copy(handle) -> None:
        with Path(source).open("rb") as src:
            shutil.copyfileobj(src, handle)

    _atomic_publish(path, copy)


def _atomic_publish(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(0o644)  # mkstemp's 0600 would hide reports from a web server
        Path(tmp).replace(path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()
        if isinstance(exc, OSError) and exc.filename is None:  # name what could not be written
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def ensure_assets(out_dir: Path) -> Path:
    """Copy plotly.min.js once into ``out_dir/assets`` (reports load it from there)."""
    import plotly

    out_dir.mkdir(parents=True, exist_ok=True)
    confined(out_dir, "assets")
    target = confined(out_dir, "assets", "plotly.min.js")
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        atomic_copy(source, target)
    return target
