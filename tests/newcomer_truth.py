"""Planted figures for a newcomer's profile, computed from the synthetic market's truth.

The simulation hires by a conditional logit with the utilities of the ``truth`` table
(docs/synthetic_market.md, "How hiring is decided"): a posting with decided proposals
is filled with probability ``logistic(fill_logodds_intercept + fill_logodds_declined_invite
· [an invitation declined])`` and then picks proposal ``i`` with probability
``exp(u_i) / Σ exp(u_j)`` (``k`` openings: about ``k`` times that, at most 1). The
expected win chance of a group of proposals is the mean of those probabilities: the
figure an estimate for that profile should match.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from fdsa import taxonomy

_PROPOSALS = """
select p.job_id, p.channel, p.n_reviews_before as n_reviews, p.rating_before as rating,
       ln(p.bid_amount) as log_bid, f.region, j.niche, o.n_openings,
       exists (select 1 from proposals as d
               where d.job_id = p.job_id and d.outcome = 'declined') as has_declined
from proposals as p
join jobs as j using (job_id)
join job_openings as o using (job_id)
join profiles as f using (freelancer_id)
where p.outcome in ('hired', 'not_hired') and list_contains($niches, j.niche)
order by p.job_id, p.proposal_id
"""


def planted_hire_chances(con: duckdb.DuckDBPyConnection, niches: list[str]) -> pd.DataFrame:
    """Every decided proposal to the niches' postings with its planted chance of being hired."""
    truth = dict(con.execute("select effect, value from truth").fetchall())
    df = con.execute(_PROPOSALS, {"niches": niches}).df()
    reviews = df.n_reviews.to_numpy(float)
    reviewed = reviews > 0
    log_reviews = np.log1p(reviews)
    lower = df.region.isin(taxonomy.LOWER_INCOME_REGIONS).to_numpy(float)
    going = df.groupby("job_id").log_bid.transform("mean").to_numpy(float)
    ratio = df.log_bid.to_numpy(float) - going
    channel = np.array([truth.get(f"hire_logodds_channel__{c}", 0.0) for c in df.channel])
    u = (
        channel
        + truth["hire_logodds_first_review"] * reviewed
        + truth["hire_logodds_per_log1p_review"] * log_reviews
        + truth["hire_logodds_per_star"] * np.where(reviewed, df.rating.fillna(4.5) - 4.5, 0.0)
        + lower
        * (
            truth["hire_logodds_region_penalty_at_zero_reviews"]
            + truth["hire_logodds_region_recovery_per_log1p_review"] * log_reviews
        )
        + np.where(
            reviewed,
            truth["hire_logodds_per_log_bid_ratio__reviewed"],
            truth["hire_logodds_per_log_bid_ratio__no_reviews"],
        )
        * ratio
    )
    weight = np.exp(u)
    share = weight / pd.Series(weight).groupby(df.job_id.to_numpy()).transform("sum").to_numpy()
    filled = 1 / (
        1
        + np.exp(
            -(
                truth["fill_logodds_intercept"]
                + truth["fill_logodds_declined_invite"] * df.has_declined.to_numpy(float)
            )
        )
    )
    df["chance"] = filled * np.minimum(1.0, df.n_openings.to_numpy(float) * share)
    df["log_bid_ratio"] = ratio
    return df


def planted_win_rate(
    con: duckdb.DuckDBPyConnection,
    *,
    niche: str,
    region: str,
    n_reviews: int = 0,
    channel: str = "application",
) -> float:
    """Planted win chance of the proposals a profile like this sent in ``niche``."""
    df = planted_hire_chances(con, [niche])
    mine = df[(df.region == region) & (df.n_reviews == n_reviews) & (df.channel == channel)]
    return float(mine.chance.mean())
