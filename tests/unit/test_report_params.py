"""Report parameters are declared and checked before any kernel starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from fdsa.reporting import params
from fdsa.reporting.runner import confined, run_report, slug_of


def test_defaults_fill_in():
    assert params.validate("market_overview", {}) == {"since": "2021-01-01"}


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
    assert Path(slug_of({})).name == "default"
