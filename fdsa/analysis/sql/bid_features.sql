-- bid_features: hourly bids (every proposal with a bid on an hourly posting, hired or
-- not) with every driver of the bid as of its submission: experience, reviews and
-- rating, channel, the posting's niche and level, whether the freelancer's fifth
-- contract had started with at least three small (under a month) jobs among the first
-- five (small and wide), and whether the client is new to the freelancer (no contract
-- between them started before the proposal). Postings by posted_at in the window;
-- with $sample_below < 4294967296 a deterministic sample of postings.
with careers as (
    select c.freelancer_id,
           min(c.started_at) filter (where c.nth_contract = 5) as fifth_started_at,
           count(*) filter (where c.nth_contract <= 5 and j.duration = 'less_than_1_month')
               as n_small_first5
    from contracts as c
    join jobs as j using (job_id)
    group by c.freelancer_id
),
pairs as (
    select freelancer_id, client_id, min(started_at) as first_started_at
    from contracts
    group by all
)
select p.freelancer_id, p.job_id, p.bid_amount as hourly_rate, j.niche,
       f.region as freelancer_region,
       f.experience_years_at_join
           + (epoch(p.submitted_at) - epoch(f.joined_at)) / (365.25 * 86400) as experience_years,
       p.n_reviews_before as n_reviews, p.rating_before as rating, p.channel,
       j.experience_level,
       coalesce(k.fifth_started_at < p.submitted_at and k.n_small_first5 >= 3, false)
           as is_small_and_wide_after_5,
       pr.first_started_at is null or pr.first_started_at >= p.submitted_at as is_new_client
from proposals as p
join jobs as j using (job_id)
join profiles as f on f.freelancer_id = p.freelancer_id
left join careers as k on k.freelancer_id = p.freelancer_id
left join pairs as pr on pr.freelancer_id = p.freelancer_id and pr.client_id = j.client_id
where j.job_type = 'hourly'
  and p.bid_amount > 0
  and j.posted_at >= $since and j.posted_at < $until
  and (j.job_id::hugeint * 2654435761) % 4294967296 < $sample_below
  and ($niche is null or j.niche = $niche)
  and ($region is null or f.region = $region)
order by p.proposal_id  -- a fixed row order: the rate fit sums rows in this order
