"""Webhook delivery: POST outbox rows, signed per Standard Webhooks, and classify each outcome.

``send_items`` touches no database: the caller reads the due rows, releases the warehouse writer, sends,
then writes the outcomes back (``apply_outcomes``), so a receiver that is down never holds the daily run.

Outcomes, per row:

- 2xx: ``delivered``.
- 5xx, 408, 429 and connection errors are retried inside the send by urllib3's ``Retry`` (exponential
  backoff with jitter, ``Retry-After`` honoured up to a cap; POST is allowed explicitly: every attempt
  carries the same ``webhook-id``, which receivers dedupe on). Still failing: ``failed``, tried again by the
  next run, and ``dead`` (dead-lettered, replayable) once the receiver's ``max_attempts`` rounds are spent.
- 410 Gone: the receiver is disabled until ``costcurve alerts enable``; the row waits as ``failed``.
- any other 4xx, or a redirect (never followed): ``dead`` at once; repeating the same request cannot help.

Signing: ``webhook-id`` is the event id, ``webhook-timestamp`` the send time, ``webhook-signature``
``v1,<base64 HMAC-SHA256>`` over ``id.timestamp.body`` (the ``standardwebhooks`` package). The retry
policy keeps a whole in-run sequence inside receivers' 5-minute timestamp tolerance.

URLs (their path and query are often a token) and secrets never reach a log record, an exception message
or ``last_error``: our own messages name only scheme, host and port, and a filter on urllib3's loggers
(installed at import, so it holds whatever handlers the host process adds) scrubs every registered secret
from their records, such as the retry warning that prints the request path.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import duckdb
import requests
from requests_hardened.ip_filter import InvalidIPAddress
from requests_hardened.ip_filter_adapter import IPFilterAdapter
from standardwebhooks import Webhook
from urllib3.util.retry import Retry

from alerts import state
from alerts.rules import Receiver

log = logging.getLogger(__name__)

RETRY_STATUSES = (408, 429, 500, 502, 503, 504)
SECRET_PREFIX = "whsec_"
URLLIB3_LOGGERS = ("urllib3", "urllib3.connectionpool", "urllib3.connection", "urllib3.util.retry",
                   "urllib3.response", "urllib3.poolmanager", "requests", "requests_hardened.ip_filter")

#: every URL part and secret seen this process; scrubbed from urllib3's log records and our messages
_SECRETS: set[str] = set()


class _Scrub(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _SECRETS:
            text = record.getMessage()
            clean = scrub(text)
            if clean != text:
                record.msg, record.args = clean, ()
        return True


_FILTER = _Scrub()
for _name in URLLIB3_LOGGERS:
    if _FILTER not in logging.getLogger(_name).filters:
        logging.getLogger(_name).addFilter(_FILTER)


class WebhookConfigError(ValueError):
    """A receiver's URL or signing secret is unusable. The message never contains either."""


class DeliveryError(RuntimeError):
    """One event could not be delivered in this run (after in-run retries)."""


@dataclass(frozen=True)
class RetryPolicy:
    """In-run retries. ``backoff_factor`` 0 makes tests fast; defaults suit a real receiver.

    urllib3 sleeps ``backoff_factor * 2 ** (n - 1)`` (+ up to ``jitter`` s) before retry n, capped at
    ``backoff_max``; a ``Retry-After`` header is honoured up to ``retry_after_max`` seconds.
    """

    retries: int = 4
    backoff_factor: float = 1.0
    backoff_max: float = 30.0
    jitter: float = 1.0
    retry_after_max: int = 60

    def to_urllib3(self) -> Retry:
        return Retry(
            total=self.retries, connect=self.retries, read=self.retries, status=self.retries, other=0,
            redirect=0, allowed_methods=frozenset({"POST"}), status_forcelist=RETRY_STATUSES,
            backoff_factor=self.backoff_factor, backoff_max=self.backoff_max, backoff_jitter=self.jitter,
            retry_after_max=self.retry_after_max, respect_retry_after_header=True,
            raise_on_status=False, raise_on_redirect=False,
        )


@dataclass(frozen=True)
class Endpoint:
    """A receiver resolved from the environment (``url`` None: not configured, rows wait pending)."""

    receiver: Receiver
    url: str | None
    signer: Webhook | None

    def __repr__(self) -> str:
        return f"Endpoint({self.receiver.id}, {redact_url(self.url) if self.url else None})"


@dataclass(frozen=True)
class Outcome:
    item: state.OutboxItem
    status: str  # delivered, failed, dead
    error: str | None = None
    gone: bool = False  # 410: disable the receiver


def register_secret(*values: str | None) -> None:
    for value in values:
        if value and len(value) > 1:
            _SECRETS.add(value)


def scrub(message: str) -> str:
    for secret in sorted(_SECRETS, key=len, reverse=True):
        message = message.replace(secret, "...")
    return message


def make_signer(secret: str | None, env_name: str = "COSTCURVE_ALERT_WEBHOOK_SECRET") -> Webhook | None:
    """A Standard Webhooks signer for a ``whsec_<base64>`` secret; ``None`` when no secret is set.

    Checked strictly because ``Webhook`` itself accepts almost any string and would sign with garbage.
    """
    if secret is None:
        return None
    register_secret(secret, secret.removeprefix(SECRET_PREFIX))
    problem = f"{env_name} must be 'whsec_' followed by base64 (a Standard Webhooks secret)"
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
    """``https://user@hooks.example.com/T0/B1/secret?x=y`` -> ``https://hooks.example.com/...``."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        if parts.port:
            host = f"{host}:{parts.port}"
    except ValueError:  # an unparsable port: say nothing about it
        return "(unparsable URL)"
    return f"{parts.scheme}://{host}/..."


def _register_url(url: str) -> None:
    register_secret(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return
    register_secret(parts.query, parts.fragment, parts.username, parts.password,
                    parts.path if len(parts.path) > 1 else None)


def check_url(url: str, env_name: str) -> None:
    _register_url(url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError:
        raise WebhookConfigError(f"{env_name} is not a valid URL") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise WebhookConfigError(f"{env_name} must be an http(s) URL, not {redact_url(url)!r}")


def resolve(receiver: Receiver, environ: Mapping[str, str] | None = None) -> Endpoint:
    environ = os.environ if environ is None else environ
    url = environ.get(receiver.url_env) or None
    secret = environ.get(receiver.secret_env) or None if receiver.secret_env else None
    if url is not None:
        check_url(url, receiver.url_env)
    signer = make_signer(secret, receiver.secret_env or "secret")
    if url and signer is None:
        log.warning("receiver %s has no signing secret: webhooks to %s are sent unsigned",
                    receiver.id, redact_url(url))
    return Endpoint(receiver, url, signer)


def make_session(user_agent: str, policy: RetryPolicy, *, allow_loopback: bool = False) -> requests.Session:
    """A session whose adapters resolve each receiver's host at connect time and refuse private, loopback,
    link-local and metadata addresses (requests-hardened: the resolved IP is pinned for the connection, so
    DNS rebinding cannot swap it after the check). ``allow_loopback`` is for tests and the demo's sink."""
    session = requests.Session()
    for scheme in ("http://", "https://"):
        adapter = IPFilterAdapter(is_https_proto=scheme == "https://", allow_loopback=allow_loopback)
        adapter.max_retries = policy.to_urllib3()
        session.mount(scheme, adapter)
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


def post(session: requests.Session, endpoint: Endpoint, item: state.OutboxItem,
         timeout: tuple[float, float]) -> Outcome:
    """POST one row (with in-run retries) and say what became of it."""
    url = endpoint.url
    where = redact_url(url)
    headers = signed_headers(endpoint.signer, item.event_id, item.payload, datetime.now(UTC))
    try:
        response = session.post(url, data=item.payload.encode("utf-8"), headers=headers, timeout=timeout,
                                allow_redirects=False)
    except InvalidIPAddress:
        return Outcome(item, "dead", f"refused to connect to {where}: it resolves to a private, loopback, link-local "
                       "or metadata address (SSRF guard; COSTCURVE_ALERT_ALLOW_LOOPBACK allows loopback)")
    except requests.RequestException as exc:
        return _retry_or_dead(endpoint, item, scrub(_describe(exc)))
    code = response.status_code
    if 200 <= code < 300:
        return Outcome(item, "delivered")
    retries = response.raw.retries.history if getattr(response.raw, "retries", None) else ()
    detail = " ".join(response.text[:200].split()) if response.text else ""
    message = f"HTTP {code} from {where} after {len(retries) + 1} attempt(s)"
    if 300 <= code < 400:
        message += " (redirects are not followed: configure the final URL)"
    message = scrub(f"{message}: {detail}" if detail else message)
    if code == 410:
        return Outcome(item, "failed", message + " (receiver disabled until `costcurve alerts enable`)", gone=True)
    if code in RETRY_STATUSES:
        return _retry_or_dead(endpoint, item, message)
    return Outcome(item, "dead", message + " (not retried: replay with `costcurve alerts replay`)")


def _retry_or_dead(endpoint: Endpoint, item: state.OutboxItem, message: str) -> Outcome:
    if item.attempts + 1 >= endpoint.receiver.max_attempts:
        return Outcome(item, "dead", f"{message} (dead-lettered after {item.attempts + 1} round(s))")
    return Outcome(item, "failed", message)


def send_items(items: Iterable[state.OutboxItem], endpoints: Mapping[str, Endpoint], *, user_agent: str,
               timeout: tuple[float, float], policy: RetryPolicy, allow_loopback: bool = False) -> list[Outcome]:
    """Send every row whose receiver has a URL; no database access (the writer is not held)."""
    outcomes: list[Outcome] = []
    gone: set[str] = set()
    with make_session(user_agent, policy, allow_loopback=allow_loopback) as session:
        for item in items:
            endpoint = endpoints.get(item.receiver_id)
            if endpoint is None or endpoint.url is None or item.receiver_id in gone:
                continue
            outcome = post(session, endpoint, item, timeout)
            if outcome.gone:
                gone.add(item.receiver_id)
            outcomes.append(outcome)
            level = logging.INFO if outcome.status == "delivered" else logging.WARNING
            log.log(level, "alert %s to receiver %s: %s%s", item.event_id, item.receiver_id, outcome.status,
                    f" ({outcome.error})" if outcome.error else "")
    return outcomes


def apply_outcomes(con: duckdb.DuckDBPyConnection, outcomes: Iterable[Outcome]) -> None:
    now = datetime.now(UTC)
    for outcome in outcomes:
        state.mark(con, outcome.item, outcome.status, outcome.error, now)
        if outcome.gone:
            state.disable_receiver(con, outcome.item.receiver_id, outcome.error or "HTTP 410", now)


def _describe(exc: requests.RequestException) -> str:
    """The useful part of a requests error: urllib3's MaxRetryError wraps the real reason."""
    inner = exc.args[0] if exc.args else exc
    reason = getattr(inner, "reason", None)
    return f"{type(exc).__name__}: {reason if reason is not None else inner}"
