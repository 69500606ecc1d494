"""Plotly figures for offline reports: text from data escaped, plotly.js loaded once from assets.

Plotly renders labels, hover text, legend entries and titles through its own small
HTML dialect (``<b>``, ``<a href>``, ``<br>``…), so a job title such as
``<img src=x onerror=…>`` would be interpreted rather than shown. :func:`escape_figure`
HTML-escapes every text-bearing value of a figure (plotly turns the entities back
into the literal characters when it draws), and :func:`figure_html` renders the
figure with ``include_plotlyjs=False``: the report page loads
``../assets/plotly.min.js`` once for all its figures.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.io as pio
from IPython.display import display

from fdsa.reporting.display import csv_download_link

TEXT_KEYS = frozenset(
    {
        "x",
        "y",
        "z",
        "text",
        "hovertext",
        "labels",
        "parents",
        "ids",
        "name",
        "customdata",
        "values",
        "ticktext",
        "categoryarray",
        "header",
        "cells",
    }
)
"""Figure keys whose values are shown as text (``text`` also covers titles and annotations)."""

FIGURE_CONFIG: dict[str, object] = {"displaylogo": False, "responsive": True}


def _escape_values(value: object) -> object:
    """Every string inside ``value`` HTML-escaped; numbers, dates and booleans untouched.

    A line break becomes plotly's ``<br>`` after escaping (long labels are wrapped by
    :func:`fdsa.reporting.labels.wrap`); no other markup can come from data.
    """
    if isinstance(value, str):
        return html.escape(value, quote=False).replace("\n", "<br>")
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "OUS":
            return [_escape_values(v) for v in value.tolist()]
        return value
    if isinstance(value, list | tuple):
        return [_escape_values(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _escape_values(v) for k, v in value.items()}
    return value


def _escape_tree(node: Any) -> Any:
    if isinstance(node, Mapping):
        return {
            key: _escape_values(value) if key in TEXT_KEYS else _escape_tree(value)
            for key, value in node.items()
        }
    if isinstance(node, list | tuple):
        return [_escape_tree(item) for item in node]
    return node


def escape_figure(fig: Any) -> dict[str, object]:
    """The figure as a plotly dict with every text-bearing value HTML-escaped.

    Parameters
    ----------
    fig
        A ``plotly.graph_objects.Figure`` or a figure dict.

    Returns
    -------
    dict
        ``{"data": [...], "layout": {...}}``; templates (colors, fonts) pass unchanged,
        ``hovertemplate`` markup written by the notebook is kept.
    """
    fig_dict = fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else dict(fig)
    layout = dict(fig_dict.get("layout") or {})
    template = layout.pop("template", None)
    escaped_layout = _escape_tree(layout)
    if template is not None:
        escaped_layout["template"] = template
    return {"data": _escape_tree(list(fig_dict.get("data") or [])), "layout": escaped_layout}


def figure_html(fig: object) -> str:
    r"""An HTML fragment drawing ``fig`` with the page's plotly.js (no script of its own).

    The figure JSON is escaped by plotly (``<``, ``>`` and ``/`` as ``\\uXXXX``), so
    no text can close the script element.
    """
    return pio.to_html(
        escape_figure(fig),
        include_plotlyjs=False,
        include_mathjax=False,
        full_html=False,
        config=FIGURE_CONFIG,
        validate=False,
    )


def _present(value: Any) -> bool:
    """A value a chart can place: text, a date, or a finite number."""
    if value is None:
        return False
    if isinstance(value, str | np.datetime64 | pd.Timestamp):
        return not pd.isna(value)
    try:
        return bool(np.isfinite(float(value)))
    except (TypeError, ValueError):
        return not pd.isna(value)


def has_points(fig: Any) -> bool:
    """Whether any trace of ``fig`` has a point to draw (both coordinates present).

    Works on ``plotly.graph_objects.Figure`` (whose traces hold numpy arrays); a
    trace with only one coordinate (a pie's ``values``) needs one present value.
    """
    for trace in getattr(fig, "data", ()):
        x: Any = getattr(trace, "x", None)
        y: Any = getattr(trace, "y", None)
        if x is None and y is None:
            values = getattr(trace, "values", None)
            if values is not None and any(_present(v) for v in values):
                return True
            continue
        n = len(x if x is not None else y)
        for i in range(n):
            if (x is None or _present(x[i])) and (y is None or _present(y[i])):
                return True
    return False


def show_figure(fig: object, data: pd.DataFrame | None = None, name: str = "figure") -> None:
    """Show ``fig`` in the project's template, with a CSV download of ``data`` when given.

    A figure with no point to draw is not shown: a sentence says there was nothing
    to draw, so no page carries an empty chart. Pass ``data`` only for a figure whose
    rows no table of the page shows: every table already offers its own CSV, and a
    page offers each set of rows once.

    In JupyterLab the figure is drawn by Lab's plotly renderer; the published page
    draws it with the page's shared plotly.js.

    Parameters
    ----------
    fig
        The plotly figure (text from data is escaped here; do not escape it before).
    data
        The rows behind the figure, offered as ``<name>.csv``.
    name
        File stem of the CSV download, and what the "nothing to draw" note names.
    """
    from fdsa.reporting.charts import style
    from fdsa.reporting.labels import column

    if (data is not None and data.empty) or not has_points(fig):
        from fdsa.reporting.display import note

        what = column(name).lower() if "_" in name else name
        note(f"Nothing to draw for {what}: no value in the data for these parameters.")
        return
    fig = style(fig) if hasattr(fig, "update_layout") else fig
    parts = [f'<div class="fdsa-figure">{figure_html(fig)}</div>']
    if data is not None:
        parts.append(f'<p class="fdsa-download">{csv_download_link(data, name)}</p>')
    display(
        {
            "text/html": "".join(parts),
            PLOTLY_MIME: json.loads(pio.to_json(escape_figure(fig), validate=False)),
            "text/plain": f"<figure {name}>",
        },
        raw=True,
    )


PLOTLY_MIME = "application/vnd.plotly.v1+json"
"""The figure for JupyterLab's plotly renderer (the exported page uses the HTML)."""
