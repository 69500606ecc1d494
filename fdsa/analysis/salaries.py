"""Real salaries (aijobs.net index): freelance versus contract, part-time and full-time pay.

A salary survey that is republished weekly is loaded as snapshots that overlap
almost entirely; pooling two of them counts most people twice. Every function here
reads one snapshot per dataset: by default the newest (the one reaching the latest
work year, then the larger, then the later loaded), or the load named by
``snapshot``.
"""

from __future__ import annotations

from pathlib import PurePath

import duckdb
import numpy as np
import pandas as pd

from fdsa import taxonomy
from fdsa.analysis import _params, _sql
from fdsa.analysis._frames import analysis
from fdsa.analysis._stats import quantile_interval
from fdsa.taxonomy import SALARY_EMPLOYMENT_TYPES as EMPLOYMENT_TYPES
from fdsa.taxonomy import SALARY_EXPERIENCE_LEVELS as EXPERIENCE_LEVELS
from fdsa.taxonomy import SALARY_ROLE_RULES as ROLE_RULES
from fdsa.taxonomy import SALARY_ROLES as ROLES
from fdsa.warehouse.facts import holdings

UNKNOWN = "unknown"
"""The group of records whose survey does not give the field."""
BY = ("none", "role", "region", "experience", "year")
DATASET_LICENCES = {
    "aijobs.net salary index": (
        "CC0 1.0 Universal (public domain). Suggested attribution: Salary data: aijobs.net "
        "Global AI, ML, Data Science Salary Index (https://aijobs.net/salaries/), CC0 1.0."
    ),
}
"""Licence and attribution of the salary datasets fdsa knows (see data/raw/*/PROVENANCE.md)."""


def role_family(title: str) -> str:
    """Coarse role family of a salary-survey job title (``other`` when no rule matches)."""
    text = f" {title.lower()} "
    for family, needles in ROLE_RULES:
        if any(n in text for n in needles):
            return family
    return "other"


@analysis
def salary_snapshots(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every loaded snapshot of every salary dataset, the default one of each flagged.

    Returns
    -------
    pandas.DataFrame
        One row per load: ``ingest_run_id``, ``dataset``, ``file`` (the path it was
        loaded from), ``file_name`` (without its folders, as pages show it), ``loaded_at``,
        ``n``, ``first_year``, ``last_year``, ``n_freelance``, ``is_default`` (the
        newest snapshot of its dataset: reaching the latest work year, then the
        larger, then the later loaded), ``licence``.
    """
    columns = ["ingest_run_id", "dataset", "file", "loaded_at", "n", "first_year", "last_year"]
    columns += ["n_freelance", "is_default"]
    rows = [
        (s.ingest_run_id, s.dataset, s.file, s.loaded_at, s.n_rows, s.first_year, s.last_year)
        + (s.n_freelance, s.is_latest)
        for s in holdings(con).salaries
    ]
    df = pd.DataFrame(rows, columns=columns).sort_values("ingest_run_id", ignore_index=True)
    df.insert(3, "file_name", [PurePath(f).name for f in df.file])
    df["licence"] = df.dataset.map(DATASET_LICENCES).fillna("not recorded")
    return df


def _chosen_runs(con: duckdb.DuckDBPyConnection, snapshot: int | str | None) -> list[int]:
    """Load ids to read: the default snapshot of each dataset, or the one asked for."""
    snaps = salary_snapshots(con)
    if snaps.empty:
        raise ValueError(
            "the warehouse holds no salary records: load them with `fdsa ingest "
            "data/raw/aijobs_salaries/salaries.csv --format aijobs-salaries`"
        )
    if snapshot is None or snapshot == "latest":
        return sorted(snaps.ingest_run_id[snaps.is_default].astype(int))
    try:
        run = int(snapshot)
    except (TypeError, ValueError):
        run = -1
    if run not in set(snaps.ingest_run_id):
        raise ValueError(
            f"snapshot must be 'latest' or the ingest run of a salary load "
            f"({', '.join(map(str, snaps.ingest_run_id))}); got {snapshot!r}"
        )
    return [run]


@analysis
def salary_rows(
    con: duckdb.DuckDBPyConnection,
    *,
    snapshot: int | str | None = None,
    role: str | None = None,
    experience: str | None = None,
    region: str | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Salary records of one snapshot per dataset, with role family and region added.

    Returns
    -------
    pandas.DataFrame
        ``ingest_run_id``, ``dataset``, ``employment_type`` (freelance, contract,
        part_time, full_time), ``experience`` (entry, mid, senior, executive),
        ``work_year``, ``role`` (:func:`role_family`), ``region`` (of the worker: the
        survey's region, else the region of the country of residence),
        ``salary_in_usd`` (null when the survey's amount is not in USD). A field the
        survey does not give is ``unknown`` (``work_year``: null).
    """
    role = None if role in (None, "all") else _params.choice(role, ROLES, "role")
    level = None
    if experience not in (None, "all"):
        levels = {v: k for k, v in EXPERIENCE_LEVELS.items()}
        level = levels[_params.choice(experience, tuple(levels), "experience")]
    region = _params.region_or_all(region)
    if year is not None and not (isinstance(year, int) and 1990 <= year <= 2100):
        raise ValueError(f"year must be a year like 2024; got {year!r}")
    runs = _chosen_runs(con, snapshot)
    df = _sql.run(con, "salary_rows", runs=runs, experience=level, year=year)
    df["employment_type"] = df.employment_type.map(EMPLOYMENT_TYPES).fillna(UNKNOWN)
    df["experience"] = df.pop("experience_level").map(EXPERIENCE_LEVELS).fillna(UNKNOWN)
    titles = pd.Series(df.job_title.dropna().unique())
    families = dict(zip(titles, titles.map(role_family), strict=True))
    df["role"] = df.pop("job_title").map(families).fillna(UNKNOWN)
    from_country = df.pop("employee_residence").map(taxonomy.region_of, na_action="ignore")
    df["region"] = df.pop("employee_region").fillna(from_country).fillna(UNKNOWN)
    if role is not None:
        df = df[df.role == role]
    if region is not None:
        df = df[df.region == region]
    return df.reset_index(drop=True)


def _medians(df: pd.DataFrame, keys: list[str], min_n: int) -> pd.DataFrame:
    """n, quartiles and the median's order-statistic 95% interval per group of ``keys``.

    Rows without an amount in USD are counted in ``n_no_usd`` and left out of ``n``;
    a group with none in USD is left out.
    """
    rows = []
    for key, part in df.groupby(keys, sort=False):
        values = part.salary_in_usd.dropna().to_numpy(float)
        if len(values) == 0:
            continue
        est, lo, hi = quantile_interval(values)
        q25, q75 = np.quantile(values, [0.25, 0.75])
        rows.append(
            (*key, len(values), est, lo, hi, float(q25), float(q75), len(part) - len(values))
        )
    cols = [*keys, "n", "median_usd", "median_usd_lo", "median_usd_hi", "p25_usd", "p75_usd"]
    out = pd.DataFrame(rows, columns=[*cols, "n_no_usd"])
    out["low_n"] = out.n < min_n
    return out


@analysis
def salary_benchmarks(
    con: duckdb.DuckDBPyConnection,
    *,
    by: str = "none",
    snapshot: int | str | None = None,
    role: str | None = None,
    experience: str | None = None,
    region: str | None = None,
    year: int | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Median annual pay in USD by employment type, for the profile asked about.

    Reads one snapshot per dataset (:func:`salary_snapshots`), never a pool of
    overlapping snapshots. Medians carry distribution-free 95% intervals from order
    statistics (records are one person each; the index has no key, so exact
    duplicates are kept as published). Freelance records are few (16 in the
    aijobs.net index): their groups are flagged ``low_n`` and read as anecdotes.

    Parameters
    ----------
    con
        Read-only warehouse connection.
    by
        A second grouping beside employment type: ``none``, ``role``, ``region``,
        ``experience`` or ``year``.
    snapshot
        ``None``/``"latest"`` (the default snapshot of each dataset) or an ingest run id.
    role, experience, region, year
        Filters (``None`` or ``"all"`` for every value): role family (:data:`ROLES`),
        experience level (entry, mid, senior, executive), region of residence
        (``fdsa.taxonomy.REGIONS``) and work year.
    min_n
        Groups with fewer records are flagged ``low_n``.

    Returns
    -------
    pandas.DataFrame
        One row per dataset, employment type (freelance, contract, part_time,
        full_time, unknown, in that order) and group: ``dataset``, ``employment_type``,
        ``group``, ``n`` (records with an amount in USD), ``median_usd``,
        ``median_usd_lo``, ``median_usd_hi``, ``p25_usd``, ``p75_usd``, ``n_no_usd``
        (records of the group without an amount in USD, left out), ``low_n``.
        Employment types without a record in the filter are absent.
    """
    by = _params.choice(by, BY, "by")
    df = salary_rows(
        con, snapshot=snapshot, role=role, experience=experience, region=region, year=year
    )
    column = {"none": None, "role": "role", "region": "region", "experience": "experience"}
    column["year"] = "work_year"
    df["group"] = "all" if column[by] is None else df[column[by]].astype(str)
    out = _medians(df, ["dataset", "employment_type", "group"], min_n)
    order = {v: i for i, v in enumerate([*EMPLOYMENT_TYPES.values(), UNKNOWN])}
    out["_order"] = out.employment_type.map(order)
    out = out.sort_values(["dataset", "_order", "group"], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


@analysis
def salary_comparison(
    con: duckdb.DuckDBPyConnection,
    *,
    by: str = "none",
    snapshot: int | str | None = None,
    min_n: int = 30,
) -> pd.DataFrame:
    """Median annual pay in USD by employment type (and role family or region).

    The benchmark of :func:`salary_benchmarks` without filters: one snapshot per
    dataset, medians with order-statistic 95% intervals, freelance groups flagged
    ``low_n`` (read them as anecdotes, not estimates).

    Returns
    -------
    pandas.DataFrame
        One row per group: ``employment_type`` (freelance, contract, part_time,
        full_time, unknown), ``group`` (role family, region or ``all``), ``n`` (records
        with an amount in USD), ``median_usd``, ``lo``, ``hi``, ``p25_usd``,
        ``p75_usd``, ``n_no_usd``, ``low_n``, ``warning``.
    """
    by = _params.choice(by, ("none", "role", "region"), "by")
    out = salary_benchmarks(con, by=by, snapshot=snapshot, min_n=min_n)
    out = out.rename(columns={"median_usd_lo": "lo", "median_usd_hi": "hi"})
    out["warning"] = np.where(out.low_n, "small sample: read as anecdote, not estimate", "")
    order = {v: i for i, v in enumerate([*EMPLOYMENT_TYPES.values(), UNKNOWN])}
    out = out.sort_values(
        ["employment_type", "n"], key=lambda s: s.map(order) if s.name == "employment_type" else -s
    ).reset_index(drop=True)
    return out.drop(columns="dataset")
