"""Write the report notebooks (run from the checkout root: .venv/bin/python tools/write_notebooks.py .).

The notebooks in notebooks/ are generated from this file and committed without outputs;
edit here, regenerate, and run tests/unit/test_notebooks_clean.py.
"""

import hashlib
import sys
from pathlib import Path

import nbformat

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else ".")


def cells_of(spec):
    cells = []
    for kind, text in spec:
        text = text.strip("\n")
        if kind == "md":
            cell = nbformat.v4.new_markdown_cell(text)
        else:
            cell = nbformat.v4.new_code_cell(text)
            if kind == "params":
                cell.metadata["tags"] = ["parameters"]
        cells.append(cell)
    return cells


def write(name, spec):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "fdsa (.venv)", "language": "python", "name": "fdsa"},
        "language_info": {"name": "python"},
    }
    nb.cells = cells_of(spec)
    for i, cell in enumerate(nb.cells):
        cell.id = hashlib.sha1(f"{name}-{i}".encode()).hexdigest()[:8]
    path = ROOT / "notebooks" / f"{name}.ipynb"
    nbformat.write(nb, path)
    print("wrote", path)


WAREHOUSE = (
    'warehouse: "Optional[str]" = None  # None: $FDSA_WAREHOUSE, else the project\'s '
    "data/warehouse/fdsa.duckdb (read-only)"
)
SINCE = 'since: "Optional[str]" = None  # ISO date; None: from the first posting'
UNTIL = 'until: "Optional[str]" = None  # ISO date, exclusive; None: through the last posting'
write(
    "market_overview",
    [
        (
            "md",
            """
# Market overview

The whole freelance data-science market: which niches offer the most, what they pay, which
grow, where clients come from and how ratings drift. Every figure carries its sample size and a
95% interval; a section the warehouse cannot serve says what it needs instead.
""",
        ),
        ("params", f"{WAREHOUSE}\n{SINCE}\n{UNTIL}"),
        (
            "code",
            """
from fdsa.analysis import channels, niches, open_warehouse, pricing, reputation
from fdsa.reporting import (Page, charts, count, headline, interval, labels, number, pct, show_figure,
                            show_table, usd, words)

con = open_warehouse(warehouse)
page = Page(con, "market_overview")
window = page.window(since, until)
""",
        ),
        (
            "md",
            """
## Niches ranked by opportunity

Score = weighted mean of the components this warehouse can measure, each a log ratio to the
typical (median) niche, so a 10% gap moves a component by about 0.1: demand (jobs a month), low
competition (proposals per job, when proposals exist), pay (agreed hourly rates when there are
contracts, else posted hourly midpoints) and growth (log points a year against the typical niche,
with 12 or more months of data). Weights are a quarter each over the components measured (the
page states them under the headline). 0 is the typical niche; +0.1 is about 10% better on average.
Niches marked "small sample" have too few postings, pay records or months of trend to rank on; "Other niches" (postings no niche rule recognises)
is shown last, as it is no niche one can choose.
""",
        ),
        (
            "code",
            """
if page.section("ranking"):
    scores = niches.opportunity_scores(con, since=since, until=until)
    demand = niches.niche_summary(con, since=since, until=until).set_index("niche")
    ranked = scores[~scores.low_n & scores.score.notna() & scores.niche.ne("other")]
    best = (ranked if len(ranked) else scores).iloc[0]
    best_name = labels.name("niche", best.niche)
    headline(f"Best opportunity on {best.components}: {best_name}, {number(best.jobs_per_month, digits=0)} "
             f"jobs a month at a median {usd(best.pay_median_usd, per='h')} "
             f"({labels.name('pay_measure', best.pay_measure).lower()}; {count(best.n_jobs)} jobs, {window}).",
             value=round(float(best.jobs_per_month), 1), label="best_niche_jobs_per_month",
             lo=demand.jobs_per_month_lo.get(best.niche), hi=demand.jobs_per_month_hi.get(best.niche))
    runners_up = [labels.name("niche", n) for n in ranked.niche.iloc[1:3]]
    page.means(f"Of {len(ranked)} niches with enough data to rank, {best_name} offers the most on "
               f"{best.components}; {words.join(runners_up)} follow. Weights: {best.weights}.")
    fig = charts.bars(scores, category="niche", kind="niche", value="score", lo="score_lo", hi="score_hi",
                      fmt="number", sort=False, value_title="Opportunity score (log ratio to the typical niche; 0 = typical)",
                      colour_by="growth_status", colour_kind="growth_status")
    show_figure(fig)
    shown = labels.with_pct(scores, "growth_rel", "growth_pct_a_year")
    show_table(shown, "opportunity_scores",
               show=["rank", "niche", "score", "score_lo", "score_hi", "jobs_per_month",
                     "proposals_per_job", "pay_median_usd", "pay_measure", "growth_pct_a_year", "growth_status",
                     "n_jobs", "low_n"])
""",
        ),
        (
            "md",
            """
## Pay by niche

Posted pay is what clients ask for in a posting (the midpoint of the hourly range they post);
agreed pay is the rate of hourly contracts. The two are never mixed. Medians with
cluster-robust 95% intervals (Woodruff; by client for posted pay, by freelancer for agreed rates).
""",
        ),
        (
            "code",
            """
if page.section("pay"):
    pay = niches.pay_by_niche(con, since=since, until=until)
    posted = pricing.posted_pay(con, since=since, until=until).set_index("measure")
    mid, budget = posted.loc["posted_hourly_mid"], posted.loc["fixed_budget"]
    headline(f"Clients post hourly ranges with a median midpoint of {usd(mid.median_usd, per='h')} "
             f"({interval(mid.median_usd_lo, mid.median_usd_hi)}, n={count(mid.n)} hourly postings) "
             f"and fixed budgets with a median of {usd(budget.median_usd)} (n={count(budget.n)}).",
             value=float(mid.median_usd) if mid.n else None, label="posted_hourly_mid_median_usd",
             lo=mid.median_usd_lo, hi=mid.median_usd_hi)
    hourly = pay[(pay.measure != "fixed_budget") & (pay.niche != "all")]
    top_posted = hourly[hourly.measure == "posted_hourly_mid"].sort_values("median_usd").tail(1)
    if len(top_posted):
        page.means(f"{labels.name('niche', top_posted.niche.iloc[0])} clients post the highest hourly "
                   f"ranges (median midpoint {usd(top_posted.median_usd.iloc[0], per='h')}).")
    fig = charts.bars(hourly, category="niche", kind="niche", value="median_usd", lo="median_usd_lo",
                      hi="median_usd_hi", n="n", fmt="usd", colour_by="measure", colour_kind="pay_measure",
                      value_title="Median hourly pay (USD/h)")
    show_figure(fig)
    show_table(pay, "pay_by_niche", headers={"n": "Postings or contracts (n)"})
""",
        ),
        (
            "md",
            """
## Growth over the last three years

Trend of each niche's postings over the last three years of data (all of it when shorter)
relative to the typical niche (Poisson, months weighted by how much of them the data cover), with
Benjamini–Hochberg control across niches, in percent a year.
""",
        ),
        (
            "code",
            """
if page.section("growth"):
    growth = labels.with_pct(niches.niche_growth(con, until=until), "growth_rel", "growth_pct_a_year",
                             lo="lo", hi="hi")
    emerging = growth[growth.status == "emerging"].niche.tolist()
    declining = growth[growth.status == "declining"].niche.tolist()
    headline(f"Emerging niches (false discovery rate 5%): "
             f"{words.join([labels.name('niche', n) for n in emerging])}.",
             value=len(emerging), label="n_emerging_niches")
    fastest = growth.sort_values("growth_pct_a_year").iloc[-1]
    page.means(f"{labels.name('niche', fastest.niche)} grows fastest against the typical niche: "
               f"{words.compare(fastest.growth_pct_a_year, fastest.growth_pct_a_year_lo, fastest.growth_pct_a_year_hi, baseline='the typical niche', more='a year faster than', less='a year slower than')}"
               + ("" if fastest.status == "emerging" else
                  f" (not emerging once all {len(growth)} niches are tested together)")
               + f"; declining: {words.join([labels.name('niche', n) for n in declining])}.")
    fig = charts.forest(growth.assign(name=growth.niche.map(lambda n: labels.name("niche", n))),
                        label="name", estimate="growth_pct_a_year", lo="growth_pct_a_year_lo",
                        hi="growth_pct_a_year_hi", n="n", n_word="postings", fmt="pct",
                        colour_by="status", colour_kind="growth_status",
                        value_title="Growth relative to the typical niche (% a year)")
    show_figure(fig)
    show_table(growth, "niche_growth", headers={"n": "Postings (n)"},
               show=["niche", "n", "growth_pct_a_year", "p_value", "q_value", "status", "low_n"])
""",
        ),
        (
            "md",
            """
## Where clients come from

Share of contracts by channel in the freelancer's first, second and later years (95% intervals
from a freelancer-cluster bootstrap), and the rate premium of referrals over applications from the rate model.
""",
        ),
        (
            "code",
            """
if page.section("channels"):
    mix = channels.channel_mix(con, by="tenure")
    referral = pricing.referral_premium(con).set_index("channel").loc["referral"]
    headline(f"Referrals pay {referral.premium_pct:+.0f}% per hour over applications "
             f"({interval(referral.premium_pct_lo / 100, referral.premium_pct_hi / 100, pct, signed=True)}; "
             f"n={count(referral.n_level)} referral bids).",
             value=round(float(referral.premium_pct), 1), label="referral_premium_pct",
             lo=referral.premium_pct_lo, hi=referral.premium_pct_hi)
    first = mix[(mix.bucket == mix.bucket.iloc[0]) & (mix.channel == "application")]
    page.means(f"Referrals pay {words.compare(referral.premium_pct, referral.premium_pct_lo, referral.premium_pct_hi, baseline='applications')} per hour"
               + (f"; in the first year {pct(first.share.iloc[0])} of contracts still come from applications." if len(first) else "."))
    fig = charts.bars(mix, category="bucket", kind="tenure", value="share", lo="lo", hi="hi", n="n_channel",
                      n_word="contracts", fmt="share", colour_by="channel", colour_kind="channel",
                      horizontal=False, sort=False, value_title="Share of contracts (%)",
                      category_title="Years since the freelancer joined")
    show_figure(fig)
    show_table(mix, "channel_mix", headers={"bucket": "Career stage", "n": "Contracts in the stage (n)"})
""",
        ),
        (
            "md",
            """
## Where the clients are

The client's country on each posting, grouped into world regions: where the demand is, and what
those clients post as hourly pay (the midpoint of the range they post) and as fixed budgets.
Shares are of the postings that name a country. One client's postings count together in the
intervals (a client-cluster bootstrap for shares, Woodruff for medians).
""",
        ),
        (
            "code",
            """
if page.section("clients"):
    where = channels.client_regions(con, since=since, until=until)
    named = where[where.region != "unknown"].sort_values("n_jobs", ascending=False)
    unknown = int(where.n_jobs.sum() - named.n_jobs.sum())
    no_country = f" {count(unknown)} postings name no country." if unknown else ""
    paid = named[named.posted_hourly_mid_n >= 30].sort_values("posted_hourly_mid_median")
    if named.empty:
        page.means(f"No posting of {window} names the client's country: widen the window (since, until).")
    else:
        top = named.iloc[0]
        headline(f"{pct(top.share)} of postings come from clients in {labels.name('region', top.region)} "
                 f"({interval(top.share_lo, top.share_hi, pct)}; of {count(named.n_jobs.sum())} postings that "
                 f"name the client's country, {window}).",
                 value=round(float(top.share), 3), label="top_client_region_share", lo=top.share_lo, hi=top.share_hi)
    if len(paid) >= 2:
        high, low = paid.iloc[-1], paid.iloc[0]
        clear = high.posted_hourly_mid_lo > low.posted_hourly_mid_hi
        page.means(f"Median posted hourly midpoints by client region run from {usd(low.posted_hourly_mid_median, per='h')} "
                   f"({labels.name('region', low.region)}, n={count(low.posted_hourly_mid_n)}) to "
                   f"{usd(high.posted_hourly_mid_median, per='h')} ({labels.name('region', high.region)}, "
                   f"n={count(high.posted_hourly_mid_n)})"
                   + ("; the gap is beyond both 95% intervals." if clear else
                      "; their 95% intervals overlap, so no region clearly posts more.") + no_country)
    elif len(named):
        page.means("Too few hourly postings per region (30 or more in two regions) to compare what clients post."
                   + no_country)
    if len(named):
        show_figure(charts.bars(named, category="region", kind="region", value="share", lo="share_lo",
                                hi="share_hi", n="n_jobs", n_word="postings", fmt="share",
                                value_title="Share of the postings that name a country (%)"))
    show_table(where, "client_regions", headers={"n_jobs": "Postings (n)"})
""",
        ),
        ("md", "## Rating inflation"),
        (
            "code",
            """
if page.section("ratings"):
    by_year, inflation = reputation.rating_inflation(con)
    trend = inflation.iloc[0]
    odds = labels.with_pct(inflation, "estimate", "odds_pct_a_year", lo="lo", hi="hi").iloc[0]
    headline(f"Share of 5-star reviews went from {pct(by_year.top_share.iloc[0])} ({by_year.year.iloc[0]}) "
             f"to {pct(by_year.top_share.iloc[-1])} ({by_year.year.iloc[-1]}): the odds of a 5-star review "
             f"grow {words.signed_pct(odds.odds_pct_a_year)} a year "
             f"({interval(odds.odds_pct_a_year_lo, odds.odds_pct_a_year_hi, words.signed_pct)}).",
             value=round(float(odds.odds_pct_a_year), 2), label="five_star_odds_pct_a_year",
             lo=odds.odds_pct_a_year_lo, hi=odds.odds_pct_a_year_hi)
    page.means("A five-star rating says less every year: "
               + ("compare freelancers by ratings from the same period." if words.side(trend.lo, trend.hi) > 0
                  else "no clear drift, so ratings of different years compare."))
    fig = charts.lines(by_year, x="year", y="top_share", lo="lo", hi="hi", n="n", n_word="reviews",
                       fmt="share", x_title="Year of the review", y_title="Five-star reviews (%)")
    show_figure(fig)
    show_table(by_year, "rating_inflation", headers={"n": "Reviews (n)"})
""",
        ),
    ],
)
write(
    "niche_explorer",
    [
        (
            "md",
            """
# Niche explorer

Demand, pay, competition, growth and skills for one niche, beside the whole market.
""",
        ),
        (
            "params",
            f"""{WAREHOUSE}
niche: str = "llm_applications"  # one of fdsa.taxonomy.NICHES
region: str = "all"  # client region, or all
{SINCE}
{UNTIL}""",
        ),
        (
            "code",
            """
import pandas as pd

from fdsa.analysis import niches, open_warehouse, pricing
from fdsa.reporting import (Page, charts, count, headline, interval, labels, note, number, pct, show_figure,
                            show_table, usd, words)

con = open_warehouse(warehouse)
page = Page(con, "niche_explorer")
window = page.window(since, until)
summary = niches.niche_summary(con, region=region, since=since, until=until)
mine = summary.set_index("niche").loc[niche]
name = labels.name("niche", niche)
""",
        ),
        (
            "md",
            """
## Demand over time

Postings a month divide by the months the data cover (a dump starting mid-month counts that
month in part), so the rate does not depend on where the window starts. The grey line is the
median niche in each month.
""",
        ),
        (
            "code",
            """
if page.section("demand"):
    headline(f"{name}: {number(mine.jobs_per_month, digits=0)} jobs a month "
             f"({interval(mine.jobs_per_month_lo, mine.jobs_per_month_hi, number, digits=0)}; "
             f"{count(mine.n_jobs)} jobs over {number(mine.months)} months of data, {window}"
             f"{', too few to rely on' if mine.low_n else ''}).",
             value=round(float(mine.jobs_per_month), 2), label="jobs_per_month",
             lo=mine.jobs_per_month_lo, hi=mine.jobs_per_month_hi)
    typical = summary.jobs_per_month.median()
    rank = int((summary.jobs_per_month > mine.jobs_per_month).sum()) + 1
    page.means(f"{name} draws {words.ratio(mine.jobs_per_month, typical)} the postings of the median niche "
               f"({words.ordinal(rank)} of {len(summary)} niches by demand).")
    monthly = niches.monthly_jobs(con, since=since, until=until, region=region)
    own = monthly[monthly.niche == niche].assign(series=name)
    median = monthly.groupby("month", as_index=False).n_jobs.median().assign(series="Median niche")
    fig = charts.lines(pd.concat([own, median]), x="month", y="n_jobs",
                       series="series", highlight=name, fmt="number", x_title="Month",
                       y_title="Postings a month")
    show_figure(fig, own.drop(columns="series"), "monthly_jobs")
""",
        ),
        (
            "md",
            """
## Pay

What clients post (the hourly range and fixed budgets of this niche's postings) and, where the
warehouse holds contracts, what was agreed. Asking pay and agreed pay are different measures and
stand side by side.
""",
        ),
        (
            "code",
            """
if page.section("pay"):
    posted = pricing.posted_pay(con, niche=niche, region=region, since=since, until=until)
    market = pricing.posted_pay(con, region=region, since=since, until=until).set_index("measure")
    hourly = posted.set_index("measure")
    low, high, mid = (hourly.loc[f"posted_hourly_{m}"] for m in ("low", "high", "mid"))
    if low.n:
        headline(f"Clients post {usd(low.median_usd)} to {usd(high.median_usd, per='h')} for {name} "
                 f"(medians of the posted range, n={count(low.n)} hourly postings).",
                 value=float(mid.median_usd), label="posted_hourly_mid_median_usd",
                 lo=mid.median_usd_lo, hi=mid.median_usd_hi)
        whole = market.loc["posted_hourly_mid"].median_usd
        page.means(f"Its posted hourly midpoint, {usd(mid.median_usd, per='h')}, is "
                   f"{words.ratio(mid.median_usd, whole)} the market's {usd(whole, per='h')}.")
    if not page.without("contracts", "Agreed rates"):
        headline(f"Median agreed rate {usd(mine.agreed_hourly_rate_median, per='h')} "
                 f"({interval(mine.agreed_hourly_rate_lo, mine.agreed_hourly_rate_hi)}, "
                 f"n={count(mine.agreed_hourly_rate_n)} hourly contracts).",
                 value=round(float(mine.agreed_hourly_rate_median), 2), label="agreed_hourly_rate_median_usd",
                 lo=mine.agreed_hourly_rate_lo, hi=mine.agreed_hourly_rate_hi)
    show_table(posted, "posted_pay", headers={"n": "Postings (n)"})
""",
        ),
        (
            "md",
            """
## Competition

Proposals per job and freelancers active per job; only platform records (or the simulated
market) hold proposals.
""",
        ),
        (
            "code",
            """
if page.section("competition"):
    headline(f"{number(mine.proposals_per_job)} proposals per job "
             f"({interval(mine.proposals_per_job_lo, mine.proposals_per_job_hi, number)}).",
             value=round(float(mine.proposals_per_job), 2), label="proposals_per_job",
             lo=mine.proposals_per_job_lo, hi=mine.proposals_per_job_hi)
    page.means(f"Each posting draws {words.ratio(mine.proposals_per_job, summary.proposals_per_job.median())} "
               "the proposals of the median niche.")
    show_table(summary[["niche", "n_jobs", "proposals_per_job", "proposals_per_job_lo", "proposals_per_job_hi",
                        "active_freelancers_per_job", "low_n"]], "competition")
""",
        ),
        ("md", "## Compared with every niche"),
        (
            "code",
            """
if page.section("compare"):
    pay = "agreed_hourly_rate_median" if page.has("contracts") else "posted_hourly_mid_median"
    fig = charts.scatter(summary, x="jobs_per_month", y=pay, label="niche", kind="niche", size="n_jobs",
                         highlight=niche, x_title="Postings a month", y_title=labels.column(pay),
                         y_fmt="usd")
    show_figure(fig)
    show_table(summary, "niche_summary",
               show=["niche", "n_jobs", "jobs_per_month", "proposals_per_job", "posted_hourly_mid_median",
                     "fixed_budget_median", "agreed_hourly_rate_median", "low_n"])
""",
        ),
        (
            "md",
            """
## Growth

Trend of the niche's postings over the last three years of data (all of it when shorter),
relative to the typical niche, in percent a year.
""",
        ),
        (
            "code",
            """
if page.section("growth"):
    growth = labels.with_pct(niches.niche_growth(con, region=region, until=until), "growth_rel",
                             "growth_pct_a_year", lo="lo", hi="hi")
    trend = growth.set_index("niche").loc[niche]
    headline(f"Growth {words.signed_pct(trend.growth_pct_a_year)} a year relative to the typical niche "
             f"({interval(trend.growth_pct_a_year_lo, trend.growth_pct_a_year_hi, words.signed_pct)}; "
             f"{labels.name('growth_status', trend.status).lower()}).",
             value=round(float(trend.growth_pct_a_year), 2), label="growth_pct_a_year",
             lo=trend.growth_pct_a_year_lo, hi=trend.growth_pct_a_year_hi)
    page.means(f"Its postings grow {words.compare(trend.growth_pct_a_year, trend.growth_pct_a_year_lo, trend.growth_pct_a_year_hi, baseline='the typical niche', more='a year faster than', less='a year slower than')}.")
    show_table(growth[growth.niche == niche], "niche_growth", headers={"n": "Postings (n)"},
               show=["niche", "n", "growth_pct_a_year", "q_value", "status", "low_n"])
""",
        ),
        (
            "md",
            """
## Skills asked for, and skill alliances

The skills the niche's postings ask for most (share of its postings, Wilson 95% intervals) and
postings per active freelancer listing the skill (the "opportunity index" of community dashboards:
higher means less supply for the demand; only where the warehouse holds proposals and profiles).
Then the skill alliances: pairs asked for together more often than chance — the whole 95%
interval of the lift above 1 and a false-discovery test across the niche's pairs — with the rate
premium of postings asking for both.
""",
        ),
        (
            "code",
            """
if page.section("skills"):
    demand = niches.skill_demand(con, niche=niche, since=since, until=until)
    if demand.empty:
        note(f"No {name} postings list skills.")
    else:
        top = demand.iloc[0]
        headline(f"Most asked-for skill in {name}: {top.skill}, in {pct(top.share)} of its postings "
                 f"({interval(top.share_lo, top.share_hi, pct)}, n={count(top.n)} postings).",
                 value=round(float(top.share), 4), label="top_skill_share", lo=top.share_lo, hi=top.share_hi)
        page.means(f"{name} postings ask most for {words.join(demand.skill.head(3).tolist())}.")
        fig = charts.bars(demand, category="skill", value="share", lo="share_lo", hi="share_hi",
                          n="n_jobs_with_skill", n_word="postings", fmt="share",
                          value_title=f"Share of {name} postings asking for the skill (%)")
        show_figure(fig)
        show_table(demand, "skill_demand",
                   show=["skill", "n_jobs_with_skill", "share", "n_freelancers", "jobs_per_freelancer", "low_n"])
    allied = labels.with_pct(niches.skill_alliances(con, niche=niche, since=since, until=until), "rate_premium",
                             "rate_premium_pct", lo="rate_premium_lo", hi="rate_premium_hi")
    if allied.empty:
        note(f"Skill alliances in {name}: none — no pair of skills is asked for together more often than chance.")
    else:
        strongest = allied.iloc[0]
        page.means(f"{strongest.skill_a} with {strongest.skill_b} is the strongest skill alliance "
                   f"({number(strongest.lift)} times chance, 95% interval {number(strongest.lift_lo)}–"
                   f"{number(strongest.lift_hi)}).")
        show_table(allied, "skill_alliances", headers={"n": "Postings with both (n)"},
                   show=["skill_a", "skill_b", "n", "lift", "n_rated", "rate_premium_pct", "low_n"])
""",
        ),
    ],
)
write(
    "rate_advisor",
    [
        (
            "md",
            """
# Rate advisor

What to charge: the hourly rate band for a described profile and how many bids back it,
what clients post in the niche, what moves rates, and how rates grow with tenure.
""",
        ),
        (
            "params",
            f"""{WAREHOUSE}
niche: str = "finance_fintech"  # one of fdsa.taxonomy.NICHES
region: str = "north_america"  # where the freelancer lives (fdsa.taxonomy.REGIONS)
experience_years: float = 5.0  # years of data work before or beside freelancing
n_reviews: int = 10  # client reviews on the profile
rating: float = 4.8  # mean stars of those reviews""",
        ),
        (
            "code",
            """
from fdsa.analysis import open_warehouse, pricing
from fdsa.reporting import (Page, charts, count, headline, interval, labels, pct, show_figure, show_table,
                            usd, words)

con = open_warehouse(warehouse)
page = Page(con, "rate_advisor")
name, region_name = labels.name("niche", niche), labels.name("region", region)
""",
        ),
        (
            "md",
            """
## The rate band for this profile

Quartiles of the hourly bid for this profile from a location quantile model (the bid regression
below, shifted by the quartiles of its residuals); an agreed rate is a bid that was hired. "Comparable
bids' rate" is the plain quartile among the directly comparable bids; when the sample is small there
are too few of them and the model's answer leans on other niches and regions.
""",
        ),
        (
            "code",
            """
if page.section("band"):
    band = pricing.rate_band(con, niche=niche, region=region, experience_years=experience_years,
                             n_reviews=n_reviews, rating=rating)
    median = band.set_index("quantile").loc[0.5]
    if median.basis != "this profile":
        headline(f"No comparable bids from freelancers in {region_name} ({count(median.n_region)} in the model): "
                 f"no band of its own. Across every region a profile like this one charges "
                 f"{usd(median.lo)} to {usd(median.hi, per='h')} (median of the regions {usd(median.rate_usd, per='h')}).",
                 value=int(median.n_region), label="n_region")
        page.means(f"This warehouse has no bids of freelancers in {region_name}, so it cannot say what they "
                   f"charge; the range {usd(median.lo)}–{usd(median.hi, per='h')} spans every region it can measure "
                   "and is not advice for this region.")
    else:
        headline(f"Suggested rate: {usd(median.rate_usd, per='h')} ({interval(median.lo, median.hi)}); the middle "
                 f"half of comparable profiles charge {usd(band.rate_usd.iloc[0])} to {usd(band.rate_usd.iloc[-1], per='h')}.",
                 value=round(float(median.rate_usd), 2), label="median_rate_usd", lo=median.lo, hi=median.hi)
        page.means(f"A freelancer in {region_name} with this profile can ask about {usd(median.rate_usd, per='h')} "
                   f"for {name} work; {usd(band.rate_usd.iloc[0])} would be cheap and {usd(band.rate_usd.iloc[-1], per='h')} "
                   "ambitious for the same profile."
                   + words.small_sample(median.low_n, "the comparable bids"))
    headline(f"Backed by {count(median.n_model)} hourly bids in the model and {count(median.n_comparable)} "
             f"directly comparable ones ({name}, {region_name}, within 3 years of experience)"
             f"{'; too few comparable bids to rely on them alone' if median.low_n else ''}.",
             value=int(median.n_comparable), label="n_comparable")
    band = band.assign(percentile=["25th percentile", "Median", "75th percentile"])
    fig = charts.bars(band, category="percentile", value="rate_usd", lo="lo", hi="hi", fmt="usd",
                      highlight="Median", horizontal=False, sort=False, value_title="Hourly rate (USD/h)",
                      category_title="Where in the band")
    show_figure(fig)
    show_table(band, "rate_band", show=["percentile", "rate_usd", "n_model", "n_region", "n_comparable",
                                        "comparable_rate_usd", "basis", "low_n"])
""",
        ),
        (
            "md",
            """
## What clients post in this niche

The hourly ranges clients put in their postings: asking pay before any proposal, not an
agreed rate. Medians with order-statistic 95% intervals; placeholder budgets of $5 or less left
out.
""",
        ),
        (
            "code",
            """
if page.section("posted"):
    posted = pricing.posted_pay(con, niche=niche)
    hourly = posted.set_index("measure")
    low, mid, high = (hourly.loc[f"posted_hourly_{m}"] for m in ("low", "mid", "high"))
    headline(f"Clients posting hourly {name} jobs offer {usd(low.median_usd)} to {usd(high.median_usd, per='h')} "
             f"(medians of the posted range; midpoint {usd(mid.median_usd, per='h')}, "
             f"{interval(mid.median_usd_lo, mid.median_usd_hi)}, n={count(mid.n)} postings).",
             value=float(mid.median_usd) if mid.n else None, label="posted_hourly_mid_median_usd",
             lo=mid.median_usd_lo, hi=mid.median_usd_hi)
    page.means(f"Clients posting {name} work ask for {usd(low.median_usd)} to {usd(high.median_usd, per='h')}: "
               "a rate inside that range meets what they expect.")
    shown = posted[posted.measure != "fixed_budget"]
    fig = charts.bars(shown, category="measure", kind="pay_measure", value="median_usd", lo="median_usd_lo",
                      hi="median_usd_hi", n="n", n_word="postings", fmt="usd", horizontal=False, sort=False,
                      value_title="Median posted hourly pay (USD/h)", category_title="Part of the posted range")
    show_figure(fig)
    show_table(posted, "posted_pay", headers={"n": "Postings (n)"})
""",
        ),
        (
            "md",
            """
## What moves rates

A log-linear regression of hourly bids (every bid on an hourly posting, hired or not: an agreed
rate is a hired bid, and clients pick low bids more often) on niche, region, experience, reviews,
rating, channel and start-up style, with standard errors clustered by freelancer and by posting.
Each effect is the percentage change in the rate against its baseline (named beside it), other
things equal; this profile's niche and region are highlighted. Effects resting on few bids are
marked "small sample".
""",
        ),
        (
            "code",
            """
if page.section("drivers"):
    drivers = pricing.rate_drivers(con)
    effects = drivers[drivers.term != "intercept"].assign(name=lambda d: d.term.map(labels.term_name))
    chosen = [labels.term_name(f"rate_log_premium_niche__{niche}"), labels.term_name(f"rate_log_premium_region__{region}")]
    niche_term = drivers.set_index("term").reindex([f"rate_log_premium_niche__{niche}"]).iloc[0]
    if niche_term.notna().any():
        headline(f"Niche premium of {name} {labels.versus('niche')}, other things equal: {niche_term.premium_pct:+.0f}% "
                 f"({interval(niche_term.premium_pct_lo / 100, niche_term.premium_pct_hi / 100, pct, signed=True)}).",
                 value=round(float(niche_term.premium_pct), 1), label="niche_premium_pct",
                 lo=niche_term.premium_pct_lo, hi=niche_term.premium_pct_hi)
        page.means(f"Other things equal, {name} pays {words.compare(niche_term.premium_pct, niche_term.premium_pct_lo, niche_term.premium_pct_hi, baseline=labels.name('niche', 'bi_dashboards'))}.")
    region_term = drivers.set_index("term").reindex([f"rate_log_premium_region__{region}"]).iloc[0]
    if region_term.notna().any():
        page.means(f"Freelancers in {region_name} earn {words.compare(region_term.premium_pct, region_term.premium_pct_lo, region_term.premium_pct_hi, baseline='those in North America')}.")
    fig = charts.forest(effects, label="name", estimate="premium_pct", lo="premium_pct_lo", hi="premium_pct_hi",
                        n="n_level", n_word="bids at this level", fmt="pct", highlight=chosen,
                        value_title="Effect on the hourly rate (%), other things equal")
    show_figure(fig)
    show_table(drivers[drivers.term != "intercept"], "rate_drivers",
               show=["term", "premium_pct", "n_level", "low_n"])
""",
        ),
        (
            "md",
            """
## Rates over tenure (all freelancers in the niche)

Not filtered to this profile: the median agreed hourly rate of every freelancer in this niche,
from every region and with any reviews, by years since joining (95% intervals clustered by
freelancer, Woodruff). Read its shape, not its level — the band above is this profile's level. A
rising line is the reward for staying; it mixes learning with survivorship, since freelancers who
leave early are not in the later years.
""",
        ),
        (
            "code",
            """
if page.section("trajectory"):
    trajectory = pricing.rate_trajectory(con, niche=niche)
    first, last = trajectory.iloc[0], trajectory.iloc[-1]
    page.means(f"Across all freelancers in {name} (every region, not only this profile), the median agreed rate "
               f"goes from {usd(first.median_rate_usd, per='h')} in the first year to "
               f"{usd(last.median_rate_usd, per='h')} after {last.tenure_years} years on the platform.")
    fig = charts.lines(trajectory, x="tenure_years", y="median_rate_usd", lo="lo", hi="hi", n="n",
                       n_word="contracts", fmt="usd", x_title="Years since joining the platform",
                       y_title="Median hourly rate, all freelancers in the niche (USD/h)")
    show_figure(fig)
    show_table(trajectory, "rate_trajectory", headers={"n": "Contracts (n)"})
""",
        ),
    ],
)
write(
    "channel_strategy",
    [
        (
            "md",
            """
# Channel strategy

Where clients come from at one stage of a freelance career: which channels bring contracts, how
often each one wins, what it pays, and whether starting "small and wide" pays off later.
""",
        ),
        (
            "params",
            f"""{WAREHOUSE}
tenure: str = "first year"  # first year, second year or third year+ (first_year works too)
niche: str = "all"  # one of fdsa.taxonomy.NICHES, or all""",
        ),
        (
            "code",
            """
from fdsa.analysis import channels, open_warehouse, pricing, reputation
from fdsa.reporting import Page, charts, count, headline, interval, labels, pct, show_figure, show_table, usd, words

con = open_warehouse(warehouse)
page = Page(con, "channel_strategy")
stage, name = labels.name("tenure", tenure), labels.name("niche", niche)
""",
        ),
        (
            "md",
            """
## How each channel performs at this stage

Win rate = share of decided proposals hired; earnings and days to hire are medians; 95% intervals
clustered by freelancer (bootstrap for win rates, Woodruff for medians). Rows marked "small sample"
rest on few contracts. These are averages over everyone at this stage, reviewed or not and from
every region, and raw win rates mix channel with reputation (the research page has the adjusted
comparison): a newcomer with no reviews wins far less often — the newcomer plan
(`fdsa report newcomer_plan`) gives proposals per hire for a described profile.
""",
        ),
        (
            "code",
            """
if page.section("performance"):
    performance = channels.channel_performance(con, niche=niche, tenure=tenure)
    new_clients = performance[performance.channel != "repeat"].dropna(subset=["win_rate"])
    best = new_clients.sort_values("win_rate").iloc[-1]
    headline(f"Best win rate with new clients in the {stage.lower()}: {labels.name('channel', best.channel).lower()}, "
             f"{pct(best.win_rate)} of proposals hired ({interval(best.win_rate_lo, best.win_rate_hi, pct)}, "
             f"n={count(best.n_proposals)}).",
             value=round(float(best.win_rate), 4), label="best_win_rate", lo=best.win_rate_lo, hi=best.win_rate_hi)
    referral = pricing.referral_premium(con).set_index("channel").loc["referral"]
    headline(f"Referral premium over applications: {referral.premium_pct:+.0f}% per hour "
             f"({interval(referral.premium_pct_lo / 100, referral.premium_pct_hi / 100, pct, signed=True)}).",
             value=round(float(referral.premium_pct), 1), label="referral_premium_pct",
             lo=referral.premium_pct_lo, hi=referral.premium_pct_hi)
    apply = new_clients.set_index("channel").win_rate.get("application")
    page.means(f"In the {stage.lower()} ({name.lower() if niche == 'all' else name}), "
               f"{labels.name('channel', best.channel).lower()} win most often ({pct(best.win_rate)} of proposals)"
               + (f", against {pct(apply)} for applications." if apply is not None and best.channel != "application" else ".")
               + f" Referred work pays {words.compare(referral.premium_pct, referral.premium_pct_lo, referral.premium_pct_hi, baseline='applications')} per hour.")
    fig = charts.bars(performance, category="channel", kind="channel", value="win_rate", lo="win_rate_lo",
                      hi="win_rate_hi", n="n_proposals", n_word="proposals", fmt="share", colour_by="channel",
                      colour_kind="channel", horizontal=False, sort=False,
                      value_title="Proposals hired (%)", category_title=f"Channel, {stage.lower()}")
    show_figure(fig)
    show_table(performance, "channel_performance")
""",
        ),
        (
            "md",
            """
## How the mix shifts with tenure and reputation

Applications dominate early; invites and referrals grow with reviews. Shares of contracts in each
career stage (this page's stage marked) and by reviews on the profile, with 95% intervals from a
freelancer-cluster bootstrap.
""",
        ),
        (
            "code",
            """
if page.section("mix"):
    by_tenure = channels.channel_mix(con, by="tenure", niche=niche)
    by_reputation = channels.channel_mix(con, by="reputation", niche=niche)
    top = by_tenure[by_tenure.bucket == tenure].sort_values("share", ascending=False).iloc[0]
    headline(f"In the {stage.lower()}, {pct(top.share)} of contracts came through "
             f"{labels.name('channel', top.channel).lower()} ({interval(top.lo, top.hi, pct)}, n={count(top.n)} contracts).",
             value=round(float(top.share), 4), label="top_channel_share", lo=top.lo, hi=top.hi)
    page.means(f"Most contracts in the {stage.lower()} come through {labels.name('channel', top.channel).lower()} "
               f"({pct(top.share)}); later stages and more reviews shift the mix to invites and referrals.")
    marked = by_tenure.assign(stage=by_tenure.bucket.map(
        lambda b: f"{labels.name('tenure', b)} (this page)" if b == tenure else labels.name("tenure", b)))
    fig = charts.bars(marked, category="stage", value="share", lo="lo", hi="hi", n="n_channel",
                      n_word="contracts", fmt="share", colour_by="channel", colour_kind="channel",
                      horizontal=False, sort=False, value_title="Share of contracts (%)",
                      category_title="Career stage")
    show_figure(fig, by_tenure, "channel_mix_tenure")
    fig = charts.bars(by_reputation, category="bucket", kind="reputation", value="share", lo="lo", hi="hi",
                      n="n_channel", n_word="contracts", fmt="share", colour_by="channel", colour_kind="channel",
                      horizontal=False, sort=False, value_title="Share of contracts (%)",
                      category_title="Reviews on the profile when hired")
    show_figure(fig)
    show_table(by_reputation, "channel_mix_reputation",
               headers={"bucket": "Reviews on the profile", "n": "Contracts in the group (n)"})
""",
        ),
        (
            "md",
            """
## Small and wide, or big first?

Freelancers with six or more contracts, split by their first five: small and wide when at least
three were under a month. Medians with 95% intervals, one panel per measure; these are raw
comparisons, the adjusted premium is the "Started small and wide" effect of the rate advisor.
""",
        ),
        (
            "code",
            """
if page.section("styles"):
    styles = reputation.starter_styles(con, niche=niche)
    later = styles[styles.measure == "later_median_rate"].set_index("style")
    saw, big = later.loc["small_and_wide"], later.loc["big_first"]
    headline(f"Later median rate: {usd(saw.estimate, per='h')} for small-and-wide starters (n={count(saw.n)}) "
             f"against {usd(big.estimate, per='h')} for big-first starters (n={count(big.n)}).",
             value=round(float(saw.estimate - big.estimate), 2), label="small_and_wide_gap_usd")
    overlap = saw.lo <= big.hi and big.lo <= saw.hi
    page.means("Starting small and wide " + ("makes no clear difference to later rates (the intervals overlap)."
               if overlap else f"{'raises' if saw.estimate > big.estimate else 'lowers'} later rates."))
    fig = charts.panels(styles, panel="measure", panel_kind="starter_measure", category="style", kind="style",
                        value="estimate", lo="lo", hi="hi", n="n", n_word="freelancers",
                        fmts={"later_median_rate": "usd", "total_earnings": "usd0"})
    show_figure(fig)
    show_table(styles, "starter_styles", headers={"measure": "Measure", "estimate": "Median (USD/h or USD)",
                                                  "n": "Freelancers (n)"})
""",
        ),
    ],
)
# --- newcomer_plan (issue 14) -------------------------------------------------------------
write(
    "newcomer_plan",
    [
        (
            "md",
            """
# A newcomer's plan

For a described profile — the niches asked about, region, experience, reviews, skills and hours
a week: how many proposals win a contract, how soon a first contract comes at a given pace, what
to bid, how the niches compare and which skills they ask for, and a short plan from those numbers.
Every figure is for this profile, not the market average, and carries its 95% interval.
""",
        ),
        (
            "params",
            f"""{WAREHOUSE}
niches: str = "llm_applications,finance_fintech"  # one or more of fdsa.taxonomy.NICHES, comma-separated
region: str = "south_asia"  # where the freelancer lives (fdsa.taxonomy.REGIONS)
experience_years: float = 3.0  # years of data work before or beside freelancing
n_reviews: int = 0  # client reviews on the profile
skills: str = "Python,SQL"  # skills on the profile, comma-separated
hours_per_week: float = 20.0  # hours a week to offer""",
        ),
        (
            "code",
            """
import pandas as pd

from fdsa.analysis import channels, newcomer, niches as niche_analyses, open_warehouse
from fdsa.reporting import (Page, charts, count, headline, interval, labels, note, number, pct, plan,
                            show_figure, show_table, usd, words)

con = open_warehouse(warehouse)
page = Page(con, "newcomer_plan")
chosen = newcomer.niche_list(niches)
mine = {s.strip().lower() for s in skills.split(",") if s.strip()}
region_name = labels.name("region", region)
names = {n: labels.name("niche", n) for n in chosen}
first = chosen[0]
reviews_text = "no reviews" if n_reviews == 0 else f"{n_reviews} reviews"
plan_lines = []
""",
        ),
        (
            "md",
            """
## Proposals per hire for this profile

The chance that one proposal is hired, by channel, from a logistic model of who gets hired among
the decided proposals to these niches' postings, adjusted for niche, channel, reviews, rating and
region group, at the bids such profiles usually make; proposals per hire is its inverse. Beside it,
the plain share among proposals from the same region with the same reviews ("comparable").
""",
        ),
        (
            "code",
            """
if page.section("per_hire"):
    per_hire = newcomer.proposals_per_hire(con, niches=chosen, region=region, n_reviews=n_reviews)
    apps = per_hire[per_hire.channel == "application"].set_index("niche")
    top = apps.loc[first]
    headline(f"{names[first]}: about {number(top.proposals_per_hire, digits=0)} applications per hire for a "
             f"{region_name} profile with {reviews_text} ({interval(top.proposals_per_hire_lo, top.proposals_per_hire_hi, number, digits=0)}; "
             f"win rate {pct(top.win_rate, digits=1)}).",
             value=round(float(top.proposals_per_hire), 1), label="proposals_per_hire",
             lo=top.proposals_per_hire_lo, hi=top.proposals_per_hire_hi)
    page.means(" ".join(
        f"In {names[n]}, one application in about {number(r.proposals_per_hire, digits=0)} is hired "
        f"({interval(r.proposals_per_hire_lo, r.proposals_per_hire_hi, number, digits=0)})."
        for n, r in apps.iterrows() if r.notna().proposals_per_hire))
    if (apps.n_comparable == 0).all():
        page.means(f"No application from a freelancer in {region_name} with {reviews_text} is in the data: these "
                   "numbers are the model's for the region's income group, not measured for the region itself.")
    else:
        page.means(words.small_sample(apps.low_n.any(), "the comparable applications").strip())
    fig = charts.bars(per_hire, category="niche", kind="niche", value="proposals_per_hire",
                      lo="proposals_per_hire_lo", hi="proposals_per_hire_hi", n="n_comparable",
                      n_word="comparable proposals", fmt="number", colour_by="channel", colour_kind="channel",
                      horizontal=False, sort=False, value_title="Proposals per hire (fewer is better)",
                      category_title="Niche")
    show_figure(fig)
    show_table(per_hire, "proposals_per_hire", headers={"n_comparable": "Comparable proposals (n)"},
               digits=1, show=["niche", "channel", "win_rate", "proposals_per_hire", "n_comparable",
                     "comparable_win_rate", "low_n"])
""",
        ),
        (
            "md",
            """
## Time to a first contract

The chance of a first contract within each number of days, at 5, 10 and 20 applications a week:
each application wins with this profile's chance at no reviews (the model above, pooled over the
niches asked about), so the chance within d days is 1 − (1 − p)^(applications sent). Below it, the
check: Kaplan–Meier curves of the newcomers the warehouse followed who sent about as many
proposals a week in their first 90 days (±25%; their region, or its income group when few).
""",
        ),
        (
            "code",
            """
if page.section("first_contract"):
    curve = newcomer.first_contract_curve(con, niches=chosen, region=region)
    at10 = curve[curve.proposals_per_week == 10].set_index("day")
    for days in (90, 180):
        row = at10.iloc[at10.index.get_indexer([days], method="nearest")[0]]
        headline(f"At 10 applications a week: {pct(row.share_hired)} chance of a first contract within {days} days "
                 f"({interval(row.share_hired_lo, row.share_hired_hi, pct)}).",
                 value=round(float(row.share_hired), 3), label=f"first_contract_{days}d_at_10",
                 lo=row.share_hired_lo, hi=row.share_hired_hi)
    curve = curve.assign(pace=curve.proposals_per_week.map(lambda k: f"{k:.0f} a week"))
    fig = charts.lines(curve, x="day", y="share_hired", lo="share_hired_lo", hi="share_hired_hi", fmt="share",
                       series="pace", x_title="Days since joining",
                       y_title="Chance of a first contract (%)")
    show_figure(fig)
    observed = newcomer.first_contract_observed(con, region=region)
    seen = observed[~observed.low_n]
    if seen.empty:
        note("Too few followed newcomers sent proposals at these paces to check the curve.")
    else:
        seen = seen.assign(pace=seen.proposals_per_week.map(lambda k: f"about {k:.0f} a week"))
        fig = charts.lines(seen, x="day", y="share_hired", lo="share_hired_lo", hi="share_hired_hi", n="n",
                           n_word="newcomers", fmt="share", series="pace", x_title="Days since joining",
                           y_title=f"Newcomers with a first contract (%), {labels.name('region', seen.population.iloc[0])}")
        show_figure(fig)
    show_table(observed[observed.day.isin([91, 180])], "first_contract_observed",
               show=["proposals_per_week", "population", "day", "n", "n_at_risk", "share_hired", "low_n"])
""",
        ),
        (
            "md",
            """
## What to bid

The chance of being hired against the bid relative to the posting's going rate (the mean log bid
of its proposals), for this profile's reputation: the model's chance at the usual bid of profiles
like this one, shifted by the hiring model's price effect. Expected earnings per proposal = chance
× bid × the niche's going hourly rate × the median hours of its hourly contracts. The range drawn is
the bids such profiles actually make (5th to 95th percentile); the marked bid earns the most.
""",
        ),
        (
            "code",
            """
if page.section("bid"):
    for n in chosen:
        bids = newcomer.bid_curve(con, niche=n, region=region, n_reviews=n_reviews)
        best = bids[bids.is_best].iloc[0]
        band = bids[bids.in_best_band]
        if n == first:
            span = (f"; band {usd(band.bid_usd.min())}–{usd(band.bid_usd.max(), per='h')}"
                    if band.bid_usd.max() - band.bid_usd.min() >= 0.5 else "")
            headline(f"Suggested first bid in {names[n]}: {usd(best.bid_usd, per='h')} ({pct(best.bid_ratio)} of the going "
                     f"{usd(best.going_rate_usd, per='h')}{span}), "
                     f"hired {pct(best.win_rate, digits=1)} of the time ({interval(best.win_rate_lo, best.win_rate_hi, pct, digits=1)}).",
                     value=round(float(best.bid_usd), 2), label="first_bid_usd",
                     lo=band.bid_usd.min(), hi=band.bid_usd.max())
            plan_lines.append(plan.first_bid(best.bid_usd, band.bid_usd.min(), band.bid_usd.max(), best.bid_ratio))
            plan_lines.append(plan.hours(hours_per_week, best.contract_hours_per_week))
        page.means(f"In {names[n]}, bidding {usd(bids.bid_usd.iloc[0])} instead of {usd(bids.bid_usd.iloc[-1], per='h')} "
                   f"moves the chance of being hired from {pct(bids.win_rate.iloc[-1], digits=1)} to "
                   f"{pct(bids.win_rate.iloc[0], digits=1)}.")
        fig = charts.lines(bids, x="bid_usd", y="expected_earnings_usd", lo="expected_earnings_usd_lo",
                           hi="expected_earnings_usd_hi", fmt="usd", x_title=f"Hourly bid in {names[n]} (USD/h)",
                           y_title="Expected earnings per proposal (USD)")
        show_figure(fig)
        show_table(bids, f"bid_curve_{n}",
                   show=["bid_ratio", "bid_usd", "win_rate", "expected_earnings_usd", "is_best", "in_best_band",
                         "n", "low_n"])
""",
        ),
        (
            "md",
            """
## The niches side by side

Demand (postings a month), competition (proposals per posting), posted pay, growth against the
typical niche, and for this profile: applications per hire and the median rate from the rate model.
What this warehouse cannot measure is left blank.
""",
        ),
        (
            "code",
            """
niche_table = None
if page.section("niches"):
    niche_table = newcomer.niche_comparison(con, niches=chosen, region=region, experience_years=experience_years,
                                            n_reviews=n_reviews)
    shown = labels.with_pct(niche_table, "growth_rel", "growth_pct_a_year", lo="growth_rel_lo", hi="growth_rel_hi")
    for _, r in niche_table.iterrows():
        competition = (f"{number(r.proposals_per_job, digits=0)} proposals each, "
                       if r.notna().proposals_per_job else "")
        page.means(f"{names[r.niche]}: {number(r.jobs_per_month, digits=0)} postings a month, {competition}"
                   f"posted midpoint {usd(r.posted_hourly_mid_usd, per='h')}.")
    fig = charts.bars(niche_table, category="niche", kind="niche", value="jobs_per_month", lo="jobs_per_month_lo",
                      hi="jobs_per_month_hi", n="n_jobs", n_word="postings", fmt="number", sort=False,
                      value_title="Postings a month")
    show_figure(fig)
    show_table(shown, "niche_comparison",
               headers={"rate_usd": "Median rate for this profile (USD/h)"},
               show=["niche", "n_jobs", "jobs_per_month", "proposals_per_job", "posted_hourly_mid_usd",
                     "growth_pct_a_year", "proposals_per_hire", "rate_usd", "low_n"])
""",
        ),
        (
            "md",
            """
## What these niches ask for

The skills asked for most often (share of the niche's postings, Wilson 95% intervals), the
profile's own skills marked; postings per active freelancer listing the skill (the "opportunity
index" of community dashboards, when the warehouse holds proposals and profiles); and the skill
alliances — pairs asked for together more often than chance (the whole 95% interval of the lift
above 1).
""",
        ),
        (
            "code",
            """
if page.section("skills"):
    for n in chosen:
        demand = niche_analyses.skill_demand(con, niche=n)
        if demand.empty:
            note(f"No postings of {names[n]} list skills.")
            continue
        demand = demand.assign(on_profile=demand.skill.str.lower().isin(mine).map({True: "on_profile",
                                                                                   False: "not_on_profile"}))
        missing = demand[demand.on_profile == "not_on_profile"].skill.head(3).tolist()
        page.means(f"{names[n]} postings ask most for {words.join(demand.skill.head(3).tolist())}; "
                   + (f"adding {words.join(missing)} would cover more of them." if missing else "your profile has them."))
        fig = charts.bars(demand, category="skill", value="share", lo="share_lo", hi="share_hi", n="n_jobs_with_skill",
                          n_word="postings", fmt="share", colour_by="on_profile", colour_kind="on_profile",
                          value_title=f"Share of {names[n]} postings asking for the skill (%)")
        show_figure(fig)
        show_table(demand, f"skill_demand_{n}",
                   show=["skill", "n_jobs_with_skill", "share", "n_freelancers", "jobs_per_freelancer", "low_n"])
        allied = niche_analyses.skill_alliances(con, niche=n)
        if allied.empty:
            note(f"Skill alliances in {names[n]}: none — no pair is asked for together more often than chance.")
        else:
            show_table(allied, f"skill_alliances_{n}", headers={"n": "Postings with both (n)"},
                       show=["skill_a", "skill_b", "n", "lift", "rate_premium", "low_n"])
""",
        ),
        (
            "md",
            """
## The plan

Read from the numbers above: which niche first, what to bid, how many applications a week for a
stated chance of a first contract, and which channel to build next. Where this warehouse lacks
the facts, the plan says so.
""",
        ),
        (
            "code",
            """
if page.section("plan"):
    lines = []
    if niche_table is not None:
        lines.append(plan.shortlist([{**r, "name": names[r["niche"]]} for r in niche_table.to_dict("records")]))
    if page.has("proposals", "contracts", "profiles"):
        curve = newcomer.proposals_per_hire(con, niches=chosen, region=region, n_reviews=0)
        apps = curve[curve.channel == "application"].dropna(subset=["win_rate"])
        p, p_lo, p_hi = newcomer.pooled_application_rate(apps)
        lines.append(plan.weekly_proposals(p, p_lo, p_hi, chance=0.8, days=90))
        mix = channels.channel_mix(con, by="reputation").set_index(["bucket", "channel"]).share
        lines.append(plan.next_channel(mix.get(("0 reviews", "invite")), mix.get(("1-4 reviews", "invite"))))
        lines += plan_lines
    else:
        lines.append("Proposals a week, the first bid and the channels need proposals, contracts and profiles, "
                     "which this warehouse does not hold.")
    for line in lines:
        if line:
            page.means(line)
    show_table(pd.DataFrame({"step": [line for line in lines if line]}), "plan")
""",
        ),
    ],
)


# ---------------------------------------------------------------- research page (issue 15)
write(
    "research_reputation",
    [
        (
            "md",
            """
# Research: reputation, rating inflation and a dated shock

How reviews and ratings are associated with being hired, how public ratings drift upward, how a
niche's postings moved around a date, and, on the simulated market, how close each estimate comes
to the effect that was planted. Every estimate carries its n, a 95% interval and the kind of
interval. These are observational associations: a coefficient says how hiring differs between
proposals that differ in one respect with the others held fixed, not what changing a profile
would do.

**Cite as:** fdsa, *Research: reputation, rating inflation and a dated shock* (this page, the
build and run stamps at its foot give the version and data). **Rebuild:**
`fdsa report research_reputation` (parameters: `niche`, `since`, `until`, `event_niche`,
`event_date`). **Methods and coverage over many simulated markets:** `docs/analyses.md`;
**columns and tables:** `docs/data_dictionary.md`.
""",
        ),
        (
            "params",
            f"""{WAREHOUSE}
niche: str = "all"  # one of fdsa.taxonomy.NICHES, or all
{SINCE}
{UNTIL}
event_niche: str = "nlp"  # the niche of the event study
event_date: str = "2022-12-01"  # ISO date of the event (month it starts)""",
        ),
        (
            "code",
            """
from fdsa import taxonomy
from fdsa.analysis import channels, niches, open_warehouse, recovery, reputation
from fdsa.reporting import Page, charts, count, headline, interval, labels, note, number, pct, show_figure, show_table, words

con = open_warehouse(warehouse)
page = Page(con, "research_reputation")
""",
        ),
        (
            "md",
            """
## The sample

Postings posted in the window and what hangs on them. The choice model reads decided proposals
(hired or not hired) of postings that hired exactly one of at least two; withdrawn and declined
proposals, postings that hired no one or several, and postings with a single decided proposal
are left out. The data's licence: the simulated market is generated by fdsa and free to reuse
with it; loaded dumps keep the terms of their source (see the provenance at the foot and
`docs/ingest.md`).
""",
        ),
        (
            "code",
            """
if page.section("sample"):
    sample = recovery.study_sample(con, niche=niche, since=since, until=until)
    n = sample.set_index("measure").n
    clients = f"{count(n['clients'])} clients" if n["clients"] else "clients not recorded"
    headline(f"The sample: {count(n['postings'])} postings ({clients}), "
             f"{sample.first_posted.iloc[0]} to {sample.last_posted.iloc[0]}, with {count(n['decided proposals'])} decided proposals.",
             value=int(n["postings"]), label="sample_postings")
    show_table(sample[["measure", "n"]], "study_sample", headers={"measure": "Records", "n": "Count (n)"})
""",
        ),
        (
            "md",
            """
## Who gets hired

Method: conditional logit of which decided proposal a posting's client hired (McFadden), on the
channel (reference: application), having a first review (reference: no reviews), log(1 +
reviews), mean rating in stars centred at 4.5 (reviewed profiles only), a lower-income-region
term with its recovery per log(1 + reviews), and the bid relative to the posting's going rate.
Lower-income regions are listed below the headline (reference: all other regions).
Reputation is as of the day of each proposal. **Error type:** two-way cluster-robust (by
freelancer and by posting; Cameron, Gelbach & Miller), 95% Wald intervals. Estimates are
log-odds; odds ratio = e^estimate (1 = no difference), drawn on a log scale.
""",
        ),
        (
            "code",
            """
if page.section("hiring"):
    model = reputation.hire_model(con, niche=niche, since=since, until=until)
    first = model.set_index("term").loc["hire_logodds_first_review"]
    headline(f"Proposals from profiles with a first review had {number(first.odds_ratio, digits=2)} "
             f"times the odds of being hired of proposals without one, other terms held fixed "
             f"({interval(first.odds_ratio_lo, first.odds_ratio_hi, number, digits=2)}, clustered; "
             f"n={count(first.n)} decided proposals).",
             value=round(float(first.odds_ratio), 3), label="first_review_odds_ratio",
             lo=first.odds_ratio_lo, hi=first.odds_ratio_hi)
    decided = int(recovery.study_sample(con, niche=niche, since=since, until=until)
                  .set_index("measure").n["decided proposals"])
    note(f"In the model: {count(first.n)} of {count(decided)} decided proposals ({pct(first.n / decided)}); the "
         "others belong to postings that hired no one or several, or had a single decided proposal.")
    note("Lower-income regions: " + ", ".join(labels.name("region", r) for r in taxonomy.LOWER_INCOME_REGIONS)
         + ". Reference levels: application (channel), no reviews, other regions; ratings centred at 4.5 stars.")
    page.means(f"A first review goes with {number(first.odds_ratio, digits=1)} times the odds of being hired"
               + (", the clearest reputation association in the model." if words.side(first.lo, first.hi) > 0
                  else ", though its interval includes no difference."))
    shown = model.assign(name=lambda d: d.term.map(labels.term_name))
    fig = charts.forest(shown, label="name", estimate="odds_ratio", lo="odds_ratio_lo", hi="odds_ratio_hi",
                        n="n", n_word="decided proposals", fmt="ratio", reference=1.0, log_axis=True,
                        value_title="Odds ratio of being hired (log scale; 1 = no difference)")
    show_figure(fig)
    show_table(model, "hire_model", headers={"estimate": "Estimate (log-odds)", "n": "Decided proposals (n)"})
""",
        ),
        (
            "md",
            """
## Hire rate by reviews on the profile

Raw shares with Wilson 95% intervals (proposals treated as independent), for all proposals and
for applications alone (invites and referrals arrive pre-selected). Descriptive: other
differences between the groups are not held fixed.
""",
        ),
        (
            "code",
            """
if page.section("by_reviews"):
    by_reviews = reputation.hire_rate_by_reviews(con, niche=niche, since=since, until=until)
    applications = by_reviews[by_reviews.channel == "application"].set_index("reviews")
    none, ten = applications.loc["0"], applications.loc["10+"]
    headline(f"Applications were hired {pct(none.hire_rate, digits=1)} of the time with no reviews (n={count(none.n)}) "
             f"and {pct(ten.hire_rate, digits=1)} with ten or more (n={count(ten.n)}).",
             value=round(float(ten.hire_rate - none.hire_rate), 4), label="hire_rate_gap")
    fig = charts.lines(by_reviews, x="reviews", x_kind="reviews", y="hire_rate", lo="lo", hi="hi", n="n",
                       n_word="proposals", fmt="share", series="channel", series_kind="channel",
                       x_title="Reviews on the profile at the time", y_title="Proposals hired (%)")
    show_figure(fig)
    show_table(by_reviews, "hire_rate_by_reviews", headers={"n": "Proposals (n)"})
""",
        ),
        (
            "md",
            """
## Channels: raw and adjusted

Raw: log odds ratio of each channel's win rate against applications (freelancer-cluster
bootstrap, 400 replicates, seeded). Adjusted: the channel terms of the choice model above
(reviews, rating, region and bid held fixed). Invited and referred freelancers have more
reviews, so the raw edge mixes channel and reputation.
""",
        ),
        (
            "code",
            """
if page.section("channels"):
    odds = channels.channel_win_odds(con, niche=niche, since=since, until=until)
    invite = odds.set_index("channel").loc["invite"]
    headline(f"Invited proposals: {invite.raw_logodds:+.2f} log-odds over applications raw "
             f"({interval(invite.raw_logodds_lo, invite.raw_logodds_hi, number, digits=2, signed=True)}), "
             f"{invite.adjusted_logodds:+.2f} with reputation and bid held fixed "
             f"({interval(invite.adjusted_logodds_lo, invite.adjusted_logodds_hi, number, digits=2, signed=True)}).",
             value=round(float(invite.adjusted_logodds), 3), label="invite_adjusted_logodds",
             lo=invite.adjusted_logodds_lo, hi=invite.adjusted_logodds_hi)
    show_table(odds, "channel_win_odds",
               headers={"raw_logodds": "Raw (log-odds vs application)", "adjusted_logodds": "Adjusted (log-odds)",
                        "n_proposals": "Proposals (n)", "n_adjusted": "Proposals in the model (n)"})
""",
        ),
        (
            "md",
            """
## Rating inflation, and ratings read against their year

Method: share of client reviews with five stars per year (Wilson 95% intervals) and a logistic
trend of "five stars" on years since 2021 (model-based Wald interval; privately satisfied
clients only where the source has private feedback). Because ratings inflate, the choice model
is refitted with each rating read as its percentile among the ratings of its year (0.5 = the
year's middle): the inflation-adjusted rating term.
""",
        ),
        (
            "code",
            """
if page.section("inflation"):
    by_year, trend = reputation.rating_inflation(con, niche=niche, since=since, until=until)
    drift = trend.iloc[0]
    headline(f"Five-star reviews went from {pct(by_year.top_share.iloc[0])} in {by_year.year.iloc[0]} to "
             f"{pct(by_year.top_share.iloc[-1])} in {by_year.year.iloc[-1]}: {drift.estimate:+.2f} log-odds "
             f"a year ({interval(drift.lo, drift.hi, number, digits=2, signed=True)}, n={count(drift.n)} reviews).",
             value=round(float(drift.estimate), 4), label="rating_drift_logodds", lo=drift.lo, hi=drift.hi)
    page.means("Ratings drift upward: " if words.side(drift.lo, drift.hi) > 0 else "No clear drift: ",
               f"{pct(by_year.top_share.iloc[-1])} of reviews in {by_year.year.iloc[-1]} gave five stars.")
    fig = charts.lines(by_year, x="year", y="top_share", lo="lo", hi="hi", n="n", n_word="reviews", fmt="share",
                       x_title="Year of the review", y_title="Five-star reviews (%)")
    show_figure(fig)
    show_table(by_year, "rating_inflation", headers={"n": "Reviews (n)"})
    show_table(trend, "rating_trend", headers={"estimate": "Estimate (log-odds a year)", "n": "Reviews (n)"})
    if page.has("proposals"):
        adjusted = reputation.hire_model(con, niche=niche, since=since, until=until, rating="percentile")
        row = adjusted.set_index("term").loc["hire_logodds_per_rating_percentile"]
        note(f"Inflation-adjusted: from the bottom to the top of its year's ratings, a rating goes with "
             f"{row.estimate:+.2f} log-odds of being hired ({interval(row.lo, row.hi, number, digits=2, signed=True)}, clustered).")
        show_table(adjusted, "hire_model_rating_percentile",
                   headers={"estimate": "Estimate (log-odds)", "n": "Decided proposals (n)"})
""",
        ),
        (
            "md",
            """
## Event study around a date

Method: Poisson regression of every niche's monthly postings (12 months each side) on month
effects, niche effects and one term per month relative to the event for the chosen niche
(month −1 the reference); dispersion-scaled (quasi-Poisson) 95% Wald intervals. Leads (before)
near zero and lags (after) away from it fit a change at the date; placebo steps at shifted dates
and in the other niches show how often such a step appears without an event.
""",
        ),
        (
            "code",
            """
try:
    study = niches.event_study(con, niche=event_niche, event_date=event_date) if page.section("shock") else None
except ValueError as err:  # the date lies outside the data: say so instead of failing
    study = None
    note(f"Not shown: {err} (`fdsa report research_reputation -p event_date=YYYY-MM-DD`).")
if study is not None:
    leads_lags, placebo = study
    event = placebo[placebo.kind == "event"].iloc[0]
    others = placebo[placebo.kind != "event"]
    headline(f"{labels.name('niche', event_niche)} postings after {event.event_date}: {event.estimate:+.2f} log points "
             f"against the other niches' months ({interval(event.lo, event.hi, number, digits=2, signed=True)}); "
             f"{int(others.excludes_zero.sum())} of {len(others)} placebo steps exclude zero.",
             value=round(float(event.estimate), 3), label="event_step", lo=event.lo, hi=event.hi)
    fig = charts.lines(leads_lags, x="relative_month", y="estimate", lo="lo", hi="hi", n="n_jobs",
                       n_word="postings", fmt="number", x_title="Months from the event",
                       y_title="Postings vs month −1 (log points)")
    show_figure(fig)
    show_table(leads_lags, "event_study", headers={"n_jobs": "Postings (n)", "estimate": "Estimate (log points)"})
    show_table(placebo, "event_placebo", headers={"estimate": "Step (log points)"})
""",
        ),
        (
            "md",
            """
## Planted truth beside the estimates

On the simulated market (only there) every effect was planted, so each estimate can be set beside its truth.
`covered` says whether the 95% interval holds the planted value; on one market about 1 interval
in 20 misses by chance. Coverage over many markets, per family, is in `docs/analyses.md`.
Reference levels are 0 by definition; the latent-quality effects cannot be seen by any analysis.
The hiring terms here carry model-based intervals (the simulated market draws its hires from the
choice model itself); the clustered intervals above are wider and suit real data.
""",
        ),
        (
            "code",
            """
if page.section("recovery"):
    recovered = recovery.planted_vs_estimated(con)
    estimated = recovered[recovered.status == "estimated"]
    covered = estimated.covered.astype(bool)
    headline(f"{int(covered.sum())} of {len(estimated)} planted effects lie inside their 95% interval "
             f"({pct(covered.mean())}); {int((recovered.status == 'not estimated').sum())} have no estimate.",
             value=round(float(covered.mean()), 4), label="planted_covered_share")
    by_family = estimated.assign(covered=covered).groupby("family", as_index=False).agg(
        n=("covered", "size"), n_covered=("covered", "sum"))
    show_table(by_family, "planted_by_family", headers={"n": "Planted effects (n)", "n_covered": "Covered (n)"})
    in_words = recovered.covered.astype(object).map({True: "yes", False: "no"}).fillna("no interval")
    show_table(recovered.assign(covered=in_words), "planted_vs_estimated", max_rows=200,
               show=["effect", "family", "truth", "estimate", "covered"],
               headers={"truth": "Planted", "estimate": "Estimate", "effect": "Effect",
                        "covered": "Inside the 95% interval"})
""",
        ),
    ],
)
write(
    "warehouse_overview",
    [
        (
            "md",
            """
# Warehouse overview

What the warehouse holds and where it came from, postings per month, pay by niche and the job
titles clients write most often. Plain read-only queries, no modelling.
""",
        ),
        (
            "params",
            f"""{WAREHOUSE}
niche: str = "all"  # one of fdsa.taxonomy.NICHES, or "all"
{SINCE}
{UNTIL}""",
        ),
        (
            "code",
            """
from fdsa.analysis import niches, open_warehouse
from fdsa.reporting import Page, charts, count, headline, interval, labels, number, pct, show_figure, show_table, usd
from fdsa.warehouse.facts import holdings_in_words, holdings_table

con = open_warehouse(warehouse)
page = Page(con, "warehouse_overview")
name = labels.name("niche", niche)
""",
        ),
        (
            "md",
            """
## What this warehouse holds

Every kind of record a page can read, how many there are and what share of the postings carries
each field. The banner at the top says where they came from.
""",
        ),
        (
            "code",
            """
if page.section("holdings"):
    held = page.held
    headline(f"{count(held.n_jobs)} job postings, {count(held.n_contracts)} contracts and "
             f"{count(sum(s.n_rows for s in held.latest_salaries))} salary records (newest snapshot of each dataset).",
             value=held.n_jobs, label="n_jobs")
    page.means(holdings_in_words(held))
    show_table(holdings_table(held), "holdings", headers={"n": "Count"})
""",
        ),
        (
            "md",
            """
## Postings per month

Postings a month divide by the months the data cover: a dump that starts mid-month counts that
month in part, and a month without a single posting is left out.
""",
        ),
        (
            "code",
            """
if page.section("monthly"):
    summary = niches.niche_summary(con, since=since, until=until)
    mine = summary if niche == "all" else summary[summary.niche == niche]
    n_jobs, per_month = int(mine.n_jobs.sum()), float(mine.jobs_per_month.sum())
    headline(f"{count(n_jobs)} jobs posted{'' if niche == 'all' else ' in ' + name} over "
             f"{number(summary.months.iloc[0])} months of data ({page.window(since, until)}): "
             f"{number(per_month, digits=0)} a month.",
             value=round(per_month, 2), label="jobs_per_month")
    monthly = niches.monthly_jobs(con, since=since, until=until)
    monthly = monthly if niche == "all" else monthly[monthly.niche == niche]
    totals = monthly.groupby("month", as_index=False)[["n_jobs"]].sum()
    busiest = totals.sort_values("n_jobs").iloc[-1] if len(totals) else None
    if busiest is not None:
        page.means(f"{name} drew {number(per_month, digits=0)} postings a month; the busiest month was "
                   f"{busiest.month:%B %Y} with {count(busiest.n_jobs)}.")
    fig = charts.lines(totals, x="month", y="n_jobs", fmt="number", x_title="Month",
                       y_title=f"Postings a month ({name})")
    show_figure(fig, monthly, "jobs_per_month")
""",
        ),
        (
            "md",
            """
## Pay by niche

Posted hourly midpoints (asking pay), fixed budgets and, where contracts exist, agreed hourly
rates: three measures side by side, each with its own n. Medians with cluster-robust 95%
intervals (Woodruff; by client for posted pay, by freelancer for agreed rates); a median over a handful of postings is noise ("small sample").
""",
        ),
        (
            "code",
            """
if page.section("pay"):
    pay = niches.pay_by_niche(con, since=since, until=until)
    pay = pay if niche == "all" else pay[pay.niche.isin(["all", niche])]
    for row in pay[pay.niche == ("all" if niche == "all" else niche)].itertuples():
        headline(f"Median {labels.name('pay_measure', row.measure).lower()}: {usd(row.median_usd)} "
                 f"({interval(row.median_usd_lo, row.median_usd_hi)}, n={count(row.n)}).",
                 value=float(row.median_usd), label=f"{row.measure}_median_usd",
                 lo=row.median_usd_lo, hi=row.median_usd_hi)
    measures = [labels.name("pay_measure", m).lower() for m in pay.measure.unique()]
    page.means(f"Pay is measured as {', '.join(measures)}; each has its own sample, so compare like with like.")
    hourly = pay[(pay.measure != "fixed_budget") & (pay.niche != "all")]
    fig = charts.bars(hourly, category="niche", kind="niche", value="median_usd", lo="median_usd_lo",
                      hi="median_usd_hi", n="n", fmt="usd", colour_by="measure", colour_kind="pay_measure",
                      value_title="Median hourly pay (USD/h)")
    show_figure(fig)
    show_table(pay, "pay_by_niche", headers={"n": "Postings or contracts (n)"})
""",
        ),
        (
            "md",
            """
## Most frequent job titles

Titles are shown exactly as clients wrote them (scraped text, escaped for display).
""",
        ),
        (
            "code",
            """
if page.section("titles"):
    titles = niches.top_titles(con, niche=niche, since=since, until=until, limit=10)
    top = titles.iloc[0]
    headline(f"Most frequent job title: '{top.title}' ({count(top.n_jobs)} postings).",
             value=int(top.n_jobs), label="top_title_n_jobs")
    fig = charts.bars(titles, category="title", value="n_jobs", fmt="count", value_title="Postings")
    show_figure(fig)
    show_table(titles, "top_job_titles")
""",
        ),
        (
            "md",
            """
## Reading this report

Counts are of postings, not of hires: one client may post the same job twice, and re-scrapes of
one posting are merged. Posted pay is what clients ask; agreed pay is what contracts record. The
reproducibility block below names the warehouse file (SHA-256) this page was computed from.
""",
        ),
    ],
)
write(
    "salary_benchmarks",
    [
        (
            "md",
            """
# Salary benchmarks

Real annual pay in AI, ML and data jobs from a public salary survey: freelance against contract,
part-time and full-time work, for the role, level, region and year asked about. One snapshot of
each survey is read (the newest by default), never a pool of overlapping snapshots.
""",
        ),
        (
            "params",
            f"""{WAREHOUSE}
role: str = "all"  # role family (fdsa.analysis.salaries.ROLES), or all
experience: str = "all"  # entry, mid, senior, executive, or all
region: str = "all"  # region of the worker's residence, or all
year: \"Optional[int]\" = None  # work year; None: every year of the snapshot
snapshot: str = "latest"  # latest, or the ingest run id of a salary load""",
        ),
        (
            "code",
            """
from fdsa.analysis import open_warehouse, salaries
from fdsa.reporting import Page, charts, count, headline, interval, labels, note, show_figure, show_table, usd, words

con = open_warehouse(warehouse)
page = Page(con, "salary_benchmarks")
filters = dict(snapshot=snapshot, role=role, experience=experience, region=region, year=year)
asked = ", ".join(f"{k} {v}" for k, v in filters.items() if v not in (None, "all", "latest")) or "every record"
""",
        ),
        (
            "md",
            """
## Freelance, contract, part-time and full-time pay

Median annual pay in USD (converted by the publisher), with distribution-free 95% intervals from
order statistics. Freelance records are few: groups marked "small sample" are anecdotes, not
estimates.
""",
        ),
        (
            "code",
            """
if page.section("employment"):
    pay = salaries.salary_benchmarks(con, **filters)
    if pay.empty:
        note(f"No salary record matches {asked}.")
    else:
        for row in pay.itertuples():
            headline(f"{labels.name('employment', row.employment_type)}: median {usd(row.median_usd)} a year "
                     f"({interval(row.median_usd_lo, row.median_usd_hi)}, n={count(row.n)}"
                     f"{'; too few records to rely on' if row.low_n else ''}).",
                     value=float(row.median_usd), label=f"{row.employment_type}_median_usd",
                     lo=row.median_usd_lo, hi=row.median_usd_hi)
        by_type = pay.set_index("employment_type")
        if {"freelance", "full_time"} <= set(by_type.index):
            fl, ft = by_type.loc["freelance"], by_type.loc["full_time"]
            page.means(f"Freelance records report a median of {usd(fl.median_usd)} a year, "
                       f"{words.ratio(fl.median_usd, ft.median_usd)} the full-time median of {usd(ft.median_usd)}."
                       + words.small_sample(fl.low_n, f"the freelance median (n={count(fl.n)})"))
        fig = charts.bars(pay, category="employment_type", kind="employment", value="median_usd",
                          lo="median_usd_lo", hi="median_usd_hi", n="n", n_word="records", fmt="usd0",
                          colour_by="employment_type", colour_kind="employment", horizontal=False, sort=False,
                          value_title="Median annual pay (USD a year)", category_title="Employment")
        show_figure(fig)
        show_table(pay, "salary_by_employment_type", headers={"n": "Records (n)"})
""",
        ),
        ("md", "## By experience level"),
        (
            "code",
            """
if page.section("experience"):
    by_level = salaries.salary_benchmarks(con, by="experience", **filters)
    if by_level.empty:
        note(f"No salary record matches {asked}.")
    else:
        fig = charts.bars(by_level, category="group", kind="experience", value="median_usd", lo="median_usd_lo",
                          hi="median_usd_hi", n="n", n_word="records", fmt="usd0", colour_by="employment_type",
                          colour_kind="employment", horizontal=False, sort=False,
                          value_title="Median annual pay (USD a year)", category_title="Experience level")
        show_figure(fig)
        show_table(by_level, "salary_by_experience", headers={"group": "Experience", "n": "Records (n)"})
""",
        ),
        ("md", "## By region of residence"),
        (
            "code",
            """
if page.section("region"):
    by_region = salaries.salary_benchmarks(con, by="region", **filters)
    if by_region.empty:
        note(f"No salary record matches {asked}.")
    else:
        full_time = by_region[by_region.employment_type == "full_time"]
        fig = charts.bars(full_time, category="group", kind="region", value="median_usd", lo="median_usd_lo",
                          hi="median_usd_hi", n="n", n_word="records", fmt="usd0",
                          highlight=None if region == "all" else region,
                          value_title="Median full-time annual pay (USD a year)")
        show_figure(fig)
        show_table(by_region, "salary_by_region", headers={"group": "Region of residence", "n": "Records (n)"})
""",
        ),
        ("md", "## Over the years"),
        (
            "code",
            """
if page.section("years"):
    by_year = salaries.salary_benchmarks(con, by="year", **filters)
    if by_year.empty:
        note(f"No salary record matches {asked}.")
    else:
        by_year = by_year.assign(year=by_year.group.astype(int))
        fig = charts.lines(by_year, x="year", y="median_usd", lo="median_usd_lo", hi="median_usd_hi", n="n",
                           n_word="records", fmt="usd0", series="employment_type", series_kind="employment",
                           x_title="Work year", y_title="Median annual pay (USD a year)")
        show_figure(fig)
        show_table(by_year, "salary_by_year", show=["year", "dataset", "employment_type", "n", "median_usd",
                                                    "median_usd_lo", "median_usd_hi", "p25_usd", "p75_usd",
                                                    "n_no_usd", "low_n"],
                   headers={"n": "Records (n)"})
""",
        ),
        (
            "md",
            """
## The data

Every loaded snapshot of every salary dataset, the one read marked. Survey records are
self-reported; the publisher converts pay to USD at yearly average rates.
""",
        ),
        (
            "code",
            """
if page.section("data"):
    snapshots = salaries.salary_snapshots(con)
    for licence in snapshots.licence.unique():
        note(f"Licence: {licence}")
    # the file's name, not the folders of whoever loaded it
    show_table(snapshots.drop(columns=["licence", "file"]), "salary_snapshots", headers={"n": "Records (n)"})
""",
        ),
    ],
)
