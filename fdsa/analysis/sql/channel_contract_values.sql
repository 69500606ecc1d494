-- channel_contract_values: each contract's channel (as its position in $channels,
-- 0-based, one byte), earnings and days to hire, optionally in one tenure bucket
-- (see channel_contracts), with the freelancer (the cluster).
select (list_position($channels::varchar[], channel) - 1)::utinyint as channel_code,
       earnings, days_to_hire, freelancer_id
from channel_contracts
where $tenure is null or tenure = $tenure
