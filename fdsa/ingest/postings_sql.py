"""Postings as SQL: the staged text columns, the parsing macros, and the typed select.

:func:`typed_sql` parses every field of a posting explicitly (``try_cast`` and
anchored patterns, a reason per field) in one pass of projections; ``postings-csv``
runs it while DuckDB parses the file (:func:`fdsa.ingest.csv_read.read_csv_typed`),
the other importers over their staged text rows (:func:`fdsa.ingest.reconcile.load_jobs`).
The result is the temp table :data:`fdsa.ingest.temp_tables.TYPED` that
:mod:`fdsa.ingest.reconcile` loads.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb

from fdsa.ingest import values

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


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the parsing macros (``fdsa_clean``, ``fdsa_amount_of`` ...) as temp macros."""
    con.execute(_MACROS)


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


FREE_TEXT_COLUMNS: tuple[str, ...] = ("description", "country", "skills", "category")
"""Text columns stored as given (cleaned at most), never the cause of a reject."""

CHECKED_FIELDS: tuple[str, ...] = tuple(c for c in TEXT_COLUMNS if c not in FREE_TEXT_COLUMNS)
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


__all__ = [
    "AMOUNT_FIELDS",
    "CHECKED_FIELDS",
    "TEXT_COLUMNS",
    "install_macros",
    "typed_params",
    "typed_sql",
]
