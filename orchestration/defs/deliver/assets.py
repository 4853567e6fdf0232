"""After the mart gates: evaluate alert rules, then publish the analyst copy and Parquet exports."""

from datetime import date
from pathlib import Path

import dagster as dg

from orchestration.dbt_project import published_marts
from orchestration.partitions import WAREHOUSE_POOL, daily_partitions, one_day_per_run
from orchestration.resources import CostcurveResource
from warehouse.publish import export_parquet, publish_copy

MART_KEYS = [dg.AssetKey([table]) for table in published_marts()]
BACKFILL_TAG = "dagster/backfill"
#: a run whose alert step records without sending (the rebuild after `costcurve backfill`)
RECORD_ONLY_TAG = "costcurve/alerts_record_only"


@dg.asset(
    key=["alerts", "alert_events"],
    group_name="deliver",
    deps=MART_KEYS,  # among them fct_price_changes, which the price-change rules read
    partitions_def=daily_partitions,
    backfill_policy=one_day_per_run,
    pool=WAREHOUSE_POOL,
    kinds={"python", "duckdb"},
    description="Evaluates alerts/rules.yml against the gated marts (state machine per rule and series), "
    "records events in the alerts.events outbox, then sends them as signed webhooks with the writer released.",
)
def alert_events(context: dg.AssetExecutionContext, costcurve: CostcurveResource) -> dg.MaterializeResult:
    from alerts import AlertParams, deliver, evaluate_and_record
    from scrapers.registry import SOURCES

    day = date.fromisoformat(context.partition_key)
    # a Dagster backfill replays past days, and a rebuild follows `costcurve backfill`: their events are
    # recorded as suppressed, never sent
    send = BACKFILL_TAG not in context.run.tags and RECORD_ONLY_TAG not in context.run.tags
    settings = AlertParams.from_settings(
        costcurve.settings(), source_cadences={s.source_id: s.cadence for s in SOURCES.values()})
    with costcurve.warehouse_writer() as con:
        summary = evaluate_and_record(con, settings, as_of=day, send=send)
    if send:  # the writer is released: a receiver that is down never holds the daily run
        summary = deliver(costcurve.warehouse_writer, settings, summary)
    context.log.info(f"alerts {day}: {summary}")
    return dg.MaterializeResult(metadata={k: v for k, v in summary.items() if isinstance(v, (int, str))})


@dg.asset(
    key=["publish", "analyst_copy"],
    group_name="deliver",
    # not after alert_events: an invalid rules file or a down receiver must not hold back the analyst copy
    deps=MART_KEYS,
    partitions_def=daily_partitions,
    backfill_policy=one_day_per_run,
    pool=WAREHOUSE_POOL,
    kinds={"duckdb", "parquet"},
    description="Atomically publishes a read-only copy of the warehouse for analysts, plus Parquet exports.",
)
def analyst_copy(context: dg.AssetExecutionContext, costcurve: CostcurveResource) -> dg.MaterializeResult:
    settings = costcurve.settings()
    published = publish_copy(Path(costcurve.warehouse), settings.published)
    exports = export_parquet(Path(costcurve.warehouse), settings.exports, published_marts())
    return dg.MaterializeResult(
        metadata={"published": str(published), "exports": dg.MetadataValue.json({k: str(v) for k, v in exports.items()})}
    )
