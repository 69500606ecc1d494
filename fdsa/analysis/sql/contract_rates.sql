-- contract_rates: agreed hourly rates of hourly contracts with the freelancer's tenure
-- (years since joining) at the contract start, and the freelancer (the cluster).
select c.hourly_rate, c.freelancer_id,
       (epoch(c.started_at) - epoch(f.joined_at)) / (365.25 * 86400) as tenure_years
from contracts as c
join profiles as f using (freelancer_id)
join jobs as j using (job_id)
where c.contract_type = 'hourly'
  and c.hourly_rate > 0
  and ($niche is null or j.niche = $niche)
  and ($region is null or f.region = $region)
order by c.contract_id
