"""Alerts: rules read from a file, evaluated against the marts through a per-series state machine,
recorded once in an outbox table (``alerts.events``) and delivered as Standard Webhooks-signed JSON.

The orchestration calls ``evaluate_and_record`` with the warehouse writer held, then ``deliver`` (which
holds the writer only to read and write rows, never while sending). ``run`` does both on one connection.
"""

from alerts.deliver import DeliveryError, RetryPolicy, WebhookConfigError
from alerts.evaluate import RuleEvaluationError, evaluate
from alerts.events import AlertEvent
from alerts.rules import RuleConfigError, load_config, load_rules
from alerts.runner import AlertParams, RunSummary, deliver, evaluate_and_record, run

__all__ = [
    "AlertEvent",
    "AlertParams",
    "DeliveryError",
    "RetryPolicy",
    "RuleConfigError",
    "RuleEvaluationError",
    "RunSummary",
    "WebhookConfigError",
    "deliver",
    "evaluate",
    "evaluate_and_record",
    "load_config",
    "load_rules",
    "run",
]
