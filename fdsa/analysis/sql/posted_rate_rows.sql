-- posted_rate_rows: hourly postings with a posted range: log of the range's midpoint,
-- niche, experience level asked, client region and the client (the cluster; a
-- posting without a known client is its own).
select ln((hourly_low + hourly_high) / 2) as log_mid,
       niche, experience_level, region,
       coalesce(client_id, -job_id) as cluster_id
from jobs
where job_type = 'hourly' and hourly_low > 0 and hourly_high > 0
  and posted_at >= $since and posted_at < $until
order by job_id
