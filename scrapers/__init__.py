"""Fetching, the raw archive, and one module per source with a pure ``parse``.

This room never imports Dagster or DuckDB: parsers turn bytes into typed records and nothing else.
"""
