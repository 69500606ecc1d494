-- Derived columns equal their recomputation from the base tables; a null means never
-- derived. Contracts are compared with the schema view contract_career. Proposals are
-- checked against the same facts as the view proposal_reputation_asof defines, without
-- its as-of join (a sort of every proposal): each count of client reviews a freelancer
-- had is shown from one review time (exclusive) to the next (inclusive), so a stored
-- (n_reviews_before, rating_before) is right exactly when the step of that count joins
-- (an equality join on freelancer and count) and submitted_at falls in its span.
with shown as (  -- every count of reviews a profile showed, zero included
    select freelancer_id, n_reviews, rating,
           submitted_at as shown_after, next_at as shown_until
    from reputation_steps
    union all
    select f.freelancer_id, 0, null, null, min(s.submitted_at)
    from profiles as f
    left join reputation_steps as s using (freelancer_id)
    group by f.freelancer_id
)
select 'proposal' as kind, p.proposal_id as id
from proposals as p
left join shown as s
    on s.freelancer_id = p.freelancer_id and s.n_reviews = p.n_reviews_before
where s.n_reviews is null
   or s.shown_after >= p.submitted_at
   or s.shown_until < p.submitted_at
   or (p.rating_before is null) <> (s.rating is null)
   or abs(p.rating_before - s.rating) > 1e-9
union all
select 'contract', c.contract_id
from contracts as c
join contract_career as d using (contract_id)
where c.nth_contract is distinct from d.nth_contract
   or c.is_small_and_wide_after_5 is distinct from d.is_small_and_wide_after_5
