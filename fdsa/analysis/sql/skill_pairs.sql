-- skill_pairs: for every pair of skills asked together by a posting in the window,
-- the jobs with both and their log hourly rates, plus one row per single skill
-- (skill_b null) and one for all jobs with a skill (skill_a and skill_b null). A
-- job's rate is the mean log agreed rate of its hourly contracts (if hired), or with
-- $bids the mean log bid of its proposals (hourly jobs, hired or not). Jobs are first
-- grouped by their set of skills (a few hundred distinct sets), so each set's pairs
-- are formed once and weighted by its jobs; rates are carried as sums and sums of
-- squares, in DECIMAL so that the sums are exact and do not depend on the order in
-- which threads add them (the same report twice gives the same digits).
with job_rates as (
    select job_id, avg(ln(hourly_rate)::decimal(18, 12)) as log_rate
    from contracts
    where contract_type = 'hourly' and not $bids
    group by job_id
    union all
    select job_id, avg(ln(bid_amount)::decimal(18, 12)) as log_rate
    from proposals
    where $bids and bid_amount > 0
      and job_id in (
          select job_id from jobs
          where job_type = 'hourly' and posted_at >= $since and posted_at < $until
            and ($niche is null or niche = $niche))
    group by job_id
),
as_posted as (
    select j.skills, count(*) as n, count(r.log_rate) as n_rated,
           sum(r.log_rate::decimal(18, 12)) as s1,
           sum((r.log_rate * r.log_rate)::decimal(18, 12)) as s2
    from jobs as j
    left join job_rates as r using (job_id)
    where j.posted_at >= $since and j.posted_at < $until
      and ($niche is null or j.niche = $niche)
    group by j.skills
),
skill_sets as (
    select list_sort(list_distinct(skills)) as skills,
           sum(n) as n, sum(n_rated) as n_rated, sum(s1) as s1, sum(s2) as s2
    from as_posted
    group by 1
),
members as (
    -- jobs without skills count nowhere (a case, not a filter the planner would
    -- push down to the million jobs)
    select null::varchar as skill_a, null::varchar as skill_b,
           case when len(skills) > 0 then n else 0 end as n,
           case when len(skills) > 0 then n_rated else 0 end as n_rated,
           case when len(skills) > 0 then s1 end as s1,
           case when len(skills) > 0 then s2 end as s2
    from skill_sets
    union all
    select unnest(skills), null, n, n_rated, s1, s2
    from skill_sets
    union all
    select pair.a, pair.b, n, n_rated, s1, s2
    from (
        select unnest(flatten(list_transform(
                   range(1, len(skills) + 1),
                   lambda i: list_transform(
                       range(i + 1, len(skills) + 1),
                       lambda k: {'a': skills[i], 'b': skills[k]}
                   )
               ))) as pair, n, n_rated, s1, s2
        from skill_sets
    )
),
totals as (
    select skill_a, skill_b, sum(n)::bigint as n, sum(n_rated)::bigint as n_rated,
           sum(s1)::double as s1, sum(s2)::double as s2
    from members
    group by all
    having sum(n) > 0
)
select skill_a, skill_b, n, n_rated,
       s1 / nullif(n_rated, 0) as mean_log_rate,
       case when n_rated > 1
            then greatest(s2 - s1 * s1 / n_rated, 0) / (n_rated - 1) end as var_log_rate
from totals
order by skill_a nulls first, skill_b nulls first
