"""Check that a change to the simulation leaves every chunk it yields unchanged.

``dump`` writes every ``(table, chunk)`` pair :func:`fdsa.synth.market.simulate` yields,
in order, as Arrow IPC files; ``compare`` runs the simulation again and checks each
chunk equal to the stored one (``pa.Table.equals`` with schema metadata: same tables,
same row order, same values and nulls) and the count of chunks equal.

Dump with the old code, compare with the new one. The fdsa that is imported is the
one on ``sys.path`` first, so another checkout is used with ``PYTHONPATH``::

    git worktree add /tmp/base main
    PYTHONPATH=/tmp/base .venv/bin/python bench/synth_identity.py dump bench/_work/ref 1 20240517
    .venv/bin/python bench/synth_identity.py compare bench/_work/ref 1 20240517

Exit status 1 when any chunk differs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc

from fdsa.synth import market
from fdsa.synth.params import MarketParams


def _chunks(scale: float, seed: int):
    return enumerate(market.simulate(MarketParams(), scale, seed))


def dump(folder: Path, scale: float, seed: int) -> int:
    """Write every chunk to ``folder``; return their count."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.arrow"):
        old.unlink()
    n = 0
    for n, (name, chunk) in _chunks(scale, seed):
        with ipc.new_file(folder / f"{n:05d}_{name}.arrow", chunk.schema) as writer:
            writer.write_table(chunk)
    return n + 1


def compare(folder: Path, scale: float, seed: int) -> list[str]:
    """Chunks that differ from the stored ones (empty: identical)."""
    stored = sorted(folder.glob("*.arrow"))
    differ, n = [], 0
    for n, (name, chunk) in _chunks(scale, seed):
        path = folder / f"{n:05d}_{name}.arrow"
        if not path.exists():
            differ.append(f"{path.name}: not in the dump")
            continue
        with ipc.open_file(path) as reader:
            old: pa.Table = reader.read_all()
        if not (old.schema.equals(chunk.schema, check_metadata=True) and old.equals(chunk)):
            differ.append(f"{path.name}: {old.num_rows} rows stored, {chunk.num_rows} now")
    if len(stored) != n + 1:
        differ.append(f"{len(stored)} chunks stored, {n + 1} now")
    return differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("dump", "compare"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("scale", type=float)
    parser.add_argument("seed", type=int)
    args = parser.parse_args()
    print(f"fdsa from {market.__file__}")
    if args.mode == "dump":
        print(f"{dump(args.folder, args.scale, args.seed)} chunks written to {args.folder}")
        return 0
    differ = compare(args.folder, args.scale, args.seed)
    print("\n".join(differ) if differ else "every chunk identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
