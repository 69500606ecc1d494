"""What a report notebook shows: headline numbers, escaped tables, offline plotly figures."""

from __future__ import annotations

import base64
import html

import pandas as pd
from IPython.display import HTML, display

HEADLINE_MIME = "application/vnd.fdsa.headline+json"


def headline(text: str) -> None:
    """Show one headline sentence and record it for the report index (escaped)."""
    display(
        {
            HEADLINE_MIME: {"text": text},
            "text/html": f'<p class="fdsa-headline">{html.escape(text)}</p>',
        },
        raw=True,
    )


def _csv_link(df: pd.DataFrame, name: str) -> str:
    data = base64.b64encode(df.to_csv(index=False).encode()).decode()
    safe = html.escape(name)
    return (
        f'<a class="fdsa-csv" download="{safe}.csv" href="data:text/csv;base64,{data}">'
        f"download {safe}.csv</a>"
    )


def show_table(df: pd.DataFrame, name: str, *, digits: int = 3, max_rows: int = 200) -> None:
    """Show a DataFrame as an escaped, sortable HTML table with a CSV download of all rows."""
    shown = df.head(max_rows).round(digits)
    table = shown.to_html(index=False, escape=True, classes="fdsa-table sortable", border=0)
    display(HTML(f"{table}<p>{_csv_link(df, name)} ({len(df)} rows)</p>"))


def show_figure(fig, data: pd.DataFrame | None = None, name: str = "figure") -> None:
    """Show a plotly figure that loads plotly.js from the report's assets folder.

    Hover and axis text come from data; plotly renders it as text, and the figure
    JSON is embedded with ``<`` escaped so it cannot close the script element.
    """
    spec = fig.to_json().replace("<", "\\u003c")
    div = f"fdsa-fig-{abs(hash(spec)) % 10**10}"
    parts = [
        f'<div id="{div}" class="fdsa-figure"></div>',
        f'<script type="text/javascript">(function(){{var s={spec};'
        f'if(window.Plotly){{Plotly.newPlot("{div}",s.data,s.layout,{{responsive:true}});}}}})();</script>',
    ]
    if data is not None:
        parts.append(f"<p>{_csv_link(data, name)}</p>")
    display(HTML("".join(parts)))
