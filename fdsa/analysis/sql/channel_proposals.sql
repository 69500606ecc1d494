-- channel_proposals: decided proposals (hired or not_hired) and hires per channel and
-- tenure bucket (years since joining at submission: first year < 1, second year < 2,
-- then third year+), per freelancer (the cluster of the win rates' bootstrap).
with decided as (
    select p.freelancer_id, p.channel, p.outcome,
           (epoch(p.submitted_at) - epoch(f.joined_at)) / (365.25 * 86400) as tenure_years
    from proposals as p
    join profiles as f using (freelancer_id)
    where p.outcome in ('hired', 'not_hired')
      and ($niche is null or p.job_id in (select job_id from jobs where niche = $niche))
      and p.submitted_at >= $since and p.submitted_at < $until
)
select freelancer_id, channel,
       case when tenure_years < 1 then 'first year'
            when tenure_years < 2 then 'second year'
            else 'third year+' end as tenure,
       count(*) as n,
       count(*) filter (where outcome = 'hired') as n_hired
from decided
group by all
