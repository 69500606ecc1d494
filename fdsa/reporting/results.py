"""The record of one report run (``manifest.json``) and the slug that names its page."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

_SLUG_PART = re.compile(r"[^a-z0-9]+")


@dataclass
class RunResult:
    """One report run, as recorded in ``manifest.json``."""

    report: str
    slug: str
    status: str  # "ok", "skipped" (the warehouse serves none of its sections) or "failed"
    parameters: dict[str, object]
    html: str | None = None  # path relative to the output folder
    failed_notebook: str | None = None
    log: str | None = None
    error: str | None = None
    headlines: list[str] = field(default_factory=list)
    headline_numbers: list[dict[str, object]] = field(default_factory=list)  # text, value, label
    seconds: float = 0.0
    finished_at: str = ""
    skipped_reason: str | None = None
    missing_facts: list[str] = field(default_factory=list)  # what a skipped run lacks (FACTS)
    provenance: list[dict[str, object]] = field(default_factory=list)
    window: dict[str, str] = field(default_factory=dict)  # first/last day of postings read
    sections_not_shown: dict[str, str] = field(default_factory=dict)  # section id -> why


def slug_of(values: dict[str, object]) -> str:
    """A file-name-safe slug from parameter values (``default`` when there are none).

    Parameters left to the data (None) are not part of the slug.
    """
    parts = [
        _SLUG_PART.sub("-", f"{k}-{v}".lower()).strip("-")
        for k, v in sorted(values.items())
        if v is not None
    ]
    return "_".join(p for p in parts if p)[:120] or "default"


def result_dict(result: RunResult) -> dict[str, object]:
    """The manifest form of a result."""
    return asdict(result)
