"""`costcurve alerts list | status | test | enable | replay | relay` against a real file and loopback receiver."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from standardwebhooks import Webhook
from typer.testing import CliRunner

import alerts
from alerts import AlertParams, RetryPolicy
from costcurve.cli import app

pytestmark = pytest.mark.integration
runner = CliRunner()
SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
RULES = """
version: 2
receivers:
  - id: default
    url_env: COSTCURVE_ALERT_WEBHOOK_URL
    secret_env: COSTCURVE_ALERT_WEBHOOK_SECRET
    max_attempts: 1
rules:
  - id: share_25
    kind: threshold
    metric: {mart: mart_open_weight_share, value: share_point, period: period_start, series: [measurement_base]}
    comparator: ">="
    threshold: 0.25
    clear: 0.24
    message: "share {value:.1%} on {period}"
"""


@pytest.fixture
def env(tmp_path: Path, httpserver, monkeypatch) -> Path:
    path = tmp_path / "costcurve.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE mart_open_weight_share AS SELECT 'openrouter' AS measurement_base, "
                    "DATE '2026-08-01' AS period_start, 0.3::DECIMAL(7, 6) AS share_point")
    (tmp_path / "rules.yml").write_text(RULES, encoding="utf-8")
    monkeypatch.setenv("COSTCURVE_WAREHOUSE", str(path))
    monkeypatch.setenv("COSTCURVE_ALERT_RULES", str(tmp_path / "rules.yml"))
    monkeypatch.setenv("COSTCURVE_ALERT_WEBHOOK_URL", httpserver.url_for("/hook"))
    monkeypatch.setenv("COSTCURVE_ALERT_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("COSTCURVE_ALERT_ALLOW_LOOPBACK", "1")
    return path


def test_dead_letter_is_visible_and_replay_delivers_it(env, httpserver):
    httpserver.expect_ordered_request("/hook").respond_with_data("no", status=503)
    with duckdb.connect(str(env)) as con:
        params = AlertParams(rules_path=env.parent / "rules.yml", webhook_url=httpserver.url_for("/hook"),
                             webhook_secret=SECRET, retry=RetryPolicy(retries=0, backoff_factor=0, jitter=0), allow_loopback=True)
        assert alerts.run(con, params, date(2026, 8, 2)).dead == 1  # max_attempts 1: dead after one round
        event_id = con.execute("SELECT event_id FROM alerts.events").fetchone()[0]

    status = runner.invoke(app, ["alerts", "status"])
    assert status.exit_code == 0, status.output
    assert "dead 1" in status.output and event_id in status.output and "firing" in status.output

    httpserver.expect_ordered_request("/hook").respond_with_data("ok")
    replayed = runner.invoke(app, ["alerts", "replay", event_id])
    assert replayed.exit_code == 0, replayed.output
    assert "1 delivered" in replayed.output
    assert [r.headers["webhook-id"] for r, _ in httpserver.log] == [event_id, event_id]


def test_list_test_and_enable(env, httpserver):
    listed = runner.invoke(app, ["alerts", "list"])
    assert listed.exit_code == 0, listed.output
    assert "share_25" in listed.output and "mart_open_weight_share.share_point" in listed.output
    shipped = runner.invoke(app, ["alerts", "list"], env={"COSTCURVE_ALERT_RULES": ""})  # every shipped kind lists
    assert shipped.exit_code == 0 and "gate_failed" in shipped.output and "source_stale" in shipped.output
    assert httpserver.url_for("/hook") not in listed.output  # names the variable, never the URL

    httpserver.expect_request("/hook").respond_with_data("ok")
    tested = runner.invoke(app, ["alerts", "test", "default"])
    assert tested.exit_code == 0, tested.output
    request, _ = httpserver.log[0]
    assert Webhook(SECRET).verify(request.get_data(), dict(request.headers))["type"] == "costcurve.alert.test"

    assert "was not disabled" in runner.invoke(app, ["alerts", "enable", "default"]).output
    assert runner.invoke(app, ["alerts", "test", "nope"]).exit_code == 2
