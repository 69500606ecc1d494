"""The synthetic market: deterministic, sound, calibrated, with its truth planted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fdsa.synth import MarketParams, build_warehouse, truth_rows
from fdsa.warehouse import db

CLI = [sys.executable, "-m", "fdsa.cli"]


def _hashes(path: Path) -> dict[str, str]:
    with db.connect(path) as con:
        return {
            t: db.content_hash(con, t) for t in db.TABLES if t not in ("build_info", "ingest_runs")
        }


def test_same_seed_and_scale_give_identical_contents(small_warehouse, tmp_path):
    again = tmp_path / "again.duckdb"
    build_warehouse(again, scale=0.05, seed=7)
    assert _hashes(again) == _hashes(small_warehouse)


def test_another_seed_gives_another_market(small_warehouse, tmp_path):
    other = tmp_path / "other.duckdb"
    build_warehouse(other, scale=0.05, seed=8)
    a, b = _hashes(small_warehouse), _hashes(other)
    assert a["jobs"] != b["jobs"] and a["proposals"] != b["proposals"]
    assert a["truth"] == b["truth"]


def test_checks_pass_and_every_table_is_filled(small_warehouse):
    with db.connect(small_warehouse) as con:
        assert db.run_checks(con) == dict.fromkeys(db.run_checks(con), 0)
        counts = db.table_counts(con)
        for table in (
            "profiles",
            "clients",
            "jobs",
            "proposals",
            "contracts",
            "reviews",
            "rate_history",
            "truth",
        ):
            assert counts[table] > 0, table
        assert counts["rejects"] == 0
        read, loaded = con.execute(
            "select rows_read, rows_loaded from ingest_runs where format = 'synthetic'"
        ).fetchall()[0]
        data_tables = (
            "profiles",
            "clients",
            "jobs",
            "job_openings",
            "proposals",
            "contracts",
            "reviews",
            "rate_history",
            "truth",
        )
        assert read == loaded == sum(counts[t] for t in data_tables)


def test_truth_holds_every_planted_effect(small_warehouse):
    with db.connect(small_warehouse) as con:
        truth = dict(con.execute("select effect, value from truth").fetchall())
    p = MarketParams()
    assert truth["demand_growth_rel_log_per_year__llm_applications"] > 0.3
    assert truth["demand_growth_rel_log_per_year__scraping_data_collection"] < 0
    assert truth["demand_shock_log_step__nlp"] < 0
    assert truth["hire_logodds_first_review"] == p.hire_logodds_first_review > 0
    assert truth["hire_logodds_region_penalty_at_zero_reviews"] < 0
    assert truth["hire_logodds_region_recovery_per_log1p_review"] > 0
    assert truth["rate_log_premium_channel__referral"] > 0
    assert truth["rate_log_premium_small_and_wide_after_5"] > 0
    assert truth["top_rating_logodds_per_year"] > 0
    assert truth["rate_log_premium_region__south_asia"] < 0
    assert truth["hours_per_week_median"] == 10
    for niche in (
        "finance_fintech",
        "crypto_web3",
        "energy",
        "ocr_document_ai",
        "llm_applications",
        "data_strategy_consulting",
    ):
        assert truth[f"rate_log_premium_niche__{niche}"] >= 0.15
    assert len(truth) == len(truth_rows(p))


def test_null_market_plants_no_niche_effects(tmp_path):
    path = tmp_path / "null.duckdb"
    build_warehouse(path, scale=0.02, seed=1, null_market=True)
    with db.connect(path) as con:
        values = con.execute(
            """select value from truth
               where effect like 'demand_growth_rel%' or effect like 'demand_shock%'
                  or effect like 'rate_log_premium_niche%'"""
        ).fetchall()
        assert values and all(v == 0 for (v,) in values)
        assert db.build_info(con)["null_market"] == "true"


# ---------------------------------------------------------------- calibration


def test_postings_match_the_public_figures(market):
    """CALIBRATION.md: 46.8% hourly, median range $16.50-$40, budget $70, ~3% placeholders."""
    with db.connect(market) as con:
        hourly, low, high, budget, placeholder, us = con.execute(
            """select avg((job_type = 'hourly')::int), median(hourly_low), median(hourly_high),
                      median(budget) filter (where not is_placeholder_budget),
                      avg(is_placeholder_budget::int) filter (where job_type = 'fixed'),
                      avg((country = 'US')::int)
               from jobs"""
        ).fetchall()[0]
    assert hourly == pytest.approx(0.468, abs=0.03)
    assert low == pytest.approx(16.5, abs=2.5)
    assert high == pytest.approx(40, abs=5)
    assert budget == pytest.approx(70, rel=0.25)
    assert placeholder == pytest.approx(0.03, abs=0.015)
    assert us == pytest.approx(0.36, abs=0.08)


def test_ratings_inflate_and_most_contracts_get_reviewed(market):
    with db.connect(market) as con:
        first, last = con.execute(
            """select avg(stars) filter (where year(submitted_at) = 2021),
                      avg(stars) filter (where year(submitted_at) = 2025)
               from reviews where direction = 'client_to_freelancer'"""
        ).fetchall()[0]
        reviewed = con.execute(
            """select avg((r.contract_id is not null)::int)
               from contracts as c
               left join reviews as r
                 on r.contract_id = c.contract_id and r.direction = 'client_to_freelancer'
               where c.ended_at < timestamptz '2025-12-20'"""
        ).fetchall()[0][0]
    assert 4.3 < first < last <= 4.95
    assert reviewed == pytest.approx(0.82, abs=0.05)


def test_workload_two_to_three_clients_at_about_ten_hours(market):
    with db.connect(market) as con:
        median_clients, hours = con.execute(
            """with weeks as (
                   select unnest(generate_series(timestamptz '2023-01-02',
                                                 timestamptz '2025-11-03', interval 4 week)) as at),
               load as (
                   select w.at, c.freelancer_id, count(distinct c.client_id) as n_clients
                   from weeks as w
                   join contracts as c
                     on c.started_at <= w.at and coalesce(c.ended_at, 'infinity') > w.at
                   group by all)
               select (select median(n_clients) from load),
                      (select median(hours_per_week) from contracts
                       where contract_type = 'hourly')"""
        ).fetchall()[0]
    assert 1.5 <= median_clients <= 3
    assert hours == pytest.approx(10, abs=1.5)


def test_applications_dominate_early_and_referrals_grow_with_tenure(market):
    with db.connect(market) as con:
        rows = dict(
            con.execute(
                """with c as (
                       select channel, row_number() over (partition by freelancer_id
                                                          order by started_at) as nth
                       from contracts)
                   select nth <= 3 as early, avg((channel = 'application')::int)
                   from c group by 1"""
            ).fetchall()
        )
    assert rows[True] > 0.6
    assert rows[True] > rows[False]


# ---------------------------------------------------------------- interfaces


def test_cli_synth_prints_a_summary(tmp_path):
    out = tmp_path / "cli.duckdb"
    result = subprocess.run(
        [*CLI, "synth", "--scale", "0.01", "--seed", "3", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "proposals" in result.stdout and "seed 3" in result.stdout
    info = subprocess.run(
        [*CLI, "warehouse", "info", "--warehouse", str(out)], capture_output=True, text=True
    )
    assert info.returncode == 0 and "rate_history" in info.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "-1"], "--scale must be"),
        (["--scale", "nan"], "--scale must be"),
        (["--seed", "-5"], "--seed must be"),
    ],
)
def test_cli_refuses_bad_arguments_without_a_traceback(tmp_path, args, message):
    result = subprocess.run(
        [*CLI, "synth", *args, "--out", str(tmp_path / "x.duckdb")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_cli_refuses_an_unwritable_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = subprocess.run(
        [*CLI, "synth", "--scale", "0.01", "--out", str(blocker / "w.duckdb")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "cannot create folder" in result.stderr and "Traceback" not in result.stderr


def test_warehouse_info_on_a_missing_file_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [*CLI, "warehouse", "info", "--warehouse", str(tmp_path / "none.duckdb")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "no warehouse at" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("tz", ["America/Los_Angeles", "Asia/Kolkata"])
def test_contents_do_not_depend_on_the_time_zone(small_warehouse, tmp_path, tz):
    out = tmp_path / f"{tz.replace('/', '_')}.duckdb"
    code = (
        "from fdsa.synth import build_warehouse\n"
        f"build_warehouse({str(out)!r}, scale=0.05, seed=7)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "TZ": tz})
    assert _hashes(out) == _hashes(small_warehouse)


def test_derived_facts_are_filled_and_a_stale_one_fails_the_check(small_warehouse, tmp_path):
    from fdsa.warehouse.derive import derive, derive_if_missing

    with db.connect(small_warehouse) as con:
        missing = con.execute(
            "select count(*) filter (where n_reviews_before is null),"
            " count(*) filter (where n_reviews_before > 0) from proposals"
        ).fetchall()[0]
        assert missing[0] == 0 and missing[1] > 0
        assert con.execute("select count(*) from contracts where nth_contract is null").fetchall()
    copy = tmp_path / "stale.duckdb"
    copy.write_bytes(small_warehouse.read_bytes())
    with db.connect(copy, read_only=False) as con:
        con.execute(
            "update proposals set n_reviews_before = n_reviews_before + 1 where proposal_id = 1"
        )
        con.execute("update contracts set nth_contract = null where contract_id = 1")
        assert db.run_checks(con)["derived_facts_match"] == 2
        assert derive_if_missing(con)  # the contract without facts
        assert db.run_checks(con)["derived_facts_match"] == 0
        derive(con)  # idempotent
        assert not any(db.run_checks(con).values())


STALE_FACTS = (
    # ways a stored reputation can go wrong; each names the proposals it touches
    "update proposals set n_reviews_before = n_reviews_before + 1 where proposal_id % 97 = 1",
    "update proposals set n_reviews_before = n_reviews_before - 1"
    " where n_reviews_before > 0 and proposal_id % 89 = 2",
    "update proposals set rating_before = rating_before - 0.01"
    " where rating_before > 1.5 and proposal_id % 83 = 3",
    "update proposals set rating_before = null where n_reviews_before > 0 and proposal_id % 79 = 4",
    "update proposals set rating_before = 4.5 where n_reviews_before = 0 and proposal_id % 73 = 5",
    "update proposals set n_reviews_before = null where proposal_id % 71 = 6",
    # a proposal moved in time: its facts are now those of another moment
    "update proposals set submitted_at = submitted_at + interval 120 day"
    " where proposal_id % 67 = 7",
    "update proposals set submitted_at = submitted_at - interval 120 day"
    " where proposal_id % 61 = 8",
    # a proposal moved onto the second of the freelancer's last review before it: that
    # review no longer counts (strictly before)
    """update proposals set submitted_at = moved.at from (
           select p.proposal_id, max(r.submitted_at) as at
           from proposals as p
           join contracts as c on c.freelancer_id = p.freelancer_id
           join reviews as r on r.contract_id = c.contract_id
           where r.direction = 'client_to_freelancer' and r.submitted_at < p.submitted_at
             and p.proposal_id % 59 = 9
           group by p.proposal_id) as moved
       where proposals.proposal_id = moved.proposal_id""",
    # a review moved or re-starred after the facts were derived
    "update reviews set submitted_at = submitted_at - interval 30 day"
    " where direction = 'client_to_freelancer' and review_id % 13 = 0",
    "update reviews set stars = 1.0"
    " where direction = 'client_to_freelancer' and review_id % 17 = 1",
)


def test_derived_facts_check_flags_exactly_the_proposals_the_view_finds_stale(
    small_warehouse, tmp_path
):
    """checks/derived_facts_match.sql verifies proposals without the view's as-of join:
    on every kind of stale fact it names the same proposals as proposal_reputation_asof."""
    copy = tmp_path / "stale.duckdb"
    copy.write_bytes(small_warehouse.read_bytes())
    check = db.read_sql("fdsa.warehouse.checks", "derived_facts_match")
    with db.connect(copy, read_only=False) as con:
        for statement in STALE_FACTS:
            con.execute(statement)
            flagged = {i for kind, i in con.execute(check).fetchall() if kind == "proposal"}
            stale = {
                i
                for (i,) in con.execute(
                    "select proposal_id from proposal_reputation_asof where is_stale"
                ).fetchall()
            }
            assert stale, statement  # the corruption did make facts stale
            assert flagged == stale, statement


def test_memo_is_per_read_only_connection(small_warehouse):
    import duckdb

    from fdsa.analysis import _cache

    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    with db.connect(small_warehouse) as con:
        assert _cache.shared(con, "k", compute) == 1
        assert _cache.shared(con, "k", compute) == 1
        _cache.clear(con)
        assert _cache.shared(con, "k", compute) == 2
    con = duckdb.connect()  # writable: never remembered
    assert _cache.shared(con, "k", compute) == 3
    assert _cache.shared(con, "k", compute) == 4
    con.close()


# ---------------------------------------------------------------- competition and postings


def test_competition_at_real_levels(market):
    """20-50 applicants a job (median), few invites, a few percent won, one hire a job."""
    with db.connect(market) as con:
        median_apps, p10, p90, hundred, invites, referrals = con.execute(
            """with per_job as (
                   select j.job_id,
                          count(p.proposal_id) filter (where p.channel = 'application') as apps,
                          count(p.proposal_id) filter (where p.channel = 'invite') as invites,
                          count(p.proposal_id) filter (where p.channel = 'referral') as refs
                   from jobs as j left join proposals as p using (job_id)
                   group by j.job_id)
               select median(apps), quantile_cont(apps, 0.1), quantile_cont(apps, 0.9),
                      avg((apps >= 100)::int), avg(invites), avg(refs)
               from per_job"""
        ).fetchall()[0]
        win = con.execute(
            """select avg((outcome = 'hired')::int) from proposals
               where channel = 'application' and outcome in ('hired', 'not_hired')"""
        ).fetchall()[0][0]
        single_max, multi_jobs, unfilled = con.execute(
            """with hires as (
                   select j.job_id, o.n_openings, count(c.contract_id) as n
                   from jobs as j
                   join job_openings as o using (job_id)
                   left join contracts as c using (job_id)
                   group by all)
               select max(n) filter (where n_openings = 1),
                      count(*) filter (where n > 1 and n_openings = 1),
                      avg((n = 0)::int)
               from hires"""
        ).fetchall()[0]
    assert 20 <= median_apps <= 50
    assert p10 <= 8 and p90 >= 45  # some postings get a handful, some dozens
    assert 0 < hundred < 0.05
    assert invites < 1.0 and referrals < invites < median_apps / 10
    assert 0.01 < win < 0.05
    assert single_max == 1 and multi_jobs == 0  # several hires only when posted as multi-hire
    assert 0.2 < unfilled < 0.5


def test_postings_are_rescraped_after_they_are_posted(market):
    with db.connect(market) as con:
        rescraped, seen_before_posted = con.execute(
            """select avg((last_seen_at > first_seen_at)::int),
                      count(*) filter (where first_seen_at < posted_at)
               from jobs"""
        ).fetchall()[0]
    assert rescraped == pytest.approx(MarketParams().rescraped_share, abs=0.02)
    assert seen_before_posted == 0


BROKEN_KEYS = {
    # check: statement that breaks one of its rules, and the offending rows it must name
    "contracts_keys": (
        "insert into contracts select * from contracts where contract_id = 1",
        2,  # the repeated contract_id, and its repeated proposal_id
    ),
    "reviews_keys": (
        "update reviews set contract_id = -5 where review_id = 1",
        1,  # a review of no contract
    ),
    "job_openings_keys": (
        "insert into job_openings select * from job_openings where job_id <= 3",
        3,
    ),
    "proposals_keys": (
        "update proposals set freelancer_id = -1 where proposal_id in (1, 2)",
        2,
    ),
}


@pytest.mark.parametrize("check", sorted(BROKEN_KEYS))
def test_keys_are_checked_set_based_and_name_the_rows(small_warehouse, tmp_path, check):
    """Tables without key indexes: a broken key is found by its check, row by row."""
    statement, offending = BROKEN_KEYS[check]
    copy = tmp_path / "broken.duckdb"
    copy.write_bytes(small_warehouse.read_bytes())
    with db.connect(copy, read_only=False) as con:
        con.execute(statement)
        found = {name: n for name, n in db.run_checks(con).items() if n}
    assert found.get(check) == offending


def test_a_repeated_proposal_id_is_named_once(small_warehouse, tmp_path):
    """proposals_keys finds repeated ids by sort order: each repeated id once, however
    often it repeats, wherever its copies are stored.
    """
    copy = tmp_path / "repeated.duckdb"
    copy.write_bytes(small_warehouse.read_bytes())
    with db.connect(copy, read_only=False) as con:
        last = con.execute("select max(proposal_id) from proposals").fetchall()[0][0]
        for repeated in (1, 1, 1, last):
            con.execute(
                "insert into proposals select * from proposals where proposal_id = ?", [repeated]
            )
        rows = con.execute(db.read_sql("fdsa.warehouse.checks", "proposals_keys")).fetchall()
    assert sorted(rows) == [(1,), (last,)]


def test_a_build_that_breaks_a_key_publishes_nothing(small_warehouse, tmp_path, monkeypatch):
    """A simulation bug that repeats a contract fails the build; the old file stays."""
    from fdsa.synth import build as synth_build

    real = synth_build.simulate

    def repeating_a_contract(*args, **kwargs):
        for table, chunk in real(*args, **kwargs):
            yield table, chunk
            if table == "contracts" and chunk.num_rows:
                yield table, chunk.slice(0, 1)

    path = tmp_path / "w.duckdb"
    path.write_bytes(small_warehouse.read_bytes())
    before = _hashes(path)
    monkeypatch.setattr(synth_build, "simulate", repeating_a_contract)
    with pytest.raises(db.WarehouseError, match="contracts_keys"):
        build_warehouse(path, scale=0.02, seed=3)
    assert _hashes(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb", "w.duckdb.lock"]
