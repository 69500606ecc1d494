"""Integrity checks: each ``*.sql`` returns the rows that break one rule (none when sound)."""
