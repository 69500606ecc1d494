"""Derived facts: columns computed from other tables when a warehouse is built.

Some facts every analysis needs are expensive to recompute per query: the
freelancer's reputation as of each proposal (an as-of join of client reviews) and
each contract's place in the freelancer's career. They are stored as columns
(``proposals.n_reviews_before``, ``proposals.rating_before``,
``contracts.nth_contract``, ``contracts.is_small_and_wide_after_5``) and filled
here from the views ``proposal_reputation_asof`` and ``contract_career`` of
``schema.sql``, which define them. The check ``derived_facts_match`` compares
the stored columns with the same facts (for proposals without the view's as-of
join: it names the rows the view's ``is_stale`` names, at a third of the cost), so
a stale column fails the build.
"""

from __future__ import annotations

import duckdb

_DERIVE = (
    """
    update proposals
    set n_reviews_before = d.n_reviews_before, rating_before = d.rating_before
    from proposal_reputation_asof as d
    where proposals.proposal_id = d.proposal_id
    """,
    """
    update contracts
    set nth_contract = d.nth_contract,
        is_small_and_wide_after_5 = d.is_small_and_wide_after_5
    from contract_career as d
    where contracts.contract_id = d.contract_id
    """,
)

_MISSING = """
    select (select count(*) from proposals where n_reviews_before is null)
         + (select count(*) from contracts where nth_contract is null)
"""


def derive(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every derived column from the base tables (idempotent)."""
    for sql in _DERIVE:
        con.execute(sql)


def derive_if_missing(con: duckdb.DuckDBPyConnection) -> bool:
    """Run :func:`derive` when some proposal or contract has no derived facts yet.

    Returns True when it ran. Writers that add proposals, contracts or reviews
    should call :func:`derive` themselves; this is the safety net that
    ``fdsa.warehouse.db.building`` runs at the end of every build.
    """
    if con.execute(_MISSING).fetchall()[0][0] == 0:
        return False
    derive(con)
    return True
