-- rate_history has no key indexes (ten million rows at scale 20): one row per
-- freelancer and effective_at, for a freelancer of profiles.
select freelancer_id, effective_at
from rate_history
group by all
having count(*) > 1
union all
select r.freelancer_id, r.effective_at
from rate_history as r
anti join profiles as f using (freelancer_id)
