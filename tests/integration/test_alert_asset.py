"""The price_alerts asset: a daily run sends, a Dagster backfill of past days records but never sends."""

from __future__ import annotations

from datetime import date

import dagster as dg
import duckdb
import pytest
from werkzeug import Response

from orchestration.defs.deliver.assets import price_alerts
from orchestration.resources import CostcurveResource

pytestmark = pytest.mark.integration

HISTORY = """
CREATE TABLE fct_price_history AS SELECT * FROM (VALUES
    ('anthropic', 'anthropic', 'claude-x', 'input', 'standard', 'all', 'text', 'USD', 1.00, 1.00,
     DATE '2026-11-18', DATE '2026-11-20', false, TIMESTAMPTZ '2026-11-18 06:00:00+00', TIMESTAMPTZ '2026-11-19 06:00:00+00', 2),
    ('anthropic', 'anthropic', 'claude-x', 'input', 'standard', 'all', 'text', 'USD', 0.80, 0.80,
     DATE '2026-11-20', NULL, true, TIMESTAMPTZ '2026-11-20 06:00:00+00', TIMESTAMPTZ '2026-11-20 06:00:00+00', 1)
) AS t(source_id, provider_id, model_id, token_type, service_tier, context_band, modality, currency,
       price_per_mtok, usd_per_mtok, valid_from, valid_to, is_current, first_observed_at, last_observed_at,
       observation_count)
"""


def warehouse(tmp_path):
    path = tmp_path / "costcurve.duckdb"
    con = duckdb.connect(str(path))
    con.execute(HISTORY)
    con.close()
    return path


@pytest.mark.parametrize("backfill, posts, status", [(False, 1, "delivered"), (True, 0, "suppressed")])
def test_backfill_runs_send_no_webhooks(tmp_path, httpserver, monkeypatch, backfill, posts, status):
    httpserver.expect_request("/hook", method="POST").respond_with_response(Response(status=204))
    monkeypatch.setenv("COSTCURVE_ALERT_WEBHOOK_URL", httpserver.url_for("/hook"))
    monkeypatch.delenv("COSTCURVE_ALERT_WEBHOOK_SECRET", raising=False)
    path = warehouse(tmp_path)
    resource = CostcurveResource(warehouse=str(path), archive=str(tmp_path / "a"), replay_dir=str(tmp_path))
    result = dg.materialize(
        [price_alerts],
        partition_key=date(2026, 11, 20).isoformat(),
        resources={"costcurve": resource},
        tags={"dagster/backfill": "b1"} if backfill else {},
    )
    assert result.success
    assert len(httpserver.log) == posts
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT status FROM alerts.events").fetchall() == [(status,)]
    con.close()
