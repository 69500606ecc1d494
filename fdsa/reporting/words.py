"""Numbers read out in words, for a page's "What this means for these parameters".

Small pure functions: each takes an estimate with its 95% interval (or two values)
and says what it means, only as strongly as the interval allows — an interval that
includes "no difference" is read as "no clear difference", never as a direction.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def _finite(*values: object) -> bool:
    try:
        return all(v is not None and math.isfinite(float(v)) for v in values)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def side(lo: object, hi: object, reference: float = 0.0) -> int:
    """+1 when the whole interval lies above ``reference``, -1 below, 0 otherwise or unknown."""
    if not _finite(lo, hi):
        return 0
    if float(lo) > reference:  # type: ignore[arg-type]
        return 1
    if float(hi) < reference:  # type: ignore[arg-type]
        return -1
    return 0


def signed_pct(value: object, digits: int = 0) -> str:
    """``+12%`` / ``−5%`` (a true minus sign); ``not measured`` when missing."""
    if not _finite(value):
        return "not measured"
    text = f"{float(value):+.{digits}f}%"  # type: ignore[arg-type]
    return text.replace("-", "−")


def compare(
    estimate: object,
    lo: object,
    hi: object,
    *,
    baseline: str,
    more: str = "more than",
    less: str = "less than",
    reference: float = 0.0,
) -> str:
    """A percentage difference against ``baseline``, as strongly as its interval allows.

    Examples
    --------
    >>> compare(30.2, 18.6, 42.9, baseline="BI dashboards")
    'about 30% more than BI dashboards (95% interval +19% to +43%)'
    >>> compare(2.9, -4.1, 10.5, baseline="BI dashboards")
    'no clear difference from BI dashboards (95% interval −4% to +10%)'
    """
    if not _finite(estimate):
        return f"not measured against {baseline}"
    bounds = (
        f" (95% interval {signed_pct(lo)} to {signed_pct(hi)})"
        if _finite(lo, hi)
        else " (too few observations for an interval)"
    )
    direction = side(lo, hi, reference)
    if direction == 0:
        return f"no clear difference from {baseline}{bounds}"
    size = abs(float(estimate) - reference)  # type: ignore[arg-type]
    return f"about {size:.0f}% {more if direction > 0 else less} {baseline}{bounds}"


def ratio(value: object, reference: object) -> str:
    """``2.3 times`` / ``about the same as`` / ``half``: ``value`` against ``reference``."""
    if not _finite(value, reference) or float(reference) == 0:  # type: ignore[arg-type]
        return "not comparable with"
    r = float(value) / float(reference)  # type: ignore[arg-type]
    if 0.9 <= r <= 1.1:
        return "about the same as"
    if r > 1:
        return f"{r:.1f} times"
    return f"{r:.2f} times"


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``…."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def join(items: Sequence[str], *, empty: str = "none") -> str:
    """``a, b and c``; ``empty`` when there is nothing to list."""
    items = [str(i) for i in items if str(i)]
    if not items:
        return empty
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


def small_sample(low_n: object, what: str = "these numbers") -> str:
    """A caution when ``low_n`` is true ('' otherwise)."""
    return f" Few observations back {what}: read them as a hint, not an estimate." if low_n else ""
