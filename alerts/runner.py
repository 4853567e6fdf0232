"""One alerting pass for one day: load rules, evaluate, record in the outbox, deliver. Dagster calls ``run``.

The order matters for "lose nothing": events are recorded before any delivery (or configuration
check of the webhook) is attempted, so a bad URL or secret fails the run loudly while the events wait
in the outbox for the next run. A backfill (``send=False``) records what fired as ``suppressed`` and
sends nothing, so replaying history never pages anyone and a later daily run does not page for it
either.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from alerts import state
from alerts.deliver import RetryPolicy, deliver_due
from alerts.evaluate import evaluate
from alerts.rules import load_rules
from costcurve.config import DEFAULT_USER_AGENT, Settings

log = logging.getLogger(__name__)

#: Webhook receivers should answer quickly; a scraper's 60 s read timeout would stall the retries.
MAX_READ_TIMEOUT = 30.0


@dataclass(frozen=True)
class AlertParams:
    """Everything ``run`` needs, decoupled from the environment so tests can pass their own."""

    rules_path: Path
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    user_agent: str = DEFAULT_USER_AGENT
    timeout: tuple[float, float] = (10.0, MAX_READ_TIMEOUT)
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> AlertParams:
        params = cls(
            rules_path=settings.alert_rules,
            webhook_url=settings.alert_webhook_url,
            webhook_secret=settings.alert_webhook_secret,
            user_agent=settings.user_agent,
            timeout=(settings.connect_timeout, min(settings.read_timeout, MAX_READ_TIMEOUT)),
        )
        return replace(params, **overrides) if overrides else params


@dataclass(frozen=True)
class RunSummary(Mapping):
    """Counts for one run.

    ``evaluated``: events the rules fire as of ``as_of`` (new or not); ``new``: of those, first seen now;
    ``delivered``/``failed``: delivery outcomes this run (including retries of older failed events);
    ``suppressed``: new events recorded without sending (backfill); ``pending``: events left waiting
    because no webhook URL is configured.

    Also a read-only mapping (``summary["delivered"]``, ``summary.items()``, ``as_of`` as ISO text) so
    the Dagster asset can hand it to materialization metadata as it is.
    """

    as_of: date
    rules: int
    evaluated: int
    new: int
    delivered: int = 0
    failed: int = 0
    suppressed: int = 0
    pending: int = 0
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["as_of"] = self.as_of.isoformat()
        return out

    def __getitem__(self, key: str) -> Any:
        return self.as_dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.as_dict())

    def __len__(self) -> int:
        return len(self.as_dict())


def run(
    con: duckdb.DuckDBPyConnection,
    config: Settings | AlertParams,
    as_of: date,
    send: bool = True,
) -> RunSummary:
    """Evaluate every rule as of ``as_of``, record new events once, and deliver what is due.

    ``send=False`` is backfill mode: new events are recorded as ``suppressed``; no webhook is sent and
    nothing already in the outbox is touched. Raises ``RuleConfigError`` for a bad rules file,
    ``RuleEvaluationError`` for a rule that cannot read its mart, ``WebhookConfigError`` for a bad URL or
    secret (after recording events, which then wait in the outbox).
    """
    params = config if isinstance(config, AlertParams) else AlertParams.from_settings(config)
    rules = load_rules(params.rules_path)
    events = evaluate(con, rules, as_of)
    new_ids = state.record(con, events, suppressed=not send, now=datetime.now(UTC))
    base = {"as_of": as_of, "rules": len(rules), "evaluated": len(events), "new": len(new_ids)}

    if not send:
        summary = RunSummary(
            **base,
            suppressed=len(new_ids),
            message=f"backfill: {len(new_ids)} new alert event(s) recorded as suppressed; no webhooks sent",
        )
    elif not params.webhook_url:
        waiting = len(state.due(con))
        summary = RunSummary(
            **base,
            pending=waiting,
            message=(
                f"COSTCURVE_ALERT_WEBHOOK_URL is not set: {waiting} alert event(s) left pending in "
                "alerts.events; the first run with a URL will send them"
            ),
        )
        if waiting:
            log.warning(summary.message)
    else:
        result = deliver_due(
            con,
            params.webhook_url,
            params.webhook_secret,
            user_agent=params.user_agent,
            timeout=params.timeout,
            policy=params.retry,
        )
        message = f"{result.delivered} delivered, {result.failed} failed"
        if result.failed:
            message += " (kept in alerts.events as failed; the next run retries them)"
        summary = RunSummary(**base, delivered=result.delivered, failed=result.failed, message=message)
    log.info("alerts as of %s: %s", as_of.isoformat(), summary.as_dict())
    return summary
