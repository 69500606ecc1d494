-- job_openings has no key indexes: at most one row per posting, for a posting of jobs.
select job_id
from job_openings
group by job_id
having count(*) > 1
union all
select o.job_id
from job_openings as o
anti join jobs as j using (job_id)
