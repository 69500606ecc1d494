-- niche_pay: posted hourly midpoints, real fixed budgets and agreed hourly rates.
select j.niche, 'posted_hourly_mid' as measure, (j.hourly_low + j.hourly_high) / 2 as value
from jobs as j
where j.job_type = 'hourly' and j.hourly_low is not null and j.hourly_high is not null
  and j.posted_at >= $since and j.posted_at < $until
  and ($region is null or j.region = $region)
union all
select j.niche, 'fixed_budget', j.budget
from jobs as j
where j.job_type = 'fixed' and j.budget is not null and not j.is_placeholder_budget
  and j.posted_at >= $since and j.posted_at < $until
  and ($region is null or j.region = $region)
union all
select j.niche, 'agreed_hourly_rate', c.hourly_rate
from contracts as c
join jobs as j using (job_id)
where c.contract_type = 'hourly'
  and c.started_at >= $since and c.started_at < $until
  and ($region is null or j.region = $region)
