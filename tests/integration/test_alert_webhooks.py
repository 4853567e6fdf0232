"""End to end: a real DuckDB file, ``alerts.run`` and a real HTTP receiver on loopback (pytest-httpserver).

Each test states one delivery promise from ARCHITECTURE.md: fire once per episode, signed per Standard
Webhooks, retried with backoff, never lost, silent during backfills, and never leaking the secret.
"""

from __future__ import annotations

import json
import logging
import socket
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest
from standardwebhooks import Webhook

import alerts
from alerts import AlertParams, RetryPolicy, WebhookConfigError
from costcurve.config import load_settings

pytestmark = pytest.mark.integration

SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
AS_OF = date(2025, 6, 10)
FAST = RetryPolicy(retries=2, backoff_factor=0.0)
RULES = """
version: 1
rules:
  - id: price_cut
    kind: price_cut
    mart: fct_price_history
    threshold_pct: 15
    lookback_days: 7
"""

MART = """
CREATE TABLE main.fct_price_history AS
SELECT * FROM (VALUES
    -- a 20% cut on 2025-06-08: fires
    ('litellm', 'openai', 'gpt-test', 'input', 'standard', 'all', 'text', 'USD',
     10.0::DECIMAL(18, 9), 10.0::DECIMAL(18, 9), DATE '2025-05-01', DATE '2025-06-08', false),
    ('litellm', 'openai', 'gpt-test', 'input', 'standard', 'all', 'text', 'USD',
     8.0::DECIMAL(18, 9), 8.0::DECIMAL(18, 9), DATE '2025-06-08', NULL, true),
    -- a 10% cut the same day: does not fire
    ('litellm', 'openai', 'gpt-test', 'output', 'standard', 'all', 'text', 'USD',
     30.0::DECIMAL(18, 9), 30.0::DECIMAL(18, 9), DATE '2025-05-01', DATE '2025-06-08', false),
    ('litellm', 'openai', 'gpt-test', 'output', 'standard', 'all', 'text', 'USD',
     27.0::DECIMAL(18, 9), 27.0::DECIMAL(18, 9), DATE '2025-06-08', NULL, true)
) AS t(source_id, provider_id, model_id, token_type, service_tier, context_band, modality, currency,
       price_per_mtok, usd_per_mtok, valid_from, valid_to, is_current)
CROSS JOIN (SELECT TIMESTAMPTZ '2025-05-01 06:00:00+00' AS first_observed_at,
                   TIMESTAMPTZ '2025-06-10 06:00:00+00' AS last_observed_at,
                   3::BIGINT AS observation_count)
"""


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "costcurve.duckdb"))
    connection.execute(MART)
    yield connection
    connection.close()


@pytest.fixture
def rules_path(tmp_path: Path) -> Path:
    path = tmp_path / "rules.yml"
    path.write_text(RULES, encoding="utf-8")
    return path


@pytest.fixture
def params(rules_path: Path, httpserver) -> AlertParams:
    return AlertParams(
        rules_path=rules_path,
        webhook_url=httpserver.url_for("/hooks/costcurve"),
        webhook_secret=SECRET,
        user_agent="costcurve-test/1.0 (alerts)",
        timeout=(2.0, 5.0),
        retry=FAST,
    )


def outbox(con) -> list[tuple]:
    return con.execute("SELECT status, attempts, last_error FROM alerts.events ORDER BY event_id").fetchall()


def test_fires_once_signed_and_idempotent_across_reruns(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve", method="POST").respond_with_data("ok")

    first = alerts.run(con, params, AS_OF)
    again = alerts.run(con, params, AS_OF)  # re-running the day
    later = alerts.run(con, params, date(2025, 6, 12))  # a later day, same change still in the window

    assert len(httpserver.log) == 1
    assert (first.evaluated, first.new, first.delivered, first.failed) == (1, 1, 1, 0)
    assert (again.evaluated, again.new, again.delivered) == (1, 0, 0)
    assert (later.new, later.delivered) == (0, 0)

    request, _ = httpserver.log[0]
    body = request.get_data()
    payload = Webhook(SECRET).verify(body, dict(request.headers))
    assert request.headers["webhook-id"] == payload["id"]
    assert request.headers["User-Agent"] == "costcurve-test/1.0 (alerts)"
    assert request.headers["Content-Type"] == "application/json"
    assert payload["rule_id"] == "price_cut" and payload["kind"] == "price_cut"
    assert payload["as_of"] == "2025-06-10" and payload["occurred_at"] == "2025-06-08"
    assert payload["subject"]["model_id"] == "gpt-test" and payload["subject"]["token_type"] == "input"
    assert payload["data"]["old"]["price_per_mtok"] == "10.000000000"
    assert payload["data"]["new"]["price_per_mtok"] == "8.000000000"
    assert payload["data"]["change_pct"] == -20.0
    assert payload["summary"].startswith("Price cut 20.00% on openai/gpt-test input tokens")
    assert con.execute("SELECT status, attempts, delivered_at IS NOT NULL FROM alerts.events").fetchall() == [
        ("delivered", 1, True)
    ]


def test_a_tampered_body_fails_verification(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    alerts.run(con, params, AS_OF)
    request, _ = httpserver.log[0]
    tampered = request.get_data().replace(b"8.000000000", b"1.000000000")
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(SECRET).verify(tampered, dict(request.headers))


@pytest.mark.parametrize("status", [500, 503, 429])
def test_transient_errors_are_retried_within_the_run(con, params, httpserver, status):
    httpserver.expect_ordered_request("/hooks/costcurve", method="POST").respond_with_data("busy", status=status)
    httpserver.expect_ordered_request("/hooks/costcurve", method="POST").respond_with_data("ok")

    summary = alerts.run(con, params, AS_OF)

    assert (summary.delivered, summary.failed) == (1, 0)
    assert len(httpserver.log) == 2
    first, second = (req for req, _ in httpserver.log)
    assert first.get_data() == second.get_data()
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert outbox(con) == [("delivered", 1, None)]
    httpserver.check_assertions()


def test_persistent_failure_is_kept_and_retried_by_the_next_run(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("down for maintenance", status=500)

    summary = alerts.run(con, params, AS_OF)

    assert (summary.new, summary.delivered, summary.failed) == (1, 0, 1)
    assert len(httpserver.log) == 1 + FAST.retries
    ((status, attempts, error),) = outbox(con)
    assert (status, attempts) == ("failed", 1)
    assert "HTTP 500" in error and "after 3 attempt(s)" in error and "down for maintenance" in error
    assert "/hooks/costcurve" not in error  # the URL path may be a credential

    httpserver.clear()
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    retried = alerts.run(con, params, date(2025, 6, 11))

    assert (retried.new, retried.delivered, retried.failed) == (0, 1, 0)
    assert len(httpserver.log) == 1
    assert outbox(con) == [("delivered", 2, None)]


def test_client_errors_are_not_retried_within_the_run_but_kept(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("bad request", status=400)
    summary = alerts.run(con, params, AS_OF)
    assert summary.failed == 1
    assert len(httpserver.log) == 1
    assert outbox(con)[0][:2] == ("failed", 1)


def test_redirects_are_not_followed(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("", status=301, headers={"Location": "/x"})
    summary = alerts.run(con, params, AS_OF)
    assert summary.failed == 1
    assert len(httpserver.log) == 1
    assert "redirects are not followed" in outbox(con)[0][2]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused_is_recorded_as_failed_then_delivered(con, params, httpserver):
    down = replace(params, webhook_url=f"http://127.0.0.1:{_closed_port()}/hooks/x")

    summary = alerts.run(con, down, AS_OF)

    assert (summary.delivered, summary.failed) == (0, 1)
    ((status, attempts, error),) = outbox(con)
    assert (status, attempts) == ("failed", 1)
    assert error.startswith("ConnectionError:")

    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    assert alerts.run(con, params, AS_OF).delivered == 1
    assert len(httpserver.log) == 1


def test_backfill_records_suppressed_and_sends_nothing_ever(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")

    backfill = alerts.run(con, params, AS_OF, send=False)
    daily = alerts.run(con, params, date(2025, 6, 11))  # the next daily run sees the same change

    assert (backfill.new, backfill.suppressed, backfill.delivered) == (1, 1, 0)
    assert (daily.new, daily.delivered) == (0, 0)
    assert httpserver.log == []
    assert outbox(con) == [("suppressed", 0, None)]


def test_without_a_url_events_wait_pending_until_one_is_configured(con, params, httpserver, caplog):
    unconfigured = replace(params, webhook_url=None)
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")

    with caplog.at_level(logging.WARNING, logger="alerts"):
        summary = alerts.run(con, unconfigured, AS_OF)

    assert (summary.new, summary.pending, summary.delivered) == (1, 1, 0)
    assert "COSTCURVE_ALERT_WEBHOOK_URL is not set" in summary.message
    assert "COSTCURVE_ALERT_WEBHOOK_URL is not set" in caplog.text
    assert outbox(con) == [("pending", 0, None)]
    assert httpserver.log == []

    assert alerts.run(con, params, date(2025, 6, 20)).delivered == 1  # outside the lookback: still sent
    assert len(httpserver.log) == 1


def test_the_secret_never_reaches_logs_errors_or_reprs(con, params, httpserver, caplog):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("nope", status=500)
    key = SECRET.removeprefix("whsec_")
    with caplog.at_level(logging.DEBUG):
        alerts.run(con, params, AS_OF)
    assert caplog.records  # something was logged
    assert key not in caplog.text
    assert key not in repr(params)
    assert key not in outbox(con)[0][2]


def test_a_bad_secret_fails_loudly_after_recording_the_event(con, params, httpserver):
    broken = replace(params, webhook_secret="not-a-whsec-secret")
    with pytest.raises(WebhookConfigError, match="COSTCURVE_ALERT_WEBHOOK_SECRET") as info:
        alerts.run(con, broken, AS_OF)
    assert "not-a-whsec-secret" not in str(info.value)
    assert outbox(con) == [("pending", 0, None)]  # not lost: the next good run sends it
    assert httpserver.log == []


def test_run_accepts_settings_from_the_environment(con, rules_path, httpserver, monkeypatch):
    monkeypatch.setenv("COSTCURVE_ALERT_RULES", str(rules_path))
    monkeypatch.setenv("COSTCURVE_ALERT_WEBHOOK_URL", httpserver.url_for("/hooks/costcurve"))
    monkeypatch.setenv("COSTCURVE_ALERT_WEBHOOK_SECRET", SECRET)
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")

    summary = alerts.run(con, load_settings(), AS_OF)

    assert summary.delivered == 1
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"].startswith("costcurve/")
    assert json.loads(request.get_data())["rule_id"] == "price_cut"
    Webhook(SECRET).verify(request.get_data(), dict(request.headers))


def test_summary_reads_as_metadata(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    summary = alerts.run(con, params, AS_OF)
    metadata = {k: v for k, v in summary.items() if isinstance(v, (int, str))}
    assert metadata == {
        "as_of": "2025-06-10", "rules": 1, "evaluated": 1, "new": 1, "delivered": 1, "failed": 0,
        "suppressed": 0, "pending": 0, "message": "1 delivered, 0 failed",
    }
    assert summary["delivered"] == summary.delivered == 1
