-- rate_features: hourly contracts with every driver of the agreed rate, as of the
-- hired proposal (experience, reviews and rating when it was sent).
select c.freelancer_id, c.hourly_rate, j.niche,
       f.region as freelancer_region,
       f.experience_years_at_join
           + (epoch(p.submitted_at) - epoch(f.joined_at)) / (365.25 * 86400) as experience_years,
       p.n_reviews_before as n_reviews, p.rating_before as rating, p.channel,
       j.experience_level, c.is_small_and_wide_after_5,
       (epoch(c.started_at) - epoch(f.joined_at)) / (365.25 * 86400) as tenure_years
from contracts as c
join proposals as p on p.proposal_id = c.proposal_id
join profiles as f on f.freelancer_id = p.freelancer_id
join jobs as j on j.job_id = p.job_id
where c.contract_type = 'hourly'
  and c.hourly_rate > 0
  and c.started_at >= $since and c.started_at < $until
  and ($niche is null or j.niche = $niche)
  and ($region is null or f.region = $region)
order by c.contract_id  -- a fixed row order: the rate fit sums rows in this order
