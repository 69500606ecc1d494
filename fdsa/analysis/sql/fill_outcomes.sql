-- fill_outcomes: postings with at least one decided proposal, counted by whether an
-- invited (or referred, or re-invited) freelancer declined and whether anyone was
-- hired.
with per_job as (
    select p.job_id,
           count(*) filter (where p.outcome = 'declined') > 0 as has_declined,
           count(*) filter (where p.outcome = 'hired') > 0 as is_filled,
           count(*) filter (where p.outcome in ('hired', 'not_hired')) as n_decided
    from proposals as p
    join jobs as j using (job_id)
    where j.posted_at >= $since and j.posted_at < $until
      and ($niche is null or j.niche = $niche)
    group by p.job_id
)
select has_declined, is_filled, count(*) as n_jobs
from per_job
where n_decided > 0
group by all
order by all
