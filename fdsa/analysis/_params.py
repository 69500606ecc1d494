"""Validation of analysis parameters before anything reaches SQL.

Values are bound as SQL parameters anyway; these checks turn a wrong value into a
clear message (and keep categorical values inside the taxonomy allowlists).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from fdsa import taxonomy
from fdsa.taxonomy import ALL


def niche_or_all(niche: str | None) -> str | None:
    """A niche from the taxonomy, or None for every niche (``None`` or ``'all'``)."""
    if niche is None or niche == ALL:
        return None
    if niche not in taxonomy.NICHES:
        raise ValueError(f"unknown niche {niche!r}; choose one of {', '.join(taxonomy.NICHES)}")
    return niche


def region_or_all(region: str | None) -> str | None:
    """A region from the taxonomy, or None for every region."""
    if region is None or region == ALL:
        return None
    if region not in taxonomy.REGIONS:
        raise ValueError(f"unknown region {region!r}; choose one of {', '.join(taxonomy.REGIONS)}")
    return region


def choice(value: str, allowed: tuple[str, ...], name: str) -> str:
    """``value`` if it is one of ``allowed``; otherwise a clear error naming ``name``."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def required_instant(value: date | datetime | str, name: str) -> datetime:
    """:func:`instant` for a parameter that must be given (ValueError when it is None)."""
    when = instant(value, name)
    if when is None:
        raise ValueError(f"{name} is required: an ISO date like 2022-12-01")
    return when


def instant(value: date | datetime | str | None, name: str) -> datetime | None:
    """A timezone-aware UTC instant from a date, datetime or ISO string (None passes)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = (
                datetime.fromisoformat(value)
                if "T" in value or " " in value
                else date.fromisoformat(value)
            )
        except ValueError:
            raise ValueError(f"{name} must be an ISO date like 2024-01-31; got {value!r}") from None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise ValueError(f"{name} must be a date; got {type(value).__name__}")


def window(
    since: date | datetime | str | None, until: date | datetime | str | None
) -> tuple[datetime, datetime]:
    """A [since, until) window; open ends become the far past / far future."""
    lo = instant(since, "since") or datetime(1970, 1, 1, tzinfo=UTC)
    hi = instant(until, "until") or datetime(2999, 1, 1, tzinfo=UTC)
    if hi <= lo:
        raise ValueError(f"until ({hi.date()}) must be after since ({lo.date()})")
    return lo, hi


def positive_int(value: int, name: str, *, maximum: int = 10_000_000) -> int:
    """An integer in [1, maximum]."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise ValueError(f"{name} must be an integer between 1 and {maximum}; got {value!r}")
    return value


def number(value: float, name: str, lo: float, hi: float) -> float:
    """A finite number in [lo, hi]."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
        raise ValueError(f"{name} must be a number between {lo} and {hi}; got {value!r}")
    return float(value)
