"""Format ``aijobs-salaries``: the aijobs.net AI/ML/data salary index, CSV or JSON.

Pinned columns (both forms): ``work_year, experience_level, employment_type,
job_title, salary, salary_currency, salary_in_usd, employee_residence, remote_ratio,
company_location, company_size``. In the JSON form every value is a string except
``remote_ratio`` (a number). Rows have no key and exact duplicates are real, so every
valid row is loaded; the note says how many are exact copies of an earlier row.
A reload of the same bytes is recognised by its SHA-256 and changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from fdsa.ingest.csv_read import StagedRead, read_csv_staged
from fdsa.ingest.errors import IngestError
from fdsa.ingest.formats import Format
from fdsa.ingest.json_read import json_items
from fdsa.ingest.runs import LoadCounts, LoadJob, insert_rejects_from, next_id
from fdsa.ingest.scan import FileScan, check_columns, read_header
from fdsa.ingest.temp_tables import (
    JSON_ROWS,
    REGIONS,
    SALARIES_TYPED,
    STG_CSV,
    STG_SALARIES,
    rows_table,
)

NAME = "aijobs-salaries"
DESCRIPTION = "aijobs.net salary index, CSV or JSON (work_year ... company_size) → salary_reports"
COLUMNS: tuple[str, ...] = (
    "work_year",
    "experience_level",
    "employment_type",
    "job_title",
    "salary",
    "salary_currency",
    "salary_in_usd",
    "employee_residence",
    "remote_ratio",
    "company_location",
    "company_size",
)

DATASET = "aijobs.net salary index"
"""``salary_reports.dataset`` of the rows this format loads."""

_TYPED_SQL = rf"""
create or replace temp table {SALARIES_TYPED} as
with parsed as (
    select s.*,
           try_cast(trim(work_year) as integer) as work_year_v,
           try_cast(replace(trim(salary), ',', '') as double) as salary_v,
           try_cast(replace(trim(salary_in_usd), ',', '') as double) as salary_in_usd_v,
           try_cast(trim(remote_ratio) as double) as remote_ratio_v
    from {STG_SALARIES} as s
)
select *,
    case
        when work_year_v is null or work_year_v not between 1990 and 2100 then
            ['work_year', 'not a year: ' || fdsa_shown(work_year)]
        when coalesce(trim(experience_level), '') not in ('EN', 'MI', 'SE', 'EX') then
            ['experience_level', 'not one of EN, MI, SE, EX: ' || fdsa_shown(experience_level)]
        when coalesce(trim(employment_type), '') not in ('FT', 'PT', 'CT', 'FL') then
            ['employment_type', 'not one of FT, PT, CT, FL: ' || fdsa_shown(employment_type)]
        when nullif(trim(job_title), '') is null then ['job_title', 'missing title']
        when regexp_full_match(trim(salary), '[1-9][0-9]{{0,2}}\.[0-9]{{3}}') then
            ['salary', 'ambiguous amount (a dot before three digits: decimal point or '
                       || 'thousands?): ' || fdsa_shown(salary)]
        when salary_v is null then ['salary', 'not a number: ' || fdsa_shown(salary)]
        when salary_v < 0 then ['salary', 'negative amount']
        when not list_contains($currencies, coalesce(trim(salary_currency), '')) then
            ['salary_currency', 'not an ISO 4217 currency code: ' || fdsa_shown(salary_currency)]
        when salary_v not between $salary_min and $salary_max then
            ['salary', 'implausible amount: ' || fdsa_shown(salary)
                       || ' (plausible: ' || $salary_range || ')']
        when trim(salary_currency) = 'USD' and salary_v not between $usd_min and $usd_max then
            ['salary', 'implausible amount: ' || fdsa_shown(salary)
                       || ' (plausible in USD: ' || $usd_range || ')']
        when regexp_full_match(trim(salary_in_usd), '[1-9][0-9]{{0,2}}\.[0-9]{{3}}') then
            ['salary_in_usd', 'ambiguous amount (a dot before three digits: decimal point or '
                              || 'thousands?): ' || fdsa_shown(salary_in_usd)]
        when salary_in_usd_v is null then
            ['salary_in_usd', 'not a number: ' || fdsa_shown(salary_in_usd)]
        when salary_in_usd_v < 0 then ['salary_in_usd', 'negative amount']
        when salary_in_usd_v not between $usd_min and $usd_max then
            ['salary_in_usd', 'implausible amount: ' || fdsa_shown(salary_in_usd)
                              || ' (plausible: ' || $usd_range || ')']
        when not list_contains($countries, coalesce(trim(employee_residence), '')) then
            ['employee_residence',
             'not an ISO 3166-1 alpha-2 country code: ' || fdsa_shown(employee_residence)]
        when remote_ratio_v is null or remote_ratio_v not in (0, 50, 100) then
            ['remote_ratio', 'not 0, 50 or 100: ' || fdsa_shown(remote_ratio)]
        when not list_contains($countries, coalesce(trim(company_location), '')) then
            ['company_location',
             'not an ISO 3166-1 alpha-2 country code: ' || fdsa_shown(company_location)]
        when coalesce(trim(company_size), '') not in ('S', 'M', 'L') then
            ['company_size', 'not one of S, M, L: ' || fdsa_shown(company_size)]
    end as reject
from parsed
"""  # noqa: S608 - fixed names


def _typed_params() -> dict[str, object]:
    """Bound parameters of :data:`_TYPED_SQL`: the ISO lists and the plausible ranges."""
    from fdsa import taxonomy
    from fdsa.ingest.values import PLAUSIBLE, plain_decimal

    params: dict[str, object] = {
        "countries": sorted(taxonomy.ISO_COUNTRY_CODES),
        "currencies": sorted(taxonomy.CURRENCY_CODES),
    }
    for name, key in (("salary", "salary"), ("salary_in_usd", "usd")):
        low, high = PLAUSIBLE[name]
        params |= {f"{key}_min": float(low), f"{key}_max": float(high)}
        params[f"{key}_range"] = f"{plain_decimal(low)} to {plain_decimal(high)}"
    return params


def _is_json(path: Path) -> bool:
    with Path(path).open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"[", b"{")


def check(path: Path) -> None:
    """Refuse a file that is not the salary index (CSV header or JSON keys must match)."""
    what = f"{NAME} (aijobs.net salary index)"
    if _is_json(path):
        items, _ = json_items(path)
        for line, _raw, value in items[:1]:
            if not isinstance(value, dict):
                raise IngestError(
                    f"{path} line {line}: expected JSON objects with keys " + ", ".join(COLUMNS)
                )
            check_columns(path, list(value), COLUMNS, what)
        return
    check_columns(path, read_header(path), COLUMNS, what)


def _stage_json(con: duckdb.DuckDBPyConnection, path: Path) -> StagedRead:
    items, notes = json_items(path)
    rejects: list[dict[str, Any]] = []
    rows: dict[str, list[object]] = {
        "ordinal": [],
        "line": [],
        "raw_text": [],
        **{c: [] for c in COLUMNS},
    }
    for ordinal, (line, raw, value) in enumerate(items, start=1):
        if not isinstance(value, dict) or set(value) != set(COLUMNS):
            reason = "not valid JSON" if value is None else "not an object with the 11 columns"
            if isinstance(value, dict):
                missing = sorted(set(COLUMNS) - set(value))
                extra = sorted(set(value) - set(COLUMNS))
                reason = "; ".join(
                    filter(
                        None,
                        [
                            f"missing {', '.join(missing)}" if missing else None,
                            f"unexpected {', '.join(extra)}" if extra else None,
                        ],
                    )
                )
            rejects.append({"line": line, "field": None, "reason": reason, "raw_text": raw})
            continue
        rows["ordinal"].append(ordinal)
        rows["line"].append(line)
        rows["raw_text"].append(raw)
        for c in COLUMNS:
            v = value[c]
            rows[c].append(None if v is None else v if isinstance(v, str) else json.dumps(v))
    table = pa.table(
        {
            "ordinal": pa.array(rows["ordinal"], pa.int64()),
            "line": pa.array(rows["line"], pa.int64()),
            "raw_text": pa.array(rows["raw_text"], pa.string()),
        }
        | {c: pa.array(rows[c], pa.string()) for c in COLUMNS}
    )
    con.register(JSON_ROWS, table)
    con.execute(f"create or replace temp table {STG_SALARIES} as select * from {JSON_ROWS}")  # noqa: S608
    con.unregister(JSON_ROWS)
    return StagedRead(rows_read=len(items), rejects=rejects, notes=notes)


def _stage_csv(con: duckdb.DuckDBPyConnection, path: Path, scan: FileScan) -> StagedRead:
    staged = read_csv_staged(con, path, columns=COLUMNS, table=STG_CSV, scan=scan)
    con.execute(
        f"create or replace temp table {STG_SALARIES} as "  # noqa: S608 - fixed names
        f"select line as ordinal, null::varchar as raw_text, * from {STG_CSV}; "
        f"drop table {STG_CSV}"
    )
    return staged


def _insert_rows(con: duckdb.DuckDBPyConnection, run_id: int) -> None:
    """Insert the good rows of :data:`SALARIES_TYPED` into ``salary_reports``, in order."""
    from fdsa import taxonomy

    first_id = next_id(con, "salary_reports", "salary_report_id")
    rows_table(
        con,
        REGIONS,
        {
            "code": ("varchar", list(taxonomy.COUNTRY_REGION)),
            "region": ("varchar", list(taxonomy.COUNTRY_REGION.values())),
        },
    )
    con.execute(
        f"""
        insert into salary_reports (
            salary_report_id, dataset, work_year, period_start_date, period_end_date,
            experience_level, employment_type, job_title, salary, salary_lo, salary_hi,
            salary_currency, salary_in_usd, employee_residence, employee_region, remote_ratio,
            company_location, company_size, ingest_run_id, source_line)
        select $first + row_number() over (order by ordinal) - 1, $dataset, work_year_v,
               make_date(work_year_v, 1, 1), make_date(work_year_v, 12, 31),
               trim(experience_level), trim(employment_type), trim(job_title), salary_v,
               salary_v, salary_v, trim(salary_currency), salary_in_usd_v,
               trim(employee_residence),
               coalesce(r.region, 'unknown'), remote_ratio_v::integer, trim(company_location),
               trim(company_size), $run, line
        from {SALARIES_TYPED} as t
        left join {REGIONS} as r on r.code = trim(t.employee_residence)
        where reject is null
        """,  # noqa: S608 - fixed names
        {"first": first_id, "run": run_id, "dataset": DATASET},
    )
    con.execute(f"drop table {REGIONS}")


def load(job: LoadJob) -> LoadCounts:
    """Load every valid row into ``salary_reports``; refused rows go to ``rejects``."""
    con = job.con
    is_json = _is_json(job.path)
    staged = _stage_json(con, job.path) if is_json else _stage_csv(con, job.path, job.scan)
    job.read(staged.rows_read, staged.rejects, staged.notes, raw_text_from_file=not is_json)
    con.execute("create or replace temp macro fdsa_shown(x) as coalesce(left(x, 80), '(empty)')")
    con.execute(_TYPED_SQL, _typed_params())
    insert_rejects_from(con, SALARIES_TYPED, job.run_id, job.file)
    _insert_rows(con, job.run_id)
    loaded, rejected, distinct = con.execute(
        f"""
        select count(*) filter (reject is null), count(*) filter (reject is not null),
               (select count(*) from (select distinct {", ".join(COLUMNS)}
                                      from {SALARIES_TYPED} where reject is null))
        from {SALARIES_TYPED}
        """  # noqa: S608 - columns from COLUMNS
    ).fetchall()[0]
    con.execute(f"drop table {SALARIES_TYPED}; drop table {STG_SALARIES}")
    return LoadCounts(
        read=loaded + rejected,
        loaded=loaded,
        rejected=rejected,
        notes=[
            f"{loaded - distinct} loaded rows are exact copies of an earlier row "
            "(kept: the index has no key)"
        ],
    )


FORMAT = Format(NAME, DESCRIPTION, check, load)
"""The ``aijobs-salaries`` format (:class:`fdsa.ingest.formats.IngestFormat`)."""
