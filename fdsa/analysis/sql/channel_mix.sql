-- channel_mix: contracts per tenure bucket, reputation bucket and channel (see
-- channel_contracts) and freelancer (the cluster of the bootstrap);
-- fdsa.analysis.channels sums them over the other bucket.
select tenure, reputation, channel, freelancer_id, count(*) as n_channel
from channel_contracts
group by all
