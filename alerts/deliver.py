"""Webhook delivery: POST each due outbox event, signed per Standard Webhooks, and record the outcome.

Delivery is at least once. Transient trouble (connection errors, 429, 5xx) is retried inside one run
with exponential backoff by urllib3's ``Retry`` (POST is allowed explicitly: it is safe to repeat
because every attempt carries the same ``webhook-id``, which receivers dedupe on). Whatever still fails
is marked ``failed`` with the error and retried by the next run: an event is never dropped.

Signing: ``webhook-id`` is the event id, ``webhook-timestamp`` the send time and ``webhook-signature``
``v1,<base64 HMAC-SHA256>`` over ``id.timestamp.body`` from the ``standardwebhooks`` package. urllib3
re-sends the same signed request on its retries, so the retry policy keeps the whole sequence well
inside the 5-minute timestamp tolerance receivers apply (capped backoff, capped ``Retry-After``).

The signing secret and the webhook URL's path and query (often a token, as in Slack or Discord hooks)
never reach a log line or the ``last_error`` column.
"""

from __future__ import annotations

import base64
import binascii
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import duckdb
import requests
from requests.adapters import HTTPAdapter
from standardwebhooks import Webhook
from urllib3.util.retry import Retry

from alerts import state

log = logging.getLogger(__name__)

RETRY_STATUSES = (429, 500, 502, 503, 504)
SECRET_PREFIX = "whsec_"


class WebhookConfigError(ValueError):
    """The webhook URL or signing secret is unusable. The message never contains the secret."""


class DeliveryError(RuntimeError):
    """One event could not be delivered in this run (after in-run retries)."""


@dataclass(frozen=True)
class RetryPolicy:
    """In-run retries. ``backoff_factor`` 0 makes tests fast; defaults suit a real receiver.

    urllib3 sleeps ``backoff_factor * 2 ** (n - 1)`` before retry n (none before the first), capped at
    ``backoff_max``; a ``Retry-After`` header is honoured up to ``retry_after_max`` seconds.
    """

    retries: int = 4
    backoff_factor: float = 1.0
    backoff_max: float = 30.0
    retry_after_max: int = 60

    def to_urllib3(self) -> Retry:
        return Retry(
            total=self.retries,
            connect=self.retries,
            read=self.retries,
            status=self.retries,
            other=0,
            redirect=0,
            allowed_methods=frozenset({"POST"}),
            status_forcelist=RETRY_STATUSES,
            backoff_factor=self.backoff_factor,
            backoff_max=self.backoff_max,
            retry_after_max=self.retry_after_max,
            respect_retry_after_header=True,
            raise_on_status=False,
            raise_on_redirect=False,
        )


@dataclass(frozen=True)
class DeliveryResult:
    delivered: int = 0
    failed: int = 0


def make_signer(secret: str | None) -> Webhook | None:
    """A Standard Webhooks signer for a ``whsec_<base64>`` secret; ``None`` when no secret is set.

    Checked strictly because ``Webhook`` itself accepts almost any string and would sign with garbage.
    """
    if secret is None:
        return None
    problem = "COSTCURVE_ALERT_WEBHOOK_SECRET must be 'whsec_' followed by base64 (a Standard Webhooks secret)"
    if not secret.startswith(SECRET_PREFIX):
        raise WebhookConfigError(problem)
    encoded = secret[len(SECRET_PREFIX):]
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise WebhookConfigError(problem) from None
    if not key:
        raise WebhookConfigError(problem)
    return Webhook(key)


def redact_url(url: str) -> str:
    """``https://hooks.example.com/T0/B1/secret?x=y`` -> ``https://hooks.example.com/...``."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}/..."


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise WebhookConfigError(f"COSTCURVE_ALERT_WEBHOOK_URL must be an http(s) URL, not {redact_url(url)!r}")


def make_session(user_agent: str, policy: RetryPolicy) -> requests.Session:
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=policy.to_urllib3())
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = user_agent
    return session


def signed_headers(signer: Webhook | None, event_id: str, body: str, now: datetime) -> dict[str, str]:
    """Standard Webhooks headers. Unsigned deliveries still carry id and timestamp for deduping."""
    headers = {
        "Content-Type": "application/json",
        "webhook-id": event_id,
        "webhook-timestamp": str(int(now.timestamp())),
    }
    if signer is not None:
        headers["webhook-signature"] = signer.sign(event_id, now, body)
    return headers


def post_event(
    session: requests.Session,
    url: str,
    item: state.OutboxItem,
    signer: Webhook | None,
    timeout: tuple[float, float],
) -> None:
    """POST one event (with in-run retries); raise ``DeliveryError`` with a safe message on failure."""
    now = datetime.now(UTC)
    headers = signed_headers(signer, item.event_id, item.payload, now)
    try:
        response = session.post(
            url, data=item.payload.encode("utf-8"), headers=headers, timeout=timeout, allow_redirects=False
        )
    except requests.RequestException as exc:
        raise DeliveryError(_scrub(_describe(exc), url)) from None
    if 200 <= response.status_code < 300:
        return
    retries = response.raw.retries.history if getattr(response.raw, "retries", None) else ()
    detail = response.text[:200].strip() if response.text else ""
    message = f"HTTP {response.status_code} from {redact_url(url)} after {len(retries) + 1} attempt(s)"
    if 300 <= response.status_code < 400:
        message += " (redirects are not followed: configure the final URL)"
    raise DeliveryError(_scrub(f"{message}: {detail}" if detail else message, url))


def deliver_due(
    con: duckdb.DuckDBPyConnection,
    url: str,
    secret: str | None,
    *,
    user_agent: str,
    timeout: tuple[float, float],
    policy: RetryPolicy,
) -> DeliveryResult:
    """Send every pending or failed event in the outbox and record each outcome as it happens."""
    check_url(url)
    signer = make_signer(secret)
    items = state.due(con)
    if not items:
        return DeliveryResult()
    if signer is None:
        log.warning("COSTCURVE_ALERT_WEBHOOK_SECRET is not set: webhooks to %s are sent unsigned", redact_url(url))
    delivered = failed = 0
    with make_session(user_agent, policy) as session:
        for item in items:
            try:
                post_event(session, url, item, signer, timeout)
            except DeliveryError as exc:
                failed += 1
                state.mark_failed(con, item.event_id, str(exc), datetime.now(UTC))
                log.warning("alert %s not delivered (attempt %d, kept for the next run): %s",
                            item.event_id, item.attempts + 1, exc)
            else:
                delivered += 1
                state.mark_delivered(con, item.event_id, datetime.now(UTC))
                log.info("alert %s delivered to %s", item.event_id, redact_url(url))
    return DeliveryResult(delivered=delivered, failed=failed)


def _describe(exc: requests.RequestException) -> str:
    """The useful part of a requests error: urllib3's MaxRetryError wraps the real reason."""
    inner = exc.args[0] if exc.args else exc
    reason = getattr(inner, "reason", None)
    return f"{type(exc).__name__}: {reason if reason is not None else inner}"


def _scrub(message: str, url: str) -> str:
    parts = urlsplit(url)
    for secretish in (parts.query, parts.path if len(parts.path) > 1 else "", parts.password or ""):
        if secretish:
            message = message.replace(secretish, "...")
    return message
