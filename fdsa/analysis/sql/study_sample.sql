-- study_sample: what a study of the window reads: postings (by posted_at; of one
-- niche, or all with $niche null), their
-- clients, the proposals on them (all, decided) and the freelancers who sent them,
-- contracts on them and the client reviews of those contracts.
with j as (
    select job_id, client_id, posted_at
    from jobs
    where posted_at >= $since and posted_at < $until
      and ($niche is null or niche = $niche)
),
p as (
    select p.freelancer_id, p.outcome
    from proposals as p
    semi join j using (job_id)
),
c as (
    select c.contract_id
    from contracts as c
    semi join j using (job_id)
)
select 'postings' as measure, count(*)::bigint as n from j
union all
select 'clients', count(distinct client_id)::bigint from j
union all
select 'proposals', count(*)::bigint from p
union all
select 'decided proposals', count(*) filter (where outcome in ('hired', 'not_hired'))::bigint from p
union all
select 'freelancers who proposed', count(distinct freelancer_id)::bigint from p
union all
select 'contracts', count(*)::bigint from c
union all
select 'client reviews', count(*)::bigint
from reviews as r
semi join c using (contract_id)
where r.direction = 'client_to_freelancer'
