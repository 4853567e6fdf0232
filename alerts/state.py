"""Alert state and outbox, in schema ``alerts`` of the warehouse file.

- ``alerts.series_state``: one row per threshold rule and series (state, pending count, episode, last
  period seen). Written in the same transaction as the outbox rows its transitions produce, so a restart
  neither repeats nor forgets an event.
- ``alerts.events``: the outbox, one row per event and receiver, inserted once (never re-inserted: a
  re-run finds the row and neither re-records nor re-sends it). The body is stored at first sight, so
  every attempt sends the same bytes even if the mart is rebuilt in between.
- ``alerts.receivers``: receivers disabled by a 410 Gone (until ``costcurve alerts enable``).

Statements avoid PRIMARY KEY, UNIQUE and ON CONFLICT (DuckLake has none): upserts are a DELETE and an
INSERT, or an INSERT ... WHERE NOT EXISTS, inside one transaction.

Delivery status of an outbox row::

    pending ──ok──> delivered
       │ └─transient failure─> failed ──(next run) ok──> delivered
       │                          └── budget spent, or a 4xx other than 408/429 ──> dead ──replay──> pending
       └ (backfill or history: recorded as suppressed, never sent)

Names are qualified with the connection's catalog because DuckDB refuses ``alerts.events`` as ambiguous
when the database file itself is called ``alerts.duckdb``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import duckdb

from alerts.events import AlertEvent
from alerts.machine import SeriesState

STATUSES = ("pending", "delivered", "failed", "dead", "suppressed")

_DDL = {
    "events": """
        event_id VARCHAR NOT NULL, receiver_id VARCHAR NOT NULL, rule_id VARCHAR NOT NULL,
        kind VARCHAR NOT NULL, alert_status VARCHAR NOT NULL, episode_id VARCHAR NOT NULL,
        series VARCHAR NOT NULL, period DATE NOT NULL, first_as_of DATE NOT NULL, summary VARCHAR NOT NULL,
        payload VARCHAR NOT NULL, status VARCHAR NOT NULL, attempts INTEGER NOT NULL, last_error VARCHAR,
        recorded_at TIMESTAMPTZ NOT NULL, last_attempt_at TIMESTAMPTZ, delivered_at TIMESTAMPTZ""",
    "series_state": """
        rule_id VARCHAR NOT NULL, series_id VARCHAR NOT NULL, series VARCHAR NOT NULL, state VARCHAR NOT NULL,
        pending_count INTEGER NOT NULL, pending_since DATE, episode_id VARCHAR, last_period DATE,
        last_value VARCHAR, updated_at TIMESTAMPTZ NOT NULL""",
    "receivers": "receiver_id VARCHAR NOT NULL, disabled_at TIMESTAMPTZ NOT NULL, reason VARCHAR NOT NULL",
}


@dataclass(frozen=True)
class OutboxItem:
    """A row due for delivery: the event id (the ``webhook-id``), its receiver and the exact body."""

    event_id: str
    receiver_id: str
    payload: str
    attempts: int


def _schema(con: duckdb.DuckDBPyConnection) -> str:
    catalog = con.execute("SELECT current_database()").fetchone()[0]
    return '"{}".alerts'.format(catalog.replace('"', '""'))


def table(con: duckdb.DuckDBPyConnection, name: str) -> str:
    return f"{_schema(con)}.{name}"


def events_table(con: duckdb.DuckDBPyConnection) -> str:
    return table(con, "events")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the alerts tables if missing. An outbox of the first design (one row per event, no
    receiver or episode) is kept aside as ``alerts.events_v1`` rather than migrated: its rule is gone."""
    schema = _schema(con)
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    catalog = con.execute("SELECT current_database()").fetchone()[0]
    old = con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_catalog = ? AND table_schema = 'alerts' "
        "AND table_name = 'events' AND column_name = 'episode_id'", [catalog]).fetchone()[0] == 0
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_catalog = ? AND table_schema = 'alerts' "
        "AND table_name = 'events'", [catalog]).fetchone()[0] > 0
    if exists and old:
        con.execute(f"ALTER TABLE {schema}.events RENAME TO events_v1")
    for name, columns in _DDL.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS {schema}.{name} ({columns})")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def load_states(con: duckdb.DuckDBPyConnection) -> dict[str, SeriesState]:
    ensure_schema(con)
    rows = con.execute(
        f"SELECT rule_id, series, state, pending_count, pending_since, episode_id, last_period, last_value "
        f"FROM {table(con, 'series_state')}").fetchall()
    states = {}
    for rule_id, series, state, count, since, episode, last_period, last_value in rows:
        s = SeriesState(rule_id=rule_id, series=json.loads(series), state=state, pending_count=count,
                        pending_since=since, episode_id=episode, last_period=last_period,
                        last_value=None if last_value is None else Decimal(last_value))
        states[s.series_id] = s
    return states


def _series_json(series: dict) -> str:
    return json.dumps(series, sort_keys=True, default=str)


def record(con: duckdb.DuckDBPyConnection, events: Iterable[AlertEvent], states: Iterable[SeriesState], *,
           formats: dict[str, str], send: bool, now: datetime) -> list[AlertEvent]:
    """Write changed series states and new events (one row per receiver) in ONE transaction; return the
    events not seen before. ``send=False`` (backfill) and history events are recorded as suppressed."""
    ensure_schema(con)
    events_t, states_t = events_table(con), table(con, "series_state")
    new: list[AlertEvent] = []
    with transaction(con):
        for s in states:
            con.execute(f"DELETE FROM {states_t} WHERE rule_id = ? AND series_id = ?", [s.rule_id, s.series_id])
            con.execute(
                f"INSERT INTO {states_t} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [s.rule_id, s.series_id, _series_json(s.series), s.state, s.pending_count, s.pending_since,
                 s.episode_id, s.last_period, None if s.last_value is None else str(s.last_value), now])
        for event in events:
            status = "pending" if send and event.send else "suppressed"
            inserted = 0
            for receiver in event.receivers:
                inserted += len(con.execute(
                    f"""
                    INSERT INTO {events_t}
                    SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, NULL, NULL
                    WHERE NOT EXISTS (SELECT 1 FROM {events_t} WHERE event_id = ? AND receiver_id = ?)
                    RETURNING event_id
                    """,
                    [event.event_id, receiver, event.rule_id, event.kind, event.status, event.episode_id,
                     _series_json(event.series), event.period, event.as_of, event.summary,
                     event.body(formats.get(receiver, "standard")), status, now, event.event_id, receiver],
                ).fetchall())
            if inserted:
                new.append(event)
    return new


def disabled_receivers(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    ensure_schema(con)
    return dict(con.execute(f"SELECT receiver_id, reason FROM {table(con, 'receivers')}").fetchall())


def disable_receiver(con: duckdb.DuckDBPyConnection, receiver_id: str, reason: str, now: datetime) -> None:
    t = table(con, "receivers")
    with transaction(con):
        con.execute(f"DELETE FROM {t} WHERE receiver_id = ?", [receiver_id])
        con.execute(f"INSERT INTO {t} VALUES (?, ?, ?)", [receiver_id, now, reason])


def enable_receiver(con: duckdb.DuckDBPyConnection, receiver_id: str) -> bool:
    ensure_schema(con)
    return bool(con.execute(f"DELETE FROM {table(con, 'receivers')} WHERE receiver_id = ? RETURNING receiver_id",
                            [receiver_id]).fetchall())


def due(con: duckdb.DuckDBPyConnection, receivers: Iterable[str] | None = None) -> list[OutboxItem]:
    """Rows still to deliver (pending, or failed on an earlier attempt), oldest first, for enabled receivers."""
    ensure_schema(con)
    rows = con.execute(
        f"""
        SELECT event_id, receiver_id, payload, attempts FROM {events_table(con)}
        WHERE status IN ('pending', 'failed')
          AND receiver_id NOT IN (SELECT receiver_id FROM {table(con, 'receivers')})
        ORDER BY recorded_at, period, event_id, receiver_id
        """
    ).fetchall()
    items = [OutboxItem(*row) for row in rows]
    return items if receivers is None else [i for i in items if i.receiver_id in set(receivers)]


def mark(con: duckdb.DuckDBPyConnection, item: OutboxItem, status: str, error: str | None, now: datetime) -> None:
    con.execute(
        f"""
        UPDATE {events_table(con)}
        SET status = ?, attempts = attempts + 1, last_attempt_at = ?, last_error = ?,
            delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END
        WHERE event_id = ? AND receiver_id = ?
        """,
        [status, now, error, status, now, item.event_id, item.receiver_id],
    )


def replay(con: duckdb.DuckDBPyConnection, event_id: str) -> int:
    """Put an event (every receiver's row that is not already waiting) back to pending, attempts reset."""
    ensure_schema(con)
    return len(con.execute(
        f"""UPDATE {events_table(con)} SET status = 'pending', attempts = 0, last_error = NULL
            WHERE event_id = ? AND status NOT IN ('pending') RETURNING event_id""", [event_id]).fetchall())


def status_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many outbox rows are in each delivery status (all statuses present, zero when none)."""
    ensure_schema(con)
    counts = dict.fromkeys(STATUSES, 0)
    counts.update(dict(con.execute(f"SELECT status, count(*) FROM {events_table(con)} GROUP BY status").fetchall()))
    return counts

