"""Typed rows of job postings → rejects, merged duplicates and new rows of ``jobs``.

The typed, checked rows are in :data:`~fdsa.ingest.temp_tables.TYPED`
(:mod:`fdsa.ingest.postings_sql`). :func:`load_typed` loads them in steps, each a
few set-based SQL statements passing a temp table (:mod:`fdsa.ingest.temp_tables`)
to the next:

1. :func:`_insert_typed_rejects`: failing rows → ``rejects``, with their lines;
2. :func:`_first_rows_of_keys`: the first row and first/last date of every key (KEYS);
3. :func:`_merge_known_keys`: dates of keys already in the warehouse widened;
4. :func:`_number_new_postings`: new keys numbered in file order (NEW);
5. :func:`_classify_niches`: each distinct (title, category and skills) text once (NICHES);
6. :func:`_insert_jobs`: the new postings in one ``INSERT … SELECT``.

Duplicate rule: the first row of a key in the file (lowest line) is the one loaded;
every other row of that key, and every row of a key already in the warehouse, is a
duplicate whose timestamp only widens ``first_seen_at``/``last_seen_at``.

Rows keep file order through :class:`fdsa.ingest.lines.RowOrder`: a row's order key
is its ``ordinal``, or ``ordinal_scale * rowid`` for rows DuckDB read straight into
the typed table, whose lines the order's locator gives.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb

from fdsa import taxonomy
from fdsa.ingest import niches, stages
from fdsa.ingest.lines import RowOrder
from fdsa.ingest.postings_sql import install_macros, typed_params, typed_sql
from fdsa.ingest.runs import LoadCounts
from fdsa.ingest.temp_tables import (
    BAD,
    COUNTRIES,
    FOUND_LINES,
    KEYS,
    NEW,
    NICHES,
    TYPED,
    rows_table,
)
from fdsa.warehouse.db import WarehouseError

PLACEHOLDER_BUDGET_MAX = 5.0
"""Budgets of this many currency units or less are placeholders (kept, flagged)."""


def _title_l(alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return f"lower({prefix}title_v)"


def _rest_l(alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return f"lower(concat_ws(' | ', {prefix}category, array_to_string({prefix}skills, ' | ')))"


def _country_table(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table :data:`COUNTRIES`: each distinct country text of the good rows of
    :data:`TYPED` → ISO-2 code and region (:func:`fdsa.taxonomy.country_code`); texts that
    name no country get no row (stored as given, region ``unknown``).
    """
    texts = [
        r[0]
        for r in con.execute(
            f"select distinct country_v from {TYPED} where reject is null and country_v is not null"  # noqa: S608, E501
        ).fetchall()
    ]
    codes = {t: taxonomy.country_code(t) for t in texts}
    known = {t: c for t, c in codes.items() if c is not None}
    rows_table(
        con,
        COUNTRIES,
        {
            "name": ("varchar", list(known)),
            "code": ("varchar", list(known.values())),
            "region": ("varchar", [taxonomy.region_of(c) for c in known.values()]),
        },
    )


def load_jobs(
    con: duckdb.DuckDBPyConnection,
    *,
    stg: str,
    run_id: int,
    source: str,
    file: str,
    field_names: dict[str, str],
    raw_text_sql: str,
    ranges: dict[str, tuple[Decimal, Decimal]] | None = None,
    pre_reject: str | None = None,
) -> LoadCounts:
    """Parse, check, de-duplicate and load staged postings; write rejects.

    Parameters
    ----------
    con
        Writable staging-warehouse connection.
    stg
        Temp table with ``ordinal`` (unique, file order), ``line`` and
        :data:`TEXT_COLUMNS` (caller's identifier).
    run_id
        The ``ingest_runs`` row of this load.
    source
        Value of ``jobs.source`` (the format name, or the mapping's ``source``).
    file
        Name of the input file for ``rejects.file``.
    field_names
        Source column name of each text column, used in ``rejects.field``.
    raw_text_sql
        SQL expression over the staged columns that rebuilds the raw row for
        ``rejects.raw_text`` (caller's code, never user text).
    ranges
        Plausible ranges of the amounts (default :data:`fdsa.ingest.values.PLAUSIBLE`).
    pre_reject
        Staged column with ``[field, reason]`` of checks made before, or null (see
        :func:`typed_sql`).

    Returns
    -------
    LoadCounts
        ``read`` (rows staged), ``loaded``, ``rejected``, ``duplicate`` and the share
        of loaded postings whose niche is ``other``.
    """
    install_macros(con)
    select = typed_sql(stg, raw_text_sql=raw_text_sql, pre_reject=pre_reject)
    con.execute(
        f"create or replace temp table {TYPED} as {select}", typed_params(field_names, ranges)
    )
    return load_typed(con, run_id=run_id, source=source, file=file)


def load_typed(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: int,
    source: str,
    file: str,
    order: RowOrder | None = None,
) -> LoadCounts:
    """Write the rejects of :data:`TYPED`, merge known keys and insert the new postings.

    Parameters
    ----------
    con
        Writable staging-warehouse connection holding :data:`TYPED`.
    run_id
        The ``ingest_runs`` row of this load.
    source
        Value of ``jobs.source``.
    file
        Name of the input file for ``rejects.file``.
    order
        Order key and line of rows whose ``ordinal`` and ``line`` are null (rows
        DuckDB read straight into :data:`TYPED`); default: every row has both.

    Returns
    -------
    LoadCounts
        As :func:`load_jobs`. :data:`TYPED` is dropped.
    """
    order = order or RowOrder()
    read = con.execute(f"select count(*) from {TYPED}").fetchall()[0][0]  # noqa: S608
    with stages.stage(stages.CHECK_REJECTS):
        rejected = _insert_typed_rejects(con, run_id=run_id, file=file, order=order)
    with stages.stage(stages.DEDUPE):
        _first_rows_of_keys(con, order=order)
    with stages.stage(stages.MERGE):
        _merge_known_keys(con, source)
    with stages.stage(stages.NUMBER):
        _number_new_postings(con, source)
    with stages.stage(stages.NICHES):
        _classify_niches(con)
    with stages.stage(stages.INSERT):
        _insert_jobs(con, run_id=run_id, source=source, order=order)
    with stages.stage(stages.KEYS_CHECK):
        _check_new_keys(con, run_id=run_id, source=source)
    loaded, n_other = con.execute(
        "select count(*), count(*) filter (niche = 'other') from jobs where ingest_run_id = $run",
        {"run": run_id},
    ).fetchall()[0]
    for table in (TYPED, KEYS, NEW, NICHES):
        con.execute(f"drop table {table}")  # noqa: S608 - fixed names
    counts = LoadCounts(
        read=read, loaded=loaded, rejected=rejected, duplicate=read - loaded - rejected
    )
    if loaded:
        counts.other_share = n_other / loaded
        counts.notes.append(f"niche other: {n_other} of {loaded} loaded ({n_other / loaded:.1%})")
    return counts


def _insert_typed_rejects(
    con: duckdb.DuckDBPyConnection, *, run_id: int, file: str, order: RowOrder
) -> int:
    """Add the rows of :data:`TYPED` that failed a check to ``rejects``; return how many."""
    con.execute(
        f"""
        create or replace temp table {BAD} as
        select {order.ordinal_sql()} as ordinal, rowid as position, line, reject[1] as field,
               reject[2] as reason, raw_text
        from {TYPED} where reject is not null
        """,  # noqa: S608 - fixed names
        order.params,
    )
    if order.lines is not None:
        positions = con.execute(
            f"select position from {BAD} where line is null order by position"  # noqa: S608
        ).fetchnumpy()["position"]
        if len(positions):
            found = {
                "position": ("bigint", positions.tolist()),
                "found_line": ("bigint", order.lines_of(positions).tolist()),
            }
            rows_table(con, FOUND_LINES, found)
            con.execute(
                f"""
                update {BAD} set line = f.found_line from {FOUND_LINES} as f
                where {BAD}.position = f.position
                """  # noqa: S608 - fixed names
            )
            con.execute(f"drop table {FOUND_LINES}")
    first = con.execute("select coalesce(max(reject_id), 0) + 1 from rejects").fetchall()[0][0]
    con.execute(
        f"""
        insert into rejects
        select $first + row_number() over (order by ordinal) - 1, $run, $file, line, field,
               reason, raw_text
        from {BAD}
        """,  # noqa: S608 - fixed name
        {"first": first, "run": run_id, "file": file},
    )
    rejected = con.execute(f"select count(*) from {BAD}").fetchall()[0][0]  # noqa: S608
    con.execute(f"drop table {BAD}")
    return rejected


def _first_rows_of_keys(con: duckdb.DuckDBPyConnection, *, order: RowOrder) -> None:
    """:data:`KEYS`: per key of the good rows, its first row and first/last date seen."""
    con.execute(
        f"""
        create or replace temp table {KEYS} as
        select key_v, min({order.ordinal_sql()}) as first_ordinal, min(posted_v) as first_seen,
               max(posted_v) as last_seen
        from {TYPED} where reject is null
        group by key_v
        """,  # noqa: S608 - fixed names
        order.params,
    )


def _merge_known_keys(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """Widen first/last seen of postings already in the warehouse by this file's dates."""
    con.execute(
        f"""
        update jobs set first_seen_at = least(jobs.first_seen_at, k.first_seen),
                        last_seen_at = greatest(jobs.last_seen_at, k.last_seen)
        from {KEYS} as k
        where jobs.source = $source and jobs.source_key = k.key_v
          and (k.first_seen < jobs.first_seen_at or k.last_seen > jobs.last_seen_at)
        """,  # noqa: S608 - fixed name
        {"source": source},
    )


def _number_new_postings(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """:data:`NEW`: keys not yet in the warehouse, with job ids in file order."""
    first_job = con.execute("select coalesce(max(job_id), 0) + 1 from jobs").fetchall()[0][0]
    con.execute(
        f"""
        create or replace temp table {NEW} as
        select first_ordinal, first_seen, last_seen,
               $first + row_number() over (order by first_ordinal) - 1 as job_id
        from {KEYS} as k
        where not exists (
            select 1 from jobs as j where j.source = $source and j.source_key = k.key_v
        )
        """,  # noqa: S608 - fixed names
        {"first": first_job, "source": source},
    )


def _classify_niches(con: duckdb.DuckDBPyConnection) -> None:
    """:data:`NICHES`: the niche of each distinct (title, category and skills) text."""
    expression, params = niches.niche_sql("title_l", "rest_l")
    con.execute(
        f"""
        create or replace temp table {NICHES} as
        select title_l, rest_l, {expression} as niche
        from (select distinct {_title_l()} as title_l, {_rest_l()} as rest_l
              from {TYPED} where reject is null)
        """,  # noqa: S608 - expression is built from NICHE_RULES with bound patterns
        params,
    )
    niches.classify_other(con, NICHES)  # the model decides the rules' "other" texts


def _insert_jobs(
    con: duckdb.DuckDBPyConnection, *, run_id: int, source: str, order: RowOrder
) -> None:
    """Insert the first row of every new key into ``jobs`` in one statement.

    ``jobs`` has no key indexes (they cost more than the rows); the caller checks the
    keys this load added with :func:`_check_new_keys` before anything is published.
    """
    _country_table(con)
    con.execute(
        f"""
        insert into jobs
        select n.job_id, null as client_id, n.first_seen as posted_at, t.title_v,
               t.description, nc.niche, coalesce(t.skills, []::varchar[]), t.job_type_v,
               t.low_v, t.high_v, t.budget_v, 'USD',
               coalesce(t.budget_v <= $placeholder_max, false), null, null, null,
               coalesce(c.code, t.country_v), coalesce(c.region, 'unknown'),
               $source, t.key_v, n.first_seen, n.last_seen, $run
        from {TYPED} as t
        join {NEW} as n on n.first_ordinal = {order.ordinal_sql("t")}
        join {NICHES} as nc on nc.title_l = {_title_l("t")} and nc.rest_l = {_rest_l("t")}
        left join {COUNTRIES} as c on c.name = t.country_v
        """,  # noqa: S608 - fixed names
        {
            "source": source,
            "run": run_id,
            "placeholder_max": PLACEHOLDER_BUDGET_MAX,
        }
        | order.params,
    )
    con.execute(f"drop table {COUNTRIES}")


_DUPLICATED_KEYS = """
    select 'job_id ' || job_id
    from jobs
    where job_id in (select job_id from jobs where ingest_run_id = $run)
    group by job_id
    having count(*) > 1
    union all
    select 'link ' || source_key
    from jobs
    where source = $source
      and source_key in (select source_key from jobs where ingest_run_id = $run)
    group by source_key
    having count(*) > 1
    limit 5
"""


def _check_new_keys(con: duckdb.DuckDBPyConnection, *, run_id: int, source: str) -> None:
    """Fail the load when a posting it added repeats a job id or a link of ``jobs``.

    Set-based, over the keys of this load only (the warehouse was sound before it):
    the guarantee of a unique index without its upkeep. Raising inside the build
    publishes nothing.
    """
    repeated = [
        row[0]
        for row in con.execute(_DUPLICATED_KEYS, {"run": run_id, "source": source}).fetchall()
    ]
    if repeated:
        raise WarehouseError(
            "this load would duplicate keys of jobs (a bug, not the file): "
            + ", ".join(repeated)
            + "; nothing was published"
        )
