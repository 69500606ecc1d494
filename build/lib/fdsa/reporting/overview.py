"""Plain read-only SQL behind the warehouse overview report.

Every function takes a read-only warehouse connection, a ``niche`` (one of
``fdsa.taxonomy.NICHES`` or ``"all"``) and an ISO ``since`` date, binds both as
parameters and returns a tidy DataFrame. Text columns (job titles, niche names)
are returned as stored: whoever shows them escapes them (``fdsa.reporting``'s
``show_table`` and ``show_figure`` do).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from fdsa import taxonomy
from fdsa.warehouse import db

ALL = "all"

_WINDOW = "j.posted_at >= $since::date and ($niche = 'all' or j.niche = $niche)"

_JOBS_PER_MONTH_SQL = f"""
select date_trunc('month', j.posted_at)::date as month, j.niche, count(*) as n_jobs
from jobs as j
where {_WINDOW}
group by all
order by month, niche
"""  # noqa: S608 - constant text, values bound

_RATES_BY_NICHE_SQL = f"""
select j.niche,
       count(distinct j.job_id) as n_jobs,
       count(c.hourly_rate) as n_contracts,
       quantile_cont(c.hourly_rate, 0.5) as hourly_rate_median_usd
from jobs as j
left join contracts as c on c.job_id = j.job_id and c.contract_type = 'hourly'
where {_WINDOW}
group by j.niche
order by n_jobs desc, j.niche
"""  # noqa: S608 - constant text, values bound

_TOP_TITLES_SQL = f"""
select j.title, count(*) as n_jobs, min(j.niche) as niche,
       min(j.posted_at)::date as first_posted_date
from jobs as j
where {_WINDOW}
group by j.title
order by n_jobs desc, j.title
limit $limit
"""  # noqa: S608 - constant text, values bound

_TOTALS_SQL = f"""
select count(distinct j.job_id) as n_jobs,
       min(j.posted_at)::date as first_posted_date,
       max(j.posted_at)::date as last_posted_date,
       count(distinct j.niche) as n_niches,
       count(c.hourly_rate) as n_contracts,
       quantile_cont(c.hourly_rate, 0.5) as hourly_rate_median_usd
from jobs as j
left join contracts as c on c.job_id = j.job_id and c.contract_type = 'hourly'
where {_WINDOW}
"""  # noqa: S608 - constant text, values bound


def _checked(niche: str, since: str | date) -> dict[str, object]:
    """Bound parameters, refusing an unknown niche or a date that is not ISO."""
    if niche != ALL and niche not in taxonomy.NICHES:
        raise ValueError(f"unknown niche {niche!r}; choose one of fdsa.taxonomy.NICHES or 'all'")
    since_date = since if isinstance(since, date) else date.fromisoformat(str(since))
    return {"niche": niche, "since": since_date}


def jobs_per_month(
    con: duckdb.DuckDBPyConnection, *, niche: str = ALL, since: str | date = "2021-01-01"
) -> pd.DataFrame:
    """Job postings per calendar month and niche.

    Parameters
    ----------
    con
        Read-only warehouse connection.
    niche
        One niche, or ``"all"``.
    since
        Only jobs posted on or after this date.

    Returns
    -------
    pandas.DataFrame
        ``month`` (first day), ``niche``, ``n_jobs``; sorted by month and niche.
    """
    return db.frame(con, _JOBS_PER_MONTH_SQL, _checked(niche, since))


def rates_by_niche(
    con: duckdb.DuckDBPyConnection, *, niche: str = ALL, since: str | date = "2021-01-01"
) -> pd.DataFrame:
    """Jobs, hourly contracts and the median agreed hourly rate per niche.

    Parameters
    ----------
    con
        Read-only warehouse connection.
    niche
        One niche, or ``"all"``.
    since
        Only jobs posted on or after this date (and their contracts).

    Returns
    -------
    pandas.DataFrame
        ``niche``, ``n_jobs``, ``n_contracts`` (hourly) and ``hourly_rate_median_usd``
        (null without hourly contracts); most jobs first.
    """
    return db.frame(con, _RATES_BY_NICHE_SQL, _checked(niche, since))


def top_job_titles(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str = ALL,
    since: str | date = "2021-01-01",
    limit: int = 10,
) -> pd.DataFrame:
    """The most frequent job titles (raw scraped text: escape before display).

    Parameters
    ----------
    con
        Read-only warehouse connection.
    niche
        One niche, or ``"all"``.
    since
        Only jobs posted on or after this date.
    limit
        Number of titles, 1 to 100.

    Returns
    -------
    pandas.DataFrame
        ``title``, ``n_jobs``, ``niche`` (alphabetically first niche of the title),
        ``first_posted_date``; most frequent first.
    """
    if not 1 <= int(limit) <= 100:
        raise ValueError(f"limit must be between 1 and 100; got {limit}")
    return db.frame(con, _TOP_TITLES_SQL, {**_checked(niche, since), "limit": int(limit)})


def totals(
    con: duckdb.DuckDBPyConnection, *, niche: str = ALL, since: str | date = "2021-01-01"
) -> pd.Series:
    """Headline figures of the window: jobs, dates, niches, hourly contracts and their median.

    Parameters
    ----------
    con
        Read-only warehouse connection.
    niche
        One niche, or ``"all"``.
    since
        Only jobs posted on or after this date (and their contracts).

    Returns
    -------
    pandas.Series
        ``n_jobs``, ``first_posted_date``, ``last_posted_date``, ``n_niches``,
        ``n_contracts`` (hourly) and ``hourly_rate_median_usd`` (null without any).
    """
    return db.frame(con, _TOTALS_SQL, _checked(niche, since)).iloc[0]
