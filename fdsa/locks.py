"""Exclusive locks on lock files, for processes that share a folder (a batch's workers
and kernels).
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def exclusive(lock: Path) -> Iterator[None]:
    """Within the block, this process alone holds ``lock`` (an exclusive ``flock``; the
    file is created if missing). Others wait; the lock is released at the block's end,
    also when its holder dies.
    """
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
