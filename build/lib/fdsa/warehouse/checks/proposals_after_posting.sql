-- Proposals are submitted after the job is posted, by a freelancer who had joined.
select p.proposal_id
from proposals as p
join jobs as j using (job_id)
join profiles as f using (freelancer_id)
where p.submitted_at < j.posted_at or p.submitted_at < f.joined_at
