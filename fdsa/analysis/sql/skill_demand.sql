-- skill_demand: for each skill asked by the niche's postings in the window, the postings
-- asking for it (out of all the niche's postings with skills), and the active
-- freelancers listing it on their profile (active: sent a proposal in the window, any
-- niche; none when the warehouse holds no proposals or profiles).
with niche_jobs as (
    select job_id, list_distinct(skills) as skills
    from jobs
    where niche = $niche and posted_at >= $since and posted_at < $until and len(skills) > 0
),
asked as (
    select skill, count(*) as n_jobs_with_skill
    from (select unnest(skills) as skill from niche_jobs)
    group by skill
),
active as (
    select distinct freelancer_id
    from proposals
    where submitted_at >= $since and submitted_at < $until
),
supply as (
    select skill, count(*) as n_freelancers
    from (
        select unnest(list_distinct(f.skills)) as skill
        from profiles as f
        semi join active using (freelancer_id)
    )
    group by skill
)
select a.skill, a.n_jobs_with_skill, (select count(*) from niche_jobs) as n_jobs,
       coalesce(s.n_freelancers, 0) as n_freelancers,
       (select count(*) from active) as n_active
from asked as a
left join supply as s using (skill)
order by a.n_jobs_with_skill desc, a.skill
