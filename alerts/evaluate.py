"""Evaluate alert rules: rules + a DuckDB connection + the stored series states + a day -> events and new states.

Evaluation reads the marts and never looks past ``as_of`` (re-running an old partition sees what that day
saw). Values are compared as ``Decimal`` (a DOUBLE column goes through its shortest repr, not binary
float arithmetic).

- ``threshold`` rules walk each series' periods after the last one the stored state has seen, through
  ``alerts.machine.step``. A transition about a period older than the lookback window is history: it is
  recorded but not sent, except a series' last firing transition, which is still firing now (the
  Alertmanager rule: on first sight, notify what is firing, not what fired and stopped long ago).
- ``change`` rules: every row in the lookback window that passes the comparator is one event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import duckdb

from alerts.events import EVENT_ID_PREFIX, AlertEvent
from alerts.machine import SeriesState, Transition, series_id, stable_id, step
from alerts.rules import ChangeRule, GateFailedRule, Metric, Rule, StaleSourceRule, ThresholdRule


class RuleEvaluationError(RuntimeError):
    """A rule could not be evaluated (missing mart, missing column); names the rule and the mart."""


def _quote(name: str) -> str:
    return ".".join(f'"{part}"' for part in name.split("."))


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else str(value))


def read_metric(con: duckdb.DuckDBPyConnection, rule: Rule, as_of: date,
                since: date | None = None) -> list[dict[str, Any]]:
    """The metric's rows up to ``as_of`` (and after ``since``), ordered by series then period."""
    m = rule.metric
    columns = list(dict.fromkeys([*m.series, m.period, m.value, *m.carry]))
    where = [f"{_quote(m.period)} <= $as_of"]
    params: dict[str, Any] = {"as_of": as_of}
    if since is not None:
        where.append(f"{_quote(m.period)} > $since")
        params["since"] = since
    for i, (column, wanted) in enumerate(sorted(m.filter.items())):
        where.append(f"{_quote(column)} = $f{i}")
        params[f"f{i}"] = wanted
    order = ", ".join(_quote(c) for c in [*m.series, m.period])
    sql = (f"SELECT {', '.join(_quote(c) for c in columns)} FROM {_quote(m.mart)} "
           f"WHERE {' AND '.join(where)} ORDER BY {order}")
    try:
        cursor = con.execute(sql, params)
    except duckdb.Error as exc:
        raise RuleEvaluationError(f"rule {rule.id!r}: cannot read {m.mart!r}: {exc}") from exc
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def render_message(rule: Rule, status: str, value: Decimal, period: date, series: dict, row: dict) -> str:
    try:
        return " ".join(rule.message.format(
            rule_id=rule.id, status=status, severity=rule.severity, value=value,
            threshold=getattr(rule, "threshold", None), clear=getattr(rule, "clear", None),
            comparator=getattr(rule, "comparator", None), period=period.isoformat(),
            series=series, row={k: _decimal(v) if isinstance(v, float) else v for k, v in row.items()},
        ).split())
    except (KeyError, IndexError, ValueError, TypeError) as exc:  # a NULL carried into a numeric format
        return f"{rule.id} {status}: value {value} on {period.isoformat()} ({exc.__class__.__name__} in message)"


def _event(rule: Rule, as_of: date, series: dict, t: Transition, send: bool) -> AlertEvent:
    return AlertEvent(
        event_id=stable_id(EVENT_ID_PREFIX, rule_id=rule.id, episode=t.episode_id, status=t.status),
        rule_id=rule.id,
        kind=rule.kind,
        status=t.status,
        episode_id=t.episode_id,
        severity=rule.severity,
        series=series,
        period=t.period,
        as_of=as_of,
        value=t.value,
        comparator=rule.comparator,
        threshold=rule.threshold,
        clear=getattr(rule, "clear", None),
        summary=render_message(rule, t.status, t.value, t.period, series, t.row),
        receivers=rule.receivers,
        data={c: t.row.get(c) for c in rule.metric.carry},
        send=send,
    )


def evaluate_threshold(con, rule: ThresholdRule, as_of: date, states: dict[str, SeriesState]
                       ) -> tuple[list[AlertEvent], list[SeriesState]]:
    window_start = as_of - timedelta(days=rule.lookback_days - 1)
    by_series: dict[str, list[dict]] = {}
    for row in read_metric(con, rule, as_of):
        series = {c: row[c] for c in rule.metric.series}
        by_series.setdefault(series_id(rule.id, series), []).append(row)
    events, changed = [], []
    for sid, rows in by_series.items():
        series = {c: rows[0][c] for c in rule.metric.series}
        start = states.get(sid) or SeriesState(rule_id=rule.id, series=series)
        current, transitions = start, []
        for row in rows:
            current, t = step(rule, current, row[rule.metric.period], _decimal(row[rule.metric.value]), row)
            if t is not None:
                transitions.append(t)
        if current != start:
            changed.append(current)
        for i, t in enumerate(transitions):
            still_firing = i == len(transitions) - 1 and t.status == "firing"
            events.append(_event(rule, as_of, series, t, send=t.period >= window_start or still_firing))
    return events, changed


def evaluate_change(con, rule: ChangeRule, as_of: date) -> list[AlertEvent]:
    window_start = as_of - timedelta(days=rule.lookback_days)
    events = []
    for row in read_metric(con, rule, as_of, since=window_start):
        value = _decimal(row[rule.metric.value])
        if value is None or not rule.passes(value):
            continue
        series = {c: row[c] for c in rule.metric.series}
        period = row[rule.metric.period]
        episode = stable_id("ep_", rule_id=rule.id, series=series, started=period.isoformat())
        events.append(_event(rule, as_of, series, Transition("firing", episode, period, value, row), send=True))
    return events


def evaluate_stale_sources(con, rule: StaleSourceRule, as_of: date, states: dict[str, SeriesState],
                           cadences: Mapping[str, str]) -> tuple[list[AlertEvent], list[SeriesState]]:
    """One period per run (the run's day) per source: days since its last successful capture, through
    the threshold machine with threshold N (``>= N`` fires, a fresher capture resolves)."""
    try:
        last = dict(con.execute(
            "SELECT source_id, max(partition_date) FROM raw.fetches "
            "WHERE partition_date <= ? AND http_status BETWEEN 200 AND 399 GROUP BY 1", [as_of]).fetchall())
    except duckdb.Error as exc:
        raise RuleEvaluationError(f"rule {rule.id!r}: cannot read raw.fetches: {exc}") from exc
    events, changed = [], []
    for source_id, cadence in sorted(cadences.items()):
        word = cadence.split()[0].strip(";,") if cadence.strip() else ""
        if word not in rule.stale_after_days:
            continue
        machine_rule = ThresholdRule(
            id=rule.id, kind="threshold", metric=Metric(mart="raw.fetches", value="days_since_capture",
                                                        period="as_of", series=("source_id",),
                                                        carry=("last_capture", "cadence")),
            comparator=">=", threshold=Decimal(rule.stale_after_days[word]), severity=rule.severity,
            receivers=rule.receivers, message=rule.message, lookback_days=rule.lookback_days)
        series = {"source_id": source_id}
        captured = last.get(source_id)
        row = {"source_id": source_id, "as_of": as_of, "last_capture": captured, "cadence": cadence,
               "days_since_capture": None if captured is None else Decimal((as_of - captured).days)}
        sid = series_id(rule.id, series)
        start = states.get(sid) or SeriesState(rule_id=rule.id, series=series)
        current, t = step(machine_rule, start, as_of, row["days_since_capture"], row)
        if current != start:
            changed.append(current)
        if t is not None:
            events.append(replace(_event(machine_rule, as_of, series, t, send=True), kind=rule.kind))
    return events, changed


def evaluate(con: duckdb.DuckDBPyConnection, rules: Iterable[Rule], as_of: date,
             states: dict[str, SeriesState] | None = None,
             source_cadences: Mapping[str, str] | None = None) -> tuple[list[AlertEvent], list[SeriesState]]:
    """Every event the rules produce as of ``as_of`` and the series states that changed.

    ``source_cadences`` (source id -> the registry's cadence) feeds ``stale_source`` rules; the
    orchestration passes it, since the alerts room does not import the scrapers."""
    states = states or {}
    events: list[AlertEvent] = []
    changed: list[SeriesState] = []
    for rule in rules:
        if isinstance(rule, GateFailedRule):
            continue  # fed by a run-failure sensor (alerts.gates), never evaluated after the marts
        if isinstance(rule, StaleSourceRule):
            new_events, new_states = evaluate_stale_sources(con, rule, as_of, states, source_cadences or {})
            events += new_events
            changed += new_states
        elif isinstance(rule, ThresholdRule):
            new_events, new_states = evaluate_threshold(con, rule, as_of, states)
            events += new_events
            changed += new_states
        else:
            events += evaluate_change(con, rule, as_of)
    return events, changed
