-- channel_mix: contracts per bucket (tenure or reputation, see channel_contracts)
-- and channel.
select case when $by = 'tenure' then tenure else reputation end as bucket,
       channel,
       count(*) as n_channel
from channel_contracts
group by all
