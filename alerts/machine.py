"""The per-rule, per-series state machine of a ``threshold`` rule (pure: no database, no clock).

::

               value passes            `for` periods in a row pass
    inactive ───────────────> pending ───────────────────────────> firing ──value past clear──> resolved
       ^  └─(for = 1)─────────────────────────────────────────────────^                             │
       └──────── value stops passing (pending only) ─── ... ─── resolved behaves as inactive ───────┘

- One firing event per episode (when pending becomes firing), one resolved event with the same episode id.
- Hysteresis: a firing series stays firing while the value sits between ``clear`` and ``threshold``.
- A period without a value (NULL) or a series with no new period freezes the state: nothing resolves on
  absent data, and a pending count is neither advanced nor reset.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from alerts.rules import ThresholdRule

STATES = ("inactive", "pending", "firing", "resolved")


def stable_id(prefix: str, **material: Any) -> str:
    text = json.dumps(material, sort_keys=True, separators=(",", ":"), default=str)
    return prefix + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def series_id(rule_id: str, series: dict[str, Any]) -> str:
    return stable_id("ser_", rule_id=rule_id, series=series)


@dataclass(frozen=True)
class SeriesState:
    rule_id: str
    series: dict[str, Any]
    state: str = "inactive"
    pending_count: int = 0
    pending_since: date | None = None
    episode_id: str | None = None
    last_period: date | None = None
    last_value: Decimal | None = None

    @property
    def series_id(self) -> str:
        return series_id(self.rule_id, self.series)


@dataclass(frozen=True)
class Transition:
    """A series became ``firing`` or ``resolved`` at ``period`` (the row that made it so is ``row``)."""

    status: str
    episode_id: str
    period: date
    value: Decimal
    row: dict[str, Any]


def step(rule: ThresholdRule, current: SeriesState, period: date, value: Decimal | None,
         row: dict[str, Any]) -> tuple[SeriesState, Transition | None]:
    """Advance one series by one period."""
    if current.last_period is not None and period <= current.last_period:
        return current, None  # already evaluated (a re-run, or an older partition)
    if value is None:
        return replace(current, last_period=period), None  # freeze: absent data decides nothing
    moved = replace(current, last_period=period, last_value=value)

    if current.state == "firing":
        if rule.clears(value):
            return replace(moved, state="resolved", pending_count=0, pending_since=None), Transition(
                "resolved", current.episode_id, period, value, row)
        return moved, None

    if not rule.passes(value):
        return replace(moved, state="inactive" if current.state == "pending" else current.state,
                       pending_count=0, pending_since=None), None

    count = current.pending_count + 1
    since = current.pending_since or period
    if count < rule.for_periods:
        return replace(moved, state="pending", pending_count=count, pending_since=since), None
    episode = stable_id("ep_", rule_id=rule.id, series=current.series, started=since.isoformat())
    return replace(moved, state="firing", pending_count=count, pending_since=since, episode_id=episode), Transition(
        "firing", episode, period, value, row)
