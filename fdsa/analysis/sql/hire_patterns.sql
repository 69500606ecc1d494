-- hire_patterns: decided proposals (not withdrawn) collapsed to distinct covariate
-- patterns of the hiring model (channel, lower-income region, reviews and rating as
-- of the proposal), with how many were sent and hired. A binomial model on these
-- rows gives exactly the estimates of a logit on every proposal.
select p.channel,
       list_contains($lower_regions::varchar[], f.region) as is_lower_income,
       p.n_reviews_before as n_reviews,
       p.rating_before as rating,
       count(*) as n,
       count(*) filter (where p.outcome = 'hired') as n_hired
from proposals as p
join profiles as f using (freelancer_id)
where p.outcome <> 'withdrawn'
  and p.submitted_at >= $since and p.submitted_at < $until
  and ($niche is null or p.job_id in (select job_id from jobs where niche = $niche))
group by all
order by all
