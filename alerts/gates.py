"""Failed quality gates as alert events (rule kind ``gate_failed``).

A failed blocking gate skips every step after it, the alert step included, so these events cannot come
from ``alerts.run``: the orchestration's run-failure sensor collects the failed checks of a run and a small
job calls ``record_gate_failures`` (then ``alerts.deliver``). One event per rule, run and gate: re-running
the relay job for the same failed run records nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import duckdb

from alerts import state
from alerts.evaluate import render_message
from alerts.events import EVENT_ID_PREFIX, AlertEvent
from alerts.machine import stable_id
from alerts.rules import GateFailedRule, load_config


@dataclass(frozen=True)
class GateFailure:
    """One failed blocking check of a run: the gate (check name), the asset it gates, and its numbers."""

    gate: str
    asset: str
    failed_critical_count: int
    rows_validated: int | None = None
    summary: str = ""
    failed_expectations: list[dict[str, Any]] = field(default_factory=list)


def gate_events(rule: GateFailedRule, failures: list[GateFailure], day: date, run_id: str) -> list[AlertEvent]:
    events = []
    for failure in failures:
        series = {"gate": failure.gate, "asset": failure.asset}
        row = {"failed_critical_count": failure.failed_critical_count, "rows_validated": failure.rows_validated,
               "summary": failure.summary, "failed_expectations": failure.failed_expectations, "run_id": run_id}
        episode = stable_id("ep_", rule_id=rule.id, series=series, run_id=run_id)
        value = Decimal(failure.failed_critical_count)
        events.append(AlertEvent(
            event_id=stable_id(EVENT_ID_PREFIX, rule_id=rule.id, episode=episode, status="firing"),
            rule_id=rule.id, kind=rule.kind, status="firing", episode_id=episode, severity=rule.severity,
            series=series, period=day, as_of=day, value=value, comparator=">", threshold=Decimal(0), clear=None,
            summary=render_message(rule, "firing", value, day, series, row), receivers=rule.receivers, data=row,
        ))
    return events


def record_gate_failures(con: duckdb.DuckDBPyConnection, rules_path, failures: list[GateFailure], day: date,
                         run_id: str, send: bool = True) -> list[AlertEvent]:
    """Record one event per ``gate_failed`` rule and failed gate in the outbox; return the new ones."""
    cfg = load_config(rules_path)
    events = [e for rule in cfg.rules if isinstance(rule, GateFailedRule)
              for e in gate_events(rule, failures, day, run_id)]
    formats = {r.id: r.format for r in cfg.receivers.values()}
    return state.record(con, events, [], formats=formats, send=send, now=datetime.now(UTC))
