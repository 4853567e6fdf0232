"""The source-run log: one row per attempt to capture and load a source for a day, success or failure.

raw.fetches records the captures that arrived; a source that failed (HTTP error, layout drift, a gate's
drift check) leaves nothing there, and Dagster's event log is per instance (the CLI's is ephemeral). This
log keeps why a source failed where `costcurve status` and the freshness checks can read it, in the
warehouse itself. It is a log, so a re-run of a day appends a row (an attempt happened) and never
changes what earlier attempts recorded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb

SUCCESS, FAILED, SKIPPED = "success", "failed", "skipped"

DDL = """
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.source_runs (
    source_id      VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    status         VARCHAR NOT NULL CHECK (status IN ('success', 'failed', 'skipped')),
    rows_loaded    BIGINT,
    error          VARCHAR,
    finished_at    TIMESTAMPTZ NOT NULL
);
"""

#: an error message is kept whole up to this many characters (a traceback's last line is what matters)
_ERROR_CHARS = 2000


def ensure_source_runs(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def record_source_run(con: duckdb.DuckDBPyConnection, source_id: str, day: date, status: str, *,
                      rows_loaded: int | None = None, error: str | None = None,
                      finished_at: datetime | None = None) -> None:
    ensure_source_runs(con)
    con.execute(
        "INSERT INTO ops.source_runs VALUES (?, ?, ?, ?, ?, ?)",
        [source_id, day, status, rows_loaded, (error or None) and error[:_ERROR_CHARS],
         finished_at or datetime.now(UTC)],
    )


def describe_error(exc: BaseException) -> str:
    """``ErrorName: message`` (first line): the named scraper error says what kind of failure it was."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
