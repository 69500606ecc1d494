"""Text rows of job postings → typed, checked, de-duplicated rows of ``jobs`` (and rejects).

Two steps, each a few set-based SQL statements:

1. :func:`typed_sql` parses every field explicitly (``try_cast`` and anchored
   patterns, a reason per field) in one pass of projections into the temp table
   :data:`TYPED`. ``postings-csv`` runs it while DuckDB parses the file
   (:func:`fdsa.ingest.core.read_csv_typed`); the other importers stage their rows
   as text first (:data:`TEXT_COLUMNS` plus ``ordinal``, unique in file order, and
   ``line``) and call :func:`load_jobs`.
2. :func:`load_typed` sends failing rows to ``rejects``, finds the first row and the
   first/last date of every key in a narrow per-key table, widens the dates of keys
   already in the warehouse, numbers the new postings, classifies each distinct
   (title, category and skills) text once and inserts the new postings into ``jobs``
   in one ``INSERT … SELECT``.

Duplicate rule: the first row of a key in the file (lowest line) is the one loaded;
every other row of that key, and every row of a key already in the warehouse, is a
duplicate whose timestamp only widens ``first_seen_at``/``last_seen_at``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import duckdb
import numpy as np

from fdsa import taxonomy
from fdsa.ingest import niches, values
from fdsa.ingest.core import LoadCounts, rows_table

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
create or replace temp macro fdsa_unblank(t) as
    case lower(t) when '' then null when 'nan' then null when 'null' then null
                  when 'none' then null when 'n/a' then null when 'na' then null
                  when '-' then null else t end;
create or replace temp macro fdsa_clean(x) as
    case when ord(x) between 33 and 127 and ord(x[-1]) between 33 and 127
              and (strlen(x) > 4 or (ord(x) <> 45 and ord(x) <> 78 and ord(x) <> 110))
         then x
         else fdsa_unblank(trim(x)) end;
create or replace temp macro fdsa_flag_of(b) as
    case lower(b) when 'true' then true when 't' then true when '1' then true
                  when 'yes' then true when 'y' then true
                  when 'false' then false when 'f' then false when '0' then false
                  when 'no' then false when 'n' then false end;
create or replace temp macro fdsa_ambiguous(d) as
    strlen(d) between 5 and 7 and d[-4] = '.' and d[1] <> '0'
    and regexp_full_match(d, '[1-9][0-9]{0,2}\.[0-9]{3}');
create or replace temp macro fdsa_amount_of(b) as
    case when b is null then null
         when regexp_full_match(b, '[0-9]+(\.[0-9]*)?') then
            case when not fdsa_ambiguous(b) then try_cast(b as double) end
         when regexp_full_match(b,
            '(?i)(usd)?\s*[-+]?\s*(us)?\$?\s*[-+]?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d*)?\s*(usd)?')
              and not fdsa_ambiguous(regexp_replace(b, '[^0-9.]', '', 'g'))
         then try_cast(regexp_replace(b, '[^0-9.+-]', '', 'g') as double) end;
create or replace temp macro fdsa_not_amount(b) as
    case when fdsa_ambiguous(regexp_replace(b, '[^0-9.]', '', 'g'))
         then 'ambiguous amount (a dot before three digits: decimal point or thousands?): '
         else 'not a number: ' end || left(b, 80);
create or replace temp macro fdsa_csv_field(x) as
    case when x is null then ''
         when regexp_matches(x, '[",\r\n]') then '"' || replace(x, '"', '""') || '"'
         else x end;
"""


TYPED = "__fdsa_typed"
"""Temp table of typed rows that :func:`typed_sql` builds and :func:`load_typed` loads."""


def ordinal_sql(alias: str = "") -> str:
    """Order key of a row of :data:`TYPED`: ``ordinal`` when set, else ``$ordinal_scale * rowid``.

    A CSV read straight into :data:`TYPED` leaves ``ordinal`` null (the rowid is the
    row's position among the rows DuckDB read, in file order); rows re-read later
    (Latin-1) get an ordinal in the gap before the next row read, see
    :func:`fdsa.ingest.core.read_csv_typed`. Bind ``ordinal_scale``; ``alias`` is a
    table alias of caller code.
    """
    prefix = f"{alias}." if alias else ""
    return f"coalesce({prefix}ordinal, $ordinal_scale * {prefix}rowid)"


def _title_l(alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return f"lower({prefix}title_v)"


def _rest_l(alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return f"lower(concat_ws(' | ', {prefix}category, array_to_string({prefix}skills, ' | ')))"


def typed_sql(
    src: str,
    *,
    raw_text_sql: str,
    extra: dict[str, str] | None = None,
    pre_reject: str | None = None,
) -> str:
    """SELECT that types and checks the text rows of ``src`` in one pass.

    Parameters
    ----------
    src
        Relation with ``ordinal``, ``line`` and :data:`TEXT_COLUMNS` (caller's code).
    raw_text_sql
        SQL over the columns of ``src`` rebuilding the raw row (evaluated for rejects only).
    extra
        Further output columns: name → SQL over the columns of ``src`` (caller's code).
    pre_reject
        SQL over ``src`` giving ``[field, reason]`` of a check the caller made before
        (a value its mapping could not convert), or null; it comes first.

    Returns
    -------
    str
        The SELECT; bind :func:`typed_params`. Columns: ``ordinal``, ``line``,
        ``key_v``, ``title_v``, ``description``, ``posted_v``, ``job_type_v``,
        ``low_v``, ``high_v``, ``budget_v``, ``country_v``, ``skills``, ``category``,
        ``reject`` (``[field, reason]`` or null) and ``raw_text`` (rejects only).
    """
    # Each field is cleaned once (trimmed, blank tokens to null) and parsed once; the
    # first failing field, in column order, names the reject.
    extra = extra or {}
    pre = (
        f"\n                when ({pre_reject}) is not null then {pre_reject}" if pre_reject else ""
    )
    extra_sql = "".join(f", {sql} as {name}" for name, sql in extra.items())
    extra_names = "".join(f", {name}" for name in extra)
    return f"""
    with blanked as (
        select s.*, fdsa_clean(s.source_key) as key_v, fdsa_clean(s.title) as title_v,
               fdsa_clean(s.published) as published_b, fdsa_clean(s.is_hourly) as hourly_b,
               lower(fdsa_clean(s.job_type)) as job_type_b, fdsa_clean(s.hourly_low) as low_b,
               fdsa_clean(s.hourly_high) as high_b, fdsa_clean(s.budget) as budget_b,
               fdsa_clean(s.country) as country_v {extra_sql}
        from {src} as s
    ), parsed as (
        select *, try_cast(published_b as timestamptz) as posted_v,
               fdsa_flag_of(hourly_b) as hourly_flag, fdsa_amount_of(low_b) as low_v,
               fdsa_amount_of(high_b) as high_v, fdsa_amount_of(budget_b) as budget_v
        from blanked
    ), typed as (
        select *,
               case when job_type_b is not null then job_type_b
                    when hourly_flag then 'hourly'
                    when not hourly_flag then 'fixed' end as job_type_v
        from parsed
    ), checked as (
        select *,
            case{pre}
                when key_v is null then [$f_source_key, 'missing: the posting has no identity']
                when title_v is null then [$f_title, 'missing title']
                when published_b is null then [$f_published, 'missing date']
                when posted_v is null then
                    [$f_published, 'not a timestamp: ' || left(published, 80)]
                when hourly_b is not null and hourly_flag is null then
                    [$f_is_hourly, 'not true/false: ' || left(is_hourly, 80)]
                when job_type_b <> 'hourly' and job_type_b <> 'fixed' then
                    [$f_job_type, 'not hourly/fixed: ' || left(job_type, 80)]
                when low_b is not null and low_v is null then
                    [$f_hourly_low, fdsa_not_amount(hourly_low)]
                when high_b is not null and high_v is null then
                    [$f_hourly_high, fdsa_not_amount(hourly_high)]
                when budget_b is not null and budget_v is null then
                    [$f_budget, fdsa_not_amount(budget)]
                when low_v < 0 then [$f_hourly_low, 'negative amount']
                when high_v < 0 then [$f_hourly_high, 'negative amount']
                when budget_v < 0 then [$f_budget, 'negative amount']
                when low_v > $hourly_low_max then
                    [$f_hourly_low, 'implausible amount: ' || left(hourly_low, 80)
                                    || ' (plausible: ' || $hourly_low_range || ')']
                when high_v > $hourly_high_max then
                    [$f_hourly_high, 'implausible amount: ' || left(hourly_high, 80)
                                     || ' (plausible: ' || $hourly_high_range || ')']
                when budget_v > $budget_max then
                    [$f_budget, 'implausible amount: ' || left(budget, 80)
                                || ' (plausible: ' || $budget_range || ')']
                when low_v < $hourly_low_min then
                    [$f_hourly_low, 'implausible amount: ' || left(hourly_low, 80)
                                    || ' (plausible: ' || $hourly_low_range || ')']
                when high_v < $hourly_high_min then
                    [$f_hourly_high, 'implausible amount: ' || left(hourly_high, 80)
                                     || ' (plausible: ' || $hourly_high_range || ')']
                when budget_v < $budget_min then
                    [$f_budget, 'implausible amount: ' || left(budget, 80)
                                || ' (plausible: ' || $budget_range || ')']
                when low_v > high_v then [$f_hourly_low, 'hourly_low is above hourly_high']
                when job_type_v = 'hourly' and budget_v is not null then
                    [$f_budget, 'fixed budget given on an hourly posting']
                when job_type_v = 'fixed' and (low_v is not null or high_v is not null) then
                    [$f_hourly_low, 'hourly range given on a fixed-price posting']
            end as reject
        from typed
    )
    select ordinal, line, key_v, title_v, description, posted_v, job_type_v, low_v, high_v,
           budget_v, country_v, skills, category, reject,
           case when reject is not null then {raw_text_sql} end as raw_text {extra_names}
    from checked
    """  # noqa: S608 - src, raw_text_sql and extra_sql are caller code


CHECKED_FIELDS: tuple[str, ...] = (
    "source_key",
    "title",
    "published",
    "is_hourly",
    "job_type",
    "hourly_low",
    "hourly_high",
    "budget",
)
"""Text columns whose source name :func:`typed_sql` may put in ``rejects.field``."""


AMOUNT_FIELDS: tuple[str, ...] = ("hourly_low", "hourly_high", "budget")
"""Amount columns with a plausible range (:data:`fdsa.ingest.values.PLAUSIBLE`)."""


def typed_params(
    field_names: dict[str, str], ranges: dict[str, tuple[Decimal, Decimal]] | None = None
) -> dict[str, object]:
    """Bound parameters of :func:`typed_sql`: each column's source name, the amount ranges.

    ``ranges`` overrides :data:`fdsa.ingest.values.PLAUSIBLE` (a mapping's ``ranges:``).
    """
    params: dict[str, object] = {f"f_{c}": field_names.get(c, c) for c in CHECKED_FIELDS}
    for name in AMOUNT_FIELDS:
        low, high = (ranges or {}).get(name, values.PLAUSIBLE[name])
        params[f"{name}_min"], params[f"{name}_max"] = float(low), float(high)
        params[f"{name}_range"] = f"{values.plain_decimal(low)} to {values.plain_decimal(high)}"
    return params


def _country_table(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table ``__fdsa_countries``: each distinct country text of the good rows of
    :data:`TYPED` → ISO-2 code and region (:func:`fdsa.taxonomy.country_code`); texts that
    name no country get no row (stored as given, region ``unknown``)."""
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
        "__fdsa_countries",
        {
            "name": ("varchar", list(known)),
            "code": ("varchar", list(known.values())),
            "region": ("varchar", [taxonomy.region_of(c) for c in known.values()]),
        },
    )


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the parsing macros (``fdsa_clean``, ``fdsa_amount_of`` ...) as temp macros."""
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
    lines_of: Callable[[np.ndarray], np.ndarray] | None = None,
    ordinal_scale: int = 1,
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
    lines_of
        For rows whose ``line`` is null: their rowids in :data:`TYPED` → their lines.
    ordinal_scale
        Multiplier of the rowid for rows whose ``ordinal`` is null (:func:`ordinal_sql`).

    Returns
    -------
    LoadCounts
        As :func:`load_jobs`. :data:`TYPED` is dropped.
    """
    read = con.execute(f"select count(*) from {TYPED}").fetchall()[0][0]  # noqa: S608
    scale = {"ordinal_scale": ordinal_scale}
    rejected = _insert_typed_rejects(con, run_id=run_id, file=file, lines_of=lines_of, **scale)
    _first_rows_of_keys(con, **scale)
    _merge_known_keys(con, source)
    _number_new_postings(con, source)
    _classify_niches(con)
    _insert_jobs(con, run_id=run_id, source=source, **scale)
    loaded, n_other = con.execute(
        "select count(*), count(*) filter (niche = 'other') from jobs where ingest_run_id = $run",
        {"run": run_id},
    ).fetchall()[0]
    for table in (TYPED, "__fdsa_keys", "__fdsa_new", "__fdsa_niches"):
        con.execute(f"drop table {table}")  # noqa: S608 - fixed names
    counts = LoadCounts(
        read=read, loaded=loaded, rejected=rejected, duplicate=read - loaded - rejected
    )
    if loaded:
        counts.other_share = n_other / loaded
        counts.notes.append(f"niche other: {n_other} of {loaded} loaded ({n_other / loaded:.1%})")
    return counts


def _insert_typed_rejects(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: int,
    file: str,
    lines_of: Callable[[np.ndarray], np.ndarray] | None,
    ordinal_scale: int,
) -> int:
    """Add the rows of :data:`TYPED` that failed a check to ``rejects``; return how many."""
    con.execute(
        f"""
        create or replace temp table __fdsa_bad as
        select {ordinal_sql()} as ordinal, rowid as position, line, reject[1] as field,
               reject[2] as reason, raw_text
        from {TYPED} where reject is not null
        """,  # noqa: S608 - fixed names
        {"ordinal_scale": ordinal_scale},
    )
    if lines_of is not None:
        positions = con.execute(
            "select position from __fdsa_bad where line is null order by position"
        ).fetchnumpy()["position"]
        if len(positions):
            found = {
                "position": ("bigint", positions.tolist()),
                "found_line": ("bigint", lines_of(positions).tolist()),
            }
            rows_table(con, "__fdsa_found_lines", found)
            con.execute(
                """
                update __fdsa_bad set line = f.found_line from __fdsa_found_lines as f
                where __fdsa_bad.position = f.position
                """
            )
            con.execute("drop table __fdsa_found_lines")
    first = con.execute("select coalesce(max(reject_id), 0) + 1 from rejects").fetchall()[0][0]
    con.execute(
        """
        insert into rejects
        select $first + row_number() over (order by ordinal) - 1, $run, $file, line, field,
               reason, raw_text
        from __fdsa_bad
        """,
        {"first": first, "run": run_id, "file": file},
    )
    rejected = con.execute("select count(*) from __fdsa_bad").fetchall()[0][0]
    con.execute("drop table __fdsa_bad")
    return rejected


def _first_rows_of_keys(con: duckdb.DuckDBPyConnection, *, ordinal_scale: int) -> None:
    """``__fdsa_keys``: per key of the good rows, its first row and first/last date seen."""
    con.execute(
        f"""
        create or replace temp table __fdsa_keys as
        select key_v, min({ordinal_sql()}) as first_ordinal, min(posted_v) as first_seen,
               max(posted_v) as last_seen
        from {TYPED} where reject is null
        group by key_v
        """,  # noqa: S608 - fixed names
        {"ordinal_scale": ordinal_scale},
    )


def _merge_known_keys(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """Widen first/last seen of postings already in the warehouse by this file's dates."""
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


def _number_new_postings(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """``__fdsa_new``: keys not yet in the warehouse, with job ids in file order."""
    first_job = con.execute("select coalesce(max(job_id), 0) + 1 from jobs").fetchall()[0][0]
    con.execute(
        """
        create or replace temp table __fdsa_new as
        select first_ordinal, first_seen, last_seen,
               $first + row_number() over (order by first_ordinal) - 1 as job_id
        from __fdsa_keys as k
        where not exists (
            select 1 from jobs as j where j.source = $source and j.source_key = k.key_v
        )
        """,
        {"first": first_job, "source": source},
    )


def _classify_niches(con: duckdb.DuckDBPyConnection) -> None:
    """``__fdsa_niches``: the niche of each distinct (title, category and skills) text."""
    expression, params = niches.niche_sql("title_l", "rest_l")
    con.execute(
        f"""
        create or replace temp table __fdsa_niches as
        select title_l, rest_l, {expression} as niche
        from (select distinct {_title_l()} as title_l, {_rest_l()} as rest_l
              from {TYPED} where reject is null)
        """,  # noqa: S608 - expression is built from NICHE_RULES with bound patterns
        params,
    )
    niches.classify_other(con, "__fdsa_niches")  # the model decides the rules' "other" texts


JOBS_KEY_INDEX = "jobs_source_key"
"""The unique index of ``jobs (source, source_key)`` (``fdsa/warehouse/schema.sql``)."""


def _rebuild_key_index(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether to drop :data:`JOBS_KEY_INDEX` for the insert and build it again after.

    Building the index over all rows at once (sorted, in parallel) is about twice as
    fast as keeping it up to date row by row, and does not slow down when the keys
    arrive in random order; so the index is rebuilt when this load brings at least as
    many postings as ``jobs`` holds (always for a first load).
    """
    n_new, n_jobs = con.execute(
        "select (select count(*) from __fdsa_new), (select count(*) from jobs)"
    ).fetchall()[0]
    return n_new > 0 and n_new >= n_jobs


def _insert_jobs(
    con: duckdb.DuckDBPyConnection, *, run_id: int, source: str, ordinal_scale: int
) -> None:
    """Insert the first row of every new key into ``jobs`` in one statement.

    For a large load the unique index of ``(source, source_key)`` is dropped first and
    built again afterwards (:func:`_rebuild_key_index`); building it fails on a
    duplicate key, so the guarantee holds for every published warehouse.
    """
    _country_table(con)
    rebuild = _rebuild_key_index(con)
    if rebuild:
        con.execute(f"drop index {JOBS_KEY_INDEX}")
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
        join __fdsa_new as n on n.first_ordinal = {ordinal_sql("t")}
        join __fdsa_niches as nc on nc.title_l = {_title_l("t")} and nc.rest_l = {_rest_l("t")}
        left join __fdsa_countries as c on c.name = t.country_v
        """,  # noqa: S608 - fixed names
        {
            "source": source,
            "run": run_id,
            "placeholder_max": PLACEHOLDER_BUDGET_MAX,
            "ordinal_scale": ordinal_scale,
        },
    )
    if rebuild:
        _build_key_index(con)
    con.execute("drop table __fdsa_countries")


def _build_key_index(con: duckdb.DuckDBPyConnection) -> None:
    """Build :data:`JOBS_KEY_INDEX` over all rows at once; fails on a duplicate key."""
    con.execute(f"create unique index {JOBS_KEY_INDEX} on jobs (source, source_key)")
