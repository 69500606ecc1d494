"""A tiny hand-built warehouse for trying and testing reports without the synthetic market.

It holds a few dozen jobs in four niches over 2023–2024, hourly contracts with
rates, and — on purpose — job titles and skills that are hostile HTML, so every
report built on it proves that text from data is shown as text.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fdsa.warehouse import db

SAMPLE_NICHES: tuple[str, ...] = ("llm_applications", "nlp", "energy", "finance_fintech")
PWN_PAYLOAD = "document.body.setAttribute('data-pwned','1')"
HOSTILE_TITLES: tuple[str, ...] = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    f"<script>{PWN_PAYLOAD}</script>",
    f'<img src=x onerror="{PWN_PAYLOAD}">',
)
"""Planted job titles: each would run script if a report inserted it as markup."""

_PLAIN_TITLES: tuple[str, ...] = (
    "Build a RAG chatbot over PDFs",
    "Forecast electricity demand",
    "Sentiment model for support tickets",
    "Fraud scoring & alerting",
    "Fine-tune an LLM for contracts",
    "Dashboard for solar output",
)
_START = datetime(2023, 1, 5, 12, tzinfo=UTC)
_RUN_ID = 1


def _job_rows(n_jobs: int) -> list[tuple]:
    titles = (*HOSTILE_TITLES, *_PLAIN_TITLES)
    rows = []
    for i in range(n_jobs):
        posted = _START + timedelta(days=11 * i)
        niche = SAMPLE_NICHES[i % len(SAMPLE_NICHES)]
        title = titles[i % len(titles)]
        skills = ["python", "<b>sql</b>" if i % 5 == 0 else "sql"]
        rows.append(
            (
                i + 1,
                1 + i % 3,
                posted,
                title,
                niche,
                skills,
                "hourly",
                30.0 + i % 7,
                60.0 + i % 9,
                "north_america" if i % 2 else "europe_west",
                "sample",
                f"job-{i + 1}",
                posted,
                posted,
                _RUN_ID,
            )
        )
    return rows


def build_sample_warehouse(path: str | os.PathLike[str], *, n_jobs: int = 64) -> Path:
    """Publish a tiny warehouse at ``path``: ``n_jobs`` jobs, two in three with a contract.

    Parameters
    ----------
    path
        Where to publish the DuckDB file (replaced atomically if it exists).
    n_jobs
        Number of jobs; titles cycle through :data:`HOSTILE_TITLES` and plain titles.

    Returns
    -------
    pathlib.Path
        The published warehouse file.
    """
    path = Path(path)
    now = datetime.now(UTC)
    with db.building(path) as con:
        con.executemany(
            "insert into build_info values (?, ?)",
            [
                ("schema_version", db.SCHEMA_VERSION),
                ("source", "fdsa.reporting.sample"),
                ("seed", "0"),
                ("scale", "sample"),
                ("built_at", now.isoformat(timespec="seconds")),
            ],
        )
        con.execute(
            "insert into ingest_runs values (?, 'sample', 'synthetic', 'none', ?, ?, ?, ?, 0, 0, "
            "null)",
            [_RUN_ID, now, now, n_jobs, n_jobs],
        )
        con.executemany(
            "insert into clients values (?, ?, ?, 'small_business', ?)",
            [(c, "US", "north_america", _START - timedelta(days=30)) for c in (1, 2, 3)],
        )
        con.executemany(
            "insert into profiles (freelancer_id, joined_at, country, region, background, "
            "operating_mode, capacity_hours_per_week, experience_years_at_join, primary_niche, "
            "skills, title) values (?, ?, 'DE', 'europe_west', 'physics', 'full_time_freelance', "
            "30, 5, ?, ['python'], ?)",
            [
                (f, _START - timedelta(days=90), SAMPLE_NICHES[f % 4], HOSTILE_TITLES[f % 4])
                for f in (1, 2, 3, 4)
            ],
        )
        con.executemany(
            "insert into jobs (job_id, client_id, posted_at, title, niche, skills, job_type, "
            "hourly_low, hourly_high, region, source, source_key, first_seen_at, last_seen_at, "
            "ingest_run_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _job_rows(n_jobs),
        )
        hired = [j for j in range(1, n_jobs + 1) if j % 3 != 0]
        con.executemany(
            "insert into proposals (proposal_id, job_id, freelancer_id, submitted_at, channel, "
            "bid_amount, outcome) values (?, ?, ?, ?, 'application', ?, 'hired')",
            [
                (j, j, 1 + j % 4, _START + timedelta(days=11 * (j - 1), hours=3), 40.0 + j % 13)
                for j in hired
            ],
        )
        con.executemany(
            "insert into contracts (contract_id, proposal_id, job_id, freelancer_id, client_id, "
            "channel, contract_type, started_at, hourly_rate, hours_billed, earnings) "
            "values (?, ?, ?, ?, ?, 'application', 'hourly', ?, ?, 20, ?)",
            [
                (
                    j,
                    j,
                    j,
                    1 + j % 4,
                    1 + (j - 1) % 3,
                    _START + timedelta(days=11 * (j - 1), hours=5),
                    40.0 + j % 13,
                    20 * (40.0 + j % 13),
                )
                for j in hired
            ],
        )
    return path
