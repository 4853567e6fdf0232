"""Blocking GX gates on the marts: a failed critical expectation stops alerts and publishing."""

import dagster as dg

from orchestration.gates import gate_result
from orchestration.partitions import WAREHOUSE_POOL
from orchestration.resources import CostcurveResource
from warehouse.publish import MART_TABLES


def mart_gate(table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey([table]),
        name=f"gx_{table}",
        blocking=True,
        pool=WAREHOUSE_POOL,
        description=f"GX suite {table} on the whole mart",
    )
    def _gate(costcurve: CostcurveResource) -> dg.AssetCheckResult:
        with costcurve.warehouse_writer() as con:
            return gate_result(con, table, f"SELECT * FROM {table}")

    return _gate


mart_gates = [mart_gate(table) for table in MART_TABLES]
