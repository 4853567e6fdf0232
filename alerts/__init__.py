"""Alerts: rules read from a file, evaluated against the marts, recorded once in an outbox table
(``alerts.events``) and delivered as Standard Webhooks-signed JSON. See ``alerts.runner.run``.

The orchestration calls one function::

    alerts.run(con, settings_or_params, as_of, send=True) -> RunSummary
"""

from alerts.deliver import DeliveryError, RetryPolicy, WebhookConfigError
from alerts.evaluate import RuleEvaluationError, evaluate
from alerts.events import AlertEvent
from alerts.rules import RuleConfigError, load_rules
from alerts.runner import AlertParams, RunSummary, run

__all__ = [
    "AlertEvent",
    "AlertParams",
    "DeliveryError",
    "RetryPolicy",
    "RuleConfigError",
    "RuleEvaluationError",
    "RunSummary",
    "WebhookConfigError",
    "evaluate",
    "load_rules",
    "run",
]
