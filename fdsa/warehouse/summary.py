"""A short, readable summary of a warehouse for the terminal: what it holds and from where."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console
from rich.table import Table

from fdsa.warehouse import db
from fdsa.warehouse.facts import FACTS, Holdings, holdings


def _size(path: Path) -> int:
    """Bytes of a warehouse file, or of every file of a lake folder."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def summarize(path: str | os.PathLike[str]) -> dict[str, object]:
    """Row counts, holdings and build info of the warehouse at ``path``."""
    with db.connect(path) as con:
        held = holdings(con)
        return {
            "path": str(path),
            "size_mb": _size(Path(path)) / 1e6,
            "counts": db.table_counts(con),
            "first_posting": held.first_posted,
            "last_posting": held.last_posted,
            "build_info": held.build,
            "holdings": held,
        }


def _postings_lines(held: Holdings) -> list[str]:
    if not held.n_jobs:
        return ["postings: none"]
    lines = [
        f"postings: {held.n_jobs:,} from {held.first_posted} to {held.last_posted} "
        f"({held.span_months:.1f} months); {held.share('n_hourly_range'):.0%} with a posted "
        f"hourly range, {held.share('n_fixed_budget'):.0%} with a fixed budget, "
        f"{held.share('n_with_skills'):.0%} with skills, "
        f"{held.share('n_with_client_country'):.0%} with a client country"
    ]
    lines += [
        f"  {p.source}: {p.n_jobs:,} postings, {p.first_posted} to {p.last_posted}"
        for p in held.postings
    ]
    return lines


def _source_lines(held: Holdings) -> list[str]:
    lines = []
    if held.is_simulated:
        b = held.build
        lines.append(
            f"simulated market (fdsa synth): seed {b.get('seed', '?')}, scale "
            f"{b.get('scale', '?')}, built {b.get('built_at', '?')} — a test bench with known "
            "truth, not observed data"
        )
    for load in held.loads:
        if load.format == "synthetic":
            continue
        lines.append(
            f"load {load.ingest_run_id}: {load.source} ({load.format}, {load.started_at:%Y-%m-%d}):"
            f" read {load.rows_read:,} = loaded {load.rows_loaded:,} + rejected "
            f"{load.rows_rejected:,} + duplicate {load.rows_duplicate:,}"
        )
    return lines or ["nothing loaded yet"]


def print_summary(path: str | os.PathLike[str], console: Console) -> Holdings:
    """Print what the warehouse at ``path`` holds, where it came from, and its facts."""
    s = summarize(path)
    held: Holdings = s["holdings"]  # type: ignore[assignment]
    console.print(f"warehouse {s['path']} ({s['size_mb']:.1f} MB)", highlight=False)
    table = Table()
    table.add_column("table")
    table.add_column("rows", justify="right")
    counts: dict[str, int] = s["counts"]  # type: ignore[assignment]
    for name, n in counts.items():
        table.add_row(name, f"{n:,}")
    console.print(table)
    for line in _postings_lines(held):
        console.print(line, highlight=False, soft_wrap=True)
    console.print(
        f"market records: {held.n_profiles:,} freelancers, {held.n_decided_proposals:,} decided "
        f"proposals, {held.n_contracts:,} contracts ({held.n_hourly_contracts:,} hourly), "
        f"{held.n_client_reviews:,} client reviews",
        highlight=False,
        soft_wrap=True,
    )
    for snap in held.salaries:
        flag = " (read by default)" if snap.is_latest else ""
        console.print(
            f"salaries: {snap.dataset}, ingest run {snap.ingest_run_id}{flag}: {snap.n_rows:,} "
            f"records, {snap.years}, {snap.n_freelance} freelance",
            highlight=False,
            soft_wrap=True,
        )
    console.print("sources:", highlight=False)
    for line in _source_lines(held):
        console.print(f"  {line}", highlight=False, soft_wrap=True)
    have = held.available
    console.print(
        "facts available: " + (", ".join(f for f in FACTS if f in have) or "none"),
        highlight=False,
        soft_wrap=True,
    )
    missing = [f for f in FACTS if f not in have]
    if missing:
        console.print("facts missing: " + ", ".join(missing), highlight=False, soft_wrap=True)
    holder = db.lock_holder(Path(path))
    if holder:
        console.print(f"note: a new build by {holder} is in progress; this is the previous version")
    return held
