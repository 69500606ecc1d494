-- client_postings: every posting of the window, one row each, with its client's region
-- as a position in $regions (0-based; 'unknown' when the posting names no country),
-- the client (a posting whose client is unknown, as in real dumps, is its own client)
-- and the pay it posts: measure 0 the hourly range's midpoint, 1 a fixed budget
-- (placeholders of $5 or less left out), 2 none (value null).
select (list_position($regions::varchar[], j.region) - 1)::utinyint as region_code,
       coalesce(j.client_id, -j.job_id) as cluster_id,
       case
           when j.job_type = 'hourly' and j.hourly_low is not null and j.hourly_high is not null
               then 0
           when j.job_type = 'fixed' and j.budget is not null and not j.is_placeholder_budget
               then 1
           else 2
       end::utinyint as measure,
       case
           when j.job_type = 'hourly' then (j.hourly_low + j.hourly_high) / 2
           when j.job_type = 'fixed' and not j.is_placeholder_budget then j.budget
       end as value
from jobs as j
where j.posted_at >= $since and j.posted_at < $until
  and ($niche is null or j.niche = $niche)
