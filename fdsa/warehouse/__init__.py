"""The warehouse: one DuckDB file (or its Parquet lake), its schema, checks and holdings."""
