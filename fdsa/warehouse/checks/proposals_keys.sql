-- Proposals have no key indexes (tens of millions of rows): each proposal_id is
-- unique, and every proposal refers to a job and a freelancer.
select proposal_id
from proposals
group by proposal_id
having count(*) > 1
union all
select p.proposal_id
from proposals as p
anti join jobs as j using (job_id)
union all
select p.proposal_id
from proposals as p
anti join profiles as f using (freelancer_id)
