"""Report parameters are declared and checked before any kernel starts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fdsa.reporting import params
from fdsa.reporting.files import confined
from fdsa.reporting.results import slug_of
from fdsa.reporting.runner import run_report


def test_defaults_fill_in():
    assert params.validate("market_overview", {}) == {"since": None, "until": None}
    assert params.validate("market_overview", {"since": None}) == {"since": None, "until": None}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"nonsense": "1"}, "unknown parameter"),
        ({"__import__('os').system('id')": "1"}, "unknown parameter"),
        ({"since; import os": "1"}, "unknown parameter"),
        ({"since": "yesterday"}, "ISO date"),
        ({"since": "../../etc/passwd"}, "ISO date"),
        ({"since": 2024}, "must be str"),
    ],
)
def test_bad_parameters_are_refused(raw, message):
    with pytest.raises(ValueError, match=message):
        params.validate("market_overview", raw)


@pytest.mark.parametrize("name", ["nope", "../market_overview", "Market_Overview", "a b"])
def test_unknown_reports_are_refused(name):
    with pytest.raises(ValueError, match="unknown report"):
        params.validate(name, {})


def test_refusal_happens_before_any_kernel_or_file(tmp_path, monkeypatch):
    import papermill

    def boom(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", boom)
    with pytest.raises(ValueError, match="unknown parameter"):
        run_report(
            "market_overview",
            {"evil": "x"},
            warehouse=tmp_path / "none.duckdb",
            out_dir=tmp_path / "reports",
        )
    assert not (tmp_path / "reports").exists()


def test_key_value_pairs_are_parsed_strictly():
    assert params.parse_pairs(["since=2024-01-01"]) == {"since": "2024-01-01"}
    with pytest.raises(ValueError, match="key=value"):
        params.parse_pairs(["since"])


def test_output_paths_stay_inside_the_folder(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    assert confined(out, "market_overview", "x.html") == out / "market_overview" / "x.html"
    for bad in ("..", "../x", "/etc/passwd", "a/b", ""):
        with pytest.raises(ValueError, match="refusing"):
            confined(out, bad)
    (out / "escape").symlink_to(tmp_path)
    with pytest.raises(ValueError, match="outside"):
        confined(out, "escape")
    assert slug_of({"since": "../../x y"}) == "since-x-y"
    assert slug_of({"niche": "nlp", "since": None}) == "niche-nlp"  # left to the data
    assert Path(slug_of({})).name == "default"


# ------------------------------------------------------------------ warehouse_overview


def test_warehouse_overview_declares_niche_and_window():
    assert params.validate("warehouse_overview", {}) == {
        "niche": "all",
        "since": None,
        "until": None,
    }
    assert params.validate("warehouse_overview", {"niche": "nlp", "since": "2024-02-29"}) == {
        "niche": "nlp",
        "since": "2024-02-29",
        "until": None,
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"__import__('os')": "x"}, "unknown parameter"),
        ({"a;b": "x"}, "unknown parameter"),
        ({"niche\nimport os": "x"}, "unknown parameter"),
        ({"warehouse": "/etc/passwd"}, "unknown parameter"),
        ({"Niche": "nlp"}, "unknown parameter"),
        ({"niche": "astrology"}, "must be one of"),
        ({"niche": "../nlp"}, "must be one of"),
        ({"niche": "nlp; rm -rf /"}, "must be one of"),
        ({"niche": ["nlp"]}, "must be str"),
        ({"niche": True}, "must be str"),
        ({"since": "2024-02-30"}, "ISO date"),
        ({"since": "1066-10-14"}, "ISO date"),
        ({"since": "20240101"}, "ISO date"),
        ({"since": "/tmp/x"}, "ISO date"),
        ({"since": {"a": 1}}, "must be str"),
    ],
)
def test_hostile_and_wrong_parameters_are_refused(raw, message):
    with pytest.raises(ValueError, match=message):
        params.validate("warehouse_overview", raw)


def test_typed_ranges_and_plain_text():
    count = params.Param("top_n", int, 10, lo=1, hi=100)
    assert count.coerce("25") == 25 and count.coerce(7) == 7
    for bad, message in (("0", r"in \[1, 100\]"), ("1e3", "must be int"), (2.5, "must be int")):
        with pytest.raises(ValueError, match=message):
            count.coerce(bad)
    share = params.Param("share", float, 0.5, lo=0.0, hi=1.0)
    assert share.coerce("0.25") == 0.25 and share.coerce(1) == 1.0
    label = params.Param("label", str, "x")
    assert label.coerce("Q1 2024") == "Q1 2024"
    for bad in ("../etc/passwd", "/etc/passwd", "a/b", "<script>", "x" * 81, "$(id)"):
        with pytest.raises(ValueError, match="plain text"):
            label.coerce(bad)


def test_declarations_themselves_are_checked():
    for name in ("warehouse", "__import__('os')", "a;b", "Upper"):
        with pytest.raises(ValueError, match="not a declarable"):
            params.Param(name, str, "")


def test_duplicate_pairs_are_refused():
    with pytest.raises(ValueError, match="twice"):
        params.parse_pairs(["niche=nlp", "niche=energy"])
    assert params.parse_pairs(["since=2024-01-01=x"]) == {"since": "2024-01-01=x"}


def test_cli_lists_every_report_with_its_parameters():
    from typer.testing import CliRunner

    from fdsa.cli import app

    listed = CliRunner().invoke(app, ["report", "--list"])
    assert listed.exit_code == 0, listed.output
    for name, report in params.REPORTS.items():
        assert name in listed.output
        assert all(p.name in listed.output for p in report.params)
    assert "0 to 60" in listed.output  # experience_years' range


def test_file_hash_is_remembered_per_version_only(tmp_path):
    import hashlib
    import os

    from fdsa.reporting.files import sha256_file as _sha256

    path = tmp_path / "w.duckdb"
    path.write_bytes(b"first")
    assert _sha256(path) == hashlib.sha256(b"first").hexdigest()
    replacement = tmp_path / "new"
    replacement.write_bytes(b"second")
    os.replace(replacement, path)  # how a warehouse is published
    assert _sha256(path) == hashlib.sha256(b"second").hexdigest()


def test_safe_csv_neutralises_formulas_and_keeps_numbers():
    import csv
    import io

    import pandas as pd

    from fdsa.reporting.display import safe_csv

    df = pd.DataFrame(
        {
            "title": ["=1+1", "+cmd", "-cmd", "@SUM(A1)", "\t=1", "\r=1", "plain", "-12.5"],
            "value": [-12.5, 1.0, 2.0, -3.0, 0.0, 5.0, 6.0, 7.0],
            "n": [1, -2, 3, 4, 5, 6, 7, 8],
        }
    )
    lines = safe_csv(df).splitlines()
    assert lines[1] == "'=1+1,-12.5,1"
    assert lines[3] == "'-cmd,2.0,3" and lines[2] == "'+cmd,1.0,-2"
    assert lines[4] == "'@SUM(A1),-3.0,4"
    assert lines[-2] == "plain,6.0,7" and lines[-1] == "'-12.5,7.0,8"  # text stays text
    rows = list(csv.reader(io.StringIO(safe_csv(df), newline="")))[1:]
    assert [r[0] for r in rows[4:6]] == ["'\t=1", "'\r=1"]
    assert [float(r[1]) for r in rows] == df.value.tolist()  # numbers parse back, sign and all
    assert [int(r[2]) for r in rows] == df.n.tolist()
    assert df.title[0] == "=1+1"  # the frame shown is not modified


def test_choices_ignore_case_and_slug_forms():
    assert params.validate(
        "channel_strategy", {"tenure": "first_year", "niche": "LLM-Applications"}
    )
    checked = params.validate("channel_strategy", {"tenure": "Third Year+", "niche": "nlp"})
    assert checked == {"tenure": "third year+", "niche": "nlp"}
    for bad in ("../nlp", "nlp;", "n l p x"):
        with pytest.raises(ValueError, match="must be one of"):
            params.validate("niche_explorer", {"niche": bad})


@pytest.mark.parametrize(
    ("report", "raw", "hint"),
    [
        ("niche_explorer", {"niche": "llm_aplications"}, "Did you mean llm_applications?"),
        ("channel_strategy", {"tenure": "frist year"}, "Did you mean first year?"),
        ("niche_explorer", {"nich": "nlp"}, "Did you mean niche?"),
        ("rate_advisr", {}, "Did you mean rate_advisor?"),
    ],
)
def test_near_misses_get_a_suggestion(report, raw, hint):
    with pytest.raises(ValueError, match=re.escape(hint)):
        params.validate(report, raw)


def test_the_report_list_fits_80_columns_and_names_every_value():
    from typer.testing import CliRunner

    from fdsa import taxonomy
    from fdsa.cli import app

    listed = CliRunner().invoke(app, ["report", "--list"], terminal_width=80)
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    words = set(listed.output.replace(",", " ").split())
    assert set(taxonomy.NICHES) <= words and set(taxonomy.REGIONS) <= words
    for report in params.REPORTS.values():
        assert f"{report.name} - {report.title}" in lines
        assert report.purpose.split()[0] in listed.output
    one = CliRunner().invoke(app, ["report", "--list", "rate_advisor"], terminal_width=80)
    assert one.exit_code == 0 and one.output.startswith("rate_advisor - Rate advisor")
    assert "niche_explorer" not in one.output.split("Choices ignore case")[0]
    wrong = CliRunner().invoke(app, ["report", "--list", "rate_advisr"])
    assert wrong.exit_code == 1 and "Did you mean rate_advisor?" in wrong.output


def test_the_version_is_printed():
    from typer.testing import CliRunner

    import fdsa
    from fdsa.cli import app

    shown = CliRunner().invoke(app, ["--version"])
    assert shown.exit_code == 0 and shown.output.strip() == f"fdsa {fdsa.__version__}"


def test_rating_cannot_make_a_separate_page_at_zero_reviews():
    one = params.validate("rate_advisor", {"n_reviews": "0", "rating": "1"})
    five = params.validate("rate_advisor", {"n_reviews": "0", "rating": "5"})
    assert one == five and one["rating"] == 4.8
    assert params.validate("rate_advisor", {"n_reviews": "3", "rating": "1"})["rating"] == 1.0


def test_list_parameters_take_several_checked_values():
    values = params.validate(
        "newcomer_plan",
        {"niches": "LLM applications, finance_fintech,nlp", "skills": "Python, SQL"},
    )
    assert values["niches"] == "llm_applications,finance_fintech,nlp"
    assert values["skills"] == "Python,SQL"
    assert params.validate("newcomer_plan", {"niches": ["nlp", "nlp"]})["niches"] == "nlp"
    with pytest.raises(ValueError, match="Did you mean llm_applications"):
        params.validate("newcomer_plan", {"niches": "llm_aplications"})
    with pytest.raises(ValueError, match="plain text"):
        params.validate("newcomer_plan", {"skills": "Python,../etc"})
    with pytest.raises(ValueError, match="at least one"):
        params.validate("newcomer_plan", {"niches": " , "})


def test_growth_sections_name_the_window_the_analysis_uses():
    import json
    from pathlib import Path

    from fdsa.analysis.niches import GROWTH_MONTHS
    from fdsa.reporting.params import REPORTS

    years = {24: "two years", 36: "three years"}[GROWTH_MONTHS]
    (section,) = [s for s in REPORTS["market_overview"].sections if s.id == "growth"]
    assert years in section.title
    notebooks = Path(__file__).resolve().parents[2] / "notebooks"
    for name in ("market_overview", "niche_explorer"):
        cells = json.loads((notebooks / f"{name}.ipynb").read_text())["cells"]
        text = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        growth = text[text.index("Growth") :]
        growth = " ".join(growth[: growth.index("in percent a year")].split())
        assert f"last {years}" in growth and "last two years" not in growth.replace(years, ""), name
