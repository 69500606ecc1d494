-- rehire_offers: for each posting of a client with an ended contract before it, the
-- freelancer of the client's last ended contract (latest ended_at strictly before
-- the posting; ties: the larger contract_id), the client's private verdict on that
-- contract, and whether the posting went to that freelancer as a repeat offer
-- (a proposal through the repeat channel, declined ones included). Only contracts
-- with a private verdict, and freelancers still active when the job was posted.
with ended as (
    select c.contract_id, c.client_id, c.freelancer_id,
           epoch(c.ended_at)::bigint * 16777216 + c.contract_id as end_key
    from contracts as c
    where c.ended_at is not null
),
postings as (
    select job_id, client_id, posted_at, epoch(posted_at)::bigint * 16777216 as post_key
    from jobs
    where client_id is not null
      and posted_at >= $since and posted_at < $until
      and ($niche is null or niche = $niche)
),
last_ended as (
    select p.job_id, p.posted_at, e.contract_id, e.freelancer_id
    from postings as p
    asof join ended as e on p.client_id = e.client_id and p.post_key > e.end_key
),
offers as (
    select distinct job_id, freelancer_id
    from proposals
    where channel = 'repeat'
)
select le.job_id, r.is_privately_dissatisfied as is_dissatisfied,
       o.job_id is not null as is_offered
from last_ended as le
join reviews as r
  on r.contract_id = le.contract_id and r.direction = 'client_to_freelancer'
join profiles as f on f.freelancer_id = le.freelancer_id
left join offers as o on o.job_id = le.job_id and o.freelancer_id = le.freelancer_id
where r.is_privately_dissatisfied is not null
  and f.joined_at <= le.posted_at and (f.left_at is null or f.left_at > le.posted_at)
order by le.job_id
