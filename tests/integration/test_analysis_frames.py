"""Every public analysis returns the same values as pandas and as polars frames.

The analyses are found, not listed: every public function of every module of
``fdsa.analysis`` whose first parameter is ``con`` must be decorated with
``fdsa.analysis._frames.analysis``, and each is called on a small warehouse in both
forms. Required parameters get the example values of :data:`EXAMPLES`, by name.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest

import fdsa.analysis
from fdsa.analysis import _frames, _sql, open_warehouse
from fdsa.ingest import ingest_file

SALARIES = Path(__file__).resolve().parents[2] / "data" / "raw" / "aijobs_salaries" / "salaries.csv"

EXAMPLES: dict[str, object] = {
    "niche": "llm_applications",
    "region": "north_america",
    "experience_years": 5.0,
    "n_reviews": 10,
    "niches": "llm_applications,finance_fintech",
}
"""Values for required parameters, by name (a new required name must be added here)."""


def _public_analyses() -> dict[str, object]:
    found = {}
    for info in pkgutil.iter_modules(fdsa.analysis.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"fdsa.analysis.{info.name}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or func.__module__ != module.__name__:
                continue
            parameters = list(inspect.signature(func).parameters)
            if parameters[:1] == ["con"]:
                found[f"{info.name}.{name}"] = func
    return found


PUBLIC = _public_analyses()


@pytest.fixture(scope="module")
def frames_con(small_warehouse: Path, tmp_path_factory: pytest.TempPathFactory):
    """The small synthetic warehouse with the real salaries loaded beside it."""
    path = tmp_path_factory.mktemp("frames") / "w.duckdb"
    shutil.copy(small_warehouse, path)
    ingest_file(SALARIES, format_name="aijobs-salaries", warehouse=path)
    con = open_warehouse(path)
    yield con
    con.close()


def test_the_public_analyses_are_found_and_all_decorated() -> None:
    assert len(PUBLIC) >= 21  # the analyses of issue 18's time; more may come
    undecorated = [name for name, func in PUBLIC.items() if _frames.ANALYSES.get(name) is not func]
    assert undecorated == [], "decorate with @analysis (fdsa.analysis._frames)"
    for func in PUBLIC.values():
        frame = inspect.signature(func).parameters["frame"]
        assert frame.kind is inspect.Parameter.KEYWORD_ONLY and frame.default == "pandas"


def _arguments(func) -> dict[str, object]:
    required = [
        p.name
        for p in list(inspect.signature(func).parameters.values())[1:]
        if p.default is inspect.Parameter.empty
        and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]
    missing = [name for name in required if name not in EXAMPLES]
    assert not missing, f"add example values for {missing} to EXAMPLES"
    return {name: EXAMPLES[name] for name in required}


def _cell(value: object) -> object:
    """One value, with every kind of missing (None, NaN, NaT, pd.NA) as None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _assert_same(pandas_frame: pd.DataFrame, polars_frame: pl.DataFrame) -> None:
    assert isinstance(pandas_frame, pd.DataFrame)
    assert isinstance(polars_frame, pl.DataFrame)
    assert polars_frame.columns == [str(c) for c in pandas_frame.columns]
    assert polars_frame.height == len(pandas_frame)
    for column in pandas_frame.columns:
        expected = [_cell(v) for v in pandas_frame[column].astype(object).tolist()]
        got = [_cell(v) for v in polars_frame[str(column)].to_list()]
        assert got == expected, column


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_pandas_and_polars_give_the_same_values(frames_con, name: str) -> None:
    func = PUBLIC[name]
    arguments = _arguments(func)
    as_pandas = func(frames_con, **arguments)
    as_polars = func(frames_con, **arguments, frame="polars")
    pandas_parts = as_pandas if isinstance(as_pandas, tuple) else (as_pandas,)
    polars_parts = as_polars if isinstance(as_polars, tuple) else (as_polars,)
    assert len(pandas_parts) == len(polars_parts)
    for pandas_frame, polars_frame in zip(pandas_parts, polars_parts, strict=True):
        assert len(pandas_frame) > 0, "call it with arguments that give rows"
        _assert_same(pandas_frame, polars_frame)


def test_a_frame_straight_from_sql_skips_pandas(monkeypatch) -> None:
    """A frame returned as ``_sql`` made it becomes polars from DuckDB's Arrow result."""
    monkeypatch.setattr(_frames, "ANALYSES", {})

    def refuse(*args, **kwargs):
        raise AssertionError("converted through pandas")

    @_frames.analysis
    def straight(con):
        sql = "select range as i, timestamptz '2024-01-01 00:00:00+00' as at from range(3)"
        return _sql._to_pandas(con.sql(sql).to_arrow_table())

    monkeypatch.setattr(pl, "from_pandas", refuse)
    got = straight(duckdb.connect(), frame="polars")
    assert got["i"].to_list() == [0, 1, 2]
    assert got.schema["at"] == pl.Datetime("us", "UTC")


def test_a_sql_frame_changed_in_place_is_converted_from_its_new_values(monkeypatch) -> None:
    monkeypatch.setattr(_frames, "ANALYSES", {})
    con = duckdb.connect()

    def table():
        return con.sql("select range as i, range * 0.5::double as x from range(4)").to_arrow_table()

    @_frames.analysis
    def changed(con):
        df = _sql._to_pandas(table())
        df.loc[1, "x"] = 99.0
        return df

    @_frames.analysis
    def added(con):
        df = _sql._to_pandas(table())
        df["y"] = df.x * 2
        return df

    @_frames.analysis
    def unchanged(con):
        return _sql._to_pandas(table())

    assert changed(con, frame="polars")["x"].to_list() == [0.0, 99.0, 1.0, 1.5]
    assert added(con, frame="polars")["y"].to_list() == [0.0, 1.0, 2.0, 3.0]
    assert unchanged(con, frame="polars")["x"].to_list() == [0.0, 0.5, 1.0, 1.5]
    assert changed(con)["x"].tolist() == [0.0, 99.0, 1.0, 1.5]


def test_a_polars_call_keeps_no_arrow_table_after_it_returns(monkeypatch) -> None:
    monkeypatch.setattr(_frames, "ANALYSES", {})
    con = duckdb.connect()
    kept = []
    seen = []

    @_frames.analysis
    def cached(con):
        df = _sql._to_pandas(con.sql("select range as i from range(3)").to_arrow_table())
        kept.append(df)  # like a frame remembered per connection (_cache)
        seen.append(_frames._CALL.get())
        return df

    assert cached(con, frame="polars")["i"].to_list() == [0, 1, 2]
    assert seen[0].arrow == {} and seen[0].finalizers == []
    assert _frames._CALL.get() is None


def test_an_unknown_frame_is_refused(frames_con) -> None:
    with pytest.raises(ValueError, match="frame must be one of pandas, polars"):
        fdsa.analysis.workload.profile_mix(frames_con, frame="arrow")


SNAKE = __import__("re").compile(r"[a-z][a-z0-9_]*")
ROW_LISTINGS = {"salaries.salary_rows", "recovery.planted_vs_estimated"}
"""No sample size column of their own: a listing of records, and the crosswalk of planted
effects to the estimates of other analyses (each with its n in its own frame)."""


def _bounds(columns: list[str]) -> list[tuple[str, str, str]]:
    """(measure prefix, lower, upper) for every pair of interval bounds of a frame."""
    pairs = [("", "lo", "hi")] if "lo" in columns else []
    pairs += [(c[:-3], c, c[:-3] + "_hi") for c in columns if c.endswith("_lo")]
    return pairs


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_frame_follows_the_output_contract(frames_con, name: str) -> None:
    """The naming rule of docs/analyses.md ("The output contract"), checked on real output."""
    func = PUBLIC[name]
    out = func(frames_con, **_arguments(func))
    for frame in out if isinstance(out, tuple) else (out,):
        columns = [str(c) for c in frame.columns]
        assert all(SNAKE.fullmatch(c) for c in columns), columns
        assert len(set(columns)) == len(columns)
        # a sample size: `n`, `n_<what>` or `<measure>_n`
        assert name in ROW_LISTINGS or any(
            c == "n" or c.startswith("n_") or c.endswith("_n") for c in columns
        ), columns
        # bounds come in pairs, name their measure, and are ordered
        assert ("lo" in columns) == ("hi" in columns)
        lows = {c[:-3] for c in columns if c.endswith("_lo")}
        assert lows == {c[:-3] for c in columns if c.endswith("_hi")}, columns
        for measure, lo, hi in _bounds(columns):
            if measure:
                assert any(
                    c == measure or c.startswith(measure + "_")
                    for c in columns
                    if c not in (lo, hi)
                ), f"{lo}/{hi} name no measure column of {columns}"
            both = frame[[lo, hi]].dropna()
            assert (both[lo].astype(float) <= both[hi].astype(float) + 1e-9).all(), (lo, hi)
        if "low_n" in columns:
            assert frame["low_n"].dropna().isin([True, False]).all()
