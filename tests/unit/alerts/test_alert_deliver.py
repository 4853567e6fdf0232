"""Delivery building blocks without a server: signing, secret checks, URL redaction, retry policy."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from alerts.deliver import RetryPolicy, WebhookConfigError, make_signer, redact_url, signed_headers

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def test_signed_headers_verify_with_the_standardwebhooks_package():
    body = json.dumps({"id": "evt_1", "summary": "Preis gesenkt – 20 %"}, ensure_ascii=False)
    headers = signed_headers(make_signer(SECRET), "evt_1", body, datetime.now(UTC))
    assert headers["webhook-id"] == "evt_1"
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(SECRET).verify(body.encode("utf-8"), headers) == json.loads(body)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(body.replace("20", "21").encode("utf-8"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 32).verify(body.encode("utf-8"), headers)


def test_unsigned_headers_still_carry_id_and_timestamp():
    headers = signed_headers(None, "evt_1", "{}", datetime(2025, 6, 10, tzinfo=UTC))
    assert headers["webhook-id"] == "evt_1"
    assert headers["webhook-timestamp"] == "1749513600"
    assert "webhook-signature" not in headers


@pytest.mark.parametrize(
    ("bad", "telltale"),
    [
        ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "MfKQ9r8GKY"),  # prefix missing
        ("whsec_", None),  # empty key
        ("whsec_not-base64!sekrit", "sekrit"),
        ("hunter2", "hunter2"),
    ],
)
def test_bad_secrets_are_rejected_without_echoing_them(bad, telltale):
    with pytest.raises(WebhookConfigError, match="COSTCURVE_ALERT_WEBHOOK_SECRET") as info:
        make_signer(bad)
    if telltale:
        assert telltale not in str(info.value)


def test_no_secret_means_no_signer():
    assert make_signer(None) is None


def test_redact_url_keeps_only_scheme_and_host():
    assert redact_url("https://user:pw@hooks.example.com:8443/T0/B1/tok?k=v") == "https://hooks.example.com:8443/..."


def test_retry_policy_retries_post_on_transient_statuses():
    retry = RetryPolicy(retries=3, backoff_factor=0.5).to_urllib3()
    assert retry.total == 3
    assert "POST" in retry.allowed_methods
    assert set(retry.status_forcelist) == {408, 429, 500, 502, 503, 504}
    assert retry.backoff_jitter == 1.0  # the default policy spreads retries
    assert retry.raise_on_status is False
