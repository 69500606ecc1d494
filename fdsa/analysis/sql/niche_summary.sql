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
counts as (
    select j.niche,
           count(*)::hugeint as n_jobs,
           sum(coalesce(pj.n_proposals, 0))::hugeint as n_proposals,
           sum(coalesce(pj.n_proposals, 0) * coalesce(pj.n_proposals, 0))::hugeint as n_squares
    from j
    left join per_job as pj using (job_id)
    group by j.niche
),
demand as (
    -- sample variance from exact integer sums: the same digits whatever the thread order
    select niche, n_jobs::bigint as n_jobs, n_proposals::bigint as n_proposals,
           (n_jobs * n_squares - n_proposals * n_proposals)::double
               / nullif(n_jobs * (n_jobs - 1), 0)::double as var_proposals
    from counts
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
