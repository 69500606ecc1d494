-- client_reviews: public client-to-freelancer ratings with their time and the
-- client's private verdict where the source has one (optionally of one niche).
select r.stars,
       r.is_privately_dissatisfied,
       year(r.submitted_at) as year,
       (epoch(r.submitted_at) - epoch(timestamptz '2021-01-01 00:00:00+00')) / (365.25 * 86400)
           as years_since_2021
from reviews as r
join contracts as c using (contract_id)
join jobs as j using (job_id)
where r.direction = 'client_to_freelancer'
  and r.submitted_at >= $since and r.submitted_at < $until
  and ($niche is null or j.niche = $niche)
order by r.review_id  -- a fixed row order: the trend fit sums rows in this order
