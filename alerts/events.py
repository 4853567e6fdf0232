"""Alert events: what a rule found, with a stable id and the JSON payload subscribers receive.

The id is a hash of the rule id, the subject's key and the date the change took effect, never of the
evaluation date or the wall clock: evaluating the same warehouse twice yields the same ids, which is
what makes the outbox idempotent (one event per episode, as in Alertmanager) and lets receivers dedupe
on ``webhook-id`` when at-least-once delivery sends something twice.

Payload shape (``AlertEvent.payload()``), one JSON object::

    {"id": "evt_...", "type": "costcurve.alert.price_cut", "rule_id": "price_cut", "kind": "price_cut",
     "as_of": "2025-06-10", "occurred_at": "2025-06-08", "summary": "Price cut 20.00% ...",
     "subject": {"source_id": ..., "provider_id": ..., "model_id": ..., "token_type": ...,
                 "service_tier": ..., "context_band": ..., "modality": ...},
     "data": {...kind-specific: for price_cut old/new price, change_pct, threshold_pct...}}

Money travels as decimal strings (never floats); percentages are JSON numbers rounded to 2 places.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

EVENT_ID_PREFIX = "evt_"


def event_id(rule_id: str, key: dict[str, Any], occurred_at: date) -> str:
    """Deterministic id for one episode of one rule on one subject."""
    material = json.dumps(
        {"rule_id": rule_id, "key": key, "occurred_at": occurred_at.isoformat()},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return EVENT_ID_PREFIX + hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class AlertEvent:
    """One firing of one rule. ``subject`` identifies what changed; ``data`` is kind-specific."""

    event_id: str
    rule_id: str
    kind: str
    as_of: date
    occurred_at: date
    subject: dict[str, Any]
    summary: str
    data: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.event_id,
            "type": f"costcurve.alert.{self.kind}",
            "rule_id": self.rule_id,
            "kind": self.kind,
            "as_of": self.as_of.isoformat(),
            "occurred_at": self.occurred_at.isoformat(),
            "summary": self.summary,
            "subject": self.subject,
            "data": self.data,
        }

    def body(self) -> str:
        """The exact JSON text stored in the outbox and POSTed (and signed) on every attempt."""
        return json.dumps(self.payload(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
