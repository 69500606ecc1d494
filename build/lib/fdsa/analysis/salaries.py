"""Real salaries (aijobs.net index): freelance versus contract, part-time and full-time pay."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from fdsa import taxonomy
from fdsa.analysis import _params
from fdsa.analysis._frames import analysis
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


@analysis
def salary_comparison(
    con: duckdb.DuckDBPyConnection, *, by: str = "none", min_n: int = 30
) -> pd.DataFrame:
    """Median annual pay in USD by employment type (and role family or region).

    Uses every row of ``salary_reports`` (duplicates included, as published). Medians
    carry order-statistic 95% intervals; freelance rows are few, so their groups are
    flagged ``low_n`` and should be read as anecdotes, not estimates.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``employment_type`` (freelance, contract, part_time,
        full_time), ``group`` (role family, region or ``all``), ``n``,
        ``median_usd``, ``lo``, ``hi``, ``p25_usd``, ``p75_usd``, ``low_n``,
        ``warning``.
    """
    by = _params.choice(by, BY, "by")
    df = frame(
        con,
        "select employment_type, job_title, employee_residence, salary_in_usd from salary_reports",
    )
    if df.empty:
        raise ValueError(
            "salary_reports is empty: load it with `fdsa ingest ... --format aijobs-salaries`"
        )
    df["employment_type"] = df.employment_type.map(EMPLOYMENT_TYPES).fillna("other")
    if by == "role":
        df["group"] = df.job_title.map(role_family)
    elif by == "region":
        df["group"] = df.employee_residence.map(taxonomy.region_of)
    else:
        df["group"] = "all"
    rows = []
    for (etype, group), part in df.groupby(["employment_type", "group"]):
        values = part.salary_in_usd.to_numpy(float)
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
            )
        )
    out = pd.DataFrame(
        rows,
        columns=["employment_type", "group", "n", "median_usd", "lo", "hi", "p25_usd", "p75_usd"],
    )
    out["low_n"] = out.n < min_n
    out["warning"] = np.where(out.low_n, "small sample: read as anecdote, not estimate", "")
    order = {v: i for i, v in enumerate(EMPLOYMENT_TYPES.values())}
    return out.sort_values(
        ["employment_type", "n"], key=lambda s: s.map(order) if s.name == "employment_type" else -s
    ).reset_index(drop=True)
