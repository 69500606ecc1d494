-- choice_sets: the decided proposals (hired or not_hired) of every posting whose
-- client hired exactly one of them, with what the client saw: channel, reviews and
-- rating as of the proposal, the freelancer (and region group), the posting's year
-- and the log bid. These
-- are the choice sets of the conditional logit in fdsa.analysis.reputation (postings
-- by posted_at in the window, so a choice set is never cut). Postings
-- that hired several freelancers (multi-hire) are left out: which of them was picked
-- first is not recorded. A posting with one decided proposal carries no information
-- about the choice and is left out too. With $sample_below < 4294967296 only postings
-- whose hashed job_id falls below it are kept (a deterministic sample of postings).
with decided as (
    select p.job_id, p.proposal_id, p.freelancer_id, p.channel, year(j.posted_at) as year,
           p.outcome = 'hired' as is_hired,
           p.n_reviews_before as n_reviews, p.rating_before as rating,
           ln(p.bid_amount) as log_bid
    from proposals as p
    join jobs as j using (job_id)
    where p.outcome in ('hired', 'not_hired')
      and j.posted_at >= $since and j.posted_at < $until
      and (j.job_id::hugeint * 2654435761) % 4294967296 < $sample_below
      and ($niche is null or j.niche = $niche)
),
chosen_once as (
    select job_id
    from decided
    group by job_id
    having count(*) filter (where is_hired) = 1 and count(*) >= 2
)
select d.job_id, d.freelancer_id, d.year, d.channel, d.is_hired, d.n_reviews, d.rating, d.log_bid,
       list_contains($lower_regions::varchar[], f.region) as is_lower_income
from decided as d
semi join chosen_once using (job_id)
join profiles as f using (freelancer_id)
order by d.job_id, d.proposal_id  -- a fixed row order: the fit sums rows in this order
