-- holdings_postings: what the warehouse's job postings carry, per source.
select source,
       count(*) as n_jobs,
       min(posted_at) as first_posted_at,
       max(posted_at) as last_posted_at,
       count(*) filter (where hourly_low is not null and hourly_high is not null) as n_hourly_range,
       count(*) filter (where budget is not null and not is_placeholder_budget) as n_fixed_budget,
       count(*) filter (where is_placeholder_budget) as n_placeholder_budget,
       count(*) filter (where len(skills) > 0) as n_with_skills,
       count(*) filter (where region <> 'unknown') as n_with_client_country
from jobs
group by source
order by n_jobs desc, source
