-- Derived columns equal their recomputation from the base tables (schema views
-- proposal_reputation_asof and contract_career); a null means never derived. The
-- proposal view compares in the same pass (no join back to the largest table).
select 'proposal' as kind, proposal_id as id
from proposal_reputation_asof
where is_stale
union all
select 'contract', c.contract_id
from contracts as c
join contract_career as d using (contract_id)
where c.nth_contract is distinct from d.nth_contract
   or c.is_small_and_wide_after_5 is distinct from d.is_small_and_wide_after_5
