-- rate_features: hourly contracts with every driver of the agreed rate.
select cc.contract_id, cc.freelancer_id, cc.hourly_rate, cc.niche, cc.freelancer_region,
       cc.experience_years, cc.n_reviews, cc.rating, cc.channel, cc.experience_level,
       cc.is_small_and_wide_after_5, cc.nth_contract, cc.started_at, cc.joined_at
from contract_context as cc
where cc.contract_type = 'hourly'
  and cc.hourly_rate > 0
  and cc.started_at >= $since and cc.started_at < $until
  and ($niche is null or cc.niche = $niche)
  and ($region is null or cc.freelancer_region = $region)
