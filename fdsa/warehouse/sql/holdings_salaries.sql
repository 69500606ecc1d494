-- holdings_salaries: salary snapshots, one per load (ingest run). Within a format the newest
-- snapshot comes first: the one reaching the latest work year, then the larger, then the
-- later loaded.
select s.ingest_run_id,
       r.format,
       r.source as file,
       r.started_at as loaded_at,
       count(*) as n_rows,
       min(s.work_year) as first_year,
       max(s.work_year) as last_year,
       count(*) filter (where s.employment_type = 'FL') as n_freelance
from salary_reports as s
join ingest_runs as r using (ingest_run_id)
group by all
order by r.format, last_year desc, n_rows desc, loaded_at desc, s.ingest_run_id desc
