-- concurrent_load: on snapshot dates, each working freelancer's running contracts.
with snapshots as (
    select unnest(generate_series($since::timestamptz, $until::timestamptz, interval 28 day)) as at
)
select s.at, c.freelancer_id,
       count(distinct c.client_id) as n_clients,
       sum(c.hours_per_week) as hours_per_week
from snapshots as s
join contracts as c
  on c.started_at <= s.at and coalesce(c.ended_at, 'infinity'::timestamptz) > s.at
group by all
