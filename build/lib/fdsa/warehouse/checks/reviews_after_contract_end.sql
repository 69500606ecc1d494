-- Reviews are left once a contract has ended.
select r.review_id
from reviews as r
join contracts as c using (contract_id)
where c.ended_at is null or r.submitted_at < c.ended_at
