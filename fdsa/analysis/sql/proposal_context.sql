-- proposal_context: every proposal with what the client saw when it arrived.
-- PROPOSALS is filled in by fdsa.analysis._sql: all proposals, or only the hired
-- ones for contract_context. n_reviews and rating are the stored as-of facts
-- (client reviews submitted strictly before the proposal, as a profile page shows
-- them; see proposals.n_reviews_before in docs/data_dictionary.md).
select p.proposal_id, p.job_id, p.freelancer_id, p.submitted_at, p.channel, p.bid_amount,
       p.outcome,
       p.n_reviews_before as n_reviews,
       p.rating_before as rating,
       f.region as freelancer_region,
       f.joined_at,
       f.experience_years_at_join
           + (epoch(p.submitted_at) - epoch(f.joined_at)) / (365.25 * 86400) as experience_years,
       j.niche, j.experience_level, j.job_type, j.duration, j.posted_at, j.client_id,
       j.region as client_region
from {{PROPOSALS}} as p
join profiles as f using (freelancer_id)
join jobs as j using (job_id)
