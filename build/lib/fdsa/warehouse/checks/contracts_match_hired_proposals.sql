-- Every contract comes from a hired proposal of the same job and freelancer.
select c.contract_id
from contracts as c
left join proposals as p using (proposal_id)
where c.proposal_id is not null
  and (p.outcome is distinct from 'hired'
       or p.job_id <> c.job_id
       or p.freelancer_id <> c.freelancer_id)
