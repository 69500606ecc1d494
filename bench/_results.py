"""bench/RESULTS.md: each benchmark owns one ``## `` section and rewrites only that one."""

from __future__ import annotations

import re
import resource
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def replace_section(heading: str, text: str, path: Path = RESULTS) -> None:
    """Replace the section that starts with ``heading`` by ``text`` (append it if absent)."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}[ \t]*\n.*?(?=^## |\Z)", re.M | re.S)
    block = text.rstrip("\n") + "\n\n"
    if pattern.search(current):
        current = pattern.sub(lambda _: block, current, count=1)
    else:
        current = current.rstrip("\n") + "\n\n" + block
    path.write_text(current.rstrip("\n") + "\n", encoding="utf-8")


def peak_rss_mb() -> float:
    """Peak resident set of this process, MB: ``VmHWM`` of /proc/self/status.

    Not ``ru_maxrss``: Linux carries it across ``exec``, so a child started by a
    parent holding 2 GB reports at least 2 GB whatever it used itself.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
