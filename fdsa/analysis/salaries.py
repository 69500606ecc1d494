"""Real salaries (aijobs.net index): freelance versus contract, part-time and full-time pay."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from fdsa import taxonomy
from fdsa.analysis import _params
from fdsa.analysis._stats import quantile_interval
from fdsa.warehouse.db import frame

EMPLOYMENT_TYPES = {"FL": "freelance", "CT": "contract", "PT": "part_time", "FT": "full_time"}
BY = ("none", "role", "region")

# Coarse role families from free-text titles; first match wins, order matters.
ROLE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("manager_or_lead", ("manager", "head of", "director", "lead", "principal")),
    ("research", ("research", "scientist", "phd")),
    (
        "ml_engineer",
        (
            "machine learning",
            "ml ",
            "ml engineer",
            "ai engineer",
            "deep learning",
            "mlops",
            "computer vision",
            "nlp",
        ),
    ),
    (
        "data_engineer",
        ("data engineer", "etl", "pipeline", "big data", "data architect", "database"),
    ),
    ("data_scientist", ("data scien",)),
    ("analyst", ("analyst", "analytics", "business intelligence", "bi ")),
)


def role_family(title: str) -> str:
    """Coarse role family of a salary-survey job title (``other`` when no rule matches)."""
    text = f" {title.lower()} "
    for family, needles in ROLE_RULES:
        if any(n in text for n in needles):
            return family
    return "other"


def salary_comparison(
    con: duckdb.DuckDBPyConnection, *, by: str = "none", min_n: int = 30
) -> pd.DataFrame:
    """Median annual pay in USD by employment type (and role family or region).

    Uses every row of ``salary_reports`` (duplicates included, as published). Medians
    carry order-statistic 95% intervals; freelance rows are few, so their groups are
    flagged ``low_n`` and should be read as anecdotes, not estimates. Fields a survey
    does not give are null: rows without an amount in USD are left out of the medians
    and counted in ``n_no_usd``; an unknown employment type, title or region is its own
    group ``unknown``.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``employment_type`` (freelance, contract, part_time,
        full_time, unknown), ``group`` (role family, region or ``all``), ``n`` (rows with
        an amount in USD), ``median_usd``, ``lo``, ``hi``, ``p25_usd``, ``p75_usd``,
        ``n_no_usd`` (rows of the group without one), ``low_n``, ``warning``.
    """
    by = _params.choice(by, BY, "by")
    df = frame(
        con,
        """select employment_type, job_title, employee_residence, employee_region,
                  salary_in_usd
           from salary_reports""",
    )
    if df.empty:
        raise ValueError(
            "salary_reports is empty: load it with `fdsa ingest ... --format aijobs-salaries`"
        )
    df["employment_type"] = df.employment_type.map(EMPLOYMENT_TYPES).fillna("unknown")
    if by == "role":
        df["group"] = df.job_title.map(role_family, na_action="ignore").fillna("unknown")
    elif by == "region":
        from_country = df.employee_residence.map(taxonomy.region_of, na_action="ignore")
        df["group"] = df.employee_region.fillna(from_country).fillna("unknown")
    else:
        df["group"] = "all"
    rows = []
    for (etype, group), part in df.groupby(["employment_type", "group"]):
        values = part.salary_in_usd.dropna().to_numpy(float)
        n_no_usd = len(part) - len(values)
        if len(values) == 0:
            rows.append((etype, group, 0, np.nan, np.nan, np.nan, np.nan, np.nan, n_no_usd))
            continue
        est, lo, hi = quantile_interval(values)
        rows.append(
            (
                etype,
                group,
                len(values),
                est,
                lo,
                hi,
                float(np.quantile(values, 0.25)),
                float(np.quantile(values, 0.75)),
                n_no_usd,
            )
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "employment_type",
            "group",
            "n",
            "median_usd",
            "lo",
            "hi",
            "p25_usd",
            "p75_usd",
            "n_no_usd",
        ],
    )
    out["low_n"] = out.n < min_n
    out["warning"] = np.where(out.low_n, "small sample: read as anecdote, not estimate", "")
    out.loc[out.n == 0, "warning"] = "no amount in USD in this group"
    order = {v: i for i, v in enumerate([*EMPLOYMENT_TYPES.values(), "unknown"])}
    return out.sort_values(
        ["employment_type", "n"], key=lambda s: s.map(order) if s.name == "employment_type" else -s
    ).reset_index(drop=True)
