"""Stage timings of a load: explicit hooks in the ingest code, for ``bench/bench_ingest.py``.

The code of a load marks its stages with :func:`stage` (or :func:`begin` where a stage
spans a ``with`` block); nothing is measured unless someone is :func:`recording`, so
the hooks cost a list check. Labels are the constants below, shared with the bench.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

CHECK = "header check"
SCAN = "SHA-256 and line count of the file (Python)"
OPEN = "open the staging warehouse (lock, create the schema)"
PARSE = "parse + type + check every row (one DuckDB pass)"
PARSER_REJECTS = "rejects refused by the parser"
CHECK_REJECTS = "rejects refused by a check (lines)"
DEDUPE = "dedupe: first row and dates per link"
MERGE = "merge links already in the warehouse"
NUMBER = "number new postings (job ids)"
NICHES = "niches of the distinct texts"
INSERT = "insert into jobs (CHECKs, NOT NULL; write)"
KEYS_CHECK = "check the keys this load added (set-based)"
PUBLISH = "publish: derive check, checkpoint, fsync + atomic rename"

ORDER = (
    CHECK,
    SCAN,
    OPEN,
    PARSE,
    PARSER_REJECTS,
    CHECK_REJECTS,
    DEDUPE,
    MERGE,
    NUMBER,
    NICHES,
    INSERT,
    KEYS_CHECK,
    PUBLISH,
)
"""Every stage, in the order a ``postings-csv`` load runs them; none overlaps another."""

_recorders: list[dict[str, list[float]]] = []


def begin(label: str) -> Callable[[], None]:
    """Start timing stage ``label``; call the function returned to stop."""
    if not _recorders:
        return _nothing
    wall, cpu = time.perf_counter(), time.process_time()

    def stop() -> None:
        spent_wall, spent_cpu = time.perf_counter() - wall, time.process_time() - cpu
        for timings in _recorders:
            spent = timings.setdefault(label, [0.0, 0.0])
            spent[0] += spent_wall
            spent[1] += spent_cpu

    return stop


def _nothing() -> None:
    return None


@contextlib.contextmanager
def stage(label: str) -> Iterator[None]:
    """Time the block as stage ``label`` (wall and CPU seconds, summed over calls)."""
    stop = begin(label)
    try:
        yield
    finally:
        stop()


@contextlib.contextmanager
def recording() -> Iterator[dict[str, list[float]]]:
    """Collect ``{label: [wall s, CPU s]}`` of the stages run inside the block."""
    timings: dict[str, list[float]] = {}
    _recorders.append(timings)
    try:
        yield timings
    finally:
        _recorders.remove(timings)


__all__ = ["ORDER", "begin", "recording", "stage"]
