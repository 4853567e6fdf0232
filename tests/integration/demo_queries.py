"""Test helper (not a test module): read-only SQL against the session demo's warehouse (conftest's `demo`)."""

from __future__ import annotations

import duckdb


def query(demo, sql: str, params=()) -> list[tuple]:
    """The rows of ``sql`` on the demo's warehouse file, opened read-only for this one query."""
    con = duckdb.connect(str(demo["box"].warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()
