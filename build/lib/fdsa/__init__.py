"""fdsa — freelance data-science analytics.

Data flow: ``synth`` or ``ingest`` → ``warehouse`` (one DuckDB file) →
``analysis`` (tidy DataFrames with n and intervals) → ``reporting`` (HTML).
"""

__version__ = "0.1.0"
