-- hire_features: decided proposals (not withdrawn) with the client's view of the
-- freelancer, for the hiring model.
select pc.proposal_id, pc.freelancer_id, pc.channel, pc.n_reviews, pc.rating,
       pc.freelancer_region, pc.niche,
       pc.outcome = 'hired' as is_hired
from proposal_context as pc
where pc.outcome <> 'withdrawn'
  and pc.submitted_at >= $since and pc.submitted_at < $until
  and ($niche is null or pc.niche = $niche)
