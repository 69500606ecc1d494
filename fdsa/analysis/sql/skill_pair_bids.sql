-- skill_pair_bids: for one niche, every pair of skills asked together by a posting in
-- the window, the postings with both and their hourly bids (the mean log bid of each
-- hourly posting's bids, hired or not), plus one row per single skill (skill_b null)
-- and one for all postings with a skill (skill_a and skill_b null). Postings are
-- first grouped by their set of skills, so each set's pairs are formed once and
-- weighted by its postings; bid means are carried as sums and sums of squares in
-- DECIMAL, so the sums are exact and do not depend on thread order.
with job_bids as (
    select p.job_id, sum(ln(p.bid_amount)::decimal(18, 12)) / count(*) as log_bid
    from proposals as p
    join jobs as j using (job_id)
    where j.niche = $niche and j.job_type = 'hourly' and p.bid_amount > 0
      and j.posted_at >= $since and j.posted_at < $until
    group by p.job_id
),
as_posted as (
    select list_sort(list_distinct(j.skills)) as skills, count(*) as n,
           count(b.log_bid) as n_rated,
           sum(b.log_bid::decimal(18, 12)) as s1,
           sum((b.log_bid * b.log_bid)::decimal(18, 12)) as s2
    from jobs as j
    left join job_bids as b using (job_id)
    where j.niche = $niche and j.posted_at >= $since and j.posted_at < $until
      and len(j.skills) > 0
    group by 1
),
members as (
    select null::varchar as skill_a, null::varchar as skill_b, n, n_rated, s1, s2
    from as_posted
    union all
    select unnest(skills), null, n, n_rated, s1, s2
    from as_posted
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
        from as_posted
    )
)
select skill_a, skill_b, sum(n)::bigint as n, sum(n_rated)::bigint as n_rated,
       coalesce(sum(s1), 0)::double as s1, coalesce(sum(s2), 0)::double as s2
from members
group by all
order by skill_a nulls first, skill_b nulls first
