-- holdings_market: rows of the tables only a platform (or the simulated market) can fill.
select (select count(*) from profiles) as n_profiles,
       (select count(*) from clients) as n_clients,
       (select count(*) from proposals where outcome in ('hired', 'not_hired')) as n_decided_proposals,
       (select count(*) from contracts) as n_contracts,
       (select count(*) from contracts where contract_type = 'hourly') as n_hourly_contracts,
       (select count(*) from reviews where direction = 'client_to_freelancer') as n_client_reviews,
       (select count(*) from rate_history) as n_rate_history,
       (select count(*) from truth) as n_truth
