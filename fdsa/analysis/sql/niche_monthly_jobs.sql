-- niche_monthly_jobs: postings per niche and calendar month (zero-filled).
with months as (
    select unnest(generate_series(date_trunc('month', $since::timestamptz),
                                  date_trunc('month', $until::timestamptz - interval 1 second),
                                  interval 1 month)) as month
),
niches as (select unnest($niches::varchar[]) as niche),
counts as (
    select niche, date_trunc('month', posted_at) as month, count(*) as n_jobs
    from jobs
    where posted_at >= $since and posted_at < $until
      and ($region is null or region = $region)
    group by all
)
select n.niche, m.month, coalesce(c.n_jobs, 0) as n_jobs
from niches as n
cross join months as m
left join counts as c using (niche, month)
order by n.niche, m.month
