-- Proposals have no key indexes (the table is too large for them): each
-- proposal_id is unique and every proposal refers to a job and a freelancer.
select proposal_id
from proposals
group by proposal_id
having count(*) > 1
union all
select p.proposal_id
from proposals as p
left join jobs as j using (job_id)
left join profiles as f using (freelancer_id)
where j.job_id is null or f.freelancer_id is null
