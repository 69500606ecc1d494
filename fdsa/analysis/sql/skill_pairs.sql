-- skill_pairs: for every pair of skills asked together by a posting in the window,
-- the jobs with both and their agreed log hourly rates (mean of the job's hourly
-- contracts, if hired), plus one row per single skill (skill_b null) and one
-- for all jobs with a skill (skill_a and skill_b null).
with job_skills as (
    select j.job_id, unnest(list_distinct(j.skills)) as skill
    from jobs as j
    where j.posted_at >= $since and j.posted_at < $until
      and ($niche is null or j.niche = $niche)
),
job_rates as (
    select job_id, avg(ln(hourly_rate)) as log_rate
    from contracts
    where contract_type = 'hourly'
    group by job_id
),
pairs as (
    select a.skill as skill_a, b.skill as skill_b, a.job_id
    from job_skills as a
    join job_skills as b on a.job_id = b.job_id and a.skill < b.skill
),
skill_jobs as (
    select skill as skill_a, null::varchar as skill_b, job_id from job_skills
    union all
    select null, null, job_id from (select distinct job_id from job_skills)
    union all
    select * from pairs
)
select s.skill_a, s.skill_b,
       count(*) as n,
       count(r.log_rate) as n_rated,
       avg(r.log_rate) as mean_log_rate,
       var_samp(r.log_rate) as var_log_rate
from skill_jobs as s
left join job_rates as r using (job_id)
group by all
order by s.skill_a nulls first, s.skill_b nulls first
