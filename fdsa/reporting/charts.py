"""The project's figures: one Plotly template and a few chart shapes every page uses.

Every figure a page shows goes through :func:`fdsa.reporting.plots.show_figure`,
which applies :data:`TEMPLATE` (fonts, colours, margins, a legend inside the page,
year axes as years). The builders here make the shapes the pages need, with the
display vocabulary (:mod:`fdsa.reporting.labels`) already applied:

- :func:`bars` — one value per category, sorted, optionally coloured by a category
  kind or with one item highlighted; horizontal by default (long names read well
  and the plot keeps its width on a phone).
- :func:`forest` — estimates with 95% intervals, sorted, against a reference line.
- :func:`lines` — one line per series over years, months or ordered buckets.
- :func:`scatter` — one point per category, the chosen one highlighted and named.
- :func:`panels` — small multiples: one panel per measure, each with its own axis,
  so a rate in $/h and a total in $ never share a scale.

Each axis title carries its unit and each hover label names the value, its unit, its
95% interval and n. Categories are shown by their human names and keep one colour on
every page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from fdsa.reporting import labels

TEMPLATE = "fdsa"
"""Name of the project's Plotly template (registered on import of this module)."""

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

FORMATS: dict[str, tuple[str, str, str]] = {
    # fmt: (tickformat, tickprefix, hover format incl. prefix/suffix)
    "usd": (",.0f", "$", "$%{V:,.2f}"),
    "usd0": (",.0f", "$", "$%{V:,.0f}"),
    "share": (".0%", "", "%{V:.1%}"),
    "pct": ("+.0f", "", "%{V:+.1f}%"),
    "number": (",.3~f", "", "%{V:,.3~f}"),
    "count": (",d", "", "%{V:,d}"),
    "ratio": (".2~f", "", "%{V:.2f}×"),
}
"""How values of each kind show on axes and in hover labels."""


def _template() -> go.layout.Template:
    axis = {
        "automargin": True,
        "gridcolor": "#e6e8eb",
        "linecolor": "#9aa3ad",
        "zerolinecolor": "#9aa3ad",
        "ticks": "outside",
        "tickcolor": "#9aa3ad",
        "title": {"standoff": 10, "font": {"size": 13}},
    }
    return go.layout.Template(
        layout={
            "font": {"family": FONT, "size": 13, "color": "#1f2933"},
            "colorway": list(labels.VOCABULARIES["niche"].colours.values()),
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "margin": {"l": 8, "r": 16, "t": 48, "b": 8, "pad": 2},
            "title": {"x": 0, "xanchor": "left", "font": {"size": 15}},
            "xaxis": axis,
            "yaxis": axis,
            "legend": {
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": 1.01,
                "yanchor": "bottom",
                "yref": "paper",
                "title": {"text": ""},
                "font": {"size": 12},
            },
            "hoverlabel": {"font": {"family": FONT, "size": 12}, "align": "left"},
            "bargap": 0.25,
            "separators": ".,",
        },
    )


pio.templates[TEMPLATE] = _template()


def _fmt(kind: str) -> tuple[str, str, str]:
    if kind not in FORMATS:
        raise ValueError(f"unknown value format {kind!r}; choose one of {', '.join(FORMATS)}")
    return FORMATS[kind]


def _hover_value(kind: str, ref: str) -> str:
    return _fmt(kind)[2].replace("V", ref)


def style(fig: go.Figure, *, height: int | None = None) -> go.Figure:
    """``fig`` with the project template, year axes as years and the legend inside the page.

    Applied by ``show_figure`` to every figure, including those not built here.
    """
    fig.update_layout(template=TEMPLATE)
    if height is not None:
        fig.update_layout(height=height)
    for axis, values in _axis_values(fig).items():
        if _are_years(values):
            fig.update_layout({axis: {"tickformat": "d", "dtick": 1, "tick0": 0}})
    return fig


def _axis_values(fig: go.Figure) -> dict[str, list]:
    """Layout axis name (``xaxis``, ``yaxis2``…) → the values its traces place on it."""
    found: dict[str, list] = {}
    for trace in fig.data:
        for letter in ("x", "y"):
            ref = getattr(trace, f"{letter}axis", None) or letter
            values = getattr(trace, letter, None)
            if values is None:
                continue
            name = f"{letter}axis{ref[1:]}"
            found.setdefault(name, []).extend(list(values))
    return found


def _are_years(values: list) -> bool:
    """Whole numbers between 1990 and 2100 only: an axis of years (``2,021.5`` otherwise)."""
    numbers = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
            return False
        if not math.isfinite(float(v)):
            continue
        numbers.append(float(v))
    return bool(numbers) and all(n.is_integer() and 1990 <= n <= 2100 for n in numbers)


def _names(values: Sequence, kind: str | None) -> list[str]:
    if kind is None:
        return [str(v) for v in values]
    return [labels.name(kind, v) for v in values]


def _error(values, lo, hi, axis: str) -> dict[str, object]:
    if lo is None or hi is None:
        return {}
    est = np.asarray(values, dtype=float)
    plus = np.asarray(hi, dtype=float) - est
    minus = est - np.asarray(lo, dtype=float)
    plus = np.where(np.isfinite(plus) & (plus >= 0), plus, np.nan)
    minus = np.where(np.isfinite(minus) & (minus >= 0), minus, np.nan)
    return {
        f"error_{axis}": {
            "type": "data",
            "array": plus,
            "arrayminus": minus,
            "color": "#4a5560",
            "thickness": 1.3,
            "width": 3,
        }
    }


def _custom(df: pd.DataFrame, lo: str | None, hi: str | None, n: str | None) -> np.ndarray:
    cols = [
        df[lo] if lo else np.nan,
        df[hi] if hi else np.nan,
        df[n] if n else np.nan,
    ]
    return np.column_stack([np.asarray(pd.Series(c, index=df.index), dtype=float) for c in cols])


def _hover(value_title: str, fmt: str, ref: str, *, lo: bool, n: bool, n_word: str) -> str:
    parts = [
        f"<b>%{{{'y' if ref == 'x' else 'x'}}}</b>",
        f"{value_title}: {_hover_value(fmt, ref)}",
    ]
    if lo:
        low, high = _hover_value(fmt, "customdata[0]"), _hover_value(fmt, "customdata[1]")
        parts.append(f"95% interval {low} to {high}")
    if n:
        parts.append(f"n = %{{customdata[2]:,d}} {n_word}")
    return "<br>".join(parts) + "<extra></extra>"


TITLE_WRAP = 24
"""Characters per line of a horizontal axis title (it must fit a phone's plot area)."""


def _x_title(text: str) -> dict[str, object]:
    return {"text": labels.wrap(text, TITLE_WRAP)}


def _axis_format(fmt: str) -> dict[str, object]:
    tickformat, prefix, _ = _fmt(fmt)
    return {"tickformat": tickformat, "tickprefix": prefix}


def _rows_height(labels_shown: Sequence[str], *, per_row: float = 1.0) -> int:
    """Pixels for a chart with one row per label: wrapped labels get room for their lines."""
    lines = sum(max(1, str(t).count("\n") + 1) for t in labels_shown)
    return int(max(260, 110 + per_row * (14 * len(labels_shown) + 17 * lines)))


def bars(
    df: pd.DataFrame,
    *,
    category: str,
    value: str,
    value_title: str,
    kind: str | None = None,
    lo: str | None = None,
    hi: str | None = None,
    n: str | None = None,
    n_word: str = "",
    fmt: str = "number",
    colour_by: str | None = None,
    colour_kind: str | None = None,
    highlight: object | None = None,
    horizontal: bool = True,
    sort: bool = True,
    top: int | None = None,
    title: str = "",
    category_title: str = "",
    wrap: int = 22,
) -> go.Figure:
    """One bar per row of ``df`` (or per category and colour group), with 95% intervals.

    Parameters
    ----------
    category, kind
        Column naming the bars and its vocabulary (values shown by name).
    value, value_title, fmt
        Column of the bar lengths, its axis title with unit, and its format
        (:data:`FORMATS`).
    lo, hi, n, n_word
        Interval bounds and sample size shown as error bars and in the hover label.
    colour_by, colour_kind
        Column splitting the bars into coloured groups (one colour per value on every
        page), and its vocabulary.
    highlight
        The category value the page is about: its bar in the highlight colour, the
        others grey (ignored when ``colour_by`` is given).
    horizontal, sort, top
        Bars across (default), sorted by value (else in the frame's order, first on
        top or at the left), and only the ``top`` largest.
    """
    if colour_by is not None and colour_kind is None:
        raise ValueError("colour_by needs colour_kind: a group's colour is the same on every page")
    data = df.dropna(subset=[value]).copy()
    if top is not None:
        order = data.groupby(category)[value].max().sort_values(ascending=False)
        data = data[data[category].isin(order.index[:top])]
    if sort:
        order = data.groupby(category, sort=False)[value].max().sort_values(ascending=horizontal)
        cats = list(order.index)
    else:  # the frame's order, read top to bottom (plotly stacks categories from below)
        cats = list(dict.fromkeys(data[category]))[:: -1 if horizontal else 1]
    shown = {c: labels.wrap(n_, wrap) for c, n_ in zip(cats, _names(cats, kind), strict=True)}
    val_axis, cat_axis = ("x", "y") if horizontal else ("y", "x")
    fig = go.Figure()
    groups = [(None, data)] if colour_by is None else list(data.groupby(colour_by, sort=False))
    if colour_by is not None and colour_kind is not None:
        rank = {v: i for i, v in enumerate(labels.VOCABULARIES[colour_kind].names)}
        groups.sort(key=lambda g: rank.get(str(g[0]), len(rank)))
    for group, rows in groups:
        rows = rows.set_index(category).reindex([c for c in cats if c in set(rows[category])])
        rows = rows.reset_index()
        colours: list[str] | str | None
        if group is None:
            colours = [
                labels.HIGHLIGHT
                if highlight is not None and c == highlight
                else (labels.GREY if highlight is not None else labels.NEUTRAL)
                for c in rows[category]
            ]
            name = value_title
        else:
            colours = labels.colour(colour_kind, group) if colour_kind else None
            name = labels.name(colour_kind, group) if colour_kind else str(group)
        fig.add_trace(
            go.Bar(
                **{
                    val_axis: rows[value],
                    cat_axis: [shown[c] for c in rows[category]],
                    "orientation": "h" if horizontal else "v",
                    "name": name,
                    "marker": {"color": colours},
                    "customdata": _custom(rows, lo, hi, n),
                    "hovertemplate": _hover(
                        value_title,
                        fmt,
                        val_axis,
                        lo=lo is not None,
                        n=n is not None,
                        n_word=n_word,
                    ),
                    "showlegend": group is not None,
                    **_error(
                        rows[value], rows[lo] if lo else None, rows[hi] if hi else None, val_axis
                    ),
                }
            )
        )
    value_axis_title = _x_title(value_title) if horizontal else {"text": value_title}
    layout = {
        f"{val_axis}axis": {"title": value_axis_title, **_axis_format(fmt)},
        f"{cat_axis}axis": {
            "title": {"text": category_title} if horizontal else _x_title(category_title),
            "categoryorder": "array",
            "categoryarray": [shown[c] for c in cats],
            "type": "category",
        },
        "barmode": "group",
        "title": {"text": title},
    }
    if horizontal:
        per_row = 1.0 if colour_by is None else max(1.0, len(groups) * 0.8)
        layout["height"] = _rows_height([shown[c] for c in cats], per_row=per_row)
    fig.update_layout(layout)
    return style(fig)


def forest(
    df: pd.DataFrame,
    *,
    label: str,
    estimate: str,
    lo: str,
    hi: str,
    value_title: str,
    n: str | None = None,
    n_word: str = "",
    fmt: str = "pct",
    reference: float = 0.0,
    colour_by: str | None = None,
    colour_kind: str | None = None,
    highlight: Sequence[object] = (),
    log_axis: bool = False,
    title: str = "",
    wrap: int = 24,
) -> go.Figure:
    """Estimates with 95% intervals, one row each, sorted by estimate; a line at ``reference``.

    ``label`` holds the row names already in words (e.g. from :func:`labels.term_name`);
    rows in ``highlight`` (by label) are drawn in the highlight colour and bold.
    """
    data = df.dropna(subset=[estimate]).sort_values(estimate, ascending=True)
    shown = [labels.wrap(t, wrap) for t in data[label]]
    marked = {str(h) for h in highlight}
    if colour_by is not None and colour_kind is not None:
        colours = [labels.colour(colour_kind, v) for v in data[colour_by]]
    else:
        colours = [labels.HIGHLIGHT if str(t) in marked else labels.NEUTRAL for t in data[label]]
    sizes = [11 if str(t) in marked else 8 for t in data[label]]
    fig = go.Figure(
        go.Scatter(
            x=data[estimate],
            y=shown,
            mode="markers",
            marker={"color": colours, "size": sizes, "symbol": "diamond"},
            customdata=_custom(data, lo, hi, n),
            hovertemplate=_hover(value_title, fmt, "x", lo=True, n=n is not None, n_word=n_word),
            showlegend=False,
            **_error(data[estimate], data[lo], data[hi], "x"),
        )
    )
    fig.add_vline(x=reference, line={"color": "#6b7785", "dash": "dot", "width": 1})
    fig.update_layout(
        xaxis={
            "title": _x_title(value_title),
            "type": "log" if log_axis else "linear",
            **({} if log_axis else _axis_format(fmt)),
        },
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": shown},
        height=_rows_height(shown),
        title={"text": title},
    )
    return style(fig)


def lines(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    lo: str | None = None,
    hi: str | None = None,
    n: str | None = None,
    n_word: str = "",
    fmt: str = "number",
    series: str | None = None,
    series_kind: str | None = None,
    x_kind: str | None = None,
    highlight: object | None = None,
    title: str = "",
) -> go.Figure:
    """One line per value of ``series`` (or one line) over ``x``, with 95% interval bars.

    ``x`` may hold years (shown as years), dates, ordered buckets of vocabulary
    ``x_kind`` (shown by name, in the order of ``df``) or other text buckets (as given,
    in the order of ``df``). With ``highlight``, that
    series is drawn in its colour and thick, the others thin and grey.
    """
    fig = go.Figure()
    groups = [(None, df)] if series is None else list(df.groupby(series, sort=False))
    if series is not None and series_kind is not None:
        rank = {v: i for i, v in enumerate(labels.VOCABULARIES[series_kind].names)}
        groups.sort(key=lambda g: rank.get(str(g[0]), len(rank)))
    for group, rows in groups:
        xs = _names(rows[x], x_kind) if x_kind else rows[x]
        colour: str | None
        if group is None:
            colour, name, width = labels.NEUTRAL, y_title, 2.5
        else:
            name = labels.name(series_kind, group) if series_kind else str(group)
            colour = labels.colour(series_kind, group) if series_kind else None
            width = 2.5
            if highlight is not None:
                colour = (colour or labels.HIGHLIGHT) if group == highlight else labels.GREY
                width = 3.5 if group == highlight else 1.5
        hover = _hover(y_title, fmt, "y", lo=lo is not None, n=n is not None, n_word=n_word)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=rows[y],
                mode="lines+markers",
                name=name,
                line={"color": colour, "width": width},
                marker={"color": colour, "size": 6},
                customdata=_custom(rows, lo, hi, n),
                hovertemplate=hover.replace("<b>%{x}</b>", f"<b>{name}</b><br>%{{x}}")
                if group is not None
                else hover,
                showlegend=group is not None,
                **_error(rows[y], rows[lo] if lo else None, rows[hi] if hi else None, "y"),
            )
        )
    fig.update_layout(
        xaxis={"title": _x_title(x_title)},
        yaxis={"title": {"text": y_title}, **_axis_format(fmt)},
        height=420,
        title={"text": title},
    )
    if x_kind or _is_text(df[x]):  # text buckets ("0", …, "4+") must not read as numbers
        fig.update_xaxes(type="category")
    return style(fig)


def _is_text(values: pd.Series) -> bool:
    """Whether ``values`` are strings (buckets), not numbers or dates."""
    present = values.dropna()
    return bool(len(present)) and present.map(lambda v: isinstance(v, str)).all()


def scatter(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    label: str,
    x_title: str,
    y_title: str,
    kind: str | None = None,
    size: str | None = None,
    highlight: object | None = None,
    x_fmt: str = "number",
    y_fmt: str = "number",
    title: str = "",
) -> go.Figure:
    """One point per row, named on hover; the ``highlight`` row coloured and labelled."""
    data = df.dropna(subset=[x, y])
    names = _names(data[label], kind)
    marked = [v == highlight for v in data[label]]
    sizes = None
    if size is not None:
        s = np.sqrt(np.asarray(data[size], dtype=float).clip(min=0))
        sizes = 8 + 26 * s / s.max() if len(s) and s.max() > 0 else 10
    fig = go.Figure(
        go.Scatter(
            x=data[x],
            y=data[y],
            mode="markers+text",
            text=[n_ if m else "" for n_, m in zip(names, marked, strict=True)],
            textposition="top center",
            hovertext=names,
            marker={
                "color": [labels.HIGHLIGHT if m else labels.GREY for m in marked],
                "size": sizes,
                "line": {"color": "white", "width": 1},
                "opacity": 0.9,
            },
            hovertemplate=(
                f"<b>%{{hovertext}}</b><br>{x_title}: {_hover_value(x_fmt, 'x')}"
                f"<br>{y_title}: {_hover_value(y_fmt, 'y')}<extra></extra>"
            ),
            showlegend=False,
        )
    )
    fig.update_layout(
        xaxis={"title": _x_title(x_title), **_axis_format(x_fmt)},
        yaxis={"title": {"text": y_title}, **_axis_format(y_fmt)},
        height=440,
        title={"text": title},
    )
    return style(fig)


def panels(
    df: pd.DataFrame,
    *,
    panel: str,
    panel_kind: str,
    category: str,
    value: str,
    kind: str | None = None,
    lo: str | None = None,
    hi: str | None = None,
    n: str | None = None,
    n_word: str = "",
    fmts: dict[str, str] | None = None,
    title: str = "",
) -> go.Figure:
    """Small multiples: one panel per value of ``panel``, each with its own value axis.

    The panel's name from vocabulary ``panel_kind`` (which carries the unit) is the
    panel's axis title; bars are coloured by ``kind`` of ``category``.
    """
    from plotly.subplots import make_subplots

    keys = [k for k in labels.VOCABULARIES[panel_kind].names if k in set(df[panel])]
    keys += [k for k in dict.fromkeys(df[panel]) if k not in keys]
    fig = make_subplots(rows=1, cols=len(keys), horizontal_spacing=0.14)
    for i, key in enumerate(keys, start=1):
        rows = df[df[panel] == key]
        title_i = labels.name(panel_kind, key)
        fmt = (fmts or {}).get(key, "number")
        fig.add_trace(
            go.Bar(
                x=_names(rows[category], kind),
                y=rows[value],
                marker={
                    "color": [
                        labels.colour(kind, c) if kind else labels.NEUTRAL for c in rows[category]
                    ]
                },
                customdata=_custom(rows, lo, hi, n),
                hovertemplate=_hover(
                    title_i, fmt, "y", lo=lo is not None, n=n is not None, n_word=n_word
                ),
                showlegend=False,
                **_error(rows[value], rows[lo] if lo else None, rows[hi] if hi else None, "y"),
            ),
            row=1,
            col=i,
        )
        fig.update_yaxes(title_text=title_i, row=1, col=i, **_axis_format(fmt))
    fig.update_layout(height=400, title={"text": title})
    return style(fig)
