"""Alert state and outbox: the ``alerts.events`` table in the warehouse file.

One row per event id, inserted once and never re-inserted. That single rule gives Alertmanager's
"fire once per episode, survive restarts": re-running a day finds the row already there and neither
re-records nor re-sends it. The payload is stored at first sight, so every delivery attempt sends the
same bytes even if the mart is rebuilt in between.

Status lifecycle::

    pending ──deliver ok──> delivered
       │  └──deliver fails─> failed ──next run, ok──> delivered
       └ (backfill: recorded directly as suppressed, never sent)

``failed`` rows are retried by every later run that has a webhook URL: nothing is dropped.

The table lives in the same DuckDB file as the marts (one writer, one file to back up). Names are
qualified with the connection's catalog because DuckDB refuses ``alerts.events`` as ambiguous when the
database file itself is called ``alerts.duckdb``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import duckdb

from alerts.events import AlertEvent

STATUSES = ("pending", "delivered", "failed", "suppressed")
DUE_STATUSES = ("pending", "failed")

_DDL = """
CREATE TABLE IF NOT EXISTS {table} (
    event_id        VARCHAR PRIMARY KEY,
    rule_id         VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,
    occurred_at     DATE NOT NULL,
    first_as_of     DATE NOT NULL,
    summary         VARCHAR NOT NULL,
    payload         VARCHAR NOT NULL,
    status          VARCHAR NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'suppressed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      VARCHAR,
    recorded_at     TIMESTAMPTZ NOT NULL,
    last_attempt_at TIMESTAMPTZ,
    delivered_at    TIMESTAMPTZ
)
"""


@dataclass(frozen=True)
class OutboxItem:
    """An event due for delivery: its id (the ``webhook-id``) and the exact body to send."""

    event_id: str
    payload: str
    attempts: int


def _schema(con: duckdb.DuckDBPyConnection) -> str:
    catalog = con.execute("SELECT current_database()").fetchone()[0]
    return '"{}".alerts'.format(catalog.replace('"', '""'))


def events_table(con: duckdb.DuckDBPyConnection) -> str:
    """The fully qualified name of the events table for this connection."""
    return f"{_schema(con)}.events"


def ensure_schema(con: duckdb.DuckDBPyConnection) -> str:
    """Create schema ``alerts`` and table ``alerts.events`` if missing; return the table's name."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {_schema(con)}")
    table = events_table(con)
    con.execute(_DDL.format(table=table))
    return table


def record(
    con: duckdb.DuckDBPyConnection, events: Iterable[AlertEvent], *, suppressed: bool, now: datetime
) -> list[str]:
    """Insert events not seen before (as ``pending``, or ``suppressed`` in backfills); return new ids.

    Each insert is one atomic statement, so a crash part-way leaves a consistent table and the next run
    records the rest.
    """
    table = ensure_schema(con)
    status = "suppressed" if suppressed else "pending"
    new_ids = []
    for event in events:
        inserted = con.execute(
            f"""
            INSERT INTO {table} (event_id, rule_id, kind, occurred_at, first_as_of, summary, payload,
                                 status, attempts, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
            ON CONFLICT DO NOTHING
            RETURNING event_id
            """,
            [event.event_id, event.rule_id, event.kind, event.occurred_at, event.as_of, event.summary,
             event.body(), status, now],
        ).fetchall()
        new_ids.extend(row[0] for row in inserted)
    return new_ids


def due(con: duckdb.DuckDBPyConnection) -> list[OutboxItem]:
    """Events still to deliver (pending, or failed on an earlier attempt), oldest first."""
    table = ensure_schema(con)
    rows = con.execute(
        f"""
        SELECT event_id, payload, attempts FROM {table}
        WHERE status IN ('pending', 'failed')
        ORDER BY recorded_at, occurred_at, event_id
        """
    ).fetchall()
    return [OutboxItem(*row) for row in rows]


def mark_delivered(con: duckdb.DuckDBPyConnection, event_id: str, now: datetime) -> None:
    con.execute(
        f"""
        UPDATE {events_table(con)}
        SET status = 'delivered', attempts = attempts + 1, last_attempt_at = ?, delivered_at = ?,
            last_error = NULL
        WHERE event_id = ?
        """,
        [now, now, event_id],
    )


def mark_failed(con: duckdb.DuckDBPyConnection, event_id: str, error: str, now: datetime) -> None:
    con.execute(
        f"""
        UPDATE {events_table(con)}
        SET status = 'failed', attempts = attempts + 1, last_attempt_at = ?, last_error = ?
        WHERE event_id = ?
        """,
        [now, error, event_id],
    )


def status_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many events are in each status (all statuses present, zero when none)."""
    table = ensure_schema(con)
    counts = dict.fromkeys(STATUSES, 0)
    counts.update(dict(con.execute(f"SELECT status, count(*) FROM {table} GROUP BY status").fetchall()))
    return counts
