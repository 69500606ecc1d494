-- Reviews have no key indexes: each review_id is unique, a contract has at most one
-- review in each direction, and every review refers to a contract.
select review_id
from reviews
group by review_id
having count(*) > 1
union all
select any_value(review_id)
from reviews
group by contract_id, direction
having count(*) > 1
union all
select r.review_id
from reviews as r
anti join contracts as c using (contract_id)
