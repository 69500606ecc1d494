-- job_skills: one row per (job, skill) with the job's agreed hourly rate if hired.
select j.job_id, j.niche, unnest(list_distinct(j.skills)) as skill,
       (select avg(ln(c.hourly_rate)) from contracts as c
        where c.job_id = j.job_id and c.contract_type = 'hourly') as log_rate
from jobs as j
where j.posted_at >= $since and j.posted_at < $until
  and ($niche is null or j.niche = $niche)
