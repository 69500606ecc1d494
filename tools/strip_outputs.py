"""Strip outputs and execution counts from notebooks (a pre-commit hook; `make lint` checks).

Usage: python tools/strip_outputs.py [--check] NOTEBOOK...
With --check nothing is written; the exit status is 1 when a notebook has outputs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def strip(path: Path, *, check: bool) -> bool:
    """Whether ``path`` had outputs (removed unless ``check``)."""
    nb = nbformat.read(path, as_version=4)
    dirty = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.outputs or cell.execution_count is not None:
            dirty = True
            cell.outputs, cell.execution_count = [], None
    if dirty and not check:
        nbformat.write(nb, path)
    return dirty


def main(argv: list[str]) -> int:
    """Strip (or with --check, find) outputs in the notebooks named in ``argv``."""
    check = "--check" in argv
    paths = [Path(a) for a in argv if a != "--check"]
    dirty = [p for p in paths if strip(p, check=check)]
    for p in dirty:
        print(f"{p}: {'has outputs' if check else 'outputs stripped'}")
    return 1 if dirty else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
