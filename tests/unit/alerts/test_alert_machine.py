"""The threshold state machine, period by period, without a database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from alerts.machine import SeriesState, step
from alerts.rules import ThresholdRule


def rule(**extra) -> ThresholdRule:
    base = {"id": "share", "kind": "threshold", "metric": {"mart": "m", "value": "v", "period": "p"},
            "comparator": ">=", "threshold": "0.25", "clear": "0.24", "message": "x"}
    return ThresholdRule.model_validate(base | extra)


def walk(r: ThresholdRule, values: list[str | None], start: SeriesState | None = None):
    current = start or SeriesState(rule_id=r.id, series={"base": "openrouter"})
    transitions = []
    for i, value in enumerate(values):
        current, t = step(r, current, date(2026, 7, 1) + timedelta(days=i),
                          None if value is None else Decimal(value), {})
        if t:
            transitions.append(t)
    return current, transitions


def test_crossing_and_staying_up_five_periods_fires_once():
    end, ts = walk(rule(), ["0.20", "0.26", "0.27", "0.30", "0.26", "0.25"])
    assert [(t.status, t.period.day) for t in ts] == [("firing", 2)]
    assert end.state == "firing"


def test_oscillating_inside_the_band_is_no_storm():
    # 0.25 fires; 0.245 and 0.241 are above clear (0.24), so the episode stays open
    end, ts = walk(rule(), ["0.25", "0.245", "0.25", "0.241", "0.2499", "0.26", "0.24"])
    assert [t.status for t in ts] == ["firing"]
    assert end.state == "firing"


def test_without_hysteresis_the_same_values_would_flap():
    _, ts = walk(rule(clear=None), ["0.25", "0.245", "0.25", "0.241"])
    assert [t.status for t in ts] == ["firing", "resolved", "firing", "resolved"]


def test_dropping_below_clear_resolves_once_with_the_same_episode():
    end, ts = walk(rule(), ["0.30", "0.2399", "0.10", "0.20"])
    assert [t.status for t in ts] == ["firing", "resolved"]
    assert ts[0].episode_id == ts[1].episode_id
    assert end.state == "resolved"


def test_a_new_crossing_is_a_new_episode():
    _, ts = walk(rule(), ["0.30", "0.20", "0.30"])
    assert [t.status for t in ts] == ["firing", "resolved", "firing"]
    assert ts[0].episode_id != ts[2].episode_id


def test_missing_values_freeze_the_state():
    end, ts = walk(rule(), ["0.30", None, None, None])
    assert [t.status for t in ts] == ["firing"]
    assert end.state == "firing"


def test_for_needs_consecutive_periods_and_null_neither_counts_nor_resets():
    r = rule(**{"for": 3})
    _, ts = walk(r, ["0.30", "0.30", "0.10", "0.30", "0.30"])  # broken after two: back to inactive
    assert ts == []
    end, ts = walk(r, ["0.30", None, "0.30", "0.30"])
    assert [(t.status, t.period.day) for t in ts] == [("firing", 4)]
    assert end.pending_since == date(2026, 7, 1)  # the episode started when the value first passed


def test_periods_already_seen_are_skipped():
    r = rule()
    end, _ = walk(r, ["0.30", "0.30"])
    again, t = step(r, end, date(2026, 7, 2), Decimal("0.01"), {})
    assert (again, t) == (end, None)
