-- salary_rows: the salary records of the chosen snapshots ($runs), filtered by the
-- experience level and work year asked (null = all). Fields a survey does not give are null.
select ingest_run_id, dataset, employment_type, experience_level, work_year, job_title,
       employee_residence, employee_region, salary_in_usd
from salary_reports
where list_contains($runs::bigint[], ingest_run_id)
  and ($experience is null or experience_level = $experience)
  and ($year is null or work_year = $year)
order by salary_report_id
