-- niche_pay: posted hourly midpoints (measure 0), real fixed budgets (1) and agreed
-- hourly rates (2), with the niche as its position in $niches (0-based); codes are
-- one byte each (1.4M rows at scale 20). cluster_id is what rows share: the client
-- for posted pay, the freelancer for agreed rates (for cluster-robust intervals); a
-- posting whose client is unknown (real dumps name none) is its own cluster.
select (list_position($niches::varchar[], j.niche) - 1)::utinyint as niche_code,
       0::utinyint as measure,
       (j.hourly_low + j.hourly_high) / 2 as value,
       coalesce(j.client_id, -j.job_id) as cluster_id
from jobs as j
where j.job_type = 'hourly' and j.hourly_low is not null and j.hourly_high is not null
  and j.posted_at >= $since and j.posted_at < $until
  and ($region is null or j.region = $region)
union all
select (list_position($niches::varchar[], j.niche) - 1)::utinyint, 1::utinyint, j.budget,
       coalesce(j.client_id, -j.job_id)
from jobs as j
where j.job_type = 'fixed' and j.budget is not null and not j.is_placeholder_budget
  and j.posted_at >= $since and j.posted_at < $until
  and ($region is null or j.region = $region)
union all
select (list_position($niches::varchar[], j.niche) - 1)::utinyint, 2::utinyint, c.hourly_rate,
       c.freelancer_id
from contracts as c
join jobs as j using (job_id)
where c.contract_type = 'hourly'
  and c.started_at >= $since and c.started_at < $until
  and ($region is null or j.region = $region)
