"""What a report's cells hand to the runner beside what they show.

The kernel side (:mod:`~fdsa.reporting.display`) writes these; the runner side
(:mod:`~fdsa.reporting.export`) reads them, without importing pandas or IPython.
"""

HEADLINE_MIME = "application/vnd.fdsa.headline+json"
"""MIME type of the machine-readable copy of a headline; the runner collects these."""

MEANING_MIME = "application/vnd.fdsa.meaning+json"
"""MIME type of a "what this means" sentence; the runner gathers them at the top of the page."""

CSV_NOTE = (
    "CSV downloads: text cells that begin with =, +, -, @, a tab or a carriage return start "
    "with an apostrophe (') so that a spreadsheet shows them as text and never runs them."
)
"""The sentence a page with CSV downloads carries about :func:`fdsa.reporting.display.safe_csv`."""
