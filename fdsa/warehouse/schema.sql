-- fdsa warehouse schema.
--
-- One DuckDB file. Keys are named <entity>_id in every table, their own included,
-- so joins read `using (job_id)`. Timestamps are TIMESTAMPTZ (`_at`), money columns
-- are in the row's `currency`, counts start with `n_`, booleans with `is_`.
-- Double-brace placeholders (e.g. the NICHES list) are filled from fdsa/taxonomy.py, the one place where the
-- controlled vocabularies live.

create table build_info (
    key   varchar primary key,
    value varchar not null
);
comment on table build_info is 'How this warehouse file was built: schema version, fdsa version, source (synthetic or ingest), seed, scale, build time.';
comment on column build_info.key is 'Setting name, e.g. schema_version, seed, scale, built_at.';
comment on column build_info.value is 'Setting value as text.';

create table profiles (
    freelancer_id            bigint primary key,
    joined_at                timestamptz not null,
    left_at                  timestamptz,
    country                  varchar not null,
    region                   varchar not null check (region in {{REGIONS}}),
    background               varchar not null check (background in {{BACKGROUNDS}}),
    operating_mode           varchar not null check (operating_mode in {{OPERATING_MODES}}),
    capacity_hours_per_week  double not null check (capacity_hours_per_week > 0 and capacity_hours_per_week <= 80),
    experience_years_at_join double not null check (experience_years_at_join >= 0 and experience_years_at_join < 60),
    primary_niche            varchar not null check (primary_niche in {{NICHES}}),
    skills                   varchar[] not null,
    title                    varchar not null,
    check (left_at is null or left_at >= joined_at)
);
comment on table profiles is 'One row per freelancer: who they are, how they work and what they offer.';
comment on column profiles.freelancer_id is 'Freelancer key.';
comment on column profiles.joined_at is 'When the freelancer opened their profile.';
comment on column profiles.left_at is 'When the freelancer stopped taking work; null while still active.';
comment on column profiles.country is 'Country of residence, ISO 3166-1 alpha-2.';
comment on column profiles.region is 'World region of the country (fdsa.taxonomy.REGIONS).';
comment on column profiles.background is 'Field of study or former career (fdsa.taxonomy.BACKGROUNDS).';
comment on column profiles.operating_mode is 'How freelancing fits their life: full-time, beside a venture, beside a job, 1099 contracting, or on the way to a salaried role.';
comment on column profiles.capacity_hours_per_week is 'Hours a week the freelancer is willing to bill across all clients.';
comment on column profiles.experience_years_at_join is 'Years of professional experience when the profile was opened.';
comment on column profiles.primary_niche is 'Niche the freelancer mainly works in (fdsa.taxonomy.NICHES).';
comment on column profiles.skills is 'Skill tags on the profile.';
comment on column profiles.title is 'Profile headline. Free text: escape before display.';

create table clients (
    client_id bigint primary key,
    country   varchar not null,
    region    varchar not null check (region in {{REGIONS}}),
    segment   varchar not null check (segment in {{CLIENT_SEGMENTS}}),
    joined_at timestamptz not null
);
comment on table clients is 'One row per client (a buyer posting jobs).';
comment on column clients.client_id is 'Client key.';
comment on column clients.country is 'Client country, ISO 3166-1 alpha-2.';
comment on column clients.region is 'World region of the client country.';
comment on column clients.segment is 'Client size: individual, small_business, mid_market or enterprise.';
comment on column clients.joined_at is 'When the client account was created.';

create table ingest_runs (
    ingest_run_id  bigint primary key,
    source         varchar not null,
    format         varchar not null,
    file_sha256    varchar not null,
    started_at     timestamptz not null,
    finished_at    timestamptz,
    rows_read      bigint not null check (rows_read >= 0),
    rows_loaded    bigint not null check (rows_loaded >= 0),
    rows_rejected  bigint not null check (rows_rejected >= 0),
    rows_duplicate bigint not null check (rows_duplicate >= 0),
    note           varchar,
    check (rows_read = rows_loaded + rows_rejected + rows_duplicate),
    check (finished_at is null or finished_at >= started_at)
);
comment on table ingest_runs is 'One row per load (synthetic build or file import): what came in and where every row went. rows_read = rows_loaded + rows_rejected + rows_duplicate always.';
comment on column ingest_runs.ingest_run_id is 'Load key.';
comment on column ingest_runs.source is 'What was loaded: a file path, or synth:seed=S,scale=X for the synthetic market.';
comment on column ingest_runs.format is 'Input format name (e.g. synthetic, postings-csv, feed-json, aijobs-salaries, mapped).';
comment on column ingest_runs.file_sha256 is 'SHA-256 of the input file (for mapped loads: of the file and its mapping together; of the generator parameters for synthetic builds). A finished run with the same format and hash makes a reload a no-op.';
comment on column ingest_runs.started_at is 'When the load started.';
comment on column ingest_runs.finished_at is 'When the load finished.';
comment on column ingest_runs.rows_read is 'Input rows read.';
comment on column ingest_runs.rows_loaded is 'Rows loaded into warehouse tables.';
comment on column ingest_runs.rows_rejected is 'Rows refused, each with a row in rejects.';
comment on column ingest_runs.rows_duplicate is 'Rows recognised as duplicates of rows already loaded and merged into them.';
comment on column ingest_runs.note is 'Warnings raised during the load (e.g. Latin-1 fallback).';

create table rejects (
    reject_id     bigint primary key,
    ingest_run_id bigint not null references ingest_runs (ingest_run_id),
    file          varchar not null,
    line          bigint not null check (line >= 1),
    field         varchar,
    reason        varchar not null,
    raw_text      varchar
);
comment on table rejects is 'Input rows a load refused, with the reason. Nothing is dropped silently.';
comment on column rejects.reject_id is 'Reject key.';
comment on column rejects.ingest_run_id is 'The load that refused the row.';
comment on column rejects.file is 'Input file the row came from.';
comment on column rejects.line is 'Line number of the row in the file (1 = first line, the header for CSV).';
comment on column rejects.field is 'Field that failed, or null when the whole row is malformed.';
comment on column rejects.reason is 'Why the row was refused.';
comment on column rejects.raw_text is 'The raw row as read. Hostile text: escape before display.';

create table jobs (
    -- No key indexes: checks/jobs_keys.sql holds the keys at every synthetic build,
    -- and every import checks the keys of the postings it adds (fdsa.ingest.reconcile)
    -- before anything is published. Indexes would cost more than the rows they guard.
    job_id                 bigint not null,
    client_id              bigint,
    posted_at              timestamptz not null,
    title                  varchar not null,
    description            varchar using compression zstd,  -- long text: zstd stores it in a third of FSST's bytes
    niche                  varchar not null check (niche in {{NICHES}}),
    skills                 varchar[] not null,
    job_type               varchar check (job_type in {{JOB_TYPES}}),
    hourly_low             double check (hourly_low >= 0),
    hourly_high            double check (hourly_high >= 0),
    budget                 double check (budget >= 0),
    currency               varchar not null default 'USD',
    is_placeholder_budget  boolean not null default false,
    experience_level       varchar check (experience_level in {{EXPERIENCE_LEVELS}}),
    duration               varchar check (duration in {{DURATIONS}}),
    hours_per_week         double check (hours_per_week > 0 and hours_per_week <= 80),
    country                varchar,
    region                 varchar not null check (region in {{REGIONS}}),
    source                 varchar not null,
    source_key             varchar not null,
    first_seen_at          timestamptz not null,
    last_seen_at           timestamptz not null,
    ingest_run_id          bigint not null,
    check (hourly_low is null or hourly_high is null or hourly_low <= hourly_high),
    check (job_type <> 'hourly' or budget is null),
    check (job_type <> 'fixed' or (hourly_low is null and hourly_high is null)),
    check (last_seen_at >= first_seen_at)
);
comment on table jobs is 'One row per job posting. Re-scrapes of the same posting are merged (first_seen_at/last_seen_at). job_id and (source, source_key) are unique, client_id refers to clients and ingest_run_id to ingest_runs (checked by checks/jobs_keys.sql and by every import, not by indexes).';
comment on column jobs.job_id is 'Job key.';
comment on column jobs.client_id is 'Client who posted the job; null when the source does not identify clients.';
comment on column jobs.posted_at is 'When the job was posted.';
comment on column jobs.title is 'Job title. Scraped text: escape before display.';
comment on column jobs.description is 'Job description. Scraped text: escape before display.';
comment on column jobs.niche is 'Niche from fdsa.taxonomy.NICHES (assigned by fdsa.ingest.niches for real data).';
comment on column jobs.skills is 'Skill tags of the posting.';
comment on column jobs.job_type is 'hourly or fixed price; null when the source does not say.';
comment on column jobs.hourly_low is 'Low end of the posted hourly range, in currency per hour (hourly jobs).';
comment on column jobs.hourly_high is 'High end of the posted hourly range, in currency per hour (hourly jobs).';
comment on column jobs.budget is 'Posted fixed-price budget, in currency (fixed jobs).';
comment on column jobs.currency is 'ISO 4217 currency of the posted amounts.';
comment on column jobs.is_placeholder_budget is 'True for placeholder budgets of 5 or less, kept but left out of pay statistics.';
comment on column jobs.experience_level is 'Experience the client asks for: entry, intermediate or expert.';
comment on column jobs.duration is 'Expected project length bucket.';
comment on column jobs.hours_per_week is 'Expected hours per week (hourly jobs).';
comment on column jobs.country is 'Client country as given by the source (ISO alpha-2 where known).';
comment on column jobs.region is 'World region of the client country; unknown when not given.';
comment on column jobs.source is 'Where the posting came from (synthetic, postings-csv, feed-json, mapped).';
comment on column jobs.source_key is 'Identity of the posting in its source (the link for scraped dumps).';
comment on column jobs.first_seen_at is 'First time a scrape saw the posting.';
comment on column jobs.last_seen_at is 'Last time a scrape saw the posting.';
comment on column jobs.ingest_run_id is 'The load that first brought the posting in.';

create table job_openings (
    -- No key indexes: checks/job_openings_keys.sql holds one row per posting of jobs.
    job_id     bigint not null,
    n_openings integer not null check (n_openings >= 1)
);
comment on table job_openings is 'How many freelancers a posting asked for, for postings whose source says (every synthetic posting). A posting with more than one opening is a multi-hire posting; others hire at most one freelancer. One row per posting of jobs (checked by checks/job_openings_keys.sql, not by indexes).';
comment on column job_openings.job_id is 'The posting.';
comment on column job_openings.n_openings is 'Freelancers the client wanted to hire (1 unless posted as multi-hire).';

create table proposals (
    -- No primary or foreign keys: proposals are the largest table by far (tens of
    -- millions of rows), and the indexes behind keys would cost more than the rows.
    -- The check proposals_keys.sql holds the same guarantees at every synthetic build.
    proposal_id   bigint not null,
    job_id        bigint not null,
    freelancer_id bigint not null,
    submitted_at  timestamptz not null,
    channel       varchar not null check (channel in {{CHANNELS}}),
    bid_amount    double check (bid_amount > 0),
    outcome       varchar not null check (outcome in {{OUTCOMES}}),
    n_reviews_before integer check (n_reviews_before >= 0),
    rating_before    double check (rating_before >= 1 and rating_before <= 5),
    check ((outcome = 'declined') = (bid_amount is null))
);
comment on table proposals is 'One row per proposal a freelancer sent, or was invited to send, to a job (declined invitations included). Keys are unique and refer to jobs and profiles (checked by checks/proposals_keys.sql, not by indexes).';
comment on column proposals.proposal_id is 'Proposal key.';
comment on column proposals.job_id is 'Job the proposal is for.';
comment on column proposals.freelancer_id is 'Freelancer who proposed.';
comment on column proposals.submitted_at is 'When the proposal was submitted.';
comment on column proposals.channel is 'How the freelancer reached the job: application, invite, referral or repeat (the client re-invites a past freelancer).';
comment on column proposals.bid_amount is 'Bid in the job currency: hourly rate for hourly jobs, total amount for fixed-price jobs; null for a declined invitation (no bid was made).';
comment on column proposals.outcome is 'hired, not_hired, withdrawn by the freelancer before the decision, or declined (an invited, referred or re-invited freelancer declined to propose). The client chooses among hired and not_hired proposals (the decided ones).';
comment on column proposals.n_reviews_before is 'Derived: client reviews of the freelancer submitted strictly before submitted_at (what the profile showed). Computed at the end of every build by fdsa.warehouse.derive from reviews and contracts; checked by checks/derived_facts_match.sql.';
comment on column proposals.rating_before is 'Derived: mean stars of those reviews rounded half up to two decimals, as a profile shows it (e.g. 4.87); null when n_reviews_before is 0. Computed with n_reviews_before.';

create table contracts (
    -- No key indexes (as proposals): checks/contracts_keys.sql holds the guarantees
    -- of keys set-based at every build, where indexes would double the file.
    contract_id   bigint not null,
    proposal_id   bigint,
    job_id        bigint not null,
    freelancer_id bigint not null,
    client_id     bigint not null,
    channel       varchar not null check (channel in {{CHANNELS}}),
    contract_type varchar not null check (contract_type in {{JOB_TYPES}}),
    started_at    timestamptz not null,
    ended_at      timestamptz,
    hourly_rate   double check (hourly_rate > 0),
    fixed_amount  double check (fixed_amount > 0),
    hours_per_week double check (hours_per_week > 0 and hours_per_week <= 80),
    hours_billed  double not null check (hours_billed >= 0),
    earnings      double not null check (earnings >= 0),
    currency      varchar not null default 'USD',
    nth_contract  integer check (nth_contract >= 1),
    is_small_and_wide_after_5 boolean,
    check (ended_at is null or ended_at > started_at),
    check (contract_type <> 'hourly' or (hourly_rate is not null and fixed_amount is null)),
    check (contract_type <> 'fixed' or (fixed_amount is not null and hourly_rate is null))
);
comment on table contracts is 'One row per hire: who worked for whom, through which channel, at what rate, for how long. contract_id and proposal_id are unique and the keys refer to jobs, profiles and clients (checked by checks/contracts_keys.sql, not by indexes).';
comment on column contracts.contract_id is 'Contract key.';
comment on column contracts.proposal_id is 'The hired proposal (checked by checks/contracts_match_hired_proposals.sql).';
comment on column contracts.job_id is 'Job the contract fills.';
comment on column contracts.freelancer_id is 'Freelancer hired.';
comment on column contracts.client_id is 'Client who hired.';
comment on column contracts.channel is 'Channel of the hired proposal.';
comment on column contracts.contract_type is 'hourly or fixed.';
comment on column contracts.started_at is 'Contract start.';
comment on column contracts.ended_at is 'Contract end; null while running.';
comment on column contracts.hourly_rate is 'Agreed hourly rate in currency (hourly contracts).';
comment on column contracts.fixed_amount is 'Agreed fixed price in currency (fixed contracts).';
comment on column contracts.hours_per_week is 'Average hours a week worked on the contract.';
comment on column contracts.hours_billed is 'Hours billed (worked, for fixed-price contracts).';
comment on column contracts.earnings is 'Amount paid to the freelancer, in currency.';
comment on column contracts.currency is 'ISO 4217 currency of rate, amount and earnings.';
comment on column contracts.nth_contract is 'Derived: place of the contract in the freelancer''s career, 1 = first, in contract_id order (the order contracts were agreed). Computed at the end of every build by fdsa.warehouse.derive.';
comment on column contracts.is_small_and_wide_after_5 is 'Derived: true from the sixth contract on when at least three of the freelancer''s first five contracts were jobs of under a month (the small-and-wide start); false otherwise. Computed with nth_contract.';

create table rate_history (
    -- No primary or foreign key: one row per active freelancer and week is ten
    -- million rows at scale 20, and the indexes behind keys would cost more than the
    -- rows. The check rate_history_keys.sql holds the same guarantees.
    freelancer_id bigint not null,
    effective_at  timestamptz not null,
    hourly_rate   double not null check (hourly_rate > 0),
    currency      varchar not null default 'USD'
);
comment on table rate_history is 'Profile hourly rate as displayed, one row per weekly profile snapshot of an active freelancer. (freelancer_id, effective_at) is unique and refers to profiles (checked by checks/rate_history_keys.sql, not by indexes).';
comment on column rate_history.freelancer_id is 'Freelancer.';
comment on column rate_history.effective_at is 'Snapshot time from which this rate was shown.';
comment on column rate_history.hourly_rate is 'Profile hourly rate in currency.';
comment on column rate_history.currency is 'ISO 4217 currency of the rate.';

create table reviews (
    -- No key indexes: checks/reviews_keys.sql holds the keys, one review per
    -- contract and direction, and the reference to contracts.
    review_id    bigint not null,
    contract_id  bigint not null,
    direction    varchar not null check (direction in {{REVIEW_DIRECTIONS}}),
    stars        double not null check (stars >= 1 and stars <= 5),
    submitted_at timestamptz not null,
    text         varchar,
    is_privately_dissatisfied boolean,
    check (direction = 'client_to_freelancer' or is_privately_dissatisfied is null)
);
comment on table reviews is 'Public feedback left at the end of a contract, in either direction. review_id is unique, (contract_id, direction) is unique and contract_id refers to contracts (checked by checks/reviews_keys.sql, not by indexes).';
comment on column reviews.review_id is 'Review key.';
comment on column reviews.contract_id is 'Contract reviewed.';
comment on column reviews.direction is 'client_to_freelancer or freelancer_to_client.';
comment on column reviews.stars is 'Public rating, 1 to 5, fractional as on the platforms.';
comment on column reviews.submitted_at is 'When the review was submitted (public from then on).';
comment on column reviews.text is 'Review text. Free text: escape before display.';
comment on column reviews.is_privately_dissatisfied is 'Client reviews only: the client''s private feedback to the platform said it was dissatisfied (public stars may still be high). Null when the source has no private feedback, and for reviews of clients.';

create table truth (
    effect      varchar primary key,
    value       double not null,
    unit        varchar not null,
    description varchar not null,
    source      varchar not null
);
comment on table truth is 'Effects planted in the synthetic market, in the units the analyses report, so analyses can be tested against them. Empty for real data.';
comment on column truth.effect is 'Effect name, e.g. rate_log_premium_niche_llm_applications.';
comment on column truth.value is 'Planted value.';
comment on column truth.unit is 'Unit of value, e.g. log-rate premium, log-odds, log share per year.';
comment on column truth.description is 'What the effect means and how an analysis should see it.';
comment on column truth.source is 'Public figure or reasoning the value was calibrated on (see docs/synthetic_market.md).';

create table salary_reports (
    salary_report_id   bigint primary key,
    dataset            varchar not null,
    work_year          integer check (work_year between 1990 and 2100),
    period_start_date  date,
    period_end_date    date,
    experience_level   varchar check (experience_level in ('EN', 'MI', 'SE', 'EX')),
    employment_type    varchar check (employment_type in ('FT', 'PT', 'CT', 'FL')),
    job_title          varchar,
    salary             double check (salary >= 0),
    salary_lo          double check (salary_lo >= 0),
    salary_hi          double check (salary_hi >= salary_lo),
    salary_currency    varchar,
    salary_in_usd      double check (salary_in_usd >= 0),
    employee_residence varchar,
    employee_region    varchar check (employee_region in {{REGIONS}}),
    employee_area      varchar,
    remote_ratio       integer check (remote_ratio in (0, 50, 100)),
    company_location   varchar,
    company_size       varchar check (company_size in ('S', 'M', 'L')),
    ingest_run_id      bigint not null references ingest_runs (ingest_run_id),
    source_line        bigint not null check (source_line >= 1),
    check (salary_lo is not null or salary_in_usd is not null),
    check (salary is null or salary_lo is null or salary >= salary_lo),
    check (salary is null or salary_hi is null or salary <= salary_hi),
    check (period_start_date <= period_end_date),
    check (employee_area is null or employee_residence is null)
);
comment on table salary_reports is 'One row per salary record of a salary survey or index (real data: the aijobs.net salary index, CC0, and surveys loaded with format mapped). Exact duplicates are kept as published: surveys have no key, so identical records may be distinct people. Each load of a snapshot adds its rows: pick one snapshot per dataset with ingest_run_id. Fields a survey does not ask are null.';
comment on column salary_reports.salary_report_id is 'Salary report key (assigned at load, in file order).';
comment on column salary_reports.dataset is 'Which survey or index the row comes from (aijobs.net salary index for format aijobs-salaries; the mapping''s dataset for format mapped). One ingest run loads one snapshot of one dataset.';
comment on column salary_reports.work_year is 'Year the salary was paid; null when the survey does not say (then see period_start_date and period_end_date).';
comment on column salary_reports.period_start_date is 'First day of the period the pay refers to (the survey''s period; 1 January of work_year when the survey gives only a year). Null when unknown.';
comment on column salary_reports.period_end_date is 'Last day of the period the pay refers to (31 December of work_year when the survey gives only a year). Null when unknown.';
comment on column salary_reports.experience_level is 'EN entry, MI mid, SE senior, EX executive or director; null when not asked.';
comment on column salary_reports.employment_type is 'FT full-time, PT part-time, CT contract, FL freelance; null when not asked.';
comment on column salary_reports.job_title is 'Role title as published (not normalised); null when not asked. Free text: escape before display.';
comment on column salary_reports.salary is 'Gross annual pay in salary_currency: the amount given, or the midpoint of a pay band (0 to b for an open lower band such as <$20,000); null for an open top band (>$140,000) unless the mapping says open_top: bound, which takes the bound.';
comment on column salary_reports.salary_lo is 'Low end of the pay band in salary_currency (0 for an open lower band); equal to salary for an exact amount.';
comment on column salary_reports.salary_hi is 'High end of the pay band in salary_currency; equal to salary for an exact amount; null for an open top band.';
comment on column salary_reports.salary_currency is 'ISO 4217 currency of salary (checked against the ISO list); null when unknown.';
comment on column salary_reports.salary_in_usd is 'Gross annual pay in USD: converted by the publisher (aijobs: yearly average exchange rate), or salary itself when salary_currency is USD; null otherwise (fdsa converts no currency).';
comment on column salary_reports.employee_residence is 'Country of residence of the worker, ISO 3166-1 alpha-2 (checked against the ISO list); null when the survey gives only a region or nothing.';
comment on column salary_reports.employee_region is 'Region of the worker (fdsa.taxonomy.REGIONS): of employee_residence when a country is given, else the region the mapping assigns to the survey''s answer; null when unknown.';
comment on column salary_reports.employee_area is 'The survey''s answer when it names a region and no country (e.g. Other Europe), as given; null when a country is given.';
comment on column salary_reports.remote_ratio is 'Share of remote work: 0 (under 20%), 50 (hybrid) or 100 (over 80%); null when not asked.';
comment on column salary_reports.company_location is 'Country of the employer or contracting branch, ISO 3166-1 alpha-2; null when not asked.';
comment on column salary_reports.company_size is 'Employer size: S (under 50), M (50 to 250), L (over 250 employees); null when not asked.';
comment on column salary_reports.ingest_run_id is 'The load that brought the row in.';
comment on column salary_reports.source_line is 'Line of the file where the record starts (1 = first line; the header for CSV; 1 for every record of a one-line JSON array; the row number for Parquet).';


-- Derived facts, recomputed from the base tables. fdsa.warehouse.derive copies them
-- into the derived columns above at the end of every build; the check
-- derived_facts_match compares the stored columns with the same facts (contracts
-- with contract_career; proposals with each review count's span of time, an
-- equality join that names the same rows as proposal_reputation_asof.is_stale).
create view reputation_steps as
with review_steps as (
    select c.freelancer_id, r.submitted_at,
           count(*) as n_new,
           sum(round(r.stars * 10)::bigint) as tenths_new
    from reviews as r
    join contracts as c using (contract_id)
    where r.direction = 'client_to_freelancer'
    group by all
),
running as (
    select freelancer_id, submitted_at,
           (sum(n_new) over so_far)::bigint as n_reviews,
           (sum(tenths_new) over so_far)::bigint as sum_tenths,
           lead(submitted_at) over (partition by freelancer_id order by submitted_at) as next_at
    from review_steps
    window so_far as (partition by freelancer_id order by submitted_at
                      rows between unbounded preceding and current row)
)
select freelancer_id, submitted_at, n_reviews, sum_tenths,
       -- mean stars rounded half up to hundredths, from the exact sum in tenths
       ((20 * sum_tenths + n_reviews) // (2 * n_reviews)) / 100 as rating,
       next_at
from running;
comment on view reputation_steps is 'A freelancer''s client reviews so far at each second one was submitted: their count, the sum of their stars in tenths (exact), their mean as the profile shows it (rounded half up to hundredths), and when the next one came (null for the last). A profile shows these to proposals after submitted_at, up to and including next_at.';

create view proposal_reputation_asof as
with asof_facts as (
    select p.proposal_id,
           coalesce(rr.n_reviews, 0)::integer as n_reviews_before,
           rr.rating as rating_before,
           p.n_reviews_before as stored_n_reviews_before,
           p.rating_before as stored_rating_before
    from proposals as p
    asof left join reputation_steps as rr
        on p.freelancer_id = rr.freelancer_id and p.submitted_at > rr.submitted_at
)
select proposal_id, n_reviews_before, rating_before,
       stored_n_reviews_before is distinct from n_reviews_before
           or (stored_rating_before is null) <> (rating_before is null)
           or coalesce(abs(stored_rating_before - rating_before) > 1e-9, false) as is_stale
from asof_facts;
comment on view proposal_reputation_asof is 'Recomputes proposals.n_reviews_before and rating_before (as-of join of client reviews strictly before each proposal); is_stale when the stored columns differ.';

create view contract_career as
with numbered as (
    select c.contract_id, c.freelancer_id,
           j.duration = 'less_than_1_month' as is_small_job,
           row_number() over (partition by c.freelancer_id order by c.contract_id) as nth_contract
    from contracts as c
    join jobs as j using (job_id)
)
select contract_id,
       nth_contract::integer as nth_contract,
       nth_contract >= 6
           and count(*) filter (where nth_contract <= 5 and is_small_job)
               over (partition by freelancer_id) >= 3 as is_small_and_wide_after_5
from numbered;
comment on view contract_career is 'Recomputes contracts.nth_contract and is_small_and_wide_after_5 from contracts and jobs.';
