"""Text rows of job postings → typed, checked, de-duplicated rows of ``jobs`` (and rejects).

Every importer of postings stages its rows as text in a temp table with the columns of
:data:`TEXT_COLUMNS` (plus ``ordinal``, unique in file order, and ``line``);
:func:`load_jobs` does the rest in a few SQL
statements: parse each field explicitly (``try_cast`` with a reason per field), send
failing rows to ``rejects``, merge rows whose ``source_key`` is already known (here or
in the warehouse) and insert the new postings. Duplicate rule: the first row of a key
in the file (lowest line) is the one loaded; every other row of that key, and every row
of a key already in the warehouse, is a duplicate whose timestamp only widens
``first_seen_at``/``last_seen_at``.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from fdsa import taxonomy
from fdsa.ingest import niches
from fdsa.ingest.core import LoadCounts

TEXT_COLUMNS: tuple[str, ...] = (
    "source_key",
    "title",
    "description",
    "published",
    "is_hourly",
    "job_type",
    "hourly_low",
    "hourly_high",
    "budget",
    "country",
    "skills",
    "category",
)
"""Staged text columns (``skills`` is VARCHAR[]; the rest VARCHAR, null when absent)."""

PLACEHOLDER_BUDGET_MAX = 5.0
"""Budgets of this many currency units or less are placeholders (kept, flagged)."""

_MACROS = r"""
create or replace temp macro fdsa_blank(x) as
    case when x is null or lower(trim(x)) in ('', 'nan', 'null', 'none', 'n/a', 'na', '-')
         then null else trim(x) end;
create or replace temp macro fdsa_amount_ok(x) as
    fdsa_blank(x) is null or regexp_full_match(fdsa_blank(x),
        '(?i)(usd)?\s*[-+]?\s*(us)?\$?\s*[-+]?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d*)?\s*(usd)?');
create or replace temp macro fdsa_amount(x) as
    try_cast(regexp_replace(fdsa_blank(x), '[^0-9.+-]', '', 'g') as double);
create or replace temp macro fdsa_flag(x) as
    case when lower(fdsa_blank(x)) in ('true', 't', '1', 'yes', 'y') then true
         when lower(fdsa_blank(x)) in ('false', 'f', '0', 'no', 'n') then false end;
create or replace temp macro fdsa_flag_ok(x) as
    fdsa_blank(x) is null or fdsa_flag(x) is not null;
create or replace temp macro fdsa_csv_field(x) as
    case when x is null then ''
         when regexp_matches(x, '[",\r\n]') then '"' || replace(x, '"', '""') || '"'
         else x end;
"""


def _typed_sql() -> str:
    # Reasons in field order; the first failing field names the reject.
    return """
    create or replace temp table __fdsa_typed as
    with parsed as (
        select s.*,
               fdsa_blank(s.source_key) as key_v,
               fdsa_blank(s.title) as title_v,
               try_cast(fdsa_blank(s.published) as timestamptz) as posted_v,
               fdsa_flag(s.is_hourly) as hourly_flag,
               lower(fdsa_blank(s.job_type)) as job_type_text,
               fdsa_amount(s.hourly_low) as low_v,
               fdsa_amount(s.hourly_high) as high_v,
               fdsa_amount(s.budget) as budget_v
        from {stg} as s
    ), typed as (
        select *,
               case when job_type_text is not null then job_type_text
                    when hourly_flag then 'hourly'
                    when not hourly_flag then 'fixed' end as job_type_v
        from parsed
    )
    select *,
        case
            when key_v is null then [$f_source_key, 'missing: the posting has no identity']
            when title_v is null then [$f_title, 'missing title']
            when fdsa_blank(published) is null then [$f_published, 'missing date']
            when posted_v is null then [$f_published, 'not a timestamp: ' || left(published, 80)]
            when not fdsa_flag_ok(is_hourly) then
                [$f_is_hourly, 'not true/false: ' || left(is_hourly, 80)]
            when job_type_text is not null and job_type_text not in ('hourly', 'fixed') then
                [$f_job_type, 'not hourly/fixed: ' || left(job_type, 80)]
            when not fdsa_amount_ok(hourly_low)
                 or (fdsa_blank(hourly_low) is not null and low_v is null) then
                [$f_hourly_low, 'not a number: ' || left(hourly_low, 80)]
            when not fdsa_amount_ok(hourly_high)
                 or (fdsa_blank(hourly_high) is not null and high_v is null) then
                [$f_hourly_high, 'not a number: ' || left(hourly_high, 80)]
            when not fdsa_amount_ok(budget)
                 or (fdsa_blank(budget) is not null and budget_v is null) then
                [$f_budget, 'not a number: ' || left(budget, 80)]
            when low_v < 0 then [$f_hourly_low, 'negative amount']
            when high_v < 0 then [$f_hourly_high, 'negative amount']
            when budget_v < 0 then [$f_budget, 'negative amount']
            when low_v > high_v then [$f_hourly_low, 'hourly_low is above hourly_high']
            when job_type_v = 'hourly' and budget_v is not null then
                [$f_budget, 'fixed budget given on an hourly posting']
            when job_type_v = 'fixed' and (low_v is not null or high_v is not null) then
                [$f_hourly_low, 'hourly range given on a fixed-price posting']
        end as reject
    from typed
    """


def _country_table() -> pa.Table:
    names = dict(taxonomy.COUNTRY_NAMES)
    for code in set(taxonomy.COUNTRY_REGION) | set(taxonomy.COUNTRY_NAMES.values()):
        names.setdefault(code.lower(), code)
    return pa.table(
        {
            "name": list(names),
            "code": list(names.values()),
            "region": [taxonomy.region_of(c) for c in names.values()],
        }
    )


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the parsing macros (``fdsa_blank``, ``fdsa_amount`` ...) as temp macros."""
    con.execute(_MACROS)


def load_jobs(
    con: duckdb.DuckDBPyConnection,
    *,
    stg: str,
    run_id: int,
    source: str,
    file: str,
    field_names: dict[str, str],
    raw_text_sql: str,
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

    Returns
    -------
    LoadCounts
        ``read`` (rows staged), ``loaded``, ``rejected``, ``duplicate`` and the share
        of loaded postings whose niche is ``other``.
    """
    install_macros(con)
    title_sql = "lower(title_v)"
    rest_sql = "lower(concat_ws(' | ', category, array_to_string(skills, ' | ')))"
    niche_expr, niche_params = niches.niche_sql(title_sql, rest_sql)
    checked = (
        "source_key",
        "title",
        "published",
        "is_hourly",
        "job_type",
        "hourly_low",
        "hourly_high",
        "budget",
    )
    params = {f"f_{c}": field_names.get(c, c) for c in checked}
    con.execute(_typed_sql().replace("{stg}", stg), params)

    read = con.execute("select count(*) from __fdsa_typed").fetchall()[0][0]
    first_reject = con.execute("select coalesce(max(reject_id), 0) + 1 from rejects").fetchall()[0][
        0
    ]
    con.execute(
        f"""
        insert into rejects
        select $first + row_number() over (order by ordinal) - 1, $run, $file, line,
               reject[1], reject[2], {raw_text_sql}
        from __fdsa_typed where reject is not null
        """,  # noqa: S608 - raw_text_sql is caller code
        {"first": first_reject, "run": run_id, "file": file},
    )
    rejected = con.execute("select count(*) from __fdsa_typed where reject is not null").fetchall()[
        0
    ][0]

    con.execute(
        """
        create or replace temp table __fdsa_keys as
        select key_v, min(ordinal) as first_ordinal, min(posted_v) as first_seen,
               max(posted_v) as last_seen, count(*) as n_rows
        from __fdsa_typed where reject is null
        group by key_v
        """
    )
    con.execute(
        """
        update jobs set first_seen_at = least(jobs.first_seen_at, k.first_seen),
                        last_seen_at = greatest(jobs.last_seen_at, k.last_seen)
        from __fdsa_keys as k
        where jobs.source = $source and jobs.source_key = k.key_v
          and (k.first_seen < jobs.first_seen_at or k.last_seen > jobs.last_seen_at)
        """,
        {"source": source},
    )
    con.register("__fdsa_countries", _country_table())
    first_job = con.execute("select coalesce(max(job_id), 0) + 1 from jobs").fetchall()[0][0]
    con.execute(
        f"""
        insert into jobs
        select $first + row_number() over (order by t.ordinal) - 1 as job_id,
               null as client_id, k.first_seen as posted_at, t.title_v, t.description,
               {niche_expr} as niche,
               coalesce(t.skills, []::varchar[]), t.job_type_v, t.low_v, t.high_v, t.budget_v,
               'USD', coalesce(t.budget_v <= $placeholder_max, false),
               null, null, null,
               coalesce(c.code, fdsa_blank(t.country)), coalesce(c.region, 'unknown'),
               $source, t.key_v, k.first_seen, k.last_seen, $run
        from __fdsa_keys as k
        join __fdsa_typed as t on t.ordinal = k.first_ordinal and t.reject is null
        left join __fdsa_countries as c on c.name = lower(fdsa_blank(t.country))
        where not exists (
            select 1 from jobs as j where j.source = $source and j.source_key = k.key_v
        )
        """,  # noqa: S608 - niche_expr is built from NICHE_RULES with bound patterns
        {
            "first": first_job,
            "source": source,
            "run": run_id,
            "placeholder_max": PLACEHOLDER_BUDGET_MAX,
            **niche_params,
        },
    )
    con.unregister("__fdsa_countries")
    loaded, n_other = con.execute(
        "select count(*), count(*) filter (niche = 'other') from jobs where ingest_run_id = $run",
        {"run": run_id},
    ).fetchall()[0]
    con.execute("drop table __fdsa_typed; drop table __fdsa_keys")
    counts = LoadCounts(
        read=read, loaded=loaded, rejected=rejected, duplicate=read - loaded - rejected
    )
    if loaded:
        counts.other_share = n_other / loaded
        counts.notes.append(f"niche other: {n_other} of {loaded} loaded ({n_other / loaded:.1%})")
    return counts
