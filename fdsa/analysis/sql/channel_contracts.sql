-- channel_contracts: contracts with the freelancer's tenure and reputation when hired.
-- The buckets follow fdsa.analysis.channels: tenure in years since joining at the
-- contract start (first year < 1, second year < 2, third year+), reputation in
-- client reviews on the profile when the proposal was sent (0, 1-4, 5-19, 20+).
with hired as (
    select c.contract_id, p.freelancer_id, c.channel, c.earnings, c.started_at, c.nth_contract,
           p.n_reviews_before as n_reviews,
           (epoch(c.started_at) - epoch(f.joined_at)) / (365.25 * 86400) as tenure_years,
           (epoch(c.started_at) - epoch(j.posted_at)) / 86400 as days_to_hire
    from contracts as c
    join proposals as p on p.proposal_id = c.proposal_id
    join profiles as f on f.freelancer_id = p.freelancer_id
    join jobs as j on j.job_id = p.job_id
    where ($niche is null or j.niche = $niche)
      and c.started_at >= $since and c.started_at < $until
)
select *,
       case when tenure_years < 1 then 'first year'
            when tenure_years < 2 then 'second year'
            else 'third year+' end as tenure,
       case when n_reviews <= 0 then '0 reviews'
            when n_reviews <= 4 then '1-4 reviews'
            when n_reviews <= 19 then '5-19 reviews'
            else '20+ reviews' end as reputation
from hired
