-- channel_proposals: decided proposals per channel, for win rates.
select pc.channel, pc.outcome = 'hired' as is_hired, pc.n_reviews,
       (epoch(pc.submitted_at) - epoch(pc.joined_at)) / (365.25 * 86400) as tenure_years
from proposal_context as pc
where pc.outcome <> 'withdrawn'
  and ($niche is null or pc.niche = $niche)
  and pc.submitted_at >= $since and pc.submitted_at < $until
