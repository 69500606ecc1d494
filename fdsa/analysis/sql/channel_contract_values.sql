-- channel_contract_values: each contract's channel, earnings and days to hire,
-- optionally in one tenure bucket (see channel_contracts).
select channel, earnings, days_to_hire
from channel_contracts
where $tenure is null or tenure = $tenure
