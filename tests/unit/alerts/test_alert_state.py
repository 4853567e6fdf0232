"""The outbox table: idempotent recording, status transitions, and a schema that survives odd file names."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pytest

from alerts import state
from alerts.events import AlertEvent, event_id

NOW = datetime(2025, 6, 10, 7, 0, tzinfo=UTC)


def make_event(model_id: str = "gpt-test", occurred_at: date = date(2025, 6, 8)) -> AlertEvent:
    subject = {"provider_id": "openai", "model_id": model_id}
    return AlertEvent(
        event_id=event_id("price_cut", subject, occurred_at),
        rule_id="price_cut",
        kind="price_cut",
        as_of=date(2025, 6, 10),
        occurred_at=occurred_at,
        subject=subject,
        summary=f"cut on {model_id}",
        data={"change_pct": -20.0},
    )


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "costcurve.duckdb"))
    yield connection
    connection.close()


def rows(con) -> list[tuple]:
    return con.execute(
        "SELECT event_id, status, attempts, last_error, delivered_at IS NOT NULL FROM alerts.events ORDER BY 1"
    ).fetchall()


def test_recording_is_idempotent_on_event_id(con):
    event = make_event()
    assert state.record(con, [event], suppressed=False, now=NOW) == [event.event_id]
    assert state.record(con, [event], suppressed=False, now=NOW) == []
    assert state.record(con, [event], suppressed=True, now=NOW) == []  # a backfill does not re-label it
    assert rows(con) == [(event.event_id, "pending", 0, None, False)]


def test_payload_is_stored_at_first_sight(con):
    event = make_event()
    state.record(con, [event], suppressed=False, now=NOW)
    (item,) = state.due(con)
    assert item.payload == event.body()


def test_failed_events_stay_due_and_count_attempts_until_delivered(con):
    event = make_event()
    state.record(con, [event], suppressed=False, now=NOW)
    state.mark_failed(con, event.event_id, "HTTP 500", NOW)
    state.mark_failed(con, event.event_id, "HTTP 502", NOW)
    assert [i.event_id for i in state.due(con)] == [event.event_id]
    assert rows(con) == [(event.event_id, "failed", 2, "HTTP 502", False)]

    state.mark_delivered(con, event.event_id, NOW)
    assert state.due(con) == []
    assert rows(con) == [(event.event_id, "delivered", 3, None, True)]
    # Seeing the same change again (re-run of the day) neither re-records nor re-opens it.
    assert state.record(con, [event], suppressed=False, now=NOW) == []
    assert state.due(con) == []


def test_suppressed_events_are_never_due(con):
    state.record(con, [make_event("a")], suppressed=True, now=NOW)
    state.record(con, [make_event("b")], suppressed=False, now=NOW)
    assert [i.payload for i in state.due(con)] == [make_event("b").body()]
    assert state.status_counts(con) == {"pending": 1, "delivered": 0, "failed": 0, "suppressed": 1}


def test_status_is_constrained(con):
    state.ensure_schema(con)
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            "INSERT INTO alerts.events (event_id, rule_id, kind, occurred_at, first_as_of, summary, payload,"
            " status, recorded_at) VALUES ('x', 'r', 'k', DATE '2025-01-01', DATE '2025-01-01', 's', '{}',"
            " 'sent', now())"
        )


def test_works_when_the_database_file_is_named_alerts(tmp_path):
    # DuckDB calls `alerts.events` ambiguous when the catalog is also named `alerts`.
    con = duckdb.connect(str(tmp_path / "alerts.duckdb"))
    try:
        assert state.record(con, [make_event()], suppressed=False, now=NOW)
        assert len(state.due(con)) == 1
    finally:
        con.close()
