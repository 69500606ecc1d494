"""The format contract: what :func:`fdsa.ingest.ingest_file` needs of an input format.

A format is an object with a ``name``, a one-line ``description``, whether it
``needs_mapping``, and two steps: ``check`` refuses a file (and mapping) it cannot
load, before anything is written, and returns what ``load`` needs (a parsed mapping,
or None); ``load`` reads the file into the staging warehouse of a
:class:`~fdsa.ingest.runs.LoadJob` and returns where its rows went. The close-out
(read rejects, notes, raw text, the reconciliation check, the run row) is shared and
not the format's business. Each format module defines one :class:`Format` as
``FORMAT``; :data:`fdsa.ingest.FORMATS` lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from fdsa.ingest.runs import LoadCounts, LoadJob


class IngestFormat(Protocol):
    """What an input format provides (see the module docstring)."""

    @property
    def name(self) -> str:
        """The name given to ``fdsa ingest --format``."""
        ...

    @property
    def description(self) -> str:
        """One line for ``fdsa ingest --list-formats``."""
        ...

    @property
    def needs_mapping(self) -> bool:
        """Whether the format takes a ``--mapping`` file (and requires one)."""
        ...

    def check(self, path: Path, mapping: Path | None) -> object:
        """Refuse what cannot be loaded (IngestError); return what ``load`` needs."""
        ...

    def load(self, job: LoadJob) -> LoadCounts:
        """Load ``job.path`` into ``job.con``; counts of the rows it loaded or refused."""
        ...


@dataclass(frozen=True)
class Format:
    """An :class:`IngestFormat` made of two functions of a format module.

    Attributes
    ----------
    name, description, needs_mapping
        As :class:`IngestFormat`.
    check_file
        ``check(path)``, or ``check(path, mapping)`` when :attr:`needs_mapping`.
    load_file
        ``load(job)``.
    """

    name: str
    description: str
    check_file: Callable[..., object]
    load_file: Callable[[LoadJob], LoadCounts]
    needs_mapping: bool = False

    def check(self, path: Path, mapping: Path | None) -> object:
        """Run the module's check (with the mapping when the format takes one)."""
        return self.check_file(path, mapping) if self.needs_mapping else self.check_file(path)

    def load(self, job: LoadJob) -> LoadCounts:
        """Run the module's load."""
        return self.load_file(job)


__all__ = ["Format", "IngestFormat"]
