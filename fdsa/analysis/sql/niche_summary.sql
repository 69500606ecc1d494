-- niche_summary: demand and competition per niche in a window.
with j as (
    select job_id, niche
    from jobs
    where posted_at >= $since and posted_at < $until
      and ($region is null or region = $region)
),
per_job as (
    select j.niche, j.job_id, count(p.proposal_id) as n_proposals
    from j
    left join proposals as p using (job_id)
    group by all
),
freelancers as (
    select j.niche, count(distinct p.freelancer_id) as n_active_freelancers
    from j
    join proposals as p using (job_id)
    group by j.niche
)
select niche,
       count(*) as n_jobs,
       sum(n_proposals) as n_proposals,
       var_samp(n_proposals) as var_proposals,
       coalesce(any_value(f.n_active_freelancers), 0) as n_active_freelancers
from per_job
left join freelancers as f using (niche)
group by niche
