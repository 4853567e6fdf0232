"""A freshness check on each source's ingest asset: days since its last successful capture, against the
ages its cadence gives (warehouse/freshness.py). WARN severity past the warn age, ERROR past the fail age;
never blocking: a stale source is news about that source, not a reason to hold the others' marts."""

from datetime import date

import dagster as dg

from orchestration.partitions import WAREHOUSE_POOL
from orchestration.resources import CostcurveResource
from scrapers.registry import SOURCES, Source
from warehouse import freshness


def freshness_check(source: Source) -> dg.AssetChecksDefinition:
    ages = freshness.ages_for(source.cadence)
    described = (f"warn after {ages.warn_after_days} days, fail after {ages.fail_after_days} days"
                 if ages else "not tracked")

    @dg.asset_check(
        asset=dg.AssetKey(["raw", source.source_id]),
        name="freshness",
        blocking=False,
        pool=WAREHOUSE_POOL,
        description=f"days since the last successful capture (cadence {source.cadence!r}: {described})",
    )
    def _freshness(context: dg.AssetCheckExecutionContext, costcurve: CostcurveResource) -> dg.AssetCheckResult:
        as_of = date.fromisoformat(context.run.tags["dagster/partition"])
        with costcurve.warehouse_writer() as con:
            [row] = freshness.source_freshness(con, {source.source_id: source.cadence}, as_of)
        return result(row)

    return _freshness


def result(row: freshness.SourceFreshness) -> dg.AssetCheckResult:
    metadata = {"state": row.state, "cadence": row.cadence,
                "last_success": str(row.last_success) if row.last_success else "never",
                "days_since_success": row.days_since if row.days_since is not None else -1}
    if row.ages:
        metadata |= {"warn_after_days": row.ages.warn_after_days, "fail_after_days": row.ages.fail_after_days}
    passed = row.state in {freshness.FRESH, freshness.UNTRACKED}
    severity = dg.AssetCheckSeverity.WARN if row.state == freshness.WARN else dg.AssetCheckSeverity.ERROR
    return dg.AssetCheckResult(passed=passed, severity=severity, metadata=metadata,
                               description=f"{row.source_id}: {row.state}")


freshness_checks = [freshness_check(source) for source in SOURCES.values()]
