-- market_shares: per client (the cluster; a posting without a known client is its
-- own), postings and how many are hourly and were seen again by the scraper, and
-- ended contracts and how many the client reviewed. Postings first seen and
-- contracts ended before $settled only: a later re-scrape or review could fall
-- after the end of the data.
with posts as (
    select coalesce(client_id, -job_id) as cluster_id,
           count(*) as n_jobs,
           count(*) filter (where job_type = 'hourly') as n_hourly,
           count(*) filter (where job_type is not null) as n_typed,
           count(*) filter (where last_seen_at > first_seen_at) as n_rescraped
    from jobs
    where first_seen_at < $settled
    group by all
),
ended as (
    select c.client_id as cluster_id,
           count(*) as n_ended,
           count(r.review_id) as n_reviewed
    from contracts as c
    left join reviews as r
      on r.contract_id = c.contract_id and r.direction = 'client_to_freelancer'
    where c.ended_at is not null and c.ended_at < $settled
    group by all
)
select cluster_id,
       coalesce(p.n_jobs, 0) as n_jobs,
       coalesce(p.n_hourly, 0) as n_hourly,
       coalesce(p.n_typed, 0) as n_typed,
       coalesce(p.n_rescraped, 0) as n_rescraped,
       coalesce(e.n_ended, 0) as n_ended,
       coalesce(e.n_reviewed, 0) as n_reviewed
from posts as p
full join ended as e using (cluster_id)
order by cluster_id
