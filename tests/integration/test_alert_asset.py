"""The alert_events asset: a daily run sends, a Dagster backfill of past days records but never sends, and a
broken rules file fails the alert step alone (the analyst copy is still published)."""

from __future__ import annotations

import json
from datetime import date

import dagster as dg
import duckdb
import pytest
from werkzeug import Response

from orchestration.defs.deliver.assets import alert_events, analyst_copy
from orchestration.resources import CostcurveResource

pytestmark = pytest.mark.integration

SHARE = """
CREATE TABLE mart_open_weight_share AS SELECT * FROM (VALUES
    ('openrouter: tokens routed through OpenRouter', 'day', DATE '2026-11-20', 0.300000::DECIMAL(7, 6))
) AS t(measurement_base, period_grain, period_start, share_point)
"""
RULES = """
version: 2
rules:
  - id: share_25
    kind: threshold
    metric: {mart: mart_open_weight_share, value: share_point, period: period_start, series: [measurement_base],
             filter: {period_grain: day}}
    comparator: ">="
    threshold: 0.25
    clear: 0.24
    message: "share {value:.1%} on {period}"
"""


def setup(tmp_path, monkeypatch, httpserver, rules: str) -> tuple:
    path = tmp_path / "costcurve.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(SHARE)
    (tmp_path / "rules.yml").write_text(rules, encoding="utf-8")
    monkeypatch.setenv("COSTCURVE_ALERT_RULES", str(tmp_path / "rules.yml"))
    monkeypatch.setenv("COSTCURVE_WAREHOUSE", str(path))
    monkeypatch.setenv("COSTCURVE_PUBLISHED", str(tmp_path / "published" / "costcurve.duckdb"))
    monkeypatch.setenv("COSTCURVE_EXPORTS", str(tmp_path / "exports"))
    monkeypatch.setenv("COSTCURVE_ALERT_WEBHOOK_URL", httpserver.url_for("/hook"))
    monkeypatch.delenv("COSTCURVE_ALERT_WEBHOOK_SECRET", raising=False)
    monkeypatch.setenv("COSTCURVE_ALERT_ALLOW_LOOPBACK", "1")
    httpserver.expect_request("/hook", method="POST").respond_with_response(Response(status=204))
    resource = CostcurveResource(warehouse=str(path), archive=str(tmp_path / "a"), replay_dir=str(tmp_path))
    return path, resource


@pytest.mark.parametrize("backfill, posts, status", [(False, 1, "delivered"), (True, 0, "suppressed")])
def test_backfill_runs_send_no_webhooks(tmp_path, httpserver, monkeypatch, backfill, posts, status):
    path, resource = setup(tmp_path, monkeypatch, httpserver, RULES)
    result = dg.materialize(
        [alert_events],
        partition_key=date(2026, 11, 20).isoformat(),
        resources={"costcurve": resource},
        tags={"dagster/backfill": "b1"} if backfill else {},
    )
    assert result.success
    assert len(httpserver.log) == posts
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT status FROM alerts.events").fetchall() == [(status,)]


def test_an_invalid_rules_file_fails_the_alert_step_but_not_the_publish(tmp_path, httpserver, monkeypatch):
    _, resource = setup(tmp_path, monkeypatch, httpserver, RULES.replace("threshold:", "threshhold:"))
    result = dg.materialize(
        [alert_events, analyst_copy],
        partition_key=date(2026, 11, 20).isoformat(),
        resources={"costcurve": resource},
        raise_on_error=False,
    )
    assert not result.success
    failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert [e.step_key for e in failures] == ["alerts__alert_events"]
    message = str(failures[0].step_failure_data.error)
    assert "rules.yml: rule 'share_25'" in message and "threshhold: Extra inputs are not permitted" in message
    assert (tmp_path / "published" / "costcurve.duckdb").exists()
    assert httpserver.log == []


def test_the_relay_job_sends_what_is_due_without_evaluating(tmp_path, httpserver, monkeypatch):
    import alerts
    from orchestration.defs.deliver.relay import relay_alerts

    path, resource = setup(tmp_path, monkeypatch, httpserver, RULES)
    with duckdb.connect(str(path)) as con:
        params = alerts.AlertParams(rules_path=tmp_path / "rules.yml")
        alerts.evaluate_and_record(con, params, date(2026, 11, 20))  # recorded by a daily run, not yet sent
        con.execute("DELETE FROM mart_open_weight_share")  # the relay must not need (or read) the marts
    result = relay_alerts.execute_in_process(resources={"costcurve": resource})
    assert result.success
    assert len(httpserver.log) == 1
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT status FROM alerts.events").fetchall() == [("delivered",)]


def test_a_failed_gate_becomes_one_alert_naming_gate_expectations_and_rows(tmp_path, httpserver, monkeypatch):
    from orchestration.defs.deliver.gate_alerts import failed_gates, gate_failure_alerts

    rules = RULES + """
  - id: gate_failed
    kind: gate_failed
    message: "{series[gate]} on {series[asset]}: {row[failed_critical_count]} failed over {row[rows_validated]} rows"
"""
    path, resource = setup(tmp_path, monkeypatch, httpserver, rules)

    @dg.asset(key=["mart_x"])
    def mart_x() -> None:
        return None

    @dg.asset_check(asset=mart_x, name="gx_mart_x", blocking=True)
    def gx_mart_x() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.ERROR, description="FAILED",
                                   metadata={"rows_validated": 12, "failed_critical_count": 2,
                                             "failed_critical": [{"expectation": "expect_column_values_to_not_be_null"}]})

    instance = dg.DagsterInstance.ephemeral()
    failed = dg.materialize([mart_x, gx_mart_x], instance=instance, raise_on_error=False)
    assert not failed.success
    failures = failed_gates(instance, failed.run_id)
    assert failures == [{"gate": "gx_mart_x", "asset": "mart_x", "failed_critical_count": 2, "rows_validated": 12,
                         "summary": "FAILED", "failed_expectations": [{"expectation": "expect_column_values_to_not_be_null"}]}]

    config = {"run_id": failed.run_id, "partition": "2026-11-20", "failures": json.dumps(failures)}
    for _ in range(2):  # the sensor's run_key makes this once; a second launch still records nothing twice
        result = gate_failure_alerts.execute_in_process(
            resources={"costcurve": resource}, run_config={"ops": {"alert_failed_gates": {"config": config}}})
        assert result.success
    (request, _), = httpserver.log
    body = json.loads(request.get_data())
    assert (body["rule_id"], body["kind"], body["series"]) == ("gate_failed", "gate_failed",
                                                               {"gate": "gx_mart_x", "asset": "mart_x"})
    assert body["summary"] == "gx_mart_x on mart_x: 2 failed over 12 rows"
    assert body["data"]["failed_expectations"] == [{"expectation": "expect_column_values_to_not_be_null"}]
