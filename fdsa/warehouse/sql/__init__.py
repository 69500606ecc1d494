"""Queries about what a warehouse holds (``facts.holdings``), one file each."""
