"""Refuse files over a size limit (a pre-commit hook): python tools/check_large_files.py FILE..."""

from __future__ import annotations

import sys
from pathlib import Path

LIMIT_BYTES = 2 << 20
ALLOWED = ("data/raw/",)  # real datasets, each with its PROVENANCE.md


def main(argv: list[str]) -> int:
    """Exit 1 naming every file of ``argv`` larger than :data:`LIMIT_BYTES`."""
    large = [
        p
        for p in map(Path, argv)
        if p.is_file() and p.stat().st_size > LIMIT_BYTES and not str(p).startswith(ALLOWED)
    ]
    for p in large:
        print(f"{p}: {p.stat().st_size / 2**20:.1f} MB > {LIMIT_BYTES / 2**20:.0f} MB")
    return 1 if large else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
