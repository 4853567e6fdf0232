"""The price series a source loaded on a day, and its latest earlier captured day: what the vanished-model
check (``scrapers.model_sets``) compares a new capture with."""

from __future__ import annotations

from datetime import date

import duckdb

from warehouse.connection import ensure_raw_schema

SERIES_COLUMNS = ("provider_id", "model_id", "token_type", "service_tier", "context_band", "modality", "currency")


def previous_capture_day(con: duckdb.DuckDBPyConnection, source_id: str, before: date) -> date | None:
    """The latest day before ``before`` on which the source was captured (a fetch row), or None.

    Backfilled days load facts without fetch rows: they are not captures and never the yardstick."""
    ensure_raw_schema(con)
    row = con.execute(
        "SELECT max(partition_date) FROM raw.fetches WHERE source_id = ? AND partition_date < ?",
        [source_id, before],
    ).fetchone()
    return row[0] if row and row[0] is not None else None


def price_series(con: duckdb.DuckDBPyConnection, source_id: str, day: date) -> set[tuple[str, ...]]:
    """Distinct (provider, model, token type, tier, band, modality, currency) the source loaded on ``day``."""
    ensure_raw_schema(con)
    rows = con.execute(
        f"SELECT DISTINCT {', '.join(SERIES_COLUMNS)} FROM raw.price_facts WHERE source_id = ? AND partition_date = ?",
        [source_id, day],
    ).fetchall()
    return {tuple(str(v) for v in row) for row in rows}
