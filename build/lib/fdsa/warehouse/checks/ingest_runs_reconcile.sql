-- Every finished load accounts for every row it read.
select ingest_run_id
from ingest_runs
where finished_at is not null
  and rows_read <> rows_loaded + rows_rejected + rows_duplicate
