"""pandas or polars: the one return path of every public analysis.

Decorating a public analysis with :func:`analysis` gives it a keyword-only
``frame`` parameter (``"pandas"``, the default, or ``"polars"``) and records it in
:data:`ANALYSES`. The function body is unchanged and still builds pandas frames;
with ``frame="polars"`` the decorator converts what it returns (each frame of a
tuple). A frame that comes straight from SQL (:func:`fdsa.analysis._sql.run`,
returned as it came) is converted from DuckDB's Arrow result with
``polars.from_arrow``, without going through pandas; any other frame with
``polars.from_pandas`` (missing values, NaN included, become nulls). Column names
and row order are the same in both forms.

Use, in an analysis module::

    from fdsa.analysis._frames import analysis

    @analysis
    def niche_summary(con, *, region=None, ...) -> pd.DataFrame: ...

    niche_summary(con)                  # pandas
    niche_summary(con, frame="polars")  # polars
"""

from __future__ import annotations

import functools
import inspect
import weakref
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from fdsa.analysis import _cache, _params

if TYPE_CHECKING:
    import pyarrow as pa

FRAMES: tuple[str, ...] = ("pandas", "polars")
"""Frame libraries an analysis can return."""

ANALYSES: dict[str, Callable[..., Any]] = {}
"""Every decorated analysis by ``<module>.<function>`` (e.g. ``niches.niche_summary``)."""

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class _Call:
    """The frame a running analysis returns, and the Arrow tables behind its SQL frames."""

    frame: str
    arrow: dict[int, tuple[pa.Table, pd.DataFrame]] = field(default_factory=dict)
    finalizers: list[weakref.finalize] = field(default_factory=list)

    def close(self) -> None:
        """Forget the Arrow tables (a frame cached past the call must not keep its table)."""
        for finalizer in self.finalizers:
            finalizer.detach()
        self.finalizers.clear()
        self.arrow.clear()


_CALL: ContextVar[_Call | None] = ContextVar("fdsa_analysis_call", default=None)


def note_arrow(df: pd.DataFrame, table: pa.Table) -> None:
    """Remember that ``df`` was made from ``table``, when a polars result is being built.

    With a shallow copy of ``df`` beside it: pandas copies on write, so the copy keeps
    the values ``df`` had here, and :func:`_to_polars` takes the Arrow table only when
    ``df`` still equals it. The entry goes when ``df`` does, or when the call ends.
    """
    call = _CALL.get()
    if call is None or call.frame != "polars":
        return
    key = id(df)
    call.arrow[key] = (table, df.copy(deep=False))
    call.finalizers.append(weakref.finalize(df, call.arrow.pop, key, None))


def _from_sql(df: pd.DataFrame, call: _Call) -> pa.Table | None:
    """The Arrow table ``df`` was made from, if ``df`` is unchanged since."""
    entry = call.arrow.get(id(df))
    if entry is None:
        return None
    table, before = entry
    same = (
        list(df.columns) == list(before.columns)
        and df.index.equals(before.index)
        and isinstance(df.index, pd.RangeIndex)
        and df.equals(before)
    )
    return table if same else None


def _to_polars(result: object, call: _Call) -> object:
    import polars as pl

    if isinstance(result, tuple):
        return tuple(_to_polars(part, call) for part in result)
    if isinstance(result, pd.DataFrame):
        table = _from_sql(result, call)
        if table is not None:
            return pl.from_arrow(table)
        return pl.from_pandas(result.reset_index(drop=True))
    raise TypeError(f"an analysis returned {type(result).__name__}, not a DataFrame")


def analysis(func: F) -> F:
    """Make ``func`` a public analysis: a ``frame`` keyword and an entry in :data:`ANALYSES`.

    Parameters
    ----------
    func
        A function ``f(con, *, ...)`` returning a pandas DataFrame or a tuple of them.

    Returns
    -------
    Callable
        ``func`` with the keyword-only parameter ``frame`` (``"pandas"`` or
        ``"polars"``, default ``"pandas"``).
    """
    module = func.__module__.rsplit(".", 1)[-1]

    @functools.wraps(func)
    def wrapper(*args: Any, frame: str = "pandas", **kwargs: Any) -> Any:
        chosen = _params.choice(frame, FRAMES, "frame")

        def run() -> Any:
            call = _Call(chosen)
            token = _CALL.set(call)
            try:
                result = func(*args, **kwargs)
                return result if call.frame == "pandas" else _to_polars(result, call)
            finally:
                _CALL.reset(token)
                call.close()

        if not args:
            return run()
        key = (module, func.__name__, chosen, args[1:], tuple(sorted(kwargs.items())))
        return _cache.across_batch(args[0], key, run)

    signature = inspect.signature(func)
    parameters = list(signature.parameters.values())
    at = len(parameters)
    if parameters and parameters[-1].kind is inspect.Parameter.VAR_KEYWORD:
        at -= 1
    parameters.insert(
        at, inspect.Parameter("frame", inspect.Parameter.KEYWORD_ONLY, default="pandas")
    )
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    wrapper.__doc__ = (func.__doc__ or "").rstrip() + (
        '\n\n    ``frame="polars"`` returns the same columns as polars DataFrames.\n'
    )
    ANALYSES[f"{module}.{func.__name__}"] = wrapper
    return wrapper  # type: ignore[return-value]
