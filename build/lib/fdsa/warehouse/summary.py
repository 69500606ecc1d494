"""A short, readable summary of a warehouse for the terminal."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console
from rich.table import Table

from fdsa.warehouse import db


def summarize(path: str | os.PathLike[str]) -> dict[str, object]:
    """Row counts, posting date range and build info of the warehouse at ``path``."""
    with db.connect(path) as con:
        first, last = con.execute(
            "select min(posted_at)::date, max(posted_at)::date from jobs"
        ).fetchall()[0]
        return {
            "path": str(path),
            "size_mb": Path(path).stat().st_size / 1e6,
            "counts": db.table_counts(con),
            "first_posting": first,
            "last_posting": last,
            "build_info": db.build_info(con),
        }


def print_summary(path: str | os.PathLike[str], console: Console) -> None:
    """Print the summary of :func:`summarize` as a table."""
    s = summarize(path)
    info = s["build_info"]
    console.print(f"warehouse {s['path']} ({s['size_mb']:.1f} MB)", highlight=False)
    table = Table()
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in s["counts"].items():
        table.add_row(name, f"{n:,}")
    console.print(table)
    console.print(f"postings from {s['first_posting']} to {s['last_posting']}")
    details = ", ".join(
        f"{k}={info[k]}"
        for k in ("source", "seed", "scale", "built_at", "build_seconds")
        if k in info
    )
    console.print(f"built: {details}", highlight=False, soft_wrap=True)
    holder = db.lock_holder(Path(path))
    if holder:
        console.print(f"note: a new build by {holder} is in progress; this is the previous version")
