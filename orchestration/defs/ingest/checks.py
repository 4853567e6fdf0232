"""Blocking GX gates on each source's slice of the raw tables for the partition's day."""

from datetime import date

import dagster as dg

from orchestration.gates import GateLog, gate_result
from orchestration.partitions import WAREHOUSE_POOL
from orchestration.resources import CostcurveResource
from scrapers.registry import SOURCES


def raw_gate(source_id: str, table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["raw", source_id]),
        name=f"gx_raw_{table}",
        blocking=True,
        pool=WAREHOUSE_POOL,
        description=f"GX suite raw_{table} on {source_id}'s rows of the day",
    )
    def _gate(context: dg.AssetCheckExecutionContext, costcurve: CostcurveResource) -> dg.AssetCheckResult:
        day = context.run.tags.get("dagster/partition")
        skipped = costcurve.skip_reason(SOURCES[source_id], date.fromisoformat(day))
        if skipped:  # nothing was loaded, so there is nothing to gate
            return dg.AssetCheckResult(passed=True, description=skipped, metadata={"status": skipped})
        with costcurve.warehouse_writer() as con:
            return gate_result(
                con,
                f"raw_{table}",
                f"SELECT * FROM raw.{table} WHERE source_id = ? AND partition_date = CAST(? AS DATE)",
                [source_id, day],
                log=GateLog.of(context, f"raw/{source_id}"),
            )

    return _gate


raw_gates = [raw_gate(source.source_id, table) for source in SOURCES.values() for table in (*source.writes, "fetches", "parse_exclusions")]
