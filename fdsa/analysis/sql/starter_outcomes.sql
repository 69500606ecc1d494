-- starter_outcomes: freelancers with at least six contracts, their start-up style
-- (small and wide: three or more of the first five contracts were under a month,
-- which the stored flag is_small_and_wide_after_5 records from the sixth on) and
-- their later hourly rates and earnings.
select c.freelancer_id,
       bool_or(c.is_small_and_wide_after_5) as is_small_and_wide,
       median(c.hourly_rate) filter (where c.nth_contract >= 6 and c.contract_type = 'hourly')
           as later_median_rate,
       count(*) filter (where c.nth_contract >= 6 and c.contract_type = 'hourly')
           as n_later_hourly,
       -- DECIMAL sums are exact, so their digits do not depend on thread order
       sum(c.earnings::decimal(18, 6))::double as total_earnings,
       sum(c.earnings::decimal(18, 6)) filter (where c.nth_contract <= 5)::double
           as first5_earnings
from contracts as c
where $niche is null or c.job_id in (select job_id from jobs where niche = $niche)
group by c.freelancer_id
having max(c.nth_contract) >= 6
