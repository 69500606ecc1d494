-- concurrent_load: on snapshot dates ($since + 28 days × i, up to $until), each
-- working freelancer's number of distinct clients and weekly hours under contract
-- (with the freelancer, the cluster of the rows).
-- A contract runs on snapshot i when started_at <= snapshot < coalesce(ended_at, ∞),
-- i.e. on snapshots first .. last - 1, computed from its dates by integer
-- division (no join of contracts to snapshots).
with grid as (
    select epoch_us($since::timestamptz) as t0,
           86400000000 * 28 as step,
           case when $until::timestamptz >= $since::timestamptz
                then (epoch_us($until::timestamptz) - epoch_us($since::timestamptz))
                     // (86400000000 * 28) + 1
                else 0 end as n_snapshots
),
spans as (
    select c.freelancer_id, c.client_id, c.hours_per_week,
           greatest(0, (epoch_us(c.started_at) - g.t0 + g.step - 1) // g.step) as first,
           case when c.ended_at is null then g.n_snapshots
                else least(g.n_snapshots,
                           greatest(0, (epoch_us(c.ended_at) - g.t0 + g.step - 1) // g.step))
           end as last
    from contracts as c, grid as g
    where c.started_at <= $until::timestamptz
      and (c.ended_at is null or c.ended_at > $since::timestamptz)
),
running as (
    select unnest(range(first, last)) as i, freelancer_id, client_id, hours_per_week
    from spans
),
per_client as (
    select i, freelancer_id, client_id,
           sum(hours_per_week::decimal(18, 6))::double as hours_per_week  -- exact, any order
    from running
    group by all
)
select freelancer_id, count(*) as n_clients,
       sum(hours_per_week::decimal(18, 6))::double as hours_per_week
from per_client
group by i, freelancer_id
order by i, freelancer_id
