"""A newcomer's plan in words, from the numbers of :mod:`fdsa.analysis.newcomer`.

Small pure functions: each takes estimates with their 95% intervals and returns one
sentence of the plan (or '' when the numbers are missing), only as strong as the
intervals allow.
"""

from __future__ import annotations

import math

from fdsa.reporting.display import count, number, pct, usd
from fdsa.reporting.words import _finite, join


def proposals_needed(p: float, chance: float, days: float) -> float:
    """Applications a week for ``chance`` of at least one win within ``days`` at win rate ``p``."""
    if not _finite(p, chance, days) or not 0 < p < 1 or not 0 < chance < 1 or days <= 0:
        return math.nan
    return math.log(1 - chance) / (math.log(1 - p) * days / 7)


def shortlist(rows: list[dict[str, object]]) -> str:
    """Niches ordered by proposals per hire (fewest first), separated only where intervals do.

    ``rows``: dicts with ``name``, ``proposals_per_hire``, ``proposals_per_hire_lo``,
    ``proposals_per_hire_hi`` and ``jobs_per_month`` (the order when proposals per hire
    are not measured).
    """
    known = [r for r in rows if _finite(r.get("proposals_per_hire"))]
    if not known:
        by_demand = sorted(
            (r for r in rows if _finite(r.get("jobs_per_month"))),
            key=lambda r: -float(r["jobs_per_month"]),  # type: ignore[arg-type]
        )
        if not by_demand:
            return ""
        listed = join(
            [f"{r['name']} ({number(r['jobs_per_month'], digits=0)} a month)" for r in by_demand]
        )
        return f"Shortlist by demand alone (proposals per hire are not measured here): {listed}."
    known.sort(key=lambda r: float(r["proposals_per_hire"]))  # type: ignore[arg-type]
    best = known[0]
    text = (
        f"Shortlist: {best['name']} first, at about {number(best['proposals_per_hire'], digits=0)} "
        f"proposals per hire (95% interval {number(best['proposals_per_hire_lo'], digits=0)}–"
        f"{number(best['proposals_per_hire_hi'], digits=0)})"
    )
    if len(known) == 1:
        return text + "."
    rest = []
    for r in known[1:]:
        apart = _finite(
            r.get("proposals_per_hire_lo"), best.get("proposals_per_hire_hi")
        ) and float(
            r["proposals_per_hire_lo"]  # type: ignore[arg-type]
        ) > float(best["proposals_per_hire_hi"])  # type: ignore[arg-type]
        rest.append(
            f"{r['name']} ({number(r['proposals_per_hire'], digits=0)}"
            f"{'' if apart else ', no clear difference'})"
        )
    return f"{text}, then {join(rest)}."


def first_bid(best_usd: object, band_lo_usd: object, band_hi_usd: object, ratio: object) -> str:
    """The suggested first bid and its band, in dollars and against the going rate."""
    if not _finite(best_usd, band_lo_usd, band_hi_usd, ratio):
        return ""
    band = (
        f" (band {usd(band_lo_usd)}–{usd(band_hi_usd, per='h')})"
        if abs(float(band_hi_usd) - float(band_lo_usd)) >= 0.5  # type: ignore[arg-type]
        else ""
    )
    return (
        f"First bid: about {usd(best_usd, per='h')}{band}, {pct(ratio)} of the niche's going rate "
        "— the bid with the most expected earnings per proposal among the bids profiles like "
        "this one make."
    )


def weekly_proposals(p: float, p_lo: float, p_hi: float, *, chance: float, days: int) -> str:
    """Applications a week for a stated chance of a first contract within ``days``."""
    k = proposals_needed(p, chance, days)
    if not _finite(k):
        return ""
    k_fast, k_slow = proposals_needed(p_hi, chance, days), proposals_needed(p_lo, chance, days)
    share = pct(chance)
    article = "an" if share.startswith(("8", "11", "18")) else "a"
    return (
        f"Send about {number(k, digits=0)} applications a week "
        f"({number(k_fast, digits=0)}–{number(k_slow, digits=0)} with the win rate's interval) "
        f"for {article} {share} chance of a first contract within {days} days."
    )


def next_channel(share_new: object, share_reviewed: object, channel: str = "invites") -> str:
    """Which channel to build next: the share of contracts invites bring once reviewed."""
    if not _finite(share_new, share_reviewed):
        return ""
    return (
        f"Build {channel} next: they bring {pct(share_reviewed)} of contracts once a profile has "
        f"1–4 reviews, against {pct(share_new)} with none — the first reviews are what open it."
    )


def hours(hours_per_week: float, contract_hours_per_week: object) -> str:
    """How many contracts of the usual size fit the hours offered."""
    if not _finite(hours_per_week, contract_hours_per_week) or float(contract_hours_per_week) <= 0:  # type: ignore[arg-type]
        return ""
    fits = int(hours_per_week // float(contract_hours_per_week))  # type: ignore[arg-type]
    return (
        f"{number(hours_per_week, digits=0)} hours a week hold {count(fits)} contract"
        f"{'' if fits == 1 else 's'} of the usual {number(contract_hours_per_week, digits=0)} "
        "hours a week."
    )
