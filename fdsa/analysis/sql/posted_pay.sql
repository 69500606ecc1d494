-- posted_pay: what clients post, one row per posting and pay measure: the hourly range's low
-- end (measure 0), midpoint (1) and high end (2) of hourly postings, and real fixed budgets
-- (3; placeholders of $5 or less left out), in the window, niche and client region asked.
with j as (
    select hourly_low, hourly_high, budget, job_type, is_placeholder_budget
    from jobs
    where posted_at >= $since and posted_at < $until
      and ($niche is null or niche = $niche)
      and ($region is null or region = $region)
)
select m.measure::utinyint as measure,
       case m.measure when 0 then hourly_low
                      when 1 then (hourly_low + hourly_high) / 2
                      when 2 then hourly_high end as value_usd
from j, (values (0), (1), (2)) as m(measure)
where hourly_low is not null and hourly_high is not null
union all
select 3::utinyint, budget
from j
where budget is not null and not is_placeholder_budget
