"""After the mart gates: evaluate alert rules, then publish the analyst copy and Parquet exports."""

from datetime import date
from pathlib import Path

import dagster as dg

from orchestration.partitions import WAREHOUSE_POOL, daily_partitions, one_day_per_run
from orchestration.resources import CostcurveResource
from warehouse.publish import MART_TABLES, export_parquet, publish_copy

MART_KEYS = [dg.AssetKey([table]) for table in MART_TABLES]
BACKFILL_TAG = "dagster/backfill"


@dg.asset(
    key=["alerts", "price_alerts"],
    group_name="deliver",
    deps=MART_KEYS,
    partitions_def=daily_partitions,
    backfill_policy=one_day_per_run,
    pool=WAREHOUSE_POOL,
    kinds={"python", "duckdb"},
    description="Evaluates alerts/rules.yml against the gated marts; new events go out as signed webhooks once.",
)
def price_alerts(context: dg.AssetExecutionContext, costcurve: CostcurveResource) -> dg.MaterializeResult:
    from alerts import run as run_alerts

    day = date.fromisoformat(context.partition_key)
    # a Dagster backfill replays past days: its events are recorded as suppressed, never sent
    send = BACKFILL_TAG not in context.run.tags
    with costcurve.warehouse_writer() as con:
        summary = run_alerts(con, costcurve.settings(), as_of=day, send=send)
    context.log.info(f"alerts {day}: {summary}")
    return dg.MaterializeResult(metadata={k: v for k, v in summary.items() if isinstance(v, (int, str))})


@dg.asset(
    key=["publish", "analyst_copy"],
    group_name="deliver",
    deps=[*MART_KEYS, price_alerts],
    partitions_def=daily_partitions,
    backfill_policy=one_day_per_run,
    pool=WAREHOUSE_POOL,
    kinds={"duckdb", "parquet"},
    description="Atomically publishes a read-only copy of the warehouse for analysts, plus Parquet exports.",
)
def analyst_copy(context: dg.AssetExecutionContext, costcurve: CostcurveResource) -> dg.MaterializeResult:
    settings = costcurve.settings()
    published = publish_copy(Path(costcurve.warehouse), settings.published)
    exports = export_parquet(Path(costcurve.warehouse), settings.exports)
    return dg.MaterializeResult(
        metadata={"published": str(published), "exports": dg.MetadataValue.json({k: str(v) for k, v in exports.items()})}
    )
