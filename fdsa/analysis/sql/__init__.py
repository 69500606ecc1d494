"""The analyses' SQL, one query per file, values bound as ``$name`` parameters."""
