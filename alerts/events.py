"""Alert events: what a rule found, with stable ids and the JSON body subscribers receive.

Ids are hashes of the rule, the series and the period (never of the evaluation date or the wall clock):
evaluating the same warehouse twice yields the same ids, so the outbox records each once and receivers
dedupe on ``webhook-id`` when at-least-once delivery sends something twice. A threshold rule's firing and
resolved events share one ``episode_id``; a change rule's event is its own episode.

Body (``AlertEvent.body()``, documented in README "Alerts")::

    {"id": "evt_...", "type": "costcurve.alert.firing", "rule_id": ..., "kind": "threshold", "status":
     "firing", "episode_id": "ep_...", "severity": ..., "series": {...}, "period": "2026-08-07",
     "value": "0.603512", "comparator": ">=", "threshold": "0.25", "clear": "0.24", "partition": "2026-08-21",
     "summary": "...", "data": {...the carried columns...}}

Numbers travel as decimal strings (exact, never float-rounded).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

EVENT_ID_PREFIX = "evt_"


def to_json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 0.260000 -> "0.26", -50.0000 -> "-50"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class AlertEvent:
    event_id: str
    rule_id: str
    kind: str
    status: str  # firing or resolved
    episode_id: str
    severity: str
    series: dict[str, Any]
    period: date
    as_of: date
    value: Decimal
    comparator: str
    threshold: Decimal
    clear: Decimal | None
    summary: str
    receivers: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    #: False for events about history (before the rule's lookback window): recorded, never sent
    send: bool = True

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.event_id,
            "type": f"costcurve.alert.{self.status}",
            "rule_id": self.rule_id,
            "kind": self.kind,
            "status": self.status,
            "episode_id": self.episode_id,
            "severity": self.severity,
            "series": {k: to_json(v) for k, v in self.series.items()},
            "period": self.period.isoformat(),
            "partition": self.as_of.isoformat(),
            "value": to_json(self.value),
            "comparator": self.comparator,
            "threshold": to_json(self.threshold),
            "clear": to_json(self.clear),
            "summary": self.summary,
            "data": {k: to_json(v) for k, v in self.data.items()},
        }

    def body(self, format: str = "standard") -> str:
        """The exact text stored in the outbox and POSTed (and signed) on every attempt."""
        if format == "slack":
            doc: dict[str, Any] = {"text": f"[{self.severity}] {self.status}: {self.summary}"}
        else:
            doc = self.payload()
        return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
