-- A contract cannot start before its job was posted or before the proposal.
select c.contract_id
from contracts as c
join jobs as j using (job_id)
left join proposals as p using (proposal_id)
where c.started_at < j.posted_at or c.started_at < p.submitted_at
