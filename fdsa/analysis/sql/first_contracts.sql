-- first_contracts: each freelancer's first contract (if any) and what they brought.
with first as (
    select freelancer_id, min(started_at) as first_started_at
    from contracts
    group by freelancer_id
),
applied as (
    select freelancer_id, count(*) as n_proposals_first_90d
    from proposals as p
    join profiles as f using (freelancer_id)
    where p.submitted_at < f.joined_at + interval 90 day
    group by freelancer_id
)
select f.freelancer_id, f.region, f.operating_mode, f.background, f.primary_niche,
       f.experience_years_at_join, f.capacity_hours_per_week, f.joined_at,
       coalesce(a.n_proposals_first_90d, 0) as n_proposals_first_90d,
       (epoch(fc.first_started_at) - epoch(f.joined_at)) / 86400 as days_to_first_contract,
       (epoch(least(coalesce(f.left_at, $data_end), $data_end)) - epoch(f.joined_at)) / 86400
           as days_observed
from profiles as f
left join first as fc using (freelancer_id)
left join applied as a using (freelancer_id)
where f.joined_at < $data_end - interval 180 day
order by f.freelancer_id  -- a fixed row order: the logit sums rows in this order
