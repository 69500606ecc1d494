-- starter_outcomes: freelancers with at least six contracts, their start-up style
-- (small and wide: three or more of the first five contracts were under a month)
-- and their later hourly rates and earnings.
select cc.freelancer_id,
       any_value(cc.n_small_first5) >= 3 as is_small_and_wide,
       median(cc.hourly_rate) filter (where cc.nth_contract >= 6 and cc.contract_type = 'hourly')
           as later_median_rate,
       count(*) filter (where cc.nth_contract >= 6 and cc.contract_type = 'hourly')
           as n_later_hourly,
       sum(cc.earnings) as total_earnings,
       sum(cc.earnings) filter (where cc.nth_contract <= 5) as first5_earnings
from contract_context as cc
where ($niche is null or cc.niche = $niche)
group by cc.freelancer_id
having max(cc.nth_contract) >= 6
