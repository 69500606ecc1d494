-- newcomer_proposals: decided proposals (hired or not_hired) to postings of the niches
-- in $niches posted in the window, collapsed to distinct patterns of niche, channel,
-- freelancer region, reviews and rating as of the proposal, with how many were hired.
select j.niche, p.channel, f.region,
       p.n_reviews_before as n_reviews,
       round(p.rating_before, 1) as rating,
       count(*) as n,
       count(*) filter (where p.outcome = 'hired') as n_hired
from proposals as p
join jobs as j using (job_id)
join profiles as f using (freelancer_id)
where p.outcome in ('hired', 'not_hired')
  and j.posted_at >= $since and j.posted_at < $until
  and list_contains($niches::varchar[], j.niche)
group by all
order by all
