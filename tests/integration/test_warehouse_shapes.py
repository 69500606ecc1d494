"""The default batch on every shape of warehouse a user can hold: nothing fails, nothing lies.

Five warehouses: the simulated market; real postings only (a Kaggle-layout CSV dump);
real postings only from a JSON feed; real salaries only; real postings and salaries.
On each, every run of ``reports/runs.yaml`` is published or skipped with its reason,
no published page shows a missing value, warning or traceback, every page says where
its numbers come from, and the headline numbers equal independent SQL.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner
from warehouse_shapes import SHAPES, build

from fdsa.analysis import niches
from fdsa.cli import app
from fdsa.reporting.batch import run_batch
from fdsa.reporting.clean import page_problems, visible_text

# the module fixture runs reports once: one worker runs the module (make test: --dist loadgroup)
pytestmark = pytest.mark.xdist_group("warehouse_shapes")

RUNS = Path(__file__).resolve().parents[2] / "reports" / "runs.yaml"
MARKET = ("channel_strategy",)  # proposals, contracts, reviews only
# research_reputation: its sample table and event study read postings alone
POSTINGS = (
    "market_overview",
    "niche_explorer",
    "rate_advisor",
    "newcomer_plan",
    "research_reputation",
)
PUBLISHED = {
    "simulated": {*POSTINGS, *MARKET, "warehouse_overview"},
    "postings": {*POSTINGS, "warehouse_overview"},
    "feed": {*POSTINGS, "warehouse_overview"},
    "salaries": {"warehouse_overview", "salary_benchmarks"},
    "postings+salaries": {*POSTINGS, "warehouse_overview", "salary_benchmarks"},
}


@pytest.fixture(scope="module")
def shapes(small_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Each shape's warehouse and the results of the default batch on it."""
    out = {}
    for shape in SHAPES:
        root = tmp_path_factory.mktemp(shape.replace("+", "-"))
        warehouse = build(root / "w.duckdb", shape, simulated=small_warehouse, tmp=root)
        results, skipped = run_batch(
            RUNS, warehouse=warehouse, out_dir=root / "reports", workers=2, force=True
        )
        assert not skipped
        out[shape] = (warehouse, root / "reports", results)
    return out


@pytest.mark.parametrize("shape", SHAPES)
def test_every_run_is_published_or_skipped_with_its_reason(shapes, shape):
    _, _, results = shapes[shape]
    failed = {(r.report, r.slug): r.error for r in results if r.status == "failed"}
    assert failed == {}
    published = {r.report for r in results if r.status == "ok"}
    assert published == PUBLISHED[shape]
    for r in results:
        if r.status == "skipped":
            assert r.html is None and r.skipped_reason.startswith("needs ")
            assert "fdsa" in r.skipped_reason  # says which command supplies it


@pytest.mark.parametrize("shape", SHAPES)
def test_published_pages_are_clean_and_say_where_their_numbers_come_from(shapes, shape):
    _, out, results = shapes[shape]
    for r in results:
        if r.status != "ok":
            continue
        page = (out / r.html).read_text(encoding="utf-8")
        assert page_problems(page) == [], r.html
        text = visible_text(page)
        for bad in ("$nan", "NaN", " nan", "inf%", "Traceback", "Warning:", "site-packages"):
            assert bad not in text, (r.html, bad)
        banner = page[page.index('<aside class="fdsa-provenance"') :]
        banner = banner[: banner.index("</aside>")]
        assert page.index("fdsa-provenance") < page.index("<h1>")
        simulated = "Simulated market: not observed data" in banner
        assert simulated == (shape == "simulated"), r.html
        if shape in ("postings", "feed", "postings+salaries") and r.report in POSTINGS:
            assert "Real postings" in banner and not simulated
        if r.report == "salary_benchmarks":
            assert "Real salaries (aijobs.net salary index)" in banner
        assert r.provenance, r.html


def _coverage_months(first: date, last: date, months_with_data: set[date]) -> float:
    """Months of data, computed day by day (independent of fdsa's SQL)."""
    days: dict[date, int] = {}
    day = first
    while day <= last:
        month = day.replace(day=1)
        if month in months_with_data:
            days[month] = days.get(month, 0) + 1
        day += timedelta(days=1)
    total = 0.0
    for month, n in days.items():
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        total += n / (following - month).days
    return total


def _headline(results, report: str, label: str, slug_part: str = "") -> float:
    (run,) = [r for r in results if r.report == report and slug_part in r.slug]
    (value,) = [h["value"] for h in run.headline_numbers if h.get("label") == label]
    return float(value)


@pytest.mark.parametrize("shape", ["simulated", "postings", "feed", "postings+salaries"])
def test_jobs_per_month_is_jobs_over_the_months_the_data_cover(shapes, shape):
    warehouse, _, results = shapes[shape]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        first, last, n = con.execute(
            "select min(posted_at)::date, max(posted_at)::date, count(*) from jobs"
        ).fetchone()
        months = {
            m
            for (m,) in con.execute(
                "select distinct date_trunc('month', posted_at)::date from jobs"
            ).fetchall()
        }
    expected = n / _coverage_months(first, last, months)
    shown = _headline(results, "warehouse_overview", "jobs_per_month")
    assert shown == pytest.approx(expected, abs=0.0051)  # the headline keeps 2 decimals


@pytest.mark.parametrize("shape", ["simulated", "postings", "feed"])
def test_posted_hourly_midpoint_per_niche_matches_sql(shapes, shape):
    warehouse, _, results = shapes[shape]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for niche in ("llm_applications", "finance_fintech", "data_strategy_consulting"):
            (expected,) = con.execute(
                "select median((hourly_low + hourly_high) / 2) from jobs where niche = ? "
                "and hourly_low is not null and hourly_high is not null",
                [niche],
            ).fetchone()
            shown = _headline(
                results,
                "niche_explorer",
                "posted_hourly_mid_median_usd",
                f"niche-{niche.replace('_', '-')}",
            )
            assert shown == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("shape", ["salaries", "postings+salaries"])
def test_salary_medians_per_employment_type_match_sql(shapes, shape):
    warehouse, _, results = shapes[shape]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        expected = dict(
            con.execute(
                "select employment_type, median(salary_in_usd) from salary_reports "
                "group by employment_type"
            ).fetchall()
        )
    names = {"FL": "freelance", "CT": "contract", "PT": "part_time", "FT": "full_time"}
    for code, name in names.items():
        shown = _headline(results, "salary_benchmarks", f"{name}_median_usd", "role-all")
        assert shown == pytest.approx(expected[code], rel=1e-9)


def test_a_second_batch_on_a_postings_warehouse_has_nothing_to_do(shapes):
    warehouse, out, _ = shapes["postings"]
    results, skipped = run_batch(RUNS, warehouse=warehouse, out_dir=out, workers=2)
    assert skipped and results == []
    manifest = json.loads((out / "manifest.json").read_text())["runs"]
    assert {r["status"] for r in manifest} == {"ok", "skipped"}
    index = (out / "index.html").read_text()
    assert re.search(r"16 runs: 11 published, 5 skipped, 0 failed", index)


def test_the_opportunity_ranking_never_puts_the_catch_all_first(shapes):
    warehouse, _, results = shapes["postings"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        scores = niches.opportunity_scores(con)
    assert scores.niche.iloc[-1] == "other" and scores["rank"].iloc[-1] == len(scores)
    named = scores[scores.niche != "other"]
    assert named.score.is_monotonic_decreasing  # the named niches in score order
    # real postings name no client: each posting is its own cluster, so intervals exist
    assert named.score_lo.notna().all() and (named.score_lo < named.score_hi).all()
    shown = _headline(results, "market_overview", "best_niche_jobs_per_month")
    best = named[~named.low_n].iloc[0]  # the best named niche on enough data
    assert shown == pytest.approx(best.jobs_per_month, abs=0.05)


def test_an_opportunity_score_on_few_pay_records_is_a_small_sample(shapes):
    """The ranking's small-sample flag covers every component it scores: a niche with
    enough postings but few hourly ranges (the pay component) is flagged.
    """
    warehouse, _, _ = shapes["postings"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        scores = niches.opportunity_scores(con).set_index("niche")
        summary = niches.niche_summary(con).set_index("niche")
    few_pay = summary[f"{scores.pay_measure.iloc[0]}_n"] < 30
    assert (few_pay & (summary.n_jobs >= 30)).any()  # the case the flag used to miss
    assert scores.low_n[few_pay[few_pay].index].all()
    assert (scores.low_n | (scores.n_jobs >= 30)).all()


def test_warehouse_info_names_what_a_postings_warehouse_lacks(shapes):
    warehouse, _, _ = shapes["postings"]
    outcome = CliRunner().invoke(app, ["warehouse", "info", "--warehouse", str(warehouse)])
    assert outcome.exit_code == 0, outcome.output
    text = " ".join(outcome.output.split())
    assert "channel_strategy: skipped (needs decided proposals" in text
    assert "research_reputation: 2 of 7 sections" in text
    assert "rate_advisor: 1 of 4 sections; left out: The rate band for this profile" in text
    assert "salary_benchmarks: skipped (needs salary survey records)" in text
    assert "fdsa ingest data/raw/aijobs_salaries/salaries.csv --format aijobs-salaries" in text
    assert "fdsa synth" in text  # how to get proposals and contracts (a test bench)
    assert "% with a posted hourly range" in text


def test_the_batch_command_prints_published_skipped_and_failed(shapes, tmp_path):
    warehouse, _, _ = shapes["salaries"]
    copy = tmp_path / "w.duckdb"
    shutil.copyfile(warehouse, copy)
    outcome = CliRunner().invoke(
        app, ["batch", str(RUNS), "-w", str(copy), "-o", str(tmp_path / "r"), "--workers", "2"]
    )
    assert outcome.exit_code == 0, outcome.output
    assert "published 4, skipped 12" in outcome.output and "failed 0" in outcome.output


def test_a_feed_whose_fields_share_one_line_loads_its_budgets(shapes):
    # feed summaries carry "... Budget: $207 Country: United States" on one line
    warehouse, _, _ = shapes["feed"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        read, rejected = con.execute("select rows_read, rows_rejected from ingest_runs").fetchone()
        fixed, with_country, n = con.execute(
            "select count(*) filter (job_type = 'fixed'), count(country), count(*) from jobs"
        ).fetchone()
    assert rejected <= 0.01 * read  # the generator's rare inverted range only
    assert fixed >= 0.4 * n  # about half the postings have a fixed budget
    assert with_country >= 0.8 * n  # 13% of clients leave the country blank


def test_the_rate_model_counts_bids_and_says_so(shapes):
    # the rate model reads every hourly bid; the warehouse has far fewer contracts
    warehouse, out, results = shapes["simulated"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        bids, referral_bids = con.execute(
            "select count(*), count(*) filter (p.channel = 'referral') from proposals as p "
            "join jobs as j using (job_id) where j.job_type = 'hourly' and p.bid_amount > 0"
        ).fetchone()
        (contracts,) = con.execute("select count(*) from contracts").fetchone()
    assert bids > contracts
    pages = {r.report: visible_text((out / r.html).read_text()) for r in results if r.html}
    rate_page = " ".join(pages["rate_advisor"].split())
    assert f"Backed by {bids:,} hourly bids in the model" in rate_page
    assert f"{bids:,} hourly contracts" not in rate_page
    assert "Bids in the model" in rate_page and "Contracts in the model" not in rate_page
    assert "how many bids back it" in rate_page
    market = " ".join(pages["market_overview"].split())
    assert f"n={referral_bids:,} referral bids" in market


def test_an_event_date_outside_the_data_says_which_dates_work(shapes):
    # the default batch asks for 2022-12-01; the postings dump starts in 2023-01
    _, out, results = shapes["postings"]
    (run,) = [r for r in results if r.report == "research_reputation"]
    text = " ".join(visible_text((out / run.html).read_text()).split())
    assert "event date 2022-12-01" in text
    assert "between 2023-02-01 and 2024-04-01" in text
    assert "fdsa report research_reputation -p event_date=" in text


def test_a_salaries_only_overview_says_what_it_holds_and_how_to_add_postings(shapes):
    """No postings: the overview names the salary records and the command that adds
    postings, and gives no share of postings it does not have ("0% of postings").
    """
    _, out, results = shapes["salaries"]
    (run,) = [r for r in results if r.report == "warehouse_overview"]
    text = visible_text((out / run.html).read_text(encoding="utf-8"))
    assert "salary records (aijobs.net salary index) and no job postings" in text
    assert "fdsa ingest FILE --format postings-csv" in text
    assert "% of postings" not in text


@pytest.mark.parametrize("shape", ["simulated", "postings", "feed"])
def test_where_the_clients_are_matches_sql(shapes, shape):
    """The clients section reads real dumps' client countries: its headline share is
    the top region's share of the postings that name a country, by plain SQL.
    """
    warehouse, _, results = shapes[shape]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        counts = con.execute(
            """select region, count(*) from jobs where region <> 'unknown'
               group by region order by count(*) desc"""
        ).fetchall()
    expected = counts[0][1] / sum(n for _, n in counts)
    shown = _headline(results, "market_overview", "top_client_region_share")
    assert shown == pytest.approx(expected, abs=0.0005)
