"""One alerting pass for one day, in two halves so delivery never holds the warehouse writer:

1. ``evaluate_and_record`` (writer held): load and validate the rules, evaluate them, and write the new
   series states and outbox rows in one transaction.
2. ``deliver`` : read the due rows (writer held briefly), send them with the writer released
   (``send_items``), then write the outcomes back.

``run`` does both on one connection (tests, the CLI). Events are recorded before any receiver is even
resolved, so a bad URL or secret fails the run loudly while the events wait in the outbox. A backfill
(``send=False``) records what fired as ``suppressed`` and sends nothing, so replaying history never pages
anyone and a later daily run does not page for it either.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from alerts import state
from alerts.deliver import Endpoint, RetryPolicy, apply_outcomes, resolve, send_items
from alerts.evaluate import evaluate
from alerts.rules import DEFAULT_RECEIVER, AlertConfig, load_config
from costcurve.config import DEFAULT_USER_AGENT, Settings

log = logging.getLogger(__name__)

#: Webhook receivers should answer quickly; a scraper's 60 s read timeout would stall the retries.
MAX_READ_TIMEOUT = 30.0


@dataclass(frozen=True)
class AlertParams:
    """Everything ``run`` needs, decoupled from the environment so tests can pass their own.

    ``webhook_url``/``webhook_secret`` are the ``default`` receiver's; other receivers read the
    environment variables the rules file names (``environ``, default ``os.environ``).
    """

    rules_path: Path
    webhook_url: str | None = field(default=None, repr=False)
    webhook_secret: str | None = field(default=None, repr=False)
    user_agent: str = DEFAULT_USER_AGENT
    timeout: tuple[float, float] = (10.0, MAX_READ_TIMEOUT)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    environ: Mapping[str, str] | None = field(default=None, repr=False)
    #: receivers on 127.0.0.0/8 or ::1 are refused unless this is set (tests, the demo's local sink)
    allow_loopback: bool = False
    #: source id -> the registry's cadence, for stale_source rules (the orchestration fills it)
    source_cadences: Mapping[str, str] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> AlertParams:
        params = cls(
            rules_path=settings.alert_rules,
            webhook_url=settings.alert_webhook_url,
            webhook_secret=settings.alert_webhook_secret,
            user_agent=settings.user_agent,
            timeout=(settings.connect_timeout, min(settings.read_timeout, MAX_READ_TIMEOUT)),
            allow_loopback=settings.alert_allow_loopback,
        )
        return replace(params, **overrides) if overrides else params

    def env(self) -> dict[str, str]:
        env = dict(os.environ if self.environ is None else self.environ)
        for name, value in ((DEFAULT_RECEIVER.url_env, self.webhook_url),
                            (DEFAULT_RECEIVER.secret_env, self.webhook_secret)):
            env.pop(name, None)
            if value:
                env[name] = value
        return env


@dataclass(frozen=True)
class RunSummary(Mapping):
    """Counts for one run.

    ``evaluated``: events the rules produce as of ``as_of`` (new or not); ``new``: of those, first seen now;
    ``firing``/``resolved``: new events by status; ``delivered``/``failed``/``dead``: delivery outcomes this
    run (including retries of older rows); ``suppressed``: new rows recorded without sending (backfill,
    history); ``pending``: rows left waiting for a receiver with no URL or a disabled one.

    Also a read-only mapping so the Dagster asset can hand it to materialization metadata as it is.
    """

    as_of: date
    rules: int
    evaluated: int
    new: int
    firing: int = 0
    resolved: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0
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


def _params(config: Settings | AlertParams) -> AlertParams:
    return config if isinstance(config, AlertParams) else AlertParams.from_settings(config)


def evaluate_and_record(con: duckdb.DuckDBPyConnection, config: Settings | AlertParams, as_of: date,
                        send: bool = True) -> RunSummary:
    """Evaluate every rule as of ``as_of`` and record states and new events in one transaction.

    Raises ``RuleConfigError`` for a bad rules file and ``RuleEvaluationError`` for a rule that cannot read
    its mart; in both cases nothing is written.
    """
    params = _params(config)
    cfg = load_config(params.rules_path)
    events, states = evaluate(con, cfg.rules, as_of, state.load_states(con), params.source_cadences)
    formats = {r.id: r.format for r in cfg.receivers.values()}
    new = state.record(con, events, states, formats=formats, send=send, now=datetime.now(UTC))
    suppressed = sum(len(e.receivers) for e in new if not (send and e.send))
    return RunSummary(
        as_of=as_of, rules=len(cfg.rules), evaluated=len(events), new=len(new),
        firing=sum(e.status == "firing" for e in new), resolved=sum(e.status == "resolved" for e in new),
        suppressed=suppressed,
    )


def endpoints(cfg: AlertConfig, params: AlertParams) -> dict[str, Endpoint]:
    env = params.env()
    return {r.id: resolve(r, env) for r in cfg.receivers.values()}


def deliver(
    writer: Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]],
    config: Settings | AlertParams,
    recorded: RunSummary,
) -> RunSummary:
    """Send what is due without holding the writer: read rows, release, send, write the outcomes back."""
    params = _params(config)
    cfg = load_config(params.rules_path)
    targets = endpoints(cfg, params)  # raises WebhookConfigError (safe message) before anything is sent
    with writer() as con:
        items = state.due(con)
    outcomes = send_items(items, targets, user_agent=params.user_agent, timeout=params.timeout,
                          policy=params.retry, allow_loopback=params.allow_loopback)
    with writer() as con:
        apply_outcomes(con, outcomes)
        waiting = len(state.due(con))
    counts = {s: sum(o.status == s for o in outcomes) for s in ("delivered", "failed", "dead")}
    unsent = [r for r, e in targets.items() if e.url is None and any(i.receiver_id == r for i in items)]
    message = f"{counts['delivered']} delivered, {counts['failed']} failed, {counts['dead']} dead-lettered"
    if counts["failed"]:
        message += " (failed rows stay in alerts.events; the next run retries them)"
    if unsent:
        message += f"; no URL for receiver(s) {', '.join(unsent)}: their events wait pending"
        log.warning("alert receiver(s) %s have no URL (%s): %d event(s) wait pending in alerts.events",
                    ", ".join(unsent), ", ".join(cfg.receivers[r].url_env for r in unsent), waiting)
    return replace(recorded, **counts, pending=waiting, message=message)


def run(con: duckdb.DuckDBPyConnection, config: Settings | AlertParams, as_of: date, send: bool = True) -> RunSummary:
    """Evaluate, record, and (unless ``send=False``) deliver what is due, all on ``con``."""
    recorded = evaluate_and_record(con, config, as_of, send=send)
    if not send:
        summary = replace(recorded, message=(
            f"backfill: {recorded.suppressed} new alert row(s) recorded as suppressed; no webhooks sent"))
    else:
        summary = deliver(lambda: _borrowed(con), config, recorded)
    log.info("alerts as of %s: %s", as_of.isoformat(), summary.as_dict())
    return summary


class _borrowed(AbstractContextManager):
    """``con`` as a context manager that does not close it (``run`` owns one connection throughout)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        return self.con

    def __exit__(self, *exc) -> None:
        return None
