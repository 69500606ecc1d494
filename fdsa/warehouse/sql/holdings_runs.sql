-- holdings_runs: every load that finished, oldest first.
select ingest_run_id, source, format, started_at, rows_read, rows_loaded, rows_rejected,
       rows_duplicate
from ingest_runs
where finished_at is not null
order by ingest_run_id
