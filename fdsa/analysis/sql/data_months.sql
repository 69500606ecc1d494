-- data_months: calendar months of [$since, $until) that hold postings, and how much of each
-- the data cover: the days of the month inside [first posting day, last posting day] of the
-- whole warehouse, as a share of the month (a dump starting on the 15th covers half its
-- first month; a month without a single posting covers nothing and is left out).
with span as (
    select min(posted_at)::date as first_day, max(posted_at)::date as last_day from jobs
),
months as (
    select date_trunc('month', posted_at)::date as month, count(*) as n_jobs
    from jobs
    where posted_at >= $since and posted_at < $until
    group by all
),
bounds as (
    select m.month, m.n_jobs,
           greatest(m.month, s.first_day, $since::date) as lo,
           least((m.month + interval 1 month)::date - 1, s.last_day,
                 ($until - interval 1 microsecond)::date) as hi,
           date_diff('day', m.month, (m.month + interval 1 month)::date) as month_days
    from months as m, span as s
)
select month, n_jobs, (date_diff('day', lo, hi) + 1) / month_days as coverage
from bounds
order by month
