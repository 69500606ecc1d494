-- Derived columns equal their recomputation from the base tables (schema views
-- proposal_reputation_asof and contract_career); a null means never derived.
select 'proposal' as kind, p.proposal_id as id
from proposals as p
join proposal_reputation_asof as d using (proposal_id)
where p.n_reviews_before is distinct from d.n_reviews_before
   or (p.rating_before is null) <> (d.rating_before is null)
   or abs(p.rating_before - d.rating_before) > 1e-9
union all
select 'contract', c.contract_id
from contracts as c
join contract_career as d using (contract_id)
where c.nth_contract is distinct from d.nth_contract
   or c.is_small_and_wide_after_5 is distinct from d.is_small_and_wide_after_5
