-- newcomer_going_rate: the going hourly rate of the niche's hourly postings (per posting,
-- the geometric mean of its decided bids; the median over postings) and the median hours
-- billed by the niche's ended hourly contracts and their median hours a week, postings
-- in the window.
with going as (
    select j.job_id, exp(avg(ln(p.bid_amount))) as going_rate_usd
    from proposals as p
    join jobs as j using (job_id)
    where j.job_type = 'hourly' and j.niche = $niche
      and p.outcome in ('hired', 'not_hired') and p.bid_amount > 0
      and j.posted_at >= $since and j.posted_at < $until
    group by j.job_id
),
hours as (
    select c.hours_billed, c.hours_per_week
    from contracts as c
    join jobs as j using (job_id)
    where c.contract_type = 'hourly' and c.ended_at is not null and c.hours_billed > 0
      and j.niche = $niche
      and j.posted_at >= $since and j.posted_at < $until
)
select (select count(*) from going) as n_jobs,
       (select median(going_rate_usd) from going) as going_rate_usd,
       (select count(*) from hours) as n_contracts,
       (select median(hours_billed) from hours) as hours_per_contract,
       (select median(hours_per_week) from hours) as contract_hours_per_week
