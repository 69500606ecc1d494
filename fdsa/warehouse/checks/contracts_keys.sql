-- Contracts have no key indexes: each contract_id and each hired proposal_id is
-- unique, and every contract refers to a job, a freelancer and a client.
select contract_id
from contracts
group by contract_id
having count(*) > 1
union all
select any_value(contract_id)
from contracts
where proposal_id is not null
group by proposal_id
having count(*) > 1
union all
select c.contract_id
from contracts as c
anti join jobs as j using (job_id)
union all
select c.contract_id
from contracts as c
anti join profiles as f using (freelancer_id)
union all
select c.contract_id
from contracts as c
anti join clients as k using (client_id)
