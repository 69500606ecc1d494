-- hire_patterns: decided proposals (hired or not_hired: not withdrawn, not declined)
-- collapsed to distinct patterns of channel, lower-income region, reviews and rating
-- as of the proposal, with how many were sent and hired.
select p.channel,
       list_contains($lower_regions::varchar[], f.region) as is_lower_income,
       p.n_reviews_before as n_reviews,
       p.rating_before as rating,
       count(*) as n,
       count(*) filter (where p.outcome = 'hired') as n_hired
from proposals as p
join profiles as f using (freelancer_id)
where p.outcome in ('hired', 'not_hired')
  and p.submitted_at >= $since and p.submitted_at < $until
  and ($niche is null or p.job_id in (select job_id from jobs where niche = $niche))
group by all
order by all
