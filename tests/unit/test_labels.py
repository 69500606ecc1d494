"""The display vocabulary names every identifier a page shows, with one colour each."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from fdsa import taxonomy
from fdsa.analysis.channels import TENURE_BUCKETS
from fdsa.reporting import charts, labels, words
from fdsa.reporting.display import reading_table

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


@pytest.mark.parametrize(
    ("kind", "values"),
    [
        ("niche", taxonomy.NICHES),
        ("region", taxonomy.REGIONS),
        ("channel", taxonomy.CHANNELS),
        ("tenure", TENURE_BUCKETS),
    ],
)
def test_every_value_has_a_name_and_categories_one_colour_each(kind, values):
    vocabulary = labels.VOCABULARIES[kind]
    for value in values:
        shown = vocabulary.name(value)
        assert shown[:1].isupper() and not SNAKE.fullmatch(shown), (value, shown)
    coloured = [v for v in values if v in vocabulary.colours]
    assert len({vocabulary.colour(v) for v in coloured}) == len(coloured)


def test_comparisons_name_their_baseline():
    assert labels.versus("niche") == "vs BI dashboards"
    assert labels.versus("region") == "vs North America"
    assert labels.versus("channel") == "vs applications"
    assert labels.term_name("rate_log_premium_region__south_asia") == (
        "Region: South Asia (vs North America)"
    )
    assert labels.term_name("hire_logodds_channel__referral") == (
        "Channel: Referrals (vs applications)"
    )
    assert labels.term_name("rate_log_premium_experience_level__entry") == (
        "Experience: Entry level (vs intermediate level)"
    )
    assert not SNAKE.fullmatch(labels.term_name("rate_log_premium_something_new__x"))


def test_growth_reads_in_percent_a_year():
    assert labels.pct_a_year(0.10) == pytest.approx(10.517, abs=1e-3)
    grown = labels.with_pct(
        pd.DataFrame({"g": [0.0], "lo": [-0.1], "hi": [0.1]}), "g", "g_pct", lo="lo", hi="hi"
    )
    assert grown.g_pct.iloc[0] == 0 and grown.g_pct_lo.iloc[0] < 0 < grown.g_pct_hi.iloc[0]


def test_reading_tables_show_names_units_and_intervals():
    df = pd.DataFrame(
        {
            "niche": ["llm_applications", "nlp"],
            "n": [12, 3],
            "median_usd": [30.5, float("nan")],
            "median_usd_lo": [28.0, float("-inf")],
            "median_usd_hi": [33.0, float("inf")],
            "share": [0.125, 0.5],
            "lo": [0.1, 0.4],
            "hi": [0.15, 0.6],
            "low_n": [False, True],
            "empty": [None, None],
        }
    )
    shown = reading_table(df)
    assert list(shown.columns) == [
        "Niche", "Sample (n)", "Median (USD)", "95% interval", "Share (%)", "95% interval",
        "Small sample",
    ]  # fmt: skip
    assert shown.iloc[0].tolist() == [
        "LLM applications", "12", "30.5", "28 to 33", "12.5%", "10.0% to 15.0%", "no",
    ]  # fmt: skip
    assert shown.iloc[1, 2] == "–" and shown.iloc[1, 3] == "–"  # missing, never nan or inf
    assert all(not SNAKE.fullmatch(c) for c in shown.columns)


def test_figures_use_the_template_and_the_colours_of_their_categories():
    df = pd.DataFrame(
        {"channel": ["application", "referral"], "bucket": ["first year"] * 2, "share": [0.6, 0.4]}
    )
    fig = charts.bars(
        df,
        category="bucket",
        kind="tenure",
        value="share",
        fmt="share",
        colour_by="channel",
        colour_kind="channel",
        value_title="Share (%)",
    )
    assert fig.layout.template.layout.font.family == charts.FONT
    assert {t.name: t.marker.color for t in fig.data} == {
        "Applications": labels.colour("channel", "application"),
        "Referrals": labels.colour("channel", "referral"),
    }
    years = charts.lines(
        pd.DataFrame({"year": [2021, 2022, 2023], "v": [1, 2, 3]}),
        x="year",
        y="v",
        x_title="Year",
        y_title="Value (n)",
    )
    assert years.layout.xaxis.tickformat == "d" and years.layout.xaxis.dtick == 1


def test_forest_plots_are_sorted_and_highlight_the_chosen_rows():
    df = pd.DataFrame({"name": ["a", "b", "c"], "est": [3.0, -1.0, 2.0], "lo": [2.0, -2, 1],
                       "hi": [4.0, 0.0, 3.0]})  # fmt: skip
    fig = charts.forest(
        df, label="name", estimate="est", lo="lo", hi="hi", value_title="x (%)", highlight=["c"]
    )
    assert list(fig.data[0].y) == ["b", "c", "a"]
    assert list(fig.data[0].marker.color) == [labels.NEUTRAL, labels.HIGHLIGHT, labels.NEUTRAL]


def test_words_read_intervals_no_stronger_than_they_are():
    assert words.compare(30.2, 18.6, 42.9, baseline="X").startswith("about 30% more than X")
    assert words.compare(-20, -30, -10, baseline="X").startswith("about 20% less than X")
    assert words.compare(2.9, -4.1, 10.5, baseline="X").startswith("no clear difference from X")
    assert words.ratio(2.3, 1.0) == "2.3 times" and words.ratio(1.02, 1) == "about the same as"
    assert words.ordinal(1) == "1st" and words.ordinal(12) == "12th" and words.ordinal(23) == "23rd"
    assert words.join(["a", "b", "c"]) == "a, b and c" and words.join([]) == "none"


def test_long_labels_wrap_even_without_spaces():
    assert labels.wrap("Academic research & statistics", 22) == "Academic research &\nstatistics"
    assert max(len(x) for x in labels.wrap("x" * 50, 20).split("\n")) == 20


def test_calendar_years_are_written_without_a_thousands_separator():
    import pandas as pd

    from fdsa.reporting.display import reading_table

    shown = reading_table(pd.DataFrame({"year": [2021, 2025], "n": [12_345, 2]}))
    assert shown.iloc[:, 0].tolist() == ["2021", "2025"]
    assert shown.iloc[:, 1].tolist() == ["12,345", "2"]


def test_a_line_over_text_buckets_keeps_every_bucket():
    # tenure years "0".."3" look numeric to plotly, which then drops "4+"
    df = pd.DataFrame({"tenure_years": ["0", "1", "2", "3", "4+"], "rate": [30.0, 32, 35, 36, 36]})
    fig = charts.lines(df, x="tenure_years", y="rate", x_title="Years", y_title="Rate")
    assert fig.layout.xaxis.type == "category"
    assert list(fig.data[0].x) == ["0", "1", "2", "3", "4+"]


@pytest.mark.parametrize("first", ["on_profile", "not_on_profile"])
def test_skills_on_the_profile_have_one_colour_whichever_comes_first(first):
    other = "not_on_profile" if first == "on_profile" else "on_profile"
    df = pd.DataFrame({"skill": ["A", "B"], "share": [0.5, 0.4], "on_profile": [first, other]})
    fig = charts.bars(
        df,
        category="skill",
        value="share",
        value_title="Share",
        colour_by="on_profile",
        colour_kind="on_profile",
    )
    colours = {t.name: t.marker.color for t in fig.data}
    assert colours == {"On your profile": labels.HIGHLIGHT, "Not on your profile": labels.NEUTRAL}


def test_coloured_groups_need_a_vocabulary():
    df = pd.DataFrame({"skill": ["A", "B"], "share": [0.5, 0.4], "group": ["x", "y"]})
    with pytest.raises(ValueError, match="colour_kind"):
        charts.bars(df, category="skill", value="share", value_title="Share", colour_by="group")


def test_a_bound_that_rounds_to_zero_reads_0_not_minus_0():
    from fdsa.reporting.display import number, pct, usd

    df = pd.DataFrame({"score": [-0.026], "score_lo": [-0.052], "score_hi": [-0.000163]})
    assert reading_table(df).iloc[0, 1] == "-0.052 to 0"
    growth = pd.DataFrame({"growth_pct_a_year": [-0.01]})
    assert "-" not in reading_table(growth).iloc[0, 0]
    assert number(-0.0004) == "0.0" and number(-0.0004, signed=True) == "+0.0"
    assert pct(-0.00001) == "0%" and usd(-0.2) == "$0"


def test_an_interval_never_rounds_to_one_value_it_does_not_hold():
    from fdsa.reporting.display import interval, pct

    assert interval(25.9, 26.3) == "95% interval $25.9 to $26.3"  # not "$26 to $26"
    assert interval(26.0, 26.0) == "95% interval $26 at both ends"  # tied values
    assert interval(0.412, 0.414, pct) == "95% interval 41.2% to 41.4%"


def test_the_newcomer_population_reads_as_a_region_name():
    shown = reading_table(pd.DataFrame({"population": ["south_asia", "lower-income regions"]}))
    assert list(shown.iloc[:, 0]) == ["South Asia", "Lower-income regions"]


def test_every_all_choice_of_a_parameter_names_what_it_spans():
    from fdsa.reporting.layout import PARAM_KINDS

    for kind in PARAM_KINDS.values():
        if "all" in labels.VOCABULARIES[kind].names or kind in ("experience",):
            assert labels.name(kind, "all") != "All", kind  # "All experience levels", not "All"
