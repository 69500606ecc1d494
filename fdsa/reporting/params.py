"""Declared parameters of every report, checked before any kernel starts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from fdsa import taxonomy

ALL = "all"


@dataclass(frozen=True)
class Param:
    """One notebook parameter: its type, allowed values or range, and default."""

    name: str
    type: type
    default: object
    choices: tuple[str, ...] | None = None
    lo: float | None = None
    hi: float | None = None
    help: str = ""

    def coerce(self, raw: object) -> object:
        """The value as the declared type, or ValueError saying what is wrong."""
        value = raw
        if isinstance(raw, str) and self.type is not str:
            try:
                value = {"int": int, "float": float}[self.type.__name__](raw)
            except (KeyError, ValueError):
                raise ValueError(
                    f"parameter {self.name} must be {self.type.__name__}, got {raw!r}"
                ) from None
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, self.type) or isinstance(value, bool):
            raise ValueError(f"parameter {self.name} must be {self.type.__name__}, got {raw!r}")
        if self.choices is not None and value not in self.choices:
            raise ValueError(
                f"parameter {self.name} must be one of {', '.join(self.choices)}; got {raw!r}"
            )
        if self.lo is not None and value < self.lo or self.hi is not None and value > self.hi:
            raise ValueError(
                f"parameter {self.name} must be in [{self.lo}, {self.hi}]; got {raw!r}"
            )
        if self.name in ("since", "until"):
            try:
                date.fromisoformat(str(value))
            except ValueError:
                raise ValueError(
                    f"parameter {self.name} must be an ISO date; got {raw!r}"
                ) from None
        return value


NICHE = Param("niche", str, ALL, (ALL, *taxonomy.NICHES), help="niche, or all")
REGION = Param("region", str, ALL, (ALL, *taxonomy.REGIONS), help="client region, or all")
SINCE = Param("since", str, "2021-01-01", help="ISO date")

REPORTS: dict[str, tuple[str, tuple[Param, ...]]] = {
    "market_overview": ("Market overview", (SINCE,)),
    "niche_explorer": (
        "Niche explorer",
        (Param("niche", str, "llm_applications", taxonomy.NICHES, help="niche"), REGION, SINCE),
    ),
}
"""Report name → (title, declared parameters). The notebook is notebooks/<name>.ipynb."""

_NAME = re.compile(r"[a-z][a-z0-9_]{0,40}")


def validate(report: str, raw: dict[str, object]) -> dict[str, object]:
    """Checked parameters (defaults filled in); ValueError on anything undeclared or wrong."""
    if not _NAME.fullmatch(report) or report not in REPORTS:
        raise ValueError(f"unknown report {report!r}; choose one of {', '.join(REPORTS)}")
    declared = {p.name: p for p in REPORTS[report][1]}
    unknown = [k for k in raw if k not in declared]
    if unknown:
        shown = ", ".join(repr(k) for k in unknown)
        raise ValueError(
            f"unknown parameter {shown} for report {report}; it takes "
            f"{', '.join(declared) or 'no parameters'}"
        )
    return {name: p.coerce(raw[name]) if name in raw else p.default for name, p in declared.items()}


def parse_pairs(pairs: list[str]) -> dict[str, str]:
    """``["key=value", ...]`` from the command line into a dict (values stay text)."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"parameters are key=value; got {pair!r}")
        out[key.strip()] = value
    return out
