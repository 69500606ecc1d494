-- contract_context: every contract with its proposal's context, its place in the
-- freelancer's career (nth_contract, in the order contracts were agreed) and the
-- start-up style read from the first five contracts (small = under one month).
with numbered as (
    select c.*,
           j.duration = 'less_than_1_month' as is_small_job,
           row_number() over (partition by c.freelancer_id order by c.contract_id) as nth_contract
    from contracts as c
    join jobs as j using (job_id)
),
starters as (
    select freelancer_id,
           count(*) filter (where nth_contract <= 5 and is_small_job) as n_small_first5,
           count(*) as n_contracts_total
    from numbered
    group by freelancer_id
)
select n.contract_id, n.contract_type, n.hourly_rate, n.fixed_amount, n.earnings,
       n.hours_billed, n.hours_per_week, n.started_at, n.ended_at, n.is_small_job,
       n.nth_contract, s.n_small_first5, s.n_contracts_total,
       n.nth_contract >= 6 and s.n_small_first5 >= 3 as is_small_and_wide_after_5,
       pc.*
from numbered as n
join starters as s using (freelancer_id)
join hired_context as pc using (proposal_id)
