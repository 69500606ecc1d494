"""Reports: thin notebooks run by papermill into self-contained, offline HTML.

Notebooks call the helpers here to show numbers, tables and figures; everything
they show from data is escaped. ``runner.run_report`` validates parameters before
any kernel starts, executes the notebook and publishes the HTML atomically.
"""

from fdsa.reporting.display import csv_download_link, headline, show_figure, show_table

__all__ = ["csv_download_link", "headline", "show_figure", "show_table"]
