-- niche_summary: demand and competition per niche in a window.
-- Proposals are counted per job before the join; distinct freelancers per niche
-- come from one bit mask per freelancer (bit k: proposed on a job of niche k of
-- $niches), which is much cheaper than a distinct count per niche.
with j as (
    select job_id, niche, list_position($niches::varchar[], niche) - 1 as k
    from jobs
    where posted_at >= $since and posted_at < $until
      and ($region is null or region = $region)
),
per_job as (
    select job_id, count(*) as n_proposals
    from proposals
    group by job_id
),
demand as (
    select j.niche,
           count(*) as n_jobs,
           sum(coalesce(pj.n_proposals, 0)) as n_proposals,
           var_samp(coalesce(pj.n_proposals, 0)) as var_proposals
    from j
    left join per_job as pj using (job_id)
    group by j.niche
),
masks as (
    select p.freelancer_id, bit_or(1::ubigint << j.k) as mask
    from j
    join proposals as p using (job_id)
    group by p.freelancer_id
),
freelancers as (
    select $niches[k + 1] as niche, count(*) as n_active_freelancers
    from masks, range(0, len($niches)) as r(k)
    where (mask >> k) & 1 = 1
    group by k
)
select d.niche, d.n_jobs, d.n_proposals, d.var_proposals,
       coalesce(f.n_active_freelancers, 0) as n_active_freelancers
from demand as d
left join freelancers as f using (niche)
