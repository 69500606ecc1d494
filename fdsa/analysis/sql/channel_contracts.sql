-- channel_contracts: contracts with the freelancer's tenure and reputation when hired.
select cc.contract_id, cc.channel, cc.niche, cc.n_reviews, cc.earnings, cc.started_at,
       cc.posted_at, cc.nth_contract,
       (epoch(cc.started_at) - epoch(cc.joined_at)) / (365.25 * 86400) as tenure_years,
       (epoch(cc.started_at) - epoch(cc.posted_at)) / 86400 as days_to_hire
from contract_context as cc
where ($niche is null or cc.niche = $niche)
  and cc.started_at >= $since and cc.started_at < $until
