"""Where a page's numbers come from: which sections a warehouse can serve, and the banner.

Before any kernel starts, the runner asks :func:`servable` which sections of a report
the warehouse can serve (a report with none is *skipped*), resolves the window against
the data (:func:`resolve_window`: a window outside the data is refused, naming the
data's span) and builds the provenance of the page (:func:`provenance`): the simulated
market (seed, scale, and that it is not observed data) or the real files, with their
formats, periods and row counts. :func:`banner_html` puts that at the top of the page;
the same records go to ``manifest.json`` and the index.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date, timedelta

from fdsa.reporting.params import Report, Section
from fdsa.warehouse.facts import FACTS, SIMULATED, Holdings

FAMILY_OF_FACT = {
    **dict.fromkeys(
        ("postings", "posted_hourly", "posted_fixed", "skills", "client_region", "demand_history"),
        "postings",
    ),
    **dict.fromkeys(("proposals", "contracts", "profiles", "reviews", "truth"), "market"),
    "salaries": "salaries",
}
"""Which data a fact is part of: postings, the platform's market records, or salaries."""

WINDOWED = ("since", "until")
"""Parameters that bound a window on the postings."""


def servable(report: Report, held: Holdings) -> tuple[tuple[Section, ...], dict[str, list]]:
    """The sections ``held`` can serve, and for the others the needs it cannot."""
    ok, blocked = [], {}
    for section in report.sections:
        missing = held.missing(section.needs)
        if missing:
            blocked[section.id] = missing
        else:
            ok.append(section)
    return tuple(ok), blocked


def _need_label(options: tuple[str, ...]) -> str:
    """``job postings``, or ``one of A, B or C`` for alternatives."""
    labels = [FACTS[f].label for f in options]
    if len(labels) == 1:
        return labels[0]
    return f"one of {', '.join(labels[:-1])} or {labels[-1]}"


def missing_sentence(missing: list[tuple[str, ...]]) -> str:
    """``needs agreed hourly contracts (…), and freelancer profiles: how to get them``."""
    labels = [_need_label(options) for options in missing]
    joined = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])}, and {labels[-1]}"
    how = []
    for options in missing:
        text = FACTS[options[0]].how_to_get
        if text not in how:
            how.append(text)
    return f"needs {joined}: {'; '.join(how)}"


def least_missing(report: Report, held: Holdings) -> list[tuple[str, ...]]:
    """The fewest facts that would let the warehouse serve a section of ``report``.

    For a report with no servable section: the missing needs of its section that
    lacks least (``[]`` when some section can be served).
    """
    shown, blocked = servable(report, held)
    if shown:
        return []
    return min(blocked.values(), key=len)


def skip_reason(report: Report, held: Holdings) -> str:
    """Why a report with no servable section is skipped: the least it needs, how to get it."""
    return missing_sentence(least_missing(report, held))


def _families(sections: tuple[Section, ...], held: Holdings) -> set[str]:
    found: set[str] = set()
    for section in sections:
        if not section.needs:  # a section about the whole warehouse reads all of it
            found |= {"postings"} if held.n_jobs else set()
            found |= {"market"} if held.n_decided_proposals or held.n_contracts else set()
            found |= {"salaries"} if held.salaries else set()
        for need in section.needs:
            options = (need,) if isinstance(need, str) else need
            found |= {FAMILY_OF_FACT[f] for f in options if f in held.available}
    return found


def resolve_window(report: Report, values: Mapping[str, object], held: Holdings) -> dict[str, str]:
    """The report's window on the postings as ISO days, refused when it holds no data.

    Returns ``{"first": ..., "last": ...}`` (inclusive days, clamped to the data) for
    reports with ``since``/``until`` and a warehouse with postings, else ``{}``.
    """
    names = {p.name for p in report.params}
    if not names & set(WINDOWED) or held.first_posted is None or held.last_posted is None:
        return {}
    since, until = values.get("since"), values.get("until")
    first = max(held.first_posted, date.fromisoformat(str(since))) if since else held.first_posted
    last = held.last_posted
    if until:
        last = min(last, date.fromisoformat(str(until)) - timedelta(days=1))
    if since and until and str(until) <= str(since):
        raise ValueError(f"until ({until}) must be after since ({since})")
    if last < first:
        raise ValueError(
            f"the window {since or 'start'} to {until or 'end'} holds no postings: the data "
            f"span {held.first_posted} to {held.last_posted}; choose dates inside it"
        )
    return {"first": first.isoformat(), "last": last.isoformat()}


def provenance(
    report: Report, values: dict[str, object], held: Holdings
) -> list[dict[str, object]]:
    """What the page's numbers are made of: one record per source it reads.

    Each record: ``kind`` (``simulated`` or ``real``), ``data`` (``market``,
    ``postings`` or ``salaries``), ``title``, ``text`` (one sentence with files,
    formats, load dates, periods and counts). The simulated market comes first.
    """
    sections, _ = servable(report, held)
    families = _families(sections, held)
    out: list[dict[str, object]] = []
    simulated_postings = next((p for p in held.postings if p.source == SIMULATED), None)
    if held.is_simulated and (
        "market" in families or ("postings" in families and simulated_postings)
    ):
        build = held.build
        span = (
            f", postings {simulated_postings.first_posted} to {simulated_postings.last_posted}"
            if simulated_postings
            else ""
        )
        out.append(
            {
                "kind": "simulated",
                "data": "market",
                "title": "Simulated market: not observed data",
                "text": (
                    f"These numbers come from the synthetic market built by `fdsa synth` "
                    f"(seed {build.get('seed', '?')}, scale {build.get('scale', '?')}{span}): "
                    f"{held.n_jobs:,} postings, {held.n_decided_proposals:,} decided proposals, "
                    f"{held.n_contracts:,} contracts. It is a test bench whose true effects are "
                    "planted and known: read it for what fdsa can measure, not as advice about "
                    "the real market."
                ),
            }
        )
    if "postings" in families:
        for source in held.real_posting_sources:
            files = [load for load in held.loads if load.format == source.source]
            named = ", ".join(
                f"{load.source.rsplit('/', 1)[-1]} (loaded {load.started_at:%Y-%m-%d})"
                for load in files[:3]
            )
            more = f" and {len(files) - 3} more files" if len(files) > 3 else ""
            out.append(
                {
                    "kind": "real",
                    "data": "postings",
                    "title": f"Real postings ({source.source})",
                    "text": (
                        f"{named}{more}: {source.n_jobs:,} postings from {source.first_posted} "
                        f"to {source.last_posted}; {source.n_hourly_range:,} with a posted "
                        f"hourly range, {source.n_fixed_budget:,} with a fixed budget. Real "
                        "postings carry what clients ask, not what was agreed."
                    ),
                }
            )
    if "salaries" in families:
        snapshot = values.get("snapshot")
        chosen = [
            s
            for s in held.salaries
            if (s.is_latest if snapshot in (None, "latest") else str(s.ingest_run_id) == snapshot)
        ]
        for s in chosen:
            out.append(
                {
                    "kind": "real",
                    "data": "salaries",
                    "title": f"Real salaries ({s.dataset})",
                    "text": (
                        f"snapshot {s.file.rsplit('/', 1)[-1]} (ingest run {s.ingest_run_id}, "
                        f"loaded {s.loaded_at:%Y-%m-%d}): {s.n_rows:,} records, {s.years}, "
                        f"{s.n_freelance:,} of them freelance."
                    ),
                }
            )
    return out


def banner_html(records: list[dict[str, object]], window: dict[str, str]) -> str:
    """The provenance banner shown above the page's first heading (escaped)."""
    if not records:
        return ""
    period = (
        f'<p class="fdsa-period">Window: {html.escape(window["first"])} to '
        f"{html.escape(window['last'])}.</p>"
        if window
        else ""
    )
    items = "".join(
        f'<div class="fdsa-source fdsa-{html.escape(str(r["kind"]))}">'
        f"<strong>{html.escape(str(r['title']))}.</strong> {html.escape(str(r['text']))}</div>"
        for r in records
    )
    return f'<aside class="fdsa-provenance" role="note">{items}{period}</aside>'


def _labels(missing: list[tuple[str, ...]]) -> str:
    return "; ".join(_need_label(options) for options in missing)


def availability(held: Holdings) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """Which declared reports this warehouse serves, and how to get what is missing.

    Returns
    -------
    (rows, how)
        ``rows``: per report ``(name, verdict, detail)``; ``verdict`` is ``all
        sections``, ``N of M sections`` or ``skipped``, ``detail`` names the sections
        left out with the facts they need. ``how``: for each missing fact's label,
        the command or file that supplies it.
    """
    from fdsa.reporting.params import REPORTS

    rows, how = [], {}
    for name, report in REPORTS.items():
        shown, blocked = servable(report, held)
        for missing in blocked.values():
            for options in missing:
                how[_need_label(options)] = FACTS[options[0]].how_to_get
        if not shown:
            rows.append((name, "skipped", f"needs {_labels(least_missing(report, held))}"))
        elif not blocked:
            rows.append((name, "all sections", ""))
        else:
            detail = "; ".join(
                f"{report.section(sid).title} (needs {_labels(missing)})"
                for sid, missing in blocked.items()
            )
            rows.append((name, f"{len(shown)} of {len(report.sections)} sections", detail))
    return rows, how
