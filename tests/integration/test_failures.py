"""What a bad day looks like: a broken page fails only its own source; a failing gate stops what depends on it."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import dagster as dg
import duckdb
import pytest

from costcurve.runner import load_definitions, run_day
from scrapers.collect import replay_path

pytestmark = pytest.mark.integration

DAY = date(2025, 12, 20)  # a real capture day holding anthropic and openai


def count(path, sql: str, params=()) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchone()[0]
    finally:
        con.close()


def tables(path) -> set[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    finally:
        con.close()


def test_broken_layout_fails_its_own_source_while_others_load(tmp_path, make_sandbox):
    with pytest.MonkeyPatch.context() as mp:
        box = make_sandbox(tmp_path, mp)
        page = replay_path(box.replay_dir, DAY, "anthropic", "pricing.md")
        page.write_text("# Pricing\n\nOur prices moved to a new interactive calculator.\n")
        outcome = run_day(DAY, defs=load_definitions())

    assert not outcome.success
    assert outcome.failed_steps == ["raw__anthropic"]
    (error,) = outcome.errors
    assert "LayoutDriftError" in error or "[anthropic]" in error
    assert "platform.claude.com/docs/en/about-claude/pricing.md" in error
    # every other source captured that day loaded its day (and the curated file read every day)
    others = {p.name for p in (box.replay_dir / DAY.isoformat()).iterdir() if p.is_dir()} - {"anthropic"}
    assert len(others) >= 5
    assert count(box.warehouse, "SELECT count(*) FROM raw.price_facts WHERE source_id = 'anthropic'") == 0
    assert count(box.warehouse, "SELECT count(*) FROM raw.price_facts WHERE source_id = 'openai'") > 0
    assert count(box.warehouse, "SELECT count(DISTINCT source_id) FROM raw.fetches") == len(others) + 1
    # the broken capture is kept in the archive, so a fixed parser can replay it
    assert any(page.read_bytes() == p.read_bytes() for p in box.replay_dir.rglob("pricing.md"))
    assert count(box.warehouse, "SELECT count(*) FROM raw.fetches WHERE source_id = 'anthropic'") == 0


def failure_sensor_result(instance: dg.DagsterInstance):
    """Evaluate the catch-up sensor on the (only) failed run in ``instance``."""
    from orchestration.defs.sensors import catch_up_after_source_failure

    (run,) = instance.get_runs()
    (failure,) = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
    context = dg.build_run_status_sensor_context(
        sensor_name="catch_up_after_source_failure",
        dagster_event=failure.dagster_event,
        dagster_instance=instance,
        dagster_run=run,
    ).for_run_failure()
    return catch_up_after_source_failure(context)


def test_a_day_with_a_broken_source_catches_up(tmp_path, make_sandbox):
    """The sensor sees only capture failed and launches catch_up: marts, gates, publish from what loaded."""
    instance = dg.DagsterInstance.ephemeral()
    with pytest.MonkeyPatch.context() as mp:
        box = make_sandbox(tmp_path, mp)
        replay_path(box.replay_dir, DAY, "openai", "pricing.md").write_text("# Pricing\n\nMoved.\n")
        defs = load_definitions()
        assert not run_day(DAY, defs=defs, dagster_instance=instance).success
        request = failure_sensor_result(instance)
        assert isinstance(request, dg.RunRequest) and request.partition_key == DAY.isoformat()
        assert request.tags["costcurve/failed_sources"] == "raw__openai"
        caught_up = run_day(DAY, defs=defs, dagster_instance=instance, job_name="catch_up")
    assert caught_up.success and not caught_up.checks_failed
    assert count(box.warehouse, "SELECT count(*) FROM fct_price_history WHERE source_id = 'anthropic'") > 0
    assert count(box.warehouse, "SELECT count(*) FROM fct_price_history WHERE source_id = 'openai'") == 0
    assert box.published.exists()


def lift_price_cap(mp: pytest.MonkeyPatch) -> None:
    """The content gate would quarantine a $150,000/M row before GX sees it (next test, tests/faults/). Lifted
    here so the GX gate, the backstop behind it for whatever a content rule does not cover, is what sees it."""
    from warehouse import content_gates

    mp.setattr(content_gates, "PRICE_CAPS", {currency: Decimal(10) ** 9 for currency in content_gates.PRICE_CAPS})


def test_a_price_over_the_cap_is_quarantined_and_the_day_publishes(tmp_path, make_sandbox):
    """One row over the content gate's cap leaves the load for raw.quarantine; the rest of the day, gates
    and publish go on, and the bad price never reaches a mart."""
    with pytest.MonkeyPatch.context() as mp:
        box = make_sandbox(tmp_path, mp)
        page = replay_path(box.replay_dir, DAY, "anthropic", "pricing.md")
        page.write_text(page.read_text().replace("$15 / MTok", "$150000 / MTok", 1))
        outcome = run_day(DAY, defs=load_definitions())

    assert outcome.success and not outcome.checks_failed, outcome.errors
    assert count(box.warehouse, "SELECT count(*) FROM raw.quarantine WHERE rule = 'price_cap' "
                                "AND source_id = 'anthropic' AND raw_sha256 = ?", [sha256_of(page)]) == 1
    assert count(box.warehouse, "SELECT count(*) FROM raw.price_facts WHERE price_per_mtok >= 150000") == 0
    assert count(box.warehouse, "SELECT count(*) FROM fct_price_history WHERE source_id = 'anthropic'") > 0
    assert count(box.warehouse, "SELECT count(*) FROM fct_price_history WHERE usd_per_mtok >= 150000") == 0
    assert box.published.exists()


def sha256_of(path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_failing_raw_gate_stops_everything_downstream(tmp_path, make_sandbox):
    with pytest.MonkeyPatch.context() as mp:
        box = make_sandbox(tmp_path, mp)
        lift_price_cap(mp)
        # a price far beyond any real one (the gate's critical bound is 10,000 USD per 1M tokens)
        page = replay_path(box.replay_dir, DAY, "anthropic", "pricing.md")
        text = page.read_text()
        assert "$15 / MTok" in text
        page.write_text(text.replace("$15 / MTok", "$150000 / MTok", 1))
        outcome = run_day(DAY, defs=load_definitions())

    assert not outcome.success
    assert "raw/anthropic:gx_raw_price_facts" in outcome.checks_failed
    # the bad rows reached raw (that is what the gate saw) but nothing downstream was built or sent
    assert count(box.warehouse, "SELECT count(*) FROM raw.price_facts WHERE price_per_mtok >= 150000") == 1
    assert not {"fct_price_history", "fct_price_observations", "dim_models"} & tables(box.warehouse)
    assert not box.published.exists()
    skipped = set(outcome.skipped_steps)
    assert "costcurve_dbt_models" in skipped and "publish__analyst_copy" in skipped


def test_no_catch_up_after_a_failed_gate(tmp_path, make_sandbox):
    instance = dg.DagsterInstance.ephemeral()
    with pytest.MonkeyPatch.context() as mp:
        box = make_sandbox(tmp_path, mp)
        lift_price_cap(mp)
        page = replay_path(box.replay_dir, DAY, "anthropic", "pricing.md")
        page.write_text(page.read_text().replace("$15 / MTok", "$150000 / MTok", 1))
        assert not run_day(DAY, defs=load_definitions(), dagster_instance=instance).success
        result = failure_sensor_result(instance)
        gate_alert = gate_alert_sensor_result(instance)
    assert isinstance(result, dg.SkipReason)
    assert "gx_raw_price_facts" in result.skip_message
    # ... but the failed gate itself is alerted (the alert step after the marts was skipped with them)
    assert isinstance(gate_alert, dg.RunRequest)
    config = gate_alert.run_config["ops"]["alert_failed_gates"]["config"]
    assert config["partition"] == DAY.isoformat()
    failures = {(f["gate"], f["asset"]): f for f in json.loads(config["failures"])}
    failure = failures[("gx_raw_price_facts", "raw/anthropic")]
    assert failure["failed_critical_count"] >= 1 and failure["rows_validated"] > 0
    assert "expect_column_values_to_be_between" in failure["summary"]


def gate_alert_sensor_result(instance: dg.DagsterInstance):
    from orchestration.defs.deliver.gate_alerts import alert_on_failed_gate

    (run,) = instance.get_runs()
    (failure,) = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
    context = dg.build_run_status_sensor_context(
        sensor_name="alert_on_failed_gate", dagster_event=failure.dagster_event, dagster_instance=instance,
        dagster_run=run,
    ).for_run_failure()
    return alert_on_failed_gate(context)


def test_failing_gate_names_the_expectation_and_rows(tmp_path, make_sandbox):
    from expectations.runner import validate_table
    from warehouse.connection import writer

    with pytest.MonkeyPatch.context() as mp:
        box = make_sandbox(tmp_path, mp)
        lift_price_cap(mp)  # else the content gate quarantines the row and GX never sees it
        page = replay_path(box.replay_dir, DAY, "anthropic", "pricing.md")
        page.write_text(page.read_text().replace("$15 / MTok", "$150000 / MTok", 1))
        run_day(DAY, defs=load_definitions())
    with writer(box.warehouse) as con:
        result = validate_table(con, "raw.price_facts", where="source_id = 'anthropic'")
    summary = result.summary()
    assert not result.success
    assert "expect_column_values_to_be_between" in summary and "price_per_mtok" in summary
    assert "150000" in summary
