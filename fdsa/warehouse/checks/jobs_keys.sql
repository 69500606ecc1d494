-- jobs has no key indexes: each job_id is unique, a posting's identity
-- (source, source_key) is unique, and the keys refer to clients and ingest_runs.
select job_id
from jobs
group by job_id
having count(*) > 1
union all
select any_value(job_id)
from jobs
group by source, source_key
having count(*) > 1
union all
select j.job_id
from jobs as j
where j.client_id is not null
  and not exists (select 1 from clients as c where c.client_id = j.client_id)
union all
select j.job_id
from jobs as j
anti join ingest_runs as r using (ingest_run_id)
