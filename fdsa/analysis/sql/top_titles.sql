-- top_titles: the job titles posted most often in a window (scraped text, returned as stored).
select title, count(*) as n_jobs, min(niche) as niche, min(posted_at)::date as first_posted_date
from jobs
where posted_at >= $since and posted_at < $until
  and ($niche is null or niche = $niche)
group by title
order by n_jobs desc, title
limit $limit
