-- holdings_salaries: salary snapshots, one per load (ingest run) of a dataset. Within a
-- dataset the newest snapshot comes first: the one reaching the latest year (work year, or
-- the end of the survey's period), then the larger, then the later loaded.
select s.ingest_run_id,
       s.dataset,
       r.source as file,
       r.started_at as loaded_at,
       count(*) as n_rows,
       coalesce(min(s.work_year), year(min(s.period_start_date))) as first_year,
       coalesce(max(s.work_year), year(max(s.period_end_date))) as last_year,
       count(*) filter (where s.employment_type = 'FL') as n_freelance
from salary_reports as s
join ingest_runs as r using (ingest_run_id)
group by all
order by s.dataset, last_year desc nulls last, n_rows desc, loaded_at desc, s.ingest_run_id desc
