"""The whole Definitions object loads, and its wiring says what the README promises."""

from __future__ import annotations

import dagster as dg
import pytest

from scrapers.registry import SOURCES


@pytest.fixture(scope="module")
def defs(dbt_manifest) -> dg.Definitions:
    from costcurve.runner import load_definitions

    return load_definitions()


def asset_graph(defs):
    return defs.resolve_asset_graph()


def test_one_ingest_asset_per_registered_source(defs):
    keys = {key.to_user_string() for key in asset_graph(defs).get_all_asset_keys()}
    assert {f"raw/{source_id}" for source_id in SOURCES} <= keys


def test_daily_job_runs_at_six_utc(defs):
    schedule = defs.resolve_schedule_def("daily_schedule")
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.execution_timezone == "UTC"
    assert schedule.job_name == "daily"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING  # runs without finding a toggle


def test_partitions_reach_back_to_the_oldest_demo_day(defs):
    from orchestration.partitions import daily_partitions

    assert daily_partitions.has_partition_key("2024-04-01")


def test_failed_days_catch_up(defs):
    sensor = defs.resolve_sensor_def("catch_up_after_source_failure")
    assert sensor.job_name == "catch_up"
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_every_gate_is_blocking_and_every_raw_table_is_gated(defs):
    checks = {}
    for spec in asset_graph(defs).asset_check_keys:
        checks[spec] = asset_graph(defs).get_check_spec(spec)
    gx = {key: spec for key, spec in checks.items() if key.name.startswith("gx_")}
    assert all(spec.blocking for spec in gx.values())
    for source in SOURCES.values():
        # parse_exclusions too: every source may write exclusions, and a blank reason must block (issue 9)
        for table in (*source.writes, "fetches", "parse_exclusions"):
            assert dg.AssetCheckKey(dg.AssetKey(["raw", source.source_id]), f"gx_raw_{table}") in gx
    for mart in ("fct_price_observations", "fct_price_history", "fct_capex_quarterly", "fct_capex_annual", "dim_models",
                 "mart_open_weight_share", "mart_source_reconciliation", "mart_capex", "mart_capex_total"):
        assert dg.AssetCheckKey(dg.AssetKey([mart]), f"gx_{mart}") in gx


def test_staging_depends_on_the_ingest_assets_of_its_sources(defs):
    graph = asset_graph(defs)
    parents = graph.get(dg.AssetKey(["staging", "stg_deepseek__prices"])).parent_keys
    assert {dg.AssetKey(["raw", "deepseek"]), dg.AssetKey(["raw", "deepseek_zh"])} <= set(parents)


def test_everything_that_opens_duckdb_shares_one_pool(defs):
    nodes = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition)]
    nodes += [c for c in defs.asset_checks or [] if isinstance(c, dg.AssetChecksDefinition)]
    assert len(nodes) > len(SOURCES)
    for node in nodes:
        assert node.node_def.pool == "duckdb_warehouse", node.node_def.name


def test_mart_gates_know_each_marts_raw_inputs_from_the_dbt_lineage(defs):
    from orchestration.defs.transform.checks import upstream_raw_tables

    assert upstream_raw_tables("fct_capex_quarterly") == ("raw.capex_facts",)
    assert upstream_raw_tables("mart_capex_total") == ("raw.capex_facts",)
    assert "raw.price_facts" in upstream_raw_tables("fct_price_history")
    assert "raw.capex_facts" not in upstream_raw_tables("fct_price_history")


def test_alerts_run_after_the_marts_and_publish_does_not_wait_on_them(defs):
    graph = asset_graph(defs)
    alerts_key, publish_key = dg.AssetKey(["alerts", "alert_events"]), dg.AssetKey(["publish", "analyst_copy"])
    alert_deps = graph.get(alerts_key).parent_keys
    assert {dg.AssetKey(["mart_open_weight_share"]), dg.AssetKey(["fct_price_changes"]),
            dg.AssetKey(["mart_frontier_open_gap"])} <= alert_deps
    assert alerts_key not in graph.get(publish_key).parent_keys  # a broken rules file never blocks the publish


def test_an_hourly_relay_sends_the_outbox_between_daily_runs(defs):
    schedule = defs.resolve_schedule_def("relay_alerts_hourly")
    assert schedule.job_name == "relay_alerts" and schedule.cron_schedule == "30 * * * *"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING


def test_a_failed_gate_is_alerted_from_a_run_failure_sensor(defs):
    sensor = defs.resolve_sensor_def("alert_on_failed_gate")
    assert sensor.job_name == "gate_failure_alerts"
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
