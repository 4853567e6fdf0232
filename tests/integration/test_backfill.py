"""`costcurve backfill` on top of a replayed day: dated histories become observations, no webhook is sent."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pytest
from typer.testing import CliRunner

from costcurve.cli import app
from costcurve.runner import load_definitions, run_day

pytestmark = pytest.mark.integration


def test_backfill_builds_history_before_the_first_day(tmp_path, make_sandbox, httpserver):
    with pytest.MonkeyPatch.context() as mp:
        box = make_sandbox(tmp_path, mp, httpserver.url_for("/hook"))
        assert run_day(date(2026, 7, 24), defs=load_definitions()).success
        posts = len(httpserver.log)
        suppressed_before = _suppressed(box.warehouse)
        result = CliRunner().invoke(app, ["backfill"])
        again = CliRunner().invoke(app, ["backfill", "--no-rebuild"])
    assert result.exit_code == 0, result.output
    assert again.exit_code == 0, again.output
    assert "rebuild: success" in result.output
    # the screen gets a summary; Dagster's event log and dbt's output (about 1,400 lines) go to a file
    assert "- dagster - " not in result.output and "DEBUG" not in result.output
    assert len(result.output.splitlines()) < 60, result.output
    log_file = box.archive.parent / "logs" / f"backfill-rebuild-{datetime.now(UTC).date().isoformat()}.log"
    assert f"Dagster and dbt output: {log_file}" in result.output
    assert "- dagster - " in log_file.read_text()
    con = duckdb.connect(str(box.warehouse), read_only=True)
    first = con.execute(
        "SELECT source_id, min(observed_date) FROM fct_price_observations "
        "WHERE source_id IN ('genai_prices', 'llm_prices', 'litellm_history') GROUP BY 1"
    ).fetchall()
    cut = con.execute(
        """SELECT valid_from, valid_to, price_per_mtok, valid_from_basis FROM fct_price_history
           WHERE source_id = 'litellm_history' AND model_id = 'claude-3-5-haiku-20241022'
             AND token_type = 'input' AND service_tier = 'standard'
           ORDER BY valid_from"""
    ).fetchall()
    raw = con.execute("SELECT count(*) FROM raw.price_facts WHERE partition_date < '2026-07-24'").fetchone()[0]
    con.close()
    assert all(day < date(2026, 1, 1) for _, day in first)  # history reaches back before the demo days
    # LiteLLM's history first shows the cut on 2025-02-28: a first-seen date, as the mart says
    assert [(r[0], r[1], float(r[2]), r[3]) for r in cut] == [
        (date(2025, 2, 6), date(2025, 2, 28), 1.0, "first_seen"),
        (date(2025, 2, 28), None, 0.8, "first_seen"),
    ]
    assert len(httpserver.log) == posts  # a backfill sends no webhooks
    # ... but its rebuild evaluates the rules and records what fired (LiteLLM, captured on 2026-07-24, is
    # stale by today) as suppressed
    assert _suppressed(box.warehouse) > suppressed_before
    # idempotent: the second backfill replaced the same slices
    con = duckdb.connect(str(box.warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM raw.price_facts WHERE partition_date < '2026-07-24'").fetchone()[0] == raw
    con.close()


def _suppressed(warehouse) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM alerts.events WHERE status = 'suppressed'").fetchone()[0]
    finally:
        con.close()
