-- contract_context: every contract with its proposal's context and its place in the
-- freelancer's career (stored: nth_contract in the order contracts were agreed, and
-- the small-and-wide start flag from the sixth contract on).
select c.contract_id, c.contract_type, c.hourly_rate, c.fixed_amount, c.earnings,
       c.hours_billed, c.hours_per_week, c.started_at, c.ended_at,
       c.nth_contract, c.is_small_and_wide_after_5,
       pc.*
from contracts as c
join hired_context as pc using (proposal_id)
