-- proposal_context: every proposal with what the client saw when it arrived.
-- PROPOSALS is filled in by fdsa.analysis._sql: all proposals, or only the hired
-- ones for contract_context (the as-of join then runs on a quarter of the rows).
-- n_reviews and rating count the freelancer's client reviews submitted strictly
-- before the proposal (an as-of join), as a profile page shows them.
with review_steps as (
    select c.freelancer_id, r.submitted_at,
           count(*) as n_new,
           sum(r.stars) as stars_new
    from reviews as r
    join contracts as c using (contract_id)
    where r.direction = 'client_to_freelancer'
    group by all
),
review_running as (
    select freelancer_id, submitted_at,
           sum(n_new) over running as n_reviews,
           sum(stars_new) over running as sum_stars
    from review_steps
    window running as (partition by freelancer_id order by submitted_at
                       rows between unbounded preceding and current row)
)
select p.proposal_id, p.job_id, p.freelancer_id, p.submitted_at, p.channel, p.bid_amount,
       p.outcome,
       coalesce(rr.n_reviews, 0) as n_reviews,
       rr.sum_stars / rr.n_reviews as rating,
       f.region as freelancer_region,
       f.joined_at,
       f.experience_years_at_join
           + (epoch(p.submitted_at) - epoch(f.joined_at)) / (365.25 * 86400) as experience_years,
       j.niche, j.experience_level, j.job_type, j.duration, j.posted_at, j.client_id,
       j.region as client_region
from {{PROPOSALS}} as p
join profiles as f using (freelancer_id)
join jobs as j using (job_id)
asof left join review_running as rr
    on p.freelancer_id = rr.freelancer_id and p.submitted_at > rr.submitted_at
