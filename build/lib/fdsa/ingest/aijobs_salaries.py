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

import duckdb
import pyarrow as pa

from fdsa.ingest import core

NAME = "aijobs-salaries"
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

_TYPED_SQL = """
create or replace temp table __fdsa_salaries_typed as
with parsed as (
    select s.*,
           try_cast(trim(work_year) as integer) as work_year_v,
           try_cast(replace(trim(salary), ',', '') as double) as salary_v,
           try_cast(replace(trim(salary_in_usd), ',', '') as double) as salary_in_usd_v,
           try_cast(trim(remote_ratio) as double) as remote_ratio_v
    from __fdsa_stg_salaries as s
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
        when salary_v is null then ['salary', 'not a number: ' || fdsa_shown(salary)]
        when salary_v < 0 then ['salary', 'negative amount']
        when not regexp_full_match(coalesce(trim(salary_currency), ''), '[A-Z]{3}') then
            ['salary_currency', 'not an ISO 4217 code: ' || fdsa_shown(salary_currency)]
        when salary_in_usd_v is null then
            ['salary_in_usd', 'not a number: ' || fdsa_shown(salary_in_usd)]
        when salary_in_usd_v < 0 then ['salary_in_usd', 'negative amount']
        when not regexp_full_match(coalesce(trim(employee_residence), ''), '[A-Z]{2}') then
            ['employee_residence', 'not an ISO-2 country code: ' || fdsa_shown(employee_residence)]
        when remote_ratio_v is null or remote_ratio_v not in (0, 50, 100) then
            ['remote_ratio', 'not 0, 50 or 100: ' || fdsa_shown(remote_ratio)]
        when not regexp_full_match(coalesce(trim(company_location), ''), '[A-Z]{2}') then
            ['company_location', 'not an ISO-2 country code: ' || fdsa_shown(company_location)]
        when coalesce(trim(company_size), '') not in ('S', 'M', 'L') then
            ['company_size', 'not one of S, M, L: ' || fdsa_shown(company_size)]
    end as reject
from parsed
"""


def _is_json(path: Path) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"[", b"{")


def check(path: Path) -> None:
    """Refuse a file that is not the salary index (CSV header or JSON keys must match)."""
    what = f"{NAME} (aijobs.net salary index)"
    if _is_json(path):
        items, _ = core.json_items(path)
        for line, _raw, value in items[:1]:
            if not isinstance(value, dict):
                raise core.IngestError(
                    f"{path} line {line}: expected JSON objects with keys " + ", ".join(COLUMNS)
                )
            core.check_columns(path, list(value), COLUMNS, what)
        return
    core.check_columns(path, core.read_header(path), COLUMNS, what)


def _stage_json(con: duckdb.DuckDBPyConnection, path: Path) -> core.StagedRead:
    items, notes = core.json_items(path)
    rejects: list[dict[str, object]] = []
    rows: dict[str, list[object]] = {"ordinal": [], "line": [], **{c: [] for c in COLUMNS}}
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
                            missing and f"missing {', '.join(missing)}",
                            extra and f"unexpected {', '.join(extra)}",
                        ],
                    )
                )
            rejects.append({"line": line, "field": None, "reason": reason, "raw_text": raw})
            continue
        rows["ordinal"].append(ordinal)
        rows["line"].append(line)
        for c in COLUMNS:
            v = value[c]
            rows[c].append(None if v is None else v if isinstance(v, str) else json.dumps(v))
    table = pa.table(
        {
            "ordinal": pa.array(rows["ordinal"], pa.int64()),
            "line": pa.array(rows["line"], pa.int64()),
        }
        | {c: pa.array(rows[c], pa.string()) for c in COLUMNS}
    )
    con.register("__fdsa_json_rows", table)
    con.execute(
        "create or replace temp table __fdsa_stg_salaries as select * from __fdsa_json_rows"
    )
    con.unregister("__fdsa_json_rows")
    return core.StagedRead(rows_read=len(items), rejects=rejects, notes=notes)


def _stage_csv(con: duckdb.DuckDBPyConnection, path: Path, scan: core.FileScan) -> core.StagedRead:
    staged = core.read_csv_staged(con, path, columns=COLUMNS, table="__fdsa_stg_csv", scan=scan)
    con.execute(
        "create or replace temp table __fdsa_stg_salaries as "
        "select line as ordinal, * from __fdsa_stg_csv; drop table __fdsa_stg_csv"
    )
    return staged


def load(
    con: duckdb.DuckDBPyConnection, path: Path, *, run_id: int, scan: core.FileScan, file: str
) -> core.LoadCounts:
    """Load every valid row into ``salary_reports``; refused rows go to ``rejects``."""
    staged = _stage_json(con, path) if _is_json(path) else _stage_csv(con, path, scan)
    core.insert_rejects(con, run_id, file, staged.rejects)
    con.execute("create or replace temp macro fdsa_shown(x) as coalesce(left(x, 80), '(empty)')")
    con.execute(_TYPED_SQL)
    raw_sql = "concat_ws(',', " + ", ".join(f"coalesce({c}, '')" for c in COLUMNS) + ")"
    first_reject = core.next_id(con, "rejects", "reject_id")
    con.execute(
        f"""
        insert into rejects
        select $first + row_number() over (order by ordinal) - 1, $run, $file, line,
               reject[1], reject[2], {raw_sql}
        from __fdsa_salaries_typed where reject is not null
        """,  # noqa: S608 - raw_sql built from COLUMNS
        {"first": first_reject, "run": run_id, "file": file},
    )
    first_id = core.next_id(con, "salary_reports", "salary_report_id")
    con.execute(
        """
        insert into salary_reports
        select $first + row_number() over (order by ordinal) - 1, work_year_v,
               trim(experience_level), trim(employment_type), trim(job_title), salary_v,
               trim(salary_currency), salary_in_usd_v, trim(employee_residence),
               remote_ratio_v::integer, trim(company_location), trim(company_size), $run, line
        from __fdsa_salaries_typed where reject is null
        """,
        {"first": first_id, "run": run_id},
    )
    loaded, rejected, distinct = con.execute(
        f"""
        select count(*) filter (reject is null), count(*) filter (reject is not null),
               (select count(*) from (select distinct {", ".join(COLUMNS)}
                                      from __fdsa_salaries_typed where reject is null))
        from __fdsa_salaries_typed
        """  # noqa: S608 - columns from COLUMNS
    ).fetchall()[0]
    con.execute("drop table __fdsa_salaries_typed; drop table __fdsa_stg_salaries")
    counts = core.LoadCounts(
        read=loaded + rejected + len(staged.rejects),
        loaded=loaded,
        rejected=rejected + len(staged.rejects),
        notes=staged.notes
        + [
            f"{loaded - distinct} loaded rows are exact copies of an earlier row "
            "(kept: the index has no key)"
        ],
    )
    if counts.read != staged.rows_read:
        raise core.IngestError(
            f"{path}: {staged.rows_read} rows read but {counts.read} accounted for; "
            "nothing was published"
        )
    return counts
